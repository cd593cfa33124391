// Remembers narinfo lookups (hits with their text, and misses) and each
// cache's nix-cache-info in SQLite, so that asking again within the TTLs
// costs no request. One file per user: $XDG_CACHE_HOME/cstore/binary-cache-v1.sqlite
// (or ~/.cache/…). Safe to use from several threads and processes.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cstore/store/sqlite.hh"
#include "cstore/substituter/binary_cache.hh"

namespace cstore {

class NarinfoDiskCache {
public:
    // Opens (creating) the database at `path`.
    NarinfoDiskCache(const std::string& path, uint64_t positiveTtl, uint64_t negativeTtl);
    // The per-user default location, or null (with a warning) if it cannot be opened.
    static std::unique_ptr<NarinfoDiskCache> openDefault(uint64_t positiveTtl, uint64_t negativeTtl);

    std::optional<CacheInfo> cacheInfo(const std::string& url);
    void putCacheInfo(const std::string& url, const CacheInfo& info);

    struct Lookup {
        enum class Kind { unknown, missing, present } kind = Kind::unknown;
        std::string narinfo;
    };
    Lookup lookup(const std::string& url, std::string_view hashPart);
    // `narinfo` empty: the cache does not have the path.
    void put(const std::string& url, std::string_view hashPart, const std::string& narinfo);

private:
    int64_t cacheId(const std::string& url);
    std::mutex mutex_;
    Database db_;
    uint64_t positiveTtl_, negativeTtl_;
};

}  // namespace cstore
