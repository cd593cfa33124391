// Helpers shared by commands that print path metadata as text or JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "cstore/store/local_store.hh"

namespace cstore {

// The shape of `nix path-info --json` (2.8): path, narHash (SRI), narSize,
// references, ca, deriver, signatures, ultimate, registrationTime.
nlohmann::ordered_json pathInfoToJson(const LocalStore& store, const PathInfo& info);

// Parses a size with an optional K/M/G/T suffix (powers of 1024).
uint64_t parseSize(const std::string& text);

// Reads paths from the command line (store paths, links into the store, or
// paths inside store objects) into store paths.
StorePathSet parseInstallables(LocalStore& store, const std::vector<std::string>& args);

}  // namespace cstore
