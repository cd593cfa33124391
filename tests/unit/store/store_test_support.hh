// Helpers shared by the store unit tests: temporary directories, small file
// trees, and a builder for hand-crafted (possibly malformed) NARs.
//
//   TempDir tmp;
//   writeTree(tmp.path() + "/src", {{"a", "x"}, {"sub/b", "y"}});
//   std::string nar = Nar().str("nix-archive-1").str("(").str("type").str("regular")...;
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cstore/store/nar.hh"
#include "cstore/store/store_path.hh"
#include "cstore/util/file.hh"

namespace cstore {
// Readable GoogleTest failure messages for store paths.
inline void PrintTo(const StorePath& path, std::ostream* os) { *os << path.baseName(); }
}  // namespace cstore

namespace cstore::test {

// A fresh directory under $TMPDIR, removed (recursively) by the destructor.
class TempDir {
public:
    TempDir() : dir_(createTempDir(defaultTempDir(), "cstore-unit")) {}
    const std::string& path() const { return dir_.path(); }
    std::string operator/(std::string_view name) const { return path() + "/" + std::string(name); }

private:
    AutoDelete dir_;
};

// The NAR serialisation of the tree at `path`, in memory.
inline std::string dump(const std::string& path) {
    StringSink sink;
    dumpPath(path, sink);
    return sink.data;
}

// Creates regular files (and the directories they need) below `root`.
inline void writeTree(const std::string& root, const std::vector<std::pair<std::string, std::string>>& files) {
    createDirs(root);
    for (auto& [rel, contents] : files) {
        std::string full = root + "/" + rel;
        createDirs(dirOf(full));
        writeFile(full, contents);
    }
}

// Builds NAR bytes token by token; every helper returns *this for chaining.
class Nar {
public:
    Nar& u64(uint64_t n) {
        for (int i = 0; i < 8; ++i) bytes_ += static_cast<char>((n >> (8 * i)) & 0xff);
        return *this;
    }
    // A framed string: length, bytes, zero padding to a multiple of 8.
    Nar& str(std::string_view s) {
        u64(s.size());
        bytes_.append(s);
        bytes_.append((8 - s.size() % 8) % 8, '\0');
        return *this;
    }
    Nar& raw(std::string_view s) {
        bytes_.append(s);
        return *this;
    }
    Nar& magic() { return str("nix-archive-1"); }
    // `( type regular [executable ""] contents <c> )`
    Nar& file(std::string_view contents, bool executable = false) {
        str("(").str("type").str("regular");
        if (executable) str("executable").str("");
        return str("contents").str(contents).str(")");
    }
    Nar& symlink(std::string_view target) {
        return str("(").str("type").str("symlink").str("target").str(target).str(")");
    }
    Nar& dirOpen() { return str("(").str("type").str("directory"); }
    Nar& entryOpen(std::string_view name) { return str("entry").str("(").str("name").str(name).str("node"); }
    Nar& close() { return str(")"); }
    // `entry ( name <n> node <file> )`
    Nar& fileEntry(std::string_view name, std::string_view contents) { return entryOpen(name).file(contents).close(); }

    const std::string& bytes() const { return bytes_; }
    operator const std::string&() const { return bytes_; }

private:
    std::string bytes_;
};

inline mode_t modeOf(const std::string& path) {
    struct stat st = lstatOrThrow(path);
    return st.st_mode & 07777;
}

}  // namespace cstore::test
