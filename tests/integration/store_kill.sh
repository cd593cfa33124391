#!/usr/bin/env bash
# SIGKILL during `cstore store add` of a big tree, at several points: the
# store stays consistent, and GC removes whatever the killed process left.
source "$CSTORE_SRC/tests/lib/testlib.sh"

big=$T/big
mkdir -p "$big/files/sub"
head -c $((8 << 20)) /dev/urandom >"$big/blob"
head -c $((1 << 20)) /dev/urandom | split -b 2k -a 3 - "$big/files/f"
printf x >"$big/files/sub/last"
expected=$(CSTORE_STORE=$T/reference cs store add "$big")
printf keep >"$T/keep"
keep=$(cs store add "$T/keep")
ln -s "$keep" "$CSTORE_STORE/var/cstore/gcroots/keep"

# wait_for GLOB: polls (up to ~20 s) until something matches.
wait_for() {
    for _ in $(seq 2000); do
        compgen -G "$1" >/dev/null && return 0
        sleep 0.01
    done
    return 1
}

for when in staging staging+0.1 final; do
    "$CSTORE" store add "$big" >"$T/out" 2>&1 &
    pid=$!
    case $when in
        staging) wait_for "$STORE/.stage-*" || true ;;
        staging+0.1) wait_for "$STORE/.stage-*" || true; sleep 0.1 ;;
        final) wait_for "$STORE/$(base "$expected")*" || true ;;
    esac
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true

    cs store verify --all --check-contents || fail "inconsistent store after SIGKILL ($when)"
    state=$(valid_paths)
    [[ $state == "$keep" || $state == "$(printf '%s\n' "$keep" "$expected" | LC_ALL=C sort)" ]] ||
        fail "unexpected valid paths after SIGKILL ($when): $state"
    cs gc 2>/dev/null
    expect_eq "$(store_entries)" "$(base "$keep")" "store contents after gc ($when)"
    expect_eq "$(valid_paths)" "$keep" "valid paths after gc ($when)"
    expect_eq "$(ls -A "$CSTORE_STORE/var/cstore/temproots")" "" "temporary roots after gc ($when)"
done

# The interrupted add can simply be run again.
expect_eq "$(cs store add "$big")" "$expected" "adding after the kills"
cs store verify --all --check-contents
expect_eq "$(cs hash path "$STORE/$(base "$expected")")" "$(cs hash path "$big")" "the tree is intact"
echo "store_kill: ok"
