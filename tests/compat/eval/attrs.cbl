{ a = 1; b = "x"; }
# ---
rec { a = 1; b = a + 1; }
# ---
{ a.b.c = 1; a.b.d = 2; a.e = 3; }
# ---
{ a = { x = 1; }; a.y = 2; }
# ---
let k = "dyn"; in { ${k} = 1; "${k}2" = 2; "quoted key" = 3; }
# ---
{ ${null} = 1; b = 2; }
# ---
let x = 1; y = 2; in { inherit x y; }
# ---
let s = { a = 1; b = 2; }; in { inherit (s) a b; }
# ---
rec { inherit (self) x; self = { x = 5; }; }
# ---
{ a = 1; a = 2; }
# ---
{ "a b" = 1; "if" = 2; "x-y" = 3; "_z" = 4; "1" = 5; }
# ---
let k = "a"; in { ${k} = 1; a = 2; }
# ---
{ a = 1; }.a
# ---
rec { x = y; y = 1; }.x
# ---
let a = { b = { c = 42; }; }; in a.b.c
# ---
let n = "b"; in { a = { b = 1; }; }.a.${n}
# ---
let n = "b"; in { a = { b = 1; }; }.a."${n}"
# ---
(rec { a = 1; b = { c = a; }; }).b.c
# ---
{ a = 1; }.b
# ---
let { x = 1; body = x + 1; }
# ---
{ x.y = 1; x = { z = 2; }; }
# ---
let f = n: { inherit n; }; in [ (f 1) (f 2) ]
# ---
builtins.attrNames (rec { z = 1; a = z; m = a; })
