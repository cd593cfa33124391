builtins.stringLength "hello"
# ---
builtins.stringLength ""
# ---
builtins.substring 1 3 "abcdef"
# ---
builtins.substring 2 100 "abcdef"
# ---
builtins.substring 10 2 "abc"
# ---
builtins.substring 1 (-1) "abcdef"
# ---
builtins.substring (-1) 2 "abc"
# ---
builtins.concatStringsSep ", " [ "a" "b" "c" ]
# ---
builtins.concatStringsSep "-" [ ]
# ---
builtins.concatStringsSep "," [ "a" 1 ]
# ---
builtins.replaceStrings [ "a" "b" ] [ "x" "yy" ] "aabbc"
# ---
builtins.replaceStrings [ "" ] [ "-" ] "abc"
# ---
builtins.replaceStrings [ "ab" "a" ] [ "1" "2" ] "aab"
# ---
builtins.replaceStrings [ "a" ] [ "b" "c" ] "a"
# ---
toString 1
# ---
toString 1.5
# ---
toString true
# ---
toString false
# ---
toString null
# ---
toString [ 1 [ ] "a" [ 2 ] ]
# ---
toString { __toString = self: "custom"; }
# ---
toString { outPath = "/some/path"; }
# ---
toString (x: x)
# ---
builtins.toString 12
# ---
"${1}"
# ---
"${true}"
# ---
"x${null}"
# ---
builtins.unsafeDiscardStringContext "abc"
# ---
builtins.hashString "sha256" "hello"
# ---
builtins.hashString "md5" "hello"
# ---
builtins.hashString "sha1" ""
# ---
builtins.hashString "sha512" "abc"
# ---
builtins.hashString "bogus" "x"
# ---
builtins.baseNameOf "/a/b/c.txt"
# ---
builtins.baseNameOf "/a/b/"
# ---
builtins.baseNameOf "file"
# ---
builtins.dirOf "/a/b/c"
# ---
builtins.dirOf "/a"
# ---
builtins.dirOf "a"
# ---
builtins.dirOf "/a/b/"
# ---
builtins.parseDrvName "hello-2.10"
# ---
builtins.parseDrvName "foo-bar-1.2.3-pre"
# ---
builtins.parseDrvName "nameonly"
# ---
builtins.splitVersion "1.2.3pre4-rc1"
# ---
builtins.splitVersion ""
# ---
builtins.compareVersions "1.0" "2.3"
# ---
builtins.compareVersions "2.3" "2.3"
# ---
builtins.compareVersions "2.3.1" "2.3a"
# ---
builtins.compareVersions "1.0pre1" "1.0"
# ---
builtins.compareVersions "1.10" "1.9"
# ---
builtins.compareVersions "a" "b"
# ---
builtins.compareVersions "2.3" "2.3.0"
# ---
builtins.typeOf "x"
# ---
builtins.isString "x"
# ---
"${builtins.toJSON { a = 1; }}"
# ---
"a" + toString 5 + "b"
# ---
builtins.stringLength (builtins.concatStringsSep "" (builtins.genList (i: "ab") 100))
# ---
builtins.replaceStrings [ "aa" "a" ] [ "b" (throw "every replacement is forced") ] "aaaa"
# ---
builtins.hasContext (builtins.replaceStrings [ "x" ] [ "${builtins.toFile "f" "x"}" ] "abc")
# ---
let s = "abcdef"; t = builtins.substring 2 10 s; in [ s t (t + "X") (s + "Y") (builtins.substring 6 1 s) "${t}" ]
# ---
builtins.foldl' (acc: i: acc + toString i) "" (builtins.genList (i: i) 20)
# ---
# replaceStrings: candidates that match no pattern, patterns sharing a first byte, matches at the ends.
builtins.replaceStrings [ "ab" "a" "bc" ] [ "X" "Y" "Z" ] "aabcabxbcaa"
# ---
builtins.replaceStrings [ "aaa" "aa" ] [ "3" "2" ] "aaaaaaa-aa-a"
# ---
builtins.replaceStrings [ "even" "odd" ] [ "EVEN" "ODD" ] "line 1: odd\nline 2: even\nelevenoddo"
# ---
builtins.replaceStrings [ "x" ] [ "" ] "xxaxx"
# ---
builtins.replaceStrings [ ] [ ] "abc"
# ---
builtins.replaceStrings [ "" "a" ] [ "-" "A" ] "abc"
# ---
builtins.replaceStrings [ "é" ] [ "e" ] "café é"
# ---
# `toString n` inside interpolations and concatenations.
let n = -42; in "a${toString n}b${toString 7}c${toString (n + 1)}"
# ---
let toString = x: "shadowed"; n = 1; in "${toString n}"
# ---
with { toString = x: "with"; }; let n = 3; in "${toString n}:${builtins.toString n}"
# ---
let f = x: "${toString x}"; in [ (f 1) (f "s") (f 2.5) (f null) (f [ 1 2 ]) (f true) ]
# ---
let n = 5; in toString n + "x" + toString n
# ---
let n = 5; in 1 + toString n
# ---
let n = 5; in /a + toString n
# ---
let n = 5; in "${toString n}${toString n}${toString n}${toString n}${toString n}${toString n}"
# ---
builtins.genList (i: "${toString i}-${toString (i * 2)}") 3
# ---
let n = 9223372036854775807; in "${toString n}|${toString (-9223372036854775807 - 1)}"
