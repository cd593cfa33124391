#include "cstore/instantiate/derivation_store.hh"

#include <sys/stat.h>
#include <unistd.h>

#include "cstore/store/local_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/util/file.hh"

namespace cstore {

DerivationStore::DerivationStore(std::string storeDir)
    : dir_(std::move(storeDir)), hashes_(dir_, [this](const StorePath& p) { return readDerivation(p); }) {}

namespace {

// Copies what `filter` accepts below `src` to `dst` (filterSource, path { filter }).
void copyFiltered(const std::string& src, const std::string& dst, eval::EvalStore::PathFilter& filter) {
    struct stat st = lstatOrThrow(src);
    if (S_ISDIR(st.st_mode)) {
        createDirs(dst, 0755);
        for (auto& name : readDirectoryNames(src)) {
            std::string from = src + "/" + name;
            struct stat cst = lstatOrThrow(from);
            const char* type = S_ISREG(cst.st_mode)   ? "regular"
                               : S_ISDIR(cst.st_mode) ? "directory"
                               : S_ISLNK(cst.st_mode) ? "symlink"
                                                      : "unknown";
            if (filter.include(from, type)) copyFiltered(from, dst + "/" + name, filter);
        }
    } else if (S_ISLNK(st.st_mode)) {
        if (symlink(readLink(src).c_str(), dst.c_str()) != 0) throw SysError("creating symlink '%s'", dst);
    } else {
        writeFile(dst, readFile(src));
        if (st.st_mode & S_IXUSR) chmod(dst.c_str(), 0755);
    }
}

}  // namespace

LocalDerivationStore::LocalDerivationStore(OpenStore open, bool readOnly, std::string storeDir)
    : DerivationStore(std::move(storeDir)), open_(std::move(open)), readOnly_(readOnly) {}

std::string LocalDerivationStore::addPath(const std::string& name, const std::string& path, PathFilter* filter) {
    AutoDelete tmp;
    std::string source = path;
    if (filter) {
        tmp = AutoDelete(createTempDir(defaultTempDir(), "cstore-filter"));
        source = tmp.path() + "/x";
        copyFiltered(path, source, *filter);
    }
    if (!readOnly_) return dir().print(open_().addPath(source, name, IngestionMethod::recursive).path);
    HashSink sink(HashAlgo::sha256);
    dumpPath(source, sink);
    ContentAddress ca{IngestionMethod::recursive, sink.finish().first};
    return dir().print(dir().makeFixedOutputPath(name, ca, {}));
}

std::string LocalDerivationStore::addText(const std::string& name, const std::string& text,
                                          const std::vector<std::string>& references) {
    StorePathSet refs;
    for (auto& r : references) refs.insert(dir().toStorePath(r));
    if (!readOnly_) return dir().print(open_().addText(name, text, refs));
    return dir().print(dir().makeTextPath(name, hashString(HashAlgo::sha256, text), refs));
}

bool LocalDerivationStore::isValidPath(const std::string& path) {
    auto parsed = dir().maybeParsePath(path);
    if (!parsed) return false;
    return readOnly_ || open_().isValidPath(*parsed);
}

StorePath LocalDerivationStore::addDerivation(const Derivation& drv) {
    if (readOnly_) return derivationPath(dir(), drv);
    LocalStore& store = open_();
    StorePath path = derivationPath(dir(), drv);
    if (!store.isValidPath(path)) ++written_;
    writeDerivation(store, drv);
    return path;
}

Derivation LocalDerivationStore::readDerivation(const StorePath& drvPath) {
    return cstore::readDerivation(open_(), drvPath);
}

StorePathSet LocalDerivationStore::closure(const StorePath& path) { return open_().closure({path}); }

}  // namespace cstore
