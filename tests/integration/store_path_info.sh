#!/usr/bin/env bash
# `cstore path-info [-r] [-s] [-S] [--json] [--sigs]`.
source "$CSTORE_SRC/tests/lib/testlib.sh"

printf hello >"$T/f.txt"
a=$(cs store add "$T/f.txt")
mkdir -p "$T/b/bin"
echo "uses $a" >"$T/b/bin/tool"
b=$(cs store add "$T/b")
echo "uses $b" >"$T/c"
c=$(cs store add "$T/c")
size() { cs path-info --json "$1" | jq -r '.[0].narSize'; }
sa=$(size "$a") sb=$(size "$b") sc=$(size "$c")
expect_eq "$sa" 120 "narSize of f.txt"

# Plain, recursive (closure, sorted), several paths.
expect_eq "$(cs path-info "$c")" "$c" "path-info"
expect_eq "$(cs path-info -r "$c")" "$(printf '%s\n' "$a" "$b" "$c" | LC_ALL=C sort)" "path-info -r"
expect_eq "$(cs path-info --recursive "$a")" "$a" "closure of a leaf"
expect_eq "$(cs path-info "$c" "$a")" "$(printf '%s\n' "$a" "$c" | LC_ALL=C sort)" "two paths"

# -s and -S: columns with the NAR size and the closure size.
read -r p1 n1 <<<"$(cs path-info -s "$a")"
expect_eq "$p1 $n1" "$a 120" "path-info -s"
read -r p2 n2 n3 <<<"$(cs path-info -sS "$c")"
expect_eq "$p2 $n2 $n3" "$c $sc $((sa + sb + sc))" "path-info -sS"
read -r _ n4 <<<"$(cs path-info --closure-size "$b")"
expect_eq "$n4" "$((sa + sb))" "path-info -S"
expect_eq "$(cs path-info -rS "$c" | wc -l)" 3 "path-info -rS lines"

# JSON: the fields of `nix path-info --json` (2.8).
json=$(cs path-info --json "$b")
expect_eq "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$json")" \
    "path,narHash,narSize,references,ca,registrationTime" "JSON fields"
expect_eq "$(jq -r '.[0].path' <<<"$json")" "$b" "JSON path"
expect_eq "$(jq -r '.[0].references | join(" ")' <<<"$json")" "$a" "JSON references"
expect_eq "$(jq -r '.[0].narHash' <<<"$json")" "$(cs hash path "$T/b")" "JSON narHash is the SRI NAR hash"
[[ $(jq -r '.[0].registrationTime' <<<"$json") -gt 1600000000 ]] || fail "registrationTime: $json"
expect_eq "$(cs path-info --json -r "$c" | jq -r 'map(.path) | join(" ")')" \
    "$(printf '%s\n' "$a" "$b" "$c" | LC_ALL=C sort | paste -sd ' ')" "JSON -r"
expect_eq "$(cs path-info --json -S "$c" | jq -r '.[0].closureSize')" "$((sa + sb + sc))" "JSON closureSize"
expect_eq "$(cs path-info --json "$a" | jq -r '.[0].ca')" \
    fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa "JSON ca"

# Signatures column (none yet) and sigs in JSON once present.
expect_eq "$(cs path-info --sigs "$a" | cut -f2)" "" "no signatures"
sqlite3 "$DB" "update ValidPaths set sigs = 'k1:AAAA k2:BBBB' where path = '$a'"
expect_eq "$(cs path-info --sigs "$a" | cut -f2)" "k1:AAAA k2:BBBB" "signatures column"
expect_eq "$(cs path-info --json "$a" | jq -r '.[0].signatures | join(" ")')" "k1:AAAA k2:BBBB" "JSON signatures"

# Ways to name a path: physical location, inside the object, a link to it.
expect_eq "$(cs path-info "$STORE/$(base "$b")")" "$b" "physical path"
expect_eq "$(cs path-info "$b/bin/tool")" "$b" "path inside an object"
ln -s "$b" "$T/result"
expect_eq "$(cs path-info "$T/result")" "$b" "link to the object"

# Errors.
before=$(store_snapshot)
expect_error "is not valid" cs path-info /store/00000000000000000000000000000000-gone
expect_error "is not in the store" cs path-info "$T/f.txt"
expect_error "is not in the store" cs path-info /nix/store/00000000000000000000000000000000-x
expect_error "invalid hash part" cs path-info /store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-x
expect_error "is not valid" cs path-info -r "$a" /store/00000000000000000000000000000000-gone
expect_unchanged "$before" "failed path-info"
echo "store_path_info: ok"
