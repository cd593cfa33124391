# Memory: large attribute sets built, merged, mapped and queried.
let
  n = 100000;
  names = builtins.genList (i: "key${toString i}") n;
  big = builtins.listToAttrs (builtins.map (name: { inherit name; value = builtins.stringLength name; }) names);
  doubled = builtins.mapAttrs (name: v: v * 2) big;
  merged = big // doubled // { extra = 1; };
  small = builtins.foldl' (acc: i: acc // { "k${toString (builtins.bitAnd i 63)}" = i; }) { } (builtins.genList (i: i) 20000);
  lookups = builtins.foldl' (acc: name: acc + merged.${name}) 0 names;
in lookups + builtins.length (builtins.attrNames merged) + builtins.length (builtins.attrValues small)
  + builtins.length (builtins.attrNames (builtins.intersectAttrs big doubled))
