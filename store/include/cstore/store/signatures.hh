// Ed25519 signatures over store path fingerprints, in Nix's formats (spec 7):
// key files hold `<name>:<base64>` (64 secret bytes = seed || public key, or
// 32 public bytes), and a signature is rendered `<name>:<base64 of 64 bytes>`.
//
//   SecretKey sk = SecretKey::generate("cache.example.org-1");
//   writeFile("sk", sk.toString());
//   std::string sig = sk.sign(info.fingerprint(storeDir));   // "cache.example.org-1:..."
//   PublicKeys keys = parsePublicKeys({sk.toPublicKey().toString()});
//   verifySignature(info.fingerprint(storeDir), sig, keys)   // true
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cstore/store/path_info.hh"

namespace cstore {

struct PublicKey {
    std::string name;
    std::string key;  // 32 raw bytes

    // "name:base64"; throws FormatError naming what is wrong.
    static PublicKey parse(std::string_view text);
    std::string toString() const;
    // Whether `sig` (64 raw bytes) is this key's signature of `data`.
    bool verifyDetached(std::string_view data, std::string_view sig) const;
};

struct SecretKey {
    std::string name;
    std::string key;  // 64 raw bytes: seed || public key

    static SecretKey parse(std::string_view text);
    // A fresh key pair from the system's random source.
    static SecretKey generate(std::string_view name);
    std::string toString() const;
    PublicKey toPublicKey() const;
    // "name:base64(signature of data)".
    std::string sign(std::string_view data) const;
};

// Reads a secret key file (trailing whitespace is ignored); errors name the file.
SecretKey readSecretKeyFile(const std::string& path);

// Trusted keys by name.
using PublicKeys = std::map<std::string, PublicKey>;
PublicKeys parsePublicKeys(const std::vector<std::string>& texts);

// Whether `sig` ("name:base64") is a valid signature of `data` by the key of
// that name in `keys`. An unknown name is not valid; a malformed signature is
// not valid either (it cannot vouch for anything).
bool verifySignature(std::string_view data, std::string_view sig, const PublicKeys& keys);

// The signatures of `info` (its `sigs`) that verify against `keys`.
std::set<std::string> validSignatures(const PathInfo& info, const StoreDir& storeDir, const PublicKeys& keys);

// Whether `info` has a content address from which its store path can be
// recomputed (with its references): such a path needs no signature.
bool isContentAddressedPath(const PathInfo& info, const StoreDir& storeDir);

// Why `info` is not trustworthy under `keys`, or "" if it is (content-addressed,
// or signed by a trusted key).
std::string signatureProblem(const PathInfo& info, const StoreDir& storeDir, const PublicKeys& keys);

// The keys of the `secret-key-files` setting (read once per call).
std::vector<SecretKey> secretKeysFromSettings();
// The keys of the `trusted-public-keys` setting.
PublicKeys trustedKeysFromSettings();

}  // namespace cstore
