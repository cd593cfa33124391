let a = 1; b = a + 1; in b
# ---
let a = b; b = 2; in a
# ---
let x = x; in x
# ---
let a = 1; in let a = 2; in a
# ---
with { a = 1; }; a
# ---
with { a = 1; }; with { a = 2; }; a
# ---
let a = 1; in with { a = 2; }; a
# ---
with { a = 1; }; let b = 2; in a + b
# ---
with builtins; length [ 1 2 ]
# ---
with { }; undefinedThing
# ---
if true then 1 else 2
# ---
if 1 < 2 then "yes" else "no"
# ---
if null then 1 else 2
# ---
assert 1 == 1; "ok"
# ---
assert 1 == 2; "no"
# ---
assert true; assert true; 3
# ---
let f = x: assert x > 0; x; in f 1
# ---
let f = x: assert x > 0; x; in f 0
# ---
let inherit (builtins) length; in length [ 1 ]
# ---
let x = 1; inherit x; in x
# ---
unknownVariable
# ---
let s = { a = 1; }; in with s; a + 1
# ---
with { x = 1; }; with { y = 2; }; x + y
# ---
let a.b = 1; in a
