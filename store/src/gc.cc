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

// The whole reference graph, loaded once: collection works on indices.
struct Graph {
    std::vector<std::string> names;  // base names (`<hash>-<name>`), by index
    std::vector<int64_t> ids;        // ValidPaths.id, by index, ascending
    std::vector<uint64_t> narSizes;
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
        size_t prefix = store.storeDir().dir().size() + 1;
        Statement all(db, "select id, path, narSize from ValidPaths order by id");
        while (all.step()) {
            ids.push_back(all.getInt(0));
            names.push_back(all.getString(1).substr(prefix));
            narSizes.push_back(static_cast<uint64_t>(std::max<int64_t>(all.getInt(2), 0)));
        }
        references.resize(ids.size());
        extra.resize(ids.size());
        Statement refs(db, "select referrer, reference from Refs");
        while (refs.step()) references[at(refs.getInt(0))].push_back(at(refs.getInt(1)));
        bool keepDrvs = settings.keepDerivations.get(), keepOuts = settings.keepOutputs.get();
        if (keepDrvs || keepOuts) {
            Statement outs(db, "select d.drv, v.id from DerivationOutputs d join ValidPaths v on v.path = d.path");
            while (outs.step()) {
                uint32_t drv = at(outs.getInt(0)), out = at(outs.getInt(1));
                if (keepDrvs) extra[out].push_back(drv);
                if (keepOuts) extra[drv].push_back(out);
            }
        }
    }

    size_t size() const { return ids.size(); }

    // The index of a path by its id, if it was valid when the graph was loaded.
    std::optional<uint32_t> find(int64_t id) const {
        auto it = std::lower_bound(ids.begin(), ids.end(), id);
        if (it == ids.end() || *it != id) return std::nullopt;
        return static_cast<uint32_t>(it - ids.begin());
    }
    uint32_t at(int64_t id) const {
        if (auto i = find(id)) return *i;
        throw Error("the store database refers to a path id %s that is not in ValidPaths", id);
    }
};

std::vector<bool> markLive(const Graph& g, const std::vector<uint32_t>& roots) {
    std::vector<bool> live(g.size(), false);
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
    Statement idOf(store.db(), "select id from ValidPaths where path = ?");
    for (auto& root : findRoots(store, true)) {
        idOf.bind(1, store.printPath(root.path));
        if (idOf.step())
            if (auto i = g.find(idOf.getInt(0))) roots.push_back(*i);
        idOf.reset();
    }
    if (!tempHashes.empty()) {
        std::unordered_set<std::string_view> hashes(tempHashes.begin(), tempHashes.end());
        for (uint32_t i = 0; i < g.size(); ++i)
            if (hashes.count(std::string_view(g.names[i]).substr(0, StorePath::hashLength))) roots.push_back(i);
    }
    return roots;
}

constexpr size_t firstBatchSize = 256;

// Deletes the rows of dead paths. The schema's foreign keys (Refs and
// DerivationOutputs rows go with their path; a path with referrers cannot
// go) would run, for every row, a trigger program per key, which costs as
// much as deleting the row. With them off for this connection, the same
// rules are applied by plain statements; rows must come referrers first.
// `ForeignKeysOfTheSchema` (gc_test.cc) fails when the schema's keys change.
class DeadRows {
public:
    DeadRows(Database& db, std::string storeDir) : db_(db), storeDir_(std::move(storeDir)) {
        db_.exec("pragma foreign_keys = off");
    }
    ~DeadRows() {
        try {
            db_.exec("pragma foreign_keys = on");
        } catch (...) {
        }
    }
    DeadRows(const DeadRows&) = delete;
    DeadRows& operator=(const DeadRows&) = delete;

    // Deletes the row of the path `id` (in the caller's transaction); false if
    // it was gone already. `name`, its base name, is for error messages.
    bool erase(int64_t id, std::string_view name) {
        deleteRefs_.bind(1, id).run();
        deleteOutputs_.bind(1, id).run();
        referrer_.bind(1, id);
        bool referred = referrer_.step();
        std::string referrer = referred ? referrer_.getString(0) : "";
        referrer_.reset();
        // With the GC lock held, nothing can register a referrer of a dead path.
        if (referred)
            throw Error("cannot delete '%s/%s': '%s' refers to it, and it was registered during the collection",
                        storeDir_, name, referrer);
        deleteRow_.bind(1, id).run();
        return db_.changes() > 0;
    }

private:
    Database& db_;
    std::string storeDir_;
    Statement deleteRefs_{db_, "delete from Refs where referrer = ?"};
    Statement deleteOutputs_{db_, "delete from DerivationOutputs where drv = ?"};
    Statement referrer_{
        db_, "select p.path from Refs r join ValidPaths p on p.id = r.referrer where r.reference = ? limit 1"};
    Statement deleteRow_{db_, "delete from ValidPaths where id = ?"};
};

// Dead paths ordered so that every path comes before the paths it refers to.
std::vector<uint32_t> deadInDeletionOrder(const Graph& g, const std::vector<bool>& live) {
    std::vector<uint32_t> order;
    std::vector<uint8_t> state(g.size(), 0);  // 0 new, 1 visiting, 2 done
    // Post-order over references gives references first; reverse it.
    for (uint32_t start = 0; start < g.size(); ++start) {
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
    for (uint32_t i = 0; i < g.size(); ++i)
        if (live[i]) out.insert(StorePath(g.names[i]));
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
    DeadRows rows(store.db(), store.storeDir().dir());
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
            // Only files whose rows this transaction deleted are ours to remove.
            if (!rows.erase(g.ids[i], g.names[i])) continue;
            names.push_back(g.names[i]);
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
        if (options.onDead) options.onDead(StorePath(g.names[i]));
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
    std::unordered_set<std::string_view> validNames;
    for (uint32_t i = 0; i < g.size(); ++i)
        if (live[i]) validNames.insert(g.names[i]);
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
