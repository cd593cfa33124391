// `cstore instantiate`: evaluates a recipe and writes the derivations it
// stands for into the store, printing their .drv paths (as nix-instantiate).
#include <iostream>

#include "command.hh"
#include "cstore/store/gc.hh"
#include "cstore/store/local_store.hh"
#include "cstore/util/file.hh"
#include "recipe.hh"

namespace cstore {

namespace {

struct InstantiateCommand {
    RecipeArgs recipe;
    std::string addRoot;
};

void runInstantiate(InstantiateCommand& cmd, CommandContext& ctx) {
    if (!cmd.addRoot.empty() && cmd.recipe.readOnly) throw Error("--add-root cannot be combined with --read-only");
    std::vector<FoundDerivation> found;
    bool ok = withRecipe(ctx, cmd.recipe, [&](RecipeSession& r) {
        for (auto* v : r.selected()) {
            auto more = r.findDerivations(*v);
            found.insert(found.end(), more.begin(), more.end());
        }
    });
    if (!ok) {
        ctx.exitCode = 1;
        return;
    }
    size_t n = 0;
    for (auto& d : found) {
        std::string shown = d.drvPath;
        if (!cmd.addRoot.empty()) {
            std::string link = canonPath(cmd.addRoot, currentDirectory());
            if (++n > 1) link += "-" + std::to_string(n);
            createDirs(dirOf(link));
            addIndirectRoot(ctx.store(), link, ctx.store().parseUserPath(d.drvPath));
            shown = link;
        }
        std::cout << shown << (d.outputName != "out" ? "!" + d.outputName : "") << "\n";
    }
}

void setup(CLI::App& app, CommandContext& ctx) {
    auto cmd = std::make_shared<InstantiateCommand>();
    auto* sub = app.add_subcommand("instantiate", "Evaluate a recipe and write its derivations (.drv) to the store");
    sub->footer(
        "Prints one .drv path per derivation the value stands for: a derivation, or a list or set of them "
        "(sets one level deep, deeper where recurseForDerivations = true). An output other than 'out' is "
        "shown as DRV!OUTPUT. Instantiating the same recipe again writes nothing new.");
    addRecipeOptions(sub, cmd->recipe, true);
    sub->add_option("--add-root", cmd->addRoot,
                    "Make PATH a garbage collector root for the .drv (PATH-2, PATH-3, ... for more) and print it");
    sub->add_flag("--read-only", cmd->recipe.readOnly, "Compute the .drv paths without writing to the store");
    sub->callback([cmd, &ctx] { runInstantiate(*cmd, ctx); });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
