// `cstore build` and `cstore realise`: realise derivations (build or fetch
// their missing outputs), link `./result`, print the output paths. `build`
// also takes recipes: it evaluates them, instantiates the derivations their
// value stands for (as nix-build does) and realises those.
#include "build_support.hh"
#include "cstore/store/local_store.hh"
#include "recipe.hh"

namespace cstore {

namespace {

struct Args {
    std::vector<std::string> installables;
    RecipeArgs recipe;
    BuildArgs build;
};

bool isDerivationInstallable(const std::string& text) {
    std::string path = text.substr(0, text.rfind('^'));
    return path.ends_with(".drv");
}

// The requests for the derivations a recipe stands for; false on evaluation errors.
bool evaluateRecipe(CommandContext& ctx, const RecipeArgs& recipe, std::vector<BuildRequest>& requests) {
    return withRecipe(ctx, recipe, [&](RecipeSession& r) {
        for (auto* v : r.selected())
            for (auto& d : r.findDerivations(*v))
                requests.push_back({ctx.store().parseUserPath(d.drvPath), {d.outputName}});
    });
}

void run(Args& args, CommandContext& ctx, bool recipes) {
    std::vector<BuildRequest> requests;
    if (recipes && !args.recipe.expr.empty()) {
        if (!evaluateRecipe(ctx, args.recipe, requests)) {
            ctx.exitCode = 1;
            return;
        }
    }
    for (auto& i : args.installables) {
        if (!recipes || isDerivationInstallable(i)) {
            requests.push_back(parseDerivedPath(ctx.store(), i));
            continue;
        }
        RecipeArgs recipe = args.recipe;
        recipe.expr.clear();
        recipe.file = i;
        if (!evaluateRecipe(ctx, recipe, requests)) {
            ctx.exitCode = 1;
            return;
        }
    }
    if (requests.empty()) throw Error("nothing to build: give a recipe file, -E EXPR or a .drv path");
    runBuild(ctx, requests, args.build);
}

void setup(CLI::App& app, CommandContext& ctx) {
    for (const char* name : {"build", "realise"}) {
        bool isBuild = std::string(name) == "build";
        auto args = std::make_shared<Args>();
        auto* cmd = app.add_subcommand(name, isBuild ? "Build recipes or derivations and link ./result"
                                                     : "Realise derivations: build or fetch their missing outputs");
        if (isBuild) {
            cmd->add_option("installables", args->installables,
                            "Recipe files (evaluated with -A/--arg), or derivations: DRV, DRV^out,dev or DRV^*");
            addRecipeOptions(cmd, args->recipe, false);
            cmd->footer(
                "A recipe's value may be a derivation, a list of them or a set of them (one level deep, deeper "
                "where recurseForDerivations = true); a top-level function is called with the --arg/--argstr "
                "values. Each derivation's selected output (outputName, 'out' unless chosen with e.g. -A "
                "pkg.dev) is built; a .drv path builds all outputs unless ^OUTPUTS says which.");
        } else {
            cmd->add_option("installables", args->installables, "Derivations to realise")->required();
        }
        addBuildOptions(cmd, args->build);
        if (!isBuild) args->build.noLink = true;
        cmd->callback([args, &ctx, isBuild] { run(*args, ctx, isBuild); });
    }
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
