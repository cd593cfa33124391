#include <gtest/gtest.h>

#include "cstore/lang/parser.hh"

using namespace cstore::lang;

namespace {

// Free variables resolve to an enclosing `with`, so tests need no real builtins.
struct Parsed {
    AstContext ctx;
    StaticScope base;
    Parsed() { base.isWith = true; }
    std::string show(const std::string& text) {
        Expr* e = parseExpr(ctx, {"«string»", text, "/base/dir"}, base);
        return showExpr(ctx.symbols, e);
    }
    std::string error(const std::string& text, ParseLimits limits = {}) {
        try {
            parseExpr(ctx, {"«string»", text, "/base/dir"}, base, limits);
        } catch (const ParseError& e) {
            return describeParseError(ctx.positions, e);
        }
        return "no error";
    }
};

std::string show(const std::string& text) { return Parsed().show(text); }
std::string error(const std::string& text) { return Parsed().error(text); }

}  // namespace

TEST(Parser, Literals) {
    EXPECT_EQ(show("123"), "123");
    EXPECT_EQ(show("1.5"), "1.5");
    EXPECT_EQ(show(".5"), "0.5");
    EXPECT_EQ(show("1.5e3"), "1500");
    EXPECT_EQ(show("\"a\\nb\\$\\q\""), "\"a\\nb\\$q\"");
    EXPECT_EQ(show("\"$${x}\""), "\"\\$\\${x}\"");
    EXPECT_EQ(show("\"a${b}c\""), "(\"a\" ~ b ~ \"c\")");
    EXPECT_EQ(show("\"${b}\""), "(b)");
    EXPECT_EQ(show("http://x.org/a?b=c"), "\"http://x.org/a?b=c\"");
    EXPECT_EQ(show("x:x"), "\"x:x\"");
    EXPECT_EQ(show("__curPos"), "__curPos");
}

TEST(Parser, Paths) {
    EXPECT_EQ(show("./a/b"), "/base/dir/a/b");
    EXPECT_EQ(show("../a"), "/base/a");
    EXPECT_EQ(show("a/b"), "/base/dir/a/b");
    EXPECT_EQ(show("/x/./y/../z"), "/x/z");
    EXPECT_EQ(show("./."), "/base/dir");
    EXPECT_EQ(show("./a/${x}"), "(/base/dir/a/ + x)");
    EXPECT_EQ(show("./a${x}/b"), "(/base/dir/a + x + \"/b\")");
    EXPECT_EQ(show("<nixpkgs/lib>"), "(__findFile __nixPath \"nixpkgs/lib\")");
    EXPECT_EQ(show("a / b"), "(a / b)");
    EXPECT_NE(error("./a/"), "no error");
}

TEST(Parser, IndentedStrings) {
    EXPECT_EQ(show("''\n  a\n    b\n  ''"), "\"a\\n  b\\n\"");
    EXPECT_EQ(show("''\n  ''$x\n   '''y\n  ''"), "\"\\$x\\n ''y\\n\"");
    EXPECT_EQ(show("''a\n  b''"), "\"a\\n  b\"");
    EXPECT_EQ(show("''  \n  a\n   \n  b\n  ''"), "\"a\\n \\nb\\n\"");
    EXPECT_EQ(show("''\n    ${x}\n  b\n  ''"), "(\"  \" ~ x ~ \"\\nb\\n\")");
    EXPECT_EQ(show("''''"), "\"\"");
    EXPECT_EQ(show("''\n  a ''\\n b''"), "\"a \\nb\"");
}

TEST(Parser, Precedence) {
    EXPECT_EQ(show("a + b * c"), "(a + (b * c))");
    EXPECT_EQ(show("a - b - c"), "((a - b) - c)");
    EXPECT_EQ(show("a ++ b ++ c"), "(a ++ (b ++ c))");
    EXPECT_EQ(show("a // b // c"), "(a // (b // c))");
    EXPECT_EQ(show("a -> b -> c"), "(a -> (b -> c))");
    EXPECT_EQ(show("a || b && c"), "(a || (b && c))");
    EXPECT_EQ(show("a == b && c != d"), "((a == b) && (c != d))");
    EXPECT_EQ(show("a < b == c"), "((a < b) == c)");
    EXPECT_EQ(show("a <= b"), "(a <= b)");
    EXPECT_EQ(show("!a && b"), "((! a) && b)");
    EXPECT_EQ(show("!a + b"), "(! (a + b))");
    EXPECT_EQ(show("-a + b"), "((0 - a) + b)");
    EXPECT_EQ(show("- f x"), "(0 - (f x))");
    EXPECT_EQ(show("a ? b.c"), "((a) ? b.c)");
    EXPECT_EQ(show("a ++ b ? c"), "(a ++ ((b) ? c))");
    EXPECT_EQ(show("f x.y z"), "(f (x).y z)");
    EXPECT_EQ(show("a.b.c or d"), "(a).b.c or d");
    EXPECT_EQ(show("a.${b}.\"c\""), "(a).${b}.c");
    EXPECT_EQ(show("f -1"), "(f - 1)");
    EXPECT_EQ(show("a // b + c"), "(a // (b + c))");
    EXPECT_EQ(show("f or"), "(f or)");
    EXPECT_EQ(show("if a then b else c"), "(if a then b else c)");
}

TEST(Parser, Nonassociative) {
    EXPECT_NE(error("a == b == c"), "no error");
    EXPECT_NE(error("a < b < c"), "no error");
    EXPECT_NE(error("a ? b ? c"), "no error");
}

TEST(Parser, Functions) {
    EXPECT_EQ(show("x: y: x"), "(x: (y: x))");
    EXPECT_EQ(show("{ a, b ? 1, ... }: a"), "({ a, b ? 1, ... }: a)");
    EXPECT_EQ(show("{}: 1"), "({ }: 1)");
    EXPECT_EQ(show("args@{ a }: a"), "(args @ { a }: a)");
    EXPECT_EQ(show("{ a }@args: a"), "(args @ { a }: a)");
    EXPECT_EQ(show("{ ... }: 1"), "({ ... }: 1)");
    EXPECT_EQ(error("{ a, a }: a"), "«string»:1:6: duplicate formal function argument 'a'");
}

TEST(Parser, AttributeSets) {
    EXPECT_EQ(show("{ a = 1; }"), "{ a = 1; }");
    EXPECT_EQ(show("{}"), "{ }");
    EXPECT_EQ(show("{ a.b.c = 1; a.d = 2; }"), "{ a = { b = { c = 1; }; d = 2; }; }");
    EXPECT_EQ(show("{ ${x} = 1; \"y\" = 2; }"), "{ y = 2; ${x} = 1; }");
    EXPECT_EQ(show("{ inherit a; inherit (b) c; }"), "{ inherit a; c = (b).c; }");
    EXPECT_EQ(show("{ a = { x = 1; }; a.y = 2; }"), "{ a = { x = 1; y = 2; }; }");
    EXPECT_EQ(show("rec { a = 1; b = a; }"), "rec { a = 1; b = a; }");
    EXPECT_EQ(show("let { body = 1; }"), "(rec { body = 1; }).body");
    EXPECT_EQ(error("{ a = 1; a = 2; }"), "«string»:1:10: attribute 'a' already defined");
    EXPECT_EQ(error("{ a.b = 1; a = 2; }"), "«string»:1:12: attribute 'a' already defined");
    EXPECT_EQ(error("let ${x} = 1; in 1"), "«string»:1:5: dynamic attributes not allowed in let");
}

TEST(Parser, LetWithAssert) {
    EXPECT_EQ(show("let a = 1; in a"), "(let a = 1; in a)");
    EXPECT_EQ(show("with a; b"), "(with a; b)");
    EXPECT_EQ(show("assert a; b"), "(assert a; b)");
    EXPECT_EQ(show("[ 1 (f x) a.b ]"), "[ 1 (f x) (a).b ]");
}

TEST(Parser, Comments) {
    EXPECT_EQ(show("1 # x\n + /* y */ 2"), "(1 + 2)");
    EXPECT_NE(error("1 /* x"), "no error");
}

TEST(Parser, Errors) {
    EXPECT_EQ(error("1 +"), "«string»:1:4: unexpected end of input, expected an expression");
    EXPECT_EQ(error("(1"), "«string»:1:3: unexpected end of input, expected ')'");
    EXPECT_EQ(error("{ a = 1 }"), "«string»:1:9: unexpected '}', expected ';'");
    EXPECT_EQ(error("\"abc"), "«string»:1:2: unterminated string");
    EXPECT_EQ(error("1 $"), "«string»:1:3: unexpected character '$'");
    EXPECT_EQ(error("let a = 1; a"), "«string»:1:13: unexpected end of input, expected '='");
    EXPECT_EQ(error("99999999999999999999"), "«string»:1:1: invalid integer '99999999999999999999'");
}

TEST(Parser, DeepNestingIsAnError) {
    std::string deep(5000, '(');
    deep += "1" + std::string(5000, ')');
    EXPECT_NE(Parsed().error(deep).find("nested too deeply"), std::string::npos);
    std::string chain = "1";
    for (int i = 0; i < 30000; ++i) chain += " + 1";
    EXPECT_NE(Parsed().error(chain).find("nested too deeply"), std::string::npos);
    std::string lists(3000, '[');
    EXPECT_NE(Parsed().error(lists).find("nested too deeply"), std::string::npos);
}

TEST(Scope, ResolvesLevelsAndSlots) {
    AstContext ctx;
    StaticScope base;
    base.add(ctx.symbols.intern("true"), 0);
    base.sort();
    Expr* e = parseExpr(ctx, {"«string»", "let a = 1; b = 2; in x: b", "/"}, base);
    auto* let = static_cast<ExprLet*>(e);
    auto* lam = static_cast<ExprLambda*>(let->body);
    auto* v = static_cast<ExprVar*>(lam->body);
    EXPECT_FALSE(v->fromWith);
    EXPECT_EQ(v->level, 1u);
    EXPECT_EQ(v->slot, 1u);
    EXPECT_THROW(parseExpr(ctx, {"«string»", "let a = 1; in c", "/"}, base), ParseError);
    try {
        parseExpr(ctx, {"«string»", "let a = 1; in c", "/"}, base);
    } catch (const ParseError& err) {
        EXPECT_EQ(describeParseError(ctx.positions, err), "«string»:1:15: undefined variable 'c'");
    }
    Expr* w = parseExpr(ctx, {"«string»", "with {}; let a = 1; in c", "/"}, base);
    auto* inner = static_cast<ExprVar*>(static_cast<ExprLet*>(static_cast<ExprWith*>(w)->body)->body);
    EXPECT_TRUE(inner->fromWith);
    EXPECT_EQ(inner->level, 1u);
    // Lexical bindings win over `with`, however the two nest.
    Expr* w2 = parseExpr(ctx, {"«string»", "let c = 1; in with {}; c", "/"}, base);
    auto* v2 = static_cast<ExprVar*>(static_cast<ExprWith*>(static_cast<ExprLet*>(w2)->body)->body);
    EXPECT_FALSE(v2->fromWith);
    EXPECT_EQ(v2->level, 1u);
}

TEST(Diagnostics, Snippet) {
    PosTable positions;
    uint32_t base = positions.addOrigin("f.cbl", "let\n  x = y;\nin x");
    EXPECT_EQ(positions.resolve(PosIdx{base + 10}).toString(), "f.cbl:2:7");
    EXPECT_EQ(renderSnippet(positions, PosIdx{base + 10}, 2), "  2|   x = y;\n   |       ^\n");
}
