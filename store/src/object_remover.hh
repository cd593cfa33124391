// Removes the files of store objects that are no longer valid, on threads
// that live as long as the remover, so that a garbage collection starts its
// threads once rather than once per batch. The caller hands names over only
// after their database rows are gone (committed): an object the remover
// never reaches stays behind as an invalid leftover, which the next
// collection removes.
//
//   ObjectRemover remover(store.realStoreDir(), ObjectRemover::threadsFor(store.realStoreDir()));
//   remover.submit({"<hash>-a", "<hash>-b"});   // returns at once
//   remover.wait();                             // everything submitted is gone
#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cstore/util/file.hh"

namespace cstore {

class ObjectRemover {
public:
    // Starts `threads` threads (at least one) removing entries of `dir`.
    ObjectRemover(const std::string& dir, size_t threads);
    // Stops the threads once they finish the entries in hand; queued ones stay.
    ~ObjectRemover();
    ObjectRemover(const ObjectRemover&) = delete;
    ObjectRemover& operator=(const ObjectRemover&) = delete;

    // Queues entries of `dir` for removal.
    void submit(std::vector<std::string> names);
    // Waits until everything submitted is removed; rethrows the first error.
    void wait();

    // How many threads suit the file system of `dir`: where an unlink waits
    // for the device (a synchronous discard, as on this project's VM disk),
    // many threads overlap the waits; on tmpfs an unlink is CPU work, partly
    // under the directory's lock, so more threads than cores only contend.
    static size_t threadsFor(const std::string& dir);

private:
    void work();
    // Removes one entry: a file or symlink costs one unlink and no stat.
    void remove(const std::string& name);

    std::string dir_;
    AutoCloseFD dirFd_;
    std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::vector<std::string> queue_;
    size_t next_ = 0;  // first entry of `queue_` not yet taken
    size_t busy_ = 0;  // entries taken but not yet removed
    bool stop_ = false;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
};

}  // namespace cstore
