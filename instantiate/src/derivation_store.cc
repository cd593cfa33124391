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
    return readOnly_ || pending_.count(*parsed) || open_().isValidPath(*parsed);
}

LocalDerivationStore::~LocalDerivationStore() {
    try {
        flush();
    } catch (...) {
        // Unregistered .drv files are invalid leftovers the garbage collector removes.
    }
}

StorePath LocalDerivationStore::addDerivation(const Derivation& drv) {
    // What derivationPath computes, keeping the text.
    std::string text = drv.unparse(dir(), false);
    StorePathSet refs = drv.inputSrcs;
    for (auto& [input, outs] : drv.inputDrvs) refs.insert(input);
    StorePath path = dir().makeTextPath(drv.name + ".drv", hashString(HashAlgo::sha256, text), refs);
    if (readOnly_ || pending_.count(path)) return path;
    Pending p;
    p.text = text;
    for (auto& [name, out] : drv.outputs)
        if (out.path) p.outputs.emplace(name, *out.path);
    batch_.push_back({drv.name + ".drv", std::move(text), std::move(refs)});
    pending_.emplace(path, std::move(p));
    if (batch_.size() >= 1000) flush();
    return path;
}

void LocalDerivationStore::flush() {
    if (batch_.empty()) return;
    LocalStore& store = open_();
    written_ += store.addTexts(batch_);
    {
        Transaction txn(store.db());
        for (auto& [path, p] : pending_) store.registerDerivationOutputs(path, p.outputs);
        txn.commit();
    }
    batch_.clear();
    pending_.clear();
}

Derivation LocalDerivationStore::readDerivation(const StorePath& drvPath) {
    if (auto it = pending_.find(drvPath); it != pending_.end()) {
        std::string name(drvPath.name());
        return Derivation::parse(dir(), it->second.text, name.substr(0, name.size() - 4));
    }
    return cstore::readDerivation(open_(), drvPath);
}

StorePathSet LocalDerivationStore::closure(const StorePath& path) {
    flush();
    return open_().closure({path});
}

}  // namespace cstore
