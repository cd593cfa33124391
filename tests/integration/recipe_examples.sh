#!/usr/bin/env bash
# The examples build with `cstore build` from an empty store, and their
# programs run (inside a build, since the test store's root is not /):
# pure-hello needs only busybox; c-program uses the host's gcc through
# impureHostDeps, and its default and loud variants coexist.
source "$CSTORE_SRC/tests/lib/testlib.sh"
cd "$T"
ex=$CSTORE_SRC/examples
hostPaths=(--option sandbox-paths "/usr /lib /lib64 /bin")

hello=$(cs build "$ex/pure-hello/recipe.cbl" 2>"$T/err") || fail "pure-hello: $(cat "$T/err")"
[[ $hello == /store/*-pure-hello-1.0 ]] || fail "pure-hello printed '$hello'"
[[ -x result/bin/hello && -f result/share/doc/README ]] || fail "pure-hello output: $(ls -R result)"
out=$(cs build --no-link -I "examples=$ex" -E '
  let std = import <cstore>; hello = import <examples/pure-hello/recipe.cbl>; in
  std.runCommand "run-hello" { } "${hello}/bin/hello > $out"' 2>"$T/err") || fail "running pure-hello: $(cat "$T/err")"
expect_eq "$(cat "$STORE/$(base "$out")")" "Hello from a pure cstore build!" "pure-hello's output"
# The closure: the program, busybox and the greeting; no host path.
expect_eq "$(cs path-info -r "$hello" | sed 's|^/store/[a-z0-9]*-||' | sort | tr '\n' ' ')" \
    "busybox greeting.txt pure-hello-1.0 " "pure-hello's closure"

# Without the allow-list the host toolchain is refused, with a clear message.
rc=0
cs build --no-link "$ex/c-program/recipe.cbl" 2>"$T/err" >/dev/null || rc=$?
expect_eq "$rc" 1 "c-program without sandbox-paths"
grep -q "asks for the host path '/usr', which the sandbox-paths setting does not allow" "$T/err" ||
    fail "c-program without sandbox-paths: $(cat "$T/err")"

plain=$(cs build "${hostPaths[@]}" "$ex/c-program/recipe.cbl" 2>"$T/err") || fail "c-program: $(cat "$T/err")"
loud=$(cs build "${hostPaths[@]}" "$ex/c-program/recipe.cbl" -A loud -o result-loud 2>"$T/err") ||
    fail "c-program -A loud: $(cat "$T/err")"
default=$(cs build "${hostPaths[@]}" "$ex/c-program/recipe.cbl" -A default --no-link 2>/dev/null)
[[ $plain == /store/*-hello-1.0 && $loud == /store/*-hello-loud-1.0 ]] || fail "c-program printed '$plain' '$loud'"
expect_eq "$default" "$plain" "-A default is the default variant"
[[ -x result/bin/hello && -x result-loud/bin/hello ]] || fail "both variants are linked"
# Both link the patched library from the store; run them.
run() {
    cs build "${hostPaths[@]}" --no-link -I "examples=$ex" --argstr attr "$1" -E '
      { attr }: let std = import <cstore>; c = import <examples/c-program/recipe.cbl> { }; in
      std.runCommand "run-${attr}" { impureHostDeps = std.lib.hostToolchainPaths; }
        "${c.${attr}}/bin/hello world > $out"' 2>"$T/err" || fail "running c-program $1: $(cat "$T/err")"
}
expect_eq "$(cat "$STORE/$(base "$(run default)")")" "Greetings, world!" "c-program (patched library)"
expect_eq "$(cat "$STORE/$(base "$(run loud)")")" "GREETINGS, WORLD!" "c-program -A loud"
cs path-info -r "$plain" | grep -q -- '-libgreet-1.0$' || fail "the program does not refer to the library"
echo "recipe examples: ok"
