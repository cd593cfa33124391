// `cstore serve`: the local store as a binary cache over HTTP(S).
#include <iostream>

#include "command.hh"
#include "cstore/builder/build_log.hh"
#include "cstore/store/local_store.hh"
#include "cstore/substituter/cache_server.hh"
#include "cstore/util/logging.hh"

namespace cstore {

namespace {

struct ServeArgs {
    CacheServerOptions opts;
    std::vector<std::string> keyFiles;
};

void setup(CLI::App& app, CommandContext& ctx) {
    auto a = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand(
        "serve",
        "Serve the local store as a binary cache (narinfos and NARs made on request, signed with -k keys) "
        "over HTTP, or HTTPS with --tls-cert/--tls-key");
    cmd->add_option("--listen", a->opts.listen, "ADDR:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
    cmd->add_option("--tls-cert", a->opts.tlsCert, "PEM certificate (chain) for HTTPS");
    cmd->add_option("--tls-key", a->opts.tlsKey, "PEM private key for HTTPS");
    cmd->add_option("-k,--key-file", a->keyFiles, "Sign narinfos with this secret key (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--compression", a->opts.compression, "NAR compression: zstd (default) or none")
        ->check(CLI::IsMember({"zstd", "none"}));
    cmd->add_option("--compression-level", a->opts.compressionLevel, "zstd level (default 1: fast on the fly)");
    cmd->add_option("--threads", a->opts.threads,
                    "Connections served at once; an open keep-alive connection holds one (default 64)");
    cmd->add_option("--priority", a->opts.priority, "Priority announced in nix-cache-info (default 30)");
    cmd->callback([a, &ctx] {
        auto& store = ctx.store();
        for (auto& k : a->keyFiles) a->opts.keys.push_back(readSecretKeyFile(k));
        a->opts.readLog = [&store](const StorePath& drv) { return readBuildLog(store, drv); };
        a->opts.onReady = [&store](const std::string& url) {
            logInfo("serving '%s' on %s", store.storeDir().dir(), url);
        };
        serveCache(store, a->opts);
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
