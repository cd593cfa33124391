#!/usr/bin/env bash
# Images composed from closures, checked with real tools: skopeo, umoci (the
# strict validator of digests and diff_ids) and, where it runs, podman.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"
outpath() { "$CSTORE" show-derivation "$1" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])'; }

# A package with a program, and a config file, both in the store.
hello=$(mkdrv hello '$B mkdir -p $out/bin $out/share; printf "#!'"$BUSYBOX"' sh\necho hello from the image\n" > $out/bin/hello; $B chmod +x $out/bin/hello; echo doc > $out/share/doc')
helloOut=$("$CSTORE" build --no-link "$hello" 2>/dev/null)
echo "listen 80;" > "$T/app.conf"
conf=$("$CSTORE" store add --flat "$T/app.conf")

# mkimage NAME SPEC-JSON [extra inputDrvs JSON]: an image derivation.
mkimage() {
  python3 - "$1" "$2" "$hello" "$conf" <<'PY' | "$CSTORE" derivation add
import json, sys
name, spec, hello, conf = sys.argv[1:5]
print(json.dumps({"name": name, "system": "x86_64-linux", "builder": "builtin:oci-image", "args": [],
                  "outputs": {"out": {}}, "inputDrvs": {hello: ["out"]}, "inputSrcs": [conf],
                  "env": {"imageSpec": spec}}))
PY
}
spec=$(python3 -c 'import json,sys; print(json.dumps({"name": "hello", "tag": "v1", "contents": [sys.argv[1]],
  "files": [{"source": sys.argv[2], "target": "/etc/app/app.conf", "mode": "0640"}],
  "config": {"Entrypoint": [sys.argv[1] + "/bin/hello"], "Env": ["PATH=/bin"], "WorkingDir": "/", "Labels": {"a": "b"}}}))' "$helloOut" "$conf")
img=$(mkimage hello-image "$spec")
"$CSTORE" build -o image "$img" >/dev/null 2>&1 || fail "image build failed"

# skopeo reads it; umoci unpacks it (checking digests and diff_ids).
skopeo inspect oci:image:v1 > "$T/inspect.json" || fail "skopeo inspect"
grep -q '"Architecture": "amd64"' "$T/inspect.json" || fail "no architecture"
umoci unpack --image image:v1 "$T/bundle" >/dev/null || fail "umoci unpack"
# The unpacked root holds exactly the closure, the files and the /bin links.
expected=$( { for p in $("$CSTORE" path-info -r "$helloOut"); do echo "${p#/}"; done; echo bin; echo bin/hello; echo etc; echo etc/app; echo etc/app/app.conf; echo store; } | sort)
actual=$(cd "$T/bundle/rootfs" && find . -mindepth 1 -maxdepth 2 | sed 's|^\./||' | grep -v '^store/.*/' | sort; cd "$T/bundle/rootfs" && find etc bin -mindepth 1 | sort)
actual=$(echo "$actual" | sort -u)
[[ $actual == "$expected" ]] || fail "unpacked root differs:
expected: $expected
actual:   $actual"
[[ $(stat -c %a "$T/bundle/rootfs/etc/app/app.conf") == 640 ]] || fail "file mode not applied"
[[ $(readlink "$T/bundle/rootfs/bin/hello") == "$helloOut/bin/hello" ]] || fail "bin link"
"$CSTORE" image inspect --json ./image | grep -q "$helloOut" || fail "inspect does not name the store path"

# Reproducible: a fresh store gives the same manifest digest.
digest=$(skopeo inspect oci:image:v1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')
(
  export CSTORE_STORE=$T/root2
  "$CSTORE" store add "$T/bb" >/dev/null
  "$CSTORE" store add --flat "$T/app.conf" >/dev/null
  hello2=$(mkdrv hello '$B mkdir -p $out/bin $out/share; printf "#!'"$BUSYBOX"' sh\necho hello from the image\n" > $out/bin/hello; $B chmod +x $out/bin/hello; echo doc > $out/share/doc')
  [[ $hello2 == "$hello" ]] || fail "derivations differ between stores"
  img2=$(mkimage hello-image "$spec")
  "$CSTORE" build -o "$T/image2" "$img2" >/dev/null 2>&1 || fail "second image build failed"
)
digest2=$(skopeo inspect oci:image2:v1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')
[[ $digest == "$digest2" ]] || fail "image digests differ between two fresh stores: $digest $digest2"

# Changing the files layer only changes that layer.
spec3=$(python3 -c 'import json,sys; s=json.loads(sys.argv[1]); s["files"][0]["mode"]="0644"; print(json.dumps(s))' "$spec")
img3=$(mkimage hello-image "$spec3")
"$CSTORE" build -o image3 "$img3" >/dev/null 2>&1
layers1=$(skopeo inspect oci:image:v1 | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["Layers"]))')
layers3=$(skopeo inspect oci:image3:v1 | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["Layers"]))')
[[ $(diff <(echo "$layers1") <(echo "$layers3") | grep -c '^[<>]') == 2 ]] || fail "more than the files layer changed"

# Export for docker/podman load, and as an OCI archive.
"$CSTORE" image export ./image --format docker-archive -o "$T/docker.tar"
skopeo inspect docker-archive:"$T/docker.tar" | grep -q "1970-01-01T00:00:01Z" || fail "docker-archive unreadable"
tar -xOf "$T/docker.tar" manifest.json | grep -q "hello:v1" || fail "docker-archive has no tag"
"$CSTORE" image export ./image -o "$T/oci.tar"
skopeo inspect oci-archive:"$T/oci.tar" | grep -q "$digest" || fail "oci-archive unreadable"
skopeo copy -q oci:image:v1 docker-archive:"$T/skopeo.tar":x/y:z || fail "skopeo copy"

# A multi-platform index.
python3 - "$img" "$(outpath "$img")" <<'PY' | "$CSTORE" derivation add > "$T/index.drv"
import json, sys
drv, out = sys.argv[1:3]
print(json.dumps({"name": "multi", "system": "x86_64-linux", "builder": "builtin:oci-image", "args": [],
                  "outputs": {"out": {}}, "inputDrvs": {drv: ["out"]},
                  "env": {"imageIndex": json.dumps({"tag": "multi", "images": [out]})}}))
PY
"$CSTORE" build -o index "$(cat "$T/index.drv")" >/dev/null 2>&1 || fail "index build failed"
skopeo inspect --raw oci:index:multi | grep -q 'image.index' || fail "index is not an OCI index"
skopeo inspect oci:index:multi >/dev/null || fail "skopeo cannot resolve the index"

# Hostile specs fail with clear errors.
for bad in '{"target": "/etc/../../x"}|contain ..' '{"target": "relative"}|absolute path' \
           "{\"target\": \"/$(printf 'a%.0s' $(seq 300))\"}|longer than 255"; do
  patch=${bad%%|*}; msg=${bad#*|}
  s=$(python3 -c 'import json,sys; s=json.loads(sys.argv[1]); s["files"][0].update(json.loads(sys.argv[2])); print(json.dumps(s))' "$spec" "$patch")
  d=$(mkimage bad-image "$s")
  expect_fail "$msg" "$CSTORE" build --no-link "$d"
done
loop=$(mkdrv looping '$B mkdir $out; $B ln -s bin $out/bin')
loopOut=$("$CSTORE" build --no-link "$loop" 2>/dev/null)
s=$(python3 -c 'import json,sys; print(json.dumps({"name": "l", "contents": [sys.argv[1]]}))' "$loopOut")
d=$(python3 - "$loop" "$s" <<'PY' | "$CSTORE" derivation add
import json, sys
print(json.dumps({"name": "loop-image", "system": "x86_64-linux", "builder": "builtin:oci-image", "args": [],
                  "outputs": {"out": {}}, "inputDrvs": {sys.argv[1]: ["out"]}, "env": {"imageSpec": sys.argv[2]}}))
PY
)
expect_fail "cannot be followed|Too many levels of symbolic links" "$CSTORE" build --no-link "$d"

# The bill of materials names every path of the closure.
for p in $("$CSTORE" path-info -r ./image); do
  "$CSTORE" sbom ./image | grep -q "$p" || fail "sbom misses $p"
done
"$CSTORE" sbom --format cyclonedx ./image | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["bomFormat"] == "CycloneDX"'

# podman runs it (rootful podman with runc; see shared/ENVIRONMENT.md).
if [[ $(id -u) == 0 ]] && command -v podman >/dev/null && command -v runc >/dev/null; then
  P=(podman --root "$T/podman/storage" --runroot "$T/podman/run" --storage-driver=vfs --cgroup-manager=cgroupfs
     --events-backend=file --runtime runc)
  out=$(timeout 120 "${P[@]}" run --rm --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 oci:image:v1 2>&1) ||
    fail "podman run failed: $out"
  [[ $(tail -1 <<<"$out") == "hello from the image" ]] || fail "podman run printed: $out"
  "${P[@]}" rm -a -f >/dev/null 2>&1 || true
fi
echo ok
