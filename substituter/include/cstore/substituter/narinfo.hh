// `.narinfo` files, the metadata of one store object in a binary cache
// (spec 6.3): parsed strictly, rendered with Nix's exact field order.
//
//   NarInfo ni = NarInfo::parse(storeDir, text, "https://cache/abc….narinfo");
//   ni.url          // "nar/<filehash>.nar.zst"
//   std::string text = ni.render(storeDir);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cstore/store/path_info.hh"

namespace cstore {

struct NarInfo : PathInfo {
    std::string url;                    // relative to the cache root
    std::string compression = "bzip2";  // Nix's default when the field is absent
    std::optional<Hash> fileHash;       // of the compressed file
    uint64_t fileSize = 0;
    std::string system;  // written by Nix 2.8 when known; kept, never required

    explicit NarInfo(StorePath path) : PathInfo(std::move(path)) {}
    explicit NarInfo(const PathInfo& info) : PathInfo(info) {}

    // Throws FormatError naming `whence` and the line for a malformed file or
    // field, a missing required field (StorePath, URL, NarHash, NarSize), a
    // zero NarSize, or a repeated References/CA.
    static NarInfo parse(const StoreDir& storeDir, std::string_view text, const std::string& whence);
    // StorePath, URL, Compression, FileHash, FileSize, NarHash, NarSize,
    // References, Deriver, System, Sig..., CA — each "Key: value\n".
    std::string render(const StoreDir& storeDir) const;
};

}  // namespace cstore
