// Substitution: fetching store objects from binary caches instead of
// building them. Implements the builder's `Substituter` interface and copies
// whole closures for `cstore copy --from`.
//
//   CacheSubstituter subs({"https://cache.example.org", "file:///srv/cache"},
//                         SubstituterOptions::fromSettings());
//   auto found = subs.querySubstitutable({path});         // narinfo lookups
//   FetchStats s = subs.fetchClosure(store, {path});       // missing references first
//
// Caches are asked in the order of their priority (nix-cache-info `Priority`,
// lower first). For each path the first cache with a narinfo for it is used;
// when fetching from it fails (a bad signature, a hash mismatch, a broken
// stream), the next cache that has the path is tried. A path becomes valid
// only after its NAR hash and size (and content address, if any) have been
// checked and its signature, unless content-addressed, verified; until then
// it lives under a temporary name in the store, deleted on any failure.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cstore/store/local_store.hh"
#include "cstore/store/signatures.hh"
#include "cstore/store/substituter.hh"
#include "cstore/substituter/binary_cache.hh"
#include "cstore/substituter/narinfo.hh"

namespace cstore {

class HttpClient;
class NarinfoDiskCache;

struct SubstituterOptions {
    bool requireSigs = true;
    PublicKeys trustedKeys;
    unsigned parallelism = 0;  // transfers at once; 0: what the caches suggest
    bool useDiskCache = true;  // remember lookups (narinfo-cache-*-ttl)
    uint64_t positiveTtl = 30 * 24 * 3600, negativeTtl = 3600;
    bool showProgress = true;

    // require-sigs, trusted-public-keys, http-connections, narinfo-cache-*-ttl.
    static SubstituterOptions fromSettings();
};

struct FetchStats {
    size_t paths = 0;
    uint64_t narBytes = 0;   // unpacked
    uint64_t fileBytes = 0;  // transferred (compressed)
    double seconds = 0;
};

class CacheSubstituter : public Substituter {
public:
    CacheSubstituter(std::vector<std::string> urls, SubstituterOptions options);
    ~CacheSubstituter() override;

    std::map<StorePath, PathInfo> querySubstitutable(const StorePathSet& paths) override;
    void substitute(LocalStore& store, const PathInfo& info) override;

    // Makes `paths` and their closures valid, fetching every missing path in
    // parallel and registering each after its references. Throws an Error
    // naming each path that could not be fetched (the others stay valid).
    // `onPath` (called from worker threads, one at a time) hears of each
    // path about to be fetched.
    FetchStats fetchClosure(LocalStore& store, const StorePathSet& paths,
                            const std::function<void(const StorePath&)>& onPath = {});
    void substituteClosure(LocalStore& store, const StorePathSet& paths,
                           const std::function<void(const StorePath&)>& onPath) override {
        fetchClosure(store, paths, onPath);
    }

    // The usable caches, best first (opened on first use).
    std::vector<std::string> cacheUrls();

private:
    struct Cache;
    struct Found;
    struct Job;
    class Run;

    void init(const StoreDir& storeDir);
    // The narinfo for `path` from the first usable cache at or after `from`;
    // problems with individual caches go to `problems`.
    std::optional<Found> lookup(const StoreDir& storeDir, const StorePath& path, size_t from,
                                std::vector<std::string>& problems);
    std::optional<NarInfo> fetchNarInfo(Cache& cache, const StoreDir& storeDir, const StorePath& path);
    std::map<StorePath, Found> lookupMany(const StoreDir& storeDir, const StorePathSet& paths,
                                          std::map<StorePath, std::vector<std::string>>& problems);

    std::vector<std::string> urls_;
    SubstituterOptions options_;
    std::shared_ptr<HttpClient> http_;
    std::unique_ptr<NarinfoDiskCache> diskCache_;
    std::vector<std::unique_ptr<Cache>> caches_;
    std::unique_ptr<StoreDir> storeDir_;
    std::mutex mutex_;
    std::map<StorePath, std::shared_ptr<Found>> found_;  // from the last queries
};

}  // namespace cstore
