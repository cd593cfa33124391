// hashDerivationModulo and output paths against the worked examples of
// spec 5.8-5.10, which real Nix 2.8 produced.
#include <gtest/gtest.h>

#include "cstore/store/derivation.hh"

using namespace cstore;

namespace {
const StoreDir nixDir("/nix/store");

Derivation helloDrv() {
    Derivation drv;
    drv.name = "hello";
    drv.outputs["out"] = {};
    drv.platform = "x86_64-linux";
    drv.builder = "/bin/sh";
    drv.args = {"-c", "echo hi > $out"};
    drv.env = {{"builder", "/bin/sh"}, {"name", "hello"}, {"system", "x86_64-linux"}};
    return drv;
}

DrvHashes noInputs(const StoreDir& dir) {
    return DrvHashes(dir, [](const StorePath& p) -> Derivation { throw Error("unexpected read of %s", p.baseName()); });
}
}  // namespace

TEST(HashModulo, HelloMaskedAtermAndPaths) {
    Derivation drv = helloDrv();
    auto hashes = noInputs(nixDir);
    computeOutputPaths(nixDir, drv, hashes);
    EXPECT_EQ(nixDir.print(*drv.outputs.at("out").path), "/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello");
    EXPECT_EQ(
        drv.unparse(nixDir, true),
        R"(Derive([("out","","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo hi > $out"],[("builder","/bin/sh"),("name","hello"),("out",""),("system","x86_64-linux")]))");
    EXPECT_EQ(hashes.hashModulo(drv, true).at("out").encode(HashFormat::base16),
              "1142b64dfc10c25b923658cd6a75f2eb8603497ca6e5c3fe3c77c3b7cc7ba923");
    std::string text = drv.unparse(nixDir, false);
    EXPECT_EQ(text.size(), 257u);
    EXPECT_EQ(hashString(HashAlgo::sha256, text).encode(HashFormat::base16),
              "7d39bb331c250c0b17ee72a60f99d98dc35ee6e1249ae1de7b2e6127486c7254");
    EXPECT_EQ(derivationPath(nixDir, drv).baseName(), "76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv");
}

TEST(HashModulo, OtherStoreDirChangesEverything) {
    StoreDir dir("/tmp/xstore");
    Derivation drv = helloDrv();
    auto hashes = noInputs(dir);
    computeOutputPaths(dir, drv, hashes);
    EXPECT_EQ(dir.print(*drv.outputs.at("out").path), "/tmp/xstore/7qi5bwbl5a3jg5qfa372g8fx6k64f831-hello");
    EXPECT_EQ(derivationPath(dir, drv).baseName(), "zxfl9syjpsn1zqzqihq9ny53h5v6x0g8-hello.drv");
}

TEST(HashModulo, FixedOutput) {
    Derivation drv;
    drv.name = "fod-probe";
    drv.outputs["out"] = {std::nullopt, "sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"};
    auto hashes = noInputs(nixDir);
    computeOutputPaths(nixDir, drv, hashes);
    EXPECT_EQ(drv.outputs.at("out").path->baseName(), "xpi6l96dmixjxvna1x7bj40n70apj07d-fod-probe");
    EXPECT_EQ(hashes.hashModulo(drv, false).at("out").encode(HashFormat::base16),
              "05292c1e9a44443f4dcbe681b03556288a55dce486578ee253ad47846486e82d");
}

TEST(HashModulo, ChainWithInputsAndMultipleOutputs) {
    // The inputs of chain.drv (spec 5.10), served from memory.
    std::map<std::string, std::string> drvs = {
        {"76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv",
         R"(Derive([("out","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo hi > $out"],[("builder","/bin/sh"),("name","hello"),("out","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"),("system","x86_64-linux")]))"},
        {"nia4h66fawwggy1yp8bsy4py2nahmwg3-fod-probe.drv",
         R"(Derive([("out","/nix/store/xpi6l96dmixjxvna1x7bj40n70apj07d-fod-probe","sha256","2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")],[],[],"x86_64-linux","/bin/sh",[],[]))"},
        {"b97y30708bhmpar22hbgyqx1hzyacsgb-multi.drv",
         R"(Derive([("dev","/nix/store/ik2bh3hkb5ghkr4v0pfynsikw5ipjmlj-multi-dev","",""),("lib","/nix/store/xgm1bjry2fhsqcf3fjzxl7vlc9fa7jlx-multi-lib","",""),("out","/nix/store/v2a60yanm0yf3dhhsdl18c1hy9lsqcvz-multi","","")],[],["/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"],"x86_64-linux","/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox",["sh","-c","echo $lib > $out; echo x > $dev; mkdir $lib; echo $dev > $lib/ref-to-dev"],[("builder","/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox"),("dev","/nix/store/ik2bh3hkb5ghkr4v0pfynsikw5ipjmlj-multi-dev"),("lib","/nix/store/xgm1bjry2fhsqcf3fjzxl7vlc9fa7jlx-multi-lib"),("name","multi"),("out","/nix/store/v2a60yanm0yf3dhhsdl18c1hy9lsqcvz-multi"),("outputs","out dev lib"),("system","x86_64-linux"),("weird","quote\" backslash\\ tab\t nl\n cr\r dollar$ unicode-é")]))"},
    };
    DrvHashes hashes(nixDir, [&](const StorePath& p) {
        std::string name(p.name());
        return Derivation::parse(nixDir, drvs.at(p.baseName()), name.substr(0, name.size() - 4));
    });
    EXPECT_EQ(hashes.hashModuloOf(StorePath("b97y30708bhmpar22hbgyqx1hzyacsgb-multi.drv"))
                  .at("lib")
                  .encode(HashFormat::base16),
              "3487b6dd68c690933ae0a031439568051effd46925c74eab095a068b3413b2fb");

    std::string chainText =
        R"(Derive([("out","/nix/store/ga79wb424y8vz5cavgw3xjm7iv79li2d-chain","","")],[("/nix/store/76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv",["out"]),("/nix/store/b97y30708bhmpar22hbgyqx1hzyacsgb-multi.drv",["lib"]),("/nix/store/nia4h66fawwggy1yp8bsy4py2nahmwg3-fod-probe.drv",["out"])],["/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb"],"x86_64-linux","/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox",["sh","-c","echo /nix/store/xpi6l96dmixjxvna1x7bj40n70apj07d-fod-probe > $out; cat /nix/store/xgm1bjry2fhsqcf3fjzxl7vlc9fa7jlx-multi-lib/ref-to-dev >> $out; echo $out >> $out"],[("builder","/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox"),("name","chain"),("out","/nix/store/ga79wb424y8vz5cavgw3xjm7iv79li2d-chain"),("system","x86_64-linux"),("unused","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello")]))";
    Derivation chain = Derivation::parse(nixDir, chainText, "chain");
    EXPECT_EQ(chain.unparse(nixDir, false), chainText);
    EXPECT_EQ(hashes.hashModulo(chain, true).at("out").encode(HashFormat::base16),
              "bd54b3069e8c58832698e246c6caae744f27d78c08d7524bb4b90dec2fde3841");
    Derivation recomputed = chain;
    computeOutputPaths(nixDir, recomputed, hashes);
    EXPECT_EQ(recomputed, chain);
    EXPECT_EQ(derivationPath(nixDir, chain).baseName(), "4v1xj43vdz4rf3a3id0cy0vvs0qa833d-chain.drv");
}
