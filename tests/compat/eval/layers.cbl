let big = builtins.listToAttrs (builtins.genList (i: { name = "a${toString i}"; value = i; }) 100); in big // { x = 1; }
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "a${toString i}"; value = i; }) 100); in builtins.attrNames (big // { a5 = "over"; zz = 2; })
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "a${toString i}"; value = i; }) 100); s = builtins.foldl' (acc: i: acc // { "a${toString (i * 7)}" = -i; }) big (builtins.genList (i: i) 40); in [ s.a0 s.a7 s.a14 s.a273 s.a99 (builtins.length (builtins.attrValues s)) ]
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k1 = 100; }; in [ (l == big) (l == (big // { k1 = 100; })) (l // { } == l) (builtins.hasAttr "k69" l) (l ? k1) (l.k1) ]
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k1 = 100; }; in [ l l (l // { }) ]
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); f = { k1, k2, ... }: k1 + k2; in f (big // { k2 = 50; })
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); f = { k1, k2 }: k1 + k2; in f (big // { k2 = 50; })
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k3 = "x"; }; in [ (builtins.toJSON (builtins.removeAttrs l (builtins.genList (i: "k${toString (i + 5)}") 65))) (builtins.intersectAttrs { k3 = 0; k4 = 0; } l) (builtins.mapAttrs (n: v: v) (builtins.removeAttrs l (builtins.genList (i: "k${toString (i + 2)}") 68))) ]
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k3 = "x"; }; in with l; [ k3 k4 ]
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k3 = "x"; }; in (builtins.zipAttrsWith (n: vs: vs) [ l { k3 = 1; } ]).k3
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = builtins.foldl' (a: i: a // { k0 = i; }) big (builtins.genList (i: i) 100); in [ l.k0 (builtins.length (builtins.attrNames l)) (builtins.catAttrs "k0" [ l l ]) ]
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k3 = "x"; }; in l.k70
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k3 = "x"; }; in builtins.deepSeq l (builtins.getAttr "k3" l)
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); l = big // { k3 = throw "layered"; }; in builtins.deepSeq l 1
# ---
let big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 70); in (big // { k3 = 3; }) // (big // { k4 = 4; })
