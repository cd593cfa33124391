// The environment and build-directory files a builder gets, exactly as Nix
// sets them up (spec 11.3, 11.6, 11.7).
#pragma once

#include <map>
#include <string>

#include "cstore/store/derivation.hh"

namespace cstore {

struct BuildEnvInputs {
    std::string storeDir;         // logical, e.g. /store
    std::string sandboxBuildDir;  // /build in the sandbox, the host dir otherwise
    uint64_t cores = 1;
    // The process environment, for impureEnvVars of fixed-output derivations.
    std::map<std::string, std::string> callerEnv;
};

struct BuildEnv {
    std::map<std::string, std::string> env;
    // Files to create in the build directory: name -> contents (passAsFile, .attrs.*).
    std::map<std::string, std::string> files;
};

BuildEnv makeBuildEnv(const Derivation& drv, const BuildEnvInputs& in);

// Space-separated words of an env attribute (absent -> empty).
std::vector<std::string> envWords(const Derivation& drv, const std::string& name);

}  // namespace cstore
