# The standard library's functions, instantiated by Nix too (<cstore> = lang/std).
let std = import <cstore>; in
[
  (std.writeText "greeting.txt" "hello\n")
  (std.writeShellScript "hi" "echo hi")
  (std.runCommand "cmd" { FOO = "bar"; } "echo $FOO > $out")
  (std.symlinkJoin { name = "joined"; paths = [ (std.writeText "a" "a") (std.writeText "b" "b") ]; })
  (std.unpack { src = ./data/tree; name = "unpacked"; })
  (std.stdenv.mkDerivation { pname = "pkg"; version = "1.0"; src = ./data/tree; patches = [ ./data/hello.txt ];
    buildPhase = "true"; })
  (std.image { name = "img"; contents = [ (std.writeText "c" "c") ]; config.Cmd = [ "/bin/sh" ]; })
]
# ---
# The examples.
# args: -A default
import ../examples/c-program/recipe.cbl
# ---
# args: -A loud
import ../examples/c-program/recipe.cbl
# ---
import ../examples/pure-hello/recipe.cbl
