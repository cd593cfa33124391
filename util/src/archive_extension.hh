// The archive extension's entry point (util/src/archive_libarchive.cc; see
// cstore/util/extension.hh): extractArchive, as archive.hh describes it.
#pragma once

#include <cstddef>
#include <string>

extern "C" size_t cstore_extract_archive(const std::string& archivePath, const std::string& dest,
                                         const std::string& shownAs);
