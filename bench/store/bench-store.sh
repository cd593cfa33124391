#!/usr/bin/env bash
# Store benchmarks, side by side with Nix 2.8 in the same run:
#   1. NAR serialise + SHA-256 of a 1 GiB tree of mixed file sizes:
#      `cstore hash path` vs `nix hash path`, anchored on `openssl speed -evp sha256`.
#   2. `cstore store add` vs `nix-store --add` of the same tree into empty stores.
#   3. GC of 10,000 dead paths: `cstore gc` vs `nix-store --gc`.
# Usage: bench/store/bench-store.sh [SIZE_BYTES] [GC_PATHS]
source "$(dirname "$0")/../lib.sh"
size=${1:-$((1 << 30))}
gcPaths=${2:-10000}

tree=$BENCH_TMP/tree
python3 "$bench_root/gen-tree.py" "$tree" "$size" 2>/dev/null
cat "$tree"/*/*/* >/dev/null 2>&1 || true  # warm the page cache

echo "== NAR hash of $(du -sh "$tree" | cut -f1) ($(find "$tree" -type f | wc -l) files)"
raw=$(openssl speed -evp sha256 -seconds 2 -bytes 16384 2>/dev/null | awk '/^sha256/ {print $NF}' | tr -d k)
rawMBps=$(echo "scale=0; $raw * 1000 / 1000000" | bc -l)
tc=$(best_of 3 "$CSTORE" hash path "$tree")
tn=$(best_of 3 nix hash path "$tree")
row "" "seconds" "MB/s" "ratio"
row "openssl speed -evp sha256 (anchor)" "-" "$rawMBps" "1.00"
row "cstore hash path" "$tc" "$(mbps "$size" "$tc")" "$(ratio "$(mbps "$size" "$tc")" "$rawMBps")"
row "nix hash path" "$tn" "$(mbps "$size" "$tn")" "$(ratio "$(mbps "$size" "$tn")" "$rawMBps")"
echo "cstore/openssl: $(ratio "$(mbps "$size" "$tc")" "$rawMBps") (goal >= 0.95); cstore vs nix: $(ratio "$tn" "$tc")x"

echo "== store add of the same tree into an empty store"
clean_add() { chmod -R u+w "$BENCH_TMP/rc" "$BENCH_TMP/rn" 2>/dev/null || true; rm -rf "$BENCH_TMP/rc" "$BENCH_TMP/rn"; }
SETUP=clean_add
tc=$(best_of 3 "$CSTORE" --store "$BENCH_TMP/rc" store add "$tree")
tn=$(best_of 3 nix-store --store "local?root=$BENCH_TMP/rn&store=/store" --add "$tree")
SETUP=
row "" "seconds" "MB/s" "ratio"
row "nix-store --add (anchor)" "$tn" "$(mbps "$size" "$tn")" "1.00"
row "cstore store add" "$tc" "$(mbps "$size" "$tc")" "$(ratio "$tn" "$tc")"
echo "cstore vs nix: $(ratio "$tn" "$tc")x (goal >= 2)"
clean_add

echo "== GC of $gcPaths dead paths"
files=$BENCH_TMP/files
mkdir -p "$files"
for ((i = 0; i < gcPaths; i++)); do echo "dead path $i" > "$files/f$i"; done
"$CSTORE" --store "$BENCH_TMP/gc-c" store add "$files"/* >/dev/null
(cd "$files" && ls | xargs nix-store --store "local?root=$BENCH_TMP/gc-n&store=/store" --add >/dev/null)
settle
tc=$(seconds "$CSTORE" --store "$BENCH_TMP/gc-c" gc)
settle
tn=$(seconds nix-store --store "local?root=$BENCH_TMP/gc-n&store=/store" --gc)
left=$(ls "$BENCH_TMP/gc-c/store" | wc -l)
row "" "seconds" "paths/s" "ratio"
row "nix-store --gc (anchor)" "$tn" "$(echo "scale=0; $gcPaths / $tn" | bc -l)" "1.00"
row "cstore gc" "$tc" "$(echo "scale=0; $gcPaths / $tc" | bc -l)" "$(ratio "$tn" "$tc")"
echo "cstore: $(echo "scale=0; $gcPaths / $tc" | bc -l) paths/s (goal >= 100000), $left entries left in the store"
