// `cstore store add|dump|restore|verify|delete`: direct operations on store objects.
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hh"
#include "cstore/store/gc.hh"
#include "cstore/store/local_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/store/signatures.hh"
#include "cstore/store/verify.hh"
#include "cstore/util/file.hh"
#include "cstore/util/logging.hh"
#include "json_output.hh"

namespace cstore {

namespace {

struct AddOptions {
    std::vector<std::string> paths;
    bool flat = false;
    std::string name;
    std::string hashAlgo = "sha256";
};

struct VerifyArgs {
    std::vector<std::string> paths;
    bool checkContents = false, all = false, json = false, sigs = false;
};

struct SignArgs {
    std::string keyFile;
    std::vector<std::string> paths;
    bool recursive = false;
};

void setup(CLI::App& app, CommandContext& ctx) {
    auto* store = app.add_subcommand("store", "Operate on store objects directly");
    store->require_subcommand(1);

    auto add = std::make_shared<AddOptions>();
    auto* addCmd = store->add_subcommand("add", "Add files or trees to the store and print their store paths");
    addCmd->add_option("paths", add->paths, "Files or directories to add")->required();
    addCmd->add_flag("--flat", add->flat, "Add a regular file by the hash of its contents (not of its NAR)");
    addCmd->add_option("--name,-n", add->name, "Store path name (default: the file's base name)");
    addCmd->add_option("--hash-algo", add->hashAlgo, "Hash algorithm of the content address (default sha256)");
    addCmd->callback([add, &ctx] {
        auto algo = parseHashAlgo(add->hashAlgo);
        if (!algo) throw Error("unknown hash algorithm '%s'", add->hashAlgo);
        if (!add->name.empty() && add->paths.size() > 1) throw Error("--name can only be used with a single path");
        auto& s = ctx.store();
        for (auto& p : add->paths) {
            std::string name = add->name.empty() ? baseNameOf(canonPath(p)) : add->name;
            auto info = s.addPath(p, name, add->flat ? IngestionMethod::flat : IngestionMethod::recursive, *algo);
            std::cout << s.printPath(info.path) << "\n";
        }
    });

    auto dumpPathArg = std::make_shared<std::string>();
    auto* dump = store->add_subcommand("dump", "Write the NAR serialisation of a store path to standard output");
    dump->add_option("path", *dumpPathArg, "Store path")->required();
    dump->callback([dumpPathArg, &ctx] {
        auto& s = ctx.store();
        StorePath p = s.parseUserPath(*dumpPathArg);
        if (!s.isValidPath(p)) throw Error("path '%s' is not valid", s.printPath(p));
        if (isatty(STDOUT_FILENO)) throw Error("refusing to write a NAR to a terminal; redirect standard output");
        FdSink out(STDOUT_FILENO);
        BufferedSink buffered(out, 1 << 20);
        dumpPath(s.realPath(p), buffered);
        buffered.flush();
    });

    auto restoreDir = std::make_shared<std::string>();
    auto* restore = store->add_subcommand("restore", "Unpack a NAR read from standard input into a new directory");
    restore->add_option("dir", *restoreDir, "Directory to create")->required();
    restore->callback([restoreDir] {
        FdSource in(STDIN_FILENO);
        BufferedSource buffered(in, 1 << 20);
        restorePath(*restoreDir, buffered);
    });

    auto verify = std::make_shared<VerifyArgs>();
    auto* verifyCmd = store->add_subcommand("verify", "Check that store paths exist and (optionally) are intact");
    verifyCmd->add_option("paths", verify->paths, "Store paths to check (with -r: their closures)");
    verifyCmd->add_flag("--check-contents", verify->checkContents, "Recompute NAR hashes and compare");
    verifyCmd->add_flag("--all", verify->all, "Check every valid path");
    verifyCmd->add_flag("--json", verify->json, "Print problems as JSON");
    verifyCmd->add_flag("--sigs", verify->sigs,
                        "Also require each path to be signed by a key in trusted-public-keys (or to be "
                        "content-addressed)");
    verifyCmd->callback([verify, &ctx] {
        auto& s = ctx.store();
        if (!verify->all && verify->paths.empty()) throw Error("name paths to verify, or use --all");
        StorePathSet paths;
        if (!verify->all)
            for (auto& p : verify->paths) paths.insert(s.parseUserPath(p));
        VerifyOptions opts;
        opts.checkContents = verify->checkContents;
        Progress progress("verify");
        uint64_t checked = 0;
        opts.onChecked = [&](const StorePath&) { progress.update(++checked, 0, "paths checked"); };
        struct Problem {
            StorePath path;
            std::string kind, detail;
        };
        std::vector<Problem> problems;
        const char* kinds[] = {"missing", "corrupt", "unreadable"};
        for (auto& pr : verifyStore(s, paths, opts))
            problems.push_back({pr.path, kinds[static_cast<int>(pr.kind)], pr.detail});
        if (verify->sigs) {
            auto keys = trustedKeysFromSettings();
            for (auto& p : paths.empty() ? s.queryAllValidPaths() : paths) {
                auto info = s.queryPathInfo(p);
                if (!info) continue;  // reported as missing
                if (auto why = signatureProblem(*info, s.storeDir(), keys); !why.empty())
                    problems.push_back({p, "untrusted", why});
            }
        }
        if (verify->json) {
            auto arr = nlohmann::json::array();
            for (auto& pr : problems)
                arr.push_back({{"path", s.printPath(pr.path)}, {"problem", pr.kind}, {"detail", pr.detail}});
            std::cout << arr.dump() << "\n";
        } else {
            for (auto& pr : problems) logError("path '%s' is %s: %s", s.printPath(pr.path), pr.kind, pr.detail);
        }
        if (!problems.empty()) {
            if (!verify->json) logError("%s problem(s) found", problems.size());
            ctx.exitCode = 1;
        } else if (!verify->json) {
            logInfo("%s paths checked, no problems found", checked);
        }
    });

    auto sign = std::make_shared<SignArgs>();
    auto* signCmd = store->add_subcommand("sign", "Sign store paths with a secret key (as `nix store sign`)");
    signCmd->add_option("-k,--key-file", sign->keyFile, "Secret key file")->required();
    signCmd->add_flag("-r,--recursive", sign->recursive, "Sign the closures of the paths");
    signCmd->add_option("paths", sign->paths, "Store paths")->required();
    signCmd->callback([sign, &ctx] {
        auto& s = ctx.store();
        SecretKey key = readSecretKeyFile(sign->keyFile);
        StorePathSet paths;
        for (auto& p : sign->paths) paths.insert(s.parseUserPath(p));
        if (sign->recursive) paths = s.closure(paths);
        size_t added = 0;
        for (auto& p : paths) {
            auto info = s.pathInfoOrThrow(p);
            std::string sig = key.sign(info.fingerprint(s.storeDir()));
            if (info.sigs.count(sig)) continue;
            s.addSignatures(p, {sig});
            ++added;
        }
        logInfo("added %s signature(s)", added);
    });

    auto deletePaths = std::make_shared<std::vector<std::string>>();
    auto* del = store->add_subcommand("delete", "Delete store paths that nothing refers to and no root keeps alive");
    del->add_option("paths", *deletePaths, "Store paths")->required();
    del->callback([deletePaths, &ctx] {
        auto& s = ctx.store();
        StorePathSet targets;
        for (auto& p : *deletePaths) targets.insert(s.parseUserPath(p));
        FileLock gcLock = acquireGcLock(s);
        auto live = computeLivePaths(s);
        auto order = s.topoSortReferrersFirst(targets);
        // Check every path before deleting any, so that a refusal leaves the store as it was.
        for (auto& p : order) {
            if (!s.isValidPath(p)) throw Error("cannot delete '%s': it is not a valid path", s.printPath(p));
            if (live.count(p))
                throw Error("cannot delete '%s': it is still alive (reachable from a root)", s.printPath(p));
            StorePathSet others;
            for (auto& r : s.queryReferrers(p))
                if (r != p && !targets.count(r)) others.insert(r);
            if (!others.empty())
                throw Error("cannot delete '%s': it is still referenced by %s", s.printPath(p),
                            s.storeDir().printSet(others, ", "));
        }
        uint64_t freed = 0;
        for (auto& p : order) freed += s.deletePath(p);
        logInfo("%s store paths deleted, %s freed", targets.size(), formatBytes(freed));
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
