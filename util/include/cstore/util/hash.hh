// Cryptographic hashes (MD5, SHA-1, SHA-256, SHA-512) through OpenSSL's EVP
// interface, which uses the CPU's SHA instructions, and their textual forms
// as Nix writes and reads them (spec section 1).
//
//   Hash h = hashString(HashAlgo::sha256, "hello");
//   h.toString(HashFormat::nix32)          // "sha256:094qif9n..."
//   h.toSRI()                              // "sha256-LPJNul+w..."
//   Hash::parseAny("sha256-LPJN...", std::nullopt)
//
//   HashSink sink(HashAlgo::sha256);       // streaming
//   sink(chunk1); sink(chunk2);
//   auto [hash, size] = sink.finish();
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cstore/util/stream.hh"

namespace cstore {

enum class HashAlgo : uint8_t { md5, sha1, sha256, sha512 };

std::string_view hashAlgoName(HashAlgo algo);
std::optional<HashAlgo> parseHashAlgo(std::string_view name);
size_t hashSize(HashAlgo algo);

enum class HashFormat : uint8_t { base16, nix32, base64, sri };

struct Hash {
    HashAlgo algo = HashAlgo::sha256;
    std::array<uint8_t, 64> bytes{};

    Hash() = default;
    explicit Hash(HashAlgo algo) : algo(algo) {}

    size_t size() const { return hashSize(algo); }
    std::string_view raw() const { return {reinterpret_cast<const char*>(bytes.data()), size()}; }

    // Without prefix: just the digest in the chosen encoding (sri always has one).
    std::string encode(HashFormat format) const;
    // "<algo>:<digest>", or "<algo>-<base64>" for sri.
    std::string toString(HashFormat format) const;
    std::string toSRI() const { return toString(HashFormat::sri); }

    // Parses "<algo>:<digest>", "<algo>-<base64>" (SRI) or, when `algo` is given,
    // a bare digest. The digest encoding is recognised by its length.
    static Hash parseAny(std::string_view text, std::optional<HashAlgo> algo);
    // A bare digest of a known algorithm (base16, nix32 or base64).
    static Hash parseBare(std::string_view digest, HashAlgo algo);
    static Hash fromRaw(HashAlgo algo, std::string_view raw);

    bool operator==(const Hash& other) const { return algo == other.algo && raw() == other.raw(); }
    auto operator<=>(const Hash& other) const {
        if (auto c = algo <=> other.algo; c != 0) return c;
        return raw().compare(other.raw()) <=> 0;
    }
};

// A Sink that hashes what passes through it, counting the bytes too.
class HashSink : public Sink {
public:
    explicit HashSink(HashAlgo algo);
    ~HashSink() override;
    HashSink(const HashSink&) = delete;
    HashSink& operator=(const HashSink&) = delete;

    void operator()(std::string_view data) override;
    // The digest of everything so far and the byte count; the sink is then reset.
    std::pair<Hash, uint64_t> finish();

private:
    HashAlgo algo_;
    void* ctx_;  // EVP_MD_CTX*
    uint64_t bytes_ = 0;
};

Hash hashString(HashAlgo algo, std::string_view data);
Hash hashFile(HashAlgo algo, const std::string& path);

// XOR-folds a hash to `size` bytes (used for the 160-bit store path digest).
std::string compressHash(const Hash& hash, size_t size);

}  // namespace cstore
