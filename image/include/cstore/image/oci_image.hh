// Composing an OCI image layout (oci-layout, index.json, blobs/sha256/...)
// from the closure of store paths, reproducibly: the same inputs give the
// same bytes, so the same digests.
//
//   ImageSpec spec = ImageSpec::fromJson(j);
//   ImageResult r = composeImage(store, spec, "/out/dir");
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cstore/image/image_spec.hh"
#include "cstore/store/local_store.hh"

namespace cstore {

struct LayerInfo {
    std::string digest;  // sha256:<hex> of the blob as stored
    std::string diffId;  // sha256:<hex> of the uncompressed tar
    uint64_t size = 0;
    std::vector<std::string> storePaths;  // what the layer holds ("" entries: the files layer)
    std::string mediaType;
};

// The store paths an image may use and their references: read from the
// database by the caller (the builtin builder runs where it is not open).
struct ImageInputs {
    StoreDir storeDir;
    std::string realStoreDir;
    std::map<StorePath, StorePathSet> references;  // every path of the closure of the contents

    std::string realPath(const StorePath& p) const { return realStoreDir + "/" + p.baseName(); }
    StorePathSet closure(const StorePathSet& roots) const;
    static ImageInputs fromStore(LocalStore& store, const StorePathSet& roots);
};

struct ImageResult {
    std::string manifestDigest;
    uint64_t manifestSize = 0;
    std::string configDigest;
    std::vector<LayerInfo> layers;
};

// Store paths grouped into at most `maxLayers - 1` layers: one per path
// while they fit, else the most depended-upon paths alone and the rest
// together. The last layer (for `files` and /bin links) is not included.
std::vector<std::vector<StorePath>> planLayers(const ImageInputs& inputs, const StorePathSet& closure,
                                               unsigned maxLayers);

ImageResult composeImage(const ImageInputs& inputs, const ImageSpec& spec, const std::string& outDir);

// An image index over several single-platform images (each an OCI layout
// directory made by composeImage): a multi-platform image at `outDir`.
void composeImageIndex(const std::vector<std::string>& imageDirs, const std::string& tag, const std::string& outDir);

}  // namespace cstore
