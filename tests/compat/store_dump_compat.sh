#!/usr/bin/env bash
# `cstore store dump` is byte-identical to `nix-store --dump`, and `cstore hash
# path|file` equals `nix hash path|file`, on trees with every kind of node.
source "$CSTORE_SRC/tests/lib/testlib.sh"
use_nix

tree=$T/tree
make_tricky_tree "$tree"

# NAR hashes of the whole tree and of each entry, in several algorithms and encodings.
check_hash_path() {
    local p=$1
    expect_eq "$(cs hash path "$p")" "$(nix hash path "$p")" "hash path of ${p#$T/}"
}
check_hash_path "$tree"
for p in "$tree"/* "$tree"/sub/* "$tree"/sizes/*; do check_hash_path "$p"; done
for type in md5 sha1 sha256 sha512; do
    expect_eq "$(cs hash path --type $type --base32 "$tree")" "$(nix hash path --type $type --base32 "$tree")" \
        "hash path --type $type --base32"
    expect_eq "$(cs hash path --type $type --base16 "$tree")" "$(nix hash path --type $type --base16 "$tree")" \
        "hash path --type $type --base16"
    expect_eq "$(cs hash path --type $type --sri "$tree/exe")" "$(nix hash path --type $type --sri "$tree/exe")" \
        "hash path --type $type --sri"
    for f in "$tree/a" "$tree/empty-file" "$tree/sizes/s$((1024 * 1024 + 3))"; do
        expect_eq "$(cs hash file --type $type "$f")" "$(nix hash file --type $type "$f")" "hash file --type $type ${f#$T/}"
    done
done
expect_eq "$(cs hash path --base32 "$tree")" "$(nix-hash --type sha256 --base32 "$tree")" "nix-hash"

# The NAR itself: straight from the tree, and of the tree added to the store.
nix-store --dump "$tree" >"$T/nix.nar"
p=$(cs store add "$tree")
cs store dump "$p" >"$T/cstore.nar"
cmp "$T/nix.nar" "$T/cstore.nar" || fail "cstore store dump differs from nix-store --dump"
for single in a exe link-dangling empty-dir sizes; do
    cs store dump "$(cs store add --name x "$tree/$single")" | cmp - <(nix-store --dump "$tree/$single") ||
        fail "dump of $single differs"
done

# Each side reads what the other writes.
nix-store --restore "$T/by-nix" <"$T/cstore.nar"
expect_eq "$(nix hash path "$T/by-nix")" "$(nix hash path "$tree")" "nix-store --restore of our NAR"
cs store restore "$T/by-cstore" <"$T/nix.nar"
expect_eq "$(cs hash path "$T/by-cstore")" "$(nix hash path "$tree")" "cstore store restore of Nix's NAR"
[[ -x $T/by-cstore/exe && -x $T/by-cstore/exe-0744 && ! -x $T/by-cstore/not-exe-0654 ]] ||
    fail "executable bits after restoring Nix's NAR"
echo "store_dump_compat: ok"
