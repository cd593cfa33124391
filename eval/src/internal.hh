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
extern const PrimOp contextBuiltins[];
extern const PrimOp tomlBuiltins[];
extern const PrimOp xmlBuiltins[];

// The names Nix makes visible without `builtins.` (besides true, false, null, builtins).
bool isGlobalBuiltin(std::string_view name);

// Closest names for a "did you mean" hint (edit distance), best first.
std::vector<std::string> suggestions(std::string_view wrong, const std::vector<std::string_view>& candidates);

// Attribute names of `b` sorted as strings.
std::vector<const Attr*> sortedByName(EvalState& state, const Bindings* b);

// Float formatting as C++ iostreams do by default (6 significant digits),
// which is what Nix prints.
std::string formatFloat(double d);

}  // namespace cstore::eval
