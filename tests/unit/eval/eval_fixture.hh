// Runs expressions through a fresh EvalState on a large stack and returns
// what `cstore eval --strict` would print, or the error message.
#pragma once

#include <map>
#include <string>

#include "cstore/eval/eval_state.hh"
#include "cstore/eval/print.hh"
#include "cstore/util/hash.hh"

namespace cstore::eval::testing {

// Store paths are made up from a hash of the content; nothing touches the disk.
class FakeStore : public EvalStore {
public:
    const std::string& storeDir() const override { return dir_; }
    std::string addPath(const std::string& name, const std::string& path, PathFilter* filter) override {
        added.push_back(path);
        if (filter) filterCalls += filter->include(path + "/x", "regular") ? 1 : 0;
        return dir_ + "/" + hashString(HashAlgo::sha256, path).encode(HashFormat::nix32).substr(0, 32) + "-" + name;
    }
    std::string addText(const std::string& name, const std::string& text,
                        const std::vector<std::string>& references) override {
        texts[name] = text;
        refs[name] = references;
        return dir_ + "/" + hashString(HashAlgo::sha256, text).encode(HashFormat::nix32).substr(0, 32) + "-" + name;
    }
    bool isValidPath(const std::string& path) override { return path.rfind(dir_ + "/", 0) == 0; }

    std::vector<std::string> added;
    std::map<std::string, std::string> texts;
    std::map<std::string, std::vector<std::string>> refs;
    int filterCalls = 0;

private:
    std::string dir_ = "/store";
};

struct Evaluator {
    FakeStore store;
    EvalState state;
    explicit Evaluator(EvalOptions options = {}) : state(withDefaults(std::move(options)), &store) {}

    static EvalOptions withDefaults(EvalOptions o) {
        o.readEnvironment = false;
        return o;
    }

    // The printed value (strict), or "error: <message>".
    std::string operator()(const std::string& expr, bool strict = true) {
        std::string out;
        runOnLargeStack(&state, [&] {
            try {
                Value v;
                state.eval(state.parseString(expr, "/test"), v);
                if (strict) state.forceDeep(v);
                out = printValue(state, v);
            } catch (EvalError& e) {
                out = "error: " + e.message();
            }
        });
        return out;
    }

    // The full error report as the CLI prints it (without "error: ").
    std::string report(const std::string& expr, const std::string& origin = "«string»", bool showTrace = false) {
        std::string out = "no error";
        runOnLargeStack(&state, [&] {
            try {
                Value v;
                state.eval(state.parseString(expr, "/test", origin), v);
                state.forceDeep(v);
            } catch (EvalError& e) {
                out = formatEvalError(state, e, showTrace);
            }
        });
        return out;
    }
};

}  // namespace cstore::eval::testing
