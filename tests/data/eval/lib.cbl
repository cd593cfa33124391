{ value = "lib"; }
