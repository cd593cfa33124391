// The NAR writer (spec 3.1-3.3): golden bytes from real Nix, and the
// serialisation of every kind of node built token by token.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cstore/store/nar.hh"
#include "cstore/util/encoding.hh"
#include "cstore/util/error.hh"
#include "cstore/util/hash.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {
// `nix-store --dump` of a file containing "hi\n" (spec 3.3), as hex.
const std::string hiNarHex =
    "0d00000000000000"
    "6e69782d61726368"
    "6976652d31000000"
    "0100000000000000"
    "2800000000000000"
    "0400000000000000"
    "7479706500000000"
    "0700000000000000"
    "726567756c617200"
    "0800000000000000"
    "636f6e74656e7473"
    "0300000000000000"
    "68690a0000000000"
    "0100000000000000"
    "2900000000000000";
}  // namespace

TEST(NarWriter, HiFileIsByteIdenticalToNix) {
    TempDir tmp;
    writeFile(tmp / "hi", "hi\n");
    std::string nar = dump(tmp / "hi");
    ASSERT_EQ(nar.size(), 120u);
    EXPECT_EQ(encodeBase16(nar), hiNarHex);
    EXPECT_EQ(hashString(HashAlgo::sha256, nar).toString(HashFormat::nix32),
              "sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h");
    EXPECT_EQ(nar, Nar().magic().file("hi\n").bytes());

    StringSink contents;
    dumpContents("hi\n", false, contents);
    EXPECT_EQ(contents.data, nar);
}

TEST(NarWriter, OnlyTheOwnerExecuteBitCounts) {
    TempDir tmp;
    for (auto [mode, executable] : {std::pair{0744, true},
                                    {0700, true},
                                    {0100, true},
                                    {0654, false},
                                    {0611, false},
                                    {0444, false},
                                    {0666, false}}) {
        std::string f = tmp / ("f" + std::to_string(mode));
        writeFile(f, "x");
        ASSERT_EQ(chmod(f.c_str(), static_cast<mode_t>(mode)), 0);
        EXPECT_EQ(dump(f), Nar().magic().file("x", executable).bytes()) << std::oct << mode;
    }
    StringSink exe;
    dumpContents("x", true, exe);
    EXPECT_EQ(exe.data, Nar().magic().file("x", true).bytes());
    // The executable marker is the keyword plus an empty string: 10+6 padding, then 8 zero bytes.
    std::string marker = Nar().str("executable").str("").bytes();
    EXPECT_EQ(marker.size(), 32u);
    EXPECT_NE(exe.data.find(marker), std::string::npos);
}

TEST(NarWriter, DirectoryEntriesAreSortedByteWise) {
    TempDir tmp;
    std::string root = tmp / "root";
    writeTree(root, {{"a", "lower"}, {"B", "upper"}, {"empty-file", ""}, {"sub/z", "z"}});
    createDirs(root + "/empty-dir");
    ASSERT_EQ(symlink("../dangling/target", (root + "/link").c_str()), 0);
    ASSERT_EQ(chmod((root + "/sub/z").c_str(), 0755), 0);

    std::string expected = Nar()
                               .magic()
                               .dirOpen()
                               .fileEntry("B", "upper")
                               .fileEntry("a", "lower")
                               .entryOpen("empty-dir")
                               .dirOpen()
                               .close()
                               .close()
                               .fileEntry("empty-file", "")
                               .entryOpen("link")
                               .symlink("../dangling/target")
                               .close()
                               .entryOpen("sub")
                               .dirOpen()
                               .entryOpen("z")
                               .file("z", true)
                               .close()
                               .close()
                               .close()
                               .close()
                               .bytes();
    EXPECT_EQ(dump(root), expected);
}

TEST(NarWriter, NonAsciiNamesSortAsUnsignedBytes) {
    TempDir tmp;
    std::string root = tmp / "root";
    // 0xc3 (UTF-8 lead byte) must sort after every ASCII byte.
    writeTree(root, {{"\xc3\xa9", "e-acute"}, {"z", "z"}, {"A", "A"}});
    std::string expected = Nar()
                               .magic()
                               .dirOpen()
                               .fileEntry("A", "A")
                               .fileEntry("z", "z")
                               .fileEntry("\xc3\xa9", "e-acute")
                               .close()
                               .bytes();
    EXPECT_EQ(dump(root), expected);
}

TEST(NarWriter, EmptyDirectoryAndSymlinkRoots) {
    TempDir tmp;
    createDirs(tmp / "empty");
    EXPECT_EQ(dump(tmp / "empty"), Nar().magic().dirOpen().close().bytes());
    ASSERT_EQ(symlink("/nonexistent/x", (tmp / "link").c_str()), 0);
    // The link is not followed, even though it dangles.
    EXPECT_EQ(dump(tmp / "link"), Nar().magic().symlink("/nonexistent/x").bytes());
    std::string longTarget(3000, 't');
    ASSERT_EQ(symlink(longTarget.c_str(), (tmp / "long").c_str()), 0);
    EXPECT_EQ(dump(tmp / "long"), Nar().magic().symlink(longTarget).bytes());
}

TEST(NarWriter, LargeFilesCrossingBufferSizes) {
    TempDir tmp;
    for (size_t size : {size_t{(1 << 20) - 1}, size_t{1 << 20}, size_t{(1 << 20) + 3}, size_t{(2 << 20) + 5}}) {
        std::string contents(size, '\0');
        for (size_t i = 0; i < size; ++i) contents[i] = static_cast<char>(i * 7 + i / 4096);
        writeFile(tmp / "big", contents);
        std::string nar = dump(tmp / "big");
        EXPECT_EQ(nar, Nar().magic().file(contents).bytes()) << size;
        StringSink viaContents;
        dumpContents(contents, false, viaContents);
        EXPECT_EQ(viaContents.data, nar) << size;
    }
}

TEST(NarWriter, HashingSinkSeesTheSameBytes) {
    TempDir tmp;
    writeTree(tmp / "t", {{"x", std::string(100000, 'x')}, {"y/z", "z"}});
    HashSink h(HashAlgo::sha256);
    dumpPath(tmp / "t", h);
    auto [hash, size] = h.finish();
    std::string nar = dump(tmp / "t");
    EXPECT_EQ(size, nar.size());
    EXPECT_EQ(hash, hashString(HashAlgo::sha256, nar));
}

TEST(NarWriter, RejectsUnsupportedFileTypes) {
    TempDir tmp;
    createDirs(tmp / "d");
    ASSERT_EQ(mkfifo((tmp / "d/fifo").c_str(), 0644), 0);
    try {
        dump(tmp / "d");
        FAIL() << "a FIFO was archived";
    } catch (Error& e) {
        EXPECT_NE(std::string(e.what()).find("fifo"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("unsupported type"), std::string::npos) << e.what();
    }
    EXPECT_THROW(dump(tmp / "missing"), SysError);
}
