#!/usr/bin/env bash
# The store root (--store, CSTORE_STORE, store-root) and settings from config
# files, CSTORE_CONFIG and --option; `cstore config show`.
source "$CSTORE_SRC/tests/lib/testlib.sh"

printf hello >"$T/f.txt"
# --store wins over CSTORE_STORE, which wins over the store-root setting.
p=$(cs --store "$T/by-option" store add "$T/f.txt")
[[ -d $T/by-option/store && ! -e $CSTORE_STORE ]] || fail "--store did not choose the root"
cs store add "$T/f.txt" >/dev/null
[[ -e $CSTORE_STORE/store/$(base "$p") ]] || fail "CSTORE_STORE did not choose the root"
CSTORE_CONFIG="store-root = $T/by-setting" cs store add "$T/f.txt" >/dev/null
[[ ! -e $T/by-setting ]] || fail "store-root should lose to CSTORE_STORE"
(unset CSTORE_STORE; CSTORE_CONFIG="store-root = $T/by-setting" "$CSTORE" store add "$T/f.txt" >/dev/null)
[[ -e $T/by-setting/store/$(base "$p") ]] || fail "the store-root setting did not choose the root"
expect_eq "$(cs --store "$T/by-option" path-info "$p")" "$p" "path-info in the --store root"
# The root layout.
for d in store var/cstore/gcroots var/cstore/gcroots/auto var/cstore/temproots var/cstore/db.sqlite; do
    [[ -e $T/by-option/$d ]] || fail "store root lacks $d"
done
expect_eq "$(sqlite3 "$T/by-option/var/cstore/db.sqlite" 'pragma journal_mode')" wal "journal mode"

# store-dir changes the logical directory, and so every hash.
other=$(cs --store "$T/other-dir" --option store-dir /other/store store add "$T/f.txt")
[[ $other == /other/store/*-f.txt && $(base "$other") != "$(base "$p")" ]] || fail "store-dir: $other"
[[ -e $T/other-dir/other/store/$(base "$other") ]] || fail "files of an /other/store store"

# Setting sources, later ones winning: file < CSTORE_CONFIG < --option.
show() { cs config show | grep "^$1 = "; }
expect_eq "$(show cores)" "cores = 0  # default" "default"
mkdir -p "$XDG_CONFIG_HOME/cstore"
printf 'cores = 3\n# a comment\n\nmax-jobs = 2  # trailing comment\n' >"$XDG_CONFIG_HOME/cstore/cstore.conf"
expect_eq "$(show cores)" "cores = 3  # $XDG_CONFIG_HOME/cstore/cstore.conf" "config file"
expect_eq "$(show max-jobs)" "max-jobs = 2  # $XDG_CONFIG_HOME/cstore/cstore.conf" "config file, second line"
export CSTORE_CONFIG=$'cores = 4\nkeep-outputs = true'
expect_eq "$(show cores)" "cores = 4  # CSTORE_CONFIG" "CSTORE_CONFIG over the file"
expect_eq "$(show keep-outputs)" "keep-outputs = true  # CSTORE_CONFIG" "CSTORE_CONFIG boolean"
expect_eq "$(cs --option cores 5 config show | grep '^cores')" "cores = 5  # --option" "--option over CSTORE_CONFIG"
expect_eq "$(cs config show --option cores 6 --option max-jobs 7 | grep -E '^(cores|max-jobs)' | paste -sd ,)" \
    "cores = 6  # --option,max-jobs = 7  # --option" "--option after the subcommand, twice"
unset CSTORE_CONFIG
# Without XDG_CONFIG_HOME, ~/.config is read.
mkdir -p "$HOME/.config/cstore"
printf 'cores = 9\n' >"$HOME/.config/cstore/cstore.conf"
expect_eq "$(env -u XDG_CONFIG_HOME "$CSTORE" config show | grep '^cores')" \
    "cores = 9  # $HOME/.config/cstore/cstore.conf" "~/.config"

# Every setting is listed, with its default and help in JSON.
json=$(cs config show --json)
for name in store-dir store-root fsync-store keep-derivations keep-outputs cores max-jobs; do
    expect_eq "$(jq -r --arg n "$name" 'has($n)' <<<"$json")" true "setting $name listed"
    [[ -n $(jq -r --arg n "$name" '.[$n].description' <<<"$json") ]] || fail "setting $name has no help"
done
expect_eq "$(jq -r '.cores | [.value, .default, .origin] | join(" ")' <<<"$json")" \
    "3 0 $XDG_CONFIG_HOME/cstore/cstore.conf" "JSON of cores"

# Errors name the setting, the source and the line.
expect_error "unknown setting 'no-such-setting'" cs --option no-such-setting 1 config show
expect_error "must be a non-negative integer" cs --option cores -1 config show
expect_error "must be true or false" cs --option keep-outputs maybe config show
expect_error "CSTORE_CONFIG:2:1: expected 'name = value'" env CSTORE_CONFIG=$'cores = 1\nnonsense' "$CSTORE" config show
printf 'cores = 1\ncores = lots\n' >"$XDG_CONFIG_HOME/cstore/cstore.conf"
expect_error "$XDG_CONFIG_HOME/cstore/cstore.conf:2:1" cs config show
rm "$XDG_CONFIG_HOME/cstore/cstore.conf"
expect_error "must be an absolute path" cs --store "$T/x" --option store-dir relative store add "$T/f.txt"
echo "store_config: ok"
