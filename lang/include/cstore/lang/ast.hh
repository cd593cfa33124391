// The syntax tree of the recipe language. Nodes are plain data allocated in
// an Arena; `kind` tells which struct a node is, so the evaluator dispatches
// with one switch instead of virtual calls. After parsing, the scope pass
// (scope.hh) fills in where each variable lives: (level, slot) in the chain
// of environments, or "look it up in the enclosing `with`s".
//
//   Expr* e = parser.parse(...);
//   if (e->kind == ExprKind::Int) static_cast<ExprInt*>(e)->value;
//   showExpr(symbols, e)        // "(a + (b * c))", for tests and debugging
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cstore/lang/source.hh"
#include "cstore/lang/symbol.hh"

namespace cstore::lang {

enum class ExprKind : uint8_t {
    Int,
    Float,
    String,
    Path,
    Var,
    Select,
    HasAttr,
    Attrs,
    List,
    Lambda,
    Call,
    Let,
    With,
    If,
    Assert,
    Not,
    Eq,
    NEq,
    And,
    Or,
    Impl,
    Update,
    ConcatLists,
    Sub,
    Mul,
    Div,
    Less,  // also >, <= and >=, see ExprLess
    ConcatStrings,
    CurPos,
};

struct Expr {
    ExprKind kind;
    PosIdx pos;
    Expr(ExprKind k, PosIdx p) : kind(k), pos(p) {}
};

// Constants keep a slot for the evaluator's preallocated value, so that
// evaluating a literal never allocates.
struct ExprInt : Expr {
    int64_t value;
    mutable void* evalCache = nullptr;
    ExprInt(PosIdx p, int64_t v) : Expr(ExprKind::Int, p), value(v) {}
};

struct ExprFloat : Expr {
    double value;
    mutable void* evalCache = nullptr;
    ExprFloat(PosIdx p, double v) : Expr(ExprKind::Float, p), value(v) {}
};

struct ExprString : Expr {
    std::string value;
    mutable void* evalCache = nullptr;
    ExprString(PosIdx p, std::string v) : Expr(ExprKind::String, p), value(std::move(v)) {}
};

// An absolute path (relative ones are resolved against the file's directory while parsing).
struct ExprPath : Expr {
    std::string value;
    mutable void* evalCache = nullptr;
    ExprPath(PosIdx p, std::string v) : Expr(ExprKind::Path, p), value(std::move(v)) {}
};

struct ExprVar : Expr {
    Symbol name;
    bool fromWith = false;  // not bound lexically: search the `with` at `level`, then the outer ones
    uint32_t level = 0;     // environments to go up
    uint32_t slot = 0;      // index in that environment
    ExprVar(PosIdx p, Symbol n) : Expr(ExprKind::Var, p), name(n) {}
};

// One element of an attribute path: a name, or `${expr}` / "..${..}.." (dynamic).
struct AttrName {
    Symbol symbol;
    Expr* expr = nullptr;
    // The evaluator's inline cache: the set this name was last looked up in and
    // the entry found (sets never change, so the pair stays valid).
    mutable const void* cacheSet = nullptr;
    mutable const void* cacheEntry = nullptr;
};

struct ExprSelect : Expr {
    Expr* subject;
    std::vector<AttrName> path;
    Expr* fallback;  // the `or` branch, or nullptr
    ExprSelect(PosIdx p, Expr* s, std::vector<AttrName> a, Expr* f)
        : Expr(ExprKind::Select, p), subject(s), path(std::move(a)), fallback(f) {}
};

struct ExprHasAttr : Expr {
    Expr* subject;
    std::vector<AttrName> path;
    ExprHasAttr(PosIdx p, Expr* s, std::vector<AttrName> a)
        : Expr(ExprKind::HasAttr, p), subject(s), path(std::move(a)) {}
};

struct AttrDef {
    Symbol name;
    PosIdx pos;
    Expr* value;
    // `inherit x;`: the value is evaluated in the enclosing scope even in rec/let.
    bool inherited = false;
};

struct DynamicAttrDef {
    Expr* name;
    Expr* value;
    PosIdx pos;
};

// `{ ... }`, `rec { ... }` and the bindings of `let`. Static attributes are
// sorted by symbol id; in rec/let, attribute i lives in slot i of the new scope.
struct ExprAttrs : Expr {
    bool recursive = false;
    std::vector<AttrDef> attrs;
    std::vector<DynamicAttrDef> dynamicAttrs;
    explicit ExprAttrs(PosIdx p) : Expr(ExprKind::Attrs, p) {}
    AttrDef* find(Symbol s);
};

struct ExprList : Expr {
    std::vector<Expr*> elems;
    ExprList(PosIdx p, std::vector<Expr*> e) : Expr(ExprKind::List, p), elems(std::move(e)) {}
};

struct Formal {
    Symbol name;
    PosIdx pos;
    Expr* def;  // default value, or nullptr
};

// `x: body`, `{ a, b ? 1, ... }: body`, `args@{ a }: body`. Slots in the
// call's environment: the `@`/plain argument first (if any), then the
// formals in symbol-id order.
struct ExprLambda : Expr {
    Symbol arg;  // empty for a pattern without @
    bool hasFormals = false;
    bool ellipsis = false;
    std::vector<Formal> formals;  // sorted by symbol id
    Expr* body = nullptr;
    Symbol name;  // the attribute or let name it was bound to, for traces
    ExprLambda(PosIdx p) : Expr(ExprKind::Lambda, p) {}
    uint32_t envSize() const { return (arg ? 1 : 0) + static_cast<uint32_t>(formals.size()); }
    uint32_t formalSlot(size_t i) const { return (arg ? 1 : 0) + static_cast<uint32_t>(i); }
};

struct ExprCall : Expr {
    Expr* fn;
    std::vector<Expr*> args;
    ExprCall(PosIdx p, Expr* f, std::vector<Expr*> a) : Expr(ExprKind::Call, p), fn(f), args(std::move(a)) {}
};

struct ExprLet : Expr {
    ExprAttrs* attrs;
    Expr* body;
    ExprLet(PosIdx p, ExprAttrs* a, Expr* b) : Expr(ExprKind::Let, p), attrs(a), body(b) {}
};

struct ExprWith : Expr {
    Expr* attrs;
    Expr* body;
    uint32_t prevWith = 0;  // levels from this with's environment up to the enclosing with's (0: none)
    ExprWith(PosIdx p, Expr* a, Expr* b) : Expr(ExprKind::With, p), attrs(a), body(b) {}
};

struct ExprIf : Expr {
    Expr *cond, *then, *otherwise;
    ExprIf(PosIdx p, Expr* c, Expr* t, Expr* e) : Expr(ExprKind::If, p), cond(c), then(t), otherwise(e) {}
};

struct ExprAssert : Expr {
    Expr *cond, *body;
    ExprAssert(PosIdx p, Expr* c, Expr* b) : Expr(ExprKind::Assert, p), cond(c), body(b) {}
};

struct ExprNot : Expr {
    Expr* operand;
    ExprNot(PosIdx p, Expr* e) : Expr(ExprKind::Not, p), operand(e) {}
};

// Binary operators other than `+` (Eq, NEq, And, Or, Impl, Update, ConcatLists, Sub, Mul, Div).
struct ExprBinary : Expr {
    Expr *lhs, *rhs;
    ExprBinary(ExprKind k, PosIdx p, Expr* l, Expr* r) : Expr(k, p), lhs(l), rhs(r) {}
};

// `a < b`, and `>`, `<=`, `>=` as swapped and/or negated `<`.
struct ExprLess : ExprBinary {
    bool swap = false, negate = false;
    ExprLess(PosIdx p, Expr* l, Expr* r, bool s, bool n) : ExprBinary(ExprKind::Less, p, l, r), swap(s), negate(n) {}
};

// `a + b` (forceString = false: numbers add, paths and strings concatenate)
// and string/path interpolation (forceString = true for "..${x}..").
struct ExprConcatStrings : Expr {
    bool forceString;
    std::vector<Expr*> parts;
    ExprConcatStrings(PosIdx p, bool f, std::vector<Expr*> e)
        : Expr(ExprKind::ConcatStrings, p), forceString(f), parts(std::move(e)) {}
};

// `__curPos`
struct ExprCurPos : Expr {
    explicit ExprCurPos(PosIdx p) : Expr(ExprKind::CurPos, p) {}
};

// A fully parenthesised rendering of `e`, for tests and `--parse-only -v`.
std::string showExpr(const SymbolTable& symbols, const Expr* e);

}  // namespace cstore::lang
