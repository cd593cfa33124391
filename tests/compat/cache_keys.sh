#!/usr/bin/env bash
# Key files and signatures interoperate with Nix 2.8: each side uses the
# other's key files, and both sign the same path with the same bytes.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"
command -v nix-store >/dev/null || { echo "nix not installed; skipping"; exit 0; }
export NIX_CONFIG=$'experimental-features = nix-command\nsubstituters ='
NIXSTORE="local?root=$T/nixroot&store=/store"

nix-store --generate-binary-cache-key nix-key-1 nsk npk
[[ $("$CSTORE" key public nsk) == "$(cat npk)" ]] || fail "public key of Nix's secret key differs"
"$CSTORE" key generate cstore-key-1 --secret-key-file csk --public-key-file cpk
# Byte-identical file format: no trailing newline, name:base64.
[[ $(tail -c1 csk | xxd -p) != 0a ]] || fail "secret key file ends in a newline"

echo hello > f.txt
p=$("$CSTORE" store add f.txt)
np=$(nix-store --store "$NIXSTORE" --add f.txt)
[[ $p == "$np" ]] || fail "different paths: $p vs $np"
for k in nsk csk; do
  "$CSTORE" store sign -k $k "$p" 2>/dev/null
  nix store sign --store "$NIXSTORE" --key-file $k "$np"
done
ours=$("$CSTORE" path-info --json "$p" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)[0]["signatures"])))')
theirs=$(nix path-info --store "$NIXSTORE" --json --sigs "$np" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)[0]["signatures"])))')
[[ $ours == "$theirs" ]] || fail "signatures differ:
cstore: $ours
nix:    $theirs"
echo ok
