// Evaluating recipes from the command line, shared by `cstore eval`,
// `cstore instantiate` and `cstore build`: the options (FILE or -E, -A,
// --arg, --argstr, -I, --read-only), the evaluator wired to the store with
// the derivation builtins and the standard library, attribute paths, and
// finding the derivations in a value as nix-build does.
//
//   RecipeArgs args;  addRecipeOptions(cmd, args);
//   bool ok = withRecipe(ctx, args, [&](RecipeSession& r) {
//       for (Value* v : r.selected()) ... r.findDerivations(*v) ...
//   });
#pragma once

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "command.hh"
#include "cstore/eval/eval_state.hh"
#include "cstore/instantiate/derivation_store.hh"

namespace cstore {

struct RecipeArgs {
    std::string file;
    std::string expr;
    std::vector<std::string> attrPaths;
    std::vector<std::string> args, argstrs, includes;
    bool readOnly = false;
    // False where unevaluated values are printed (EvalOptions::eagerIntegerArguments).
    bool eagerIntegerArguments = true;
};

// FILE is added by the caller (its meaning differs per command); the rest here.
void addRecipeOptions(CLI::App* cmd, RecipeArgs& args, bool withFile);

// Where `<cstore>` points: <prefix>/share/cstore/std beside an installed
// binary, else the source tree's lang/std recorded when cstore was configured.
std::string standardLibraryDir();

// A derivation found in a value: its .drv and the output the value stands for.
struct FoundDerivation {
    std::string attrPath;
    std::string drvPath;
    std::string outputName;
};

class RecipeSession {
public:
    RecipeSession(eval::EvalState& state, DerivationStore& store, const RecipeArgs& args);

    eval::EvalState& state() { return state_; }
    DerivationStore& store() { return store_; }
    eval::Bindings* autoArgs() { return autoArgs_; }
    // Parses the file (or expression) without evaluating it.
    eval::Expr* parseOnly();
    // The file's (or expression's) value, each -A path selected (the whole
    // value without -A), with functions on the way called with the --args.
    std::vector<eval::Value*> selected();
    // `v` itself (a function is called with the --args, unless there are none).
    eval::Value finalValue(eval::Value& v);
    // The derivations `v` stands for: a derivation, or a list or set of them
    // (sets one level deep, deeper where `recurseForDerivations = true`).
    std::vector<FoundDerivation> findDerivations(eval::Value& v, const std::string& attrPath = "");

private:
    eval::Value* select(eval::Value* v, const std::string& path);
    void find(eval::Value& v, const std::string& attrPath, std::vector<FoundDerivation>& out);
    bool addIfDerivation(eval::Value& v, const std::string& attrPath, std::vector<FoundDerivation>& out);

    eval::EvalState& state_;
    DerivationStore& store_;
    const RecipeArgs& args_;
    eval::Bindings* autoArgs_ = nullptr;
    eval::Expr* parsed_ = nullptr;
    eval::Value* root_ = nullptr;
    std::unordered_set<const void*> done_;
};

// Evaluates on a large stack with the store of `ctx`; evaluation errors are
// printed (with position and trace) and make it return false.
bool withRecipe(CommandContext& ctx, const RecipeArgs& args, const std::function<void(RecipeSession&)>& fn);

}  // namespace cstore
