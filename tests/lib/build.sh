# Helpers for tests that build derivations through the real `cstore` binary.
# shellcheck shell=bash
set -euo pipefail

: "${CSTORE:?the path of the cstore binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/cstore-test.XXXXXX")
chmod 755 "$T"
cleanup_build_test() {
  local pids
  pids=$(cat "$T"/*.pid 2>/dev/null || true)
  [[ -n $pids ]] && kill $pids 2>/dev/null || true
  chmod -R u+w "$T" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup_build_test EXIT
export CSTORE_STORE=$T/root
export HOME=$T/home
mkdir -p "$HOME"
unset CSTORE_CONFIG

fail() { echo "FAIL: $*" >&2; exit 1; }

# The static busybox, taken into the store; $BB is its store path.
mkdir -p "$T/bb"
cp /usr/bin/busybox "$T/bb/busybox"
BB=$("$CSTORE" store add "$T/bb")
BUSYBOX=$BB/busybox

# mkdrv NAME SCRIPT [JSON-FIELDS]: a derivation running `busybox sh -c SCRIPT`
# (with $B = busybox) and extra JSON fields merged in; prints the .drv path.
mkdrv() {
  local name=$1 script=$2 extra=${3:-"{}"}
  python3 - "$name" "$script" "$extra" "$BB" <<'PY' | "$CSTORE" derivation add
import json, sys
name, script, extra, bb = sys.argv[1:5]
d = {"name": name, "system": "x86_64-linux", "outputs": {"out": {}}, "inputSrcs": [bb],
     "builder": bb + "/busybox", "args": ["sh", "-c", "B=" + bb + "/busybox; " + script],
     "env": {"name": name, "builder": bb + "/busybox", "system": "x86_64-linux"}}
extra = json.loads(extra)
env = extra.pop("env", {})
d.update(extra)
d["env"].update(env)
print(json.dumps(d))
PY
}

# expect_fail PATTERN CMD...: CMD must fail and its stderr must match PATTERN.
expect_fail() {
  local pattern=$1; shift
  local err
  if err=$("$@" 2>&1 >/dev/null); then fail "expected failure: $*"; fi
  grep -qE -- "$pattern" <<<"$err" || fail "error of '$*' does not match '$pattern':
$err"
}
