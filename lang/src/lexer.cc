// Hand-written lexer. Where two token rules could match, the longest match
// wins and, on equal length, the rule listed first in Nix's grammar (keywords,
// operators, identifiers, numbers, paths, <search paths>, URIs).
#include "cstore/lang/lexer.hh"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace cstore::lang {

const char* tokenName(Tok t) {
    switch (t) {
        case Tok::Eof:
            return "end of input";
        case Tok::Id:
            return "identifier";
        case Tok::Int:
            return "integer";
        case Tok::Float:
            return "float";
        case Tok::Path:
            return "path";
        case Tok::HomePath:
            return "path";
        case Tok::PathEnd:
            return "end of path";
        case Tok::SearchPath:
            return "<path>";
        case Tok::Uri:
            return "URI";
        case Tok::Str:
            return "string";
        case Tok::IndStr:
            return "string";
        case Tok::DollarCurly:
            return "'${'";
        case Tok::Quote:
            return "'\"'";
        case Tok::IndOpen:
            return "\"''\"";
        case Tok::IndClose:
            return "\"''\"";
        case Tok::If:
            return "'if'";
        case Tok::Then:
            return "'then'";
        case Tok::Else:
            return "'else'";
        case Tok::Assert:
            return "'assert'";
        case Tok::With:
            return "'with'";
        case Tok::Let:
            return "'let'";
        case Tok::In:
            return "'in'";
        case Tok::Rec:
            return "'rec'";
        case Tok::Inherit:
            return "'inherit'";
        case Tok::OrKw:
            return "'or'";
        case Tok::Ellipsis:
            return "'...'";
        case Tok::Eq:
            return "'=='";
        case Tok::NEq:
            return "'!='";
        case Tok::Leq:
            return "'<='";
        case Tok::Geq:
            return "'>='";
        case Tok::And:
            return "'&&'";
        case Tok::Or:
            return "'||'";
        case Tok::Impl:
            return "'->'";
        case Tok::Update:
            return "'//'";
        case Tok::Concat:
            return "'++'";
        case Tok::LBrace:
            return "'{'";
        case Tok::RBrace:
            return "'}'";
        case Tok::LBracket:
            return "'['";
        case Tok::RBracket:
            return "']'";
        case Tok::LParen:
            return "'('";
        case Tok::RParen:
            return "')'";
        case Tok::Semi:
            return "';'";
        case Tok::Colon:
            return "':'";
        case Tok::Comma:
            return "','";
        case Tok::Dot:
            return "'.'";
        case Tok::At:
            return "'@'";
        case Tok::Question:
            return "'?'";
        case Tok::Assign:
            return "'='";
        case Tok::Lt:
            return "'<'";
        case Tok::Gt:
            return "'>'";
        case Tok::Plus:
            return "'+'";
        case Tok::Minus:
            return "'-'";
        case Tok::Star:
            return "'*'";
        case Tok::Slash:
            return "'/'";
        case Tok::Not:
            return "'!'";
    }
    return "token";
}

namespace {

// Character classes, one table lookup each (the lexer tests every byte against several).
enum CharClass : uint8_t { alpha = 1, digit = 2, idChar = 4, pathChar = 8, uriChar = 16 };
constexpr auto charClasses = [] {
    std::array<uint8_t, 256> t{};
    auto add = [&](std::string_view chars, uint8_t cls) {
        for (char c : chars) t[static_cast<unsigned char>(c)] |= cls;
    };
    for (int c = 0; c < 256; ++c) {
        bool isAlpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'), isDigit = c >= '0' && c <= '9';
        if (isAlpha) t[c] |= alpha;
        if (isDigit) t[c] |= digit;
        if (isAlpha || isDigit) t[c] |= idChar | pathChar | uriChar;
    }
    add("_'-", idChar);
    add("._-+", pathChar);
    add("%/?:@&=+$,-_.!~*'", uriChar);
    return t;
}();
bool is(char c, uint8_t cls) { return charClasses[static_cast<unsigned char>(c)] & cls; }

bool isAlpha(char c) { return is(c, alpha); }
bool isDigit(char c) { return is(c, digit); }
bool isIdStart(char c) { return is(c, alpha) || c == '_'; }
bool isIdChar(char c) { return is(c, idChar); }
bool isPathChar(char c) { return is(c, pathChar); }
bool isUriChar(char c) { return is(c, uriChar); }

enum class Mode : uint8_t { Default, String, IndString, InPath, InPathSlash };

// The stack of modes is as deep as strings and interpolations nest, which
// is shallow: it lives in the lexer, and a vector takes only what is deeper
// (tokenizing many small files makes no allocation for it).
class ModeStack {
public:
    void push_back(Mode m) {
        if (size_ < inlineCap)
            inline_[size_] = m;
        else
            deeper_.push_back(m);
        ++size_;
    }
    void pop_back() {
        if (size_ > inlineCap) deeper_.pop_back();
        --size_;
    }
    Mode& back() { return size_ <= inlineCap ? inline_[size_ - 1] : deeper_.back(); }
    size_t size() const { return size_; }

private:
    static constexpr size_t inlineCap = 32;
    Mode inline_[inlineCap];
    std::vector<Mode> deeper_;
    size_t size_ = 0;
};

class Lexer {
public:
    Lexer(std::string_view text, uint32_t base, SymbolTable& symbols, std::vector<Token>& out)
        : s_(text), base_(base), symbols_(symbols), out_(out) {}

    void run() {
        out_.clear();
        out_.reserve(s_.size() / 4 + 16);  // recipes have about one token per four to eight bytes
        modes_.push_back(Mode::Default);
        while (true) {
            Mode m = modes_.back();
            bool more = m == Mode::Default     ? lexDefault()
                        : m == Mode::String    ? lexString()
                        : m == Mode::IndString ? lexIndString()
                                               : lexInPath();
            if (!more) break;
        }
    }

private:
    char at(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

    [[noreturn]] void fail(size_t offset, const std::string& msg) {
        throw ParseError(PosIdx{base_ + static_cast<uint32_t>(offset)}, msg);
    }

    Token& emit(Tok kind, size_t start, size_t end) {
        Token& t = out_.emplace_back();
        t.kind = kind;
        t.start = static_cast<uint32_t>(start);
        t.end = static_cast<uint32_t>(end);
        return t;
    }

    // Lengths of the regular token rules at position i (0 when they don't match).
    size_t matchId(size_t i) const {
        if (!isIdStart(at(i))) return 0;
        size_t j = i + 1;
        while (isIdChar(at(j))) ++j;
        return j - i;
    }
    size_t matchInt(size_t i) const {
        size_t j = i;
        while (isDigit(at(j))) ++j;
        return j - i;
    }
    // (([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?
    size_t matchFloat(size_t i) const {
        size_t j = i;
        if (at(j) >= '1' && at(j) <= '9') {
            while (isDigit(at(j))) ++j;
            if (at(j) != '.') return 0;
            ++j;
            while (isDigit(at(j))) ++j;
        } else {
            if (at(j) == '0') ++j;
            if (at(j) != '.' || !isDigit(at(j + 1))) return 0;
            ++j;
            while (isDigit(at(j))) ++j;
        }
        if (at(j) == 'e' || at(j) == 'E') {
            size_t k = j + 1;
            if (at(k) == '+' || at(k) == '-') ++k;
            if (isDigit(at(k))) {
                while (isDigit(at(k))) ++k;
                j = k;
            }
        }
        return j - i;
    }
    // {PATH_CHAR}*(\/{PATH_CHAR}+)+\/?
    size_t matchPath(size_t i) const {
        size_t j = i;
        while (isPathChar(at(j))) ++j;
        size_t segments = 0;
        while (at(j) == '/' && isPathChar(at(j + 1))) {
            ++j;
            while (isPathChar(at(j))) ++j;
            ++segments;
        }
        if (!segments) return 0;
        if (at(j) == '/') ++j;
        return j - i;
    }
    // {PATH_CHAR}*\/ followed by ${ (length without the ${)
    size_t matchPathSegDollar(size_t i) const {
        size_t j = i;
        while (isPathChar(at(j))) ++j;
        if (at(j) != '/' || at(j + 1) != '$' || at(j + 2) != '{') return 0;
        return j + 1 - i;
    }
    // \~(\/{PATH_CHAR}+)+\/?
    size_t matchHomePath(size_t i) const {
        if (at(i) != '~') return 0;
        size_t j = i + 1, segments = 0;
        while (at(j) == '/' && isPathChar(at(j + 1))) {
            ++j;
            while (isPathChar(at(j))) ++j;
            ++segments;
        }
        if (!segments) return 0;
        if (at(j) == '/') ++j;
        return j - i;
    }
    // \<{PATH_CHAR}+(\/{PATH_CHAR}+)*\>
    size_t matchSearchPath(size_t i) const {
        if (at(i) != '<' || !isPathChar(at(i + 1))) return 0;
        size_t j = i + 1;
        while (isPathChar(at(j))) ++j;
        while (at(j) == '/' && isPathChar(at(j + 1))) {
            ++j;
            while (isPathChar(at(j))) ++j;
        }
        return at(j) == '>' ? j + 1 - i : 0;
    }
    // [a-zA-Z][a-zA-Z0-9\+\-\.]*\:{URI_CHAR}+
    size_t matchUri(size_t i) const {
        if (!isAlpha(at(i))) return 0;
        size_t j = i + 1;
        while (isAlpha(at(j)) || isDigit(at(j)) || at(j) == '+' || at(j) == '-' || at(j) == '.') ++j;
        if (at(j) != ':' || !isUriChar(at(j + 1))) return 0;
        ++j;
        while (isUriChar(at(j))) ++j;
        return j - i;
    }

    bool emitId(size_t start, size_t end) {
        std::string_view w = s_.substr(start, end - start);
        Tok k = keyword(w);
        Token& t = emit(k, start, end);
        if (k == Tok::Id) t.symbol = symbols_.intern(w);
        pos_ = end;
        return true;
    }
    bool emitInt(size_t start, size_t end) {
        int64_t v = 0;
        if (std::from_chars(s_.data() + start, s_.data() + end, v).ec != std::errc())
            fail(start, "invalid integer '" + std::string(s_.substr(start, end - start)) + "'");
        emit(Tok::Int, start, end).intValue = v;
        pos_ = end;
        return true;
    }

    static Tok keyword(std::string_view w) {
        switch (w.size()) {
            case 2:
                if (w == "if") return Tok::If;
                if (w == "in") return Tok::In;
                if (w == "or") return Tok::OrKw;
                break;
            case 3:
                if (w == "let") return Tok::Let;
                if (w == "rec") return Tok::Rec;
                break;
            case 4:
                if (w == "then") return Tok::Then;
                if (w == "else") return Tok::Else;
                if (w == "with") return Tok::With;
                break;
            case 6:
                if (w == "assert") return Tok::Assert;
                break;
            case 7:
                if (w == "inherit") return Tok::Inherit;
                break;
        }
        return Tok::Id;
    }

    bool skipSpaceAndComments() {
        while (pos_ < s_.size()) {
            char c = s_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++pos_;
            } else if (c == '#') {
                while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
            } else if (c == '/' && at(pos_ + 1) == '*') {
                size_t end = s_.find("*/", pos_ + 2);
                if (end == std::string_view::npos) fail(pos_, "unterminated comment");
                pos_ = end + 2;
            } else {
                return true;
            }
        }
        return false;
    }

    bool lexDefault() {
        if (!skipSpaceAndComments()) {
            emit(Tok::Eof, s_.size(), s_.size());
            return false;
        }
        size_t i = pos_;
        char c = s_[i];

        // Fast paths for the most common tokens. An identifier is the longest
        // match unless the byte after it can continue a path or a URI ('.',
        // '+', '/', ':'); an integer unless a path character or '/' follows
        // (a float needs a '.'). Otherwise the rules below decide.
        if (isIdStart(c)) {
            size_t j = i + 1;
            while (isIdChar(at(j))) ++j;
            char n = at(j);
            if (n != '.' && n != '+' && n != '/' && n != ':') return emitId(i, j);
            // `lib.x`, `a+b`: a path needs a '/' and a URI a ':' right after the
            // run of path characters (a URI's scheme characters are path
            // characters), so without either the identifier is the longest match.
            if (n != '/' && n != ':') {
                size_t k = j + 1;
                while (isPathChar(at(k))) ++k;
                if (at(k) != '/' && at(k) != ':') return emitId(i, j);
            }
        } else if (isDigit(c)) {
            size_t j = i + 1;
            while (isDigit(at(j))) ++j;
            if (!isPathChar(at(j)) && at(j) != '/') return emitInt(i, j);
        }

        // Fixed tokens first; the regular rules below may still win by length.
        Tok fixed = Tok::Eof;
        size_t fixedLen = 0;
        auto two = [&](char a, char b) { return c == a && at(i + 1) == b; };
        if (c == '.' && at(i + 1) == '.' && at(i + 2) == '.')
            fixed = Tok::Ellipsis, fixedLen = 3;
        else if (two('=', '='))
            fixed = Tok::Eq, fixedLen = 2;
        else if (two('!', '='))
            fixed = Tok::NEq, fixedLen = 2;
        else if (two('<', '='))
            fixed = Tok::Leq, fixedLen = 2;
        else if (two('>', '='))
            fixed = Tok::Geq, fixedLen = 2;
        else if (two('&', '&'))
            fixed = Tok::And, fixedLen = 2;
        else if (two('|', '|'))
            fixed = Tok::Or, fixedLen = 2;
        else if (two('-', '>'))
            fixed = Tok::Impl, fixedLen = 2;
        else if (two('/', '/'))
            fixed = Tok::Update, fixedLen = 2;
        else if (two('+', '+'))
            fixed = Tok::Concat, fixedLen = 2;

        // Every regular rule starts with a path character, '/', '~' or '<'; punctuation goes straight to the switch.
        bool regular = isPathChar(c) || c == '/' || c == '~' || c == '<';
        if (!regular && fixedLen) {
            emit(fixed, i, i + fixedLen);
            pos_ = i + fixedLen;
            return true;
        }
        if (!regular) return lexPunctuation(i, c);

        size_t idLen = matchId(i), intLen = matchInt(i), floatLen = matchFloat(i);
        size_t segLen = matchPathSegDollar(i);
        size_t homeSegLen = (c == '~' && at(i + 1) == '/' && at(i + 2) == '$' && at(i + 3) == '{') ? 2 : 0;
        size_t pathLen = matchPath(i), homeLen = matchHomePath(i), spathLen = matchSearchPath(i);
        size_t uriLen = matchUri(i);

        size_t best = fixedLen;
        enum class Rule { Fixed, Id, Int, Float, Seg, HomeSeg, Path, Home, SPath, Uri } rule = Rule::Fixed;
        auto consider = [&](size_t len, Rule r) {
            if (len > best) best = len, rule = r;
        };
        consider(idLen, Rule::Id);
        consider(intLen, Rule::Int);
        consider(floatLen, Rule::Float);
        consider(segLen ? segLen + 2 : 0, Rule::Seg);
        consider(homeSegLen ? 4 : 0, Rule::HomeSeg);
        consider(pathLen, Rule::Path);
        consider(homeLen, Rule::Home);
        consider(spathLen, Rule::SPath);
        consider(uriLen, Rule::Uri);

        if (best > 0) {
            switch (rule) {
                case Rule::Fixed:
                    emit(fixed, i, i + best);
                    pos_ = i + best;
                    return true;
                case Rule::Id:
                    return emitId(i, i + best);
                case Rule::Int:
                    return emitInt(i, i + best);
                case Rule::Float: {
                    std::string text(s_.substr(i, best));
                    errno = 0;
                    double v = std::strtod(text.c_str(), nullptr);
                    if (errno == ERANGE && (v > 1 || v < -1)) fail(i, "invalid float '" + text + "'");
                    emit(Tok::Float, i, i + best).floatValue = v;
                    pos_ = i + best;
                    return true;
                }
                case Rule::Seg:
                case Rule::Path:
                case Rule::HomeSeg:
                case Rule::Home: {
                    size_t len = rule == Rule::Seg ? segLen : rule == Rule::HomeSeg ? 2 : best;
                    bool home = rule == Rule::HomeSeg || rule == Rule::Home;
                    Token& t = emit(home ? Tok::HomePath : Tok::Path, i, i + len);
                    t.text = std::string(s_.substr(i, len));
                    pos_ = i + len;
                    modes_.push_back(t.text.back() == '/' ? Mode::InPathSlash : Mode::InPath);
                    return true;
                }
                case Rule::SPath: {
                    Token& t = emit(Tok::SearchPath, i, i + best);
                    t.text = std::string(s_.substr(i + 1, best - 2));
                    pos_ = i + best;
                    return true;
                }
                case Rule::Uri: {
                    Token& t = emit(Tok::Uri, i, i + best);
                    t.text = std::string(s_.substr(i, best));
                    pos_ = i + best;
                    return true;
                }
            }
        }

        return lexPunctuation(i, c);
    }

    // A one-character token (or '${', "''").
    bool lexPunctuation(size_t i, char c) {
        pos_ = i + 1;
        switch (c) {
            case '$':
                if (at(i + 1) == '{') {
                    emit(Tok::DollarCurly, i, i + 2);
                    pos_ = i + 2;
                    modes_.push_back(Mode::Default);
                    return true;
                }
                break;
            case '{':
                emit(Tok::LBrace, i, i + 1);
                modes_.push_back(Mode::Default);
                return true;
            case '}':
                emit(Tok::RBrace, i, i + 1);
                if (modes_.size() > 1) modes_.pop_back();
                return true;
            case '"':
                emit(Tok::Quote, i, i + 1);
                modes_.push_back(Mode::String);
                return true;
            case '\'':
                if (at(i + 1) == '\'') {
                    size_t j = i + 2;
                    while (at(j) == ' ') ++j;
                    // The rest of the opening line is dropped when it is blank.
                    pos_ = at(j) == '\n' ? j + 1 : i + 2;
                    emit(Tok::IndOpen, i, i + 2);
                    modes_.push_back(Mode::IndString);
                    return true;
                }
                break;
            case '[':
                emit(Tok::LBracket, i, i + 1);
                return true;
            case ']':
                emit(Tok::RBracket, i, i + 1);
                return true;
            case '(':
                emit(Tok::LParen, i, i + 1);
                return true;
            case ')':
                emit(Tok::RParen, i, i + 1);
                return true;
            case ';':
                emit(Tok::Semi, i, i + 1);
                return true;
            case ':':
                emit(Tok::Colon, i, i + 1);
                return true;
            case ',':
                emit(Tok::Comma, i, i + 1);
                return true;
            case '.':
                emit(Tok::Dot, i, i + 1);
                return true;
            case '@':
                emit(Tok::At, i, i + 1);
                return true;
            case '?':
                emit(Tok::Question, i, i + 1);
                return true;
            case '=':
                emit(Tok::Assign, i, i + 1);
                return true;
            case '<':
                emit(Tok::Lt, i, i + 1);
                return true;
            case '>':
                emit(Tok::Gt, i, i + 1);
                return true;
            case '+':
                emit(Tok::Plus, i, i + 1);
                return true;
            case '-':
                emit(Tok::Minus, i, i + 1);
                return true;
            case '*':
                emit(Tok::Star, i, i + 1);
                return true;
            case '/':
                emit(Tok::Slash, i, i + 1);
                return true;
            case '!':
                emit(Tok::Not, i, i + 1);
                return true;
        }
        unsigned char uc = static_cast<unsigned char>(c);
        if (uc >= 0x20 && uc < 0x7f) fail(i, std::string("unexpected character '") + c + "'");
        char hex[8];
        snprintf(hex, sizeof hex, "0x%02x", uc);
        fail(i, std::string("unexpected byte ") + hex);
    }

    static char unescape(char c) { return c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c; }

    bool lexString() {
        size_t start = pos_;
        std::string text;
        auto flush = [&](size_t end) {
            if (end > start) emit(Tok::Str, start, end).text = std::move(text);
            text.clear();
        };
        while (true) {
            if (pos_ >= s_.size()) fail(start, "unterminated string");
            char c = s_[pos_];
            if (c == '"') {
                flush(pos_);
                emit(Tok::Quote, pos_, pos_ + 1);
                ++pos_;
                modes_.pop_back();
                return true;
            }
            if (c == '\\') {
                if (pos_ + 1 >= s_.size()) fail(start, "unterminated string");
                text += unescape(s_[pos_ + 1]);
                pos_ += 2;
            } else if (c == '$') {
                char n = at(pos_ + 1);
                if (n == '{') {
                    flush(pos_);
                    emit(Tok::DollarCurly, pos_, pos_ + 2);
                    pos_ += 2;
                    modes_.push_back(Mode::Default);
                    return true;
                }
                text += '$';
                // `$$` is one unit, so that `$${` stays literal.
                if (n == '$') {
                    text += '$';
                    pos_ += 2;
                } else {
                    ++pos_;
                }
            } else if (c == '\r') {
                // CR and CR LF become LF, as in Nix.
                text += '\n';
                pos_ += at(pos_ + 1) == '\n' ? 2 : 1;
            } else {
                text += c;
                ++pos_;
            }
        }
    }

    bool lexIndString() {
        size_t start = pos_;
        std::string text;
        auto flush = [&](size_t end) {
            if (end > start) emit(Tok::IndStr, start, end).text = std::move(text);
            text.clear();
        };
        while (true) {
            if (pos_ >= s_.size()) fail(start, "unterminated indented string");
            char c = s_[pos_];
            if (c == '\'' && at(pos_ + 1) == '\'') {
                char n = at(pos_ + 2);
                if (n == '$' || n == '\'' || n == '\\') {
                    flush(pos_);
                    std::string lit;
                    size_t len = 3;
                    if (n == '$') {
                        lit = "$";
                    } else if (n == '\'') {
                        lit = "''";
                    } else {
                        if (pos_ + 3 >= s_.size()) fail(pos_, "unterminated indented string");
                        lit = std::string(1, unescape(s_[pos_ + 3]));
                        len = 4;
                    }
                    Token& t = emit(Tok::IndStr, pos_, pos_ + len);
                    t.text = std::move(lit);
                    t.escaped = true;
                    pos_ += len;
                    start = pos_;
                    continue;
                }
                flush(pos_);
                emit(Tok::IndClose, pos_, pos_ + 2);
                pos_ += 2;
                modes_.pop_back();
                return true;
            }
            if (c == '$' && at(pos_ + 1) == '{') {
                flush(pos_);
                emit(Tok::DollarCurly, pos_, pos_ + 2);
                pos_ += 2;
                modes_.push_back(Mode::Default);
                return true;
            }
            text += c;
            ++pos_;
        }
    }

    bool lexInPath() {
        size_t i = pos_;
        if (at(i) == '$' && at(i + 1) == '{') {
            emit(Tok::DollarCurly, i, i + 2);
            pos_ = i + 2;
            modes_.back() = Mode::InPath;
            modes_.push_back(Mode::Default);
            return true;
        }
        size_t len = matchPath(i);
        size_t seg = i;
        while (isPathChar(at(seg))) ++seg;
        size_t charsLen = seg - i;
        size_t segLen = at(seg) == '/' ? charsLen + 1 : 0;
        if (segLen > len) len = segLen;
        if (charsLen > len) len = charsLen;
        if (len > 0) {
            Token& t = emit(Tok::Str, i, i + len);
            t.text = std::string(s_.substr(i, len));
            pos_ = i + len;
            modes_.back() = t.text.back() == '/' ? Mode::InPathSlash : Mode::InPath;
            return true;
        }
        if (modes_.back() == Mode::InPathSlash) fail(i, "path has a trailing slash");
        emit(Tok::PathEnd, i, i);
        modes_.pop_back();
        return true;
    }

    std::string_view s_;
    uint32_t base_;
    SymbolTable& symbols_;
    size_t pos_ = 0;
    ModeStack modes_;
    std::vector<Token>& out_;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text, uint32_t base, SymbolTable& symbols) {
    std::vector<Token> out;
    Lexer(text, base, symbols, out).run();
    return out;
}

void tokenize(std::string_view text, uint32_t base, SymbolTable& symbols, std::vector<Token>& out) {
    Lexer(text, base, symbols, out).run();
}

}  // namespace cstore::lang
