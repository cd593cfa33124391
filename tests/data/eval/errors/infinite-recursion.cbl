let
  a = b;
  b = a;
in a
