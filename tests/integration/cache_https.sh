#!/usr/bin/env bash
# HTTPS with real nginx and a test CA: publish to a directory that nginx
# serves, substitute into a fresh store and run the result; upload by PUT
# (WebDAV) and substitute from the uploaded copy; the CA bundle is required.
source "$CSTORE_SRC/tests/lib/build.sh"
source "$CSTORE_SRC/tests/lib/substituter.sh"
cd "$T"
export CSTORE_CONFIG=$'narinfo-cache-negative-ttl = 0\nconnect-timeout = 5'

make_pki "$T/pki"
"$CSTORE" key generate https-cache-1 --secret-key-file sk --public-key-file pk
lib=$(mkdrv tls-lib '$B mkdir -p $out; echo "echo fetched over https" > $out/msg.sh; echo built lib')
libout=$("$CSTORE" show-derivation "$lib" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
app=$(mkdrv tls-app '$B mkdir -p $out/bin; $B printf "#!%s sh\n. %s/msg.sh\n" $B '"$libout"' > $out/bin/msg; $B chmod +x $out/bin/msg; echo built app' \
  "{\"inputDrvs\": {\"$lib\": [\"out\"]}}")
appout=$("$CSTORE" --option secret-key-files "$T/sk" build --no-link "$app" 2>/dev/null)
"$CSTORE" copy --to "file://$T/www" -r "$appout" 2>/dev/null

port=$(free_port)
start_nginx web "$T/www" "$port" "$T/pki"
url=https://127.0.0.1:$port
curl -sSf --cacert pki/ca.crt "$url/nix-cache-info" | grep -q "StoreDir: /store" || fail "nginx does not serve the cache"

# A fresh store: the drvs are added again, then built from the cache.
fresh() {
  export CSTORE_STORE=$T/$1
  "$CSTORE" store add "$T/bb" >/dev/null
  mkdrv tls-lib '$B mkdir -p $out; echo "echo fetched over https" > $out/msg.sh; echo built lib' >/dev/null
  mkdrv tls-app '$B mkdir -p $out/bin; $B printf "#!%s sh\n. %s/msg.sh\n" $B '"$libout"' > $out/bin/msg; $B chmod +x $out/bin/msg; echo built app' \
    "{\"inputDrvs\": {\"$lib\": [\"out\"]}}" >/dev/null
}
fresh root-https
"$CSTORE" --option substituters "$url" --option trusted-public-keys "$(cat pk)" \
  --option ssl-cert-file "$T/pki/ca.crt" build -L --no-link "$app" >out 2>err || { cat err; fail "build over https"; }
grep -q "built" err && fail "something was built instead of substituted: $(cat err)"
[[ $(cat out) == "$appout" ]] || fail "wrong output: $(cat out)"
run=$(mkdrv run-msg "$appout/bin/msg > \$out" "{\"inputSrcs\": [\"$BB\", \"$appout\"]}")
r=$("$CSTORE" build --no-link "$run" 2>/dev/null) || fail "running the substituted program"
[[ $(cat "$CSTORE_STORE$r") == "fetched over https" ]] || fail "program said: $(cat "$CSTORE_STORE$r")"
"$CSTORE" store verify --all --check-contents >/dev/null 2>&1 || fail "store does not verify"
grep -q "GET /.*narinfo" "$T/nginx-web/logs/access.log" || fail "nginx saw no narinfo requests"
grep -q 'GET /nar/.* HTTP/2.0' "$T/nginx-web/logs/access.log" || fail "NARs were not fetched over HTTP/2"

# Lookups are remembered (hits for narinfo-cache-positive-ttl, misses for -negative-ttl).
narinfo_gets() { grep -c 'GET /[0-9a-z]*\.narinfo' "$T/nginx-web/logs/access.log" || true; }
fresh root-ttl
ttl=(--option substituters "$url" --option trusted-public-keys "$(cat pk)" --option ssl-cert-file "$T/pki/ca.crt")
"$CSTORE" "${ttl[@]}" build --dry-run "$app" 2>/dev/null
n1=$(narinfo_gets)
"$CSTORE" "${ttl[@]}" build --dry-run "$app" 2>/dev/null
[[ $(narinfo_gets) == "$n1" ]] || fail "narinfo hits were asked for again"
"$CSTORE" "${ttl[@]}" --option narinfo-cache-positive-ttl 0 build --dry-run "$app" 2>/dev/null
(( $(narinfo_gets) > n1 )) || fail "positive TTL 0 did not ask again"
missing=/store/00000000000000000000000000000000-missing
"$CSTORE" "${ttl[@]}" --option narinfo-cache-negative-ttl 3600 copy --from "$url" "$missing" 2>/dev/null && fail "missing path"
n2=$(narinfo_gets)
expect_fail "no binary cache has it" "$CSTORE" "${ttl[@]}" --option narinfo-cache-negative-ttl 3600 copy --from "$url" "$missing"
[[ $(narinfo_gets) == "$n2" ]] || fail "a remembered miss was asked for again"
ls "$HOME/.cache/cstore/binary-cache-v1.sqlite" >/dev/null || fail "no lookup cache file"

# CSTORE_SSL_CERT_FILE works too; without any CA bundle the certificate is refused.
export CSTORE_STORE=$T/root-env
CSTORE_SSL_CERT_FILE=$T/pki/ca.crt "$CSTORE" --option trusted-public-keys "$(cat pk)" copy --from "$url" "$appout" \
  2>/dev/null || fail "copy --from with CSTORE_SSL_CERT_FILE"
export CSTORE_STORE=$T/root-noca
expect_fail "certificate|SSL" "$CSTORE" --option trusted-public-keys "$(cat pk)" copy --from "$url" "$appout"

# Upload by PUT to nginx's WebDAV location, then substitute from there.
export CSTORE_STORE=$T/root-https
"$CSTORE" --option ssl-cert-file "$T/pki/ca.crt" copy --to "$url/upload" -r "$appout" 2>err || { cat err; fail "PUT upload"; }
[[ -f $T/www/upload/nix-cache-info && $(ls "$T"/www/upload/*.narinfo | wc -l) == 3 ]] || fail "uploaded files: $(ls -R "$T/www/upload")"
grep -q "PUT /upload/nar/" "$T/nginx-web/logs/access.log" || fail "no NAR was PUT"
# The narinfos were PUT after their NARs.
python3 - "$T/nginx-web/logs/access.log" <<'PY' || fail "a narinfo was uploaded before its NAR"
import re, sys
puts = [l.split('"')[1].split()[1] for l in open(sys.argv[1]) if '"PUT ' in l]
narinfos = [i for i, p in enumerate(puts) if p.endswith(".narinfo")]
nars = [i for i, p in enumerate(puts) if "/nar/" in p]
assert len(nars) == 3 and len(narinfos) == 3, puts
assert min(narinfos) > min(nars), puts
PY
"$CSTORE" --option ssl-cert-file "$T/pki/ca.crt" copy --to "$url/upload" -r "$appout" 2>&1 | grep -q "3 already there" \
  || fail "second upload did not skip"
fresh root-put
"$CSTORE" --option substituters "$url/upload" --option trusted-public-keys "$(cat pk)" \
  --option ssl-cert-file "$T/pki/ca.crt" build --no-link "$app" >/dev/null 2>err || { cat err; fail "build from upload"; }
grep -q "built" err && fail "built instead of substituted from the upload"
echo ok
