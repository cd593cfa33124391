// Shared by the derivation builtins' source files.
#pragma once

#include "cstore/eval/eval_state.hh"
#include "cstore/instantiate/derivation_store.hh"

namespace cstore {

// The state's store as a DerivationStore, or an error at `pos`.
DerivationStore& derivationStoreOf(eval::EvalState& state, eval::PosIdx pos);

// Instantiates the derivation described by `attrs` (derivationStrict):
// `result` becomes { drvPath = ...; <output> = <path>; ... }. Errors without a
// better position are reported at `pos`, the call of `derivation`.
void derivationStrict(eval::EvalState& state, eval::PosIdx pos, eval::Value& attrs, eval::Value& result);

}  // namespace cstore
