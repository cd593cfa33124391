#include "cstore/lang/scope.hh"

#include "cstore/lang/lexer.hh"

namespace cstore::lang {

namespace {

class Resolver {
public:
    explicit Resolver(const SymbolTable& symbols) : symbols_(symbols) {}

    void resolve(Expr* e, const StaticScope& scope) {
        switch (e->kind) {
            case ExprKind::Int:
            case ExprKind::Float:
            case ExprKind::String:
            case ExprKind::Path:
            case ExprKind::CurPos:
                return;
            case ExprKind::Var:
                return bindVar(static_cast<ExprVar*>(e), scope);
            case ExprKind::Select: {
                auto* s = static_cast<ExprSelect*>(e);
                resolve(s->subject, scope);
                for (auto& a : s->path)
                    if (a.expr) resolve(a.expr, scope);
                if (s->fallback) resolve(s->fallback, scope);
                return;
            }
            case ExprKind::HasAttr: {
                auto* s = static_cast<ExprHasAttr*>(e);
                resolve(s->subject, scope);
                for (auto& a : s->path)
                    if (a.expr) resolve(a.expr, scope);
                return;
            }
            case ExprKind::Attrs: {
                auto* a = static_cast<ExprAttrs*>(e);
                if (!a->recursive) {
                    for (auto& def : a->attrs) resolve(def.value, scope);
                    for (auto& d : a->dynamicAttrs) {
                        resolve(d.name, scope);
                        resolve(d.value, scope);
                    }
                    return;
                }
                StaticScope inner = scopeOf(*a, scope);
                resolveBindings(*a, scope, inner);
                for (auto& d : a->dynamicAttrs) {
                    resolve(d.name, inner);
                    resolve(d.value, inner);
                }
                return;
            }
            case ExprKind::List:
                for (auto* x : static_cast<ExprList*>(e)->elems) resolve(x, scope);
                return;
            case ExprKind::Lambda: {
                auto* l = static_cast<ExprLambda*>(e);
                StaticScope inner;
                inner.up = &scope;
                if (l->arg) inner.add(l->arg, 0);
                for (size_t i = 0; i < l->formals.size(); ++i) inner.add(l->formals[i].name, l->formalSlot(i));
                inner.sort();
                for (auto& f : l->formals)
                    if (f.def) resolve(f.def, inner);
                resolve(l->body, inner);
                return;
            }
            case ExprKind::Call: {
                auto* c = static_cast<ExprCall*>(e);
                resolve(c->fn, scope);
                for (auto* x : c->args) resolve(x, scope);
                return;
            }
            case ExprKind::Let: {
                auto* l = static_cast<ExprLet*>(e);
                StaticScope inner = scopeOf(*l->attrs, scope);
                resolveBindings(*l->attrs, scope, inner);
                resolve(l->body, inner);
                return;
            }
            case ExprKind::With: {
                auto* w = static_cast<ExprWith*>(e);
                resolve(w->attrs, scope);
                StaticScope inner;
                inner.up = &scope;
                inner.isWith = true;
                w->prevWith = 0;
                uint32_t level = 1;
                for (const StaticScope* s = &scope; s; s = s->up, ++level)
                    if (s->isWith) {
                        w->prevWith = level;
                        break;
                    }
                resolve(w->body, inner);
                return;
            }
            case ExprKind::If: {
                auto* i = static_cast<ExprIf*>(e);
                resolve(i->cond, scope);
                resolve(i->then, scope);
                resolve(i->otherwise, scope);
                return;
            }
            case ExprKind::Assert: {
                auto* a = static_cast<ExprAssert*>(e);
                resolve(a->cond, scope);
                resolve(a->body, scope);
                return;
            }
            case ExprKind::Not:
                return resolve(static_cast<ExprNot*>(e)->operand, scope);
            case ExprKind::ConcatStrings:
                for (auto* x : static_cast<ExprConcatStrings*>(e)->parts) resolve(x, scope);
                return;
            case ExprKind::Eq:
            case ExprKind::NEq:
            case ExprKind::And:
            case ExprKind::Or:
            case ExprKind::Impl:
            case ExprKind::Update:
            case ExprKind::ConcatLists:
            case ExprKind::Sub:
            case ExprKind::Mul:
            case ExprKind::Div:
            case ExprKind::Less: {
                auto* b = static_cast<ExprBinary*>(e);
                resolve(b->lhs, scope);
                resolve(b->rhs, scope);
                return;
            }
        }
    }

private:
    static StaticScope scopeOf(const ExprAttrs& attrs, const StaticScope& outer) {
        StaticScope inner;
        inner.up = &outer;
        for (uint32_t i = 0; i < attrs.attrs.size(); ++i) inner.add(attrs.attrs[i].name, i);
        inner.sort();
        return inner;
    }

    // In rec/let, `inherit x;` refers to the x outside; everything else sees the new scope.
    void resolveBindings(ExprAttrs& attrs, const StaticScope& outer, const StaticScope& inner) {
        for (auto& def : attrs.attrs) resolve(def.value, def.inherited ? outer : inner);
    }

    void bindVar(ExprVar* v, const StaticScope& scope) {
        uint32_t level = 0;
        int withLevel = -1;
        for (const StaticScope* s = &scope; s; s = s->up, ++level) {
            if (s->isWith) {
                if (withLevel < 0) withLevel = static_cast<int>(level);
                continue;
            }
            if (auto* hit = s->find(v->name)) {
                v->fromWith = false;
                v->level = checkedLevel(v, level);
                v->slot = hit->second;
                return;
            }
        }
        if (withLevel < 0) throw ParseError(v->pos, "undefined variable '" + std::string(symbols_.name(v->name)) + "'");
        v->fromWith = true;
        v->level = checkedLevel(v, static_cast<uint32_t>(withLevel));
        v->slot = 0;
    }

    // ExprVar keeps the level in 16 bits; the parser's nesting limit stays far below.
    uint16_t checkedLevel(const ExprVar* v, uint32_t level) {
        if (level > ExprVar::maxLevel) throw ParseError(v->pos, "expression nested too deeply");
        return static_cast<uint16_t>(level);
    }

    const SymbolTable& symbols_;
};

}  // namespace

void resolveScopes(Expr* e, const StaticScope& scope, const SymbolTable& symbols) {
    Resolver(symbols).resolve(e, scope);
}

}  // namespace cstore::lang
