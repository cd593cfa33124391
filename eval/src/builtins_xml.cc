// builtins.toXML: a value as the XML document Nix writes (the format of
// `nix-instantiate --eval --xml`), indented two spaces per level, attribute
// names sorted, every value forced. Derivations are written once; later
// occurrences are <repeated />.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "internal.hh"

namespace cstore::eval {

namespace {

using XmlAttrs = std::map<std::string, std::string>;  // written in name order

class XmlWriter {
public:
    explicit XmlWriter(std::string& out) : out_(out) { out_ += "<?xml version='1.0' encoding='utf-8'?>\n"; }
    void open(std::string_view name, const XmlAttrs& attrs = {}) {
        start(name, attrs);
        out_ += ">\n";
        ++depth_;
    }
    void close(std::string_view name) {
        --depth_;
        out_.append(depth_ * 2, ' ');
        out_ += "</";
        out_ += name;
        out_ += ">\n";
    }
    void empty(std::string_view name, const XmlAttrs& attrs = {}) {
        start(name, attrs);
        out_ += " />\n";
    }

private:
    void start(std::string_view name, const XmlAttrs& attrs) {
        out_.append(depth_ * 2, ' ');
        out_ += '<';
        out_ += name;
        for (auto& [key, value] : attrs) {
            out_ += ' ';
            out_ += key;
            out_ += "=\"";
            for (char c : value) {
                switch (c) {
                    case '"':
                        out_ += "&quot;";
                        break;
                    case '<':
                        out_ += "&lt;";
                        break;
                    case '>':
                        out_ += "&gt;";
                        break;
                    case '&':
                        out_ += "&amp;";
                        break;
                    case '\n':
                        out_ += "&#xA;";
                        break;
                    default:
                        out_ += c;
                }
            }
            out_ += '"';
        }
    }
    std::string& out_;
    size_t depth_ = 0;
};

class ToXml {
public:
    ToXml(EvalState& state, XmlWriter& doc, ContextBuilder& ctx) : state_(state), doc_(doc), ctx_(ctx) {}

    void value(Value& v, PosIdx pos) {
        state_.force(v, pos);
        switch (v.type()) {
            case ValueType::Int:
                doc_.empty("int", {{"value", std::to_string(v.integer())}});
                break;
            case ValueType::Float:
                doc_.empty("float", {{"value", formatFloat(v.fpoint())}});
                break;
            case ValueType::Bool:
                doc_.empty("bool", {{"value", v.boolean() ? "true" : "false"}});
                break;
            case ValueType::Null:
                doc_.empty("null");
                break;
            case ValueType::String:
                ctx_.add(v.context());
                doc_.empty("string", {{"value", std::string(v.strView())}});
                break;
            case ValueType::Path:
                doc_.empty("path", {{"value", std::string(v.strView())}});
                break;
            case ValueType::List:
                doc_.open("list");
                for (size_t i = 0; i < v.listSize(); ++i) value(*v.listElems()[i], pos);
                doc_.close("list");
                break;
            case ValueType::Attrs:
                if (state_.isDerivation(v))
                    derivation(v, pos);
                else {
                    doc_.open("attrs");
                    attrs(v);
                    doc_.close("attrs");
                }
                break;
            case ValueType::Lambda:
                lambda(*v.lambda());
                break;
            default:  // builtins and partial applications of them
                doc_.empty("unevaluated");
        }
    }

private:
    void attrs(Value& v) {
        Bindings* b = state_.flatAttrs(v);
        std::vector<const Attr*> sorted;
        for (auto& a : *b) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(),
                  [&](const Attr* x, const Attr* y) { return state_.name(x->name) < state_.name(y->name); });
        for (const Attr* a : sorted) {
            doc_.open("attr", {{"name", std::string(state_.name(a->name))}});
            value(*a->value, a->pos);
            doc_.close("attr");
        }
    }

    void derivation(Value& v, PosIdx pos) {
        XmlAttrs xml;
        std::string drvPath;
        for (auto [sym, key] : {std::pair{state_.sym.drvPath, "drvPath"}, std::pair{state_.sym.outPath, "outPath"}}) {
            const Attr* a = v.attrs()->find(sym);
            if (!a) continue;
            state_.force(*a->value, a->pos ? a->pos : pos);
            if (a->value->type() != ValueType::String) continue;
            xml[key] = std::string(a->value->strView());
            if (sym == state_.sym.drvPath) drvPath = xml[key];
        }
        doc_.open("derivation", xml);
        if (!drvPath.empty() && seen_.insert(drvPath).second)
            attrs(v);
        else
            doc_.empty("repeated");
        doc_.close("derivation");
    }

    void lambda(const lang::ExprLambda& fun) {
        doc_.open("function");
        if (fun.hasFormals) {
            XmlAttrs xml;
            if (fun.arg) xml["name"] = std::string(state_.name(fun.arg));
            if (fun.ellipsis) xml.emplace("ellipsis", "1");
            doc_.open("attrspat", xml);
            std::vector<std::string> names;
            for (auto& f : fun.formals) names.emplace_back(state_.name(f.name));
            std::sort(names.begin(), names.end());
            for (auto& n : names) doc_.empty("attr", {{"name", n}});
            doc_.close("attrspat");
        } else {
            doc_.empty("varpat", {{"name", std::string(state_.name(fun.arg))}});
        }
        doc_.close("function");
    }

    EvalState& state_;
    XmlWriter& doc_;
    ContextBuilder& ctx_;
    std::set<std::string> seen_;
};

void primToXML(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string out;
    ContextBuilder ctx;
    {
        XmlWriter doc(out);
        doc.open("expr");
        ToXml(state, doc, ctx).value(*args[0], pos);
        doc.close("expr");
    }
    state.mkString(v, out, ctx);
}

}  // namespace

const PrimOp xmlBuiltins[] = {
    {"toXML", 1, primToXML},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
