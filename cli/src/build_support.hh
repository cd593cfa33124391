// Shared by `cstore build` and `cstore realise`: the build options, the
// progress display and the code that runs the scheduler and links results.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "command.hh"
#include "cstore/builder/scheduler.hh"

namespace cstore {

struct BuildArgs {
    std::string outLink = "result";
    bool noLink = false;
    unsigned jobs = 0;
    bool keepGoing = false, dryRun = false, printLogs = false, keepFailed = false;
    bool check = false, rebuild = false, repair = false, json = false;
    uint64_t timeout = 0, maxSilentTime = 0;
    bool timeoutSet = false, silentSet = false;
};

void addBuildOptions(CLI::App* cmd, BuildArgs& args);

// Parses "/store/…drv", "/store/…drv^out,dev" or "/store/…drv^*".
BuildRequest parseDerivedPath(LocalStore& store, const std::string& text);

// Builds, prints output paths (or JSON), makes result links. Sets ctx.exitCode on failure.
void runBuild(CommandContext& ctx, const std::vector<BuildRequest>& requests, const BuildArgs& args);

}  // namespace cstore
