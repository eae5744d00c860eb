#!/usr/bin/env python3
"""Compile time and peak memory of a `Map` against a plain `Registry` of the same registrations,
and against `phf_map!` with the same keys (see BENCHMARKS.md). For each N: the three crates of
`gen.py` (N keys over 100 files; phf: one literal) share a target directory, are built once so
that dependencies are prebuilt, then rebuilt after `touch src/main.rs`, REPS times, the three
approaches interleaved so that load from other work hits them alike, without incremental
compilation (the crate's whole compilation, as a clean build). Prints a Markdown table of
medians of the CPU time (user + system) of cargo and its children, which load on a shared machine
inflates less than wall time, the wall times, and the peak RSS of rustc as GNU time reports it.

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
env = dict(os.environ, CARGO_TARGET_DIR=target, CARGO_INCREMENTAL="0")
flags = ["--release"] if a.profile == "release" else []


def build(d):
    os.utime(os.path.join(d, "src", "main.rs"))
    out = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "cargo", "build", "-q", *flags],
                         cwd=d, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"build failed in {d}:\n{out.stderr[-3000:]}")
    if "warning" in out.stderr:
        sys.exit(f"warnings in {d}:\n{out.stderr[-3000:]}")
    wall, user, system, kb = out.stderr.strip().splitlines()[-1].split()
    return float(user) + float(system), float(wall), int(kb) / 1024


def load():
    return os.getloadavg()[0]


print("| N | Registry CPU s | Map CPU s | Map / Registry | phf_map! CPU s | wall s: Registry / Map / phf | peak MiB: Registry / Map / phf | load |")
print("|---|---|---|---|---|---|---|---|")
for n in [int(x) for x in a.n.split(",")]:
    dirs = {}
    for kind in ["registry", "map", "phf"]:
        d = os.path.join(a.work, f"{kind}-{n}")
        subprocess.run([sys.executable, os.path.join(here, "gen.py"), d, str(n), "--kind", kind], check=True)
        dirs[kind] = d
        build(d)  # dependencies
    times = {k: [] for k in dirs}
    walls = {k: [] for k in dirs}
    mem = {k: [] for k in dirs}
    loads = []
    ratios = []
    for rep in range(a.reps):
        kinds = ["registry", "map", "phf"]
        kinds = kinds[rep % 3:] + kinds[:rep % 3]
        loads.append(load())
        for k in kinds:
            t, w, m = build(dirs[k])
            times[k].append(t)
            walls[k].append(w)
            mem[k].append(m)
        ratios.append(times["map"][-1] / times["registry"][-1])
    med = {k: statistics.median(v) for k, v in times.items()}
    wall = {k: statistics.median(v) for k, v in walls.items()}
    mm = {k: max(v) for k, v in mem.items()}
    runs = lambda k: ", ".join(f"{t:.2f}" for t in times[k])
    print(f"| {n:,} | {med['registry']:.2f} ({runs('registry')}) | {med['map']:.2f} ({runs('map')}) "
          f"| {statistics.median(ratios):.2f} | {med['phf']:.2f} ({runs('phf')}) "
          f"| {wall['registry']:.1f} / {wall['map']:.1f} / {wall['phf']:.1f} "
          f"| {mm['registry']:.0f} / {mm['map']:.0f} / {mm['phf']:.0f} | {statistics.median(loads):.1f} |", flush=True)
