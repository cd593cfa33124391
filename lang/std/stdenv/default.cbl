# stdenv.mkDerivation: a build in phases (unpack, patch, configure, build,
# check, install, fixup) driven by ./setup.sh under the static busybox.
#
#   stdenv.mkDerivation {
#     pname = "hello"; version = "1.0";
#     src = ./src;                      # a directory, a tarball (any libarchive format) or a fetchurl
#     patches = [ ./fix.patch ];        # applied with `patch -p1`
#     buildInputs = [ libfoo ];         # their bin/ on PATH, include/ and lib/ in CFLAGS/LDFLAGS
#     hostToolchain = true;             # use the host's compiler and make (needs sandbox-paths)
#     makeFlags = [ "PREFIX=$(out)" ];
#     buildPhase = "...";               # any phase can be replaced
#   }
{ system, busybox, lib, trivial }:
{
  mkDerivation =
    { name ? "${pname}-${version}"
    , pname ? null
    , version ? null
    , src ? null
    , patches ? [ ]
    , buildInputs ? [ ]
    , nativeBuildInputs ? [ ]
    , hostToolchain ? false
    , configureFlags ? [ ]
    , makeFlags ? [ ]
    , installFlags ? [ ]
    , doCheck ? false
    , ...
    }@attrs:
    let
      isArchive = src != null && builtins.isString (toString src)
        && builtins.match ".*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2|tar\\.xz|txz|tar\\.zst|zip)$" (toString src) != null;
      unpackedSrc =
        if src == null then null
        else if isArchive then trivial.unpackArchive { inherit src; name = "${name}-source"; }
        else src;
      extra = removeAttrs attrs [ "pname" "version" "src" "patches" "buildInputs" "nativeBuildInputs"
                                  "hostToolchain" "configureFlags" "makeFlags" "installFlags" "doCheck" "name" ];
    in
    derivation ({
      inherit name system;
      builder = "${busybox}/bin/sh";
      args = [ "-e" ./setup.sh ];
      inherit busybox patches configureFlags makeFlags installFlags;
      src = if unpackedSrc == null then "" else unpackedSrc;
      buildInputs = buildInputs ++ nativeBuildInputs;
      doCheck = if doCheck then "1" else "";
      hostToolchain = if hostToolchain then "1" else "";
    } // lib.optionalAttrs hostToolchain { impureHostDeps = lib.hostToolchainPaths; }
      // extra);
}
