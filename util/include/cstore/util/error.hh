// Errors thrown by cstore. Every error carries a human-readable message and,
// where one is known, the source position it is about (a recipe line, a byte
// offset in a NAR, a line in a .drv). Callers catch `Error` at the CLI
// boundary and print `what()`.
//
//   throw Error("path '%s' is not valid", path);           // printf-like
//   throw Error(pos, "expected ';'");                       // with a position
//   throw SysError("opening '%s'", path);                   // appends strerror(errno)
#pragma once

#include <cerrno>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cstore/util/format.hh"

namespace cstore {

// A place in some input: a file (or "«string»"), a 1-based line and column.
// Line 0 means "no line information" (e.g. a byte offset in binary input).
struct SourcePos {
    std::string file;
    uint32_t line = 0;
    uint32_t column = 0;

    std::string toString() const;
};

class Error : public std::runtime_error {
public:
    explicit Error(std::string msg) : std::runtime_error(msg), message_(std::move(msg)) {}

    template <typename... Args>
    explicit Error(std::string_view fmt, const Args&... args) : Error(format(fmt, args...)) {}

    template <typename... Args>
    Error(SourcePos pos, std::string_view fmt, const Args&... args) : Error(format(fmt, args...)) {
        setPos(std::move(pos));
    }

    const std::string& message() const { return message_; }
    const std::optional<SourcePos>& pos() const { return pos_; }
    void setPos(SourcePos pos) {
        pos_ = std::move(pos);
        rebuild();
    }

    // Context lines ("while evaluating ...") shown after the message.
    const std::vector<std::string>& trace() const { return trace_; }
    void addTrace(std::string line) {
        trace_.push_back(std::move(line));
        rebuild();
    }

    const char* what() const noexcept override { return full_.empty() ? message_.c_str() : full_.c_str(); }

private:
    void rebuild();

    std::string message_;
    std::optional<SourcePos> pos_;
    std::vector<std::string> trace_;
    std::string full_;
};

// An error from a system call: the message gets ": <strerror(errno)>" appended.
class SysError : public Error {
public:
    template <typename... Args>
    explicit SysError(std::string_view fmt, const Args&... args) : SysError(errno, format(fmt, args...)) {}

    SysError(int err, std::string msg);

    int errNo() const { return errNo_; }

private:
    int errNo_;
};

// Malformed input data (NAR, .drv, narinfo, ...).
class FormatError : public Error {
public:
    using Error::Error;
};

// The user interrupted the operation (SIGINT/SIGTERM).
class Interrupted : public Error {
public:
    Interrupted() : Error(std::string("interrupted by the user")) {}
};

}  // namespace cstore
