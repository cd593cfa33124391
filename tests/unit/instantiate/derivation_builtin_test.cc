// The derivation builtins against the worked examples of spec section 5
// (paths and .drv text produced by real Nix under /nix/store), and the rules
// for turning attributes into the environment.
#include <gtest/gtest.h>

#include "memory_store.hh"

using cstore::testing::DrvEvaluator;

namespace {

const std::string hello =
    R"(derivation { name = "hello"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; })";

// Appendix A of the spec, with ./bb replaced by the store path Nix gave it.
const std::string bb = R"(builtins.storePath "/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb")";
const std::string fod = R"(derivation {
  name = "fod-probe";
  system = "x86_64-linux";
  builder = "${bb}/busybox";
  args = [ "sh" "-c" ''
    B=${bb}/busybox
    $B env | $B sort >&2
    $B ls -la /proc/self/ns/net >&2
    $B cat /etc/hosts /etc/resolv.conf /etc/services >&2 2>&1 | $B head -5 >&2
    $B ip addr >&2
    $B printf hello > $out
  '' ];
  outputHashMode = "flat";
  outputHashAlgo = "sha256";
  outputHash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
})";
const std::string chain = R"(let
  bbBin = "${bb}/busybox";
  hello = )" + hello + R"(;
  fod = )" + fod + R"(;
  multi = derivation {
    name = "multi"; system = "x86_64-linux"; builder = bbBin;
    outputs = [ "out" "dev" "lib" ];
    args = [ "sh" "-c" "echo $lib > $out; echo x > $dev; mkdir $lib; echo $dev > $lib/ref-to-dev" ];
    weird = "quote\" backslash\\ tab\t nl\n cr\r dollar$ unicode-é";
  };
in derivation {
  name = "chain"; system = "x86_64-linux"; builder = bbBin;
  args = [ "sh" "-c" "echo ${fod} > $out; cat ${multi.lib}/ref-to-dev >> $out; echo $out >> $out" ];
  unused = "${hello}";
})";

std::string withBb(const std::string& expr) { return "let bb = " + bb + "; in " + expr; }

}  // namespace

TEST(DerivationBuiltin, SpecHello) {
    DrvEvaluator ev;
    EXPECT_EQ(ev.str("(" + hello + ").outPath"), "/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello");
    EXPECT_EQ(ev.str("(" + hello + ").drvPath"), "/nix/store/76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv");
    EXPECT_EQ(
        ev.store.text("/nix/store/76w21n1f03fs5kw8fnffphx7qrqffw6r-hello.drv"),
        R"(Derive([("out","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo hi > $out"],[("builder","/bin/sh"),("name","hello"),("out","/nix/store/mjs27ix6ig2bkbi3s3sm470vrv4lf7ic-hello"),("system","x86_64-linux")]))");
}

TEST(DerivationBuiltin, OtherStoreDir) {
    DrvEvaluator ev("/tmp/xstore");
    EXPECT_EQ(ev.str("(" + hello + ").drvPath"), "/tmp/xstore/zxfl9syjpsn1zqzqihq9ny53h5v6x0g8-hello.drv");
    EXPECT_EQ(ev.str("(" + hello + ").outPath"), "/tmp/xstore/7qi5bwbl5a3jg5qfa372g8fx6k64f831-hello");
}

TEST(DerivationBuiltin, SpecFixedOutputAndChain) {
    DrvEvaluator ev;
    ev.store.addValid("/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb");
    EXPECT_EQ(ev.str(withBb("(" + fod + ").outPath")), "/nix/store/xpi6l96dmixjxvna1x7bj40n70apj07d-fod-probe");
    EXPECT_EQ(ev.str(withBb("(" + fod + ").drvPath")), "/nix/store/nia4h66fawwggy1yp8bsy4py2nahmwg3-fod-probe.drv");
    EXPECT_EQ(ev.str(withBb("(" + chain + ").drvPath")), "/nix/store/4v1xj43vdz4rf3a3id0cy0vvs0qa833d-chain.drv");
    EXPECT_EQ(ev.str(withBb("(" + chain + ").outPath")), "/nix/store/ga79wb424y8vz5cavgw3xjm7iv79li2d-chain");
    EXPECT_TRUE(ev.store.drvs.count(cstore::StorePath("b97y30708bhmpar22hbgyqx1hzyacsgb-multi.drv")));
    // Input hashes come from the derivations just instantiated, not from reading them back.
    EXPECT_EQ(ev.store.reads, 0);
}

TEST(DerivationBuiltin, RecursiveSriFixedOutput) {
    DrvEvaluator ev;
    std::string d = R"(derivation { name = "f"; system = "x86_64-linux"; builder = "/bin/sh";
        outputHashMode = "recursive"; outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; })";
    std::string text = ev.store.text(ev.str("(" + d + ").drvPath"));
    EXPECT_NE(text.find(R"("r:sha256","2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")"),
              std::string::npos)
        << text;
}

TEST(DerivationBuiltin, EnvironmentFromAttributes) {
    DrvEvaluator ev;
    std::string drvPath = ev.str(R"((derivation {
        name = "types"; system = "x86_64-linux"; builder = "/bin/sh";
        t = true; f = false; n = null; i = 42; neg = -7; fl = 1.5;
        l = [ "a" "b" 3 true null [ "x" [ ] "y" ] ];
        outputs = [ "out" "dev" ];
        args = [ 1 "two" true ];
      }).drvPath)");
    std::string text = ev.store.text(drvPath);
    for (const char* expected :
         {R"(("t","1"))", R"(("f",""))", R"(("n",""))", R"(("i","42"))", R"(("neg","-7"))", R"(("fl","1.500000"))",
          R"(("l","a b 3 1  x y"))", R"(("outputs","out dev"))", R"(["1","two","1"])"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " in " << text;
    EXPECT_EQ(text.find(R"(("args")"), std::string::npos);

    std::string ignoring = ev.store.text(ev.str(R"((derivation {
        name = "nulls"; system = "x86_64-linux"; builder = "/bin/sh"; __ignoreNulls = true; gone = null; }).drvPath)"));
    EXPECT_EQ(ignoring.find("gone"), std::string::npos);
    EXPECT_EQ(ignoring.find("__ignoreNulls"), std::string::npos);
}

TEST(DerivationBuiltin, StructuredAttributes) {
    DrvEvaluator ev;
    std::string text = ev.store.text(ev.str(R"((derivation {
        name = "sa"; system = "x86_64-linux"; builder = "/bin/sh"; __structuredAttrs = true;
        outputs = [ "out" "dev" ]; b = 1; a = [ true null "s" { y = 2; x = 1.5; } ]; args = [ "-e" ];
      }).drvPath)"));
    EXPECT_NE(text.find(R"(("__json","{\"a\":[true,null,\"s\",{\"x\":1.5,\"y\":2}],\"b\":1,\"builder\":\"/bin/sh\",)"
                        R"(\"name\":\"sa\",\"outputs\":[\"out\",\"dev\"],\"system\":\"x86_64-linux\"}"))"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find(R"(("b",)"), std::string::npos);
    EXPECT_NE(text.find(R"(["-e"])"), std::string::npos);
}

TEST(DerivationBuiltin, ContextBecomesInputs) {
    DrvEvaluator ev;
    std::string text = ev.store.text(ev.str(R"(let
        dep = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
        f = builtins.toFile "f" "x";
      in (derivation { name = "user"; system = "x86_64-linux"; builder = "/bin/sh";
           a = "${dep.dev}/include"; b = dep; c = f; }).drvPath)"));
    EXPECT_NE(text.find(R"(-dep.drv",["dev","out"])],[")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(-f"],"x86_64-linux")"), std::string::npos) << text;

    // A string naming the .drv brings in its closure, with all outputs.
    std::string whole = ev.store.text(ev.str(R"(let
        dep = derivation { name = "dep2"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ];
                           src = builtins.toFile "src" "s"; };
      in (derivation { name = "user2"; system = "x86_64-linux"; builder = "/bin/sh"; d = dep.drvPath; }).drvPath)"));
    EXPECT_NE(whole.find(R"(-dep2.drv",["dev","out"])],["/nix/store/)"), std::string::npos) << whole;
    EXPECT_NE(whole.find(R"(-src"],")"), std::string::npos) << whole;
}

TEST(DerivationBuiltin, LazyAndWrittenOnce) {
    DrvEvaluator ev;
    EXPECT_EQ(ev(R"((derivation { name = "lazy"; }).name)"), "\"lazy\"");
    EXPECT_EQ(ev(R"((derivation { name = "lazy"; outputs = [ "a" "b" ]; }).b.outputName)"), "\"b\"");
    EXPECT_EQ(ev.store.written, 0);
    ev(hello);
    EXPECT_EQ(ev.store.written, 1);
    ev(hello);
    ev("(" + hello + ").drvPath");
    EXPECT_EQ(ev.store.written, 1);
}

TEST(DerivationBuiltin, PrintedAsNixPrintsIt) {
    DrvEvaluator ev;
    EXPECT_EQ(ev(hello, false),
              R"({ all = <CODE>; args = <CODE>; builder = "/bin/sh"; drvAttrs = { args = <CODE>; builder = "/bin/sh"; )"
              R"(name = "hello"; system = "x86_64-linux"; }; drvPath = <CODE>; name = "hello"; out = «repeated»; )"
              R"(outPath = <CODE>; outputName = "out"; system = "x86_64-linux"; type = "derivation"; })");
    EXPECT_EQ(ev(R"(builtins.attrNames (derivation { name = "a"; outputs = [ "x" "y" ]; }))"),
              R"([ "all" "drvAttrs" "drvPath" "name" "outPath" "outputName" "outputs" "type" "x" "y" ])");
}

TEST(DerivationBuiltin, Placeholder) {
    DrvEvaluator ev;
    EXPECT_EQ(ev.str(R"(builtins.placeholder "out")"), "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9");
}
