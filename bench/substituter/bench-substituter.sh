#!/usr/bin/env bash
# Binary cache benchmarks, side by side with Nix 2.8 in the same run:
#   1. publishing a generated closure (~1 GiB, a few hundred paths) with zstd:
#      `cstore copy --to file://` vs `nix copy --to file://…?compression=zstd`;
#   2. substituting it into an empty store from a local HTTPS cache (nginx, TLS)
#      and from file://: `cstore copy --from` vs `nix copy --from`;
#   3. `cstore serve` under many concurrent narinfo requests (wrk), nginx
#      serving the same narinfos as static files as the anchor.
# Usage: bench/substituter/bench-substituter.sh [SIZE_BYTES] [RUNS]
# Runs under $TMPDIR (e.g. TMPDIR=/dev/shm to take the disk out of the numbers:
# creating new files on this VM's ext4 costs about 1 ns of kernel time per byte).
source "$(dirname "$0")/../lib.sh"
size=${1:-$((1 << 30))}
runs=${2:-3}
T=$BENCH_TMP
fail() { echo "bench failed: $*" >&2; exit 1; }
source "$src_root/tests/lib/substituter.sh"
trap 'for f in "$T"/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; done; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
export CSTORE_CONFIG=$'narinfo-cache-negative-ttl = 0\nnarinfo-cache-positive-ttl = 0'

# The closure: one path per directory of a generated tree, and a root that refers to all of them.
python3 "$bench_root/gen-tree.py" "$T/tree" "$size" 2>/dev/null
export CSTORE_STORE=$T/src
paths=()
for d in "$T"/tree/*/*; do paths+=("$d"); done
"$CSTORE" store add "${paths[@]}" > "$T/paths"
cp "$T/paths" "$T/root-list"; mkdir -p "$T/rootdir"; mv "$T/root-list" "$T/rootdir/refs"
root=$("$CSTORE" store add --name bench-root "$T/rootdir")
"$CSTORE" key generate bench-1 --secret-key-file "$T/sk" --public-key-file "$T/pk"
"$CSTORE" store sign -k "$T/sk" -r "$root" 2>/dev/null
npaths=$("$CSTORE" path-info -r "$root" | wc -l)
narbytes=$("$CSTORE" path-info -r --json "$root" | python3 -c 'import json,sys; print(sum(p["narSize"] for p in json.load(sys.stdin)))')
echo "== closure: $npaths paths, $((narbytes / 1000000)) MB of NAR (bench/gen-tree.py contents), in $(df --output=fstype "$T" | tail -1) at $T"
cores=$(nproc)

pps() { echo "scale=0; $1 / $2" | bc -l; }
rowr() { printf '%-40s %8s %8s %8s %10s %8s\n' "$@"; }
# CPU seconds (user + system) used so far by the nginx workers, or 0.
ngx_cpu() {
  local total=0 p
  for p in $(pgrep -P "$(cat "$T/nginx-web/nginx.pid" 2>/dev/null)" 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "scale=2; $total / $(getconf CLK_TCK)" | bc -l
}
# best N CMD...: runs CMD N times (after $SETUP and sync), sets WALL to the best
# wall-clock seconds and CPU to the CPU seconds of that run (the command's own
# plus the local nginx's).
best() {
  local n=$1; shift
  WALL=""; CPU=""
  for ((i = 0; i < n; i++)); do
    [[ -n ${SETUP:-} ]] && $SETUP
    sync
    local n0 n1 out w c
    n0=$(ngx_cpu)
    local TIMEFORMAT="%R %U %S"
    { time "$@" >/dev/null 2>&1; } 2>"$T/time.out"
    out=$(tail -1 "$T/time.out")
    n1=$(ngx_cpu)
    w=$(awk '{print $1}' <<<"$out")
    c=$(echo "$(awk '{print $2 + $3}' <<<"$out") + $n1 - $n0" | bc -l)
    if [[ -z $WALL ]] || (( $(echo "$w < $WALL" | bc -l) )); then WALL=$w; CPU=$c; fi
  done
}
# MB per CPU-second: what the work would reach with every core to itself.
mbcpu() { echo "scale=0; $1 / 1000000 / $2" | bc -l; }

echo "== 1. publishing with zstd on $cores cores"
clean_pub() { rm -rf "$T/pub-c" "$T/pub-n"; }
# Nix publishes from its own store: fill one first (untimed).
"$CSTORE" copy --to "file://$T/seed" -r "$root" 2>/dev/null
nix copy --from "file://$T/seed?store=/store" --to "local?root=$T/nixsrc&store=/store" \
  --trusted-public-keys "$(cat "$T/pk")" "$root" 2>/dev/null || fail "filling Nix's store"
rm -rf "$T/seed"
SETUP=clean_pub
best "$runs" "$CSTORE" copy --to "file://$T/pub-c" -r "$root"; tc=$WALL; cc=$CPU
best "$runs" nix copy --from "local?root=$T/nixsrc&store=/store" --to "file://$T/pub-n?store=/store&compression=zstd" "$root"
tn=$WALL; cn=$CPU
SETUP=
rowr "" "seconds" "MB/s" "paths/s" "CPU s" "MB/CPU-s"
rowr "nix copy --to file://…?compression=zstd" "$tn" "$(mbps "$narbytes" "$tn")" "$(pps "$npaths" "$tn")" "$cn" "$(mbcpu "$narbytes" "$cn")"
rowr "cstore copy --to file:// (zstd)" "$tc" "$(mbps "$narbytes" "$tc")" "$(pps "$npaths" "$tc")" "$cc" "$(mbcpu "$narbytes" "$cc")"
echo "publishing: cstore $(mbps "$narbytes" "$tc") MB/s (goal >= 1000), $(ratio "$tn" "$tc")x nix"

# The cache both tools read from.
"$CSTORE" copy --to "file://$T/cache" -r "$root" 2>/dev/null
make_pki "$T/pki"
port=$(free_port)
start_nginx web "$T/cache" "$port" "$T/pki"
url=https://127.0.0.1:$port

echo "== 2. substituting into an empty store"
clean_sub() {
  chmod -R u+w "$T/dst-c" "$T/dst-n" 2>/dev/null || true
  rm -rf "$T/dst-c" "$T/dst-n" "$T/home-c" "$T/home-n"
  mkdir -p "$T/home-c" "$T/home-n"
}
SETUP=clean_sub
sub_c() { HOME=$T/home-c CSTORE_STORE=$T/dst-c "$CSTORE" --option trusted-public-keys "$(cat "$T/pk")" \
  --option ssl-cert-file "$T/pki/ca.crt" copy --from "$1" "$root"; }
sub_n() { HOME=$T/home-n NIX_SSL_CERT_FILE=$T/pki/ca.crt nix copy --from "$1?store=/store" \
  --to "local?root=$T/dst-n&store=/store" --trusted-public-keys "$(cat "$T/pk")" "$root"; }
best "$runs" sub_c "$url"; tch=$WALL; cch=$CPU
best "$runs" sub_n "$url"; tnh=$WALL; cnh=$CPU
best "$runs" sub_c "file://$T/cache"; tcf=$WALL; ccf=$CPU
best "$runs" sub_n "file://$T/cache"; tnf=$WALL; cnf=$CPU
SETUP=
clean_sub
sub_c "$url" 2>/dev/null && CSTORE_STORE=$T/dst-c "$CSTORE" store verify --check-contents --sigs \
  --option trusted-public-keys "$(cat "$T/pk")" --all >/dev/null 2>&1 || fail "the substituted store does not verify"
rowr "" "seconds" "MB/s" "paths/s" "CPU s" "MB/CPU-s"
rowr "nix copy --from https:// (nginx)" "$tnh" "$(mbps "$narbytes" "$tnh")" "$(pps "$npaths" "$tnh")" "$cnh" "$(mbcpu "$narbytes" "$cnh")"
rowr "cstore copy --from https:// (nginx)" "$tch" "$(mbps "$narbytes" "$tch")" "$(pps "$npaths" "$tch")" "$cch" "$(mbcpu "$narbytes" "$cch")"
rowr "nix copy --from file://" "$tnf" "$(mbps "$narbytes" "$tnf")" "$(pps "$npaths" "$tnf")" "$cnf" "$(mbcpu "$narbytes" "$cnf")"
rowr "cstore copy --from file://" "$tcf" "$(mbps "$narbytes" "$tcf")" "$(pps "$npaths" "$tcf")" "$ccf" "$(mbcpu "$narbytes" "$ccf")"
echo "substituting over HTTPS: cstore $(mbps "$narbytes" "$tch") MB/s (goal >= 1200), $(ratio "$tnh" "$tch")x nix (goal >= 3);" \
  "from file://: $(ratio "$tnf" "$tcf")x nix"
echo "(CPU s = user + system of the client and of nginx; MB/CPU-s is the rate with a core to itself. Load average now: $(cut -d' ' -f1-3 /proc/loadavg))"

echo "== 3. narinfo requests under load (wrk, 2 threads, 64 connections, 5 s, TLS; cycling through $npaths narinfos)"
if command -v wrk >/dev/null; then
  sport=$(free_port)
  CSTORE_STORE=$T/src "$CSTORE" serve --listen "127.0.0.1:$sport" -k "$T/sk" --tls-cert "$T/pki/server.crt" \
    --tls-key "$T/pki/server.key" > "$T/serve.log" 2>&1 &
  echo $! > "$T/serve.pid"
  wait_port "$sport"
  hport=$(free_port)
  start_nginx plain "$T/cache" "$hport" "$T/pki"   # TLS: wrk speaks it too
  sed 's|^/store/\(.\{32\}\).*|/\1.narinfo|' "$T/paths" > "$T/urls"
  cat > "$T/narinfos.lua" <<'LUA'
local urls, i = {}, 0
for line in io.lines(os.getenv("URLS")) do urls[#urls + 1] = line end
request = function() i = i % #urls + 1; return wrk.format("GET", urls[i]) end
LUA
  rps() { URLS=$T/urls wrk -t2 -c64 -d5s -s "$T/narinfos.lua" "$1" 2>/dev/null | awk '/Requests\/sec/ {print int($2)}'; }
  rs=$(rps "https://127.0.0.1:$sport")
  rn=$(rps "https://127.0.0.1:$hport")
  printf '%-44s %10s\n' "" "requests/s"
  printf '%-44s %10s\n' "nginx, static narinfo files (TLS)" "$rn"
  printf '%-44s %10s\n' "cstore serve, narinfos made and signed (TLS)" "$rs"
  errors=$(curl -s --cacert "$T/pki/ca.crt" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$sport/$(head -1 "$T/urls" | tr -d /)")
  [[ $errors == 200 ]] || fail "cstore serve stopped answering after the load"
else
  echo "wrk not installed; skipped"
fi
