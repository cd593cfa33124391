// `builtin:unpack`: extracts the archive `src` (any format and compression
// libarchive reads: tar.gz, tar.xz, tar.bz2, tar.zst, zip, ...) into $out
// (util/archive.hh).
// With `stripRoot = "1"` (the default) a single top-level directory is
// removed, as fetchTarball does. Entries that would land outside $out
// (absolute names, "..", writes through symlinks) are refused.
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cstore/builder/builtins.hh"
#include "cstore/util/archive.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {

void unpack(BuiltinContext& ctx) {
    std::string src = ctx.env("src");
    StorePath srcPath = ctx.storeDir.toStorePath(src);
    std::string host = ctx.realPath(srcPath) + src.substr(ctx.storeDir.print(srcPath).size());
    const std::string& out = ctx.outputs.at("out");
    bool strip = !ctx.drv.env.count("stripRoot") || ctx.drv.env.at("stripRoot") == "1";
    std::string work = strip ? out + ".unpack" : out;
    createDirs(work, 0755);
    size_t entries = extractArchive(host, work);
    std::cout << "unpacked " << entries << " entries from " << src << "\n";
    if (!strip) return;
    std::string top = singleTopDirectory(work);
    if (rename(top.c_str(), out.c_str()) != 0) throw SysError("moving the unpacked tree");
    if (top != work) rmdir(work.c_str());
}

// `builtin:busybox`: a static busybox (`src`, a store file) installed as
// $out/bin/busybox with a symlink per applet, so `${busybox}/bin/sh` works.
void installBusybox(BuiltinContext& ctx) {
    std::string src = ctx.env("src");
    StorePath srcPath = ctx.storeDir.toStorePath(src);
    std::string host = ctx.realPath(srcPath) + src.substr(ctx.storeDir.print(srcPath).size());
    std::string bin = ctx.outputs.at("out") + "/bin";
    createDirs(bin, 0755);
    std::string target = bin + "/busybox";
    writeFile(target, readFile(host));
    if (chmod(target.c_str(), 0555) != 0) throw SysError("making '%s' executable", target);
    // Ask the binary for its applets.
    std::string cmd = "'" + target + "' --list";
    std::unique_ptr<FILE, int (*)(FILE*)> list(popen(cmd.c_str(), "r"), pclose);
    if (!list) throw SysError("running '%s'", cmd);
    char line[256];
    size_t n = 0;
    while (fgets(line, sizeof line, list.get())) {
        std::string applet(line);
        while (!applet.empty() && (applet.back() == '\n' || applet.back() == '\r')) applet.pop_back();
        if (applet.empty() || applet == "busybox" || applet.find('/') != std::string::npos) continue;
        if (symlink("busybox", (bin + "/" + applet).c_str()) != 0 && errno != EEXIST)
            throw SysError("linking applet '%s'", applet);
        ++n;
    }
    if (n == 0) throw Error("'%s' is not a busybox binary (it lists no applets)", src);
    std::cout << "installed busybox with " << n << " applets\n";
}

}  // namespace

void builtinUnpack(BuiltinContext& ctx) { unpack(ctx); }
void builtinBusybox(BuiltinContext& ctx) { installBusybox(ctx); }

}  // namespace cstore
