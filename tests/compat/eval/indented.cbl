''
  hello
    world
''
# ---
''
  a
  b''
# ---
''a ${"b"} c''
# ---
''
    ${"x"}
  y
  ''
# ---
''
  ''$x ''' ''\n ''\t done
''
# ---
''  
  first

  second
''
# ---
''''
# ---
''
	tab
  ''
# ---
''
  $ not interp $x '
  ''
# ---
let x = "X"; in ''
  ${x}y
    ${x}
''
# ---
''
  a
 ''
# ---
''
  trailing   
''
