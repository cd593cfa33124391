// Helpers shared by the evaluator's source files and the builtins.
#pragma once

#include <string>
#include <vector>

#include "cstore/eval/eval_state.hh"

namespace cstore::eval {

// The name of a dynamic attribute (`${e}` or "..${e}.."), interned.
Symbol attrNameOf(EvalState& state, const lang::AttrName& name, Env* env);

// Sub, Mul, Div on two forced values (ints, or floats with promotion).
void arith(EvalState& state, lang::ExprKind op, Value& l, Value& r, Value& v, PosIdx pos);

// Builtin tables, one per theme, each ending with a null-named entry.
extern const PrimOp coreBuiltins[];
extern const PrimOp arithBuiltins[];
extern const PrimOp stringBuiltins[];
extern const PrimOp listBuiltins[];
extern const PrimOp attrBuiltins[];
extern const PrimOp pathBuiltins[];
extern const PrimOp jsonBuiltins[];
extern const PrimOp regexBuiltins[];
extern const PrimOp versionBuiltins[];
extern const PrimOp storeBuiltins[];
extern const PrimOp fetchBuiltins[];

// The names Nix makes visible without `builtins.` (besides true, false, null, builtins).
bool isGlobalBuiltin(std::string_view name);

// Closest names for a "did you mean" hint (edit distance), best first.
std::vector<std::string> suggestions(std::string_view wrong, const std::vector<std::string_view>& candidates);

// Attribute names of `b` sorted as strings.
std::vector<const Attr*> sortedByName(EvalState& state, const Bindings* b);

// A vector that keeps its first N elements inline (no allocation for short lists).
template <typename T, size_t N>
class SmallVector {
public:
    void push_back(const T& x) {
        if (size_ < N)
            inline_[size_] = x;
        else {
            if (spill_.empty()) spill_.assign(inline_, inline_ + N);
            spill_.push_back(x);
        }
        ++size_;
    }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const T& operator[](size_t i) const { return size_ <= N ? inline_[i] : spill_[i]; }
    const T& back() const { return (*this)[size_ - 1]; }
    const T* begin() const { return size_ <= N ? inline_ : spill_.data(); }
    const T* end() const { return begin() + size_; }

private:
    T inline_[N];
    std::vector<T> spill_;
    size_t size_ = 0;
};

// Float formatting as C++ iostreams do by default (6 significant digits),
// which is what Nix prints.
std::string formatFloat(double d);

}  // namespace cstore::eval
