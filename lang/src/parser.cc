// Recursive descent for the structure, precedence climbing for operators.
// Operator levels, lowest first, as in Nix:
//   ->  (right)   ||  &&  (left)   == !=  (none)   < > <= >=  (none)
//   //  (right)   !  (prefix)   + -  (left)   * /  (left)   ++  (right)
//   ?  (none)   unary -   application   .  (select)
#include "cstore/lang/parser.hh"

#include <cstdlib>
#include <cstring>
#include <initializer_list>
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
        : ctx_(ctx),
          base_(base),
          basePath_(in.basePath),
          limits_(limits),
          toks_(ctx.tokens),
          exprStack_(ctx.exprStack),
          attrStack_(ctx.attrStack) {
        exprStack_.clear();  // after an earlier parse error
        attrStack_.clear();
    }

    Expr* parseTop(std::string_view text) {
        tokenize(text, base_, ctx_.symbols, toks_);
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

    // A copy of `s` in the arena, for string and path literals.
    std::string_view keep(std::string_view s) {
        if (s.empty()) return {};
        char* bytes = static_cast<char*>(ctx_.arena.allocate(s.size(), 1));
        std::memcpy(bytes, s.data(), s.size());
        return {bytes, s.size()};
    }
    ExprString* string(PosIdx pos, std::string_view s) { return make<ExprString>(pos, keep(s)); }

    // Elements of lists, arguments and string parts are collected on one
    // scratch stack (nested constructs push above their parent's) and copied
    // to the arena at their final size: no allocation per node.
    ArenaVec<Expr*> popExprs(size_t mark) {
        ArenaVec<Expr*> v(ctx_.arena, exprStack_.data() + mark, exprStack_.size() - mark);
        exprStack_.resize(mark);
        return v;
    }
    ArenaVec<Expr*> exprs(std::initializer_list<Expr*> es) {
        return ArenaVec<Expr*>(ctx_.arena, es.begin(), es.size());
    }

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
            lam.formals.push_back(ctx_.arena, f);
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
                return make<ExprConcatStrings>(pos, false, exprs({l, r}));
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
        size_t mark = exprStack_.size();
        while (startsSimple(cur())) {
            Expr* arg = parseSelect();
            exprStack_.push_back(arg);
        }
        return make<ExprCall>(pos, fn, popExprs(mark));
    }

    Expr* parseSelect() {
        PosIdx pos = posOf(cur());
        Expr* e = parseSimple();
        if (cur().kind == Tok::Dot) {
            advance();
            ArenaVec<AttrName> path = parseAttrPath();
            Expr* fallback = nullptr;
            if (cur().kind == Tok::OrKw) {
                DepthGuard guard(*this);
                advance();
                fallback = parseSelect();
            }
            return make<ExprSelect>(pos, e, path, fallback);
        }
        if (cur().kind == Tok::OrKw) {
            // `f or`: the legacy reading of `or` as an ordinary argument.
            PosIdx orPos = posOf(cur());
            advance();
            return make<ExprCall>(pos, e, exprs({var(orPos, "or")}));
        }
        return e;
    }

    ArenaVec<AttrName> parseAttrPath() {
        // Most paths have one or two names; a dynamic name may hold a nested path.
        AttrName first = parseAttrName();
        if (cur().kind != Tok::Dot) return ArenaVec<AttrName>(ctx_.arena, &first, 1);
        std::vector<AttrName> path{first};
        while (cur().kind == Tok::Dot) {
            advance();
            AttrName next = parseAttrName();
            path.push_back(next);
        }
        return ArenaVec<AttrName>(ctx_.arena, path.data(), path.size());
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
                return make<ExprCall>(pos, var(pos, "__findFile"), exprs({var(pos, "__nixPath"), string(pos, t.text)}));
            }
            case Tok::Uri:
                advance();
                return string(pos, t.text);
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
                AttrName body{ctx_.symbols.intern("body"), nullptr};
                return make<ExprSelect>(pos, attrs, ArenaVec<AttrName>(ctx_.arena, &body, 1), nullptr);
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
                size_t mark = exprStack_.size();
                while (cur().kind != Tok::RBracket) {
                    if (!startsSimple(cur())) unexpected("a list element or ']'");
                    Expr* elem = parseSelect();
                    exprStack_.push_back(elem);
                }
                advance();
                return make<ExprList>(pos, popExprs(mark));
            }
            default:
                unexpected("an expression");
        }
    }

    // "..."; the opening quote is the current token.
    Expr* parseString() {
        PosIdx pos = posOf(cur());
        advance();
        size_t mark = exprStack_.size();
        bool interpolated = false;
        while (cur().kind != Tok::Quote) {
            const Token& t = cur();
            if (t.kind == Tok::Str) {
                exprStack_.push_back(string(posOf(t), t.text));
                advance();
            } else if (t.kind == Tok::DollarCurly) {
                advance();
                Expr* part = parseExpr();
                exprStack_.push_back(part);
                expect(Tok::RBrace);
                interpolated = true;
            } else {
                unexpected("'\"'");
            }
        }
        advance();
        size_t n = exprStack_.size() - mark;
        if (!interpolated && n <= 1) {
            Expr* only = n ? exprStack_.back() : make<ExprString>(pos, std::string_view{});
            exprStack_.resize(mark);
            return only;
        }
        return make<ExprConcatStrings>(pos, true, popExprs(mark));
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
            pos, parts, [&](PosIdx p, std::string_view s) -> Expr* { return string(p, s); },
            [&](PosIdx p, const std::vector<Expr*>& es) -> Expr* {
                return make<ExprConcatStrings>(p, true, ArenaVec<Expr*>(ctx_.arena, es.data(), es.size()));
            });
    }

    Expr* parsePath() {
        const Token& first = cur();
        PosIdx pos = posOf(first);
        std::string& path = ctx_.pathScratch;
        if (first.kind == Tok::HomePath) {
            const char* home = std::getenv("HOME");
            path = std::string(home ? home : "") + first.text.substr(1);
        } else {
            canonPathInto(path, first.text, basePath_);
            // Keep the trailing slash of a first segment that an interpolation follows.
            if (first.text.size() > 1 && first.text.back() == '/' && path != "/") path += '/';
        }
        advance();
        Expr* literal = make<ExprPath>(pos, keep(path));
        if (cur().kind == Tok::PathEnd) {
            advance();
            return literal;
        }
        size_t mark = exprStack_.size();
        exprStack_.push_back(literal);
        while (cur().kind != Tok::PathEnd) {
            const Token& t = cur();
            if (t.kind == Tok::Str) {
                exprStack_.push_back(string(posOf(t), t.text));
                advance();
            } else if (t.kind == Tok::DollarCurly) {
                advance();
                Expr* part = parseExpr();
                exprStack_.push_back(part);
                expect(Tok::RBrace);
            } else {
                unexpected("end of path");
            }
        }
        advance();
        return make<ExprConcatStrings>(pos, false, popExprs(mark));
    }

    // binds until `terminator` (which is consumed). The attributes collect on
    // a scratch stack above those of enclosing sets (from `mark`) and move to
    // the arena at their final size.
    void parseBinds(ExprAttrs& attrs, Tok terminator, bool isLet) {
        DepthGuard guard(*this);
        size_t mark = attrStack_.size();
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
                    if (findTop(mark, name.symbol)) duplicate(name.symbol, namePos);
                    Expr* value = from ? static_cast<Expr*>(make<ExprSelect>(
                                             namePos, from, ArenaVec<AttrName>(ctx_.arena, &name, 1), nullptr))
                                       : make<ExprVar>(namePos, name.symbol);
                    attrStack_.push_back(AttrDef{name.symbol, namePos, value, from == nullptr});
                }
                (void)pos;
                advance();
                continue;
            }
            if (t.kind != Tok::Id && t.kind != Tok::OrKw && t.kind != Tok::Quote && t.kind != Tok::DollarCurly)
                unexpected(terminator == Tok::In ? "an attribute name or 'in'" : "an attribute name or '}'");
            PosIdx pos = posOf(t);
            ArenaVec<AttrName> path = parseAttrPath();
            expect(Tok::Assign, "'='");
            Expr* value = parseExpr();
            expect(Tok::Semi, "';'");
            if (isLet)
                for (auto& a : path)
                    if (a.expr) throw ParseError(pos, "dynamic attributes not allowed in let");
            addAttr(attrs, mark, path, value, pos);
        }
        advance();
        attrs.attrs.assign(ctx_.arena, attrStack_.data() + mark, attrStack_.size() - mark);
        attrStack_.resize(mark);
        sortAttrs(attrs);
    }

    // The attribute `s` of the set being parsed (on the scratch stack from `mark`).
    AttrDef* findTop(size_t mark, Symbol s) {
        for (size_t i = mark; i < attrStack_.size(); ++i)
            if (attrStack_[i].name == s) return &attrStack_[i];
        return nullptr;
    }

    void sortAttrs(ExprAttrs& attrs) {
        std::sort(attrs.attrs.begin(), attrs.attrs.end(),
                  [](const AttrDef& a, const AttrDef& b) { return a.name < b.name; });
    }

    [[noreturn]] void duplicate(Symbol s, PosIdx pos) {
        throw ParseError(pos, "attribute '" + std::string(ctx_.symbols.name(s)) + "' already defined");
    }

    // Adds `path = value` to `top`, whose own attributes are still on the
    // scratch stack (from `mark`); nested sets made for `a.b = ...` grow in place.
    void addAttr(ExprAttrs& top, size_t mark, const ArenaVec<AttrName>& path, Expr* value, PosIdx pos) {
        ExprAttrs* attrs = &top;
        auto find = [&](Symbol s) { return attrs == &top ? findTop(mark, s) : attrs->find(s); };
        auto add = [&](const AttrDef& def) {
            if (attrs == &top)
                attrStack_.push_back(def);
            else
                attrs->attrs.push_back(ctx_.arena, def);
        };
        for (size_t i = 0; i + 1 < path.size(); ++i) {
            const AttrName& a = path[i];
            if (a.expr) {
                auto* nested = make<ExprAttrs>(pos);
                attrs->dynamicAttrs.push_back(ctx_.arena, {a.expr, nested, pos});
                attrs = nested;
                continue;
            }
            if (AttrDef* existing = find(a.symbol)) {
                if (existing->inherited || existing->value->kind != ExprKind::Attrs) duplicate(a.symbol, pos);
                attrs = static_cast<ExprAttrs*>(existing->value);
            } else {
                auto* nested = make<ExprAttrs>(pos);
                add({a.symbol, pos, nested, false});
                attrs = nested;
            }
        }
        const AttrName& last = path.back();
        if (last.expr) {
            attrs->dynamicAttrs.push_back(ctx_.arena, {last.expr, value, pos});
            return;
        }
        if (value->kind == ExprKind::Lambda) {
            auto* lam = static_cast<ExprLambda*>(value);
            if (!lam->name) lam->name = last.symbol;
        }
        if (AttrDef* existing = find(last.symbol)) {
            // `a = { x = 1; }; a.y = 2;` merges into one set.
            if (!existing->inherited && existing->value->kind == ExprKind::Attrs && value->kind == ExprKind::Attrs) {
                auto* into = static_cast<ExprAttrs*>(existing->value);
                auto* from = static_cast<ExprAttrs*>(value);
                for (auto& def : from->attrs) {
                    if (into->find(def.name)) duplicate(def.name, def.pos);
                    into->attrs.push_back(ctx_.arena, def);
                }
                for (auto& d : from->dynamicAttrs) into->dynamicAttrs.push_back(ctx_.arena, d);
                sortAttrs(*into);
                return;
            }
            duplicate(last.symbol, pos);
        }
        add({last.symbol, pos, value, false});
        if (attrs != &top) sortAttrs(*attrs);
    }

    AstContext& ctx_;
    uint32_t base_;
    std::string_view basePath_;  // in the ParseInput, which outlives the parser
    ParseLimits limits_;
    std::vector<Token>& toks_;
    std::vector<Expr*>& exprStack_;
    std::vector<AttrDef>& attrStack_;
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
    uint32_t base = ctx.positions.addOrigin(std::move(input.originName), std::move(input.text));
    const auto& origin = ctx.positions.last();
    Parser parser(ctx, input, base, limits);
    Expr* e = parser.parseTop(origin.text);
    resolveScopes(e, scope, ctx.symbols);
    return e;
}

std::string describeParseError(const PosTable& positions, const ParseError& e) {
    return positions.resolve(e.at).toString() + ": " + e.message();
}

}  // namespace cstore::lang
