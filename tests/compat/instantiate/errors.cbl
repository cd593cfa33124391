derivation { system = "x86_64-linux"; builder = "/bin/sh"; }
# ---
derivation { name = "a b"; system = "x86_64-linux"; builder = "/bin/sh"; }
# ---
derivation { name = "x"; system = "x86_64-linux"; }
# ---
derivation { name = "x"; builder = "/bin/sh"; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "drv" ]; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "out" ]; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashAlgo = "sha255"; outputHash = "abc"; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashAlgo = "sha256"; outputHash = "abc"; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; outputs = [ "out" "dev" ]; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; outputHashMode = "sideways"; }
# ---
let d = derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; }; in { ${d} = 1; }
# ---
derivation { name = "x.drv"; system = "x86_64-linux"; builder = "/bin/sh"; }
# ---
derivation { name = builtins.concatStringsSep "" (builtins.genList (_: "n") 208); system = "x86_64-linux"; builder = "/bin/sh"; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ ]; }
# ---
derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; args = "not a list"; }
# ---
1
