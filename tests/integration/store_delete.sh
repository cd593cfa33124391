#!/usr/bin/env bash
# `cstore store delete PATH...`: refuses paths that something refers to or a root keeps alive.
source "$CSTORE_SRC/tests/lib/testlib.sh"

printf A >"$T/a"
a=$(cs store add "$T/a")
echo "needs $a" >"$T/b"
b=$(cs store add "$T/b")
printf C >"$T/c"
c=$(cs store add "$T/c")
printf D >"$T/d"
d=$(cs store add "$T/d")
# Deletable paths around the others, whatever order the hashes give.
extra=()
for i in 1 2 3 4 5; do
    printf "E$i" >"$T/e$i"
    extra+=("$(cs store add "$T/e$i")")
done

# Referenced: refused, naming the referrer, nothing changed.
before=$(store_snapshot)
expect_error "still referenced by $b" cs store delete "$a"
expect_unchanged "$before" "refused delete"

# Rooted: refused.
ln -s "$c" "$CSTORE_STORE/var/cstore/gcroots/keep-c"
before=$(store_snapshot)
expect_error "still alive" cs store delete "$c"
expect_unchanged "$before" "delete of a rooted path"

# All-or-nothing: one deletable and one refused path delete nothing.
expect_error "still referenced" cs store delete "$d" "${extra[@]}" "$a"
expect_unchanged "$before" "delete of deletable paths and a referenced path"
expect_error "still alive" cs store delete "${extra[@]}" "$c" "$d"
expect_unchanged "$before" "delete of deletable paths and a rooted path"
cs store delete "${extra[@]}" 2>/dev/null
before=$(store_snapshot)

# Errors for paths that are not valid or not in the store.
expect_error "not a valid path" cs store delete /store/00000000000000000000000000000000-gone
expect_error "not in the store" cs store delete "$T/a"
expect_unchanged "$before" "failed deletes"

# A referrer and its reference together, in either order: both go.
cs store delete "$a" "$b" 2>"$T/log" || fail "deleting b and a together: $(cat "$T/log")"
expect_contains "$(cat "$T/log")" "2 store paths deleted" "delete summary"
[[ ! -e $STORE/$(base "$a") && ! -e $STORE/$(base "$b") ]] || fail "files of deleted paths remain"
expect_eq "$(valid_paths)" "$(printf '%s\n' "$c" "$d" | LC_ALL=C sort)" "valid paths after delete"
cs store delete "$d"
expect_eq "$(store_entries)" "$(base "$c")" "store contents after deletes"
rm "$CSTORE_STORE/var/cstore/gcroots/keep-c"
cs store delete "$c"
expect_eq "$(store_entries)" "" "store empty"
expect_eq "$(sqlite3 "$DB" 'select count(*) from Refs')" 0 "no references left"
cs store verify --all --check-contents
echo "store_delete: ok"
