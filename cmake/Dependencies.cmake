# Every third-party library comes from a Debian package (see scripts/deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)                        # SHA via EVP (SHA-NI)
find_package(SQLite3 REQUIRED)                          # store metadata
find_package(Boost 1.74 REQUIRED COMPONENTS context)    # fibers: sink->source, eval stacks
find_package(nlohmann_json 3.11 REQUIRED)               # --json output
find_package(CLI11 REQUIRED)                            # argument parsing
find_package(LibArchive REQUIRED)                       # tar (images, tarballs)
find_package(zstd CONFIG REQUIRED)                      # NAR and log compression
find_package(CURL REQUIRED)                             # HTTP(S) substitution
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)   # ed25519
find_package(GTest REQUIRED)
if(CSTORE_BENCH)
  find_package(benchmark REQUIRED)
endif()
