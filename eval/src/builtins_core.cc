// Builtins about values themselves: type predicates, forcing, errors,
// tracing, importing, the environment.
#include <cstdlib>
#include <iostream>

#include "cstore/eval/print.hh"
#include "cstore/util/file.hh"
#include "internal.hh"

namespace cstore::eval {

namespace {

void primTypeOf(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    state.mkString(v, typeName(args[0]->type()));
}

template <ValueType T>
void primIsType(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    v.mkBool(args[0]->type() == T);
}

void primIsFunction(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    v.mkBool(args[0]->isFunction());
}

void primSeq(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    state.force(*args[1], pos);
    v = *args[1];
}

void primDeepSeq(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceDeep(*args[0]);
    state.force(*args[1], pos);
    v = *args[1];
}

void primThrow(EvalState& state, PosIdx pos, Value** args, Value&) {
    ContextBuilder ctx;
    std::string msg = state.coerceToString(*args[0], ctx, pos, false, false);
    throw ThrownError(pos, "%s", msg);
}

void primAbort(EvalState& state, PosIdx pos, Value** args, Value&) {
    ContextBuilder ctx;
    std::string msg = state.coerceToString(*args[0], ctx, pos, false, false);
    throw AbortError(pos, "evaluation aborted with the following error message: '%s'", msg);
}

void primTryEval(EvalState& state, PosIdx pos, Value** args, Value& v) {
    auto b = state.buildBindings(2);
    Value* value = b.alloc(state.sym.value);
    try {
        state.force(*args[0], pos);
        *value = *args[0];
        b.alloc(state.sym.success)->mkBool(true);
    } catch (CatchableError&) {
        value->mkBool(false);
        b.alloc(state.sym.success)->mkBool(false);
    }
    v.mkAttrs(b.finish());
}

void primTrace(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    if (args[0]->type() == ValueType::String)
        std::cerr << "trace: " << args[0]->strView() << std::endl;
    else
        std::cerr << "trace: " << printValue(state, *args[0]) << std::endl;
    state.force(*args[1], pos);
    v = *args[1];
}

void primAddErrorContext(EvalState& state, PosIdx pos, Value** args, Value& v) {
    try {
        state.force(*args[1], pos);
        v = *args[1];
    } catch (EvalError& e) {
        ContextBuilder ctx;
        e.addMessage(PosIdx{}, state.coerceToString(*args[0], ctx, pos, false, false));
        throw;
    }
}

void primGetEnv(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::string name(state.forceStringNoCtx(*args[0], pos));
    const char* value = std::getenv(name.c_str());
    state.mkString(v, value ? value : "");
}

// Whether canonPath(path) == path: an absolute path without empty, `.` or
// `..` components or a trailing slash. Path values almost always are, and
// then an import makes no second copy.
bool isCanonical(std::string_view path) {
    if (path.empty() || path[0] != '/') return false;
    if (path.size() == 1) return true;
    for (size_t start = 1;;) {
        size_t slash = path.find('/', start);
        std::string_view part = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (part.empty() || part == "." || part == "..") return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

void primImport(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    std::string path;
    if (args[0]->type() == ValueType::Path && isCanonical(args[0]->strView())) {
        path = args[0]->strView();  // what coerceToPath returns, without its copies
    } else {
        ContextBuilder ctx;
        path = state.coerceToPath(*args[0], ctx, pos);
        if (!isCanonical(path)) path = canonPath(path);
    }
    CallFrameGuard frame(pos, FrameKind::Import, &path);
    state.evalFile(path, v);
}

void primScopedImport(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    ContextBuilder ctx;
    std::string path = state.resolveImportPath(canonPath(state.coerceToPath(*args[1], ctx, pos)), pos);
    // The file sees the set's attributes as variables; nothing is cached.
    Bindings* scope = state.flatAttrs(*args[0]);
    std::string text = readFile(path);
    Expr* e = state.parseScopedFile(path, text, scope);
    state.evalScoped(e, scope, v);
}

void primFunctionArgs(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    if (args[0]->isFunction() && args[0]->type() != ValueType::Lambda) {
        v.mkAttrs(state.emptyBindings());
        return;
    }
    if (args[0]->type() != ValueType::Lambda) state.throwTypeError(pos, "a function", *args[0]);
    const ExprLambda* lam = args[0]->lambda();
    auto b = state.buildBindings(lam->formals.size());
    for (auto& f : lam->formals) b.alloc(f.name, f.pos)->mkBool(f.def != nullptr);
    v.mkAttrs(b.finishSorted());
}

void primUnsafeGetAttrPos(EvalState& state, PosIdx pos, Value** args, Value& v) {
    Symbol name = state.intern(state.forceStringNoCtx(*args[0], pos));
    state.forceAttrs(*args[1], pos);
    const Attr* a = args[1]->attrs()->find(name);
    if (!a || !a->pos) {
        v.mkNull();
        return;
    }
    SourcePos p = state.positions().resolve(a->pos);
    auto b = state.buildBindings(3);
    state.mkString(*b.alloc(state.sym.file), p.file);
    b.alloc(state.sym.line)->mkInt(p.line);
    b.alloc(state.sym.column)->mkInt(p.column);
    v.mkAttrs(b.finish());
}

}  // namespace

const PrimOp coreBuiltins[] = {
    {"typeOf", 1, primTypeOf, false, true},
    {"isAttrs", 1, primIsType<ValueType::Attrs>, false, true},
    {"isBool", 1, primIsType<ValueType::Bool>, false, true},
    {"isFloat", 1, primIsType<ValueType::Float>, false, true},
    {"isFunction", 1, primIsFunction, false, true},
    {"isInt", 1, primIsType<ValueType::Int>, false, true},
    {"isList", 1, primIsType<ValueType::List>, false, true},
    {"isNull", 1, primIsType<ValueType::Null>, false, true},
    {"isPath", 1, primIsType<ValueType::Path>, false, true},
    {"isString", 1, primIsType<ValueType::String>, false, true},
    {"seq", 2, primSeq},
    {"deepSeq", 2, primDeepSeq},
    {"throw", 1, primThrow},
    {"abort", 1, primAbort},
    {"tryEval", 1, primTryEval},
    {"trace", 2, primTrace},
    {"addErrorContext", 2, primAddErrorContext},
    {"getEnv", 1, primGetEnv},
    {"import", 1, primImport},
    {"scopedImport", 2, primScopedImport},
    {"functionArgs", 1, primFunctionArgs},
    {"unsafeGetAttrPos", 2, primUnsafeGetAttrPos},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
