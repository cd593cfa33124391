// A binary cache as a set of files (spec 6.1): `nix-cache-info`,
// `<hash>.narinfo`, `nar/<filehash>.nar<ext>`, `log/<drv>`, reached through
// a local directory (`file:///dir`) or HTTP(S) (`https://host/prefix`: GET
// to read, PUT to write, e.g. nginx's WebDAV module or an S3-compatible
// endpoint). Parameters follow the URL as in Nix store URIs:
// `file:///srv/cache?compression=xz&priority=30`.
//
//   auto cache = openBinaryCache("https://cache.example.org");
//   CacheInfo info = cache->info();                     // nix-cache-info
//   auto text = cache->getFile("abc….narinfo");         // nullopt if absent
//   auto up = cache->beginUpload(); (*up)(bytes); up->commit("nar/x.nar.zst", "application/x-nix-nar");
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cstore/store/store_path.hh"
#include "cstore/util/stream.hh"

namespace cstore {

class HttpClient;

struct CacheUrl {
    std::string base;  // without parameters or trailing slash
    std::map<std::string, std::string> params;

    // Throws Error for an unsupported scheme or a malformed parameter list.
    static CacheUrl parse(std::string_view url);
    std::string param(const std::string& name, const std::string& def = "") const {
        auto it = params.find(name);
        return it == params.end() ? def : it->second;
    }
};

// The contents of nix-cache-info (spec 6.2).
struct CacheInfo {
    std::string storeDir;  // empty if the file does not say
    bool wantMassQuery = false;
    int priority = 50;

    static CacheInfo parse(std::string_view text);
    std::string render() const;
};

// A file being written into a cache. Bytes go in through the Sink interface;
// commit() makes the file visible under its final name (atomically for
// local caches); without commit() nothing is left behind.
class CacheUpload : public Sink {
public:
    virtual void commit(const std::string& path, std::string_view mimeType) = 0;
};

class BinaryCache {
public:
    explicit BinaryCache(CacheUrl url) : url_(std::move(url)) {}
    virtual ~BinaryCache() = default;
    BinaryCache(const BinaryCache&) = delete;
    BinaryCache& operator=(const BinaryCache&) = delete;

    const std::string& url() const { return url_.base; }
    const CacheUrl& cacheUrl() const { return url_; }
    // Where `path` (relative to the cache root) is, for messages.
    virtual std::string describe(const std::string& path) const { return url_.base + "/" + path; }

    // A small file, or nothing if it does not exist. Transient failures are retried.
    virtual std::optional<std::string> getFile(const std::string& path) = 0;
    // One attempt at streaming `path` into `sink`; false if it does not exist.
    // A transient failure throws HttpError; see withRetries.
    virtual bool streamFile(const std::string& path, Sink& sink) = 0;
    virtual bool fileExists(const std::string& path) = 0;
    // Creates or replaces a small file.
    virtual void upsertFile(const std::string& path, std::string_view data, std::string_view mimeType) = 0;
    virtual std::unique_ptr<CacheUpload> beginUpload() = 0;
    // Repeats `attempt` after transient failures, as configured (HTTP only).
    virtual void withRetries(const std::function<void()>& attempt) { attempt(); }
    // Transfers worth running at once.
    virtual unsigned parallelism() const = 0;

    // nix-cache-info, read once; an error if the cache has none.
    CacheInfo info();
    // Writes nix-cache-info for `storeDir` if it is missing (before publishing);
    // an error if the cache is for another store directory.
    void initForWriting(const StoreDir& storeDir);

private:
    CacheUrl url_;
    std::optional<CacheInfo> info_;
};

// `file:///dir` (created on first write), `http://…`, `https://…`. The HTTP
// client is shared by every cache that is opened with it.
std::shared_ptr<BinaryCache> openBinaryCache(const std::string& url, std::shared_ptr<HttpClient> http = nullptr);

// Throws FormatError unless `url` (a narinfo's URL field) stays inside the
// cache: relative, no `..` segment, no scheme.
void checkRelativeCacheUrl(std::string_view url, const std::string& whence);

}  // namespace cstore
