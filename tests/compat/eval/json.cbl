builtins.toJSON { a = 1; b = [ true false null ]; c = "s\n\"q\""; d = 1.5; }
# ---
builtins.toJSON [ ]
# ---
builtins.toJSON { }
# ---
builtins.toJSON "é"
# ---
builtins.toJSON "\t\u0001"
# ---
builtins.toJSON 0.1
# ---
builtins.toJSON { __toString = self: "x"; }
# ---
builtins.toJSON { outPath = "/o"; a = 1; }
# ---
builtins.toJSON (x: x)
# ---
builtins.fromJSON "{\"a\": [1, 2.5, \"x\", true, null], \"b\": {}}"
# ---
builtins.fromJSON "[]"
# ---
builtins.fromJSON "\"\\u00e9\\n\""
# ---
builtins.fromJSON "1e3"
# ---
builtins.fromJSON "-12"
# ---
builtins.fromJSON "{"
# ---
builtins.fromJSON "  true  "
# ---
builtins.fromJSON "[1,]"
# ---
builtins.fromJSON (builtins.toJSON { x = [ 1 "two" { three = 3; } ]; })
# ---
builtins.fromJSON "{\"a\":1,\"a\":2}"
