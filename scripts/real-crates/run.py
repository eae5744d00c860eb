#!/usr/bin/env python3
"""Differential test of gather's scan against rustc, on real crates from crates.io.

For every case of corpus.txt (a crate at a pinned version, with one feature set):

 1. get the crate's published source (cargo fetch through a throwaway package, then unpack the
    .crate file from Cargo's download cache into a scratch directory);
 2. check it as it is (`cargo rustc --lib --profile check`) and read the dep-info file rustc wrote:
    the files rustc read for the library target. The module files are the `.rs` files of the
    package among them, less those that some file reads with include!/include_str!/include_bytes!
    (an `include!`d file is spliced into its includer, maybe into a function body: it is not a
    module file, so nothing is injected into it; it is counted in the `incl` column);
 3. inject gather into a second copy: a dependency on gather (by path), at the end of the crate root
    a `#[gather::registry] const __GATHER_CORPUS: Registry<&str>` and a const fn telling whether
    the registry holds a string, and at the end of EVERY module file
        ::gather::register!(crate::__GATHER_CORPUS, file!());
        const _: () = assert!(crate::__gather_corpus_contains(crate::__GATHER_CORPUS, file!()));
    The assertion is evaluated only where rustc compiles the file, so a file that rustc reads but
    leaves out (an inner `#![cfg(..)]`) asks nothing;
 4. check the injected copy with the same features: pass, or fail with the first error, the module
    files whose registration gather reported as unseen, and a guess at the pattern that hid them.

Both builds cap lints at warn (`-- --cap-lints=warn`), so a crate's own `#![deny(..)]` or
`#![forbid(..)]` cannot turn the injected code's warnings into errors: the case measures the scan.
Run through run.sh; `--help` for the options.
"""

import argparse
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REGISTRY = "__GATHER_CORPUS"
CONTAINS = "__gather_corpus_contains"
MARK = "// ---- injected by gather's scripts/real-crates ----"


# ------------------------------------------------------------------------------------------------
# corpus
# ------------------------------------------------------------------------------------------------
class Case:
    def __init__(self, name, version, label, tags, flags):
        self.name, self.version, self.label = name, version, label
        self.tags = [] if tags == "-" else tags.split(",")
        self.flags = flags
        self.id = f"{name}-{version}-{label}"


def read_corpus(path):
    cases = []
    for lineno, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 4:
            sys.exit(f"{path}:{lineno}: expected NAME VERSION LABEL TAGS [FLAGS...]")
        cases.append(Case(parts[0], parts[1], parts[2], parts[3], parts[4:]))
    return cases


# ------------------------------------------------------------------------------------------------
# step 1: sources
# ------------------------------------------------------------------------------------------------
def cargo_home():
    return os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")


def cached_crate(name, version):
    hits = glob.glob(os.path.join(cargo_home(), "registry/cache/*", f"{name}-{version}.crate"))
    return hits[0] if hits else None


def fetch_sources(cases, work, log):
    """Unpacks each crate of the corpus into work/src/NAME-VERSION (pristine, read-only use).
    Crates not yet in Cargo's cache are downloaded by `cargo fetch` in a throwaway package that
    depends on exactly that version: the ordinary client, one crate per package so that pins of
    different crates cannot conflict."""
    out = {}
    for name, version in dict.fromkeys((c.name, c.version) for c in cases):
        dest = os.path.join(work, "src", f"{name}-{version}")
        out[(name, version)] = dest
        if os.path.isfile(os.path.join(dest, "Cargo.toml")):
            continue
        if not cached_crate(name, version):
            pkg = os.path.join(work, "fetch", f"{name}-{version}")
            os.makedirs(os.path.join(pkg, "src"), exist_ok=True)
            open(os.path.join(pkg, "src", "lib.rs"), "w").close()
            with open(os.path.join(pkg, "Cargo.toml"), "w") as f:
                f.write('[package]\nname = "fetch-one"\nversion = "0.0.0"\nedition = "2021"\n'
                        f'publish = false\n[workspace]\n[dependencies]\n{name} = "={version}"\n')
            r = subprocess.run(["cargo", "fetch"], cwd=pkg, capture_output=True, text=True)
            log.write(r.stderr)
            if r.returncode != 0 or not cached_crate(name, version):
                print(f"fetch failed for {name} {version}:\n{r.stderr}", file=sys.stderr)
                out[(name, version)] = None
                continue
        tmp = dest + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        with tarfile.open(cached_crate(name, version)) as t:
            t.extractall(tmp, filter="data")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(os.path.join(tmp, f"{name}-{version}"), dest)
        shutil.rmtree(tmp)
    return out


# The crate is built as a root package of its own (not as a dependency patched in), because gather
# itself depends on syn, quote, proc-macro2 and unicode-ident: patching those would make a cycle.
# So the copy's manifest loses what only a root package resolves and a published crate cannot
# satisfy (dev-dependencies, tests, benches, examples) and gets an empty [workspace] table.
DROP_SECTION = re.compile(
    r"^\[\[(test|bench|example)\]\]\s*$"
    r"|^\[(target\.[^\]]*\.)?dev-dependencies(\.[^\]]*)?\]\s*$")
ANY_SECTION = re.compile(r"^\[\[?[^\]]+\]\]?\s*$")


def dev_only_deps(text):
    """Names of the dependencies that are dev-dependencies only (a feature may still name them:
    `nightly = ["bumpalo/allocator_api"]`, which breaks the manifest once they are dropped)."""
    m = tomllib.loads(text)
    tables = [m] + list(m.get("target", {}).values())
    dev = {k for t in tables for k in t.get("dev-dependencies", {})}
    kept = {k for t in tables for s in ("dependencies", "build-dependencies") for k in t.get(s, {})}
    return dev - kept


def root_manifest(text, gather_path=None):
    dev = dev_only_deps(text)
    # `"dev/feat"`, `"dev?/feat"` or `"dep:dev"` in a feature list, with its comma.
    names = "|".join(map(re.escape, dev))
    dev_ref = re.compile(rf'"(?:dep:(?:{names})|(?:{names})\??/[^"]*)"\s*,?') if dev else None
    out, dropping, section = [], False, ""
    for line in text.splitlines():
        if ANY_SECTION.match(line):
            dropping = bool(DROP_SECTION.match(line))
            section = line.strip()
        elif section == "[features]" and dev_ref:
            line = dev_ref.sub("", line)
        if not dropping:
            out.append(line)
    # A published manifest says autotests/autobenches/autoexamples = false only sometimes, but
    # `cargo rustc --lib` never looks at those targets.
    text = "\n".join(out) + "\n\n[workspace]\n"
    if gather_path:
        text += f'\n[dependencies.gather]\npath = "{gather_path}"\n'
    tomllib.loads(text)  # still valid TOML
    return text


def make_copy(src, dest, gather_path=None):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=True)
    manifest = os.path.join(dest, "Cargo.toml")
    text = open(manifest).read()
    open(manifest, "w").write(root_manifest(text, gather_path))


# ------------------------------------------------------------------------------------------------
# steps 2 and 4: checking with cargo
# ------------------------------------------------------------------------------------------------
def cargo_check(pkg, case, target_dir, log_path, timeout):
    """`cargo rustc --lib --profile check` with the case's features. Returns (ok, artifact,
    errors): the compiler-artifact message of the package's library and the error diagnostics."""
    cmd = ["nice", "-n", "15", "cargo", "rustc", "--lib", "--profile", "check",
           "--message-format=json", *case.flags, "--", "--cap-lints=warn"]
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir, CARGO_TERM_COLOR="never",
               CARGO_BUILD_JOBS=os.environ.get("CARGO_BUILD_JOBS", "2"))
    for k in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "GATHER_SEED", "GATHER_DEBUG",
              "CARGO_BUILD_TARGET", "CARGO_INCREMENTAL"):
        env.pop(k, None)
    # Its own session, so that a timeout ends cargo and the rustc under it, and nothing else.
    proc = subprocess.Popen(cmd, cwd=pkg, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        timed_out = True
    r = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    artifact, errors = None, []
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(cmd) + f"\n(in {pkg})\n")
        for line in r.stdout.splitlines():
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            pkg_url = "path+file://" + os.path.realpath(pkg)
            if msg.get("reason") == "compiler-artifact" and msg.get("package_id", "").startswith(pkg_url) \
                    and "custom-build" not in msg["target"]["kind"]:  # the lib, not build.rs
                artifact = msg
            if msg.get("reason") == "compiler-message":
                m = msg["message"]
                log.write(m.get("rendered") or m["message"] + "\n")
                if m["level"] == "error":
                    errors.append(m)
        log.write(r.stderr)
        if timed_out:
            log.write(f"\nkilled after {timeout} s\n")
            errors.insert(0, {"message": f"timeout: not done after {timeout} s", "spans": [], "children": []})
    return r.returncode == 0 and not timed_out, artifact, errors


def dep_info_files(artifact, pkg):
    """The files listed by rustc's dep-info for the library, as absolute real paths."""
    rmeta = next(f for f in artifact["filenames"] if f.endswith(".rmeta"))
    stem = os.path.basename(rmeta)[len("lib"):-len(".rmeta")]
    d = os.path.join(os.path.dirname(rmeta), stem + ".d")
    files = []
    for line in open(d):
        line = line.rstrip("\n")
        # Each file read is also listed as a rule of its own, `path:` with nothing after it; the
        # first line (`output: inputs...`) and `# env-dep:` lines are not such rules.
        if line.startswith("#") or not line.endswith(":"):
            continue
        path = line[:-1].replace("\\ ", " ")
        files.append(os.path.realpath(os.path.join(pkg, path)))
    return files


# ------------------------------------------------------------------------------------------------
# step 2: which files are module files
# ------------------------------------------------------------------------------------------------
INCLUDE = re.compile(r"\binclude(_str|_bytes)?\s*!\s*[\(\[\{]")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def included_files(files, pkg):
    """Files that some file of `files` names in include!/include_str!/include_bytes!, as far as a
    textual look can tell: a string literal argument, relative to the including file, or
    concat!(env!("CARGO_MANIFEST_DIR"), "...") relative to the package."""
    found = set()
    for f in files:
        if not f.endswith(".rs"):
            continue
        text = open(f, errors="replace").read()
        for m in INCLUDE.finditer(text):
            arg = text[m.end():m.end() + 300].split(";", 1)[0]
            lits = STRING.findall(arg)
            if not lits:
                continue
            if "CARGO_MANIFEST_DIR" in arg:
                path = os.path.join(pkg, "".join(lits).lstrip("/"))
            else:
                path = os.path.join(os.path.dirname(f), lits[0])
            found.add(os.path.realpath(path))
    return found


def classify(files, pkg, root):
    """Splits rustc's file list into (module files, include!d .rs files, other files)."""
    pkg = os.path.realpath(pkg)
    inside = [f for f in files if f.startswith(pkg + os.sep)]
    incl = included_files(inside, pkg)
    modules, included, other = [], [], []
    for f in files:
        if f == root:
            modules.append(f)
        elif not f.startswith(pkg + os.sep) or not f.endswith(".rs"):
            other.append(f)  # data for include_str!/include_bytes!, or generated into OUT_DIR
        elif f in incl:
            included.append(f)
        else:
            modules.append(f)
    return modules, included, other


# ------------------------------------------------------------------------------------------------
# step 3: injection
# ------------------------------------------------------------------------------------------------
def registration(skip=False):
    lines = []
    if not skip:
        lines.append(f"::gather::register!(crate::{REGISTRY}, file!());")
    lines.append(f"const _: () = assert!(crate::{CONTAINS}(crate::{REGISTRY}, file!()));")
    return lines


def root_items(edition, proc_macro):
    # A proc-macro crate may export nothing but its macros: there the registry is crate-visible.
    vis = "pub(crate)" if proc_macro else "pub"
    lines = []
    if edition == "2015":
        # In 2015 `::gather` names the crate root's item `gather`, which this declares.
        lines.append("extern crate gather;")
    lines += [
        "#[doc(hidden)]",
        f"#[::gather::registry] {vis} const {REGISTRY}: ::gather::Registry<&str>;",
        "/// Whether `reg` holds `name`: membership over the registry's const API (`get`).",
        "#[doc(hidden)]",
        "#[allow(dead_code)]",
        f"{vis} const fn {CONTAINS}(reg: ::gather::Registry<&'static str>, name: &str) -> bool {{",
        "    let mut i = 0;",
        "    while let Some(item) = reg.get(i) {",
        "        let (a, b) = (item.as_bytes(), name.as_bytes());",
        "        if a.len() == b.len() {",
        "            let mut j = 0;",
        "            while j < a.len() && a[j] == b[j] { j += 1; }",
        "            if j == a.len() { return true; }",
        "        }",
        "        i += 1;",
        "    }",
        "    false",
        "}",
    ]
    return lines


def append(path, lines):
    # At the end of the file is at module level (a file ends where its module ends), and after any
    # inner attribute of the root. The leading newline ends a last line comment without newline.
    with open(path, "a") as f:
        f.write("\n" + MARK + "\n" + "\n".join(lines) + "\n")


def inject(pkg, rel_modules, rel_root, edition, proc_macro, sabotage):
    """Injects into the copy at pkg. `sabotage` breaks the instrument on purpose (see --sabotage):
    returns a note on what it broke."""
    note = ""
    victim = next((m for m in rel_modules if m != rel_root), None)
    for rel in rel_modules:
        lines = []
        if rel == rel_root:
            lines += root_items(edition, proc_macro)
        drop = sabotage == "drop" and rel == (victim or rel_root)
        if drop:
            note = f"registration dropped in {rel}"
        lines += registration(skip=drop)
        append(os.path.join(pkg, rel), lines)
    if sabotage == "hide":
        # A module declared by a crate-local macro: rustc compiles it, a source scan cannot see it.
        hidden = os.path.join(os.path.dirname(os.path.join(pkg, rel_root)), "__gather_hidden.rs")
        with open(hidden, "w") as f:
            f.write("\n".join(registration()) + "\n")
        append(os.path.join(pkg, rel_root), [
            "macro_rules! __gather_declare { () => { mod __gather_hidden; } }",
            "__gather_declare!();"])
        note = "module declared by a local macro added"
    return note


# ------------------------------------------------------------------------------------------------
# step 4: reading the failure
# ------------------------------------------------------------------------------------------------
def error_file(err, pkg):
    for s in err.get("spans", []):
        if s.get("is_primary"):
            return os.path.realpath(os.path.join(pkg, s["file_name"])), s["line_start"]
    return None, None


def first_line(err):
    text = err["message"].strip().splitlines()[0]
    for c in err.get("children", []):  # a const panic's message comes in a child or the label
        if "not found by the scan" in c["message"]:
            text += ": " + c["message"].strip().splitlines()[0]
    for s in err.get("spans", []):
        if s.get("label"):
            text += " [" + s["label"].splitlines()[0] + "]"
            break
    return text


MACRO_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*!\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*)?$")


def enclosing_macros(text, pos):
    """Names of the macro invocations/definitions (`name!`) whose delimiters enclose pos, outermost
    first; '?' for a group that is no macro call. A rough bracket walk that skips strings and
    comments: enough to tell cfg_if!/cfg_select!/a crate-local macro around a `mod` apart."""
    stack, i, n = [], 0, len(text)
    while i < pos and i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            continue
        if c == '"':
            m = STRING.match(text, i)
            i = m.end() if m else i + 1
            continue
        if c in "([{":
            m = MACRO_CALL.search(text[max(0, i - 80):i])
            stack.append(m.group(1) if m else "?")
        elif c in ")]}" and stack:
            stack.pop()
        i += 1
    return [s for s in stack if s != "?"]


RUST_KEYWORDS = {"async", "await", "dyn", "try", "gen", "union", "macro", "type", "fn", "mod",
                 "match", "impl", "move", "static", "use", "loop", "ref", "box", "yield"}


def guess_pattern(unseen, modules, unseen_all):
    """For an unseen module file: how is its module declared? Looks for `mod NAME;` in the files
    that can declare it (by rustc's directory rules, loosely: inline modules and #[path] files are
    allowed for) and for a `path = ".../FILE"` anywhere (`#[path]` or `#[cfg_attr(.., path)]`),
    then at what encloses the declaration. None when every declaration is in a file that is itself
    unseen: the cause is the parent's."""
    base = os.path.basename(unseen)
    target_dir = os.path.dirname(unseen)
    if base == "mod.rs":
        name, target_dir = os.path.basename(target_dir), os.path.dirname(target_dir)
    else:
        name = base[:-3]
    by_path = re.compile(r"\bpath\s*=\s*\"(?:[^\"]*/)?" + re.escape(base) + r"\"")
    by_name = re.compile(r"\bmod\s+(r#)?" + re.escape(name) + r"\s*;")
    # A declaration in a file whose own directory of submodules is the target's is the likely
    # one; a file further up may declare it only from an inline module, the fallback.
    sites, inline_sites = [], []
    for f in modules:
        fbase = os.path.basename(f)
        children = os.path.dirname(f) if fbase in ("mod.rs", "lib.rs", "main.rs") else f[:-3]
        text = open(f, errors="replace").read()
        for m in by_path.finditer(text):
            sites.append((f, m, enclosing_macros(text, m.start())))
        if target_dir in (os.path.dirname(f), children):
            into = sites
        elif target_dir.startswith(children + os.sep):
            into = inline_sites
        else:
            continue
        for m in by_name.finditer(text):
            into.append((f, m, enclosing_macros(text, m.start())))
    sites = sites or inline_sites
    if not sites:
        return "other: declaration not found"
    if all(f in unseen_all for f, _, _ in sites):
        return None
    macros = [mac for _, _, ms in sites for mac in ms]
    if any(m == "macro_rules" for m in macros):
        return "macro_rules! body declaring modules"
    if any(m in ("cfg_if", "cfg_select") for m in macros):
        return f"{'cfg_if' if 'cfg_if' in macros else 'cfg_select'}! module declarations"
    if macros:
        return f"crate-local macro declaring modules ({macros[-1]}!)"
    if name in RUST_KEYWORDS or any(m.re is by_name and m.group(1) for _, m, _ in sites):
        return "edition keyword / raw identifier module name"
    if len(sites) > 1:
        return "cfg-exclusive duplicate mod"
    return "other"


def failure_kind(err, pkg, modules):
    """The pattern behind a failure that is not an unseen registration, from gather's message."""
    text = json.dumps(err)
    if err["message"].startswith("timeout"):
        return "other: the registry's expansion does not finish"
    if "panicked" in err["message"] and "proc macro" in err["message"] or "attribute panicked" in err["message"]:
        helps = [c["message"] for c in err.get("children", []) if c["message"].startswith("message:")]
        return "other: gather panicked (" + (helps[0].splitlines()[0][:90] if helps else "?") + ")"
    if "reserved keyword" in err["message"]:
        return "edition keyword / raw identifier module names (gather's output names a module `gen`)"
    m = re.search(r"the registration at (\S+?):\d+:\d+ is read twice", text)
    f = os.path.realpath(m.group(1)) if m else error_file(err, pkg)[0]
    if m or "scan judged that this registration is compiled only when" in text:
        what = "file read twice" if m else "cfg taken from the other declaration"
        p = guess_pattern(f, modules, []) if f else None
        if p == "cfg-exclusive duplicate mod" or (f and p == "other"):
            return f"cfg-exclusive duplicate mod ({what})"
        return f"{p or 'other'} ({what})"
    return "other"


# ------------------------------------------------------------------------------------------------
# one case
# ------------------------------------------------------------------------------------------------
def run_case(case, src, args, work):
    res = {"case": case, "modules": "-", "included": "-", "seen": "-", "result": "ERROR",
           "reason": "", "secs": 0.0, "unseen": [], "patterns": []}
    t0 = time.time()
    if src is None:
        res["reason"] = "could not fetch the crate"
        return res
    base = os.path.join(work, "cases", case.id)
    plain, injected = os.path.join(base, "plain"), os.path.join(base, "injected")
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    make_copy(src, plain)
    ok, art, errors = cargo_check(plain, case, args.target_dir, os.path.join(logs, case.id + ".plain.log"), args.timeout)
    if not ok or art is None:
        res["reason"] = "plain build failed: " + (first_line(errors[0]) if errors else f"see {logs}/{case.id}.plain.log")
        res["secs"] = time.time() - t0
        return res
    root = os.path.realpath(art["target"]["src_path"])
    modules, included, _ = classify(dep_info_files(art, plain), plain, root)
    rel = [os.path.relpath(m, os.path.realpath(plain)) for m in modules]
    rel_root = os.path.relpath(root, os.path.realpath(plain))
    res["modules"], res["included"] = len(modules), len(included)

    make_copy(src, injected, args.gather)
    proc_macro = "proc-macro" in art["target"]["kind"]
    note = inject(injected, rel, rel_root, art["target"]["edition"], proc_macro, args.sabotage)
    ok, art2, errors = cargo_check(injected, case, args.target_dir, os.path.join(logs, case.id + ".injected.log"), args.timeout)
    res["secs"] = time.time() - t0
    if ok:
        res["result"], res["seen"] = "pass", len(modules)
        res["reason"] = note
        return res
    res["result"] = "FAIL"
    unseen = []
    for e in errors:
        f, _ = error_file(e, injected)
        if f and "not found by the scan" in json.dumps(e) and f not in unseen:
            unseen.append(f)
    res["unseen"] = [os.path.relpath(f, os.path.realpath(injected)) for f in unseen]
    if unseen:
        res["seen"] = len(modules) - len(unseen)
    inj_modules = [os.path.join(os.path.realpath(injected), r) for r in rel]
    pats, per_file = [], []
    for f in unseen:
        p = guess_pattern(f, inj_modules, unseen)
        per_file.append(p or "(its parent is unseen)")
        if p and p not in pats:
            pats.append(p)
    res["unseen"] = list(zip(res["unseen"], per_file))
    if not pats and errors:
        pats = [failure_kind(errors[0], injected, inj_modules)]
    res["patterns"] = pats
    f, line = error_file(errors[0], injected) if errors else (None, None)
    where = f"{os.path.relpath(f, os.path.realpath(injected))}:{line}: " if f else ""
    reason = (", ".join(pats) + " -- " if pats else "") + where + (first_line(errors[0]) if errors else "build failed")
    res["reason"] = (note + "; " if note else "") + reason
    return res


# ------------------------------------------------------------------------------------------------
# output
# ------------------------------------------------------------------------------------------------
COLS = ["crate", "version", "features", "modules", "incl", "seen", "result", "time", "reason"]


def row(r):
    c = r["case"]
    feats = c.label + (" (" + " ".join(c.flags) + ")" if c.flags else "")
    return [c.name, c.version, feats, str(r["modules"]), str(r["included"]), str(r["seen"]),
            r["result"], f"{r['secs']:.0f}s", r["reason"]]


def print_table(results, width=110):
    rows = [COLS] + [row(r) for r in results]
    w = [max(len(x[i]) for x in rows) for i in range(len(COLS) - 1)]
    for x in rows:
        line = "  ".join(x[i].ljust(w[i]) for i in range(len(COLS) - 1)) + "  " + x[-1]
        print(line if len(line) <= width + 200 else line[:width + 197] + "...")


def markdown(results, args, total_secs):
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return "?"
    gather_commit = sh(["git", "-C", args.gather, "rev-parse", "--short", "HEAD"])
    dirty = sh(["git", "-C", args.gather, "status", "--porcelain", "--", "."])
    out = [
        "| | |", "|---|---|",
        f"| date | {sh(['date'])} |",
        f"| machine | {os.cpu_count()} cores, {sh(['uname', '-sm'])} |",
        f"| rustc | {sh(['rustc', '-V'])} |",
        f"| gather | {args.gather} at {gather_commit}{' (with uncommitted changes)' if dirty else ''} |",
        f"| command | `bash scripts/real-crates/run.sh {' '.join(sys.argv[1:])}` |",
        f"| total time | {total_secs / 60:.1f} min |",
        f"| cases | {len(results)}: {sum(r['result'] == 'pass' for r in results)} pass, "
        f"{sum(r['result'] == 'FAIL' for r in results)} FAIL, {sum(r['result'] == 'ERROR' for r in results)} ERROR |",
        "", "| " + " | ".join(COLS) + " |", "|" + "---|" * len(COLS),
    ]
    for r in results:
        out.append("| " + " | ".join(x.replace("|", "\\|") for x in row(r)) + " |")
    out.append("")
    unseen = [r for r in results if r["unseen"]]
    if unseen:
        out.append("Unseen module files (the registration gather reported as not found), per failing case:\n")
        for r in unseen:
            out.append(f"- {r['case'].id}: " + ", ".join(f"`{u}` ({p})" for u, p in r["unseen"]))
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="run only the cases whose 'name-version-label' matches this regex")
    ap.add_argument("--fast", action="store_true", help="only the cases tagged fast (for CI)")
    ap.add_argument("--gather", default=os.path.join(ROOT, "crates", "gather"),
                    help="path of the gather crate to test (default: the repo this script is in)")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus.txt"))
    ap.add_argument("--work", default=os.environ.get("REAL_CRATES_DIR", os.path.join(ROOT, "target", "real-crates")),
                    help="scratch directory: sources, copies, logs, and the shared target dir "
                         "(default $REAL_CRATES_DIR or target/real-crates)")
    ap.add_argument("--timeout", type=int, default=300, metavar="SECS",
                    help="a build not done after SECS seconds fails the case (default 300; the "
                         "slowest plain check of the corpus takes about 40 s here)")
    ap.add_argument("--markdown", metavar="FILE", help="also write the results as Markdown to FILE")
    ap.add_argument("--sabotage", choices=["drop", "hide"],
                    help="break the instrument on purpose, to show a case can fail: 'drop' leaves out the "
                         "registration (not the assertion) of one module file; 'hide' adds a module "
                         "declared by a crate-local macro")
    args = ap.parse_args()
    args.gather = os.path.realpath(args.gather)
    if not os.path.isfile(os.path.join(args.gather, "Cargo.toml")):
        sys.exit(f"--gather {args.gather}: no Cargo.toml there")
    work = os.path.realpath(args.work)
    args.target_dir = os.path.join(work, "target")  # shared: common dependencies compile once
    os.makedirs(work, exist_ok=True)

    cases = read_corpus(args.corpus)
    if args.fast:
        cases = [c for c in cases if "fast" in c.tags]
    if args.only:
        cases = [c for c in cases if re.search(args.only, c.id)]
    if not cases:
        sys.exit("no case selected")
    t0 = time.time()
    with open(os.path.join(work, "fetch.log"), "w") as log:
        sources = fetch_sources(cases, work, log)
    results = []
    for i, case in enumerate(cases, 1):
        print(f"[{i}/{len(cases)}] {case.id} {' '.join(case.flags)}", file=sys.stderr, flush=True)
        r = run_case(case, sources[(case.name, case.version)], args, work)
        print(f"    {r['result']} {r['modules']} module files, {r['secs']:.0f}s {r['reason'][:150]}",
              file=sys.stderr, flush=True)
        results.append(r)
    total = time.time() - t0
    print()
    print_table(results)
    n_fail = sum(r["result"] != "pass" for r in results)
    print(f"\n{len(results)} cases in {total / 60:.1f} min; logs in {work}/logs")
    print(f"{len(results) - n_fail} passed, {n_fail} failed")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(results, args, total))
    sys.exit(1 if n_fail else 0)


if __name__ == "__main__":
    main()
