#!/usr/bin/env bash
# `cstore gc [--dry-run] [--print-roots] [--print-dead] [--print-live] [--max-freed SIZE] [--json]`
# on a store with ~200 paths, reference chains and every kind of root.
source "$CSTORE_SRC/tests/lib/testlib.sh"
gcroots=$CSTORE_STORE/var/cstore/gcroots

# 150 independent paths, added in one command.
mkdir -p "$T/many"
for i in $(seq -w 1 150); do printf "item $i" >"$T/many/f$i"; done
mapfile -t many < <(cs store add "$T"/many/f*)
expect_eq "${#many[@]}" 150 "paths added"
# 10 chains of 4 paths, each level referring to the one below.
declare -A chain
for c in $(seq 0 9); do
    prev=""
    for l in 0 1 2 3; do
        echo "chain $c level $l $prev" >"$T/c$c-$l"
        prev=$(cs store add "$T/c$c-$l")
        chain[$c,$l]=$prev
    done
done
# A package with a file inside.
mkdir -p "$T/pkg/bin"
printf '#!/bin/sh\n' >"$T/pkg/bin/tool"
pkg=$(cs store add "$T/pkg")
all=$(valid_paths)
expect_eq "$(wc -l <<<"$all")" 191 "valid paths"

# Roots of every kind.
mkdir -p "$gcroots/profiles/per-user"
ln -s "${chain[0,3]}" "$gcroots/direct"                                # logical path
ln -s "$STORE/$(base "${chain[1,2]}")" "$gcroots/physical"             # physical path
ln -s "${many[0]}" "$gcroots/profiles/per-user/nested"                 # in a subdirectory
ln -s "$pkg/bin/tool" "$gcroots/into-object"                           # inside a store object
ln -s "${chain[3,3]}" "$T/result"                                      # indirect, like ./result
ln -s "$T/result" "$gcroots/auto/result-link"
: >"$gcroots/$(base "${many[2]}")"                                      # a file named like a store path
ln -s "$T/many" "$gcroots/auto/not-into-store"                         # target exists, not a root
live=$(printf '%s\n' "${chain[0,0]}" "${chain[0,1]}" "${chain[0,2]}" "${chain[0,3]}" \
    "${chain[1,0]}" "${chain[1,1]}" "${chain[1,2]}" "${many[0]}" "$pkg" \
    "${chain[3,0]}" "${chain[3,1]}" "${chain[3,2]}" "${chain[3,3]}" "${many[2]}" | LC_ALL=C sort)
dead=$(comm -23 <(echo "$all") <(echo "$live"))
expect_eq "$(wc -l <<<"$dead")" 177 "expected dead paths"

# --print-roots lists each root once, with its link.
roots=$(cs gc --print-roots)
expect_eq "$(wc -l <<<"$roots")" 6 "roots listed: $roots"
expect_contains "$roots" "$gcroots/direct -> ${chain[0,3]}" "direct root"
expect_contains "$roots" "$gcroots/physical -> ${chain[1,2]}" "physical root"
expect_contains "$roots" "$gcroots/profiles/per-user/nested -> ${many[0]}" "nested root"
expect_contains "$roots" "$gcroots/into-object -> $pkg" "root inside an object"
expect_contains "$roots" "$T/result -> ${chain[3,3]}" "indirect root"
expect_contains "$roots" "$gcroots/$(base "${many[2]}") -> ${many[2]}" "file root"
expect_eq "$(cs gc --print-roots --json | jq length)" 6 "roots as JSON"

# Dry runs delete nothing and list exactly the dead paths.
before=$(store_snapshot)
expect_eq "$(cs gc --print-dead 2>/dev/null | LC_ALL=C sort)" "$dead" "--print-dead"
expect_eq "$(cs gc --dry-run 2>"$T/log" | LC_ALL=C sort)" "$dead" "--dry-run"
expect_contains "$(cat "$T/log")" "177 store paths would be deleted" "dry-run summary"
expect_eq "$(cs gc --print-live)" "$live" "--print-live"
json=$(cs gc --dry-run --json)
expect_eq "$(jq -r '[.dead, .pathsDeleted, .dryRun, (.wouldDelete | length)] | join(" ")' <<<"$json")" \
    "177 0 true 177" "dry run as JSON"
expect_unchanged "$before" "dry runs"

# A stale indirect root and some leftovers in the store directory.
ln -s "$T/gone" "$gcroots/auto/stale"
mkdir -p "$STORE/00000000000000000000000000000000-junk/sub" "$STORE/.stage-999999999-3"
printf x >"$STORE/00000000000000000000000000000000-junk/sub/f"
printf x >"$STORE/not-a-store-path"

cs gc 2>"$T/log"
expect_contains "$(cat "$T/log")" "177 store paths deleted" "gc summary"
expect_eq "$(valid_paths)" "$live" "valid paths after gc"
expect_eq "$(store_entries)" "$(for p in $live; do base "$p"; done | LC_ALL=C sort)" "store contents after gc"
[[ ! -L $gcroots/auto/stale ]] || fail "stale indirect root not removed"
[[ -L $gcroots/auto/not-into-store && -L $gcroots/auto/result-link ]] || fail "live indirect links removed"
cs store verify --all --check-contents
expect_eq "$(cs gc --json | jq -r '[.pathsDeleted, .bytesFreed, .leftoversDeleted] | join(" ")')" "0 0 0" \
    "a second gc has nothing to do"

# Dropping a root frees its closure.
rm "$T/result"
cs gc 2>"$T/log"
expect_contains "$(cat "$T/log")" "4 store paths deleted" "gc after dropping ./result"
[[ ! -L $gcroots/auto/result-link ]] || fail "indirect root to a removed ./result not removed"

# --max-freed: stop once enough is freed. A path frees its NAR size: each
# file here is 1000 bytes, 1112 bytes as a NAR.
mkdir -p "$T/sized"
for i in $(seq 0 9); do head -c 1000 /dev/zero | tr '\0' "$i" >"$T/sized/s$i"; done
cs store add "$T"/sized/s* >/dev/null
expect_eq "$(cs path-info --json "$(cs store add "$T/sized/s0")" | jq '.[0].narSize')" 1112 "NAR size of a sized file"
cs gc --max-freed 1 2>"$T/log"
expect_contains "$(cat "$T/log")" "1 store paths deleted, 1.1 KiB freed" "--max-freed 1"
cs gc --max-freed 3K 2>"$T/log"
expect_contains "$(cat "$T/log")" "3 store paths deleted" "--max-freed 3K (3072 bytes: 2 paths are 2224, 3 are 3336)"
expect_eq "$(cs gc --json | jq -r '[.pathsDeleted, .bytesFreed] | join(" ")')" "6 6672" "the rest"
expect_eq "$(valid_paths | wc -l)" 10 "live paths left"

# Errors.
before=$(store_snapshot)
expect_error "invalid size '5X'" cs gc --max-freed 5X
expect_error "invalid size" cs gc --max-freed lots
expect_unchanged "$before" "gc with bad options"

# A collection killed half-way leaves a consistent store; the next one finishes the job.
for delay in 0.05 0.2; do
    mkdir -p "$T/doomed-$delay"
    for i in $(seq -w 1 200); do printf "doomed $delay $i" >"$T/doomed-$delay/d$i"; done
    cs store add "$T/doomed-$delay"/d* >/dev/null
    "$CSTORE" gc >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    cs store verify --all --check-contents || fail "store inconsistent after a killed gc"
    cs gc 2>/dev/null
    expect_eq "$(valid_paths | wc -l)" 10 "live paths after the killed gc (delay $delay)"
    expect_eq "$(store_entries | wc -l)" 10 "store entries after the killed gc (delay $delay)"
done
expect_eq "$(ls -A "$CSTORE_STORE/var/cstore/temproots")" "" "no temporary roots left"
echo "store_gc: ok"
