#include "parallel.hh"

#include <atomic>
#include <chrono>
#include <cstring>

#include "cstore/util/error.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/signals.hh"

namespace cstore {

std::vector<std::exception_ptr> parallelFor(size_t n, unsigned threads, const std::function<void(size_t)>& fn,
                                            const std::function<void()>& tick) {
    std::vector<std::exception_ptr> errors(n);
    std::atomic<size_t> next{0};
    std::atomic<size_t> running{0};
    std::mutex m;
    std::condition_variable cv;
    auto work = [&] {
        while (true) {
            size_t i = next++;
            if (i >= n || interruptRequested.load()) break;
            try {
                fn(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
        std::lock_guard lock(m);
        --running;
        cv.notify_all();
    };
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n)));
    std::vector<std::thread> pool;
    running = threads;
    for (unsigned t = 0; t < threads && n; ++t) pool.emplace_back(work);
    if (n == 0) running = 0;
    {
        std::unique_lock lock(m);
        while (running > 0) {
            cv.wait_for(lock, std::chrono::milliseconds(100));
            if (tick) {
                lock.unlock();
                tick();
                lock.lock();
            }
        }
    }
    for (auto& t : pool) t.join();
    checkInterrupt();
    return errors;
}

namespace {
struct PipeAborted : Error {
    PipeAborted() : Error(std::string("transfer aborted")) {}
};
}  // namespace

class SinkToThread::PipeSource : public Source {
public:
    explicit PipeSource(SinkToThread& owner) : owner_(owner) {}
    size_t read(char* data, size_t len) override { return owner_.read(data, len); }

private:
    SinkToThread& owner_;
};

SinkToThread::SinkToThread(std::function<void(Source&)> consumer, size_t bufferSize, size_t buffers)
    : bufferSize_(bufferSize) {
    for (size_t i = 0; i < buffers; ++i) free_.emplace_back();
    current_.reserve(bufferSize_);
    thread_ = std::thread([this, consumer = std::move(consumer)] {
        PipeSource src(*this);
        std::exception_ptr err;
        try {
            consumer(src);
        } catch (...) {
            err = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        error_ = err;
        done_ = true;
        changed_.notify_all();
    });
}

SinkToThread::~SinkToThread() {
    {
        std::lock_guard lock(mutex_);
        if (!done_) aborted_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

size_t SinkToThread::read(char* data, size_t len) {
    if (readPos_ == reading_.size()) {
        std::unique_lock lock(mutex_);
        if (!reading_.empty()) {
            reading_.clear();
            free_.push_back(std::move(reading_));
            reading_.clear();
            readPos_ = 0;
            changed_.notify_all();
        }
        changed_.wait(lock, [&] { return !full_.empty() || eof_ || aborted_; });
        if (aborted_) throw PipeAborted();
        if (full_.empty()) return 0;  // end of input
        reading_ = std::move(full_.front());
        full_.pop_front();
        readPos_ = 0;
    }
    size_t n = std::min(len, reading_.size() - readPos_);
    std::memcpy(data, reading_.data() + readPos_, n);
    readPos_ += n;
    return n;
}

void SinkToThread::submit() {
    if (current_.empty()) return;
    std::unique_lock lock(mutex_);
    if (done_) {
        if (error_) std::rethrow_exception(error_);
        current_.clear();  // the consumer has stopped reading
        return;
    }
    full_.push_back(std::move(current_));
    changed_.notify_all();
    changed_.wait(lock, [&] { return !free_.empty() || done_; });
    if (done_ && error_) std::rethrow_exception(error_);
    if (!free_.empty()) {
        current_ = std::move(free_.back());
        free_.pop_back();
    }
    current_.clear();
    current_.reserve(bufferSize_);
}

void SinkToThread::operator()(std::string_view data) {
    while (!data.empty()) {
        size_t n = std::min(data.size(), bufferSize_ - current_.size());
        current_.append(data.data(), n);
        data.remove_prefix(n);
        if (current_.size() >= bufferSize_) submit();
    }
}

void SinkToThread::finish() {
    submit();
    {
        std::unique_lock lock(mutex_);
        eof_ = true;
        changed_.notify_all();
        changed_.wait(lock, [&] { return done_; });
    }
    thread_.join();
    if (error_) std::rethrow_exception(error_);
}

void forEachFailure(const std::vector<std::exception_ptr>& errors,
                    const std::function<void(size_t, const char*)>& onError) {
    for (size_t i = 0; i < errors.size(); ++i) {
        if (!errors[i]) continue;
        try {
            std::rethrow_exception(errors[i]);
        } catch (Interrupted&) {
            throw;
        } catch (std::exception& e) {
            onError(i, e.what());
        }
    }
}

std::string transferStatus(size_t donePaths, size_t totalPaths, uint64_t doneBytes, uint64_t totalBytes,
                           double seconds) {
    return format("%s/%s paths, %s of %s, %s/s", donePaths, totalPaths, formatBytes(doneBytes), formatBytes(totalBytes),
                  formatBytes(seconds > 0 ? static_cast<uint64_t>(doneBytes / seconds) : 0));
}

}  // namespace cstore
