# CPU and memory: a long list built lazily, mapped, filtered and folded strictly.
let
  xs = builtins.genList (x: x) 1000000;
  ys = builtins.map (x: x * 3) xs;
  zs = builtins.filter (x: builtins.bitAnd x 1 == 0) ys;
in builtins.foldl' (acc: x: acc + x) 0 zs + builtins.length (builtins.concatLists [ xs ys ])
