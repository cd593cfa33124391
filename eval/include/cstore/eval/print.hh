// Rendering values and errors for people and for other tools.
//
//   printValue(state, v)          // { a = 1; b = [ 2 3 ]; } as nix-instantiate --eval prints it
//   valueToJSON(state, v, ctx, pos)   // {"a":1,"b":[2,3]} (forces everything)
//   formatEvalError(state, e, showTrace)   // message, snippet, "… while calling" lines
#pragma once

#include <string>

#include "cstore/eval/eval_state.hh"

namespace cstore::eval {

// Forced parts print as values, unforced ones as <CODE>; a set or list met a
// second time prints as «repeated», exactly like Nix 2.8.
std::string printValue(EvalState& state, Value v);
// "..." with Nix's escapes (\" \\ \n \r \t and \${).
std::string quoteString(std::string_view s);
// An attribute name as Nix prints it: bare when it is an identifier, quoted otherwise.
std::string printAttrName(std::string_view name);

std::string valueToJSON(EvalState& state, Value& v, ContextBuilder& ctx, PosIdx pos, bool copyToStore = true);
std::string escapeJSON(std::string_view s);

std::string formatEvalError(EvalState& state, const EvalError& e, bool showTrace);

}  // namespace cstore::eval
