#include <gtest/gtest.h>

#include "eval_fixture.hh"

using namespace cstore::eval;
using cstore::eval::testing::Evaluator;

TEST(Eval, Literals) {
    Evaluator ev;
    EXPECT_EQ(ev("42"), "42");
    EXPECT_EQ(ev("1.5"), "1.5");
    EXPECT_EQ(ev("\"a${\"b\"}c\""), "\"abc\"");
    EXPECT_EQ(ev("[ 1 \"x\" null true ]"), "[ 1 \"x\" null true ]");
    EXPECT_EQ(ev("{ b = 1; a = 2; }"), "{ a = 2; b = 1; }");
    EXPECT_EQ(ev("./a/../b"), "/test/b");
}

TEST(Eval, Laziness) {
    Evaluator ev;
    EXPECT_EQ(ev("let x = throw \"no\"; in 1"), "1");
    EXPECT_EQ(ev("{ a = 1 + 1; b = 1; }", false), "{ a = <CODE>; b = 1; }");
    EXPECT_EQ(ev("[ (x: x) builtins.add (builtins.add 1) ]", true), "[ <LAMBDA> <PRIMOP> <PRIMOP-APP> ]");
    EXPECT_EQ(ev("builtins.length [ (throw \"a\") ]"), "1");
}

TEST(Eval, ThunksAreMemoised) {
    Evaluator ev;
    // trace would print twice if the thunk were evaluated twice; count via a counter-free proxy:
    // a shared thunk used in two places yields a repeated set.
    EXPECT_EQ(ev("let a = { x = 1; }; in [ a a ]"), "[ { x = 1; } «repeated» ]");
}

TEST(Eval, Scoping) {
    Evaluator ev;
    EXPECT_EQ(ev("let a = 1; in with { a = 2; }; a"), "1");
    EXPECT_EQ(ev("with { a = 1; }; with { a = 2; }; a"), "2");
    EXPECT_EQ(ev("with { a = 1; }; with { b = 2; }; a + b"), "3");
    EXPECT_EQ(ev("rec { a = 1; b = a + 1; }.b"), "2");
    EXPECT_EQ(ev("let a = 1; in rec { inherit a; b = a; }"), "{ a = 1; b = 1; }");
    EXPECT_EQ(ev("with { }; nope"), "error: undefined variable 'nope'");
}

TEST(Eval, Functions) {
    Evaluator ev;
    EXPECT_EQ(ev("({ a, b ? a + 1, ... }@args: [ a b args.c ]) { a = 1; c = 3; }"), "[ 1 2 3 ]");
    EXPECT_EQ(ev("({ a }: a) { a = 1; zzz = 2; }"), "error: anonymous lambda called with unexpected argument 'zzz'");
    EXPECT_EQ(ev("let f = { abc }: abc; in f { abc = 1; abd = 1; }"),
              "error: 'f' called with unexpected argument 'abd'; did you mean 'abc'?");
    EXPECT_EQ(ev("let f = { a }: a; in f { }"), "error: 'f' called without required argument 'a'");
    EXPECT_EQ(ev("{ __functor = self: x: x + self.n; n = 1; } 2"), "3");
    EXPECT_EQ(ev("1 2"), "error: attempt to call something which is not a function but an integer");
}

// Calls with several arguments run `x: y: ...` without making the inner
// closure; whatever the body keeps must still see its arguments afterwards.
TEST(Eval, CurriedCalls) {
    Evaluator ev;
    EXPECT_EQ(ev("let f = a: b: c: [ a b c ]; in f 1 2 3"), "[ 1 2 3 ]");
    EXPECT_EQ(ev("let f = a: b: c: d: [ a d ]; g = f 1; in [ (g 2 3 4) (g 5 6 7) ]"), "[ [ 1 4 ] [ 1 7 ] ]");
    EXPECT_EQ(ev("let f = a: b: { x = a; y = b; }; in f 1 2"), "{ x = 1; y = 2; }");
    EXPECT_EQ(ev("let f = a: b: c: a + b + c; in map (g: g 3) [ (f 1 2) (f 10 20) ]"), "[ 6 33 ]");
    EXPECT_EQ(ev("let fs = builtins.foldl' (acc: x: acc ++ [ (y: x + y) ]) [ ] [ 1 2 3 ]; in map (f: f 10) fs"),
              "[ 11 12 13 ]");
    EXPECT_EQ(ev("let f = a: { b ? a }: b; in [ (f 1 { }) (f 1 { b = 2; }) ]"), "[ 1 2 ]");
    EXPECT_EQ(ev("let f = a: b: let c = a + b; in x: c + x; in (f 1 2) 3"), "6");
    EXPECT_EQ(ev("let f = a: b: with { inherit a; }; [ a b ]; in f 1 2"), "[ 1 2 ]");
    EXPECT_EQ(ev("let f = a: b: c: throw \"no\"; in f 1 2"), "<LAMBDA>");
}

// genList's elements hold their index in the value; a function taking it
// gets it on the stack, moved to the arena when the body keeps a reference.
TEST(Eval, GenListIndices) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.genList (x: x * 2) 3"), "[ 0 2 4 ]");
    EXPECT_EQ(ev("builtins.genList (x: [ x x ]) 2"), "[ [ 0 0 ] [ 1 1 ] ]");
    EXPECT_EQ(ev("builtins.genList (x: { inherit x; y = x + 1; }) 2"), "[ { x = 0; y = 1; } { x = 1; y = 2; } ]");
    EXPECT_EQ(ev("map (f: f 10) (builtins.genList (x: y: x + y) 3)"), "[ 10 11 12 ]");
    EXPECT_EQ(ev("map (f: f 10 20) (builtins.genList (x: a: b: x + a + b) 2)"), "[ 30 31 ]");
    EXPECT_EQ(ev("builtins.genList (x: let y = x; z = [ y ]; in z) 2"), "[ [ 0 ] [ 1 ] ]");
    EXPECT_EQ(ev("builtins.genList (x: with { }; x) 2"), "[ 0 1 ]");
    EXPECT_EQ(ev("builtins.genList (x: builtins.toString x) 2"), "[ \"0\" \"1\" ]");
    EXPECT_EQ(ev("builtins.genList (builtins.add 10) 2"), "[ 10 11 ]");
    EXPECT_EQ(ev("builtins.genList ({ a }: a) 1"), "error: value is an integer while a set was expected");
    EXPECT_EQ(ev("let l = builtins.genList (x: if x == 0 then 0 else builtins.elemAt l (x - 1) + x) 4; in l"),
              "[ 0 1 3 6 ]");
    EXPECT_EQ(ev("builtins.genList (x: x) 2", false), "[ <CODE> <CODE> ]");
}

TEST(Eval, Operators) {
    Evaluator ev;
    EXPECT_EQ(ev("[ (1 + 2 * 3) (7 / 2) (7.0 / 2) (1 - -1) (2 < 3) (\"a\" < \"b\") ([1] < [1 0]) ]"),
              "[ 7 3 3.5 2 true true true ]");
    EXPECT_EQ(ev("{ a = 1; } // { b = 2; } // { a = 3; }"), "{ a = 3; b = 2; }");
    EXPECT_EQ(ev("[ 1 ] ++ [ 2 ]"), "[ 1 2 ]");
    EXPECT_EQ(ev("{ a.b = 1; } ? a.b"), "true");
    EXPECT_EQ(ev("1 / 0"), "error: division by zero");
    EXPECT_EQ(ev("1 + \"a\""), "error: cannot add a string to an integer");
    EXPECT_EQ(ev("\"a\" + 1"), "error: cannot coerce an integer to a string");
    EXPECT_EQ(ev("1 < \"a\""), "error: cannot compare an integer with a string");
    EXPECT_EQ(ev("./a + \"/b\""), "/test/a/b");
}

TEST(Eval, InfiniteRecursionAndStackOverflow) {
    Evaluator ev;
    EXPECT_EQ(ev("let x = x; in x"), "error: infinite recursion encountered");
    EXPECT_EQ(ev("rec { a = b; b = a; }.a"), "error: infinite recursion encountered");
    EXPECT_EQ(ev("let f = x: f x + 1; in f 0"), "error: stack overflow (possible infinite recursion)");
    // Deep but finite recursion works.
    EXPECT_EQ(ev("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 20000"), "20000");
}

TEST(Eval, Assertions) {
    Evaluator ev;
    EXPECT_EQ(ev("assert 1 == 2; 1"), "error: assertion '(1 == 2)' failed");
    EXPECT_EQ(ev("assert true; 1"), "1");
}

TEST(Eval, MissingAttributeSuggestion) {
    Evaluator ev;
    EXPECT_EQ(ev("{ foo = 1; bar = 2; }.fob"), "error: attribute 'fob' missing; did you mean 'foo'?");
    EXPECT_EQ(ev("{ a = 1; }.zzzzzz"), "error: attribute 'zzzzzz' missing");
}

TEST(Eval, PrintingRepeated) {
    Evaluator ev;
    EXPECT_EQ(ev("let x = { a = x; }; in x"), "{ a = «repeated»; }");
    EXPECT_EQ(ev("let x = [ x ]; in x"), "[ [ «repeated» ] ]");
    EXPECT_EQ(ev("let l = [ 1 2 3 ]; in [ l l ]"), "[ [ 1 2 3 ] «repeated» ]");
    EXPECT_EQ(ev("[ { } { } [ ] [ ] ]"), "[ { } { } [ ] [ ] ]");
    EXPECT_EQ(ev("{ \"a b\" = 1; \"if\" = 2; x-y = 3; }"), "{ \"a b\" = 1; \"if\" = 2; x-y = 3; }");
}

TEST(Eval, CurPosAndSearchPath) {
    Evaluator ev;
    EXPECT_EQ(ev("__curPos"), "{ column = 1; file = \"«string»\"; line = 1; }");
    EXPECT_EQ(ev("<nope>"), "error: file 'nope' was not found in the search path (add it with -I or $CSTORE_PATH)");
    EvalOptions options;
    options.searchPath = {"tests=" + std::string(getenv("CSTORE_TEST_DATA") ?: "/tmp")};
    Evaluator withPath(options);
    EXPECT_EQ(withPath("builtins.pathExists <tests/eval>"), "true");
}

TEST(Eval, StringContextFlows) {
    Evaluator ev;
    EXPECT_EQ(ev("builtins.hasContext (builtins.toFile \"f\" \"x\")"), "true");
    EXPECT_EQ(ev("builtins.hasContext (builtins.substring 0 3 (builtins.toFile \"f\" \"x\"))"), "true");
    EXPECT_EQ(ev("builtins.hasContext (builtins.unsafeDiscardStringContext (builtins.toFile \"f\" \"x\"))"), "false");
    EXPECT_EQ(ev("builtins.hasContext (builtins.concatStringsSep \",\" [ \"a\" (builtins.toFile \"f\" \"x\") ])"),
              "true");
    EXPECT_EQ(ev("builtins.hasContext (builtins.replaceStrings [ \"a\" ] [ (builtins.toFile \"g\" \"y\") ] \"abc\")"),
              "true");
    EXPECT_EQ(ev("builtins.hasContext (builtins.replaceStrings [ \"q\" ] [ (builtins.toFile \"g\" \"y\") ] \"abc\")"),
              "false");
    EXPECT_EQ(ev("let p = (builtins.toFile \"f\" \"x\"); in builtins.hasContext (p + \"/bin\")"), "true");
}
