// Store paths: `<storeDir>/<32 nix32 chars>-<name>`, and the way Nix computes
// them from a type, an inner SHA-256 digest and a name (spec section 2).
//
//   StoreDir dir("/store");
//   StorePath p = dir.parsePath("/store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt");
//   p.hashPart()  // "rls7z25j0p444x7f715y4jmcl3ax8vxz"
//   dir.print(p)  // "/store/rls7z25j..."
//   dir.makeStorePath("source", narHash, "f.txt")
#pragma once

#include <compare>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cstore/util/error.hh"
#include "cstore/util/hash.hh"

namespace cstore {

class BadStorePath : public Error {
public:
    using Error::Error;
};

// Throws BadStorePath unless `name` is a valid store path name: 1 to 211
// characters from [0-9a-zA-Z+-._?=], not `.` or `..` and not starting with
// `.-` or `..-` (Nix HEAD's rule).
void checkStorePathName(std::string_view name);

// The base name of a store path (no directory). Ordered byte-wise, which is
// how Nix orders path sets.
class StorePath {
public:
    static constexpr size_t hashLength = 32;

    // Validates `baseName` ("<hash>-<name>") or throws BadStorePath.
    explicit StorePath(std::string_view baseName);
    // From a 20-byte digest and a name.
    StorePath(std::string_view digest20, std::string_view name);

    std::string_view hashPart() const { return std::string_view(base_).substr(0, hashLength); }
    std::string_view name() const { return std::string_view(base_).substr(hashLength + 1); }
    const std::string& baseName() const { return base_; }
    bool isDerivation() const { return name().size() > 4 && name().ends_with(".drv"); }

    bool operator==(const StorePath&) const = default;
    auto operator<=>(const StorePath&) const = default;

    // A dummy path with the given name (hash part all zeros), for placeholders.
    static StorePath dummy(std::string_view name);

private:
    std::string base_;
};

using StorePathSet = std::set<StorePath>;

// How a content-addressed object was ingested (spec 2.3/2.4).
enum class IngestionMethod : uint8_t { text, flat, recursive };

struct ContentAddress {
    IngestionMethod method;
    Hash hash;

    // "text:sha256:<nix32>", "fixed:r:<algo>:<nix32>", "fixed:<algo>:<nix32>".
    std::string render() const;
    static ContentAddress parse(std::string_view text);
    bool operator==(const ContentAddress&) const = default;
};

// The logical store directory and the computations that depend on it.
class StoreDir {
public:
    explicit StoreDir(std::string dir);

    const std::string& dir() const { return dir_; }
    std::string print(const StorePath& path) const { return dir_ + "/" + path.baseName(); }
    // Parses a full path directly inside the store; throws BadStorePath otherwise.
    StorePath parsePath(std::string_view fullPath) const;
    std::optional<StorePath> maybeParsePath(std::string_view fullPath) const;
    bool isStorePath(std::string_view fullPath) const { return maybeParsePath(fullPath).has_value(); }
    // For a path inside a store object (`/store/abc-x/bin/sh`), the object's path.
    StorePath toStorePath(std::string_view pathInStore) const;
    std::string printSet(const StorePathSet& paths, std::string_view sep = " ") const;

    // makeStorePath (spec 2.2): fingerprint "<type>:sha256:<hex>:<storeDir>:<name>".
    StorePath makeStorePath(std::string_view type, const Hash& inner, std::string_view name) const;
    // Text objects (.drv files, toFile): type "text" plus sorted references.
    StorePath makeTextPath(std::string_view name, const Hash& contentHash, const StorePathSet& references) const;
    // Content-addressed objects of any method; references only for text and recursive sha256.
    StorePath makeFixedOutputPath(std::string_view name, const ContentAddress& ca, const StorePathSet& references,
                                  bool selfReference = false) const;
    // Outputs of input-addressed derivations.
    StorePath makeOutputPath(std::string_view outputName, const Hash& drvModuloHash, std::string_view drvName) const;

private:
    std::string dir_;
};

}  // namespace cstore
