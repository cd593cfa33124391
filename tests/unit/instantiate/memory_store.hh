// An in-memory DerivationStore for tests: paths are computed exactly as the
// real store computes them, .drv files are kept as text, nothing touches disk
// except reading the sources added with addPath.
#pragma once

#include <map>
#include <string>

#include "cstore/eval/eval_state.hh"
#include "cstore/eval/print.hh"
#include "cstore/instantiate/derivation_builtins.hh"
#include "cstore/instantiate/derivation_store.hh"
#include "cstore/store/nar.hh"

namespace cstore::testing {

class MemoryDerivationStore : public DerivationStore {
public:
    explicit MemoryDerivationStore(std::string storeDir = "/nix/store") : DerivationStore(std::move(storeDir)) {}

    std::string addPath(const std::string& name, const std::string& path, PathFilter*) override {
        HashSink sink(HashAlgo::sha256);
        dumpPath(path, sink);
        StorePath p = dir().makeFixedOutputPath(name, {IngestionMethod::recursive, sink.finish().first}, {});
        refs[p] = {};
        return dir().print(p);
    }
    std::string addText(const std::string& name, const std::string& text,
                        const std::vector<std::string>& references) override {
        StorePathSet r;
        for (auto& x : references) r.insert(dir().parsePath(x));
        StorePath p = dir().makeTextPath(name, hashString(HashAlgo::sha256, text), r);
        refs[p] = r;
        return dir().print(p);
    }
    bool isValidPath(const std::string& path) override {
        auto p = dir().maybeParsePath(path);
        return p && refs.count(*p);
    }
    StorePath addDerivation(const Derivation& drv) override {
        StorePath p = derivationPath(dir(), drv);
        if (!drvs.count(p)) ++written;
        drvs[p] = drv.unparse(dir(), false);
        StorePathSet r = drv.inputSrcs;
        for (auto& [i, outs] : drv.inputDrvs) r.insert(i);
        refs[p] = r;
        return p;
    }
    Derivation readDerivation(const StorePath& p) override {
        ++reads;
        std::string name(p.name());
        return Derivation::parse(dir(), drvs.at(p), name.substr(0, name.size() - 4));
    }
    StorePathSet closure(const StorePath& path) override {
        StorePathSet out;
        std::vector<StorePath> todo{path};
        while (!todo.empty()) {
            StorePath p = todo.back();
            todo.pop_back();
            if (!out.insert(p).second) continue;
            for (auto& r : refs.at(p)) todo.push_back(r);
        }
        return out;
    }
    // A path that exists already (for builtins.storePath).
    void addValid(const std::string& path) { refs[dir().parsePath(path)] = {}; }
    std::string text(const std::string& drvPath) { return drvs.at(dir().parsePath(drvPath)); }

    std::map<StorePath, std::string> drvs;
    std::map<StorePath, StorePathSet> refs;
    int written = 0, reads = 0;
};

// Evaluates expressions with the derivation builtins over a MemoryDerivationStore.
struct DrvEvaluator {
    MemoryDerivationStore store;
    eval::EvalState state;
    explicit DrvEvaluator(std::string storeDir = "/nix/store") : store(std::move(storeDir)), state(options(), &store) {}

    static eval::EvalOptions options() {
        eval::EvalOptions o;
        o.readEnvironment = false;
        addDerivationBuiltins(o);
        return o;
    }

    // The value printed as `cstore eval` prints it (strict unless asked), or "error: <message>".
    std::string operator()(const std::string& expr, bool strict = true) {
        std::string out;
        eval::runOnLargeStack(&state, [&] {
            try {
                eval::Value v;
                state.eval(state.parseString(expr, "/test"), v);
                if (strict) state.forceDeep(v);
                out = eval::printValue(state, v);
            } catch (eval::EvalError& e) {
                out = "error: " + e.message();
            }
        });
        return out;
    }
    // A string result without quotes.
    std::string str(const std::string& expr) {
        std::string s = (*this)(expr);
        return s.size() >= 2 && s.front() == '"' ? s.substr(1, s.size() - 2) : s;
    }
    // The full error report (message, position, trace).
    std::string report(const std::string& expr) {
        std::string out = "no error";
        eval::runOnLargeStack(&state, [&] {
            try {
                eval::Value v;
                state.eval(state.parseString(expr, "/test", "recipe.cbl"), v);
                state.forceDeep(v);
            } catch (eval::EvalError& e) {
                out = eval::formatEvalError(state, e, false);
            }
        });
        return out;
    }
};

}  // namespace cstore::testing
