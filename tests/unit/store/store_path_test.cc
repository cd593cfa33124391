// Store path names, parsing, ordering and the path computations of spec
// section 2, checked against paths that real Nix 2.8 produced.
#include <gtest/gtest.h>

#include <cstring>

#include "cstore/store/nar.hh"
#include "cstore/store/store_path.hh"
#include "cstore/util/encoding.hh"
#include "cstore/util/hash.hh"

using namespace cstore;

namespace {
Hash sha256Hex(std::string_view hex) { return Hash::parseAny(std::string("sha256:") + std::string(hex), std::nullopt); }

const std::string helloHash = "rls7z25j0p444x7f715y4jmcl3ax8vxz";

// `Derive(...)` of the `hello` derivation (spec 5.8), the exact .drv bytes.
const std::string helloDrv =
    R"(Derive([("out","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello","","")],[],[],"x86_64-linux","/bin/sh",)"
    R"(["-c","echo hi > $out"],[("builder","/bin/sh"),("name","hello"),)"
    R"(("out","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"),("system","x86_64-linux")]))";
}  // namespace

TEST(StorePathName, AcceptsEveryAllowedCharacter) {
    EXPECT_NO_THROW(checkStorePathName("abcXYZ019+-._?="));
    EXPECT_NO_THROW(checkStorePathName("f.txt"));
    EXPECT_NO_THROW(checkStorePathName(".hidden"));
    EXPECT_NO_THROW(checkStorePathName("..x"));
    EXPECT_NO_THROW(checkStorePathName("a-.-b"));
    EXPECT_NO_THROW(checkStorePathName("+"));
}

TEST(StorePathName, LengthLimitIs211) {
    EXPECT_NO_THROW(checkStorePathName(std::string(211, 'b')));
    try {
        checkStorePathName(std::string(212, 'b'));
        FAIL() << "a 212-character name was accepted";
    } catch (BadStorePath& e) {
        EXPECT_NE(std::string(e.what()).find("211"), std::string::npos) << e.what();
    }
    EXPECT_THROW(checkStorePathName(""), BadStorePath);
}

TEST(StorePathName, RejectsForbiddenCharacters) {
    for (std::string bad : std::vector<std::string>{"x:y", "x~y", "a b", "a/b", "a\nb", std::string("a\0b", 3),
                                                    "caf\xc3\xa9", "x*", "x@y"}) {
        try {
            checkStorePathName(bad);
            FAIL() << "accepted '" << bad << "'";
        } catch (BadStorePath& e) {
            std::string msg = e.what();
            EXPECT_NE(msg.find("forbidden character"), std::string::npos) << msg;
            // One printable line, whatever the name holds.
            EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
            EXPECT_EQ(strlen(e.what()), msg.size()) << msg;
        }
    }
}

TEST(StorePathName, RejectsDotNamesAsNixHeadDoes) {
    for (auto bad : {".", "..", ".-x", "..-x", ".-", "..-"}) EXPECT_THROW(checkStorePathName(bad), BadStorePath) << bad;
}

TEST(StorePath, ParsesBaseNames) {
    StorePath p(helloHash + "-f.txt");
    EXPECT_EQ(p.hashPart(), helloHash);
    EXPECT_EQ(p.name(), "f.txt");
    EXPECT_EQ(p.baseName(), helloHash + "-f.txt");
    EXPECT_FALSE(p.isDerivation());
    EXPECT_TRUE(StorePath(helloHash + "-hello.drv").isDerivation());
    EXPECT_FALSE(StorePath(helloHash + "-.drv").isDerivation());
}

TEST(StorePath, RejectsBadBaseNames) {
    std::vector<std::string> bad = {
        "",
        helloHash,                         // no name
        helloHash + "-",                   // empty name
        helloHash + "_f",                  // no dash after the hash
        helloHash.substr(1) + "-f",        // hash too short
        "e" + helloHash.substr(1) + "-f",  // 'e' is not a nix32 digit
        "o" + helloHash.substr(1) + "-f",  // nor 'o'
        "u" + helloHash.substr(1) + "-f",  // nor 'u'
        "t" + helloHash.substr(1) + "-f",  // nor 't'
        "R" + helloHash.substr(1) + "-f",  // upper case is not nix32
        helloHash + "-a b",                // bad name
        helloHash + "-" + std::string(212, 'x'),
    };
    for (auto& b : bad) EXPECT_THROW(StorePath{b}, BadStorePath) << b;
}

TEST(StorePath, OrderIsByteWiseOnBaseNames) {
    StorePathSet set{StorePath("1" + std::string(31, '0') + "-a"), StorePath(std::string(32, '0') + "-b"),
                     StorePath(std::string(32, '0') + "-B"), StorePath(std::string(32, '0') + "-a")};
    std::vector<std::string> names;
    for (auto& p : set) names.push_back(p.baseName());
    EXPECT_EQ(names, (std::vector<std::string>{std::string(32, '0') + "-B", std::string(32, '0') + "-a",
                                               std::string(32, '0') + "-b", "1" + std::string(31, '0') + "-a"}));
}

TEST(StorePath, FromDigestAndDummy) {
    std::string digest(20, '\0');
    EXPECT_EQ(StorePath(digest, "x").baseName(), std::string(32, '0') + "-x");
    EXPECT_EQ(StorePath::dummy("y").baseName(), std::string(32, '0') + "-y");
}

TEST(StoreDir, RejectsRelativeOrTrailingSlash) {
    EXPECT_THROW(StoreDir("store"), Error);
    EXPECT_THROW(StoreDir("/store/"), Error);
    EXPECT_THROW(StoreDir(""), Error);
    EXPECT_NO_THROW(StoreDir("/"));
    EXPECT_NO_THROW(StoreDir("/nix/store"));
}

TEST(StoreDir, ParsesFullPaths) {
    StoreDir dir("/store");
    StorePath p = dir.parsePath("/store/" + helloHash + "-f.txt");
    EXPECT_EQ(dir.print(p), "/store/" + helloHash + "-f.txt");
    EXPECT_TRUE(dir.isStorePath("/store/" + helloHash + "-f.txt"));
    for (std::string bad : std::vector<std::string>{
             "/nix/store/" + helloHash + "-f.txt", "/storex/" + helloHash + "-f.txt",
             "/store/" + helloHash + "-f.txt/bin", "/store/", "/store", "store/" + helloHash + "-f",
             "/store/" + helloHash + "-a b", "/store//" + helloHash + "-f.txt"}) {
        EXPECT_THROW(dir.parsePath(bad), BadStorePath) << bad;
        EXPECT_FALSE(dir.maybeParsePath(bad)) << bad;
    }
}

TEST(StoreDir, ToStorePathStripsTheInside) {
    StoreDir dir("/store");
    EXPECT_EQ(dir.toStorePath("/store/" + helloHash + "-f.txt/bin/sh").baseName(), helloHash + "-f.txt");
    EXPECT_EQ(dir.toStorePath("/store/" + helloHash + "-f.txt").baseName(), helloHash + "-f.txt");
    EXPECT_THROW(dir.toStorePath("/other/" + helloHash + "-f.txt/bin"), BadStorePath);
    EXPECT_THROW(dir.toStorePath("/store"), BadStorePath);
}

TEST(StoreDir, PrintSetIsSorted) {
    StoreDir dir("/store");
    StorePathSet set{StorePath(helloHash + "-b"), StorePath(std::string(32, '0') + "-a")};
    EXPECT_EQ(dir.printSet(set, ","), "/store/" + std::string(32, '0') + "-a,/store/" + helloHash + "-b");
    EXPECT_EQ(dir.printSet({}), "");
}

// Spec 2.2: the intermediate values of the hello output path.
TEST(MakeStorePath, HelloOutputFromSpec) {
    StoreDir nix("/nix/store");
    Hash inner = sha256Hex("1142b64dfc10c25b923658cd6a75f2eb8603497ca6e5c3fe3c77c3b7cc7ba923");
    EXPECT_EQ(nix.makeStorePath("output:out", inner, "hello").baseName(), "mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello");
    EXPECT_EQ(nix.makeOutputPath("out", inner, "hello").baseName(), "mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello");
    // The store directory is part of the fingerprint.
    EXPECT_EQ(StoreDir("/tmp/xstore").makeOutputPath("out", inner, "hello").baseName(),
              "7qi5bwbl5a3jg5qfa372g8fx6k64f831-hello");
    // The fingerprint of spec 2.2 hashes to d, which folds to c.
    Hash d = hashString(HashAlgo::sha256,
                        "output:out:sha256:1142b64dfc10c25b923658cd6a75f2eb8603497ca6e5c3fe3c77c3b7cc7ba923:/nix/"
                        "store:hello");
    EXPECT_EQ(d.encode(HashFormat::base16), "74407884f5d4b2cffa2d6e70b9c48ba6c723b4ac585e3f4d3bcfae9d0ffd4dde");
    EXPECT_EQ(encodeBase16(compressHash(d, 20)), "2c1e47c9ce1b1c52f5d023aeb9c48ba6c723b4ac");
}

TEST(MakeStorePath, OutputNamesOtherThanOut) {
    StoreDir dir("/store");
    Hash inner = sha256Hex("1142b64dfc10c25b923658cd6a75f2eb8603497ca6e5c3fe3c77c3b7cc7ba923");
    EXPECT_EQ(dir.makeOutputPath("dev", inner, "multi").name(), "multi-dev");
    EXPECT_EQ(dir.makeOutputPath("dev", inner, "multi"), dir.makeStorePath("output:dev", inner, "multi-dev"));
    // chain (spec 5.10): its masked, modulo'd ATerm hash gives its output path.
    EXPECT_EQ(StoreDir("/nix/store")
                  .makeOutputPath("out", sha256Hex("bd54b3069e8c58832698e246c6caae744f27d78c08d7524bb4b90dec2fde3841"),
                                  "chain")
                  .baseName(),
              "ga79wb424y8vz5cavgw3xjm7iv79li2d-chain");
}

TEST(MakeTextPath, DerivationFilesFromSpec) {
    StoreDir nix("/nix/store");
    ASSERT_EQ(helloDrv.size(), 257u);
    Hash h = hashString(HashAlgo::sha256, helloDrv);
    EXPECT_EQ(h.encode(HashFormat::base16), "7d39bb331c250c0b17ee72a60f99d98dc35ee6e1249ae1de7b2e6127486c7254");
    EXPECT_EQ(nix.makeTextPath("hello.drv", h, {}).baseName(), "76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv");
    // The same derivation instantiated with storeDir /tmp/xstore.
    std::string xstoreDrv = helloDrv;
    const std::string nixOut = "/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic";
    for (size_t i = xstoreDrv.find(nixOut); i != std::string::npos; i = xstoreDrv.find(nixOut))
        xstoreDrv.replace(i, nixOut.size(), "/tmp/xstore/7qi5bwbl5a3jg5qfa372g8fx6k64f831");
    EXPECT_EQ(StoreDir("/tmp/xstore").makeTextPath("hello.drv", hashString(HashAlgo::sha256, xstoreDrv), {}).baseName(),
              "zxfl9syjpsn1zqzqihq9ny53h5v6x0g8-hello.drv");
}

TEST(MakeTextPath, ReferencesAreSortedIntoTheType) {
    StoreDir nix("/nix/store");
    // chain.drv (spec 5.10): four references, given here out of order.
    StorePathSet refs{StorePath("nia4h66fawwggy1yp8bsy4py2nahmwg3-fod-probe.drv"),
                      StorePath("9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"),
                      StorePath("b97y30708bhmpar22hbgyqx1hzyacsgb-multi.drv"),
                      StorePath("76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv")};
    Hash h = sha256Hex("6e2d3e3768c948c85cb8f1a23a8a37b6ea4779542b33c48a1fcfaa503c2779a2");
    EXPECT_EQ(nix.makeTextPath("chain.drv", h, refs).baseName(), "4v1xj43vdz4rf3a3id0cy0vvs0qa833d-chain.drv");
}

TEST(MakeTextPath, ToFileExamplesFromSpec) {
    StoreDir nix("/nix/store");
    EXPECT_EQ(nix.makeTextPath("greeting", hashString(HashAlgo::sha256, "hello world\n"), {}).baseName(),
              "v0g46sxbdkijbmx815f4mjl8871ia1mh-greeting");
    StorePath a = nix.makeTextPath("a", hashString(HashAlgo::sha256, "A"), {});
    EXPECT_EQ(a.baseName(), "draf2pm7skqzj8g3kv0bamg214p6sd70-a");
    StorePath b = nix.makeTextPath("b", hashString(HashAlgo::sha256, "ref " + nix.print(a)), {a});
    EXPECT_EQ(b.baseName(), "i93i2hjzgf30qy874y8ib793jbfcncmq-b");
    // Through the content-address entry point too.
    EXPECT_EQ(
        nix.makeFixedOutputPath("b", {IngestionMethod::text, hashString(HashAlgo::sha256, "ref " + nix.print(a))}, {a}),
        b);
    EXPECT_THROW(nix.makeFixedOutputPath("b", {IngestionMethod::text, hashString(HashAlgo::sha256, "x")}, {}, true),
                 Error);
}

// Spec 2.4: the five ways `f.txt` (containing "hello") was added to a Nix store.
TEST(MakeFixedOutputPath, HelloFileAllMethods) {
    StoreDir nix("/nix/store");
    StringSink narSink;
    dumpContents("hello", false, narSink);
    const std::string& nar = narSink.data;
    Hash narSha256 = hashString(HashAlgo::sha256, nar);
    EXPECT_EQ(narSha256.encode(HashFormat::base16), "0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969");

    ContentAddress source{IngestionMethod::recursive, narSha256};
    EXPECT_EQ(nix.makeFixedOutputPath("f.txt", source, {}).baseName(), "nhbkbjb42fmcsbd97h5mqx8nya2bks1c-f.txt");
    EXPECT_EQ(StoreDir("/store").makeFixedOutputPath("f.txt", source, {}).baseName(), helloHash + "-f.txt");
    EXPECT_EQ(nix.makeStorePath("source", narSha256, "f.txt"), nix.makeFixedOutputPath("f.txt", source, {}));

    ContentAddress flat{IngestionMethod::flat, hashString(HashAlgo::sha256, "hello")};
    EXPECT_EQ(nix.makeFixedOutputPath("f.txt", flat, {}).baseName(), "h3l41b48w4vk3d4g7q5raj8fgyn0vqix-f.txt");

    ContentAddress rsha1{IngestionMethod::recursive, hashString(HashAlgo::sha1, nar)};
    EXPECT_EQ(nix.makeFixedOutputPath("f.txt", rsha1, {}).baseName(), "y5s46vla3c9arab3a0fmhpfbq5qh0jb9-f.txt");

    ContentAddress md5{IngestionMethod::flat, hashString(HashAlgo::md5, "hello")};
    EXPECT_EQ(nix.makeFixedOutputPath("f.txt", md5, {}).baseName(), "v4vxa6iwzjkf4g4imjpx2vyh4b2iz117-f.txt");

    // fod-probe (spec 5.9): a flat sha256 fixed output.
    EXPECT_EQ(nix.makeFixedOutputPath("fod-probe", flat, {}).baseName(), "xpi6l96dmixjxvna1x7bj40n70apj07d-fod-probe");
}

TEST(MakeFixedOutputPath, SourceReferencesAndSelf) {
    StoreDir dir("/store");
    Hash h = hashString(HashAlgo::sha256, "nar");
    StorePath ref(helloHash + "-f.txt");
    ContentAddress ca{IngestionMethod::recursive, h};
    EXPECT_EQ(dir.makeFixedOutputPath("x", ca, {ref}),
              dir.makeStorePath("source:/store/" + helloHash + "-f.txt", h, "x"));
    EXPECT_EQ(dir.makeFixedOutputPath("x", ca, {ref}, true),
              dir.makeStorePath("source:/store/" + helloHash + "-f.txt:self", h, "x"));
    EXPECT_EQ(dir.makeFixedOutputPath("x", ca, {}, true), dir.makeStorePath("source:self", h, "x"));
    // Other methods cannot carry references.
    EXPECT_THROW(dir.makeFixedOutputPath("x", {IngestionMethod::flat, h}, {ref}), Error);
    EXPECT_THROW(dir.makeFixedOutputPath("x", {IngestionMethod::recursive, hashString(HashAlgo::sha1, "n")}, {ref}),
                 Error);
    EXPECT_THROW(dir.makeFixedOutputPath("x", {IngestionMethod::flat, h}, {}, true), Error);
}
