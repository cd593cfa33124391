let
  check = n: assert n > 0; n;
in check 0
