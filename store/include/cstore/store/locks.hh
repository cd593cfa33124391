// Inter-process locks on files (flock(2)), used for per-path locks while a
// path is being added or built, the GC lock and temporary-root files.
//
//   FileLock lock = FileLock::acquire(realPath + ".lock", LockMode::exclusive);
#pragma once

#include <optional>
#include <string>

#include "cstore/util/file.hh"

namespace cstore {

enum class LockMode { shared, exclusive };

class FileLock {
public:
    FileLock() = default;
    FileLock(FileLock&&) = default;
    FileLock& operator=(FileLock&&) = default;
    ~FileLock();

    // Blocks until the lock on `path` (created if missing) is held.
    static FileLock acquire(const std::string& path, LockMode mode);
    // Returns nothing if someone else holds a conflicting lock.
    static std::optional<FileLock> tryAcquire(const std::string& path, LockMode mode);

    // A lock on a lock file that should be removed when released (per-path
    // locks): if another process unlinked the file while we waited, retry.
    static FileLock acquireDeletable(const std::string& path);

    void release();
    int fd() const { return fd_.get(); }
    bool held() const { return bool(fd_); }

private:
    AutoCloseFD fd_;
    std::string deleteOnRelease_;
};

// Locks an already open descriptor.
bool lockFd(int fd, LockMode mode, bool wait);
void unlockFd(int fd);

}  // namespace cstore
