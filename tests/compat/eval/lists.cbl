builtins.length [ 1 2 3 ]
# ---
builtins.head [ 1 2 ]
# ---
builtins.tail [ 1 2 3 ]
# ---
builtins.head [ ]
# ---
builtins.tail [ ]
# ---
builtins.elemAt [ 1 2 3 ] 1
# ---
builtins.elemAt [ 1 ] 5
# ---
builtins.map (x: x * 2) [ 1 2 3 ]
# ---
map toString [ 1 2 ]
# ---
builtins.filter (x: x > 1) [ 1 2 3 ]
# ---
builtins.elem 2 [ 1 2 3 ]
# ---
builtins.elem 5 [ 1 2 3 ]
# ---
builtins.concatLists [ [ 1 ] [ 2 3 ] [ ] ]
# ---
builtins.concatMap (x: [ x x ]) [ 1 2 ]
# ---
builtins.foldl' (a: b: a + b) 0 [ 1 2 3 4 ]
# ---
builtins.foldl' (a: b: a ++ [ b ]) [ ] [ 1 2 ]
# ---
builtins.foldl' (a: b: a + b) 5 [ ]
# ---
builtins.genList (x: x * x) 5
# ---
builtins.genList (x: x) 0
# ---
builtins.genList (x: x) (-1)
# ---
builtins.sort builtins.lessThan [ 3 1 2 ]
# ---
builtins.sort (a: b: a > b) [ 3 1 2 5 4 ]
# ---
builtins.sort (a: b: a.k < b.k) [ { k = 2; v = "a"; } { k = 1; v = "b"; } { k = 2; v = "c"; } { k = 1; v = "d"; } ]
# ---
builtins.sort builtins.lessThan [ "b" "a" "c" ]
# ---
builtins.partition (x: x > 2) [ 1 2 3 4 ]
# ---
builtins.groupBy (x: if x > 2 then "big" else "small") [ 1 2 3 4 ]
# ---
builtins.all (x: x > 0) [ 1 2 ]
# ---
builtins.all (x: x > 1) [ 1 2 ]
# ---
builtins.any (x: x > 1) [ 1 2 ]
# ---
builtins.any (x: x > 5) [ ]
# ---
builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } ] else [ ]; }
# ---
builtins.genericClosure { startSet = [ { key = "a"; v = 1; } { key = "a"; v = 2; } ]; operator = x: [ ]; }
# ---
builtins.map (x: x) 1
# ---
builtins.length "abc"
# ---
builtins.elemAt [ 1 2 ] (-1)
# ---
let l = [ 1 2 3 ]; in [ l l ]
# ---
let l = [ 1 ]; in [ l l ]
# ---
let x = [ x ]; in x
# ---
builtins.filter (x: true) [ 1 2 3 ]
# ---
builtins.sort (a: b: throw "cmp") [ ]
# ---
builtins.concatLists [ 1 ]
# ---
# foldl' keeps its accumulator on the stack unless a step keeps a reference to it.
builtins.foldl' (acc: x: acc ++ [ acc ]) [ ] [ 1 2 3 ]
# ---
builtins.foldl' (acc: x: [ acc acc ]) [ ] [ 1 2 3 ]
# ---
let r = builtins.foldl' (acc: x: { prev = acc; n = x; f = y: acc; }) { } [ 1 2 3 ]; in [ r.prev.prev.n (r.f 0).n r.prev.n ]
# ---
let fs = builtins.foldl' (acc: x: acc ++ [ (y: acc) ]) [ ] [ 1 2 3 ]; in map (f: builtins.length (f 0)) fs
# ---
builtins.foldl' (acc: { a, b ? acc }: acc + a + b) 0 [ { a = 1; } { a = 2; b = 10; } { a = 3; } ]
# ---
builtins.foldl' (acc: x: with acc; { n = n + x; }) { n = 0; } [ 1 2 3 4 ]
# ---
builtins.foldl' builtins.add 0 [ 1 2 3 ]
# ---
builtins.foldl' (acc: x: builtins.seq acc (acc + x)) 0 (builtins.genList (i: i) 100)
# ---
let f = builtins.foldl' (acc: x: y: acc + x + y); in (f 0 [ 1 2 ]) 10
# ---
builtins.foldl' (acc: x: acc // { ${toString x} = acc; }) { } [ 1 2 ]
# ---
builtins.foldl' (acc: x: if x == 3 then throw "three" else acc + x) 0 [ 1 2 3 ]
# ---
# Builtins that only read their arguments get genList indices and foldl' accumulators in place.
builtins.genList (i: "${toString i}:${toString (builtins.bitAnd i 1)}:${builtins.typeOf i}") 4
# ---
builtins.genList (i: [ (toString i) i (builtins.add i 1) (builtins.lessThan i 2) (y: i + y) ]) 3
# ---
map (f: f 10) (builtins.genList (i: y: builtins.sub y i) 3)
# ---
builtins.foldl' (acc: x: builtins.substring 0 (builtins.stringLength acc) (acc + x)) "ab" [ "c" "d" ]
# ---
builtins.foldl' (acc: x: builtins.add acc x) 0 (builtins.genList (i: i * i) 10)
# ---
builtins.foldl' (acc: x: toString acc) { __toString = self: "s"; } [ 1 2 ]
# ---
builtins.foldl' (acc: x: builtins.isAttrs acc) { } [ 1 2 ]
# ---
builtins.genList (i: builtins.div 10 i) 2
