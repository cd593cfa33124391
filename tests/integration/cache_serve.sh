#!/usr/bin/env bash
# `cstore serve` over TLS: a fresh store substitutes from it and runs the
# result; HEAD, 404s, no way out of the store, keep-alive, concurrent clients.
source "$CSTORE_SRC/tests/lib/build.sh"
source "$CSTORE_SRC/tests/lib/substituter.sh"
cd "$T"
export CSTORE_CONFIG=$'narinfo-cache-negative-ttl = 0\nconnect-timeout = 5'

make_pki "$T/pki"
"$CSTORE" key generate serve-1 --secret-key-file sk --public-key-file pk
lib=$(mkdrv served-lib '$B mkdir -p $out; echo "echo served by cstore" > $out/msg.sh; $B head -c 300000 '"$BUSYBOX"' > $out/blob')
libout=$("$CSTORE" show-derivation "$lib" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
app=$(mkdrv served-app '$B mkdir -p $out/bin; $B printf "#!%s sh\n. %s/msg.sh\n" $B '"$libout"' > $out/bin/msg; $B chmod +x $out/bin/msg' \
  "{\"inputDrvs\": {\"$lib\": [\"out\"]}}")
appout=$("$CSTORE" build --no-link "$app" 2>/dev/null)   # unsigned: serve signs

port=$(free_port)
"$CSTORE" serve --listen "127.0.0.1:$port" --tls-cert pki/server.crt --tls-key pki/server.key -k sk -v \
  > serve.log 2>&1 &
echo $! > "$T/serve.pid"
wait_port "$port"
url=https://127.0.0.1:$port
C=(curl -sS --cacert "$T/pki/ca.crt")
"${C[@]}" "$url/nix-cache-info" | grep -q "StoreDir: /store" || fail "nix-cache-info"
h=$(basename "$appout" | cut -c1-32)
"${C[@]}" "$url/$h.narinfo" > app.narinfo
grep -q "^Sig: serve-1:" app.narinfo || fail "narinfo not signed: $(cat app.narinfo)"
grep -q "^References: .*served-lib" app.narinfo || fail "references missing"

# HEAD and 404s.
[[ $("${C[@]}" -I -o /dev/null -w '%{http_code}' "$url/$h.narinfo") == 200 ]] || fail "HEAD narinfo"
"${C[@]}" -I "$url/$h.narinfo" | grep -qi "^content-length: [1-9]" || fail "HEAD has no Content-Length"
[[ $("${C[@]}" -o /dev/null -w '%{http_code}' "$url/00000000000000000000000000000000.narinfo") == 404 ]] || fail "unknown path"
[[ $("${C[@]}" -I -o /dev/null -w '%{http_code}' "$url/00000000000000000000000000000000.narinfo") == 404 ]] || fail "HEAD unknown"
wrongnar=$(sed -n 's/^URL: //p' app.narinfo | sed 's/-[0-9a-z]*\.nar/-0000000000000000000000000000000000000000000000000000.nar/')
[[ $("${C[@]}" -o /dev/null -w '%{http_code}' "$url/$wrongnar") == 404 ]] || fail "NAR with a stale hash"
# Nothing outside the store: traversal attempts, raw paths, other files.
for p in "/../../../../etc/passwd" "/%2e%2e/%2e%2e/etc/passwd" "/nar/..%2f..%2f..%2fetc%2fpasswd" \
         "/log/../../etc/passwd" "/store/$(basename "$appout")/bin/msg" "/$(basename "$appout")" \
         "/var/cstore/db.sqlite" "/nix-cache-info/../../etc/passwd" "/nar/" "/log/"; do
  body=$("${C[@]}" --path-as-is -w '\n%{http_code}' "$url$p" || true)
  [[ $(tail -1 <<<"$body") == 40[04] ]] || fail "$p answered $(tail -1 <<<"$body")"
  grep -q "root:" <<<"$body" && fail "$p leaked /etc/passwd"
done

# Keep-alive: two requests, one connection.
"${C[@]}" -v -o /dev/null -o /dev/null "$url/nix-cache-info" "$url/$h.narinfo" 2>&1 | grep -qi "re-using existing connection" \
  || fail "connection not kept alive"

# Concurrent clients fetching NARs and narinfos.
nar=$(sed -n 's/^URL: //p' app.narinfo)
pids=()
for i in $(seq 1 16); do
  ( "${C[@]}" -o "$T/par-$i.nar.zst" "$url/$nar" && "${C[@]}" -o /dev/null "$url/$h.narinfo" ) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent client failed"; done
for i in $(seq 1 16); do
  cmp -s "$T/par-1.nar.zst" "$T/par-$i.nar.zst" || fail "concurrent download $i differs"
done
zstd -dc "$T/par-1.nar.zst" | cmp -s - <("$CSTORE" store dump "$appout") || fail "served NAR differs from the store's"

# A fresh store substitutes from the server (signature checked) and runs the program.
export CSTORE_STORE=$T/fresh
"$CSTORE" store add "$T/bb" >/dev/null
mkdrv served-lib '$B mkdir -p $out; echo "echo served by cstore" > $out/msg.sh; $B head -c 300000 '"$BUSYBOX"' > $out/blob' >/dev/null
mkdrv served-app '$B mkdir -p $out/bin; $B printf "#!%s sh\n. %s/msg.sh\n" $B '"$libout"' > $out/bin/msg; $B chmod +x $out/bin/msg' \
  "{\"inputDrvs\": {\"$lib\": [\"out\"]}}" >/dev/null
"$CSTORE" --option substituters "$url" --option trusted-public-keys "$(cat pk)" --option ssl-cert-file "$T/pki/ca.crt" \
  build --no-link "$app" >/dev/null 2>err || { cat err; fail "substituting from cstore serve"; }
grep -q "building '" err && fail "built instead of substituted"
run=$(mkdrv run-served "$appout/bin/msg > \$out" "{\"inputSrcs\": [\"$BB\", \"$appout\"]}")
r=$("$CSTORE" build --no-link "$run" 2>/dev/null) || fail "running the substituted program"
[[ $(cat "$CSTORE_STORE$r") == "served by cstore" ]] || fail "program said: $(cat "$CSTORE_STORE$r")"
"$CSTORE" store verify --check-contents --sigs --option trusted-public-keys "$(cat pk)" "$appout" "$libout" \
  >/dev/null 2>&1 || fail "substituted paths do not verify"
# Many parallel transfers through copy --from.
export CSTORE_STORE=$T/fresh2
"$CSTORE" --option trusted-public-keys "$(cat pk)" --option ssl-cert-file "$T/pki/ca.crt" copy -j 8 --from "$url" \
  "$appout" 2>/dev/null || fail "copy --from cstore serve"
grep -q "GET /nar/" serve.log || fail "server log has no NAR requests"

# An uncompressed server: FileSize and FileHash are the NAR's.
port2=$(free_port)
"$CSTORE" serve --listen "127.0.0.1:$port2" --compression none > serve2.log 2>&1 &
echo $! > "$T/serve2.pid"
wait_port "$port2"
curl -sS "http://127.0.0.1:$port2/$h.narinfo" | grep -q "^Compression: none" || fail "uncompressed narinfo"
export CSTORE_STORE=$T/fresh3
"$CSTORE" --option require-sigs false copy --from "http://127.0.0.1:$port2" "$appout" 2>/dev/null \
  || fail "copy --from an uncompressed server"
kill "$(cat "$T/serve.pid")"; wait "$(cat "$T/serve.pid")" 2>/dev/null || true
echo ok
