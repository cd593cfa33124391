// A binary cache in a local directory (`file:///dir`). Files appear
// atomically: they are written under a temporary name in the cache and renamed.
#pragma once

#include "cstore/substituter/binary_cache.hh"

namespace cstore {

class FileBinaryCache : public BinaryCache {
public:
    explicit FileBinaryCache(CacheUrl url);

    std::string describe(const std::string& path) const override { return dir_ + "/" + path; }
    std::optional<std::string> getFile(const std::string& path) override;
    bool streamFile(const std::string& path, Sink& sink) override;
    bool fileExists(const std::string& path) override;
    void upsertFile(const std::string& path, std::string_view data, std::string_view mimeType) override;
    std::unique_ptr<CacheUpload> beginUpload() override;
    unsigned parallelism() const override;

private:
    std::string dir_;
};

}  // namespace cstore
