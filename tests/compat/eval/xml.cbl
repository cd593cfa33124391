# builtins.toXML against Nix.
builtins.toXML { a = 1; b = [ true null 1.5 "q\"<>&\n\t\r'x" ./data ]; f = x: x; g = { a, b ? 1, ... }@args: a; h = { }: 1; p = builtins.add; e = { }; l = [ ]; }
# ---
let d = derivation { name = "d"; system = "x86_64-linux"; builder = "/bin/sh"; outputs = [ "out" "dev" ]; };
in builtins.toXML { inherit d; again = [ d d.dev ]; }
# ---
builtins.toXML 1
# ---
builtins.toXML [ (builtins.add 1) (x: y: x) ({ z, a }: z) 1.0e30 (-0.5) "" ]
# ---
builtins.hasContext (builtins.toXML { p = builtins.toFile "f" "x"; })
# ---
builtins.toXML { a.b.c = "deep"; "with space" = "s"; "" = 1; }
# ---
builtins.toXML { x = throw "forced"; }
# ---
builtins.toXML { type = "derivation"; name = "fake"; }
# ---
builtins.toXML { type = "derivation"; drvPath = 1; outPath = "/o"; }
