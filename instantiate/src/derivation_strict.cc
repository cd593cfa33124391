// `derivationStrict`: an attribute set in, a derivation in the store out.
// The rules are Nix 2.8's (spec section 5.5): attributes in name order become
// environment variables, the string context of everything becomes the inputs,
// output paths come from hashDerivationModulo or the fixed output hash, and
// the result names the .drv and each output with the right context.
#include <algorithm>

#include "cstore/eval/print.hh"
#include "cstore/instantiate/derivation_builtins.hh"
#include "cstore/instantiate/derivation_store.hh"
#include "internal.hh"

namespace cstore {

using namespace eval;

namespace {

// The attribute sets being instantiated on this thread: a derivation whose
// attributes need its own output paths would otherwise recurse forever.
thread_local std::vector<const Bindings*> inProgress;

struct InProgressGuard {
    explicit InProgressGuard(const Bindings* b) { inProgress.push_back(b); }
    ~InProgressGuard() { inProgress.pop_back(); }
    InProgressGuard(const InProgressGuard&) = delete;
    InProgressGuard& operator=(const InProgressGuard&) = delete;
};

class Instantiation {
public:
    Instantiation(EvalState& state, DerivationStore& store, PosIdx callPos)
        : state_(state), store_(store), callPos_(callPos) {}

    void run(Value& attrsValue, Value& result) {
        state_.forceAttrs(attrsValue, callPos_);
        Bindings* attrs = state_.flatAttrs(attrsValue);
        if (std::find(inProgress.begin(), inProgress.end(), attrs) != inProgress.end())
            throw InfiniteRecursionError(callPos_,
                                         "infinite recursion: the attributes of a derivation need its own "
                                         "output paths");
        InProgressGuard guard(attrs);

        readName(attrs);
        std::string frameMessage = format("while instantiating the derivation '%s'", drv_.name);
        CallFrameGuard frame(callPos_, FrameKind::Message, &frameMessage);
        readFlags(attrs);
        for (const Attr* a : sortedAttrs(attrs)) processAttribute(*a);
        if (structured_) drv_.env["__json"] = json_ + "}";

        checkRequired();
        StorePath drvPath = finish();
        makeResult(drvPath, result);
    }

private:
    std::vector<const Attr*> sortedAttrs(const Bindings* attrs) {
        std::vector<const Attr*> sorted;
        sorted.reserve(attrs->size);
        for (const Attr& a : *attrs) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(),
                  [&](const Attr* x, const Attr* y) { return state_.name(x->name) < state_.name(y->name); });
        return sorted;
    }

    void readName(Bindings* attrs) {
        const Attr* name = attrs->find(state_.sym.name);
        if (!name) throw EvalError(callPos_, "required attribute 'name' missing in the argument of 'derivation'");
        namePos_ = name->pos ? name->pos : callPos_;
        drv_.name = std::string(state_.forceStringNoCtx(*name->value, namePos_));
        try {
            checkStorePathName(drv_.name);
            // The .drv file needs four more characters.
            checkStorePathName(drv_.name + ".drv");
        } catch (BadStorePath& e) {
            throw EvalError(namePos_, "invalid derivation name '%s': %s", drv_.name, e.message());
        }
        if (drv_.name.ends_with(".drv"))
            throw EvalError(namePos_, "invalid derivation name '%s': derivation names may not end in '.drv'",
                            drv_.name);
    }

    void readFlags(Bindings* attrs) {
        if (const Attr* a = attrs->find(state_.intern("__ignoreNulls")))
            ignoreNulls_ = state_.forceBool(*a->value, pos(*a));
        if (const Attr* a = attrs->find(state_.intern("__structuredAttrs")))
            structured_ = state_.forceBool(*a->value, pos(*a));
        if (structured_) json_ = "{";
    }

    PosIdx pos(const Attr& a) const { return a.pos ? a.pos : callPos_; }

    void processAttribute(const Attr& a) {
        std::string_view key = state_.name(a.name);
        if (key == "__ignoreNulls") return;
        PosIdx p = pos(a);
        CallFrameGuard frame(p, FrameKind::Attribute, reinterpret_cast<const void*>(uintptr_t(a.name.id)));
        if (ignoreNulls_) {
            state_.force(*a.value, p);
            if (a.value->type() == ValueType::Null) return;
        }
        if (key == "__contentAddressed" || key == "__impure") {
            if (state_.forceBool(*a.value, p))
                throw EvalError(p, "'%s' derivations are not supported by cstore", key.substr(2));
            return;
        }
        if (key == "args") {
            state_.forceList(*a.value, p);
            for (size_t i = 0; i < a.value->listSize(); ++i)
                drv_.args.push_back(state_.coerceToString(*a.value->listElems()[i], context_, p, true, true));
            return;
        }
        if (structured_) {
            if (key == "__structuredAttrs") return;
            if (json_.size() > 1) json_ += ',';
            json_ += escapeJSON(key);
            json_ += ':';
            json_ += valueToJSON(state_, *a.value, context_, p, true);
            if (key == "builder")
                drv_.builder = state_.forceString(*a.value, context_, p);
            else if (key == "system")
                setSystem(std::string(state_.forceStringNoCtx(*a.value, p)), p);
            else if (key == "outputs") {
                state_.forceList(*a.value, p);
                std::vector<std::string> names;
                for (size_t i = 0; i < a.value->listSize(); ++i)
                    names.emplace_back(state_.forceStringNoCtx(*a.value->listElems()[i], p));
                setOutputs(names, p);
            } else if (key == "outputHash" || key == "outputHashAlgo" || key == "outputHashMode") {
                readFixedOutputAttr(key, std::string(state_.forceStringNoCtx(*a.value, p)), p);
            }
            return;
        }
        std::string value = state_.coerceToString(*a.value, context_, p, true, true);
        if (key == "builder")
            drv_.builder = value;
        else if (key == "system")
            setSystem(value, p);
        else if (key == "outputs")
            setOutputs(words(value), p);
        else
            readFixedOutputAttr(key, value, p);
        drv_.env.emplace(std::string(key), std::move(value));
    }

    static std::vector<std::string> words(std::string_view s) {
        std::vector<std::string> out;
        size_t i = 0;
        while ((i = s.find_first_not_of(" \t\n\r", i)) != std::string_view::npos) {
            size_t e = s.find_first_of(" \t\n\r", i);
            out.emplace_back(s.substr(i, e == std::string_view::npos ? std::string_view::npos : e - i));
            i = e == std::string_view::npos ? s.size() : e;
        }
        return out;
    }

    void setSystem(std::string system, PosIdx p) {
        // The platform is written into the .drv without escaping.
        if (system.find_first_of("\"\\") != std::string::npos)
            throw EvalError(p, "invalid system '%s': it may not contain '\"' or '\\'", system);
        drv_.platform = std::move(system);
    }

    void setOutputs(const std::vector<std::string>& names, PosIdx p) {
        outputs_.clear();
        outputsPos_ = p;
        for (auto& n : names) {
            if (std::find(outputs_.begin(), outputs_.end(), n) != outputs_.end())
                throw EvalError(p, "duplicate derivation output '%s'", n);
            if (n == "drv" || n == "drvPath")
                throw EvalError(p,
                                "invalid derivation output name '%s' (it would clash with the derivation's own "
                                "attributes)",
                                n);
            try {
                checkStorePathName(n);
                checkStorePathName(outputPathName(drv_.name, n));
            } catch (BadStorePath& e) {
                throw EvalError(p, "invalid derivation output name '%s': %s", n, e.message());
            }
            outputs_.push_back(n);
        }
        if (outputs_.empty()) throw EvalError(p, "a derivation needs at least one output, and 'outputs' is empty");
    }

    void readFixedOutputAttr(std::string_view key, std::string value, PosIdx p) {
        if (key == "outputHash") {
            outputHash_ = std::move(value);
            hashPos_ = p;
        } else if (key == "outputHashAlgo") {
            outputHashAlgo_ = std::move(value);
            algoPos_ = p;
        } else if (key == "outputHashMode") {
            if (value == "recursive")
                recursive_ = true;
            else if (value == "flat")
                recursive_ = false;
            else
                throw EvalError(p, "invalid value '%s' for 'outputHashMode' (expected 'flat' or 'recursive')", value);
        }
    }

    void checkRequired() {
        if (drv_.builder.empty())
            throw EvalError(namePos_, "required attribute 'builder' missing in the derivation '%s'", drv_.name);
        if (drv_.platform.empty())
            throw EvalError(namePos_, "required attribute 'system' missing in the derivation '%s'", drv_.name);
    }

    void addInputs() {
        const StoreDir& dir = store_.dir();
        for (const StrData* elem : context_.elems()) {
            std::string_view s = elem->view();
            try {
                if (s.starts_with("=")) {
                    // The .drv itself is passed: the builder may read all of its graph.
                    for (auto& p : store_.closure(dir.parsePath(s.substr(1)))) {
                        drv_.inputSrcs.insert(p);
                        if (!p.isDerivation()) continue;
                        auto& outs = drv_.inputDrvs[p];
                        for (auto& [name, out] : store_.readDerivation(p).outputs) outs.insert(name);
                    }
                } else if (s.starts_with("!")) {
                    size_t bang = s.find('!', 1);
                    if (bang == std::string_view::npos) throw BadStorePath("malformed context '%s'", s);
                    drv_.inputDrvs[dir.parsePath(s.substr(bang + 1))].insert(std::string(s.substr(1, bang - 1)));
                } else {
                    drv_.inputSrcs.insert(dir.parsePath(s));
                }
            } catch (BadStorePath& e) {
                throw EvalError(callPos_, "derivation '%s' refers to an invalid store path: %s", drv_.name,
                                e.message());
            }
        }
    }

    void setOutputPaths() {
        if (outputs_.empty()) outputs_ = {"out"};
        if (outputHash_) {
            if (outputs_.size() != 1 || outputs_[0] != "out")
                throw EvalError(outputsPos_ ? outputsPos_ : hashPos_,
                                "a fixed-output derivation has exactly one output, 'out' (the derivation '%s' has "
                                "outputHash)",
                                drv_.name);
            std::optional<HashAlgo> algo;
            if (!outputHashAlgo_.empty()) {
                algo = parseHashAlgo(outputHashAlgo_);
                if (!algo)
                    throw EvalError(algoPos_,
                                    "unknown hash algorithm '%s' in 'outputHashAlgo' (expected md5, sha1, "
                                    "sha256 or sha512)",
                                    outputHashAlgo_);
            }
            Hash h;
            if (outputHash_->empty()) {
                if (!algo) throw EvalError(hashPos_, "an empty 'outputHash' needs 'outputHashAlgo'");
                h = Hash(*algo);  // all zeros: the build fails and reports the real hash
            } else {
                try {
                    h = Hash::parseAny(*outputHash_, algo);
                } catch (Error& e) {
                    throw EvalError(hashPos_, "invalid 'outputHash' of the derivation '%s': %s", drv_.name,
                                    e.message());
                }
            }
            DerivationOutput out;
            out.hashAlgo = std::string(recursive_ ? "r:" : "") + std::string(hashAlgoName(h.algo));
            out.hash = h.encode(HashFormat::base16);
            drv_.outputs.emplace("out", std::move(out));
        } else {
            for (auto& o : outputs_) {
                drv_.outputs.emplace(o, DerivationOutput{});
                drv_.env[o] = "";
            }
        }
        computeOutputPaths(store_.dir(), drv_, store_.hashes());
    }

    StorePath finish() {
        try {
            addInputs();
            setOutputPaths();
            StorePath drvPath = store_.addDerivation(drv_);
            // Required when the .drv was not written (read-only), and saves reading it back.
            store_.hashes().remember(drvPath, store_.hashes().hashModulo(drv_, false));
            return drvPath;
        } catch (EvalError&) {
            throw;
        } catch (Error& e) {
            throw EvalError(callPos_, "cannot instantiate the derivation '%s': %s", drv_.name, e.message());
        }
    }

    void makeResult(const StorePath& drvPath, Value& result) {
        std::string drvPathS = store_.dir().print(drvPath);
        auto b = state_.buildBindings(1 + drv_.outputs.size());
        ContextBuilder drvCtx;
        drvCtx.add(state_.makeStr("=" + drvPathS));
        state_.mkString(*b.alloc(state_.sym.drvPath), drvPathS, drvCtx);
        for (auto& [name, out] : drv_.outputs) {
            ContextBuilder ctx;
            ctx.add(state_.makeStr("!" + name + "!" + drvPathS));
            state_.mkString(*b.alloc(state_.intern(name)), store_.dir().print(*out.path), ctx);
        }
        result.mkAttrs(b.finish());
    }

    EvalState& state_;
    DerivationStore& store_;
    PosIdx callPos_;
    PosIdx namePos_, outputsPos_, hashPos_, algoPos_;
    Derivation drv_;
    ContextBuilder context_;
    bool ignoreNulls_ = false, structured_ = false, recursive_ = false;
    std::string json_;
    std::vector<std::string> outputs_;
    std::optional<std::string> outputHash_;
    std::string outputHashAlgo_;
};

}  // namespace

DerivationStore& derivationStoreOf(EvalState& state, PosIdx pos) {
    auto* store = dynamic_cast<DerivationStore*>(state.store());
    if (!store) throw EvalError(pos, "'derivation' needs a store to write derivations to, and none is available here");
    return *store;
}

void derivationStrict(EvalState& state, PosIdx pos, Value& attrs, Value& result) {
    Instantiation(state, derivationStoreOf(state, pos), pos).run(attrs, result);
}

}  // namespace cstore
