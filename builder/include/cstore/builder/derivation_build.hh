// One build of one derivation: prepares the build directory and the
// environment, starts the builder in the sandbox, collects its log, enforces
// time limits, and on success turns the outputs into valid store paths.
//
//   DerivationBuild b(store, sandbox, drvPath, drv, opts);
//   b.start();
//   while (b.readLog()) {}          // or poll b.logFd() in an event loop
//   BuildOutcome r = b.finish();
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cstore/builder/build_log.hh"
#include "cstore/builder/sandbox.hh"
#include "cstore/store/derivation.hh"
#include "cstore/store/local_store.hh"

namespace cstore {

enum class BuildMode { normal, check, repair };

struct BuildOptions {
    bool sandbox = true;
    std::vector<std::string> sandboxPaths;  // allow-list for impureHostDeps
    std::string buildDir;                   // host parent of build directories
    uint64_t cores = 1;
    uint64_t timeout = 0, maxSilentTime = 0;  // seconds, 0 = none
    bool keepFailed = false;
    size_t logLines = 25;
    BuildMode mode = BuildMode::normal;
    std::function<void(const std::string& drvName, const std::string& line)> onLogLine;
};

struct BuildOutcome {
    bool success = false;
    std::string error;                 // one paragraph, ready to print
    std::vector<std::string> logTail;  // last lines of the log
    std::string logPath;
    std::string keptBuildDir;  // with --keep-failed
};

class DerivationBuild {
public:
    DerivationBuild(LocalStore& store, Sandbox& sandbox, StorePath drvPath, Derivation drv, BuildOptions options);
    ~DerivationBuild();

    // Throws Error if the build cannot be started (bad derivation, sandbox failure).
    void start();
    int logFd() const { return process_.log.get(); }
    // Reads what is available from the log; false at end of output.
    bool readLog();
    // Kills the builder if a time limit has passed; returns true if it did.
    bool enforceTimeLimits();
    void kill(const std::string& reason);
    // Waits for the builder and registers the outputs (or explains the failure).
    BuildOutcome finish();

    const StorePath& drvPath() const { return drvPath_; }
    const Derivation& drv() const { return drv_; }
    const std::string& lastLogLine() const;

private:
    void prepareDirectories();
    BuilderProcess startBuiltin();
    void registerOutputs();
    void cleanUp(bool keepBuildDir);

    LocalStore& store_;
    Sandbox& sandbox_;
    StorePath drvPath_;
    Derivation drv_;
    BuildOptions opts_;
    BuilderProcess process_;
    std::unique_ptr<BuildLogWriter> log_;
    std::string buildTop_, hostBuildDir_, hostStoreDir_;
    StorePathSet inputClosure_;
    bool impure_ = false;
    std::string killReason_;
    std::chrono::steady_clock::time_point started_, lastOutput_;
};

}  // namespace cstore
