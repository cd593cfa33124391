#!/usr/bin/env bash
# Signing keys: generation, public keys, `store sign`, `store verify --sigs`,
# and outputs signed at build time by the keys of secret-key-files.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"

"$CSTORE" key generate test-a --secret-key-file sk --public-key-file pk
[[ $(stat -c %a sk) == 600 ]] || fail "secret key file is not private"
[[ $(cat pk) == test-a:* ]] || fail "public key file: $(cat pk)"
[[ $("$CSTORE" key public sk) == "$(cat pk)" ]] || fail "key public differs from the generated public key"
[[ $("$CSTORE" key public < sk) == "$(cat pk)" ]] || fail "key public from stdin differs"
[[ $("$CSTORE" key generate other) == other:* ]] || fail "key generate to stdout"
expect_fail "already exists" "$CSTORE" key generate test-a --secret-key-file sk
expect_fail "has 32 bytes, expected 64" "$CSTORE" key public pk
expect_fail "not of the form" "$CSTORE" key public <<<"garbage"
"$CSTORE" key generate test-b --secret-key-file sk2 --public-key-file pk2

# An output built with secret-key-files set is signed.
a=$(mkdrv signed-a '$B mkdir $out; echo A > $out/a')
aout=$("$CSTORE" --option secret-key-files "$T/sk" build --no-link "$a")
"$CSTORE" path-info --json "$aout" | grep -q '"test-a:' || fail "built output not signed"
"$CSTORE" --option trusted-public-keys "$(cat pk)" store verify --sigs "$aout" || fail "signed output does not verify"
expect_fail "untrusted" "$CSTORE" --option trusted-public-keys "$(cat pk2)" store verify --sigs "$aout"
expect_fail "untrusted.*no signatures|untrusted" "$CSTORE" store verify --sigs "$aout"

# An unsigned input-addressed path is untrusted until signed; -r signs closures.
b=$(mkdrv unsigned-b '$B mkdir $out; $B ln -s '"$aout"' $out/a' "{\"inputDrvs\": {\"$a\": [\"out\"]}}")
bout=$("$CSTORE" build --no-link "$b")
expect_fail "is untrusted: it has no signatures" "$CSTORE" --option trusted-public-keys "$(cat pk2)" store verify --sigs "$bout"
"$CSTORE" store sign -k sk2 -r "$bout" 2>/dev/null
"$CSTORE" --option trusted-public-keys "$(cat pk2)" store verify --sigs "$bout" "$aout" || fail "signed closure does not verify"
"$CSTORE" store verify --sigs --json --option trusted-public-keys "$(cat pk)" "$bout" >out.json && fail "b is not signed by test-a"
grep -q '"problem":"untrusted"' out.json || fail "JSON problem kind: $(cat out.json)"
# Signing twice adds nothing.
"$CSTORE" store sign -k sk2 "$bout" 2>&1 | grep -q "added 0 signature" || fail "re-signing added a signature"

# Content-addressed paths need no signature.
echo hello > f
p=$("$CSTORE" store add f)
"$CSTORE" store verify --sigs "$p" || fail "a content-addressed path needs no signature"
echo ok
