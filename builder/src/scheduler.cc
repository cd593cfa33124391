#include "cstore/builder/scheduler.hh"

#include <poll.h>

#include <algorithm>
#include <cstdint>
#include <thread>

#include "cstore/util/logging.hh"
#include "cstore/util/signals.hh"

namespace cstore {

struct Scheduler::Node {
    StorePath drvPath;
    Derivation drv;
    std::set<std::string> wanted;  // outputs some goal needs
    enum class State { fresh, waiting, ready, locking, running, done, failed } state = State::fresh;
    std::vector<Node*> dependents;
    size_t depsLeft = 0;
    std::vector<FileLock> locks;
    std::unique_ptr<DerivationBuild> build;

    explicit Node(StorePath p) : drvPath(std::move(p)) {}
};

Scheduler::Scheduler(LocalStore& store, Sandbox& sandbox, Substituter* substituter, SchedulerOptions options,
                     SchedulerListener* listener)
    : store_(store), sandbox_(sandbox), substituter_(substituter), opts_(std::move(options)), listener_(listener) {
    if (opts_.maxJobs == 0) opts_.maxJobs = 1;
}

Scheduler::~Scheduler() = default;

Scheduler::Node& Scheduler::nodeFor(const StorePath& drvPath) {
    auto it = nodes_.find(drvPath);
    if (it != nodes_.end()) return *it->second;
    auto node = std::make_unique<Node>(drvPath);
    store_.addTempRoot(drvPath);
    if (!store_.isValidPath(drvPath)) throw Error("derivation '%s' is not valid", store_.printPath(drvPath));
    node->drv = readDerivation(store_, drvPath);
    auto& ref = *node;
    nodes_.emplace(drvPath, std::move(node));
    return ref;
}

bool Scheduler::outputsValid(const Node& node, const std::set<std::string>& outputs) {
    for (auto& name : outputs) {
        auto it = node.drv.outputs.find(name);
        if (it == node.drv.outputs.end())
            throw Error("derivation '%s' has no output '%s'", store_.printPath(node.drvPath), name);
        if (!it->second.path) return false;
        store_.addTempRoot(*it->second.path);
        if (!store_.isValidPath(*it->second.path)) return false;
    }
    return true;
}

bool Scheduler::trySubstitute(Node& node) {
    if (!substituter_ || forced_.count(node.drvPath)) return false;
    StorePathSet missing;
    for (auto& name : node.wanted) {
        auto& out = node.drv.outputs.at(name);
        if (out.path && !store_.isValidPath(*out.path)) missing.insert(*out.path);
    }
    if (missing.empty()) return true;
    try {
        auto available = substituter_->querySubstitutable(missing);
        if (available.size() != missing.size()) return false;
        substituter_->substituteClosure(store_, missing, [this](const StorePath& p) {
            if (listener_) listener_->substituting(p);
        });
        return true;
    } catch (Interrupted&) {
        throw;
    } catch (Error& e) {
        logWarn("substituting the outputs of '%s' failed, building instead: %s", store_.printPath(node.drvPath),
                e.message());
        return false;
    }
}

// Node needs building: make goals for its inputs.
void Scheduler::expand(Node& node) {
    node.state = Node::State::waiting;
    node.depsLeft = 0;
    for (auto& [inputPath, outs] : node.drv.inputDrvs) {
        Node& dep = nodeFor(inputPath);
        bool newOutputs = false;
        for (auto& o : outs) newOutputs |= dep.wanted.insert(o).second;
        if (dep.state == Node::State::done && newOutputs && !outputsValid(dep, dep.wanted))
            dep.state = Node::State::fresh;
        if (dep.state == Node::State::done) continue;
        if (dep.state == Node::State::failed) {
            node.state = Node::State::failed;
            return;
        }
        dep.dependents.push_back(&node);
        ++node.depsLeft;
        if (dep.state == Node::State::fresh) {
            if (outputsValid(dep, dep.wanted)) {
                dep.state = Node::State::done;
                dep.dependents.pop_back();
                --node.depsLeft;
                continue;
            }
            if (trySubstitute(dep)) {
                dep.state = Node::State::done;
                dep.dependents.pop_back();
                --node.depsLeft;
                continue;
            }
            expand(dep);
        }
    }
    if (node.depsLeft == 0 && node.state == Node::State::waiting) {
        node.state = Node::State::ready;
        ready_.push_back(&node);
    }
}

void Scheduler::complete(Node& node, bool success, SchedulerResult& result) {
    node.locks.clear();
    ++completed_;
    node.state = success ? Node::State::done : Node::State::failed;
    for (Node* d : node.dependents) {
        if (d->state != Node::State::waiting) continue;
        if (!success) {
            failNode(*d, format("dependency '%s' failed", store_.printPath(node.drvPath)), result);
            continue;
        }
        if (--d->depsLeft == 0) {
            d->state = Node::State::ready;
            ready_.push_back(d);
        }
    }
}

void Scheduler::failNode(Node& node, const std::string& error, SchedulerResult& result) {
    BuildOutcome outcome;
    outcome.error = error;
    if (!error.starts_with("dependency")) result.failures.emplace_back(node.drvPath, outcome);
    complete(node, false, result);
    if (!opts_.keepGoing) stopping_ = true;
}

void Scheduler::startReady(SchedulerResult& result) {
    // Retry derivations whose outputs another process was building.
    for (auto it = waitingLock_.begin(); it != waitingLock_.end();) {
        ready_.push_back(*it);
        it = waitingLock_.erase(it);
    }
    while (!ready_.empty() && !stopping_ && running_.size() < opts_.maxJobs) {
        Node* node = ready_.front();
        ready_.pop_front();
        // Lock every output; if another process holds one, come back later.
        std::vector<FileLock> locks;
        bool gotAll = true;
        for (auto& [name, out] : node->drv.outputs) {
            auto lock = store_.tryLockPath(*out.path);
            if (!lock) {
                gotAll = false;
                break;
            }
            locks.push_back(std::move(*lock));
        }
        if (!gotAll) {
            if (listener_) listener_->waitingForLock(node->drvPath);
            waitingLock_.push_back(node);
            continue;
        }
        if (!forced_.count(node->drvPath) && outputsValid(*node, node->wanted)) {
            complete(*node, true, result);  // someone else built it meanwhile
            continue;
        }
        node->locks = std::move(locks);
        BuildOptions bo = opts_.build;
        if (!forced_.count(node->drvPath)) bo.mode = BuildMode::normal;
        node->build = std::make_unique<DerivationBuild>(store_, sandbox_, node->drvPath, node->drv, bo);
        try {
            node->build->start();
        } catch (Interrupted&) {
            throw;
        } catch (Error& e) {
            node->build.reset();
            failNode(*node, e.message(), result);
            continue;
        }
        node->state = Node::State::running;
        running_.push_back(node);
        if (listener_) listener_->buildStarted(node->drvPath);
    }
}

BuildPlan Scheduler::plan(const std::vector<BuildRequest>& requests) {
    BuildPlan plan;
    std::set<StorePath> seen;
    std::function<void(const StorePath&, std::set<std::string>, bool)> visit =
        [&](const StorePath& drvPath, std::set<std::string> outs, bool top) {
            Node& node = nodeFor(drvPath);
            if (outs.empty())
                for (auto& [n, o] : node.drv.outputs) outs.insert(n);
            bool forced = top && opts_.build.mode != BuildMode::normal;
            if (!forced && outputsValid(node, outs)) {
                for (auto& o : outs) plan.alreadyValid.push_back(*node.drv.outputs.at(o).path);
                return;
            }
            if (!seen.insert(drvPath).second) return;
            if (!forced && substituter_) {
                StorePathSet missing;
                for (auto& o : outs)
                    if (!store_.isValidPath(*node.drv.outputs.at(o).path)) missing.insert(*node.drv.outputs.at(o).path);
                auto available = substituter_->querySubstitutable(missing);
                if (available.size() == missing.size()) {
                    for (auto& p : missing) plan.toSubstitute.push_back(p);
                    return;
                }
            }
            plan.toBuild.push_back(drvPath);
            for (auto& [input, inputOuts] : node.drv.inputDrvs) visit(input, inputOuts, false);
        };
    for (auto& r : requests) visit(r.drvPath, r.outputs, true);
    return plan;
}

SchedulerResult Scheduler::run(const std::vector<BuildRequest>& requests) {
    SchedulerResult result;
    std::vector<Node*> tops;
    for (auto& r : requests) {
        Node& node = nodeFor(r.drvPath);
        std::set<std::string> outs = r.outputs;
        if (outs.empty())
            for (auto& [n, o] : node.drv.outputs) outs.insert(n);
        node.wanted.insert(outs.begin(), outs.end());
        if (opts_.build.mode != BuildMode::normal) forced_.insert(r.drvPath);
        tops.push_back(&node);
    }
    for (Node* node : tops) {
        if (node->state != Node::State::fresh) continue;
        if (!forced_.count(node->drvPath) && outputsValid(*node, node->wanted)) {
            node->state = Node::State::done;
            continue;
        }
        if (trySubstitute(*node)) {
            node->state = Node::State::done;
            ++result.substituted;
            continue;
        }
        expand(*node);
        if (node->state == Node::State::failed) failNode(*node, "a dependency failed", result);
    }

    // The status line counts derivations settled (built, failed, or found built by
    // another process) out of those that needed work when the loop began.
    size_t total = 0;
    for (auto& [p, node] : nodes_)
        if (node->state != Node::State::done && node->state != Node::State::failed) ++total;
    completed_ = 0;
    try {
        while (true) {
            checkInterrupt();
            startReady(result);
            if (running_.empty()) {
                if (stopping_ || (ready_.empty() && waitingLock_.empty())) break;
                if (ready_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            std::vector<struct pollfd> fds;
            for (Node* n : running_) fds.push_back({n->build->logFd(), POLLIN, 0});
            poll(fds.data(), fds.size(), waitingLock_.empty() ? 1000 : 100);
            checkInterrupt();
            for (size_t i = 0; i < running_.size();) {
                Node* n = running_[i];
                bool open = n->build->readLog();
                n->build->enforceTimeLimits();
                if (open) {
                    ++i;
                    continue;
                }
                running_.erase(running_.begin() + static_cast<long>(i));
                BuildOutcome outcome = n->build->finish();
                n->build.reset();
                if (listener_) listener_->buildFinished(n->drvPath, outcome);
                if (outcome.success) {
                    ++result.built;
                    complete(*n, true, result);
                } else {
                    result.failures.emplace_back(n->drvPath, outcome);
                    complete(*n, false, result);
                    if (!opts_.keepGoing) stopping_ = true;
                }
            }
            if (stopping_)
                for (Node* n : running_) n->build->kill("cancelled after another build failed");
            if (listener_) {
                std::vector<const DerivationBuild*> builds;
                for (Node* n : running_) builds.push_back(n->build.get());
                listener_->tick(completed_, total, builds);
            }
        }
    } catch (...) {
        // Interrupted: kill every builder; destructors reap them and clean up.
        for (Node* n : running_) n->build->kill("interrupted");
        running_.clear();
        throw;
    }
    for (Node* n : running_) n->build.reset();

    for (Node* node : tops) {
        std::map<std::string, StorePath> outs;
        for (auto& name : node->wanted) {
            auto& o = node->drv.outputs.at(name);
            if (o.path) outs.emplace(name, *o.path);
        }
        result.outputs.push_back(outs);
    }
    return result;
}

}  // namespace cstore
