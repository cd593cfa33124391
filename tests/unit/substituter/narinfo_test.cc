// narinfo parsing and rendering, pinned by the Nix-written example of spec 6.3.
#include <gtest/gtest.h>

#include "cstore/substituter/binary_cache.hh"
#include "cstore/substituter/narinfo.hh"

using namespace cstore;

namespace {
const char* nixExample =
    "StorePath: /nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb\n"
    "URL: nar/0a2pf7f9pb0fg0v39z2b7wszibjsn7gql65g6qhgpnb25kdyr6lx.nar.xz\n"
    "Compression: xz\n"
    "FileHash: sha256:0a2pf7f9pb0fg0v39z2b7wszibjsn7gql65g6qhgpnb25kdyr6lx\n"
    "FileSize: 2188\n"
    "NarHash: sha256:1dndazdbcrn041fbrahsb9giwyks02gmc4x5h9j0favcbacckfjy\n"
    "NarSize: 10976\n"
    "References: 9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb\n"
    "Deriver: j2z2fm0sbwd14h7av1yr9w9dxzsxdf32-probe-sb.drv\n"
    "Sig: test-key-1:ZTu0MWlmezQSRvr4E8xX6ddlmHfA0J8RfmJ7h4jX3ptEGJdszeq/Rx96sqmUJjTsg9RtRAI/Xqw4IWaUXtMQDQ==\n";

std::string withoutLine(std::string text, const std::string& prefix) {
    auto p = text.find(prefix);
    return text.erase(p, text.find('\n', p) - p + 1);
}

std::string expectFormatError(const std::string& text) {
    try {
        NarInfo::parse(StoreDir("/nix/store"), text, "c/x.narinfo");
    } catch (FormatError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return "";
}
}  // namespace

TEST(NarInfo, ParsesAndRendersNixsExampleByteForByte) {
    StoreDir dir("/nix/store");
    auto ni = NarInfo::parse(dir, nixExample, "example");
    EXPECT_EQ(dir.print(ni.path), "/nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb");
    EXPECT_EQ(ni.compression, "xz");
    EXPECT_EQ(ni.fileSize, 2188u);
    EXPECT_EQ(ni.narSize, 10976u);
    EXPECT_EQ(ni.references.size(), 2u);
    EXPECT_TRUE(ni.hasSelfReference());
    EXPECT_EQ(ni.deriver->baseName(), "j2z2fm0sbwd14h7av1yr9w9dxzsxdf32-probe-sb.drv");
    EXPECT_EQ(ni.sigs.size(), 1u);
    EXPECT_EQ(ni.render(dir), nixExample);
}

TEST(NarInfo, ContentAddressedWithoutReferencesOrDeriver) {
    StoreDir dir("/store");
    std::string text =
        "StorePath: /store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt\n"
        "URL: nar/1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h.nar\n"
        "Compression: none\n"
        "FileHash: sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h\n"
        "FileSize: 120\n"
        "NarHash: sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h\n"
        "NarSize: 120\n"
        "References: \n"
        "CA: fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa\n";
    auto ni = NarInfo::parse(dir, text, "x");
    EXPECT_TRUE(ni.references.empty());
    EXPECT_FALSE(ni.deriver);
    ASSERT_TRUE(ni.ca);
    EXPECT_EQ(ni.render(dir), text);
}

TEST(NarInfo, LenientWhereNixIs) {
    StoreDir dir("/nix/store");
    // Unknown keys are ignored; no Compression means bzip2; unknown-deriver means none.
    std::string text = withoutLine(nixExample, "Compression:") + "Future: thing\n";
    text = withoutLine(text, "Deriver:") + "Deriver: unknown-deriver\n";
    auto ni = NarInfo::parse(dir, text, "x");
    EXPECT_EQ(ni.compression, "bzip2");
    EXPECT_FALSE(ni.deriver);
    // References may be absent, FileHash and FileSize too.
    auto minimal = withoutLine(withoutLine(withoutLine(nixExample, "References:"), "FileHash:"), "FileSize:");
    EXPECT_TRUE(NarInfo::parse(dir, minimal, "x").references.empty());
}

TEST(NarInfo, RejectsMissingAndMalformedFields) {
    EXPECT_NE(expectFormatError(withoutLine(nixExample, "StorePath:")).find("no StorePath"), std::string::npos);
    EXPECT_NE(expectFormatError(withoutLine(nixExample, "URL:")).find("no URL"), std::string::npos);
    EXPECT_NE(expectFormatError(withoutLine(nixExample, "NarHash:")).find("no NarHash"), std::string::npos);
    EXPECT_NE(expectFormatError(withoutLine(nixExample, "NarSize:")).find("no NarSize"), std::string::npos);
    std::string e = expectFormatError(withoutLine(nixExample, "NarSize:") + "NarSize: 12x\n");
    EXPECT_NE(e.find("c/x.narinfo:10:"), std::string::npos) << e;
    EXPECT_NE(e.find("not a number"), std::string::npos) << e;
    expectFormatError(withoutLine(nixExample, "NarSize:") + "NarSize: 0\n");
    expectFormatError(withoutLine(nixExample, "NarHash:") + "NarHash: sha256:zzz\n");
    expectFormatError(withoutLine(nixExample, "StorePath:") +
                      "StorePath: /elsewhere/wpj12z8574ngm347p3jxzgdi8cfy06vc-x\n");
    expectFormatError(std::string(nixExample) + "References: \n");  // twice
    expectFormatError(std::string(nixExample) +
                      "CA: fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa\nCA: "
                      "fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa\n");
    expectFormatError(std::string(nixExample) + "References: not-a-path\n");
    expectFormatError(std::string(nixExample).substr(0, strlen(nixExample) - 1));  // no final newline
    expectFormatError(std::string(nixExample) + "garbage line\n");
    expectFormatError(std::string(nixExample) + "Sig: nocolon\n");
}

TEST(CacheFiles, UrlsAndCacheInfo) {
    auto u = CacheUrl::parse("file:///srv/cache/?compression=xz&priority=30&secret-key=%2Fetc%2Fsk");
    EXPECT_EQ(u.base, "file:///srv/cache");
    EXPECT_EQ(u.param("compression"), "xz");
    EXPECT_EQ(u.param("secret-key"), "/etc/sk");
    EXPECT_EQ(CacheUrl::parse("https://h/p/").base, "https://h/p");
    EXPECT_THROW(CacheUrl::parse("ftp://h"), Error);
    EXPECT_THROW(CacheUrl::parse("file://relative"), Error);
    EXPECT_THROW(CacheUrl::parse("https://h?novalue"), Error);

    auto info = CacheInfo::parse("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\nJunk\n");
    EXPECT_EQ(info.storeDir, "/nix/store");
    EXPECT_TRUE(info.wantMassQuery);
    EXPECT_EQ(info.priority, 40);
    EXPECT_EQ(CacheInfo::parse("StoreDir: /store\n").render(), "StoreDir: /store\n");
    EXPECT_EQ(CacheInfo::parse("").priority, 50);

    checkRelativeCacheUrl("nar/abc.nar.zst", "x");
    EXPECT_THROW(checkRelativeCacheUrl("../etc/passwd", "x"), FormatError);
    EXPECT_THROW(checkRelativeCacheUrl("nar/../../x", "x"), FormatError);
    EXPECT_THROW(checkRelativeCacheUrl("/etc/passwd", "x"), FormatError);
    EXPECT_THROW(checkRelativeCacheUrl("file:///etc/passwd", "x"), FormatError);
    EXPECT_THROW(checkRelativeCacheUrl("", "x"), FormatError);
}
