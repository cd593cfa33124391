// Extensions: code that needs a heavy third-party library lives in a small
// shared object of its own, loaded the first time something needs it, so
// that commands which never touch the network or an archive do not pay for
// loading those libraries. libcurl alone pulls in about 25 shared libraries
// (TLS, Kerberos, LDAP, IDN, SSH, ...): mapping and relocating them took
// more than half of `cstore eval -E 1`'s start-up on the development VM.
//
//   extension   code                                     libraries
//   http        HttpClient's transfers                   libcurl
//   archive     extractArchive                           libarchive
//   compression xz, bzip2 and brotli NAR compression     liblzma, libbz2, libbrotli
//   serve       `cstore serve`                           cpp-httplib, libssl
//   image       layer tars, image export and inspection  libarchive, zlib
//
// An extension is `cstore-<name>.so`, built with the program. Its code
// calls the program's own functions (the executables export their symbols),
// so it never carries a second copy of the settings or the logger. Each
// side declares the entry points in one header, as extern "C" functions:
//
//   // http_transport.hh, included by both sides:
//   extern "C" std::unique_ptr<HttpTransport> cstore_http_transport(const HttpOptions&);
//
//   // the program:
//   auto make = extensionFunction<decltype(cstore_http_transport)>("http", "cstore_http_transport");
//   auto transport = make(options);
//
// Loading looks in `<prefix>/lib/cstore/` next to the installed binary,
// then in the build tree the binary came from. A missing or broken
// extension is an Error naming the file. Loading is thread-safe; call
// `loadExtension` before fork() when a child process will need one (the
// dynamic loader must not run in a child of a threaded parent).
#pragma once

#include <string>

namespace cstore {

// Loads `cstore-<name>.so` if it is not loaded yet (throws Error if it cannot).
void loadExtension(const std::string& name);

// The address of `symbol` in extension `name`, loading it first.
void* extensionSymbol(const std::string& name, const char* symbol);

template <typename Function>
Function* extensionFunction(const std::string& name, const char* symbol) {
    return reinterpret_cast<Function*>(extensionSymbol(name, symbol));
}

}  // namespace cstore
