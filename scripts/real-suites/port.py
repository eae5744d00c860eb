"""The mechanical port of a crate's integration tests to gather-test (step 3 of run.py): text
rewrites a migrating user would make by following gather's migration guide, and nothing else.

  - in every .rs file under tests/, the attribute `#[test]` (exactly that, at the start of a line
    after any indentation) becomes `#[gather_test::test]`;
  - a function under `#[rstest]` (also `#[rstest::rstest]`, alone on its line) gets
    `#[gather_test::test]` as its last attribute, at the start of its `fn` line, unless it already
    has an attribute ending in `test`: rstest then puts that attribute on each case instead of
    libtest's `#[test]` (one written above a `#[case]` would be that case's alone);
  - a file that invokes quickcheck's `quickcheck!` (`quickcheck!`, unless the file defines a
    `macro_rules! quickcheck` of its own, or `path::quickcheck!`) or uses `#[quickcheck]` gets
    `use gather_test::test;` at its top, after its inner attributes, on the same line: the
    `#[test]` that quickcheck writes then is gather-test's;
  - `gather_test::main!();` goes at the top of each target's root file, after its inner
    attributes and inner doc comments, on the same line so that line numbers do not move;
  - every target gets `harness = false` (autodiscovered ones an explicit [[test]] entry); a
    target whose root starts with `#![cfg(feature = "f")]` (or `all(..)` of features) also gets
    `required-features = ["f"]`: without the feature nothing of the crate is left, not even
    `main!()`, so cargo must not build it (libtest's harness builds an empty binary instead);
  - `gather-test` becomes a dev-dependency, by path.

Line numbers never move, so the two sides' messages point to the same lines.
"""

import json
import os
import re
import tomllib

TEST_ATTR = re.compile(r"^([ \t]*)#\[test\]", re.M)
MAIN = "gather_test::main!();"


# `///` and `/**` (but not `////`, `/***` or the empty `/**/`) are outer doc comments.
OUTER_DOC = re.compile(r"///(?!/)|/\*\*(?![*/])")


def inner_attributes_end(text):
    """Where the crate root's inner attributes and inner doc comments end (with the comments and
    whitespace among them): the place for `main!()`, which is an item. Returns (offset, at line
    start); `at line start` when the last thing skipped was a line comment, which runs to the end
    of its line, so the macro goes at the start of the next one."""
    i, n, end, line_start = 0, len(text), 0, True
    if text.startswith("\ufeff"):
        i = end = 1
    while i < n:
        if text[i].isspace():
            i += 1
        elif OUTER_DOC.match(text, i):
            break  # documents the first item: main!() goes before it, not between them
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            i = end = n if nl < 0 else nl + 1
            line_start = True
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            end, line_start = i, False
        elif text.startswith("#!", i) and text[i + 2:].lstrip().startswith("["):
            i = skip_brackets(text, text.index("[", i))
            end, line_start = i, False
        else:
            break
    return end, line_start


def skip_brackets(text, i):
    """The offset after the bracket group opening at text[i], skipping string literals (an
    attribute may hold `"]"`); raw strings `r#"..."#` too."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        m = re.compile(r'r(#*)"').match(text, i) if c == "r" else None
        if m:
            close = '"' + m.group(1)
            j = text.find(close, m.end())
            i = n if j < 0 else j + len(close)
            continue
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def add_main(path):
    add_at_top(path, MAIN)


HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def port_manifest(text, ported, gather_test, features=None):
    """Cargo.toml of the gather-test side: `harness = false` on every ported target (inserted into
    its explicit [[test]] table, or a new table for an autodiscovered target), the
    `required-features` of `features` ({target: [feature]}) and the dev-dependency. Appended
    tables are valid whatever the last table of the file is."""
    features = features or {}

    def required(name):
        f = features.get(name)
        return [f"required-features = {json.dumps(f)}"] if f else []

    explicit = [t.get("name") for t in tomllib.loads(text).get("test", [])]
    out, k, in_ported_test = [], 0, False
    for line in text.splitlines():
        h = HEADER.match(line)
        if h:
            in_ported_test = False
            if line.strip().startswith("[[") and h.group(1) == "test":
                in_ported_test = explicit[k] in ported
                k += 1
                if in_ported_test:
                    out.append(line)
                    out.append("harness = false")
                    out += required(explicit[k - 1])
                    continue
        elif in_ported_test and re.match(r"\s*harness\s*=", line):
            continue  # an explicit `harness = true`
        elif in_ported_test and re.match(r"\s*required-features\s*=", line) and \
                required(explicit[k - 1]):
            continue  # replaced by the root's
        out.append(line)
    for name in ported:
        if name not in explicit:
            out += ["", "[[test]]", f"name = {json.dumps(name)}",
                    f"path = {json.dumps(ported[name].path)}", "harness = false"] + required(name)
    out += ["", "[dev-dependencies.gather-test]", f"path = {json.dumps(gather_test)}", ""]
    text = "\n".join(out)
    tomllib.loads(text)  # still valid TOML
    return text


def port(pkg, targets, gather_test):
    """Ports the copy at pkg. Returns (the number of rewrites of each kind, {target: the features
    its root's `#![cfg]` asks for})."""
    counts = {"#[test]": 0, "#[rstest]": 0, "use gather_test::test": 0}
    for dirpath, _, files in os.walk(os.path.join(pkg, "tests")):
        for f in files:
            if not f.endswith(".rs"):
                continue
            p = os.path.join(dirpath, f)
            text = open(p, encoding="utf-8", errors="surrogateescape").read()
            ported, n = TEST_ATTR.subn(r"\1#[gather_test::test]", text)
            counts["#[test]"] += n
            ported, n = rstest_test_attr(ported)
            counts["#[rstest]"] += n
            if ported != text:
                open(p, "w", encoding="utf-8", errors="surrogateescape").write(ported)
            if needs_test_import(ported):
                add_at_top(p, TEST_IMPORT)
                counts["use gather_test::test"] += 1
    features = {}
    for name, t in targets.items():
        root = os.path.join(pkg, t.path)
        if root_features(root):
            features[name] = root_features(root)
        add_main(root)
    manifest = os.path.join(pkg, "Cargo.toml")
    text = open(manifest).read()
    open(manifest, "w").write(port_manifest(text, targets, gather_test, features))
    return counts, features


# `#[rstest]` alone on its line.
RSTEST = re.compile(r"^([ \t]*#\[(?:::)?(?:rstest::)?rstest(?:\(.*\))?\])[ \t]*$", re.M)
# The line of a function's `fn` (with its qualifiers), its indentation in group 1.
FN_LINE = re.compile(r"^([ \t]*)(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\b", re.M)
# An attribute whose path ends in `test` (`#[test]`, `#[gather_test::test]`, `#[tokio::test]`).
TEST_LIKE = re.compile(r"#\[\s*(?:[\w]+\s*::\s*)*test\s*(?:\(.*\))?\]")
# A quickcheck! invocation (its path) or a #[quickcheck] attribute.
QC_CALL = re.compile(r"(?<![\w:])((?:[A-Za-z_]\w*::)*)quickcheck!\s*[{(\[]")
QC_ATTR = re.compile(r"^[ \t]*#\[(?:quickcheck_macros::|quickcheck::)?quickcheck\]", re.M)
LOCAL_QC = re.compile(r"macro_rules!\s*quickcheck\b")
TEST_IMPORT = "use gather_test::test;"
# The root's `#![cfg(feature = "f")]` or `#![cfg(all(feature = "f", feature = "g"))]`.
ROOT_CFG = re.compile(r"#!\[\s*cfg\s*\(\s*(?:all\s*\()?((?:\s*feature\s*=\s*\"[^\"]+\"\s*,?)+)\)?\s*\)\s*\]")


def rstest_test_attr(text):
    """`#[gather_test::test]` on each function under `#[rstest]` that has no test attribute yet,
    as its last attribute (rstest gives an attribute written above a `#[case]` to that case
    alone): at the start of the `fn` line, after its indentation. Returns (text, how many)."""
    out, n, last = [], 0, 0
    for m in RSTEST.finditer(text):
        # The attributes between `#[rstest]` and the `fn` line (the item's other attributes).
        fn = FN_LINE.search(text, m.end())
        if not fn or TEST_LIKE.search(text, m.end(), fn.start()):
            continue
        at = fn.start() + len(fn.group(1))
        out.append(text[last:at] + "#[gather_test::test] ")
        last, n = at, n + 1
    out.append(text[last:])
    return "".join(out), n


def needs_test_import(text):
    """Whether the file uses quickcheck's `quickcheck!` or `#[quickcheck]` and has no
    `use gather_test::test;` yet."""
    if TEST_IMPORT in text:
        return False
    if QC_ATTR.search(text):
        return True
    local = LOCAL_QC.search(text) is not None
    return any(m.group(1) or not local for m in QC_CALL.finditer(text))


def add_at_top(path, item):
    """`item` at the top of the file, after its inner attributes, on the same line."""
    text = open(path, encoding="utf-8", errors="surrogateescape").read()
    end, line_start = inner_attributes_end(text)
    insert = item + " " if line_start else " " + item
    open(path, "w", encoding="utf-8", errors="surrogateescape").write(
        text[:end] + insert + text[end:])


def root_features(path):
    """The features that the root's `#![cfg(..)]` among its inner attributes asks for, or []."""
    text = open(path, encoding="utf-8", errors="surrogateescape").read()
    end, _ = inner_attributes_end(text)
    m = ROOT_CFG.search(text[:end])
    return re.findall(r'"([^"]+)"', m.group(1)) if m else []
