// Adding objects to the local store: from a file tree, a text, or a NAR.
// Every add writes to a temporary name next to the final location, fixes the
// metadata, renames, and registers in one transaction, all under the path's
// lock and temporary root.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>

#include "cstore/store/local_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/store/references.hh"
#include "cstore/util/file.hh"
#include "cstore/util/settings.hh"

namespace cstore {

namespace {
std::atomic<uint64_t> tempCounter{0};

std::vector<std::string> hashPartsOf(const StorePathSet& paths) {
    std::vector<std::string> out;
    out.reserve(paths.size());
    for (auto& p : paths) out.emplace_back(p.hashPart());
    return out;
}

// A sink that hashes and scans a NAR while it passes, and restores it to disk.
struct HashAndScan : Sink {
    HashSink hash{HashAlgo::sha256};
    std::unique_ptr<RefScanSink> scan;
    void operator()(std::string_view data) override {
        hash(data);
        if (scan) (*scan)(data);
    }
};
}  // namespace

std::string LocalStore::tempPathFor(const StorePath& path) {
    return realPath(path) + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(tempCounter++);
}

void LocalStore::moveIntoPlace(const std::string& tmp, const StorePath& path) {
    std::string final = realPath(path);
    // An invalid leftover (from a killed process) may sit at the final name.
    if (pathExists(final)) cstore::deletePath(final);
    if (settings.fsyncStore.get()) sync();
    if (rename(tmp.c_str(), final.c_str()) != 0) throw SysError("moving '%s' to '%s'", tmp, final);
}

PathInfo LocalStore::addPath(const std::string& srcPath, std::string_view name, IngestionMethod method, HashAlgo algo) {
    checkStorePathName(name);
    if (method == IngestionMethod::text) throw Error("use addText for text objects");
    struct stat st = lstatOrThrow(srcPath);
    if (method == IngestionMethod::flat && !S_ISREG(st.st_mode))
        throw Error("'%s' is not a regular file; only regular files can be added flat", srcPath);

    // Stage a canonical copy first and hash *that*, so what is registered is
    // exactly what was hashed even if the source changes meanwhile. The NAR
    // of the source is streamed once: hashed, scanned and restored together.
    // The staging name tells the garbage collector which live process owns it.
    std::string staging = realStoreDir_ + "/.stage-" + std::to_string(getpid()) + "-" + std::to_string(tempCounter++);
    AutoDelete stagingGuard(staging);
    HashAndScan hs;
    bool scanRefs = method == IngestionMethod::recursive && algo == HashAlgo::sha256;
    StorePathSet candidates;
    if (scanRefs) {
        candidates = queryAllValidPaths();
        if (!candidates.empty()) hs.scan = std::make_unique<RefScanSink>(hashPartsOf(candidates));
    }
    {
        auto nar = sinkToSource([&](Sink& sink) {
            TeeSink tee(hs, sink);
            dumpPath(srcPath, tee);
        });
        restorePath(staging, *nar);
    }
    auto [narHash, narSize] = hs.hash.finish();

    Hash caHash = narHash;
    if (method == IngestionMethod::flat)
        caHash = hashFile(algo, staging);
    else if (algo != HashAlgo::sha256) {
        HashSink h(algo);
        dumpPath(staging, h);
        caHash = h.finish().first;
    }
    StorePathSet references;
    if (hs.scan)
        for (auto& part : hs.scan->found())
            // "+" is the smallest byte a name may hold: start at the first path with this hash part.
            for (auto it = candidates.lower_bound(StorePath(part + "-+")); it != candidates.end(); ++it) {
                if (it->hashPart() != part) break;
                references.insert(*it);
            }

    ContentAddress ca{method, caHash};
    StorePath path = storeDir_.makeFixedOutputPath(name, ca, references);
    addTempRoot(path);
    if (auto existing = queryPathInfo(path)) return std::move(*existing);

    canonicaliseTree(staging);
    FileLock lock = lockPath(path);
    if (auto existing = queryPathInfo(path)) return std::move(*existing);
    moveIntoPlace(staging, path);
    stagingGuard.release();

    PathInfo info(path);
    info.narHash = narHash;
    info.narSize = narSize;
    info.references = references;
    info.ca = ca;
    registerValidPaths({info});
    return pathInfoOrThrow(path);
}

StorePath LocalStore::addText(std::string_view name, std::string_view text, const StorePathSet& references) {
    checkStorePathName(name);
    Hash contentHash = hashString(HashAlgo::sha256, text);
    StorePath path = storeDir_.makeTextPath(name, contentHash, references);
    addTempRoot(path);
    if (isValidPath(path)) return path;
    FileLock lock = lockPath(path);
    if (isValidPath(path)) return path;

    std::string tmp = tempPathFor(path);
    AutoDelete guard(tmp);
    writeFile(tmp, text);
    canonicaliseTree(tmp);
    HashSink narHash(HashAlgo::sha256);
    dumpContents(text, false, narHash);
    auto [hash, size] = narHash.finish();
    moveIntoPlace(tmp, path);
    guard.release();

    PathInfo info(path);
    info.narHash = hash;
    info.narSize = size;
    info.references = references;
    info.ca = ContentAddress{IngestionMethod::text, contentHash};
    registerValidPaths({info});
    return path;
}

void LocalStore::addNar(const PathInfo& info, Source& nar) {
    addTempRoot(info.path);
    if (isValidPath(info.path)) {
        NullSink discard;
        nar.drainInto(discard);
        return;
    }
    FileLock lock = lockPath(info.path);
    if (isValidPath(info.path)) return;

    std::string tmp = tempPathFor(info.path);
    AutoDelete guard(tmp);
    HashSink hash(HashAlgo::sha256);
    TeeSource tee(nar, hash);
    restorePath(tmp, tee);
    auto [narHash, narSize] = hash.finish();
    if (narHash != info.narHash)
        throw Error("NAR hash mismatch for '%s': expected %s, got %s", printPath(info.path), info.narHash.toSRI(),
                    narHash.toSRI());
    if (narSize != info.narSize)
        throw Error("NAR size mismatch for '%s': expected %s bytes, got %s", printPath(info.path), info.narSize,
                    narSize);
    canonicaliseTree(tmp);
    moveIntoPlace(tmp, info.path);
    guard.release();
    registerValidPaths({info});
}

uint64_t LocalStore::deletePath(const StorePath& path) {
    Transaction txn(*db_);
    auto id = queryPathId(path);
    if (!id) throw Error("cannot delete '%s': it is not a valid path", printPath(path));
    auto referrers = queryReferrers(path);
    referrers.erase(path);
    if (!referrers.empty())
        throw Error("cannot delete '%s': it is still referenced by %s", printPath(path),
                    storeDir_.printSet(referrers, ", "));
    Statement del(*db_, "delete from ValidPaths where id = ?");
    del.bind(1, *id);
    del.run();
    txn.commit();
    return cstore::deletePath(realPath(path));
}

uint64_t LocalStore::deletePathsUnchecked(const std::vector<StorePath>& paths) {
    {
        Transaction txn(*db_);
        Statement del(*db_, "delete from ValidPaths where path = ?");
        for (auto& p : paths) {
            del.bind(1, printPath(p));
            del.run();
        }
        txn.commit();
    }
    // Files go after the commit: an interruption now leaves only invalid
    // leftovers, which the next collection removes.
    uint64_t freed = 0;
    for (auto& p : paths) freed += cstore::deletePath(realPath(p));
    return freed;
}

}  // namespace cstore
