# lazy
derivation { name = "hello"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; }
# ---
derivation { name = "hello"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; }
# ---
# lazy
derivation { name = "multi"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" "lib" ]; }
# ---
let d = derivation { name = "multi"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" "lib" ]; };
in [ d d.dev d.lib.outPath d.all d.drvAttrs ]
# ---
let d = derivation { name = "p"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "bin" "out" ]; };
in { inherit (d) outputName outPath drvPath; first = d.bin.outputName; type = d.type; }
# ---
# Only the name is needed: nothing is instantiated, so a missing builder is no error.
(derivation { name = "lazy"; }).name
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
in [ (builtins.hasContext "${d}") (builtins.hasContext d.drvPath) "${d}" "${d.dev}" (toString d) d.drvPath ]
# ---
let
  a = derivation { name = "a"; system = "x86_64-linux"; builder = "/bin/sh"; };
  b = derivation { name = "a"; system = "x86_64-linux"; builder = "/bin/sh"; };
  c = derivation { name = "c"; system = "x86_64-linux"; builder = "/bin/sh"; };
in [ (a == b) (a == c) (builtins.typeOf a) (builtins.isAttrs a) (builtins.attrNames a) ]
# ---
builtins.toJSON { d = derivation { name = "j"; system = "x86_64-linux"; builder = "/bin/sh"; }; }
# ---
let d = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; }; in
(derivation { name = "user"; system = "x86_64-linux"; builder = "/bin/sh"; src = d; path = ./data/hello.txt;
  text = builtins.toFile "t" "x"; }).outPath
# ---
(derivation { name = "fod"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashMode = "recursive";
  outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; }).outPath
# ---
builtins.derivationStrict { name = "s"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "a" "b" ]; }
# ---
builtins.tryEval (derivation { name = "x"; system = "x86_64-linux"; }).outPath
# ---
(derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = "out"; }).outPath
# ---
derivation 1
# ---
builtins.attrNames (derivation { name = "w"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "a" "b" ]; extra = 1; })
