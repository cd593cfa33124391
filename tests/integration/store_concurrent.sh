#!/usr/bin/env bash
# Two `cstore store add` processes adding the same tree at the same time
# (to a fresh store and to an existing one) both succeed; the path is written once.
source "$CSTORE_SRC/tests/lib/testlib.sh"

tree=$T/tree
mkdir -p "$tree/sub"
head -c $((8 << 20)) /dev/urandom >"$tree/blob"
for i in $(seq 1 50); do printf "$i" >"$tree/sub/f$i"; done

for round in fresh-1 fresh-2 fresh-3 existing; do
    export CSTORE_STORE=$T/root-$round
    [[ $round != existing ]] || { CSTORE_STORE=$T/root-fresh-1; printf "$round" >"$tree/round"; }
    STORE=$CSTORE_STORE/store DB=$CSTORE_STORE/var/cstore/db.sqlite
    n_before=$( [[ -e $DB ]] && valid_paths | wc -l || echo 0)
    "$CSTORE" store add "$tree" >"$T/a.out" 2>"$T/a.err" &
    a=$!
    "$CSTORE" store add "$tree" >"$T/b.out" 2>"$T/b.err" &
    b=$!
    wait "$a" || fail "first add failed ($round): $(cat "$T/a.err")"
    wait "$b" || fail "second add failed ($round): $(cat "$T/b.err")"
    expect_eq "$(cat "$T/a.out")" "$(cat "$T/b.out")" "both print the same path ($round)"
    p=$(cat "$T/a.out")
    expect_eq "$(valid_paths | wc -l)" $((n_before + 1)) "one new valid path ($round)"
    expect_eq "$(store_entries | grep -c .)" $((n_before + 1)) "no leftovers ($round)"
    expect_eq "$(sqlite3 "$DB" "select count(*) from ValidPaths where path = '$p'")" 1 "registered once ($round)"
    cs store verify --all --check-contents
done
echo "store_concurrent: ok"
