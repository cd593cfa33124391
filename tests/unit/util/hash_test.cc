#include <gtest/gtest.h>

#include "cstore/util/error.hh"
#include "cstore/util/hash.hh"

using namespace cstore;

// Values from spec 1.6, produced by real Nix.
TEST(Hash, HelloInEveryEncoding) {
    Hash h = hashString(HashAlgo::sha256, "hello");
    EXPECT_EQ(h.encode(HashFormat::base16), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    EXPECT_EQ(h.toString(HashFormat::nix32), "sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic");
    EXPECT_EQ(h.toSRI(), "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    EXPECT_EQ(hashString(HashAlgo::md5, "hello").encode(HashFormat::nix32), "4jqlbi14cxf6wpcajbphm40hax");
    EXPECT_EQ(hashString(HashAlgo::sha1, "hello").encode(HashFormat::nix32), "9m1skbnr5i43n3yypvda5s65vhfwdx5a");
    EXPECT_EQ(hashString(HashAlgo::sha1, "hello").encode(HashFormat::base16),
              "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
}

TEST(Hash, ParseEveryForm) {
    Hash h = hashString(HashAlgo::sha256, "hello");
    for (auto text :
         {"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
          "sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic",
          "sha256:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="})
        EXPECT_EQ(Hash::parseAny(text, std::nullopt), h) << text;
    EXPECT_EQ(Hash::parseAny("094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic", HashAlgo::sha256), h);
    EXPECT_EQ(Hash::parseAny("2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824", HashAlgo::sha256), h);
}

TEST(Hash, ParseErrors) {
    EXPECT_THROW(Hash::parseAny("sha257:abc", std::nullopt), FormatError);
    EXPECT_THROW(Hash::parseAny("sha256:abc", std::nullopt), FormatError);
    EXPECT_THROW(Hash::parseAny("094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic", std::nullopt), FormatError);
    EXPECT_THROW(Hash::parseAny("sha1:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic", HashAlgo::sha256),
                 FormatError);
    EXPECT_THROW(Hash::parseAny("sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmC=", std::nullopt), FormatError);
}

TEST(Hash, StreamingEqualsOneShot) {
    std::string data(100000, 'x');
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
    HashSink sink(HashAlgo::sha512);
    for (size_t i = 0; i < data.size(); i += 997) sink(std::string_view(data).substr(i, 997));
    auto [h, n] = sink.finish();
    EXPECT_EQ(n, data.size());
    EXPECT_EQ(h, hashString(HashAlgo::sha512, data));
}

TEST(Hash, CompressFoldsByXor) {
    Hash h = hashString(HashAlgo::sha256, "x");
    auto c = compressHash(h, 20);
    ASSERT_EQ(c.size(), 20u);
    for (size_t i = 0; i < 20; ++i) {
        uint8_t expect = h.bytes[i] ^ (i + 20 < 32 ? h.bytes[i + 20] : 0);
        EXPECT_EQ(static_cast<uint8_t>(c[i]), expect);
    }
}
