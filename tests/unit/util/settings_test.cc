#include <gtest/gtest.h>

#include "cstore/util/error.hh"
#include "cstore/util/settings.hh"

using namespace cstore;

TEST(Settings, ConfigTextAndOrigins) {
    Settings s;
    EXPECT_EQ(s.storeDir.get(), "/store");
    EXPECT_EQ(s.storeDir.origin(), "default");
    s.applyConfigText("# comment\n  cores = 3  \n\nkeep-outputs = true\n", "test.conf");
    EXPECT_EQ(s.cores.get(), 3u);
    EXPECT_TRUE(s.keepOutputs.get());
    EXPECT_EQ(s.cores.origin(), "test.conf");
}

TEST(Settings, ErrorsNameTheLine) {
    Settings s;
    try {
        s.applyConfigText("cores = 2\ncores = many\n", "my.conf");
        FAIL();
    } catch (Error& e) {
        EXPECT_EQ(e.pos()->line, 2u);
        EXPECT_NE(std::string(e.what()).find("my.conf:2"), std::string::npos);
    }
    EXPECT_THROW(s.set("no-such-setting", "1", "--option"), Error);
    EXPECT_THROW(s.applyConfigText("just words", "x"), Error);
}

TEST(Settings, AllAreRegistered) {
    Settings s;
    EXPECT_TRUE(s.all().count("store-dir"));
    EXPECT_TRUE(s.all().count("max-jobs"));
    for (auto& [name, setting] : s.all()) EXPECT_FALSE(setting->help().empty()) << name;
}
