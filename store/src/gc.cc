#include "cstore/store/gc.hh"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "cstore/store/locks.hh"
#include "cstore/util/encoding.hh"
#include "cstore/util/file.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/signals.hh"
#include "object_remover.hh"

namespace cstore {

namespace {

// The store object that `target` is, or lies inside of (a root may point at
// `/store/<hash>-pkg/bin/tool`), by its logical or physical location.
std::optional<StorePath> storePathOf(LocalStore& store, const std::string& target) {
    std::string abs = canonPath(target);
    for (auto* dir : {&store.storeDir().dir(), &store.realStoreDir()}) {
        if (!isInDir(abs, *dir) || abs == *dir) continue;
        std::string rest = abs.substr(dir->size() == 1 ? 1 : dir->size() + 1);
        try {
            return StorePath(rest.substr(0, rest.find('/')));
        } catch (BadStorePath&) {
        }
    }
    return std::nullopt;
}

void scanRoots(LocalStore& store, const std::string& dir, bool removeStale, bool inAuto, std::vector<GcRoot>& out) {
    for (auto& name : readDirectoryNames(dir)) {
        std::string link = dir + "/" + name;
        auto st = maybeLstat(link);
        if (!st) continue;
        if (S_ISDIR(st->st_mode)) {
            scanRoots(store, link, removeStale, inAuto || (dir == store.stateDir() + "/gcroots" && name == "auto"),
                      out);
        } else if (S_ISLNK(st->st_mode)) {
            std::string target = readLink(link);
            if (target.empty()) continue;
            if (target[0] != '/') target = dir + "/" + target;
            if (auto p = storePathOf(store, target)) {
                if (store.isValidPath(*p)) out.push_back({link, *p});
                continue;
            }
            // Indirect: the target is a user's link (like ./result) into the store.
            auto tst = maybeLstat(target);
            if (!tst) {
                if (inAuto && removeStale) {
                    logVerbose("removing stale root '%s' (its target '%s' is gone)", link, target);
                    unlink(link.c_str());
                }
                continue;
            }
            if (S_ISLNK(tst->st_mode)) {
                std::string second = readLink(target);
                if (!second.empty() && second[0] != '/') second = dirOf(target) + "/" + second;
                if (auto p = storePathOf(store, second); p && store.isValidPath(*p)) out.push_back({target, *p});
            }
        } else if (S_ISREG(st->st_mode)) {
            try {
                StorePath p(name);
                if (store.isValidPath(p)) out.push_back({link, p});
            } catch (BadStorePath&) {
            }
        }
    }
}

// Reads every temporary-roots file; files of dead processes are removed.
std::unordered_set<std::string> readTempRoots(LocalStore& store) {
    std::unordered_set<std::string> hashParts;
    std::string dir = store.stateDir() + "/temproots";
    for (auto& name : readDirectoryNames(dir)) {
        if (name[0] == '.') continue;
        std::string file = dir + "/" + name;
        int fd = open(file.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) continue;
        AutoCloseFD guard(fd);
        if (lockFd(fd, LockMode::exclusive, false)) {
            // Nobody holds it: its process is gone.
            unlink(file.c_str());
            continue;
        }
        FdSource src(fd);
        std::string data = src.drain();
        size_t i = 0;
        while (i < data.size()) {
            size_t e = data.find('\0', i);
            if (e == std::string::npos) break;
            std::string path = data.substr(i, e - i);
            i = e + 1;
            if (auto p = storePathOf(store, path)) hashParts.insert(std::string(p->hashPart()));
        }
    }
    return hashParts;
}

bool processAlive(pid_t pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace

std::vector<GcRoot> findRoots(LocalStore& store, bool removeStale) {
    std::vector<GcRoot> roots;
    scanRoots(store, store.stateDir() + "/gcroots", removeStale, false, roots);
    return roots;
}

void addIndirectRoot(LocalStore& store, const std::string& link, const StorePath& path) {
    std::string abs = canonPath(link);
    if (isInDir(abs, store.realStoreDir()) || isInDir(abs, store.storeDir().dir()))
        throw Error("cannot create a garbage collector root '%s' inside the store", link);
    std::string tmp = abs + ".tmp-" + std::to_string(getpid());
    unlink(tmp.c_str());
    if (symlink(store.realPath(path).c_str(), tmp.c_str()) != 0) throw SysError("creating symbolic link '%s'", tmp);
    if (rename(tmp.c_str(), abs.c_str()) != 0) {
        unlink(tmp.c_str());
        throw SysError("moving symbolic link to '%s'", abs);
    }
    std::string name = encodeNix32(hashString(HashAlgo::sha1, abs).raw());
    std::string rootLink = store.stateDir() + "/gcroots/auto/" + name;
    std::string rootTmp = rootLink + ".tmp-" + std::to_string(getpid());
    unlink(rootTmp.c_str());
    if (symlink(abs.c_str(), rootTmp.c_str()) != 0) throw SysError("creating symbolic link '%s'", rootTmp);
    if (rename(rootTmp.c_str(), rootLink.c_str()) != 0) throw SysError("moving symbolic link to '%s'", rootLink);
}

namespace {

// The whole reference graph, loaded once: collection works on integer ids.
struct Graph {
    std::vector<std::string> paths;  // full logical paths, by index
    std::vector<int64_t> ids;        // ValidPaths.id, by index
    std::vector<uint64_t> narSizes;
    std::unordered_map<std::string, uint32_t> index;
    std::vector<std::vector<uint32_t>> references, extra;  // extra: keep-derivations/keep-outputs edges

    explicit Graph(LocalStore& store) {
        Database& db = store.db();
        // One read transaction: the queries below must see one snapshot, or a
        // path registered meanwhile shows up in Refs but not in ValidPaths.
        struct ReadTransaction {
            Database& db;
            explicit ReadTransaction(Database& d) : db(d) { db.exec("begin"); }
            ~ReadTransaction() {
                try {
                    db.exec("commit");
                } catch (...) {
                }
            }
        } snapshot(db);
        std::unordered_map<int64_t, uint32_t> byId;
        Statement all(db, "select id, path, narSize from ValidPaths");
        while (all.step()) {
            uint32_t i = static_cast<uint32_t>(paths.size());
            ids.push_back(all.getInt(0));
            narSizes.push_back(static_cast<uint64_t>(std::max<int64_t>(all.getInt(2), 0)));
            byId[ids.back()] = i;
            paths.push_back(all.getString(1));
            index[paths.back()] = i;
        }
        references.resize(paths.size());
        extra.resize(paths.size());
        Statement refs(db, "select referrer, reference from Refs");
        while (refs.step()) references[byId.at(refs.getInt(0))].push_back(byId.at(refs.getInt(1)));
        bool keepDrvs = settings.keepDerivations.get(), keepOuts = settings.keepOutputs.get();
        if (keepDrvs || keepOuts) {
            Statement outs(db, "select drv, path from DerivationOutputs");
            while (outs.step()) {
                auto it = index.find(outs.getString(1));
                if (it == index.end()) continue;
                uint32_t drv = byId.at(outs.getInt(0));
                if (keepDrvs) extra[it->second].push_back(drv);
                if (keepOuts) extra[drv].push_back(it->second);
            }
        }
    }
};

std::vector<bool> markLive(const Graph& g, const std::vector<uint32_t>& roots) {
    std::vector<bool> live(g.paths.size(), false);
    std::vector<uint32_t> todo = roots;
    while (!todo.empty()) {
        uint32_t i = todo.back();
        todo.pop_back();
        if (live[i]) continue;
        live[i] = true;
        for (uint32_t r : g.references[i])
            if (!live[r]) todo.push_back(r);
        for (uint32_t r : g.extra[i])
            if (!live[r]) todo.push_back(r);
    }
    return live;
}

std::vector<uint32_t> rootIndices(LocalStore& store, const Graph& g,
                                  const std::unordered_set<std::string>& tempHashes) {
    std::vector<uint32_t> roots;
    for (auto& root : findRoots(store, true)) {
        auto it = g.index.find(store.printPath(root.path));
        if (it != g.index.end()) roots.push_back(it->second);
    }
    size_t prefix = store.storeDir().dir().size() + 1;
    for (uint32_t i = 0; i < g.paths.size(); ++i)
        if (tempHashes.count(g.paths[i].substr(prefix, StorePath::hashLength))) roots.push_back(i);
    return roots;
}

constexpr size_t firstBatchSize = 256;

// Dead paths ordered so that every path comes before the paths it refers to.
std::vector<uint32_t> deadInDeletionOrder(const Graph& g, const std::vector<bool>& live) {
    std::vector<uint32_t> order;
    std::vector<uint8_t> state(g.paths.size(), 0);  // 0 new, 1 visiting, 2 done
    // Post-order over references gives references first; reverse it.
    for (uint32_t start = 0; start < g.paths.size(); ++start) {
        if (live[start] || state[start]) continue;
        std::vector<std::pair<uint32_t, size_t>> stack{{start, 0}};
        state[start] = 1;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            if (next < g.references[node].size()) {
                uint32_t r = g.references[node][next++];
                if (!live[r] && state[r] == 0) {
                    state[r] = 1;
                    stack.push_back({r, 0});
                }
                continue;
            }
            state[node] = 2;
            order.push_back(node);
            stack.pop_back();
        }
    }
    std::reverse(order.begin(), order.end());
    return order;
}

}  // namespace

FileLock acquireGcLock(LocalStore& store) {
    return FileLock::acquire(store.stateDir() + "/gc.lock", LockMode::exclusive);
}

StorePathSet computeLivePaths(LocalStore& store) {
    Graph g(store);
    auto live = markLive(g, rootIndices(store, g, readTempRoots(store)));
    StorePathSet out;
    for (uint32_t i = 0; i < g.paths.size(); ++i)
        if (live[i]) out.insert(store.storeDir().parsePath(g.paths[i]));
    return out;
}

GcResult collectGarbage(LocalStore& store, const GcOptions& options) {
    GcResult result;
    // Exclusive: no process can register a new temporary root until we are done.
    FileLock gcLock = acquireGcLock(store);
    auto tempHashes = readTempRoots(store);
    Graph g(store);
    auto live = markLive(g, rootIndices(store, g, tempHashes));
    auto order = deadInDeletionOrder(g, live);
    result.deadPaths = order.size();

    Progress progress("gc");
    size_t prefix = store.storeDir().dir().size() + 1;
    // Rows go first, a batch per transaction, and files after the commit: an
    // interruption leaves only invalid leftovers, which the next collection
    // removes. Files are removed on other threads while this one deletes the
    // next batch's rows. A path frees its NAR size (known before it is
    // deleted, so --max-freed needs no waiting for files).
    std::optional<ObjectRemover> remover;
    if (!options.dryRun && !order.empty()) {
        size_t threads = ObjectRemover::threadsFor(store.realStoreDir());
        remover.emplace(store.realStoreDir(), std::clamp<size_t>(order.size() / 32, 1, threads));
    }
    Statement deleteRow(store.db(), "delete from ValidPaths where id = ?");
    // The first batch is small so that removing files starts early; later
    // ones grow, as each transaction rewrites every index page it touches.
    size_t maxBatch = std::max<size_t>(options.batchSize, 1);
    size_t batchSize = std::min(maxBatch, firstBatchSize);
    std::vector<uint32_t> batch;
    uint64_t batchBytes = 0;
    auto flush = [&] {
        if (batch.empty()) return;
        std::vector<std::string> names;
        names.reserve(batch.size());
        Transaction txn(store.db());
        uint64_t freed = 0;
        for (uint32_t i : batch) {
            deleteRow.bind(1, g.ids[i]);
            deleteRow.run();
            // Only files whose rows this transaction deleted are ours to remove.
            if (store.db().changes() == 0) continue;
            names.push_back(g.paths[i].substr(prefix));
            freed += g.narSizes[i];
        }
        txn.commit();
        result.pathsDeleted += names.size();
        result.bytesFreed += freed;
        remover->submit(std::move(names));
        batch.clear();
        batchBytes = 0;
        batchSize = std::min(batchSize * 2, maxBatch);
        progress.update(result.pathsDeleted, order.size(), "paths deleted");
    };
    for (uint32_t i : order) {
        checkInterrupt();
        if (result.bytesFreed + batchBytes >= options.maxFreed) break;
        if (options.onDead) options.onDead(store.storeDir().parsePath(g.paths[i]));
        if (options.dryRun) continue;
        batch.push_back(i);
        batchBytes += g.narSizes[i];
        if (batch.size() >= batchSize) flush();
    }
    if (remover) {
        flush();
        remover->wait();
    }
    if (options.dryRun || result.bytesFreed >= options.maxFreed) return result;

    // Leftovers: entries of the store directory that are not valid paths,
    // unless a live process is still creating them.
    std::unordered_set<std::string> validNames;
    for (auto& p : g.paths) validNames.insert(p.substr(prefix));
    for (uint32_t i : order) validNames.erase(g.paths[i].substr(prefix));
    for (auto& name : readDirectoryNames(store.realStoreDir())) {
        checkInterrupt();
        if (validNames.count(name)) continue;
        if (name.starts_with(".stage-")) {
            pid_t pid = static_cast<pid_t>(atol(name.c_str() + 7));
            if (processAlive(pid)) continue;
        } else if (name.size() >= StorePath::hashLength && tempHashes.count(name.substr(0, StorePath::hashLength))) {
            continue;
        }
        logVerbose("deleting leftover '%s'", name);
        result.bytesFreed += deletePath(store.realStoreDir() + "/" + name);
        ++result.leftoversDeleted;
    }
    return result;
}

}  // namespace cstore
