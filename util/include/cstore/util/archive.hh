// Extracting archives (tar with any compression, zip, ... — whatever
// libarchive reads), refusing entries that would land outside the
// destination: absolute names, "..", and writes through symlinks. Used by
// `builtin:unpack` and `builtins.fetchTarball`.
//
//   extractArchive("/tmp/src.tar.gz", "/tmp/out");     // out must exist
//   std::string root = singleTopDirectory("/tmp/out"); // "/tmp/out/pkg-1.0" or "/tmp/out"
#pragma once

#include <string>

namespace cstore {

// Extracts into the existing directory `dest`; returns the number of entries.
// Errors name the archive as `shownAs` when given (e.g. the URL it came from).
// It changes the working directory while it runs (restored on return), so
// call it from one thread at a time.
size_t extractArchive(const std::string& archivePath, const std::string& dest, const std::string& shownAs = "");

// `dir/x` if `dir` holds exactly one entry and it is a directory, else `dir`
// (fetchTarball and stdenv strip such a single top-level directory).
std::string singleTopDirectory(const std::string& dir);

}  // namespace cstore
