# Shared helpers for the shell tests in tests/integration and tests/compat.
# Source it first thing:   source "$CSTORE_SRC/tests/lib/testlib.sh"
#
# It gives every test a fresh temporary directory $T (removed on exit), a
# store root $T/root exported as CSTORE_STORE, and a HOME inside $T, so no
# test touches /store, /nix or the user's home.
set -euo pipefail

: "${CSTORE:?set CSTORE to the cstore binary (ctest does this)}"
: "${CSTORE_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

T=$(mktemp -d "${TMPDIR:-/tmp}/cstore-test.XXXXXX")
_testlib_cleanup() {
    local rc=$?
    # Stop background jobs the test left running, then make read-only store files deletable.
    local pids
    pids=$(jobs -p) || true
    [[ -z $pids ]] || kill -9 $pids 2>/dev/null || true
    wait 2>/dev/null || true
    chmod -R u+w "$T" 2>/dev/null || true
    rm -rf "$T"
    exit $rc
}
trap _testlib_cleanup EXIT

export CSTORE_STORE=$T/root
export HOME=$T/home
export XDG_CONFIG_HOME=$T/config
unset CSTORE_CONFIG
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
STORE=$CSTORE_STORE/store     # where the store objects really are
DB=$CSTORE_STORE/var/cstore/db.sqlite

cs() { "$CSTORE" "$@"; }

fail() {
    # Name the test script's line, not a helper's.
    local i=1
    while [[ ${BASH_SOURCE[i]:-} == */testlib.sh ]]; do i=$((i + 1)); done
    echo "FAIL (${BASH_SOURCE[i]##*/}:${BASH_LINENO[i - 1]}): $*" >&2
    exit 1
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
    [[ $1 == "$2" ]] || fail "$3: expected '$2', got '$1'"
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
    [[ $1 == *"$2"* ]] || fail "$3: expected to find '$2' in: $1"
}

# expect_error SUBSTRING COMMAND...: the command fails with exactly one line
# on stderr, starting "error:" and containing SUBSTRING; stdout stays empty.
expect_error() {
    local want=$1 out err rc=0
    shift
    out=$("$@" 2>"$T/.stderr") || rc=$?
    err=$(cat "$T/.stderr")
    ((rc != 0)) || fail "expected '$*' to fail, it succeeded (stdout: $out)"
    [[ -n $err ]] || fail "'$*' failed (exit $rc) without an error message"
    [[ $(printf '%s\n' "$err" | wc -l) -eq 1 ]] || fail "'$*' should print one error line, got: $err"
    [[ $err == error:* ]] || fail "'$*' error should start with 'error:': $err"
    [[ $err == *"$want"* ]] || fail "'$*' error should mention '$want': $err"
    [[ -z $out ]] || fail "'$*' failed but printed to stdout: $out"
}

# A fingerprint of the whole store: every file with its mode, size and
# mtime, plus the database contents. Equal snapshots = an unchanged store.
store_snapshot() {
    (
        cd "$CSTORE_STORE"
        # The mtimes of the store and gcroots directories themselves change
        # when a failed operation creates and removes its temporary files.
        find store var/cstore/gcroots -printf '%p %y %m %s %T@ %l\n' |
            awk '$1 == "store" || $1 ~ /^var\// && $2 == "d" { $5 = "-" } { print }' | LC_ALL=C sort
        sqlite3 "$DB" .dump
    )
}

# expect_unchanged SNAPSHOT WHAT: the store still matches an earlier snapshot.
expect_unchanged() {
    local now
    now=$(store_snapshot)
    if [[ $now != "$1" ]]; then
        diff <(printf '%s\n' "$1") <(printf '%s\n' "$now") >&2 || true
        fail "$2: the store changed"
    fi
}

# The valid paths, one per line, sorted.
valid_paths() { sqlite3 "$DB" 'select path from ValidPaths order by path'; }

# The entries of the physical store directory, sorted.
store_entries() { ls -A "$STORE" | LC_ALL=C sort; }

# Base name of the logical path printed by cstore.
base() { echo "${1##*/}"; }

# Nix, kept away from /nix and the user's home (compat tests).
use_nix() {
    command -v nix-store >/dev/null || fail "nix-store is not installed (apt-get install nix-bin)"
    export NIX_CONFIG=$'experimental-features = nix-command\nsubstituters ='
    NIXSTORE="local?root=$T/nixroot&store=/store"
}

# make_tricky_tree DIR: a tree with every kind of node and awkward names and
# sizes, for comparing NAR serialisations with Nix.
make_tricky_tree() {
    local d=$1 deep i
    mkdir -p "$d/empty-dir" "$d/dir with spaces/inner" "$d/unicodé-ü-日本" "$d/sub"
    printf 'plain\n' >"$d/a"
    printf 'upper\n' >"$d/B"                           # sorts before a
    printf 'Z\n' >"$d/Z"
    printf '_\n' >"$d/_"
    : >"$d/empty-file"
    printf '#!/bin/sh\necho hi\n' >"$d/exe"
    chmod 0755 "$d/exe"
    printf 'owner x only\n' >"$d/exe-0744"
    chmod 0744 "$d/exe-0744"
    printf 'group and other x, not owner\n' >"$d/not-exe-0654"
    chmod 0654 "$d/not-exe-0654"
    printf 'x\n' >"$d/dir with spaces/inner/file with spaces"
    printf 'u\n' >"$d/unicodé-ü-日本/ファイル"
    printf 'tab\n' >"$d/sub/name"$'\t'"with tab"
    printf 'nl\n' >"$d/sub/name"$'\n'"with newline"
    printf 'odd\n' >"$d/sub/:colon~tilde*star?"
    printf 'long\n' >"$d/sub/$(printf 'L%.0s' {1..255})"
    ln -s a "$d/link-relative"
    ln -s /nonexistent/target "$d/link-dangling"
    ln -s "dir with spaces/inner" "$d/link-to-dir"
    ln -s "$(printf 't%.0s' {1..1000})" "$d/link-long-target"
    # Sizes around buffer boundaries: 64 KiB, 256 KiB and 1 MiB (+3).
    mkdir -p "$d/sizes"
    for i in 1 7 8 9 65535 65536 65537 262145 $((1024 * 1024 + 3)); do
        head -c "$i" /dev/urandom >"$d/sizes/s$i"
    done
    deep=$d/deep
    for i in $(seq 1 60); do deep=$deep/level$i; done
    mkdir -p "$deep"
    printf 'bottom\n' >"$deep/bottom"
}
