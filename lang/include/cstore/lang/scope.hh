// Static scope resolution. Before evaluation, every variable is bound to
// where it will live at run time: `level` environments up, slot `slot`
// (let, rec, function arguments), or, when no lexical binding exists, to the
// innermost enclosing `with`. An unbound variable outside any `with` is an
// error reported here, before evaluation starts.
//
//   StaticScope base;                      // the builtins' scope
//   base.add(symbols.intern("true"), 0);
//   resolveScopes(expr, base, symbols);    // throws ParseError("undefined variable 'x'")
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "cstore/lang/ast.hh"

namespace cstore::lang {

struct StaticScope {
    using Var = std::pair<Symbol, uint32_t>;  // name, slot

    const StaticScope* up = nullptr;
    bool isWith = false;

    void add(Symbol s, uint32_t slot) {
        if (size_ < inlineCapacity) {
            inline_[size_++] = {s, slot};
            return;
        }
        if (size_ == inlineCapacity) spill_.assign(inline_, inline_ + inlineCapacity);
        spill_.emplace_back(s, slot);
        ++size_;
    }
    // Call once all variables are added: find needs them sorted by symbol.
    void sort() { std::sort(begin(), end()); }
    const Var* find(Symbol s) const {
        auto it = std::lower_bound(begin(), end(), Var{s, 0u});
        return it != end() && it->first == s ? &*it : nullptr;
    }

private:
    // Most scopes (a function's argument, a small let) have a few variables: no allocation for them.
    static constexpr uint32_t inlineCapacity = 4;
    Var* begin() { return size_ <= inlineCapacity ? inline_ : spill_.data(); }
    Var* end() { return begin() + size_; }
    const Var* begin() const { return size_ <= inlineCapacity ? inline_ : spill_.data(); }
    const Var* end() const { return begin() + size_; }

    uint32_t size_ = 0;
    Var inline_[inlineCapacity];
    std::vector<Var> spill_;
};

void resolveScopes(Expr* e, const StaticScope& scope, const SymbolTable& symbols);

}  // namespace cstore::lang
