// Opening the local store and querying its database.
#include "cstore/store/local_store.hh"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "cstore/store/signatures.hh"
#include "cstore/util/file.hh"
#include "cstore/util/settings.hh"
#include "schema.hh"
#include "temp_roots.hh"

namespace cstore {

namespace {
std::string joinRoot(const std::string& root, const std::string& sub) {
    if (root == "/" || root.empty()) return sub;
    return root + sub;
}

std::string renderSigs(const std::set<std::string>& sigs) {
    std::string out;
    for (auto& s : sigs) out += (out.empty() ? "" : " ") + s;
    return out;
}

// Marks a new store directory as the top of directory hierarchies
// (FS_TOPDIR_FL, `chattr +T`), so that ext2/3/4's Orlov allocator spreads
// store paths over the block groups instead of putting each next to the
// last. This matters on ext4 without a journal: allocating an inode there
// skips, one inode-table lookup each, every inode of the group freed in the
// last 30 s, so adding a tree right after a large deletion (GC, a removed
// store) in the same group was quadratic: `store add` of a 1 GiB tree of
// 982 files right after deleting another store took 2 s instead of 0.8 s.
// Filesystems without the flag (tmpfs, xfs, ...) refuse it; nothing else
// depends on it.
void markTopDirectory(const std::string& dir) {
    AutoCloseFD fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    int flags = 0;
    if (!fd || ioctl(fd.get(), FS_IOC_GETFLAGS, &flags) != 0 || (flags & FS_TOPDIR_FL)) return;
    flags |= FS_TOPDIR_FL;
    (void)ioctl(fd.get(), FS_IOC_SETFLAGS, &flags);
}

std::set<std::string> parseSigs(const std::string& text) {
    std::set<std::string> sigs;
    size_t i = 0;
    while (i < text.size()) {
        size_t e = text.find(' ', i);
        if (e == std::string::npos) e = text.size();
        if (e > i) sigs.insert(text.substr(i, e - i));
        i = e + 1;
    }
    return sigs;
}
}  // namespace

LocalStore::LocalStore(std::string root, std::string storeDir)
    : storeDir_(std::move(storeDir)), root_(canonPath(root)) {
    realStoreDir_ = joinRoot(root_, storeDir_.dir());
    stateDir_ = joinRoot(root_, "/var/cstore");
    if (!maybeLstat(realStoreDir_)) {
        createDirs(realStoreDir_);
        markTopDirectory(realStoreDir_);
    }
    for (auto sub : {"", "/gcroots", "/gcroots/auto", "/temproots", "/log"}) createDirs(stateDir_ + sub);
    openDatabase();
    tempRoots_ = std::make_unique<TempRoots>(stateDir_);
}

LocalStore::~LocalStore() = default;

void LocalStore::openDatabase() {
    db_ = std::make_unique<Database>(stateDir_ + "/db.sqlite");
    migrate();
}

void LocalStore::migrate() {
    auto version = [&] {
        Statement q(*db_, "pragma user_version");
        q.step();
        return static_cast<int>(q.getInt(0));
    };
    if (version() == schema::currentVersion) return;
    Transaction txn(*db_);
    int v = version();  // re-read under the write lock: another process may have migrated
    if (v > schema::currentVersion)
        throw Error("the store database '%s' has schema version %s, newer than this cstore understands (%s)",
                    db_->path(), v, schema::currentVersion);
    for (; v < schema::currentVersion; ++v) {
        db_->exec(std::string(schema::migrations[static_cast<size_t>(v)]));
        db_->exec("pragma user_version = " + std::to_string(v + 1));
    }
    txn.commit();
}

StorePath LocalStore::parseUserPath(const std::string& path) const {
    std::string abs = canonPath(path);
    if (isInDir(abs, storeDir_.dir())) return storeDir_.toStorePath(abs);
    if (realStoreDir_ != storeDir_.dir() && isInDir(abs, realStoreDir_))
        return storeDir_.toStorePath(storeDir_.dir() + abs.substr(realStoreDir_.size()));
    // A symlink (like ./result) pointing into the store.
    if (auto st = maybeLstat(abs); st && S_ISLNK(st->st_mode)) {
        std::string target = readLink(abs);
        return parseUserPath(target[0] == '/' ? target : dirOf(abs) + "/" + target);
    }
    throw BadStorePath("path '%s' is not in the store '%s'", path, storeDir_.dir());
}

std::optional<int64_t> LocalStore::queryPathId(const StorePath& path) {
    Statement q(*db_, "select id from ValidPaths where path = ?");
    q.bind(1, printPath(path));
    if (!q.step()) return std::nullopt;
    return q.getInt(0);
}

bool LocalStore::isValidPath(const StorePath& path) { return queryPathId(path).has_value(); }

std::optional<PathInfo> LocalStore::queryPathInfo(const StorePath& path) {
    Statement q(*db_,
                "select id, hash, registrationTime, deriver, narSize, ultimate, sigs, ca, impure from ValidPaths "
                "where path = ?");
    q.bind(1, printPath(path));
    if (!q.step()) return std::nullopt;
    PathInfo info(path);
    int64_t id = q.getInt(0);
    info.narHash = Hash::parseAny(q.getString(1), HashAlgo::sha256);
    info.registrationTime = q.getInt(2);
    if (auto d = q.getOptString(3)) info.deriver = storeDir_.parsePath(*d);
    info.narSize = static_cast<uint64_t>(q.getInt(4));
    info.ultimate = q.getInt(5) != 0;
    info.sigs = parseSigs(q.getString(6));
    if (auto ca = q.getOptString(7); ca && !ca->empty()) info.ca = ContentAddress::parse(*ca);
    info.impure = q.getInt(8) != 0;
    Statement refs(*db_, "select path from Refs join ValidPaths on reference = id where referrer = ?");
    refs.bind(1, id);
    while (refs.step()) info.references.insert(storeDir_.parsePath(refs.getString(0)));
    return info;
}

PathInfo LocalStore::pathInfoOrThrow(const StorePath& path) {
    auto info = queryPathInfo(path);
    if (!info) throw Error("path '%s' is not valid", printPath(path));
    return std::move(*info);
}

StorePathSet LocalStore::queryReferrers(const StorePath& path) {
    StorePathSet out;
    Statement q(*db_,
                "select p.path from Refs r join ValidPaths p on r.referrer = p.id "
                "where r.reference = (select id from ValidPaths where path = ?)");
    q.bind(1, printPath(path));
    while (q.step()) out.insert(storeDir_.parsePath(q.getString(0)));
    return out;
}

StorePathSet LocalStore::queryAllValidPaths() {
    StorePathSet out;
    Statement q(*db_, "select path from ValidPaths");
    while (q.step()) out.insert(storeDir_.parsePath(q.getString(0)));
    return out;
}

const HashPartSet& LocalStore::knownHashParts() {
    if (!knownHashParts_) {
        knownHashParts_ = std::make_unique<HashPartSet>();
        size_t prefix = storeDir_.dir().size() + 1;
        Statement q(*db_, "select path from ValidPaths");
        while (q.step())
            knownHashParts_->insert(std::string_view(q.getString(0)).substr(prefix, StorePath::hashLength));
    }
    return *knownHashParts_;
}

std::optional<StorePath> LocalStore::queryPathFromHashPart(std::string_view hashPart) {
    std::string prefix = storeDir_.dir() + "/" + std::string(hashPart);
    Statement q(*db_, "select path from ValidPaths where path >= ? limit 1");
    q.bind(1, prefix);
    if (!q.step()) return std::nullopt;
    std::string found = q.getString(0);
    if (!found.starts_with(prefix)) return std::nullopt;
    return storeDir_.parsePath(found);
}

StorePathSet LocalStore::closure(const StorePathSet& paths) {
    StorePathSet done;
    std::vector<StorePath> todo(paths.begin(), paths.end());
    Statement refs(*db_,
                   "select p.path from Refs r join ValidPaths p on r.reference = p.id "
                   "where r.referrer = (select id from ValidPaths where path = ?)");
    while (!todo.empty()) {
        StorePath p = std::move(todo.back());
        todo.pop_back();
        if (!done.insert(p).second) continue;
        if (!isValidPath(p)) throw Error("path '%s' is not valid", printPath(p));
        refs.bind(1, printPath(p));
        while (refs.step()) {
            StorePath r = storeDir_.parsePath(refs.getString(0));
            if (!done.count(r)) todo.push_back(std::move(r));
        }
        refs.reset();
    }
    return done;
}

std::vector<StorePath> LocalStore::topoSortReferrersFirst(const StorePathSet& paths) {
    // Depth-first: a path is emitted after all its referrers within the set,
    // i.e. we emit references last by reversing a post-order over references.
    std::map<StorePath, StorePathSet> refs;
    for (auto& p : paths) {
        auto info = queryPathInfo(p);
        refs[p] = info ? info->referencesWithoutSelf() : StorePathSet{};
    }
    std::vector<StorePath> order;
    std::set<StorePath> visited, onStack;
    std::function<void(const StorePath&)> visit = [&](const StorePath& p) {
        if (visited.count(p)) return;
        if (!onStack.insert(p).second) throw Error("reference cycle detected at '%s'", printPath(p));
        for (auto& r : refs[p])
            if (paths.count(r)) visit(r);
        onStack.erase(p);
        visited.insert(p);
        order.push_back(p);
    };
    for (auto& p : paths) visit(p);
    std::reverse(order.begin(), order.end());
    return order;
}

void LocalStore::registerDerivationOutputs(const StorePath& drv, const std::map<std::string, StorePath>& outputs) {
    auto id = queryPathId(drv);
    if (!id) throw Error("cannot register the outputs of '%s': it is not valid", printPath(drv));
    Statement ins(*db_, "insert or replace into DerivationOutputs (drv, id, path) values (?, ?, ?)");
    for (auto& [name, path] : outputs) {
        ins.bind(1, *id).bind(2, name).bind(3, printPath(path));
        ins.run();
    }
}

std::map<std::string, StorePath> LocalStore::queryDerivationOutputs(const StorePath& drv) {
    std::map<std::string, StorePath> out;
    Statement q(*db_,
                "select d.id, d.path from DerivationOutputs d join ValidPaths v on d.drv = v.id where v.path = ?");
    q.bind(1, printPath(drv));
    while (q.step()) out.emplace(q.getString(0), storeDir_.parsePath(q.getString(1)));
    return out;
}

StorePathSet LocalStore::queryDerivers(const StorePath& output) {
    StorePathSet out;
    Statement q(*db_, "select v.path from DerivationOutputs d join ValidPaths v on d.drv = v.id where d.path = ?");
    q.bind(1, printPath(output));
    while (q.step()) out.insert(storeDir_.parsePath(q.getString(0)));
    return out;
}

int64_t LocalStore::registerOne(const PathInfo& info) {
    std::string path = printPath(info.path);
    Statement upd(*db_,
                  "insert into ValidPaths (path, hash, registrationTime, deriver, narSize, ultimate, sigs, ca, impure) "
                  "values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "on conflict(path) do update set hash = excluded.hash, narSize = excluded.narSize, "
                  "deriver = coalesce(excluded.deriver, deriver), sigs = excluded.sigs, ca = excluded.ca, "
                  "ultimate = excluded.ultimate, impure = excluded.impure");
    upd.bind(1, path)
        .bind(2, info.narHash.toString(HashFormat::base16))
        .bind(3, info.registrationTime ? info.registrationTime : static_cast<int64_t>(time(nullptr)))
        .bind(4, info.deriver ? std::optional<std::string>(printPath(*info.deriver)) : std::nullopt)
        .bind(5, static_cast<int64_t>(info.narSize))
        .bind(6, static_cast<int64_t>(info.ultimate))
        .bind(7, renderSigs(info.sigs))
        .bind(8, info.ca ? std::optional<std::string>(info.ca->render()) : std::nullopt)
        .bind(9, static_cast<int64_t>(info.impure));
    upd.run();
    return *queryPathId(info.path);
}

void LocalStore::registerValidPaths(const std::vector<PathInfo>& unsignedInfos) {
    // Outputs built here are signed with the keys of `secret-key-files`.
    std::vector<PathInfo> infos = unsignedInfos;
    if (!settings.secretKeyFiles.get().empty()) {
        auto keys = secretKeysFromSettings();
        for (auto& info : infos)
            if (info.ultimate)
                for (auto& k : keys) info.sigs.insert(k.sign(info.fingerprint(storeDir_)));
    }
    Transaction txn(*db_);
    std::map<StorePath, int64_t> ids;
    for (auto& info : infos) ids[info.path] = registerOne(info);
    Statement ref(*db_, "insert or ignore into Refs (referrer, reference) values (?, ?)");
    for (auto& info : infos) {
        for (auto& r : info.references) {
            auto it = ids.find(r);
            std::optional<int64_t> refId = it != ids.end() ? std::optional(it->second) : queryPathId(r);
            if (!refId)
                throw Error("cannot register '%s': its reference '%s' is not valid", printPath(info.path),
                            printPath(r));
            ref.bind(1, ids[info.path]).bind(2, *refId);
            ref.run();
        }
    }
    txn.commit();
    if (knownHashParts_)
        for (auto& info : infos) knownHashParts_->insert(info.path.hashPart());
}

void LocalStore::addSignatures(const StorePath& path, const std::set<std::string>& sigs) {
    Transaction txn(*db_);
    auto info = pathInfoOrThrow(path);
    info.sigs.insert(sigs.begin(), sigs.end());
    Statement upd(*db_, "update ValidPaths set sigs = ? where path = ?");
    upd.bind(1, renderSigs(info.sigs)).bind(2, printPath(path));
    upd.run();
    txn.commit();
}

void LocalStore::addTempRoot(const StorePath& path) { tempRoots_->add(printPath(path)); }

FileLock LocalStore::lockPath(const StorePath& path) { return FileLock::acquireDeletable(realPath(path) + ".lock"); }

std::optional<FileLock> LocalStore::tryLockPath(const StorePath& path) {
    return FileLock::tryAcquireDeletable(realPath(path) + ".lock");
}

}  // namespace cstore
