#include "cstore/store/signatures.hh"

#include <sodium.h>

#include "cstore/util/encoding.hh"
#include "cstore/util/file.hh"
#include "cstore/util/settings.hh"

namespace cstore {

namespace {

void initSodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw Error("cannot initialise libsodium");
}

// Splits "name:base64" and decodes the key to exactly `size` bytes.
std::pair<std::string, std::string> parseKey(std::string_view text, size_t size, std::string_view what) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0) throw FormatError("%s is not of the form 'name:base64'", what);
    std::string raw;
    try {
        raw = decodeBase64(text.substr(colon + 1));
    } catch (FormatError&) {
        throw FormatError("%s '%s' has invalid base-64 data", what, text.substr(0, colon));
    }
    if (raw.size() != size)
        throw FormatError("%s '%s' has %s bytes, expected %s", what, text.substr(0, colon), raw.size(), size);
    return {std::string(text.substr(0, colon)), std::move(raw)};
}

std::string trimRight(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    return s;
}

}  // namespace

PublicKey PublicKey::parse(std::string_view text) {
    auto [name, raw] = parseKey(text, crypto_sign_PUBLICKEYBYTES, "public key");
    return PublicKey{std::move(name), std::move(raw)};
}

std::string PublicKey::toString() const { return name + ":" + encodeBase64(key); }

bool PublicKey::verifyDetached(std::string_view data, std::string_view sig) const {
    initSodium();
    if (sig.size() != crypto_sign_BYTES || key.size() != crypto_sign_PUBLICKEYBYTES) return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                                       reinterpret_cast<const unsigned char*>(key.data())) == 0;
}

SecretKey SecretKey::parse(std::string_view text) {
    auto [name, raw] = parseKey(text, crypto_sign_SECRETKEYBYTES, "secret key");
    return SecretKey{std::move(name), std::move(raw)};
}

SecretKey SecretKey::generate(std::string_view name) {
    initSodium();
    if (name.empty() || name.find(':') != std::string_view::npos)
        throw Error("key name '%s' must be non-empty and contain no ':'", name);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    if (crypto_sign_keypair(pk, sk) != 0) throw Error("cannot generate a key pair");
    SecretKey key{std::string(name), std::string(reinterpret_cast<char*>(sk), sizeof sk)};
    sodium_memzero(sk, sizeof sk);
    return key;
}

std::string SecretKey::toString() const { return name + ":" + encodeBase64(key); }

PublicKey SecretKey::toPublicKey() const {
    initSodium();
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(key.data()));
    return PublicKey{name, std::string(reinterpret_cast<char*>(pk), sizeof pk)};
}

std::string SecretKey::sign(std::string_view data) const {
    initSodium();
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                         reinterpret_cast<const unsigned char*>(key.data()));
    return name + ":" + encodeBase64(std::string_view(reinterpret_cast<char*>(sig), sizeof sig));
}

SecretKey readSecretKeyFile(const std::string& path) {
    try {
        return SecretKey::parse(trimRight(readFile(path)));
    } catch (Error& e) {
        throw Error("secret key file '%s': %s", path, e.message());
    }
}

PublicKeys parsePublicKeys(const std::vector<std::string>& texts) {
    PublicKeys keys;
    for (auto& t : texts) {
        auto k = PublicKey::parse(t);
        keys[k.name] = std::move(k);
    }
    return keys;
}

bool verifySignature(std::string_view data, std::string_view sig, const PublicKeys& keys) {
    auto colon = sig.find(':');
    if (colon == std::string_view::npos) return false;
    auto it = keys.find(std::string(sig.substr(0, colon)));
    if (it == keys.end()) return false;
    std::string raw;
    try {
        raw = decodeBase64(sig.substr(colon + 1));
    } catch (FormatError&) {
        return false;
    }
    return it->second.verifyDetached(data, raw);
}

std::set<std::string> validSignatures(const PathInfo& info, const StoreDir& storeDir, const PublicKeys& keys) {
    std::set<std::string> valid;
    if (info.sigs.empty() || keys.empty()) return valid;
    std::string fp = info.fingerprint(storeDir);
    for (auto& s : info.sigs)
        if (verifySignature(fp, s, keys)) valid.insert(s);
    return valid;
}

bool isContentAddressedPath(const PathInfo& info, const StoreDir& storeDir) {
    if (!info.ca) return false;
    try {
        return storeDir.makeFixedOutputPath(info.path.name(), *info.ca, info.referencesWithoutSelf(),
                                            info.hasSelfReference()) == info.path;
    } catch (Error&) {
        return false;
    }
}

std::string signatureProblem(const PathInfo& info, const StoreDir& storeDir, const PublicKeys& keys) {
    if (isContentAddressedPath(info, storeDir)) return "";
    if (!validSignatures(info, storeDir, keys).empty()) return "";
    if (info.sigs.empty()) return "it has no signatures";
    std::string names;
    for (auto& s : info.sigs) {
        std::string name = s.substr(0, s.find(':'));
        names += (names.empty() ? "" : ", ") + ("'" + name + "'");
        if (keys.count(name)) names += " (invalid)";
    }
    return format("none of its signatures (by %s) is valid under trusted-public-keys", names);
}

std::vector<SecretKey> secretKeysFromSettings() {
    std::vector<SecretKey> keys;
    for (auto& f : settings.secretKeyFiles.get()) keys.push_back(readSecretKeyFile(f));
    return keys;
}

PublicKeys trustedKeysFromSettings() {
    try {
        return parsePublicKeys(settings.trustedPublicKeys.get());
    } catch (Error& e) {
        throw Error("setting 'trusted-public-keys': %s", e.message());
    }
}

}  // namespace cstore
