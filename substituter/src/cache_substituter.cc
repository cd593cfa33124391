#include "cstore/substituter/cache_substituter.hh"

#include <algorithm>
#include <chrono>
#include <thread>

#include "cstore/store/nar.hh"
#include "cstore/substituter/compression.hh"
#include "cstore/util/file.hh"
#include "cstore/util/http.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/signals.hh"
#include "narinfo_cache.hh"
#include "parallel.hh"

namespace cstore {

SubstituterOptions SubstituterOptions::fromSettings() {
    SubstituterOptions o;
    o.requireSigs = settings.requireSigs.get();
    o.trustedKeys = trustedKeysFromSettings();
    o.parallelism = static_cast<unsigned>(settings.httpConnections.get());
    o.positiveTtl = settings.narinfoCachePositiveTtl.get();
    o.negativeTtl = settings.narinfoCacheNegativeTtl.get();
    return o;
}

struct CacheSubstituter::Cache {
    std::shared_ptr<BinaryCache> cache;
    CacheInfo info;
};

struct CacheSubstituter::Found {
    size_t cacheIndex;
    NarInfo narinfo;
};

CacheSubstituter::CacheSubstituter(std::vector<std::string> urls, SubstituterOptions options)
    : urls_(std::move(urls)), options_(std::move(options)) {}

CacheSubstituter::~CacheSubstituter() = default;

void CacheSubstituter::init(const StoreDir& storeDir) {
    std::lock_guard lock(mutex_);
    if (storeDir_) {
        if (storeDir_->dir() != storeDir.dir()) throw Error("substituter used with two store directories");
        return;
    }
    storeDir_ = std::make_unique<StoreDir>(storeDir);
    if (options_.useDiskCache) diskCache_ = NarinfoDiskCache::openDefault(options_.positiveTtl, options_.negativeTtl);
    bool anyHttp = std::any_of(urls_.begin(), urls_.end(), [](auto& u) { return isHttpUrl(u); });
    if (anyHttp) http_ = std::make_shared<HttpClient>();
    for (auto& url : urls_) {
        try {
            auto c = std::make_unique<Cache>();
            c->cache = openBinaryCache(url, http_);
            std::optional<CacheInfo> info;
            if (diskCache_) info = diskCache_->cacheInfo(c->cache->url());
            if (!info) {
                info = c->cache->info();
                if (diskCache_) diskCache_->putCacheInfo(c->cache->url(), *info);
            } else if (auto p = c->cache->cacheUrl().params.find("priority"); p != c->cache->cacheUrl().params.end()) {
                info->priority = std::stoi(p->second);
            }
            if (!info->storeDir.empty() && info->storeDir != storeDir.dir()) {
                logWarn("ignoring binary cache '%s': it holds paths of store directory '%s', not '%s'", url,
                        info->storeDir, storeDir.dir());
                continue;
            }
            c->info = *info;
            caches_.push_back(std::move(c));
        } catch (Interrupted&) {
            throw;
        } catch (std::exception& e) {
            logWarn("ignoring binary cache '%s': %s", url, e.what());
        }
    }
    std::stable_sort(caches_.begin(), caches_.end(),
                     [](auto& a, auto& b) { return a->info.priority < b->info.priority; });
}

std::vector<std::string> CacheSubstituter::cacheUrls() {
    init(StoreDir(settings.storeDir.get()));
    std::vector<std::string> out;
    for (auto& c : caches_) out.push_back(c->cache->url());
    return out;
}

std::optional<NarInfo> CacheSubstituter::fetchNarInfo(Cache& c, const StoreDir& storeDir, const StorePath& path) {
    std::string name = std::string(path.hashPart()) + ".narinfo";
    std::string whence = c.cache->describe(name);
    auto parse = [&](const std::string& text) {
        NarInfo ni = NarInfo::parse(storeDir, text, whence);
        if (ni.path != path)
            throw FormatError("%s describes '%s', not the requested '%s'", whence, storeDir.print(ni.path),
                              storeDir.print(path));
        if (!(isHttpUrl(ni.url) && isHttpUrl(c.cache->url()))) checkRelativeCacheUrl(ni.url, whence);
        return ni;
    };
    if (diskCache_) {
        auto hit = diskCache_->lookup(c.cache->url(), path.hashPart());
        if (hit.kind == NarinfoDiskCache::Lookup::Kind::missing) return std::nullopt;
        if (hit.kind == NarinfoDiskCache::Lookup::Kind::present) {
            try {
                return parse(hit.narinfo);
            } catch (Error&) {
                // Stale or damaged entry: ask the cache again.
            }
        }
    }
    auto text = c.cache->getFile(name);
    if (!text) {
        if (diskCache_) diskCache_->put(c.cache->url(), path.hashPart(), "");
        return std::nullopt;
    }
    NarInfo ni = parse(*text);
    if (diskCache_) diskCache_->put(c.cache->url(), path.hashPart(), *text);
    return ni;
}

std::optional<CacheSubstituter::Found> CacheSubstituter::lookup(const StoreDir& storeDir, const StorePath& path,
                                                                size_t from, std::vector<std::string>& problems) {
    for (size_t i = from; i < caches_.size(); ++i) {
        try {
            if (auto ni = fetchNarInfo(*caches_[i], storeDir, path)) return Found{i, std::move(*ni)};
        } catch (Interrupted&) {
            throw;
        } catch (Error& e) {
            std::string msg = e.what();  // with the file and line, if any
            auto& c = *caches_[i]->cache;
            bool named = msg.find(c.url()) != std::string::npos || msg.find(c.describe("")) != std::string::npos;
            problems.push_back(named ? msg : c.url() + ": " + msg);
        }
    }
    return std::nullopt;
}

std::map<StorePath, CacheSubstituter::Found> CacheSubstituter::lookupMany(
    const StoreDir& storeDir, const StorePathSet& paths, std::map<StorePath, std::vector<std::string>>& problems) {
    init(storeDir);
    std::vector<StorePath> todo;
    std::map<StorePath, Found> out;
    {
        std::lock_guard lock(mutex_);
        for (auto& p : paths) {
            if (auto it = found_.find(p); it != found_.end())
                out.emplace(p, *it->second);
            else
                todo.push_back(p);
        }
    }
    if (todo.empty() || caches_.empty()) return out;
    std::mutex m;
    unsigned threads = std::max(1u, options_.parallelism ? options_.parallelism : 8u);
    auto errors = parallelFor(todo.size(), threads, [&](size_t i) {
        std::vector<std::string> pr;
        auto f = lookup(storeDir, todo[i], 0, pr);
        std::lock_guard lock(m);
        if (f) out.emplace(todo[i], *f);
        if (!pr.empty()) problems[todo[i]] = std::move(pr);
    });
    for (size_t i = 0; i < errors.size(); ++i)
        if (errors[i]) std::rethrow_exception(errors[i]);
    std::lock_guard lock(mutex_);
    for (auto& [p, f] : out) found_[p] = std::make_shared<Found>(f);
    return out;
}

std::map<StorePath, PathInfo> CacheSubstituter::querySubstitutable(const StorePathSet& paths) {
    std::map<StorePath, std::vector<std::string>> problems;
    auto found = lookupMany(StoreDir(settings.storeDir.get()), paths, problems);
    for (auto& [p, pr] : problems)
        if (!found.count(p))
            for (auto& msg : pr) logWarn("%s", msg);
    std::map<StorePath, PathInfo> out;
    for (auto& [p, f] : found) out.emplace(p, static_cast<const PathInfo&>(f.narinfo));
    return out;
}

void CacheSubstituter::substitute(LocalStore& store, const PathInfo& info) { fetchClosure(store, {info.path}); }

// One call of fetchClosure: the plan, the parallel fetches, and the
// registration of finished paths once their references are valid.
class CacheSubstituter::Run {
public:
    Run(CacheSubstituter& subs, LocalStore& store, const std::function<void(const StorePath&)>& onPath)
        : subs_(subs), store_(store), storeDir_(store.storeDir()), onPath_(onPath) {}

    FetchStats go(const StorePathSet& roots) {
        auto start = std::chrono::steady_clock::now();
        plan(roots);
        fetchAll();
        FetchStats stats;
        stats.paths = fetched_;
        stats.narBytes = narBytes_;
        stats.fileBytes = fileBytes_;
        stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        reportFailures();
        return stats;
    }

private:
    struct Prepared {
        PathInfo info;
        std::string tmp;
        AutoDelete guard;
        FileLock lock;
    };

    // The missing closure of `roots`, found breadth-first, then ordered references first.
    void plan(const StorePathSet& roots) {
        StorePathSet frontier = roots, seen;
        std::map<StorePath, Found> infos;
        while (!frontier.empty()) {
            StorePathSet query;
            {
                std::lock_guard lock(storeMutex_);
                for (auto& p : frontier) {
                    if (!seen.insert(p).second) continue;
                    store_.addTempRoot(p);
                    if (!store_.isValidPath(p)) query.insert(p);
                }
            }
            std::map<StorePath, std::vector<std::string>> problems;
            auto found = subs_.lookupMany(storeDir_, query, problems);
            StorePathSet next;
            for (auto& p : query) {
                auto it = found.find(p);
                if (it == found.end()) {
                    std::string why = "no binary cache has it";
                    if (subs_.caches_.empty()) why = "no binary cache is usable";
                    if (auto pr = problems.find(p); pr != problems.end()) {
                        why = pr->second.front();
                        for (size_t i = 1; i < pr->second.size(); ++i) why += "; " + pr->second[i];
                    }
                    fail(p, why);
                    continue;
                }
                for (auto& r : it->second.narinfo.referencesWithoutSelf()) next.insert(r);
                infos.emplace(p, std::move(it->second));
            }
            frontier = std::move(next);
        }
        // References first; a path with a reference that cannot be had is not fetched.
        std::set<StorePath> visited;
        std::function<void(const StorePath&)> visit = [&](const StorePath& p) {
            if (!visited.insert(p).second) return;
            auto it = infos.find(p);
            if (it == infos.end()) return;
            for (auto& r : it->second.narinfo.referencesWithoutSelf()) visit(r);
            for (auto& r : it->second.narinfo.referencesWithoutSelf())
                if (failed_.count(r)) {
                    fail(p, format("its reference '%s' cannot be substituted", storeDir_.print(r)));
                    return;
                }
            jobs_.push_back(it->second);
            wanted_.insert(p);
        };
        for (auto& [p, f] : infos) visit(p);
        for (auto& j : jobs_) {
            totalFileBytes_ += j.narinfo.fileSize ? j.narinfo.fileSize : j.narinfo.narSize;
        }
    }

    void fetchAll() {
        if (jobs_.empty()) return;
        unsigned threads = subs_.options_.parallelism;
        unsigned cacheSuggests = 1;
        for (auto& c : subs_.caches_) cacheSuggests = std::max(cacheSuggests, c->cache->parallelism());
        threads = threads ? std::min(threads, cacheSuggests) : cacheSuggests;
        // Each transfer runs two threads that mostly use CPU; far more of them
        // than cores only adds switching (lookups above use all connections).
        threads = std::min(threads, std::max(4u, 4 * std::thread::hardware_concurrency()));
        Progress progress("copy");
        auto start = std::chrono::steady_clock::now();
        auto tick = [&] {
            if (!subs_.options_.showProgress) return;
            double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            progress.setStatus(transferStatus(done_.load(), jobs_.size(), fileBytes_, totalFileBytes_, secs));
        };
        auto errors = parallelFor(
            jobs_.size(), threads, [&](size_t i) { fetchOne(jobs_[i]); }, tick);
        forEachFailure(errors, [&](size_t i, const char* what) { fail(jobs_[i].narinfo.path, what); });
        // Whatever is still waiting had a reference that failed.
        std::lock_guard lock(storeMutex_);
        for (auto& [p, prep] : prepared_) {
            StorePath missing = p;
            for (auto& r : prep->info.referencesWithoutSelf())
                if (wanted_.count(r) && !registered_.count(r)) missing = r;
            fail(p, format("its reference '%s' could not be substituted", storeDir_.print(missing)));
        }
        prepared_.clear();
    }

    void fetchOne(const Found& job) {
        const StorePath& p = job.narinfo.path;
        {
            std::lock_guard lock(storeMutex_);
            if (store_.isValidPath(p)) return markValid(p);
        }
        FileLock lock = store_.lockPath(p);
        {
            std::lock_guard l(storeMutex_);
            if (store_.isValidPath(p)) return markValid(p);
        }
        if (onPath_) {
            std::lock_guard l(failMutex_);
            onPath_(p);
        }
        Found f = job;
        std::vector<std::string> problems;
        while (true) {
            auto& cache = *subs_.caches_[f.cacheIndex];
            try {
                logVerbose("copying '%s' from '%s'...", storeDir_.print(p), cache.cache->url());
                auto prep = fetchFrom(cache, f.narinfo);
                prep->lock = std::move(lock);
                ready(std::move(prep));
                return;
            } catch (Interrupted&) {
                throw;
            } catch (Error& e) {
                problems.push_back(e.message());
                auto next = subs_.lookup(storeDir_, p, f.cacheIndex + 1, problems);
                if (!next) break;
                logWarn("%s; trying '%s' next", e.message(), subs_.caches_[next->cacheIndex]->cache->url());
                f = std::move(*next);
            }
        }
        std::string why = problems.front();
        for (size_t i = 1; i < problems.size(); ++i) why += "; " + problems[i];
        throw Error("%s", why);
    }

    // Downloads, unpacks and checks one NAR under a temporary name.
    std::unique_ptr<Prepared> fetchFrom(Cache& cache, const NarInfo& ni) {
        const StorePath& p = ni.path;
        std::string who = format("'%s' from '%s'", storeDir_.print(p), cache.cache->url());
        if (subs_.options_.requireSigs) {
            if (auto why = signatureProblem(ni, storeDir_, subs_.options_.trustedKeys); !why.empty())
                throw Error("refusing to substitute %s: %s", who, why);
        }
        if (ni.ca && ni.ca->method == IngestionMethod::recursive && ni.ca->hash.algo == HashAlgo::sha256 &&
            ni.ca->hash != ni.narHash)
            throw Error("refusing to substitute %s: its content address does not match its NAR hash", who);
        if (!compressionSupported(ni.compression))
            throw Error("cannot substitute %s: unsupported compression '%s'", who, ni.compression);

        auto prep = std::make_unique<Prepared>(Prepared{ni, "", AutoDelete(), FileLock()});
        prep->info.ultimate = false;
        prep->info.registrationTime = 0;
        // Hash on whichever thread has less to do: decompressing incompressible
        // data is cheap, so the producer hashes; otherwise the consumer does.
        bool hashInProducer = ni.compression == "none" || (ni.fileSize && ni.fileSize * 10 > ni.narSize * 7);
        uint64_t countedFile = 0, countedNar = 0;
        cache.cache->withRetries([&] {
            fileBytes_ -= countedFile;
            narBytes_ -= countedNar;
            countedFile = countedNar = 0;
            prep->guard = AutoDelete();
            std::string tmp = store_.tempPathFor(p);
            HashSink hash(HashAlgo::sha256);
            SinkToThread restore([&](Source& src) {
                if (hashInProducer) {
                    restorePath(tmp, src);
                    expectEnd(src);
                } else {
                    TeeSource tee(src, hash);
                    restorePath(tmp, tee);
                    expectEnd(tee);
                }
            });
            AutoDelete guard(tmp);
            LambdaSink unpacked([&](std::string_view data) {
                if (hashInProducer) hash(data);
                countedNar += data.size();
                narBytes_ += data.size();
                restore(data);
            });
            auto decompress = makeDecompressor(ni.compression, unpacked);
            LambdaSink received([&](std::string_view data) {
                countedFile += data.size();
                fileBytes_ += data.size();
                (*decompress)(data);
            });
            try {
                if (!cache.cache->streamFile(ni.url, received))
                    throw Error("cannot substitute %s: its NAR file '%s' is missing", who, ni.url);
                decompress->finish();
                restore.finish();
            } catch (FormatError& e) {
                throw Error("cannot substitute %s: %s", who, e.message());
            }
            auto [narHash, narSize] = hash.finish();
            if (narSize != ni.narSize)
                throw Error("cannot substitute %s: NAR size mismatch (narinfo says %s bytes, got %s)", who, ni.narSize,
                            narSize);
            if (narHash != ni.narHash)
                throw Error("cannot substitute %s: NAR hash mismatch (narinfo says %s, got %s)", who,
                            ni.narHash.toString(HashFormat::nix32), narHash.toString(HashFormat::nix32));
            prep->tmp = tmp;
            prep->guard = std::move(guard);
        });
        checkContentAddress(prep->tmp, ni, who);
        canonicaliseTree(prep->tmp);
        return prep;
    }

    // A content address other than recursive SHA-256 (checked against the
    // NAR hash already) is checked against the unpacked files.
    void checkContentAddress(const std::string& tmp, const NarInfo& ni, const std::string& who) {
        if (!ni.ca || (ni.ca->method == IngestionMethod::recursive && ni.ca->hash.algo == HashAlgo::sha256)) return;
        Hash actual(ni.ca->hash.algo);
        if (ni.ca->method == IngestionMethod::recursive) {
            HashSink h(ni.ca->hash.algo);
            dumpPath(tmp, h);
            actual = h.finish().first;
        } else {
            auto st = lstatOrThrow(tmp);
            if (!S_ISREG(st.st_mode))
                throw Error("cannot substitute %s: a flat content address needs a regular file", who);
            actual = hashFile(ni.ca->hash.algo, tmp);
        }
        if (actual != ni.ca->hash)
            throw Error("cannot substitute %s: its contents do not match its content address %s", who, ni.ca->render());
    }

    void markValid(const StorePath& p) {
        std::lock_guard lock(storeMutex_);
        registered_.insert(p);
        ++done_;
    }

    // A verified path waits here until its references are valid.
    void ready(std::unique_ptr<Prepared> prep) {
        std::lock_guard lock(storeMutex_);
        StorePath p = prep->info.path;
        prepared_.emplace(p, std::move(prep));
        while (true) {
            std::vector<PathInfo> batch;
            std::vector<StorePath> names;
            for (auto& [q, pr] : prepared_) {
                bool ok = true;
                for (auto& r : pr->info.referencesWithoutSelf())
                    if (wanted_.count(r) && !registered_.count(r)) ok = false;
                if (!ok) continue;
                store_.moveIntoPlace(pr->tmp, q);
                pr->guard.release();
                batch.push_back(pr->info);
                names.push_back(q);
            }
            if (batch.empty()) break;
            store_.registerValidPaths(batch);
            for (auto& q : names) {
                registered_.insert(q);
                prepared_.erase(q);
                ++done_;
                ++fetched_;
            }
        }
    }

    void fail(const StorePath& p, const std::string& why) {
        std::lock_guard lock(failMutex_);
        if (failed_.emplace(p, why).second) failOrder_.push_back(p);
    }

    void reportFailures() {
        if (failOrder_.empty()) return;
        auto describe = [&](const StorePath& p) {
            const std::string& msg = failed_[p];
            if (msg.find(storeDir_.print(p)) != std::string::npos) return msg;
            return format("cannot substitute '%s': %s", storeDir_.print(p), msg);
        };
        for (size_t i = 1; i < failOrder_.size(); ++i) logError("%s", describe(failOrder_[i]));
        throw Error("%s", describe(failOrder_.front()));
    }

    CacheSubstituter& subs_;
    LocalStore& store_;
    StoreDir storeDir_;
    const std::function<void(const StorePath&)>& onPath_;
    std::vector<Found> jobs_;
    StorePathSet wanted_;  // paths this run fetches
    std::mutex storeMutex_, failMutex_;
    std::map<StorePath, std::unique_ptr<Prepared>> prepared_;
    StorePathSet registered_;
    std::map<StorePath, std::string> failed_;
    std::vector<StorePath> failOrder_;
    std::atomic<uint64_t> fileBytes_{0}, narBytes_{0};
    std::atomic<size_t> done_{0}, fetched_{0};
    uint64_t totalFileBytes_ = 0;
};

FetchStats CacheSubstituter::fetchClosure(LocalStore& store, const StorePathSet& paths,
                                          const std::function<void(const StorePath&)>& onPath) {
    init(store.storeDir());
    Run run(*this, store, onPath);
    return run.go(paths);
}

}  // namespace cstore
