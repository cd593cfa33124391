// The core of the evaluator: one switch over expression kinds. Results are
// written into the caller's Value; thunks are forced in place.
#include <algorithm>
#include <charconv>

#include "cstore/eval/eval_state.hh"
#include "internal.hh"

namespace cstore::eval {

using namespace lang;

// A literal's bytes stay in the syntax tree, which lives as long as the
// values: its string shares them instead of copying (import paths are long).
const StrData* EvalState::literalStr(std::string_view bytes) {
    return bytes.empty() ? makeStr(bytes) : sliceStr(bytes);
}

Value* EvalState::thunkSlow(const Expr* e, Env* env) {
    switch (e->kind) {
        case ExprKind::Int: {
            auto* c = static_cast<const ExprInt*>(e);
            if (!c->evalCache) {
                Value* v = allocValue();
                v->mkInt(c->value);
                c->evalCache = v;
            }
            return static_cast<Value*>(c->evalCache);
        }
        case ExprKind::Float: {
            auto* c = static_cast<const ExprFloat*>(e);
            if (!c->evalCache) {
                Value* v = allocValue();
                v->mkFloat(c->value);
                c->evalCache = v;
            }
            return static_cast<Value*>(c->evalCache);
        }
        case ExprKind::String: {
            auto* c = static_cast<const ExprString*>(e);
            if (!c->evalCache) {
                Value* v = allocValue();
                v->mkString(literalStr(c->value));
                c->evalCache = v;
            }
            return static_cast<Value*>(c->evalCache);
        }
        case ExprKind::Path: {
            auto* c = static_cast<const ExprPath*>(e);
            if (!c->evalCache) {
                Value* v = allocValue();
                v->mkPath(literalStr(c->value));
                c->evalCache = v;
            }
            return static_cast<Value*>(c->evalCache);
        }
        case ExprKind::Var: {
            auto* var = static_cast<const ExprVar*>(e);
            if (!var->fromWith) {
                Env* target = env;
                for (uint32_t l = var->level; l; --l) target = target->parent();
                // A rec/let slot not filled yet (a later binding): make a thunk instead.
                if (Value* slot = target->values[var->slot]) {
                    if (target->onStack() && StackEnv::of(target)->argOnStack) [[unlikely]]
                        return moveArgToArena(target);
                    return slot;
                }
            }
            break;
        }
        default:
            break;
    }
    Value* v = allocValue();
    v->mkThunk(capture(env), e);
    return v;
}

// Merges two flat sets into `out` (sized for the result); on equal names `b` wins.
void mergeSorted(const Bindings* a, const Bindings* b, Bindings* out) {
    uint32_t i = 0, j = 0, k = 0;
    while (i < a->size && j < b->size) {
        if (a->attrs[i].name.id < b->attrs[j].name.id)
            out->attrs[k++] = a->attrs[i++];
        else if (b->attrs[j].name.id < a->attrs[i].name.id)
            out->attrs[k++] = b->attrs[j++];
        else {
            out->attrs[k++] = b->attrs[j++];
            ++i;
        }
    }
    while (i < a->size) out->attrs[k++] = a->attrs[i++];
    while (j < b->size) out->attrs[k++] = b->attrs[j++];
    out->size = k;
}

Bindings* EvalState::flattenLayers(Bindings* top) {
    Attr& cache = top->attrs[top->size + 1];
    if (cache.value) return reinterpret_cast<Bindings*>(cache.value);
    // Collect the layers' entries down to a flat (or already flattened) base,
    // newest first, keep the newest entry per name, and merge once.
    std::vector<Attr> overlay;
    Bindings* base = top;
    while (base->isLayer()) {
        Attr& c = base->attrs[base->size + 1];
        if (c.value && base != top) {
            base = reinterpret_cast<Bindings*>(c.value);
            break;
        }
        overlay.insert(overlay.end(), base->attrs, base->attrs + base->size);
        base = base->layerBase();
    }
    std::stable_sort(overlay.begin(), overlay.end(),
                     [](const Attr& x, const Attr& y) { return x.name.id < y.name.id; });
    overlay.erase(
        std::unique(overlay.begin(), overlay.end(), [](const Attr& x, const Attr& y) { return x.name == y.name; }),
        overlay.end());
    Bindings* layer = allocBindings(overlay.size());
    std::copy(overlay.begin(), overlay.end(), layer->attrs);
    layer->size = static_cast<uint32_t>(overlay.size());
    Bindings* out = allocBindings(base->size + layer->size);
    mergeSorted(base, layer, out);
    cache.value = reinterpret_cast<Value*>(out);
    return out;
}

Value* EvalState::moveArgToArena(Env* env) {
    Value* copy = allocValue();
    *copy = *env->values[0];
    env->values[0] = copy;
    StackEnv::of(env)->argOnStack = false;
    return copy;
}

Env* EvalState::captureStackEnv(Env* env) {
    StackEnv* frame = StackEnv::of(env);
    if (frame->argOnStack) moveArgToArena(env);
    if (!frame->heapCopy) {
        Env* copy = allocEnv(1);
        // The parent may be on the stack too (see callCurried).
        copy->up = capture(env->parent());
        copy->values[0] = env->values[0];
        frame->heapCopy = copy;
    }
    return frame->heapCopy;
}

Value* EvalState::lookupVar(Env* env, const ExprVar* var) {
    for (uint32_t l = var->level; l; --l) env = env->parent();
    if (!var->fromWith) return env->values[var->slot];
    return lookupWith(env, var);
}

Value* EvalState::lookupWith(Env* env, const ExprVar* var) {
    // A with-environment holds the attribute set in slot 0 and, in slot 1, how
    // many levels up the next enclosing with-environment is (0: none).
    while (true) {
        Value* attrs = env->values[0];
        force(*attrs, var->pos);
        if (attrs->type() != ValueType::Attrs) throwTypeError(var->pos, "a set", *attrs);
        if (const Attr* a = attrs->attrs()->find(var->name)) return a->value;
        auto prev = reinterpret_cast<uintptr_t>(env->values[1]);
        if (!prev) throw EvalError(var->pos, "undefined variable '%s'", name(var->name));
        for (; prev; --prev) env = env->parent();
    }
}

void EvalState::forceSlow(Value& v, PosIdx pos) {
    switch (v.type()) {
        case ValueType::Thunk: {
            Env* env = v.env();
            const Expr* e = v.expr();
            v.mkBlackhole();
            try {
                eval(e, env, v);
            } catch (...) {
                v.mkThunk(env, e);
                throw;
            }
            return;
        }
        case ValueType::Blackhole:
            throw InfiniteRecursionError(v.expr() ? v.expr()->pos : pos, "infinite recursion encountered");
        case ValueType::App: {
            Value fn = *v.appLeft();
            if (v.appArgIsIndex()) {
                int64_t index = v.appIndex();
                force(fn, pos);
                return callWithIndex(fn, index, v, pos);
            }
            Value* arg = v.appRight();
            force(fn, pos);
            callFunction(fn, 1, &arg, v, pos);
            return;
        }
        default:
            return;
    }
}

Env* EvalState::fillRecursiveEnv(const ExprAttrs* attrs, Env* outer) {
    size_t n = attrs->attrs.size();
    Env* env = allocEnv(n);
    env->up = capture(outer);
    for (size_t i = 0; i < n; ++i) env->values[i] = nullptr;
    for (size_t i = 0; i < n; ++i) {
        const AttrDef& def = attrs->attrs[i];
        env->values[i] = thunk(def.value, def.inherited ? outer : env);
    }
    return env;
}

// Each non-trivial case lives in its own function, so that eval's stack frame
// stays small: evaluation recurses deeply and frame size is cache traffic.
namespace {

[[gnu::noinline]] void evalCallSlow(EvalState& state, const ExprCall* c, Env* env, Value& fn, Value& v) {
    std::vector<Value*> args(c->args.size());
    for (size_t i = 0; i < args.size(); ++i) args[i] = state.thunk(c->args[i], env);
    state.callFunction(fn, args.size(), args.data(), v, c->pos);
}

}  // namespace

// A function argument. Integer arithmetic on operands that are already
// evaluated (`f (n - 1)`) is computed right away instead of allocating a
// thunk: it cannot fail or loop, so only the timing differs. This is the one
// place where a value can be evaluated before Nix would; it would show when
// such an argument is printed unforced (as a number instead of <CODE>), so
// `cstore eval` without --strict turns it off (eagerIntegerArguments).
Value* EvalState::argument(const Expr* e, Env* env) {
    ExprKind k = e->kind;
    if (!options_.eagerIntegerArguments) return thunk(e, env);
    if (k == ExprKind::Sub || k == ExprKind::Mul ||
        (k == ExprKind::ConcatStrings && !static_cast<const ExprConcatStrings*>(e)->forceString &&
         static_cast<const ExprConcatStrings*>(e)->parts.size() == 2)) {
        const Expr *l, *r;
        if (k == ExprKind::ConcatStrings) {
            l = static_cast<const ExprConcatStrings*>(e)->parts[0];
            r = static_cast<const ExprConcatStrings*>(e)->parts[1];
        } else {
            l = static_cast<const ExprBinary*>(e)->lhs;
            r = static_cast<const ExprBinary*>(e)->rhs;
        }
        auto known = [&](const Expr* x, int64_t& out) {
            if (x->kind == ExprKind::Int) {
                out = static_cast<const ExprInt*>(x)->value;
                return true;
            }
            if (x->kind != ExprKind::Var || static_cast<const ExprVar*>(x)->fromWith) return false;
            auto* var = static_cast<const ExprVar*>(x);
            Env* target = env;
            for (uint32_t lv = var->level; lv; --lv) target = target->parent();
            Value* val = target->values[var->slot];
            if (!val || val->type() != ValueType::Int) return false;
            out = val->integer();
            return true;
        };
        int64_t a, b;
        if (known(l, a) && known(r, b)) {
            uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
            return intValue(static_cast<int64_t>(k == ExprKind::Sub   ? ua - ub
                                                 : k == ExprKind::Mul ? ua * ub
                                                                      : ua + ub));
        }
    }
    return thunk(e, env);
}

// An argument of a builtin that only reads its arguments (PrimOp::readsArgsOnly):
// a number or string held on the stack (a genList index, a foldl' accumulator)
// is passed where it is rather than moved to the arena first.
Value* EvalState::readOnlyArgument(const Expr* e, Env* env) {
    if (e->kind == ExprKind::Var && !static_cast<const ExprVar*>(e)->fromWith) {
        auto* var = static_cast<const ExprVar*>(e);
        Env* target = env;
        for (uint32_t l = var->level; l; --l) target = target->parent();
        Value* slot = target->values[var->slot];
        if (slot && target->onStack() && StackEnv::of(target)->argOnStack) {
            switch (slot->type()) {
                case ValueType::Int:
                case ValueType::Float:
                case ValueType::Bool:
                case ValueType::Null:
                case ValueType::String:
                case ValueType::Path:
                    return slot;
                default:
                    break;
            }
        }
    }
    return argument(e, env);
}

// Inlined into evalCall: a call of its own showed in call-heavy code (fib).
[[gnu::always_inline]] inline void EvalState::callEvaluated(const ExprCall* c, Value& fn, Env* env, Value& v) {
    size_t n = c->args.size();
    if (n > 4) return evalCallSlow(*this, c, env, fn, v);
    Value* args[4];
    if (fn.type() == ValueType::PrimOp && fn.primOp()->readsArgsOnly && n == fn.primOp()->arity) {
        for (size_t i = 0; i < n; ++i) args[i] = readOnlyArgument(c->args[i], env);
        return callPrimOp(fn.primOp(), args, v, c->pos);
    }
    for (size_t i = 0; i < n; ++i) args[i] = argument(c->args[i], env);
    callFunction(fn, n, args, v, c->pos);
}

void EvalState::evalCall(const ExprCall* c, Env* env, Value& v) {
    Value fn;
    evalOperand(c->fn, env, fn);
    callEvaluated(c, fn, env, v);
}

// `toString n` inside a string concatenation ("${toString i}"), with `n` an
// integer literal or a variable holding an evaluated integer: its digits are
// written to `digits` and no string value is made (returns their number).
// Anything else is evaluated into `v` as usual (returns 0).
size_t EvalState::evalPartToString(const Expr* e, Env* env, Value& v, char (&digits)[24]) {
    if (e->kind == ExprKind::Call && static_cast<const ExprCall*>(e)->args.size() == 1 && toStringOp_) {
        auto* c = static_cast<const ExprCall*>(e);
        const Expr* a = c->args[0];
        int64_t n = 0;
        bool known = false;
        if (a->kind == ExprKind::Int) {
            n = static_cast<const ExprInt*>(a)->value;
            known = true;
        } else if (a->kind == ExprKind::Var && !static_cast<const ExprVar*>(a)->fromWith) {
            auto* var = static_cast<const ExprVar*>(a);
            Env* target = env;
            for (uint32_t l = var->level; l; --l) target = target->parent();
            const Value* x = target->values[var->slot];
            if (x && x->type() == ValueType::Int) {
                n = x->integer();
                known = true;
            }
        }
        if (known) {
            Value fn;
            evalOperand(c->fn, env, fn);
            if (fn.type() == ValueType::PrimOp && fn.primOp() == toStringOp_)
                return static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, n).ptr - digits);
            callEvaluated(c, fn, env, v);
            return 0;
        }
    }
    evalOperand(e, env, v);
    return 0;
}

void EvalState::evalHasAttr(const ExprHasAttr* h, Env* env, Value& v) {
    Value tmp;
    eval(h->subject, env, tmp);
    Value* cur = &tmp;
    for (auto& a : h->path) {
        force(*cur, h->pos);
        Symbol s = a.expr ? attrNameOf(*this, a, env) : a.symbol;
        const Attr* found = cur->type() == ValueType::Attrs ? cur->attrs()->find(s) : nullptr;
        if (!found) {
            v.mkBool(false);
            return;
        }
        cur = found->value;
    }
    v.mkBool(true);
}

void EvalState::evalList(const ExprList* l, Env* env, Value& v) {
    size_t n = l->elems.size();
    ListData* list = allocList(n);
    for (size_t i = 0; i < n; ++i) list->elems[i] = thunk(l->elems[i], env);
    v.mkList(list);
}

void EvalState::evalAssert(const ExprAssert* a, Env* env, Value& v) {
    Value c;
    eval(a->cond, env, c);
    if (!forceBool(c, a->cond->pos))
        throw AssertionError(a->pos, "assertion '%s' failed", showExpr(ast_.symbols, a->cond));
    eval(a->body, env, v);
}

void EvalState::evalEq(const ExprBinary* b, Env* env, Value& v) {
    Value l, r;
    evalOperand(b->lhs, env, l);
    evalOperand(b->rhs, env, r);
    bool eq =
        l.type() == ValueType::Int && r.type() == ValueType::Int ? l.integer() == r.integer() : eqValues(l, r, b->pos);
    v.mkBool(b->kind == ExprKind::Eq ? eq : !eq);
}

void EvalState::evalLogic(const ExprBinary* b, Env* env, Value& v) {
    Value l;
    eval(b->lhs, env, l);
    bool lb = forceBool(l, b->lhs->pos);
    // && stops on false, || on true, -> on false (vacuously true).
    bool shortCircuit = b->kind == ExprKind::Or ? lb : !lb;
    if (shortCircuit) {
        v.mkBool(b->kind != ExprKind::And);
        return;
    }
    Value r;
    eval(b->rhs, env, r);
    v.mkBool(forceBool(r, b->rhs->pos));
}

void EvalState::evalLess(const ExprLess* l, Env* env, Value& v) {
    Value a, b;
    evalOperand(l->lhs, env, a);
    evalOperand(l->rhs, env, b);
    bool r;
    if (a.type() == ValueType::Int && b.type() == ValueType::Int)
        r = l->swap ? b.integer() < a.integer() : a.integer() < b.integer();
    else
        r = l->swap ? lessThan(b, a, l->pos) : lessThan(a, b, l->pos);
    v.mkBool(l->negate ? !r : r);
}

namespace {
bool isPlus(const Expr* e) {
    if (e->kind != ExprKind::ConcatStrings) return false;
    auto* c = static_cast<const ExprConcatStrings*>(e);
    return !c->forceString && c->parts.size() == 2;
}
}  // namespace

void EvalState::evalPlus(const ExprConcatStrings* c, Env* env, Value& v) {
    if (!isPlus(c))
        return evalConcatStrings(c->parts.begin(), c->parts.size(), c->forceString, c->pos, env, v, nullptr, 0);
    if (isPlus(c->parts[0])) return evalPlusChain(c, env, v);
    // `a + b` on two integers is by far the most common case.
    Value pre[2];
    evalOperand(c->parts[0], env, pre[0]);
    if (pre[0].type() != ValueType::Int) return evalConcatStrings(c->parts.begin(), 2, false, c->pos, env, v, pre, 1);
    evalOperand(c->parts[1], env, pre[1]);
    if (pre[1].type() != ValueType::Int) return evalConcatStrings(c->parts.begin(), 2, false, c->pos, env, v, pre, 2);
    v.mkInt(static_cast<int64_t>(static_cast<uint64_t>(pre[0].integer()) + static_cast<uint64_t>(pre[1].integer())));
}

// `a + b + c` is `(a + b) + c`. When `a` is a string or a number, that is the
// same as adding all operands in one go (same order, same coercions, same
// errors), which makes no intermediate strings. A path (canonicalised at each
// step) or a set with outPath on the left is added step by step as written.
void EvalState::evalPlusChain(const ExprConcatStrings* c, Env* env, Value& v) {
    size_t n = 0;  // the `+` nodes, outermost first
    for (const Expr* e = c; isPlus(e); e = static_cast<const ExprConcatStrings*>(e)->parts[0]) ++n;
    const ExprConcatStrings* inlineChain[16];
    std::vector<const ExprConcatStrings*> longChain(n > 16 ? n : 0);
    const ExprConcatStrings** chain = n > 16 ? longChain.data() : inlineChain;
    const Expr* e = c;
    for (size_t i = 0; i < n; ++i, e = chain[i - 1]->parts[0]) chain[i] = static_cast<const ExprConcatStrings*>(e);
    const Expr* leftmost = chain[n - 1]->parts[0];
    Value first;
    evalOperand(leftmost, env, first);
    force(first, leftmost->pos);
    ValueType t = first.type();
    if (t == ValueType::String || t == ValueType::Int || t == ValueType::Float) {
        const Expr* inlineOperands[17];
        std::vector<const Expr*> manyOperands(n > 16 ? n + 1 : 0);
        const Expr** operands = n > 16 ? manyOperands.data() : inlineOperands;
        operands[0] = leftmost;
        for (size_t i = 0; i < n; ++i) operands[i + 1] = chain[n - 1 - i]->parts[1];
        return evalConcatStrings(operands, n + 1, false, c->pos, env, v, &first, 1);
    }
    Value acc = first;
    for (size_t i = n; i-- > 0;) {
        Value sum;
        evalConcatStrings(chain[i]->parts.begin(), 2, false, chain[i]->pos, env, sum, &acc, 1);
        acc = sum;
    }
    v = acc;
}

void EvalState::eval(const Expr* e, Env* env, Value& v) {
    checkStack();
    switch (e->kind) {
        case ExprKind::Int:
            v.mkInt(static_cast<const ExprInt*>(e)->value);
            return;
        case ExprKind::Float:
            v.mkFloat(static_cast<const ExprFloat*>(e)->value);
            return;
        case ExprKind::String:
            if (auto* cached = static_cast<const Value*>(static_cast<const ExprString*>(e)->evalCache)) {
                v = *cached;
                return;
            }
            v = *thunkSlow(e, env);
            return;
        case ExprKind::Path:
            v = *thunkSlow(e, env);
            return;
        case ExprKind::Var: {
            Value* x = lookupVar(env, static_cast<const ExprVar*>(e));
            force(*x, e->pos);
            v = *x;
            return;
        }
        case ExprKind::Select:
            return evalSelect(static_cast<const ExprSelect*>(e), env, v);
        case ExprKind::HasAttr:
            return evalHasAttr(static_cast<const ExprHasAttr*>(e), env, v);
        case ExprKind::Attrs:
            return evalAttrs(static_cast<const ExprAttrs*>(e), env, v);
        case ExprKind::List:
            return evalList(static_cast<const ExprList*>(e), env, v);
        case ExprKind::Lambda:
            v.mkLambda(capture(env), static_cast<const ExprLambda*>(e));
            return;
        case ExprKind::Call:
            return evalCall(static_cast<const ExprCall*>(e), env, v);
        case ExprKind::Let:
            return eval(static_cast<const ExprLet*>(e)->body,
                        fillRecursiveEnv(static_cast<const ExprLet*>(e)->attrs, env), v);
        case ExprKind::With: {
            auto* w = static_cast<const ExprWith*>(e);
            Env* inner = allocEnv(2);
            inner->up = capture(env);
            inner->values[0] = thunk(w->attrs, env);
            inner->values[1] = reinterpret_cast<Value*>(static_cast<uintptr_t>(w->prevWith));
            return eval(w->body, inner, v);
        }
        case ExprKind::If: {
            auto* i = static_cast<const ExprIf*>(e);
            Value c;
            evalOperand(i->cond, env, c);
            return eval(forceBool(c, i->cond->pos) ? i->then : i->otherwise, env, v);
        }
        case ExprKind::Assert:
            return evalAssert(static_cast<const ExprAssert*>(e), env, v);
        case ExprKind::Not: {
            auto* n = static_cast<const ExprNot*>(e);
            Value c;
            eval(n->operand, env, c);
            v.mkBool(!forceBool(c, n->operand->pos));
            return;
        }
        case ExprKind::Eq:
        case ExprKind::NEq:
            return evalEq(static_cast<const ExprBinary*>(e), env, v);
        case ExprKind::And:
        case ExprKind::Or:
        case ExprKind::Impl:
            return evalLogic(static_cast<const ExprBinary*>(e), env, v);
        case ExprKind::Update:
            return evalUpdate(static_cast<const ExprBinary*>(e), env, v);
        case ExprKind::ConcatLists:
            return evalConcatLists(static_cast<const ExprBinary*>(e), env, v);
        case ExprKind::Sub:
        case ExprKind::Mul:
        case ExprKind::Div:
            return evalArith(static_cast<const ExprBinary*>(e), env, v);
        case ExprKind::Less:
            return evalLess(static_cast<const ExprLess*>(e), env, v);
        case ExprKind::ConcatStrings:
            return evalPlus(static_cast<const ExprConcatStrings*>(e), env, v);
        case ExprKind::CurPos:
            return evalCurPos(e, v);
    }
}

void EvalState::evalSelect(const ExprSelect* e, Env* env, Value& v) {
    Value tmp;
    evalOperand(e->subject, env, tmp);
    Value* cur = &tmp;
    for (auto& a : e->path) {
        force(*cur, e->pos);
        Symbol s = a.expr ? attrNameOf(*this, a, env) : a.symbol;
        if (cur->type() != ValueType::Attrs) {
            if (e->fallback) return eval(e->fallback, env, v);
            throwTypeError(e->pos, "a set", *cur);
        }
        Bindings* set = cur->attrs();
        const Attr* found;
        // Most selections look up the same name in the same set again and again
        // (builtins.x, lib.x, self.x): remember the last hit.
        if (!a.expr && a.cacheSet == set) {
            found = static_cast<const Attr*>(a.cacheEntry);
        } else {
            found = set->find(s);
            if (!found) {
                if (e->fallback) return eval(e->fallback, env, v);
                throwMissingAttr(e->pos, s, set);
            }
            if (!a.expr) {
                a.cacheSet = set;
                a.cacheEntry = found;
            }
        }
        cur = found->value;
    }
    force(*cur, e->pos);
    v = *cur;
}

void EvalState::evalAttrs(const ExprAttrs* e, Env* env, Value& v) {
    size_t n = e->attrs.size();
    size_t capacity = n + e->dynamicAttrs.size();
    Bindings* b = allocBindings(capacity);
    Env* valueEnv = env;
    if (e->recursive) {
        valueEnv = fillRecursiveEnv(e, env);
        for (size_t i = 0; i < n; ++i) b->attrs[i] = Attr{e->attrs[i].name, e->attrs[i].pos, valueEnv->values[i]};
    } else {
        for (size_t i = 0; i < n; ++i) {
            const AttrDef& def = e->attrs[i];
            b->attrs[i] = Attr{def.name, def.pos, thunk(def.value, env)};
        }
    }
    b->size = static_cast<uint32_t>(n);
    if (!e->dynamicAttrs.empty()) {
        // Names evaluating to null are left out; the rest are inserted in order.
        for (auto& d : e->dynamicAttrs) {
            Value nameV;
            eval(d.name, valueEnv, nameV);
            force(nameV, d.pos);
            if (nameV.type() == ValueType::Null) continue;
            Symbol s = intern(forceStringNoCtx(nameV, d.pos));
            for (uint32_t i = 0; i < b->size; ++i)
                if (b->attrs[i].name == s)
                    throw EvalError(d.pos, "dynamic attribute '%s' already defined at %s", name(s),
                                    describePos(b->attrs[i].pos));
            Value* val = thunk(d.value, valueEnv);
            // Insertion keeps the array sorted by symbol id.
            uint32_t at = b->size;
            while (at > 0 && b->attrs[at - 1].name.id > s.id) {
                b->attrs[at] = b->attrs[at - 1];
                --at;
            }
            b->attrs[at] = Attr{s, d.pos, val};
            ++b->size;
        }
    }
    v.mkAttrs(b);
}

namespace {
// When `//` makes a layer instead of a copy (see Bindings).
constexpr uint32_t layerMinBase = 64, layerMaxTop = 8, layerMaxDepth = 16;
}  // namespace

void EvalState::evalUpdate(const ExprBinary* e, Env* env, Value& v) {
    Value l, r;
    eval(e->lhs, env, l);
    eval(e->rhs, env, r);
    forceAttrs(l, e->pos);
    forceAttrs(r, e->pos);
    Bindings* b = flatAttrs(r);
    if (b->empty()) {
        v = l;
        return;
    }
    Bindings* a = l.attrs();
    if (a->empty()) {
        v = r;
        return;
    }
    if (b->size <= layerMaxTop && (a->isLayer() || a->size >= layerMinBase) && a->layerDepth() < layerMaxDepth) {
        // Two extra slots: the base, then the cache of the flattened set.
        Bindings* layer = allocBindings(b->size + 2);
        std::copy_n(b->attrs, b->size, layer->attrs);
        layer->size = b->size;
        layer->capacity = Bindings::layerFlag | (a->layerDepth() + 1);
        layer->attrs[b->size] = Attr{Symbol{}, PosIdx{}, reinterpret_cast<Value*>(a)};
        layer->attrs[b->size + 1] = Attr{Symbol{}, PosIdx{}, nullptr};
        v.mkAttrs(layer);
        return;
    }
    a = flatAttrs(l);
    // Count the result first so the new set has no unused slots.
    uint32_t total = a->size + b->size;
    for (uint32_t i = 0, j = 0; i < a->size && j < b->size;) {
        if (a->attrs[i].name.id < b->attrs[j].name.id)
            ++i;
        else if (b->attrs[j].name.id < a->attrs[i].name.id)
            ++j;
        else
            --total, ++i, ++j;
    }
    Bindings* out = allocBindings(total);
    mergeSorted(a, b, out);
    v.mkAttrs(out);
}

void EvalState::evalConcatLists(const ExprBinary* e, Env* env, Value& v) {
    Value l, r;
    eval(e->lhs, env, l);
    eval(e->rhs, env, r);
    forceList(l, e->lhs->pos);
    forceList(r, e->rhs->pos);
    size_t ln = l.listSize(), rn = r.listSize();
    if (rn == 0) {
        v = l;
        return;
    }
    if (ln == 0) {
        v = r;
        return;
    }
    ListData* out = allocList(ln + rn);
    std::copy_n(l.listElems(), ln, out->elems);
    std::copy_n(r.listElems(), rn, out->elems + ln);
    v.mkList(out);
}

void EvalState::evalArith(const ExprBinary* e, Env* env, Value& v) {
    Value l, r;
    evalOperand(e->lhs, env, l);
    evalOperand(e->rhs, env, r);
    if (e->kind == ExprKind::Sub && l.type() == ValueType::Int && r.type() == ValueType::Int) {
        v.mkInt(static_cast<int64_t>(static_cast<uint64_t>(l.integer()) - static_cast<uint64_t>(r.integer())));
        return;
    }
    force(l, e->pos);
    force(r, e->pos);
    arith(*this, e->kind, l, r, v, e->pos);
}

void EvalState::evalCurPos(const Expr* e, Value& v) {
    SourcePos p = positions().resolve(e->pos);
    auto b = buildBindings(3);
    mkString(*b.alloc(sym.file), p.file);
    b.alloc(sym.line)->mkInt(p.line);
    b.alloc(sym.column)->mkInt(p.column);
    v.mkAttrs(b.finish());
}

}  // namespace cstore::eval
