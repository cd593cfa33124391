# The chain of spec 5.10 (without busybox): outputs of several kinds as inputs.
let
  hello = derivation { name = "hello"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; };
  fod = derivation { name = "fod-probe"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashMode = "flat";
    outputHashAlgo = "sha256"; outputHash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; };
  multi = derivation { name = "multi"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" "lib" ]; };
in derivation {
  name = "chain"; system = "x86_64-linux"; builder = "/bin/sh";
  args = [ "-c" "echo ${fod} > $out; cat ${multi.lib}/ref-to-dev >> $out" ];
  unused = "${hello}";
}
# ---
# A deep chain: each derivation uses the previous one.
let
  step = prev: i: derivation {
    name = "step-${toString i}"; system = "x86_64-linux"; builder = "/bin/sh";
    args = [ "-c" "cat ${prev}/x > $out" ];
  };
  first = derivation { name = "step-0"; system = "x86_64-linux"; builder = "/bin/sh"; };
in builtins.foldl' step first (builtins.genList (i: i + 1) 60)
# ---
# A diamond with several outputs used.
let
  mk = name: deps: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ];
    deps = map (d: "${d.dev}:${d}") deps; };
  base = mk "base" [ ];
  left = mk "left" [ base ];
  right = mk "right" [ base ];
in mk "top" [ left right ]
# ---
# Source paths: a file, a directory, builtins.path with a name and a filter, filterSource.
derivation {
  name = "sources"; system = "x86_64-linux"; builder = "/bin/sh";
  file = ./data/hello.txt;
  dir = ./data/tree;
  interpolated = "${./data/tree}/sub/b";
  named = builtins.path { path = ./data/tree; name = "renamed-tree"; };
  filtered = builtins.path { path = ./data/tree; name = "filtered";
    filter = path: type: builtins.match ".*\\.tmp" path == null; };
  legacy = builtins.filterSource (path: type: type != "directory" || baseNameOf path != "sub") ./data/tree;
}
# ---
# toFile inputs, one referring to another, one referring to a source.
let
  a = builtins.toFile "a.txt" "A";
  b = builtins.toFile "b.txt" "refers to ${a} and ${./data/hello.txt}";
in derivation { name = "text-inputs"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ b ]; }
# ---
# A string naming the .drv itself brings its whole closure in.
let
  dep = derivation { name = "inner"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ];
    src = ./data/hello.txt; };
  mid = derivation { name = "mid"; system = "x86_64-linux"; builder = "/bin/sh"; inherit dep; };
in derivation { name = "drv-ref"; system = "x86_64-linux"; builder = "/bin/sh"; drv = "${mid.drvPath}"; }
# ---
# builtins.storePath of an existing path.
let f = builtins.toFile "stored" "x"; in
derivation { name = "store-path"; system = "x86_64-linux"; builder = "/bin/sh";
  p = builtins.storePath f; }
# ---
# A set of derivations (one level), and deeper with recurseForDerivations.
let mk = name: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; }; in
{
  b = mk "b"; a = mk "a"; notADrv = 1; "skip me" = mk "skipped";
  nested = { recurseForDerivations = true; c = mk "c"; deeper = { d = mk "not-reached"; }; };
  hidden = { e = mk "hidden"; };
  list = [ (mk "in-list") ];
}
# ---
# A list of derivations, nested lists, duplicates printed once.
let d = derivation { name = "listed"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "lib" ]; }; in
[ d [ d.lib (derivation { name = "other"; system = "x86_64-linux"; builder = "/bin/sh"; }) ] d ]
