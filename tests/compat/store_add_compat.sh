#!/usr/bin/env bash
# `cstore store add` gives the store paths of `nix-store --add` / `--add-fixed`
# (storeDir /store), and `cstore path-info --json` the fields of `nix path-info --json`.
source "$CSTORE_SRC/tests/lib/testlib.sh"
use_nix

mkdir -p "$T/in"
printf hello >"$T/in/f.txt"
printf '#!/bin/sh\n' >"$T/in/script"
chmod +x "$T/in/script"
: >"$T/in/empty"
head -c $((1024 * 1024 + 3)) /dev/urandom >"$T/in/big"
mkdir -p "$T/in/emptydir"
ln -s f.txt "$T/in/link"
make_tricky_tree "$T/in/tree"

nix_add() { nix-store --store "$NIXSTORE" "$@"; }
json_without_time() { jq -S 'map(del(.registrationTime))'; }
compare_info() { # compare_info PATH WHAT
    local ours theirs
    ours=$(cs path-info --json -S "$1" | json_without_time)
    theirs=$(nix path-info --store "$NIXSTORE" --json -S "$1" | json_without_time)
    expect_eq "$ours" "$theirs" "path-info --json of $2"
}

# Spec 2.4's example first.
expect_eq "$(nix_add --add "$T/in/f.txt")" /store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt "Nix's path for f.txt"

for name in f.txt script empty big emptydir link tree; do
    src=$T/in/$name
    ours=$(cs store add "$src")
    expect_eq "$ours" "$(nix_add --add "$src")" "store add $name (recursive sha256)"
    expect_eq "$ours" "$(nix_add --add-fixed --recursive sha256 "$src")" "store add $name vs --add-fixed --recursive"
    compare_info "$ours" "$name"
    ours=$(cs store add --hash-algo sha1 "$src")
    expect_eq "$ours" "$(nix_add --add-fixed --recursive sha1 "$src")" "store add --hash-algo sha1 $name"
    compare_info "$ours" "$name (recursive sha1)"
done

for name in f.txt script empty big; do
    src=$T/in/$name
    algos="sha256 sha1"
    [[ $name != f.txt ]] || algos="sha256 sha1 md5 sha512"
    for algo in $algos; do
        ours=$(cs store add --flat --hash-algo $algo "$src")
        expect_eq "$ours" "$(nix_add --add-fixed $algo "$src")" "store add --flat --hash-algo $algo $name"
        compare_info "$ours" "$name (flat $algo)"
    done
done
expect_eq "$(cs store add --flat "$T/in/f.txt")" "$(nix_add --add-fixed sha256 "$T/in/f.txt")" "--flat defaults to sha256"

# What the two stores hold is the same, byte for byte.
for p in $(valid_paths); do
    cs store dump "$p" | cmp - <(nix store dump-path --store "$NIXSTORE" "$p" 2>/dev/null) || fail "NAR of $p differs"
done
echo "store_add_compat: ok"
