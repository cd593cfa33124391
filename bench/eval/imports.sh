#!/usr/bin/env bash
# Writes a tree of recipe files into $1: import.cbl imports 3 children per
# node, 8 levels deep (3280 files), each doing a little work.
set -euo pipefail
dir=$1
mkdir -p "$dir/tree"
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def write(path, depth):
    kids = [f"{path}_{k}" for k in range(3)] if depth < 8 else []
    for k in kids: write(k, depth + 1)
    body = "let kids = [ " + " ".join(f"(import ./n{c}.cbl)" for c in kids) + " ];\n"
    body += f"in {{ id = \"{path}\"; size = 1 + builtins.foldl' (a: k: a + k.size) 0 kids; names = builtins.concatMap (k: k.names) kids ++ [ \"{path}\" ]; }}\n"
    open(f"{d}/tree/n{path}.cbl", "w").write(body)
write("0", 1)
open(f"{d}/import.cbl", "w").write("let t = import ./tree/n0.cbl; in t.size + builtins.length t.names\n")
PY
