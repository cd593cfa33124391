// String builtins. Each keeps the context of its inputs where the result
// still contains them (substring, concatStringsSep, replaceStrings, ...).
#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>

#include "cstore/util/hash.hh"
#include "internal.hh"

namespace cstore::eval {

namespace {

void primToString(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    if (args[0]->type() == ValueType::String) {
        v = *args[0];  // strings never change: the same bytes and context
        return;
    }
    if (args[0]->type() == ValueType::Int) {
        char digits[24];
        char* end = std::to_chars(digits, digits + sizeof digits, args[0]->integer()).ptr;
        state.mkString(v, std::string_view(digits, end - digits));
        return;
    }
    ContextBuilder ctx;
    std::string s = state.coerceToString(*args[0], ctx, pos, true, false);
    state.mkString(v, s, ctx);
}

void primStringLength(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    if (args[0]->type() == ValueType::String) {
        v.mkInt(static_cast<int64_t>(args[0]->str()->size));
        return;
    }
    ContextBuilder ctx;
    v.mkInt(static_cast<int64_t>(state.coerceToString(*args[0], ctx, pos, false, true).size()));
}

void primSubstring(EvalState& state, PosIdx pos, Value** args, Value& v) {
    int64_t start = state.forceInt(*args[0], pos);
    int64_t len = state.forceInt(*args[1], pos);
    state.force(*args[2], pos);
    if (args[2]->type() == ValueType::String) {
        // The result shares the string's bytes (they never change) and its context.
        if (start < 0) throw EvalError(pos, "negative start position in 'substring'");
        std::string_view s = args[2]->strView();
        size_t from = std::min(static_cast<size_t>(start), s.size());
        size_t n = len < 0 ? std::string_view::npos : static_cast<size_t>(len);
        v.mkString(state.sliceStr(s.substr(from, n)), args[2]->context());
        return;
    }
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
    // Two passes: force and measure, then copy into the result. Strings are
    // read in place; only elements coerced to strings (paths, sets with
    // outPath, ...) are kept aside, in order.
    size_t n = args[1]->listSize();
    Value** elems = args[1]->listElems();
    std::vector<std::string> coerced;
    size_t total = n ? sep.size() * (n - 1) : 0;
    for (size_t i = 0; i < n; ++i) {
        Value& elem = *elems[i];
        state.force(elem, pos);
        if (elem.type() == ValueType::String) {
            ctx.add(elem.context());
            total += elem.str()->size;
        } else {
            coerced.push_back(state.coerceToString(elem, ctx, pos, false, true));
            total += coerced.back().size();
        }
    }
    char* p;
    StrData* out = state.allocStr(total, p);
    size_t nextCoerced = 0;
    for (size_t i = 0; i < n; ++i) {
        if (i && !sep.empty()) p = static_cast<char*>(std::memcpy(p, sep.data(), sep.size())) + sep.size();
        std::string_view piece =
            elems[i]->type() == ValueType::String ? elems[i]->strView() : std::string_view(coerced[nextCoerced++]);
        if (!piece.empty()) p = static_cast<char*>(std::memcpy(p, piece.data(), piece.size())) + piece.size();
    }
    v.mkString(out, state.makeContext(ctx));
}

void primReplaceStrings(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    state.forceList(*args[1], pos);
    if (args[0]->listSize() != args[1]->listSize())
        throw EvalError(pos, "'from' and 'to' arguments to 'replaceStrings' have different lengths");
    size_t n = args[0]->listSize();
    std::vector<std::string_view> from;
    from.reserve(n);
    for (size_t i = 0; i < n; ++i) from.push_back(state.forceString(*args[0]->listElems()[i], pos));
    // Every replacement is forced (as Nix 2.8 does), but its context is added only where it is used.
    std::vector<std::string_view> to(n);
    for (size_t i = 0; i < n; ++i) to[i] = state.forceString(*args[1]->listElems()[i], pos);
    std::vector<bool> toUsed(n, false);
    ContextBuilder ctx;
    std::string_view s = state.forceString(*args[2], ctx, pos);
    // Which first bytes can start a match at all (an empty pattern matches anywhere).
    bool starts[256] = {};
    bool anyEmpty = false;
    for (auto f : from) {
        if (f.empty())
            anyEmpty = true;
        else
            starts[static_cast<unsigned char>(f[0])] = true;
    }
    // Runs the replacement, passing the output's pieces to `emit`: once to
    // measure, once to copy into the result, so the text is not built in a
    // temporary first.
    auto useReplacement = [&](size_t i) {
        if (!toUsed[i]) {
            ctx.add(args[1]->listElems()[i]->context());
            toUsed[i] = true;
        }
    };
    auto run = [&](auto&& emit) {
        if (!anyEmpty) {
            // Unchanged bytes, including candidates that match no pattern, are
            // passed on in runs between the matches.
            size_t copied = 0;  // s[copied, p) is still to be emitted unchanged
            for (size_t p = 0; p < s.size();) {
                if (!starts[static_cast<unsigned char>(s[p])]) {
                    ++p;
                    continue;
                }
                size_t i = 0;
                while (i < n && s.compare(p, from[i].size(), from[i]) != 0) ++i;
                if (i == n) {
                    ++p;
                    continue;
                }
                emit(s.substr(copied, p - copied));
                useReplacement(i);
                emit(to[i]);
                p += from[i].size();
                copied = p;
            }
            emit(s.substr(copied));
            return;
        }
        // An empty pattern matches at every position, also at the end.
        for (size_t p = 0; p <= s.size();) {
            bool found = false;
            for (size_t i = 0; i < n; ++i) {
                if (s.compare(p, from[i].size(), from[i]) != 0) continue;
                found = true;
                useReplacement(i);
                emit(to[i]);
                if (from[i].empty()) {
                    if (p < s.size()) emit(s.substr(p, 1));
                    ++p;
                } else {
                    p += from[i].size();
                }
                break;
            }
            if (!found) {
                if (p < s.size()) emit(s.substr(p, 1));
                ++p;
            }
        }
    };
    size_t total = 0;
    run([&](std::string_view piece) { total += piece.size(); });
    char* out;
    StrData* result = state.allocStr(total, out);
    run([&](std::string_view piece) {
        if (!piece.empty()) out = static_cast<char*>(std::memcpy(out, piece.data(), piece.size())) + piece.size();
    });
    v.mkString(result, state.makeContext(ctx));
}

void primUnsafeDiscardStringContext(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    if (args[0]->type() == ValueType::String) {
        v.mkString(args[0]->str());
        return;
    }
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
    {"toString", 1, primToString, false, true},
    {"stringLength", 1, primStringLength, false, true},
    {"substring", 3, primSubstring, false, true},
    {"concatStringsSep", 2, primConcatStringsSep},
    {"replaceStrings", 3, primReplaceStrings},
    {"unsafeDiscardStringContext", 1, primUnsafeDiscardStringContext},
    {"hasContext", 1, primHasContext},
    {"hashString", 2, primHashString},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
