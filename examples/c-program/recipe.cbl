# A C library and a program that links it, built from the sources here with
# the host's gcc and make (through impureHostDeps, which the sandbox-paths
# setting must allow), a patch applied to the library, and an option that
# changes the program. Both variants can coexist in the store:
#
#   cstore build examples/c-program/recipe.cbl --option sandbox-paths "/usr /lib /lib64 /bin"
#   cstore build examples/c-program/recipe.cbl -A loud -o result-loud --option sandbox-paths "/usr /lib /lib64 /bin"
{ loud ? false }:
let
  std = import <cstore>;
  inherit (std) stdenv;

  libgreet = stdenv.mkDerivation {
    pname = "libgreet";
    version = "1.0";
    src = ./libgreet;
    patches = [ ./patches/greetings.patch ];
    hostToolchain = true;
  };

  hello = { loud }: stdenv.mkDerivation {
    pname = if loud then "hello-loud" else "hello";
    version = "1.0";
    src = ./hello;
    buildInputs = [ libgreet ];
    hostToolchain = true;
    makeFlags = if loud then [ "EXTRA_CFLAGS=-DLOUD" ] else [ ];
  };
in
hello { inherit loud; } // {
  inherit libgreet;
  default = hello { loud = false; };
  loud = hello { loud = true; };
}
