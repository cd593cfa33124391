// What the builder needs from binary caches, as an interface so that the
// builder does not depend on the substituter module (which implements it)
// and its scheduling can be tested with fakes.
#pragma once

#include <functional>
#include <map>

#include "cstore/store/path_info.hh"

namespace cstore {

class LocalStore;

class Substituter {
public:
    virtual ~Substituter() = default;
    // The paths some cache can provide, with their metadata (references included).
    virtual std::map<StorePath, PathInfo> querySubstitutable(const StorePathSet& paths) = 0;
    // Fetches one path whose references are already valid, verifies it and
    // registers it. Throws Error when every cache fails.
    virtual void substitute(LocalStore& store, const PathInfo& info) = 0;
    // Makes `paths` valid together with whatever of their closures is
    // missing, references first; `onPath` hears of each path about to be
    // fetched. This default fetches one path at a time through
    // querySubstitutable and substitute; implementations may fetch in parallel.
    virtual void substituteClosure(LocalStore& store, const StorePathSet& paths,
                                   const std::function<void(const StorePath&)>& onPath);
};

}  // namespace cstore
