#include "narinfo_cache.hh"

#include <cstdlib>
#include <ctime>

#include "cstore/util/file.hh"
#include "cstore/util/logging.hh"

namespace cstore {

namespace {
constexpr int64_t cacheInfoTtl = 7 * 24 * 3600;

int64_t now() { return static_cast<int64_t>(time(nullptr)); }
}  // namespace

NarinfoDiskCache::NarinfoDiskCache(const std::string& path, uint64_t positiveTtl, uint64_t negativeTtl)
    : db_(path), positiveTtl_(positiveTtl), negativeTtl_(negativeTtl) {
    db_.exec(
        "create table if not exists BinaryCaches ("
        "  id integer primary key autoincrement, url text unique not null, timestamp integer not null,"
        "  storeDir text not null, wantMassQuery integer not null, priority integer not null);"
        "create table if not exists NarInfos ("
        "  cache integer not null references BinaryCaches(id) on delete cascade, hashPart text not null,"
        "  timestamp integer not null, present integer not null, narinfo text,"
        "  primary key (cache, hashPart));");
}

std::unique_ptr<NarinfoDiskCache> NarinfoDiskCache::openDefault(uint64_t positiveTtl, uint64_t negativeTtl) {
    auto cacheDir = userCacheDir();
    if (!cacheDir) return nullptr;
    const std::string& dir = *cacheDir;
    try {
        createDirs(dir);
        return std::make_unique<NarinfoDiskCache>(dir + "/binary-cache-v1.sqlite", positiveTtl, negativeTtl);
    } catch (Error& e) {
        logWarn("not remembering binary cache lookups: %s", e.message());
        return nullptr;
    }
}

int64_t NarinfoDiskCache::cacheId(const std::string& url) {
    Statement q(db_, "select id from BinaryCaches where url = ?");
    q.bind(1, url);
    if (q.step()) return q.getInt(0);
    Statement ins(db_,
                  "insert or ignore into BinaryCaches (url, timestamp, storeDir, wantMassQuery, priority) "
                  "values (?, 0, '', 0, 50)");
    ins.bind(1, url).run();
    Statement again(db_, "select id from BinaryCaches where url = ?");
    again.bind(1, url);
    if (!again.step()) throw Error("cannot record binary cache '%s'", url);
    return again.getInt(0);
}

std::optional<CacheInfo> NarinfoDiskCache::cacheInfo(const std::string& url) {
    std::lock_guard lock(mutex_);
    Statement q(db_, "select timestamp, storeDir, wantMassQuery, priority from BinaryCaches where url = ?");
    q.bind(1, url);
    if (!q.step() || q.getInt(0) + cacheInfoTtl < now()) return std::nullopt;
    CacheInfo info;
    info.storeDir = q.getString(1);
    info.wantMassQuery = q.getInt(2) != 0;
    info.priority = static_cast<int>(q.getInt(3));
    return info;
}

void NarinfoDiskCache::putCacheInfo(const std::string& url, const CacheInfo& info) {
    std::lock_guard lock(mutex_);
    int64_t id = cacheId(url);
    Statement upd(db_,
                  "update BinaryCaches set timestamp = ?, storeDir = ?, wantMassQuery = ?, priority = ? "
                  "where id = ?");
    upd.bind(1, now())
        .bind(2, info.storeDir)
        .bind(3, static_cast<int64_t>(info.wantMassQuery))
        .bind(4, static_cast<int64_t>(info.priority))
        .bind(5, id)
        .run();
}

NarinfoDiskCache::Lookup NarinfoDiskCache::lookup(const std::string& url, std::string_view hashPart) {
    std::lock_guard lock(mutex_);
    Statement q(db_,
                "select n.timestamp, n.present, n.narinfo from NarInfos n join BinaryCaches c on n.cache = c.id "
                "where c.url = ? and n.hashPart = ?");
    q.bind(1, url).bind(2, hashPart);
    Lookup r;
    if (!q.step()) return r;
    bool present = q.getInt(1) != 0;
    int64_t age = now() - q.getInt(0);
    if (age < 0 || age >= static_cast<int64_t>(present ? positiveTtl_ : negativeTtl_)) return r;
    r.kind = present ? Lookup::Kind::present : Lookup::Kind::missing;
    if (present) r.narinfo = q.getString(2);
    return r;
}

void NarinfoDiskCache::put(const std::string& url, std::string_view hashPart, const std::string& narinfo) {
    std::lock_guard lock(mutex_);
    int64_t id = cacheId(url);
    Statement ins(db_,
                  "insert or replace into NarInfos (cache, hashPart, timestamp, present, narinfo) "
                  "values (?, ?, ?, ?, ?)");
    ins.bind(1, id).bind(2, hashPart).bind(3, now()).bind(4, static_cast<int64_t>(!narinfo.empty()));
    if (narinfo.empty())
        ins.bindNull(5);
    else
        ins.bind(5, narinfo);
    ins.run();
}

}  // namespace cstore
