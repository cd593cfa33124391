#!/usr/bin/env bash
# Publishing to a file:// cache and substituting from it: layout, signatures,
# skipping what is there, `build` fetching instead of building, `copy --from`,
# and refusing unsigned paths.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"
export CSTORE_CONFIG=$'narinfo-cache-negative-ttl = 0'

"$CSTORE" key generate cache-1 --secret-key-file sk --public-key-file pk
lib=$(mkdrv greet-lib '$B mkdir -p $out; echo "echo hello from the cache" > $out/greet.sh; echo built lib')
outpath() { "$CSTORE" show-derivation "$1" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])'; }
mkapp() {
  mkdrv greet-app '$B mkdir -p $out/bin; $B printf "#!%s sh\n. %s/greet.sh\n" $B $lib > $out/bin/greet; $B chmod +x $out/bin/greet' \
    "{\"inputDrvs\": {\"$lib\": [\"out\"]}, \"env\": {\"lib\": \"$(outpath "$lib")\"}}"
}
app=$(mkapp)
appout=$("$CSTORE" --option secret-key-files "$T/sk" build --no-link "$app")
"$CSTORE" path-info --json "$appout" | grep -q '"cache-1:' || fail "not signed at build time"

"$CSTORE" copy --to "file://$T/cache" -r "$appout" 2>copy.log || { cat copy.log; fail "copy --to"; }
grep -q "copied 3 paths" copy.log || fail "expected 3 paths (app, lib, busybox): $(cat copy.log)"
[[ $(cat cache/nix-cache-info) == "StoreDir: /store" ]] || fail "nix-cache-info: $(cat cache/nix-cache-info)"
[[ $(ls cache/*.narinfo | wc -l) == 3 ]] || fail "narinfos: $(ls cache)"
ls cache/nar/*.nar.zst >/dev/null || fail "no zstd NARs"
h=$(basename "$appout" | cut -c1-32)
python3 - "$T/cache/$h.narinfo" <<'PY' || fail "narinfo fields"
import sys
keys = [l.split(":", 1)[0] for l in open(sys.argv[1]).read().splitlines()]
assert keys == ["StorePath", "URL", "Compression", "FileHash", "FileSize", "NarHash", "NarSize", "References",
                "Deriver", "Sig"], keys
PY
ls cache/log/ | grep -q "greet-app.drv" || fail "no build log uploaded: $(ls cache/log)"
"$CSTORE" copy --to "file://$T/cache" -r "$appout" 2>&1 | grep -q "copied 0 paths.*3 already there" || fail "second copy did not skip"
ls cache | grep -q '^\.tmp' && fail "temporary file left in the cache"

# A fresh store substitutes instead of building.
export CSTORE_STORE=$T/root2
"$CSTORE" store add "$T/bb" >/dev/null
lib2=$(mkdrv greet-lib '$B mkdir -p $out; echo "echo hello from the cache" > $out/greet.sh; echo built lib')
[[ $lib2 == "$lib" ]] || fail "derivation paths differ between stores"
app2=$(mkapp)
[[ $app2 == "$app" ]] || fail "app derivation paths differ"
out=$("$CSTORE" --option substituters "file://$T/cache" --option trusted-public-keys "$(cat pk)" build --dry-run "$app" 2>&1)
grep -q "will be fetched" <<<"$out" || fail "dry run does not plan a fetch: $out"
"$CSTORE" --option substituters "file://$T/cache" --option trusted-public-keys "$(cat pk)" build -L "$app" >out 2>err \
  || { cat err; fail "build with substituter"; }
grep -q "built lib" err && fail "lib was built, not substituted"
[[ $(cat out) == "$appout" ]] || fail "printed $(cat out)"
"$CSTORE" path-info --json "$appout" | grep -q '"cache-1:' || fail "signatures not registered"
"$CSTORE" store verify --check-contents --sigs --option trusted-public-keys "$(cat pk)" --all || fail "verify"
"$CSTORE" path-info -r "$appout" | grep -q greet-lib || fail "reference not registered"
# Run the substituted program in a build that uses it.
run=$(mkdrv run-greet "$appout/bin/greet > \$out" "{\"inputSrcs\": [\"$BB\", \"$appout\"]}")
"$CSTORE" build --no-link "$run" >/dev/null 2>&1 || fail "running the substituted program failed"
[[ $(cat "$CSTORE_STORE$("$CSTORE" build --no-link "$run" 2>/dev/null)") == "hello from the cache" ]] || fail "program output"

# copy --from fetches a closure on demand.
export CSTORE_STORE=$T/root3
"$CSTORE" --option trusted-public-keys "$(cat pk)" copy --from "file://$T/cache" "$appout" 2>err || { cat err; fail "copy --from"; }
[[ $("$CSTORE" path-info -r "$appout" | wc -l) == 3 ]] || fail "closure not complete"
"$CSTORE" store verify --check-contents --all >/dev/null 2>&1 || fail "root3 does not verify"

# Without the key: copy --from refuses, build falls back to building.
export CSTORE_STORE=$T/root4
expect_fail "refusing to substitute.*none of its signatures .by .cache-1.. is valid" \
  "$CSTORE" copy --from "file://$T/cache" "$appout"
# Only busybox, content-addressed and so needing no signature, was fetched.
[[ $(ls "$T/root4/store") == *-bb ]] || fail "root4 store holds more than busybox: $(ls -a "$T/root4/store")"
"$CSTORE" store add "$T/bb" >/dev/null
mkdrv greet-lib '$B mkdir -p $out; echo "echo hello from the cache" > $out/greet.sh; echo built lib' >/dev/null
"$CSTORE" --option substituters "file://$T/cache" build -L --no-link "$lib" >/dev/null 2>err || { cat err; fail "fallback build"; }
grep -q "building instead" err || fail "no fallback warning: $(cat err)"
grep -q "built lib" err || fail "lib was not built"
echo ok
