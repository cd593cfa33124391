#include "cstore/util/logging.hh"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace cstore {

namespace {
Verbosity currentVerbosity = Verbosity::normal;
std::mutex logMutex;
bool statusLineShown = false;

uint64_t nowMs() {
    using namespace std::chrono;
    return static_cast<uint64_t>(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

void clearStatusLine() {
    if (statusLineShown) {
        fputs("\r\033[K", stderr);
        statusLineShown = false;
    }
}
}  // namespace

void setVerbosity(Verbosity v) { currentVerbosity = v; }
Verbosity verbosity() { return currentVerbosity; }

bool progressAllowed() {
    static const bool allowed = [] {
        const char* ci = getenv("CI");
        const char* term = getenv("TERM");
        return isatty(STDERR_FILENO) && !(ci && *ci) && !(term && std::string_view(term) == "dumb");
    }();
    return allowed;
}

void writeLogLine(std::string_view prefix, const std::string& line) {
    std::lock_guard lock(logMutex);
    clearStatusLine();
    std::string out(prefix);
    out += line;
    out += '\n';
    fwrite(out.data(), 1, out.size(), stderr);
}

Progress::Progress(std::string activity) : activity_(std::move(activity)) {}

Progress::~Progress() {
    if (drawn_) {
        std::lock_guard lock(logMutex);
        clearStatusLine();
    }
}

void Progress::update(uint64_t done, uint64_t expected, std::string_view unit) {
    if (!progressAllowed()) return;
    if (unit == "bytes")
        status_ = formatBytes(done) + (expected ? " / " + formatBytes(expected) : "");
    else
        status_ = std::to_string(done) + (expected ? "/" + std::to_string(expected) : "") + " " + std::string(unit);
    draw(false);
}

void Progress::setStatus(std::string status) {
    status_ = std::move(status);
    draw(false);
}

void Progress::draw(bool force) {
    if (!progressAllowed()) return;
    uint64_t now = nowMs();
    if (!force && now - lastDraw_ < 100) return;
    lastDraw_ = now;
    std::lock_guard lock(logMutex);
    std::string line = "\r\033[K[" + activity_ + "] " + status_;
    fwrite(line.data(), 1, line.size(), stderr);
    statusLineShown = drawn_ = true;
}

std::string formatBytes(uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

}  // namespace cstore
