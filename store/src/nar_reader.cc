// The strict NAR reader (spec 3.4, Nix HEAD's rules) and the restorer that
// turns a NAR back into a tree on disk.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "cstore/store/nar.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"
#include "cstore/util/signals.hh"

namespace cstore {

namespace {

constexpr size_t maxKeywordLength = 32;

class NarParser {
public:
    NarParser(Source& source, NarVisitor& visitor) : source_(source), visitor_(visitor) {}

    void parse() {
        // Anything that does not start with the magic (including input too
        // short to hold it) is simply not a NAR.
        std::string magic;
        try {
            magic = readString(13, "magic");
        } catch (FormatError&) {
        }
        if (magic != "nix-archive-1") fail("input is not a NAR (bad magic)");
        parseNode("", 0);
    }

private:
    [[noreturn]] void fail(std::string_view msg) { throw FormatError("corrupt NAR at byte %s: %s", offset_, msg); }

    void readBytes(char* data, size_t len) {
        try {
            source_.readExactly(data, len);
        } catch (FormatError&) {
            fail("unexpected end of input");
        }
        offset_ += len;
    }

    uint64_t readU64() {
        unsigned char b[8];
        readBytes(reinterpret_cast<char*>(b), 8);
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = n << 8 | b[i];
        return n;
    }

    void readPadding(uint64_t len) {
        if (len % 8 == 0) return;
        char pad[8];
        size_t n = 8 - len % 8;
        readBytes(pad, n);
        for (size_t i = 0; i < n; ++i)
            if (pad[i]) fail("non-zero padding");
    }

    std::string readString(size_t maxLength, std::string_view what) {
        uint64_t len = readU64();
        if (len > maxLength) fail(format("%s is %s bytes long, at most %s are allowed", what, len, maxLength));
        std::string s(len, '\0');
        readBytes(s.data(), len);
        readPadding(len);
        return s;
    }

    std::string readKeyword() { return readString(maxKeywordLength, "keyword"); }

    void expect(std::string_view keyword) {
        auto got = readKeyword();
        if (got != keyword) fail(format("expected '%s', got '%s'", keyword, got));
    }

    void parseNode(const std::string& path, size_t depth) {
        checkInterrupt();
        if (depth > NarLimits::maxDepth) fail("directories are nested too deeply");
        expect("(");
        expect("type");
        auto type = readKeyword();
        if (type == "regular") {
            auto tag = readKeyword();
            bool executable = false;
            if (tag == "executable") {
                if (!readKeyword().empty()) fail("executable marker has a non-empty value");
                executable = true;
                tag = readKeyword();
            }
            if (tag != "contents") fail(format("expected 'contents', got '%s'", tag));
            uint64_t size = readU64();
            visitor_.createRegularFile(path, executable, size);
            readContents(size);
            visitor_.closeRegularFile();
            expect(")");
        } else if (type == "symlink") {
            expect("target");
            auto target = readString(NarLimits::maxTargetLength, "symlink target");
            if (target.empty()) fail("symlink target is empty");
            if (target.find('\0') != std::string::npos) fail("symlink target contains a NUL byte");
            visitor_.createSymlink(path, target);
            expect(")");
        } else if (type == "directory") {
            visitor_.createDirectory(path);
            std::string previous;
            bool first = true;
            while (true) {
                auto tag = readKeyword();
                if (tag == ")") break;
                if (tag != "entry") fail(format("expected 'entry' or ')', got '%s'", tag));
                expect("(");
                expect("name");
                auto name = readString(NarLimits::maxNameLength, "entry name");
                checkName(name);
                if (!first && name <= previous)
                    fail(name == previous ? format("duplicate entry '%s'", name)
                                          : format("entry '%s' is not sorted after '%s'", name, previous));
                first = false;
                expect("node");
                parseNode(path.empty() ? name : path + "/" + name, depth + 1);
                expect(")");
                previous = std::move(name);
            }
        } else {
            fail(format("unknown file type '%s'", type));
        }
    }

    void checkName(const std::string& name) {
        if (name.empty()) fail("entry name is empty");
        if (name == "." || name == "..") fail(format("entry name '%s' is not allowed", name));
        if (name.find('/') != std::string::npos) fail(format("entry name '%s' contains '/'", name));
        if (name.find('\0') != std::string::npos) fail("entry name contains a NUL byte");
    }

    void readContents(uint64_t size) {
        if (!buffer_) buffer_.reset(new char[chunk]);
        uint64_t left = size;
        while (left) {
            checkInterrupt();
            size_t n = source_.read(buffer_.get(), std::min<uint64_t>(left, chunk));
            if (n == 0) fail("unexpected end of input in file contents");
            offset_ += n;
            left -= n;
            visitor_.receiveContents(std::string_view(buffer_.get(), n));
        }
        readPadding(size);
    }

    static constexpr size_t chunk = 256 * 1024;
    Source& source_;
    NarVisitor& visitor_;
    uint64_t offset_ = 0;
    std::unique_ptr<char[]> buffer_;
};

class RestoreVisitor : public NarVisitor {
public:
    explicit RestoreVisitor(std::string root) : root_(std::move(root)) {}

    void createDirectory(const std::string& path) override {
        auto full = fullPath(path);
        if (mkdir(full.c_str(), 0777) != 0) throw SysError("creating directory '%s'", full);
    }

    void createRegularFile(const std::string& path, bool executable, uint64_t size) override {
        current_ = fullPath(path);
        int fd = open(current_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0777 : 0666);
        if (fd < 0) throw SysError("creating file '%s'", current_);
        fd_ = AutoCloseFD(fd);
        // Reserve the space up front (ignored where unsupported: no zero-filling fallback).
        // The size is untrusted until the bytes arrive, so only moderate sizes are reserved.
        if (size > 0 && size <= maxPreallocate) (void)fallocate(fd, 0, 0, static_cast<off_t>(size));
    }

    void receiveContents(std::string_view chunk) override {
        while (!chunk.empty()) {
            ssize_t n = write(fd_.get(), chunk.data(), chunk.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw SysError("writing file '%s'", current_);
            }
            chunk.remove_prefix(static_cast<size_t>(n));
        }
    }

    void closeRegularFile() override { fd_.close(); }

    void createSymlink(const std::string& path, const std::string& target) override {
        auto full = fullPath(path);
        if (symlink(target.c_str(), full.c_str()) != 0) throw SysError("creating symbolic link '%s'", full);
    }

private:
    static constexpr uint64_t maxPreallocate = 64ull << 20;

    std::string fullPath(const std::string& path) const { return path.empty() ? root_ : root_ + "/" + path; }

    std::string root_, current_;
    AutoCloseFD fd_;
};

}  // namespace

void parseNar(Source& source, NarVisitor& visitor) { NarParser(source, visitor).parse(); }

void expectEnd(Source& source) {
    char c;
    if (source.read(&c, 1) != 0) throw FormatError("corrupt NAR: unexpected data after the end of the archive");
}

void restorePath(const std::string& target, Source& source) {
    if (pathExists(target)) throw Error("cannot restore a NAR to '%s': it already exists", target);
    try {
        RestoreVisitor visitor(target);
        parseNar(source, visitor);
        expectEnd(source);
    } catch (...) {
        try {
            deletePath(target);
        } catch (...) {
        }
        throw;
    }
}

}  // namespace cstore
