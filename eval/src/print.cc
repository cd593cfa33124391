#include "cstore/eval/print.hh"

#include <array>
#include <span>
#include <unordered_set>

#include "cstore/lang/source.hh"
#include "internal.hh"

namespace cstore::eval {

std::string quoteString(std::string_view s) {
    std::string out = "\"";
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"' || c == '\\')
            out += '\\', out += c;
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c == '$' && i + 1 < s.size() && s[i + 1] == '{')
            out += "\\$";
        else
            out += c;
    }
    return out + '"';
}

std::string printAttrName(std::string_view name) {
    bool ident = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name)
        ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'' || c == '-');
    static const std::string_view keywords[] = {"if",  "then", "else", "assert",  "with",
                                                "let", "in",   "rec",  "inherit", "or"};
    for (auto k : keywords)
        if (name == k) ident = false;
    return ident ? std::string(name) : quoteString(name);
}

namespace {

class Printer {
public:
    explicit Printer(EvalState& state) : state_(state) {}

    void print(const Value& v, const void* identity) {
        state_.checkStack();
        switch (v.type()) {
            case ValueType::Int:
                out += std::to_string(v.integer());
                return;
            case ValueType::Float:
                out += formatFloat(v.fpoint());
                return;
            case ValueType::Bool:
                out += v.boolean() ? "true" : "false";
                return;
            case ValueType::Null:
                out += "null";
                return;
            case ValueType::String:
                out += quoteString(v.strView());
                return;
            case ValueType::Path:
                out += v.strView();
                return;
            case ValueType::Attrs: {
                const Bindings* b = state_.flat(v.attrs());
                if (!b->empty() && !seen_.insert(b).second) {
                    out += "«repeated»";
                    return;
                }
                out += "{ ";
                for (const Attr* a : sortedByName(state_, b)) {
                    out += printAttrName(state_.name(a->name));
                    out += " = ";
                    print(*a->value, a->value);
                    out += "; ";
                }
                out += "}";
                return;
            }
            case ValueType::List: {
                size_t n = v.listSize();
                // Nix keeps lists of one or two elements inside the value itself,
                // so their identity is the value's; longer ones share an array.
                const void* key = n <= 2 ? identity : static_cast<const void*>(v.list());
                if (n && !seen_.insert(key).second) {
                    out += "«repeated»";
                    return;
                }
                out += "[ ";
                for (size_t i = 0; i < n; ++i) {
                    print(*v.listElems()[i], v.listElems()[i]);
                    out += ' ';
                }
                out += "]";
                return;
            }
            case ValueType::Lambda:
                out += "<LAMBDA>";
                return;
            case ValueType::PrimOp:
                out += "<PRIMOP>";
                return;
            case ValueType::PrimOpApp:
                out += "<PRIMOP-APP>";
                return;
            default:
                out += "<CODE>";
                return;
        }
    }

    std::string out;

private:
    EvalState& state_;
    std::unordered_set<const void*> seen_;
};

}  // namespace

std::string printValue(EvalState& state, Value v) {
    Printer p(state);
    p.print(v, &v);
    return p.out;
}

namespace {
// Bytes that JSON strings must escape: control characters, '"' and '\\'.
constexpr auto jsonEscaped = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = true;
    t['"'] = t['\\'] = true;
    return t;
}();

void appendJSONString(std::string& out, std::string_view s) {
    out += '"';
    size_t run = 0;  // start of the current run of characters that need no escape
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (!jsonEscaped[c]) [[likely]]
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default: {
                char buf[8];
                snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}
}  // namespace

std::string escapeJSON(std::string_view s) {
    std::string out;
    appendJSONString(out, s);
    return out;
}

namespace {
void toJSON(EvalState& state, Value& v, ContextBuilder& ctx, PosIdx pos, bool copyToStore, std::string& out) {
    state.force(v, pos);
    state.checkStack();
    switch (v.type()) {
        case ValueType::Int:
            out += std::to_string(v.integer());
            return;
        case ValueType::Float:
            out += formatFloat(v.fpoint());
            return;
        case ValueType::Bool:
            out += v.boolean() ? "true" : "false";
            return;
        case ValueType::Null:
            out += "null";
            return;
        case ValueType::String:
            ctx.add(v.context());
            appendJSONString(out, v.strView());
            return;
        case ValueType::Path:
            out += escapeJSON(copyToStore ? state.copyPathToStore(std::string(v.strView()), ctx, pos)
                                          : std::string(v.strView()));
            return;
        case ValueType::Attrs: {
            Bindings* b = v.attrs();
            if (b->find(state.sym.toString)) {
                out += escapeJSON(state.coerceToString(v, ctx, pos, false, copyToStore));
                return;
            }
            if (const Attr* o = b->find(state.sym.outPath)) return toJSON(state, *o->value, ctx, pos, copyToStore, out);
            out += '{';
            bool first = true;
            b = state.flat(b);
            // Most sets in JSON are small; one attribute needs no sorting (nor a vector).
            const Attr* only = &b->attrs[0];
            std::vector<const Attr*> sorted;
            if (b->size > 1) sorted = sortedByName(state, b);
            for (const Attr* a : b->size == 1 ? std::span<const Attr* const>(&only, 1) : std::span(sorted)) {
                if (!first) out += ',';
                first = false;
                appendJSONString(out, state.name(a->name));
                out += ':';
                CallFrameGuard frame(a->pos, FrameKind::Attribute,
                                     reinterpret_cast<const void*>(uintptr_t(a->name.id)));
                toJSON(state, *a->value, ctx, a->pos, copyToStore, out);
            }
            out += '}';
            return;
        }
        case ValueType::List: {
            out += '[';
            for (size_t i = 0; i < v.listSize(); ++i) {
                if (i) out += ',';
                toJSON(state, *v.listElems()[i], ctx, pos, copyToStore, out);
            }
            out += ']';
            return;
        }
        default:
            throw TypeError(pos, "cannot convert %s to JSON", showType(v));
    }
}
}  // namespace

std::string valueToJSON(EvalState& state, Value& v, ContextBuilder& ctx, PosIdx pos, bool copyToStore) {
    std::string out;
    out.reserve(64);  // most results are small: one allocation instead of several
    toJSON(state, v, ctx, pos, copyToStore, out);
    return out;
}

namespace {
std::string describeFrame(EvalState& state, const TraceFrame& f) {
    switch (f.kind) {
        case FrameKind::Lambda: {
            auto* lam = static_cast<const ExprLambda*>(f.subject);
            return lam->name ? "while calling '" + std::string(state.name(lam->name)) + "'"
                             : std::string("while calling anonymous lambda");
        }
        case FrameKind::Builtin:
            return format("while calling the '%s' builtin", static_cast<const PrimOp*>(f.subject)->name);
        case FrameKind::Attribute:
            return format("while evaluating the attribute '%s'",
                          state.name(Symbol{static_cast<uint32_t>(reinterpret_cast<uintptr_t>(f.subject))}));
        case FrameKind::Import:
            return format("while importing '%s'", f.message);
        case FrameKind::Message:
            return f.message;
    }
    return f.message;
}
}  // namespace

std::string formatEvalError(EvalState& state, const EvalError& e, bool showTrace) {
    std::string out = e.message() + "\n";
    auto where = [&](lang::PosIdx pos) {
        std::string s;
        if (!pos) return s;
        s += "       at " + state.describePos(pos) + ":\n";
        s += lang::renderSnippet(state.positions(), pos, 12);
        return s;
    };
    out += where(e.pos);
    std::vector<std::pair<std::string, lang::PosIdx>> lines;
    for (const TraceFrame& f : e.frames) {
        // `throw` and `abort` are where the error starts, not context for it.
        if (f.kind == FrameKind::Builtin) {
            auto* op = static_cast<const PrimOp*>(f.subject);
            std::string_view n = op->name;
            if (n == "throw" || n == "abort" || op->hidden) continue;
        }
        lines.emplace_back(describeFrame(state, f), f.pos);
    }
    size_t shown = 0, limit = showTrace ? SIZE_MAX : 3;
    // Consecutive identical frames (deep recursion) are folded into one line.
    for (size_t i = 0; i < lines.size(); ++i) {
        size_t repeat = 1;
        while (i + repeat < lines.size() && lines[i + repeat] == lines[i]) ++repeat;
        if (shown < limit) {
            out += "       … " + lines[i].first;
            if (repeat > 1)
                out += format(" (%s%s times)", repeat, e.truncated && i + repeat == lines.size() ? "+" : "");
            out += "\n";
            if (showTrace)
                out += where(lines[i].second);
            else if (lines[i].second)
                out += "         at " + state.describePos(lines[i].second) + "\n";
        }
        ++shown;
        i += repeat - 1;
    }
    if (shown > limit) out += format("       (%s more frames hidden; use --show-trace to see them)\n", shown - limit);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace cstore::eval
