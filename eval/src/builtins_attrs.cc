// Attribute set builtins. Sets are arrays sorted by symbol id, so most of
// these are merges of sorted arrays; names are sorted as strings only where
// the order is visible (attrNames, attrValues).
#include <algorithm>
#include <unordered_map>

#include "internal.hh"

namespace cstore::eval {

namespace {

void primAttrNames(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    auto sorted = sortedByName(state, args[0]->attrs());
    ListData* l = state.allocList(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) {
        Value* s = state.allocValue();
        s->mkString(state.symbolStr(sorted[i]->name));
        l->elems[i] = s;
    }
    v.mkList(l);
}

void primAttrValues(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    auto sorted = sortedByName(state, args[0]->attrs());
    ListData* l = state.allocList(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) l->elems[i] = sorted[i]->value;
    v.mkList(l);
}

void primGetAttr(EvalState& state, PosIdx pos, Value** args, Value& v) {
    Symbol name = state.intern(state.forceStringNoCtx(*args[0], pos));
    state.forceAttrs(*args[1], pos);
    const Attr* a = args[1]->attrs()->find(name);
    if (!a) state.throwMissingAttr(pos, name, args[1]->attrs());
    state.force(*a->value, pos);
    v = *a->value;
}

void primHasAttr(EvalState& state, PosIdx pos, Value** args, Value& v) {
    Symbol name = state.intern(state.forceStringNoCtx(*args[0], pos));
    state.forceAttrs(*args[1], pos);
    v.mkBool(args[1]->attrs()->find(name) != nullptr);
}

void primRemoveAttrs(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    state.forceList(*args[1], pos);
    std::vector<uint32_t> remove;
    for (size_t i = 0; i < args[1]->listSize(); ++i)
        remove.push_back(state.intern(state.forceStringNoCtx(*args[1]->listElems()[i], pos)).id);
    std::sort(remove.begin(), remove.end());
    Bindings* in = state.flatAttrs(*args[0]);
    Bindings* out = state.allocBindings(in->size);
    for (auto& a : *in)
        if (!std::binary_search(remove.begin(), remove.end(), a.name.id)) out->attrs[out->size++] = a;
    v.mkAttrs(out);
}

void primListToAttrs(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[0], pos);
    size_t n = args[0]->listSize();
    Bindings* out = state.allocBindings(n);
    std::unordered_map<uint32_t, bool> seen;
    for (size_t i = 0; i < n; ++i) {
        Value* item = args[0]->listElems()[i];
        state.forceAttrs(*item, pos);
        const Attr* name = item->attrs()->find(state.sym.name);
        if (!name) throw EvalError(pos, "attribute 'name' missing in a call to 'listToAttrs'");
        Symbol s = state.intern(state.forceStringNoCtx(*name->value, pos));
        // The first occurrence of a name wins.
        if (!seen.emplace(s.id, true).second) continue;
        const Attr* value = item->attrs()->find(state.sym.value);
        if (!value) throw EvalError(pos, "attribute 'value' missing in a call to 'listToAttrs'");
        out->attrs[out->size++] = Attr{s, value->pos, value->value};
    }
    std::sort(out->attrs, out->attrs + out->size, [](const Attr& a, const Attr& b) { return a.name.id < b.name.id; });
    v.mkAttrs(out);
}

void primIntersectAttrs(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[0], pos);
    state.forceAttrs(*args[1], pos);
    Bindings* a = state.flatAttrs(*args[0]);
    Bindings* b = state.flatAttrs(*args[1]);
    Bindings* out = state.allocBindings(std::min(a->size, b->size));
    uint32_t i = 0, j = 0;
    while (i < a->size && j < b->size) {
        if (a->attrs[i].name.id < b->attrs[j].name.id)
            ++i;
        else if (b->attrs[j].name.id < a->attrs[i].name.id)
            ++j;
        else {
            out->attrs[out->size++] = b->attrs[j];
            ++i, ++j;
        }
    }
    v.mkAttrs(out);
}

void primCatAttrs(EvalState& state, PosIdx pos, Value** args, Value& v) {
    Symbol name = state.intern(state.forceStringNoCtx(*args[0], pos));
    state.forceList(*args[1], pos);
    std::vector<Value*> found;
    for (size_t i = 0; i < args[1]->listSize(); ++i) {
        Value* item = args[1]->listElems()[i];
        state.forceAttrs(*item, pos);
        if (const Attr* a = item->attrs()->find(name)) found.push_back(a->value);
    }
    ListData* l = state.allocList(found.size());
    std::copy(found.begin(), found.end(), l->elems);
    v.mkList(l);
}

void primMapAttrs(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[1], pos);
    Bindings* in = state.flatAttrs(*args[1]);
    Bindings* out = state.allocBindings(in->size);
    for (auto& a : *in) {
        // f name value, evaluated when the attribute is used.
        Value* name = state.allocValue();
        name->mkString(state.symbolStr(a.name));
        Value* partial = state.allocValue();
        partial->mkApp(args[0], name);
        Value* app = state.allocValue();
        app->mkApp(partial, a.value);
        out->attrs[out->size++] = Attr{a.name, a.pos, app};
    }
    v.mkAttrs(out);
}

void primZipAttrsWith(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceList(*args[1], pos);
    size_t n = args[1]->listSize();
    std::unordered_map<uint32_t, std::vector<Value*>> byName;
    std::vector<Symbol> order;
    for (size_t i = 0; i < n; ++i) {
        Value* item = args[1]->listElems()[i];
        state.forceAttrs(*item, pos);
        for (auto& a : *state.flatAttrs(*item)) {
            auto [it, inserted] = byName.try_emplace(a.name.id);
            if (inserted) order.push_back(a.name);
            it->second.push_back(a.value);
        }
    }
    Bindings* out = state.allocBindings(order.size());
    for (Symbol s : order) {
        auto& values = byName[s.id];
        ListData* l = state.allocList(values.size());
        std::copy(values.begin(), values.end(), l->elems);
        Value* list = state.allocValue();
        list->mkList(l);
        Value* name = state.allocValue();
        name->mkString(state.symbolStr(s));
        Value* partial = state.allocValue();
        partial->mkApp(args[0], name);
        Value* app = state.allocValue();
        app->mkApp(partial, list);
        out->attrs[out->size++] = Attr{s, PosIdx{}, app};
    }
    std::sort(out->attrs, out->attrs + out->size, [](const Attr& a, const Attr& b) { return a.name.id < b.name.id; });
    v.mkAttrs(out);
}

}  // namespace

const PrimOp attrBuiltins[] = {
    {"attrNames", 1, primAttrNames},
    {"attrValues", 1, primAttrValues},
    {"getAttr", 2, primGetAttr},
    {"hasAttr", 2, primHasAttr},
    {"removeAttrs", 2, primRemoveAttrs},
    {"listToAttrs", 1, primListToAttrs},
    {"intersectAttrs", 2, primIntersectAttrs},
    {"catAttrs", 2, primCatAttrs},
    {"mapAttrs", 2, primMapAttrs},
    {"zipAttrsWith", 2, primZipAttrsWith},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
