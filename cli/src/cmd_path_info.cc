// `cstore path-info`: metadata of store paths, as `nix path-info` prints it.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hh"
#include "cstore/store/local_store.hh"
#include "json_output.hh"

namespace cstore {

namespace {

struct Args {
    std::vector<std::string> paths;
    bool recursive = false, size = false, closureSize = false, json = false, sigs = false;
};

uint64_t closureSizeOf(LocalStore& store, const StorePath& p) {
    uint64_t total = 0;
    for (auto& q : store.closure({p})) total += store.pathInfoOrThrow(q).narSize;
    return total;
}

void setup(CLI::App& app, CommandContext& ctx) {
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("path-info", "Show metadata of store paths");
    cmd->add_option("paths", args->paths, "Store paths (or links to them)")->required();
    cmd->add_flag("-r,--recursive", args->recursive, "Include the closure");
    cmd->add_flag("-s,--size", args->size, "Show the NAR size");
    cmd->add_flag("-S,--closure-size", args->closureSize, "Show the size of the closure");
    cmd->add_flag("--sigs", args->sigs, "Show signatures");
    cmd->add_flag("--json", args->json, "Print JSON (as `nix path-info --json`)");
    cmd->callback([args, &ctx] {
        auto& store = ctx.store();
        StorePathSet paths;
        for (auto& a : args->paths) {
            StorePath p = store.parseUserPath(a);
            if (!store.isValidPath(p)) throw Error("path '%s' is not valid", store.printPath(p));
            paths.insert(p);
        }
        if (args->recursive) paths = store.closure(paths);
        if (args->json) {
            auto arr = nlohmann::ordered_json::array();
            for (auto& p : paths) {
                auto info = store.pathInfoOrThrow(p);
                auto j = pathInfoToJson(store, info);
                if (args->closureSize) j["closureSize"] = closureSizeOf(store, p);
                arr.push_back(std::move(j));
            }
            std::cout << arr.dump() << "\n";
            return;
        }
        size_t width = 0;
        for (auto& p : paths) width = std::max(width, store.printPath(p).size());
        for (auto& p : paths) {
            auto info = store.pathInfoOrThrow(p);
            std::string shown = store.printPath(p);
            std::cout << shown;
            if (args->size || args->closureSize || args->sigs) std::cout << std::string(width - shown.size(), ' ');
            if (args->size) std::cout << '\t' << std::setw(11) << info.narSize;
            if (args->closureSize) std::cout << '\t' << std::setw(11) << closureSizeOf(store, p);
            if (args->sigs) {
                std::cout << '\t';
                bool first = true;
                for (auto& s : info.sigs) std::cout << (first ? "" : " ") << s, first = false;
            }
            std::cout << "\n";
        }
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
