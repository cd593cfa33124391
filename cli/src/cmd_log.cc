// `cstore log PATH`: the stored build log of a derivation or of the output it built.
#include <iostream>

#include "command.hh"
#include "cstore/builder/build_log.hh"
#include "cstore/store/local_store.hh"

namespace cstore {

namespace {

void setup(CLI::App& app, CommandContext& ctx) {
    auto path = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("log", "Print the build log of a derivation or of one of its outputs");
    cmd->add_option("path", *path, "A .drv path or an output path")->required();
    cmd->callback([path, &ctx] {
        auto& store = ctx.store();
        StorePath p = store.parseUserPath(*path);
        StorePathSet drvs;
        if (p.isDerivation()) {
            drvs.insert(p);
        } else {
            if (auto info = store.queryPathInfo(p); info && info->deriver) drvs.insert(*info->deriver);
            auto more = store.queryDerivers(p);
            drvs.insert(more.begin(), more.end());
        }
        for (auto& d : drvs) {
            if (auto log = readBuildLog(store, d)) {
                std::cout << *log;
                return;
            }
        }
        throw Error("no build log is stored for '%s'", store.printPath(p));
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
