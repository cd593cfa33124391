#include "build_support.hh"

#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cstore/builder/sandbox.hh"
#include "cstore/store/gc.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"

namespace cstore {

void addBuildOptions(CLI::App* cmd, BuildArgs& a) {
    cmd->add_option("-o,--out-link", a.outLink, "Name of the result symlink (default: result)");
    cmd->add_flag("--no-link", a.noLink, "Do not create result symlinks");
    cmd->add_option("-j,--max-jobs", a.jobs, "Builds to run at once (default: the max-jobs setting, or cores)");
    cmd->add_flag("-k,--keep-going", a.keepGoing, "Keep building what does not depend on a failed build");
    cmd->add_flag("-n,--dry-run", a.dryRun, "Show what would be built or fetched, do nothing");
    cmd->add_flag("-L,--print-build-logs", a.printLogs, "Print full build logs, each line prefixed by its derivation");
    cmd->add_flag("-K,--keep-failed", a.keepFailed, "Keep the build directory of failed builds");
    cmd->add_flag("--check", a.check, "Build again and compare with the registered outputs");
    cmd->add_flag("--rebuild", a.rebuild, "Same as --check");
    cmd->add_flag("--repair", a.repair, "Build again and replace the registered outputs");
    cmd->add_flag("--json", a.json, "Print the result as JSON");
    cmd->add_option("--timeout", a.timeout, "Kill a build after this many seconds")->each([&a](const std::string&) {
        a.timeoutSet = true;
    });
    cmd->add_option("--max-silent-time", a.maxSilentTime, "Kill a build silent for this many seconds")
        ->each([&a](const std::string&) { a.silentSet = true; });
}

BuildRequest parseDerivedPath(LocalStore& store, const std::string& text) {
    auto caret = text.rfind('^');
    std::string pathPart = caret == std::string::npos ? text : text.substr(0, caret);
    BuildRequest r{store.parseUserPath(pathPart), {}};
    if (!r.drvPath.isDerivation()) throw Error("'%s' is not a derivation (a .drv store path)", pathPart);
    if (caret != std::string::npos) {
        std::string outs = text.substr(caret + 1);
        if (outs != "*") {
            size_t i = 0;
            while (i <= outs.size()) {
                size_t e = outs.find(',', i);
                if (e == std::string::npos) e = outs.size();
                if (e > i) r.outputs.insert(outs.substr(i, e - i));
                i = e + 1;
            }
            if (r.outputs.empty()) throw Error("no output names after '^' in '%s'", text);
        }
    }
    return r;
}

namespace {

// One status line on a terminal; plain lines otherwise.
class ProgressDisplay : public SchedulerListener {
public:
    explicit ProgressDisplay(LocalStore& store) : store_(store), progress_("build") {}

    void buildStarted(const StorePath& drv) override {
        if (!progressAllowed()) logInfo("building '%s'...", store_.printPath(drv));
    }
    void substituting(const StorePath& path) override {
        logInfo("copying '%s' from a binary cache...", store_.printPath(path));
    }
    void waitingForLock(const StorePath& drv) override {
        if (warnedLock_.insert(drv).second)
            logInfo("waiting for another process to finish building '%s'...", store_.printPath(drv));
    }
    void tick(size_t done, size_t total, const std::vector<const DerivationBuild*>& running) override {
        std::string status = format("%s/%s built", done, total);
        if (!running.empty()) {
            status += format(", %s running", running.size());
            const std::string& last = running.front()->lastLogLine();
            status += " | " + running.front()->drv().name + (last.empty() ? "" : "> " + last.substr(0, 80));
        }
        progress_.setStatus(status);
    }

private:
    LocalStore& store_;
    Progress progress_;
    std::set<StorePath> warnedLock_;
};

unsigned defaultJobs() {
    if (settings.maxJobs.get()) return static_cast<unsigned>(settings.maxJobs.get());
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

void runBuild(CommandContext& ctx, const std::vector<BuildRequest>& requests, const BuildArgs& args) {
    auto& store = ctx.store();
    SchedulerOptions opts;
    opts.maxJobs = args.jobs ? args.jobs : defaultJobs();
    opts.keepGoing = args.keepGoing;
    opts.build.sandbox = settings.sandbox.get();
    opts.build.sandboxPaths = settings.sandboxPaths.get();
    opts.build.buildDir = settings.buildDir.get();
    opts.build.cores = settings.cores.get() ? settings.cores.get() : std::max(1u, std::thread::hardware_concurrency());
    opts.build.timeout = args.timeoutSet ? args.timeout : settings.buildTimeout.get();
    opts.build.maxSilentTime = args.silentSet ? args.maxSilentTime : settings.maxSilentTime.get();
    opts.build.keepFailed = args.keepFailed;
    opts.build.logLines = settings.logLines.get();
    opts.build.mode = args.repair                    ? BuildMode::repair
                      : (args.check || args.rebuild) ? BuildMode::check
                                                     : BuildMode::normal;
    if (args.printLogs)
        opts.build.onLogLine = [](const std::string& name, const std::string& line) {
            writeLogLine(name + "> ", line);
        };

    std::unique_ptr<Sandbox> sandbox;
    if (opts.build.sandbox)
        sandbox = std::make_unique<LinuxSandbox>();
    else
        sandbox = std::make_unique<UnsandboxedRunner>();
    Substituter* substituter = ctx.substituter();
    ProgressDisplay display(store);
    Scheduler scheduler(store, *sandbox, substituter, opts, &display);

    if (args.dryRun) {
        BuildPlan plan = scheduler.plan(requests);
        if (args.json) {
            nlohmann::json j = {{"build", nlohmann::json::array()}, {"fetch", nlohmann::json::array()}};
            for (auto& p : plan.toBuild) j["build"].push_back(store.printPath(p));
            for (auto& p : plan.toSubstitute) j["fetch"].push_back(store.printPath(p));
            std::cout << j.dump() << "\n";
            return;
        }
        if (!plan.toBuild.empty()) {
            std::cerr << "these " << plan.toBuild.size() << " derivations will be built:\n";
            for (auto& p : plan.toBuild) std::cerr << "  " << store.printPath(p) << "\n";
        }
        if (!plan.toSubstitute.empty()) {
            std::cerr << "these " << plan.toSubstitute.size() << " paths will be fetched:\n";
            for (auto& p : plan.toSubstitute) std::cerr << "  " << store.printPath(p) << "\n";
        }
        if (plan.toBuild.empty() && plan.toSubstitute.empty()) std::cerr << "nothing to build or fetch\n";
        return;
    }

    SchedulerResult result = scheduler.run(requests);
    for (auto& [drv, outcome] : result.failures) {
        logError("%s", outcome.error);
        if (!outcome.logTail.empty() && !args.printLogs) {
            std::string tail;
            for (auto& l : outcome.logTail) tail += "  > " + l + "\n";
            std::cerr << "last " << outcome.logTail.size() << " log lines:\n" << tail;
        }
        if (!outcome.logPath.empty())
            std::cerr << "full log: cstore log " << store.printPath(drv) << " (" << outcome.logPath << ")\n";
        if (!outcome.keptBuildDir.empty()) std::cerr << "build directory kept at " << outcome.keptBuildDir << "\n";
    }
    if (!result.ok()) {
        logError("%s build(s) failed", result.failures.size());
        ctx.exitCode = 1;
        if (!args.keepGoing) return;
    }

    nlohmann::json j = nlohmann::json::array();
    for (size_t i = 0; i < requests.size(); ++i) {
        nlohmann::json entry = {{"drvPath", store.printPath(requests[i].drvPath)},
                                {"outputs", nlohmann::json::object()}};
        for (auto& [name, path] : result.outputs[i]) {
            if (!store.isValidPath(path)) continue;
            entry["outputs"][name] = store.printPath(path);
            if (!args.json) std::cout << store.printPath(path) << "\n";
            if (!args.noLink && opts.build.mode != BuildMode::check) {
                std::string link =
                    args.outLink + (i > 0 ? "-" + std::to_string(i + 1) : "") + (name == "out" ? "" : "-" + name);
                addIndirectRoot(store, link, path);
            }
        }
        j.push_back(entry);
    }
    if (args.json) std::cout << j.dump() << "\n";
}

}  // namespace cstore
