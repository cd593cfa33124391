// `cstore build` and `cstore realise`: realise derivations (build or fetch
// their missing outputs), link `./result`, print the output paths.
#include "build_support.hh"
#include "cstore/store/local_store.hh"

namespace cstore {

namespace {

struct Args {
    std::vector<std::string> installables;
    BuildArgs build;
};

void setup(CLI::App& app, CommandContext& ctx) {
    for (const char* name : {"build", "realise"}) {
        auto args = std::make_shared<Args>();
        auto* cmd = app.add_subcommand(name, std::string(name) == "build"
                                                 ? "Build derivations (DRV, DRV^out,dev or DRV^*) and link ./result"
                                                 : "Realise derivations: build or fetch their missing outputs");
        cmd->add_option("installables", args->installables, "Derivations to build")->required();
        addBuildOptions(cmd, args->build);
        if (std::string(name) == "realise") args->build.noLink = true;
        cmd->callback([args, &ctx] {
            std::vector<BuildRequest> requests;
            for (auto& i : args->installables) requests.push_back(parseDerivedPath(ctx.store(), i));
            runBuild(ctx, requests, args->build);
        });
    }
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
