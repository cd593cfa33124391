// showExpr: a canonical, fully parenthesised rendering of the AST. Tests
// compare it with expected text to pin down precedence and desugaring.
#include <sstream>

#include "cstore/lang/ast.hh"

namespace cstore::lang {

namespace {

void showString(std::ostream& out, std::string_view s) {
    out << '"';
    for (char c : s) {
        if (c == '"' || c == '\\')
            out << '\\' << c;
        else if (c == '\n')
            out << "\\n";
        else if (c == '\r')
            out << "\\r";
        else if (c == '\t')
            out << "\\t";
        else if (c == '$')
            out << "\\$";
        else
            out << c;
    }
    out << '"';
}

class Shower {
public:
    Shower(const SymbolTable& symbols, std::ostream& out) : symbols_(symbols), out_(out) {}

    void show(const Expr* e) {
        switch (e->kind) {
            case ExprKind::Int:
                out_ << static_cast<const ExprInt*>(e)->value;
                return;
            case ExprKind::Float:
                out_ << static_cast<const ExprFloat*>(e)->value;
                return;
            case ExprKind::String:
                showString(out_, static_cast<const ExprString*>(e)->value);
                return;
            case ExprKind::Path:
                out_ << static_cast<const ExprPath*>(e)->value;
                return;
            case ExprKind::CurPos:
                out_ << "__curPos";
                return;
            case ExprKind::Var:
                out_ << symbols_.name(static_cast<const ExprVar*>(e)->name);
                return;
            case ExprKind::Select: {
                auto* s = static_cast<const ExprSelect*>(e);
                out_ << '(';
                show(s->subject);
                out_ << ").";
                showPath(s->path);
                if (s->fallback) {
                    out_ << " or ";
                    show(s->fallback);
                }
                return;
            }
            case ExprKind::HasAttr: {
                auto* s = static_cast<const ExprHasAttr*>(e);
                out_ << "((";
                show(s->subject);
                out_ << ") ? ";
                showPath(s->path);
                out_ << ')';
                return;
            }
            case ExprKind::Attrs: {
                auto* a = static_cast<const ExprAttrs*>(e);
                out_ << (a->recursive ? "rec { " : "{ ");
                showBinds(*a);
                out_ << '}';
                return;
            }
            case ExprKind::List: {
                out_ << "[ ";
                for (auto* x : static_cast<const ExprList*>(e)->elems) {
                    show(x);
                    out_ << ' ';
                }
                out_ << ']';
                return;
            }
            case ExprKind::Lambda: {
                auto* l = static_cast<const ExprLambda*>(e);
                out_ << '(';
                if (l->arg) out_ << symbols_.name(l->arg);
                if (l->hasFormals) {
                    if (l->arg) out_ << " @ ";
                    out_ << "{ ";
                    bool first = true;
                    for (auto& f : l->formals) {
                        if (!first) out_ << ", ";
                        first = false;
                        out_ << symbols_.name(f.name);
                        if (f.def) {
                            out_ << " ? ";
                            show(f.def);
                        }
                    }
                    if (l->ellipsis) out_ << (first ? "..." : ", ...");
                    out_ << (first && !l->ellipsis ? "}" : " }");
                }
                out_ << ": ";
                show(l->body);
                out_ << ')';
                return;
            }
            case ExprKind::Call: {
                auto* c = static_cast<const ExprCall*>(e);
                out_ << '(';
                show(c->fn);
                for (auto* a : c->args) {
                    out_ << ' ';
                    show(a);
                }
                out_ << ')';
                return;
            }
            case ExprKind::Let: {
                auto* l = static_cast<const ExprLet*>(e);
                out_ << "(let ";
                showBinds(*l->attrs);
                out_ << "in ";
                show(l->body);
                out_ << ')';
                return;
            }
            case ExprKind::With: {
                auto* w = static_cast<const ExprWith*>(e);
                out_ << "(with ";
                show(w->attrs);
                out_ << "; ";
                show(w->body);
                out_ << ')';
                return;
            }
            case ExprKind::If: {
                auto* i = static_cast<const ExprIf*>(e);
                out_ << "(if ";
                show(i->cond);
                out_ << " then ";
                show(i->then);
                out_ << " else ";
                show(i->otherwise);
                out_ << ')';
                return;
            }
            case ExprKind::Assert: {
                auto* a = static_cast<const ExprAssert*>(e);
                out_ << "(assert ";
                show(a->cond);
                out_ << "; ";
                show(a->body);
                out_ << ')';
                return;
            }
            case ExprKind::Not:
                out_ << "(! ";
                show(static_cast<const ExprNot*>(e)->operand);
                out_ << ')';
                return;
            case ExprKind::ConcatStrings: {
                auto* c = static_cast<const ExprConcatStrings*>(e);
                out_ << '(';
                bool first = true;
                for (auto* p : c->parts) {
                    if (!first) out_ << (c->forceString ? " ~ " : " + ");
                    first = false;
                    show(p);
                }
                out_ << ')';
                return;
            }
            case ExprKind::Less: {
                auto* l = static_cast<const ExprLess*>(e);
                const char* op = l->swap ? (l->negate ? "<=" : ">") : (l->negate ? ">=" : "<");
                out_ << '(';
                show(l->lhs);
                out_ << ' ' << op << ' ';
                show(l->rhs);
                out_ << ')';
                return;
            }
            default: {
                auto* b = static_cast<const ExprBinary*>(e);
                const char* op = "?";
                switch (e->kind) {
                    case ExprKind::Eq:
                        op = "==";
                        break;
                    case ExprKind::NEq:
                        op = "!=";
                        break;
                    case ExprKind::And:
                        op = "&&";
                        break;
                    case ExprKind::Or:
                        op = "||";
                        break;
                    case ExprKind::Impl:
                        op = "->";
                        break;
                    case ExprKind::Update:
                        op = "//";
                        break;
                    case ExprKind::ConcatLists:
                        op = "++";
                        break;
                    case ExprKind::Sub:
                        op = "-";
                        break;
                    case ExprKind::Mul:
                        op = "*";
                        break;
                    case ExprKind::Div:
                        op = "/";
                        break;
                    default:
                        break;
                }
                out_ << '(';
                show(b->lhs);
                out_ << ' ' << op << ' ';
                show(b->rhs);
                out_ << ')';
                return;
            }
        }
    }

private:
    void showPath(const ArenaVec<AttrName>& path) {
        bool first = true;
        for (auto& a : path) {
            if (!first) out_ << '.';
            first = false;
            if (a.expr) {
                out_ << "${";
                show(a.expr);
                out_ << '}';
            } else {
                out_ << symbols_.name(a.symbol);
            }
        }
    }

    void showBinds(const ExprAttrs& a) {
        for (auto& def : a.attrs) {
            if (def.inherited) {
                out_ << "inherit " << symbols_.name(def.name) << "; ";
                continue;
            }
            out_ << symbols_.name(def.name) << " = ";
            show(def.value);
            out_ << "; ";
        }
        for (auto& d : a.dynamicAttrs) {
            out_ << "${";
            show(d.name);
            out_ << "} = ";
            show(d.value);
            out_ << "; ";
        }
    }

    const SymbolTable& symbols_;
    std::ostream& out_;
};

}  // namespace

std::string showExpr(const SymbolTable& symbols, const Expr* e) {
    std::ostringstream out;
    Shower(symbols, out).show(e);
    return out.str();
}

}  // namespace cstore::lang
