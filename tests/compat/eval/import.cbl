import ./data/lib.cbl
# ---
(import ./data/lib.cbl).double 21
# ---
import ./data/fn.cbl { x = 3; }
# ---
import ./data
# ---
builtins.scopedImport { extra = 5; } ./data/scoped.cbl
# ---
import ./data/missing.cbl
# ---
import ./data/broken.cbl
# ---
let a = import ./data/lib.cbl; b = import ./data/lib.cbl; in a.value == b.value
# ---
import ./data/errors.cbl
