#!/usr/bin/env python3
"""Emits a DAG of trivial derivations for the build benchmark.

usage: gen-dag.py nix N WIDTH BB_DIR > dag.nix        (a Nix expression: a list of all nodes)
       gen-dag.py layer N WIDTH BBPATH K PATHS.json   (JSON lines for layer K, for `cstore derivation add`)

Node i is in layer i // WIDTH and depends on up to two nodes of the previous
layer. Every builder is `busybox sh -c "echo <name> <deps> > $out"`, so both
tools build byte-identical derivations.
"""
import json
import sys


def deps(i, width):
    layer = i // width
    if layer == 0:
        return []
    prev = range((layer - 1) * width, layer * width)
    a = prev[i % width]
    b = prev[(i * 7 + 3) % width]
    return sorted({a, b})


def main():
    mode, n, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if mode == "nix":
        bb = sys.argv[4]
        print("let")
        print('  bb = builtins.path { path = %s; name = "bb"; };' % bb)
        print('  mk = name: deps: derivation { inherit name; system = "x86_64-linux"; builder = "${bb}/busybox";')
        print('    args = [ "sh" "-c" "echo ${name} ${toString deps} > $out" ]; };')
        for i in range(n):
            print("  n%d = mk \"n%d\" [ %s ];" % (i, i, " ".join("n%d" % d for d in deps(i, width))))
        print("in [ %s ]" % " ".join("n%d" % i for i in range(n)))
        return
    bb, k, known = sys.argv[4], int(sys.argv[5]), json.load(open(sys.argv[6]))
    for i in range(k * width, min(n, (k + 1) * width)):
        ds = deps(i, width)
        name = "n%d" % i
        script = "echo %s %s > $out" % (name, " ".join(known[str(d)]["out"] for d in ds))
        print(json.dumps({
            "name": name, "system": "x86_64-linux", "outputs": {"out": {}},
            "inputSrcs": [bb], "inputDrvs": {known[str(d)]["drv"]: ["out"] for d in ds},
            "builder": bb + "/busybox", "args": ["sh", "-c", script.rstrip()],
            "env": {"name": name, "builder": bb + "/busybox", "system": "x86_64-linux"}}))


main()
