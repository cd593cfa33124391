// NAR, the Nix ARchive (spec section 3): a canonical serialisation of a file
// tree holding only regular files (with one executable bit), directories and
// symlinks. The writer is byte-identical to Nix; the reader is strict (Nix
// HEAD's rules) and rejects anything a writer would never produce.
//
//   HashSink h(HashAlgo::sha256);
//   dumpPath("/some/tree", h);                  // NAR hash of a tree
//   restorePath("/tmp/out", source);            // unpack; nothing left on error
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cstore/util/stream.hh"

namespace cstore {

// Serialises the tree at `path` (lstat'ed; symlinks are not followed).
void dumpPath(const std::string& path, Sink& sink);
// Serialises `path` and, in the same pass, copies it to `target` (which must
// not exist) in canonical store form: modes 0444/0555, mtime 1, no xattrs.
// The copy holds exactly the bytes that went into the NAR.
void dumpPathAndCopy(const std::string& path, const std::string& target, Sink& sink);
// The NAR of a single regular file with these contents.
void dumpContents(std::string_view contents, bool executable, Sink& sink);

// Receives the parts of a NAR in order. Paths are relative to the root of the
// archive, "" being the root itself and "a/b" an entry of directory "a".
struct NarVisitor {
    virtual ~NarVisitor() = default;
    virtual void createDirectory(const std::string& path) = 0;
    virtual void createRegularFile(const std::string& path, bool executable, uint64_t size) = 0;
    virtual void receiveContents(std::string_view chunk) = 0;
    virtual void closeRegularFile() = 0;
    virtual void createSymlink(const std::string& path, const std::string& target) = 0;
};

struct NarLimits {
    static constexpr size_t maxNameLength = 255;
    static constexpr size_t maxTargetLength = 4095;
    static constexpr size_t maxDepth = 512;
};

// Parses a NAR from `source`, calling `visitor` for each node. Throws
// FormatError with the byte offset of the problem. Reads exactly the NAR's
// bytes; call `expectEnd` afterwards to reject trailing data.
void parseNar(Source& source, NarVisitor& visitor);
// Throws FormatError if `source` has any bytes left.
void expectEnd(Source& source);

// Unpacks a NAR into `target`, which must not exist. On any error the
// partially written tree is deleted before the exception propagates.
void restorePath(const std::string& target, Source& source);

// A visitor that checks structure only (for hashing-while-parsing pipelines).
struct NullNarVisitor : NarVisitor {
    void createDirectory(const std::string&) override {}
    void createRegularFile(const std::string&, bool, uint64_t) override {}
    void receiveContents(std::string_view) override {}
    void closeRegularFile() override {}
    void createSymlink(const std::string&, const std::string&) override {}
};

// A Source that passes through another one while feeding every byte to a sink
// (e.g. a HashSink, to hash a NAR while it is being parsed).
class TeeSource : public Source {
public:
    TeeSource(Source& inner, Sink& sink) : inner_(inner), sink_(sink) {}
    size_t read(char* data, size_t len) override {
        size_t n = inner_.read(data, len);
        if (n) sink_(std::string_view(data, n));
        return n;
    }

private:
    Source& inner_;
    Sink& sink_;
};

}  // namespace cstore
