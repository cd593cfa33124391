#!/usr/bin/env python3
"""Generates a deterministic file tree of mixed file sizes for benchmarks.

usage: gen-tree.py DIR TOTAL_BYTES [SEED]

Sizes follow a rough software-package mix: many small files (headers,
scripts), some medium ones, a few large binaries. Contents are pseudo-random
(incompressible) so compression and hashing can't take shortcuts.
"""
import os
import random
import sys


def main():
    root, total = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    os.makedirs(root)
    written = 0
    n = 0
    block = rng.randbytes(1 << 20)
    while written < total:
        r = rng.random()
        if r < 0.70:
            size = rng.randint(0, 16 << 10)
        elif r < 0.95:
            size = rng.randint(16 << 10, 1 << 20)
        else:
            size = rng.randint(1 << 20, 32 << 20)
        size = min(size, total - written)
        d = os.path.join(root, "d%02d" % (n % 37), "s%d" % (n % 5))
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "f%06d" % n)
        with open(path, "wb") as f:
            left = size
            off = rng.randrange(len(block))
            while left:
                chunk = block[off:off + left]
                f.write(chunk)
                left -= len(chunk)
                off = 0
        if n % 11 == 0:
            os.chmod(path, 0o755)
        if n % 97 == 0:
            os.symlink("f%06d" % n, path + ".link")
        written += size
        n += 1
    print("%d files, %d bytes" % (n, written), file=sys.stderr)


main()
