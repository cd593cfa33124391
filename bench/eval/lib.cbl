# CPU: library-style code, fixpoints with overlays, recursive attribute updates.
let
  fix = f: let x = f x; in x;
  extends = overlay: base: self: let super = base self; in super // overlay self super;
  base = self: builtins.listToAttrs (builtins.genList (i: { name = "pkg${toString i}"; value = { version = i; deps = if i > 0 then [ self."pkg${toString (i - 1)}" ] else [ ]; }; }) 5000);
  overlays = builtins.genList (j: self: super: { "pkg${toString j}" = super."pkg${toString j}" // { patched = true; }; }) 500;
  pkgs = fix (builtins.foldl' (acc: o: extends o acc) base overlays);
  depth = p: if p.deps == [ ] then 0 else 1 + depth (builtins.head p.deps);
in builtins.foldl' (acc: name: acc + pkgs.${name}.version) 0 (builtins.attrNames pkgs) + depth pkgs.pkg4999
