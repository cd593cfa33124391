// Adding objects to the local store: from a file tree, a text, or a NAR.
// Every add writes to a temporary name next to the final location, fixes the
// metadata, renames, and registers in one transaction, all under the path's
// lock and temporary root.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "cstore/store/local_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/store/references.hh"
#include "cstore/util/file.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/threaded_sink.hh"

namespace cstore {

namespace {
std::atomic<uint64_t> tempCounter{0};

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
    // The hash part keeps it protected from GC like the path itself; the name
    // is left out so that a 211-character name still fits in NAME_MAX.
    return realStoreDir_ + "/" + std::string(path.hashPart()) + ".tmp-" + std::to_string(getpid()) + "-" +
           std::to_string(tempCounter++);
}

void LocalStore::moveIntoPlace(const std::string& tmp, const StorePath& path) {
    std::string final = realPath(path);
    // An invalid leftover (from a killed process) may sit at the final name.
    if (pathExists(final)) cstore::deletePath(final);
    if (settings.fsyncStore.get()) sync();
    // Moving a directory to another parent rewrites its ".." entry, which
    // needs write permission on it (a canonical directory is 0555).
    auto st = lstatOrThrow(tmp);
    bool reopen = S_ISDIR(st.st_mode) && !(st.st_mode & S_IWUSR) && dirOf(tmp) != dirOf(final);
    if (reopen && chmod(tmp.c_str(), st.st_mode | S_IWUSR) != 0) throw SysError("changing the mode of '%s'", tmp);
    if (rename(tmp.c_str(), final.c_str()) != 0) throw SysError("moving '%s' to '%s'", tmp, final);
    if (reopen) {
        if (chmod(final.c_str(), st.st_mode) != 0) throw SysError("changing the mode of '%s'", final);
        struct timespec times[2] = {{0, UTIME_OMIT}, {1, 0}};
        if (utimensat(AT_FDCWD, final.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
            throw SysError("setting the time of '%s'", final);
    }
}

PathInfo LocalStore::addPath(const std::string& srcPath, std::string_view name, IngestionMethod method, HashAlgo algo,
                             bool scanReferences) {
    checkStorePathName(name);
    if (method == IngestionMethod::text) throw Error("use addText for text objects");
    struct stat st = lstatOrThrow(srcPath);
    if (method == IngestionMethod::flat && !S_ISREG(st.st_mode))
        throw Error("'%s' is not a regular file; only regular files can be added flat", srcPath);

    // Copy to a staging name and hash in the same pass, so what is registered
    // is exactly what was hashed even if the source changes meanwhile.
    // The staging name tells the garbage collector which live process owns it.
    std::string staging = realStoreDir_ + "/.stage-" + std::to_string(getpid()) + "-" + std::to_string(tempCounter++);
    AutoDelete stagingGuard(staging);
    HashAndScan hs;
    bool scanRefs = scanReferences && method == IngestionMethod::recursive && algo == HashAlgo::sha256;
    if (scanRefs && !knownHashParts().empty()) hs.scan = std::make_unique<RefScanSink>(knownHashParts());
    {
        // Hashing and scanning run on a second core while this one copies.
        ThreadedSink async(hs);
        dumpPathAndCopy(srcPath, staging, async);
        async.finish();
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
            if (auto p = queryPathFromHashPart(part)) references.insert(*p);

    ContentAddress ca{method, caHash};
    StorePath path = storeDir_.makeFixedOutputPath(name, ca, references);
    addTempRoot(path);
    if (auto existing = queryPathInfo(path)) return std::move(*existing);

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

size_t LocalStore::addTexts(const std::vector<TextObject>& objects) {
    std::vector<PathInfo> infos;
    std::set<StorePath> seen;
    for (auto& o : objects) {
        checkStorePathName(o.name);
        Hash contentHash = hashString(HashAlgo::sha256, o.text);
        StorePath path = storeDir_.makeTextPath(o.name, contentHash, o.references);
        addTempRoot(path);
        if (!seen.insert(path).second || isValidPath(path)) continue;
        std::string tmp = tempPathFor(path);
        AutoDelete guard(tmp);
        writeFile(tmp, o.text);
        canonicaliseTree(tmp);
        if (rename(tmp.c_str(), realPath(path).c_str()) != 0) {
            // A leftover directory cannot be replaced in one step.
            if (errno != EISDIR && errno != ENOTEMPTY && errno != EEXIST)
                throw SysError("moving '%s' to '%s'", tmp, realPath(path));
            moveIntoPlace(tmp, path);
        }
        guard.release();
        PathInfo info(path);
        HashSink narHash(HashAlgo::sha256);
        dumpContents(o.text, false, narHash);
        std::tie(info.narHash, info.narSize) = narHash.finish();
        info.references = o.references;
        info.ca = ContentAddress{IngestionMethod::text, contentHash};
        infos.push_back(std::move(info));
    }
    if (infos.empty()) return 0;
    if (settings.fsyncStore.get()) sync();
    registerValidPaths(infos);
    return infos.size();
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

}  // namespace cstore
