// The image extension's entry points (tar_layer_libarchive.cc and
// image_tools_libarchive.cc; see cstore/util/extension.hh): writeLayerTar,
// inspectImage and exportImage, as tar_layer.hh and image_tools.hh describe them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cstore/image/image_tools.hh"
#include "tar_layer.hh"

extern "C" void cstore_write_layer_tar(std::vector<cstore::LayerEntry> entries, int64_t mtime,
                                       cstore::BlobWriter& blob);
extern "C" nlohmann::json cstore_inspect_image(const std::string& layoutDir);
extern "C" void cstore_export_image(const std::string& layoutDir, cstore::ArchiveFormat format,
                                    const std::string& outFile);
