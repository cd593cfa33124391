{ double = x: x * 2; value = "lib"; nested = import ./fn.cbl { x = 1; }; }
