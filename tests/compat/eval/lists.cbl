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
