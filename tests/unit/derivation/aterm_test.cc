// ATerm round trips and rejection of malformed .drv text.
#include <gtest/gtest.h>

#include "cstore/store/derivation.hh"

using namespace cstore;

namespace {
const StoreDir nixDir("/nix/store");

// multi.drv from spec 5.10 (produced by real Nix): every escape, three outputs.
const std::string multiDrv =
    R"(Derive([("dev","/nix/store/ik2bh3hkb5ghkr4v0pfynsikw5ipjmlj-multi-dev","",""),("lib","/nix/store/xgm1bjry2fhsqcf3fjzxl7vlc9fa7jlx-multi-lib","",""),("out","/nix/store/v2a60yanm0yf3dhhsdl18c1hy9lsqcvz-multi","","")],[],["/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"],"x86_64-linux","/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox",["sh","-c","echo $lib > $out; echo x > $dev; mkdir $lib; echo $dev > $lib/ref-to-dev"],[("builder","/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox"),("dev","/nix/store/ik2bh3hkb5ghkr4v0pfynsikw5ipjmlj-multi-dev"),("lib","/nix/store/xgm1bjry2fhsqcf3fjzxl7vlc9fa7jlx-multi-lib"),("name","multi"),("out","/nix/store/v2a60yanm0yf3dhhsdl18c1hy9lsqcvz-multi"),("outputs","out dev lib"),("system","x86_64-linux"),("weird","quote\" backslash\\ tab\t nl\n cr\r dollar$ unicode-é")]))";
}  // namespace

TEST(Aterm, MultiOutputRoundTripsByteForByte) {
    Derivation drv = Derivation::parse(nixDir, multiDrv, "multi");
    EXPECT_EQ(drv.outputs.size(), 3u);
    EXPECT_EQ(drv.env.at("weird"), "quote\" backslash\\ tab\t nl\n cr\r dollar$ unicode-é");
    EXPECT_EQ(drv.args.size(), 3u);
    EXPECT_EQ(drv.unparse(nixDir, false), multiDrv);
    EXPECT_EQ(derivationPath(nixDir, drv).baseName(), "b97y30708bhmpar22hbgyqx1hzyacsgb-multi.drv");
}

TEST(Aterm, EmptyListsAndStrings) {
    std::string text = R"(Derive([("out","","","")],[],[],"","",[],[]))";
    Derivation drv = Derivation::parse(nixDir, text, "x");
    EXPECT_FALSE(drv.outputs.at("out").path);
    EXPECT_EQ(drv.unparse(nixDir, false), text);
}

TEST(Aterm, RejectsMalformedInput) {
    const char* bad[] = {
        "",
        "Derive(",
        R"(Derive([],[],[],"x","b",[],[]))",                                     // no outputs
        R"(Derive([("out","/nix/store/x","","")],[],[],"x","b",[],[]))",         // bad store path
        R"(Derive([("out","","","")],[],[],"x","b",[],[])trailing)",             // trailing data
        R"(Derive([("out","","","")],[],[],"x","b",[],[("a","1"),("a","2")]))",  // duplicate env
        R"(Derive([("out","","",""),("out","","","")],[],[],"x","b",[],[]))",    // duplicate output
        R"(Derive([("out","","","")],[],[],"x","b",["unterminated],[]))",
        R"(Derive([("out","","","")],[],[],"x","b",[],[("a","1")])",  // missing ')'
        R"(Derive([("out","","","")],[],["relative/path"],"x","b",[],[]))",
    };
    for (auto* text : bad) {
        try {
            Derivation::parse(nixDir, text, "x");
            ADD_FAILURE() << "accepted: " << text;
        } catch (FormatError& e) {
            EXPECT_NE(std::string(e.what()).find("malformed derivation at byte"), std::string::npos) << e.what();
        }
    }
}
