#!/usr/bin/env python3
"""gather-test on real test suites: port crates.io crates' integration tests mechanically to
gather-test and compare, per test target, what libtest and gather-test count.

For every crate of corpus.txt (a pinned version):

 1. get its published source: `cargo fetch` through a throwaway package that depends on exactly
    that version, then unpack the .crate file from Cargo's download cache;
 2. libtest side: a copy of it, built and run as it is: `cargo test --test T` for every
    integration-test target T (as `cargo metadata` lists them: tests/*.rs, tests/*/main.rs and
    explicit [[test]] entries); the counts are read from libtest's `test result:` line;
 3. gather-test side: a second copy, ported mechanically and by nothing else (port.py: `#[test]`
    becomes `#[gather_test::test]`, an `#[rstest]` function gets `#[gather_test::test]` last, a file
    that uses quickcheck's macros gets `use gather_test::test;`, each root `main!()`, each target
    `harness = false` and, for a root under `#![cfg(feature = ..)]`, `required-features`);
    then built and run the same way, with the libtest side's Cargo.lock so both resolve the same
    dependency versions;
 4. both sides again under `cargo nextest run`, per target counts from nextest's status lines.

A target passes when gather-test's counts equal libtest's under `cargo test`, and under nextest
the two sides' counts are equal too (nextest runs each test in its own process, so its counts are
compared with libtest-under-nextest, not with `cargo test`). For a target that differs, the test
names of both sides (`--list`) are compared and the missing ones logged.

Run through run.sh; `--help` for the options.
"""

import argparse
import datetime
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from port import port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


# ------------------------------------------------------------------------------------------------
# corpus
# ------------------------------------------------------------------------------------------------
class Crate:
    def __init__(self, name, version, skip):
        self.name, self.version, self.skip = name, version, skip
        self.id = f"{name}-{version}"


def read_corpus(path):
    crates = []
    for lineno, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        skip = set()
        for opt in parts[2:]:
            if not opt.startswith("skip="):
                sys.exit(f"{path}:{lineno}: unknown option {opt!r}")
            skip.update(opt[len("skip="):].split(","))
        if len(parts) < 2:
            sys.exit(f"{path}:{lineno}: expected NAME VERSION [skip=TARGET,...]")
        crates.append(Crate(parts[0], parts[1], skip))
    return crates


# ------------------------------------------------------------------------------------------------
# cargo
# ------------------------------------------------------------------------------------------------
def cargo_env(target_dir):
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir, CARGO_TERM_COLOR="never",
               CARGO_BUILD_JOBS=os.environ.get("CARGO_BUILD_JOBS", "2"))
    # Settings that would make the two sides, or this run and the next, build differently.
    # RUST_BACKTRACE changes what some suites assert on (anyhow's Debug output), so it is unset:
    # the counts then do not depend on the shell the run was started from.
    for k in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "GATHER_SEED", "GATHER_DEBUG",
              "CARGO_BUILD_TARGET", "NEXTEST_PROFILE", "RUST_BACKTRACE", "RUST_LIB_BACKTRACE"):
        env.pop(k, None)
    return env


class Run:
    """One finished command: exit code (None if killed on timeout), output, seconds."""

    def __init__(self, cmd, rc, out, err, seconds):
        self.cmd, self.rc, self.out, self.err, self.seconds = cmd, rc, out, err, seconds


def cargo(args, cwd, target_dir, timeout, log):
    """Runs `nice -n 15 cargo ARGS` (the machine is shared: builds run at low priority) in its own
    session, so that a timeout kills cargo and every process under it and nothing else."""
    cmd = ["nice", "-n", "15", "cargo", *args]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=cargo_env(target_dir), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        rc = None
    seconds = time.monotonic() - start
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(cmd)}\n(in {cwd}, {seconds:.1f} s, exit {rc})\n")
        f.write(err)
        if not args[-1].startswith("--message-format"):
            f.write(out)
        if rc is None:
            f.write(f"\nkilled after {timeout} s\n")
    return Run(cmd, rc, out, err, seconds)


# ------------------------------------------------------------------------------------------------
# step 1: sources
# ------------------------------------------------------------------------------------------------
def cached_crate(name, version):
    home = os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")
    hits = glob.glob(os.path.join(home, "registry/cache/*", f"{name}-{version}.crate"))
    return hits[0] if hits else None


def fetch(crate, work, log):
    """The crate's published source, unpacked into work/src/NAME-VERSION (never modified: the two
    sides are copies of it). Downloaded by the ordinary client if not in Cargo's cache yet."""
    dest = os.path.join(work, "src", crate.id)
    if os.path.isfile(os.path.join(dest, "Cargo.toml")):
        return dest
    if not cached_crate(crate.name, crate.version):
        pkg = os.path.join(work, "fetch", crate.id)
        os.makedirs(os.path.join(pkg, "src"), exist_ok=True)
        open(os.path.join(pkg, "src", "lib.rs"), "w").close()
        with open(os.path.join(pkg, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "fetch-one"\nversion = "0.0.0"\nedition = "2021"\n'
                    f'publish = false\n\n[workspace]\n\n[dependencies]\n'
                    f'{crate.name} = "={crate.version}"\n')
        r = subprocess.run(["cargo", "fetch"], cwd=pkg, capture_output=True, text=True)
        with open(log, "a") as f:
            f.write(r.stderr)
        if not cached_crate(crate.name, crate.version):
            return None
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with tarfile.open(cached_crate(crate.name, crate.version)) as t:
        t.extractall(tmp, filter="data")
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(os.path.join(tmp, crate.id), dest)
    shutil.rmtree(tmp)
    return dest


def make_copy(src, dest):
    """A fresh copy of the pristine source, as a root package of its own: without a [workspace]
    table cargo would look for a workspace in the parent directories and find gather's."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=True)
    manifest = os.path.join(dest, "Cargo.toml")
    text = open(manifest).read()
    if "workspace" not in tomllib.loads(text):
        text += "\n[workspace]\n"
    open(manifest, "w").write(text)


class Target:
    def __init__(self, name, path, required_features, own_harness):
        self.name, self.path = name, path  # path relative to the package root
        self.required_features, self.own_harness = required_features, own_harness


def test_targets(pkg, log):
    """The package's integration-test targets, as cargo sees them (autodiscovered or explicit)."""
    r = cargo(["metadata", "--no-deps", "--format-version", "1"], pkg, "/nonexistent", 300, log)
    if r.rc != 0:
        raise RuntimeError(f"cargo metadata failed: {first_error(r.err)}")
    meta = json.loads(r.out)
    manifest = tomllib.load(open(os.path.join(pkg, "Cargo.toml"), "rb"))
    harness = {t.get("name"): t.get("harness", True) for t in manifest.get("test", [])}
    (package,) = meta["packages"]
    out = []
    for t in package["targets"]:
        if t["kind"] == ["test"]:
            rel = os.path.relpath(t["src_path"], os.path.realpath(pkg))
            out.append(Target(t["name"], rel, t.get("required-features", []),
                              not harness.get(t["name"], True)))
    return sorted(out, key=lambda t: t.name)


def default_features(pkg):
    """The features that `default` enables, transitively (what the targets are built with)."""
    table = tomllib.load(open(os.path.join(pkg, "Cargo.toml"), "rb")).get("features", {})
    on, todo = set(), ["default"]
    while todo:
        f = todo.pop()
        if f in on:
            continue
        on.add(f)  # a feature of the table, or an optional dependency's implicit one
        todo += [x for x in table.get(f, []) if "/" not in x and not x.startswith("dep:")]
    return on


# ------------------------------------------------------------------------------------------------
# steps 2-4: building and running
# ------------------------------------------------------------------------------------------------
def first_error(stderr):
    for line in stderr.splitlines():
        if line.startswith("error"):
            return line.strip()
    lines = [l for l in stderr.splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no output)"


def build(pkg, names, target_dir, timeout, log):
    """Builds the test targets (`--no-fail-fast` keeps going past a target that does not compile).
    Returns ({target: None if built, else its first error}, seconds)."""
    args = ["test", "--no-run", "--no-fail-fast"]
    for n in names:
        args += ["--test", n]
    r = cargo(args + ["--message-format=json"], pkg, target_dir, timeout, log)
    built, errors = set(), {}
    with open(log, "a") as f:
        for line in r.out.splitlines():
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            target = msg.get("target", {})
            ours = msg.get("manifest_path") == os.path.join(os.path.realpath(pkg), "Cargo.toml")
            if msg.get("reason") == "compiler-artifact" and ours and msg.get("executable"):
                built.add(target["name"])
            if msg.get("reason") == "compiler-message" and msg["message"]["level"] == "error":
                m = msg["message"]
                f.write(m.get("rendered") or m["message"] + "\n")
                if ours and target.get("name") in names:
                    errors.setdefault(target["name"], describe(m))
    general = "timeout" if r.rc is None else first_error(r.err)
    result = {n: None if n in built else errors.get(n, general) for n in names}
    # After the first target that fails to compile, cargo starts no new compilation (`cargo test`
    # has no --keep-going): the targets left without an artifact or an error of their own are
    # built again one by one, so one broken target does not hide the others' results.
    unsettled = [n for n in names if n not in built and n not in errors]
    if r.rc is not None and errors and unsettled:
        for n in unsettled:
            one, secs = build(pkg, [n], target_dir, timeout, log)
            result[n] = one[n]
            r.seconds += secs
    return result, r.seconds


def describe(m):
    """First line of a diagnostic, with where it points."""
    text = m["message"].strip().splitlines()[0]
    for s in m.get("spans", []):
        if s.get("is_primary"):
            return f"{text} ({s['file_name']}:{s['line_start']})"
    return text


RESULT = re.compile(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored")


def run_target(pkg, name, target_dir, timeout, log):
    """`cargo test --test NAME`: (passed, failed, ignored) from the last `test result:` line (the
    harness prints it last; a test's own output comes before it), or an error string."""
    r = cargo(["test", "--test", name, "--no-fail-fast"], pkg, target_dir, timeout, log)
    found = RESULT.findall(r.out)
    if r.rc is None:
        return "timeout", r.seconds
    if not found:
        return f"no result line (exit {r.rc})", r.seconds
    return tuple(map(int, found[-1])), r.seconds


def list_tests(pkg, name, target_dir, log):
    """Names of a target's tests, ignored ones included (libtest's `--list` format)."""
    r = cargo(["test", "--test", name, "--", "--list"], pkg, target_dir, 600, log)
    return {l[:-len(": test")] for l in r.out.splitlines() if l.endswith(": test")}


NEXTEST_LINE = re.compile(r"^\s*(?:TRY \d+ )?([A-Z][A-Z-]*)\s+\[[^\]]*\]\s+(?:\([^)]*\)\s+)?(\S+)\s+(\S.*?)\s*$")


def nextest(pkg, names, target_dir, timeout, log):
    """`cargo nextest run` over the given targets: ({target: (passed, failed, skipped) or an error
    string}, seconds). Targets with no tests have no status lines: (0, 0, 0) if the run ran."""
    if not names:
        return {}, 0.0
    args = ["nextest", "run", "--no-fail-fast", "--no-tests=pass", "--status-level", "all",
            "--final-status-level", "none", "--hide-progress-bar"]
    for n in names:
        args += ["--test", n]
    r = cargo(args, pkg, target_dir, timeout, log)
    if r.rc not in (0, 100):  # 100: tests failed; anything else: it did not get to run them all
        if len(names) > 1:  # one target that nextest cannot list stops the run: go one by one
            out, secs = {}, r.seconds
            for n in names:
                one, s = nextest(pkg, [n], target_dir, timeout, log)
                out.update(one)
                secs += s
            return out, secs
        return {names[0]: "timeout" if r.rc is None else first_error(r.err)}, r.seconds
    status = {}
    for line in r.err.splitlines():
        m = NEXTEST_LINE.match(line)
        if m and "::" in m.group(2):
            status[(m.group(2).split("::", 1)[1], m.group(3))] = m.group(1)  # retries: the last
    counts = {n: [0, 0, 0] for n in names}
    for (target, _), st in status.items():
        if target in counts:
            i = 0 if st in ("PASS", "LEAK") else 2 if st == "SKIP" else 1
            counts[target][i] += 1
    return {n: tuple(c) for n, c in counts.items()}, r.seconds


def snapshot_gather(gather_test, work):
    """A copy of the workspace that holds the gather-test crate, taken once at the start, so that
    every crate of one run is ported to the same gather-test even while others commit to that
    checkout. Returns (the gather-test crate in the copy, "commit" or "commit+changes")."""
    root = gather_test
    while root != os.path.dirname(root):
        m = os.path.join(root, "Cargo.toml")
        if os.path.isfile(m) and "workspace" in tomllib.load(open(m, "rb")):
            break
        root = os.path.dirname(root)
    else:
        return gather_test, "(not in a workspace: used in place)"

    def git(*a):
        r = subprocess.run(["git", "-C", root, *a], capture_output=True, text=True)
        return r.stdout if r.returncode == 0 else None

    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if files is None:
        return gather_test, "(not in git: used in place)"
    dest = os.path.join(work, "gather-snapshot")
    shutil.rmtree(dest, ignore_errors=True)
    for rel in filter(None, files.split("\0")):
        src = os.path.join(root, rel)
        if os.path.lexists(src) and not os.path.isdir(src):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            # copy2 keeps modification times: an unchanged gather is not rebuilt by the next run
            shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)
    commit = git("rev-parse", "--short", "HEAD").strip()
    changed = git("status", "--porcelain", "--untracked-files=no")
    return (os.path.join(dest, os.path.relpath(gather_test, root)),
            commit + ("+uncommitted changes" if changed else ""))


# ------------------------------------------------------------------------------------------------
# the whole run
# ------------------------------------------------------------------------------------------------
class Row:
    def __init__(self, crate, target):
        self.crate, self.target = crate, target
        self.lib = self.gt = self.nx_lib = self.nx_gt = None
        self.result, self.note = "", ""


def fmt(c):
    if c is None:
        return "-"
    if isinstance(c, tuple):
        return "/".join(map(str, c))
    return "error"


def judge(row):
    if isinstance(row.lib, str):
        row.result, row.note = "LIB-ERROR", row.lib
    elif isinstance(row.gt, str):
        row.result = "BUILD" if row.note else "ERROR"
        row.note = row.note or row.gt
    elif row.lib != row.gt:
        row.result = "DIFF"
    elif isinstance(row.nx_lib, tuple) and row.nx_gt != row.nx_lib:
        row.result = "DIFF-NEXTEST"
        if isinstance(row.nx_gt, str):
            row.note = "nextest: " + row.nx_gt
    else:
        row.result = "same"


def measure(crate, args, work, timing):
    logdir = os.path.join(work, "logs", crate.id)
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)
    log_lib, log_gt = os.path.join(logdir, "libtest.log"), os.path.join(logdir, "gather-test.log")
    src = fetch(crate, work, log_lib)
    if not src:
        row = Row(crate, "(all)")
        row.result, row.note = "LIB-ERROR", "could not fetch the crate"
        return [row]
    lib, gt = os.path.join(work, "libtest", crate.id), os.path.join(work, "gather-test", crate.id)
    make_copy(src, lib)
    targets = test_targets(lib, log_lib)
    only = re.compile(args.only) if args.only else None
    rows, chosen = [], {}
    for t in targets:
        if only and not only.search(f"{crate.id}/{t.name}"):
            continue
        row = Row(crate, t.name)
        rows.append(row)
        if t.name in crate.skip:
            row.result, row.note = "skip", "skipped in corpus.txt"
        elif set(t.required_features) - default_features(lib):
            row.result, row.note = "skip", "required-features: " + ",".join(t.required_features)
        elif t.own_harness:
            row.result, row.note = "skip", "harness = false already (a harness of its own)"
        else:
            chosen[t.name] = t
    if not chosen:
        return rows
    names = sorted(chosen)
    tdir_lib, tdir_gt = os.path.join(work, "target-libtest"), os.path.join(work, "target-gather-test")

    # libtest side
    print(f"[{crate.id}] libtest: building {len(names)} targets", file=sys.stderr, flush=True)
    built_lib, secs = build(lib, names, tdir_lib, args.timeout, log_lib)
    timing[crate.id] = {"libtest build": secs}
    run_secs = 0.0
    for row in rows:
        if row.target in chosen:
            if built_lib[row.target]:
                row.lib = "did not build: " + built_lib[row.target]
            else:
                row.lib, s = run_target(lib, row.target, tdir_lib, args.timeout, log_lib)
                run_secs += s
    timing[crate.id]["libtest run"] = run_secs

    # gather-test side, with the same dependency versions
    make_copy(src, gt)
    if os.path.exists(os.path.join(lib, "Cargo.lock")):
        shutil.copy(os.path.join(lib, "Cargo.lock"), os.path.join(gt, "Cargo.lock"))
    counts, gated = port(gt, chosen, args.gather_test)
    # A root under `#![cfg(feature = ..)]` got `required-features`: without the feature cargo
    # builds no binary for it (libtest's side builds an empty one, which runs 0 tests).
    gated = {n: f for n, f in gated.items() if set(f) - default_features(gt)}
    done = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    print(f"[{crate.id}] gather-test: {done or 'nothing'} ported, building", file=sys.stderr,
          flush=True)
    gt_names = [n for n in names if n not in gated]
    built_gt, secs = build(gt, gt_names, tdir_gt, args.timeout, log_gt) if gt_names else ({}, 0.0)
    timing[crate.id]["gather-test build"] = secs
    run_secs = 0.0
    for row in rows:
        if row.target in gated:
            row.gt = (0, 0, 0)
            row.note = ("gather-test side: required-features = " + ",".join(gated[row.target]) +
                        " (from the root's #![cfg]): not built without it, 0 tests")
        elif row.target in chosen:
            if built_gt[row.target]:
                row.gt, row.note = "did not build", built_gt[row.target]
            else:
                row.gt, s = run_target(gt, row.target, tdir_gt, args.timeout, log_gt)
                run_secs += s
    timing[crate.id]["gather-test run"] = run_secs

    # nextest, both sides, over the targets that built
    if not args.no_nextest:
        print(f"[{crate.id}] nextest", file=sys.stderr, flush=True)
        nx_lib, s1 = nextest(lib, [n for n in names if not built_lib[n]], tdir_lib, args.timeout,
                             log_lib)
        nx_gt, s2 = nextest(gt, [n for n in gt_names if not built_gt[n]], tdir_gt,
                            args.timeout, log_gt)
        nx_gt.update({n: (0, 0, 0) for n in gated})  # nextest lists no test of a target not built
        timing[crate.id]["nextest (both)"] = s1 + s2
        for row in rows:
            row.nx_lib, row.nx_gt = nx_lib.get(row.target), nx_gt.get(row.target)

    for row in rows:
        if row.target not in chosen:
            continue
        judge(row)
        if row.result.startswith("DIFF") and isinstance(row.gt, tuple):
            a = list_tests(lib, row.target, tdir_lib, log_lib)
            b = list_tests(gt, row.target, tdir_gt, log_gt)
            missing, extra = sorted(a - b), sorted(b - a)
            with open(os.path.join(logdir, f"diff-{row.target}.txt"), "w") as f:
                f.write("missing under gather-test:\n" + "".join(f"  {n}\n" for n in missing))
                f.write("extra under gather-test:\n" + "".join(f"  {n}\n" for n in extra))
            parts = []
            if missing:
                parts.append(f"{len(missing)} missing, e.g. {missing[0]}")
            if extra:
                parts.append(f"{len(extra)} extra, e.g. {extra[0]}")
            row.note = "; ".join(parts) or row.note or "same names, different outcomes"
    return rows


COLUMNS = ["crate", "version", "target", "libtest p/f/i", "gather-test p/f/i",
           "nextest lib → gt", "result", "note"]


def cells(row):
    nx = "-"
    if row.nx_lib is not None or row.nx_gt is not None:
        nx = f"{fmt(row.nx_lib)} → {fmt(row.nx_gt)}"
    return [row.crate.name, row.crate.version, row.target, fmt(row.lib), fmt(row.gt), nx,
            row.result, row.note]


def print_table(rows):
    table = [COLUMNS] + [cells(r) for r in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS) - 1)]
    for r in table:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1][:160])


def markdown(rows, timing, args, path, total_secs):
    def sh(cmd, cwd=None):
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True).stdout.strip()

    lines = [
        f"Run on {datetime.date.today().isoformat()}, {os.cpu_count()} cores, "
        f"{sh(['rustc', '--version'])}, {sh(['cargo', 'nextest', '--version']).splitlines()[0]}; "
        f"gather-test from `{args.gather_test_source}` at commit `{args.gather_commit}`; "
        f"whole run {total_secs / 60:.1f} min.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(r)) + " |")
    lines += ["", "Times in seconds (builds include the dependencies not yet in the shared "
              "target directory of that side):", "",
              "| crate | libtest build | libtest run | gather-test build | gather-test run | "
              "nextest (both sides) |", "|---|---|---|---|---|---|"]
    for cid, t in timing.items():
        lines.append(f"| {cid} | " + " | ".join(
            f"{t.get(k, 0):.0f}" for k in ("libtest build", "libtest run", "gather-test build",
                                            "gather-test run", "nextest (both)")) + " |")
    open(path, "w").write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", metavar="REGEX",
                    help='targets whose "NAME-VERSION/TARGET" matches REGEX')
    ap.add_argument("--gather-test", metavar="PATH", default=os.path.join(ROOT, "crates/gather-test"),
                    help="the gather-test crate to test (default: this repo's)")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus.txt"))
    ap.add_argument("--work", default=os.environ.get("REAL_SUITES_DIR")
                    or os.path.join(ROOT, "target/real-suites"), help="scratch directory")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    ap.add_argument("--no-nextest", action="store_true", help="cargo test only")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cargo command")
    args = ap.parse_args()
    args.gather_test = os.path.realpath(args.gather_test)
    if not os.path.isfile(os.path.join(args.gather_test, "Cargo.toml")):
        sys.exit(f"no crate at {args.gather_test}")
    work = os.path.realpath(args.work)
    os.makedirs(work, exist_ok=True)

    args.gather_test_source = args.gather_test
    args.gather_test, args.gather_commit = snapshot_gather(args.gather_test, work)
    print(f"gather-test: {args.gather_test_source} at {args.gather_commit}", file=sys.stderr)
    start, rows, timing = time.monotonic(), [], {}
    for crate in read_corpus(args.corpus):
        try:
            rows += measure(crate, args, work, timing)
        except Exception as e:  # one broken crate should not lose the others' results
            row = Row(crate, "(all)")
            row.result, row.note = "ERROR", f"{type(e).__name__}: {e}"
            rows.append(row)
    total = time.monotonic() - start

    print_table(rows)
    if args.markdown:
        markdown(rows, timing, args, args.markdown, total)
    judged = [r for r in rows if r.result != "skip"]
    passed = sum(r.result == "same" for r in judged)
    print(f"\ngather-test {args.gather_commit}; logs in {work}/logs; whole run {total / 60:.1f} min")
    print(f"{passed} passed, {len(judged) - passed} failed")
    sys.exit(0 if passed == len(judged) else 1)


if __name__ == "__main__":
    main()
