// EvalState set-up: the base environment with the builtins, parsing and
// importing files, and <name> lookups through the search path.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include <cstdlib>
#include <ctime>

#include "cstore/util/file.hh"
#include "internal.hh"
#include "source_reader.hh"

namespace cstore::eval {

using namespace lang;

namespace {
const PrimOp* const builtinTables[] = {coreBuiltins,  arithBuiltins,   stringBuiltins, listBuiltins,    attrBuiltins,
                                       pathBuiltins,  jsonBuiltins,    regexBuiltins,  versionBuiltins, storeBuiltins,
                                       fetchBuiltins, contextBuiltins, tomlBuiltins,   xmlBuiltins};

void primDerivationMissing(EvalState&, PosIdx pos, Value**, Value&) {
    throw EvalError(pos, "'derivation' is not available in this build of the evaluator yet");
}
const PrimOp derivationPlaceholder{"derivation", 1, primDerivationMissing};
}  // namespace

bool isGlobalBuiltin(std::string_view n) {
    static const std::string_view globals[] = {"abort",    "baseNameOf",   "dirOf",       "import",       "isNull",
                                               "map",      "placeholder",  "removeAttrs", "scopedImport", "throw",
                                               "toString", "fetchTarball", "fromTOML"};
    for (auto g : globals)
        if (g == n) return true;
    return false;
}

EvalState::EvalState(EvalOptions options, EvalStore* store) : options_(std::move(options)), store_(store) {
    auto& s = ast_.symbols;
    sym.outPath = s.intern("outPath");
    sym.drvPath = s.intern("drvPath");
    sym.type = s.intern("type");
    sym.name = s.intern("name");
    sym.value = s.intern("value");
    sym.body = s.intern("body");
    sym.toString = s.intern("__toString");
    sym.functor = s.intern("__functor");
    sym.file = s.intern("file");
    sym.line = s.intern("line");
    sym.column = s.intern("column");
    sym.key = s.intern("key");
    sym.operator_ = s.intern("operator");
    sym.startSet = s.intern("startSet");
    sym.success = s.intern("success");
    sym.prefix = s.intern("prefix");
    sym.path = s.intern("path");
    sym.right = s.intern("right");
    sym.wrong = s.intern("wrong");
    sym.outputName = s.intern("outputName");
    sym.result = s.intern("result");
    sym.ignoreNulls = s.intern("ignoreNulls");
    sym.data = s.intern("data");
    storeDir_ = store_ ? store_->storeDir() : options_.storeDir;
    reader_ = std::make_unique<SourceReader>();

    auto addEntry = [&](const std::string& entry) {
        if (entry.empty()) return;
        size_t eq = entry.find('=');
        if (eq == std::string::npos)
            searchPath_.emplace_back("", entry);
        else
            searchPath_.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
    };
    for (auto& e : options_.searchPath) addEntry(e);
    if (options_.readEnvironment)
        if (const char* env = std::getenv("CSTORE_PATH")) {
            std::string_view rest(env);
            while (!rest.empty()) {
                size_t colon = rest.find(':');
                addEntry(std::string(rest.substr(0, colon)));
                if (colon == std::string_view::npos) break;
                rest.remove_prefix(colon + 1);
            }
        }
    for (auto& e : options_.fallbackSearchPath) addEntry(e);
    emptyBindings_ = allocBindings(0);
    smallInts_ = static_cast<Value*>(arena_.allocate(sizeof(Value) * smallIntCount, 16));
    for (int64_t i = 0; i < smallIntCount; ++i) smallInts_[i].mkInt(i);
    createBaseEnv();
}

EvalState::~EvalState() = default;

const std::string& EvalState::storeDir() const { return storeDir_; }

void EvalState::addGlobal(std::string_view n, Value* v) { globals_.emplace_back(intern(n), v); }

void EvalState::createBaseEnv() {
    std::vector<std::pair<Symbol, Value*>> builtinAttrs;
    auto addBuiltin = [&](std::string_view n, Value* v, bool global) {
        builtinAttrs.emplace_back(intern(n), v);
        addGlobal("__" + std::string(n), v);
        if (global) addGlobal(n, v);
    };
    for (const PrimOp* table : builtinTables)
        for (const PrimOp* op = table; op->name; ++op) {
            if (std::string_view(op->name) == "toString") toStringOp_ = op;
            Value* v = allocValue();
            v->mkPrimOp(op);
            addBuiltin(op->name, v, isGlobalBuiltin(op->name));
        }
    bool haveDerivation = false;
    for (auto& extra : options_.extraPrimOps) {
        Value* v = allocValue();
        v->mkPrimOp(extra.op);
        addBuiltin(extra.op->name, v, extra.global);
        haveDerivation |= std::string_view(extra.op->name) == "derivation";
    }
    if (!haveDerivation) {
        Value* v = allocValue();
        v->mkPrimOp(&derivationPlaceholder);
        builtinAttrs.emplace_back(intern("derivation"), v);
        addGlobal("derivation", v);
    }

    auto constant = [&](std::string_view n, Value* v, bool global) { addBuiltin(n, v, global); };
    Value* vTrue = allocValue();
    vTrue->mkBool(true);
    Value* vFalse = allocValue();
    vFalse->mkBool(false);
    Value* vNull = allocValue();
    vNull->mkNull();
    constant("true", vTrue, true);
    constant("false", vFalse, true);
    constant("null", vNull, true);
    Value* v = allocValue();
    mkString(*v, options_.currentSystem);
    constant("currentSystem", v, false);
    v = allocValue();
    v->mkInt(static_cast<int64_t>(time(nullptr)));
    constant("currentTime", v, false);
    v = allocValue();
    mkString(*v, "2.8.0");
    constant("nixVersion", v, false);
    v = allocValue();
    v->mkInt(6);
    constant("langVersion", v, false);
    v = allocValue();
    mkString(*v, storeDir());
    constant("storeDir", v, false);

    v = allocValue();
    ListData* np = allocList(searchPath_.size());
    for (size_t i = 0; i < searchPath_.size(); ++i) {
        auto b = buildBindings(2);
        mkString(*b.alloc(sym.path), searchPath_[i].second);
        mkString(*b.alloc(sym.prefix), searchPath_[i].first);
        Value* entry = allocValue();
        entry->mkAttrs(b.finish());
        np->elems[i] = entry;
    }
    v->mkList(np);
    constant("nixPath", v, false);

    builtins_ = allocValue();
    constant("builtins", builtins_, true);
    auto b = buildBindings(builtinAttrs.size());
    for (auto& [n, val] : builtinAttrs) b.add(n, val);
    builtins_->mkAttrs(b.finish());

    // The base environment: one slot per global name.
    std::sort(globals_.begin(), globals_.end(), [](auto& x, auto& y) { return x.first.id < y.first.id; });
    globals_.erase(std::unique(globals_.begin(), globals_.end(), [](auto& x, auto& y) { return x.first == y.first; }),
                   globals_.end());
    baseEnv_ = allocEnv(globals_.size());
    baseEnv_->up = nullptr;
    for (uint32_t i = 0; i < globals_.size(); ++i) {
        baseEnv_->values[i] = globals_[i].second;
        baseScope_.add(globals_[i].first, i);
    }
    baseScope_.sort();
}

Expr* EvalState::parseString(std::string text, std::string basePath, std::string originName) {
    try {
        return parseExpr(ast_, {std::move(originName), std::move(text), std::move(basePath)}, baseScope_);
    } catch (ParseError& e) {
        throw EvalError(e.at, "%s", e.message());
    }
}

uint32_t EvalState::fileIndex(std::string_view path) {
    uint32_t index = filePaths_.intern(path).id;
    if (index >= files_.size()) files_.resize(filePaths_.size());
    return index;
}

Expr* EvalState::parseFile(const std::string& path) { return parseFile(fileIndex(path), path); }

Expr* EvalState::parseFile(uint32_t index, const std::string& path) {
    if (!files_[index].expr) {
        auto [resolved, text] = readSource(path, PosIdx{});
        std::string dir = dirOf(resolved);
        // A file outside the store can be read again for an error snippet; store paths may live elsewhere.
        bool rereadable = !isInDir(resolved, storeDir_);
        files_[index].expr = parseString(std::move(text), std::move(dir), std::move(resolved));
        if (rereadable) ast_.positions.forgetText(ast_.positions.last().base);
    }
    return files_[index].expr;
}

std::pair<std::string, std::string> EvalState::readSource(const std::string& logicalPath, PosIdx pos) {
    // Only store paths can live elsewhere (EvalStore::toRealPath): others need no copy.
    std::string mapped;
    bool inStore = store_ && isInDir(logicalPath, storeDir_);
    if (inStore) mapped = store_->toRealPath(logicalPath);
    const std::string& path = inStore ? mapped : logicalPath;
    std::string text;
    bool isDir = false;
    // Files are read at their real place but keep their logical names, so
    // that positions and relative paths inside them stay in the store.
    if (!reader_->read(path, text, isDir)) throw EvalError(pos, "opening '%s': %s", logicalPath, std::strerror(errno));
    if (!isDir) return {logicalPath, std::move(text)};
    for (const char* name : {"/default.cbl", "/default.nix"}) {
        if (reader_->read(path + name, text, isDir) && !isDir) return {logicalPath + name, std::move(text)};
    }
    throw EvalError(pos, "opening '%s/default.cbl': No such file or directory", logicalPath);
}

Expr* EvalState::parseScopedFile(const std::string& path, std::string text, Bindings* scope) {
    StaticScope staticScope;
    staticScope.up = &baseScope_;
    for (uint32_t i = 0; i < scope->size; ++i) staticScope.add(scope->attrs[i].name, i);
    staticScope.sort();
    try {
        return parseExpr(ast_, {path, std::move(text), dirOf(path)}, staticScope);
    } catch (ParseError& e) {
        throw EvalError(e.at, "%s", e.message());
    }
}

void EvalState::evalScoped(Expr* e, Bindings* scope, Value& v) {
    Env* env = allocEnv(scope->size);
    env->up = baseEnv_;
    for (uint32_t i = 0; i < scope->size; ++i) env->values[i] = scope->attrs[i].value;
    eval(e, env, v);
}

std::string EvalState::resolveImportPath(const std::string& path, PosIdx pos) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) throw EvalError(pos, "getting status of '%s': %s", path, std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return pathExists(path + "/default.cbl") ? path + "/default.cbl" : path + "/default.nix";
    return path;
}

void EvalState::evalFile(const std::string& pathIn, Value& v) {
    // One lookup per import; `files_` may grow while the file's own imports
    // are evaluated, so it is indexed again rather than held by reference.
    uint32_t index = fileIndex(pathIn);
    if (Value* result = files_[index].value) {
        v = *result;
        return;
    }
    Expr* e;
    try {
        e = parseFile(index, pathIn);
    } catch (SysError& err) {
        throw EvalError(PosIdx{}, "%s", err.message());
    }
    Value* value = allocValue();
    // A thunk, so that an import cycle is reported as infinite recursion.
    value->mkThunk(baseEnv_, e);
    files_[index].value = value;
    force(*value, e->pos);
    v = *value;
}

std::string EvalState::findFile(std::string_view n, PosIdx pos) {
    for (auto& [prefix, dir] : searchPath_) {
        std::string candidate;
        if (prefix.empty()) {
            candidate = dir + "/" + std::string(n);
        } else {
            if (n.substr(0, prefix.size()) != prefix) continue;
            if (n.size() > prefix.size() && n[prefix.size()] != '/') continue;
            candidate = dir + std::string(n.substr(prefix.size()));
        }
        if (pathExists(candidate)) return canonPath(candidate);
    }
    throw EvalError(pos, "file '%s' was not found in the search path (add it with -I or $CSTORE_PATH)", n);
}

std::string EvalState::describePos(PosIdx pos) const {
    if (!pos) return "«unknown»";
    return positions().resolve(pos).toString();
}

void EvalState::throwStackOverflow() {
    throw StackOverflowError(PosIdx{}, "stack overflow (possible infinite recursion)");
}

}  // namespace cstore::eval
