// What happens to a builder's outputs after it exits successfully:
// canonicalise, scan for references (input closure and sibling outputs),
// hash, check fixed-output hashes, reference cycles and the
// allowedReferences family, then move into the store and register them in
// one transaction. With BuildMode::check, compare with the registered
// outputs instead and report the files that differ.
#pragma once

#include <string>

#include "cstore/builder/derivation_build.hh"

namespace cstore {

struct OutputCheckInput {
    LocalStore& store;
    const StorePath& drvPath;
    const Derivation& drv;
    const std::string& hostStoreDir;  // where the builder left the outputs (by base name)
    const StorePathSet& inputClosure;
    bool impure;
    BuildMode mode;
};

// Throws Error with a message naming the derivation and output on any problem.
void checkAndRegisterOutputs(const OutputCheckInput& in);

// Relative paths whose type or contents differ between two trees (at most `limit`).
std::vector<std::string> differingFiles(const std::string& a, const std::string& b, size_t limit = 20);

}  // namespace cstore
