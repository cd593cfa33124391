#include "dir_pool.hh"

#include <sys/stat.h>

#include <algorithm>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

DirectoryPool::~DirectoryPool() {
    for (auto& d : all_) {
        try {
            deletePath(d);
        } catch (...) {
        }
    }
}

std::string DirectoryPool::acquire() {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
        std::string d = free_.back();
        free_.pop_back();
        return d;
    }
    std::string d = prefix_ + std::to_string(next_++);
    createDirs(dirOf(d));
    deletePath(d);  // a leftover of a dead process with our pid
    if (mkdir(d.c_str(), 0700) != 0) throw SysError("creating directory '%s'", d);
    all_.push_back(d);
    return d;
}

void DirectoryPool::release(const std::string& dir) {
    std::lock_guard lock(mutex_);
    free_.push_back(dir);
}

void DirectoryPool::forget(const std::string& dir) {
    std::lock_guard lock(mutex_);
    all_.erase(std::remove(all_.begin(), all_.end(), dir), all_.end());
}

}  // namespace cstore
