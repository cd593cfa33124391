// Directories reused from one build to the next within a process. Creating
// directories is the slowest metadata operation on ext4 (the Orlov allocator
// scans block groups), and a trivial build would otherwise create three.
// Each pooled directory is emptied before reuse; all are deleted at exit.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace cstore {

class DirectoryPool {
public:
    // `prefix` is the path prefix of the directories it creates.
    explicit DirectoryPool(std::string prefix) : prefix_(std::move(prefix)) {}
    ~DirectoryPool();

    std::string acquire();
    // Returns a directory, which the caller has emptied as far as it wants.
    void release(const std::string& dir);
    // The directory will not come back (kept for the user, or broken).
    void forget(const std::string& dir);

private:
    std::string prefix_;
    std::mutex mutex_;
    std::vector<std::string> free_, all_;
    unsigned next_ = 0;
};

}  // namespace cstore
