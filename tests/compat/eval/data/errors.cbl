let f = x: x.missing; in f { present = 1; }
