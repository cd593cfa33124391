#!/usr/bin/env python3
"""Runs cstore-micro-bench and prints each benchmark's throughput as a ratio
of its anchor measured in the same run. usage: ratios.py [BENCH_BINARY]"""
import json
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else "build/bench/cstore-micro-bench"
out = subprocess.run([binary, "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
rate = {b["name"]: b.get("bytes_per_second", 0) for b in json.loads(out)["benchmarks"]}
pairs = [("NarSerialiseHash", "RawSha256"), ("RefScan", "ClassifyBytes")]
print("%-18s %12s %-12s %12s %7s" % ("benchmark", "MB/s", "anchor", "MB/s", "ratio"))
for bench, anchor in pairs:
    print("%-18s %12.0f %-12s %12.0f %7.2f" % (bench, rate[bench] / 1e6, anchor, rate[anchor] / 1e6,
                                                rate[bench] / rate[anchor]))
