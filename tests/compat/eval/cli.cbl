# lazy
{ a = 1 + 1; b = 1; c = "x"; d = x: x; e = [ 1 (1 + 1) ]; f = { }; g = ./x; h = builtins.add; i = null; }
# ---
# lazy
[ 1 "x" ./a (1 + 1) { } [ ] (x: x) true ]
# ---
# lazy
let x = 1 + 1; in [ x ]
# ---
# lazy
rec { a = 1; b = a; c = 1 + 1; }
# ---
# lazy
let x = 2; in { inherit x; y = x; }
# ---
# lazy
builtins.map (x: x) [ 1 2 ]
# ---
# lazy
{ a = { b = 1 + 1; }; }
# ---
# lazy
builtins.attrNames { inherit (builtins) map filter; }
# ---
# lazy
(x: x) 5
# ---
# lazy
{ a ? 1 }: a
# ---
# args: --arg b 2
{ a ? 1, b }: a + b
# ---
# args: --argstr name world
{ name }: "hello ${name}"
# ---
# args: --arg b 2
x: x
# ---
# args: --arg b 2
{ a }: a
# ---
# args: -A a.b
{ a = { b = [ 1 2 ]; }; }
# ---
# args: -A x.1
{ x = [ 10 20 30 ]; }
# ---
# args: -A missing
{ a = 1; }
# ---
# args: -A a --arg n 3
{ n }: { a = n * 2; }
# ---
# args: --arg b 1
{ __functor = self: { b }: b + 1; }
# ---
# lazy
let f = { a ? 1 }: a; in f
# ---
# lazy
{ a = throw "not forced"; }
# ---
# lazy
[ (throw "x") ]
# ---
# args: -A b
{ a = throw "unselected"; b = 1; }
# ---
# lazy
# integer arithmetic in an argument stays a thunk when printed unevaluated
(x: { a = x; }) (1 + 2)
# ---
# lazy
(x: y: [ x y ]) (1 - 2) (3 * 4)
# ---
# lazy
let f = n: { inherit n; next = f (n - 1); }; in (f 10).next
