// File-system helpers: owned descriptors, whole-file reads and writes for
// small files, streaming reads, recursive deletion, temporary directories.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cstore/util/stream.hh"

namespace cstore {

// Closes the descriptor it owns.
class AutoCloseFD {
public:
    AutoCloseFD() = default;
    explicit AutoCloseFD(int fd) : fd_(fd) {}
    AutoCloseFD(AutoCloseFD&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    AutoCloseFD& operator=(AutoCloseFD&& other) noexcept;
    AutoCloseFD(const AutoCloseFD&) = delete;
    ~AutoCloseFD() { close(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void close();

private:
    int fd_ = -1;
};

// Opens `path` with open(2) flags or throws SysError naming the path.
AutoCloseFD openFile(const std::string& path, int flags, mode_t mode = 0666);

std::string readFile(const std::string& path);
void readFileInto(const std::string& path, Sink& sink);
// Writes `contents` to `path` (created 0666 minus umask, truncated), optionally fsync'ed.
void writeFile(const std::string& path, std::string_view contents, bool sync = false);
// Writes to a temporary file beside `path` and renames it over `path`.
void writeFileAtomic(const std::string& path, std::string_view contents);

std::optional<struct stat> maybeLstat(const std::string& path);
struct stat lstatOrThrow(const std::string& path);
bool pathExists(const std::string& path);

std::string readLink(const std::string& path);
std::vector<std::string> readDirectoryNames(const std::string& path);  // sorted, without . and ..

// mkdir -p. Existing directories are fine.
void createDirs(const std::string& path, mode_t mode = 0755);
// rm -rf, making read-only directories writable as needed. Missing paths are fine.
// Returns the number of bytes freed (sum of st_blocks * 512 is not used: the sum of file sizes).
uint64_t deletePath(const std::string& path);
// Deletes the entry `name` of the open directory `dirFd` (recursively), with
// `fullPath` used in error messages. The cheap case, a file, costs one stat
// and one unlink.
uint64_t deletePathAt(int dirFd, const std::string& name, const std::string& fullPath);

// Absolute, with `.`/`..` and duplicate slashes removed; symlinks are not resolved.
std::string canonPath(std::string_view path, std::string_view cwd = {});
// The same into `out`, reusing its buffer (for callers that canonicalise many paths).
void canonPathInto(std::string& out, std::string_view path, std::string_view cwd = {});
std::string currentDirectory();
std::string dirOf(std::string_view path);
std::string baseNameOf(std::string_view path);
// Whether `path` is `dir` or below it (both canonical).
bool isInDir(std::string_view path, std::string_view dir);

// A directory that is deleted recursively when this object dies (unless released).
class AutoDelete {
public:
    AutoDelete() = default;
    explicit AutoDelete(std::string path) : path_(std::move(path)) {}
    AutoDelete(AutoDelete&& other) noexcept : path_(std::exchange(other.path_, {})) {}
    AutoDelete& operator=(AutoDelete&& other) noexcept;
    ~AutoDelete();
    const std::string& path() const { return path_; }
    void release() { path_.clear(); }

private:
    std::string path_;
};

// Creates a fresh directory `<parent>/<prefix>-<random>` (mode 0700).
std::string createTempDir(const std::string& parent, std::string_view prefix);
std::string defaultTempDir();  // $TMPDIR or /tmp
// The user's cache directory for cstore: $XDG_CACHE_HOME/cstore, else ~/.cache/cstore
// (not created here); nothing when neither variable is set.
std::optional<std::string> userCacheDir();

}  // namespace cstore
