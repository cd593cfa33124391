// builtins.fetchurl and builtins.fetchTarball: downloads made while
// evaluating (unlike the fetchurl of the standard library, a fixed-output
// derivation fetched while building). The store does the work (EvalStore::fetch).
#include "internal.hh"

namespace cstore::eval {

std::string EvalStore::fetch(const FetchRequest& request) {
    throw Error("cannot fetch '%s': this evaluation has no store to download into", request.url);
}

namespace {

std::string urlBaseName(const std::string& url) {
    std::string path = url.substr(0, url.find_first_of("?#"));
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The argument is a URL, or { url; sha256 or hash; name; }.
EvalStore::FetchRequest readRequest(EvalState& state, PosIdx pos, Value& arg, const char* what) {
    EvalStore::FetchRequest r;
    state.force(arg, pos);
    if (arg.type() == ValueType::Attrs) {
        for (auto& a : *state.flatAttrs(arg)) {
            std::string_view n = state.name(a.name);
            if (n == "url")
                r.url = state.forceStringNoCtx(*a.value, pos);
            else if (n == "sha256" || n == "hash")
                r.expectedHash = state.forceStringNoCtx(*a.value, pos);
            else if (n == "name")
                r.name = state.forceStringNoCtx(*a.value, pos);
            else
                throw EvalError(pos, "unsupported argument '%s' to '%s'", n, what);
        }
        if (r.url.empty()) throw EvalError(pos, "'url' argument required by '%s'", what);
    } else {
        r.url = state.forceStringNoCtx(arg, pos);
    }
    return r;
}

void finish(EvalState& state, PosIdx pos, EvalStore::FetchRequest request, Value& v, const char* what) {
    if (!state.store()) throw EvalError(pos, "'%s' needs a store, and none is available here", what);
    std::string path;
    try {
        path = state.store()->fetch(request);
    } catch (EvalError&) {
        throw;
    } catch (Error& e) {
        throw EvalError(pos, "%s", e.message());
    }
    ContextBuilder ctx;
    ctx.add(state.makeStr(path));
    state.mkString(v, path, ctx);
}

void primFetchurl(EvalState& state, PosIdx pos, Value** args, Value& v) {
    auto r = readRequest(state, pos, *args[0], "fetchurl");
    if (r.name.empty()) r.name = urlBaseName(r.url);
    if (r.name.empty()) throw EvalError(pos, "cannot name the download of '%s' after its URL: give a 'name'", r.url);
    finish(state, pos, std::move(r), v, "fetchurl");
}

void primFetchTarball(EvalState& state, PosIdx pos, Value** args, Value& v) {
    auto r = readRequest(state, pos, *args[0], "fetchTarball");
    if (r.name.empty()) r.name = "source";
    r.unpack = true;
    finish(state, pos, std::move(r), v, "fetchTarball");
}

}  // namespace

const PrimOp fetchBuiltins[] = {
    {"fetchurl", 1, primFetchurl},
    {"fetchTarball", 1, primFetchTarball},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
