// Publishing: copies store paths from the local store into a binary cache
// (`cstore copy --to`). For each path the NAR is streamed from the store
// through compression into the cache, the NAR hash is checked against the
// database on the way (a damaged path is never published), and only when
// the NAR file is complete is its narinfo written — and only after the
// narinfos of its references, so a reader never sees a dangling reference.
//
//   auto cache = openBinaryCache("file:///srv/cache?compression=zstd");
//   CopyToOptions opts;                       // zstd, all cores
//   opts.keys = {readSecretKeyFile("sk")};    // sign the narinfos
//   CopyStats s = copyToCache(store, *cache, store.closure({path}), opts);
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cstore/store/local_store.hh"
#include "cstore/store/signatures.hh"
#include "cstore/substituter/binary_cache.hh"

namespace cstore {

struct CopyToOptions {
    std::string compression = "zstd";  // zstd, xz or none
    int level = -1;                    // the method's default
    unsigned compressionThreads = 0;   // 0: every core
    std::vector<SecretKey> keys;       // signatures added to the narinfos
    unsigned parallelism = 0;          // paths at once; 0: what the cache suggests
    // The build log of a derivation, if there is one (uploaded to log/<drv>).
    std::function<std::optional<std::string>(const StorePath& drv)> readLog;
    bool showProgress = true;

    // Overrides from the cache URL: compression, compression-level,
    // parallel-compression, secret-key (a file).
    void applyUrlParams(const CacheUrl& url);
};

struct CopyStats {
    size_t paths = 0, skipped = 0;
    uint64_t narBytes = 0, fileBytes = 0;
    double seconds = 0;
};

// Copies `paths` (not their closures; pass store.closure(...) for that).
// Paths whose narinfo is already in the cache are skipped. Throws an Error
// naming the first path that failed after the others were done.
CopyStats copyToCache(LocalStore& store, BinaryCache& cache, const StorePathSet& paths, const CopyToOptions& options);

}  // namespace cstore
