// Byte streams. A `Sink` accepts chunks pushed into it; a `Source` fills a
// caller's buffer on request. NAR writing, hashing, compression, files and
// HTTP bodies all compose through these two interfaces, so large store
// objects never sit in memory as a whole.
//
//   FdSink out(STDOUT_FILENO);
//   HashSink hash(HashAlgo::sha256);
//   TeeSink both(out, hash);
//   dumpPath("/some/tree", both);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cstore {

struct Sink {
    virtual ~Sink() = default;
    virtual void operator()(std::string_view data) = 0;
};

struct Source {
    virtual ~Source() = default;
    // Reads at most `len` bytes into `data`; returns the number read, 0 at end of input.
    virtual size_t read(char* data, size_t len) = 0;

    // Reads exactly `len` bytes or throws FormatError("unexpected end of input").
    void readExactly(char* data, size_t len);
    // Pushes everything that is left into `sink`.
    void drainInto(Sink& sink);
    std::string drain();
};

// Discards everything.
struct NullSink : Sink {
    void operator()(std::string_view) override {}
};

struct StringSink : Sink {
    std::string data;
    void operator()(std::string_view chunk) override { data.append(chunk); }
};

// Counts the bytes that pass.
struct CountingSink : Sink {
    uint64_t count = 0;
    void operator()(std::string_view chunk) override { count += chunk.size(); }
};

struct TeeSink : Sink {
    Sink& a;
    Sink& b;
    TeeSink(Sink& a, Sink& b) : a(a), b(b) {}
    void operator()(std::string_view chunk) override {
        a(chunk);
        b(chunk);
    }
};

struct LambdaSink : Sink {
    std::function<void(std::string_view)> fn;
    explicit LambdaSink(std::function<void(std::string_view)> fn) : fn(std::move(fn)) {}
    void operator()(std::string_view chunk) override { fn(chunk); }
};

// Collects small writes into a buffer before passing them on.
class BufferedSink : public Sink {
public:
    explicit BufferedSink(Sink& next, size_t capacity = 64 * 1024);
    ~BufferedSink() override;
    void operator()(std::string_view chunk) override;
    void flush();

private:
    Sink& next_;
    std::string buffer_;
    size_t capacity_;
};

// Writes to a file descriptor (retrying short writes; EINTR-safe).
class FdSink : public Sink {
public:
    explicit FdSink(int fd) : fd_(fd) {}
    void operator()(std::string_view chunk) override;

private:
    int fd_;
};

class FdSource : public Source {
public:
    explicit FdSource(int fd) : fd_(fd) {}
    size_t read(char* data, size_t len) override;

private:
    int fd_;
};

class StringSource : public Source {
public:
    explicit StringSource(std::string_view data) : data_(data) {}
    size_t read(char* data, size_t len) override;

private:
    std::string_view data_;
    size_t pos_ = 0;
};

// Reads through a buffer, so that many small reads cost one system call.
class BufferedSource : public Source {
public:
    explicit BufferedSource(Source& inner, size_t capacity = 64 * 1024);
    size_t read(char* data, size_t len) override;

private:
    Source& inner_;
    std::unique_ptr<char[]> buffer_;
    size_t capacity_, start_ = 0, end_ = 0;
};

// Turns a producer that pushes into a Sink into a pull Source. The producer
// runs on its own Boost.Context fiber and is resumed whenever the consumer
// needs more bytes; exceptions thrown by the producer surface from read().
std::unique_ptr<Source> sinkToSource(std::function<void(Sink&)> producer);

}  // namespace cstore
