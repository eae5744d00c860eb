#!/usr/bin/env python3
"""Compile-time and run-time benchmark of gather against linkme, inventory and the hand-written floor.

    python3 scripts/bench-compile.py [--n 100,1000,10000,50000] [--runs 3] [--quick]
                                     [--write] [--out FILE] [--dir /tmp/gather-bench] ...

Python 3.11 standard library only, plus cargo (stable; nightly for the -Znext-solver rows),
/usr/bin/time and strip. Everything is generated under --dir (default /tmp/gather-bench), never
inside the repository.

What is generated. For every N, one binary crate per approach with the same N items of type
`(&'static str, u64)`, item j of module file k being ("m{k}_{j}", k*100000 + j), spread evenly
over 100 module files m0.rs..m99.rs:

  floor      `pub const I{j}: (&str, u64) = ..;` in the module files and, at the root,
             `pub static ITEMS: [(&str, u64); N] = [m0::I0, m1::I0, ..];`
  gather     `#[registry] pub static ITEMS: Registry<(&'static str, u64)>;` at the root and
             `gather::register!(crate::ITEMS, ("m3_17", 300017));` in the module files
  linkme     `#[distributed_slice] pub static ITEMS: [(&'static str, u64)];` at the root and
             `#[linkme::distributed_slice(crate::ITEMS)] static I{j}: (&str, u64) = ..;`
  inventory  `pub struct Item(pub (&'static str, u64)); inventory::collect!(Item);` at the root
             (inventory needs a local type) and `inventory::submit! { crate::Item(..) }`
  macro      the floor's constants and array, each constant written by a call of the least
             proc macro there can be, `least::register!(I{j}, ("m3_17", 300017))`, which splits
             its input at the comma and emits `pub(crate) const I{j}: crate::Item = ..;`: no
             scan, no span lookups, its name given. What any design with one proc-macro call per
             registration pays at the least (generated under DIR/least-macro).

Every `main` prints the item count and an order-independent checksum (FNV-1a of the name xor
the value times a constant, summed), which the script checks against the items it generated: a
registry with a wrong count or checksum makes a failed row (and a non-zero exit).

What is measured, per repetition, interleaving the approaches (their order rotates from one
repetition to the next, so load from other work on the machine hits all of them alike):

  clean release build   `touch src/main.rs` then `cargo build --release`: release builds are not
                        incremental, so rustc compiles the whole crate; dependencies were built
                        once beforehand in a target dir shared by all crates of that approach
                        (per toolchain). The time is the wall time of the crate's rustc process
                        (including linking), taken by a RUSTC_WRAPPER; cargo's own wall time is
                        kept in the JSON results. A dependency compiled during a measured build
                        is reported.
  incremental rebuild   dev profile: change one value in one module file (m50.rs, first item) and
                        `cargo build`; the dev binary is run to check the new checksum, so the
                        incremental result is also checked for correctness.
  peak rustc memory     max RSS of the crate's rustc process in the clean release build
                        (/usr/bin/time -f %M around rustc itself, inside the wrapper, so cargo's
                        own memory is not counted).
  binary size           the release binary as cargo leaves it (symbols, no debuginfo), and after
                        `strip`.
  iteration             the generated main times N items x R repeats (R = 8M/N, at least 1) with
                        std::time::Instant, best of 7 batches, ns per item; the iterator passes
                        through black_box so that the sum can be neither hoisted nor const-folded.
  time before main      the script takes CLOCK_REALTIME (time.time_ns) in the forked child just
                        before exec (subprocess preexec_fn) and the binary prints
                        SystemTime::now() as the first statement of main; the difference covers
                        exec, the dynamic loader, relocations, .init_array constructors
                        (inventory's registrations) and the Rust runtime's own start-up. The
                        fastest of --startup-runs launches per repetition (other work on the
                        machine only ever adds to a launch). The floor binary is the "empty
                        twin": its number is the start-up that every binary pays; the table
                        also gives the difference to it.

Also:
  multi-registry        gather only: one crate with 1, 10 and 50 registries over --multi-total
                        (default 10,000) registrations in the same 100 files (item j of a file goes
                        to registry j % R); clean release build, memory, incremental rebuild, each
                        registry's count checked.
  nightly next solver   the same N crates on `cargo +nightly` with RUSTFLAGS=-Znext-solver=globally
                        (own target dirs, own prebuilt dependencies): clean release build, memory
                        and the checksum; a failing build is reported with its first error line.

Ratios ("x floor", "x 1 registry") are computed within each repetition, between builds that ran
minutes apart at most, then their median is taken; times are medians with the min-max spread.

Output: a markdown section on stdout; --out FILE writes it to FILE; --write replaces the
section between the bench-compile markers in BENCHMARKS.md at the repository root (creating the
file if needed) and writes docs/bench-compile.svg (clean release build time against N, log-log,
hand-written SVG). Raw results go to DIR/results-<time>.json; --render FILE re-renders them.

--quick (N = 100 and 1,000, one repetition, no nightly, 1,000 registrations in the multi-registry
crates) is a smoke test: about half a minute once dependencies are built in --dir, two to three
minutes from an empty --dir. The exit status is 1 if any stable row failed (a build error or a
wrong registry); nightly failures are reported in the table only.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (f_ratio, f_s, install_wrapper, machine, measured_build,  # noqa: E402
                      med, parse_list, replace_marked, rustc_version, spread, toggle_text,
                      write_if_changed, wrapper_env)

REPO = Path(__file__).resolve().parent.parent
APPROACHES = ["floor", "gather", "linkme", "inventory", "macro"]
LINKME_VERSION = "0.3.37"      # latest 0.3.x on crates.io when this script was written
INVENTORY_VERSION = "0.3.25"   # idem
FILES = 100
EDIT_FILE = 50                 # module file edited for the incremental rebuild
EDIT_DELTA = 1_000_000_000     # added to the value of item ("m50_0", ..) when edited
ITEM_TYPE = "(&'static str, u64)"

# ----------------------------------------------------------------------------------------------
# Items and checksum


def fnv1a(s: str) -> int:
    h = 0xCBF29CE484222325
    for b in s.encode():
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def mix(name: str, value: int) -> int:
    return fnv1a(name) ^ ((value * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)


def items(n: int):
    """(file, j, name, value) for item i = j * FILES + file: files get n / FILES items each."""
    for i in range(n):
        k, j = i % FILES, i // FILES
        yield k, j, f"m{k}_{j}", k * 100_000 + j


def value_of(k: int, j: int, edited: bool) -> int:
    v = k * 100_000 + j
    if edited and k == EDIT_FILE and j == 0:
        v += EDIT_DELTA
    return v


def expected(n: int, edited: bool, registries: int = 0):
    total = 0
    counts = [0] * max(registries, 1)
    for k, j, name, _ in items(n):
        total = (total + mix(name, value_of(k, j, edited))) & 0xFFFFFFFFFFFFFFFF
        counts[j % len(counts)] += 1
    return total, counts


# ----------------------------------------------------------------------------------------------
# Crate generation

MAIN_COMMON = r"""
use std::hint::black_box;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

fn fnv1a(s: &str) -> u64 {
    let mut h = 0xcbf29ce484222325u64;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn mix(it: &(&str, u64)) -> u64 {
    fnv1a(it.0) ^ it.1.wrapping_mul(0x9E3779B97F4A7C15)
}

fn main() {
    // First statement: the script compares this with a timestamp taken just before exec.
    let entry = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    if std::env::var_os("BENCH_STARTUP").is_some() {
        println!("entry_ns={entry}");
        return;
    }
    let mut count = 0u64;
    let mut sum = 0u64;
    for it in iter_items() {
        count += 1;
        sum = sum.wrapping_add(mix(it));
    }
    println!("count={count}");
    println!("checksum={sum}");
    extra_checks();
    if std::env::var_os("BENCH_CHECK_ONLY").is_some() {
        return;
    }
    let n = count.max(1) as u128;
    let reps = (8_000_000 / n).max(1);
    let mut best = f64::MAX;
    for _ in 0..7 {
        let t = Instant::now();
        let mut acc = 0u64;
        for _ in 0..reps {
            for it in black_box(iter_items()) {
                acc = acc.wrapping_add(it.1);
            }
        }
        let ns = t.elapsed().as_nanos() as f64 / (reps * n) as f64;
        black_box(acc);
        best = best.min(ns);
    }
    println!("ns_per_item={best:.4}");
}
"""


def crate_name(approach: str, n: int, registries: int = 0) -> str:
    return f"bench_{approach}_{n}" + (f"_r{registries}" if registries else "")


def cargo_toml(name: str, approach: str, gather_path: Path, least_path: Path) -> str:
    deps = {
        "floor": "",
        "gather": f'gather = {{ path = "{gather_path}" }}\n',
        "linkme": f'linkme = "={LINKME_VERSION}"\n',
        "inventory": f'inventory = "={INVENTORY_VERSION}"\n',
        "macro": f'least = {{ path = "{least_path}" }}\n',
    }[approach]
    return (
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f"[dependencies]\n{deps}\n[workspace]\n"
    )


def item_line(approach: str, k: int, j: int, value: int, registries: int) -> str:
    name = f'"m{k}_{j}"'
    if approach == "floor":
        return f"pub const I{j}: (&str, u64) = ({name}, {value});\n"
    if approach == "gather":
        reg = f"ITEMS{j % registries}" if registries else "ITEMS"
        return f"gather::register!(crate::{reg}, ({name}, {value}));\n"
    if approach == "linkme":
        return (
            f"#[linkme::distributed_slice(crate::ITEMS)]\n"
            f"static I{j}: (&str, u64) = ({name}, {value});\n"
        )
    if approach == "inventory":
        return f"inventory::submit! {{ crate::Item(({name}, {value})) }}\n"
    if approach == "macro":
        return f"least::register!(I{j}, ({name}, {value}));\n"
    raise ValueError(approach)


def root_source(approach: str, n: int, registries: int) -> str:
    mods = "".join(f"mod m{k};\n" for k in range(FILES))
    extra = "fn extra_checks() {}\n"
    if approach in ("floor", "macro"):
        refs = ", ".join(f"m{k}::I{j}" for k, j, _, _ in items(n))
        head = (
            (f"pub type Item = {ITEM_TYPE};\n" if approach == "macro" else "")
            + f"pub static ITEMS: [{ITEM_TYPE}; {n}] = [{refs}];\n\n"
            f"fn iter_items() -> impl Iterator<Item = &'static {ITEM_TYPE}> {{\n"
            f"    ITEMS.iter()\n}}\n"
        )
    elif approach == "gather" and registries:
        decls = "".join(
            f"#[registry]\npub static ITEMS{r}: Registry<{ITEM_TYPE}>;\n" for r in range(registries)
        )
        regs = ", ".join(f"ITEMS{r}" for r in range(registries))
        head = (
            f"use gather::{{registry, Registry}};\n\n{decls}\n"
            f"static ALL: [Registry<{ITEM_TYPE}>; {registries}] = [{regs}];\n\n"
            f"fn iter_items() -> impl Iterator<Item = &'static {ITEM_TYPE}> {{\n"
            f"    ALL.iter().flat_map(|r| r.iter())\n}}\n"
        )
        extra = (
            "fn extra_checks() {\n"
            "    let counts: Vec<String> = ALL.iter().map(|r| r.len().to_string()).collect();\n"
            '    println!("counts={}", counts.join(","));\n}\n'
        )
    elif approach == "gather":
        head = (
            f"use gather::{{registry, Registry}};\n\n"
            f"#[registry]\npub static ITEMS: Registry<{ITEM_TYPE}>;\n\n"
            f"fn iter_items() -> impl Iterator<Item = &'static {ITEM_TYPE}> {{\n"
            f"    ITEMS.iter()\n}}\n"
        )
    elif approach == "linkme":
        head = (
            f"use linkme::distributed_slice;\n\n"
            f"#[distributed_slice]\npub static ITEMS: [{ITEM_TYPE}];\n\n"
            f"fn iter_items() -> impl Iterator<Item = &'static {ITEM_TYPE}> {{\n"
            f"    ITEMS.iter()\n}}\n"
        )
    elif approach == "inventory":
        head = (
            f"pub struct Item(pub {ITEM_TYPE});\ninventory::collect!(Item);\n\n"
            f"fn iter_items() -> impl Iterator<Item = &'static {ITEM_TYPE}> {{\n"
            f"    inventory::iter::<Item>.into_iter().map(|i| &i.0)\n}}\n"
        )
    else:
        raise ValueError(approach)
    return (
        f"// Generated by scripts/bench-compile.py: {approach}, {n} items"
        + (f", {registries} registries" if registries else "")
        + f" over {FILES} module files.\n#![allow(dead_code)]\n\n"
        + mods + "\n" + head + "\n" + extra + MAIN_COMMON
    )


LEAST_MACRO = """\
//! Generated by scripts/bench-compile.py: the least proc macro that writes a registration's
//! constant (`register!(NAME, VALUE)` to `pub(crate) const NAME: crate::Item = VALUE;`).
use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

#[proc_macro]
pub fn register(input: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = input.into_iter().collect();
    let value: Vec<TokenTree> = trees.drain(2..).collect();
    let site = Span::call_site();
    let ident = |name: &str| TokenTree::from(Ident::new(name, site));
    let punct = |c: char, spacing: Spacing| TokenTree::from(Punct::new(c, spacing));
    let krate = TokenStream::from(ident("crate"));
    let mut out = vec![
        ident("pub"),
        Group::new(Delimiter::Parenthesis, krate).into(),
        ident("const"),
        trees.swap_remove(0),
        punct(':', Spacing::Alone),
        ident("crate"),
        punct(':', Spacing::Joint),
        punct(':', Spacing::Alone),
        ident("Item"),
        punct('=', Spacing::Alone),
    ];
    out.extend(value);
    out.push(punct(';', Spacing::Alone));
    out.into_iter().collect()
}
"""


def generate_least_macro(dir_: Path):
    root = dir_ / "least-macro"
    (root / "src").mkdir(parents=True, exist_ok=True)
    write_if_changed(root / "Cargo.toml", '[package]\nname = "least"\nversion = "0.0.0"\n'
                     'edition = "2024"\npublish = false\n\n[lib]\nproc-macro = true\n\n[workspace]\n')
    write_if_changed(root / "src" / "lib.rs", LEAST_MACRO)


def generate(dir_: Path, approach: str, n: int, gather_path: Path, registries: int = 0) -> Path:
    if approach == "macro":
        generate_least_macro(dir_)
    name = crate_name(approach, n, registries)
    root = dir_ / "crates" / name
    (root / "src").mkdir(parents=True, exist_ok=True)
    write_if_changed(root / "Cargo.toml",
                     cargo_toml(name, approach, gather_path, dir_ / "least-macro"))
    per_file: list[list[str]] = [[] for _ in range(FILES)]
    for k, j, _, value in items(n):
        per_file[k].append(item_line(approach, k, j, value, registries))
    for k in range(FILES):
        write_if_changed(root / "src" / f"m{k}.rs", "".join(per_file[k]))
    write_if_changed(root / "src" / "main.rs", root_source(approach, n, registries))
    return root


def set_edited(crate: Path, edited: bool):
    """Toggles the value of item ("m50_0", ..) in m50.rs (the incremental-rebuild edit)."""
    base = EDIT_FILE * 100_000
    old, new = (base, base + EDIT_DELTA) if edited else (base + EDIT_DELTA, base)
    toggle_text(crate / "src" / f"m{EDIT_FILE}.rs", f'("m{EDIT_FILE}_0", {old})',
                f'("m{EDIT_FILE}_0", {new})')


# ----------------------------------------------------------------------------------------------
# Building and measuring

class Bench:
    def __init__(self, args):
        self.args = args
        self.dir = Path(args.dir).resolve()
        self.wrapper = self.dir / "rustc-wrapper.sh"
        self.measure = self.dir / "measure.log"
        self.deps_log = self.dir / "deps.log"
        self.failed_configs: set = set()

    def log(self, msg: str):
        if not self.args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def setup_dirs(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        install_wrapper(self.wrapper)

    def target_dir(self, approach: str, toolchain: str) -> Path:
        return self.dir / "target" / f"{toolchain}-{approach}"

    def env(self, approach: str, toolchain: str) -> dict:
        env = wrapper_env(self.target_dir(approach, toolchain), self.wrapper, self.measure,
                          self.deps_log)
        env["RUSTFLAGS"] = "-Znext-solver=globally" if toolchain == "nightly-next" else ""
        return env

    def cargo(self, toolchain: str) -> list[str]:
        return ["cargo", "+nightly"] if toolchain.startswith("nightly") else ["cargo", "+stable"]

    def build(self, crate: Path, approach: str, toolchain: str, release: bool, touch: bool,
              require: bool = True):
        """Runs one cargo build; returns a dict with the crate's rustc time and memory."""
        if touch:
            os.utime(crate / "src" / "main.rs")
        cmd = self.cargo(toolchain) + ["build", "--offline", "--quiet"]
        if release:
            cmd.append("--release")
        if self.args.jobs:
            cmd += ["-j", str(self.args.jobs)]
        return measured_build(cmd, crate, self.env(approach, toolchain), self.measure,
                              self.deps_log, self.args.build_timeout, require)

    def run_bin(self, binary: Path, env_extra: dict | None = None, preexec_ts=False):
        env = dict(os.environ)
        env.update(env_extra or {})
        if not preexec_ts:
            p = subprocess.run([str(binary)], env=env, capture_output=True, text=True,
                               timeout=600)
            return p, None
        r, w = os.pipe()

        def stamp():
            os.write(w, str(time.time_ns()).encode())

        try:
            p = subprocess.run([str(binary)], env=env, capture_output=True, text=True,
                               timeout=60, preexec_fn=stamp, pass_fds=(w,))
        finally:
            os.close(w)
        t = int(os.read(r, 64).decode())
        os.close(r)
        return p, t

    @staticmethod
    def parse_out(text: str) -> dict:
        out = {}
        for ln in text.splitlines():
            if "=" in ln:
                k, v = ln.split("=", 1)
                out[k.strip()] = v.strip()
        return out

    def check(self, binary: Path, n: int, edited: bool, registries: int = 0, full=False):
        """Runs the binary; returns (error or None, parsed output)."""
        env = {} if full else {"BENCH_CHECK_ONLY": "1"}
        p, _ = self.run_bin(binary, env)
        if p.returncode != 0:
            return f"binary exited {p.returncode}: {p.stderr.strip()[-200:]}", {}
        out = self.parse_out(p.stdout)
        want_sum, want_counts = expected(n, edited, registries)
        if out.get("count") != str(n) or out.get("checksum") != str(want_sum):
            return (f"wrong registry: count {out.get('count')} checksum {out.get('checksum')}, "
                    f"expected {n} and {want_sum}"), out
        if registries and out.get("counts") != ",".join(map(str, want_counts)):
            return f"wrong per-registry counts {out.get('counts')}", out
        return None, out

    def startup(self, binary: Path) -> float | None:
        vals = []
        for _ in range(self.args.startup_runs):
            p, t = self.run_bin(binary, {"BENCH_STARTUP": "1"}, preexec_ts=True)
            out = self.parse_out(p.stdout)
            if p.returncode == 0 and "entry_ns" in out:
                vals.append((int(out["entry_ns"]) - t) / 1000.0)
        # The minimum: other work on the machine only ever adds to a launch, never removes.
        return min(vals) if vals else None

    @staticmethod
    def binary(target: Path, name: str, release: bool) -> Path:
        return target / ("release" if release else "debug") / name

    def stripped_size(self, binary: Path) -> int | None:
        tmp = self.dir / "stripped.tmp"
        try:
            subprocess.run(["strip", "-o", str(tmp), str(binary)], check=True,
                           capture_output=True)
            return tmp.stat().st_size
        except (OSError, subprocess.CalledProcessError):
            return None
        finally:
            tmp.unlink(missing_ok=True)

    # ------------------------------------------------------------------------------------------

    def measure_main(self, rep: int, n: int, approach: str, crate: Path, state: dict) -> dict:
        """Clean release build, run-time rows and incremental dev rebuild of one crate."""
        row = {"rep": rep, "n": n, "approach": approach, "toolchain": "stable"}
        target = self.target_dir(approach, "stable")
        name = crate_name(approach, n)
        b = self.build(crate, approach, "stable", release=True, touch=True)
        row["clean"] = b
        if not b["ok"]:
            row.update(ok=False, error=f"release build: {b['error']}")
            return row
        binary = self.binary(target, name, True)
        err, out = self.check(binary, n, state["edited"], full=True)
        if err:
            row.update(ok=False, error=err)
            return row
        row["ns_per_item"] = float(out.get("ns_per_item", "nan"))
        row["size"] = binary.stat().st_size
        row["size_stripped"] = self.stripped_size(binary)
        row["startup_us"] = self.startup(binary)
        # Incremental dev rebuild: one value changes in one module file.
        state["edited"] = not state["edited"]
        set_edited(crate, state["edited"])
        d = self.build(crate, approach, "stable", release=False, touch=False)
        row["incr"] = d
        if not d["ok"]:
            row.update(ok=False, error=f"incremental dev build: {d['error']}")
            return row
        err, _ = self.check(self.binary(target, name, False), n, state["edited"])
        if err:
            row.update(ok=False, error=f"after incremental rebuild: {err}")
            return row
        row["ok"] = True
        return row

    def measure_nightly(self, rep: int, n: int, approach: str, crate: Path, state: dict) -> dict:
        row = {"rep": rep, "n": n, "approach": approach, "toolchain": "nightly-next"}
        b = self.build(crate, approach, "nightly-next", release=True, touch=True)
        row["clean"] = b
        if not b["ok"]:
            row.update(ok=False, error=b["error"])
            return row
        binary = self.binary(self.target_dir(approach, "nightly-next"), crate_name(approach, n),
                             True)
        err, _ = self.check(binary, n, state["edited"])
        row.update(ok=err is None, error=err)
        return row

    def measure_multi(self, rep: int, regs: int, crate: Path, state: dict) -> dict:
        total = self.args.multi_total
        row = {"rep": rep, "registries": regs, "total": total}
        target = self.target_dir("gather", "stable")
        name = crate_name("gather", total, regs)
        b = self.build(crate, "gather", "stable", release=True, touch=True)
        row["clean"] = b
        if not b["ok"]:
            row.update(ok=False, error=f"release build: {b['error']}")
            return row
        err, _ = self.check(self.binary(target, name, True), total, state["edited"], regs)
        if err:
            row.update(ok=False, error=err)
            return row
        state["edited"] = not state["edited"]
        set_edited(crate, state["edited"])
        d = self.build(crate, "gather", "stable", release=False, touch=False)
        row["incr"] = d
        if not d["ok"]:
            row.update(ok=False, error=f"incremental dev build: {d['error']}")
            return row
        err, _ = self.check(self.binary(target, name, False), total, state["edited"], regs)
        row.update(ok=err is None, error=err)
        return row

    # ------------------------------------------------------------------------------------------

    def gather_source(self) -> tuple[Path, dict]:
        """Path of the gather crate to depend on, and a description of its version."""
        info = {}
        try:
            info["rev"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                         capture_output=True, text=True).stdout.strip()
            st = subprocess.run(["git", "status", "--porcelain", "--", "crates/gather",
                                 "crates/gather-macros", "crates/gather-scan", "Cargo.toml"],
                                cwd=REPO, capture_output=True, text=True).stdout
            info["dirty"] = bool(st.strip())
        except OSError:
            pass
        if self.args.gather_rev == "worktree":
            info["source"] = "work tree"
            info["hash"] = source_hash(REPO)
            return REPO / "crates" / "gather", info
        rev = self.args.gather_rev
        full = subprocess.run(["git", "rev-parse", rev], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
        dest = self.dir / f"gather-{full[:10]}"
        if not (dest / "Cargo.toml").exists():
            dest.mkdir(parents=True, exist_ok=True)
            arch = subprocess.run(["git", "archive", full, "Cargo.toml", "Cargo.lock",
                                   "crates/gather", "crates/gather-macros", "crates/gather-scan"],
                                  cwd=REPO, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(dest)], input=arch, check=True)
            toml = (dest / "Cargo.toml").read_text()
            toml = re.sub(r"(?m)^members\s*=.*$",
                          'members = ["crates/gather", "crates/gather-macros", '
                          '"crates/gather-scan"]', toml)
            toml = re.sub(r"(?m)^exclude\s*=.*$", "", toml)
            (dest / "Cargo.toml").write_text(toml)
        info.update(source=f"git {full[:10]}", rev=full[:7], dirty=False)
        return dest / "crates" / "gather", info

    def prepare(self, ns, toolchains, multi):
        """Generates every crate, creates lockfiles, builds dependencies and primes dev builds."""
        gather_path, ginfo = self.gather_source()
        crates = {}
        for n in ns:
            for a in self.args.approaches:
                crates[(a, n)] = generate(self.dir, a, n, gather_path)
        for r in multi:
            crates[("multi", r)] = generate(self.dir, "gather", self.args.multi_total,
                                            gather_path, r)
        for c in crates.values():
            set_edited(c, False)
            if not (c / "Cargo.lock").exists():
                p = subprocess.run(["cargo", "generate-lockfile", "--offline"], cwd=c,
                                   capture_output=True, text=True)
                if p.returncode != 0:
                    subprocess.run(["cargo", "generate-lockfile"], cwd=c, check=True,
                                   capture_output=True, text=True)
            # Builds run with --offline: download what the lockfile names once, here.
            subprocess.run(["cargo", "fetch"], cwd=c, check=True, capture_output=True,
                           text=True)
        # Dependencies: build the smallest crate of each approach once per toolchain/profile.
        for tc in toolchains:
            for a in self.args.approaches:
                small = crates[(a, min(ns))]
                for release in (True, False) if tc == "stable" else (True,):
                    self.log(f"prebuilding dependencies: {a} {tc} "
                             f"{'release' if release else 'dev'}")
                    b = self.build(small, a, tc, release=release, touch=False,
                                   require=False)
                    if not b["ok"] and tc == "stable":
                        raise SystemExit(f"cannot build {small}: {b['error']}\n"
                                         f"{b.get('stderr', '')}")
        # Prime the dev builds that the incremental rebuilds start from.
        prime = {}
        for key, c in crates.items():
            a = "gather" if key[0] == "multi" else key[0]
            self.log(f"priming dev build of {c.name}")
            b = self.build(c, a, "stable", release=False, touch=False, require=False)
            prime[c.name] = b
            if not b["ok"]:
                self.log(f"  failed: {b['error']}")
        return crates, ginfo, prime

    def run(self) -> dict:
        a = self.args
        self.setup_dirs()
        toolchains = ["stable"] + (["nightly-next"] if a.nightly else [])
        multi = a.multi if a.multi_total else []
        started = time.time()
        crates, ginfo, prime = self.prepare(a.n, toolchains, multi)
        results = {
            "meta": {
                "date": a.date, "started": _dt.datetime.now().isoformat(timespec="seconds"),
                "argv": sys.argv[1:], "machine": machine(), "gather": ginfo,
                "linkme": LINKME_VERSION, "inventory": INVENTORY_VERSION,
                "rustc": rustc_version("stable"),
                "nightly": rustc_version("nightly") if a.nightly else None,
                "runs": a.runs, "n": a.n, "multi": multi, "multi_total": a.multi_total,
                "approaches": a.approaches, "jobs": a.jobs, "files": FILES,
                "startup_runs": a.startup_runs,
                "loadavg_start": os.getloadavg(),
            },
            "prime": prime, "main": [], "nightly": [], "multi": [],
        }
        state = {key: {"edited": False} for key in crates}
        nstate = {key: {"edited": False} for key in crates}
        for rep in range(a.runs):
            order = a.approaches[rep % len(a.approaches):] + a.approaches[:rep % len(a.approaches)]
            for n in a.n:
                for ap in order:
                    if (ap, n, "stable") in self.failed_configs:
                        continue
                    self.log(f"run {rep + 1}/{a.runs}: {ap} N={n}")
                    row = self.measure_main(rep, n, ap, crates[(ap, n)], state[(ap, n)])
                    self.note(row, (ap, n, "stable"))
                    results["main"].append(row)
                if a.nightly:
                    for ap in order:
                        if (ap, n, "nightly-next") in self.failed_configs:
                            continue
                        self.log(f"run {rep + 1}/{a.runs}: {ap} N={n} nightly -Znext-solver")
                        # The nightly build reads the sources as the stable rows left them.
                        nstate[(ap, n)]["edited"] = state[(ap, n)]["edited"]
                        row = self.measure_nightly(rep, n, ap, crates[(ap, n)], nstate[(ap, n)])
                        self.note(row, (ap, n, "nightly-next"))
                        results["nightly"].append(row)
            morder = multi[rep % len(multi):] + multi[:rep % len(multi)] if multi else []
            for r in morder:
                if ("multi", r) in self.failed_configs:
                    continue
                self.log(f"run {rep + 1}/{a.runs}: gather, {r} registries")
                row = self.measure_multi(rep, r, crates[("multi", r)], state[("multi", r)])
                self.note(row, ("multi", r))
                results["multi"].append(row)
        for key, c in crates.items():
            set_edited(c, False)
        results["meta"]["loadavg_end"] = os.getloadavg()
        results["meta"]["duration_s"] = time.time() - started
        results["meta"]["gather_after"] = self.gather_source()[1]
        return results

    def note(self, row: dict, key):
        if row.get("ok"):
            c = row["clean"]
            extra = f" incr {row['incr']['rustc_s']:.2f}s" if "incr" in row else ""
            self.log(f"  ok: clean {c['rustc_s']:.2f}s {c['mem_kib'] / 1024:.0f}MiB{extra}"
                     f" load {c['load1']:.1f}")
        else:
            self.log(f"  FAILED: {row.get('error')}")
            err = row.get("error") or ""
            if "timeout" in err:
                self.failed_configs.add(key)   # do not wait for it again in later runs


def source_hash(root: Path) -> str:
    h = hashlib.sha256()
    for sub in ("crates/gather", "crates/gather-macros", "crates/gather-scan"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file() and "target" not in p.parts:
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:12]


# ----------------------------------------------------------------------------------------------
# Report


def per_rep(rows, getter):
    """{(rep, n, approach): value} for ok rows."""
    out = {}
    for r in rows:
        if r.get("ok"):
            v = getter(r)
            if v is not None:
                out[(r["rep"], r["n"], r["approach"])] = v
    return out


def ratio_median(vals: dict, n, approach, base="floor"):
    rs = []
    for (rep, nn, ap), v in vals.items():
        if nn == n and ap == approach and (rep, n, base) in vals and vals[(rep, n, base)]:
            rs.append(v / vals[(rep, n, base)])
    return med(rs)


def failures(rows, n, approach):
    return [r for r in rows if r["n"] == n and r["approach"] == approach and not r.get("ok")]


def metric_table(rows, ns, approaches, getter, fmt, with_ratio=True, goal=None):
    vals = per_rep(rows, getter)
    head = "| N | " + " | ".join(approaches) + (" | gather: goal |" if goal else " |")
    lines = [head, "|" + "---|" * (len(approaches) + 1 + (1 if goal else 0))]
    for n in ns:
        cells = []
        for ap in approaches:
            xs = [v for (rep, nn, a), v in vals.items() if nn == n and a == ap]
            fails = failures(rows, n, ap)
            if not xs:
                cells.append("failed" if fails else "–")
                continue
            c = spread(xs, fmt)
            if with_ratio and ap != "floor":
                c += f" {f_ratio(ratio_median(vals, n, ap))}"
            if fails:
                c += f" ({len(fails)} failed)"
            cells.append(c)
        line = f"| {n:,} | " + " | ".join(cells) + " |"
        if goal:
            line += f" {goal(vals, n)} |"
        lines.append(line)
    return "\n".join(lines)


def goal_check(limit: float):
    """The goal column: gather against linkme and inventory (faster), and against the floor
    (issue 16: within 1.2x for clean builds, 1.3x for incremental rebuilds); with the macro
    approach, also gather against the least one-macro-per-registration design."""
    def check(vals, n):
        g = ratio_median(vals, n, "gather")
        parts = []
        for peer in ("linkme", "inventory"):
            r = ratio_median(vals, n, "gather", base=peer)
            if r is not None:
                parts.append(f"{'✓' if r < 1 else '✗'} {r:.2f}× {peer}")
        if g is not None:
            parts.append(f"{'✓' if g <= limit else '✗'} {g:.2f}× floor (goal {limit}×)")
        least = ratio_median(vals, n, "gather", base="macro")
        if least is not None:
            parts.append(f"{least:.2f}× macro")
        return ", ".join(parts) if parts else "–"
    return check


def render(results: dict, command: str | None = None, note: str | None = None) -> str:
    m = results["meta"]
    rows = results["main"]
    ns = m["n"]
    aps = m["approaches"]
    mach = m["machine"]
    loads = [r["clean"].get("load1") for r in rows if "clean" in r]
    foreign = [r["clean"].get("foreign_cores") for r in rows if r.get("ok")]
    foreign += [r["incr"].get("foreign_cores") for r in rows if r.get("ok") and "incr" in r]
    g = m["gather"]
    gdesc = f"{g.get('source', '?')}, rev {g.get('rev', '?')}" + (
        " with uncommitted changes" if g.get("dirty") else "")
    after = m.get("gather_after") or {}
    changed = g.get("hash") and after.get("hash") and g["hash"] != after["hash"]
    out = [f"## Compile-time benchmark, {m['date']}", ""]
    out.append(
        f"Machine: {mach['cores']} cores ({mach['cpu']}), {mach['memory']}, {mach['os']}; "
        f"{m['rustc']}"
        + (f"; nightly: {m['nightly']}" if m.get("nightly") else "") + ". "
        f"linkme {m['linkme']}, inventory {m['inventory']}, gather from {gdesc}.")
    out.append("")
    lm, lx = med(loads), max([x for x in loads if x is not None], default=0)
    fm = med(foreign)
    fx = max([x for x in foreign if x is not None], default=0)
    out.append(
        f"Load: other work ran on the machine during the run (1-minute load average at the start "
        f"of each build: median {lm:.1f}, max {lx:.1f}; CPU used by other processes while a "
        f"measured rustc ran: median {fm:.2f}, max {fx:.2f} cores). Times are noisy; the "
        f"ratios, computed between builds of the same repetition, are what to read."
        if lm is not None and fm is not None else "Load: not recorded.")
    if note:
        out += ["", note]
    if changed:
        out += ["", "**Warning: gather's sources changed during the run; rows mix versions.**"]
    out.append("")
    dur = m.get("duration_s", 0) / 60
    out.append(
        f"{m['runs']} repetition(s), approaches interleaved (order rotated each repetition); "
        f"{m['files']} module files; each cell: median [min–max] over the repetitions, and "
        f"×floor = median of the per-repetition ratios to the hand-written floor. The run took "
        f"{dur:.0f} min." + (f" Command: `{command}`." if command else ""))
    out.append("")
    out.append("### Clean release build of the crate (s, dependencies prebuilt)")
    out.append("")
    out.append(metric_table(rows, ns, aps, lambda r: r["clean"]["rustc_s"], f_s,
                            goal=goal_check(1.2)))
    out.append("")
    out.append("### Incremental dev rebuild after changing one value in one module file (s)")
    out.append("")
    out.append(metric_table(rows, ns, aps, lambda r: r["incr"]["rustc_s"], f_s,
                            goal=goal_check(1.3)))
    out.append("")
    out.append("### Peak rustc memory, clean release build (MiB)")
    out.append("")
    out.append(metric_table(rows, ns, aps, lambda r: r["clean"]["mem_kib"] / 1024,
                            lambda x: f"{x:.0f}"))
    out.append("")
    out.append("### Release binary size, KiB: as built (symbols, no debuginfo) / stripped")
    out.append("")
    sz = per_rep(rows, lambda r: (r["size"], r["size_stripped"]))
    lines = ["| N | " + " | ".join(aps) + " |", "|" + "---|" * (len(aps) + 1)]
    for n in ns:
        cells = []
        for ap in aps:
            v = [x for (rep, nn, a), x in sz.items() if nn == n and a == ap]
            cells.append(f"{v[-1][0] / 1024:,.0f} / {v[-1][1] / 1024:,.0f}" if v and v[-1][1]
                         else "–")
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    out.append("\n".join(lines))
    out.append("")
    out.append("### Iterating the registry (ns per item; best of 7 batches of ~8M items)")
    out.append("")
    out.append(metric_table(rows, ns, aps, lambda r: r.get("ns_per_item"),
                            lambda x: f"{x:.2f}"))
    out.append("")
    out.append("### Time before main (µs: exec, loader, relocations, constructors, runtime)")
    out.append("")
    sv = per_rep(rows, lambda r: r.get("startup_us"))
    lines = ["| N | " + " | ".join(aps) + " |", "|" + "---|" * (len(aps) + 1)]
    for n in ns:
        cells = []
        for ap in aps:
            xs = [v for (rep, nn, a), v in sv.items() if nn == n and a == ap]
            if not xs:
                cells.append("–")
                continue
            c = spread(xs, lambda x: f"{x:.0f}")
            if ap != "floor":
                ds = [v - sv[(rep, nn, "floor")] for (rep, nn, a), v in sv.items()
                      if nn == n and a == ap and (rep, nn, "floor") in sv]
                if ds:
                    c += f" ({med(ds):+.0f})"
            cells.append(c)
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    out.append("\n".join(lines))
    out.append("")
    out.append(f"Fastest of {m['startup_runs']} launches per repetition (load only adds to a "
               "launch), median [min–max] over the repetitions; in parentheses the "
               "median difference to the floor binary in the same repetition (the floor is the "
               "empty twin: no registration machinery at all). Measured from a CLOCK_REALTIME "
               "stamp taken in the forked child just before exec to SystemTime::now() at the "
               "top of main. Under the load of this machine, differences below about 0.5 ms "
               "are noise.")
    if results.get("nightly"):
        nrows = results["nightly"]
        out += ["", "### Nightly with `RUSTFLAGS=-Znext-solver=globally`: clean release build "
                "(s)", ""]
        out.append(metric_table(nrows, ns, aps, lambda r: r["clean"]["rustc_s"], f_s,
                                goal=goal_check(1.2)))
        out += ["", "### Nightly with `RUSTFLAGS=-Znext-solver=globally`: peak rustc memory "
                "(MiB)", ""]
        out.append(metric_table(nrows, ns, aps, lambda r: r["clean"]["mem_kib"] / 1024,
                                lambda x: f"{x:.0f}"))
        errs = sorted({(r["approach"], r["n"], r.get("error")) for r in nrows
                       if not r.get("ok")}, key=lambda x: (x[1], x[0]))
        if errs:
            out += ["", "Failures on nightly:", ""]
            out += [f"- {ap}, N = {n:,}: `{(e or '?')[:200]}`" for ap, n, e in errs]
    if results.get("multi"):
        mrows = results["multi"]
        regs = m["multi"]
        out += ["", f"### gather, several registries over {m['multi_total']:,} registrations "
                "(item j of each file goes to registry j % R)", ""]
        cl = {(r["rep"], r["registries"]): r["clean"]["rustc_s"] for r in mrows if r.get("ok")}
        inc = {(r["rep"], r["registries"]): r["incr"]["rustc_s"] for r in mrows if r.get("ok")}
        mem = {(r["rep"], r["registries"]): r["clean"]["mem_kib"] / 1024 for r in mrows
               if r.get("ok")}
        base = min(regs)
        lines = [f"| registries | clean release (s) | × {base} registry | incremental dev (s) "
                 f"| × {base} registry | peak MiB |", "|---|---|---|---|---|---|"]
        for r in regs:
            def cell(d):
                xs = [v for (rep, rr), v in d.items() if rr == r]
                rs = [v / d[(rep, base)] for (rep, rr), v in d.items()
                      if rr == r and (rep, base) in d]
                return spread(xs, f_s), f_ratio(med(rs))
            c1, r1 = cell(cl)
            c2, r2 = cell(inc)
            mm = [v for (rep, rr), v in mem.items() if rr == r]
            fails = [x for x in mrows if x["registries"] == r and not x.get("ok")]
            lines.append(f"| {r} | {c1} | {r1} | {c2} | {r2} | "
                         f"{spread(mm, lambda x: f'{x:.0f}')}"
                         + (f" ({len(fails)} failed: {fails[0].get('error')})" if fails else "")
                         + " |")
        out.append("\n".join(lines))
    fails = [r for r in rows if not r.get("ok")]
    if fails:
        out += ["", "Failed rows:", ""]
        seen = set()
        for r in fails:
            k = (r["approach"], r["n"], r.get("error"))
            if k not in seen:
                seen.add(k)
                out.append(f"- {r['approach']}, N = {r['n']:,}, run {r['rep'] + 1}: "
                           f"`{(r.get('error') or '?')[:300]}`")
    rebuilt = sorted({d for r in rows for b in (r.get("clean", {}), r.get("incr", {}))
                      for d in b.get("deps_rebuilt", [])})
    if rebuilt:
        out += ["", f"Note: dependencies were compiled during measured builds: "
                f"{', '.join(rebuilt)}."]
    return "\n".join(out) + "\n"


def svg_plot(results: dict) -> str:
    """Clean release build time against N, log-log, median with min-max bars."""
    m = results["meta"]
    rows = results["main"]
    aps = m["approaches"]
    colors = {"floor": "#555555", "gather": "#1f6fd1", "linkme": "#e07b00",
              "inventory": "#2a9d3a", "macro": "#999999"}
    dash = {"floor": "6,4", "gather": "", "linkme": "", "inventory": "", "macro": "2,3"}
    series = {}
    for ap in aps:
        pts = []
        for n in m["n"]:
            xs = [r["clean"]["rustc_s"] for r in rows
                  if r.get("ok") and r["approach"] == ap and r["n"] == n]
            if xs:
                pts.append((n, statistics.median(xs), min(xs), max(xs)))
        series[ap] = pts
    allx = [p[0] for s in series.values() for p in s] or [100, 1000]
    ally = [v for s in series.values() for p in s for v in p[1:]] or [0.1, 1]
    x0, x1 = 10 ** math.floor(math.log10(min(allx))), 10 ** math.ceil(math.log10(max(allx)))
    lo, hi = min(ally), max(ally)
    y0 = max(v * 10 ** math.floor(math.log10(lo)) for v in (1, 2, 5)
             if v * 10 ** math.floor(math.log10(lo)) <= lo)
    y1 = min(v * 10 ** math.floor(math.log10(hi)) for v in (1, 2, 5, 10)
             if v * 10 ** math.floor(math.log10(hi)) >= hi)
    if x0 == x1:
        x1 *= 10
    if y0 == y1:
        y1 *= 10
    W, H, L, R, T, B = 720, 460, 70, 150, 50, 55
    pw, ph = W - L - R, H - T - B

    def px(x):
        return L + pw * (math.log10(x) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))

    def py(y):
        return T + ph * (1 - (math.log10(y) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)))

    def num(v):
        return f"{v:g}" if v >= 1 else f"{v:.2g}"

    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
         f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{L + pw / 2}" y="24" text-anchor="middle" font-size="15">'
         f'Clean release build of the crate, {m["date"]} (median, min–max bars)</text>']
    dec = x0
    while dec <= x1:
        for mult in range(1, 10):
            x = dec * mult
            if x > x1:
                break
            X = px(x)
            major = mult == 1
            s.append(f'<line x1="{X:.1f}" y1="{T}" x2="{X:.1f}" y2="{T + ph}" '
                     f'stroke="{"#ccc" if major else "#eee"}"/>')
            if major:
                s.append(f'<text x="{X:.1f}" y="{T + ph + 18}" text-anchor="middle">'
                         f'{x:,}</text>')
        dec *= 10
    dec = 10 ** math.floor(math.log10(y0))
    while dec <= y1:
        for mult in range(1, 10):
            y = dec * mult
            if y > y1 * 1.0001:
                break
            if y < y0 * 0.9999:
                continue
            Y = py(y)
            major = mult == 1
            s.append(f'<line x1="{L}" y1="{Y:.1f}" x2="{L + pw}" y2="{Y:.1f}" '
                     f'stroke="{"#ccc" if major else "#eee"}"/>')
            if major or mult in (2, 5):
                s.append(f'<text x="{L - 6}" y="{Y + 4:.1f}" text-anchor="end">{num(y)}</text>')
        dec *= 10
    s.append(f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    s.append(f'<text x="{L + pw / 2}" y="{H - 12}" text-anchor="middle">'
             f'registrations N (100 module files)</text>')
    s.append(f'<text x="18" y="{T + ph / 2}" text-anchor="middle" '
             f'transform="rotate(-90 18 {T + ph / 2})">rustc wall time (s)</text>')
    for i, ap in enumerate(aps):
        pts = series.get(ap, [])
        c = colors.get(ap, "black")
        if len(pts) > 1:
            d = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v, _, _ in pts)
            s.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash[ap]}"' if dash.get(ap) else "") + "/>")
        for n, v, lo, hi in pts:
            X = px(n)
            s.append(f'<line x1="{X:.1f}" y1="{py(lo):.1f}" x2="{X:.1f}" y2="{py(hi):.1f}" '
                     f'stroke="{c}"/>')
            s.append(f'<circle cx="{X:.1f}" cy="{py(v):.1f}" r="3.5" fill="{c}">'
                     f'<title>{ap}, N = {n:,}: {v:.2f} s</title></circle>')
        ly = T + 20 + 22 * i
        s.append(f'<line x1="{L + pw + 15}" y1="{ly}" x2="{L + pw + 45}" y2="{ly}" stroke="{c}" '
                 f'stroke-width="2"' + (f' stroke-dasharray="{dash[ap]}"' if dash.get(ap)
                                        else "") + "/>")
        s.append(f'<text x="{L + pw + 52}" y="{ly + 4}">{ap}</text>')
    ln = T + 20 + 22 * len(aps) + 10
    s.append(f'<text x="{L + pw + 15}" y="{ln}" font-size="11" fill="#555">'
             f'{m["machine"]["cores"]} cores, {m["runs"]} run(s)</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


MARK_START = "<!-- bench-compile:start -->"
MARK_END = "<!-- bench-compile:end -->"


def update_benchmarks(md: str, path: Path):
    block = f"{MARK_START}\n{md}\n![clean build time against N](docs/bench-compile.svg)\n{MARK_END}\n"
    if path.exists():
        text = path.read_text()
        text = (replace_marked(text, MARK_START, MARK_END, block)
                or text.rstrip("\n") + "\n\n" + block)
    else:
        text = ("# Benchmarks\n\nRecorded by hand with `scripts/bench-compile.py` (its header "
                "describes the method); `--write` replaces the section between the markers. "
                "`--quick` (about half a minute once dependencies are built) is meant as a CI "
                "smoke test.\n\n" + block)
    path.write_text(text)


# ----------------------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=parse_list, default=None,
                   help="registration counts (default 100,1000,10000,50000)")
    p.add_argument("--runs", type=int, default=None, help="repetitions (default 3)")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: N=100,1000, 1 run, no nightly, multi over 1,000")
    p.add_argument("--dir", default=os.environ.get("GATHER_BENCH_DIR", "/tmp/gather-bench"),
                   help="scratch directory (default /tmp/gather-bench)")
    p.add_argument("--approaches", default=",".join(APPROACHES),
                   help="comma-separated subset of floor,gather,linkme,inventory")
    p.add_argument("--nightly", dest="nightly", action="store_true", default=None,
                   help="also build on nightly with -Znext-solver=globally (default: on "
                        "unless --quick)")
    p.add_argument("--no-nightly", dest="nightly", action="store_false")
    p.add_argument("--multi", type=parse_list, default=[1, 10, 50],
                   help="registry counts of the multi-registry crate (default 1,10,50)")
    p.add_argument("--multi-total", type=int, default=None,
                   help="registrations in the multi-registry crate (default 10000; 0 = skip)")
    p.add_argument("--startup-runs", type=int, default=None,
                   help="launches per time-before-main measurement (default 31)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="cargo -j (default: cargo's)")
    p.add_argument("--build-timeout", type=int, default=1800,
                   help="seconds before a build is abandoned (and not retried)")
    p.add_argument("--gather-rev", default="worktree",
                   help="gather to measure: 'worktree' (path dependency on the repo's "
                        "crates/gather, default) or a git revision, exported to the scratch dir")
    p.add_argument("--date", default=_dt.date.today().isoformat())
    p.add_argument("--note", default=None, help="extra sentence for the report")
    p.add_argument("--out", default=None, help="write the markdown section to this file")
    p.add_argument("--write", action="store_true",
                   help="update BENCHMARKS.md and docs/bench-compile.svg in the repository")
    p.add_argument("--render", default=None,
                   help="render a saved results JSON instead of running")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = p.parse_args()

    if args.render:
        results = json.loads(Path(args.render).read_text())
        ok = True
    else:
        if args.quick:
            args.n = args.n or [100, 1000]
            args.runs = args.runs or 1
            args.nightly = False if args.nightly is None else args.nightly
            args.multi_total = 1000 if args.multi_total is None else args.multi_total
            args.startup_runs = args.startup_runs or 5
        args.n = args.n or [100, 1000, 10000, 50000]
        args.runs = args.runs or 3
        args.nightly = True if args.nightly is None else args.nightly
        args.multi_total = 10000 if args.multi_total is None else args.multi_total
        args.startup_runs = args.startup_runs or 31
        args.approaches = [a.strip() for a in args.approaches.split(",") if a.strip()]
        bad = [a for a in args.approaches if a not in APPROACHES]
        if bad or "floor" not in args.approaches:
            p.error(f"approaches must include floor and be among {APPROACHES}")
        if any(n % FILES or n <= 0 for n in args.n + ([args.multi_total] if args.multi_total
                                                       else [])):
            p.error(f"every N must be a positive multiple of {FILES}")
        d = Path(args.dir).resolve()
        if d == REPO or REPO in d.parents:
            p.error("the scratch directory must be outside the repository")
        if args.nightly and subprocess.run(["cargo", "+nightly", "--version"],
                                           capture_output=True).returncode != 0:
            print("nightly toolchain not available: skipping the -Znext-solver rows",
                  file=sys.stderr)
            args.nightly = False
        bench = Bench(args)
        results = bench.run()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        saved = bench.dir / f"results-{stamp}.json"
        saved.write_text(json.dumps(results, indent=1))
        print(f"raw results: {saved}", file=sys.stderr)
        ok = all(r.get("ok") for key in ("main", "multi") for r in results[key])
        if args.render is None:
            results["meta"]["command"] = "python3 scripts/bench-compile.py " + " ".join(
                a for a in sys.argv[1:] if a not in ("--write", "--quiet"))
            saved.write_text(json.dumps(results, indent=1))
    md = render(results, results["meta"].get("command"), args.note)
    print(md)
    if args.out:
        Path(args.out).write_text(md)
    if args.write:
        update_benchmarks(md, REPO / "BENCHMARKS.md")
        (REPO / "docs").mkdir(exist_ok=True)
        (REPO / "docs" / "bench-compile.svg").write_text(svg_plot(results))
        print("updated BENCHMARKS.md and docs/bench-compile.svg", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
