#!/usr/bin/env bash
# `cstore eval` through the real binary: output forms, options, exit codes and
# error reports. (Value-by-value agreement with Nix is tests/compat/eval.sh.)
set -euo pipefail
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HOME=$T CSTORE_PATH=
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {  # expect WANTED COMMAND...
  local want=$1; shift
  local got; got=$("$@" 2>&1) || true
  [[ $got == "$want" ]] || fail "$* printed '$got', wanted '$want'"
}

expect 3 "$CSTORE" eval -E '1 + 2'
expect '{ a = <CODE>; b = 1; }' "$CSTORE" eval -E '{ a = 1 + 1; b = 1; }'
expect '{ a = 2; b = 1; }' "$CSTORE" eval --strict -E '{ a = 1 + 1; b = 1; }'
# Arguments are thunks when printed unevaluated, as in Nix (integer
# arithmetic on evaluated operands is otherwise computed at the call).
expect '{ a = <CODE>; }' "$CSTORE" eval -E '(x: { a = x; }) (1 + 2)'
expect '[ <CODE> <CODE> ]' "$CSTORE" eval -E '(x: y: [ x y ]) (1 - 2) (3 * 4)'
expect '[ -1 12 ]' "$CSTORE" eval --strict -E '(x: y: [ x y ]) (1 - 2) (3 * 4)'
expect 55 "$CSTORE" eval -E 'let f = n: if n < 2 then n else f (n - 1) + f (n - 2); in f 10'
expect '{"a":[1,"x"]}' "$CSTORE" eval --json -E '{ a = [ 1 "x" ]; }'
expect 'raw text' "$CSTORE" eval --raw -E '"raw text"'
expect 6 "$CSTORE" eval -A b.1 -E '{ b = [ 5 6 ]; }'
expect 7 "$CSTORE" eval --arg x 3 --argstr y 4 -E '{ x, y }: x + builtins.stringLength y + 3'
expect 42 sh -c "echo '40 + 2' | '$CSTORE' eval -"

mkdir -p "$T/lib/sub"
echo '{ answer = 42; }' > "$T/lib/sub/default.cbl"
echo '(import ./sub).answer' > "$T/lib/main.cbl"
expect 42 "$CSTORE" eval "$T/lib/main.cbl"
expect 42 "$CSTORE" eval -I "mylib=$T/lib" -E '(import <mylib/sub>).answer'
expect 42 env CSTORE_PATH="mylib=$T/lib" "$CSTORE" eval -E '(import <mylib/sub>).answer'

# Errors: exit code 1, message, position with a caret, and no output on stdout.
echo '{ foo = 1; }.fob' > "$T/bad.cbl"
if "$CSTORE" eval "$T/bad.cbl" > "$T/out" 2> "$T/err"; then fail "a missing attribute must fail"; fi
[[ ! -s $T/out ]] || fail "stdout not empty on error"
grep -q "error: attribute 'fob' missing; did you mean 'foo'?" "$T/err" || fail "message: $(cat "$T/err")"
grep -q "at $T/bad.cbl:1:1:" "$T/err" || fail "position: $(cat "$T/err")"
grep -q '^ *| \^$' "$T/err" || fail "caret: $(cat "$T/err")"

printf 'let\n  a = 1\nin a\n' > "$T/syntax.cbl"
if "$CSTORE" eval --parse-only "$T/syntax.cbl" 2> "$T/err"; then fail "a syntax error must fail"; fi
grep -q "unexpected 'in', expected ';'" "$T/err" || fail "syntax message: $(cat "$T/err")"
"$CSTORE" eval --parse-only -E 'x: x' > "$T/out" || fail "--parse-only of a valid expression"
[[ ! -s $T/out ]] || fail "--parse-only printed something"

# The call chain: three frames by default, all with --show-trace.
cat > "$T/deep.cbl" <<'CBL'
let f = n: if n == 0 then throw "bottom" else g (n - 1); g = n: f n; in f 5
CBL
if "$CSTORE" eval "$T/deep.cbl" 2> "$T/err"; then fail "throw must fail"; fi
grep -q "more frames hidden; use --show-trace" "$T/err" || fail "trace summary: $(cat "$T/err")"
if "$CSTORE" --show-trace eval "$T/deep.cbl" 2> "$T/err"; then fail "throw must fail"; fi
[[ $(grep -c "while calling" "$T/err") -ge 10 ]] || fail "--show-trace: $(cat "$T/err")"

# Runaway recursion is an error with a trace, not a crash.
if "$CSTORE" eval -E 'let f = x: f x + 1; in f 0' 2> "$T/err"; then fail "overflow must fail"; fi
grep -q "stack overflow" "$T/err" || fail "overflow: $(cat "$T/err")"

# Start-up stays small: 20 evaluations of `1` well under a second.
start=$(date +%s%N)
for _ in $(seq 20); do "$CSTORE" eval -E 1 > /dev/null; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
(( ms < 2000 )) || fail "20 start-ups took ${ms} ms"
echo "eval integration: ok"
