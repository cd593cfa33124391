// `derivation attrs`: the value recipes see. Forcing it does not instantiate
// anything: it is `attrs` plus, for each output, a set with `outPath`,
// `drvPath`, `type = "derivation"` and `outputName`, all outputs as
// attributes, `all` (the list of them) and `drvAttrs` (the argument). The
// paths are lazy selections from one shared `derivationStrict attrs`, so
// `.name` or `.type` never write a .drv, and `.outPath` writes it once.
//
// The shape (and which parts are still unevaluated) is exactly what Nix's
// own wrapper produces, so `cstore eval` prints derivations as Nix does.
#include "cstore/instantiate/derivation_builtins.hh"
#include "internal.hh"

namespace cstore {

using namespace eval;

namespace {

// (pos, attrs): derivationStrict, reporting errors at the `derivation` call
// rather than wherever the paths are first needed.
void primStrictAt(EvalState& state, PosIdx, Value** args, Value& v) {
    PosIdx pos{static_cast<uint32_t>(args[0]->integer())};
    derivationStrict(state, pos, *args[1], v);
}
const PrimOp strictAtOp{"derivationStrict", 2, primStrictAt, true};

// (name, set): the attribute `name` of `set`.
void primSelect(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.forceAttrs(*args[1], pos);
    const Attr* a = args[1]->attrs()->find(state.intern(args[0]->strView()));
    if (!a) throw EvalError(pos, "the derivation has no output '%s'", args[0]->strView());
    state.force(*a->value, pos);
    v = *a->value;
}
const PrimOp selectOp{"derivation output", 2, primSelect, true};

// x: x, as an unevaluated application (prints as <CODE> until needed).
void primLazy(EvalState& state, PosIdx pos, Value** args, Value& v) {
    state.force(*args[0], pos);
    v = *args[0];
}
const PrimOp lazyOp{"derivation", 1, primLazy, true};

Value* apply(EvalState& state, const PrimOp& op, std::initializer_list<Value*> args) {
    Value* fn = state.allocValue();
    fn->mkPrimOp(&op);
    size_t i = 0, n = args.size();
    for (Value* a : args) {
        Value* app = state.allocValue();
        if (++i < n)
            app->mkPrimOpApp(fn, a);
        else
            app->mkApp(fn, a);
        fn = app;
    }
    return fn;
}

Value* stringValue(EvalState& state, std::string_view s) {
    Value* v = state.allocValue();
    state.mkString(*v, s);
    return v;
}

void primDerivation(EvalState& state, PosIdx pos, Value** args, Value& v) {
    Value* attrsValue = args[0];
    state.forceAttrs(*attrsValue, pos);
    Bindings* attrs = state.flatAttrs(*attrsValue);

    // The output names, as given (the first of duplicates wins as an
    // attribute; derivationStrict rejects duplicates).
    std::vector<Value*> outputNames;
    if (const Attr* outs = attrs->find(state.intern("outputs"))) {
        PosIdx p = outs->pos ? outs->pos : pos;
        state.forceList(*outs->value, p);
        for (size_t i = 0; i < outs->value->listSize(); ++i) {
            Value* name = outs->value->listElems()[i];
            state.forceStringNoCtx(*name, p);
            outputNames.push_back(name);
        }
        if (outputNames.empty()) throw EvalError(p, "a derivation needs at least one output, and 'outputs' is empty");
    } else {
        outputNames.push_back(stringValue(state, "out"));
    }
    size_t n = outputNames.size();

    Value* posValue = state.allocValue();
    posValue->mkInt(pos.value);
    Value* strict = apply(state, strictAtOp, {posValue, attrsValue});
    Value* drvPath = apply(state, selectOp, {stringValue(state, "drvPath"), strict});
    Value* type = stringValue(state, "derivation");

    // One set per output; all but the first are reached through a lazy
    // application, as they would be through Nix's `map`.
    std::vector<Value*> sets(n), reached(n);
    for (size_t i = 0; i < n; ++i) {
        sets[i] = state.allocValue();
        reached[i] = i == 0 ? sets[0] : apply(state, lazyOp, {sets[i]});
    }
    Value* list = state.allocValue();
    state.mkList(*list, n);
    for (size_t i = 0; i < n; ++i) list->listElems()[i] = reached[i];
    Value* all = apply(state, lazyOp, {list});

    Symbol sAll = state.intern("all"), sDrvAttrs = state.intern("drvAttrs");
    std::vector<Symbol> outputSyms;
    for (Value* name : outputNames) outputSyms.push_back(state.intern(name->strView()));
    auto overridden = [&](Symbol s) {
        if (s == sAll || s == sDrvAttrs || s == state.sym.outPath || s == state.sym.drvPath || s == state.sym.type ||
            s == state.sym.outputName)
            return true;
        for (Symbol o : outputSyms)
            if (o == s) return true;
        return false;
    };

    for (size_t i = 0; i < n; ++i) {
        auto b = state.buildBindings(attrs->size + n + 6);
        for (const Attr& a : *attrs)
            if (!overridden(a.name)) b.add(a.name, a.value, a.pos);
        for (size_t j = 0; j < n; ++j) {
            bool first = true;
            for (size_t k = 0; k < j; ++k) first &= outputSyms[k] != outputSyms[j];
            if (first) b.add(outputSyms[j], reached[j]);
        }
        b.add(sAll, all);
        b.add(sDrvAttrs, attrsValue);
        b.add(state.sym.outPath, apply(state, selectOp, {outputNames[i], strict}));
        b.add(state.sym.drvPath, drvPath);
        b.add(state.sym.type, type);
        b.add(state.sym.outputName, outputNames[i]);
        sets[i]->mkAttrs(b.finish());
    }
    v = *sets[0];
}

void primDerivationStrict(EvalState& state, PosIdx pos, Value** args, Value& v) {
    derivationStrict(state, pos, *args[0], v);
}

const PrimOp derivationOp{"derivation", 1, primDerivation};
const PrimOp derivationStrictOp{"derivationStrict", 1, primDerivationStrict};

}  // namespace

void addDerivationBuiltins(EvalOptions& options) {
    options.extraPrimOps.push_back({&derivationOp, true});
    options.extraPrimOps.push_back({&derivationStrictOp, false});
}

}  // namespace cstore
