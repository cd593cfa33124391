#include "cstore/substituter/cache_writer.hh"

#include <chrono>
#include <condition_variable>
#include <thread>

#include "cstore/store/nar.hh"
#include "cstore/substituter/compression.hh"
#include "cstore/substituter/narinfo.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/signals.hh"
#include "parallel.hh"

namespace cstore {

void CopyToOptions::applyUrlParams(const CacheUrl& url) {
    if (auto c = url.param("compression"); !c.empty()) compression = c;
    if (auto l = url.param("compression-level"); !l.empty()) {
        try {
            level = std::stoi(l);
        } catch (std::exception&) {
            throw Error("compression-level '%s' is not a number", l);
        }
    }
    if (url.param("parallel-compression") == "false") compressionThreads = 1;
    if (auto k = url.param("secret-key"); !k.empty()) keys.push_back(readSecretKeyFile(k));
}

namespace {

// Counts bytes on their way to the next sink.
struct CountingTee : Sink {
    Sink& next;
    std::atomic<uint64_t>& counter;
    CountingTee(Sink& n, std::atomic<uint64_t>& c) : next(n), counter(c) {}
    void operator()(std::string_view data) override {
        counter += data.size();
        next(data);
    }
};

class Publisher {
public:
    Publisher(LocalStore& store, BinaryCache& cache, const CopyToOptions& opts)
        : store_(store), cache_(cache), opts_(opts), storeDir_(store.storeDir()) {}

    CopyStats run(const StorePathSet& paths) {
        auto start = std::chrono::steady_clock::now();
        if (!compressionSupported(opts_.compression))
            throw Error("unsupported compression '%s' (use zstd, xz, bzip2, br or none)", opts_.compression);
        cache_.initForWriting(storeDir_);

        // Which paths the cache lacks (asked in parallel: each is a request for HTTP caches).
        std::vector<StorePath> all(paths.begin(), paths.end());
        for (auto& p : all) {
            store_.addTempRoot(p);
            if (!store_.isValidPath(p)) throw Error("path '%s' is not valid", storeDir_.print(p));
        }
        std::vector<char> present(all.size(), 0);
        unsigned threads = opts_.parallelism ? opts_.parallelism : cache_.parallelism();
        auto errs = parallelFor(all.size(), threads, [&](size_t i) {
            present[i] = cache_.fileExists(std::string(all[i].hashPart()) + ".narinfo");
        });
        for (auto& e : errs)
            if (e) std::rethrow_exception(e);
        StorePathSet todo;
        for (size_t i = 0; i < all.size(); ++i)
            if (present[i])
                ++stats_.skipped;
            else
                todo.insert(all[i]);

        // References first, so their narinfos can be written first.
        auto order = store_.topoSortReferrersFirst(todo);
        std::reverse(order.begin(), order.end());
        for (auto& p : order) {
            auto info = store_.pathInfoOrThrow(p);
            totalBytes_ += info.narSize;
            infos_.push_back(std::move(info));
        }
        pending_ = todo;

        unsigned workers = opts_.parallelism ? opts_.parallelism : std::min(cache_.parallelism(), 8u);
        Progress progress("copy");
        auto tick = [&] {
            if (!opts_.showProgress) return;
            double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            progress.setStatus(transferStatus(donePaths_.load(), infos_.size(), narBytes_, totalBytes_, secs));
        };
        auto errors = parallelFor(
            infos_.size(), workers, [&](size_t i) { publish(infos_[i]); }, tick);
        std::string first;
        forEachFailure(errors, [&](size_t, const char* what) {
            if (first.empty())
                first = what;
            else
                logError("%s", what);
        });
        if (!first.empty()) throw Error("%s", first);
        stats_.narBytes = narBytes_;
        stats_.fileBytes = fileBytes_;
        stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return stats_;
    }

private:
    void publish(const PathInfo& info) {
        try {
            publishOne(info);
        } catch (...) {
            std::lock_guard lock(mutex_);
            failed_.insert(info.path);
            pending_.erase(info.path);
            changed_.notify_all();
            throw;
        }
    }

    void publishOne(const PathInfo& info) {
        std::string who = storeDir_.print(info.path);
        logVerbose("copying '%s' to '%s'...", who, cache_.url());
        NarInfo ni(info);
        ni.compression = opts_.compression;
        for (auto& k : opts_.keys) ni.sigs.insert(k.sign(info.fingerprint(storeDir_)));

        auto upload = cache_.beginUpload();
        HashSink fileHash(HashAlgo::sha256);
        TeeSink fileSide(fileHash, *upload);
        std::atomic<uint64_t> fileCount{0};
        CountingTee countedFile(fileSide, fileCount);
        CompressionOptions co;
        co.level = opts_.level;
        // Paths are compressed on their worker's thread: the other workers
        // keep the other cores busy. zstd's own workers split a stream into
        // jobs compressed apart (measured here: 1.5x larger output, 3x the
        // system time for the bench closure), so they are kept for paths
        // large enough to be worth it.
        co.threads = opts_.compressionThreads ? opts_.compressionThreads : std::thread::hardware_concurrency();
        if (info.narSize < (64 << 20)) co.threads = 0;
        auto compressor = makeCompressor(opts_.compression, countedFile, co);
        HashSink narHash(HashAlgo::sha256);
        TeeSink narSide(narHash, *compressor);
        CountingTee countedNar(narSide, narBytes_);
        {
            BufferedSink buffered(countedNar, 1 << 20);
            dumpPath(store_.realPath(info.path), buffered);
            buffered.flush();
        }
        compressor->finish();
        auto [h, size] = narHash.finish();
        if (h != info.narHash || size != info.narSize)
            throw Error(
                "refusing to copy '%s' to '%s': its contents no longer match its NAR hash (run 'cstore "
                "store verify --check-contents')",
                who, cache_.url());
        ni.fileHash = fileHash.finish().first;
        ni.fileSize = fileCount;
        fileBytes_ += fileCount;
        ni.url = "nar/" + ni.fileHash->encode(HashFormat::nix32) + narFileExtension(opts_.compression);
        upload->commit(ni.url, "application/x-nix-nar");

        if (opts_.readLog && info.deriver)
            if (auto log = opts_.readLog(*info.deriver))
                cache_.upsertFile("log/" + info.deriver->baseName(), *log, "text/plain; charset=utf-8");

        // The narinfo goes last, after those of the references.
        {
            std::unique_lock lock(mutex_);
            for (auto& r : info.referencesWithoutSelf()) {
                changed_.wait(lock, [&] { return !pending_.count(r) || failed_.count(r); });
                if (failed_.count(r))
                    throw Error("not publishing '%s': its reference '%s' could not be copied", who, storeDir_.print(r));
            }
        }
        cache_.upsertFile(std::string(info.path.hashPart()) + ".narinfo", ni.render(storeDir_), "text/x-nix-narinfo");
        std::lock_guard lock(mutex_);
        pending_.erase(info.path);
        ++stats_.paths;
        ++donePaths_;
        changed_.notify_all();
    }

    LocalStore& store_;
    BinaryCache& cache_;
    const CopyToOptions& opts_;
    StoreDir storeDir_;
    std::vector<PathInfo> infos_;
    uint64_t totalBytes_ = 0;
    std::atomic<uint64_t> narBytes_{0}, fileBytes_{0};
    std::atomic<size_t> donePaths_{0};
    std::mutex mutex_;
    std::condition_variable changed_;
    StorePathSet pending_, failed_;
    CopyStats stats_;
};

}  // namespace

CopyStats copyToCache(LocalStore& store, BinaryCache& cache, const StorePathSet& paths, const CopyToOptions& options) {
    Publisher p(store, cache, options);
    return p.run(paths);
}

}  // namespace cstore
