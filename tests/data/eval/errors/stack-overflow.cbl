let f = n: f (n + 1) + 1; in f 0
