#include "temp_roots.hh"

#include <fcntl.h>
#include <unistd.h>

#include "cstore/util/error.hh"

namespace cstore {

TempRoots::~TempRoots() {
    if (fd_) unlink(file_.c_str());
}

void TempRoots::add(const std::string& fullPath) {
    std::lock_guard guard(mutex_);
    if (added_.count(fullPath)) return;
    if (!fd_) {
        file_ = stateDir_ + "/temproots/" + std::to_string(getpid());
        // A stale file from a dead process with our pid is replaced.
        unlink(file_.c_str());
        fd_ = openFile(file_, O_RDWR | O_CREAT | O_EXCL, 0600);
        lockFd(fd_.get(), LockMode::exclusive, true);
    }
    FileLock gcLock = FileLock::acquire(stateDir_ + "/gc.lock", LockMode::shared);
    std::string record = fullPath;
    record += '\0';
    FdSink(fd_.get())(record);
    added_.insert(fullPath);
}

}  // namespace cstore
