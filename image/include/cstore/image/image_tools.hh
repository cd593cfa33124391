// Reading and exporting image layouts: `cstore image inspect` and
// `cstore image export --format oci-archive|docker-archive`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cstore {

// Layers (digest, diff_id, size, media type, store paths), config and tag of
// the image (or of every image of an index) in an OCI layout directory.
nlohmann::json inspectImage(const std::string& layoutDir);

enum class ArchiveFormat { ociArchive, dockerArchive };
void exportImage(const std::string& layoutDir, ArchiveFormat format, const std::string& outFile);

}  // namespace cstore
