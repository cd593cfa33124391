// One layer tar, written with libarchive in a reproducible form: entries
// sorted by path, owner 0:0 with no names, one fixed mtime, POSIX pax
// format (long names allowed, nothing host-specific).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blob_writer.hh"

namespace cstore {

struct LayerEntry {
    std::string path;                          // inside the image, relative ("store/abc-x/bin/sh")
    std::string hostPath;                      // what to archive; empty for synthesised directories and symlinks
    std::optional<std::string> symlinkTarget;  // a synthesised symlink
    std::optional<unsigned> mode;              // overrides the host mode
    bool directory = false;                    // a synthesised directory
};

// Adds `hostPath` (recursively, without following symlinks) at `imagePath`.
void collectTree(const std::string& hostPath, const std::string& imagePath, std::optional<unsigned> mode,
                 std::vector<LayerEntry>& out);
// Adds directory entries for every parent of `imagePath` (mode 0755).
void collectParents(const std::string& imagePath, std::vector<LayerEntry>& out);

// Writes the entries (sorted, duplicates of the same path merged) as a tar
// into `blob`.
void writeLayerTar(std::vector<LayerEntry> entries, int64_t mtime, BlobWriter& blob);

}  // namespace cstore
