// Temporary GC roots of this process: `<stateDir>/temproots/<pid>`, a list
// of NUL-terminated store paths, write-locked for as long as the process
// lives. Appending takes a shared lock on `gc.lock`, so it waits while a
// collection runs; the collector holds `gc.lock` exclusively.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "cstore/store/locks.hh"

namespace cstore {

class TempRoots {
public:
    explicit TempRoots(std::string stateDir) : stateDir_(std::move(stateDir)) {}
    ~TempRoots();
    void add(const std::string& fullPath);

private:
    std::string stateDir_, file_;
    AutoCloseFD fd_;
    std::set<std::string> added_;
    std::mutex mutex_;
};

}  // namespace cstore
