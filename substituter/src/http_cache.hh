// A binary cache over HTTP(S): GET to read, PUT to write (nginx WebDAV, S3
// behind HTTPS), HEAD to test for files.
#pragma once

#include <memory>

#include "cstore/substituter/binary_cache.hh"
#include "cstore/util/http.hh"

namespace cstore {

class HttpBinaryCache : public BinaryCache {
public:
    HttpBinaryCache(CacheUrl url, std::shared_ptr<HttpClient> http);

    std::optional<std::string> getFile(const std::string& path) override;
    bool streamFile(const std::string& path, Sink& sink) override;
    bool fileExists(const std::string& path) override;
    void upsertFile(const std::string& path, std::string_view data, std::string_view mimeType) override;
    std::unique_ptr<CacheUpload> beginUpload() override;
    void withRetries(const std::function<void()>& attempt) override;
    unsigned parallelism() const override;

private:
    std::string urlOf(const std::string& path) const;
    std::shared_ptr<HttpClient> http_;
};

}  // namespace cstore
