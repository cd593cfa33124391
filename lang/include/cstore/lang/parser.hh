// The parser: a hand-written recursive-descent parser with precedence
// climbing for operators (see lang/README.md for why not bison). It builds
// the AST in an arena and then runs scope resolution, so the result is ready
// to evaluate.
//
//   AstContext ctx;
//   StaticScope base = ...;                       // what the evaluator provides
//   Expr* e = parseExpr(ctx, {"«string»", "1 + 2", "/cwd"}, base);
//   // throws ParseError: message, and a position to render with renderSnippet
#pragma once

#include <string>

#include "cstore/lang/arena.hh"
#include "cstore/lang/ast.hh"
#include "cstore/lang/lexer.hh"
#include "cstore/lang/scope.hh"
#include "cstore/lang/source.hh"
#include "cstore/lang/symbol.hh"

namespace cstore::lang {

// What lives as long as the expressions: their nodes, names and source texts.
struct AstContext {
    Arena arena{1 << 20};
    SymbolTable symbols;
    PosTable positions;
    // Scratch space of the parser, kept so that parsing many small files
    // (imports) does not allocate it again for each.
    std::vector<Token> tokens;
    std::vector<Expr*> exprStack;
    std::vector<AttrDef> attrStack;
    std::string pathScratch;
};

struct ParseInput {
    std::string originName;  // file path, «string» or «stdin»
    std::string text;
    std::string basePath;  // directory relative paths are resolved against
};

struct ParseLimits {
    uint32_t maxNesting = 1000;     // brackets, parentheses, prefix operators, ...
    uint32_t maxTreeDepth = 20000;  // also counts long operator chains like a + b + c + ...
};

Expr* parseExpr(AstContext& ctx, ParseInput input, const StaticScope& scope, ParseLimits limits = {});

// The message of a ParseError with its position: "file:line:col: message".
std::string describeParseError(const PosTable& positions, const ParseError& e);

}  // namespace cstore::lang
