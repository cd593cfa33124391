#!/usr/bin/env bash
# The sandbox needs no privileges: when run as root, the build and sandbox
# tests run again as an ordinary user (cstoreck, created by scripts/test).
set -euo pipefail
if [[ $(id -u) != 0 ]]; then
  echo "already unprivileged: the other build tests cover this"
  exit 0
fi
id cstoreck >/dev/null 2>&1 || { echo "FAIL: user cstoreck is missing (scripts/test creates it)" >&2; exit 1; }
for t in build_basic build_sandbox; do
  setpriv --reuid=cstoreck --regid=cstoreck --init-groups --reset-env \
    env PATH=/usr/bin:/bin TMPDIR=/tmp CSTORE="$CSTORE" CSTORE_SRC="$CSTORE_SRC" \
    bash "$CSTORE_SRC/tests/integration/$t.sh" >/tmp/cstore-unpriv-$$.log 2>&1 ||
    { cat /tmp/cstore-unpriv-$$.log >&2; rm -f /tmp/cstore-unpriv-$$.log; echo "FAIL: $t as an unprivileged user" >&2; exit 1; }
  rm -f /tmp/cstore-unpriv-$$.log
done
echo ok
