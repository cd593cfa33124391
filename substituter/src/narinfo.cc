#include "cstore/substituter/narinfo.hh"

#include <charconv>

namespace cstore {

namespace {

uint64_t parseSize(std::string_view value, const char* field) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
        throw FormatError("%s '%s' is not a number", field, value);
    return n;
}

}  // namespace

NarInfo NarInfo::parse(const StoreDir& storeDir, std::string_view text, const std::string& whence) {
    std::optional<StorePath> path;
    std::optional<Hash> narHash, fileHash;
    std::optional<uint64_t> narSize, fileSize;
    std::optional<StorePathSet> references;
    std::optional<StorePath> deriver;
    std::optional<ContentAddress> ca;
    std::string url, compression, system;
    bool haveCompression = false;
    std::set<std::string> sigs;

    uint32_t lineNo = 0;
    auto pos = [&] { return SourcePos{whence, lineNo, 1}; };
    size_t i = 0;
    while (i < text.size()) {
        ++lineNo;
        size_t nl = text.find('\n', i);
        if (nl == std::string_view::npos) throw FormatError(pos(), "narinfo line does not end in a newline");
        std::string_view line = text.substr(i, nl - i);
        i = nl + 1;
        if (line.empty()) continue;
        auto colon = line.find(':');
        if (colon == std::string_view::npos) throw FormatError(pos(), "narinfo line '%s' has no ':'", line);
        std::string_view key = line.substr(0, colon), value = line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
        try {
            if (key == "StorePath") {
                path = storeDir.parsePath(value);
            } else if (key == "URL") {
                url = value;
            } else if (key == "Compression") {
                compression = value;
                haveCompression = true;
            } else if (key == "FileHash") {
                fileHash = Hash::parseAny(value, std::nullopt);
            } else if (key == "FileSize") {
                fileSize = parseSize(value, "FileSize");
            } else if (key == "NarHash") {
                narHash = Hash::parseAny(value, std::nullopt);
            } else if (key == "NarSize") {
                narSize = parseSize(value, "NarSize");
            } else if (key == "References") {
                if (references) throw FormatError(pos(), "narinfo has two References lines");
                references.emplace();
                size_t j = 0;
                while (j < value.size()) {
                    size_t e = value.find(' ', j);
                    if (e == std::string_view::npos) e = value.size();
                    if (e > j) references->insert(StorePath(value.substr(j, e - j)));
                    j = e + 1;
                }
            } else if (key == "Deriver") {
                if (value != "unknown-deriver") deriver = StorePath(value);
            } else if (key == "System") {
                system = value;
            } else if (key == "Sig") {
                if (value.find(':') == std::string_view::npos)
                    throw FormatError(pos(), "signature '%s' is not of the form 'name:base64'", value);
                sigs.insert(std::string(value));
            } else if (key == "CA") {
                if (ca) throw FormatError(pos(), "narinfo has two CA lines");
                ca = ContentAddress::parse(value);
            }
        } catch (FormatError& e) {
            if (!e.pos()) e.setPos(pos());
            throw;
        } catch (BadStorePath& e) {
            throw FormatError(pos(), "%s: %s", key, e.message());
        }
    }
    lineNo = 0;
    if (!path) throw FormatError(pos(), "narinfo has no StorePath");
    if (url.empty()) throw FormatError(pos(), "narinfo has no URL");
    if (!narHash) throw FormatError(pos(), "narinfo has no NarHash");
    if (narHash->algo != HashAlgo::sha256) throw FormatError(pos(), "narinfo's NarHash is not SHA-256");
    if (!narSize) throw FormatError(pos(), "narinfo has no NarSize");
    if (*narSize == 0) throw FormatError(pos(), "narinfo's NarSize is zero");

    NarInfo ni(*path);
    ni.url = url;
    if (haveCompression) ni.compression = compression.empty() ? "none" : compression;
    ni.fileHash = fileHash;
    ni.fileSize = fileSize.value_or(0);
    ni.narHash = *narHash;
    ni.narSize = *narSize;
    if (references) ni.references = std::move(*references);
    ni.deriver = deriver;
    ni.system = system;
    ni.sigs = std::move(sigs);
    ni.ca = ca;
    return ni;
}

std::string NarInfo::render(const StoreDir& storeDir) const {
    std::string out;
    out += "StorePath: " + storeDir.print(path) + "\n";
    out += "URL: " + url + "\n";
    out += "Compression: " + compression + "\n";
    if (fileHash) {
        out += "FileHash: " + fileHash->toString(HashFormat::nix32) + "\n";
        out += "FileSize: " + std::to_string(fileSize) + "\n";
    }
    out += "NarHash: " + narHash.toString(HashFormat::nix32) + "\n";
    out += "NarSize: " + std::to_string(narSize) + "\n";
    out += "References:";
    if (references.empty()) out += " ";
    for (auto& r : references) out += " " + r.baseName();
    out += "\n";
    if (deriver) out += "Deriver: " + deriver->baseName() + "\n";
    if (!system.empty()) out += "System: " + system + "\n";
    for (auto& s : sigs) out += "Sig: " + s + "\n";
    if (ca) out += "CA: " + ca->render() + "\n";
    return out;
}

}  // namespace cstore
