#include "cstore/store/locks.hh"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cstore/util/error.hh"
#include "cstore/util/signals.hh"

namespace cstore {

bool lockFd(int fd, LockMode mode, bool wait) {
    int op = (mode == LockMode::shared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB);
    while (flock(fd, op) != 0) {
        if (errno == EWOULDBLOCK && !wait) return false;
        if (errno == EINTR) {
            checkInterrupt();
            continue;
        }
        throw SysError("locking file descriptor %s", fd);
    }
    return true;
}

void unlockFd(int fd) { flock(fd, LOCK_UN); }

FileLock::~FileLock() { release(); }

void FileLock::release() {
    if (!fd_) return;
    // Unlink before unlocking, so that a waiter that then gets the lock sees a
    // deleted file and retries on a fresh one.
    if (!deleteOnRelease_.empty()) unlink(deleteOnRelease_.c_str());
    unlockFd(fd_.get());
    fd_.close();
}

FileLock FileLock::acquire(const std::string& path, LockMode mode) {
    FileLock lock;
    lock.fd_ = openFile(path, O_RDWR | O_CREAT, 0600);
    lockFd(lock.fd_.get(), mode, true);
    return lock;
}

std::optional<FileLock> FileLock::tryAcquire(const std::string& path, LockMode mode) {
    FileLock lock;
    lock.fd_ = openFile(path, O_RDWR | O_CREAT, 0600);
    if (!lockFd(lock.fd_.get(), mode, false)) return std::nullopt;
    return lock;
}

FileLock FileLock::acquireDeletable(const std::string& path) {
    while (true) {
        FileLock lock = acquire(path, LockMode::exclusive);
        struct stat st;
        if (fstat(lock.fd_.get(), &st) != 0) throw SysError("getting status of lock file '%s'", path);
        if (st.st_nlink == 0) continue;  // the previous holder deleted it: lock a fresh file
        lock.deleteOnRelease_ = path;
        return lock;
    }
}

}  // namespace cstore
