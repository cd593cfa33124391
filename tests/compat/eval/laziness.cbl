let x = throw "never"; in 1
# ---
[ 1 (throw "lazy") ] != [ ]
# ---
builtins.length [ (throw "a") (throw "b") ]
# ---
{ a = throw "x"; }.b or 1
# ---
builtins.attrNames { a = throw "x"; }
# ---
let l = builtins.genList (i: if i == 3 then throw "three" else i) 5; in builtins.elemAt l 2
# ---
builtins.head (builtins.map (x: x * 2) [ 3 (throw "no") ])
# ---
let f = { a ? throw "unused" }: 1; in f { }
# ---
(rec { a = b; b = a; }).a
# ---
let a = { x = a; }; in a.x.x.x ? x
# ---
builtins.length (builtins.filter (x: x) [ true false true ])
# ---
let s = { a = 1; }; in builtins.seq s.a s
