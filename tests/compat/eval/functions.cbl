(x: x + 1) 2
# ---
(x: y: x * y) 3 4
# ---
({ a, b }: a + b) { a = 1; b = 2; }
# ---
({ a, b ? 10 }: a + b) { a = 1; }
# ---
({ a, ... }: a) { a = 1; c = 2; }
# ---
(args@{ a, ... }: args.c) { a = 1; c = 2; }
# ---
({ a }@args: a + args.a) { a = 3; }
# ---
({ a, b ? a * 2 }: b) { a = 5; }
# ---
({ a }: a) { a = 1; b = 2; }
# ---
({ a, b }: a) { a = 1; }
# ---
({ }: 1) { }
# ---
(x: x) 
# ---
let f = x: y: x; in f 1 2
# ---
let compose = f: g: x: f (g x); in compose (x: x * 2) (x: x + 1) 5
# ---
let fix = f: let x = f x; in x; in (fix (self: { a = 1; b = self.a + 1; })).b
# ---
let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 15
# ---
let f = { __functor = self: x: x + self.n; n = 10; }; in f 5
# ---
builtins.functionArgs ({ a, b ? 1 }: a)
# ---
builtins.functionArgs (x: x)
# ---
builtins.functionArgs builtins.add
# ---
1 2
# ---
let f = a: b: c: a + b + c; g = f 1; h = g 2; in [ (h 3) (g 2 4) ]
# ---
(builtins.add 1)
# ---
let apply = f: f 1; in apply (builtins.add 2)
# ---
let a = x: x; in builtins.isFunction a
# ---
({ a ? 1, b ? a + 1, c ? b + 1 }: c) { }
