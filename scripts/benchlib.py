"""Helpers shared by scripts/bench-compile.py and scripts/bench-frameworks.py.

Python 3.11 standard library only. The piece that matters is the measured build: cargo runs with
RUSTC_WRAPPER set to WRAPPER, which times the rustc process of every crate whose name starts with
`bench_` (wall time, peak RSS from `/usr/bin/time -f %M`, user and system CPU) and lets every
other rustc invocation through, logging its crate name (a dependency compiled during a measured
build is then reported). `measured_build` runs one cargo command that way and returns the
numbers of the last `bench_*` crate compiled.
"""

from __future__ import annotations

import os
import platform
import statistics
import math
import subprocess
import time
from pathlib import Path

WRAPPER = r"""#!/bin/bash
# RUSTC_WRAPPER of the benchmark scripts (scripts/benchlib.py): times the benchmark crate's rustc
# process and takes its peak RSS; every other rustc invocation passes straight through (and is
# logged).
crate=""
prev=""
for a in "$@"; do
    if [ "$prev" = "--crate-name" ]; then crate="$a"; break; fi
    prev="$a"
done
case "$crate" in
    bench_*) ;;
    "") exec "$@" ;;
    *) [ -n "$BENCH_DEPS_LOG" ] && echo "$crate" >> "$BENCH_DEPS_LOG"; exec "$@" ;;
esac
t0=$(date +%s%N)
/usr/bin/time -f '%M %U %S' -o "$BENCH_MEASURE.time" "$@"
rc=$?
t1=$(date +%s%N)
echo "$crate $t0 $t1 $rc $(tail -n 1 "$BENCH_MEASURE.time")" >> "$BENCH_MEASURE"
exit $rc
"""


def install_wrapper(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(WRAPPER)
    path.chmod(0o755)


def wrapper_env(target_dir: Path, wrapper: Path, measure: Path, deps_log: Path) -> dict:
    """The environment of a measured cargo command: cargo's defaults, the wrapper, no colour."""
    env = dict(os.environ)
    for k in ("CARGO_INCREMENTAL", "CARGO_BUILD_RUSTFLAGS", "RUSTC", "CARGO_BUILD_JOBS"):
        env.pop(k, None)
    env["CARGO_TARGET_DIR"] = str(target_dir)
    env["RUSTC_WRAPPER"] = str(wrapper)
    env["BENCH_MEASURE"] = str(measure)
    env["BENCH_DEPS_LOG"] = str(deps_log)
    env["CARGO_TERM_COLOR"] = "never"
    return env


def cpu_busy_seconds() -> float:
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    vals = [int(x) for x in parts]
    idle = vals[3] + vals[4]
    return (sum(vals[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measured_build(cmd: list[str], cwd: Path, env: dict, measure: Path, deps_log: Path,
                   timeout: int, require: bool = True, keep_stdout: bool = False) -> dict:
    """Runs one cargo command under the wrapper; returns the crate's rustc time and memory.

    Keys: ok, cargo_s (cargo's wall time), load1 (1-minute load average before), rustc_s (wall
    time of the last `bench_*` rustc process), mem_kib (its peak RSS), rustc_cpu_s,
    foreign_cores (CPU used by other processes meanwhile), deps_rebuilt, stdout (cargo's, with
    keep_stdout); on failure error and stderr. With require=False a build that compiled no
    `bench_*` crate is ok.
    """
    for p in (measure, deps_log):
        p.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    busy0 = cpu_busy_seconds()
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {timeout} s"}
    wall = time.perf_counter() - t0
    busy = cpu_busy_seconds() - busy0
    res = {"cargo_s": wall, "load1": load}
    if keep_stdout:
        res["stdout"] = p.stdout
    if p.returncode != 0:
        errs = [ln for ln in p.stderr.splitlines() if ln.startswith("error")]
        res.update(ok=False, error=(errs[0] if errs else p.stderr.strip()[-300:]),
                   stderr=p.stderr[-4000:])
        return res
    lines = measure.read_text().split("\n") if measure.exists() else []
    rec = [ln.split() for ln in lines if ln.strip()]
    if not rec:
        res.update(ok=not require, error="crate was not compiled (nothing to measure)")
        return res
    r = rec[-1]
    rustc_s = (int(r[2]) - int(r[1])) / 1e9
    own_cpu = float(r[5]) + float(r[6]) if len(r) >= 7 else 0.0
    res.update(ok=True, rustc_s=rustc_s, mem_kib=int(r[4]) if len(r) >= 5 else None,
               rustc_cpu_s=own_cpu,
               foreign_cores=max(0.0, (busy - own_cpu) / wall) if wall > 0 else 0.0)
    if deps_log.exists():
        deps = sorted(set(deps_log.read_text().split()))
        if deps:
            res["deps_rebuilt"] = deps
    return res


def write_if_changed(path: Path, text: str):
    """A new mtime on a source or Cargo.toml makes cargo rebuild: write only real changes."""
    if path.exists() and path.read_text() == text:
        return
    path.write_text(text)


def toggle_text(path: Path, old: str, new: str):
    """Replaces the first old by new in the file, unless new is there already (an edit that
    the benchmarks make and undo)."""
    text = path.read_text()
    if new in text:
        return
    if old not in text:
        raise RuntimeError(f"edit target not found in {path}")
    path.write_text(text.replace(old, new, 1))


def rustc_version(tc: str | None = None) -> str:
    try:
        return subprocess.run(["rustc"] + ([f"+{tc}"] if tc else []) + ["--version"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def machine() -> dict:
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    osname = platform.system()
    try:
        with open("/etc/os-release") as f:
            for ln in f:
                if ln.startswith("PRETTY_NAME="):
                    osname = ln.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory": mem, "os": osname, "cpu": cpu}


def git_rev(root: Path) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                              capture_output=True, text=True).stdout.strip() or "?"
    except OSError:
        return "?"


# ----------------------------------------------------------------------------------------------
# Formatting


def med(xs):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    return statistics.median(xs) if xs else None


def spread(xs, fmt):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    m = statistics.median(xs)
    if len(xs) == 1:
        return fmt(m)
    return f"{fmt(m)} [{fmt(min(xs))}–{fmt(max(xs))}]"


def f_s(x):
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def f_ratio(x):
    return "–" if x is None else f"×{x:.2f}" if x < 10 else f"×{x:.0f}"


def parse_list(s: str) -> list[int]:
    return [int(x.replace("_", "")) for x in s.split(",") if x.strip()]


def replace_marked(text: str, start: str, end: str, block: str) -> str | None:
    """text with the part from marker start to marker end replaced by block (which carries the
    markers), or None if the markers are not both there."""
    if start not in text or end not in text:
        return None
    a, rest = text.split(start, 1)
    _, b = rest.split(end, 1)
    return a + block + b.lstrip("\n")
