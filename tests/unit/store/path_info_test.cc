// PathInfo::fingerprint: the string that signatures are made over (spec 7.2),
// checked against the two fingerprints of spec 7.3 that real Nix signed.
#include <gtest/gtest.h>

#include "cstore/store/path_info.hh"

using namespace cstore;

TEST(PathInfoFingerprint, WithReferencesIncludingSelf) {
    StoreDir nix("/nix/store");
    PathInfo info(StorePath("wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb"));
    info.narHash = Hash::parseAny("sha256:1dndazdbcrn041fbrahsb9giwyks02gmc4x5h9j0favcbacckfjy", std::nullopt);
    info.narSize = 10976;
    // Inserted in reverse order: the fingerprint sorts them.
    info.references = {StorePath("wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb"),
                       StorePath("9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb")};
    info.deriver = StorePath("j2z2fm0sbwd14h7av1yr9w9dxzsxdf32-probe-sb.drv");  // not signed
    info.sigs = {"test-key-1:ZTu0"};                                            // not signed
    EXPECT_EQ(info.fingerprint(nix),
              "1;/nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb;"
              "sha256:1dndazdbcrn041fbrahsb9giwyks02gmc4x5h9j0favcbacckfjy;10976;"
              "/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb,/nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb");
    EXPECT_TRUE(info.hasSelfReference());
    EXPECT_EQ(info.referencesWithoutSelf(), StorePathSet{StorePath("9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb")});
}

TEST(PathInfoFingerprint, WithoutReferencesEndsInSemicolon) {
    PathInfo info(StorePath("mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"));
    // Given in base16: the fingerprint always uses nix32.
    info.narHash = Hash::parseAny("sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h", std::nullopt);
    info.narHash = Hash::parseAny(info.narHash.toString(HashFormat::base16), std::nullopt);
    info.narSize = 120;
    EXPECT_EQ(info.fingerprint(StoreDir("/nix/store")),
              "1;/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello;"
              "sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h;120;");
    EXPECT_FALSE(info.hasSelfReference());
}

TEST(PathInfoFingerprint, UsesTheGivenStoreDir) {
    PathInfo info(StorePath("mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"));
    info.narSize = 1;
    info.references = {StorePath("9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb")};
    std::string fp = info.fingerprint(StoreDir("/store"));
    EXPECT_EQ(fp.find("1;/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello;"), 0u) << fp;
    EXPECT_TRUE(fp.ends_with(";1;/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb")) << fp;
}

TEST(PathInfoFingerprint, UnknownNarSizeIsAnError) {
    PathInfo info(StorePath("mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"));
    EXPECT_THROW(info.fingerprint(StoreDir("/store")), Error);
}
