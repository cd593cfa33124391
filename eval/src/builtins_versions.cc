// Version strings: splitVersion, compareVersions, parseDrvName. Components
// are runs of digits or of other non-separator characters; "pre" sorts
// before anything, numbers compare numerically, "2.3a" < "2.3.1".
#include "internal.hh"

namespace cstore::eval {

namespace {

std::string_view nextComponent(std::string_view& s) {
    size_t i = 0;
    while (i < s.size() && (s[i] == '.' || s[i] == '-')) ++i;
    size_t start = i;
    if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    else
        while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.' && s[i] != '-') ++i;
    std::string_view c = s.substr(start, i - start);
    s.remove_prefix(i);
    return c;
}

bool asNumber(std::string_view c, long long& out) {
    if (c.empty() || c.size() > 18) return false;
    out = 0;
    for (char ch : c) {
        if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
        out = out * 10 + (ch - '0');
    }
    return true;
}

bool componentLess(std::string_view a, std::string_view b) {
    long long na, nb;
    bool aNum = asNumber(a, na), bNum = asNumber(b, nb);
    if (aNum && bNum) return na < nb;
    if (a.empty() && bNum) return true;
    if (a == "pre" && b != "pre") return true;
    if (b == "pre") return false;
    if (bNum) return true;
    if (aNum) return false;
    return a < b;
}

int compareVersionStrings(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        std::string_view ca = nextComponent(a), cb = nextComponent(b);
        if (componentLess(ca, cb)) return -1;
        if (componentLess(cb, ca)) return 1;
    }
    return 0;
}

void primCompareVersions(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string a(state.forceStringNoCtx(*args[0], pos));
    std::string b(state.forceStringNoCtx(*args[1], pos));
    v.mkInt(compareVersionStrings(a, b));
}

void primSplitVersion(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string s(state.forceStringNoCtx(*args[0], pos));
    std::string_view rest(s);
    std::vector<std::string_view> parts;
    while (!rest.empty()) {
        std::string_view c = nextComponent(rest);
        if (c.empty()) break;
        parts.push_back(c);
    }
    ListData* l = state.allocList(parts.size());
    for (size_t i = 0; i < parts.size(); ++i) {
        l->elems[i] = state.allocValue();
        state.mkString(*l->elems[i], parts[i]);
    }
    v.mkList(l);
}

void primParseDrvName(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string s(state.forceStringNoCtx(*args[0], pos));
    std::string name = s, version;
    // The version starts at the first dash that is not followed by a letter.
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i] == '-' && i + 1 < s.size() && !std::isalpha(static_cast<unsigned char>(s[i + 1]))) {
            name = s.substr(0, i);
            version = s.substr(i + 1);
            break;
        }
    auto b = state.buildBindings(2);
    state.mkString(*b.alloc(state.sym.name), name);
    state.mkString(*b.alloc("version"), version);
    v.mkAttrs(b.finish());
}

}  // namespace

const PrimOp versionBuiltins[] = {
    {"compareVersions", 2, primCompareVersions},
    {"splitVersion", 1, primSplitVersion},
    {"parseDrvName", 1, primParseDrvName},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
