#!/usr/bin/env bash
# Time limits, interruption, concurrent builds of one derivation,
# fixed-output hashes, --check and allowed references.
source "$CSTORE_SRC/tests/lib/build.sh"
cd "$T"
outpath() { "$CSTORE" show-derivation "$1" | python3 -c 'import json,sys; print(list(json.load(sys.stdin).values())[0]["outputs"]["out"]["path"])'; }

# --timeout and --max-silent-time kill the build.
d=$(mkdrv slow '$B sleep 1730; echo > $out')
expect_fail "timed out after 1 seconds" "$CSTORE" build --no-link --timeout 1 "$d"
expect_fail "timed out after 1 seconds of silence" "$CSTORE" build --no-link --max-silent-time 1 "$d"
pgrep -f "sleep 1730$" && fail "a timed-out build left a process"

# Ctrl-C: no process, lock, staging directory or output left.
d=$(mkdrv interrupted 'echo started; $B sleep 1731; echo > $out')
"$CSTORE" build --no-link "$d" >/dev/null 2>"$T/int.err" &
pid=$!
for _ in $(seq 100); do pgrep -f "sleep 1731$" >/dev/null && break; sleep 0.05; done
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[[ $rc == 130 ]] || fail "interrupted build exited $rc: $(cat "$T/int.err")"
sleep 0.2
pgrep -f "sleep 1731$" && fail "an interrupted build left a process"
ls -a "$CSTORE_STORE/store" | grep -qE '\.lock$|^\.stage' && fail "an interrupted build left a lock or staging dir: $(ls -a "$CSTORE_STORE/store")"
"$CSTORE" path-info "$(outpath "$d")" 2>/dev/null && fail "an interrupted build registered its output"

# Two processes building the same derivation: it is built once, both succeed.
d=$(mkdrv shared '$B sleep 1; echo $RANDOM > $out')
"$CSTORE" build --no-link "$d" >"$T/one.out" 2>"$T/one.err" &
p1=$!
"$CSTORE" build --no-link "$d" >"$T/two.out" 2>"$T/two.err" &
p2=$!
wait $p1 || fail "first concurrent build failed: $(cat "$T/one.err")"
wait $p2 || fail "second concurrent build failed: $(cat "$T/two.err")"
[[ $(cat "$T/one.out") == "$(cat "$T/two.out")" ]] || fail "concurrent builds printed different paths"
[[ $(cat "$T/one.err" "$T/two.err" | grep -c "^building") == 1 ]] || fail "the derivation was built twice: $(cat "$T"/one.err "$T"/two.err)"

# Fixed-output derivations: the declared hash is checked.
good=$(mkdrv fod-good 'printf hello > $out' '{"outputs": {"out": {"hashAlgo": "sha256", "hash": "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="}}}')
[[ $("$CSTORE" build --no-link "$good" 2>/dev/null) == "$(outpath "$good")" ]] || fail "good fixed-output build"
"$CSTORE" path-info --json "$(outpath "$good")" | grep -q '"ca":"fixed:sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic"' || fail "fixed output has no CA"
bad=$(mkdrv fod-bad 'printf goodbye > $out' '{"outputs": {"out": {"hashAlgo": "sha256", "hash": "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="}}}')
expect_fail "hash mismatch in fixed-output derivation.*" "$CSTORE" build --no-link "$bad"
err=$("$CSTORE" build --no-link "$bad" 2>&1 || true)
grep -q "got: sha256-guNaY866N+lkZDTF3UEupXcUfx5KQczeFhQlMYfj2/k=" <<<"$err" || fail "mismatch does not show the actual hash: $err"

# --check catches a builder that writes the time.
# busybox date has no %N: the uptime in hundredths of a second changes between two builds.
clock=$(mkdrv clock '$B mkdir $out; echo stable > $out/same; $B date +%s > $out/time; $B cat /proc/uptime >> $out/time')
"$CSTORE" build --no-link "$clock" >/dev/null 2>&1
expect_fail "may not be deterministic" "$CSTORE" build --check "$clock"
err=$("$CSTORE" build --check "$clock" 2>&1 || true)
grep -q "^  time$" <<<"$err" || fail "--check does not name the differing file: $err"
grep -q "^  same$" <<<"$err" && fail "--check names an identical file: $err"
stable=$(mkdrv stable 'echo same > $out')
"$CSTORE" build --no-link "$stable" >/dev/null 2>&1
"$CSTORE" build --check "$stable" >/dev/null 2>&1 || fail "--check of a deterministic build failed"

# --repair rebuilds a corrupted output and replaces it.
rep=$(mkdrv repairable '$B mkdir $out; echo good > $out/f')
repout=$("$CSTORE" build --no-link "$rep" 2>/dev/null)
chmod u+w "$CSTORE_STORE$repout" "$CSTORE_STORE$repout/f"; echo bad > "$CSTORE_STORE$repout/f"
expect_fail "corrupt" "$CSTORE" store verify --check-contents "$repout"
"$CSTORE" build --no-link --repair "$rep" >/dev/null 2>&1 || fail "--repair failed"
[[ $(cat "$CSTORE_STORE$repout/f") == good ]] || fail "--repair did not restore the output"
"$CSTORE" store verify --check-contents "$repout" 2>/dev/null || fail "repaired output does not verify"

# disallowedReferences is enforced.
ref=$(mkdrv refs-bb 'echo '"$BB"' > $out' '{"env": {"disallowedReferences": "'"$BB"'"}}')
expect_fail "is not allowed to refer to" "$CSTORE" build --no-link "$ref"
ok=$(mkdrv refs-ok 'echo '"$BB"' > $out' '{"env": {"allowedReferences": "'"$BB"'"}}')
"$CSTORE" build --no-link "$ok" >/dev/null 2>&1 || fail "allowedReferences rejected an allowed reference"

# impureHostDeps must be allowed by sandbox-paths.
impure=$(mkdrv impure '/usr/bin/true && echo ok > $out' '{"env": {"impureHostDeps": "/usr /lib /lib64"}}')
expect_fail "sandbox-paths setting does not allow" "$CSTORE" build --no-link "$impure"
out=$("$CSTORE" build --no-link --option sandbox-paths "/usr /lib /lib64" "$impure" 2>/dev/null) || fail "allowed impure build failed"
"$CSTORE" path-info --json "$out" | grep -q '"impure":true' || fail "impure output not marked"
echo ok
