builtins.substring 0 1 1
# ---
builtins.concatStringsSep 1 [ ]
# ---
builtins.attrNames [ ]
# ---
builtins.listToAttrs [ 1 ]
# ---
builtins.genList 1 2
# ---
builtins.sort (a: b: 1) [ 2 1 ]
# ---
builtins.filter (x: 1) [ 1 ]
# ---
builtins.foldl' 1 0 [ 1 ]
# ---
builtins.elem 1 1
# ---
builtins.hasAttr 1 { }
# ---
builtins.removeAttrs { } [ 1 ]
# ---
builtins.match 1 "a"
# ---
builtins.split "a" 1
# ---
builtins.fromJSON "nope"
# ---
builtins.toJSON { a = x: x; }
# ---
builtins.compareVersions 1 "1"
# ---
builtins.parseDrvName 1
# ---
builtins.mapAttrs (n: v: v) 1
# ---
builtins.catAttrs 1 [ ]
# ---
builtins.intersectAttrs 1 { }
# ---
builtins.zipAttrsWith (n: v: v) [ 1 ]
# ---
builtins.genericClosure { startSet = [ { } ]; operator = x: [ ]; }
# ---
builtins.genericClosure { operator = x: [ ]; }
# ---
builtins.functionArgs 1
# ---
builtins.typeOf (throw "x")
# ---
builtins.readFile 1
# ---
builtins.getEnv 1
# ---
{ a = 1; } // 1
# ---
[ 1 ] ++ 1
# ---
!1
# ---
if 1 then 2 else 3
# ---
1 && true
# ---
true || 1
# ---
null.a
# ---
let f = x: x; in f.a
# ---
({ a }: a) 1
# ---
"${{ }}"
# ---
"${x: x}"
# ---
{ ${1} = 2; }
# ---
{ a = 1; ${"a"} = 2; }
# ---
builtins.elemAt [ ] 0
# ---
-"a"
# ---
[ 1 2 ] < [ 1 "a" ]
# ---
(x: x) < (x: x)
# ---
{ } < { }
# ---
builtins.storePath "/nix/store/abc"
# ---
builtins.deepSeq [ (throw "deep") ] 1
# ---
builtins.ceil "a"
# ---
builtins.bitAnd 1 "a"
# ---
builtins.tail 1
# ---
builtins.length { }
# ---
builtins.head "abc"
# ---
let x = { a = x.b; b = x.a; }; in x.a
# ---
builtins.import ./data/missing.cbl
# ---
builtins.trace (throw "t") 1
