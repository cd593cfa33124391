#!/usr/bin/env bash
# `cstore store dump PATH` and `cstore store restore DIR`.
source "$CSTORE_SRC/tests/lib/testlib.sh"

# The NAR of a regular file with "hi\n" is the 120 bytes of spec 3.3.
printf 'hi\n' >"$T/hi"
hi=$(cs store add "$T/hi")
cs store dump "$hi" >"$T/hi.nar"
expect_eq "$(xxd -p "$T/hi.nar" | tr -d '\n')" \
    "0d000000000000006e69782d617263686976652d310000000100000000000000280000000000000004000000000000007479706500000000070000000000000072656775\
6c6172000800000000000000636f6e74656e7473030000000000000068690a000000000001000000000000002900000000000000" "NAR of hi"
nar_sha256_sri() { echo "sha256-$(sha256sum "$1" | cut -d' ' -f1 | xxd -r -p | base64)"; }
expect_eq "$(nar_sha256_sri "$T/hi.nar")" "$(cs path-info --json "$hi" | jq -r '.[0].narHash')" "NAR hash of the dump"

# A tree: dump, restore, dump again: same bytes, same executable bits.
src=$T/src
mkdir -p "$src/sub/empty"
printf a >"$src/a"
printf B >"$src/B"
: >"$src/sub/empty-file"
printf '#!/bin/sh\n' >"$src/sub/run"
chmod +x "$src/sub/run"
ln -s ../a "$src/sub/link"
head -c $((1024 * 1024 + 3)) /dev/urandom >"$src/big"
p=$(cs store add "$src")
cs store dump "$p" >"$T/tree.nar"
expect_eq "$(nar_sha256_sri "$T/tree.nar")" "$(cs path-info --json "$p" | jq -r '.[0].narHash')" "tree NAR hash"
expect_eq "$(stat -c %s "$T/tree.nar")" "$(cs path-info --json "$p" | jq -r '.[0].narSize')" "tree NAR size"
cs store dump "$T/root/store/$(base "$p")" | cmp - "$T/tree.nar" || fail "dump by physical path differs"
cs store restore "$T/restored" <"$T/tree.nar"
cmp "$T/restored/big" "$src/big" || fail "restored big file differs"
[[ -x $T/restored/sub/run && ! -x $T/restored/a ]] || fail "executable bits after restore"
expect_eq "$(readlink "$T/restored/sub/link")" ../a "restored symlink"
[[ -d $T/restored/sub/empty ]] || fail "empty directory not restored"
cs store dump "$p" | cs store restore "$T/piped"
expect_eq "$(cs hash path "$T/piped")" "$(cs hash path "$src")" "restore from a pipe"
# A NAR of a single file or symlink restores to a file or symlink.
cs store restore "$T/hi-restored" <"$T/hi.nar"
expect_eq "$(cat "$T/hi-restored")" hi "restored file"

# Errors: nothing is left behind, existing directories are untouched.
nar_str() { # framed NAR string
    local s=$1 n=${#1}
    printf "$(printf '\\x%02x' $((n & 255)) $(((n >> 8) & 255)) 0 0 0 0 0 0)"
    printf '%s' "$s"
    local pad=$(((8 - n % 8) % 8))
    ((pad == 0)) || head -c $pad /dev/zero
}
{ nar_str nix-archive-1; nar_str '('; nar_str type; nar_str directory
  nar_str entry; nar_str '('; nar_str name; nar_str ..; nar_str node
  nar_str '('; nar_str type; nar_str regular; nar_str contents; nar_str x; nar_str ')'; nar_str ')'; nar_str ')'
} >"$T/dotdot.nar"
{ nar_str nix-archive-1; nar_str '('; nar_str type; nar_str directory
  for n in b a; do nar_str entry; nar_str '('; nar_str name; nar_str $n; nar_str node
      nar_str '('; nar_str type; nar_str regular; nar_str contents; nar_str x; nar_str ')'; nar_str ')'; done
  nar_str ')'
} >"$T/unsorted.nar"
head -c 300 "$T/tree.nar" >"$T/truncated.nar"
{ cat "$T/hi.nar"; printf garbage; } >"$T/trailing.nar"
mkdir "$T/existing"
echo keep >"$T/existing/file"
before=$(store_snapshot)
expect_error "not a NAR" cs store restore "$T/out" <<<"this is not a NAR"
expect_error "not a NAR" cs store restore "$T/out" </dev/null
expect_error "'..' is not allowed" cs store restore "$T/out" <"$T/dotdot.nar"
expect_error "not sorted" cs store restore "$T/out" <"$T/unsorted.nar"
expect_error "end of input" cs store restore "$T/out" <"$T/truncated.nar"
expect_error "after the end" cs store restore "$T/out" <"$T/trailing.nar"
[[ ! -e $T/out ]] || fail "a failed restore left $T/out behind"
expect_error "already exists" cs store restore "$T/existing" <"$T/hi.nar"
expect_eq "$(ls "$T/existing")" file "existing directory untouched"
expect_error "is not valid" cs store dump /store/00000000000000000000000000000000-gone
expect_error "not in the store" cs store dump "$T/hi"
expect_unchanged "$before" "failed dumps and restores"
echo "store_dump_restore: ok"
