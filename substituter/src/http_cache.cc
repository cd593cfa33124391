#include "http_cache.hh"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cstore/util/file.hh"
#include "cstore/util/settings.hh"

namespace cstore {

namespace {

// Reads a file from offset 0 with pread, so every attempt of a PUT can start over.
class PreadSource : public Source {
public:
    explicit PreadSource(int fd) : fd_(fd) {}
    size_t read(char* data, size_t len) override {
        ssize_t n = pread(fd_, data, len, static_cast<off_t>(offset_));
        if (n < 0) throw SysError("reading an upload's temporary file");
        offset_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
    }

private:
    int fd_;
    uint64_t offset_ = 0;
};

// Spools to an unnamed temporary file, then PUTs it.
class HttpUpload : public CacheUpload {
public:
    explicit HttpUpload(HttpBinaryCache& cache, HttpClient& http, std::function<std::string(const std::string&)> urlOf)
        : cache_(cache), http_(http), urlOf_(std::move(urlOf)) {
        std::string dir = defaultTempDir();
        int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
            // A file system without O_TMPFILE: a named file, unlinked at once.
            std::string name = dir + "/cstore-upload-XXXXXX";
            fd = mkostemp(name.data(), O_CLOEXEC);
            if (fd >= 0) unlink(name.c_str());
        }
        if (fd < 0) throw SysError("creating a temporary file in '%s'", dir);
        fd_ = AutoCloseFD(fd);
    }
    void operator()(std::string_view data) override {
        FdSink(fd_.get())(data);
        size_ += data.size();
    }
    void commit(const std::string& path, std::string_view mimeType) override {
        cache_.withRetries([&] {
            PreadSource src(fd_.get());
            http_.put(urlOf_(path), src, size_, mimeType);
        });
    }

private:
    HttpBinaryCache& cache_;
    HttpClient& http_;
    std::function<std::string(const std::string&)> urlOf_;
    AutoCloseFD fd_;
    uint64_t size_ = 0;
};

}  // namespace

HttpBinaryCache::HttpBinaryCache(CacheUrl url, std::shared_ptr<HttpClient> http)
    : BinaryCache(std::move(url)), http_(http ? std::move(http) : std::make_shared<HttpClient>()) {}

std::string HttpBinaryCache::urlOf(const std::string& path) const {
    if (isHttpUrl(path)) return path;
    return url() + "/" + path;
}

std::optional<std::string> HttpBinaryCache::getFile(const std::string& path) {
    StringSink body;
    auto r = http_->withRetries([&] {
        body.data.clear();
        return http_->get(urlOf(path), body);
    });
    if (r.notFound()) return std::nullopt;
    return std::move(body.data);
}

bool HttpBinaryCache::streamFile(const std::string& path, Sink& sink) {
    return !http_->get(urlOf(path), sink).notFound();
}

bool HttpBinaryCache::fileExists(const std::string& path) {
    return !http_->withRetries([&] { return http_->head(urlOf(path)); }).notFound();
}

void HttpBinaryCache::upsertFile(const std::string& path, std::string_view data, std::string_view mimeType) {
    http_->withRetries([&] {
        StringSource src(data);
        return http_->put(urlOf(path), src, data.size(), mimeType);
    });
}

std::unique_ptr<CacheUpload> HttpBinaryCache::beginUpload() {
    return std::make_unique<HttpUpload>(*this, *http_, [this](const std::string& p) { return urlOf(p); });
}

void HttpBinaryCache::withRetries(const std::function<void()>& attempt) {
    http_->withRetries([&] {
        attempt();
        return 0;
    });
}

unsigned HttpBinaryCache::parallelism() const {
    return std::max<unsigned>(1, static_cast<unsigned>(settings.httpConnections.get()));
}

}  // namespace cstore
