// Allocation of values, strings and sets, type checks with their error
// messages, and the "did you mean" suggestions.
#include <algorithm>

#include "internal.hh"

namespace cstore::eval {

const char* typeName(ValueType t) {
    switch (t) {
        case ValueType::Int:
            return "int";
        case ValueType::Float:
            return "float";
        case ValueType::Bool:
            return "bool";
        case ValueType::Null:
            return "null";
        case ValueType::String:
            return "string";
        case ValueType::Path:
            return "path";
        case ValueType::Attrs:
            return "set";
        case ValueType::List:
            return "list";
        case ValueType::Lambda:
        case ValueType::PrimOp:
        case ValueType::PrimOpApp:
            return "lambda";
        default:
            return "thunk";
    }
}

const char* showType(const Value& v) {
    switch (v.type()) {
        case ValueType::Int:
            return "an integer";
        case ValueType::Float:
            return "a float";
        case ValueType::Bool:
            return "a Boolean";
        case ValueType::Null:
            return "null";
        case ValueType::String:
            return v.context() ? "a string with context" : "a string";
        case ValueType::Path:
            return "a path";
        case ValueType::Attrs:
            return "a set";
        case ValueType::List:
            return "a list";
        case ValueType::Lambda:
            return "a function";
        case ValueType::PrimOp:
            return "a built-in function";
        case ValueType::PrimOpApp:
            return "a partially applied built-in function";
        case ValueType::App:
            return "a function application";
        case ValueType::Blackhole:
            return "a black hole";
        default:
            return "a thunk";
    }
}

Bindings* EvalState::allocBindings(size_t capacity) {
    if (capacity > UINT32_MAX) throw EvalError(PosIdx{}, "attribute set too large");
    size_t bytes = 8 + sizeof(Attr) * (capacity ? capacity : 1);
    stats.bindings += bytes;
    auto* b = static_cast<Bindings*>(data_.allocate(bytes, 8));
    b->size = 0;
    b->capacity = static_cast<uint32_t>(capacity);
    return b;
}

ListData* EvalState::allocList(size_t size) {
    size_t bytes = 8 + sizeof(Value*) * (size ? size : 1);
    stats.lists += bytes;
    auto* l = static_cast<ListData*>(data_.allocate(bytes, 8));
    l->size = size;
    return l;
}

StrData* EvalState::allocStr(size_t size, char*& bytes) {
    if (size > UINT32_MAX) throw EvalError(PosIdx{}, "string of %s bytes is too long", size);
    // Header and bytes together, bytes last, so that the next append can extend them.
    stats.strings += sizeof(StrData) + size;
    auto* d = static_cast<StrData*>(strings_.allocate(sizeof(StrData) + size, alignof(StrData)));
    bytes = reinterpret_cast<char*>(d + 1);
    d->size = static_cast<uint32_t>(size);
    d->shared = false;
    return d;
}

StrData* EvalState::sharedStr(const char* bytes, size_t size) {
    if (size > UINT32_MAX) throw EvalError(PosIdx{}, "string of %s bytes is too long", size);
    stats.strings += sizeof(StrData) + sizeof(const char*);
    auto* d = static_cast<StrData*>(data_.allocate(sizeof(StrData) + sizeof(const char*), 8));
    d->size = static_cast<uint32_t>(size);
    d->shared = true;
    *reinterpret_cast<const char**>(d + 1) = bytes;
    return d;
}

StrData* EvalState::appendStr(std::string_view prefix, size_t size, char*& rest) {
    size_t more = size - prefix.size();
    if (!prefix.empty() && size <= UINT32_MAX && strings_.tryExtend(prefix.data() + prefix.size(), more)) {
        stats.strings += more;
        rest = const_cast<char*>(prefix.data()) + prefix.size();
        return sharedStr(prefix.data(), size);
    }
    char* bytes;
    StrData* d = allocStr(size, bytes);
    if (!prefix.empty()) std::memcpy(bytes, prefix.data(), prefix.size());
    rest = bytes + prefix.size();
    return d;
}

const StrData* EvalState::sliceStr(std::string_view bytes) { return sharedStr(bytes.data(), bytes.size()); }

const StrData* EvalState::makeStr(std::string_view s) {
    char* bytes;
    StrData* d = allocStr(s.size(), bytes);
    if (!s.empty()) std::memcpy(bytes, s.data(), s.size());
    return d;
}

const StringContext* EvalState::newContext(const ContextBuilder& ctx) {
    std::vector<const StrData*> elems = ctx.elems();
    std::sort(elems.begin(), elems.end(), [](auto* a, auto* b) { return a->view() < b->view(); });
    elems.erase(std::unique(elems.begin(), elems.end(), [](auto* a, auto* b) { return a->view() == b->view(); }),
                elems.end());
    auto* c = static_cast<StringContext*>(arena_.allocate(16 + sizeof(StrData*) * elems.size(), 16));
    c->size = static_cast<uint32_t>(elems.size());
    std::copy(elems.begin(), elems.end(), c->elems);
    return c;
}

const StrData* EvalState::symbolStr(Symbol s) {
    if (symbolStrs_.size() <= s.id) symbolStrs_.resize(ast_.symbols.size() + 64, nullptr);
    if (!symbolStrs_[s.id]) symbolStrs_[s.id] = makeStr(name(s));
    return symbolStrs_[s.id];
}

Bindings* EvalState::BindingsBuilder::finish() {
    std::sort(b_->attrs, b_->attrs + b_->size, [](const Attr& a, const Attr& b) { return a.name.id < b.name.id; });
    return b_;
}

void EvalState::throwTypeError(PosIdx pos, const char* expected, const Value& v) {
    throw TypeError(pos, "value is %s while %s was expected", showType(v), expected);
}

int64_t EvalState::forceInt(Value& v, PosIdx pos) {
    force(v, pos);
    if (v.type() != ValueType::Int) throwTypeError(pos, "an integer", v);
    return v.integer();
}

double EvalState::forceFloat(Value& v, PosIdx pos) {
    force(v, pos);
    if (v.type() == ValueType::Int) return static_cast<double>(v.integer());
    if (v.type() != ValueType::Float) throwTypeError(pos, "a float", v);
    return v.fpoint();
}

bool EvalState::forceBool(Value& v, PosIdx pos) {
    force(v, pos);
    if (v.type() != ValueType::Bool) throwTypeError(pos, "a Boolean", v);
    return v.boolean();
}

void EvalState::forceAttrs(Value& v, PosIdx pos) {
    force(v, pos);
    if (v.type() != ValueType::Attrs) throwTypeError(pos, "a set", v);
}

void EvalState::forceList(Value& v, PosIdx pos) {
    force(v, pos);
    if (v.type() != ValueType::List) throwTypeError(pos, "a list", v);
}

void EvalState::forceFunction(Value& v, PosIdx pos) {
    force(v, pos);
    if (!v.isFunction() && !(v.type() == ValueType::Attrs && v.attrs()->find(sym.functor)))
        throwTypeError(pos, "a function", v);
}

std::string_view EvalState::forceString(Value& v, PosIdx pos) {
    force(v, pos);
    if (v.type() != ValueType::String) throwTypeError(pos, "a string", v);
    return v.strView();
}

std::string_view EvalState::forceString(Value& v, ContextBuilder& ctx, PosIdx pos) {
    std::string_view s = forceString(v, pos);
    ctx.add(v.context());
    return s;
}

std::string_view EvalState::forceStringNoCtx(Value& v, PosIdx pos) {
    std::string_view s = forceString(v, pos);
    if (const StringContext* c = v.context()) {
        std::string_view e = c->elems[0]->view();
        std::string what;
        if (e.starts_with("=")) {
            what = format("the derivation '%s'", e.substr(1));
        } else if (e.starts_with("!")) {
            size_t bang = e.find('!', 1);
            what = format("the output '%s' of '%s'", e.substr(1, bang - 1), e.substr(bang + 1));
        } else {
            what = format("'%s'", e);
        }
        throw EvalError(pos, "the string '%s' is not allowed to refer to a store path (it refers to %s)", s, what);
    }
    return s;
}

bool EvalState::isDerivation(Value& v) {
    if (v.type() != ValueType::Attrs) return false;
    const Attr* t = v.attrs()->find(sym.type);
    if (!t) return false;
    force(*t->value, t->pos);
    return t->value->type() == ValueType::String && t->value->strView() == "derivation";
}

namespace {
size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::vector<std::string> suggestions(std::string_view wrong, const std::vector<std::string_view>& candidates) {
    std::vector<std::pair<size_t, std::string_view>> scored;
    size_t limit = std::max<size_t>(2, wrong.size() / 3);
    for (auto c : candidates) {
        size_t d = editDistance(wrong, c);
        if (d <= limit) scored.emplace_back(d, c);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (size_t i = 0; i < scored.size() && i < 3; ++i) out.emplace_back(scored[i].second);
    return out;
}

void EvalState::throwMissingAttr(PosIdx pos, Symbol s, const Bindings* attrs) {
    std::vector<std::string_view> names;
    if (attrs)
        for (auto& a : *flat(attrs)) names.push_back(name(a.name));
    auto hint = suggestions(name(s), names);
    std::string msg = "attribute '" + std::string(name(s)) + "' missing";
    if (!hint.empty()) {
        msg += "; did you mean ";
        for (size_t i = 0; i < hint.size(); ++i)
            msg += (i ? (i + 1 == hint.size() ? " or '" : ", '") : "'") + hint[i] + "'";
        msg += "?";
    }
    throw EvalError(pos, "%s", msg);
}

std::vector<const Attr*> sortedByName(EvalState& state, const Bindings* b) {
    b = state.flat(b);
    // Sort by the names' first 8 bytes as a big-endian integer, comparing whole
    // names only on ties: large sets of similar names sort several times faster.
    struct Keyed {
        uint64_t prefix;
        const Attr* attr;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(b->size);
    for (auto& a : *b) {
        std::string_view n = state.name(a.name);
        uint64_t prefix = 0;
        for (size_t i = 0; i < 8; ++i) prefix = (prefix << 8) | (i < n.size() ? static_cast<unsigned char>(n[i]) : 0);
        keyed.push_back({prefix, &a});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& x, const Keyed& y) {
        if (x.prefix != y.prefix) return x.prefix < y.prefix;
        return state.name(x.attr->name) < state.name(y.attr->name);
    });
    std::vector<const Attr*> out;
    out.reserve(keyed.size());
    for (auto& k : keyed) out.push_back(k.attr);
    return out;
}

}  // namespace cstore::eval
