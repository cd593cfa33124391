// `cstore gc`: delete what no root keeps alive.
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hh"
#include "cstore/store/gc.hh"
#include "cstore/util/logging.hh"
#include "json_output.hh"

namespace cstore {

namespace {

struct Args {
    bool dryRun = false, printRoots = false, printDead = false, printLive = false, json = false;
    std::string maxFreed;
};

void setup(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("gc", "Delete store paths that are not reachable from a garbage collector root");
    cmd->add_flag("--dry-run", args->dryRun, "Only report what would be deleted");
    cmd->add_option("--max-freed", args->maxFreed, "Stop after freeing this much (e.g. 500M, 2G)");
    cmd->add_flag("--print-roots", args->printRoots, "List the roots and exit");
    cmd->add_flag("--print-dead", args->printDead, "List dead paths and exit (deletes nothing)");
    cmd->add_flag("--print-live", args->printLive, "List live paths and exit");
    cmd->add_flag("--json", args->json, "Print JSON");
    cmd->callback([args, &ctx] {
        auto& store = ctx.store();
        if (args->printRoots) {
            auto roots = findRoots(store, false);
            if (args->json) {
                auto arr = nlohmann::json::array();
                for (auto& r : roots) arr.push_back({{"link", r.link}, {"path", store.printPath(r.path)}});
                std::cout << arr.dump() << "\n";
            } else {
                for (auto& r : roots) std::cout << r.link << " -> " << store.printPath(r.path) << "\n";
            }
            return;
        }
        if (args->printLive) {
            FileLock lock = acquireGcLock(store);
            auto live = computeLivePaths(store);
            if (args->json) {
                auto arr = nlohmann::json::array();
                for (auto& p : live) arr.push_back(store.printPath(p));
                std::cout << arr.dump() << "\n";
            } else {
                for (auto& p : live) std::cout << store.printPath(p) << "\n";
            }
            return;
        }
        GcOptions options;
        options.dryRun = args->dryRun || args->printDead;
        if (!args->maxFreed.empty()) options.maxFreed = parseSize(args->maxFreed);
        std::vector<std::string> dead;
        bool listDead = args->printDead || args->dryRun;
        options.onDead = [&](const StorePath& p) {
            if (listDead || args->json) dead.push_back(store.printPath(p));
        };
        auto result = collectGarbage(store, options);
        if (args->json) {
            nlohmann::json j = {{"deleted", options.dryRun ? nlohmann::json::array() : nlohmann::json(dead)},
                                {"dead", result.deadPaths},
                                {"pathsDeleted", result.pathsDeleted},
                                {"leftoversDeleted", result.leftoversDeleted},
                                {"bytesFreed", result.bytesFreed},
                                {"dryRun", options.dryRun}};
            if (options.dryRun) j["wouldDelete"] = dead;
            std::cout << j.dump() << "\n";
            return;
        }
        if (listDead) {
            for (auto& p : dead) std::cout << p << "\n";
            std::cout.flush();
        }
        if (options.dryRun)
            logInfo("%s store paths would be deleted", result.deadPaths);
        else
            logInfo("%s store paths deleted, %s freed", result.pathsDeleted, formatBytes(result.bytesFreed));
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
