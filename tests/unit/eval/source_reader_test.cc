#include "source_reader.hh"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

namespace cstore::eval {
namespace {

class SourceReaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/cstore-source-reader.XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

    std::string write(const std::string& name, const std::string& contents) {
        std::string path = dir_ + "/" + name;
        std::ofstream(path, std::ios::binary) << contents;
        return path;
    }

    std::string dir_;
};

// Sizes around the reader's 16 KiB buffer: a short read ends a file only
// where that means end of file, and longer files take several reads.
TEST_F(SourceReaderTest, ReadsWholeFilesOfEverySize) {
    SourceReader reader;
    for (size_t size : {0ul, 1ul, 255ul, 16383ul, 16384ul, 16385ul, 40000ul, 3ul << 20}) {
        std::string contents;
        for (size_t i = 0; i < size; ++i) contents += static_cast<char>('a' + i % 23);
        std::string path = write("f" + std::to_string(size), contents);
        std::string text = "stale";
        bool isDir = true;
        ASSERT_TRUE(reader.read(path, text, isDir)) << size;
        EXPECT_FALSE(isDir);
        EXPECT_EQ(text.size(), size);
        EXPECT_EQ(text, contents) << size;
    }
}

TEST_F(SourceReaderTest, DirectoriesAndMissingFiles) {
    SourceReader reader;
    ASSERT_EQ(mkdir((dir_ + "/sub").c_str(), 0755), 0);
    std::string text = "untouched";
    bool isDir = false;
    ASSERT_TRUE(reader.read(dir_ + "/sub", text, isDir));
    EXPECT_TRUE(isDir);
    EXPECT_EQ(text, "untouched");
    EXPECT_FALSE(reader.read(dir_ + "/missing.cbl", text, isDir));
    EXPECT_EQ(errno, ENOENT);
    EXPECT_FALSE(reader.read(dir_ + "/no-dir/x.cbl", text, isDir));
    EXPECT_EQ(errno, ENOENT);
}

TEST_F(SourceReaderTest, ManyDirectoriesInTurn) {
    // More directories than handles kept open: each is reopened as needed.
    SourceReader reader;
    for (int round = 0; round < 2; ++round)
        for (int d = 0; d < 6; ++d) {
            std::string sub = "d" + std::to_string(d);
            mkdir((dir_ + "/" + sub).c_str(), 0755);
            std::string path = write(sub + "/x.cbl", sub);
            std::string text;
            bool isDir = false;
            ASSERT_TRUE(reader.read(path, text, isDir));
            EXPECT_EQ(text, sub);
        }
}

}  // namespace
}  // namespace cstore::eval
