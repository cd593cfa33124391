#!/usr/bin/env bash
# Instantiates a generated graph of N derivations (bench/instantiate/graph.cbl,
# also valid Nix) with `cstore instantiate` and `nix-instantiate` in the same
# run: writing every .drv into a fresh store (cstore: a temporary store root;
# Nix: a chroot store with the same store directory), and computing the paths
# only (--read-only / --readonly-mode). Runs alternate between the two tools
# (the machine's load changes), the best of RUNS counts; CPU seconds
# (user + system) are shown too. Checks that both print the same paths.
# Usage: bench/instantiate/bench-instantiate.sh [N] [RUNS]   (N: derivations, default 10000)
source "$(dirname "$0")/../lib.sh"
count=${1:-10000}
runs=${2:-3}
graph=$bench_root/instantiate/graph.cbl
export NIX_STORE_DIR=/store   # for --readonly-mode (the chroot store sets it itself)

fresh() { chmod -R u+w "$BENCH_TMP/s" 2>/dev/null || true; rm -rf "$BENCH_TMP/s"; sync; }
nix_write() { nix-instantiate --store "local?root=$BENCH_TMP/s&store=/store" --arg n "$count" "$graph"; }
cstore_write() { "$CSTORE" --store "$BENCH_TMP/s" instantiate --arg n "$count" "$graph"; }
nix_read() { nix-instantiate --readonly-mode --store "$BENCH_TMP/ro" --arg n "$count" "$graph"; }
cstore_read() { "$CSTORE" --store "$BENCH_TMP/ro" instantiate --read-only --arg n "$count" "$graph"; }

# measure NAME FN [SETUP]: runs FN once; keeps the best wall and CPU seconds in best_wall[NAME], best_cpu[NAME].
declare -A best_wall best_cpu
measure() {
  local name=$1 fn=$2 setup=${3:-}
  [[ -n $setup ]] && $setup
  /usr/bin/time -f "%e %U %S" -o "$BENCH_TMP/time" bash -c "$(declare -f "$fn"); $fn" \
    > "$BENCH_TMP/$name.out" 2>/dev/null || { echo "$name failed" >&2; exit 1; }
  local wall cpu
  read -r wall user sys < "$BENCH_TMP/time"
  cpu=$(echo "$user + $sys" | bc -l)
  if [[ -z ${best_wall[$name]:-} ]] || (( $(echo "$wall < ${best_wall[$name]}" | bc -l) )); then best_wall[$name]=$wall; fi
  if [[ -z ${best_cpu[$name]:-} ]] || (( $(echo "$cpu < ${best_cpu[$name]}" | bc -l) )); then best_cpu[$name]=$cpu; fi
}
export BENCH_TMP CSTORE graph count

for ((r = 0; r < runs; r++)); do
  measure nix_write nix_write fresh
  measure cstore_write cstore_write fresh
  measure nix_read nix_read
  measure cstore_read cstore_read
done

echo "== instantiating a graph of $count derivations (best of $runs, alternating)"
printf '%-34s %9s %9s %9s %9s %8s\n' "" "wall s" "drv/s" "CPU s" "vs nix" "(CPU)"
show() {
  local label=$1 name=$2 anchor=$3
  printf '%-34s %9s %9s %9s %9s %8s\n' "$label" "${best_wall[$name]}" "$(echo "$count / ${best_wall[$name]}" | bc)" \
    "${best_cpu[$name]}" "$(ratio "${best_wall[$anchor]}" "${best_wall[$name]}")" \
    "$(ratio "${best_cpu[$anchor]}" "${best_cpu[$name]}")"
}
show "nix-instantiate (anchor)" nix_write nix_write
show "cstore instantiate" cstore_write nix_write
show "nix-instantiate --readonly-mode" nix_read nix_read
show "cstore instantiate --read-only" cstore_read nix_read
same=no
cmp -s "$BENCH_TMP/nix_write.out" "$BENCH_TMP/cstore_write.out" &&
  cmp -s "$BENCH_TMP/nix_read.out" "$BENCH_TMP/cstore_read.out" &&
  cmp -s "$BENCH_TMP/nix_write.out" "$BENCH_TMP/cstore_read.out" && same=yes
echo "same .drv paths as Nix: $same ($(wc -l < "$BENCH_TMP/cstore_write.out") printed)"
echo "goal: >= 2x Nix (writing)"
