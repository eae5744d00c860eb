#!/usr/bin/env python3
"""Compile time and peak memory of a `Map` against a plain `Registry` of the same registrations,
and against `phf_map!` with the same keys (see BENCHMARKS.md). For each N: the three crates of
`gen.py` (N keys over 100 files; phf: one literal) share a target directory, are built once so
that dependencies are prebuilt, then rebuilt after `touch src/main.rs`, REPS times, the three
approaches interleaved so that load from other work hits them alike. Prints a Markdown table of
medians (wall time of cargo, and peak RSS of rustc as GNU time reports it for cargo's children).

    compile-time.py WORKDIR [--n 100,1000,10000,50000] [--reps 3] [--profile dev|release]
"""
import argparse
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
p = argparse.ArgumentParser()
p.add_argument("work")
p.add_argument("--n", default="100,1000,10000,50000")
p.add_argument("--reps", type=int, default=3)
p.add_argument("--profile", default="dev")
a = p.parse_args()
target = os.path.join(a.work, "target")
env = dict(os.environ, CARGO_TARGET_DIR=target)
flags = ["--release"] if a.profile == "release" else []


def build(d):
    os.utime(os.path.join(d, "src", "main.rs"))
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", "cargo", "build", "-q", *flags],
                         cwd=d, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"build failed in {d}:\n{out.stderr[-3000:]}")
    if "warning" in out.stderr:
        sys.exit(f"warnings in {d}:\n{out.stderr[-3000:]}")
    secs, kb = out.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024


def load():
    return os.getloadavg()[0]


print(f"| N | Registry (s) | Map (s) | Map / Registry | phf_map! (s) | peak MiB: Registry / Map / phf | load |")
print("|---|---|---|---|---|---|---|")
for n in [int(x) for x in a.n.split(",")]:
    dirs = {}
    for kind in ["registry", "map", "phf"]:
        d = os.path.join(a.work, f"{kind}-{n}")
        subprocess.run([sys.executable, os.path.join(here, "gen.py"), d, str(n), "--kind", kind], check=True)
        dirs[kind] = d
        build(d)  # dependencies
    times = {k: [] for k in dirs}
    mem = {k: [] for k in dirs}
    loads = []
    ratios = []
    for rep in range(a.reps):
        kinds = ["registry", "map", "phf"]
        kinds = kinds[rep % 3:] + kinds[:rep % 3]
        loads.append(load())
        for k in kinds:
            t, m = build(dirs[k])
            times[k].append(t)
            mem[k].append(m)
        ratios.append(times["map"][-1] / times["registry"][-1])
    med = {k: statistics.median(v) for k, v in times.items()}
    mm = {k: max(v) for k, v in mem.items()}
    print(f"| {n:,} | {med['registry']:.2f} ({', '.join(f'{t:.2f}' for t in times['registry'])}) "
          f"| {med['map']:.2f} ({', '.join(f'{t:.2f}' for t in times['map'])}) "
          f"| {statistics.median(ratios):.2f} | {med['phf']:.2f} ({', '.join(f'{t:.2f}' for t in times['phf'])}) "
          f"| {mm['registry']:.0f} / {mm['map']:.0f} / {mm['phf']:.0f} | {statistics.median(loads):.1f} |", flush=True)
