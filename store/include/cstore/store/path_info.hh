// What the store knows about one valid path: its NAR hash and size,
// references, deriver, signatures and content address.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "cstore/store/store_path.hh"
#include "cstore/util/hash.hh"

namespace cstore {

struct PathInfo {
    StorePath path;
    Hash narHash;
    uint64_t narSize = 0;
    StorePathSet references;
    std::optional<StorePath> deriver;
    int64_t registrationTime = 0;
    bool ultimate = false;  // built here, not fetched
    std::set<std::string> sigs;
    std::optional<ContentAddress> ca;
    bool impure = false;  // built with host paths from sandbox-paths

    explicit PathInfo(StorePath path) : path(std::move(path)) {}

    // The string signatures are made over (spec 7.2):
    // "1;<path>;<sha256:nix32 narHash>;<narSize>;<ref>,<ref>,..."
    std::string fingerprint(const StoreDir& storeDir) const;
    bool hasSelfReference() const { return references.count(path) > 0; }
    StorePathSet referencesWithoutSelf() const {
        auto refs = references;
        refs.erase(path);
        return refs;
    }
};

}  // namespace cstore
