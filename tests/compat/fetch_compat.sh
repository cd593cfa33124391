#!/usr/bin/env bash
# builtins.fetchurl and builtins.fetchTarball give the store paths Nix 2.8
# gives for the same downloads (file:// URLs, with and without hashes and names).
source "$CSTORE_SRC/tests/lib/testlib.sh"
use_nix
cd "$T"

mkdir -p src/pkg-1.0/bin src/flat
printf 'hello\n' >src/pkg-1.0/bin/msg
printf '#!/bin/sh\n' >src/pkg-1.0/bin/run
chmod +x src/pkg-1.0/bin/run
ln -s bin/msg src/pkg-1.0/link
tar -C src -czf pkg.tar.gz pkg-1.0
tar -C src/pkg-1.0 -cJf flat.tar.xz bin link   # no single top directory
printf 'a file\n' >file.txt
sha=$(sha256sum file.txt | cut -d' ' -f1)
tsha=$(nix-hash --type sha256 --base32 src/pkg-1.0)

for expr in \
  "builtins.fetchurl file://$T/file.txt" \
  "builtins.fetchurl { url = \"file://$T/file.txt\"; sha256 = \"$sha\"; }" \
  "builtins.fetchurl { url = \"file://$T/file.txt\"; name = \"renamed\"; }" \
  "builtins.fetchTarball file://$T/pkg.tar.gz" \
  "builtins.fetchTarball { url = \"file://$T/pkg.tar.gz\"; sha256 = \"$tsha\"; name = \"pkg\"; }" \
  "builtins.readFile \"\${builtins.fetchTarball file://$T/pkg.tar.gz}/bin/msg\""; do
  ours=$(cs eval --expr "$expr" 2>"$T/err") || fail "cstore: $expr: $(cat "$T/err")"
  theirs=$(nix-instantiate --store "$NIXSTORE" --eval --expr "$expr" 2>"$T/err") || fail "nix: $expr: $(cat "$T/err")"
  expect_eq "$ours" "$theirs" "$expr"
done
# Both refuse an archive without exactly one top-level entry.
expr="builtins.fetchTarball file://$T/flat.tar.xz"
cs eval --expr "$expr" >/dev/null 2>"$T/err" && fail "cstore unpacked $expr"
expect_contains "$(cat "$T/err")" "has 2 top-level entries" "archive without one top directory"
nix-instantiate --store "$NIXSTORE" --eval --expr "$expr" >/dev/null 2>&1 && fail "nix unpacked $expr"
echo ok
