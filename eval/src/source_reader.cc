#include "source_reader.hh"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore::eval {

SourceReader::~SourceReader() {
    for (auto& d : dirs_)
        if (d.fd >= 0) ::close(d.fd);
}

namespace {
bool shortReadMeansEof(int dirFd) {
    struct statfs fs;
    if (fstatfs(dirFd, &fs) != 0) return false;
    switch (static_cast<unsigned long>(fs.f_type)) {
        case EXT4_SUPER_MAGIC:
        case TMPFS_MAGIC:
        case XFS_SUPER_MAGIC:
        case BTRFS_SUPER_MAGIC:
        case OVERLAYFS_SUPER_MAGIC:
            return true;
        default:
            return false;
    }
}
}  // namespace

int SourceReader::open(const std::string& path, bool& shortReadIsEof) {
    shortReadIsEof = false;
    size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash + 1 == path.size()) return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    std::string_view dir(path.data(), slash ? slash : 1);
    const char* name = path.c_str() + slash + 1;
    for (auto& d : dirs_)
        if (d.fd >= 0 && d.path == dir) {
            shortReadIsEof = d.shortReadIsEof;
            return ::openat(d.fd, name, O_RDONLY | O_CLOEXEC);
        }
    OpenDir& d = dirs_[nextDir_];
    int fd = ::open(std::string(dir).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // its own error
    nextDir_ = (nextDir_ + 1) % dirs_.size();
    if (d.fd >= 0) ::close(d.fd);
    d.path = dir;
    d.fd = fd;
    d.shortReadIsEof = shortReadMeansEof(fd);
    shortReadIsEof = d.shortReadIsEof;
    return ::openat(d.fd, name, O_RDONLY | O_CLOEXEC);
}

bool SourceReader::read(const std::string& path, std::string& text, bool& isDir) {
    bool shortReadIsEof;
    AutoCloseFD fd(open(path, shortReadIsEof));
    if (!fd) return false;
    isDir = false;
    if (buffer_.empty()) buffer_.resize(16384);
    size_t done = 0;
    while (true) {
        if (done == buffer_.size()) buffer_.resize(buffer_.size() * 2);
        ssize_t n = ::read(fd.get(), buffer_.data() + done, buffer_.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EISDIR && done == 0) {
                isDir = true;
                return true;
            }
            throw SysError("reading '%s'", path);
        }
        if (n == 0) break;
        done += static_cast<size_t>(n);
        if (shortReadIsEof && done < buffer_.size()) break;
    }
    text.assign(buffer_.data(), done);
    if (buffer_.size() > (1u << 20)) std::vector<char>().swap(buffer_);  // don't keep a large file's buffer
    return true;
}

}  // namespace cstore::eval
