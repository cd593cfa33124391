// Store verification: every registered path must exist on disk; with
// `checkContents`, its NAR hash and size must match the database.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cstore/store/local_store.hh"

namespace cstore {

struct VerifyProblem {
    StorePath path;
    enum class Kind { missing, corrupt, unreadable } kind;
    std::string detail;
};

struct VerifyOptions {
    bool checkContents = false;
    std::function<void(const StorePath&)> onChecked;  // progress
};

// Checks `paths` (all valid paths when empty).
std::vector<VerifyProblem> verifyStore(LocalStore& store, const StorePathSet& paths, const VerifyOptions& options);

}  // namespace cstore
