#!/usr/bin/env bash
# Binary caches interoperate with Nix 2.8 in both directions: Nix copies and
# verifies (signatures checked) from caches cstore wrote, and cstore
# substitutes from caches `nix copy --to` wrote (xz, zstd, bzip2, br, none).
source "$CSTORE_SRC/tests/lib/build.sh"
source "$CSTORE_SRC/tests/lib/substituter.sh"
cd "$T"
command -v nix >/dev/null || { echo "nix not installed; skipping"; exit 0; }
export NIX_CONFIG=$'experimental-features = nix-command\nsubstituters ='
NIXSTORE="local?root=$T/nixroot&store=/store"

"$CSTORE" key generate cstore-test-1 --secret-key-file sk --public-key-file pk
nix-store --generate-binary-cache-key nix-test-1 nsk npk
lib=$(mkdrv compat-lib '$B mkdir -p $out/share; echo "shared data" > $out/share/data; $B ln -s data $out/share/link')
libout=$("$CSTORE" show-derivation "$lib" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
app=$(mkdrv compat-app '$B mkdir -p $out/bin; echo "#!'"$BUSYBOX"' sh" > $out/bin/run; echo "cat '"$libout"'/share/data" >> $out/bin/run; $B chmod +x $out/bin/run' \
  "{\"inputDrvs\": {\"$lib\": [\"out\"]}}")
appout=$("$CSTORE" --option secret-key-files "$T/sk" build --no-link "$app" 2>/dev/null)
closure=$("$CSTORE" path-info -r "$appout")
[[ $(wc -l <<<"$closure") == 3 ]] || fail "closure: $closure"

# cstore writes, Nix reads (every compression cstore can write).
for c in zstd xz bzip2 br none; do
  "$CSTORE" copy --to "file://$T/cs-$c?compression=$c" -r "$appout" 2>/dev/null
  # shellcheck disable=SC2086
  nix store verify --store "file://$T/cs-$c?store=/store" --trusted-public-keys "$(cat pk)" $closure \
    || fail "nix store verify rejects cstore's $c cache"
  # shellcheck disable=SC2086
  nix copy --from "file://$T/cs-$c?store=/store" --to "local?root=$T/nix-$c&store=/store" \
    --trusted-public-keys "$(cat pk)" $closure || fail "nix copy --from cstore's $c cache"
  nix path-info --store "local?root=$T/nix-$c&store=/store" --json --sigs "$appout" | grep -q cstore-test-1 \
    || fail "signature lost on the way to Nix ($c)"
done
# Nix checks the signature: another key is refused.
if nix store verify --store "file://$T/cs-zstd?store=/store" --trusted-public-keys "$(cat npk)" "$appout" 2>err; then
  fail "nix accepted a path signed by an untrusted key"
fi
grep -q "untrusted" err || fail "nix's complaint: $(cat err)"
# Nix records the same NAR hash (it checked the NAR against it on import).
hashof='import json,sys; print(json.load(sys.stdin)[0]["narHash"])'
[[ $(nix path-info --store "local?root=$T/nix-zstd&store=/store" --json "$appout" | python3 -c "$hashof") == \
   $("$CSTORE" path-info --json "$appout" | python3 -c "$hashof") ]] || fail "NAR hashes differ"

# Nix reads from `cstore serve` over HTTPS (narinfos signed on the fly).
make_pki "$T/pki"
port=$(free_port)
unsigned=$(mkdrv compat-unsigned 'echo served > $out')
unsignedout=$("$CSTORE" build --no-link "$unsigned" 2>/dev/null)
"$CSTORE" serve --listen "127.0.0.1:$port" --tls-cert "$T/pki/server.crt" --tls-key "$T/pki/server.key" -k sk \
  >serve.log 2>&1 &
echo $! > "$T/serve.pid"
wait_port "$port"
NIX_SSL_CERT_FILE=$T/pki/ca.crt nix copy --from "https://127.0.0.1:$port?store=/store" \
  --to "local?root=$T/nix-serve&store=/store" --trusted-public-keys "$(cat pk)" "$unsignedout" "$appout" \
  || fail "nix copy --from cstore serve"
NIX_SSL_CERT_FILE=$T/pki/ca.crt nix store verify --store "https://127.0.0.1:$port?store=/store" \
  --trusted-public-keys "$(cat pk)" "$unsignedout" || fail "nix store verify against cstore serve"

# Nix writes, cstore reads.
# shellcheck disable=SC2086
nix copy --from "file://$T/cs-zstd?store=/store" --to "$NIXSTORE" --trusted-public-keys "$(cat pk)" $closure
for c in xz zstd bzip2 br none; do
  # shellcheck disable=SC2086
  nix copy --store "$NIXSTORE" --to "file://$T/nix-cache-$c?store=/store&compression=$c&secret-key=$T/nsk" $closure
  grep -q "Compression: $c" "$T/nix-cache-$c/$(basename "$appout" | cut -c1-32).narinfo" || fail "nix wrote no $c cache"
  export CSTORE_STORE=$T/from-nix-$c
  "$CSTORE" --option trusted-public-keys "$(cat npk)" copy --from "file://$T/nix-cache-$c" "$appout" 2>err \
    || { cat err; fail "cstore cannot read Nix's $c cache"; }
  "$CSTORE" store verify --check-contents --sigs --option trusted-public-keys "$(cat npk)" --all >/dev/null 2>&1 \
    || fail "paths from Nix's $c cache do not verify"
  "$CSTORE" path-info -r "$appout" | grep -q compat-lib || fail "references lost ($c)"
done
# And substitutes from it during a build.
export CSTORE_STORE=$T/build-from-nix
"$CSTORE" store add "$T/bb" >/dev/null
mkdrv compat-lib '$B mkdir -p $out/share; echo "shared data" > $out/share/data; $B ln -s data $out/share/link' >/dev/null
"$CSTORE" --option substituters "file://$T/nix-cache-xz" --option trusted-public-keys "$(cat npk)" \
  build --no-link "$lib" >/dev/null 2>err || { cat err; fail "build from Nix's cache"; }
grep -q "building '" err && fail "built instead of substituted from Nix's cache"
echo ok
