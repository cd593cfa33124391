#include "mount_points.hh"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

MountPoints::~MountPoints() {
    if (!spareDirMade_) return;
    try {
        deletePath(spareDir_);
    } catch (...) {
    }
}

void MountPoints::make(const std::string& path, bool directory) {
    auto& spares = directory ? dirs_ : files_;
    while (!spares.empty()) {
        std::string spare = std::move(spares.back());
        spares.pop_back();
        if (rename(spare.c_str(), path.c_str()) == 0) return;
        // Gone or unusable: drop it and try the next one.
        if (errno != ENOENT) deletePath(spare);
    }
    if (directory) {
        if (mkdir(path.c_str(), 0755) != 0) throw SysError("creating mount point '%s'", path);
    } else {
        AutoCloseFD fd(open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!fd) throw SysError("creating mount point '%s'", path);
    }
}

void MountPoints::retire(const std::string& path) {
    auto st = maybeLstat(path);
    if (!st) return;
    bool emptyDir = S_ISDIR(st->st_mode) && st->st_uid == getuid() && readDirectoryNames(path).empty();
    bool emptyFile = S_ISREG(st->st_mode) && st->st_uid == getuid() && st->st_size == 0 && st->st_nlink == 1;
    if (emptyDir || emptyFile) {
        if (!spareDirMade_) {
            deletePath(spareDir_);  // a leftover of a dead process with our pid
            if (mkdir(spareDir_.c_str(), 0700) != 0) throw SysError("creating directory '%s'", spareDir_);
            spareDirMade_ = true;
        }
        std::string spare = spareDir_ + "/" + std::to_string(next_++);
        if (rename(path.c_str(), spare.c_str()) == 0) {
            // Mode bits a builder may have set do not matter: a mount covers them.
            (emptyDir ? dirs_ : files_).push_back(std::move(spare));
            return;
        }
    }
    deletePath(path);
}

MountPoints& mountPointsFor(const std::string& stagingDir) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<MountPoints>> all;
    std::lock_guard lock(mutex);
    auto& mp = all[stagingDir];
    if (!mp) mp = std::make_unique<MountPoints>(stagingDir + "-spare");
    return *mp;
}

}  // namespace cstore
