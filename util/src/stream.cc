#include "cstore/util/stream.hh"

#include <unistd.h>

#include <boost/context/fiber.hpp>
#include <cstring>
#include <exception>

#include "cstore/util/error.hh"
#include "cstore/util/fiber.hh"
#include "cstore/util/signals.hh"

namespace cstore {

void Source::readExactly(char* data, size_t len) {
    while (len) {
        size_t n = read(data, len);
        if (n == 0) throw FormatError("unexpected end of input");
        data += n;
        len -= n;
    }
}

void Source::drainInto(Sink& sink) {
    std::unique_ptr<char[]> buf(new char[64 * 1024]);
    while (size_t n = read(buf.get(), 64 * 1024)) sink(std::string_view(buf.get(), n));
}

std::string Source::drain() {
    StringSink s;
    drainInto(s);
    return std::move(s.data);
}

BufferedSink::BufferedSink(Sink& next, size_t capacity) : next_(next), capacity_(capacity) {
    buffer_.reserve(capacity);
}

BufferedSink::~BufferedSink() = default;

void BufferedSink::operator()(std::string_view chunk) {
    if (buffer_.size() + chunk.size() > capacity_) {
        flush();
        if (chunk.size() >= capacity_) {
            next_(chunk);
            return;
        }
    }
    buffer_.append(chunk);
}

void BufferedSink::flush() {
    if (buffer_.empty()) return;
    next_(buffer_);
    buffer_.clear();
}

void FdSink::operator()(std::string_view chunk) {
    while (!chunk.empty()) {
        checkInterrupt();
        ssize_t n = ::write(fd_, chunk.data(), chunk.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw SysError("writing to file descriptor %s", fd_);
        }
        chunk.remove_prefix(static_cast<size_t>(n));
    }
}

size_t FdSource::read(char* data, size_t len) {
    while (true) {
        checkInterrupt();
        ssize_t n = ::read(fd_, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw SysError("reading from file descriptor %s", fd_);
        }
        return static_cast<size_t>(n);
    }
}

size_t StringSource::read(char* data, size_t len) {
    size_t n = std::min(len, data_.size() - pos_);
    std::memcpy(data, data_.data() + pos_, n);
    pos_ += n;
    return n;
}

BufferedSource::BufferedSource(Source& inner, size_t capacity)
    : inner_(inner), buffer_(new char[capacity]), capacity_(capacity) {}

size_t BufferedSource::read(char* data, size_t len) {
    if (start_ == end_) {
        // Large reads bypass the buffer.
        if (len >= capacity_) return inner_.read(data, len);
        start_ = 0;
        end_ = inner_.read(buffer_.get(), capacity_);
        if (end_ == 0) return 0;
    }
    size_t n = std::min(len, end_ - start_);
    std::memcpy(data, buffer_.get() + start_, n);
    start_ += n;
    return n;
}

namespace {
namespace ctx = boost::context;

class FiberSource : public Source {
public:
    explicit FiberSource(std::function<void(Sink&)> producer) : producer_(std::move(producer)) {}

    ~FiberSource() override {
        // Abandoning a half-run producer: unwind its stack by resuming it with
        // a request to stop (the sink throws ForcedUnwind inside the fiber).
        if (fiber_) {
            stopping_ = true;
            try {
                switchToFiber();
            } catch (...) {
            }
        }
    }

    size_t read(char* data, size_t len) override {
        while (pending_.empty()) {
            if (finished_) {
                if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
                return 0;
            }
            if (!started_) {
                started_ = true;
                // Producers may recurse deeply (dumpPath on a deep tree). The
                // stack is reserved, not committed, and ends in a guard page, so
                // an overflow faults instead of corrupting the heap.
                fiber_ = ctx::fiber(std::allocator_arg, GuardedStack(8 << 20, &fiberBounds_),
                                    [this](ctx::fiber&& caller) { return run(std::move(caller)); });
            }
            switchToFiber();
        }
        size_t n = std::min(len, pending_.size());
        std::memcpy(data, pending_.data(), n);
        pending_.remove_prefix(n);
        return n;
    }

private:
    struct ForcedUnwind {};

    void switchToFiber() {
        void* fake = nullptr;
        sanitizerStartSwitch(&fake, fiberBounds_);
        fiber_ = std::move(fiber_).resume();
        sanitizerFinishSwitch(fake, nullptr);
    }

    // Called on the fiber's stack.
    void switchToCaller() {
        void* fake = nullptr;
        sanitizerStartSwitch(&fake, callerBounds_);
        caller_ = std::move(caller_).resume();
        sanitizerFinishSwitch(fake, &callerBounds_);
    }

    struct YieldingSink : Sink {
        FiberSource& owner;
        explicit YieldingSink(FiberSource& o) : owner(o) {}
        void operator()(std::string_view chunk) override {
            if (chunk.empty()) return;
            owner.pending_ = chunk;
            owner.switchToCaller();
            if (owner.stopping_) throw ForcedUnwind();
        }
    };

    ctx::fiber run(ctx::fiber&& caller) {
        sanitizerFinishSwitch(nullptr, &callerBounds_);
        caller_ = std::move(caller);
        try {
            YieldingSink sink(*this);
            producer_(sink);
        } catch (ForcedUnwind&) {
        } catch (...) {
            error_ = std::current_exception();
        }
        finished_ = true;
        sanitizerStartSwitch(nullptr, callerBounds_);  // this stack is done
        return std::move(caller_);
    }

    std::function<void(Sink&)> producer_;
    ctx::fiber fiber_, caller_;
    FiberStackBounds fiberBounds_, callerBounds_;
    std::string_view pending_;
    std::exception_ptr error_;
    bool started_ = false, finished_ = false, stopping_ = false;
};
}  // namespace

std::unique_ptr<Source> sinkToSource(std::function<void(Sink&)> producer) {
    return std::make_unique<FiberSource>(std::move(producer));
}

}  // namespace cstore
