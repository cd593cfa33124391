// splitWords and trim.
#include <gtest/gtest.h>

#include "cstore/util/strings.hh"

using namespace cstore;

TEST(Strings, SplitWords) {
    EXPECT_EQ(splitWords(" a\tb\n\nc\r d "), (std::vector<std::string>{"a", "b", "c", "d"}));
    EXPECT_EQ(splitWords("one"), (std::vector<std::string>{"one"}));
    EXPECT_TRUE(splitWords("").empty());
    EXPECT_TRUE(splitWords(" \t\n\r ").empty());
}

TEST(Strings, Trim) {
    EXPECT_EQ(trim("  x y \r"), "x y");
    EXPECT_EQ(trim("\t\r "), "");
    EXPECT_EQ(trim("z"), "z");
    EXPECT_EQ(trim(" \nkeep\n "), "\nkeep\n");  // newlines are not trimmed
}
