// `cstore serve`: the local store as a binary cache over HTTP(S). Narinfos
// and NARs are generated on request (NARs streamed, zstd-compressed on the
// fly unless `compression = none`), narinfos are signed with the given keys,
// and only valid store paths are reachable: every URL is matched against a
// fixed set of patterns and resolved through the database.
//
//   GET /nix-cache-info
//   GET /<hash>.narinfo                        (HEAD too)
//   GET /nar/<hash>-<narhash>.nar[.zst]
//   GET /log/<drv base name>
//
//   CacheServerOptions o;
//   o.listen = "127.0.0.1:8080";
//   serveCache(store, o);                      // until SIGINT/SIGTERM
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cstore/store/local_store.hh"
#include "cstore/store/signatures.hh"

namespace cstore {

struct CacheServerOptions {
    std::string listen = "127.0.0.1:8080";  // ADDR:PORT; port 0 picks a free one
    std::string tlsCert, tlsKey;            // both set: HTTPS
    std::vector<SecretKey> keys;            // narinfos get a signature from each
    std::string compression = "zstd";       // zstd or none
    int compressionLevel = 1;
    unsigned threads = 64;  // connections served at once (each keeps a thread while open)
    unsigned keepAliveSeconds = 5;
    int priority = 30;  // announced in nix-cache-info
    std::function<std::optional<std::string>(const StorePath& drv)> readLog;
    // Called once the socket listens, with the base URL (e.g. "https://127.0.0.1:8443").
    std::function<void(const std::string& url)> onReady;
};

// Serves until the process is interrupted. Throws Error if it cannot listen.
void serveCache(LocalStore& store, const CacheServerOptions& options);

}  // namespace cstore
