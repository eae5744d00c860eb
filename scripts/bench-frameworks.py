#!/usr/bin/env python3
"""Build and run cost of gather's frameworks against their peers: gather-test against libtest,
gather-bench's registrations against plain `gather::register!` (issue 16).

    python3 scripts/bench-frameworks.py [--n 1000,10000,50000] [--runs 3] [--quick]
                                        [--profiles dev,release] [--out FILE] [--write]
                                        [--gather PATH] [--dir /tmp/gather-frameworks-bench]

Python 3.11 standard library only, plus cargo and /usr/bin/time. Everything is generated and
built under --dir (default /tmp/gather-frameworks-bench), never inside the repository; the
gather crates come from --gather (a checkout of this repository, default the one holding this
script) as path dependencies. The method is that of scripts/bench-compile.py, whose helpers it
shares (scripts/benchlib.py).

What is generated. For every N, one crate `fw_N` with four targets, each holding N items spread
evenly over 100 module files (`f000.rs` .. `f099.rs` next to the target's `main.rs`, which
declares `mod f000; .. mod f099;`), item i in file i / (N / 100):

  bench_lt_N  tests/lt: `#[test] fn tNNNNN() { assert!(std::hint::black_box(NNNNN) < N); }`,
              libtest's harness (the default)
  bench_gt_N  tests/gt: the same tests as `#[gather_test::test]`, `gather_test::main!();` at the
              root, `harness = false`: what a user writes. `main!()` takes no overflow option at
              any N: attribute registrations found by the scan take no overflow slot.
  bench_gb_N  benches/gb: `#[gather_bench::bench] fn bNNNNN(b: &mut Bencher) { b.iter(..) }`,
              `gather_bench::main!();`, `harness = false`
  bench_rg_N  benches/rg: the same functions, not annotated, each followed by
              `gather::register!(crate::ITEMS, ("fKKK::bNNNNN", bNNNNN));` into a plain
              `#[gather::registry] static ITEMS: Registry<(&'static str, fn(&mut Bencher))>`;
              its main prints the registry's length.

What is measured, per repetition; within a profile and N the targets are measured one after the
other in an order that rotates from one repetition to the next, so that load from other work on
the machine hits all of them alike:

  clean build    the target's root file touched (and, in the dev profile, its incremental cache
                 deleted), then `cargo test --no-run --test NAME` (benches: `cargo build --bench
                 NAME`): dependencies and the package's empty library are built beforehand, so
                 only the target's crate compiles. The time is the wall time of that crate's
                 rustc process (with linking) and the memory its peak RSS, both taken by a
                 RUSTC_WRAPPER around rustc alone (cargo's own wall time is in the JSON).
  rebuild        the first test (bench) of f050.rs changes its comparison (`<` to `<=` and
                 back); dev rebuilds are incremental, release rebuilds are not.
  run, --list    test targets only, after both builds of a repetition: the test binary itself
                 (its path from `--message-format=json`) with default threads, and with
                 `--list`, --run-reps times each, libtest and gather-test alternating. A run must
                 report `N passed` and the list N tests, or the row fails.
  checks         gather-bench's binary must list N benchmarks, the register! binary must count N.

How to read the tables: build cells are median [min–max] seconds over the repetitions, and the
ratio is the median of the per-repetition ratios gather/peer (builds of one repetition ran
minutes apart at most). Run cells are best / median milliseconds over all runs; their ratio
compares the medians. The goals of issue 16 are marked ✓/✗: builds within 1.2x of the peer,
run and --list no slower than libtest's in the dev profile. Peak rustc memory is given for every
build at every N, with the ratio at the largest. On a shared machine read the ratios, not the
times. Any failed row (build error, wrong count) is listed and makes the exit status 1.

--quick (N = 1,000, one repetition) is a smoke test. --out FILE writes the raw results as JSON
(a copy always goes to DIR/results-<time>.json); --render FILE prints a saved result again;
--write replaces the section between the bench-frameworks markers in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (f_s, install_wrapper, git_rev, machine, measured_build, med,  # noqa: E402
                      parse_list, replace_marked, rustc_version, spread, toggle_text,
                      write_if_changed, wrapper_env)

REPO = Path(__file__).resolve().parent.parent
FILES = 100
EDIT_FILE = 50
KINDS = {  # key: (label, directory, cargo target kind, peer)
    "lt": ("libtest", "tests/lt", "test", None),
    "gt": ("gather-test", "tests/gt", "test", "lt"),
    "rg": ("register!", "benches/rg", "bench", None),
    "gb": ("gather-bench", "benches/gb", "bench", "rg"),
}
TEST_KINDS = ["lt", "gt"]
BENCH_KINDS = ["rg", "gb"]
BUILD_GOAL = 1.2
RUN_GOAL = 1.0
MARK_START = "<!-- bench-frameworks:start -->"
MARK_END = "<!-- bench-frameworks:end -->"
HARNESS_HEADING = "## Test harness: gather-test vs libtest"

# ----------------------------------------------------------------------------------------------
# Generation


def target_name(kind: str, n: int) -> str:
    return f"bench_{kind}_{n}"


def comparison(i: int, n: int, edited: bool) -> str:
    return f"black_box({i}) {'<=' if edited else '<'} {n}"


def item_source(kind: str, k: int, i: int, n: int) -> str:
    cmp_ = comparison(i, n, False)
    if kind == "lt":
        return f"#[test]\nfn t{i:05d}() {{ assert!(std::hint::{cmp_}); }}\n"
    if kind == "gt":
        return f"#[gather_test::test]\nfn t{i:05d}() {{ assert!(std::hint::{cmp_}); }}\n"
    body = f"fn b{i:05d}(b: &mut Bencher) {{ b.iter(|| {cmp_}); }}\n"
    if kind == "gb":
        return "#[gather_bench::bench]\n" + body
    return body + f'gather::register!(crate::ITEMS, ("f{k:03d}::b{i:05d}", b{i:05d}));\n'


def root_source(kind: str, n: int) -> str:
    mods = "".join(f"mod f{k:03d};\n" for k in range(FILES))
    head = f"// Generated by scripts/bench-frameworks.py: {KINDS[kind][0]}, {n} items.\n"
    if kind == "lt":
        return head + "\n" + mods
    if kind == "gt":
        return head + "gather_test::main!();\n\n" + mods
    if kind == "gb":
        return head + "gather_bench::main!();\n\n" + mods
    return (head + "#[gather::registry]\npub static ITEMS: gather::Registry<(&'static str, "
            "fn(&mut gather_bench::Bencher))>;\n\n" + mods
            + '\nfn main() {\n    println!("count={}", ITEMS.len());\n}\n')


def cargo_toml(n: int, gather: Path) -> str:
    crates = gather / "crates"
    targets = "".join(
        f'\n[[{KINDS[k][2]}]]\nname = "{target_name(k, n)}"\npath = "{KINDS[k][1]}/main.rs"\n'
        + ("harness = false\n" if k != "lt" else "") for k in KINDS)
    return (
        f'[package]\nname = "fw_{n}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n'
        "autotests = false\nautobenches = false\n\n"
        "[lib]\ntest = false\nbench = false\ndoctest = false\n\n"
        "[dev-dependencies]\n"
        f'gather = {{ path = "{crates / "gather"}" }}\n'
        f'gather-test = {{ path = "{crates / "gather-test"}" }}\n'
        f'gather-bench = {{ path = "{crates / "gather-bench"}" }}\n'
        f"{targets}\n[workspace]\n")


def generate(dir_: Path, n: int, gather: Path) -> Path:
    root = dir_ / "crates" / f"fw_{n}"
    (root / "src").mkdir(parents=True, exist_ok=True)
    write_if_changed(root / "Cargo.toml", cargo_toml(n, gather))
    write_if_changed(root / "src" / "lib.rs", "")
    per = n // FILES
    for kind, (_, sub, _, _) in KINDS.items():
        d = root / sub
        d.mkdir(parents=True, exist_ok=True)
        write_if_changed(d / "main.rs", root_source(kind, n))
        prelude = "use gather_bench::{Bencher, black_box};\n\n" if kind in BENCH_KINDS else ""
        for k in range(FILES):
            text = "".join(item_source(kind, k, i, n) for i in range(k * per, (k + 1) * per))
            write_if_changed(d / f"f{k:03d}.rs", prelude + text)
    return root


def set_edited(crate: Path, kind: str, n: int, edited: bool):
    """Flips the comparison of the first item of f050.rs (the one-file edit of a rebuild)."""
    i = EDIT_FILE * (n // FILES)
    toggle_text(crate / KINDS[kind][1] / f"f{EDIT_FILE:03d}.rs", comparison(i, n, not edited),
                comparison(i, n, edited))


# ----------------------------------------------------------------------------------------------
# Building, running, checking


class Bench:
    def __init__(self, args):
        self.args = args
        self.dir = Path(args.dir).resolve()
        self.target = self.dir / "target"
        self.wrapper = self.dir / "rustc-wrapper.sh"
        self.measure = self.dir / "measure.log"
        self.deps_log = self.dir / "deps.log"
        self.binaries: dict = {}   # (kind, n, profile) -> path of the built binary

    def log(self, msg: str):
        if not self.args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def build(self, crate: Path, kind: str, n: int, profile: str, clean: bool,
              require: bool = True) -> dict:
        name = target_name(kind, n)
        if clean:
            os.utime(crate / KINDS[kind][1] / "main.rs")
            if profile == "dev":
                for d in (self.target / "debug" / "incremental").glob(f"{name}-*"):
                    subprocess.run(["rm", "-rf", str(d)], check=True)
        if KINDS[kind][2] == "test":
            cmd = ["cargo", "test", "--no-run", "--test", name]
        else:
            cmd = ["cargo", "build", "--bench", name]
        cmd += ["--offline", "--quiet", "--message-format=json"]
        if profile == "release":
            cmd.append("--release")
        env = wrapper_env(self.target, self.wrapper, self.measure, self.deps_log)
        res = measured_build(cmd, crate, env, self.measure, self.deps_log,
                             self.args.build_timeout, require, keep_stdout=True)
        for ln in res.pop("stdout", "").splitlines():
            try:
                msg = json.loads(ln)
            except ValueError:
                continue
            if (msg.get("reason") == "compiler-artifact" and msg.get("executable")
                    and msg.get("target", {}).get("name") == name):
                self.binaries[(kind, n, profile)] = Path(msg["executable"])
        if res["ok"] and (kind, n, profile) not in self.binaries:
            res.update(ok=False, error="cargo named no executable for the target")
        return res

    def run_bin(self, binary: Path, args: list[str]):
        env = {k: v for k, v in os.environ.items()
               if k not in ("RUST_TEST_THREADS", "RUST_TEST_NOCAPTURE", "RUST_BACKTRACE")}
        t0 = time.perf_counter()
        p = subprocess.run([str(binary)] + args, env=env, capture_output=True, text=True,
                           timeout=600, cwd=binary.parent)
        return time.perf_counter() - t0, p

    def check(self, kind: str, n: int, profile: str, what: str = "list") -> tuple:
        """Runs the binary once; returns (error or None, seconds)."""
        binary = self.binaries[(kind, n, profile)]
        if kind == "rg":
            secs, p = self.run_bin(binary, [])
            got = re.search(r"count=(\d+)", p.stdout)
            label = "registered"
        elif kind == "gb" or what == "list":
            secs, p = self.run_bin(binary, ["--list"])
            suffix = ": benchmark" if kind == "gb" else ": test"
            got = sum(1 for ln in p.stdout.splitlines() if ln.endswith(suffix))
            label = "listed"
        else:
            secs, p = self.run_bin(binary, [])
            got = re.search(r"test result: ok\. (\d+) passed", p.stdout)
            label = "passed"
        if isinstance(got, re.Match):
            got = int(got.group(1))
        if p.returncode != 0 or got != n:
            return (f"{label} {got}, expected {n} (exit {p.returncode}: "
                    f"{p.stderr.strip()[-200:]})"), secs
        return None, secs

    def measure_builds(self, rep: int, n: int, kind: str, profile: str, crate: Path,
                       state: dict) -> dict:
        row = {"rep": rep, "n": n, "kind": kind, "profile": profile, "ok": False}
        for step in ("clean", "rebuild"):
            if step == "rebuild":
                state["edited"] = not state["edited"]
                set_edited(crate, kind, n, state["edited"])
            b = self.build(crate, kind, n, profile, clean=step == "clean")
            row[step] = b
            if not b["ok"]:
                row["error"] = f"{step} build: {b['error']}"
                return row
            err, _ = self.check(kind, n, profile)
            if err:
                row["error"] = f"after the {step} build: {err}"
                return row
        row["ok"] = True
        return row

    def measure_runs(self, rows: dict, order: list[str], n: int, profile: str):
        """Times the test binaries: run (default threads) and --list, alternating."""
        live = [k for k in order if rows[k]["ok"]]
        for what in ("run", "list"):
            for _ in range(self.args.run_reps):
                for k in live:
                    if not rows[k]["ok"]:
                        continue
                    err, secs = self.check(k, n, profile, what)
                    if err:
                        rows[k].update(ok=False, error=f"{what}: {err}")
                    else:
                        rows[k].setdefault(what, []).append(secs)

    def prepare(self, ns: list[int], gather: Path) -> dict:
        """Generates the crates, locks and fetches, and builds every target once per profile
        (dependencies, the empty library, the incremental caches the rebuilds start from)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        install_wrapper(self.wrapper)
        crates = {}
        for n in ns:
            self.log(f"generating fw_{n}")
            c = crates[n] = generate(self.dir, n, gather)
            for k in KINDS:
                set_edited(c, k, n, False)
            if not (c / "Cargo.lock").exists():
                lock = gather / "Cargo.lock"   # the versions the repository is tested with
                if lock.exists():
                    (c / "Cargo.lock").write_text(lock.read_text())
            subprocess.run(["cargo", "fetch"], cwd=c, check=True, capture_output=True, text=True)
        for profile in self.args.profiles:
            for n in ns:
                for k in self.kinds(profile):
                    self.log(f"priming {target_name(k, n)} ({profile})")
                    b = self.build(crates[n], k, n, profile, clean=False, require=False)
                    if not b["ok"]:
                        self.log(f"  failed: {b['error']}")
        return crates

    def kinds(self, profile: str) -> list[str]:
        return TEST_KINDS + (BENCH_KINDS if profile == "dev" else [])

    def run(self, gather: Path) -> dict:
        a = self.args
        started = time.time()
        meta = {
            "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "argv": sys.argv[1:], "machine": machine(), "rustc": rustc_version(),
            "gather": str(gather), "gather_rev": git_rev(gather),
            "loadavg_start": os.getloadavg(), "runs": a.runs, "n": a.n,
            "profiles": a.profiles, "run_reps": a.run_reps, "files": FILES,
        }
        crates = self.prepare(a.n, gather)
        rows = []
        # The sources are shared by the profiles: one edit state per target.
        state = {(k, n): {"edited": False} for k in KINDS for n in a.n}
        for rep in range(a.runs):
            for profile in a.profiles:
                for n in a.n:
                    kinds = self.kinds(profile)
                    order = kinds[rep % len(kinds):] + kinds[:rep % len(kinds)]
                    done = {}
                    for k in order:
                        self.log(f"run {rep + 1}/{a.runs}, {profile}, N={n}: {KINDS[k][0]}")
                        row = self.measure_builds(rep, n, k, profile, crates[n],
                                                  state[(k, n)])
                        self.note(row)
                        done[k] = row
                    self.log(f"run {rep + 1}/{a.runs}, {profile}, N={n}: timing the test runs")
                    self.measure_runs(done, [k for k in order if k in TEST_KINDS], n, profile)
                    rows += [done[k] for k in order]
        for n, c in crates.items():
            for k in KINDS:
                set_edited(c, k, n, False)
        meta["loadavg_end"] = os.getloadavg()
        meta["duration_s"] = time.time() - started
        return {"meta": meta, "rows": rows}

    def note(self, row: dict):
        if row["ok"]:
            c, r = row["clean"], row["rebuild"]
            self.log(f"  clean {c['rustc_s']:.2f}s {c['mem_kib'] / 1024:.0f}MiB, rebuild "
                     f"{r['rustc_s']:.2f}s, load {c['load1']:.1f}")
        else:
            self.log(f"  FAILED: {row.get('error')}")


# ----------------------------------------------------------------------------------------------
# Report


def values(rows, kind, n, profile, getter) -> dict:
    """{rep: value} over the ok rows of one target."""
    out = {}
    for r in rows:
        if r["ok"] and (r["kind"], r["n"], r["profile"]) == (kind, n, profile):
            v = getter(r)
            if v is not None:
                out[r["rep"]] = v
    return out


def ratio_cell(rows, kind, n, profile, getter, goal) -> str:
    peer = KINDS[kind][3]
    mine, theirs = (values(rows, k, n, profile, getter) for k in (kind, peer))
    r = med([v / theirs[rep] for rep, v in mine.items() if theirs.get(rep)])
    if r is None:
        return "–"
    mark = "" if goal is None else (" ✓" if r <= goal else " ✗")
    return f"{r:.2f}×{mark}"


def failed(rows, kind, n, profile) -> int:
    return sum(1 for r in rows
               if (r["kind"], r["n"], r["profile"]) == (kind, n, profile) and not r["ok"])


def time_cell(rows, kind, n, profile, getter) -> str:
    xs = list(values(rows, kind, n, profile, getter).values())
    bad = failed(rows, kind, n, profile)
    if not xs:
        return "failed" if bad else "–"
    return spread(xs, f_s) + (f" ({bad} failed)" if bad else "")


def build_table(rows, pairs, ns, profiles) -> str:
    """Clean build and rebuild of kind against its peer, rows (profile, N)."""
    mine, peer = pairs
    lm, lp = KINDS[mine][0], KINDS[peer][0]
    head = (f"| profile | N | clean: {lp} | clean: {lm} | ratio | rebuild: {lp} | "
            f"rebuild: {lm} | ratio |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for p in profiles:
        for n in ns:
            cells = []
            for step in ("clean", "rebuild"):
                def get(r, s=step):
                    return r[s]["rustc_s"]
                cells += [time_cell(rows, peer, n, p, get), time_cell(rows, mine, n, p, get),
                          ratio_cell(rows, mine, n, p, get, BUILD_GOAL)]
            lines.append(f"| {p} | {n:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_table(rows, ns, profiles) -> str:
    lines = ["| profile | N | run: libtest | run: gather-test | ratio | --list: libtest | "
             "--list: gather-test | ratio |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for p in profiles:
        for n in ns:
            cells = []
            for what in ("run", "list"):
                meds = {}
                for k in TEST_KINDS:
                    xs = [x for r in rows if r["ok"] and (r["kind"], r["n"], r["profile"])
                          == (k, n, p) for x in r.get(what, [])]
                    meds[k] = med(xs)
                    cells.append(f"{min(xs) * 1e3:.0f} / {meds[k] * 1e3:.0f}" if xs else
                                 ("failed" if failed(rows, k, n, p) else "–"))
                if meds["lt"] and meds["gt"]:
                    r = meds["gt"] / meds["lt"]
                    mark = (" ✓" if r <= RUN_GOAL else " ✗") if p == "dev" else ""
                    cells.append(f"{r:.2f}×{mark}")
                else:
                    cells.append("–")
            lines.append(f"| {p} | {n:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def memory_table(rows, ns, profiles) -> str:
    top = max(ns)
    lines = ["| target | profile | build | " + " | ".join(f"N = {n:,}" for n in ns)
             + f" | × peer at {top:,} |", "|---|---|---|" + "---:|" * (len(ns) + 1)]
    for p in profiles:
        for k in KINDS:
            if k in BENCH_KINDS and p != "dev":
                continue
            for step in ("clean", "rebuild"):
                def get(r, s=step):
                    return r[s]["mem_kib"] / 1024
                cells = [spread(list(values(rows, k, n, p, get).values()),
                                lambda x: f"{x:.0f}") for n in ns]
                ratio = ratio_cell(rows, k, top, p, get, None) if KINDS[k][3] else ""
                lines.append(f"| {KINDS[k][0]} | {p} | {step} | " + " | ".join(cells)
                             + f" | {ratio} |")
    return "\n".join(lines)


def render(results: dict, note: str | None = None) -> str:
    m, rows = results["meta"], results["rows"]
    mach = m["machine"]
    ns, profiles = m["n"], m["profiles"]
    la = m["loadavg_start"]
    loads = [r["clean"]["load1"] for r in rows if "load1" in r.get("clean", {})]
    out = [f"### gather-test vs libtest and gather-bench vs plain `register!`, {m['date']}", ""]
    out.append(f"Machine: {mach['cores']} cores ({mach['cpu']}), {mach['memory']}, {mach['os']}; "
               f"{m['rustc']}; gather at {m['gather_rev']}. 1-minute load average at the start: "
               f"{la[0]:.1f} ({la[1]:.1f} over 5 min)"
               + (f", at the start of each build: median {med(loads):.1f}, max {max(loads):.1f}"
                  if loads else "") + ".")
    if m.get("command"):
        out += ["", f"Command: `{m['command']}`."]
    if note:
        out += ["", note]
    out += ["", f"{m['runs']} repetition(s), targets interleaved (order rotated each repetition); "
            f"N items over {m['files']} module files; the run took "
            f"{m.get('duration_s', 0) / 60:.0f} min. Build times: wall time of the target's own "
            "rustc process, dependencies prebuilt, median [min–max] over the repetitions; ratio "
            "= median of the per-repetition ratios (gather / peer). Runs: best / median ms of "
            f"{m['run_reps']} runs per repetition, ratio of the medians. Goals of issue 16: "
            f"builds ≤ {BUILD_GOAL}×, run and `--list` ≤ {RUN_GOAL}× in the dev profile (✓/✗)."]
    out += ["", "#### gather-test vs libtest: clean build and rebuild after editing one file (s)",
            "", build_table(rows, ("gt", "lt"), ns, profiles)]
    out += ["", "#### gather-test vs libtest: test binary run (default threads) and `--list` "
            "(ms, best / median)", "", run_table(rows, ns, profiles)]
    if "dev" in profiles:
        out += ["", "#### gather-bench registrations vs plain `register!` (s)", "",
                build_table(rows, ("gb", "rg"), ns, ["dev"])]
    out += ["", "#### Peak rustc memory (MiB)", "", memory_table(rows, ns, profiles)]
    fails = [r for r in rows if not r["ok"]]
    if fails:
        out += ["", "Failed rows:", ""]
        out += [f"- {KINDS[r['kind']][0]}, {r['profile']}, N = {r['n']:,}, run {r['rep'] + 1}: "
                f"`{(r.get('error') or '?')[:300]}`" for r in fails]
    rebuilt = sorted({d for r in rows for s in ("clean", "rebuild")
                      for d in r.get(s, {}).get("deps_rebuilt", [])})
    if rebuilt:
        out += ["", f"Note: dependencies were compiled during measured builds: "
                f"{', '.join(rebuilt)}."]
    return "\n".join(out) + "\n"


def update_benchmarks(md: str, path: Path):
    """Replaces the marked section, or inserts it right after the test-harness heading."""
    block = f"{MARK_START}\n{md}\n{MARK_END}\n\n"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    new = replace_marked(text, MARK_START, MARK_END, block)
    if new is None:
        if HARNESS_HEADING in text:
            a, b = text.split(HARNESS_HEADING, 1)
            new = a + HARNESS_HEADING + "\n\n" + block + b.lstrip("\n")
        else:
            new = text.rstrip("\n") + f"\n\n{HARNESS_HEADING}\n\n" + block
    path.write_text(new)


# ----------------------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=parse_list, default=None,
                   help="items per target, multiples of 100 (default 1000,10000,50000)")
    p.add_argument("--runs", type=int, default=None, help="repetitions (default 3)")
    p.add_argument("--quick", action="store_true", help="smoke test: N=1000, one repetition")
    p.add_argument("--profiles", default="dev,release", help="dev, release or both")
    p.add_argument("--run-reps", type=int, default=5,
                   help="timed runs of each test binary (and of --list) per repetition")
    p.add_argument("--dir", default="/tmp/gather-frameworks-bench", help="scratch directory")
    p.add_argument("--gather", default=str(REPO),
                   help="the gather repository to take the crates from (default this one)")
    p.add_argument("--build-timeout", type=int, default=1800, help="seconds per build")
    p.add_argument("--out", default=None, help="write the raw results (JSON) to this file")
    p.add_argument("--render", default=None, help="print a saved results JSON, do not run")
    p.add_argument("--note", default=None, help="a sentence for the report (machine state)")
    p.add_argument("--write", action="store_true",
                   help="replace the bench-frameworks section of BENCHMARKS.md")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = p.parse_args()

    if args.render:
        results = json.loads(Path(args.render).read_text())
    else:
        if args.quick:
            args.n = args.n or [1000]
            args.runs = args.runs or 1
        args.n = args.n or [1000, 10000, 50000]
        args.runs = args.runs or 3
        args.profiles = [x.strip() for x in args.profiles.split(",") if x.strip()]
        if not args.profiles or any(x not in ("dev", "release") for x in args.profiles):
            p.error("--profiles takes dev, release or both")
        if any(n <= 0 or n % FILES for n in args.n) or max(args.n) > 99_999:
            p.error(f"every N must be a positive multiple of {FILES} below 100,000")
        d = Path(args.dir).resolve()
        gather = Path(args.gather).resolve()
        if d == REPO or REPO in d.parents or d == gather or gather in d.parents:
            p.error("the scratch directory must be outside the repository")
        if not (gather / "crates" / "gather-test" / "Cargo.toml").exists():
            p.error(f"{gather} holds no crates/gather-test")
        bench = Bench(args)
        results = bench.run(gather)
        results["meta"]["command"] = "python3 scripts/bench-frameworks.py " + " ".join(
            x for x in sys.argv[1:] if x not in ("--write", "--quiet"))
        raw = json.dumps(results, indent=1)
        saved = bench.dir / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
        saved.write_text(raw)
        print(f"raw results: {saved}", file=sys.stderr)
        if args.out:
            Path(args.out).write_text(raw)
    md = render(results, args.note)
    print(md)
    if args.write:
        update_benchmarks(md, REPO / "BENCHMARKS.md")
        print("updated BENCHMARKS.md", file=sys.stderr)
    sys.exit(0 if all(r["ok"] for r in results["rows"]) else 1)


if __name__ == "__main__":
    main()
