// What the builder needs from binary caches, as an interface so that the
// builder does not depend on the substituter module (which implements it)
// and its scheduling can be tested with fakes.
#pragma once

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
};

}  // namespace cstore
