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
    const StaticScope* up = nullptr;
    bool isWith = false;
    std::vector<std::pair<Symbol, uint32_t>> vars;  // sorted by symbol once `sort()` ran

    void add(Symbol s, uint32_t slot) { vars.emplace_back(s, slot); }
    void sort() { std::sort(vars.begin(), vars.end()); }
    const std::pair<Symbol, uint32_t>* find(Symbol s) const {
        auto it = std::lower_bound(vars.begin(), vars.end(), std::make_pair(s, 0u));
        return it != vars.end() && it->first == s ? &*it : nullptr;
    }
};

void resolveScopes(Expr* e, const StaticScope& scope, const SymbolTable& symbols);

}  // namespace cstore::lang
