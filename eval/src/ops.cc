// Operators and coercions: +, arithmetic, equality, ordering, and the
// conversions of values to strings and paths.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>

#include "cstore/util/file.hh"
#include "internal.hh"

namespace cstore::eval {

using namespace lang;

Symbol attrNameOf(EvalState& state, const AttrName& name, Env* env) {
    if (!name.expr) return name.symbol;
    Value v;
    state.eval(name.expr, env, v);
    return state.intern(state.forceStringNoCtx(v, name.expr->pos));
}

void arith(EvalState& state, ExprKind op, Value& l, Value& r, Value& v, PosIdx pos) {
    bool li = l.type() == ValueType::Int, ri = r.type() == ValueType::Int;
    if (li && ri) {
        int64_t a = l.integer(), b = r.integer();
        switch (op) {
            case ExprKind::Sub:
                v.mkInt(static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)));
                return;
            case ExprKind::Mul:
                v.mkInt(static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)));
                return;
            default:
                if (b == 0) throw EvalError(pos, "division by zero");
                if (a == INT64_MIN && b == -1) throw EvalError(pos, "integer overflow in division");
                v.mkInt(a / b);
                return;
        }
    }
    double a = state.forceFloat(l, pos), b = state.forceFloat(r, pos);
    switch (op) {
        case ExprKind::Sub:
            v.mkFloat(a - b);
            return;
        case ExprKind::Mul:
            v.mkFloat(a * b);
            return;
        default:
            if (b == 0) throw EvalError(pos, "division by zero");
            v.mkFloat(a / b);
            return;
    }
}

void EvalState::evalConcatStrings(const Expr* const* parts, size_t nparts, bool forceString, PosIdx pos, Env* env,
                                  Value& v, Value* pre, size_t npre) {
    // The first operand decides: numbers add, a path makes a path, else a string.
    ValueType firstType = ValueType::String;
    int64_t n = 0;
    double nf = 0;
    // String pieces are collected as views and copied once into the result;
    // pieces made by coercion (numbers, paths) are kept alive in `owned`.
    // Up to eight parts (nearly all) need no allocation; the array is left
    // uninitialised (zeroing it showed in profiles).
    struct Piece {
        const char* data;
        size_t size;
    };
    Piece inlinePieces[8];
    std::vector<Piece> manyPieces;
    if (nparts > 8) manyPieces.resize(nparts);
    Piece* pieces = nparts > 8 ? manyPieces.data() : inlinePieces;
    size_t npieces = 0;
    auto piece = [&](std::string_view s) { pieces[npieces++] = Piece{s.data(), s.size()}; };
    // Made on first use and reserved for all parts, so views into it stay valid.
    std::vector<std::string> owned;
    const StrData* firstStr = nullptr;  // pieces[0] is this string value's bytes (not a temporary)
    ContextBuilder ctx;
    // Digits of up to four `toString n` parts, which make no string value.
    char digits[4][24];
    size_t ndigits = 0;
    bool first = !forceString;
    for (size_t i = 0; i < nparts; ++i) {
        const Expr* part = parts[i];
        Value tmp;
        if (i < npre) {
            tmp = pre[i];
        } else if (ndigits < 4 && (first || (firstType != ValueType::Int && firstType != ValueType::Float))) {
            if (size_t len = evalPartToString(part, env, tmp, digits[ndigits])) {
                if (first) firstType = ValueType::String;
                piece({digits[ndigits++], len});
                first = false;
                continue;
            }
        } else {
            evalOperand(part, env, tmp);
        }
        force(tmp, part->pos);
        if (first) firstType = tmp.type();
        if (firstType == ValueType::Int) {
            if (tmp.type() == ValueType::Int) {
                n = static_cast<int64_t>(static_cast<uint64_t>(n) + static_cast<uint64_t>(tmp.integer()));
            } else if (tmp.type() == ValueType::Float) {
                firstType = ValueType::Float;
                nf = static_cast<double>(n) + tmp.fpoint();
            } else {
                throw TypeError(part->pos, "cannot add %s to an integer", showType(tmp));
            }
        } else if (firstType == ValueType::Float) {
            if (tmp.type() == ValueType::Int)
                nf += static_cast<double>(tmp.integer());
            else if (tmp.type() == ValueType::Float)
                nf += tmp.fpoint();
            else
                throw TypeError(part->pos, "cannot add %s to a float", showType(tmp));
        } else {
            if (tmp.type() == ValueType::String && (!first || firstType == ValueType::String)) {
                if (npieces == 0) firstStr = tmp.str();
                piece(tmp.strView());
                ctx.add(tmp.context());
            } else {
                if (owned.empty()) owned.reserve(nparts);
                owned.push_back(coerceToString(tmp, ctx, part->pos, false, firstType == ValueType::String, !first));
                piece(owned.back());
            }
        }
        first = false;
    }
    if (firstType == ValueType::Int)
        v.mkInt(n);
    else if (firstType == ValueType::Float)
        v.mkFloat(nf);
    else if (firstType == ValueType::Path) {
        if (!ctx.empty()) throw EvalError(pos, "a string that refers to a store path cannot be appended to a path");
        std::string s;
        for (size_t i = 0; i < npieces; ++i) s.append(pieces[i].data, pieces[i].size);
        mkPath(v, canonPath(s));
    } else {
        size_t total = 0;
        for (size_t i = 0; i < npieces; ++i) total += pieces[i].size;
        // "${s}" is s itself; otherwise the first piece is extended in place when it is the newest string.
        if (firstStr && npieces == 1) return v.mkString(firstStr, makeContext(ctx));
        char* out;
        size_t from = firstStr ? 1 : 0;
        StrData* d = firstStr ? appendStr({pieces[0].data, pieces[0].size}, total, out) : allocStr(total, out);
        for (size_t i = from; i < npieces; ++i) {
            if (pieces[i].size) std::memcpy(out, pieces[i].data, pieces[i].size);
            out += pieces[i].size;
        }
        v.mkString(d, makeContext(ctx));
    }
}

std::string EvalState::coerceToString(Value& v, ContextBuilder& ctx, PosIdx pos, bool coerceMore, bool copyToStore,
                                      bool canonicalizePath) {
    force(v, pos);
    switch (v.type()) {
        case ValueType::String:
            ctx.add(v.context());
            return std::string(v.strView());
        case ValueType::Path: {
            std::string path = canonicalizePath ? canonPath(v.strView()) : std::string(v.strView());
            if (copyToStore) return copyPathToStore(path, ctx, pos);
            return path;
        }
        case ValueType::Attrs: {
            Bindings* b = v.attrs();
            if (const Attr* f = b->find(sym.toString)) {
                Value result;
                callFunction(*f->value, v, result, pos);
                return coerceToString(result, ctx, pos, coerceMore, copyToStore);
            }
            if (const Attr* o = b->find(sym.outPath))
                return coerceToString(*o->value, ctx, pos, coerceMore, copyToStore);
            break;
        }
        default:
            break;
    }
    if (coerceMore) {
        switch (v.type()) {
            case ValueType::Bool:
                return v.boolean() ? "1" : "";
            case ValueType::Int:
                return std::to_string(v.integer());
            case ValueType::Float:
                return std::to_string(v.fpoint());
            case ValueType::Null:
                return "";
            case ValueType::List: {
                std::string out;
                size_t n = v.listSize();
                for (size_t i = 0; i < n; ++i) {
                    Value* elem = v.listElems()[i];
                    out += coerceToString(*elem, ctx, pos, coerceMore, copyToStore);
                    // Like Nix: no separator after an element that is an empty list.
                    if (i + 1 < n) {
                        force(*elem, pos);
                        if (!(elem->type() == ValueType::List && elem->listSize() == 0)) out += ' ';
                    }
                }
                return out;
            }
            default:
                break;
        }
    }
    throw TypeError(pos, "cannot coerce %s to a string", showType(v));
}

std::string EvalState::coerceToPath(Value& v, ContextBuilder& ctx, PosIdx pos) {
    std::string path = coerceToString(v, ctx, pos, false, false);
    if (path.empty() || path[0] != '/') throw EvalError(pos, "string '%s' doesn't represent an absolute path", path);
    return path;
}

std::string EvalState::copyPathToStore(const std::string& path, ContextBuilder& ctx, PosIdx pos) {
    if (path.size() > storeDir().size() && path.compare(0, storeDir().size(), storeDir()) == 0 &&
        path[storeDir().size()] == '/') {
        ctx.add(makeStr(path));
        return path;
    }
    auto it = srcToStore.find(path);
    std::string dst;
    if (it != srcToStore.end()) {
        dst = it->second;
    } else {
        if (!store_) throw EvalError(pos, "cannot copy '%s' to the store: no store is available here", path);
        if (!pathExists(path)) throw EvalError(pos, "path '%s' does not exist", path);
        dst = store_->addPath(baseNameOf(path), path, nullptr);
        srcToStore.emplace(path, dst);
    }
    ctx.add(makeStr(dst));
    return dst;
}

bool EvalState::eqValues(Value& a, Value& b, PosIdx pos) {
    force(a, pos);
    force(b, pos);
    checkStack();
    ValueType ta = a.type(), tb = b.type();
    if (ta == ValueType::Int && tb == ValueType::Float) return static_cast<double>(a.integer()) == b.fpoint();
    if (ta == ValueType::Float && tb == ValueType::Int) return a.fpoint() == static_cast<double>(b.integer());
    if (ta != tb) {
        // Functions of different kinds are never equal, like any other mismatch.
        return false;
    }
    switch (ta) {
        case ValueType::Int:
            return a.integer() == b.integer();
        case ValueType::Float:
            return a.fpoint() == b.fpoint();
        case ValueType::Bool:
            return a.boolean() == b.boolean();
        case ValueType::Null:
            return true;
        case ValueType::String:
        case ValueType::Path:
            return a.strView() == b.strView();
        case ValueType::List: {
            if (a.listSize() != b.listSize()) return false;
            for (size_t i = 0; i < a.listSize(); ++i)
                if (!eqValues(*a.listElems()[i], *b.listElems()[i], pos)) return false;
            return true;
        }
        case ValueType::Attrs: {
            if (a.attrs() == b.attrs()) return true;
            // Two derivations are equal when their outPaths are.
            if (isDerivation(a) && isDerivation(b)) {
                const Attr* oa = a.attrs()->find(sym.outPath);
                const Attr* ob = b.attrs()->find(sym.outPath);
                if (oa && ob) return eqValues(*oa->value, *ob->value, pos);
            }
            if (a.attrs()->isLayer() || b.attrs()->isLayer()) {
                flatAttrs(a);
                flatAttrs(b);
            }
            if (a.attrs()->size != b.attrs()->size) return false;
            for (uint32_t i = 0; i < a.attrs()->size; ++i) {
                const Attr& x = a.attrs()->attrs[i];
                const Attr& y = b.attrs()->attrs[i];
                if (x.name != y.name || !eqValues(*x.value, *y.value, pos)) return false;
            }
            return true;
        }
        default:
            return false;
    }
}

bool EvalState::lessThan(Value& a, Value& b, PosIdx pos) {
    force(a, pos);
    force(b, pos);
    ValueType ta = a.type(), tb = b.type();
    if (ta == ValueType::Int && tb == ValueType::Int) return a.integer() < b.integer();
    bool na = ta == ValueType::Int || ta == ValueType::Float, nb = tb == ValueType::Int || tb == ValueType::Float;
    if (na && nb) return forceFloat(a, pos) < forceFloat(b, pos);
    if (ta == ValueType::String && tb == ValueType::String) return a.strView() < b.strView();
    if (ta == ValueType::Path && tb == ValueType::Path) return a.strView() < b.strView();
    if (ta == ValueType::List && tb == ValueType::List) {
        size_t n = std::min(a.listSize(), b.listSize());
        for (size_t i = 0; i < n; ++i) {
            Value& x = *a.listElems()[i];
            Value& y = *b.listElems()[i];
            if (!eqValues(x, y, pos)) return lessThan(x, y, pos);
        }
        return a.listSize() < b.listSize();
    }
    throw TypeError(pos, "cannot compare %s with %s", showType(a), showType(b));
}

std::string formatFloat(double d) {
    char buf[64];
    snprintf(buf, sizeof buf, "%g", d);
    return buf;
}

}  // namespace cstore::eval
