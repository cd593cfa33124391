#include "cstore/util/hash.hh"

#include <openssl/evp.h>

#include "cstore/util/encoding.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

std::string_view hashAlgoName(HashAlgo algo) {
    switch (algo) {
        case HashAlgo::md5:
            return "md5";
        case HashAlgo::sha1:
            return "sha1";
        case HashAlgo::sha256:
            return "sha256";
        case HashAlgo::sha512:
            return "sha512";
    }
    return "?";
}

std::optional<HashAlgo> parseHashAlgo(std::string_view name) {
    if (name == "md5") return HashAlgo::md5;
    if (name == "sha1") return HashAlgo::sha1;
    if (name == "sha256") return HashAlgo::sha256;
    if (name == "sha512") return HashAlgo::sha512;
    return std::nullopt;
}

size_t hashSize(HashAlgo algo) {
    switch (algo) {
        case HashAlgo::md5:
            return 16;
        case HashAlgo::sha1:
            return 20;
        case HashAlgo::sha256:
            return 32;
        case HashAlgo::sha512:
            return 64;
    }
    return 0;
}

std::string Hash::encode(HashFormat format) const {
    switch (format) {
        case HashFormat::base16:
            return encodeBase16(raw());
        case HashFormat::nix32:
            return encodeNix32(raw());
        case HashFormat::base64:
        case HashFormat::sri:
            return encodeBase64(raw());
    }
    return {};
}

std::string Hash::toString(HashFormat format) const {
    std::string out(hashAlgoName(algo));
    out += format == HashFormat::sri ? '-' : ':';
    out += encode(format);
    return out;
}

Hash Hash::fromRaw(HashAlgo algo, std::string_view raw) {
    Hash h(algo);
    if (raw.size() != h.size())
        throw FormatError("%s hash has %s bytes, expected %s", hashAlgoName(algo), raw.size(), h.size());
    std::copy(raw.begin(), raw.end(), h.bytes.begin());
    return h;
}

Hash Hash::parseBare(std::string_view digest, HashAlgo algo) {
    size_t n = hashSize(algo);
    if (digest.size() == 2 * n) return fromRaw(algo, decodeBase16(digest));
    if (digest.size() == nix32Length(n)) return fromRaw(algo, decodeNix32(digest, n));
    if (digest.size() == base64Length(n)) return fromRaw(algo, decodeBase64(digest));
    throw FormatError("hash '%s' has the wrong length for a %s hash", digest, hashAlgoName(algo));
}

Hash Hash::parseAny(std::string_view text, std::optional<HashAlgo> algo) {
    auto pick = [&](std::string_view name) {
        auto parsed = parseHashAlgo(name);
        if (!parsed) throw FormatError("unknown hash algorithm '%s' in '%s'", name, text);
        if (algo && *algo != *parsed)
            throw FormatError("hash '%s' should be a %s hash, not %s", text, hashAlgoName(*algo), name);
        return *parsed;
    };
    if (auto colon = text.find(':'); colon != std::string_view::npos)
        return parseBare(text.substr(colon + 1), pick(text.substr(0, colon)));
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        HashAlgo a = pick(text.substr(0, dash));
        auto digest = text.substr(dash + 1);
        if (digest.size() != base64Length(hashSize(a)))
            throw FormatError("SRI hash '%s' has the wrong length for a %s hash", text, hashAlgoName(a));
        return fromRaw(a, decodeBase64(digest));
    }
    if (!algo) throw FormatError("hash '%s' does not name its algorithm", text);
    return parseBare(text, *algo);
}

namespace {
const EVP_MD* legacyEvpFor(HashAlgo algo) {
    switch (algo) {
        case HashAlgo::md5:
            return EVP_md5();
        case HashAlgo::sha1:
            return EVP_sha1();
        case HashAlgo::sha256:
            return EVP_sha256();
        case HashAlgo::sha512:
            return EVP_sha512();
    }
    return nullptr;
}

// Fetched once: with OpenSSL 3, initialising a digest from EVP_sha256() looks
// the implementation up again every time, which costs more than hashing a
// small string (instantiating derivations hashes tens of thousands).
const EVP_MD* evpFor(HashAlgo algo) {
    static const EVP_MD* const fetched[] = {
        EVP_MD_fetch(nullptr, "MD5", nullptr),
        EVP_MD_fetch(nullptr, "SHA1", nullptr),
        EVP_MD_fetch(nullptr, "SHA256", nullptr),
        EVP_MD_fetch(nullptr, "SHA512", nullptr),
    };
    const EVP_MD* md = fetched[static_cast<size_t>(algo)];
    return md ? md : legacyEvpFor(algo);
}
}  // namespace

HashSink::HashSink(HashAlgo algo) : algo_(algo), ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || !EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), evpFor(algo), nullptr))
        throw Error("cannot initialise %s hashing", hashAlgoName(algo));
}

HashSink::~HashSink() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void HashSink::operator()(std::string_view data) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
    bytes_ += data.size();
}

std::pair<Hash, uint64_t> HashSink::finish() {
    Hash h(algo_);
    unsigned len = 0;
    auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
    EVP_DigestFinal_ex(ctx, h.bytes.data(), &len);
    EVP_DigestInit_ex(ctx, evpFor(algo_), nullptr);
    return {h, std::exchange(bytes_, 0)};
}

Hash hashString(HashAlgo algo, std::string_view data) {
    HashSink sink(algo);
    sink(data);
    return sink.finish().first;
}

Hash hashFile(HashAlgo algo, const std::string& path) {
    HashSink sink(algo);
    readFileInto(path, sink);
    return sink.finish().first;
}

std::string compressHash(const Hash& hash, size_t size) {
    std::string out(size, '\0');
    auto raw = hash.raw();
    for (size_t i = 0; i < raw.size(); ++i) out[i % size] = static_cast<char>(out[i % size] ^ raw[i]);
    return out;
}

}  // namespace cstore
