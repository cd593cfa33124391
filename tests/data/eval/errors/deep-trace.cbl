let
  lib = { inner = x: x.missing; };
  go = n: lib.inner { present = n; };
in map go [ 1 2 ]
