#include "eval_store.hh"

#include <sys/stat.h>
#include <unistd.h>

#include "cstore/store/local_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/store/store_path.hh"
#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "cstore/util/settings.hh"

namespace cstore {

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

LocalEvalStore::LocalEvalStore(CommandContext& ctx, bool readOnly)
    : ctx_(ctx), readOnly_(readOnly), storeDir_(settings.storeDir.get()) {}

std::string LocalEvalStore::addPath(const std::string& name, const std::string& path, PathFilter* filter) {
    AutoDelete tmp;
    std::string source = path;
    if (filter) {
        tmp = AutoDelete(createTempDir(defaultTempDir(), "cstore-filter"));
        source = tmp.path() + "/x";
        copyFiltered(path, source, *filter);
    }
    if (!readOnly_) return ctx_.store().printPath(ctx_.store().addPath(source, name, IngestionMethod::recursive).path);
    HashSink sink(HashAlgo::sha256);
    dumpPath(source, sink);
    StoreDir dir(storeDir_);
    ContentAddress ca{IngestionMethod::recursive, sink.finish().first};
    return dir.print(dir.makeFixedOutputPath(name, ca, {}));
}

std::string LocalEvalStore::addText(const std::string& name, const std::string& text,
                                    const std::vector<std::string>& references) {
    StoreDir dir(storeDir_);
    StorePathSet refs;
    for (auto& r : references) refs.insert(dir.toStorePath(r));
    if (!readOnly_) return ctx_.store().printPath(ctx_.store().addText(name, text, refs));
    return dir.print(dir.makeTextPath(name, hashString(HashAlgo::sha256, text), refs));
}

bool LocalEvalStore::isValidPath(const std::string& path) {
    StoreDir dir(storeDir_);
    auto parsed = dir.maybeParsePath(path);
    if (!parsed) return false;
    return readOnly_ || ctx_.store().isValidPath(*parsed);
}

}  // namespace cstore
