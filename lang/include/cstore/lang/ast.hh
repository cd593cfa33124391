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
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "cstore/lang/arena.hh"
#include "cstore/lang/source.hh"
#include "cstore/lang/symbol.hh"

namespace cstore::lang {

// An array in the AST's arena. Nodes hold these instead of std::vector so
// that they are trivially destructible: parsing a file makes no malloc per
// node, and the arena frees a whole tree at once. It grows (by copying
// within the arena) only while the parser is still adding to it.
template <typename T>
class ArenaVec {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    ArenaVec() = default;
    ArenaVec(Arena& arena, const T* items, size_t n) { assign(arena, items, n); }

    void assign(Arena& arena, const T* items, size_t n) {
        data_ = n ? arena.allocArray<T>(n) : nullptr;
        if (n) std::memcpy(static_cast<void*>(data_), items, n * sizeof(T));
        size_ = cap_ = static_cast<uint32_t>(n);
    }
    void push_back(Arena& arena, const T& x) {
        if (size_ == cap_) grow(arena);
        data_[size_++] = x;
    }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }
    const T& back() const { return data_[size_ - 1]; }

private:
    void grow(Arena& arena) {
        uint32_t cap = cap_ ? cap_ * 2 : 4;
        T* bigger = arena.allocArray<T>(cap);
        if (size_) std::memcpy(static_cast<void*>(bigger), data_, size_ * sizeof(T));
        data_ = bigger;
        cap_ = cap;
    }

    T* data_ = nullptr;
    uint32_t size_ = 0, cap_ = 0;
};

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

// The kind comes after the position so that the three bytes of padding
// behind it hold the small fields of derived nodes (a base with a
// constructor lends its tail padding to derived classes): ExprVar is 16
// bytes, not 24. Most of a parsed file's memory is its nodes.
struct Expr {
    PosIdx pos;
    ExprKind kind;
    Expr(ExprKind k, PosIdx p) : pos(p), kind(k) {}
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

// The bytes of string and path literals live in the arena too.
struct ExprString : Expr {
    std::string_view value;
    mutable void* evalCache = nullptr;
    ExprString(PosIdx p, std::string_view v) : Expr(ExprKind::String, p), value(v) {}
};

// An absolute path (relative ones are resolved against the file's directory while parsing).
struct ExprPath : Expr {
    std::string_view value;
    mutable void* evalCache = nullptr;
    ExprPath(PosIdx p, std::string_view v) : Expr(ExprKind::Path, p), value(v) {}
};

struct ExprVar : Expr {
    bool fromWith = false;  // not bound lexically: search the `with` at `level`, then the outer ones
    uint16_t level = 0;     // environments to go up (scope resolution checks the limit)
    Symbol name;
    uint32_t slot = 0;  // index in that environment
    ExprVar(PosIdx p, Symbol n) : Expr(ExprKind::Var, p), name(n) {}
    static constexpr uint32_t maxLevel = UINT16_MAX;
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
    ArenaVec<AttrName> path;
    Expr* fallback;  // the `or` branch, or nullptr
    ExprSelect(PosIdx p, Expr* s, ArenaVec<AttrName> a, Expr* f)
        : Expr(ExprKind::Select, p), subject(s), path(a), fallback(f) {}
};

struct ExprHasAttr : Expr {
    Expr* subject;
    ArenaVec<AttrName> path;
    ExprHasAttr(PosIdx p, Expr* s, ArenaVec<AttrName> a) : Expr(ExprKind::HasAttr, p), subject(s), path(a) {}
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
    ArenaVec<AttrDef> attrs;
    ArenaVec<DynamicAttrDef> dynamicAttrs;
    explicit ExprAttrs(PosIdx p) : Expr(ExprKind::Attrs, p) {}
    AttrDef* find(Symbol s);
};

struct ExprList : Expr {
    ArenaVec<Expr*> elems;
    ExprList(PosIdx p, ArenaVec<Expr*> e) : Expr(ExprKind::List, p), elems(e) {}
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
    bool hasFormals = false;
    bool ellipsis = false;
    Symbol arg;                // empty for a pattern without @
    Symbol name;               // the attribute or let name it was bound to, for traces
    ArenaVec<Formal> formals;  // sorted by symbol id
    Expr* body = nullptr;
    ExprLambda(PosIdx p) : Expr(ExprKind::Lambda, p) {}
    uint32_t envSize() const { return (arg ? 1 : 0) + static_cast<uint32_t>(formals.size()); }
    uint32_t formalSlot(size_t i) const { return (arg ? 1 : 0) + static_cast<uint32_t>(i); }
};

struct ExprCall : Expr {
    Expr* fn;
    ArenaVec<Expr*> args;
    ExprCall(PosIdx p, Expr* f, ArenaVec<Expr*> a) : Expr(ExprKind::Call, p), fn(f), args(a) {}
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
    ArenaVec<Expr*> parts;
    ExprConcatStrings(PosIdx p, bool f, ArenaVec<Expr*> e)
        : Expr(ExprKind::ConcatStrings, p), forceString(f), parts(e) {}
};

// `__curPos`
struct ExprCurPos : Expr {
    explicit ExprCurPos(PosIdx p) : Expr(ExprKind::CurPos, p) {}
};

static_assert(sizeof(ExprVar) == 16 && sizeof(ExprLambda) == 40 && sizeof(ExprAttrs) == 40 &&
              sizeof(ExprConcatStrings) == 24);
static_assert(std::is_trivially_destructible_v<ExprString> && std::is_trivially_destructible_v<ExprSelect> &&
              std::is_trivially_destructible_v<ExprAttrs> && std::is_trivially_destructible_v<ExprLambda> &&
              std::is_trivially_destructible_v<ExprConcatStrings>);

// A fully parenthesised rendering of `e`, for tests and `--parse-only -v`.
std::string showExpr(const SymbolTable& symbols, const Expr* e);

}  // namespace cstore::lang
