// The lexer: turns source text into tokens, following the token rules of the
// Nix expression language (longest match; `x:y` is a URI, `a/b` a path).
// Strings, indented strings and interpolated paths are lexed with a stack
// of modes, so `"a${ { b = "c"; }.b }d"` comes out as a flat token list.
//
//   std::vector<Token> toks = tokenize(text, symbols);   // throws ParseError
//   toks[0].kind == Tok::Id && symbols.name(toks[0].symbol) == "let"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cstore/lang/source.hh"
#include "cstore/lang/symbol.hh"

namespace cstore::lang {

enum class Tok : uint8_t {
    Eof,
    Id,
    Int,
    Float,
    Path,        // first segment of a path (relative or absolute); more parts follow until PathEnd
    HomePath,    // first segment of a `~/...` path
    PathEnd,     // end of a path
    SearchPath,  // <name/sub>; `text` holds what is between the brackets
    Uri,
    Str,     // literal part of a string or path; `text` is unescaped
    IndStr,  // literal part of an indented string; `escaped` for ''$ ''' ''\x
    DollarCurly,
    Quote,     // " opening or closing a string
    IndOpen,   // ''
    IndClose,  // ''
    If,
    Then,
    Else,
    Assert,
    With,
    Let,
    In,
    Rec,
    Inherit,
    OrKw,
    Ellipsis,
    Eq,
    NEq,
    Leq,
    Geq,
    And,
    Or,
    Impl,
    Update,
    Concat,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Semi,
    Colon,
    Comma,
    Dot,
    At,
    Question,
    Assign,
    Lt,
    Gt,
    Plus,
    Minus,
    Star,
    Slash,
    Not,
};

// What a token is called in "expected ..." messages.
const char* tokenName(Tok t);

struct Token {
    Tok kind = Tok::Eof;
    bool escaped = false;
    uint32_t start = 0, end = 0;  // byte offsets in the text
    int64_t intValue = 0;
    double floatValue = 0;
    Symbol symbol;     // Id
    std::string text;  // Str, IndStr, Path, HomePath, SearchPath, Uri
};

// A syntax error: the message says what was expected; `pos` is where.
class ParseError : public Error {
public:
    ParseError(PosIdx p, const std::string& msg) : Error(msg), at(p) {}
    PosIdx at;
};

// Tokenizes `text`, whose first byte has position `base`. Error positions are base-relative.
std::vector<Token> tokenize(std::string_view text, uint32_t base, SymbolTable& symbols);
// The same into `out` (cleared first), whose capacity is reused from one file to the next.
void tokenize(std::string_view text, uint32_t base, SymbolTable& symbols, std::vector<Token>& out);

}  // namespace cstore::lang
