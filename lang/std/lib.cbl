# Small helpers over builtins, in the spirit of nixpkgs' lib (a tiny subset).
rec {
  id = x: x;
  const = x: _: x;
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalString = cond: s: if cond then s else "";
  optionalAttrs = cond: as: if cond then as else { };
  concatMapStrings = f: xs: builtins.concatStringsSep "" (map f xs);
  concatStringsSep = builtins.concatStringsSep;
  makeBinPath = paths: builtins.concatStringsSep ":" (map (p: "${p}/bin") paths);
  makeSearchPath = sub: paths: builtins.concatStringsSep ":" (map (p: "${p}/${sub}") paths);
  attrByPath = path: default: set:
    if path == [ ] then set
    else let h = builtins.head path; in
      if builtins.hasAttr h set then attrByPath (builtins.tail path) default set.${h} else default;
  filterAttrs = pred: set:
    builtins.listToAttrs (builtins.filter (x: pred x.name x.value)
      (map (name: { inherit name; value = set.${name}; }) (builtins.attrNames set)));
  mapAttrsToList = f: set: map (name: f name set.${name}) (builtins.attrNames set);
  versionAtLeast = a: b: builtins.compareVersions a b >= 0;
  getName = drv: (builtins.parseDrvName (drv.name or drv)).name;
  getVersion = drv: (builtins.parseDrvName (drv.name or drv)).version;
  toUpper = s: builtins.replaceStrings
    [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ]
    [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ] s;
  # The host toolchain, for `impureHostDeps` (allow it with sandbox-paths = /usr /lib /lib64 /bin).
  hostToolchainPaths = [ "/usr" "/lib" "/lib64" "/bin" ];
}
