# builtins.fromTOML against Nix.
builtins.fromTOML ""
# ---
builtins.fromTOML ''
  title = "TOML example"
  count = 42
  negative = -17
  hex = 0xff
  ratio = 3.25
  exp = 5e+22
  flag = true
  list = [ 1, 2, 3 ]
  nested = [ [ 1, 2 ], [ "a", "b" ] ]
  inline = { x = 1, y = "two" }
  "quoted key" = "v"
  dotted.key.path = "deep"
  multi = """
  line one
  line two"""
  literal = 'C:\path\no\escapes'
  escaped = "tab\there \u00e9"

  [server]
  host = "localhost"
  ports = [ 8001, 8002 ]

  [server.alpha]
  ip = "10.0.0.1"

  [[products]]
  name = "Hammer"
  sku = 738594937

  [[products]]

  [[products]]
  name = "Nail"
  color = "gray"
''
# ---
fromTOML "a = 1"
# ---
builtins.fromTOML "mixed = [ 1, \"x\", 2.5 ]"
# ---
builtins.fromTOML "inf = inf\nnan = nan\nneg = -inf"
# ---
(builtins.fromTOML "x = 0.1").x + 1
# ---
builtins.fromTOML "d = 1979-05-27"
# ---
builtins.fromTOML "t = 07:32:00"
# ---
builtins.fromTOML "x = "
# ---
builtins.fromTOML "a = 1\na = 2"
# ---
builtins.fromTOML "[t]\n[t]"
# ---
builtins.fromTOML "key without value"
# ---
builtins.fromTOML 1
# ---
builtins.fromTOML "big = 9223372036854775807"
# ---
builtins.fromTOML "big = 9223372036854775808"
