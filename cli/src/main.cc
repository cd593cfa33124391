// The `cstore` command: parses global options, loads settings and
// dispatches to the subcommands registered in the cmd_*.cc files.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cstore/util/error.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/signals.hh"

using namespace cstore;

int main(int argc, char** argv) {
    installInterruptHandlers();
    CLI::App app{"cstore: a content-addressed package store"};
    app.set_version_flag("--version", "cstore 0.1.0");
    app.require_subcommand(1);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return 0;
}
