// Layer tars on libarchive: part of the image extension (see
// cstore/util/extension.hh).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "cstore/util/error.hh"
#include "cstore/util/file.hh"
#include "cstore/util/signals.hh"
#include "image_extension.hh"

namespace cstore {

namespace {

struct ArchiveDeleter {
    void operator()(struct archive* a) const { archive_write_free(a); }
};

la_ssize_t writeCallback(struct archive*, void* client, const void* buffer, size_t length) {
    try {
        (*static_cast<BlobWriter*>(client))(std::string_view(static_cast<const char*>(buffer), length));
        return static_cast<la_ssize_t>(length);
    } catch (...) {
        return -1;
    }
}

}  // namespace

void writeTar(std::vector<LayerEntry> entries, int64_t mtime, BlobWriter& blob) {
    // Sort by path; of duplicates (parents shared by several trees) keep the first.
    std::stable_sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.path < b.path; });
    entries.erase(std::unique(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.path == b.path; }),
                  entries.end());

    std::unique_ptr<struct archive, ArchiveDeleter> a(archive_write_new());
    archive_write_set_format_pax_restricted(a.get());
    // Large blocks: the callback hashes and writes each one. The last block is
    // not padded, so the tar ends right after its end-of-archive marker.
    archive_write_set_bytes_per_block(a.get(), 1 << 20);
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open2(a.get(), &blob, nullptr, writeCallback, nullptr, nullptr) != ARCHIVE_OK)
        throw Error("cannot start a layer tar: %s", archive_error_string(a.get()));
    auto check = [&](int rc, const std::string& what) {
        if (rc < ARCHIVE_WARN) throw Error("writing '%s' to an image layer: %s", what, archive_error_string(a.get()));
    };

    std::unique_ptr<char[]> buf(new char[1 << 20]);
    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> e(archive_entry_new(), archive_entry_free);
    for (auto& entry : entries) {
        checkInterrupt();
        archive_entry_clear(e.get());
        archive_entry_set_pathname(e.get(), entry.path.c_str());
        archive_entry_set_uid(e.get(), 0);
        archive_entry_set_gid(e.get(), 0);
        archive_entry_set_mtime(e.get(), mtime, 0);
        if (entry.directory) {
            archive_entry_set_filetype(e.get(), AE_IFDIR);
            archive_entry_set_perm(e.get(), entry.mode.value_or(0755));
            check(archive_write_header(a.get(), e.get()), entry.path);
            continue;
        }
        if (entry.symlinkTarget) {
            archive_entry_set_filetype(e.get(), AE_IFLNK);
            archive_entry_set_perm(e.get(), 0777);
            archive_entry_set_symlink(e.get(), entry.symlinkTarget->c_str());
            check(archive_write_header(a.get(), e.get()), entry.path);
            continue;
        }
        struct stat st;
        if (lstat(entry.hostPath.c_str(), &st) != 0) throw SysError("reading '%s'", entry.hostPath);
        if (S_ISLNK(st.st_mode)) {
            archive_entry_set_filetype(e.get(), AE_IFLNK);
            archive_entry_set_perm(e.get(), 0777);
            archive_entry_set_symlink(e.get(), readLink(entry.hostPath).c_str());
            check(archive_write_header(a.get(), e.get()), entry.path);
        } else if (S_ISDIR(st.st_mode)) {
            archive_entry_set_filetype(e.get(), AE_IFDIR);
            archive_entry_set_perm(e.get(), entry.mode.value_or(st.st_mode & 07777));
            check(archive_write_header(a.get(), e.get()), entry.path);
        } else {
            archive_entry_set_filetype(e.get(), AE_IFREG);
            archive_entry_set_perm(e.get(), entry.mode.value_or(st.st_mode & 07777));
            archive_entry_set_size(e.get(), st.st_size);
            check(archive_write_header(a.get(), e.get()), entry.path);
            AutoCloseFD fd = openFile(entry.hostPath, O_RDONLY);
            int64_t left = st.st_size;
            while (left > 0) {
                ssize_t n = read(fd.get(), buf.get(), std::min<int64_t>(left, 1 << 20));
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) throw SysError("reading '%s'", entry.hostPath);
                if (archive_write_data(a.get(), buf.get(), static_cast<size_t>(n)) != n)
                    throw Error("writing '%s' to an image layer: %s", entry.path, archive_error_string(a.get()));
                left -= n;
            }
        }
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        throw Error("finishing a layer tar: %s", archive_error_string(a.get()));
}

}  // namespace cstore

void cstore_write_layer_tar(std::vector<cstore::LayerEntry> entries, int64_t mtime, cstore::BlobWriter& blob) {
    cstore::writeTar(std::move(entries), mtime, blob);
}
