#include "cstore/builder/derivation_build.hh"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "cstore/builder/build_env.hh"
#include "cstore/builder/builtins.hh"
#include "cstore/builder/output_check.hh"
#include "cstore/util/extension.hh"
#include "cstore/util/file.hh"
#include "cstore/util/logging.hh"
#include "dir_pool.hh"
#include "mount_points.hh"

extern char** environ;

namespace cstore {

namespace {

std::string thisSystem() {
    struct utsname u;
    uname(&u);
    std::string machine = u.machine;
    return machine + "-linux";
}

// One empty directory per process serves as every sandbox's root mount point.
// It is removed when the process exits.
const std::string& sandboxRootMountPoint(const std::string& parent) {
    struct MountPoint {
        std::string dir;
        explicit MountPoint(std::string d) : dir(std::move(d)) { createDirs(dir, 0700); }
        ~MountPoint() { rmdir(dir.c_str()); }
    };
    static const MountPoint mountPoint(parent + "/cstore-sandbox-root-" + std::to_string(getpid()));
    return mountPoint.dir;
}

std::map<std::string, std::string> callerEnvironment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return env;
}
}  // namespace

DerivationBuild::DerivationBuild(LocalStore& store, Sandbox& sandbox, StorePath drvPath, Derivation drv,
                                 BuildOptions options)
    : store_(store), sandbox_(sandbox), drvPath_(std::move(drvPath)), drv_(std::move(drv)), opts_(std::move(options)) {}

DerivationBuild::~DerivationBuild() {
    if (process_.pid > 0) {
        kill("cancelled");
        waitpid(process_.pid, nullptr, 0);
        process_.pid = -1;
    }
    try {
        cleanUp(false);
    } catch (...) {
    }
}

const std::string& DerivationBuild::lastLogLine() const {
    static const std::string none;
    return log_ ? log_->lastLine() : none;
}

namespace {
DirectoryPool& buildDirPool(const std::string& parent) {
    static DirectoryPool pool(parent + "/cstore-build-" + std::to_string(getpid()) + "-");
    return pool;
}

// Staging directories live in the store (outputs are renamed from there);
// their name tells the garbage collector which process owns them.
DirectoryPool& stagingPool(const std::string& realStoreDir) {
    static std::map<std::string, std::unique_ptr<DirectoryPool>> pools;
    auto& pool = pools[realStoreDir];
    if (!pool) pool = std::make_unique<DirectoryPool>(realStoreDir + "/.stage-" + std::to_string(getpid()) + "-build-");
    return *pool;
}

// Removes every entry of `dir` except those named in `keep`.
void emptyDirectory(const std::string& dir, const std::set<std::string>& keep = {}) {
    for (auto& name : readDirectoryNames(dir))
        if (!keep.count(name)) deletePath(dir + "/" + name);
}

// The same for a staging directory, whose entries are mount points to recycle.
void retireMountPoints(const std::string& dir, const std::set<std::string>& keep) {
    auto& mountPoints = mountPointsFor(dir);
    for (auto& name : readDirectoryNames(dir))
        if (!keep.count(name)) mountPoints.retire(dir + "/" + name);
}
}  // namespace

void DerivationBuild::prepareDirectories() {
    std::string parent = opts_.buildDir.empty() ? defaultTempDir() : opts_.buildDir;
    buildTop_ = buildDirPool(parent).acquire();
    hostBuildDir_ = buildTop_;
    if (sandbox_.isolated()) {
        hostStoreDir_ = stagingPool(store_.realStoreDir()).acquire();
        // Mount points of the previous build's inputs stay if this build needs them
        // too; the others are recycled for the inputs that have none yet.
        std::set<std::string> keep;
        for (auto& p : inputClosure_) keep.insert(p.baseName());
        retireMountPoints(hostStoreDir_, keep);
        auto& mountPoints = mountPointsFor(hostStoreDir_);
        for (auto& p : inputClosure_) {
            std::string target = hostStoreDir_ + "/" + p.baseName();
            if (maybeLstat(target)) continue;
            mountPoints.make(target, S_ISDIR(lstatOrThrow(store_.realPath(p)).st_mode));
        }
        chmod(hostStoreDir_.c_str(), 0755);
    } else {
        hostStoreDir_ = store_.realStoreDir();
        // Invalid leftovers at the output paths would be mistaken for outputs.
        for (auto& [name, out] : drv_.outputs)
            if (out.path && !store_.isValidPath(*out.path)) deletePath(store_.realPath(*out.path));
    }
}

void DerivationBuild::start() {
    if (drv_.platform != thisSystem() && drv_.platform != "builtin")
        throw Error("a '%s' system is required to build '%s', but this machine is '%s'", drv_.platform,
                    store_.printPath(drvPath_), thisSystem());
    if (!sandbox_.isolated() && store_.realStoreDir() != store_.storeDir().dir())
        throw Error("building without the sandbox needs a store whose root is '/' (this store's files are in '%s')",
                    store_.realStoreDir());
    for (auto& [name, out] : drv_.outputs)
        if (!out.path) throw Error("derivation '%s' has no path for output '%s'", store_.printPath(drvPath_), name);

    // The input closure: sources plus the requested outputs of input derivations.
    StorePathSet inputs = drv_.inputSrcs;
    for (auto& [path, outs] : drv_.inputDrvs) {
        auto known = store_.queryDerivationOutputs(path);
        if (known.empty()) {
            auto inputDrv = readDerivation(store_, path);
            for (auto& [n, o] : inputDrv.outputs)
                if (o.path) known.emplace(n, *o.path);
        }
        for (auto& o : outs) {
            auto it = known.find(o);
            if (it == known.end()) throw Error("input derivation '%s' has no output '%s'", store_.printPath(path), o);
            inputs.insert(it->second);
        }
    }
    for (auto& p : inputs) {
        store_.addTempRoot(p);
        if (!store_.isValidPath(p)) throw Error("input path '%s' is not valid", store_.printPath(p));
    }
    inputClosure_ = store_.closure(inputs);
    for (auto& [name, out] : drv_.outputs) store_.addTempRoot(*out.path);

    // Host paths the derivation asks for must be allowed by sandbox-paths.
    std::vector<std::pair<std::string, std::string>> extraPaths;
    for (auto& dep : envWords(drv_, "impureHostDeps")) {
        std::string path = canonPath(dep);
        bool allowed = false;
        for (auto& prefix : opts_.sandboxPaths) allowed |= isInDir(path, canonPath(prefix));
        if (!allowed)
            throw Error("derivation '%s' asks for the host path '%s', which the sandbox-paths setting does not allow",
                        store_.printPath(drvPath_), dep);
        extraPaths.emplace_back(path, path);
    }
    impure_ = !extraPaths.empty();

    prepareDirectories();
    BuildEnvInputs envIn;
    envIn.storeDir = store_.storeDir().dir();
    envIn.sandboxBuildDir = sandbox_.isolated() ? "/build" : hostBuildDir_;
    envIn.cores = opts_.cores;
    if (drv_.isFixedOutput()) envIn.callerEnv = callerEnvironment();
    BuildEnv env = makeBuildEnv(drv_, envIn);
    for (auto& [file, contents] : env.files) writeFile(hostBuildDir_ + "/" + file, contents);

    SandboxSpec spec;
    spec.builder = drv_.builder;
    spec.args = drv_.args;
    spec.env = std::move(env.env);
    spec.storeDir = store_.storeDir().dir();
    spec.hostStoreDir = hostStoreDir_;
    for (auto& p : inputClosure_) spec.inputPaths.push_back(store_.realPath(p));
    spec.hostBuildDir = hostBuildDir_;
    spec.hostRootMountPoint = sandboxRootMountPoint(opts_.buildDir.empty() ? defaultTempDir() : opts_.buildDir);
    spec.extraPaths = std::move(extraPaths);
    spec.network = drv_.isFixedOutput();

    log_ = std::make_unique<BuildLogWriter>(store_, drvPath_, opts_.logLines);
    if (opts_.onLogLine) log_->onLine = [this](const std::string& l) { opts_.onLogLine(drv_.name, l); };
    if (drv_.builder.starts_with("builtin:"))
        process_ = startBuiltin();
    else
        process_ = sandbox_.start(spec);
    fcntl(process_.log.get(), F_SETFL, O_NONBLOCK);
    started_ = lastOutput_ = std::chrono::steady_clock::now();
}

BuilderProcess DerivationBuild::startBuiltin() {
    std::string name = drv_.builder.substr(8);
    const BuiltinBuilderEntry* builtin = findBuiltinBuilder(name);
    if (!builtin)
        throw Error("derivation '%s' uses the unknown builtin builder '%s'", store_.printPath(drvPath_), drv_.builder);
    for (auto& extension : builtin->extensions) loadExtension(extension);
    BuiltinContext ctx{drv_, {}, store_.storeDir(), store_.realStoreDir(), {}};
    for (auto& [outName, out] : drv_.outputs) ctx.outputs[outName] = hostStoreDir_ + "/" + out.path->baseName();
    for (auto& p : inputClosure_) ctx.inputs[p] = store_.pathInfoOrThrow(p).referencesWithoutSelf();

    int logPipe[2];
    if (pipe2(logPipe, O_CLOEXEC) != 0) throw SysError("creating a pipe");
    AutoCloseFD logRead(logPipe[0]), logWrite(logPipe[1]);
    pid_t pid = fork();
    if (pid < 0) throw SysError("forking a builtin builder");
    if (pid == 0) {
        // The child: no database, no other threads; report errors on stderr.
        setsid();
        dup2(logWrite.get(), 1);
        dup2(logWrite.get(), 2);
        int status = 0;
        try {
            if (chdir(hostBuildDir_.c_str()) != 0) throw SysError("chdir to '%s'", hostBuildDir_);
            builtin->run(ctx);
        } catch (std::exception& e) {
            std::string msg = std::string("error: ") + e.what() + "\n";
            (void)!write(2, msg.data(), msg.size());
            status = 1;
        }
        _exit(status);
    }
    BuilderProcess proc;
    proc.pid = pid;
    proc.log = std::move(logRead);
    return proc;
}

bool DerivationBuild::readLog() {
    char buf[65536];
    while (true) {
        ssize_t n = read(process_.log.get(), buf, sizeof buf);
        if (n > 0) {
            log_->write(std::string_view(buf, static_cast<size_t>(n)));
            lastOutput_ = std::chrono::steady_clock::now();
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return true;
        throw SysError("reading the log of '%s'", store_.printPath(drvPath_));
    }
}

void DerivationBuild::kill(const std::string& reason) {
    if (process_.pid <= 0) return;
    if (killReason_.empty()) killReason_ = reason;
    // PID 1 of a PID namespace takes every process in it along; without the
    // sandbox the builder leads its own process group.
    if (sandbox_.isolated() && !drv_.builder.starts_with("builtin:"))
        ::kill(process_.pid, SIGKILL);
    else
        ::kill(-process_.pid, SIGKILL);
}

bool DerivationBuild::enforceTimeLimits() {
    if (process_.pid <= 0 || !killReason_.empty()) return false;
    auto now = std::chrono::steady_clock::now();
    auto secs = [](auto d) {
        return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
    };
    if (opts_.timeout && secs(now - started_) >= opts_.timeout) {
        kill(format("timed out after %s seconds", opts_.timeout));
        return true;
    }
    if (opts_.maxSilentTime && secs(now - lastOutput_) >= opts_.maxSilentTime) {
        kill(format("timed out after %s seconds of silence", opts_.maxSilentTime));
        return true;
    }
    return false;
}

BuildOutcome DerivationBuild::finish() {
    BuildOutcome outcome;
    int status = 0;
    bool exited = false;
    // Read the log to its end; reap the builder as soon as it exits (without
    // the sandbox, leftover children could keep the pipe open forever).
    while (true) {
        bool open = readLog();
        if (!exited) {
            pid_t r = waitpid(process_.pid, &status, WNOHANG);
            if (r == process_.pid) {
                exited = true;
                if (!sandbox_.isolated() || drv_.builder.starts_with("builtin:")) ::kill(-process_.pid, SIGKILL);
            }
        }
        if (!open && exited) break;
        if (!open) {
            if (waitpid(process_.pid, &status, 0) == process_.pid) exited = true;
            continue;
        }
        enforceTimeLimits();
        struct pollfd pfd = {process_.log.get(), POLLIN, 0};
        poll(&pfd, 1, 100);
    }
    process_.pid = -1;
    log_->finish();
    outcome.logPath = log_->path();
    outcome.logTail.assign(log_->tail().begin(), log_->tail().end());

    std::string who = store_.printPath(drvPath_);
    if (!killReason_.empty()) {
        outcome.error = format("build of '%s' %s", who, killReason_);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        outcome.error = format("builder for '%s' failed with exit code %s", who, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        outcome.error = format("builder for '%s' was killed by signal %s", who, WTERMSIG(status));
    } else {
        try {
            registerOutputs();
            outcome.success = true;
        } catch (Interrupted&) {
            throw;
        } catch (Error& e) {
            outcome.error = e.message();
        }
    }
    bool keep = !outcome.success && opts_.keepFailed;
    if (keep) {
        // Give the kept directory a name of its own; the pooled name is reused.
        std::string kept = createTempDir(dirOf(buildTop_), "cstore-build-" + drv_.name + "-failed");
        rmdir(kept.c_str());
        if (rename(buildTop_.c_str(), kept.c_str()) == 0) {
            outcome.keptBuildDir = kept;
        } else {
            outcome.keptBuildDir = buildTop_;
        }
    }
    cleanUp(keep);
    return outcome;
}

void DerivationBuild::registerOutputs() {
    OutputCheckInput in{store_, drvPath_, drv_, hostStoreDir_, inputClosure_, impure_, opts_.mode};
    checkAndRegisterOutputs(in);
}

void DerivationBuild::cleanUp(bool keepBuildDir) {
    std::string parent = opts_.buildDir.empty() ? defaultTempDir() : opts_.buildDir;
    if (!hostStoreDir_.empty() && hostStoreDir_ != store_.realStoreDir()) {
        // Keep the input mount points for the next build; drop whatever the builder left.
        std::set<std::string> keep;
        for (auto& p : inputClosure_) keep.insert(p.baseName());
        retireMountPoints(hostStoreDir_, keep);
        stagingPool(store_.realStoreDir()).release(hostStoreDir_);
        hostStoreDir_.clear();
    }
    if (!buildTop_.empty()) {
        if (keepBuildDir) {
            buildDirPool(parent).forget(buildTop_);
        } else {
            emptyDirectory(buildTop_);
            buildDirPool(parent).release(buildTop_);
        }
        buildTop_.clear();
    }
}

}  // namespace cstore
