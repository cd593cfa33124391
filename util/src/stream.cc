#include "cstore/util/stream.hh"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#include <unistd.h>

#include <boost/context/fiber.hpp>
#include <cstring>
#include <exception>

#include "cstore/util/error.hh"
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

#if defined(__SANITIZE_ADDRESS__)
#define CSTORE_UTIL_ASAN 1
#endif

// AddressSanitizer must be told about every switch between stacks, or it
// mistakes the fiber's frames for overflows of the caller's stack.
struct FiberSwitch {
    const void* targetBottom = nullptr;
    size_t targetSize = 0;
#ifdef CSTORE_UTIL_ASAN
    void* fakeStack = nullptr;
    void before(const void* bottom, size_t size) { __sanitizer_start_switch_fiber(&fakeStack, bottom, size); }
    void after() { __sanitizer_finish_switch_fiber(fakeStack, &targetBottom, &targetSize); }
    void enter() { __sanitizer_finish_switch_fiber(nullptr, &targetBottom, &targetSize); }
    void leaveForever() { __sanitizer_start_switch_fiber(nullptr, targetBottom, targetSize); }
#else
    void before(const void*, size_t) {}
    void after() {}
    void enter() {}
    void leaveForever() {}
#endif
};

// A fixed-size stack that remembers where it is (for the annotations above).
struct RecordingStack {
    ctx::fixedsize_stack inner{256 * 1024};
    const void** bottom;
    size_t* size;
    ctx::stack_context allocate() {
        ctx::stack_context sc = inner.allocate();
        *bottom = static_cast<char*>(sc.sp) - sc.size;
        *size = sc.size;
        return sc;
    }
    void deallocate(ctx::stack_context& sc) { inner.deallocate(sc); }
};

class FiberSource : public Source {
public:
    explicit FiberSource(std::function<void(Sink&)> producer) : producer_(std::move(producer)) {}

    ~FiberSource() override {
        // Abandoning a half-run producer: unwind its stack by resuming it with
        // a request to stop (the sink throws ForcedUnwind inside the fiber).
        if (fiber_) {
            stopping_ = true;
            try {
                mainSide_.before(fiberBottom_, fiberSize_);
                fiber_ = std::move(fiber_).resume();
                mainSide_.after();
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
                fiber_ = ctx::fiber(std::allocator_arg, RecordingStack{{256 * 1024}, &fiberBottom_, &fiberSize_},
                                    [this](ctx::fiber&& caller) { return run(std::move(caller)); });
            }
            mainSide_.before(fiberBottom_, fiberSize_);
            fiber_ = std::move(fiber_).resume();
            mainSide_.after();
        }
        size_t n = std::min(len, pending_.size());
        std::memcpy(data, pending_.data(), n);
        pending_.remove_prefix(n);
        return n;
    }

private:
    struct ForcedUnwind {};

    struct YieldingSink : Sink {
        FiberSource& owner;
        explicit YieldingSink(FiberSource& o) : owner(o) {}
        void operator()(std::string_view chunk) override {
            if (chunk.empty()) return;
            owner.pending_ = chunk;
            owner.fiberSide_.before(owner.fiberSide_.targetBottom, owner.fiberSide_.targetSize);
            owner.caller_ = std::move(owner.caller_).resume();
            owner.fiberSide_.after();
            if (owner.stopping_) throw ForcedUnwind();
        }
    };

    ctx::fiber run(ctx::fiber&& caller) {
        fiberSide_.enter();
        caller_ = std::move(caller);
        try {
            YieldingSink sink(*this);
            producer_(sink);
        } catch (ForcedUnwind&) {
        } catch (...) {
            error_ = std::current_exception();
        }
        finished_ = true;
        fiberSide_.leaveForever();
        return std::move(caller_);
    }

    std::function<void(Sink&)> producer_;
    ctx::fiber fiber_, caller_;
    std::string_view pending_;
    std::exception_ptr error_;
    bool started_ = false, finished_ = false, stopping_ = false;
    const void* fiberBottom_ = nullptr;
    size_t fiberSize_ = 0;
    FiberSwitch mainSide_, fiberSide_;
};
}  // namespace

std::unique_ptr<Source> sinkToSource(std::function<void(Sink&)> producer) {
    return std::make_unique<FiberSource>(std::move(producer));
}

}  // namespace cstore
