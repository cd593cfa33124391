builtins.attrNames { b = 1; a = 2; c = 3; }
# ---
builtins.attrValues { b = 1; a = 2; c = 3; }
# ---
builtins.getAttr "a" { a = 1; }
# ---
builtins.getAttr "z" { a = 1; }
# ---
builtins.hasAttr "a" { a = 1; }
# ---
builtins.hasAttr "b" { a = 1; }
# ---
builtins.removeAttrs { a = 1; b = 2; c = 3; } [ "a" "c" "zz" ]
# ---
builtins.listToAttrs [ { name = "a"; value = 1; } { name = "b"; value = 2; } ]
# ---
builtins.listToAttrs [ { name = "a"; value = 1; } { name = "a"; value = 2; } ]
# ---
builtins.listToAttrs [ { name = "a"; } ]
# ---
builtins.intersectAttrs { a = 1; b = 2; } { b = 3; c = 4; }
# ---
builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ]
# ---
builtins.mapAttrs (n: v: "${n}=${toString v}") { x = 1; y = 2; }
# ---
builtins.zipAttrsWith (n: vs: vs) [ { a = 1; b = 2; } { a = 3; } ]
# ---
builtins.zipAttrsWith (n: vs: builtins.length vs) [ { a = 1; } { a = 2; c = 3; } ]
# ---
builtins.attrNames (builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 12))
# ---
builtins.isAttrs { }
# ---
builtins.attrNames 1
# ---
builtins.mapAttrs (n: v: v + 1) { a = 1; } // { b = 2; }
# ---
builtins.attrNames { "z" = 1; "Z" = 2; "_" = 3; "0" = 4; }
# ---
builtins.getAttr "a" 1
