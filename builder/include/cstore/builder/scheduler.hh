// The build scheduler: realises requested derivation outputs by walking the
// derivation graph, substituting what caches have, building the rest in
// dependency order, `maxJobs` at a time. Per-output locks make two processes
// sharing a store never build the same output at once; the second waits and
// reuses the result.
//
//   Scheduler s(store, sandbox, substituter /* may be null */, options);
//   SchedulerResult r = s.run({{drvPath, {"out"}}});
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cstore/builder/derivation_build.hh"
#include "cstore/store/substituter.hh"

namespace cstore {

struct BuildRequest {
    StorePath drvPath;
    std::set<std::string> outputs;  // empty: all outputs
};

struct SchedulerOptions {
    BuildOptions build;
    unsigned maxJobs = 1;
    bool keepGoing = false;
};

// Events for progress displays.
struct SchedulerListener {
    virtual ~SchedulerListener() = default;
    virtual void buildStarted(const StorePath& drv) {}
    virtual void buildFinished(const StorePath& drv, const BuildOutcome& outcome) {}
    virtual void substituting(const StorePath& path) {}
    virtual void waitingForLock(const StorePath& drv) {}
    virtual void tick(size_t done, size_t total, const std::vector<const DerivationBuild*>& running) {}
};

struct SchedulerResult {
    std::vector<std::pair<StorePath, BuildOutcome>> failures;
    size_t built = 0, substituted = 0;
    bool ok() const { return failures.empty(); }
    // For each request: output name -> path.
    std::vector<std::map<std::string, StorePath>> outputs;
};

struct BuildPlan {
    std::vector<StorePath> toBuild;       // derivations
    std::vector<StorePath> toSubstitute;  // output paths
    std::vector<StorePath> alreadyValid;
};

class Scheduler {
public:
    Scheduler(LocalStore& store, Sandbox& sandbox, Substituter* substituter, SchedulerOptions options,
              SchedulerListener* listener = nullptr);
    ~Scheduler();

    // What `run` would do (for --dry-run).
    BuildPlan plan(const std::vector<BuildRequest>& requests);
    SchedulerResult run(const std::vector<BuildRequest>& requests);

private:
    struct Node;
    Node& nodeFor(const StorePath& drvPath);
    bool outputsValid(const Node& node, const std::set<std::string>& outputs);
    bool trySubstitute(Node& node);
    void expand(Node& node);
    void startReady(SchedulerResult& result);
    void complete(Node& node, bool success, SchedulerResult& result);
    void failNode(Node& node, const std::string& error, SchedulerResult& result);

    LocalStore& store_;
    Sandbox& sandbox_;
    Substituter* substituter_;
    SchedulerOptions opts_;
    SchedulerListener* listener_;
    std::map<StorePath, std::unique_ptr<Node>> nodes_;
    std::deque<Node*> ready_;  // started first in, first out
    std::vector<Node*> running_, waitingLock_;
    std::set<StorePath> forced_;  // top-level derivations rebuilt by --check/--repair
    bool stopping_ = false;
    size_t completed_ = 0;  // nodes settled since run() began (for the status line)
};

}  // namespace cstore
