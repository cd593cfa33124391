// String builtins. Each keeps the context of its inputs where the result
// still contains them (substring, concatStringsSep, replaceStrings, ...).
#include <cstring>
#include <deque>

#include "cstore/util/hash.hh"
#include "internal.hh"

namespace cstore::eval {

namespace {

void primToString(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string s = state.coerceToString(*args[0], ctx, pos, true, false);
    state.mkString(v, s, ctx);
}

void primStringLength(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    v.mkInt(static_cast<int64_t>(state.coerceToString(*args[0], ctx, pos, false, true).size()));
}

void primSubstring(EvalState& state, PosIdx pos, Value** args, Value& v) {
    int64_t start = state.forceInt(*args[0], pos);
    int64_t len = state.forceInt(*args[1], pos);
    ContextBuilder ctx;
    std::string s = state.coerceToString(*args[2], ctx, pos, false, true);
    if (start < 0) throw EvalError(pos, "negative start position in 'substring'");
    size_t from = static_cast<size_t>(start);
    if (from >= s.size()) {
        state.mkString(v, "", ctx);
        return;
    }
    size_t n = len < 0 ? std::string::npos : static_cast<size_t>(len);
    state.mkString(v, std::string_view(s).substr(from, n), ctx);
}

void primConcatStringsSep(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string_view sep = state.forceString(*args[0], ctx, pos);
    state.forceList(*args[1], pos);
    // Views of the pieces (coerced ones kept in `owned`), then one copy into the result.
    size_t n = args[1]->listSize();
    std::vector<std::string_view> pieces;
    pieces.reserve(n);
    std::vector<std::string> owned;  // reserved for all elements on first use: views stay valid
    size_t total = n ? sep.size() * (n - 1) : 0;
    for (size_t i = 0; i < n; ++i) {
        Value& elem = *args[1]->listElems()[i];
        state.force(elem, pos);
        if (elem.type() == ValueType::String) {
            ctx.add(elem.context());
            pieces.push_back(elem.strView());
        } else {
            if (owned.empty()) owned.reserve(n);
            owned.push_back(state.coerceToString(elem, ctx, pos, false, true));
            pieces.push_back(owned.back());
        }
        total += pieces.back().size();
    }
    char* p;
    StrData* out = state.allocStr(total, p);
    for (size_t i = 0; i < n; ++i) {
        if (i && !sep.empty()) p = static_cast<char*>(std::memcpy(p, sep.data(), sep.size())) + sep.size();
        if (!pieces[i].empty())
            p = static_cast<char*>(std::memcpy(p, pieces[i].data(), pieces[i].size())) + pieces[i].size();
    }
    v.mkString(out, state.makeContext(ctx));
}

void primReplaceStrings(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    state.forceList(*args[1], pos);
    if (args[0]->listSize() != args[1]->listSize())
        throw EvalError(pos, "'from' and 'to' arguments to 'replaceStrings' have different lengths");
    size_t n = args[0]->listSize();
    std::vector<std::string> from;
    from.reserve(n);
    for (size_t i = 0; i < n; ++i) from.emplace_back(state.forceString(*args[0]->listElems()[i], pos));
    // Replacements are forced only when used.
    std::vector<std::string> to(n);
    std::vector<bool> toForced(n, false);
    ContextBuilder ctx;
    std::string_view s = state.forceString(*args[2], ctx, pos);
    std::string out;
    out.reserve(s.size());
    // Which first bytes can start a match at all (an empty pattern matches anywhere).
    bool starts[256] = {};
    bool anyEmpty = false;
    for (auto& f : from) {
        if (f.empty())
            anyEmpty = true;
        else
            starts[static_cast<unsigned char>(f[0])] = true;
    }
    for (size_t p = 0; p <= s.size();) {
        if (!anyEmpty && p < s.size() && !starts[static_cast<unsigned char>(s[p])]) {
            out += s[p++];
            continue;
        }
        bool found = false;
        for (size_t i = 0; i < n; ++i) {
            if (s.compare(p, from[i].size(), from[i]) != 0) continue;
            found = true;
            if (!toForced[i]) {
                to[i] = state.forceString(*args[1]->listElems()[i], ctx, pos);
                toForced[i] = true;
            }
            out += to[i];
            if (from[i].empty()) {
                if (p < s.size()) out += s[p];
                ++p;
            } else {
                p += from[i].size();
            }
            break;
        }
        if (!found) {
            if (p < s.size()) out += s[p];
            ++p;
        }
    }
    state.mkString(v, out, ctx);
}

void primUnsafeDiscardStringContext(EvalState& state, PosIdx pos, Value** args, Value& v) {
    ContextBuilder ctx;
    std::string s = state.coerceToString(*args[0], ctx, pos, false, true);
    state.mkString(v, s);
}

void primHasContext(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceString(*args[0], pos);
    v.mkBool(args[0]->context() != nullptr);
}

void primHashString(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string_view algoName = state.forceStringNoCtx(*args[0], pos);
    auto algo = parseHashAlgo(algoName);
    if (!algo) throw EvalError(pos, "unknown hash algorithm '%s'", algoName);
    ContextBuilder ctx;
    std::string_view s = state.forceString(*args[1], ctx, pos);
    state.mkString(v, hashString(*algo, s).encode(HashFormat::base16));
}

}  // namespace

const PrimOp stringBuiltins[] = {
    {"toString", 1, primToString},
    {"stringLength", 1, primStringLength},
    {"substring", 3, primSubstring},
    {"concatStringsSep", 2, primConcatStringsSep},
    {"replaceStrings", 3, primReplaceStrings},
    {"unsafeDiscardStringContext", 1, primUnsafeDiscardStringContext},
    {"hasContext", 1, primHasContext},
    {"hashString", 2, primHashString},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
