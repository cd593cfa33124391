// `cstore eval`: evaluates a recipe file or expression and prints the value
// the way `nix-instantiate --eval` does, so outputs compare textually.
#include <iostream>

#include "command.hh"
#include "cstore/eval/print.hh"
#include "recipe.hh"

namespace cstore {

namespace {

using namespace cstore::eval;

struct EvalCommand {
    RecipeArgs recipe;
    bool strict = false, json = false, raw = false, parseOnly = false;
};

void runEval(EvalCommand& cmd, CommandContext& ctx) {
    std::string output;
    // Printed unevaluated parts must be thunks where Nix's are (<CODE>).
    cmd.recipe.eagerIntegerArguments = cmd.strict || cmd.json || cmd.raw;
    bool ok = withRecipe(ctx, cmd.recipe, [&](RecipeSession& r) {
        EvalState& state = r.state();
        if (cmd.parseOnly) {
            r.parseOnly();
            return;
        }
        for (Value* v : r.selected()) {
            Value result = r.finalValue(*v);
            if (cmd.json) {
                ContextBuilder context;
                output += valueToJSON(state, result, context, PosIdx{});
            } else if (cmd.raw) {
                state.forceDeep(result);
                ContextBuilder context;
                output += state.coerceToString(result, context, PosIdx{}, true, false);
            } else {
                if (cmd.strict) state.forceDeep(result);
                output += printValue(state, result) + "\n";
            }
        }
    });
    std::cout << output << std::flush;
    if (!ok) ctx.exitCode = 1;
}

void setupEval(CLI::App& app, CommandContext& ctx) {
    auto cmd = std::make_shared<EvalCommand>();
    auto* sub = app.add_subcommand("eval", "Evaluate a recipe file or expression and print the result");
    sub->footer(
        "Prints the value as `nix-instantiate --eval` does. A top-level function with formals is called with "
        "the --arg/--argstr values. <name> paths are looked up in -I entries, then $CSTORE_PATH; <cstore> is the "
        "standard library. Derivations met while printing are instantiated (written to the store).");
    addRecipeOptions(sub, cmd->recipe, true);
    sub->add_flag("--strict", cmd->strict, "Evaluate the whole value, not just its outer layer");
    sub->add_flag("--json", cmd->json, "Print the value as JSON (implies --strict)");
    sub->add_flag("--raw", cmd->raw, "Print a string value without quotes");
    sub->add_flag("--parse-only", cmd->parseOnly, "Only parse, reporting syntax errors");
    sub->add_flag("--read-only", cmd->recipe.readOnly,
                  "Compute the store paths of interpolated paths, toFile and derivations without writing to the "
                  "store");
    sub->callback([cmd, &ctx] { runEval(*cmd, ctx); });
}

RegisterCommand reg(setupEval);

}  // namespace

}  // namespace cstore
