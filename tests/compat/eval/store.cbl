"${./data/hello.txt}"
# ---
"${./data/tree}"
# ---
"prefix-${./data/tree}/sub/b.txt"
# ---
builtins.toFile "notes.txt" "some text"
# ---
builtins.toFile "with-ref" "see ${builtins.toFile "dep" "x"}"
# ---
builtins.filterSource (path: type: type != "directory") ./data/tree
# ---
builtins.filterSource (path: type: baseNameOf path != "a.txt") ./data/tree
# ---
builtins.path { path = ./data/tree; name = "renamed"; }
# ---
builtins.path { path = ./data/tree; filter = p: t: t == "directory" || baseNameOf p == "b.txt"; }
# ---
builtins.toJSON { p = ./data/hello.txt; }
# ---
builtins.hasContext "${./data/hello.txt}"
# ---
builtins.stringLength "${./data/hello.txt}"
# ---
let p = "${./data/tree}"; in builtins.storePath p
# ---
builtins.storePath "/tmp/not-in-store"
# ---
builtins.placeholder "dev"
# ---
builtins.toFile "bad/name" "x"
# ---
builtins.path { path = ./data/missing; }
# ---
builtins.readFile (builtins.toFile "rt" "round trip")
# ---
[ (builtins.unsafeDiscardStringContext "${./data/hello.txt}") (toString ./data/hello.txt) ]
# ---
builtins.toFile "drvref" "${builtins.placeholder "out"}"
