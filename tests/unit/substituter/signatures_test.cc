// Ed25519 keys and signatures, checked against the Nix-produced examples of
// spec section 7.
#include <gtest/gtest.h>

#include "cstore/store/signatures.hh"
#include "cstore/util/encoding.hh"

using namespace cstore;

namespace {
const char* testSecret =
    "test-key-1:eNWiSM8YcIWrI4jw/RKxNlhCDqDjimIwXYhjUlyOFcX1aXnQtNOSb6mzmClu1riILniQARy8M1XrAxQ5vR+spw==";
const char* testPublic = "test-key-1:9Wl50LTTkm+ps5gpbta4iC54kAEcvDNV6wMUOb0frKc=";

PathInfo probeSb(const StoreDir& dir) {
    PathInfo info(dir.parsePath("/nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb"));
    info.narHash = Hash::parseAny("sha256:1dndazdbcrn041fbrahsb9giwyks02gmc4x5h9j0favcbacckfjy", std::nullopt);
    info.narSize = 10976;
    info.references = {StorePath("9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"),
                       StorePath("wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb")};
    return info;
}
}  // namespace

TEST(Keys, SecretKeyRoundTripAndPublicPart) {
    auto sk = SecretKey::parse(testSecret);
    EXPECT_EQ(sk.name, "test-key-1");
    EXPECT_EQ(sk.toString(), testSecret);
    EXPECT_EQ(sk.toPublicKey().toString(), testPublic);
    // Bytes 32..63 of the secret key are the public key.
    EXPECT_EQ(sk.key.substr(32), PublicKey::parse(testPublic).key);
}

TEST(Keys, GeneratedKeysWork) {
    auto sk = SecretKey::generate("cache.example.org-1");
    auto again = SecretKey::parse(sk.toString());
    EXPECT_EQ(again.key, sk.key);
    auto keys = parsePublicKeys({sk.toPublicKey().toString()});
    EXPECT_TRUE(verifySignature("data", sk.sign("data"), keys));
    EXPECT_FALSE(verifySignature("other data", sk.sign("data"), keys));
    EXPECT_THROW(SecretKey::generate(""), Error);
    EXPECT_THROW(SecretKey::generate("a:b"), Error);
}

TEST(Keys, MalformedKeysAreRejected) {
    EXPECT_THROW(PublicKey::parse("no-colon"), FormatError);
    EXPECT_THROW(PublicKey::parse(":9Wl50LTTkm+ps5gpbta4iC54kAEcvDNV6wMUOb0frKc="), FormatError);
    EXPECT_THROW(PublicKey::parse("k:9Wl50LTTkm+ps5gpbta4iC54kAEcvDNV6wMUOb0frK=="), FormatError);  // 31 bytes
    EXPECT_THROW(PublicKey::parse("k:!!!!"), FormatError);
    EXPECT_THROW(SecretKey::parse(testPublic), FormatError);  // a public key is too short
}

TEST(Signatures, FingerprintAndSignatureMatchNix) {
    StoreDir dir("/nix/store");
    auto info = probeSb(dir);
    EXPECT_EQ(info.fingerprint(dir),
              "1;/nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb;"
              "sha256:1dndazdbcrn041fbrahsb9giwyks02gmc4x5h9j0favcbacckfjy;10976;"
              "/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb,/nix/store/wpj12z8574ngm347p3jxzgdi8cfy06vc-probe-sb");
    auto sk = SecretKey::parse(testSecret);
    EXPECT_EQ(sk.sign(info.fingerprint(dir)),
              "test-key-1:ZTu0MWlmezQSRvr4E8xX6ddlmHfA0J8RfmJ7h4jX3ptEGJdszeq/Rx96sqmUJjTsg9RtRAI/Xqw4IWaUXtMQDQ==");

    PathInfo hello(dir.parsePath("/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"));
    hello.narHash = Hash::parseAny("sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h", std::nullopt);
    hello.narSize = 120;
    EXPECT_EQ(hello.fingerprint(dir),
              "1;/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello;"
              "sha256:1xmr8jicvzszfzpz46g37mlpvbzjl2wpwvl2b05psipssyp1sm8h;120;");
    EXPECT_EQ(sk.sign(hello.fingerprint(dir)),
              "test-key-1:W/Q0V+6H/e4VrIVeQPQzfsrnQcf/Hd4L8qf0bzvOaOZcHD09Y1XMbSMs2HE1EmbwkcqGs5IJs54tySXBTQtMDg==");
}

TEST(Signatures, VerificationAndTrust) {
    StoreDir dir("/nix/store");
    auto info = probeSb(dir);
    auto keys = parsePublicKeys({testPublic});
    auto other = parsePublicKeys({SecretKey::generate("test-key-1").toPublicKey().toString()});
    std::string good =
        "test-key-1:ZTu0MWlmezQSRvr4E8xX6ddlmHfA0J8RfmJ7h4jX3ptEGJdszeq/Rx96sqmUJjTsg9RtRAI/Xqw4IWaUXtMQDQ==";
    EXPECT_NE(signatureProblem(info, dir, keys), "");
    EXPECT_NE(signatureProblem(info, dir, keys).find("no signatures"), std::string::npos);
    info.sigs.insert(good);
    EXPECT_EQ(signatureProblem(info, dir, keys), "");
    EXPECT_EQ(validSignatures(info, dir, keys).size(), 1u);
    // Same name, different key: not valid.
    EXPECT_NE(signatureProblem(info, dir, other), "");
    // Unknown key name.
    EXPECT_NE(signatureProblem(info, dir, parsePublicKeys({})), "");
    // Any change to the signed data breaks it.
    auto changed = info;
    changed.narSize = 10977;
    EXPECT_NE(signatureProblem(changed, dir, keys), "");
    // Malformed signatures are simply not valid.
    EXPECT_FALSE(verifySignature("x", "test-key-1:AAAA", keys));
    EXPECT_FALSE(verifySignature("x", "test-key-1:***", keys));
    EXPECT_FALSE(verifySignature("x", "nocolon", keys));
}

TEST(Signatures, ContentAddressedPathsNeedNoSignature) {
    StoreDir dir("/store");
    // spec 2.4: `--add f.txt` with storeDir /store.
    PathInfo info(dir.parsePath("/store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt"));
    info.narHash =
        Hash::parseAny("sha256:0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969", HashAlgo::sha256);
    info.narSize = 120;
    info.ca = ContentAddress::parse("fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa");
    EXPECT_TRUE(isContentAddressedPath(info, dir));
    EXPECT_EQ(signatureProblem(info, dir, {}), "");
    // A CA claim that does not produce the path is worthless.
    info.ca = ContentAddress::parse("fixed:r:sha256:1sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa");
    EXPECT_FALSE(isContentAddressedPath(info, dir));
    EXPECT_NE(signatureProblem(info, dir, {}), "");
    // A reference the CA does not account for also breaks it.
    info.ca = ContentAddress::parse("fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa");
    info.references.insert(StorePath("9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"));
    EXPECT_FALSE(isContentAddressedPath(info, dir));
}
