// Garbage collection (spec section 10, our layout):
// - direct roots: symlinks (or files named like store paths) anywhere below
//   `<stateDir>/gcroots/` that point into the store;
// - indirect roots: links below `gcroots/` that point at a symlink elsewhere
//   (e.g. `./result`), which points into the store; links under
//   `gcroots/auto/` whose target is gone are removed;
// - temporary roots of live cstore processes (`temproots/<pid>`).
// Everything outside the closure of the roots is deleted, referrers before
// references, in batches of one transaction each.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "cstore/store/local_store.hh"

namespace cstore {

struct GcRoot {
    std::string link;  // the file under gcroots/ (or the user's link, for indirect roots)
    StorePath path;
};

// Finds the roots; removes stale indirect roots when `removeStale` is set.
std::vector<GcRoot> findRoots(LocalStore& store, bool removeStale);

// Makes `link` a symlink to `path` (atomically) and registers it as an
// indirect root under gcroots/auto/<nix32(sha1(link))>.
void addIndirectRoot(LocalStore& store, const std::string& link, const StorePath& path);

struct GcOptions {
    bool dryRun = false;  // compute, print, delete nothing
    uint64_t maxFreed = std::numeric_limits<uint64_t>::max();
    size_t batchSize = 16384;  // paths per transaction, at most (the first ones are smaller)
    // Called for each dead path, before (or instead of, in a dry run) its deletion.
    std::function<void(const StorePath&)> onDead;
};

struct GcResult {
    uint64_t pathsDeleted = 0;
    uint64_t bytesFreed = 0;
    uint64_t deadPaths = 0;         // found dead (deleted unless dry run or max-freed reached)
    uint64_t leftoversDeleted = 0;  // invalid entries in the store directory
};

GcResult collectGarbage(LocalStore& store, const GcOptions& options);

// Holding this lock (exclusively) keeps every process from registering new
// temporary roots, so the live set cannot grow behind the caller's back.
FileLock acquireGcLock(LocalStore& store);

// The live set: the closure of the roots and temporary roots, honouring
// keep-derivations and keep-outputs. The caller holds the GC lock.
StorePathSet computeLivePaths(LocalStore& store);

}  // namespace cstore
