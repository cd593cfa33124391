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
  (std.fetchurl { url = "https://example.org/x-1.0.tar.gz"; hash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; })
  (std.fetchurl { urls = [ "https://a.example/t" "https://b.example/t" ]; sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; executable = true; name = "tool"; })
  (std.writeScript "plain-script" "#!/bin/sh\necho x\n")
  (std.imageIndex { name = "multi"; images = [ (std.image { name = "i"; }) ]; })
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
