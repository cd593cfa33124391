# Derivations that need nothing but the shell.
{ system, busybox, lib }:
rec {
  # runCommand "name" { attrs... } "shell script": $out is whatever the script makes.
  runCommand = name: env: script:
    derivation ({
      inherit name system;
      builder = "${busybox}/bin/sh";
      args = [ "-e" "-c" script ];
      PATH = "${busybox}/bin";
    } // env);

  writeText = name: text: runCommand name {
    inherit text;
    passAsFile = [ "text" ];
  } ''cp "$textPath" "$out"'';

  writeScript = name: text: runCommand name {
    inherit text;
    passAsFile = [ "text" ];
  } ''cp "$textPath" "$out"; chmod +x "$out"'';

  writeShellScript = name: text: writeScript name ''
    #!${busybox}/bin/sh
    ${text}
  '';

  # A tree of symlinks to the files of several packages.
  symlinkJoin = { name, paths, postBuild ? "" }: runCommand name { inherit paths postBuild; } ''
    mkdir -p "$out"
    for p in $paths; do
      cd "$p"
      find . -mindepth 1 -type d | while read -r d; do mkdir -p "$out/$d"; done
      find . -mindepth 1 ! -type d | while read -r f; do
        [ -e "$out/$f" ] || [ -L "$out/$f" ] || ln -s "$p/$f" "$out/$f"
      done
    done
    cd "$out"
    eval "$postBuild"
  '';

  # Unpacks a tarball or zip (any format libarchive reads) into a directory.
  unpackArchive = { src, name ? "source", stripRoot ? true }: derivation {
    inherit name system src;
    builder = "builtin:unpack";
    stripRoot = if stripRoot then "1" else "0";
  };
}
