# CPU and memory: strings built by interpolation, concatenation and replacement.
let
  n = 200000;
  lines = builtins.genList (i: "line ${toString i}: ${if builtins.bitAnd i 1 == 0 then "even" else "odd"}") n;
  text = builtins.concatStringsSep "\n" lines;
  replaced = builtins.replaceStrings [ "even" "odd" ] [ "EVEN" "ODD" ] text;
  pieces = builtins.map (l: builtins.substring 0 8 l + "-" + builtins.toJSON { inherit l; }) lines;
  chunked = builtins.foldl' (acc: i: acc + "x") "" (builtins.genList (i: i) 6000);
in builtins.stringLength replaced + builtins.stringLength (builtins.concatStringsSep "" pieces)
  + builtins.stringLength chunked
