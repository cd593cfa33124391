#!/usr/bin/env bash
# `cstore store add`: recursive and flat adds, --name, --hash-algo,
# canonical metadata, reference scanning, and bad input leaving the store alone.
source "$CSTORE_SRC/tests/lib/testlib.sh"

printf hello >"$T/f.txt"

# Spec 2.4: hello in f.txt, storeDir /store.
p=$(cs store add "$T/f.txt")
expect_eq "$p" /store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt "recursive add of f.txt"
expect_eq "$(cat "$STORE/$(base "$p")")" hello "contents in the store"
expect_eq "$(cs store add "$T/f.txt")" "$p" "adding again"
expect_eq "$(valid_paths)" "$p" "one valid path"
expect_eq "$(sqlite3 "$DB" "select hash, narSize, ca from ValidPaths")" \
    "sha256:0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969|120|fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa" \
    "database row of f.txt"

# Flat adds and other algorithms: the CA names the hash of the contents.
ca_of() { cs path-info --json "$1" | jq -r '.[0].ca'; }
flat=$(cs store add --flat "$T/f.txt")
[[ $flat != "$p" && $flat == /store/*-f.txt ]] || fail "flat add gave '$flat'"
expect_eq "$(ca_of "$flat")" fixed:sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic "flat sha256 CA"
expect_eq "$(ca_of "$(cs store add --flat --hash-algo sha1 "$T/f.txt")")" \
    fixed:sha1:9m1skbnr5i43n3yypvda5s65vhfwdx5a "flat sha1 CA"
expect_eq "$(ca_of "$(cs store add --flat --hash-algo md5 "$T/f.txt")")" \
    fixed:md5:4jqlbi14cxf6wpcajbphm40hax "flat md5 CA"
expect_eq "$(ca_of "$(cs store add --hash-algo sha1 "$T/f.txt")")" \
    fixed:r:sha1:x5zjnshbjrrhpg88n2da87884cmn2i2i "recursive sha1 CA"
sha512=$(cs store add --hash-algo sha512 "$T/f.txt")
expect_contains "$(ca_of "$sha512")" fixed:r:sha512: "recursive sha512 CA"

# --name, and several paths at once (one line each, in order).
named=$(cs store add --name greeting.txt "$T/f.txt")
[[ $named == /store/*-greeting.txt ]] || fail "--name gave '$named'"
mkdir -p "$T/multi"
printf one >"$T/multi/one"
printf two >"$T/multi/two"
mapfile -t both < <(cs store add "$T/multi/two" "$T/multi/one")
expect_eq "${#both[@]}" 2 "paths printed for two arguments"
[[ ${both[0]} == /store/*-two && ${both[1]} == /store/*-one ]] || fail "order of printed paths: ${both[*]}"
expect_eq "$(cs store add "$T/multi/")" "$(cs store add "$T/multi")" "trailing slash"

# Canonical metadata: modes 0444/0555, mtime 1, no setuid, source untouched.
src=$T/tree
mkdir -p "$src/dir" "$src/empty"
printf f >"$src/file"
printf '#!/bin/sh\n' >"$src/exe"
printf s >"$src/setuid"
printf p >"$src/private"
printf n >"$src/dir/nested"
chmod 0755 "$src/exe"
chmod 04755 "$src/setuid"
chmod 0600 "$src/private"
chmod 0777 "$src/dir"
ln -s file "$src/link"
touch -d '2001-02-03' "$src/file"
if command -v python3 >/dev/null; then
    python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.cstore-test", b"v")' "$src/file" 2>/dev/null || true
fi
tree=$(cs store add "$src")
real=$STORE/$(base "$tree")
modes=$(cd "$real" && find . -printf '%p %m %T@\n' | LC_ALL=C sort)
expect_eq "$modes" ". 555 1.0000000000
./dir 555 1.0000000000
./dir/nested 444 1.0000000000
./empty 555 1.0000000000
./exe 555 1.0000000000
./file 444 1.0000000000
./link 777 1.0000000000
./private 444 1.0000000000
./setuid 555 1.0000000000" "canonical modes and mtimes"
expect_eq "$(readlink "$real/link")" file "symlink target"
expect_eq "$(stat -c %a "$src/private")" 600 "the source is left alone"
if command -v python3 >/dev/null; then
    expect_eq "$(python3 -c 'import os, sys; print(os.listxattr(sys.argv[1]))' "$real/file")" "[]" "xattrs"
fi
expect_eq "$(cs hash path "$real")" "$(cs hash path "$src")" "the stored tree has the source's NAR"

# Reference scanning: a tree mentioning store paths refers to them.
mkdir -p "$T/user"
echo "see $p for details" >"$T/user/readme"
echo "${named##*/store/}" >"$T/user/bare"
user=$(cs store add "$T/user")
expect_eq "$(cs path-info --json "$user" | jq -r '.[0].references | join(" ")')" "$(printf '%s\n' "$p" "$named" | LC_ALL=C sort | paste -sd " ")" "references found"
expect_eq "$(sqlite3 "$DB" "select count(*) from Refs")" 2 "reference rows"
expect_eq "$(cs path-info -r "$user" | LC_ALL=C sort)" "$(printf '%s\n' "$user" "$p" "$named" | LC_ALL=C sort)" "closure"
# Only recursive sha256 adds are scanned.
expect_eq "$(cs path-info --json "$(cs store add --hash-algo sha1 "$T/user")" | jq -r '.[0].references | length')" 0 \
    "references of a sha1 add"

# Bad input: one error line, non-zero exit, nothing changed.
before=$(store_snapshot)
mkfifo "$T/fifo"
mkdir -p "$T/withfifo" "$T/bad name"
printf x >"$T/withfifo/a"
mkfifo "$T/withfifo/pipe"
expect_error "No such file or directory" cs store add "$T/missing"
expect_error "forbidden character ' '" cs store add "$T/bad name"
expect_error "forbidden character" cs store add --name 'x:y' "$T/f.txt"
expect_error "not allowed" cs store add --name '..-x' "$T/f.txt"
expect_error "longer than 211" cs store add --name "$(printf 'n%.0s' {1..212})" "$T/f.txt"
expect_error "not a regular file" cs store add --flat "$T/multi"
expect_error "not a regular file" cs store add --flat "$T/fifo"
expect_error "unsupported type" cs store add "$T/withfifo"
expect_error "unsupported type" cs store add "$T/fifo"
expect_error "unknown hash algorithm 'sha3'" cs store add --hash-algo sha3 "$T/f.txt"
expect_error "--name" cs store add --name x "$T/f.txt" "$T/multi/one"
printf 'a\nb' >"$T/nl"
expect_error "forbidden character '\\x0a'" cs store add --name "$(cat "$T/nl")" "$T/f.txt"
if cs store add >/dev/null 2>&1; then fail "'store add' without paths succeeded"; fi
expect_unchanged "$before" "failed adds"

# A store path name may be 211 characters long.
long=$(printf 'n%.0s' {1..211})
[[ $(cs store add --name "$long" "$T/f.txt") == /store/*-$long ]] || fail "211-character name"

cs store verify --all --check-contents

# A new store directory is the top of directory hierarchies for ext2/3/4's
# allocator (chattr +T), where the filesystem has the flag.
if attrs=$(lsattr -d "$STORE" 2>/dev/null); then
    [[ ${attrs%% *} == *T* ]] || fail "the store directory is not marked +T: $attrs"
fi
echo "store_add: ok"
