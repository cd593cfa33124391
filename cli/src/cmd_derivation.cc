// `cstore show-derivation` (Nix's JSON shape) and `cstore derivation add`
// (a derivation from JSON, for tools and tests that do not write recipes).
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hh"
#include "cstore/store/derivation.hh"
#include "cstore/store/local_store.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {

nlohmann::ordered_json derivationToJson(LocalStore& store, const Derivation& drv) {
    nlohmann::ordered_json j;
    auto outputs = nlohmann::ordered_json::object();
    for (auto& [name, out] : drv.outputs) {
        nlohmann::ordered_json o = nlohmann::ordered_json::object();
        if (out.path) o["path"] = store.printPath(*out.path);
        if (!out.hashAlgo.empty()) o["hashAlgo"] = out.hashAlgo;
        if (!out.hash.empty()) o["hash"] = out.hash;
        outputs[name] = o;
    }
    j["outputs"] = outputs;
    auto srcs = nlohmann::ordered_json::array();
    for (auto& p : drv.inputSrcs) srcs.push_back(store.printPath(p));
    j["inputSrcs"] = srcs;
    auto drvs = nlohmann::ordered_json::object();
    for (auto& [p, outs] : drv.inputDrvs) drvs[store.printPath(p)] = outs;
    j["inputDrvs"] = drvs;
    j["system"] = drv.platform;
    j["builder"] = drv.builder;
    j["args"] = drv.args;
    j["env"] = drv.env;
    return j;
}

Derivation derivationFromJson(LocalStore& store, const nlohmann::json& j) {
    Derivation drv;
    try {
        drv.name = j.at("name").get<std::string>();
        checkStorePathName(drv.name + ".drv");
        for (auto& [name, o] : j.at("outputs").items()) {
            DerivationOutput out;
            if (o.contains("hashAlgo")) out.hashAlgo = o["hashAlgo"].get<std::string>();
            if (o.contains("hash")) {
                auto algo = out.hashAlgo.starts_with("r:") ? out.hashAlgo.substr(2) : out.hashAlgo;
                auto a = parseHashAlgo(algo);
                if (!a) throw Error("output '%s' has an unknown hash algorithm '%s'", name, out.hashAlgo);
                out.hash = Hash::parseAny(o["hash"].get<std::string>(), *a).encode(HashFormat::base16);
            }
            drv.outputs[name] = out;
        }
        auto srcs = j.value("inputSrcs", std::vector<std::string>{});
        for (auto& s : srcs) drv.inputSrcs.insert(store.parseUserPath(s));
        auto inputDrvs = j.value("inputDrvs", std::map<std::string, std::set<std::string>>{});
        for (auto& [p, outs] : inputDrvs) drv.inputDrvs[store.parseUserPath(p)] = outs;
        drv.platform = j.at("system").get<std::string>();
        drv.builder = j.at("builder").get<std::string>();
        drv.args = j.value("args", std::vector<std::string>{});
        drv.env = j.value("env", std::map<std::string, std::string>{});
    } catch (nlohmann::json::exception& e) {
        throw Error("invalid derivation JSON: %s", e.what());
    }
    if (drv.outputs.empty()) throw Error("invalid derivation JSON: no outputs");
    for (auto& p : drv.inputSrcs)
        if (!store.isValidPath(p)) throw Error("input source '%s' is not valid", store.printPath(p));
    for (auto& [p, outs] : drv.inputDrvs)
        if (!store.isValidPath(p)) throw Error("input derivation '%s' is not valid", store.printPath(p));
    for (auto& [name, out] : drv.outputs) drv.env[name] = "";
    DrvHashes hashes(store);
    computeOutputPaths(store.storeDir(), drv, hashes);
    return drv;
}

void setup(CLI::App& app, CommandContext& ctx) {
    struct ShowArgs {
        std::vector<std::string> paths;
        bool recursive = false;
    };
    auto show = std::make_shared<ShowArgs>();
    auto* cmd = app.add_subcommand("show-derivation", "Print derivations as JSON (as `nix show-derivation`)");
    cmd->add_option("paths", show->paths, ".drv paths (or outputs, for their derivers)")->required();
    cmd->add_flag("-r,--recursive", show->recursive, "Include every input derivation, recursively");
    cmd->callback([show, &ctx] {
        auto& store = ctx.store();
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        std::vector<StorePath> todo;
        for (auto& a : show->paths) {
            StorePath p = store.parseUserPath(a);
            if (!p.isDerivation()) {
                auto info = store.pathInfoOrThrow(p);
                if (!info.deriver) throw Error("'%s' has no known derivation", store.printPath(p));
                p = *info.deriver;
            }
            todo.push_back(p);
        }
        std::set<StorePath> seen;
        while (!todo.empty()) {
            StorePath p = todo.back();
            todo.pop_back();
            if (!seen.insert(p).second) continue;
            Derivation drv = readDerivation(store, p);
            out[store.printPath(p)] = derivationToJson(store, drv);
            if (show->recursive)
                for (auto& [input, outs] : drv.inputDrvs) todo.push_back(input);
        }
        std::cout << out.dump(2) << "\n";
    });

    auto* derivation = app.add_subcommand("derivation", "Create derivations without a recipe");
    derivation->require_subcommand(1);
    auto* add = derivation->add_subcommand(
        "add",
        "Read a derivation as JSON on stdin (name, outputs, inputSrcs, inputDrvs, system, builder, args, env), "
        "compute its output paths, write it to the store and print its path");
    add->callback([&ctx] {
        auto& store = ctx.store();
        std::string input = FdSource(0).drain();
        // One derivation, or several as a JSON array or one JSON value per line.
        std::vector<nlohmann::json> values;
        try {
            size_t pos = 0;
            while ((pos = input.find_first_not_of(" \t\r\n", pos)) != std::string::npos) {
                size_t end = input.find('\n', pos);
                std::string_view chunk(input.data() + pos, (end == std::string::npos ? input.size() : end) - pos);
                if (chunk.front() == '{' && nlohmann::json::accept(chunk)) {
                    values.push_back(nlohmann::json::parse(chunk));
                    pos = end == std::string::npos ? input.size() : end;
                    continue;
                }
                auto all = nlohmann::json::parse(input.substr(pos));
                if (all.is_array())
                    for (auto& v : all) values.push_back(v);
                else
                    values.push_back(all);
                break;
            }
        } catch (nlohmann::json::exception& e) {
            throw Error("invalid JSON on standard input: %s", e.what());
        }
        if (values.empty()) throw Error("no derivation on standard input");
        for (auto& j : values) {
            Derivation drv = derivationFromJson(store, j);
            std::cout << store.printPath(writeDerivation(store, drv)) << "\n";
        }
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
