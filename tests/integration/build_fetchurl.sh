#!/usr/bin/env bash
# builtin:fetchurl: file and HTTPS URLs (a server with a CA the test makes),
# the hash check, fallback to the next URL, and clear errors.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"
outpath() { "$CSTORE" show-derivation "$1" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])'; }

# fetchdrv NAME URLS HASH [EXECUTABLE]: a fixed-output fetchurl derivation.
fetchdrv() {
  python3 - "$@" <<'PY' | "$CSTORE" derivation add
import json, sys
name, urls, hash = sys.argv[1:4]
executable = len(sys.argv) > 4
print(json.dumps({"name": name, "system": "builtin", "builder": "builtin:fetchurl", "args": [],
  "outputs": {"out": {"hashAlgo": "r:sha256" if executable else "sha256", "hash": hash}},
  "env": {"url": urls.split()[0], "urls": urls, "executable": "1" if executable else ""}}))
PY
}

printf 'tarball contents\n' > "$T/payload"
hash=$(sha256sum "$T/payload" | cut -d' ' -f1)

# A file URL.
d=$(fetchdrv payload "file://$T/payload" "$hash")
out=$("$CSTORE" build --no-link "$d" 2>/dev/null) || fail "file:// fetch failed"
cmp -s "$CSTORE_STORE$out" "$T/payload" || fail "fetched bytes differ"

# HTTPS with a certificate from our own CA, trusted through CSTORE_SSL_CERT_FILE.
mkdir -p "$T/pki" "$T/www"
(cd "$T/pki" &&
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=cstore test CA" \
    -keyout ca.key -out ca.crt 2>/dev/null &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout server.key -out server.csr 2>/dev/null &&
  printf "subjectAltName=DNS:localhost,IP:127.0.0.1\n" > ext.cnf &&
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf \
    -out server.crt 2>/dev/null)
cp "$T/payload" "$T/www/payload-https"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" "$T/www" "$T/pki" >/dev/null 2>&1 <<'PY' &
import functools, http.server, ssl, sys
port, root, pki = int(sys.argv[1]), sys.argv[2], sys.argv[3]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(pki + "/server.crt", pki + "/server.key")
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
PY
echo $! > "$T/https.pid"
for _ in $(seq 50); do curl -s --cacert "$T/pki/ca.crt" "https://127.0.0.1:$port/payload-https" >/dev/null && break; sleep 0.1; done

d=$(fetchdrv payload-https "https://127.0.0.1:$port/payload-https" "$hash")
expect_fail "fetchurl: every URL failed" env -u CSTORE_SSL_CERT_FILE "$CSTORE" build --no-link "$d"
out=$(CSTORE_SSL_CERT_FILE=$T/pki/ca.crt "$CSTORE" build --no-link "$d" 2>"$T/err") || { cat "$T/err"; fail "https fetch failed"; }
cmp -s "$CSTORE_STORE$out" "$T/payload" || fail "https bytes differ"

# The first URL is missing: the second is used.
d=$(fetchdrv fallback "https://127.0.0.1:$port/missing https://127.0.0.1:$port/payload-https" "$hash")
CSTORE_SSL_CERT_FILE=$T/pki/ca.crt "$CSTORE" build --no-link "$d" >/dev/null 2>&1 || fail "no fallback to the second URL"

# A wrong hash fails with both hashes shown; a 404 names the URL.
d=$(fetchdrv wrong "https://127.0.0.1:$port/payload-https" "$(printf x | sha256sum | cut -d' ' -f1)")
CSTORE_SSL_CERT_FILE=$T/pki/ca.crt expect_fail "hash mismatch in fixed-output derivation" "$CSTORE" build --no-link "$d"
d=$(fetchdrv gone "https://127.0.0.1:$port/nothing-here" "$hash")
err=$(CSTORE_SSL_CERT_FILE=$T/pki/ca.crt "$CSTORE" build --no-link "$d" 2>&1 || true)
grep -q "nothing-here' was not found (HTTP 404)" <<<"$err" || fail "404 not reported: $err"
"$CSTORE" path-info "$(outpath "$d")" 2>/dev/null && fail "a failed fetch registered its output"
echo ok
