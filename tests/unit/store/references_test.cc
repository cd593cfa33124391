// Reference scanning (spec 8): 32-character hash parts found anywhere in a
// byte stream, whatever their neighbours and however the stream is chunked.
#include <gtest/gtest.h>

#include "cstore/store/nar.hh"
#include "cstore/store/references.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {
const std::string hashA = "9nr5xh37wy1gx5sv9j1cj9if5svcw4lj";
const std::string hashB = "rls7z25j0p444x7f715y4jmcl3ax8vxz";
const std::string hashC = "mjs27ix6ig2bkbi3s3sm470vrv4lf7ic";

std::vector<std::string> scanChunks(const std::vector<std::string>& candidates,
                                    const std::vector<std::string>& chunks) {
    HashPartSet set(candidates);
    RefScanSink sink(set);
    for (auto& c : chunks) sink(c);
    return sink.found();
}

std::vector<std::string> scan(const std::vector<std::string>& candidates, const std::string& data) {
    return scanChunks(candidates, {data});
}

using Found = std::vector<std::string>;
}  // namespace

TEST(RefScan, FindsBareHashPartsWithNeighbours) {
    EXPECT_EQ(scan({hashA}, "/store/" + hashA + "-bb/bin"), Found{hashA});
    // Spec 8: adjacent nix32 characters do not hide the hash.
    EXPECT_EQ(scan({hashA}, "xx" + hashA + "-yy"), Found{hashA});
    EXPECT_EQ(scan({hashA}, "0123456789abcdfg" + hashA + "hijklmnpqrsvwxyz"), Found{hashA});
    EXPECT_EQ(scan({hashA}, hashA), Found{hashA});
}

TEST(RefScan, IgnoresNearMisses) {
    std::string upper = hashA;
    for (auto& c : upper) c = static_cast<char>(toupper(c));
    EXPECT_EQ(scan({hashA}, upper), Found{});
    EXPECT_EQ(scan({hashA}, hashA.substr(0, 31)), Found{});
    EXPECT_EQ(scan({hashA}, hashA.substr(0, 16) + "-" + hashA.substr(16)), Found{});
    std::string oneOff = hashA;
    oneOff[31] = oneOff[31] == '0' ? '1' : '0';
    EXPECT_EQ(scan({hashA}, oneOff), Found{});
    EXPECT_EQ(scan({}, hashA), Found{});
}

TEST(RefScan, OverlappingAndAdjacentCandidates) {
    // hashB starts one character after hashA's start: both windows overlap.
    std::string shifted = hashA.substr(1) + "x";
    EXPECT_EQ(scan({hashA, shifted}, hashA + "x"), (Found{hashA, shifted}));
    // Back to back, with no separator.
    EXPECT_EQ(scan({hashA, hashB, hashC}, hashB + hashA), (Found{hashA, hashB}));
    // Found once even when repeated; results are sorted.
    EXPECT_EQ(scan({hashC, hashB, hashA}, hashC + " " + hashB + " " + hashC + " " + hashA),
              (Found{hashA, hashC, hashB}));
}

TEST(RefScan, MalformedCandidatesAreIgnored) {
    std::string withE = hashA;
    withE[5] = 'e';  // not a nix32 character: could never match a store path
    EXPECT_EQ(scan({withE, "short", hashB}, withE + hashB), Found{hashB});
}

TEST(RefScan, MatchesAcrossEveryChunkBoundary) {
    std::string data = "prefix:" + hashA + ":middle:" + hashB + hashC + ":end";
    for (size_t split = 0; split <= data.size(); ++split) {
        EXPECT_EQ(scanChunks({hashA, hashB, hashC}, {data.substr(0, split), data.substr(split)}),
                  (Found{hashA, hashC, hashB}))
            << "split at " << split;
    }
    for (size_t a = 0; a <= data.size(); a += 3)
        for (size_t b = a; b <= data.size(); b += 5)
            EXPECT_EQ(scanChunks({hashA, hashB, hashC}, {data.substr(0, a), data.substr(a, b - a), data.substr(b)}),
                      (Found{hashA, hashC, hashB}))
                << a << "/" << b;
}

TEST(RefScan, OneByteChunksAndEmptyChunks) {
    std::string data = "aa" + hashA + "bb" + hashB;
    HashPartSet set({hashA, hashB});
    RefScanSink sink(set);
    for (char c : data) {
        sink(std::string_view(&c, 1));
        sink(std::string_view());
    }
    EXPECT_EQ(sink.found(), (Found{hashA, hashB}));
}

TEST(RefScan, NoFalseMatchAcrossChunksSeparatedByOtherBytes) {
    // The first half of the hash, a separator in the next chunk, then the second half.
    EXPECT_EQ(scanChunks({hashA}, {hashA.substr(0, 16), "/", hashA.substr(16)}), Found{});
    // A long nix32 run spanning many chunks still aligns correctly.
    std::string run(100, 'a');
    std::string data = run + hashA + run;
    std::vector<std::string> chunks;
    for (size_t i = 0; i < data.size(); i += 7) chunks.push_back(data.substr(i, 7));
    EXPECT_EQ(scanChunks({hashA}, chunks), Found{hashA});
}

TEST(RefScan, ScansNamesAndSymlinkTargetsInANar) {
    TempDir tmp;
    writeTree(tmp / "t", {{"plain", "nothing here"}, {"name-" + hashB, "x"}});
    ASSERT_EQ(symlink(("/store/" + hashA + "-dep").c_str(), (tmp / "t/link").c_str()), 0);
    HashPartSet set({hashA, hashB, hashC});
    RefScanSink sink(set);
    dumpPath(tmp / "t", sink);
    EXPECT_EQ(sink.found(), (Found{hashA, hashB}));
}
