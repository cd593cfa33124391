// The evaluator. One EvalState evaluates one request (a `cstore eval`, a
// build's recipe): it owns the AST, the values, the import cache and the
// builtins. Values and environments live in an arena freed with the state
// (eval/README.md says why no garbage collector).
//
//   EvalState state(EvalOptions{});
//   runOnLargeStack([&] {                        // deep recursion needs room
//       Value v;
//       state.eval(state.parseString("1 + 2", "/cwd"), v);
//       state.forceDeep(v);
//       std::cout << printValue(state, v);      // 3
//   });
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cstore/eval/eval_error.hh"
#include "cstore/eval/eval_store.hh"
#include "cstore/eval/value.hh"
#include "cstore/lang/parser.hh"

namespace cstore::eval {

class SourceReader;

struct EvalOptions {
    // Search path entries for <name> lookups, "prefix=path" or "path", in
    // order (-I flags first, then $CSTORE_PATH when readEnvironment is set).
    std::vector<std::string> searchPath;
    bool readEnvironment = true;
    // Entries searched last, after $CSTORE_PATH (the standard library's `cstore=DIR`).
    std::vector<std::string> fallbackSearchPath;
    std::string currentSystem = "x86_64-linux";
    std::string storeDir = "/store";
    // Integer arithmetic on evaluated operands in a function argument
    // (`f (n - 1)`) is computed at the call instead of becoming a thunk
    // (EvalState::argument). Off only where unevaluated values are shown:
    // `cstore eval` without --strict, so that they print as <CODE>, as Nix's do.
    bool eagerIntegerArguments = true;
    // Builtins added by higher layers (e.g. derivationStrict); `global` ones
    // are also visible without `builtins.`.
    struct ExtraPrimOp {
        const PrimOp* op;
        bool global;
    };
    std::vector<ExtraPrimOp> extraPrimOps;
};

// Collects the string context of a value being built from parts.
class ContextBuilder {
public:
    void add(const StringContext* ctx) {
        if (ctx)
            for (uint32_t i = 0; i < ctx->size; ++i) elems_.push_back(ctx->elems[i]);
    }
    void add(const StrData* elem) { elems_.push_back(elem); }
    bool empty() const { return elems_.empty(); }
    const std::vector<const StrData*>& elems() const { return elems_; }

private:
    std::vector<const StrData*> elems_;
};

class EvalState {
public:
    explicit EvalState(EvalOptions options = {}, EvalStore* store = nullptr);
    ~EvalState();
    EvalState(const EvalState&) = delete;
    EvalState& operator=(const EvalState&) = delete;

    lang::SymbolTable& symbols() { return ast_.symbols; }
    const lang::PosTable& positions() const { return ast_.positions; }
    EvalStore* store() const { return store_; }
    const EvalOptions& options() const { return options_; }
    const std::string& storeDir() const;

    // ---- parsing
    Expr* parseString(std::string text, std::string basePath, std::string originName = "«string»");
    // Parses a file (or dir/default.cbl, then dir/default.nix), once per path.
    Expr* parseFile(const std::string& path);
    // The file's resolved path and contents.
    std::pair<std::string, std::string> readSource(const std::string& path, PosIdx pos);
    // A file evaluated with the attributes of `scope` as extra variables (scopedImport).
    Expr* parseScopedFile(const std::string& path, std::string text, Bindings* scope);
    void evalScoped(Expr* e, Bindings* scope, Value& v);
    // `path`, or path/default.cbl (then default.nix) when it is a directory.
    std::string resolveImportPath(const std::string& path, PosIdx pos);

    // ---- evaluation
    void eval(Expr* e, Value& v) { eval(e, baseEnv_, v); }
    // `e` as a thunk in the base environment (evaluated when forced).
    Value* lazyEval(Expr* e) { return thunk(e, baseEnv_); }
    void eval(const Expr* e, Env* env, Value& v);
    // eval, with constants and already-evaluated variables handled inline
    // (the operands of most operators are one or the other).
    void evalOperand(const Expr* e, Env* env, Value& v) {
        if (e->kind == lang::ExprKind::Int) {
            v.mkInt(static_cast<const lang::ExprInt*>(e)->value);
            return;
        }
        if (e->kind == lang::ExprKind::Var) {
            auto* var = static_cast<const lang::ExprVar*>(e);
            if (!var->fromWith) {
                Env* target = env;
                for (uint32_t l = var->level; l; --l) target = target->parent();
                Value* x = target->values[var->slot];
                if (!x->isThunkLike()) {
                    v = *x;
                    return;
                }
            }
        }
        eval(e, env, v);
    }
    // A value standing for `e` in `env`: constants and variables without allocating.
    Value* thunk(const Expr* e, Env* env) {
        if (e->kind == lang::ExprKind::Var) {
            auto* var = static_cast<const lang::ExprVar*>(e);
            if (!var->fromWith) {
                Env* target = env;
                for (uint32_t l = var->level; l; --l) target = target->parent();
                Value* slot = target->values[var->slot];
                if (slot && !(target->onStack() && StackEnv::of(target)->argOnStack)) return slot;
            }
        }
        return thunkSlow(e, env);
    }
    void force(Value& v, PosIdx pos) {
        if (v.isThunkLike()) [[unlikely]]
            forceSlow(v, pos);
    }
    // Forces everything reachable (for --strict, deepSeq, toJSON).
    void forceDeep(Value& v);
    void evalFile(const std::string& path, Value& v);  // import, cached per path
    void callFunction(Value& fn, size_t nargs, Value** args, Value& result, PosIdx pos) {
        if (nargs == 1 && fn.type() == ValueType::Lambda)
            return callLambda(fn.env(), fn.lambda(), args[0], result, pos);
        if (fn.type() == ValueType::PrimOp && nargs == fn.primOp()->arity)
            return callPrimOp(fn.primOp(), args, result, pos);
        callFunctionGeneric(fn, nargs, args, result, pos);
    }
    void callFunction(Value& fn, Value& arg, Value& result, PosIdx pos) {
        Value* a = &arg;
        callFunction(fn, 1, &a, result, pos);
    }
    // `fn acc x` for foldl'; `acc` may be a Value on the caller's stack (see call.cc).
    void callFoldStep(Value& fn, Value* acc, bool accOnStack, Value* x, Value& result, PosIdx pos);
    // Calls a function with formals using the attributes of `args` it accepts (--arg).
    void autoCallFunction(Bindings* args, Value& fn, Value& result);

    // A shared, immutable value for an integer (small ones are preallocated).
    Value* intValue(int64_t n) {
        if (n >= 0 && n < smallIntCount) return &smallInts_[n];
        Value* v = allocValue();
        v->mkInt(n);
        return v;
    }
    static constexpr int64_t smallIntCount = 1024;

    // ---- forcing to a type (errors name the position and what was found)
    int64_t forceInt(Value& v, PosIdx pos);
    double forceFloat(Value& v, PosIdx pos);  // ints are promoted
    bool forceBool(Value& v, PosIdx pos);
    void forceAttrs(Value& v, PosIdx pos);
    void forceList(Value& v, PosIdx pos);
    void forceFunction(Value& v, PosIdx pos);
    std::string_view forceString(Value& v, PosIdx pos);
    std::string_view forceString(Value& v, ContextBuilder& ctx, PosIdx pos);
    std::string_view forceStringNoCtx(Value& v, PosIdx pos);
    bool isDerivation(Value& v);

    // Converts to a string as interpolation does. `coerceMore` also accepts
    // ints, floats, bools, null and lists (toString); `copyToStore` copies
    // paths into the store.
    std::string coerceToString(Value& v, ContextBuilder& ctx, PosIdx pos, bool coerceMore, bool copyToStore,
                               bool canonicalizePath = true);
    std::string coerceToPath(Value& v, ContextBuilder& ctx, PosIdx pos);
    std::string copyPathToStore(const std::string& path, ContextBuilder& ctx, PosIdx pos);

    bool eqValues(Value& a, Value& b, PosIdx pos);
    // -1, 0, 1 (as builtins.lessThan and sort compare).
    bool lessThan(Value& a, Value& b, PosIdx pos);

    // `env` itself, or its arena copy when it lives on the stack: call this
    // before storing an Env* anywhere (a thunk, a closure, an inner scope).
    Env* capture(Env* env) {
        if (env->onStack()) [[unlikely]]
            return captureStackEnv(env);
        return env;
    }

    // ---- allocation (arena)
    Value* allocValue() {
        stats.values += sizeof(Value);
        return new (arena_.allocate(sizeof(Value), 16)) Value;
    }
    Env* allocEnv(size_t slots) {
        size_t bytes = sizeof(Env*) + sizeof(Value*) * (slots ? slots : 1);
        stats.envs += bytes;
        return static_cast<Env*>(arena_.allocate(bytes, 16));
    }
    // Bytes allocated per kind, for CSTORE_SHOW_STATS and benchmarks.
    struct Stats {
        size_t values = 0, envs = 0, bindings = 0, lists = 0, strings = 0;
    } stats;
    Bindings* allocBindings(size_t capacity);
    ListData* allocList(size_t size);
    const StrData* makeStr(std::string_view s);
    // A string of bytes that already belong to a string (a substring): no copy.
    const StrData* sliceStr(std::string_view bytes);
    const StrData* literalStr(std::string_view bytes);
    // A string of `size` bytes to fill in through `bytes`.
    StrData* allocStr(size_t size, char*& bytes);
    // A string made of `prefix` (an existing string's bytes) and `size - prefix.size()`
    // more bytes written through `rest`; shares prefix's bytes when they are the
    // last ones allocated.
    StrData* appendStr(std::string_view prefix, size_t size, char*& rest);
    const StringContext* makeContext(const ContextBuilder& ctx) { return ctx.empty() ? nullptr : newContext(ctx); }
    void mkString(Value& v, std::string_view s) { v.mkString(makeStr(s)); }
    void mkString(Value& v, std::string_view s, const ContextBuilder& ctx) { v.mkString(makeStr(s), makeContext(ctx)); }
    void mkPath(Value& v, std::string_view s) { v.mkPath(makeStr(s)); }
    void mkList(Value& v, size_t size) { v.mkList(allocList(size)); }
    // The string value of a symbol's name, made once per symbol.
    const StrData* symbolStr(Symbol s);
    Symbol intern(std::string_view s) { return ast_.symbols.intern(s); }
    std::string_view name(Symbol s) const { return ast_.symbols.name(s); }
    size_t bytesAllocated() const { return arena_.bytesReserved() + data_.bytesReserved() + strings_.bytesReserved(); }

    // Builds attribute sets: add in any order, then `finish` sorts by symbol.
    class BindingsBuilder {
    public:
        BindingsBuilder(EvalState& state, size_t capacity) : state_(state), b_(state.allocBindings(capacity)) {}
        void add(Symbol name, Value* value, PosIdx pos = {}) { b_->attrs[b_->size++] = Attr{name, pos, value}; }
        Value* alloc(Symbol name, PosIdx pos = {}) {
            Value* v = state_.allocValue();
            add(name, v, pos);
            return v;
        }
        Value* alloc(std::string_view name) { return alloc(state_.intern(name)); }
        Bindings* finish();
        // Like finish, when the attributes were added in symbol order already.
        Bindings* finishSorted() { return b_; }

    private:
        EvalState& state_;
        Bindings* b_;
    };
    BindingsBuilder buildBindings(size_t capacity) { return BindingsBuilder(*this, capacity); }
    // The flat form of a set (see Bindings): itself, or its layers merged (cached).
    Bindings* flat(const Bindings* b) {
        if (!b->isLayer()) [[likely]]
            return const_cast<Bindings*>(b);
        return flattenLayers(const_cast<Bindings*>(b));
    }
    // The value's set, flattened; the value is updated to point at the flat set.
    Bindings* flatAttrs(Value& v) {
        Bindings* b = flat(v.attrs());
        v.mkAttrs(b);
        return b;
    }
    Bindings* emptyBindings() { return emptyBindings_; }

    // ---- errors
    [[noreturn]] void throwTypeError(PosIdx pos, const char* expected, const Value& v);
    // "attribute 'x' missing" with a did-you-mean hint from `attrs`.
    [[noreturn]] void throwMissingAttr(PosIdx pos, Symbol name, const Bindings* attrs);
    std::string describePos(PosIdx pos) const;
    void checkStack() {
        char probe;
        if (&probe < stackLimit_) [[unlikely]]
            throwStackOverflow();
    }
    [[noreturn]] void throwStackOverflow();
    // Where the stack ends: evaluation deeper than this throws "stack overflow".
    void setStackLimit(const char* limit) { stackLimit_ = limit; }

    // Frequently used names.
    struct Names {
        Symbol outPath, drvPath, type, name, value, body, toString, functor, file, line, column, key, operator_,
            startSet, success, prefix, path, right, wrong, outputName, result, ignoreNulls, data;
    };
    Names sym;

    Value& builtinsValue() { return *builtins_; }
    const std::vector<std::pair<std::string, std::string>>& searchPath() const { return searchPath_; }
    std::string findFile(std::string_view name, PosIdx pos);

    // Used by builtins: cached results of copying paths into the store.
    std::unordered_map<std::string, std::string> srcToStore;

private:
    void forceSlow(Value& v, PosIdx pos);
    Value* thunkSlow(const Expr* e, Env* env);
    const StringContext* newContext(const ContextBuilder& ctx);
    StrData* sharedStr(const char* bytes, size_t size);
    void evalAttrs(const lang::ExprAttrs* e, Env* env, Value& v);
    void evalCall(const lang::ExprCall* e, Env* env, Value& v);
    // The call `c` once its function is evaluated.
    void callEvaluated(const lang::ExprCall* c, Value& fn, Env* env, Value& v);
    size_t evalPartToString(const Expr* e, Env* env, Value& v, char (&digits)[24]);
    Value* argument(const Expr* e, Env* env);
    Value* readOnlyArgument(const Expr* e, Env* env);
    void evalHasAttr(const lang::ExprHasAttr* e, Env* env, Value& v);
    void evalList(const lang::ExprList* e, Env* env, Value& v);
    void evalAssert(const lang::ExprAssert* e, Env* env, Value& v);
    void evalEq(const lang::ExprBinary* e, Env* env, Value& v);
    void evalLogic(const lang::ExprBinary* e, Env* env, Value& v);
    void evalLess(const lang::ExprLess* e, Env* env, Value& v);
    void evalPlus(const lang::ExprConcatStrings* e, Env* env, Value& v);
    void evalPlusChain(const lang::ExprConcatStrings* e, Env* env, Value& v);
    void evalSelect(const lang::ExprSelect* e, Env* env, Value& v);
    // Parts before `npre` were evaluated already into `pre`.
    void evalConcatStrings(const Expr* const* parts, size_t nparts, bool forceString, PosIdx pos, Env* env, Value& v,
                           Value* pre, size_t npre);
    void evalArith(const lang::ExprBinary* e, Env* env, Value& v);
    void evalUpdate(const lang::ExprBinary* e, Env* env, Value& v);
    void evalConcatLists(const lang::ExprBinary* e, Env* env, Value& v);
    void evalCurPos(const Expr* e, Value& v);
    Value* lookupVar(Env* env, const lang::ExprVar* var);
    Value* lookupWith(Env* env, const lang::ExprVar* var);
    Env* fillRecursiveEnv(const lang::ExprAttrs* attrs, Env* outer);
    // Calls `lam` (whose closure is `env`, possibly on the stack) with one argument.
    void callLambda(Env* env, const ExprLambda* lam, Value* arg, Value& result, PosIdx pos);
    // Calls `fn` with the integer `index` (a genList element being forced).
    void callWithIndex(Value& fn, int64_t index, Value& result, PosIdx pos);
    Value* moveArgToArena(Env* env);
    // Calls `x: y: ...` with two or more arguments without making the inner closure.
    void callCurried(Env* env, const ExprLambda* lam, Value** args, size_t nargs, Value& result, PosIdx pos,
                     bool firstArgOnStack = false);
    Env* captureStackEnv(Env* env);
    Bindings* flattenLayers(Bindings* b);
    void callFunctionGeneric(Value& fn, size_t nargs, Value** args, Value& result, PosIdx pos);
    void callPrimOp(const PrimOp* op, Value** args, Value& result, PosIdx pos);
    void createBaseEnv();
    void addGlobal(std::string_view name, Value* v);

    EvalOptions options_;
    EvalStore* store_;
    lang::AstContext ast_;
    // Values and environments (16-byte aligned: their pointers carry tags);
    // sets, lists and shared-string headers (8-byte aligned, so that a
    // one-attribute set takes 24 bytes, not 32); string bytes.
    Arena arena_{1 << 20};
    Arena data_{1 << 16};
    Arena strings_{1 << 16};
    lang::StaticScope baseScope_;
    Env* baseEnv_ = nullptr;
    std::vector<std::pair<Symbol, Value*>> globals_;
    Value* builtins_ = nullptr;
    const PrimOp* toStringOp_ = nullptr;
    Bindings* emptyBindings_ = nullptr;
    Value* smallInts_ = nullptr;
    std::vector<const StrData*> symbolStrs_;
    // Files by path: parsed once (parseFile), evaluated once (evalFile). Paths
    // are interned (one copy of the bytes, a cheap hash) and index `files_`.
    struct File {
        Expr* expr = nullptr;
        Value* value = nullptr;
    };
    lang::SymbolTable filePaths_;
    std::vector<File> files_;
    std::unique_ptr<SourceReader> reader_;  // reads the files to parse
    uint32_t fileIndex(std::string_view path);
    Expr* parseFile(uint32_t index, const std::string& path);
    std::vector<std::pair<std::string, std::string>> searchPath_;
    const char* stackLimit_ = nullptr;
    std::string storeDir_;

    friend struct EvalInternals;
};

// Pushes a frame onto the current call-frame list for its lifetime.
class CallFrameGuard {
public:
    CallFrameGuard(PosIdx pos, FrameKind kind, const void* subject) : frame_{currentCallFrame, pos, kind, subject} {
        currentCallFrame = &frame_;
    }
    ~CallFrameGuard() { currentCallFrame = frame_.prev; }
    CallFrameGuard(const CallFrameGuard&) = delete;
    CallFrameGuard& operator=(const CallFrameGuard&) = delete;

private:
    CallFrame frame_;
};

// Runs `fn` on a Boost.Context fiber with a large stack (default 256 MiB,
// reserved, touched only as used) and sets the state's stack limit, so deep
// recursion ends in a StackOverflowError instead of a crash. Exceptions from
// `fn` are rethrown in the caller.
void runOnLargeStack(EvalState* state, const std::function<void()>& fn, size_t stackSize = size_t(256) << 20);

}  // namespace cstore::eval
