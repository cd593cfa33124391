# The minimal derivation of spec 5.8.
derivation { name = "hello"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; }
# ---
# Several outputs, given out of order; every escape in env values.
derivation {
  name = "multi"; system = "x86_64-linux"; builder = "/bin/sh";
  outputs = [ "out" "dev" "lib" ];
  args = [ "-c" "echo $lib > $out" "tab\there" "quote\"s" ];
  weird = "quote\" backslash\\ tab\t nl\n cr\r dollar$ unicode-é";
}
# ---
# -A on an output other than out prints DRV!dev.
# args: -A dev
derivation { name = "split"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" "doc" ]; }
# ---
# outputs given explicitly as [ "out" ] appear in env.
derivation { name = "explicit-out"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" ]; }
# ---
# Every kind of attribute value.
derivation {
  name = "types"; system = "x86_64-linux"; builder = "/bin/sh";
  t = true; f = false; n = null; i = 42; neg = -7; fl = 1.5; s = "string";
  l = [ "a" "b" 3 true false null [ "nested" [ ] "x" ] 2.25 ];
  empty = [ ];
  drvRef = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; };
}
# ---
# __ignoreNulls drops null attributes.
derivation {
  name = "ignore-nulls"; system = "x86_64-linux"; builder = "/bin/sh";
  __ignoreNulls = true; gone = null; kept = ""; alsoKept = false;
}
# ---
# Names with every allowed character; a long name (207 characters before .drv).
[
  (derivation { name = "a+b-c.d_e?f=g"; system = "x86_64-linux"; builder = "/bin/sh"; })
  (derivation { name = builtins.concatStringsSep "" (builtins.genList (_: "n") 207); system = "x86_64-linux"; builder = "/bin/sh"; })
]
# ---
# placeholder, and a builder given as a path (copied to the store).
derivation {
  name = "placeholders"; system = "x86_64-linux";
  builder = ./data/builder.sh;
  outputs = [ "out" "bin" ];
  args = [ "${placeholder "out"}/lib" "${placeholder "bin"}/bin" ];
  installDir = placeholder "bin";
}
# ---
# Reference checks and host dependencies are ordinary attributes for the builder.
let dep = derivation { name = "dep2"; system = "x86_64-linux"; builder = "/bin/sh"; }; in
derivation {
  name = "checks"; system = "x86_64-linux"; builder = "/bin/sh";
  allowedReferences = [ dep ]; disallowedReferences = [ ];
  impureHostDeps = [ "/usr" "/bin" ];
  dep = dep;
}
# ---
# args with numbers, booleans and paths.
derivation {
  name = "args"; system = "x86_64-linux"; builder = "/bin/sh";
  args = [ 1 true false null ./data/hello.txt [ "x" "y" ] 0.5 ];
}
# ---
# A function at the top is called with --argstr/--arg.
# args: --argstr who world --arg n 3
{ who, n, greeting ? "hello" }:
derivation { name = "greet-${who}"; system = "x86_64-linux"; builder = "/bin/sh"; msg = "${greeting} ${who}"; inherit n; }
# ---
# builtins.currentSystem and __structuredAttrs = false (kept in env).
derivation { name = "sys"; system = builtins.currentSystem; builder = "/bin/sh"; __structuredAttrs = false; }
# ---
# derivationStrict directly.
(builtins.derivationStrict { name = "strict"; system = "x86_64-linux"; builder = "/bin/sh"; })
  // { type = "derivation"; outputName = "out"; name = "strict"; }
# ---
# What nix-build takes for a derivation needs a name too.
(builtins.derivationStrict { name = "strict"; system = "x86_64-linux"; builder = "/bin/sh"; }) // { type = "derivation"; outputName = "out"; }
