#!/usr/bin/env bash
# Builds a generated DAG of N trivial derivations (layers of WIDTH) from
# scratch in the sandbox, at -j1 and -j2, with cstore and with Nix 2.8
# (`nix-store -r --option sandbox true` on a chroot store), in the same run.
# Reports the per-build overhead (sandbox setup + registration) and speed-ups.
# Usage: bench/build/bench-build.sh [N] [WIDTH]
source "$(dirname "$0")/../lib.sh"
n=${1:-1000}
width=${2:-50}
here=$bench_root/build
mkdir -p "$BENCH_TMP/bb"
cp /usr/bin/busybox "$BENCH_TMP/bb/busybox"

# cstore: the derivations, layer by layer (a layer's inputs must exist first).
setup_cstore() {
  local root=$1
  chmod -R u+w "$root" 2>/dev/null || true; rm -rf "$root"
  local bb; bb=$("$CSTORE" --store "$root" store add --name bb "$BENCH_TMP/bb")
  echo '{}' > "$BENCH_TMP/known.json"
  : > "$BENCH_TMP/cstore-drvs"
  for ((k = 0; k * width < n; k++)); do
    python3 "$here/gen-dag.py" layer "$n" "$width" "$bb" "$k" "$BENCH_TMP/known.json" > "$BENCH_TMP/layer.json"
    "$CSTORE" --store "$root" derivation add < "$BENCH_TMP/layer.json" > "$BENCH_TMP/layer.drvs"
    cat "$BENCH_TMP/layer.drvs" >> "$BENCH_TMP/cstore-drvs"
    python3 - "$BENCH_TMP/known.json" "$BENCH_TMP/layer.drvs" "$k" "$width" "$root" "$CSTORE" <<'PY'
import json, subprocess, sys
known_file, drvs_file, k, width, root, cstore = sys.argv[1:7]
known = json.load(open(known_file))
drvs = open(drvs_file).read().split()
shown = json.loads(subprocess.check_output([cstore, "--store", root, "show-derivation"] + drvs))
for j, d in enumerate(drvs):
    known[str(int(k) * int(width) + j)] = {"drv": d, "out": shown[d]["outputs"]["out"]["path"]}
json.dump(known, open(known_file, "w"))
PY
  done
}

setup_nix() {
  local root=$1
  chmod -R u+w "$root" 2>/dev/null || true; rm -rf "$root"
  python3 "$here/gen-dag.py" nix "$n" "$width" "$BENCH_TMP/bb" > "$BENCH_TMP/dag.nix"
  nix-instantiate --store "local?root=$root&store=/store" "$BENCH_TMP/dag.nix" 2>/dev/null > "$BENCH_TMP/nix-drvs"
}

run_cstore() { "$CSTORE" --store "$1" realise -j "$2" $(cat "$BENCH_TMP/cstore-drvs"); }
run_nix() { nix-store --store "local?root=$1&store=/store" -r -j "$2" --option sandbox true $(cat "$BENCH_TMP/nix-drvs"); }

echo "== $n trivial derivations, layers of $width, built from scratch in the sandbox"
row "" "seconds" "ms/build" "vs nix"
declare -A t
for j in 1 2; do
  setup_cstore "$BENCH_TMP/c$j"
  settle
  t[c$j]=$(seconds run_cstore "$BENCH_TMP/c$j" "$j")
  setup_nix "$BENCH_TMP/n$j"
  settle
  t[n$j]=$(seconds run_nix "$BENCH_TMP/n$j" "$j")
  [[ $(sort "$BENCH_TMP/cstore-drvs" | md5sum) == $(sort "$BENCH_TMP/nix-drvs" | md5sum) ]] && same=yes || same=no
  row "nix-store -r -j$j (anchor)" "${t[n$j]}" "$(echo "scale=2; ${t[n$j]} * 1000 / $n" | bc -l)" "1.00"
  row "cstore realise -j$j" "${t[c$j]}" "$(echo "scale=2; ${t[c$j]} * 1000 / $n" | bc -l)" "$(ratio "${t[n$j]}" "${t[c$j]}")"
done
echo "same .drv paths as Nix: $same"
echo "cstore speed-up -j2 over -j1: $(ratio "${t[c1]}" "${t[c2]}")x; nix: $(ratio "${t[n1]}" "${t[n2]}")x"
echo "goal: <= 4 ms per build at -j1, >= 4x Nix"
