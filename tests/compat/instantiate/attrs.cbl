# passAsFile keeps the value in env; the builder gets a file.
derivation {
  name = "pass-as-file"; system = "x86_64-linux"; builder = "/bin/sh";
  big = "lots of text\n"; other = "x";
  passAsFile = [ "big" "other" ];
}
# ---
# Structured attributes: everything in __json, keys sorted, outputs as a list.
let dep = derivation { name = "sa-dep"; system = "x86_64-linux"; builder = "/bin/sh"; }; in
derivation {
  name = "structured"; system = "x86_64-linux"; builder = "/bin/sh";
  __structuredAttrs = true;
  outputs = [ "out" "dev" ];
  args = [ "-e" "build.sh" ];
  zeta = 1; alpha = "a\"quote\n"; n = null; b = true; fl = 0.125; neg = -3;
  list = [ 1 "two" [ 3 ] { four = 4; } ];
  nested = { z = { deep = [ dep ]; }; a = "${dep}/bin"; };
  path = ./data/hello.txt;
  outputChecks = { out = { allowedReferences = [ ]; }; };
}
# ---
# Structured attributes, fixed output.
derivation {
  name = "structured-fod"; system = "x86_64-linux"; builder = "/bin/sh";
  __structuredAttrs = true;
  outputHash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; outputHashMode = "recursive";
}
# ---
# Structured attributes with __ignoreNulls.
derivation {
  name = "structured-nulls"; system = "x86_64-linux"; builder = "/bin/sh";
  __structuredAttrs = true; __ignoreNulls = true; gone = null; kept = 0;
}
