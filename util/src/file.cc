#include "cstore/util/file.hh"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>

#include "cstore/util/error.hh"
#include "cstore/util/signals.hh"

namespace cstore {

AutoCloseFD& AutoCloseFD::operator=(AutoCloseFD&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void AutoCloseFD::close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

AutoCloseFD openFile(const std::string& path, int flags, mode_t mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) throw SysError("opening '%s'", path);
    return AutoCloseFD(fd);
}

void readFileInto(const std::string& path, Sink& sink) {
    auto fd = openFile(path, O_RDONLY);
    FdSource source(fd.get());
    source.drainInto(sink);
}

std::string readFile(const std::string& path) {
    StringSink sink;
    readFileInto(path, sink);
    return std::move(sink.data);
}

void writeFile(const std::string& path, std::string_view contents, bool sync) {
    auto fd = openFile(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    FdSink(fd.get())(contents);
    if (sync && fsync(fd.get()) != 0) throw SysError("syncing '%s'", path);
}

void writeFileAtomic(const std::string& path, std::string_view contents) {
    std::string tmp = path + ".tmp-" + std::to_string(getpid());
    writeFile(tmp, contents, true);
    if (rename(tmp.c_str(), path.c_str()) != 0) {
        unlink(tmp.c_str());
        throw SysError("renaming '%s' to '%s'", tmp, path);
    }
}

std::optional<struct stat> maybeLstat(const std::string& path) {
    struct stat st;
    if (lstat(path.c_str(), &st) == 0) return st;
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw SysError("getting status of '%s'", path);
}

struct stat lstatOrThrow(const std::string& path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) throw SysError("getting status of '%s'", path);
    return st;
}

bool pathExists(const std::string& path) { return maybeLstat(path).has_value(); }

std::string readLink(const std::string& path) {
    std::string buf(256, '\0');
    while (true) {
        ssize_t n = readlink(path.c_str(), buf.data(), buf.size());
        if (n < 0) throw SysError("reading symbolic link '%s'", path);
        if (static_cast<size_t>(n) < buf.size()) {
            buf.resize(static_cast<size_t>(n));
            return buf;
        }
        buf.resize(buf.size() * 2);
    }
}

std::vector<std::string> readDirectoryNames(const std::string& path) {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(path.c_str()), closedir);
    if (!dir) throw SysError("opening directory '%s'", path);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* e = readdir(dir.get())) {
        std::string_view name = e->d_name;
        if (name != "." && name != "..") names.emplace_back(name);
        errno = 0;
    }
    if (errno) throw SysError("reading directory '%s'", path);
    std::sort(names.begin(), names.end());
    return names;
}

void createDirs(const std::string& path, mode_t mode) {
    if (path.empty() || path == "/") return;
    if (mkdir(path.c_str(), mode) == 0) return;
    if (errno == EEXIST) {
        auto st = maybeLstat(path);
        if (st && S_ISDIR(st->st_mode)) return;
        if (st && S_ISLNK(st->st_mode)) {
            struct stat target;
            if (stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode)) return;
        }
        throw Error("'%s' exists and is not a directory", path);
    }
    if (errno != ENOENT) throw SysError("creating directory '%s'", path);
    createDirs(dirOf(path), mode);
    if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throw SysError("creating directory '%s'", path);
}

namespace {
// Not interruptible: it is what cleanup code runs while an interruption unwinds.
uint64_t deleteAt(int parentFd, const std::string& name, const std::string& fullPath) {
    struct stat st;
    if (fstatat(parentFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return 0;
        throw SysError("getting status of '%s'", fullPath);
    }
    uint64_t freed = 0;
    if (S_ISDIR(st.st_mode)) {
        // Read-only store directories must become writable before we can empty them.
        if ((st.st_mode & S_IRWXU) != S_IRWXU) fchmodat(parentFd, name.c_str(), st.st_mode | S_IRWXU, 0);
        int fd = openat(parentFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) throw SysError("opening directory '%s'", fullPath);
        std::unique_ptr<DIR, int (*)(DIR*)> dir(fdopendir(fd), closedir);
        if (!dir) {
            close(fd);
            throw SysError("opening directory '%s'", fullPath);
        }
        std::vector<std::string> children;
        while (struct dirent* e = readdir(dir.get())) {
            std::string_view n = e->d_name;
            if (n != "." && n != "..") children.emplace_back(n);
        }
        for (auto& child : children) freed += deleteAt(dirfd(dir.get()), child, fullPath + "/" + child);
        if (unlinkat(parentFd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
            throw SysError("removing directory '%s'", fullPath);
    } else {
        if (S_ISREG(st.st_mode) && st.st_nlink == 1) freed += static_cast<uint64_t>(st.st_size);
        if (unlinkat(parentFd, name.c_str(), 0) != 0 && errno != ENOENT) throw SysError("removing '%s'", fullPath);
    }
    return freed;
}
}  // namespace

uint64_t deletePathAt(int dirFd, const std::string& name, const std::string& fullPath) {
    return deleteAt(dirFd, name, fullPath);
}

uint64_t deletePath(const std::string& path) {
    std::string dir = dirOf(path);
    int dirFd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0) {
        if (errno == ENOENT) return 0;
        throw SysError("opening directory '%s'", dir);
    }
    AutoCloseFD guard(dirFd);
    return deleteAt(dirFd, baseNameOf(path), path);
}

std::string currentDirectory() {
    char buf[4096];
    if (!getcwd(buf, sizeof buf)) throw SysError("getting the current directory");
    return buf;
}

std::string canonPath(std::string_view path, std::string_view cwd) {
    std::string out;
    canonPathInto(out, path, cwd);
    return out;
}

void canonPathInto(std::string& out, std::string_view path, std::string_view cwd) {
    // Components are appended to one string as they come; `..` cuts the last one off.
    std::string cwdBuf;
    bool relative = path.empty() || path[0] != '/';
    if (relative && cwd.empty()) cwd = cwdBuf = currentDirectory();
    out.clear();
    out.reserve((relative ? cwd.size() + 1 : 0) + path.size());
    auto append = [&](std::string_view rest) {
        while (!rest.empty()) {
            size_t slash = rest.find('/');
            std::string_view part = rest.substr(0, slash);
            rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
            if (part.empty() || part == ".") continue;
            if (part == "..") {
                size_t last = out.rfind('/');
                out.resize(last == std::string::npos ? 0 : last);
                continue;
            }
            out += '/';
            out += part;
        }
    };
    if (relative) append(cwd);
    append(path);
    if (out.empty()) out = "/";
}

std::string dirOf(std::string_view path) {
    auto slash = path.rfind('/');
    if (slash == std::string_view::npos) return ".";
    if (slash == 0) return "/";
    return std::string(path.substr(0, slash));
}

std::string baseNameOf(std::string_view path) {
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool isInDir(std::string_view path, std::string_view dir) {
    if (dir == "/") return !path.empty() && path[0] == '/';
    return path.size() >= dir.size() && path.substr(0, dir.size()) == dir &&
           (path.size() == dir.size() || path[dir.size()] == '/');
}

AutoDelete& AutoDelete::operator=(AutoDelete&& other) noexcept {
    if (this != &other) {
        if (!path_.empty()) {
            try {
                deletePath(path_);
            } catch (...) {
            }
        }
        path_ = std::exchange(other.path_, {});
    }
    return *this;
}

AutoDelete::~AutoDelete() {
    if (path_.empty()) return;
    try {
        deletePath(path_);
    } catch (...) {
    }
}

std::string defaultTempDir() {
    const char* t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

std::optional<std::string> userCacheDir() {
    if (const char* xdg = getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/cstore";
    if (const char* home = getenv("HOME"); home && *home) return std::string(home) + "/.cache/cstore";
    return std::nullopt;
}

std::string createTempDir(const std::string& parent, std::string_view prefix) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string path = parent + "/" + std::string(prefix) + "-" + std::to_string(getpid()) + "-" +
                           std::to_string(rng() % 1000000000);
        if (mkdir(path.c_str(), 0700) == 0) return path;
        if (errno != EEXIST) throw SysError("creating temporary directory '%s'", path);
    }
    throw Error("cannot create a temporary directory in '%s'", parent);
}

}  // namespace cstore
