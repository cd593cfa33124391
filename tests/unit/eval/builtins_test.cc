// Every builtin, with its usual case and its error cases.
#include <gtest/gtest.h>

#include "eval_fixture.hh"

using cstore::eval::testing::Evaluator;

namespace {
std::string data() {
    const char* d = getenv("CSTORE_TEST_DATA");
    return d ? d : "tests/data";
}
}  // namespace

TEST(Builtins, Types) {
    Evaluator ev;
    EXPECT_EQ(ev("map builtins.typeOf [ 1 1.0 \"s\" true null [ ] { } (x: x) builtins.add ./. ]"),
              "[ \"int\" \"float\" \"string\" \"bool\" \"null\" \"list\" \"set\" \"lambda\" \"lambda\" \"path\" ]");
    EXPECT_EQ(ev("with builtins; [ (isAttrs {}) (isBool true) (isFloat 1.0) (isFunction map) (isInt 1) (isList []) "
                 "(isNull null) (isPath ./.) (isString \"\") (isInt 1.0) ]"),
              "[ true true true true true true true true true false ]");
}

TEST(Builtins, Arithmetic) {
    Evaluator ev;
    EXPECT_EQ(ev("with builtins; [ (add 1 2) (add 1.5 1) (sub 1 3) (mul 3 4) (div 7 2) (div 7.0 2) ]"),
              "[ 3 2.5 -2 12 3 3.5 ]");
    EXPECT_EQ(ev("with builtins; [ (bitAnd 12 10) (bitOr 12 10) (bitXor 12 10) (ceil 1.2) (floor 1.8) (ceil (-1.5)) ]"),
              "[ 8 14 6 2 1 -1 ]");
    EXPECT_EQ(ev("builtins.lessThan 1 2"), "true");
    EXPECT_EQ(ev("builtins.div 1 0"), "error: division by zero");
    EXPECT_EQ(ev("builtins.add \"a\" 1"), "error: value is a string while an integer was expected");
    EXPECT_EQ(ev("builtins.bitAnd 1.0 1"), "error: value is a float while an integer was expected");
}

TEST(Builtins, Lists) {
    Evaluator ev;
    EXPECT_EQ(ev("with builtins; [ (length [1 2]) (head [1 2]) (tail [1 2]) (elemAt [1 2] 1) (elem 2 [1 2]) ]"),
              "[ 2 1 [ 2 ] 2 true ]");
    EXPECT_EQ(ev("builtins.head [ ]"), "error: 'builtins.head' called on an empty list");
    EXPECT_EQ(ev("builtins.tail [ ]"), "error: 'builtins.tail' called on an empty list");
    EXPECT_EQ(ev("builtins.elemAt [ 1 ] 3"), "error: list index 3 is out of bounds");
    EXPECT_EQ(ev("builtins.map (x: x * 2) [ 1 2 ]"), "[ 2 4 ]");
    EXPECT_EQ(ev("builtins.filter (x: x > 1) [ 1 2 3 ]"), "[ 2 3 ]");
    EXPECT_EQ(ev("builtins.concatLists [ [ 1 ] [ ] [ 2 3 ] ]"), "[ 1 2 3 ]");
    EXPECT_EQ(ev("builtins.concatMap (x: [ x x ]) [ 1 2 ]"), "[ 1 1 2 2 ]");
    EXPECT_EQ(ev("builtins.foldl' (a: b: a - b) 10 [ 1 2 ]"), "7");
    EXPECT_EQ(ev("builtins.genList (x: x * x) 4"), "[ 0 1 4 9 ]");
    EXPECT_EQ(ev("builtins.genList (x: x) (-1)"), "error: cannot create list of size -1");
    EXPECT_EQ(ev("builtins.sort builtins.lessThan [ 3 1 2 ]"), "[ 1 2 3 ]");
    EXPECT_EQ(ev("builtins.sort (a: b: a.k < b.k) [ { k = 1; v = 1; } { k = 0; v = 2; } { k = 1; v = 3; } ]"),
              "[ { k = 0; v = 2; } { k = 1; v = 1; } { k = 1; v = 3; } ]");
    EXPECT_EQ(ev("builtins.partition (x: x > 1) [ 1 2 3 ]"), "{ right = [ 2 3 ]; wrong = [ 1 ]; }");
    EXPECT_EQ(ev("builtins.groupBy (x: if x > 1 then \"b\" else \"s\") [ 1 2 3 ]"), "{ b = [ 2 3 ]; s = [ 1 ]; }");
    EXPECT_EQ(ev("with builtins; [ (all (x: x > 0) [ 1 ]) (any (x: x > 5) [ 1 ]) (all (x: x) [ ]) ]"),
              "[ true false true ]");
    EXPECT_EQ(ev("builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: "
                 "if x.key < 3 then [ { key = x.key + 1; } ] else [ ]; }"),
              "[ { key = 1; } { key = 2; } { key = 3; } ]");
    EXPECT_EQ(ev("builtins.map 1 2"), "error: value is an integer while a list was expected");
}

TEST(Builtins, Attrs) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.attrNames { b = 1; a = 2; }"), "[ \"a\" \"b\" ]");
    EXPECT_EQ(ev("builtins.attrValues { b = 1; a = 2; }"), "[ 2 1 ]");
    EXPECT_EQ(ev("builtins.getAttr \"a\" { a = 1; }"), "1");
    EXPECT_EQ(ev("builtins.getAttr \"b\" { a = 1; }"), "error: attribute 'b' missing; did you mean 'a'?");
    EXPECT_EQ(ev("builtins.hasAttr \"a\" { a = 1; }"), "true");
    EXPECT_EQ(ev("builtins.removeAttrs { a = 1; b = 2; } [ \"a\" ]"), "{ b = 2; }");
    EXPECT_EQ(ev("builtins.listToAttrs [ { name = \"a\"; value = 1; } { name = \"a\"; value = 2; } ]"), "{ a = 1; }");
    EXPECT_EQ(ev("builtins.listToAttrs [ { value = 1; } ]"),
              "error: attribute 'name' missing in a call to 'listToAttrs'");
    EXPECT_EQ(ev("builtins.intersectAttrs { a = 1; b = 1; } { b = 2; c = 3; }"), "{ b = 2; }");
    EXPECT_EQ(ev("builtins.catAttrs \"a\" [ { a = 1; } { } { a = 2; } ]"), "[ 1 2 ]");
    EXPECT_EQ(ev("builtins.mapAttrs (n: v: n + toString v) { x = 1; }"), "{ x = \"x1\"; }");
    EXPECT_EQ(ev("builtins.zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ]"), "{ a = [ 1 2 ]; b = [ 3 ]; }");
    EXPECT_EQ(ev("builtins.functionArgs ({ a, b ? 1 }: a)"), "{ a = false; b = true; }");
    EXPECT_EQ(ev("builtins.unsafeGetAttrPos \"a\" { a = 1; }"), "{ column = 33; file = \"«string»\"; line = 1; }");
}

TEST(Builtins, Strings) {
    Evaluator ev;
    EXPECT_EQ(ev("with builtins; [ (stringLength \"abc\") (substring 1 2 \"abcd\") (substring 2 (-1) \"abcd\") ]"),
              "[ 3 \"bc\" \"cd\" ]");
    EXPECT_EQ(ev("builtins.substring (-1) 1 \"a\""), "error: negative start position in 'substring'");
    EXPECT_EQ(ev("builtins.concatStringsSep \"-\" [ \"a\" \"b\" ]"), "\"a-b\"");
    EXPECT_EQ(ev("builtins.replaceStrings [ \"a\" \"\" ] [ \"x\" \"-\" ] \"ab\""), "\"x-b-\"");
    EXPECT_EQ(ev("builtins.replaceStrings [ \"a\" ] [ ] \"a\""),
              "error: 'from' and 'to' arguments to 'replaceStrings' have different lengths");
    EXPECT_EQ(ev("map toString [ 1 1.5 true false null [ 1 [ ] 2 ] \"s\" ]"),
              "[ \"1\" \"1.500000\" \"1\" \"\" \"\" \"1 2\" \"s\" ]");
    EXPECT_EQ(ev("toString { }"), "error: cannot coerce a set to a string");
    EXPECT_EQ(ev("builtins.hashString \"sha256\" \"hello\""),
              "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"");
    EXPECT_EQ(ev("builtins.hashString \"md7\" \"\""), "error: unknown hash algorithm 'md7'");
    EXPECT_EQ(ev("with builtins; [ (baseNameOf \"/a/b/\") (dirOf \"/a/b\") (dirOf \"a\") (dirOf ./x/y) ]"),
              "[ \"b\" \"/a\" \".\" /test/x ]");
}

// Substrings share their string's bytes, and a string appended to the most
// recent one extends its bytes in place: neither may change another string.
TEST(Builtins, StringsSharingBytes) {
    Evaluator ev;
    EXPECT_EQ(ev("let s = \"abcdef\"; t = builtins.substring 2 10 s; u = t + \"X\"; v = s + \"Y\"; in [ s t u v ]"),
              "[ \"abcdef\" \"cdef\" \"cdefX\" \"abcdefY\" ]");
    EXPECT_EQ(ev("let a = \"x${toString 1}\"; b = a + \"y\"; c = a + \"z\"; in [ a b c (b + \"!\") ]"),
              "[ \"x1\" \"x1y\" \"x1z\" \"x1y!\" ]");
    EXPECT_EQ(ev("let a = \"p${toString 1}\"; s = builtins.substring 1 5 a; in [ (s + \"q\") a ]"),
              "[ \"1q\" \"p1\" ]");
    EXPECT_EQ(ev("builtins.foldl' (acc: x: acc + x) \"\" [ \"a\" \"b\" \"c\" ]"), "\"abc\"");
    EXPECT_EQ(ev("with builtins; [ (substring 5 1 \"abc\") (substring 0 0 \"abc\") (stringLength (substring 1 100 "
                 "\"abc\")) ]"),
              "[ \"\" \"\" 2 ]");
    EXPECT_EQ(ev("let s = \"ab\"; in [ \"${s}\" (toString s) (builtins.unsafeDiscardStringContext s) ]"),
              "[ \"ab\" \"ab\" \"ab\" ]");
    // Contexts are kept by substring, toString and interpolation, dropped by unsafeDiscardStringContext.
    std::string path = "(builtins.toFile \"f\" \"x\")";
    EXPECT_EQ(ev("with builtins; map hasContext [ (substring 0 3 " + path + ") (toString " + path + ") \"${" + path +
                 "}\" (unsafeDiscardStringContext " + path + ") (substring 0 0 " + path + ") ]"),
              "[ true true true false true ]");
    EXPECT_EQ(ev("builtins.stringLength " + path), "41");
    EXPECT_EQ(ev("builtins.replaceStrings [ \"o\" \"\" ] [ \"0\" \"|\" ] \"foo\""), "\"|f00|\"");
    // As in Nix 2.8, every replacement is forced; only the contexts of those used are kept.
    EXPECT_EQ(ev("builtins.replaceStrings [ \"aa\" \"a\" ] [ \"b\" (throw \"unused\") ] \"aaaa\""), "error: unused");
    EXPECT_EQ(ev("builtins.hasContext (builtins.replaceStrings [ \"x\" ] [ \"${" + path + "}\" ] \"abc\")"), "false");
    EXPECT_EQ(ev("builtins.hasContext (builtins.replaceStrings [ \"a\" ] [ \"${" + path + "}\" ] \"abc\")"), "true");
    EXPECT_EQ(ev("builtins.replaceStrings [ ] [ ] \"abc\""), "\"abc\"");
    EXPECT_EQ(ev("builtins.concatStringsSep \", \" [ \"a\" " + data() + "/eval/hello.txt \"b\" ]").substr(0, 10),
              "\"a, /store");
    EXPECT_EQ(ev("builtins.concatStringsSep \"\" [ ]"), "\"\"");
    EXPECT_EQ(ev("builtins.concatStringsSep \"-\" [ 1 ]"), "error: cannot coerce an integer to a string");
}

TEST(Builtins, Context) {
    Evaluator ev;
    std::string file = "(builtins.toFile \"f\" \"x\")";
    EXPECT_EQ(ev("builtins.getContext \"plain\""), "{ }");
    EXPECT_EQ(ev("builtins.attrValues (builtins.getContext " + file + ")"), "[ { path = true; } ]");
    // A context set turns back into the same context.
    EXPECT_EQ(ev("let s = " + file +
                 "; t = builtins.appendContext (builtins.unsafeDiscardStringContext s) "
                 "(builtins.getContext s); in [ (t == s) (builtins.hasContext t) (builtins.getContext t == "
                 "builtins.getContext s) ]"),
              "[ true true true ]");
    EXPECT_EQ(ev("builtins.appendContext \"x\" { \"/tmp/x\" = { path = true; }; }"),
              "error: context key '/tmp/x' is not a store path");
    EXPECT_EQ(ev("let f = builtins.unsafeDiscardStringContext " + file +
                 "; in builtins.appendContext \"x\" { ${f} = { allOutputs = true; }; }")
                  .substr(0, 40),
              "error: tried to add all-outputs context ");
    EXPECT_EQ(ev("builtins.getContext 1"), "error: value is an integer while a string was expected");
}

TEST(Builtins, FromTOML) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.fromTOML \"a = 1\\nb = [ true, 'x' ]\\n[t.u]\\nc = 1.5\\n\""),
              "{ a = 1; b = [ true \"x\" ]; t = { u = { c = 1.5; }; }; }");
    EXPECT_EQ(ev("fromTOML \"[[p]]\\nn = 1\\n[[p]]\\n\""), "{ p = [ { n = 1; } { } ]; }");
    EXPECT_EQ(ev("builtins.fromTOML \"d = 1979-05-27\""),
              "error: while parsing a TOML string: Dates and times are not supported");
    EXPECT_EQ(ev("builtins.fromTOML \"x = \"").substr(0, 41), "error: while parsing a TOML string: [erro");
}

TEST(Builtins, ToXML) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.toXML [ 1 \"a<\\\"\" ]"),
              "\"<?xml version='1.0' encoding='utf-8'?>\\n<expr>\\n  <list>\\n    <int value=\\\"1\\\" />\\n    "
              "<string value=\\\"a&lt;&quot;\\\" />\\n  </list>\\n</expr>\\n\"");
    EXPECT_EQ(ev("builtins.toXML ({ a, ... }@x: a)"),
              "\"<?xml version='1.0' encoding='utf-8'?>\\n<expr>\\n  <function>\\n    <attrspat ellipsis=\\\"1\\\" "
              "name=\\\"x\\\">\\n      <attr name=\\\"a\\\" />\\n    </attrspat>\\n  </function>\\n</expr>\\n\"");
    EXPECT_EQ(ev("builtins.toXML { x = throw \"deep\"; }"), "error: deep");
}

TEST(Builtins, Versions) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.parseDrvName \"hello-2.10-pre\""), "{ name = \"hello\"; version = \"2.10-pre\"; }");
    EXPECT_EQ(ev("builtins.splitVersion \"1.2a-rc3\""), "[ \"1\" \"2\" \"a\" \"rc\" \"3\" ]");
    EXPECT_EQ(ev("with builtins; [ (compareVersions \"1.0\" \"1.1\") (compareVersions \"1.0pre\" \"1.0\") "
                 "(compareVersions \"2.3.1\" \"2.3a\") (compareVersions \"1\" \"1\") ]"),
              "[ -1 -1 1 0 ]");
}

TEST(Builtins, Regex) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.match \"a(b)?(c)\" \"ac\""), "[ null \"c\" ]");
    EXPECT_EQ(ev("builtins.match \"a\" \"ab\""), "null");
    EXPECT_EQ(ev("builtins.split \"(,)\" \"a,b\""), "[ \"a\" [ \",\" ] \"b\" ]");
    EXPECT_EQ(ev("builtins.match \"(\" \"\"").substr(0, 35), "error: invalid regular expression '");
}

TEST(Builtins, Json) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.toJSON { a = [ 1 2.5 \"x\\n\" null true ]; }"),
              "\"{\\\"a\\\":[1,2.5,\\\"x\\\\n\\\",null,true]}\"");
    EXPECT_EQ(ev("builtins.fromJSON ''{\"a\": [1, 2.5, \"\\u00e9\", false, null], \"b\": {}}''"),
              "{ a = [ 1 2.5 \"é\" false null ]; b = { }; }");
    EXPECT_EQ(ev("builtins.fromJSON \"[1,\"").substr(0, 27), "error: cannot parse JSON: u");
    EXPECT_EQ(ev("builtins.toJSON (x: x)"), "error: cannot convert a function to JSON");
}

TEST(Builtins, ControlAndErrors) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.seq 1 2"), "2");
    EXPECT_EQ(ev("builtins.seq { a = throw \"x\"; } 2"), "2");
    EXPECT_EQ(ev("builtins.deepSeq { a = throw \"x\"; } 2"), "error: x");
    EXPECT_EQ(ev("builtins.tryEval (throw \"x\")"), "{ success = false; value = false; }");
    EXPECT_EQ(ev("builtins.tryEval (assert false; 1)"), "{ success = false; value = false; }");
    EXPECT_EQ(ev("builtins.tryEval 1"), "{ success = true; value = 1; }");
    EXPECT_EQ(ev("builtins.tryEval (abort \"no\")"),
              "error: evaluation aborted with the following error message: 'no'");
    EXPECT_EQ(ev("throw \"boom\""), "error: boom");
    EXPECT_EQ(ev("builtins.trace \"msg\" 1"), "1");
    EXPECT_EQ(ev("builtins.getEnv \"CSTORE_SURELY_UNSET_VARIABLE\""), "\"\"");
    EXPECT_EQ(ev("builtins.addErrorContext \"c\" 1"), "1");
}

TEST(Builtins, Constants) {
    Evaluator ev;
    EXPECT_EQ(ev("with builtins; [ langVersion nixVersion storeDir currentSystem (typeOf currentTime) ]"),
              "[ 6 \"2.8.0\" \"/store\" \"x86_64-linux\" \"int\" ]");
    EXPECT_EQ(ev("builtins.builtins.true"), "true");
    EXPECT_EQ(ev("builtins.placeholder \"out\""), "\"/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9\"");
}

TEST(Builtins, Paths) {
    Evaluator ev;
    std::string d = data() + "/eval";
    EXPECT_EQ(ev("builtins.pathExists " + d + "/hello.txt"), "true");
    EXPECT_EQ(ev("builtins.pathExists " + d + "/nope"), "false");
    EXPECT_EQ(ev("builtins.readFile " + d + "/hello.txt"), "\"hello\\n\"");
    EXPECT_EQ(ev("builtins.readDir " + d + "/dir"), "{ file = \"regular\"; sub = \"directory\"; }");
    EXPECT_EQ(ev("builtins.hashFile \"sha256\" " + d + "/hello.txt"),
              "\"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\"");
    EXPECT_EQ(ev("builtins.toPath \"/a/../b\""), "\"/b\"");
    EXPECT_EQ(ev("builtins.toPath \"rel\""), "error: string 'rel' doesn't represent an absolute path");
    EXPECT_EQ(ev("(import " + d + "/lib.cbl).value"), "\"lib\"");
    EXPECT_EQ(ev("builtins.scopedImport { x = 2; } " + d + "/scoped.cbl"), "3");
    std::string missing = "error: opening '" + d + "/nope.cbl'";
    EXPECT_EQ(ev("import " + d + "/nope.cbl").substr(0, missing.size()), missing);
}

TEST(Builtins, Store) {
    Evaluator ev;
    std::string d = data() + "/eval";
    std::string r = ev("builtins.toFile \"name\" \"text\"");
    EXPECT_EQ(ev.store.texts["name"], "text");
    EXPECT_EQ(r.substr(0, 8), "\"/store/");
    ev("builtins.toFile \"b\" \"${builtins.toFile \"a\" \"x\"}\"");
    EXPECT_EQ(ev.store.refs["b"].size(), 1u);
    EXPECT_EQ(ev("\"${" + d + "/hello.txt}\"").substr(0, 8), "\"/store/");
    EXPECT_EQ(ev.store.added.back(), d + "/hello.txt");
    EXPECT_EQ(ev("builtins.path { path = " + d + "/hello.txt; name = \"h\"; }").substr(40), "-h\"");
    ev("builtins.filterSource (p: t: true) " + d + "/dir");
    EXPECT_EQ(ev.store.filterCalls, 1);
    EXPECT_EQ(ev("builtins.storePath \"/store/abc-x/bin\""), "\"/store/abc-x/bin\"");
    EXPECT_EQ(ev("builtins.storePath \"/tmp/x\""), "error: path '/tmp/x' is not in the store");
    EXPECT_EQ(ev("derivation { }"), "error: 'derivation' is not available in this build of the evaluator yet");
}
