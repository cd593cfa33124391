// Small concurrency helpers private to the substituter: a parallel loop over
// indices and a Sink whose bytes are consumed, through a Source, on another
// thread (a bounded pipe between two threads of one process).
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cstore/util/stream.hh"

namespace cstore {

// Calls fn(i) for i in [0, n), in order of i, on up to `threads` threads.
// An exception ends only its own item: it is returned at index i. While the
// workers run, the calling thread calls `tick` about ten times a second.
// Interruption (SIGINT) stops the remaining items and is rethrown.
std::vector<std::exception_ptr> parallelFor(size_t n, unsigned threads, const std::function<void(size_t)>& fn,
                                            const std::function<void()>& tick = {});

// Calls onError(i, message) for each failed item of a parallelFor; an
// interruption among them is rethrown instead.
void forEachFailure(const std::vector<std::exception_ptr>& errors,
                    const std::function<void(size_t, const char*)>& onError);

// The status line of a transfer: "3/10 paths, 1.2 MiB of 5.0 MiB, 600 KiB/s".
std::string transferStatus(size_t donePaths, size_t totalPaths, uint64_t doneBytes, uint64_t totalBytes,
                           double seconds);

// Runs `consumer` on its own thread, feeding it the bytes written to this
// sink. finish() marks the end of the input, waits for the consumer and
// rethrows its error; a write after the consumer failed rethrows it too.
// Destroying the object before finish() makes the consumer's reads throw, so
// it unwinds (and cleans up) before the destructor returns.
class SinkToThread : public Sink {
public:
    explicit SinkToThread(std::function<void(Source&)> consumer, size_t bufferSize = 256 * 1024, size_t buffers = 8);
    ~SinkToThread() override;
    SinkToThread(const SinkToThread&) = delete;
    SinkToThread& operator=(const SinkToThread&) = delete;

    void operator()(std::string_view data) override;
    void finish();

private:
    class PipeSource;
    void submit();
    size_t read(char* data, size_t len);  // on the consumer thread

    size_t bufferSize_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::string> full_;
    std::vector<std::string> free_;
    std::string current_;  // being filled by the producer
    std::string reading_;  // being read by the consumer
    size_t readPos_ = 0;
    bool eof_ = false, aborted_ = false, done_ = false;
    std::exception_ptr error_;
    std::thread thread_;
};

}  // namespace cstore
