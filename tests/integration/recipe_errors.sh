#!/usr/bin/env bash
# Failing recipes through `cstore build` and `cstore instantiate`: the message
# names the problem and the recipe's line, the exit code is 1, nothing is
# printed on stdout, and a recipe that fails to evaluate changes nothing.
source "$CSTORE_SRC/tests/lib/testlib.sh"
cd "$T"
cs store add "$CSTORE_SRC/tests/compat/instantiate/data/hello.txt" >/dev/null   # creates the store
before=$(store_snapshot)

# expect_recipe_error WANT LINE CMD...: exit 1, nothing on stdout, stderr starts
# with "error: ", contains WANT and, when LINE is set, "recipe.cbl:LINE:".
expect_recipe_error() {
    local want=$1 line=$2 rc=0 out
    shift 2
    out=$("$@" 2>"$T/err") || rc=$?
    expect_eq "$rc" 1 "exit code of '$*'"
    expect_eq "$out" "" "stdout of '$*'"
    [[ $(head -1 "$T/err") == "error: "* ]] || fail "'$*' error should start with 'error: ': $(cat "$T/err")"
    grep -qF -- "$want" "$T/err" || fail "'$*' should say '$want': $(cat "$T/err")"
    [[ -z $line ]] || grep -qF "recipe.cbl:$line:" "$T/err" || fail "'$*' should point at line $line: $(cat "$T/err")"
}

# A syntax error.
printf 'let\n  x = 1;\nin { a = x; \n' >recipe.cbl
expect_recipe_error "unexpected end of input" 4 cs build recipe.cbl
expect_recipe_error "unexpected end of input" 4 cs instantiate recipe.cbl

# A missing attribute in the recipe, with a suggestion.
cat >recipe.cbl <<'EOF'
let std = import <cstore>;
in std.writeTxt "a" "b"
EOF
expect_recipe_error "attribute 'writeTxt' missing" 2 cs build recipe.cbl
grep -qF "did you mean 'writeText'" "$T/err" || fail "no suggestion: $(cat "$T/err")"

# A missing -A attribute, listing what there is.
cat >recipe.cbl <<'EOF'
let std = import <cstore>; in { a = std.writeText "a" "a"; b = std.writeText "b" "b"; }
EOF
expect_recipe_error "attribute 'c' in selection path 'c' not found; it has 'a', 'b'" "" cs build recipe.cbl -A c

# A bad derivation: the message names the attribute's line.
cat >recipe.cbl <<'EOF'
derivation {
  name = "bad";
  system = builtins.currentSystem;
  builder = "/bin/sh";
  outputHash = "sha256-tooShort";
}
EOF
expect_recipe_error "invalid 'outputHash' of the derivation 'bad'" 5 cs instantiate recipe.cbl
cat >recipe.cbl <<'EOF'
derivation {
  system = builtins.currentSystem;
  builder = "/bin/sh";
}
EOF
expect_recipe_error "required attribute 'name' missing" 1 cs build recipe.cbl

# Not a derivation; a function without the argument it needs; a missing file.
echo '42' >recipe.cbl
expect_recipe_error "the recipe's value is an integer, not a derivation" "" cs build recipe.cbl
echo '{ who }: (import <cstore>).writeText who who' >recipe.cbl
expect_recipe_error "who" 1 cs build recipe.cbl
expect_recipe_error "No such file or directory" "" cs build missing.cbl
expect_unchanged "$before" "after failed evaluations"

# A builder that fails: the build error, the derivation and the log's last lines.
cat >recipe.cbl <<'EOF'
(import <cstore>).runCommand "fails" { } ''
  echo "about to fail"
  exit 3
''
EOF
rc=0
out=$(cs build recipe.cbl 2>"$T/err") || rc=$?
expect_eq "$rc" 1 "exit code of a failing build"
expect_eq "$out" "" "stdout of a failing build"
grep -qE "error: builder for '/store/[a-z0-9]{32}-fails.drv' failed with exit code 3" "$T/err" ||
    fail "failing build: $(cat "$T/err")"
grep -qF "> about to fail" "$T/err" || fail "no log tail: $(cat "$T/err")"
[[ ! -e result ]] || fail "a failed build made a result link"
[[ -z $(store_entries | grep -- '-fails$') ]] || fail "a failed build left an output"
echo "recipe errors: ok"
