// ATerm escapes: every byte survives a round trip through the fields that
// are escaped; the fields Nix writes without escapes refuse escapes, so that
// what is read can always be written back; malformed text is rejected with
// the byte offset of the problem.
#include <gtest/gtest.h>

#include "cstore/store/derivation.hh"

using namespace cstore;

namespace {
const StoreDir dir("/store");
const std::string out = "/store/xd8aa13liv41ixyg2q3k16silmmk190r-hello";

Derivation sample() {
    Derivation drv;
    drv.name = "hello";
    drv.outputs["out"].path = dir.parsePath(out);
    drv.platform = "x86_64-linux";
    drv.builder = "/bin/sh";
    return drv;
}

std::string rejectionOf(const std::string& text) {
    try {
        Derivation::parse(dir, text, "x");
    } catch (FormatError& e) {
        return e.message();
    }
    return "accepted";
}
}  // namespace

TEST(AtermEscapes, EveryByteRoundTrips) {
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    Derivation drv = sample();
    drv.builder = all;
    drv.args = {all, "", "\\", "\"", "\\n", "\n\r\t"};
    drv.env = {{all, all}, {"k", "\"quoted\" \\back\\ \ttab\nnl\rcr $dollar ${brace} é"}};
    std::string text = drv.unparse(dir, false);
    // Only " \ LF CR TAB are escaped; every other byte is written as is.
    EXPECT_NE(text.find(R"(\"quoted\" \\back\\ \ttab\nnl\rcr $dollar ${brace} é)"), std::string::npos);
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_NE(text.find('\x01'), std::string::npos);
    Derivation back = Derivation::parse(dir, text, "hello");
    EXPECT_EQ(back, drv);
    EXPECT_EQ(back.unparse(dir, false), text);
}

TEST(AtermEscapes, ReaderMapsEscapes) {
    std::string text = R"(Derive([("out",")" + out + R"(","","")],[],[],"x","\a\b\n\r\t\\\"",[],[]))";
    EXPECT_EQ(Derivation::parse(dir, text, "x").builder, "ab\n\r\t\\\"");
}

TEST(AtermEscapes, PlainFieldsRefuseEscapes) {
    const std::string fields[] = {
        R"(Derive([("o\ut",")" + out + R"(","","")],[],[],"x","b",[],[]))",
        R"(Derive([("out",")" + out + R"(","r:sha\256","")],[],[],"x","b",[],[]))",
        R"(Derive([("out",")" + out + R"(","","2cf2\"")],[],[],"x","b",[],[]))",
        R"(Derive([("out",")" + out + R"(","","")],[],[],"x86\"64","b",[],[]))",
        R"(Derive([("out",")" + out +
            R"(","","")],[("/store/76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv",["o\ut"])],[],"x","b",[],[]))",
        // Found by the fuzzer: an escaped quote in the hash column.
        R"(Derive([("out",")" + out + R"(","r:sha256","2cf24dba5fb0a30e26e83b2\"ac5b1e29e")],[],[],"x","b",[],[]))",
    };
    for (auto& text : fields)
        EXPECT_NE(rejectionOf(text).find("escape sequence in a field that is written without escapes"),
                  std::string::npos)
            << text;
}

TEST(AtermEscapes, MalformedInputNamesTheOffset) {
    EXPECT_EQ(rejectionOf("Derivation("), "malformed derivation at byte 0: expected 'Derive('");
    EXPECT_EQ(rejectionOf(R"(Derive([("out","","","")],[],[],"x","b",[],[("a","1")])"),
              "malformed derivation at byte 54: expected ')'");
    EXPECT_EQ(rejectionOf(R"(Derive([("out","","","")],[],[],"x","b",[],[("a","1)))"),
              "malformed derivation at byte 53: unterminated string");
    EXPECT_EQ(rejectionOf(R"(Derive([("out","","","")],[],[],"x","b",[],[("a","1\)))"),
              "malformed derivation at byte 54: unterminated string");
    EXPECT_NE(rejectionOf(R"(Derive([("out","/store/not-a-path","","")],[],[],"x","b",[],[]))").find("at byte"),
              std::string::npos);
    EXPECT_NE(rejectionOf(R"(Derive([("out","","","")],[("/store/xd8aa13liv41ixyg2q3k16silmmk190r-a.drv",[]),)"
                          R"(("/store/xd8aa13liv41ixyg2q3k16silmmk190r-a.drv",[])],[],"x","b",[],[]))")
                  .find("duplicate input derivation"),
              std::string::npos);
    EXPECT_NE(rejectionOf(R"(Derive([("out","","","")] ,[],[],"x","b",[],[]))").find("expected ','"),
              std::string::npos);
}
