#include "temp_roots.hh"

#include <fcntl.h>
#include <sys/stat.h>
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
        while (true) {
            // A stale file from a dead process with our pid is replaced.
            unlink(file_.c_str());
            fd_ = openFile(file_, O_RDWR | O_CREAT | O_EXCL, 0600);
            lockFd(fd_.get(), LockMode::exclusive, true);
            // Between creating and locking, a collector may have locked the
            // file, taken it for a dead process's and deleted it: roots written
            // to it now would be invisible. Start again with a fresh file.
            struct stat st;
            if (fstat(fd_.get(), &st) != 0) throw SysError("getting status of '%s'", file_);
            if (st.st_nlink > 0) break;
            fd_.close();
        }
    }
    FileLock gcLock = FileLock::acquire(stateDir_ + "/gc.lock", LockMode::shared);
    std::string record = fullPath;
    record += '\0';
    FdSink(fd_.get())(record);
    added_.insert(fullPath);
}

}  // namespace cstore
