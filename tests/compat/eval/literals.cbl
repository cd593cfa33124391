123
# ---
-5
# ---
1.5
# ---
.25
# ---
1.0e3
# ---
0.1
# ---
123456789.123
# ---
3.0e-10
# ---
"hello"
# ---
"esc \n \t \r \" \\ \$ \q"
# ---
"$${x} $$ $a"
# ---
"a${"b"}c"
# ---
"${toString 12}"
# ---
null
# ---
true
# ---
false
# ---
[ 1 2 3 ]
# ---
[ ]
# ---
{ }
# ---
[ (1) (2.0) ("x") null true ]
# ---
x:x
# ---
http://example.org/a?b=c&d=e
# ---
__curPos.line
# ---
builtins.typeOf __curPos.file
# ---
"multi
# ---
line"
# ---
# comment only line
# ---
1 /* block */ + /* x */ 2
# ---
"\u0041"
# ---
[ 1.0 2.50 100000.0 1000000.0 1.0e21 ]
# ---
9223372036854775807
