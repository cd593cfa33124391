#!/usr/bin/env bash
# Broken binary caches: each case must fail with a clear error (or fall back
# to building) and leave the store exactly as it was. Also: a server that
# fails once is retried, and a broken cache falls through to the next one.
source "$CSTORE_SRC/tests/lib/build.sh"
source "$CSTORE_SRC/tests/lib/substituter.sh"
cd "$T"
export CSTORE_CONFIG=$'narinfo-cache-negative-ttl = 0\nnarinfo-cache-positive-ttl = 0\nconnect-timeout = 5'

"$CSTORE" key generate cache-1 --secret-key-file sk --public-key-file pk
"$CSTORE" key generate stranger-1 --secret-key-file sk-stranger --public-key-file pk-stranger
TRUST=(--option trusted-public-keys "$(cat pk)")
outpath() { "$CSTORE" show-derivation "$1" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])'; }
# x and y have NARs of the same size; z is large enough to compress.
x=$(mkdrv x 'echo aaaa > $out'); xout=$("$CSTORE" build --no-link "$x" 2>/dev/null)
y=$(mkdrv y 'echo bbbb > $out'); yout=$("$CSTORE" build --no-link "$y" 2>/dev/null)
z=$(mkdrv z 'i=0; while [ $i -lt 3000 ]; do echo "line $i of z"; i=$((i+1)); done > $out'); zout=$("$CSTORE" build --no-link "$z" 2>/dev/null)
"$CSTORE" copy --to "file://$T/good" -k sk "$xout" "$yout" "$zout" 2>/dev/null
"$CSTORE" copy --to "file://$T/plain?compression=none" -k sk "$xout" "$yout" 2>/dev/null
"$CSTORE" copy --to "file://$T/stranger" -k sk-stranger "$xout" 2>/dev/null
hx=$(basename "$xout" | cut -c1-32); hy=$(basename "$yout" | cut -c1-32); hz=$(basename "$zout" | cut -c1-32)
narof() { sed -n 's/^URL: //p' "$1"; }

# The store every case tries to fill: it has busybox and the derivations.
export CSTORE_STORE=$T/target
"$CSTORE" store add "$T/bb" >/dev/null
for d in "x:echo aaaa > \$out" "y:echo bbbb > \$out"; do mkdrv "${d%%:*}" "${d#*:}" >/dev/null; done
before=$(store_snapshot)

# broken NAME PATTERN URL PATH [EXTRA OPTIONS...]: copy --from must fail matching PATTERN, changing nothing.
broken() {
  local name=$1 pattern=$2 url=$3 path=$4; shift 4
  expect_fail "$pattern" "$CSTORE" "${TRUST[@]}" "$@" copy --from "$url" "$path"
  [[ $(store_snapshot) == "$before" ]] || fail "$name: the store changed:
before: $before
after:  $(store_snapshot)"
  echo "case ok: $name"
}
mkcache() { rm -rf "$T/c-$1"; cp -r "$T/$2" "$T/c-$1"; echo "file://$T/c-$1"; }

u=$(mkcache wrongsig good)
sed -i "s|^Sig: .*|$(grep '^Sig:' "$T/good/$hy.narinfo")|" "$T/c-wrongsig/$hx.narinfo"
broken "wrong signature" "refusing to substitute.*none of its signatures \(by 'cache-1' \(invalid\)\)" "$u" "$xout"

broken "unknown key" "refusing to substitute.*by 'stranger-1'" "file://$T/stranger" "$xout"

u=$(mkcache hash good)
sed -i "s|^URL: .*|URL: $(narof "$T/good/$hy.narinfo")|" "$T/c-hash/$hx.narinfo"
broken "NAR hash mismatch" "NAR hash mismatch" "$u" "$xout"

u=$(mkcache trunc good)
f=$T/c-trunc/$(narof "$T/good/$hz.narinfo"); truncate -s $(( $(stat -c %s "$f") / 2 )) "$f"
broken "truncated zstd NAR" "truncated zstd stream|corrupt zstd" "$u" "$zout"

u=$(mkcache truncplain plain)
f=$T/c-truncplain/$(narof "$T/plain/$hx.narinfo"); truncate -s 100 "$f"
broken "truncated NAR" "corrupt NAR.*unexpected end of input" "$u" "$xout"

u=$(mkcache zstd good)
f=$T/c-zstd/$(narof "$T/good/$hz.narinfo")
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
for i in range(len(b) // 2, len(b) // 2 + 32): b[i] ^= 0x5a
open(p, "wb").write(b)
PY
broken "corrupt zstd stream" "corrupt zstd stream" "$u" "$zout"

u=$(mkcache nofield good)
sed -i '/^NarHash:/d' "$T/c-nofield/$hx.narinfo"
broken "narinfo without NarHash" "$hx.narinfo: narinfo has no NarHash" "$u" "$xout"

u=$(mkcache badfield good)
sed -i 's/^NarSize: .*/NarSize: 12x/' "$T/c-badfield/$hx.narinfo"
broken "narinfo with a malformed NarSize" "$hx.narinfo:[0-9]+:1: NarSize '12x' is not a number" "$u" "$xout"

u=$(mkcache otherpath good)
cp "$T/good/$hy.narinfo" "$T/c-otherpath/$hx.narinfo"
broken "narinfo for another path" "describes '$yout', not the requested '$xout'" "$u" "$xout"

# A NAR with an entry named '..' (hashes correct, signatures not required).
mkdir -p "$T/c-dotdot/nar"
echo "StoreDir: /store" > "$T/c-dotdot/nix-cache-info"
python3 - "$T/c-dotdot/nar/evil.nar" <<'PY'
import struct, sys
def s(x):
    x = x.encode() if isinstance(x, str) else x
    return struct.pack("<Q", len(x)) + x + b"\0" * ((8 - len(x) % 8) % 8)
nar = b"".join(s(t) for t in ["nix-archive-1", "(", "type", "directory", "entry", "(", "name", "..", "node",
                              "(", "type", "regular", "contents"]) + s("escaped\n") + b"".join(
    s(t) for t in [")", ")", ")"])
open(sys.argv[1], "wb").write(nar)
PY
cat > "$T/c-dotdot/$hx.narinfo" <<NI
StorePath: $xout
URL: nar/evil.nar
Compression: none
NarHash: sha256:$("$CSTORE" hash file --base32 "$T/c-dotdot/nar/evil.nar")
NarSize: $(stat -c %s "$T/c-dotdot/nar/evil.nar")
References: 
NI
broken "NAR containing '..'" "entry name '\.\.' is not allowed" "file://$T/c-dotdot" "$xout" --option require-sigs false
[[ ! -e $T/target/escaped && ! -e $T/escaped ]] || fail "the '..' entry escaped"

# A narinfo URL that leaves the cache directory is refused before any read.
u=$(mkcache escape good)
sed -i 's|^URL: .*|URL: ../../../etc/passwd|' "$T/c-escape/$hx.narinfo"
broken "narinfo URL outside the cache" "does not name a file inside the cache" "$u" "$xout"

# A server that answers 500 once per file: retries make it work.
port=$(free_port)
start_flaky flaky "$T/good" "$port" fail-first
"$CSTORE" "${TRUST[@]}" --option download-attempts 3 copy --from "http://127.0.0.1:$port" "$xout" 2>err \
  || { cat err; fail "500-then-200 was not retried"; }
grep -q "HTTP status 500.*retrying" err || fail "no retry warning: $(cat err)"
"$CSTORE" store verify --check-contents "$xout" >/dev/null 2>&1 || fail "retried path does not verify"
"$CSTORE" store delete "$xout" >/dev/null 2>&1
before=$(store_snapshot)

# A server that never answers: a timeout error, and build falls back to building.
port=$(free_port)
start_flaky stall "$T/good" "$port" stall
broken "stalled server" "timed out|too slow" "http://127.0.0.1:$port" "$yout" \
  --option stalled-download-timeout 1 --option download-attempts 1
"$CSTORE" "${TRUST[@]}" --option substituters "http://127.0.0.1:$port" --option stalled-download-timeout 1 \
  --option download-attempts 1 build --no-link "$y" >/dev/null 2>err || { cat err; fail "no fallback to building"; }
grep -q "ignoring binary cache.*http://127.0.0.1:$port" err || fail "no warning about the stalled cache: $(cat err)"

# A broken cache falls through to the next good one (ordered by priority).
u=$(mkcache hash2 good)
sed -i "s|^URL: .*|URL: $(narof "$T/good/$hy.narinfo")|" "$T/c-hash2/$hx.narinfo"
"$CSTORE" "${TRUST[@]}" --option substituters "file://$T/good?priority=60 $u?priority=10" \
  build --no-link "$x" >/dev/null 2>err || { cat err; fail "fall-through build"; }
grep -q "NAR hash mismatch.*trying 'file://$T/good' next" err || fail "no fall-through warning: $(cat err)"
grep -q "building '" err && fail "x was built instead of fetched from the second cache"
"$CSTORE" store verify --check-contents --all >/dev/null 2>&1 || fail "store does not verify"
echo ok
