// Function application: lambdas (with formals), built-ins applied to all
// or some of their arguments, and sets with __functor.
#include <unordered_set>

#include "internal.hh"

namespace cstore::eval {

using namespace lang;

thread_local const CallFrame* currentCallFrame = nullptr;

void EvalError::captureFrames() {
    // Bounded, so that errors in deep recursion (or many caught ones) stay cheap.
    size_t n = 0;
    for (const CallFrame* f = currentCallFrame; f; f = f->prev) {
        if (n++ == 1000) {
            truncated = true;
            break;
        }
        // An import's path (or a message) lives only as long as the frame: copy it.
        if (f->kind == FrameKind::Import || f->kind == FrameKind::Message)
            frames.push_back({f->pos, f->kind, nullptr, *static_cast<const std::string*>(f->subject)});
        else
            frames.push_back({f->pos, f->kind, f->subject, {}});
    }
}

namespace {
std::string lambdaName(EvalState& state, const ExprLambda* lam) {
    return lam->name ? "'" + std::string(state.name(lam->name)) + "'" : std::string("anonymous lambda");
}
}  // namespace

void EvalState::callLambda(Env* closure, const ExprLambda* lam, Value* arg, Value& result, PosIdx pos) {
    checkStack();
    if (!lam->hasFormals) {
        // The common `x: body`: its environment stays on the stack unless captured.
        StackEnv frame(closure, arg);
        CallFrameGuard guard(pos, FrameKind::Lambda, lam);
        eval(lam->body, &frame.env, result);
        return;
    }
    Env* env = allocEnv(lam->envSize());
    env->up = capture(closure);
    {
        force(*arg, pos);
        if (arg->type() != ValueType::Attrs)
            throw TypeError(pos, "value is %s while a set was expected", showType(*arg));
        if (lam->arg) env->values[0] = arg;
        Bindings* attrs = flatAttrs(*arg);
        size_t used = 0;
        // Both the formals and the set are sorted by symbol id: walk them together.
        const Attr* a = attrs->begin();
        const Attr* aEnd = attrs->end();
        for (size_t i = 0; i < lam->formals.size(); ++i) {
            const Formal& f = lam->formals[i];
            while (a != aEnd && a->name.id < f.name.id) ++a;
            uint32_t slot = lam->formalSlot(i);
            if (a != aEnd && a->name == f.name) {
                env->values[slot] = a->value;
                ++used;
            } else if (f.def) {
                env->values[slot] = nullptr;
            } else {
                throw TypeError(pos, "%s called without required argument '%s'", lambdaName(*this, lam), name(f.name));
            }
        }
        // Defaults may refer to each other, so they are made once all slots are known.
        for (size_t i = 0; i < lam->formals.size(); ++i) {
            uint32_t slot = lam->formalSlot(i);
            if (!env->values[slot]) env->values[slot] = thunk(lam->formals[i].def, env);
        }
        if (!lam->ellipsis && used != attrs->size) {
            std::vector<std::string_view> formalNames;
            for (auto& f : lam->formals) formalNames.push_back(name(f.name));
            for (auto& attr : *attrs) {
                bool known = false;
                for (auto& f : lam->formals) known |= f.name == attr.name;
                if (known) continue;
                auto hint = suggestions(name(attr.name), formalNames);
                std::string msg =
                    lambdaName(*this, lam) + " called with unexpected argument '" + std::string(name(attr.name)) + "'";
                if (!hint.empty()) msg += "; did you mean '" + hint[0] + "'?";
                throw TypeError(pos, "%s", msg);
            }
        }
    }
    CallFrameGuard frame(pos, FrameKind::Lambda, lam);
    eval(lam->body, env, result);
}

// A genList element `f i`. When f is `x: body`, i is a Value on this stack
// frame rather than in the arena: most functions only read their index. If
// the body keeps a pointer to it (a thunk or closure over `x`), thunk() and
// capture() move it to the arena first (StackEnv::argOnStack).
void EvalState::callWithIndex(Value& fn, int64_t index, Value& result, PosIdx pos) {
    if (fn.type() != ValueType::Lambda || fn.lambda()->hasFormals) {
        Value* arg = intValue(index);
        return callFunction(fn, 1, &arg, result, pos);
    }
    checkStack();
    const ExprLambda* lam = fn.lambda();
    Value arg;
    arg.mkInt(index);
    StackEnv frame(fn.env(), &arg);
    frame.argOnStack = true;
    CallFrameGuard guard(pos, FrameKind::Lambda, lam);
    eval(lam->body, &frame.env, result);
}

// `x: y: body` applied to x and y evaluates `y: body` to a closure over x's
// environment and calls that. Here x's environment stays on the stack and y's
// call runs in it directly: no closure, and nothing is copied to the arena
// unless the body keeps a reference (EvalState::capture copies the chain).
// Only y's call frame is recorded, as when the closure is made and called.
void EvalState::callCurried(Env* closure, const ExprLambda* lam, Value** args, size_t nargs, Value& result, PosIdx pos,
                            bool firstArgOnStack) {
    checkStack();
    StackEnv frame(closure, args[0]);
    frame.argOnStack = firstArgOnStack;
    auto* inner = static_cast<const ExprLambda*>(lam->body);
    if (nargs > 2 && !inner->hasFormals && inner->body->kind == ExprKind::Lambda)
        return callCurried(&frame.env, inner, args + 1, nargs - 1, result, pos);
    if (nargs == 2) return callLambda(&frame.env, inner, args[1], result, pos);
    Value partial;
    callLambda(&frame.env, inner, args[1], partial, pos);
    callFunction(partial, nargs - 2, args + 2, result, pos);
}

// One step of foldl'. The usual `acc: x: ...` gets an accumulator that may
// live on the caller's C++ frame (`accOnStack`), like a genList index: it
// moves to the arena only if the step keeps a pointer to it, so a strict
// fold allocates nothing for its intermediate results.
void EvalState::callFoldStep(Value& fn, Value* acc, bool accOnStack, Value* x, Value& result, PosIdx pos) {
    Value* two[2] = {acc, x};
    if (fn.type() == ValueType::Lambda && !fn.lambda()->hasFormals && fn.lambda()->body->kind == ExprKind::Lambda)
        return callCurried(fn.env(), fn.lambda(), two, 2, result, pos, accOnStack);
    if (accOnStack) {
        two[0] = allocValue();
        *two[0] = *acc;
    }
    callFunction(fn, 2, two, result, pos);
}

void EvalState::callPrimOp(const PrimOp* op, Value** args, Value& result, PosIdx pos) {
    CallFrameGuard frame(pos, FrameKind::Builtin, op);
    op->fn(*this, pos, args, result);
}

void EvalState::callFunctionGeneric(Value& fnIn, size_t nargs, Value** args, Value& result, PosIdx pos) {
    checkStack();
    Value fn = fnIn;
    while (nargs > 0) {
        force(fn, pos);
        switch (fn.type()) {
            case ValueType::Lambda: {
                const ExprLambda* lam = fn.lambda();
                if (nargs == 1) return callLambda(fn.env(), lam, args[0], result, pos);
                if (!lam->hasFormals && lam->body->kind == ExprKind::Lambda)
                    return callCurried(fn.env(), lam, args, nargs, result, pos);
                Value tmp;
                callLambda(fn.env(), lam, args[0], tmp, pos);
                fn = tmp;
                ++args;
                --nargs;
                continue;
            }
            case ValueType::PrimOp: {
                const PrimOp* op = fn.primOp();
                if (nargs < op->arity) {
                    // Partial application: remember the arguments in a chain of PrimOpApp values.
                    Value* cur = allocValue();
                    *cur = fn;
                    for (size_t i = 0; i < nargs; ++i) {
                        Value* app = allocValue();
                        app->mkPrimOpApp(cur, args[i]);
                        cur = app;
                    }
                    result = *cur;
                    return;
                }
                Value tmp;
                Value& out = nargs == op->arity ? result : tmp;
                {
                    CallFrameGuard frame(pos, FrameKind::Builtin, op);
                    op->fn(*this, pos, args, out);
                }
                if (nargs == op->arity) return;
                fn = tmp;
                args += op->arity;
                nargs -= op->arity;
                continue;
            }
            case ValueType::PrimOpApp: {
                size_t applied = 0;
                Value* head = &fn;
                while (head->type() == ValueType::PrimOpApp) {
                    ++applied;
                    head = head->appLeft();
                }
                const PrimOp* op = head->primOp();
                size_t missing = op->arity - applied;
                if (nargs < missing) {
                    Value* cur = allocValue();
                    *cur = fn;
                    for (size_t i = 0; i < nargs; ++i) {
                        Value* app = allocValue();
                        app->mkPrimOpApp(cur, args[i]);
                        cur = app;
                    }
                    result = *cur;
                    return;
                }
                Value* all[8];
                size_t k = applied;
                for (Value* p = &fn; p->type() == ValueType::PrimOpApp; p = p->appLeft()) all[--k] = p->appRight();
                for (size_t i = 0; i < missing; ++i) all[applied + i] = args[i];
                Value tmp;
                Value& out = nargs == missing ? result : tmp;
                {
                    CallFrameGuard frame(pos, FrameKind::Builtin, op);
                    op->fn(*this, pos, all, out);
                }
                if (nargs == missing) return;
                fn = tmp;
                args += missing;
                nargs -= missing;
                continue;
            }
            case ValueType::Attrs: {
                if (const Attr* f = fn.attrs()->find(sym.functor)) {
                    // f x = f.__functor f x
                    Value* self = allocValue();
                    *self = fn;
                    Value* two[2] = {self, args[0]};
                    Value tmp;
                    Value functor = *f->value;
                    force(functor, pos);
                    callFunction(functor, 2, two, nargs == 1 ? result : tmp, pos);
                    if (nargs == 1) return;
                    fn = tmp;
                    ++args;
                    --nargs;
                    continue;
                }
                [[fallthrough]];
            }
            default:
                throw TypeError(pos, "attempt to call something which is not a function but %s", showType(fn));
        }
    }
    result = fn;
}

void EvalState::autoCallFunction(Bindings* args, Value& fn, Value& result) {
    force(fn, PosIdx{});
    if (fn.type() == ValueType::Attrs) {
        if (const Attr* f = fn.attrs()->find(sym.functor)) {
            Value* self = allocValue();
            *self = fn;
            Value partial;
            Value functor = *f->value;
            force(functor, PosIdx{});
            callFunction(functor, *self, partial, PosIdx{});
            return autoCallFunction(args, partial, result);
        }
    }
    if (fn.type() != ValueType::Lambda || !fn.lambda()->hasFormals) {
        result = fn;
        return;
    }
    const ExprLambda* lam = fn.lambda();
    auto b = buildBindings(lam->formals.size());
    for (auto& f : lam->formals) {
        const Attr* a = args->find(f.name);
        if (a)
            b.add(f.name, a->value);
        else if (!f.def)
            throw EvalError(lam->pos,
                            "cannot evaluate a function that has an argument without a value ('%s'); "
                            "pass one with --arg or --argstr",
                            name(f.name));
    }
    Value* arg = allocValue();
    arg->mkAttrs(b.finish());
    callFunction(fn, *arg, result, lam->pos);
}

namespace {
void forceDeepRec(EvalState& state, Value& v, std::unordered_set<const void*>& seen) {
    state.force(v, PosIdx{});
    state.checkStack();
    if (v.type() == ValueType::Attrs) {
        // Sets and lists already visited are skipped, so cyclic values terminate.
        Bindings* b = state.flatAttrs(v);
        if (!seen.insert(b).second) return;
        for (auto& a : *b) {
            CallFrameGuard frame(a.pos, FrameKind::Attribute, reinterpret_cast<const void*>(uintptr_t(a.name.id)));
            forceDeepRec(state, *a.value, seen);
        }
    } else if (v.type() == ValueType::List) {
        if (!seen.insert(v.list()).second) return;
        for (size_t i = 0; i < v.listSize(); ++i) forceDeepRec(state, *v.listElems()[i], seen);
    }
}
}  // namespace

void EvalState::forceDeep(Value& v) {
    std::unordered_set<const void*> seen;
    forceDeepRec(*this, v, seen);
}

}  // namespace cstore::eval
