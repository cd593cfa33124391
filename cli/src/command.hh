// How subcommands plug into the `cstore` binary. Each cmd_*.cc file defines
// a registrar and registers it statically:
//
//   static void setupHash(CLI::App& app, CommandContext& ctx) {
//       auto* cmd = app.add_subcommand("hash", "Compute hashes");
//       cmd->callback([&ctx] { ... });
//   }
//   static RegisterCommand reg(setupHash);
//
// Callbacks throw cstore::Error on failure; main() prints it and exits 1.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cstore {

class LocalStore;
class Substituter;

// State shared by all subcommands: global options and the lazily opened store.
struct CommandContext {
    std::string storeRootOption;       // --store
    std::vector<std::string> options;  // --option NAME VALUE pairs, flattened
    bool showTrace = false;
    int exitCode = 0;

    // Opens the store at the root chosen by --store, $CSTORE_STORE, the
    // setting store-root, or "/" (in that order).
    LocalStore& store();
    std::string storeRoot() const;
    // The binary caches from the `substituters` setting, or null if none.
    Substituter* substituter();

private:
    std::shared_ptr<LocalStore> store_;
    std::shared_ptr<Substituter> substituter_;
};

using CommandSetup = void (*)(CLI::App& app, CommandContext& ctx);

struct RegisterCommand {
    explicit RegisterCommand(CommandSetup setup);
    static std::vector<CommandSetup>& all();
};

}  // namespace cstore
