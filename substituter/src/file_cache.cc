#include "file_cache.hh"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "cstore/util/file.hh"

namespace cstore {

namespace {
std::atomic<uint64_t> uploadCounter{0};

std::string tempName(const std::string& dir) {
    return dir + "/.tmp-" + std::to_string(getpid()) + "-" + std::to_string(uploadCounter++);
}

class FileUpload : public CacheUpload {
public:
    explicit FileUpload(std::string dir) : dir_(std::move(dir)), tmp_(tempName(dir_)) {
        fd_ = openFile(tmp_, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    }
    ~FileUpload() override {
        if (fd_) unlink(tmp_.c_str());
    }
    void operator()(std::string_view data) override { FdSink(fd_.get())(data); }
    void commit(const std::string& path, std::string_view) override {
        std::string final = dir_ + "/" + path;
        createDirs(dirOf(final));
        fd_.close();
        if (rename(tmp_.c_str(), final.c_str()) != 0) throw SysError("moving '%s' to '%s'", tmp_, final);
    }

private:
    std::string dir_, tmp_;
    AutoCloseFD fd_;
};
}  // namespace

FileBinaryCache::FileBinaryCache(CacheUrl url) : BinaryCache(url), dir_(canonPath(url.base.substr(7))) {}

std::optional<std::string> FileBinaryCache::getFile(const std::string& path) {
    std::string full = dir_ + "/" + path;
    if (!pathExists(full)) return std::nullopt;
    return readFile(full);
}

bool FileBinaryCache::streamFile(const std::string& path, Sink& sink) {
    int fd = open((dir_ + "/" + path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return false;
        throw SysError("opening '%s'", dir_ + "/" + path);
    }
    AutoCloseFD guard(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    FdSource(fd).drainInto(sink);
    return true;
}

bool FileBinaryCache::fileExists(const std::string& path) { return pathExists(dir_ + "/" + path); }

void FileBinaryCache::upsertFile(const std::string& path, std::string_view data, std::string_view mimeType) {
    // Like Nix, no fsync: readers never see a partial file, but a power loss may lose recent files.
    auto upload = beginUpload();
    (*upload)(data);
    upload->commit(path, mimeType);
}

std::unique_ptr<CacheUpload> FileBinaryCache::beginUpload() {
    createDirs(dir_);
    return std::make_unique<FileUpload>(dir_);
}

unsigned FileBinaryCache::parallelism() const { return std::max(2u, std::thread::hardware_concurrency()); }

}  // namespace cstore
