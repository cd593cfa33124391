#!/usr/bin/env bash
# Differential test of the evaluator against real Nix: every case in
# tests/compat/eval/*.cbl (cases are separated by lines '# ---') is run
# through `cstore eval --read-only --strict` and `nix-instantiate --eval --readonly-mode --strict`.
# Outputs must be identical; when Nix fails, cstore must fail too.
# A case whose first line is '# args: ...' passes those arguments to both;
# '# lazy' as the first line runs both without --strict.
set -euo pipefail
: "${CSTORE:?path of the cstore binary}"
: "${CSTORE_SRC:?path of the source tree}"
command -v nix-instantiate >/dev/null || { echo "nix-instantiate missing (apt-get install nix-bin)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home NIX_CONFIG=$'experimental-features = nix-command\nsubstituters =' NIX_STORE_DIR=/store
export NIX_PATH= CSTORE_PATH= TZ=UTC
mkdir -p "$HOME" "$tmp/cases"
cp -r "$CSTORE_SRC/tests/compat/eval/data" "$tmp/cases/data"

filter=${1:-}
pass=0 fail=0
failures=()
for suite in "$CSTORE_SRC"/tests/compat/eval/*.cbl; do
  name=$(basename "$suite" .cbl)
  [[ -n $filter && $name != *$filter* ]] && continue
  # Split the suite into one file per case.
  awk -v dir="$tmp/cases" -v name="$name" '
    BEGIN { n = 1; file = sprintf("%s/%s-%03d.cbl", dir, name, n) }
    /^# ---/ { close(file); n++; file = sprintf("%s/%s-%03d.cbl", dir, name, n); next }
    { print > file }' "$suite"
done
for case in "$tmp"/cases/*.cbl; do
  args=()
  strict=--strict
  if head -1 "$case" | grep -q '^# args:'; then
    read -r -a args <<<"$(head -1 "$case" | sed 's/^# args://')"
  fi
  if head -1 "$case" | grep -q '^# lazy'; then strict=; fi
  (cd "$tmp/cases" && nix-instantiate --eval $strict --readonly-mode --store "$tmp/nixstore" "${args[@]}" "$case" \
      >"$case.nix.out" 2>"$case.nix.err") && nixrc=0 || nixrc=$?
  (cd "$tmp/cases" && "$CSTORE" --store "$tmp/cstore" eval --read-only $strict "${args[@]}" "$case" >"$case.our.out" 2>"$case.our.err") \
      && ourrc=0 || ourrc=$?
  if [[ $nixrc != 0 ]]; then
    if [[ $ourrc != 0 ]]; then pass=$((pass + 1)); continue; fi
    fail=$((fail + 1)); failures+=("$case: nix failed but cstore printed $(head -c 200 "$case.our.out")")
    continue
  fi
  if [[ $ourrc == 0 ]] && cmp -s "$case.nix.out" "$case.our.out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    failures+=("$case: expected $(head -c 300 "$case.nix.out") got $(head -c 300 "$case.our.out") $(head -c 300 "$case.our.err")")
  fi
done
for f in "${failures[@]}"; do
  echo "FAIL ${f#"$tmp"/cases/}"
  echo "     source: $(head -c 300 "${f%%:*}")"
done
echo "eval compat: $pass passed, $fail failed"
[[ $fail == 0 ]]
