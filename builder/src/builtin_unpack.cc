// `builtin:unpack`: extracts the archive `src` (any format and compression
// libarchive reads: tar.gz, tar.xz, tar.bz2, tar.zst, zip, ...) into $out.
// With `stripRoot = "1"` (the default) a single top-level directory is
// removed, as fetchTarball does. Entries that would land outside $out
// (absolute names, "..", writes through symlinks) are refused.
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cstore/builder/builtins.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {

void unpackInto(const std::string& archivePath, const std::string& dest) {
    std::unique_ptr<struct archive, int (*)(struct archive*)> in(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(in.get());
    archive_read_support_format_all(in.get());
    if (archive_read_open_filename(in.get(), archivePath.c_str(), 1 << 16) != ARCHIVE_OK)
        throw Error("cannot read archive '%s': %s", archivePath, archive_error_string(in.get()));
    std::unique_ptr<struct archive, int (*)(struct archive*)> out(archive_write_disk_new(), archive_write_free);
    archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                  ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM |
                                                  ARCHIVE_EXTRACT_UNLINK);
    if (chdir(dest.c_str()) != 0) throw SysError("entering '%s'", dest);
    size_t entries = 0;
    struct archive_entry* e;
    while (true) {
        int rc = archive_read_next_header(in.get(), &e);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) throw Error("reading archive '%s': %s", archivePath, archive_error_string(in.get()));
        // Names stay relative to `dest`, the working directory, so that the
        // secure-extraction checks see them as the archive wrote them.
        std::string name = archive_entry_pathname(e);
        archive_entry_set_uid(e, getuid());
        archive_entry_set_gid(e, getgid());
        rc = archive_write_header(out.get(), e);
        if (rc < ARCHIVE_WARN)
            throw Error("cannot unpack '%s' from '%s': %s", name, archivePath, archive_error_string(out.get()));
        const void* buf;
        size_t size;
        la_int64_t offset;
        while ((rc = archive_read_data_block(in.get(), &buf, &size, &offset)) == ARCHIVE_OK)
            if (archive_write_data_block(out.get(), buf, size, offset) < ARCHIVE_WARN)
                throw Error("cannot unpack '%s': %s", name, archive_error_string(out.get()));
        if (rc < ARCHIVE_WARN)
            throw Error("reading '%s' from '%s': %s", name, archivePath, archive_error_string(in.get()));
        ++entries;
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK)
        throw Error("finishing unpacking '%s': %s", archivePath, archive_error_string(out.get()));
    std::cout << "unpacked " << entries << " entries from " << archivePath << "\n";
}

void unpack(BuiltinContext& ctx) {
    std::string src = ctx.env("src");
    StorePath srcPath = ctx.storeDir.toStorePath(src);
    std::string host = ctx.realPath(srcPath) + src.substr(ctx.storeDir.print(srcPath).size());
    const std::string& out = ctx.outputs.at("out");
    bool strip = !ctx.drv.env.count("stripRoot") || ctx.drv.env.at("stripRoot") == "1";
    std::string work = strip ? out + ".unpack" : out;
    createDirs(work, 0755);
    unpackInto(host, work);
    if (!strip) return;
    auto top = readDirectoryNames(work);
    struct stat st;
    if (top.size() == 1 && lstat((work + "/" + top[0]).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (rename((work + "/" + top[0]).c_str(), out.c_str()) != 0) throw SysError("moving the unpacked tree");
        rmdir(work.c_str());
    } else if (rename(work.c_str(), out.c_str()) != 0) {
        throw SysError("moving the unpacked tree");
    }
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
