// The `cstore` command: parses global options, loads settings and
// dispatches to the subcommands registered in the cmd_*.cc files.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "command.hh"
#include "cstore/util/error.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/signals.hh"

namespace cstore {

RegisterCommand::RegisterCommand(CommandSetup setup) { all().push_back(setup); }

std::vector<CommandSetup>& RegisterCommand::all() {
    static std::vector<CommandSetup> setups;
    return setups;
}

}  // namespace cstore

using namespace cstore;

int main(int argc, char** argv) {
    installInterruptHandlers();
    CommandContext ctx;
    CLI::App app{"cstore: a content-addressed package store"};
    app.set_version_flag("--version", "cstore 0.1.0");
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--store", ctx.storeRootOption, "Store root directory (default: $CSTORE_STORE or /)");
    app.add_option("--option", ctx.options, "Set a setting: --option NAME VALUE")
        ->expected(2)
        ->allow_extra_args(false)
        ->take_all();
    int verbose = 0;
    bool quiet = false;
    app.add_flag("-v,--verbose", verbose, "More output (repeatable)");
    app.add_flag("-q,--quiet", quiet, "Only errors");
    app.add_flag("--show-trace", ctx.showTrace, "Show the whole evaluation trace on errors");
    app.parse_complete_callback([&] {
        settings.loadConfiguration();
        for (size_t i = 0; i + 1 < ctx.options.size(); i += 2)
            settings.set(ctx.options[i], ctx.options[i + 1], "--option");
        setVerbosity(quiet ? Verbosity::quiet : static_cast<Verbosity>(std::min(3, 1 + verbose)));
    });
    for (auto setup : RegisterCommand::all()) setup(app, ctx);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const Interrupted& e) {
        logError("%s", e.what());
        return 130;
    } catch (const Error& e) {
        logError("%s", e.what());
        return 1;
    } catch (const std::exception& e) {
        logError("%s", e.what());
        return 1;
    }
    return ctx.exitCode;
}
