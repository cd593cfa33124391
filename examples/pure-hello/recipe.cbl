# A recipe that needs nothing from the host but the static busybox: a
# shell-script "program", a data file, and a wrapper that combines them.
#
#   cstore build examples/pure-hello/recipe.cbl && ./result/bin/hello
let
  std = import <cstore>;
  greeting = std.writeText "greeting.txt" "Hello from a pure cstore build!\n";
in
std.stdenv.mkDerivation {
  pname = "pure-hello";
  version = "1.0";
  src = ./src;
  buildPhase = ''
    sed "s|@greeting@|${greeting}|; s|@shell@|$busybox/bin/sh|" hello.in > hello
    chmod +x hello
  '';
  installPhase = ''
    mkdir -p $out/bin $out/share/doc
    cp hello $out/bin/hello
    cp README $out/share/doc/README
  '';
}
