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

    // With a copy target, every node is also recreated under `copyTo` in
    // canonical form (0444/0555, mtime 1), from the very bytes that are archived.
    void dumpRoot(const std::string& path, const std::string* copyTo = nullptr) {
        token("nix-archive-1");
        rootPath_ = path;
        copying_ = copyTo != nullptr;
        if (copying_) {
            // The copy may land inside the tree being archived (adding a
            // directory that holds the store): it was not part of the tree
            // when we started, so it is skipped when met.
            struct stat parent;
            if (stat(dirOf(*copyTo).c_str(), &parent) != 0) throw SysError("getting status of '%s'", dirOf(*copyTo));
            copyParentDev_ = parent.st_dev;
            copyParentIno_ = parent.st_ino;
            copyName_ = baseNameOf(*copyTo);
        }
        dumpNode(AT_FDCWD, path, path, AT_FDCWD, copyTo ? *copyTo : std::string(), 0);
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

    void dumpNode(int dirFd, const std::string& name, const std::string& fullPath, int copyDirFd,
                  const std::string& copyName, size_t depth) {
        checkInterrupt();
        // What we write, our reader must accept.
        if (depth > NarLimits::maxDepth)
            throw Error("cannot archive '%s': directories are nested too deeply (more than %s levels)", rootPath_,
                        NarLimits::maxDepth);
        struct stat st;
        if (fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            throw SysError("getting status of '%s'", fullPath);
        token("(");
        token("type");
        if (S_ISREG(st.st_mode)) {
            token("regular");
            bool executable = st.st_mode & S_IXUSR;
            if (executable) {
                token("executable");
                token("");
            }
            dumpFile(dirFd, name, fullPath, static_cast<uint64_t>(st.st_size), copyDirFd, copyName, executable);
        } else if (S_ISDIR(st.st_mode)) {
            token("directory");
            int fd = openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) throw SysError("opening directory '%s'", fullPath);
            AutoCloseFD guard(fd);
            AutoCloseFD copyFd;
            if (copying_) {
                if (mkdirat(copyDirFd, copyName.c_str(), 0755) != 0)
                    throw SysError("creating directory '%s'", copyName);
                copyFd =
                    AutoCloseFD(openat(copyDirFd, copyName.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!copyFd) throw SysError("opening directory '%s'", copyName);
            }
            bool holdsCopy = false;
            if (copying_) {
                struct stat self;
                holdsCopy = fstat(fd, &self) == 0 && self.st_dev == copyParentDev_ && self.st_ino == copyParentIno_;
            }
            for (auto& child : listDirectory(fd, fullPath)) {
                if (holdsCopy && child == copyName_) continue;
                token("entry");
                token("(");
                token("name");
                token(child);
                token("node");
                dumpNode(fd, child, fullPath + "/" + child, copyFd.get(), child, depth + 1);
                token(")");
            }
            if (copying_) {
                // Last: the directory becomes read-only and its mtime must outlive the entries' creation.
                if (fchmod(copyFd.get(), 0555) != 0) throw SysError("changing the mode of '%s'", copyName);
                setCanonicalTime(copyFd.get(), copyName);
            }
        } else if (S_ISLNK(st.st_mode)) {
            token("symlink");
            token("target");
            std::string target = readLinkAt(dirFd, name, fullPath, static_cast<size_t>(st.st_size));
            token(target);
            if (copying_) {
                if (symlinkat(target.c_str(), copyDirFd, copyName.c_str()) != 0)
                    throw SysError("creating symbolic link '%s'", copyName);
                struct timespec times[2] = {{0, UTIME_OMIT}, {1, 0}};
                if (utimensat(copyDirFd, copyName.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
                    throw SysError("setting the time of '%s'", copyName);
            }
        } else {
            throw Error(
                "file '%s' has an unsupported type (only regular files, directories and symlinks can be archived)",
                fullPath);
        }
        token(")");
    }

    static void setCanonicalTime(int fd, const std::string& name) {
        struct timespec times[2] = {{0, UTIME_OMIT}, {1, 0}};
        if (futimens(fd, times) != 0) throw SysError("setting the time of '%s'", name);
    }

    void dumpFile(int dirFd, const std::string& name, const std::string& fullPath, uint64_t size, int copyDirFd,
                  const std::string& copyName, bool executable) {
        int fd = openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) throw SysError("opening file '%s'", fullPath);
        AutoCloseFD guard(fd);
        AutoCloseFD out;
        if (copying_) {
            out = AutoCloseFD(
                openat(copyDirFd, copyName.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
            if (!out) throw SysError("creating file '%s'", copyName);
        }
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
            std::string_view chunk(buffer_.get(), static_cast<size_t>(n));
            if (copying_) FdSink(out.get())(chunk);
            sink_(chunk);
            left -= static_cast<uint64_t>(n);
        }
        char extra;
        if (read(fd, &extra, 1) > 0) throw Error("file '%s' grew while it was being archived", fullPath);
        pad(size);
        if (copying_) {
            if (fchmod(out.get(), executable ? 0555 : 0444) != 0) throw SysError("changing the mode of '%s'", copyName);
            setCanonicalTime(out.get(), copyName);
        }
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
    bool copying_ = false;
    dev_t copyParentDev_ = 0;
    ino_t copyParentIno_ = 0;
    std::string copyName_, rootPath_;
    std::string header_;
    std::unique_ptr<char[]> buffer_;
};

}  // namespace

void dumpPath(const std::string& path, Sink& sink) { NarWriter(sink).dumpRoot(path); }

void dumpPathAndCopy(const std::string& path, const std::string& target, Sink& sink) {
    NarWriter(sink).dumpRoot(path, &target);
}

void dumpContents(std::string_view contents, bool executable, Sink& sink) {
    NarWriter(sink).dumpContentsRoot(contents, executable);
}

}  // namespace cstore
