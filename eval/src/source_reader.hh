// Reads recipe files for import with as little kernel work as possible:
// importing thousands of small files is dominated by open, read and close.
//
// - The directories of recent files stay open (O_PATH), and a file is
//   opened relative to its directory: the kernel resolves one name instead
//   of walking every component of the absolute path again (the path walk
//   was half of open's cost). A directory that cannot be opened falls back
//   to opening the full path, so failures report the same errno as before.
// - No fstat: the file is read into a reused buffer until end of file, and
//   a directory shows itself as EISDIR on the first read. On the local
//   filesystems where a short read of a file can only mean its end (ext4,
//   tmpfs, xfs, btrfs, overlayfs: checked once per directory with fstatfs),
//   a read that does not fill the buffer ends it, without a second read to
//   see end of file; elsewhere (NFS, FUSE, ...) reading goes on until read
//   returns 0.
//
//   SourceReader reader;
//   std::string text;
//   bool isDir;
//   if (!reader.read("/src/a.cbl", text, isDir)) fail(errno);
#pragma once

#include <array>
#include <string>
#include <vector>

namespace cstore::eval {

class SourceReader {
public:
    SourceReader() = default;
    ~SourceReader();
    SourceReader(const SourceReader&) = delete;
    SourceReader& operator=(const SourceReader&) = delete;

    // Reads the file at `path` (absolute) into `text`. False with errno set
    // when it cannot be opened; true with `isDir` set for a directory (and
    // `text` untouched). Throws SysError when reading fails.
    bool read(const std::string& path, std::string& text, bool& isDir);

private:
    // An fd for `path` (closed by the caller), opened relative to its
    // directory when possible; `shortReadIsEof` says whether that
    // directory's filesystem is one of the local ones above.
    int open(const std::string& path, bool& shortReadIsEof);

    struct OpenDir {
        std::string path;
        int fd = -1;
        bool shortReadIsEof = false;
    };
    std::array<OpenDir, 4> dirs_;  // a few, replaced in turn: imports cluster in directories
    size_t nextDir_ = 0;
    std::vector<char> buffer_;
};

}  // namespace cstore::eval
