// Messages to the user on stderr. Progress lines are drawn only on a terminal
// (and never when $CI is set); in pipes, only plain lines are printed.
//
//   logInfo("copying %s paths", n);
//   logWarn("ignoring stale lock '%s'", p);
//   Progress p("hashing");  p.update(done, total, "bytes");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cstore/util/format.hh"

namespace cstore {

enum class Verbosity : int { quiet = 0, normal = 1, verbose = 2, debug = 3 };

void setVerbosity(Verbosity v);
Verbosity verbosity();
// Whether stderr is an interactive terminal and progress may be drawn.
bool progressAllowed();

void writeLogLine(std::string_view prefix, const std::string& line);

template <typename... Args>
void logInfo(std::string_view fmt, const Args&... args) {
    if (verbosity() >= Verbosity::normal) writeLogLine("", format(fmt, args...));
}
template <typename... Args>
void logVerbose(std::string_view fmt, const Args&... args) {
    if (verbosity() >= Verbosity::verbose) writeLogLine("", format(fmt, args...));
}
template <typename... Args>
void logWarn(std::string_view fmt, const Args&... args) {
    writeLogLine("warning: ", format(fmt, args...));
}
template <typename... Args>
void logError(std::string_view fmt, const Args&... args) {
    writeLogLine("error: ", format(fmt, args...));
}

// A one-line status on a terminal, redrawn at most ten times a second.
class Progress {
public:
    explicit Progress(std::string activity);
    ~Progress();
    void update(uint64_t done, uint64_t expected, std::string_view unit);
    void setStatus(std::string status);

private:
    void draw(bool force);
    std::string activity_, status_;
    uint64_t lastDraw_ = 0;
    bool drawn_ = false;
};

std::string formatBytes(uint64_t bytes);

}  // namespace cstore
