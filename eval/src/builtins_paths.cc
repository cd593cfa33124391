// Builtins about file names and the file system: baseNameOf, dirOf,
// pathExists, readFile, readDir, hashFile, toPath and <name> lookup.
#include <sys/stat.h>

#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "internal.hh"

namespace cstore::eval {

namespace {

std::string_view baseName(std::string_view path) {
    if (path.empty()) return path;
    size_t last = path.size() - 1;
    if (path[last] == '/' && last > 0) --last;
    size_t slash = path.rfind('/', last);
    size_t start = slash == std::string_view::npos ? 0 : slash + 1;
    return path.substr(start, last - start + 1);
}

void primBaseNameOf(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string s = state.coerceToString(*args[0], ctx, pos, false, false);
    state.mkString(v, baseName(s), ctx);
}

void primDirOf(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    state.force(*args[0], pos);
    bool isPath = args[0]->type() == ValueType::Path;
    std::string s = state.coerceToString(*args[0], ctx, pos, false, false);
    size_t slash = s.rfind('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : s.substr(0, slash);
    if (isPath)
        state.mkPath(v, dir);
    else
        state.mkString(v, dir, ctx);
}

std::string realPath(EvalState& state, Value& arg, PosIdx pos) {
    ContextBuilder ctx;
    std::string path = state.coerceToPath(arg, ctx, pos);
    return state.store() ? state.store()->toRealPath(path) : path;
}

void primPathExists(EvalState& state, PosIdx pos, Value** args, Value& v) {
    v.mkBool(pathExists(realPath(state, *args[0], pos)));
}

void primReadFile(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string path = realPath(state, *args[0], pos);
    try {
        state.mkString(v, readFile(path));
    } catch (SysError& e) {
        throw EvalError(pos, "%s", e.message());
    }
}

void primReadDir(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string path = realPath(state, *args[0], pos);
    std::vector<std::string> names;
    try {
        names = readDirectoryNames(path);
    } catch (SysError& e) {
        throw EvalError(pos, "%s", e.message());
    }
    auto b = state.buildBindings(names.size());
    for (auto& n : names) {
        auto st = maybeLstat(path + "/" + n);
        const char* type = !st                    ? "unknown"
                           : S_ISREG(st->st_mode) ? "regular"
                           : S_ISDIR(st->st_mode) ? "directory"
                           : S_ISLNK(st->st_mode) ? "symlink"
                                                  : "unknown";
        state.mkString(*b.alloc(state.intern(n)), type);
    }
    v.mkAttrs(b.finish());
}

void primHashFile(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string_view algoName = state.forceStringNoCtx(*args[0], pos);
    auto algo = parseHashAlgo(algoName);
    if (!algo) throw EvalError(pos, "unknown hash algorithm '%s'", algoName);
    std::string path = realPath(state, *args[1], pos);
    try {
        state.mkString(v, hashFile(*algo, path).encode(HashFormat::base16));
    } catch (SysError& e) {
        throw EvalError(pos, "%s", e.message());
    }
}

void primToPath(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string path = canonPath(state.coerceToPath(*args[0], ctx, pos));
    state.mkString(v, path, ctx);
}

void primFindFile(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    std::string_view name = state.forceStringNoCtx(*args[1], pos);
    // The search path comes from the argument (normally __nixPath), as in Nix.
    for (size_t i = 0; i < args[0]->listSize(); ++i) {
        Value* entry = args[0]->listElems()[i];
        state.forceAttrs(*entry, pos);
        const Attr* prefixAttr = entry->attrs()->find(state.sym.prefix);
        const Attr* pathAttr = entry->attrs()->find(state.sym.path);
        if (!pathAttr) throw EvalError(pos, "attribute 'path' missing");
        std::string prefix = prefixAttr ? std::string(state.forceStringNoCtx(*prefixAttr->value, pos)) : "";
        ContextBuilder ctx;
        std::string dir = state.coerceToString(*pathAttr->value, ctx, pos, false, false);
        std::string candidate;
        if (prefix.empty()) {
            candidate = dir + "/" + std::string(name);
        } else {
            if (name.substr(0, prefix.size()) != prefix) continue;
            if (name.size() > prefix.size() && name[prefix.size()] != '/') continue;
            candidate = dir + std::string(name.substr(prefix.size()));
        }
        if (pathExists(candidate)) {
            state.mkPath(v, canonPath(candidate));
            return;
        }
    }
    throw EvalError(pos, "file '%s' was not found in the search path (add it with -I or $CSTORE_PATH)", name);
}

}  // namespace

const PrimOp pathBuiltins[] = {
    {"baseNameOf", 1, primBaseNameOf}, {"dirOf", 1, primDirOf},       {"pathExists", 1, primPathExists},
    {"readFile", 1, primReadFile},     {"readDir", 1, primReadDir},   {"hashFile", 2, primHashFile},
    {"toPath", 1, primToPath},         {"findFile", 2, primFindFile}, {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
