// The local store: store objects under `<root><storeDir>/`, their metadata in
// SQLite at `<root>/var/cstore/db.sqlite`, roots and locks beside it.
//
//   LocalStore store("/tmp/root", "/store");
//   PathInfo info = store.addPath("./src", "src", IngestionMethod::recursive);
//   store.isValidPath(info.path);
//   StorePathSet closure = store.closure({info.path});
//
// A path becomes valid only after its files are complete, canonicalised and
// renamed into place, in one database transaction; a process killed at any
// point leaves at most an invalid leftover that the next add or GC removes.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cstore/store/locks.hh"
#include "cstore/store/path_info.hh"
#include "cstore/store/references.hh"
#include "cstore/store/sqlite.hh"
#include "cstore/store/store_path.hh"
#include "cstore/util/stream.hh"

namespace cstore {

class TempRoots;

class LocalStore {
public:
    // Opens the store below `root` (creating its directories and database if
    // needed) with logical store directory `storeDir`.
    LocalStore(std::string root, std::string storeDir);
    ~LocalStore();

    const StoreDir& storeDir() const { return storeDir_; }
    const std::string& root() const { return root_; }
    // <root><storeDir>, where the files really are.
    const std::string& realStoreDir() const { return realStoreDir_; }
    // <root>/var/cstore
    const std::string& stateDir() const { return stateDir_; }
    std::string realPath(const StorePath& path) const { return realStoreDir_ + "/" + path.baseName(); }
    std::string printPath(const StorePath& path) const { return storeDir_.print(path); }
    // Accepts a full store path, a path inside a store object, or a path
    // under the physical store directory; throws BadStorePath otherwise.
    StorePath parseUserPath(const std::string& path) const;

    // Queries.
    bool isValidPath(const StorePath& path);
    std::optional<PathInfo> queryPathInfo(const StorePath& path);
    PathInfo pathInfoOrThrow(const StorePath& path);
    StorePathSet queryReferrers(const StorePath& path);
    StorePathSet queryAllValidPaths();
    // Hash parts of all valid paths as of the first call, plus those this
    // object registered since: the candidates for reference scanning when
    // adding paths.
    const HashPartSet& knownHashParts();
    std::optional<StorePath> queryPathFromHashPart(std::string_view hashPart);
    // The forward closure (the paths and everything they refer to, transitively).
    StorePathSet closure(const StorePathSet& paths);
    // Referrers before references.
    std::vector<StorePath> topoSortReferrersFirst(const StorePathSet& paths);

    // Derivation outputs (known at instantiation).
    void registerDerivationOutputs(const StorePath& drv, const std::map<std::string, StorePath>& outputs);
    std::map<std::string, StorePath> queryDerivationOutputs(const StorePath& drv);
    StorePathSet queryDerivers(const StorePath& output);

    // Adding. `name` must be a valid store path name.
    // recursive: the NAR of `srcPath` (sha256 gives a "source" path, scanned for references to valid paths
    // unless `scanReferences` is false, as for downloads);
    // flat: the contents of the regular file `srcPath`.
    PathInfo addPath(const std::string& srcPath, std::string_view name, IngestionMethod method,
                     HashAlgo algo = HashAlgo::sha256, bool scanReferences = true);
    // A text object (.drv files, toFile) with the given references.
    StorePath addText(std::string_view name, std::string_view text, const StorePathSet& references);
    // Many text objects at once (the .drv files of one evaluation), registered
    // in one transaction; references must be valid or among `objects`.
    // Returns how many were not valid before. A text object's bytes follow
    // from its path, so no per-path lock is needed: each file is written under
    // a temporary name and renamed over whatever its final name holds (nothing,
    // an invalid leftover, or the same bytes).
    struct TextObject {
        std::string name;
        std::string text;
        StorePathSet references;
    };
    size_t addTexts(const std::vector<TextObject>& objects);
    // A NAR whose metadata is already known (substitution, import). Verifies
    // the NAR hash and size before anything becomes valid.
    void addNar(const PathInfo& info, Source& nar);
    // Registers paths whose files are already in place (builder outputs), in one
    // transaction. Paths marked `ultimate` are signed with `secret-key-files`.
    void registerValidPaths(const std::vector<PathInfo>& infos);
    void addSignatures(const StorePath& path, const std::set<std::string>& sigs);

    // Deleting one path; refuses while other valid paths refer to it.
    // Returns the bytes freed.
    uint64_t deletePath(const StorePath& path);

    // Keeps `path` from being garbage-collected for the life of this process.
    void addTempRoot(const StorePath& path);

    // A per-path lock (`<realPath>.lock`), held while a path is created.
    FileLock lockPath(const StorePath& path);
    // The same lock without waiting: nothing if another process holds it.
    std::optional<FileLock> tryLockPath(const StorePath& path);

    // Moves a finished, canonicalised tree at `tmp` to the final location of `path`.
    void moveIntoPlace(const std::string& tmp, const StorePath& path);
    // A fresh temporary name beside the final location (protected from GC by the path's temp root).
    std::string tempPathFor(const StorePath& path);

    Database& db() { return *db_; }

private:
    void openDatabase();
    void migrate();
    std::optional<int64_t> queryPathId(const StorePath& path);
    int64_t registerOne(const PathInfo& info);

    StoreDir storeDir_;
    std::string root_, realStoreDir_, stateDir_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<TempRoots> tempRoots_;
    std::unique_ptr<HashPartSet> knownHashParts_;
};

// Sets the metadata of a tree to the canonical store form: mode 0444/0555,
// mtime 1, no extended attributes, no setuid/setgid/sticky bits. Rejects
// files other than regular files, directories and symlinks.
void canonicaliseTree(const std::string& path);

}  // namespace cstore
