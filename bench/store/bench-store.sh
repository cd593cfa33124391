#!/usr/bin/env bash
# Store benchmarks, side by side with Nix 2.8 in the same run:
#   1. NAR serialise + SHA-256 of a 1 GiB tree of mixed file sizes:
#      `cstore hash path` vs `nix hash path`, anchored on `openssl speed -evp sha256`.
#   2. `cstore store add` vs `nix-store --add` of the same tree into empty stores.
#   3. GC of 10,000 dead paths: `cstore gc` vs `nix-store --gc`, once with
#      both stores on the VM's disk and once on tmpfs (/dev/shm), where an
#      unlink does not wait for the device (see README.md: the discard ceiling).
# Usage: bench/store/bench-store.sh [SIZE_BYTES] [GC_PATHS]
# Environment: GC_ROUNDS (default 3): tmpfs GC rounds, the best is kept;
# GC_ONLY=1 runs the GC comparisons only.
source "$(dirname "$0")/../lib.sh"
size=${1:-$((1 << 30))}
gcPaths=${2:-10000}
gcRounds=${GC_ROUNDS:-3}
SHM_TMP=$(mktemp -d /dev/shm/cstore-bench.XXXXXX)
trap 'chmod -R u+w "$BENCH_TMP" "$SHM_TMP" 2>/dev/null; rm -rf "$BENCH_TMP" "$SHM_TMP"' EXIT

if [[ -z ${GC_ONLY:-} ]]; then
tree=$BENCH_TMP/tree
python3 "$bench_root/gen-tree.py" "$tree" "$size" 2>/dev/null
cat "$tree"/*/*/* >/dev/null 2>&1 || true  # warm the page cache

echo "== NAR hash of $(du -sh "$tree" | cut -f1) ($(find "$tree" -type f | wc -l) files)"
raw=$(openssl speed -evp sha256 -seconds 2 -bytes 16384 2>/dev/null | awk '/^sha256/ {print $NF}' | tr -d k)
rawMBps=$(echo "scale=0; $raw * 1000 / 1000000" | bc -l)
tc=$(best_of 3 "$CSTORE" hash path "$tree")
tn=$(best_of 3 nix hash path "$tree")
row "" "seconds" "MB/s" "ratio"
row "openssl speed -evp sha256 (anchor)" "-" "$rawMBps" "1.00"
row "cstore hash path" "$tc" "$(mbps "$size" "$tc")" "$(ratio "$(mbps "$size" "$tc")" "$rawMBps")"
row "nix hash path" "$tn" "$(mbps "$size" "$tn")" "$(ratio "$(mbps "$size" "$tn")" "$rawMBps")"
echo "cstore/openssl: $(ratio "$(mbps "$size" "$tc")" "$rawMBps") (goal >= 0.95); cstore vs nix: $(ratio "$tn" "$tc")x"

echo "== store add of the same tree into an empty store"
clean_add() { chmod -R u+w "$BENCH_TMP/rc" "$BENCH_TMP/rn" 2>/dev/null || true; rm -rf "$BENCH_TMP/rc" "$BENCH_TMP/rn"; }
SETUP=clean_add
# Alternating, so that both tools meet the same conditions: how fast new
# page-cache pages can be written varies on this VM from one minute to the
# next (see README.md), more than either tool's own cost.
tc=""
tn=""
for ((round = 0; round < 3; round++)); do
  t=$(best_of 1 "$CSTORE" --store "$BENCH_TMP/rc" store add "$tree")
  if [[ -z $tc ]] || (( $(echo "$t < $tc" | bc -l) )); then tc=$t; fi
  t=$(best_of 1 nix-store --store "local?root=$BENCH_TMP/rn&store=/store" --add "$tree")
  if [[ -z $tn ]] || (( $(echo "$t < $tn" | bc -l) )); then tn=$t; fi
done
SETUP=
row "" "seconds" "MB/s" "ratio"
row "nix-store --add (anchor)" "$tn" "$(mbps "$size" "$tn")" "1.00"
row "cstore store add" "$tc" "$(mbps "$size" "$tc")" "$(ratio "$tn" "$tc")"
echo "cstore vs nix: $(ratio "$tn" "$tc")x (goal >= 2)"
clean_add

fi

files=$BENCH_TMP/files
mkdir -p "$files"
for ((i = 0; i < gcPaths; i++)); do echo "dead path $i" > "$files/f$i"; done

# gc_run DIR TOOL: fills a fresh store of TOOL (cstore or nix) under DIR with
# the dead paths, collects it and prints the collection's seconds. TOOL rm
# fills a cstore store and times `rm -rf` of its store directory: the floor.
gc_run() {
  local dir=$1 tool=$2 t
  chmod -R u+w "$dir" 2>/dev/null || true
  rm -rf "$dir"
  if [[ $tool == cstore || $tool == rm ]]; then
    "$CSTORE" --store "$dir" store add "$files"/* >/dev/null
    [[ $dir == "$BENCH_TMP"/* ]] && settle
    if [[ $tool == rm ]]; then
      t=$(seconds rm -rf "$dir/store")
      mkdir "$dir/store"
    else
      t=$(seconds "$CSTORE" --store "$dir" gc)
    fi
    left=$(ls "$dir/store" | wc -l)
  else
    (cd "$files" && ls | xargs nix-store --store "local?root=$dir&store=/store" --add >/dev/null)
    [[ $dir == "$BENCH_TMP"/* ]] && settle
    t=$(seconds nix-store --store "local?root=$dir&store=/store" --gc)
    left=$(find "$dir" -path '*/store/*' -prune ! -name .links -print | wc -l)  # Nix keeps .links
  fi
  [[ $left == 0 ]] || echo "warning: $left entries left in the $tool store after GC" >&2
  chmod -R u+w "$dir" 2>/dev/null || true
  rm -rf "$dir"
  echo "$t"
}

# gc_compare LABEL DIR ROUNDS: the best of ROUNDS collections by each tool, alternating.
gc_compare() {
  local label=$1 dir=$2 rounds=$3 tc="" tn="" tr="" t
  for ((r = 0; r < rounds; r++)); do
    t=$(gc_run "$dir/c" cstore)
    if [[ -z $tc ]] || (( $(echo "$t < $tc" | bc -l) )); then tc=$t; fi
    t=$(gc_run "$dir/n" nix)
    if [[ -z $tn ]] || (( $(echo "$t < $tn" | bc -l) )); then tn=$t; fi
    t=$(gc_run "$dir/r" rm)
    if [[ -z $tr ]] || (( $(echo "$t < $tr" | bc -l) )); then tr=$t; fi
  done
  echo "== GC of $gcPaths dead paths, $label (best of $rounds)"
  row "" "seconds" "paths/s" "ratio"
  row "nix-store --gc (anchor)" "$tn" "$(echo "scale=0; $gcPaths / $tn" | bc -l)" "1.00"
  row "cstore gc" "$tc" "$(echo "scale=0; $gcPaths / $tc" | bc -l)" "$(ratio "$tn" "$tc")"
  row "rm -rf of the same files (floor)" "$tr" "$(echo "scale=0; $gcPaths / $tr" | bc -l)" "$(ratio "$tn" "$tr")"
  echo "cstore: $(echo "scale=0; $gcPaths / $tc" | bc -l) paths/s (goal >= 100000), $(ratio "$tn" "$tc")x nix"
}

disk="$(findmnt -no FSTYPE -T "$BENCH_TMP")$(findmnt -no OPTIONS -T "$BENCH_TMP" | grep -qw discard && echo ", discard")"
gc_compare "stores on the VM disk ($disk)" "$BENCH_TMP/gc" 1
gc_compare "stores on tmpfs (/dev/shm)" "$SHM_TMP/gc" "$gcRounds"
