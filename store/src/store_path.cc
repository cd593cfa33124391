#include "cstore/store/store_path.hh"

#include "cstore/util/encoding.hh"

namespace cstore {

namespace {
// The name as shown in error messages: one line, printable, NUL-free.
std::string printable(std::string_view name) {
    std::string out;
    for (char c : name) out += (c >= 0x20 && c < 0x7f) ? std::string(1, c) : "\\x" + encodeBase16({&c, 1});
    return out;
}

bool isNameChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
           c == '.' || c == '_' || c == '?' || c == '=';
}
}  // namespace

void checkStorePathName(std::string_view name) {
    if (name.empty()) throw BadStorePath("store path name is empty");
    if (name.size() > 211) throw BadStorePath("store path name '%s' is longer than 211 characters", printable(name));
    if (name == "." || name == ".." || name.starts_with(".-") || name.starts_with("..-"))
        throw BadStorePath("store path name '%s' is not allowed", printable(name));
    for (char c : name)
        if (!isNameChar(c))
            throw BadStorePath("store path name '%s' contains the forbidden character '%s'", printable(name),
                               printable({&c, 1}));
}

StorePath::StorePath(std::string_view baseName) : base_(baseName) {
    if (baseName.size() < hashLength + 2 || baseName[hashLength] != '-')
        throw BadStorePath("'%s' is not a valid store path base name", printable(baseName));
    for (char c : hashPart())
        if (!isNix32Char(c)) throw BadStorePath("store path '%s' has an invalid hash part", printable(baseName));
    checkStorePathName(name());
}

StorePath::StorePath(std::string_view digest20, std::string_view name)
    : StorePath(encodeNix32(digest20) + "-" + std::string(name)) {}

StorePath StorePath::dummy(std::string_view name) {
    return StorePath(std::string(hashLength, '0') + "-" + std::string(name));
}

std::string ContentAddress::render() const {
    switch (method) {
        case IngestionMethod::text:
            return "text:" + hash.toString(HashFormat::nix32);
        case IngestionMethod::flat:
            return "fixed:" + hash.toString(HashFormat::nix32);
        case IngestionMethod::recursive:
            return "fixed:r:" + hash.toString(HashFormat::nix32);
    }
    return {};
}

ContentAddress ContentAddress::parse(std::string_view text) {
    if (text.starts_with("text:")) {
        Hash h = Hash::parseAny(text.substr(5), std::nullopt);
        if (h.algo != HashAlgo::sha256) throw FormatError("text content address '%s' must use sha256", text);
        return {IngestionMethod::text, h};
    }
    if (text.starts_with("fixed:r:")) return {IngestionMethod::recursive, Hash::parseAny(text.substr(8), std::nullopt)};
    if (text.starts_with("fixed:")) return {IngestionMethod::flat, Hash::parseAny(text.substr(6), std::nullopt)};
    throw FormatError("'%s' is not a content address", text);
}

StoreDir::StoreDir(std::string dir) : dir_(std::move(dir)) {
    if (dir_.empty() || dir_[0] != '/' || (dir_.size() > 1 && dir_.back() == '/'))
        throw Error("store directory '%s' must be an absolute path without a trailing slash", dir_);
}

std::optional<StorePath> StoreDir::maybeParsePath(std::string_view fullPath) const {
    if (fullPath.size() <= dir_.size() + 1 || !fullPath.starts_with(dir_) || fullPath[dir_.size()] != '/')
        return std::nullopt;
    auto base = fullPath.substr(dir_.size() + 1);
    if (base.find('/') != std::string_view::npos) return std::nullopt;
    try {
        return StorePath(base);
    } catch (BadStorePath&) {
        return std::nullopt;
    }
}

StorePath StoreDir::parsePath(std::string_view fullPath) const {
    if (fullPath.size() <= dir_.size() + 1 || !fullPath.starts_with(dir_) || fullPath[dir_.size()] != '/')
        throw BadStorePath("path '%s' is not in the store directory '%s'", fullPath, dir_);
    auto base = fullPath.substr(dir_.size() + 1);
    if (base.find('/') != std::string_view::npos)
        throw BadStorePath("path '%s' is inside a store object, not a store path", fullPath);
    return StorePath(base);
}

StorePath StoreDir::toStorePath(std::string_view pathInStore) const {
    if (pathInStore.size() <= dir_.size() + 1 || !pathInStore.starts_with(dir_) || pathInStore[dir_.size()] != '/')
        throw BadStorePath("path '%s' is not in the store directory '%s'", pathInStore, dir_);
    auto rest = pathInStore.substr(dir_.size() + 1);
    return StorePath(rest.substr(0, rest.find('/')));
}

std::string StoreDir::printSet(const StorePathSet& paths, std::string_view sep) const {
    std::string out;
    for (auto& p : paths) {
        if (!out.empty()) out += sep;
        out += print(p);
    }
    return out;
}

StorePath StoreDir::makeStorePath(std::string_view type, const Hash& inner, std::string_view name) const {
    std::string fingerprint =
        std::string(type) + ":sha256:" + inner.encode(HashFormat::base16) + ":" + dir_ + ":" + std::string(name);
    return StorePath(compressHash(hashString(HashAlgo::sha256, fingerprint), 20), name);
}

StorePath StoreDir::makeTextPath(std::string_view name, const Hash& contentHash, const StorePathSet& references) const {
    std::string type = "text";
    for (auto& r : references) type += ":" + print(r);
    return makeStorePath(type, contentHash, name);
}

StorePath StoreDir::makeFixedOutputPath(std::string_view name, const ContentAddress& ca, const StorePathSet& references,
                                        bool selfReference) const {
    if (ca.method == IngestionMethod::text) {
        if (selfReference) throw Error("text object '%s' cannot refer to itself", name);
        return makeTextPath(name, ca.hash, references);
    }
    if (ca.method == IngestionMethod::recursive && ca.hash.algo == HashAlgo::sha256) {
        std::string type = "source";
        for (auto& r : references) type += ":" + print(r);
        if (selfReference) type += ":self";
        return makeStorePath(type, ca.hash, name);
    }
    if (!references.empty() || selfReference)
        throw Error("content-addressed object '%s' of this kind cannot have references", name);
    std::string inner = std::string("fixed:out:") + (ca.method == IngestionMethod::recursive ? "r:" : "") +
                        std::string(hashAlgoName(ca.hash.algo)) + ":" + ca.hash.encode(HashFormat::base16) + ":";
    return makeStorePath("output:out", hashString(HashAlgo::sha256, inner), name);
}

StorePath StoreDir::makeOutputPath(std::string_view outputName, const Hash& drvModuloHash,
                                   std::string_view drvName) const {
    std::string name(drvName);
    if (outputName != "out") name += "-" + std::string(outputName);
    return makeStorePath("output:" + std::string(outputName), drvModuloHash, name);
}

}  // namespace cstore
