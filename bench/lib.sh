# Shared helpers for the side-by-side benchmark scripts.
# shellcheck shell=bash
set -euo pipefail

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_root=$(cd "$bench_root/.." && pwd)
CSTORE=${CSTORE:-$src_root/build/cli/cstore}
[[ -x $CSTORE ]] || { echo "build cstore first (scripts/build), or set CSTORE" >&2; exit 1; }
export NIX_CONFIG=$'experimental-features = nix-command\nsubstituters =\nsandbox = false'

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cstore-bench.XXXXXX")
export HOME=$BENCH_TMP/home
mkdir -p "$HOME"
trap 'chmod -R u+w "$BENCH_TMP" 2>/dev/null; rm -rf "$BENCH_TMP"' EXIT

# seconds CMD...: runs CMD (output discarded), prints wall-clock seconds.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# best_of N CMD...: the fastest of N runs (a setup function named by $SETUP runs before each).
best_of() {
  local n=$1; shift
  local best=""
  for ((i = 0; i < n; i++)); do
    [[ -n ${SETUP:-} ]] && $SETUP
    sync
    local t; t=$(seconds "$@")
    if [[ -z $best ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}

mbps() { echo "scale=0; $1 / 1000000 / $2" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }

row() { printf '%-34s %10s %10s %8s\n' "$@"; }

# settle: waits until files deleted by the previous step no longer slow down
# creating new ones. On ext4 without a journal (this VM's disk), each new inode
# is allocated past every inode freed in the last `dirty_expire_centisecs`
# (30 s), checking each one, so a run that follows a big deletion (a store
# removed, another tool's build directories) pays for it. BENCH_SETTLE=0 skips it.
# Not for benchmarks that read a lot: while idle, this VM's DAMON-based reclaim
# (kdamond) drops cold page cache, and the run then reads from the disk.
settle() {
  sync
  sleep "${BENCH_SETTLE:-31}"
}
