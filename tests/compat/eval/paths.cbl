./a/b
# ---
./a/../b
# ---
./.
# ---
../x
# ---
/absolute/path
# ---
/a/./b/../c
# ---
./a + "/b"
# ---
./a + "b"
# ---
let x = "sub"; in ./data/${x}
# ---
./data + "/hello.txt"
# ---
builtins.pathExists ./data/hello.txt
# ---
builtins.pathExists ./data/missing
# ---
builtins.readFile ./data/hello.txt
# ---
builtins.readDir ./data
# ---
builtins.hashFile "sha256" ./data/hello.txt
# ---
builtins.baseNameOf ./data/hello.txt
# ---
builtins.dirOf ./data/hello.txt
# ---
builtins.toPath "/a/b/../c"
# ---
builtins.toPath "relative"
# ---
builtins.readFile ./data/missing
# ---
builtins.typeOf (./data + "/x")
# ---
"${/nonexistent/path/here}"
# ---
builtins.isPath (builtins.dirOf ./data)
# ---
./data == ./data
# ---
"/a" == /a
