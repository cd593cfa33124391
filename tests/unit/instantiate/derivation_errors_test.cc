// Errors of the derivation builtins: each names what is wrong and points at
// the recipe (the attribute, or the `derivation` call), never at internals.
#include <gtest/gtest.h>

#include "memory_store.hh"

using cstore::testing::DrvEvaluator;

namespace {

// The first two lines of the report: message and position.
std::string head(const std::string& report) {
    size_t nl = report.find('\n');
    if (nl == std::string::npos) return report;
    size_t nl2 = report.find('\n', nl + 1);
    return report.substr(0, nl2);
}

std::string errorOf(const std::string& attrs) {
    DrvEvaluator ev;
    return head(ev.report("(derivation { " + attrs + " }).outPath"));
}

const std::string base = R"(system = "x86_64-linux"; builder = "/bin/sh"; )";

}  // namespace

TEST(DerivationErrors, MissingRequiredAttributes) {
    EXPECT_EQ(errorOf(base),
              "required attribute 'name' missing in the argument of 'derivation'\n       at recipe.cbl:1:2:");
    EXPECT_EQ(errorOf(R"(name = "x"; system = "s";)"),
              "required attribute 'builder' missing in the derivation 'x'\n       at recipe.cbl:1:15:");
    EXPECT_EQ(errorOf(R"(name = "x"; builder = "b";)"),
              "required attribute 'system' missing in the derivation 'x'\n       at recipe.cbl:1:15:");
}

TEST(DerivationErrors, InvalidNames) {
    EXPECT_EQ(errorOf(base + R"(name = "a b";)"),
              "invalid derivation name 'a b': store path name 'a b' contains the forbidden character ' '\n"
              "       at recipe.cbl:1:61:");
    EXPECT_NE(errorOf(base + R"(name = "x.drv";)").find("may not end in '.drv'"), std::string::npos);
    EXPECT_NE(errorOf(base + "name = \"" + std::string(208, 'n') + "\";").find("longer than 211 characters"),
              std::string::npos);
    DrvEvaluator ev;
    EXPECT_NE(ev.report(R"(let d = derivation { name = "d"; )" + base + R"(}; in derivation { name = "x-${d}"; )" +
                        base + "}")
                  .find("the string 'x-/nix/store/"),
              std::string::npos);
}

TEST(DerivationErrors, Outputs) {
    EXPECT_EQ(errorOf(base + R"(name = "x"; outputs = [ "out" "drv" ];)"),
              "invalid derivation output name 'drv' (it would clash with the derivation's own attributes)\n"
              "       at recipe.cbl:1:73:");
    EXPECT_EQ(errorOf(base + R"(name = "x"; outputs = [ "out" "out" ];)"),
              "duplicate derivation output 'out'\n       at recipe.cbl:1:73:");
    EXPECT_NE(errorOf(base + R"(name = "x"; outputs = [ "a/b" ];)").find("invalid derivation output name 'a/b'"),
              std::string::npos);
    EXPECT_NE(errorOf(base + R"(name = "x"; outputs = [ ];)").find("at least one output"), std::string::npos);
}

TEST(DerivationErrors, FixedOutputHashes) {
    EXPECT_EQ(errorOf(base + R"(name = "x"; outputHashAlgo = "sha255"; outputHash = "abc";)"),
              "unknown hash algorithm 'sha255' in 'outputHashAlgo' (expected md5, sha1, sha256 or sha512)\n"
              "       at recipe.cbl:1:73:");
    EXPECT_EQ(errorOf(base + R"(name = "x"; outputHashAlgo = "sha256"; outputHash = "abcd";)"),
              "invalid 'outputHash' of the derivation 'x': hash 'abcd' has the wrong length for a sha256 hash\n"
              "       at recipe.cbl:1:100:");
    EXPECT_NE(errorOf(base + R"(name = "x"; outputHash = "abcd";)").find("does not name its algorithm"),
              std::string::npos);
    EXPECT_NE(
        errorOf(
            base +
            R"(name = "x"; outputHashAlgo = "sha1"; outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";)")
            .find("should be a sha1 hash"),
        std::string::npos);
    EXPECT_NE(errorOf(base + R"(name = "x"; outputHash = "sha256-AAAA";)").find("wrong length"), std::string::npos);
    EXPECT_NE(errorOf(base + R"(name = "x"; outputHashMode = "deep"; outputHash = "sha256-AAAA";)")
                  .find("invalid value 'deep' for 'outputHashMode'"),
              std::string::npos);
    EXPECT_NE(
        errorOf(
            base +
            R"(name = "x"; outputs = [ "out" "dev" ]; outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";)")
            .find("exactly one output"),
        std::string::npos);
}

TEST(DerivationErrors, ContextWhereNoneIsAllowed) {
    DrvEvaluator ev;
    std::string d = R"(derivation { name = "d"; system = "s"; builder = "b"; })";
    EXPECT_EQ(head(ev.report("{ ${(" + d + ").outPath} = 1; }")).substr(0, 60),
              "the string '/nix/store/82l07bidcfxgl7gmwsa4k2knxhf892s4-d' i");
    EXPECT_NE(ev.report("{ ${(" + d + ").outPath} = 1; }").find("it refers to the output 'out' of '/nix/store/"),
              std::string::npos);
}

TEST(DerivationErrors, AttributeErrorsNameTheAttributeAndTheDerivation) {
    DrvEvaluator ev;
    std::string r = ev.report(R"(derivation { name = "x"; system = "s"; builder = "b"; args = "not a list"; })");
    EXPECT_NE(r.find("value is a string while a list was expected\n       at recipe.cbl:1:55:"), std::string::npos)
        << r;
    EXPECT_NE(r.find("… while evaluating the attribute 'args'"), std::string::npos) << r;
    EXPECT_NE(r.find("… while instantiating the derivation 'x'"), std::string::npos) << r;
    EXPECT_EQ(r.find("derivationStrict"), std::string::npos) << r;
}

TEST(DerivationErrors, SelfReference) {
    DrvEvaluator ev;
    EXPECT_NE(ev.report(R"(let d = derivation { name = "x"; system = "s"; builder = "b"; me = d.outPath; }; in d)")
                  .find("infinite recursion"),
              std::string::npos);
}

TEST(DerivationErrors, NoStore) {
    cstore::eval::EvalOptions o = DrvEvaluator::options();
    cstore::eval::EvalState state(o, nullptr);
    std::string out;
    cstore::eval::runOnLargeStack(&state, [&] {
        try {
            cstore::eval::Value v;
            state.eval(state.parseString(R"((derivation { name = "x"; system = "s"; builder = "b"; }).outPath)", "/"),
                       v);
            state.forceDeep(v);
        } catch (cstore::eval::EvalError& e) {
            out = e.message();
        }
    });
    EXPECT_NE(out.find("needs a store"), std::string::npos) << out;
}
