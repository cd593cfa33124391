#!/usr/bin/env bash
# Heavy libraries live in extensions loaded on first use
# (util/include/cstore/util/extension.hh): the binary itself does not link
# them, commands that need none load none, and an installed binary finds its
# extensions in <prefix>/lib/cstore.
source "$CSTORE_SRC/tests/lib/testlib.sh"

deps=$(ldd "$CSTORE")
for lib in libcurl libarchive liblzma libbz2 libbrotli libcpp-httplib libssl; do
    [[ $deps != *"$lib"* ]] || fail "the cstore binary links $lib: it belongs in an extension"$'\n'"$deps"
done

loaded() { LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -o 'cstore-[a-z]*\.so' | sort -u | tr '\n' ' ' || true; }
expect_eq "$(loaded "$CSTORE" eval -E '1 + 1')" "" "eval loads no extension"
expect_eq "$(loaded "$CSTORE" --version)" "" "--version loads no extension"
echo data >"$T/file"
path=$(cs store add "$T/file")
expect_eq "$(loaded "$CSTORE" path-info "$path")" "" "path-info loads no extension"

# Each extension is loaded when needed, and only it.
expect_eq "$(loaded "$CSTORE" copy --to "file://$T/cache-zstd" "$path")" "" "a zstd cache needs no extension"
expect_eq "$(loaded "$CSTORE" copy --to "file://$T/cache-xz" --compression xz "$path")" "cstore-compression.so " \
    "an xz cache loads the compression extension"
mkdir -p "$T/src/pkg" && echo x >"$T/src/pkg/a" && tar -C "$T/src" -czf "$T/pkg.tar.gz" pkg
expect_eq "$(loaded "$CSTORE" eval -E "builtins.fetchTarball file://$T/pkg.tar.gz")" "cstore-archive.so " \
    "fetchTarball of a file URL loads the archive extension"

# An installed binary uses the extensions installed beside it.
cmake --install "$CSTORE_BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1 || fail "cmake --install: $(cat "$T/install.log")"
[[ -f $T/prefix/lib/cstore/cstore-http.so ]] || fail "cstore-http.so is not installed in lib/cstore"
files=$(LD_DEBUG=files "$T/prefix/bin/cstore" copy --to "file://$T/cache-br" --compression br "$path" 2>&1 >/dev/null)
expect_contains "$files" "$T/prefix/bin/../lib/cstore/cstore-compression.so" "installed binary loads its own extension"
echo ok
