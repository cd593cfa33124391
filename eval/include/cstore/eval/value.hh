// Values of the language. A Value is 16 bytes: the low 4 bits of the first
// word say what it is, the rest holds a pointer, an int, a double or a
// pair of pointers. Unevaluated values are thunks (environment + expression)
// and are overwritten in place with their result when forced, so every
// reference to a thunk sees the result and work is done once.
//
//   Value v;
//   v.mkInt(42);                  v.type() == ValueType::Int, v.integer() == 42
//   v.mkThunk(env, expr);         state.force(v, pos) evaluates it in place
//   v.attrs()->find(sym)          attribute sets are arrays sorted by symbol id
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "cstore/lang/ast.hh"

namespace cstore::eval {

using lang::Expr;
using lang::ExprLambda;
using lang::PosIdx;
using lang::Symbol;

enum class ValueType : uint8_t {
    Thunk = 0,  // must be 0: a thunk's first word is its environment pointer
    Int,
    Float,
    Bool,
    Null,
    String,
    Path,
    Attrs,
    List,
    Lambda,
    PrimOp,
    PrimOpApp,  // a primop applied to fewer arguments than it takes
    App,        // a lazy application f x, made by builtins such as map
    Blackhole,  // a thunk being evaluated: forcing it again is infinite recursion
};

struct Value;
class EvalState;

// Bytes of a string or path. The bytes live in the evaluator's string arena
// and are not NUL-terminated; they usually follow this 8-byte header. A
// string that shares another's bytes (a substring, or a string built by
// appending to the most recent one, so that `acc + "x"` in a loop is linear)
// has a pointer to them after the header instead.
struct StrData {
    uint32_t size;
    bool shared;
    const char* chars() const {
        return shared ? *reinterpret_cast<const char* const*>(this + 1) : reinterpret_cast<const char*>(this + 1);
    }
    std::string_view view() const { return {chars(), size}; }
};
static_assert(sizeof(StrData) == 8);

// The store paths a string refers to, sorted and without duplicates. Each
// element is a path ("/store/..."), "=<drv>" (a derivation and all its
// outputs) or "!<output>!<drv>" (one output), as in Nix.
struct alignas(16) StringContext {
    uint32_t size;
    const StrData* elems[1];
};

// A scope's slots. Environments of one-argument lambda calls start out on
// the C++ stack (most never outlive the call); the low bit of `up` marks
// them, and EvalState::capture copies one to the arena the first time
// anything keeps a pointer to it.
struct Env {
    Env* up;
    Value* values[1];  // really `size` entries; the size is known from the AST

    Env* parent() const { return reinterpret_cast<Env*>(reinterpret_cast<uintptr_t>(up) & ~uintptr_t(1)); }
    bool onStack() const { return reinterpret_cast<uintptr_t>(up) & 1; }
};

// A one-slot environment on the stack, with room for the pointer to its arena
// copy. `argOnStack`: the argument itself is a Value in the caller's C++
// frame (a genList index, see EvalState::callWithIndex); it moves to the
// arena before anything keeps a pointer to it.
struct StackEnv {
    Env* heapCopy = nullptr;
    Env env;
    bool argOnStack = false;
    StackEnv(Env* parent, Value* arg) : env{reinterpret_cast<Env*>(reinterpret_cast<uintptr_t>(parent) | 1), {arg}} {}
    static StackEnv* of(Env* env) {
        return reinterpret_cast<StackEnv*>(reinterpret_cast<char*>(env) - offsetof(StackEnv, env));
    }
    StackEnv(const StackEnv&) = delete;
    StackEnv& operator=(const StackEnv&) = delete;
};

struct Attr {
    Symbol name;
    PosIdx pos;
    Value* value;
};

// An attribute set. Usually flat: `size` entries sorted by symbol id. `a // b`
// with a large `a` and a small `b` is instead a *layer*: b's entries over a
// pointer to `a` (kept in the slot after the entries, with a cache of the
// flattened set after it), so overlay-style code does not copy the large set
// at every step. Lookups see through layers; anything that iterates calls
// EvalState::flat first (begin() asserts it did).
struct Bindings {
    uint32_t size;
    uint32_t capacity;  // for a layer: `layerFlag | depth`
    Attr attrs[1];

    static constexpr uint32_t layerFlag = 0x80000000u;
    bool isLayer() const { return capacity & layerFlag; }
    uint32_t layerDepth() const { return isLayer() ? capacity & ~layerFlag : 0; }
    Bindings* layerBase() const { return reinterpret_cast<Bindings*>(attrs[size].value); }

    const Attr* begin() const {
        assert(!isLayer());
        return attrs;
    }
    const Attr* end() const { return attrs + size; }
    Attr* begin() {
        assert(!isLayer());
        return attrs;
    }
    Attr* end() { return attrs + size; }
    bool empty() const { return size == 0; }  // a layer is never empty
    const Attr* find(Symbol name) const {
        const Bindings* b = this;
        while (true) {
            // Binary search; small sets (the common case) stay in one cache line.
            uint32_t lo = 0, hi = b->size;
            while (lo < hi) {
                uint32_t mid = (lo + hi) / 2;
                if (b->attrs[mid].name.id < name.id)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < b->size && b->attrs[lo].name == name) return &b->attrs[lo];
            if (!b->isLayer()) return nullptr;
            b = b->layerBase();
        }
    }
};

struct ListData {
    size_t size;
    Value* elems[1];
};

using PrimOpFn = void (*)(EvalState& state, PosIdx pos, Value** args, Value& result);

struct PrimOp {
    const char* name;
    uint8_t arity;
    PrimOpFn fn;
    // Internal helpers that higher layers apply lazily: left out of error traces.
    bool hidden = false;
    // Reads its arguments during the call and keeps no pointer to them, nor
    // passes them to a function when they are numbers or strings: such an
    // argument may be a Value on the caller's stack (EvalState::evalCall).
    bool readsArgsOnly = false;
};

struct alignas(16) Value {
    uintptr_t w0 = static_cast<uintptr_t>(ValueType::Null);
    uintptr_t w1 = 0;

    static constexpr uintptr_t tagMask = 15;

    ValueType type() const { return static_cast<ValueType>(w0 & tagMask); }
    bool isThunkLike() const {
        auto t = type();
        return t == ValueType::Thunk || t == ValueType::App || t == ValueType::Blackhole;
    }

    // Constructors
    void mkInt(int64_t n) {
        w0 = static_cast<uintptr_t>(ValueType::Int);
        std::memcpy(&w1, &n, 8);
    }
    void mkFloat(double d) {
        w0 = static_cast<uintptr_t>(ValueType::Float);
        std::memcpy(&w1, &d, 8);
    }
    void mkBool(bool b) {
        w0 = static_cast<uintptr_t>(ValueType::Bool);
        w1 = b;
    }
    void mkNull() {
        w0 = static_cast<uintptr_t>(ValueType::Null);
        w1 = 0;
    }
    void mkString(const StrData* s, const StringContext* ctx = nullptr) {
        w0 = reinterpret_cast<uintptr_t>(ctx) | static_cast<uintptr_t>(ValueType::String);
        w1 = reinterpret_cast<uintptr_t>(s);
    }
    void mkPath(const StrData* s) {
        w0 = static_cast<uintptr_t>(ValueType::Path);
        w1 = reinterpret_cast<uintptr_t>(s);
    }
    void mkAttrs(Bindings* b) {
        w0 = static_cast<uintptr_t>(ValueType::Attrs);
        w1 = reinterpret_cast<uintptr_t>(b);
    }
    void mkList(ListData* l) {
        w0 = static_cast<uintptr_t>(ValueType::List);
        w1 = reinterpret_cast<uintptr_t>(l);
    }
    void mkLambda(Env* env, const ExprLambda* fn) {
        w0 = reinterpret_cast<uintptr_t>(env) | static_cast<uintptr_t>(ValueType::Lambda);
        w1 = reinterpret_cast<uintptr_t>(fn);
    }
    void mkPrimOp(const PrimOp* op) {
        w0 = static_cast<uintptr_t>(ValueType::PrimOp);
        w1 = reinterpret_cast<uintptr_t>(op);
    }
    void mkPrimOpApp(Value* fn, Value* arg) {
        w0 = reinterpret_cast<uintptr_t>(fn) | static_cast<uintptr_t>(ValueType::PrimOpApp);
        w1 = reinterpret_cast<uintptr_t>(arg);
    }
    void mkApp(Value* fn, Value* arg) {
        w0 = reinterpret_cast<uintptr_t>(fn) | static_cast<uintptr_t>(ValueType::App);
        w1 = reinterpret_cast<uintptr_t>(arg);
    }
    // `fn index` with the integer argument kept in the value (genList's elements):
    // no argument Value until the call needs one. Low bit set: not a pointer.
    void mkAppIndex(Value* fn, int64_t index) {
        w0 = reinterpret_cast<uintptr_t>(fn) | static_cast<uintptr_t>(ValueType::App);
        w1 = (static_cast<uintptr_t>(index) << 1) | 1;
    }
    void mkThunk(Env* env, const Expr* e) {
        w0 = reinterpret_cast<uintptr_t>(env);
        w1 = reinterpret_cast<uintptr_t>(e);
    }
    void mkBlackhole() { w0 = (w0 & ~tagMask) | static_cast<uintptr_t>(ValueType::Blackhole); }

    // Accessors (the caller has checked the type)
    int64_t integer() const {
        int64_t n;
        std::memcpy(&n, &w1, 8);
        return n;
    }
    double fpoint() const {
        double d;
        std::memcpy(&d, &w1, 8);
        return d;
    }
    bool boolean() const { return w1 != 0; }
    const StrData* str() const { return reinterpret_cast<const StrData*>(w1); }
    std::string_view strView() const { return str()->view(); }
    const StringContext* context() const { return reinterpret_cast<const StringContext*>(w0 & ~tagMask); }
    Bindings* attrs() const { return reinterpret_cast<Bindings*>(w1); }
    ListData* list() const { return reinterpret_cast<ListData*>(w1); }
    size_t listSize() const { return list()->size; }
    Value** listElems() const { return list()->elems; }
    Env* env() const { return reinterpret_cast<Env*>(w0 & ~tagMask); }
    const Expr* expr() const { return reinterpret_cast<const Expr*>(w1); }
    const ExprLambda* lambda() const { return reinterpret_cast<const ExprLambda*>(w1); }
    const PrimOp* primOp() const { return reinterpret_cast<const PrimOp*>(w1); }
    Value* appLeft() const { return reinterpret_cast<Value*>(w0 & ~tagMask); }
    bool appArgIsIndex() const { return w1 & 1; }
    int64_t appIndex() const { return static_cast<int64_t>(w1 >> 1); }
    Value* appRight() const { return reinterpret_cast<Value*>(w1); }  // when !appArgIsIndex()

    bool isFunction() const {
        auto t = type();
        return t == ValueType::Lambda || t == ValueType::PrimOp || t == ValueType::PrimOpApp;
    }
};

static_assert(sizeof(Value) == 16);
static_assert(sizeof(Attr) == 16);

// The name `typeOf` gives a value's type ("int", "set", "lambda", ...).
const char* typeName(ValueType t);
// "an integer", "a set", ... for error messages.
const char* showType(const Value& v);

}  // namespace cstore::eval
