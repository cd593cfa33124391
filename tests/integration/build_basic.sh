#!/usr/bin/env bash
# A multi-level graph builds; a second build is a no-op; results are linked;
# logs are stored; a failing builder fails cleanly and registers nothing.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"

a=$(mkdrv a '$B mkdir $out; echo A > $out/a')
aout=$("$CSTORE" show-derivation "$a" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
b=$(mkdrv b '$B mkdir $out; $B cat '"$aout"'/a > $out/b; echo B >> $out/b; $B ln -s '"$aout"' $out/a-link' \
  "{\"inputDrvs\": {\"$a\": [\"out\"]}}")
bout=$("$CSTORE" show-derivation "$b" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
c=$(mkdrv c 'echo C > $out; $B cat '"$bout"'/b >> $out' "{\"inputDrvs\": {\"$b\": [\"out\"]}}")

out=$("$CSTORE" build "$c")
[[ $(cat result) == $'C\nA\nB' ]] || fail "wrong output: $(cat result)"
[[ $out == $("$CSTORE" path-info ./result) ]] || fail "printed path differs from result"
# b refers to a (through the symlink), c refers to b's hash only through content: not a reference.
"$CSTORE" path-info --json "$bout" | grep -q "$aout" || fail "b does not refer to a"
"$CSTORE" path-info -r ./result | grep -q "$bout" && fail "c should not refer to b"
"$CSTORE" log "$b" >/dev/null || fail "no log stored for b"
"$CSTORE" gc --print-roots | grep -q "$T/result" || fail "result is not a root"

# Second build: nothing to do.
err=$("$CSTORE" build "$c" 2>&1 >/dev/null)
[[ -z $err ]] || fail "second build was not a no-op: $err"
"$CSTORE" build --dry-run "$c" 2>&1 | grep -q "nothing to build" || fail "dry run of a built graph"

# Dry run of something new lists it.
d=$(mkdrv d 'echo D > $out' "{\"inputDrvs\": {\"$c\": [\"out\"]}}")
"$CSTORE" build --dry-run --json "$d" | grep -q "$d" || fail "dry run does not list d"

# A failing builder: exit code, derivation named, log tail shown, nothing registered.
f=$(mkdrv failing 'echo some output; echo the reason >&2; exit 3')
set +e
err=$("$CSTORE" build --no-link "$f" 2>&1)
rc=$?
set -e
[[ $rc == 1 ]] || fail "failing build exited $rc"
grep -q "failed with exit code 3" <<<"$err" || fail "no exit code in: $err"
grep -q "$f" <<<"$err" || fail "derivation not named in: $err"
grep -q "the reason" <<<"$err" || fail "log tail not shown in: $err"
fout=$("$CSTORE" show-derivation "$f" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
"$CSTORE" path-info "$fout" 2>/dev/null && fail "failed output registered"
ls "$CSTORE_STORE/store" | grep -q '^\.stage' && fail "staging directory left behind"

# A builder that produces no output.
n=$(mkdrv nothing 'true')
expect_fail "did not produce its output" "$CSTORE" build --no-link "$n"

# --keep-going builds what it can.
ok=$(mkdrv independent 'echo fine > $out')
set +e
"$CSTORE" build --no-link -k "$f" "$ok" >/dev/null 2>&1
set -e
okout=$("$CSTORE" show-derivation "$ok" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])')
"$CSTORE" path-info "$okout" >/dev/null || fail "--keep-going did not build the independent derivation"
"$CSTORE" store verify --all --check-contents >/dev/null 2>&1 || fail "store does not verify"
echo ok
