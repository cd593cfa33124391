#!/usr/bin/env bash
# `cstore store verify [--check-contents] [--all] [--json] [PATH...]`.
source "$CSTORE_SRC/tests/lib/testlib.sh"

printf hello >"$T/f.txt"
a=$(cs store add "$T/f.txt")
mkdir -p "$T/tree/sub"
printf x >"$T/tree/sub/x"
b=$(cs store add "$T/tree")
printf c >"$T/c"
c=$(cs store add "$T/c")

cs store verify --all || fail "a fresh store should verify"
cs store verify --all --check-contents || fail "a fresh store should verify with --check-contents"
cs store verify --check-contents "$a" "$b" || fail "verify named paths"
expect_eq "$(cs store verify --all --json)" "[]" "no problems as JSON"

# A file modified behind the store's back (it is read-only: chmod u+w first).
chmod u+w "$STORE/$(base "$b")/sub" "$STORE/$(base "$b")/sub/x"
printf y >"$STORE/$(base "$b")/sub/x"
chmod a-w "$STORE/$(base "$b")/sub/x" "$STORE/$(base "$b")/sub"
cs store verify --all || fail "without --check-contents only existence is checked"
rc=0
out=$(cs store verify --all --check-contents 2>&1) || rc=$?
expect_eq "$rc" 1 "exit code with a corrupt path"
expect_contains "$out" "path '$b' is corrupt: NAR hash is" "corrupt path reported"
expect_contains "$out" "1 problem(s) found" "summary"
[[ $out != *"$a"* ]] || fail "intact path reported: $out"

# A path whose files are gone.
chmod -R u+w "$STORE/$(base "$c")" 2>/dev/null || true
rm -rf "${STORE:?}/$(base "$c")"
rc=0
out=$(cs store verify --all 2>&1) || rc=$?
expect_eq "$rc" 1 "exit code with a missing path"
expect_contains "$out" "path '$c' is missing" "missing path reported"
rc=0
json=$(cs store verify --all --check-contents --json) || rc=$?
expect_eq "$rc" 1 "exit code with --json"
expect_eq "$(jq -r 'map(.path + " " + .problem) | sort | join(",")' <<<"$json")" \
    "$(printf '%s\n' "$b corrupt" "$c missing" | LC_ALL=C sort | paste -sd ,)" "JSON problems"
# Only the named path is checked.
cs store verify --check-contents "$a" || fail "verify of an intact named path"
expect_eq "$(cs store verify --check-contents "$b" 2>&1 | grep -c corrupt)" 1 "named corrupt path"
# An unregistered path is reported as missing.
rc=0
out=$(cs store verify /store/00000000000000000000000000000000-gone 2>&1) || rc=$?
expect_eq "$rc" 1 "exit code for an unregistered path"
expect_contains "$out" "not registered" "unregistered path"

# Errors.
expect_error "--all" cs store verify
expect_error "is not in the store" cs store verify "$T/f.txt"
echo "store_verify: ok"
