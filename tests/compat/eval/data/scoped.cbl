extra + 1
