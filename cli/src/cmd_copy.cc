// `cstore copy --to URL | --from URL`: publishing store paths to a binary
// cache, and fetching them (with their closures) from one.
#include <iostream>

#include "command.hh"
#include "cstore/builder/build_log.hh"
#include "cstore/store/local_store.hh"
#include "cstore/substituter/cache_substituter.hh"
#include "cstore/substituter/cache_writer.hh"
#include "cstore/util/logging.hh"

namespace cstore {

namespace {

struct CopyArgs {
    std::string to, from, compression;
    int level = -1;
    std::vector<std::string> keyFiles, paths;
    bool recursive = false, noLogs = false;
    unsigned jobs = 0;
};

std::string seconds(double secs) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f s", secs);
    return buf;
}

std::string rate(uint64_t bytes, double secs) {
    return secs > 0 ? formatBytes(static_cast<uint64_t>(static_cast<double>(bytes) / secs)) + "/s" : "-";
}

void copyTo(CommandContext& ctx, const CopyArgs& a) {
    auto& store = ctx.store();
    StorePathSet paths;
    for (auto& p : a.paths) paths.insert(store.parseUserPath(p));
    if (a.recursive) paths = store.closure(paths);
    auto cache = openBinaryCache(a.to);
    CopyToOptions opts;
    opts.applyUrlParams(cache->cacheUrl());
    if (!a.compression.empty()) opts.compression = a.compression;
    if (a.level >= 0) opts.level = a.level;
    for (auto& k : a.keyFiles) opts.keys.push_back(readSecretKeyFile(k));
    opts.parallelism = a.jobs;
    if (!a.noLogs) opts.readLog = [&store](const StorePath& drv) { return readBuildLog(store, drv); };
    CopyStats s = copyToCache(store, *cache, paths, opts);
    logInfo("copied %s paths to '%s' (%s, %s compressed) in %s, %s%s", s.paths, cache->url(), formatBytes(s.narBytes),
            formatBytes(s.fileBytes), seconds(s.seconds), rate(s.narBytes, s.seconds),
            s.skipped ? format("; %s already there", s.skipped) : "");
}

void copyFrom(CommandContext& ctx, const CopyArgs& a) {
    auto& store = ctx.store();
    StorePathSet paths;
    for (auto& p : a.paths) paths.insert(store.storeDir().parsePath(p));
    auto opts = SubstituterOptions::fromSettings();
    if (a.jobs) opts.parallelism = a.jobs;
    CacheSubstituter subs({a.from}, opts);
    if (subs.cacheUrls().empty()) throw Error("cannot use binary cache '%s' (see the warning above)", a.from);
    FetchStats s = subs.fetchClosure(store, paths);
    logInfo("copied %s paths from '%s' (%s, %s transferred) in %s, %s", s.paths, subs.cacheUrls().front(),
            formatBytes(s.narBytes), formatBytes(s.fileBytes), seconds(s.seconds), rate(s.narBytes, s.seconds));
}

void setup(CLI::App& app, CommandContext& ctx) {
    auto a = std::make_shared<CopyArgs>();
    auto* cmd = app.add_subcommand(
        "copy",
        "Copy store paths to a binary cache (--to URL) or from one into the store (--from URL, with closures). "
        "URLs: file:///dir, http(s)://host/prefix, with Nix-style parameters such as ?compression=xz");
    auto* to = cmd->add_option("--to", a->to, "Binary cache to publish to");
    auto* from = cmd->add_option("--from", a->from, "Binary cache to fetch from");
    to->excludes(from);
    cmd->add_flag("-r,--recursive", a->recursive, "With --to: copy the closures of the paths");
    cmd->add_option("--compression", a->compression, "With --to: zstd (default), xz, bzip2, br or none")
        ->check(CLI::IsMember({"zstd", "xz", "bzip2", "br", "none"}));
    cmd->add_option("--compression-level", a->level,
                    "With --to: the compressor's level (zstd 1-19, default 3; xz 0-9, 6; bzip2 1-9, 9; br 0-11, 6)");
    cmd->add_option("-k,--key-file", a->keyFiles, "With --to: sign the narinfos with this secret key (repeatable)")
        ->allow_extra_args(false);
    cmd->add_flag("--no-logs", a->noLogs, "With --to: do not upload build logs");
    cmd->add_option("-j,--jobs", a->jobs, "Transfers at once (default: http-connections, or the cores for file://)");
    cmd->add_option("paths", a->paths, "Store paths")->required();
    cmd->callback([a, &ctx] {
        if (!a->to.empty())
            copyTo(ctx, *a);
        else if (!a->from.empty())
            copyFrom(ctx, *a);
        else
            throw Error("say where to copy: --to URL or --from URL");
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
