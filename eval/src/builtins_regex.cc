// match and split with POSIX extended regular expressions (glibc regcomp):
// Nix specifies POSIX ERE, and glibc implements its leftmost-longest rule
// directly. Compiled expressions are cached per pattern for the evaluation.
#include <regex.h>

#include <memory>
#include <unordered_map>

#include "internal.hh"

namespace cstore::eval {

namespace {

struct CompiledRegex {
    regex_t re;
    bool ok = false;
    ~CompiledRegex() {
        if (ok) regfree(&re);
    }
};

// One cache per thread: evaluation is single-threaded, and this keeps EvalState free of regex types.
const regex_t& compile(const std::string& pattern, PosIdx pos, bool anchored) {
    static thread_local std::unordered_map<std::string, std::unique_ptr<CompiledRegex>> cache;
    std::string key = (anchored ? "A" : "S") + pattern;
    auto& slot = cache[key];
    if (!slot) {
        auto c = std::make_unique<CompiledRegex>();
        // `match` must cover the whole string: wrap as ^(...)$ and skip the extra group.
        std::string full = anchored ? "^(" + pattern + ")$" : pattern;
        int rc = regcomp(&c->re, full.c_str(), REG_EXTENDED);
        if (rc != 0) {
            char msg[256];
            regerror(rc, &c->re, msg, sizeof msg);
            cache.erase(key);
            throw EvalError(pos, "invalid regular expression '%s': %s", pattern, msg);
        }
        c->ok = true;
        slot = std::move(c);
    }
    return slot->re;
}

void primMatch(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string pattern(state.forceStringNoCtx(*args[0], pos));
    ContextBuilder ctx;
    std::string s(state.forceString(*args[1], ctx, pos));
    const regex_t& re = compile(pattern, pos, true);
    size_t groups = re.re_nsub;
    std::vector<regmatch_t> m(groups + 1);
    if (regexec(&re, s.c_str(), m.size(), m.data(), 0) != 0 || static_cast<size_t>(m[0].rm_eo) != s.size()) {
        v.mkNull();
        return;
    }
    ListData* l = state.allocList(groups - 1);
    for (size_t i = 2; i <= groups; ++i) {
        Value* g = state.allocValue();
        if (m[i].rm_so < 0)
            g->mkNull();
        else
            state.mkString(*g, std::string_view(s).substr(m[i].rm_so, m[i].rm_eo - m[i].rm_so));
        l->elems[i - 2] = g;
    }
    v.mkList(l);
}

void primSplit(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string pattern(state.forceStringNoCtx(*args[0], pos));
    ContextBuilder ctx;
    std::string s(state.forceString(*args[1], ctx, pos));
    const regex_t& re = compile(pattern, pos, false);
    size_t groups = re.re_nsub;
    std::vector<regmatch_t> m(groups + 1);
    std::vector<Value*> out;
    size_t prefixStart = 0, searchFrom = 0;
    auto str = [&](std::string_view part) {
        Value* x = state.allocValue();
        state.mkString(*x, part);
        return x;
    };
    while (searchFrom <= s.size()) {
        int flags = searchFrom > 0 ? REG_NOTBOL : 0;
        if (regexec(&re, s.c_str() + searchFrom, m.size(), m.data(), flags) != 0) break;
        size_t start = searchFrom + m[0].rm_so, end = searchFrom + m[0].rm_eo;
        out.push_back(str(std::string_view(s).substr(prefixStart, start - prefixStart)));
        ListData* g = state.allocList(groups);
        for (size_t i = 1; i <= groups; ++i) {
            Value* x = state.allocValue();
            if (m[i].rm_so < 0)
                x->mkNull();
            else
                state.mkString(*x, std::string_view(s).substr(searchFrom + m[i].rm_so, m[i].rm_eo - m[i].rm_so));
            g->elems[i - 1] = x;
        }
        Value* gv = state.allocValue();
        gv->mkList(g);
        out.push_back(gv);
        prefixStart = end;
        // After an empty match, move on by one character so the loop ends.
        searchFrom = end == start ? end + 1 : end;
    }
    out.push_back(str(prefixStart <= s.size() ? std::string_view(s).substr(prefixStart) : std::string_view()));
    ListData* l = state.allocList(out.size());
    std::copy(out.begin(), out.end(), l->elems);
    v.mkList(l);
}

}  // namespace

const PrimOp regexBuiltins[] = {
    {"match", 2, primMatch},
    {"split", 2, primSplit},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
