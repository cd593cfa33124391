// The strict NAR reader (spec 3.4) and restorePath: malformed NARs crafted
// here must be rejected with a message naming the problem, and a failed
// restore must leave nothing behind.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>

#include "cstore/store/nar.hh"
#include "cstore/util/error.hh"
#include "cstore/util/hash.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {

// Records the visitor calls as text, one line each.
struct RecordingVisitor : NarVisitor {
    std::vector<std::string> events;
    void createDirectory(const std::string& p) override { events.push_back("dir " + p); }
    void createRegularFile(const std::string& p, bool x, uint64_t size) override {
        events.push_back((x ? "exe " : "file ") + p + " " + std::to_string(size));
    }
    void receiveContents(std::string_view chunk) override { events.back() += ":" + std::string(chunk); }
    void closeRegularFile() override {}
    void createSymlink(const std::string& p, const std::string& t) override { events.push_back("link " + p + " " + t); }
};

// A directory holding an entry "d" whose node is given.
std::string dirWith(std::string_view name, const std::function<void(Nar&)>& node) {
    Nar n;
    n.magic().dirOpen().entryOpen(name);
    node(n);
    n.close().close();
    return n.bytes();
}

struct BadNar {
    std::string what;
    std::string bytes;
    std::string message;  // a substring the error must contain
};

std::vector<BadNar> badNars() {
    std::vector<BadNar> cases;
    auto add = [&](std::string what, std::string bytes, std::string message) {
        cases.push_back({std::move(what), std::move(bytes), std::move(message)});
    };
    auto file = [](Nar& n) { n.file("x"); };

    add("empty input", "", "not a NAR");
    add("wrong magic", Nar().str("nix-archive-2").file("x"), "not a NAR");
    add("short magic", Nar().str("nix").file("x"), "not a NAR");
    add("huge magic length", Nar().u64(1ull << 62).raw("nix-archive-1"), "not a NAR");
    add("text instead of a NAR", std::string("hello world, this is not an archive\n"), "not a NAR");

    add("name '.'", dirWith(".", file), "'.' is not allowed");
    add("name '..'", dirWith("..", file), "'..' is not allowed");
    add("name with '/'", dirWith("a/b", file), "contains '/'");
    add("name '../escape'", dirWith("../escape", file), "contains '/'");
    add("absolute name", dirWith("/etc", file), "contains '/'");
    add("name with NUL", dirWith(std::string("a\0b", 3), file), "NUL");
    add("empty name", dirWith("", file), "name is empty");
    add("name too long", dirWith(std::string(256, 'n'), file), "entry name is 256 bytes long");

    add("unsorted entries", Nar().magic().dirOpen().fileEntry("b", "1").fileEntry("a", "2").close(), "not sorted");
    add("upper case after lower case", Nar().magic().dirOpen().fileEntry("a", "1").fileEntry("B", "2").close(),
        "not sorted");
    add("duplicate entries", Nar().magic().dirOpen().fileEntry("a", "1").fileEntry("a", "2").close(), "duplicate");
    add("duplicate entry re-entering a symlink",
        Nar()
            .magic()
            .dirOpen()
            .entryOpen("a")
            .symlink("/tmp")
            .close()
            .entryOpen("a")
            .dirOpen()
            .fileEntry("f", "x")
            .close()
            .close()
            .close(),
        "duplicate");

    add("unknown node type", Nar().magic().str("(").str("type").str("fifo").str(")"), "unknown file type 'fifo'");
    add("missing '('", Nar().magic().str("type").str("regular"), "expected '('");
    add("missing 'type'", Nar().magic().str("(").str("regular"), "expected 'type'");
    add("misspelt 'contents'", Nar().magic().str("(").str("type").str("regular").str("content").str("x"),
        "expected 'contents'");
    add("unknown token in a directory", Nar().magic().dirOpen().str("entri"), "expected 'entry' or ')'");
    add("missing 'name'", Nar().magic().dirOpen().str("entry").str("(").str("node"), "expected 'name'");
    add("missing 'node'", Nar().magic().dirOpen().str("entry").str("(").str("name").str("a").str("("),
        "expected 'node'");
    add("missing 'target'", Nar().magic().str("(").str("type").str("symlink").str("x"), "expected 'target'");
    add("keyword too long", Nar().magic().str("(").str(std::string(33, 't')), "keyword is 33 bytes long");
    add("executable after contents",
        Nar().magic().str("(").str("type").str("regular").str("contents").str("x").str("executable").str(""),
        "expected ')'");
    add("executable marker with a value",
        Nar().magic().str("(").str("type").str("regular").str("executable").str("1").str("contents").str("x").str(")"),
        "non-empty value");

    add("contents longer than the input",
        Nar().magic().str("(").str("type").str("regular").str("contents").u64(1000).raw("abc"), "end of input");
    add("name longer than the input", Nar().magic().dirOpen().str("entry").str("(").str("name").u64(200).raw("ab"),
        "end of input");
    add("huge name length", Nar().magic().dirOpen().str("entry").str("(").str("name").u64(~0ull), "at most 255");
    add("huge target length", Nar().magic().str("(").str("type").str("symlink").str("target").u64(1ull << 40),
        "at most 4095");
    add("missing padding", Nar().magic().str("(").str("type").str("regular").str("contents").u64(3).raw("abc"),
        "end of input");
    add("truncated after the root", Nar().magic().str("(").str("type").str("regular").str("contents").str("x"),
        "end of input");
    add("unterminated directory", Nar().magic().dirOpen().fileEntry("a", "x"), "end of input");

    add("non-zero padding in contents",
        Nar().magic().str("(").str("type").str("regular").str("contents").u64(3).raw(std::string("abc\0\0\0\0\1", 8)),
        "non-zero padding");
    add("non-zero padding in a keyword", Nar().magic().raw(std::string("\1\0\0\0\0\0\0\0(\0\0\0\0\0\0x", 16)),
        "non-zero padding");

    add("empty symlink target", Nar().magic().symlink(""), "symlink target is empty");
    add("symlink target with NUL", Nar().magic().symlink(std::string("a\0b", 3)), "NUL");
    add("symlink target too long", Nar().magic().symlink(std::string(4096, 't')), "at most 4095");
    add("empty symlink target in a directory", dirWith("l", [](Nar& n) { n.symlink(""); }), "symlink target is empty");

    {
        Nar deep;
        deep.magic();
        for (size_t i = 0; i <= NarLimits::maxDepth + 1; ++i) deep.dirOpen().entryOpen("d");
        add("nesting too deep", deep, "nested too deeply");
    }
    return cases;
}

std::string restoreError(const std::string& target, const std::string& nar) {
    StringSource source(nar);
    try {
        restorePath(target, source);
    } catch (FormatError& e) {
        return e.what();
    } catch (Error& e) {
        return std::string("(not a FormatError) ") + e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(NarReader, ParsesEveryNodeKind) {
    std::string nar = Nar()
                          .magic()
                          .dirOpen()
                          .fileEntry("a", "hello")
                          .entryOpen("b")
                          .file("", true)
                          .close()
                          .entryOpen("c")
                          .dirOpen()
                          .entryOpen("l")
                          .symlink("../a")
                          .close()
                          .close()
                          .close()
                          .close()
                          .bytes();
    StringSource source(nar);
    RecordingVisitor v;
    parseNar(source, v);
    expectEnd(source);
    EXPECT_EQ(v.events, (std::vector<std::string>{"dir ", "file a 5:hello", "exe b 0", "dir c", "link c/l ../a"}));
}

TEST(NarReader, ReadsExactlyTheArchive) {
    std::string nar = Nar().magic().file("x").bytes();
    std::string withTrailing = nar + "trailing", withOneMore = nar + "x";
    StringSource source(withTrailing);
    NullNarVisitor v;
    parseNar(source, v);
    EXPECT_EQ(source.drain(), "trailing");
    StringSource again(withOneMore);
    parseNar(again, v);
    try {
        expectEnd(again);
        FAIL() << "trailing data accepted";
    } catch (FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("after the end"), std::string::npos) << e.what();
    }
}

TEST(NarReader, RejectsMalformedNarsWithAClearMessage) {
    for (auto& c : badNars()) {
        SCOPED_TRACE(c.what);
        StringSource source(c.bytes);
        NullNarVisitor v;
        try {
            parseNar(source, v);
            expectEnd(source);
            ADD_FAILURE() << "accepted";
        } catch (FormatError& e) {
            std::string msg = e.what();
            EXPECT_NE(msg.find(c.message), std::string::npos) << msg;
            EXPECT_EQ(msg.find("corrupt NAR"), 0u) << msg;
            EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        }
    }
}

TEST(NarReader, FailedRestoresLeaveNothingBehind) {
    TempDir tmp;
    for (auto& c : badNars()) {
        SCOPED_TRACE(c.what);
        std::string msg = restoreError(tmp / "out", c.bytes);
        EXPECT_NE(msg.find(c.message), std::string::npos) << msg;
        EXPECT_FALSE(pathExists(tmp / "out"));
        EXPECT_TRUE(readDirectoryNames(tmp.path()).empty());
    }
}

TEST(NarReader, TrailingGarbageFailsTheRestore) {
    TempDir tmp;
    std::string nar = Nar().magic().dirOpen().fileEntry("a", "x").close().bytes();
    for (std::string extra : {std::string(8, '\0'), std::string("x"), Nar().file("y").bytes()}) {
        std::string msg = restoreError(tmp / "out", nar + extra);
        EXPECT_NE(msg.find("after the end"), std::string::npos) << msg;
        EXPECT_FALSE(pathExists(tmp / "out"));
    }
}

TEST(NarReader, EveryTruncationIsRejectedAndCleanedUp) {
    TempDir tmp;
    std::string nar = Nar()
                          .magic()
                          .dirOpen()
                          .fileEntry("a", "contents of a")
                          .entryOpen("d")
                          .dirOpen()
                          .entryOpen("l")
                          .symlink("../a")
                          .close()
                          .entryOpen("x")
                          .file("#!/bin/sh\n", true)
                          .close()
                          .close()
                          .close()
                          .close()
                          .bytes();
    for (size_t len = 0; len < nar.size(); ++len) {
        std::string prefix = nar.substr(0, len);
        StringSource source(prefix);
        NullNarVisitor v;
        ASSERT_THROW(parseNar(source, v), FormatError) << "prefix of " << len << " bytes";
        // Restoring touches the disk: every 8-byte boundary and the odd bytes around a few of them.
        if (len % 8 != 0 && len % 56 > 2) continue;
        std::string msg = restoreError(tmp / "out", prefix);
        ASSERT_NE(msg.find("corrupt NAR"), std::string::npos) << "prefix of " << len << " bytes: " << msg;
        ASSERT_FALSE(pathExists(tmp / "out")) << len;
    }
    StringSource full(nar);
    restorePath(tmp / "out", full);
    EXPECT_EQ(dump(tmp / "out"), nar);
}

TEST(NarReader, RestoreNeverWritesOutsideTheTarget) {
    TempDir tmp;
    createDirs(tmp / "outside");
    // A symlink pointing outside is fine as a symlink: nothing is written through it.
    std::string nar =
        Nar().magic().dirOpen().entryOpen("esc").symlink("../outside").close().fileEntry("f", "x").close().bytes();
    StringSource source(nar);
    restorePath(tmp / "out", source);
    EXPECT_EQ(readLink(tmp / "out/esc"), "../outside");
    EXPECT_TRUE(readDirectoryNames(tmp / "outside").empty());
    // Re-entering the symlink as a directory is a duplicate entry.
    std::string evil = Nar()
                           .magic()
                           .dirOpen()
                           .entryOpen("esc")
                           .symlink("../outside")
                           .close()
                           .entryOpen("esc")
                           .dirOpen()
                           .fileEntry("planted", "x")
                           .close()
                           .close()
                           .close()
                           .bytes();
    std::string msg = restoreError(tmp / "out2", evil);
    EXPECT_NE(msg.find("duplicate"), std::string::npos) << msg;
    EXPECT_TRUE(readDirectoryNames(tmp / "outside").empty());
    EXPECT_FALSE(pathExists(tmp / "out2"));
}

TEST(NarReader, RestoreRefusesAnExistingTarget) {
    TempDir tmp;
    writeFile(tmp / "existing", "keep me");
    std::string nar = Nar().magic().file("new").bytes();
    StringSource source(nar);
    EXPECT_THROW(restorePath(tmp / "existing", source), Error);
    EXPECT_EQ(readFile(tmp / "existing"), "keep me");
    ASSERT_EQ(symlink("nowhere", (tmp / "dangling").c_str()), 0);
    StringSource again(nar);
    EXPECT_THROW(restorePath(tmp / "dangling", again), Error);
    EXPECT_EQ(readLink(tmp / "dangling"), "nowhere");
}

TEST(NarReader, RoundTripKeepsContentsAndExecutableBits) {
    TempDir tmp;
    std::string src = tmp / "src";
    writeTree(
        src,
        {{"a", "1"}, {"B", "2"}, {"dir/exe", "#!/bin/sh\n"}, {"dir/empty", ""}, {"big", std::string(300000, 'b')}});
    createDirs(src + "/emptydir");
    ASSERT_EQ(chmod((src + "/dir/exe").c_str(), 0700), 0);
    ASSERT_EQ(symlink("dir/exe", (src + "/link").c_str()), 0);
    std::string nar = dump(src);
    StringSource source(nar);
    restorePath(tmp / "dst", source);
    EXPECT_EQ(dump(tmp / "dst"), nar);
    EXPECT_TRUE(modeOf(tmp / "dst/dir/exe") & S_IXUSR);
    EXPECT_FALSE(modeOf(tmp / "dst/a") & S_IXUSR);
    EXPECT_EQ(readFile(tmp / "dst/big"), std::string(300000, 'b'));
}

// A NAR is untrusted input: the size it declares for a file must not make
// the restorer reserve that much disk space before the bytes arrive.
TEST(NarReader, DeclaredSizesAreNotPreallocated) {
    TempDir tmp;
    const uint64_t declared = 1ull << 30;
    std::string header = Nar().magic().str("(").str("type").str("regular").str("contents").u64(declared).bytes();
    struct Probe : Source {
        std::string data, file;
        size_t pos = 0;
        uint64_t maxAllocated = 0;
        size_t read(char* out, size_t len) override {
            if (auto st = maybeLstat(file)) maxAllocated = std::max<uint64_t>(maxAllocated, st->st_blocks * 512ull);
            size_t n = std::min(len, data.size() - pos);
            std::copy_n(data.data() + pos, n, out);
            pos += n;
            return n;
        }
    } probe;
    probe.data = header + "abc";
    probe.file = tmp / "out";
    EXPECT_THROW(restorePath(tmp / "out", probe), FormatError);
    EXPECT_FALSE(pathExists(tmp / "out"));
    EXPECT_LE(probe.maxAllocated, 64ull << 20) << "a 1 GiB file was reserved for 3 bytes of contents";
}
