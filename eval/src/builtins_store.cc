// Builtins that put things into the store or name store paths: toFile,
// path, filterSource, storePath, placeholder. They go through EvalStore, so
// tests can use a fake and the CLI the real local store.
#include "cstore/util/encoding.hh"
#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "internal.hh"

namespace cstore::eval {

namespace {

EvalStore& needStore(EvalState& state, PosIdx pos, const char* what) {
    if (!state.store()) throw EvalError(pos, "'%s' needs a store, and none is available here", what);
    return *state.store();
}

void primToFile(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string name(state.forceStringNoCtx(*args[0], pos));
    ContextBuilder ctx;
    std::string text(state.forceString(*args[1], ctx, pos));
    std::vector<std::string> refs;
    for (auto* e : ctx.elems()) {
        if (!e->view().empty() && (e->view()[0] == '=' || e->view()[0] == '!'))
            throw EvalError(pos, "in 'toFile': the file '%s' cannot refer to derivation outputs", name);
        refs.emplace_back(e->view());
    }
    std::string path = needStore(state, pos, "toFile").addText(name, text, refs);
    ContextBuilder out;
    out.add(state.makeStr(path));
    state.mkString(v, path, out);
}

// Calls the user's filter for each path below the one being added.
struct CallbackFilter : EvalStore::PathFilter {
    EvalState& state;
    Value& fn;
    PosIdx pos;
    CallbackFilter(EvalState& s, Value& f, PosIdx p) : state(s), fn(f), pos(p) {}
    bool include(const std::string& path, const std::string& type) override {
        Value* args[2] = {state.allocValue(), state.allocValue()};
        state.mkString(*args[0], path);
        state.mkString(*args[1], type);
        Value r;
        state.callFunction(fn, 2, args, r, pos);
        return state.forceBool(r, pos);
    }
};

void addPathValue(EvalState& state, PosIdx pos, const std::string& path, const std::string& name, Value* filter,
                  Value& v) {
    EvalStore& store = needStore(state, pos, "path");
    if (!pathExists(path)) throw EvalError(pos, "path '%s' does not exist", path);
    std::string dst;
    if (filter) {
        state.forceFunction(*filter, pos);
        CallbackFilter f(state, *filter, pos);
        dst = store.addPath(name, path, &f);
    } else {
        dst = store.addPath(name, path, nullptr);
    }
    ContextBuilder ctx;
    ctx.add(state.makeStr(dst));
    state.mkString(v, dst, ctx);
}

void primFilterSource(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string path = state.coerceToPath(*args[1], ctx, pos);
    addPathValue(state, pos, canonPath(path), baseNameOf(path), args[0], v);
}

void primPath(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    std::string path, name;
    Value* filter = nullptr;
    for (auto& a : *state.flatAttrs(*args[0])) {
        std::string_view n = state.name(a.name);
        if (n == "path") {
            ContextBuilder ctx;
            path = canonPath(state.coerceToPath(*a.value, ctx, pos));
        } else if (n == "name") {
            name = state.forceStringNoCtx(*a.value, pos);
        } else if (n == "filter") {
            filter = a.value;
        } else if (n == "recursive" || n == "sha256") {
            // Accepted for compatibility; paths are always added recursively by content.
        } else {
            throw EvalError(pos, "unsupported argument '%s' to 'path'", n);
        }
    }
    if (path.empty()) throw EvalError(pos, "missing required 'path' attribute in the first argument to 'path'");
    addPathValue(state, pos, path, name.empty() ? baseNameOf(path) : name, filter, v);
}

void primStorePath(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string path = canonPath(state.coerceToPath(*args[0], ctx, pos));
    const std::string& dir = state.storeDir();
    if (path.compare(0, dir.size() + 1, dir + "/") != 0) throw EvalError(pos, "path '%s' is not in the store", path);
    // Keep only <storeDir>/<hash-name>.
    size_t slash = path.find('/', dir.size() + 1);
    std::string storePath = path.substr(0, slash);
    if (state.store() && !state.store()->isValidPath(storePath))
        throw EvalError(pos, "path '%s' is not valid", storePath);
    ContextBuilder out;
    out.add(state.makeStr(storePath));
    state.mkString(v, path, out);
}

void primPlaceholder(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string output(state.forceStringNoCtx(*args[0], pos));
    // What a derivation's builder sees in place of the output's final path.
    state.mkString(v, "/" + hashString(HashAlgo::sha256, "nix-output:" + output).encode(HashFormat::nix32));
}

}  // namespace

const PrimOp storeBuiltins[] = {
    {"toFile", 2, primToFile},       {"filterSource", 2, primFilterSource}, {"path", 1, primPath},
    {"storePath", 1, primStorePath}, {"placeholder", 1, primPlaceholder},   {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
