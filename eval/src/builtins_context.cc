// builtins.getContext and builtins.appendContext: a string's context as a set
// and back, as in Nix. Context elements are "/store/…" (a path), "=/store/…drv"
// (a derivation with all its outputs) and "!out!/store/…drv" (one output).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "internal.hh"

namespace cstore::eval {

namespace {

// <storeDir>/<32 nix32 characters>-<name>, nothing below it.
bool isStorePath(const std::string& storeDir, std::string_view s) {
    if (s.size() < storeDir.size() + 35 || s.substr(0, storeDir.size()) != storeDir || s[storeDir.size()] != '/')
        return false;
    std::string_view base = s.substr(storeDir.size() + 1);
    if (base.find('/') != std::string_view::npos || base[32] != '-') return false;
    for (char c : base.substr(0, 32))
        if (std::string_view("0123456789abcdfghijklmnpqrsvwxyz").find(c) == std::string_view::npos) return false;
    return true;
}

void primGetContext(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    state.forceString(*args[0], ctx, pos);
    struct Info {
        bool path = false, allOutputs = false;
        std::vector<std::string> outputs;
    };
    std::map<std::string, Info> infos;
    for (const StrData* e : ctx.elems()) {
        std::string_view s = e->view();
        if (s.starts_with("=")) {
            infos[std::string(s.substr(1))].allOutputs = true;
        } else if (s.starts_with("!")) {
            size_t bang = s.find('!', 1);
            auto& outs = infos[std::string(s.substr(bang + 1))].outputs;
            std::string out(s.substr(1, bang - 1));
            if (std::find(outs.begin(), outs.end(), out) == outs.end()) outs.push_back(out);
        } else {
            infos[std::string(s)].path = true;
        }
    }
    auto result = state.buildBindings(infos.size());
    for (auto& [path, info] : infos) {
        auto entry = state.buildBindings(3);
        if (info.path) entry.alloc("path")->mkBool(true);
        if (info.allOutputs) entry.alloc("allOutputs")->mkBool(true);
        if (!info.outputs.empty()) {
            std::sort(info.outputs.begin(), info.outputs.end());
            Value* list = entry.alloc("outputs");
            state.mkList(*list, info.outputs.size());
            for (size_t i = 0; i < info.outputs.size(); ++i) {
                list->listElems()[i] = state.allocValue();
                state.mkString(*list->listElems()[i], info.outputs[i]);
            }
        }
        result.alloc(path)->mkAttrs(entry.finish());
    }
    v.mkAttrs(result.finish());
}

void primAppendContext(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string s(state.forceString(*args[0], ctx, pos));
    state.forceAttrs(*args[1], pos);
    for (auto& a : *state.flatAttrs(*args[1])) {
        std::string path(state.name(a.name));
        PosIdx at = a.pos ? a.pos : pos;
        if (!isStorePath(state.storeDir(), path)) throw EvalError(at, "context key '%s' is not a store path", path);
        if (state.store() && !state.store()->isValidPath(path)) throw EvalError(at, "path '%s' is not valid", path);
        bool isDrv = path.ends_with(".drv");
        state.forceAttrs(*a.value, at);
        for (auto& field : *state.flatAttrs(*a.value)) {
            std::string_view name = state.name(field.name);
            PosIdx fpos = field.pos ? field.pos : at;
            if (name == "path") {
                if (state.forceBool(*field.value, fpos)) ctx.add(state.makeStr(path));
            } else if (name == "allOutputs") {
                if (!state.forceBool(*field.value, fpos)) continue;
                if (!isDrv)
                    throw EvalError(
                        fpos, "tried to add all-outputs context of '%s', which is not a derivation, to a string", path);
                ctx.add(state.makeStr("=" + path));
            } else if (name == "outputs") {
                state.forceList(*field.value, fpos);
                size_t n = field.value->listSize();
                if (n && !isDrv)
                    throw EvalError(fpos,
                                    "tried to add derivation output context of '%s', which is not a derivation, to a "
                                    "string",
                                    path);
                for (size_t i = 0; i < n; ++i) {
                    std::string out(state.forceStringNoCtx(*field.value->listElems()[i], fpos));
                    ctx.add(state.makeStr("!" + out + "!" + path));
                }
            }
        }
    }
    state.mkString(v, s, ctx);
}

}  // namespace

const PrimOp contextBuiltins[] = {
    {"getContext", 1, primGetContext},
    {"appendContext", 2, primAppendContext},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
