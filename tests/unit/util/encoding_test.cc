#include <gtest/gtest.h>

#include "cstore/util/encoding.hh"
#include "cstore/util/error.hh"

using namespace cstore;

TEST(Base16, RoundTrip) {
    EXPECT_EQ(encodeBase16(std::string("\x00\x1f\xab\xff", 4)), "001fabff");
    EXPECT_EQ(decodeBase16("001FABff"), std::string("\x00\x1f\xab\xff", 4));
    EXPECT_EQ(encodeBase16(""), "");
}

TEST(Base16, RejectsBadInput) {
    EXPECT_THROW(decodeBase16("abc"), FormatError);
    EXPECT_THROW(decodeBase16("zz"), FormatError);
}

TEST(Nix32, SingleBytesFromSpec) {
    EXPECT_EQ(encodeNix32(std::string("\x00", 1)), "00");
    EXPECT_EQ(encodeNix32("\x01"), "01");
    EXPECT_EQ(encodeNix32("\x1f"), "0z");
    EXPECT_EQ(encodeNix32("\x20"), "10");
    EXPECT_EQ(encodeNix32("\xff"), "7z");
}

TEST(Nix32, LengthFormula) {
    EXPECT_EQ(nix32Length(16), 26u);
    EXPECT_EQ(nix32Length(20), 32u);
    EXPECT_EQ(nix32Length(32), 52u);
    EXPECT_EQ(nix32Length(64), 103u);
}

TEST(Nix32, RoundTripAllSizes) {
    for (size_t n : {1, 2, 5, 16, 20, 32, 64}) {
        std::string bytes;
        for (size_t i = 0; i < n; ++i) bytes += static_cast<char>(i * 37 + 11);
        auto text = encodeNix32(bytes);
        EXPECT_EQ(text.size(), nix32Length(n));
        EXPECT_EQ(decodeNix32(text, n), bytes);
    }
}

TEST(Nix32, RejectsForeignAndNonCanonical) {
    EXPECT_THROW(decodeNix32("0e", 1), FormatError);   // 'e' is not in the alphabet
    EXPECT_THROW(decodeNix32("0Z", 1), FormatError);   // case-sensitive
    EXPECT_THROW(decodeNix32("8z", 1), FormatError);   // bits beyond 8
    EXPECT_THROW(decodeNix32("000", 1), FormatError);  // wrong length
    EXPECT_EQ(decodeNix32("7z", 1), "\xff");
}

TEST(Base64, RoundTripWithPadding) {
    EXPECT_EQ(encodeBase64(""), "");
    EXPECT_EQ(encodeBase64("f"), "Zg==");
    EXPECT_EQ(encodeBase64("fo"), "Zm8=");
    EXPECT_EQ(encodeBase64("foo"), "Zm9v");
    EXPECT_EQ(encodeBase64("foobar"), "Zm9vYmFy");
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) EXPECT_EQ(decodeBase64(encodeBase64(s)), s);
}

TEST(Base64, RejectsBadInput) {
    EXPECT_THROW(decodeBase64("Zg="), FormatError);
    EXPECT_THROW(decodeBase64("Z==="), FormatError);
    EXPECT_THROW(decodeBase64("Zg=a"), FormatError);
    EXPECT_THROW(decodeBase64("Z!=="), FormatError);
}
