// The NAR writer. File contents go straight from a read buffer to the sink;
// the small framing strings are gathered in a buffer so that a hashing sink
// sees few, large updates.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "cstore/store/nar.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"
#include "cstore/util/signals.hh"

namespace cstore {

namespace {

constexpr size_t readChunk = 1 << 20;

class NarWriter {
public:
    explicit NarWriter(Sink& sink) : sink_(sink), buffer_(new char[readChunk]) {}

    void dumpRoot(const std::string& path) {
        token("nix-archive-1");
        dumpNode(AT_FDCWD, path, path);
        flush();
    }

    void dumpContentsRoot(std::string_view contents, bool executable) {
        token("nix-archive-1");
        token("(");
        token("type");
        token("regular");
        if (executable) {
            token("executable");
            token("");
        }
        token("contents");
        u64(contents.size());
        flush();
        sink_(contents);
        pad(contents.size());
        token(")");
        flush();
    }

private:
    void u64(uint64_t n) {
        char b[8];
        for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((n >> (8 * i)) & 0xff);
        header_.append(b, 8);
    }

    void pad(uint64_t len) {
        static const char zeros[8] = {};
        if (len % 8) header_.append(zeros, 8 - len % 8);
    }

    void token(std::string_view s) {
        u64(s.size());
        header_.append(s);
        pad(s.size());
        if (header_.size() > 64 * 1024) flush();
    }

    void flush() {
        if (!header_.empty()) {
            sink_(header_);
            header_.clear();
        }
    }

    void dumpNode(int dirFd, const std::string& name, const std::string& fullPath) {
        checkInterrupt();
        struct stat st;
        if (fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            throw SysError("getting status of '%s'", fullPath);
        token("(");
        token("type");
        if (S_ISREG(st.st_mode)) {
            token("regular");
            if (st.st_mode & S_IXUSR) {
                token("executable");
                token("");
            }
            dumpFile(dirFd, name, fullPath, static_cast<uint64_t>(st.st_size));
        } else if (S_ISDIR(st.st_mode)) {
            token("directory");
            int fd = openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) throw SysError("opening directory '%s'", fullPath);
            AutoCloseFD guard(fd);
            for (auto& child : listDirectory(fd, fullPath)) {
                token("entry");
                token("(");
                token("name");
                token(child);
                token("node");
                dumpNode(fd, child, fullPath + "/" + child);
                token(")");
            }
        } else if (S_ISLNK(st.st_mode)) {
            token("symlink");
            token("target");
            token(readLinkAt(dirFd, name, fullPath, static_cast<size_t>(st.st_size)));
        } else {
            throw Error(
                "file '%s' has an unsupported type (only regular files, directories and symlinks can be archived)",
                fullPath);
        }
        token(")");
    }

    void dumpFile(int dirFd, const std::string& name, const std::string& fullPath, uint64_t size) {
        int fd = openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) throw SysError("opening file '%s'", fullPath);
        AutoCloseFD guard(fd);
        token("contents");
        u64(size);
        flush();
        uint64_t left = size;
        while (left > 0) {
            checkInterrupt();
            ssize_t n = read(fd, buffer_.get(), std::min<uint64_t>(left, readChunk));
            if (n < 0) {
                if (errno == EINTR) continue;
                throw SysError("reading file '%s'", fullPath);
            }
            if (n == 0) throw Error("file '%s' shrank while it was being archived", fullPath);
            sink_(std::string_view(buffer_.get(), static_cast<size_t>(n)));
            left -= static_cast<uint64_t>(n);
        }
        char extra;
        if (read(fd, &extra, 1) > 0) throw Error("file '%s' grew while it was being archived", fullPath);
        pad(size);
    }

    static std::vector<std::string> listDirectory(int fd, const std::string& fullPath) {
        int dupFd = dup(fd);
        if (dupFd < 0) throw SysError("opening directory '%s'", fullPath);
        std::unique_ptr<DIR, int (*)(DIR*)> dir(fdopendir(dupFd), closedir);
        if (!dir) {
            close(dupFd);
            throw SysError("opening directory '%s'", fullPath);
        }
        std::vector<std::string> names;
        errno = 0;
        while (struct dirent* e = readdir(dir.get())) {
            std::string_view n = e->d_name;
            if (n != "." && n != "..") names.emplace_back(n);
            errno = 0;
        }
        if (errno) throw SysError("reading directory '%s'", fullPath);
        std::sort(names.begin(), names.end());  // byte-wise, as NAR requires
        return names;
    }

    static std::string readLinkAt(int dirFd, const std::string& name, const std::string& fullPath, size_t hint) {
        std::string target(std::max<size_t>(hint, 64) + 1, '\0');
        while (true) {
            ssize_t n = readlinkat(dirFd, name.c_str(), target.data(), target.size());
            if (n < 0) throw SysError("reading symbolic link '%s'", fullPath);
            if (static_cast<size_t>(n) < target.size()) {
                target.resize(static_cast<size_t>(n));
                return target;
            }
            target.resize(target.size() * 2);
        }
    }

    Sink& sink_;
    std::string header_;
    std::unique_ptr<char[]> buffer_;
};

}  // namespace

void dumpPath(const std::string& path, Sink& sink) { NarWriter(sink).dumpRoot(path); }

void dumpContents(std::string_view contents, bool executable, Sink& sink) {
    NarWriter(sink).dumpContentsRoot(contents, executable);
}

}  // namespace cstore
