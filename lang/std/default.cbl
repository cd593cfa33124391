# The cstore standard library: `import <cstore>` (or `import <cstore> {}`-free: it is an
# attribute set, not a function). Everything here builds from the static busybox
# alone, unless a recipe asks for the host toolchain (see stdenv.nix's `hostToolchain`).
let
  system = builtins.currentSystem;
  lib = import ./lib.cbl;
  busybox = import ./busybox.cbl { inherit system; };
  trivial = import ./trivial.cbl { inherit system busybox lib; };
  fetchurl = import ./fetchurl.cbl { inherit lib; };
  stdenv = import ./stdenv/default.cbl { inherit system busybox lib trivial; };
  images = import ./image.cbl { inherit system lib; };
in
{
  inherit lib busybox fetchurl stdenv system;
  inherit (trivial) runCommand writeText writeShellScript writeScript symlinkJoin;
  inherit (images) image imageIndex;
  unpack = trivial.unpackArchive;
}
