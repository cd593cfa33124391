# A generated graph of n derivations for the instantiation benchmark; the same
# file is valid Nix. Node i depends on nodes i-1, i/2 and i/3 (through
# interpolated output paths, so each is an input derivation); every 10th node
# has three outputs and uses another's `dev`, every 50th is fixed-output;
# every node carries a dozen environment attributes of the usual kinds.
{ n ? 10000 }:
let
  system = "x86_64-linux";
  mod = a: b: a - a / b * b;
  node = i:
    let
      deps = builtins.filter (j: j >= 0 && j != i) [ (i - 1) (i / 2) (i / 3) ];
      multi = i - mod i 10;
    in derivation ({
      name = "node-${toString i}";
      inherit system;
      builder = "/bin/sh";
      args = [ "-e" "-c" "for d in $deps; do echo $d; done > $out" ];
      deps = map (j: "${builtins.elemAt nodes j}") deps;
      version = "1.${toString i}";
      flags = [ "-O2" "-g" "--with-node=${toString i}" ];
      enableFeature = i / 2 * 2 == i;
      optional = null;
      description = "Node ${toString i} of a generated graph of ${toString n} derivations";
      buildPhase = ''
        echo building node ${toString i}
        make -j$NIX_BUILD_CORES
      '';
      PATH = "/bin:/usr/bin";
    }
    // (if mod i 10 == 0 then { outputs = [ "out" "dev" "lib" ]; } else { })
    // (if i >= 10 && multi != i then { dev = (builtins.elemAt nodes (multi - 10)).dev; } else { })
    // (if mod i 50 == 25 then {
      outputHashAlgo = "sha256"; outputHashMode = "recursive";
      outputHash = builtins.hashString "sha256" "node ${toString i}";
    } else { }));
  nodes = builtins.genList node n;
in nodes
