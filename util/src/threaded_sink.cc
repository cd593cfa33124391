#include "cstore/util/threaded_sink.hh"

#include <cstring>

namespace cstore {

ThreadedSink::ThreadedSink(Sink& target, size_t bufferSize, size_t buffers) : target_(target), bufferSize_(bufferSize) {
    for (size_t i = 0; i < buffers; ++i) {
        free_.emplace_back();
        free_.back().reserve(bufferSize);
    }
    current_.reserve(bufferSize);
    worker_ = std::thread([this] { work(); });
}

ThreadedSink::~ThreadedSink() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void ThreadedSink::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [&] { return !full_.empty() || closing_; });
        if (full_.empty()) return;
        std::string buf = std::move(full_.front());
        full_.pop_front();
        busy_ = true;
        lock.unlock();
        try {
            if (!error_) target_(buf);
        } catch (...) {
            lock.lock();
            error_ = std::current_exception();
            lock.unlock();
        }
        buf.clear();
        lock.lock();
        busy_ = false;
        free_.push_back(std::move(buf));
        changed_.notify_all();
    }
}

void ThreadedSink::submitCurrent() {
    if (current_.empty()) return;
    std::unique_lock lock(mutex_);
    if (error_) std::rethrow_exception(error_);
    full_.push_back(std::move(current_));
    changed_.notify_all();
    changed_.wait(lock, [&] { return !free_.empty() || error_; });
    if (error_) std::rethrow_exception(error_);
    current_ = std::move(free_.back());
    free_.pop_back();
}

void ThreadedSink::operator()(std::string_view data) {
    while (!data.empty()) {
        size_t n = std::min(data.size(), bufferSize_ - current_.size());
        current_.append(data.data(), n);
        data.remove_prefix(n);
        if (current_.size() == bufferSize_) submitCurrent();
    }
}

void ThreadedSink::finish() {
    submitCurrent();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (full_.empty() && !busy_) || error_; });
    if (error_) std::rethrow_exception(error_);
}

}  // namespace cstore
