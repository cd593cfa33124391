// Recursive descent for the structure, precedence climbing for operators.
// Operator levels, lowest first, as in Nix:
//   ->  (right)   ||  &&  (left)   == !=  (none)   < > <= >=  (none)
//   //  (right)   !  (prefix)   + -  (left)   * /  (left)   ++  (right)
//   ?  (none)   unary -   application   .  (select)
#include "cstore/lang/parser.hh"

#include <cstdlib>
#include <unordered_map>

#include "cstore/util/file.hh"
#include "strings.hh"

namespace cstore::lang {

namespace {

constexpr int precNot = 7;
constexpr int precNegate = 12;

int binaryPrec(Tok t) {
    switch (t) {
        case Tok::Impl:
            return 1;
        case Tok::Or:
            return 2;
        case Tok::And:
            return 3;
        case Tok::Eq:
        case Tok::NEq:
            return 4;
        case Tok::Lt:
        case Tok::Gt:
        case Tok::Leq:
        case Tok::Geq:
            return 5;
        case Tok::Update:
            return 6;
        case Tok::Plus:
        case Tok::Minus:
            return 8;
        case Tok::Star:
        case Tok::Slash:
            return 9;
        case Tok::Concat:
            return 10;
        case Tok::Question:
            return 11;
        default:
            return 0;
    }
}
bool rightAssoc(int prec) { return prec == 1 || prec == 6 || prec == 10; }
bool nonAssoc(int prec) { return prec == 4 || prec == 5 || prec == 11; }

class Parser {
public:
    Parser(AstContext& ctx, const ParseInput& in, uint32_t base, ParseLimits limits)
        : ctx_(ctx), base_(base), basePath_(in.basePath), limits_(limits) {}

    Expr* parseTop(std::string_view text) {
        toks_ = tokenize(text, base_, ctx_.symbols);
        Expr* e = parseExpr();
        if (cur().kind != Tok::Eof) unexpected("end of input");
        return e;
    }

private:
    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser, uint32_t extra = 0) : p(parser) {
            if (++p.nesting_ > p.limits_.maxNesting || p.nesting_ + extra > p.limits_.maxTreeDepth)
                throw ParseError(p.posOf(p.cur()), "expression nested too deeply");
        }
        ~DepthGuard() { --p.nesting_; }
    };

    const Token& cur() const { return toks_[idx_]; }
    const Token& peek(size_t n) const { return toks_[std::min(idx_ + n, toks_.size() - 1)]; }
    PosIdx posOf(const Token& t) const { return PosIdx{base_ + t.start}; }
    const Token& advance() { return toks_[idx_ < toks_.size() - 1 ? idx_++ : idx_]; }

    [[noreturn]] void unexpected(const std::string& expected) {
        const Token& t = cur();
        std::string what = tokenName(t.kind);
        if (t.kind == Tok::Id) what = "'" + std::string(ctx_.symbols.name(t.symbol)) + "'";
        throw ParseError(posOf(t), "unexpected " + what + ", expected " + expected);
    }
    const Token& expect(Tok kind, const char* expected = nullptr) {
        if (cur().kind != kind) unexpected(expected ? expected : tokenName(kind));
        return advance();
    }

    template <typename T, typename... Args>
    T* make(Args&&... args) {
        return ctx_.arena.make<T>(std::forward<Args>(args)...);
    }

    Expr* var(PosIdx pos, std::string_view name) { return make<ExprVar>(pos, ctx_.symbols.intern(name)); }

    // expr_function: lambdas, assert, with, let ... in, or an if-expression.
    Expr* parseExpr() {
        DepthGuard guard(*this);
        const Token& t = cur();
        PosIdx pos = posOf(t);
        switch (t.kind) {
            case Tok::Id:
                if (peek(1).kind == Tok::Colon) {
                    auto* lam = make<ExprLambda>(pos);
                    lam->arg = t.symbol;
                    advance();
                    advance();
                    lam->body = parseExpr();
                    return lam;
                }
                if (peek(1).kind == Tok::At) {
                    auto* lam = make<ExprLambda>(pos);
                    lam->arg = t.symbol;
                    advance();
                    advance();
                    parseFormals(*lam);
                    expect(Tok::Colon);
                    lam->body = parseExpr();
                    return lam;
                }
                break;
            case Tok::LBrace:
                if (looksLikeFormals()) {
                    auto* lam = make<ExprLambda>(pos);
                    parseFormals(*lam);
                    if (cur().kind == Tok::At) {
                        advance();
                        lam->arg = expect(Tok::Id, "an identifier").symbol;
                    }
                    expect(Tok::Colon);
                    lam->body = parseExpr();
                    return lam;
                }
                break;
            case Tok::Assert: {
                advance();
                Expr* cond = parseExpr();
                expect(Tok::Semi);
                return make<ExprAssert>(pos, cond, parseExpr());
            }
            case Tok::With: {
                advance();
                Expr* attrs = parseExpr();
                expect(Tok::Semi);
                return make<ExprWith>(pos, attrs, parseExpr());
            }
            case Tok::Let:
                if (peek(1).kind != Tok::LBrace) {
                    advance();
                    auto* attrs = make<ExprAttrs>(pos);
                    parseBinds(*attrs, Tok::In, true);
                    return make<ExprLet>(pos, attrs, parseExpr());
                }
                break;
            case Tok::If: {
                advance();
                Expr* cond = parseExpr();
                expect(Tok::Then);
                Expr* then = parseExpr();
                expect(Tok::Else);
                return make<ExprIf>(pos, cond, then, parseExpr());
            }
            default:
                break;
        }
        return parseOp(1);
    }

    bool looksLikeFormals() const {
        const Token& t1 = peek(1);
        const Token& t2 = peek(2);
        if (t1.kind == Tok::RBrace) return t2.kind == Tok::Colon || t2.kind == Tok::At;
        if (t1.kind == Tok::Ellipsis) return true;
        if (t1.kind == Tok::Id)
            return t2.kind == Tok::Comma || t2.kind == Tok::Question ||
                   (t2.kind == Tok::RBrace && (peek(3).kind == Tok::Colon || peek(3).kind == Tok::At));
        return false;
    }

    void parseFormals(ExprLambda& lam) {
        expect(Tok::LBrace);
        lam.hasFormals = true;
        while (cur().kind != Tok::RBrace) {
            if (cur().kind == Tok::Ellipsis) {
                advance();
                lam.ellipsis = true;
                if (cur().kind != Tok::RBrace) unexpected("'}'");
                break;
            }
            const Token& name = expect(Tok::Id, "an identifier or '...'");
            Formal f{name.symbol, posOf(name), nullptr};
            if (cur().kind == Tok::Question) {
                advance();
                f.def = parseExpr();
            }
            for (auto& other : lam.formals)
                if (other.name == f.name)
                    throw ParseError(
                        f.pos, "duplicate formal function argument '" + std::string(ctx_.symbols.name(f.name)) + "'");
            lam.formals.push_back(f);
            if (cur().kind == Tok::Comma)
                advance();
            else if (cur().kind != Tok::RBrace)
                unexpected("',' or '}'");
        }
        advance();
        std::sort(lam.formals.begin(), lam.formals.end(),
                  [](const Formal& a, const Formal& b) { return a.name < b.name; });
    }

    Expr* parseOp(int minPrec) {
        DepthGuard guard(*this);
        Expr* lhs = parseUnary();
        uint32_t chain = 0;
        while (true) {
            const Token& t = cur();
            int prec = binaryPrec(t.kind);
            if (prec == 0 || prec < minPrec) return lhs;
            if (++chain + nesting_ > limits_.maxTreeDepth) throw ParseError(posOf(t), "expression nested too deeply");
            PosIdx pos = posOf(t);
            Tok op = t.kind;
            advance();
            if (op == Tok::Question) {
                lhs = make<ExprHasAttr>(pos, lhs, parseAttrPath());
            } else {
                Expr* rhs = parseOp(rightAssoc(prec) ? prec : prec + 1);
                lhs = binary(op, pos, lhs, rhs);
            }
            if (nonAssoc(prec) && binaryPrec(cur().kind) == prec) unexpected("an operator of different precedence");
        }
    }

    Expr* binary(Tok op, PosIdx pos, Expr* l, Expr* r) {
        switch (op) {
            case Tok::Impl:
                return make<ExprBinary>(ExprKind::Impl, pos, l, r);
            case Tok::Or:
                return make<ExprBinary>(ExprKind::Or, pos, l, r);
            case Tok::And:
                return make<ExprBinary>(ExprKind::And, pos, l, r);
            case Tok::Eq:
                return make<ExprBinary>(ExprKind::Eq, pos, l, r);
            case Tok::NEq:
                return make<ExprBinary>(ExprKind::NEq, pos, l, r);
            case Tok::Lt:
                return make<ExprLess>(pos, l, r, false, false);
            case Tok::Gt:
                return make<ExprLess>(pos, l, r, true, false);
            case Tok::Leq:
                return make<ExprLess>(pos, l, r, true, true);
            case Tok::Geq:
                return make<ExprLess>(pos, l, r, false, true);
            case Tok::Update:
                return make<ExprBinary>(ExprKind::Update, pos, l, r);
            case Tok::Plus:
                return make<ExprConcatStrings>(pos, false, std::vector<Expr*>{l, r});
            case Tok::Minus:
                return make<ExprBinary>(ExprKind::Sub, pos, l, r);
            case Tok::Star:
                return make<ExprBinary>(ExprKind::Mul, pos, l, r);
            case Tok::Slash:
                return make<ExprBinary>(ExprKind::Div, pos, l, r);
            case Tok::Concat:
                return make<ExprBinary>(ExprKind::ConcatLists, pos, l, r);
            default:
                unexpected("an operator");
        }
    }

    Expr* parseUnary() {
        const Token& t = cur();
        PosIdx pos = posOf(t);
        if (t.kind == Tok::Not) {
            DepthGuard guard(*this);
            advance();
            return make<ExprNot>(pos, parseOp(precNot + 1));
        }
        if (t.kind == Tok::Minus) {
            DepthGuard guard(*this);
            advance();
            // Negation is `0 - e`, so it fails and promotes exactly like subtraction.
            Expr* operand = parseOp(precNegate);
            return make<ExprBinary>(ExprKind::Sub, pos, make<ExprInt>(pos, 0), operand);
        }
        return parseApp();
    }

    bool startsSimple(const Token& t) const {
        switch (t.kind) {
            case Tok::Id:
            case Tok::Int:
            case Tok::Float:
            case Tok::Quote:
            case Tok::IndOpen:
            case Tok::Path:
            case Tok::HomePath:
            case Tok::SearchPath:
            case Tok::Uri:
            case Tok::LParen:
            case Tok::LBrace:
            case Tok::LBracket:
            case Tok::Rec:
                return true;
            case Tok::Let:
                return peek(1).kind == Tok::LBrace;
            default:
                return false;
        }
    }

    Expr* parseApp() {
        PosIdx pos = posOf(cur());
        Expr* fn = parseSelect();
        if (!startsSimple(cur())) return fn;
        std::vector<Expr*> args;
        while (startsSimple(cur())) args.push_back(parseSelect());
        return make<ExprCall>(pos, fn, std::move(args));
    }

    Expr* parseSelect() {
        PosIdx pos = posOf(cur());
        Expr* e = parseSimple();
        if (cur().kind == Tok::Dot) {
            advance();
            std::vector<AttrName> path = parseAttrPath();
            Expr* fallback = nullptr;
            if (cur().kind == Tok::OrKw) {
                DepthGuard guard(*this);
                advance();
                fallback = parseSelect();
            }
            return make<ExprSelect>(pos, e, std::move(path), fallback);
        }
        if (cur().kind == Tok::OrKw) {
            // `f or`: the legacy reading of `or` as an ordinary argument.
            PosIdx orPos = posOf(cur());
            advance();
            return make<ExprCall>(pos, e, std::vector<Expr*>{var(orPos, "or")});
        }
        return e;
    }

    std::vector<AttrName> parseAttrPath() {
        std::vector<AttrName> path;
        path.push_back(parseAttrName());
        while (cur().kind == Tok::Dot) {
            advance();
            path.push_back(parseAttrName());
        }
        return path;
    }

    AttrName parseAttrName() {
        const Token& t = cur();
        switch (t.kind) {
            case Tok::Id:
                advance();
                return {t.symbol, nullptr};
            case Tok::OrKw:
                advance();
                return {ctx_.symbols.intern("or"), nullptr};
            case Tok::Quote: {
                Expr* s = parseString();
                if (s->kind == ExprKind::String)
                    return {ctx_.symbols.intern(static_cast<ExprString*>(s)->value), nullptr};
                return {Symbol{}, s};
            }
            case Tok::DollarCurly: {
                advance();
                Expr* e = parseExpr();
                expect(Tok::RBrace);
                return {Symbol{}, e};
            }
            default:
                unexpected("an attribute name");
        }
    }

    Expr* parseSimple() {
        const Token& t = cur();
        PosIdx pos = posOf(t);
        switch (t.kind) {
            case Tok::Id: {
                advance();
                if (ctx_.symbols.name(t.symbol) == "__curPos") return make<ExprCurPos>(pos);
                return make<ExprVar>(pos, t.symbol);
            }
            case Tok::Int:
                advance();
                return make<ExprInt>(pos, t.intValue);
            case Tok::Float:
                advance();
                return make<ExprFloat>(pos, t.floatValue);
            case Tok::Quote:
                return parseString();
            case Tok::IndOpen:
                return parseIndString();
            case Tok::Path:
            case Tok::HomePath:
                return parsePath();
            case Tok::SearchPath: {
                advance();
                // <name> looks itself up through the variables __findFile and __nixPath, as in Nix.
                return make<ExprCall>(pos, var(pos, "__findFile"),
                                      std::vector<Expr*>{var(pos, "__nixPath"), make<ExprString>(pos, t.text)});
            }
            case Tok::Uri:
                advance();
                return make<ExprString>(pos, t.text);
            case Tok::LParen: {
                advance();
                Expr* e = parseExpr();
                expect(Tok::RParen);
                return e;
            }
            case Tok::Let: {
                // let { ...; body = ...; }: the legacy form, a rec set's `body`.
                advance();
                advance();
                auto* attrs = make<ExprAttrs>(pos);
                attrs->recursive = true;
                parseBinds(*attrs, Tok::RBrace, false);
                return make<ExprSelect>(pos, attrs, std::vector<AttrName>{{ctx_.symbols.intern("body"), nullptr}},
                                        nullptr);
            }
            case Tok::Rec: {
                advance();
                if (cur().kind != Tok::LBrace) unexpected("'{'");
                advance();
                auto* attrs = make<ExprAttrs>(pos);
                attrs->recursive = true;
                parseBinds(*attrs, Tok::RBrace, false);
                return attrs;
            }
            case Tok::LBrace: {
                advance();
                auto* attrs = make<ExprAttrs>(pos);
                parseBinds(*attrs, Tok::RBrace, false);
                return attrs;
            }
            case Tok::LBracket: {
                DepthGuard guard(*this);
                advance();
                std::vector<Expr*> elems;
                while (cur().kind != Tok::RBracket) {
                    if (!startsSimple(cur())) unexpected("a list element or ']'");
                    elems.push_back(parseSelect());
                }
                advance();
                return make<ExprList>(pos, std::move(elems));
            }
            default:
                unexpected("an expression");
        }
    }

    // "..."; the opening quote is the current token.
    Expr* parseString() {
        PosIdx pos = posOf(cur());
        advance();
        std::vector<Expr*> parts;
        bool interpolated = false;
        while (cur().kind != Tok::Quote) {
            const Token& t = cur();
            if (t.kind == Tok::Str) {
                parts.push_back(make<ExprString>(posOf(t), t.text));
                advance();
            } else if (t.kind == Tok::DollarCurly) {
                advance();
                parts.push_back(parseExpr());
                expect(Tok::RBrace);
                interpolated = true;
            } else {
                unexpected("'\"'");
            }
        }
        advance();
        if (!interpolated) {
            if (parts.empty()) return make<ExprString>(pos, "");
            if (parts.size() == 1) return parts[0];
        }
        return make<ExprConcatStrings>(pos, true, std::move(parts));
    }

    Expr* parseIndString() {
        PosIdx pos = posOf(cur());
        advance();
        std::vector<IndStringPart> parts;
        while (cur().kind != Tok::IndClose) {
            const Token& t = cur();
            if (t.kind == Tok::IndStr) {
                parts.push_back({posOf(t), t.text, t.escaped, nullptr});
                advance();
            } else if (t.kind == Tok::DollarCurly) {
                advance();
                parts.push_back({posOf(t), {}, false, parseExpr()});
                expect(Tok::RBrace);
            } else {
                unexpected("\"''\"");
            }
        }
        advance();
        return stripIndentation(
            pos, parts, [&](PosIdx p, std::string s) -> Expr* { return make<ExprString>(p, std::move(s)); },
            [&](PosIdx p, std::vector<Expr*> es) -> Expr* { return make<ExprConcatStrings>(p, true, std::move(es)); });
    }

    Expr* parsePath() {
        const Token& first = cur();
        PosIdx pos = posOf(first);
        std::string path;
        if (first.kind == Tok::HomePath) {
            const char* home = std::getenv("HOME");
            path = std::string(home ? home : "") + first.text.substr(1);
        } else {
            path = first.text[0] == '/' ? canonPath(first.text) : canonPath(first.text, basePath_);
            // Keep the trailing slash of a first segment that an interpolation follows.
            if (first.text.size() > 1 && first.text.back() == '/' && path != "/") path += '/';
        }
        advance();
        std::vector<Expr*> parts{make<ExprPath>(pos, std::move(path))};
        while (cur().kind != Tok::PathEnd) {
            const Token& t = cur();
            if (t.kind == Tok::Str) {
                parts.push_back(make<ExprString>(posOf(t), t.text));
                advance();
            } else if (t.kind == Tok::DollarCurly) {
                advance();
                parts.push_back(parseExpr());
                expect(Tok::RBrace);
            } else {
                unexpected("end of path");
            }
        }
        advance();
        if (parts.size() == 1) return parts[0];
        return make<ExprConcatStrings>(pos, false, std::move(parts));
    }

    // binds until `terminator` (which is consumed).
    void parseBinds(ExprAttrs& attrs, Tok terminator, bool isLet) {
        DepthGuard guard(*this);
        while (cur().kind != terminator) {
            const Token& t = cur();
            if (t.kind == Tok::Inherit) {
                PosIdx pos = posOf(t);
                advance();
                Expr* from = nullptr;
                if (cur().kind == Tok::LParen) {
                    advance();
                    from = parseExpr();
                    expect(Tok::RParen);
                }
                while (cur().kind != Tok::Semi) {
                    PosIdx namePos = posOf(cur());
                    if (cur().kind != Tok::Id && cur().kind != Tok::OrKw && cur().kind != Tok::Quote &&
                        cur().kind != Tok::DollarCurly)
                        unexpected("an attribute name or ';'");
                    AttrName name = parseAttrName();
                    if (name.expr) throw ParseError(namePos, "dynamic attributes not allowed in inherit");
                    if (attrs.find(name.symbol)) duplicate(name.symbol, namePos);
                    Expr* value =
                        from ? static_cast<Expr*>(make<ExprSelect>(namePos, from, std::vector<AttrName>{name}, nullptr))
                             : make<ExprVar>(namePos, name.symbol);
                    attrs.attrs.push_back(AttrDef{name.symbol, namePos, value, from == nullptr});
                }
                (void)pos;
                advance();
                continue;
            }
            if (t.kind != Tok::Id && t.kind != Tok::OrKw && t.kind != Tok::Quote && t.kind != Tok::DollarCurly)
                unexpected(terminator == Tok::In ? "an attribute name or 'in'" : "an attribute name or '}'");
            PosIdx pos = posOf(t);
            std::vector<AttrName> path = parseAttrPath();
            expect(Tok::Assign, "'='");
            Expr* value = parseExpr();
            expect(Tok::Semi, "';'");
            if (isLet)
                for (auto& a : path)
                    if (a.expr) throw ParseError(pos, "dynamic attributes not allowed in let");
            addAttr(attrs, path, value, pos);
        }
        advance();
        sortAttrs(attrs);
    }

    void sortAttrs(ExprAttrs& attrs) {
        std::sort(attrs.attrs.begin(), attrs.attrs.end(),
                  [](const AttrDef& a, const AttrDef& b) { return a.name < b.name; });
    }

    [[noreturn]] void duplicate(Symbol s, PosIdx pos) {
        throw ParseError(pos, "attribute '" + std::string(ctx_.symbols.name(s)) + "' already defined");
    }

    void addAttr(ExprAttrs& top, const std::vector<AttrName>& path, Expr* value, PosIdx pos) {
        ExprAttrs* attrs = &top;
        for (size_t i = 0; i + 1 < path.size(); ++i) {
            const AttrName& a = path[i];
            if (a.expr) {
                auto* nested = make<ExprAttrs>(pos);
                attrs->dynamicAttrs.push_back({a.expr, nested, pos});
                attrs = nested;
                continue;
            }
            if (AttrDef* existing = attrs->find(a.symbol)) {
                if (existing->inherited || existing->value->kind != ExprKind::Attrs) duplicate(a.symbol, pos);
                attrs = static_cast<ExprAttrs*>(existing->value);
            } else {
                auto* nested = make<ExprAttrs>(pos);
                attrs->attrs.push_back({a.symbol, pos, nested, false});
                attrs = nested;
            }
        }
        const AttrName& last = path.back();
        if (last.expr) {
            attrs->dynamicAttrs.push_back({last.expr, value, pos});
            return;
        }
        if (value->kind == ExprKind::Lambda) {
            auto* lam = static_cast<ExprLambda*>(value);
            if (!lam->name) lam->name = last.symbol;
        }
        if (AttrDef* existing = attrs->find(last.symbol)) {
            // `a = { x = 1; }; a.y = 2;` merges into one set.
            if (!existing->inherited && existing->value->kind == ExprKind::Attrs && value->kind == ExprKind::Attrs) {
                auto* into = static_cast<ExprAttrs*>(existing->value);
                auto* from = static_cast<ExprAttrs*>(value);
                for (auto& def : from->attrs) {
                    if (into->find(def.name)) duplicate(def.name, def.pos);
                    into->attrs.push_back(def);
                }
                for (auto& d : from->dynamicAttrs) into->dynamicAttrs.push_back(d);
                sortAttrs(*into);
                return;
            }
            duplicate(last.symbol, pos);
        }
        attrs->attrs.push_back({last.symbol, pos, value, false});
        if (attrs != &top) sortAttrs(*attrs);
    }

    AstContext& ctx_;
    uint32_t base_;
    std::string basePath_;
    ParseLimits limits_;
    std::vector<Token> toks_;
    size_t idx_ = 0;
    uint32_t nesting_ = 0;
};

}  // namespace

AttrDef* ExprAttrs::find(Symbol s) {
    for (auto& a : attrs)
        if (a.name == s) return &a;
    return nullptr;
}

Expr* parseExpr(AstContext& ctx, ParseInput input, const StaticScope& scope, ParseLimits limits) {
    std::string name = input.originName;
    uint32_t base = ctx.positions.addOrigin(std::move(name), std::move(input.text));
    const auto& origin = ctx.positions.origin(base);
    Parser parser(ctx, input, base, limits);
    Expr* e = parser.parseTop(origin.text);
    resolveScopes(e, scope, ctx.symbols);
    return e;
}

std::string describeParseError(const PosTable& positions, const ParseError& e) {
    return positions.resolve(e.at).toString() + ": " + e.message();
}

}  // namespace cstore::lang
