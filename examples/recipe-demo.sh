#!/usr/bin/env bash
# From a recipe to a program, from scratch, in a temporary store root:
# instantiate the pure-hello example, build it (busybox comes into the store
# first), run it inside a build, build it again (nothing to do), and show
# the derivation and the closure. Usage: recipe-demo.sh [CSTORE]
set -euo pipefail
cstore=${1:-cstore}
here=$(cd "$(dirname "$0")" && pwd)
demo=$(mktemp -d "${TMPDIR:-/tmp}/cstore-demo.XXXXXX")
trap 'chmod -R u+w "$demo"; rm -rf "$demo"' EXIT
export CSTORE_STORE=$demo/root
cd "$demo"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

run cat "$here/pure-hello/recipe.cbl"
run "$cstore" instantiate "$here/pure-hello/recipe.cbl"
run "$cstore" build "$here/pure-hello/recipe.cbl"
run ls -l result/ result/bin/
run cat result/bin/hello
# The store's root is a temporary directory, so its programs name /store/...
# paths that exist only inside builds: run the program in one.
say "cstore build --no-link -E '<runCommand calling \${hello}/bin/hello>'"
ran=$("$cstore" build --no-link -I "examples=$here" -E '
  let std = import <cstore>; hello = import <examples/pure-hello/recipe.cbl>; in
  std.runCommand "run-hello" { } "${hello}/bin/hello > $out"')
echo "$ran"
run cat "$CSTORE_STORE$ran"
say "cstore build $here/pure-hello/recipe.cbl    # again: nothing to build"
time "$cstore" build "$here/pure-hello/recipe.cbl"
run "$cstore" path-info -r -sS ./result
drv=$("$cstore" instantiate "$here/pure-hello/recipe.cbl")
say "cstore show-derivation $drv | head -30"
"$cstore" show-derivation "$drv" | head -30
if gcc --version >/dev/null 2>&1; then
  run "$cstore" build "$here/c-program/recipe.cbl" -A loud -o result-loud --option sandbox-paths "/usr /lib /lib64 /bin"
  run ls -l result-loud/bin/
fi
