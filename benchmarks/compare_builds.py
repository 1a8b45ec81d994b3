#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
"""Times typenn's cases in two builds of typenn_benchmarks, alternately, round after round.

Usage: benchmarks/compare_builds.py BEFORE AFTER [--rounds 3] [--filter REGEX]

What a change costs or saves: each round runs BEFORE then AFTER (each case 3 repetitions,
aggregates only), and a case's ratio is AFTER's median CPU time over BEFORE's in the same
round; the table shows the median ratio over rounds and its spread ((max - min) / median).
Cases only one binary has are listed with one time.
"""
import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path


def run(binary, filter_regex, min_time):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([binary, f"--benchmark_filter={filter_regex}",
                        f"--benchmark_out={out.name}", "--benchmark_out_format=json",
                        "--benchmark_repetitions=3", f"--benchmark_min_time={min_time}",
                        "--benchmark_report_aggregates_only=true"],
                       check=True, stdout=subprocess.DEVNULL)
        results = json.loads(Path(out.name).read_text())
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return {b["run_name"]: b["cpu_time"] * unit[b["time_unit"]]
            for b in results["benchmarks"] if b.get("aggregate_name") == "median"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--filter", default="/typenn$", help="Google Benchmark filter")
    parser.add_argument("--min-time", type=float, default=0.2)
    args = parser.parse_args()
    rounds = [(run(args.before, args.filter, args.min_time),
               run(args.after, args.filter, args.min_time)) for _ in range(args.rounds)]
    names = sorted(set().union(*(set(b) | set(a) for b, a in rounds)))
    print("| case | before | after | after / before | spread |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        before = [b[name] for b, _ in rounds if name in b]
        after = [a[name] for _, a in rounds if name in a]
        ratios = [a[name] / b[name] for b, a in rounds if name in a and name in b]
        shown = lambda times: f"{statistics.median(times) * 1e6:.3f} µs" if times else "–"
        if ratios:
            median = statistics.median(ratios)
            spread = (max(ratios) - min(ratios)) / median
            print(f"| {name} | {shown(before)} | {shown(after)} | {median:.3f} | {spread:.1%} |")
        else:
            print(f"| {name} | {shown(before)} | {shown(after)} | – | – |")


if __name__ == "__main__":
    main()
