# builtins.getContext and builtins.appendContext against Nix (keys of context
# sets are written without context: attribute names may not have any).
builtins.getContext "no context"
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
in builtins.getContext "${d} ${d.dev} ${d.out}"
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
in builtins.getContext d.drvPath
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; };
in builtins.getContext "${builtins.toFile "f" "x"} ${d.drvPath} ${d}"
# ---
builtins.getContext (builtins.toFile "plain" "text")
# ---
let
  d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
  s = "${d.dev}-${d}-${d.drvPath}";
  rebuilt = builtins.appendContext (builtins.unsafeDiscardStringContext s) (builtins.getContext s);
in [ (builtins.getContext rebuilt == builtins.getContext s) (builtins.hasContext rebuilt) rebuilt ]
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
in builtins.getContext (builtins.appendContext "x" { ${builtins.unsafeDiscardStringContext d.drvPath} = { outputs = [ "dev" ]; path = false; allOutputs = false; }; })
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; };
in builtins.getContext (builtins.appendContext "x" { ${builtins.unsafeDiscardStringContext d.drvPath} = { allOutputs = true; }; ${builtins.unsafeDiscardStringContext (builtins.toFile "t" "y")} = { path = true; }; })
# ---
builtins.appendContext "x" { }
# ---
builtins.appendContext "x" { "/not/a/store/path" = { path = true; }; }
# ---
let f = builtins.unsafeDiscardStringContext (builtins.toFile "not-a-drv" "y"); in builtins.appendContext "x" { ${f} = { allOutputs = true; }; }
# ---
let f = builtins.unsafeDiscardStringContext (builtins.toFile "not-a-drv" "y"); in builtins.appendContext "x" { ${f} = { outputs = [ "out" ]; }; }
# ---
let f = builtins.unsafeDiscardStringContext (builtins.toFile "not-a-drv" "y"); in builtins.getContext (builtins.appendContext "x" { ${f} = { outputs = [ ]; }; })
# ---
builtins.appendContext "x" { "/store/0000000000000000000000000000000-short" = { path = true; }; }
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; };
in builtins.appendContext "x" { ${builtins.unsafeDiscardStringContext d.drvPath} = { outputs = "out"; }; }
# ---
let d = derivation { name = "ctx"; system = "x86_64-linux"; builder = "/bin/sh"; };
in builtins.appendContext "x" { ${builtins.unsafeDiscardStringContext d.drvPath} = { path = 1; }; }
# ---
builtins.appendContext 1 { }
# ---
builtins.getContext 1
