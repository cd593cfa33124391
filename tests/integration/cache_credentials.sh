#!/usr/bin/env bash
# A binary cache behind HTTP basic authentication (nginx, HTTPS): publishing by
# PUT and substituting both send the credentials of `netrc-file` for that
# host; without them, or with wrong ones, the error says so (HTTP 401) and the
# store is unchanged.
source "$CSTORE_SRC/tests/lib/build.sh"
source "$CSTORE_SRC/tests/lib/substituter.sh"
cd "$T"
export CSTORE_CONFIG=$'narinfo-cache-negative-ttl = 0\nconnect-timeout = 5\nnetrc-file = '"$T/netrc"

make_pki "$T/pki"
printf 'publisher:%s\n' "$(openssl passwd -apr1 's3cret word')" > htpasswd
"$CSTORE" key generate auth-cache-1 --secret-key-file sk --public-key-file pk
d=$(mkdrv secret-lib '$B mkdir -p $out; echo private > $out/data')
out=$("$CSTORE" --option secret-key-files "$T/sk" build --no-link "$d" 2>/dev/null)

port=$(free_port)
start_nginx web "$T/www" "$port" "$T/pki" "$T/htpasswd"
url=https://127.0.0.1:$port/upload
export CSTORE_SSL_CERT_FILE=$T/pki/ca.crt
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert pki/ca.crt "$url/nix-cache-info")
[[ $code == 401 ]] || fail "nginx does not ask for credentials (HTTP $code)"

# No netrc file: refused with a hint.
err=$("$CSTORE" copy --to "$url" "$out" 2>&1) && fail "an upload without credentials succeeded"
grep -q "HTTP status 401 (the server wants credentials: put them in the netrc-file)" <<<"$err" || fail "no hint: $err"
# Wrong password: refused, naming the file.
printf 'machine 127.0.0.1 login publisher password wrong\n' > netrc
err=$("$CSTORE" copy --to "$url" "$out" 2>&1) && fail "an upload with a wrong password succeeded"
grep -q "the credentials in '$T/netrc' were refused" <<<"$err" || fail "wrong password not reported: $err"
# Credentials for another host are not sent.
printf 'machine cache.example.org login publisher password "s3cret word"\n' > netrc
err=$("$CSTORE" copy --to "$url" "$out" 2>&1) && fail "credentials of another host were sent"
grep -q "HTTP status 401" <<<"$err" || fail "another host's credentials: $err"
# The right ones (a quoted password with a space, as curl's netrc parser allows).
printf 'machine 127.0.0.1\n  login publisher\n  password "s3cret word"\n' > netrc
"$CSTORE" copy --to "$url" -r "$out" 2>err || { cat err; fail "upload with credentials"; }
[[ -n $(ls "$T/www/upload/nar") ]] || fail "nothing uploaded"

# Substituting from the protected cache into a fresh store.
export CSTORE_STORE=$T/fresh
"$CSTORE" store add "$T/bb" >/dev/null
mkdrv secret-lib '$B mkdir -p $out; echo private > $out/data' >/dev/null
mv netrc netrc.saved
before=$(store_snapshot)
"$CSTORE" --option trusted-public-keys "$(cat pk)" copy --from "$url" "$out" >/dev/null 2>err && fail "read without credentials"
grep -q "401" err || fail "no 401 reported: $(cat err)"
[[ $(store_snapshot) == "$before" ]] || fail "a refused download changed the store"
mv netrc.saved netrc
"$CSTORE" --option substituters "$url" --option trusted-public-keys "$(cat pk)" build --no-link "$d" >got 2>err \
  || { cat err; fail "substituting with credentials"; }
[[ $(cat got) == "$out" ]] || fail "wrong path: $(cat got)"
grep -q "building '" err && fail "built instead of substituted"
[[ $(cat "$CSTORE_STORE$out/data") == private ]] || fail "wrong contents"
echo ok
