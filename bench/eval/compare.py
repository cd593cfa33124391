#!/usr/bin/env python3
"""Times `cstore eval --strict` against `nix-instantiate --eval --strict` on
the expressions in this folder, side by side in one run, and prints wall
time and peak RSS with their ratios. Each measurement is the median of
--runs runs (alternating the two tools). Exits 1 when an output differs.

    bench/eval/compare.py --cstore build/cli/cstore [--runs 5] [--only fib]
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHES = ["fib", "fold", "attrs", "strings", "lib", "imports"]


# Peak RSS comes from GNU time (%M), not from our own wait4: a child of this
# script starts as a copy of the Python process, and Linux keeps that copy's
# RSS (about 14 MiB) as the child's high-water mark across exec, which hid
# anything smaller. The wrapper's own start (about 1 ms, for both tools) is
# in the wall times, except for start-up, which is timed without it.
GNU_TIME = "/usr/bin/time"


def run(cmd, env, rss=True):
    with tempfile.NamedTemporaryFile(mode="r") as rssFile:
        wrapper = [GNU_TIME, "-q", "-f", "%M", "-o", rssFile.name] if rss else []
        start = time.perf_counter()
        proc = subprocess.Popen(wrapper + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        maxrss = int(rssFile.read().split()[-1]) if rss else 0  # KiB
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return wall, maxrss, out, usage.ru_utime + usage.ru_stime


def measure(cmd_a, cmd_b, env, runs, rss=True):
    a, b = [], []
    for _ in range(runs):
        a.append(run(cmd_a, env, rss))
        b.append(run(cmd_b, env, rss))
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    return (med(a, 0), med(a, 1), a[0][2], med(a, 3)), (med(b, 0), med(b, 1), b[0][2], med(b, 3))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cstore", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only")
    args = ap.parse_args()
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} is missing (apt-get install time): it measures peak RSS")
    tmp = tempfile.mkdtemp(prefix="cstore-bench-")
    env = dict(os.environ, HOME=tmp, NIX_STORE_DIR="/store", NIX_PATH="", CSTORE_PATH="",
               NIX_CONFIG="experimental-features = nix-command\nsubstituters =")
    subprocess.run([os.path.join(HERE, "imports.sh"), tmp], check=True)
    nix = ["nix-instantiate", "--eval", "--strict", "--readonly-mode", "--store", os.path.join(tmp, "nixstore")]
    ours = [os.path.abspath(args.cstore), "eval", "--strict"]

    print(f"wall time and peak RSS: median of {args.runs} runs each; CPU = user + system time; load {os.getloadavg()[0]:.1f}")
    print(f"{'benchmark':<10} {'nix s':>8} {'cstore s':>9} {'speedup':>8} {'CPU speedup':>12} {'nix MiB':>8} {'cstore MiB':>11} {'mem ratio':>9}  goal")
    ok = True
    for name in BENCHES + ["startup"]:
        if args.only and name != args.only:
            continue
        if name == "startup":
            target, runs = ["-E", "1"], args.runs * 4
        else:
            target, runs = [os.path.join(tmp, "import.cbl") if name == "imports" else os.path.join(HERE, name + ".cbl")], args.runs
        (nt, nm, nout, ncpu), (ct, cm, cout, ccpu) = measure(nix + target, ours + target, env, runs,
                                                             rss=name != "startup")
        if nout != cout:
            print(f"{name}: outputs differ: nix {nout[:80]!r} cstore {cout[:80]!r}")
            ok = False
        speedup, memratio = nt / ct, (cm / nm if nm else 0)
        cpuspeedup = ncpu / ccpu if ccpu > 0 else float("inf")
        if name == "startup":
            goal = "PASS" if ct < 0.005 else "FAIL"
            print(f"{name:<10} {nt*1000:>6.1f}ms {ct*1000:>7.1f}ms {speedup:>7.1f}x {cpuspeedup:>11.1f}x {'-':>8} {'-':>11} {'-':>9}  {goal} (< 5 ms)")
        else:
            goal = "PASS" if speedup >= 3 and memratio <= 0.5 else "FAIL"
            print(f"{name:<10} {nt:>8.3f} {ct:>9.3f} {speedup:>7.1f}x {cpuspeedup:>11.1f}x {nm/1024:>8.1f} {cm/1024:>11.1f} {memratio:>9.2f}  {goal}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
