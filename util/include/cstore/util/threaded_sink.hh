// A Sink that hands its data to another Sink running on a worker thread, so
// that producing (reading files, decompressing) and consuming (hashing,
// compressing) overlap on two cores. Data is copied into a small ring of
// large buffers; the producer blocks only when all of them are in flight.
//
//   HashSink hash(HashAlgo::sha256);
//   ThreadedSink async(hash);
//   dumpPath(tree, async);
//   async.finish();          // waits for the worker; rethrows its errors
//   auto [h, n] = hash.finish();
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cstore/util/stream.hh"

namespace cstore {

class ThreadedSink : public Sink {
public:
    explicit ThreadedSink(Sink& target, size_t bufferSize = 1 << 20, size_t buffers = 4);
    ~ThreadedSink() override;
    ThreadedSink(const ThreadedSink&) = delete;
    ThreadedSink& operator=(const ThreadedSink&) = delete;

    void operator()(std::string_view data) override;
    // Flushes, waits until the target has consumed everything, rethrows the worker's error.
    void finish();

private:
    void submitCurrent();
    void work();

    Sink& target_;
    size_t bufferSize_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> free_;
    std::deque<std::string> full_;
    std::string current_;
    std::exception_ptr error_;
    bool closing_ = false, busy_ = false;
    std::thread worker_;
};

}  // namespace cstore
