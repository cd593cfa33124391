#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cstore/util/file.hh"

using namespace cstore;

TEST(CanonPath, RemovesDotsAndSlashes) {
    EXPECT_EQ(canonPath("/a//b/./c/../d/"), "/a/b/d");
    EXPECT_EQ(canonPath("/.."), "/");
    EXPECT_EQ(canonPath("x/y", "/base"), "/base/x/y");
    EXPECT_EQ(canonPath("../../..", "/a"), "/");
    EXPECT_EQ(canonPath("a/../../b", "/x/y"), "/x/b");
    EXPECT_EQ(canonPath("", "/x/./y/"), "/x/y");
    EXPECT_EQ(canonPath("//", "/x"), "/");
}

TEST(CanonPath, IntoAReusedBuffer) {
    std::string out = "/a/much/longer/stale/path/from/before";
    canonPathInto(out, "x/../y", "/base");
    EXPECT_EQ(out, "/base/y");
    canonPathInto(out, "/..", "/base");
    EXPECT_EQ(out, "/");
    canonPathInto(out, "z", "");
    EXPECT_EQ(out, canonPath("z"));
}

TEST(PathNames, DirAndBase) {
    EXPECT_EQ(dirOf("/a/b"), "/a");
    EXPECT_EQ(dirOf("/a"), "/");
    EXPECT_EQ(baseNameOf("/a/b/"), "b");
    EXPECT_TRUE(isInDir("/store/abc", "/store"));
    EXPECT_FALSE(isInDir("/storex/abc", "/store"));
    EXPECT_TRUE(isInDir("/store", "/store"));
}

TEST(DeletePath, RemovesReadOnlyTrees) {
    std::string dir = createTempDir(defaultTempDir(), "cstore-test");
    createDirs(dir + "/a/b/c");
    writeFile(dir + "/a/b/c/f", "12345");
    writeFile(dir + "/a/g", "xy");
    chmod((dir + "/a/b/c/f").c_str(), 0444);
    chmod((dir + "/a/b/c").c_str(), 0555);
    chmod((dir + "/a/b").c_str(), 0555);
    EXPECT_EQ(deletePath(dir), 7u);
    EXPECT_FALSE(pathExists(dir));
    EXPECT_EQ(deletePath(dir), 0u);
}

TEST(WriteFile, AtomicReplace) {
    AutoDelete dir(createTempDir(defaultTempDir(), "cstore-test"));
    writeFileAtomic(dir.path() + "/f", "one");
    writeFileAtomic(dir.path() + "/f", "two");
    EXPECT_EQ(readFile(dir.path() + "/f"), "two");
    EXPECT_EQ(readDirectoryNames(dir.path()), std::vector<std::string>{"f"});
}
