builtins.match "a(b)c" "abc"
# ---
builtins.match "a(b)c" "abcd"
# ---
builtins.match "(a)|(b)" "b"
# ---
builtins.match "([0-9]+)\\.([0-9]+)" "12.34"
# ---
builtins.match ".*" ""
# ---
builtins.match "(.*)b" "aabab"
# ---
builtins.match "[[:alpha:]]+" "abc"
# ---
builtins.match "a(b)?c" "ac"
# ---
builtins.match "foo" "foobar"
# ---
builtins.split "(a)b" "abc"
# ---
builtins.split "([ac])" "abc"
# ---
builtins.split "(a)|(c)" "abc"
# ---
builtins.split "([[:upper:]]+)" " FOO "
# ---
builtins.split "," "a,b,,c"
# ---
builtins.split "x" "abc"
# ---
builtins.split "" "ab"
# ---
builtins.split "x*" "ab"
# ---
builtins.match "(" "x"
# ---
builtins.match "([a-z]+)-([0-9]+)" "name-123"
# ---
builtins.split "(-)" "a-b-c"
