#include "cstore/util/stream.hh"

#include <unistd.h>

#include <boost/context/fiber.hpp>
#include <boost/context/preallocated.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <cstring>
#include <exception>

#include "cstore/util/error.hh"
#include "cstore/util/signals.hh"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/common_interface_defs.h>
#endif
#endif

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

// AddressSanitizer must be told when execution moves between the fiber's
// stack and the caller's, or an exception thrown on the fiber stack sets off
// false reports. Without ASan these are no-ops.
#if defined(__SANITIZE_ADDRESS__)
#define CSTORE_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CSTORE_ASAN_FIBERS 1
#endif
#endif

struct StackSwitch {
    const void* bottom = nullptr;  // of the stack we switch to
    size_t size = 0;
    void* fakeStack = nullptr;  // ASan's per-stack state, kept while we are away

    // Call right before switching; `ending` when the current stack is left for good.
    void start([[maybe_unused]] const StackSwitch& to, [[maybe_unused]] bool ending = false) {
#ifdef CSTORE_ASAN_FIBERS
        __sanitizer_start_switch_fiber(ending ? nullptr : &fakeStack, to.bottom, to.size);
#endif
    }
    // Call right after arriving; records the stack we came from in `from`.
    void finish([[maybe_unused]] StackSwitch& from) {
#ifdef CSTORE_ASAN_FIBERS
        __sanitizer_finish_switch_fiber(fakeStack, &from.bottom, &from.size);
#endif
    }
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
                enterFiber();
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
                ctx::protected_fixedsize_stack allocator(8 << 20);
                ctx::stack_context stack = allocator.allocate();
                fiberStack_.bottom = static_cast<char*>(stack.sp) - stack.size;
                fiberStack_.size = stack.size;
                fiber_ = ctx::fiber(std::allocator_arg, ctx::preallocated(stack.sp, stack.size, stack), allocator,
                                    [this](ctx::fiber&& caller) { return run(std::move(caller)); });
            }
            enterFiber();
        }
        size_t n = std::min(len, pending_.size());
        std::memcpy(data, pending_.data(), n);
        pending_.remove_prefix(n);
        return n;
    }

private:
    struct ForcedUnwind {};

    void enterFiber() {
        callerStack_.start(fiberStack_);
        fiber_ = std::move(fiber_).resume();
        callerStack_.finish(fiberStack_);
    }

    struct YieldingSink : Sink {
        FiberSource& owner;
        explicit YieldingSink(FiberSource& o) : owner(o) {}
        void operator()(std::string_view chunk) override {
            if (chunk.empty()) return;
            owner.pending_ = chunk;
            owner.fiberStack_.start(owner.callerStack_);
            owner.caller_ = std::move(owner.caller_).resume();
            owner.fiberStack_.finish(owner.callerStack_);
            if (owner.stopping_) throw ForcedUnwind();
        }
    };

    ctx::fiber run(ctx::fiber&& caller) {
        fiberStack_.finish(callerStack_);
        caller_ = std::move(caller);
        try {
            YieldingSink sink(*this);
            producer_(sink);
        } catch (ForcedUnwind&) {
        } catch (...) {
            error_ = std::current_exception();
        }
        finished_ = true;
        fiberStack_.start(callerStack_, /*ending=*/true);
        return std::move(caller_);
    }

    std::function<void(Sink&)> producer_;
    ctx::fiber fiber_, caller_;
    std::string_view pending_;
    std::exception_ptr error_;
    bool started_ = false, finished_ = false, stopping_ = false;
    StackSwitch fiberStack_, callerStack_;
};
}  // namespace

std::unique_ptr<Source> sinkToSource(std::function<void(Sink&)> producer) {
    return std::make_unique<FiberSource>(std::move(producer));
}

}  // namespace cstore
