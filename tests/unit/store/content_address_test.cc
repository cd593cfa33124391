// Content-address strings (spec 2.4): rendering, parsing and their errors.
#include <gtest/gtest.h>

#include "cstore/store/nar.hh"
#include "cstore/store/store_path.hh"
#include "cstore/util/hash.hh"

using namespace cstore;

namespace {
std::string narOf(std::string_view contents) {
    StringSink sink;
    dumpContents(contents, false, sink);
    return sink.data;
}
}  // namespace

TEST(ContentAddress, RendersTheSpecExamples) {
    std::string nar = narOf("hello");
    EXPECT_EQ((ContentAddress{IngestionMethod::recursive, hashString(HashAlgo::sha256, nar)}).render(),
              "fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa");
    EXPECT_EQ((ContentAddress{IngestionMethod::flat, hashString(HashAlgo::sha256, "hello")}).render(),
              "fixed:sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic");
    EXPECT_EQ((ContentAddress{IngestionMethod::recursive, hashString(HashAlgo::sha1, nar)}).render(),
              "fixed:r:sha1:x5zjnshbjrrhpg88n2da87884cmn2i2i");
    EXPECT_EQ((ContentAddress{IngestionMethod::flat, hashString(HashAlgo::md5, "hello")}).render(),
              "fixed:md5:4jqlbi14cxf6wpcajbphm40hax");
    EXPECT_EQ((ContentAddress{IngestionMethod::text, hashString(HashAlgo::sha256, "hello")}).render(),
              "text:sha256:094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic");
}

TEST(ContentAddress, ParseRoundTripsEveryMethodAndAlgorithm) {
    for (auto method : {IngestionMethod::flat, IngestionMethod::recursive})
        for (auto algo : {HashAlgo::md5, HashAlgo::sha1, HashAlgo::sha256, HashAlgo::sha512}) {
            ContentAddress ca{method, hashString(algo, "data")};
            EXPECT_EQ(ContentAddress::parse(ca.render()), ca) << ca.render();
        }
    ContentAddress text{IngestionMethod::text, hashString(HashAlgo::sha256, "data")};
    EXPECT_EQ(ContentAddress::parse(text.render()), text);
}

TEST(ContentAddress, ParseAcceptsOtherHashEncodings) {
    Hash h = hashString(HashAlgo::sha256, "hello");
    ContentAddress expected{IngestionMethod::flat, h};
    EXPECT_EQ(ContentAddress::parse("fixed:sha256:" + h.encode(HashFormat::base16)), expected);
    EXPECT_EQ(ContentAddress::parse("fixed:" + h.toSRI()), expected);
}

TEST(ContentAddress, ParseRejectsMalformedStrings) {
    Hash h = hashString(HashAlgo::sha256, "hello");
    std::vector<std::string> bad = {
        "",
        "hello",
        "fixed",
        "fixed:",
        "fixed:r:",
        "fixed:sha256:",
        "fixed:sha256:abc",                                                        // wrong length
        "fixed:blake3:" + h.encode(HashFormat::nix32),                             // unknown algorithm
        "fixed:r:sha256:" + h.encode(HashFormat::nix32) + "x",                     // trailing junk
        "text:sha1:" + hashString(HashAlgo::sha1, "x").encode(HashFormat::nix32),  // text is sha256 only
        "source:sha256:" + h.encode(HashFormat::nix32),
        "Fixed:sha256:" + h.encode(HashFormat::nix32),
    };
    for (auto& b : bad) EXPECT_THROW(ContentAddress::parse(b), Error) << b;
}
