// List builtins. Results that apply a function per element (map, genList)
// stay lazy: each element is an application evaluated when forced.
#include <algorithm>
#include <set>

#include "internal.hh"

namespace cstore::eval {

namespace {

void primLength(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    v.mkInt(static_cast<int64_t>(args[0]->listSize()));
}

void primHead(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    if (args[0]->listSize() == 0) throw EvalError(pos, "'builtins.head' called on an empty list");
    Value* x = args[0]->listElems()[0];
    state.force(*x, pos);
    v = *x;
}

void primTail(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    size_t n = args[0]->listSize();
    if (n == 0) throw EvalError(pos, "'builtins.tail' called on an empty list");
    ListData* l = state.allocList(n - 1);
    std::copy_n(args[0]->listElems() + 1, n - 1, l->elems);
    v.mkList(l);
}

void primElemAt(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    int64_t i = state.forceInt(*args[1], pos);
    if (i < 0 || static_cast<size_t>(i) >= args[0]->listSize())
        throw EvalError(pos, "list index %s is out of bounds", i);
    Value* x = args[0]->listElems()[i];
    state.force(*x, pos);
    v = *x;
}

void primMap(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[1], pos);
    size_t n = args[1]->listSize();
    ListData* l = state.allocList(n);
    for (size_t i = 0; i < n; ++i) {
        Value* app = state.allocValue();
        app->mkApp(args[0], args[1]->listElems()[i]);
        l->elems[i] = app;
    }
    v.mkList(l);
}

bool callPredicate(EvalState& state, Value& fn, Value* x, PosIdx pos) {
    Value r;
    state.callFunction(fn, *x, r, pos);
    return state.forceBool(r, pos);
}

void primFilter(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[1], pos);
    size_t n = args[1]->listSize();
    Value** elems = args[1]->listElems();
    // One bit per element, then the result at its final size (a vector of
    // pointers was 8 bytes per element of fresh memory).
    std::vector<uint64_t> keep((n + 63) / 64);
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i)
        if (callPredicate(state, *args[0], elems[i], pos)) {
            keep[i / 64] |= uint64_t(1) << (i % 64);
            ++kept;
        }
    if (kept == n) {
        v = *args[1];
        return;
    }
    ListData* l = state.allocList(kept);
    for (size_t i = 0, k = 0; k < kept; ++i)
        if (keep[i / 64] >> (i % 64) & 1) l->elems[k++] = elems[i];
    v.mkList(l);
}

void primElem(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[1], pos);
    for (size_t i = 0; i < args[1]->listSize(); ++i)
        if (state.eqValues(*args[0], *args[1]->listElems()[i], pos)) {
            v.mkBool(true);
            return;
        }
    v.mkBool(false);
}

void primConcatLists(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    size_t total = 0, n = args[0]->listSize();
    for (size_t i = 0; i < n; ++i) {
        state.forceList(*args[0]->listElems()[i], pos);
        total += args[0]->listElems()[i]->listSize();
    }
    ListData* l = state.allocList(total);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
        Value* sub = args[0]->listElems()[i];
        std::copy_n(sub->listElems(), sub->listSize(), l->elems + k);
        k += sub->listSize();
    }
    v.mkList(l);
}

void primConcatMap(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[1], pos);
    size_t n = args[1]->listSize();
    std::vector<Value> results(n);
    size_t total = 0;
    for (size_t i = 0; i < n; ++i) {
        state.callFunction(*args[0], *args[1]->listElems()[i], results[i], pos);
        state.forceList(results[i], pos);
        total += results[i].listSize();
    }
    ListData* l = state.allocList(total);
    size_t k = 0;
    for (auto& r : results) {
        std::copy_n(r.listElems(), r.listSize(), l->elems + k);
        k += r.listSize();
    }
    v.mkList(l);
}

void primFoldlStrict(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[2], pos);
    size_t n = args[2]->listSize();
    if (n == 0) {
        state.force(*args[1], pos);
        v = *args[1];
        return;
    }
    // Intermediate results alternate between two Values on this frame.
    Value* acc = args[1];
    Value steps[2];
    for (size_t i = 0; i < n; ++i) {
        Value& next = i + 1 == n ? v : steps[i & 1];
        state.callFoldStep(*args[0], acc, i > 0, args[2]->listElems()[i], next, pos);
        state.force(next, pos);
        acc = &next;
    }
}

void primGenList(EvalState& state, PosIdx pos, Value** args, Value& v) {
    int64_t n = state.forceInt(*args[1], pos);
    if (n < 0) throw EvalError(pos, "cannot create list of size %s", n);
    ListData* l = state.allocList(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        Value* app = state.allocValue();
        app->mkAppIndex(args[0], i);
        l->elems[i] = app;
    }
    v.mkList(l);
}

void primSort(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[1], pos);
    size_t n = args[1]->listSize();
    ListData* l = state.allocList(n);
    std::copy_n(args[1]->listElems(), n, l->elems);
    for (size_t i = 0; i < n; ++i) state.force(*l->elems[i], pos);
    Value& cmp = *args[0];
    // The common comparator `builtins.lessThan` skips the function call.
    bool isLessThan = cmp.type() == ValueType::PrimOp && std::string_view(cmp.primOp()->name) == "lessThan";
    std::stable_sort(l->elems, l->elems + n, [&](Value* a, Value* b) {
        if (isLessThan) return state.lessThan(*a, *b, pos);
        Value* two[2] = {a, b};
        Value r;
        state.callFunction(cmp, 2, two, r, pos);
        return state.forceBool(r, pos);
    });
    v.mkList(l);
}

void primPartition(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[1], pos);
    std::vector<Value*> right, wrong;
    for (size_t i = 0; i < args[1]->listSize(); ++i) {
        Value* x = args[1]->listElems()[i];
        (callPredicate(state, *args[0], x, pos) ? right : wrong).push_back(x);
    }
    auto b = state.buildBindings(2);
    ListData* r = state.allocList(right.size());
    std::copy(right.begin(), right.end(), r->elems);
    b.alloc(state.sym.right)->mkList(r);
    ListData* w = state.allocList(wrong.size());
    std::copy(wrong.begin(), wrong.end(), w->elems);
    b.alloc(state.sym.wrong)->mkList(w);
    v.mkAttrs(b.finish());
}

void primGroupBy(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[1], pos);
    std::vector<std::pair<Symbol, std::vector<Value*>>> groups;
    std::unordered_map<uint32_t, size_t> index;
    for (size_t i = 0; i < args[1]->listSize(); ++i) {
        Value* x = args[1]->listElems()[i];
        Value key;
        state.callFunction(*args[0], *x, key, pos);
        Symbol s = state.intern(state.forceStringNoCtx(key, pos));
        auto [it, inserted] = index.emplace(s.id, groups.size());
        if (inserted) groups.push_back({s, {}});
        groups[it->second].second.push_back(x);
    }
    auto b = state.buildBindings(groups.size());
    for (auto& [name, elems] : groups) {
        ListData* l = state.allocList(elems.size());
        std::copy(elems.begin(), elems.end(), l->elems);
        b.alloc(name)->mkList(l);
    }
    v.mkAttrs(b.finish());
}

template <bool All>
void primAllAny(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceFunction(*args[0], pos);
    state.forceList(*args[1], pos);
    for (size_t i = 0; i < args[1]->listSize(); ++i)
        if (callPredicate(state, *args[0], args[1]->listElems()[i], pos) != All) {
            v.mkBool(!All);
            return;
        }
    v.mkBool(All);
}

void primGenericClosure(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    const Attr* start = args[0]->attrs()->find(state.sym.startSet);
    if (!start) throw EvalError(pos, "attribute 'startSet' required");
    state.forceList(*start->value, pos);
    const Attr* op = args[0]->attrs()->find(state.sym.operator_);
    if (!op) throw EvalError(pos, "attribute 'operator' required");
    state.force(*op->value, pos);

    std::vector<Value*> work(start->value->listElems(), start->value->listElems() + start->value->listSize());
    auto less = [&](Value* a, Value* b) { return state.lessThan(*a, *b, pos); };
    std::set<Value*, decltype(less)> done(less);
    std::vector<Value*> result;
    for (size_t i = 0; i < work.size(); ++i) {
        Value* e = work[i];
        state.forceAttrs(*e, pos);
        const Attr* key = e->attrs()->find(state.sym.key);
        if (!key) throw EvalError(pos, "attribute 'key' required");
        state.force(*key->value, pos);
        if (!done.insert(key->value).second) continue;
        result.push_back(e);
        Value next;
        state.callFunction(*op->value, *e, next, pos);
        state.forceList(next, pos);
        for (size_t j = 0; j < next.listSize(); ++j) work.push_back(next.listElems()[j]);
    }
    ListData* l = state.allocList(result.size());
    std::copy(result.begin(), result.end(), l->elems);
    v.mkList(l);
}

}  // namespace

const PrimOp listBuiltins[] = {
    {"length", 1, primLength},
    {"head", 1, primHead},
    {"tail", 1, primTail},
    {"elemAt", 2, primElemAt},
    {"map", 2, primMap},
    {"filter", 2, primFilter},
    {"elem", 2, primElem},
    {"concatLists", 1, primConcatLists},
    {"concatMap", 2, primConcatMap},
    {"foldl'", 3, primFoldlStrict},
    {"genList", 2, primGenList},
    {"sort", 2, primSort},
    {"partition", 2, primPartition},
    {"groupBy", 2, primGroupBy},
    {"all", 2, primAllAny<true>},
    {"any", 2, primAllAny<false>},
    {"genericClosure", 1, primGenericClosure},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
