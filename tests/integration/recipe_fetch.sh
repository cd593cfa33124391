#!/usr/bin/env bash
# builtins.fetchurl and builtins.fetchTarball: downloads made while
# evaluating, from file:// URLs and from nginx over HTTPS (a CA the test
# makes), used by imports, readFile and derivations; wrong hashes, missing
# files and archives that are not archives leave the store unchanged; a
# known hash whose path is already there needs no network.
source "$CSTORE_SRC/tests/lib/substituter.sh"
source "$CSTORE_SRC/tests/lib/testlib.sh"
cd "$T"

mkdir -p src/pkg-1.0/bin www
printf 'hello from the tarball\n' >src/pkg-1.0/bin/msg
printf '#!/bin/sh\necho run\n' >src/pkg-1.0/bin/run
chmod +x src/pkg-1.0/bin/run
printf '{ answer = 6 * 7; }\n' >src/pkg-1.0/default.nix
tar -C src -czf www/pkg-1.0.tar.gz pkg-1.0
printf 'plain file\n' >www/file.txt
printf 'not an archive\n' >www/bogus.tar.gz
file_sha256=$(sha256sum www/file.txt | cut -d' ' -f1)

ev() { cs eval --expr "$1" 2>"$T/err" || fail "eval of $1: $(cat "$T/err")"; }

# file:// URLs: a flat file, and a tarball unpacked to its single top directory.
f=$(ev "builtins.fetchurl file://$T/www/file.txt")
expect_eq "$f" "\"$(cs store add --flat "$T/www/file.txt")\"" "fetchurl's path is the flat fixed-output path"
expect_eq "$(ev "builtins.readFile (builtins.fetchurl file://$T/www/file.txt)")" '"plain file\n"' "readFile of a download"
t=$(ev "builtins.fetchTarball file://$T/www/pkg-1.0.tar.gz")
expect_eq "$t" "\"$(cs store add --name source "$T/src/pkg-1.0")\"" "fetchTarball's path is the recursive path of the top directory"
expect_eq "$(ev "builtins.readFile \"\${builtins.fetchTarball file://$T/www/pkg-1.0.tar.gz}/bin/msg\"")" \
  '"hello from the tarball\n"' "readFile inside a tarball"
expect_eq "$(ev "(import (builtins.fetchTarball file://$T/www/pkg-1.0.tar.gz)).answer")" 42 "import of a tarball"
expect_eq "$(ev "builtins.attrNames (builtins.readDir (builtins.fetchTarball { url = \"file://$T/www/pkg-1.0.tar.gz\"; name = \"pkg\"; }))")" \
  '[ "bin" "default.nix" ]' "readDir of a named tarball"
[[ -x $STORE/${t:8:-1}/bin/run ]] || fail "the executable bit was lost"

# Without a hash, a download is reused for tarball-ttl seconds (as in Nix), then fetched again.
cs eval --expr "builtins.fetchurl file://$T/www/file.txt" >/dev/null 2>"$T/err"
[[ $(cat "$T/err") == *fetching* ]] && fail "a recent download was fetched again: $(cat "$T/err")"
printf 'plain file, changed\n' >www/file.txt
expect_eq "$(ev "builtins.fetchurl file://$T/www/file.txt")" "$f" "within tarball-ttl the remembered path"
g=$(cs --option tarball-ttl 0 eval --expr "builtins.fetchurl file://$T/www/file.txt" 2>"$T/err")
expect_contains "$(cat "$T/err")" "fetching 'file://$T/www/file.txt'" "tarball-ttl 0 fetches again"
expect_eq "$(ev "builtins.readFile $g")" '"plain file, changed\n"' "the new contents"
printf 'plain file\n' >www/file.txt

# A derivation using a download has it as an input, and builds with it.
cat >recipe.cbl <<EOF
let std = import <cstore>; src = builtins.fetchTarball "file://$T/www/pkg-1.0.tar.gz"; in
std.runCommand "uses-tarball" { } "cat \${src}/bin/msg > \$out"
EOF
out=$(cs build --no-link recipe.cbl 2>"$T/err") || fail "build with a fetched source: $(cat "$T/err")"
expect_eq "$(cat "$STORE/${out#/store/}")" "hello from the tarball" "the build read the tarball"

# HTTPS from nginx; the CA is trusted only through CSTORE_SSL_CERT_FILE.
make_pki "$T/pki"
port=$(free_port)
start_nginx web "$T/www" "$port" "$T/pki"
url=https://127.0.0.1:$port
export CSTORE_SSL_CERT_FILE=$T/pki/ca.crt
expect_eq "$(ev "builtins.fetchurl { url = \"$url/file.txt\"; sha256 = \"$file_sha256\"; }")" "$f" "fetchurl over HTTPS with sha256"
t_sri=$(cs hash path --sri "$T/src/pkg-1.0")
expect_eq "$(ev "builtins.fetchTarball { url = \"$url/pkg-1.0.tar.gz\"; sha256 = \"$t_sri\"; }")" "$t" "fetchTarball over HTTPS with an SRI hash"
before=$(store_snapshot)
env -u CSTORE_SSL_CERT_FILE "$CSTORE" eval --expr "builtins.fetchurl $url/file.txt?untrusted" >/dev/null 2>"$T/err" &&
  fail "a certificate from an unknown CA was accepted"
expect_contains "$(cat "$T/err")" "$url/file.txt" "the TLS failure names the URL"

# Errors: nothing is added.
cs eval --expr "builtins.fetchurl { url = \"$url/file.txt\"; sha256 = \"$(printf x | sha256sum | cut -d' ' -f1)\"; }" \
  >/dev/null 2>"$T/err" && fail "a wrong hash was accepted"
expect_contains "$(cat "$T/err")" "hash mismatch in '$url/file.txt'" "wrong hash"
expect_contains "$(cat "$T/err")" "got: sha256-" "wrong hash shows what arrived"
expect_contains "$(cat "$T/err")" "«string»:1:1" "wrong hash points at the expression"
cs eval --expr "builtins.fetchurl $url/missing.txt" >/dev/null 2>"$T/err" && fail "a 404 succeeded"
expect_contains "$(cat "$T/err")" "missing.txt' was not found (HTTP 404)" "404"
cs eval --expr "builtins.fetchTarball $url/bogus.tar.gz" >/dev/null 2>"$T/err" && fail "a bogus tarball unpacked"
expect_contains "$(cat "$T/err")" "cannot read archive '$url/bogus.tar.gz'" "bogus tarball"
cs eval --expr "builtins.fetchurl { url = \"$url/file.txt\"; bogus = 1; }" >/dev/null 2>"$T/err" && fail "unknown argument accepted"
expect_contains "$(cat "$T/err")" "unsupported argument 'bogus'" "unknown argument"
cs eval --expr "builtins.fetchurl ftp://example.invalid/x" >/dev/null 2>"$T/err" && fail "ftp accepted"
expect_contains "$(cat "$T/err")" "only https, http and file URLs" "unsupported scheme"
expect_unchanged "$before" "failed downloads"

# With the server gone, a download whose hash is known and whose path is valid still evaluates.
kill "$(cat "$T/web.pid")"
expect_eq "$(ev "builtins.fetchurl { url = \"$url/file.txt\"; sha256 = \"$file_sha256\"; }")" "$f" "no network needed for a known hash"
echo ok
