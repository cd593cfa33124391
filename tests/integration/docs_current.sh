#!/usr/bin/env bash
# The settings reference in doc/ is generated from the code; it must be current.
set -euo pipefail
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
HOME=$T XDG_CONFIG_HOME=$T env -u CSTORE_CONFIG "$CSTORE" config show --markdown > "$T/settings.md"
if ! diff -u "$CSTORE_SRC/doc/settings.md" "$T/settings.md"; then
  echo "doc/settings.md is stale: run 'cstore config show --markdown > doc/settings.md'" >&2
  exit 1
fi
# Every subcommand has a page in doc/cli/.
for cmd in $("$CSTORE" --help | awk 'tolower($0) ~ /^subcommands:/ {on=1; next} on && NF {print $1}'); do
  [[ -f $CSTORE_SRC/doc/cli/$cmd.md ]] || { echo "doc/cli/$cmd.md is missing" >&2; exit 1; }
done
