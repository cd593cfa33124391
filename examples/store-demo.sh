#!/usr/bin/env bash
# A tour of the store in a temporary store root: add a tree, query it, dump
# it as a NAR, make a root, collect garbage. Usage: store-demo.sh [CSTORE]
set -euo pipefail
cstore=${1:-cstore}
demo=$(mktemp -d "${TMPDIR:-/tmp}/cstore-demo.XXXXXX")
trap 'chmod -R u+w "$demo"; rm -rf "$demo"' EXIT
export CSTORE_STORE=$demo/root
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

mkdir -p "$demo/hello/bin"
printf '#!/bin/sh\necho hello from the store\n' > "$demo/hello/bin/hello"
chmod +x "$demo/hello/bin/hello"
echo "greetings" > "$demo/greeting.txt"

say "cstore store add $demo/hello"
hello=$("$cstore" store add "$demo/hello"); echo "$hello"
run "$cstore" store add --flat "$demo/greeting.txt"
run "$cstore" path-info -sS "$hello"
run "$cstore" path-info --json "$hello"
run "$cstore" hash path "$demo/hello"
say "cstore store dump $hello | cstore store restore $demo/copy"
"$cstore" store dump "$hello" | "$cstore" store restore "$demo/copy"
run ls -lR "$demo/copy"
run "$cstore" store verify --all --check-contents
say "ln -s \$CSTORE_STORE$hello \$CSTORE_STORE/var/cstore/gcroots/hello   # a GC root"
ln -s "$CSTORE_STORE$hello" "$CSTORE_STORE/var/cstore/gcroots/hello"
run "$cstore" gc --print-roots
run "$cstore" gc --print-dead
run "$cstore" gc
run "$cstore" path-info "$hello"
