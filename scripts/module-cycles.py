#!/usr/bin/env python3
"""Lists pairs of source files of one crate that use each other (`crate::a` in b and `crate::b`
in a, or through `super::`), which the house rules forbid: data types belong in leaf modules.
Usage: scripts/module-cycles.py crates/NAME [...]; exit status 1 if any pair is found."""
import pathlib, re, sys

def module_of(src, path):
    rel = path.relative_to(src).with_suffix("")
    parts = [p for p in rel.parts if p not in ("lib", "main", "mod")]
    return "::".join(parts)

def uses(text, me):
    found = set()
    for m in re.finditer(r"\bcrate::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)", text):
        found.add(m.group(1))
    parent = me.rsplit("::", 1)[0] if "::" in me else ""
    for m in re.finditer(r"\bsuper::([a-z_][a-z0-9_]*)", text):
        found.add((parent + "::" if parent else "") + m.group(1))
    return found

bad = 0
for crate in sys.argv[1:]:
    src = pathlib.Path(crate) / "src"
    files = {module_of(src, p): p.read_text() for p in src.rglob("*.rs")}
    # Comments (doc links included) are not uses.
    files = {m: re.sub(r"//[^\n]*", "", t) for m, t in files.items()}
    # Strip unit tests: a test module may use anything.
    files = {m: re.split(r"#\[cfg\(test\)\]\s*mod tests", t)[0] for m, t in files.items()}
    edges = {}
    for m, t in files.items():
        targets = set()
        for u in uses(t, m):
            segs = u.split("::")
            for k in range(len(segs), 0, -1):
                cand = "::".join(segs[:k])
                if cand in files and cand != m:
                    targets.add(cand)
                    break
        edges[m] = targets
    for a in sorted(edges):
        for b in sorted(edges[a]):
            if a < b and a in edges.get(b, ()) and a != "" and b != "":
                print(f"{crate}: {a} <-> {b}")
                bad += 1
sys.exit(1 if bad else 0)
