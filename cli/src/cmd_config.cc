// `cstore config show`: every setting, its value and where the value came from.
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hh"
#include "cstore/util/settings.hh"

namespace cstore {

namespace {

void setup(CLI::App& app, CommandContext&) {
    auto* config = app.add_subcommand("config", "Inspect settings");
    config->require_subcommand(1);
    auto json = std::make_shared<bool>(false);
    auto* show = config->add_subcommand("show", "List every setting with its value and origin");
    show->add_flag("--json", *json, "Print JSON");
    show->callback([json] {
        if (*json) {
            nlohmann::json j = nlohmann::json::object();
            for (auto& [name, s] : settings.all())
                j[name] = {{"value", s->toString()},
                           {"default", s->defaultString()},
                           {"origin", s->origin()},
                           {"description", s->help()}};
            std::cout << j.dump() << "\n";
            return;
        }
        for (auto& [name, s] : settings.all())
            std::cout << name << " = " << s->toString() << "  # " << s->origin() << "\n";
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
