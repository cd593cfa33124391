// Builders that run inside cstore rather than as a program:
// `builder = "builtin:<name>"` in a derivation. They run in a child process
// (so time limits and cancellation work as for any build), write their
// outputs to `outputs`, and log to stdout/stderr. `builtin:fetchurl` lives
// here; other modules register theirs (the image composer registers
// `builtin:oci-image`) from the CLI, which wires the modules together.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cstore/store/derivation.hh"

namespace cstore {

struct BuiltinContext {
    const Derivation& drv;
    std::map<std::string, std::string> outputs;  // output name -> host path to create
    StoreDir storeDir;
    std::string realStoreDir;
    // The input closure and each path's references (the database is not
    // available in the child process).
    std::map<StorePath, StorePathSet> inputs;

    std::string realPath(const StorePath& p) const { return realStoreDir + "/" + p.baseName(); }
    const std::string& env(const std::string& name) const;  // throws if missing
};

using BuiltinBuilder = void (*)(BuiltinContext& ctx);

struct BuiltinBuilderEntry {
    BuiltinBuilder run;
    // Extensions it uses (cstore/util/extension.hh), loaded before the child
    // is forked: the dynamic loader must not run in a child of a threaded parent.
    std::vector<std::string> extensions;
};

// `name` without "builtin:".
void registerBuiltinBuilder(const std::string& name, BuiltinBuilder fn, std::vector<std::string> extensions = {});
const BuiltinBuilderEntry* findBuiltinBuilder(const std::string& name);  // null if unknown

}  // namespace cstore
