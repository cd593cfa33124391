// `cstore hash path|file`: NAR hashes of trees and flat hashes of files.
#include <iostream>

#include "command.hh"
#include "cstore/store/nar.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"
#include "cstore/util/hash.hh"
#include "cstore/util/threaded_sink.hh"

namespace cstore {

namespace {

struct HashArgs {
    std::vector<std::string> paths;
    std::string type = "sha256";
    bool base16 = false, base32 = false, base64 = false, sri = false;

    HashFormat formatChosen() const {
        if (base16 + base32 + base64 + sri > 1) throw Error("choose only one of --base16, --base32, --base64, --sri");
        if (base16) return HashFormat::base16;
        if (base32) return HashFormat::nix32;
        if (base64) return HashFormat::base64;
        return HashFormat::sri;
    }
};

void addOptions(CLI::App* cmd, HashArgs& args) {
    cmd->add_option("paths", args.paths, "Files or directories")->required();
    cmd->add_option("--type", args.type, "md5, sha1, sha256 (default) or sha512");
    cmd->add_flag("--base16", args.base16, "Print in base-16");
    cmd->add_flag("--base32", args.base32, "Print in Nix's base-32");
    cmd->add_flag("--base64", args.base64, "Print in base-64");
    cmd->add_flag("--sri", args.sri, "Print as an SRI hash (the default)");
}

void print(const Hash& h, HashFormat format) {
    std::cout << (format == HashFormat::sri ? h.toSRI() : h.encode(format)) << "\n";
}

void setup(CLI::App& app, CommandContext&) {
    auto* hash = app.add_subcommand("hash", "Compute hashes of files and trees");
    hash->require_subcommand(1);

    auto pathArgs = std::make_shared<HashArgs>();
    auto* path = hash->add_subcommand("path", "Hash the NAR serialisation of paths (as `nix hash path`)");
    addOptions(path, *pathArgs);
    path->callback([pathArgs] {
        auto algo = parseHashAlgo(pathArgs->type);
        if (!algo) throw Error("unknown hash algorithm '%s'", pathArgs->type);
        auto format = pathArgs->formatChosen();
        for (auto& p : pathArgs->paths) {
            HashSink sink(*algo);
            ThreadedSink async(sink);
            dumpPath(p, async);
            async.finish();
            print(sink.finish().first, format);
        }
    });

    auto fileArgs = std::make_shared<HashArgs>();
    auto* file = hash->add_subcommand("file", "Hash the contents of files (as `nix hash file`)");
    addOptions(file, *fileArgs);
    file->callback([fileArgs] {
        auto algo = parseHashAlgo(fileArgs->type);
        if (!algo) throw Error("unknown hash algorithm '%s'", fileArgs->type);
        auto format = fileArgs->formatChosen();
        for (auto& p : fileArgs->paths) print(hashFile(*algo, p), format);
    });
}

RegisterCommand reg(setup);

}  // namespace
}  // namespace cstore
