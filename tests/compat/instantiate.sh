#!/usr/bin/env bash
# Instantiation compared with real Nix: every case in tests/compat/instantiate/*.cbl
# (cases are separated by lines '# ---'; a first line '# args: ...' passes
# arguments to both) goes through `cstore instantiate` and `nix-instantiate`
# on a Nix chroot store with the same store directory. The printed .drv
# paths must be identical; when Nix fails, cstore must fail too. At the end
# both stores must hold exactly the same paths, and every .drv file (with the
# output paths inside it) must be byte-identical.
source "$CSTORE_SRC/tests/lib/testlib.sh"
use_nix
export NIX_PATH= CSTORE_PATH= TZ=UTC

cases=$T/cases
mkdir -p "$cases"
cp -r "$CSTORE_SRC/tests/compat/instantiate/data" "$cases/data"
ln -s "$CSTORE_SRC/examples" "$T/examples"
filter=${1:-}
for suite in "$CSTORE_SRC"/tests/compat/instantiate/*.cbl; do
    name=$(basename "$suite" .cbl)
    [[ -n $filter && $name != *$filter* ]] && continue
    awk -v dir="$cases" -v name="$name" '
      BEGIN { n = 1; file = sprintf("%s/%s-%03d.cbl", dir, name, n) }
      /^# ---/ { close(file); n++; file = sprintf("%s/%s-%03d.cbl", dir, name, n); next }
      { print > file }' "$suite"
done

# Nix has no <cstore>; give it the standard library's entry file.
nix_args=(--store "$NIXSTORE" -I "cstore=$CSTORE_SRC/lang/std/default.cbl")
pass=0 failed=0 nixfail=0
for case in "$cases"/*.cbl; do
    args=()
    if head -1 "$case" | grep -q '^# args:'; then read -r -a args <<<"$(head -1 "$case" | sed 's/^# args://')"; fi
    (cd "$cases" && nix-instantiate "${nix_args[@]}" "${args[@]}" "$case" >"$case.nix.out" 2>"$case.nix.err") &&
        nixrc=0 || nixrc=$?
    (cd "$cases" && cs instantiate "${args[@]}" "$case" >"$case.our.out" 2>"$case.our.err") && ourrc=0 || ourrc=$?
    if [[ $nixrc != 0 ]]; then
        nixfail=$((nixfail + 1))
        if [[ $ourrc == 0 ]]; then
            failed=$((failed + 1))
            echo "FAIL ${case##*/}: Nix failed ($(head -1 "$case.nix.err")) but cstore printed $(cat "$case.our.out")"
        fi
        continue
    fi
    if [[ $ourrc == 0 ]] && cmp -s "$case.nix.out" "$case.our.out"; then
        pass=$((pass + 1))
    else
        failed=$((failed + 1))
        echo "FAIL ${case##*/}:"
        diff <(cat "$case.nix.out") <(cat "$case.our.out" "$case.our.err") | head -20
    fi
done
echo "instantiate compat: $pass identical, $nixfail failing in both, $failed different"
((failed == 0)) || fail "cstore instantiate differs from nix-instantiate"

# Both stores hold the same paths, and the .drv files are byte-identical.
nixdir=$T/nixroot/nix/store
(cd "$nixdir" && ls | grep -v '\.lock$' | LC_ALL=C sort) >"$T/nix.paths"
store_entries | grep -v '\.lock$' >"$T/our.paths"
if ! diff "$T/nix.paths" "$T/our.paths" >"$T/paths.diff"; then
    cat "$T/paths.diff"
    fail "the stores hold different paths"
fi
drvs=0
while read -r p; do
    [[ $p == *.drv ]] || continue
    cmp -s "$nixdir/$p" "$STORE/$p" || fail "$p differs: $(diff <(cat "$nixdir/$p") <(cat "$STORE/$p"))"
    drvs=$((drvs + 1))
done <"$T/our.paths"
((drvs > 100)) || fail "only $drvs .drv files compared"
# Registered with the references Nix gives them.
for p in $(grep '\.drv$' "$T/our.paths" | head -40); do
    expect_eq "$(cs path-info --json "/store/$p" | jq -r '.[0].references | sort | join(" ")' 2>/dev/null ||
        cs path-info --json "/store/$p")" \
        "$(nix-store --store "$NIXSTORE" -q --references "/store/$p" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" \
        "references of $p"
done
# show-derivation prints what `nix show-derivation` prints (compared as JSON, every .drv).
mapfile -t all < <(grep '\.drv$' "$T/our.paths" | sed 's|^|/store/|')
nix show-derivation --store "$NIXSTORE" "${all[@]}" | jq -S . >"$T/nix-show.json"
cs show-derivation "${all[@]}" | jq -S . >"$T/our-show.json"
diff "$T/nix-show.json" "$T/our-show.json" >"$T/show.diff" || fail "show-derivation differs: $(head -30 "$T/show.diff")"
# -r follows the inputs as Nix does.
top=$(head -1 "$cases/inputs-003.cbl.our.out")
expect_eq "$(cs show-derivation -r "$top" | jq -S -c 'keys')" \
    "$(nix show-derivation --store "$NIXSTORE" -r "$top" | jq -S -c 'keys')" "show-derivation -r"
echo "instantiate compat: $(wc -l <"$T/our.paths") store paths and $drvs .drv files identical, show-derivation too"
