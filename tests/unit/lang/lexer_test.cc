#include <gtest/gtest.h>

#include "cstore/lang/lexer.hh"

using namespace cstore::lang;

namespace {
std::vector<Tok> kinds(const std::string& text) {
    SymbolTable symbols;
    std::vector<Tok> out;
    for (auto& t : tokenize(text, 1, symbols)) out.push_back(t.kind);
    return out;
}
}  // namespace

TEST(Lexer, LongestMatch) {
    EXPECT_EQ(kinds("a/b"), (std::vector<Tok>{Tok::Path, Tok::PathEnd, Tok::Eof}));
    EXPECT_EQ(kinds("a / b"), (std::vector<Tok>{Tok::Id, Tok::Slash, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("a//b"), (std::vector<Tok>{Tok::Id, Tok::Update, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("x:x"), (std::vector<Tok>{Tok::Uri, Tok::Eof}));
    EXPECT_EQ(kinds("x: x"), (std::vector<Tok>{Tok::Id, Tok::Colon, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("a-b'"), (std::vector<Tok>{Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("iff if"), (std::vector<Tok>{Tok::Id, Tok::If, Tok::Eof}));
    EXPECT_EQ(kinds("1.5 1 .5"), (std::vector<Tok>{Tok::Float, Tok::Int, Tok::Float, Tok::Eof}));
    EXPECT_EQ(kinds("<a/b> a<b"), (std::vector<Tok>{Tok::SearchPath, Tok::Id, Tok::Lt, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("~/a ..."), (std::vector<Tok>{Tok::HomePath, Tok::PathEnd, Tok::Ellipsis, Tok::Eof}));
    EXPECT_EQ(kinds("a->b"), (std::vector<Tok>{Tok::Id, Tok::Gt, Tok::Id, Tok::Eof}));  // `a-` is an identifier
    EXPECT_EQ(kinds("a -> b"), (std::vector<Tok>{Tok::Id, Tok::Impl, Tok::Id, Tok::Eof}));
}

// Identifiers and integers have fast paths; the byte after them decides whether the longest-match rules run.
TEST(Lexer, IdentifiersAndIntegersNextToOtherRules) {
    EXPECT_EQ(kinds("a.b"), (std::vector<Tok>{Tok::Id, Tok::Dot, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("a+b"), (std::vector<Tok>{Tok::Id, Tok::Plus, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("a+b:c"), (std::vector<Tok>{Tok::Uri, Tok::Eof}));
    EXPECT_EQ(kinds("a_b:c"), (std::vector<Tok>{Tok::Id, Tok::Colon, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("a'/b"), (std::vector<Tok>{Tok::Id, Tok::Path, Tok::PathEnd, Tok::Eof}));
    EXPECT_EQ(kinds("a.b/c"), (std::vector<Tok>{Tok::Path, Tok::PathEnd, Tok::Eof}));
    EXPECT_EQ(kinds("a;b,c]"),
              (std::vector<Tok>{Tok::Id, Tok::Semi, Tok::Id, Tok::Comma, Tok::Id, Tok::RBracket, Tok::Eof}));
    EXPECT_EQ(kinds("12/3"), (std::vector<Tok>{Tok::Path, Tok::PathEnd, Tok::Eof}));
    EXPECT_EQ(kinds("1e5"), (std::vector<Tok>{Tok::Int, Tok::Id, Tok::Eof}));
    EXPECT_EQ(kinds("1.e5 01.5"), (std::vector<Tok>{Tok::Float, Tok::Int, Tok::Float, Tok::Eof}));
    EXPECT_EQ(kinds("1-2 1;"), (std::vector<Tok>{Tok::Int, Tok::Minus, Tok::Int, Tok::Int, Tok::Semi, Tok::Eof}));
    SymbolTable symbols;
    EXPECT_EQ(tokenize("9223372036854775807", 1, symbols)[0].intValue, INT64_MAX);
    EXPECT_THROW(tokenize("9223372036854775808", 1, symbols), ParseError);
}

TEST(Lexer, Strings) {
    SymbolTable symbols;
    auto toks = tokenize("\"a\\tb${x}c\"", 1, symbols);
    ASSERT_EQ(toks.size(), 8u);
    EXPECT_EQ(toks[1].text, "a\tb");
    EXPECT_EQ(toks[2].kind, Tok::DollarCurly);
    EXPECT_EQ(toks[4].kind, Tok::RBrace);
    EXPECT_EQ(toks[5].text, "c");
    auto ind = tokenize("''\n  a''$b'''c''\\td''", 1, symbols);
    EXPECT_EQ(ind[1].text, "  a");
    EXPECT_EQ(ind[2].text, "$");
    EXPECT_TRUE(ind[2].escaped);
    EXPECT_EQ(ind[4].text, "''");
    EXPECT_EQ(ind[6].text, "\t");
    EXPECT_EQ(ind.back().kind, Tok::Eof);
}

TEST(Lexer, NestedInterpolation) {
    EXPECT_EQ(
        kinds("\"${ { a = \"}\"; }.a }\""),
        (std::vector<Tok>{Tok::Quote, Tok::DollarCurly, Tok::LBrace, Tok::Id, Tok::Assign, Tok::Quote, Tok::Str,
                          Tok::Quote, Tok::Semi, Tok::RBrace, Tok::Dot, Tok::Id, Tok::RBrace, Tok::Quote, Tok::Eof}));
}

TEST(Lexer, Errors) {
    SymbolTable symbols;
    EXPECT_THROW(tokenize("\"abc", 1, symbols), ParseError);
    EXPECT_THROW(tokenize("''abc", 1, symbols), ParseError);
    EXPECT_THROW(tokenize("/* x", 1, symbols), ParseError);
    EXPECT_THROW(tokenize("`", 1, symbols), ParseError);
    EXPECT_THROW(tokenize("./a/", 1, symbols), ParseError);
}
