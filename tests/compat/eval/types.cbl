map builtins.typeOf [ 1 1.0 "s" true null [ ] { } (x: x) builtins.add (builtins.add 1) ./. ]
# ---
builtins.isInt 1
# ---
builtins.isInt 1.0
# ---
builtins.isFloat 1.0
# ---
builtins.isBool false
# ---
builtins.isNull null
# ---
builtins.isList [ ]
# ---
builtins.isPath ./.
# ---
builtins.isPath "/a"
# ---
builtins.isFunction builtins.map
# ---
builtins.isFunction { __functor = s: x: x; }
# ---
builtins.add 1 2
# ---
builtins.add 1.5 2
# ---
builtins.sub 5 7
# ---
builtins.mul 3 4
# ---
builtins.div 7 2
# ---
builtins.div 7.0 2
# ---
builtins.div 1 0
# ---
builtins.lessThan 1 2
# ---
builtins.bitAnd 12 10
# ---
builtins.bitOr 12 10
# ---
builtins.bitXor 12 10
# ---
builtins.ceil 1.2
# ---
builtins.floor 1.8
# ---
builtins.ceil (-1.5)
# ---
builtins.floor 2
# ---
builtins.add "a" 1
# ---
builtins.seq 1 2
# ---
builtins.seq (throw "x") 2
# ---
builtins.deepSeq { a = 1; } 2
# ---
builtins.deepSeq { a = throw "deep"; } 2
# ---
builtins.seq { a = throw "shallow"; } 2
# ---
builtins.tryEval 1
# ---
builtins.tryEval (throw "x")
# ---
builtins.tryEval (assert false; 1)
# ---
builtins.tryEval (abort "x")
# ---
builtins.tryEval ({ }.a)
# ---
throw "boom"
# ---
abort "aborted"
# ---
builtins.throw "x"
# ---
builtins.langVersion
# ---
builtins.nixVersion
# ---
builtins.storeDir
# ---
builtins.isAttrs builtins
# ---
builtins.builtins.true
# ---
builtins.currentSystem
# ---
builtins.typeOf builtins.currentTime
# ---
builtins.getEnv "THIS_VARIABLE_IS_NOT_SET_ANYWHERE"
# ---
builtins.placeholder "out"
# ---
builtins.trace "message" 42
# ---
builtins.addErrorContext "ctx" 5
# ---
builtins.unsafeGetAttrPos "b" { a = 1; b = 2; }
