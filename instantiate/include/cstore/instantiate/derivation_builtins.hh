// The builtins that turn attribute sets into derivations in the store:
// `derivation` (the lazy wrapper whose result has `outPath`, `drvPath`, one
// attribute per output, `all`, `drvAttrs`, `type = "derivation"`) and
// `derivationStrict` (computes the .drv, writes it, returns the paths).
// They need the EvalState's store to be a DerivationStore.
//
//   eval::EvalOptions options;
//   addDerivationBuiltins(options);
//   eval::EvalState state(options, &derivationStore);
#pragma once

#include "cstore/eval/eval_state.hh"

namespace cstore {

void addDerivationBuiltins(eval::EvalOptions& options);

}  // namespace cstore
