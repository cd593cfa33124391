// extractArchive on libarchive: the archive extension (see
// cstore/util/extension.hh).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <memory>

#include "archive_extension.hh"
#include "cstore/util/archive.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

size_t cstore_extract_archive(const std::string& archivePath, const std::string& dest, const std::string& shownAs) {
    using namespace cstore;
    const std::string& shown = shownAs.empty() ? archivePath : shownAs;
    std::unique_ptr<struct archive, int (*)(struct archive*)> in(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(in.get());
    archive_read_support_format_all(in.get());
    if (archive_read_open_filename(in.get(), archivePath.c_str(), 1 << 16) != ARCHIVE_OK)
        throw Error("cannot read archive '%s': %s", shown, archive_error_string(in.get()));
    std::unique_ptr<struct archive, int (*)(struct archive*)> out(archive_write_disk_new(), archive_write_free);
    archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                  ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM |
                                                  ARCHIVE_EXTRACT_UNLINK);
    // Entry names stay relative, so the secure-extraction checks see them as
    // the archive wrote them; the destination is reached through the working
    // directory, restored afterwards.
    AutoCloseFD cwd = openFile(".", O_RDONLY | O_DIRECTORY);
    if (chdir(dest.c_str()) != 0) throw SysError("entering '%s'", dest);
    struct RestoreCwd {
        int fd;
        ~RestoreCwd() { (void)!fchdir(fd); }
    } restore{cwd.get()};
    size_t entries = 0;
    struct archive_entry* e;
    while (true) {
        int rc = archive_read_next_header(in.get(), &e);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) throw Error("reading archive '%s': %s", shown, archive_error_string(in.get()));
        std::string name = archive_entry_pathname(e);
        archive_entry_set_uid(e, getuid());
        archive_entry_set_gid(e, getgid());
        rc = archive_write_header(out.get(), e);
        if (rc < ARCHIVE_WARN)
            throw Error("cannot unpack '%s' from '%s': %s", name, shown, archive_error_string(out.get()));
        const void* buf;
        size_t size;
        la_int64_t offset;
        while ((rc = archive_read_data_block(in.get(), &buf, &size, &offset)) == ARCHIVE_OK)
            if (archive_write_data_block(out.get(), buf, size, offset) < ARCHIVE_WARN)
                throw Error("cannot unpack '%s': %s", name, archive_error_string(out.get()));
        if (rc < ARCHIVE_WARN) throw Error("reading '%s' from '%s': %s", name, shown, archive_error_string(in.get()));
        ++entries;
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK)
        throw Error("finishing unpacking '%s': %s", shown, archive_error_string(out.get()));
    return entries;
}
