#!/usr/bin/env python3
"""Generates the lookup benchmark of `gather::Map` (see BENCHMARKS.md): one crate with, for
each size and key type, the same keys in a gather `Map` (registered with `register!`), a
`phf::Map` (one `phf_map!` literal), a `std::collections::HashMap` and a `BTreeMap` built at
first use from a static slice (typetag's way). The binary times hits and misses for each and
prints a Markdown table; `--callgrind` makes it run each measurement once, for instruction
counts under `valgrind --tool=callgrind` (see run.sh).

    gen.py DIR [--sizes 10,100,1000,10000]
"""
import argparse
import os
import random

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("--sizes", default="10,100,1000,10000")
p.add_argument("--gather", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "../../crates/gather")))
a = p.parse_args()
sizes = [int(s) for s in a.sizes.split(",")]
rng = random.Random(11)

os.makedirs(os.path.join(a.dir, "src"), exist_ok=True)
with open(os.path.join(a.dir, "Cargo.toml"), "w") as f:
    f.write(f"""[package]
name = "map-bench"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
gather = {{ path = "{a.gather}" }}
phf = {{ version = "0.11", features = ["macros"] }}

[profile.release]
debug = 1

[workspace]
""")

WORDS = ["circle", "square", "user", "order", "event", "shape", "handler", "message", "request", "item"]


def str_keys(n):
    # Tags of varied length, like type names: a word and a number.
    return [f"{WORDS[i % len(WORDS)]}_{i * 7919 % 100003}" for i in range(n)]


def u32_keys(n):
    return [(i * 2654435761 % 2**31) * 2 for i in range(n)]  # even: odd numbers miss


main = ["use std::hint::black_box;\nuse std::time::Instant;\n\n"]
cases = []
for kt in ["str", "u32"]:
    for n in sizes:
        m = f"m_{kt}_{n}"
        keys = str_keys(n) if kt == "str" else u32_keys(n)
        order = list(range(n))
        rng.shuffle(order)
        lit = (lambda k: f'"{k}"') if kt == "str" else (lambda k: f"{k}")
        ktype = "&'static str" if kt == "str" else "u32"
        text = [f"use gather::{{Map, register, registry}};\nuse std::collections::{{BTreeMap, HashMap}};\nuse std::sync::OnceLock;\n\n"]
        text.append(f"#[registry]\npub static GATHER: Map<{ktype}, u32>;\n")
        for i in order:
            text.append(f"register!(GATHER, {lit(keys[i])} => {i});\n")
        text.append(f"pub static PHF: phf::Map<{ktype}, u32> = phf::phf_map! {{\n")
        for i in order:
            suffix = "" if kt == "str" else "u32"  # phf_map! wants typed integers
            text.append(f"    {lit(keys[i])}{suffix} => {i},\n")
        text.append("};\n")
        text.append(f"pub static PAIRS: [({ktype}, u32); {n}] = [\n")
        for i in order:
            text.append(f"    ({lit(keys[i])}, {i}),\n")
        text.append("];\n")
        text.append(f"pub fn hash_map() -> HashMap<{ktype}, u32> {{ PAIRS.iter().copied().collect() }}\n")
        text.append(f"pub fn btree() -> &'static BTreeMap<{ktype}, u32> {{\n    static B: OnceLock<BTreeMap<{ktype}, u32>> = OnceLock::new();\n    B.get_or_init(|| PAIRS.iter().copied().collect())\n}}\n")
        if kt == "str":
            text.append(f"pub fn hits() -> Vec<String> {{ PAIRS.iter().map(|(k, _)| k.to_string()).collect() }}\n")
            text.append(f"pub fn misses() -> Vec<String> {{ PAIRS.iter().map(|(k, _)| format!(\"{{k}}x\")).collect() }}\n")
        else:
            text.append(f"pub fn hits() -> Vec<u32> {{ PAIRS.iter().map(|(k, _)| *k).collect() }}\n")
            text.append(f"pub fn misses() -> Vec<u32> {{ PAIRS.iter().map(|(k, _)| k + 1).collect() }}\n")
        with open(os.path.join(a.dir, "src", f"{m}.rs"), "w") as f:
            f.write("".join(text))
        main.append(f"mod {m};\n")
        cases.append((m, kt, n))

main.append("""
/// Nanoseconds per lookup of `f` over `queries`: the best of `runs` timed passes of at least
/// 2,000,000 lookups each (or one pass under callgrind).
fn time<Q>(queries: &[Q], f: impl Fn(&Q) -> u32) -> f64 {
    let callgrind = std::env::var_os("MAP_BENCH_ONCE").is_some();
    let reps = if callgrind { 1 } else { (2_000_000 / queries.len()).max(1) };
    let runs = if callgrind { 1 } else { 7 };
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let mut sum = 0u32;
        for _ in 0..reps {
            for q in queries {
                sum = sum.wrapping_add(f(black_box(q)));
            }
        }
        black_box(sum);
        let ns = start.elapsed().as_nanos() as f64 / (reps * queries.len()) as f64;
        best = best.min(ns);
    }
    best
}

fn main() {
    let only = std::env::args().nth(1);
    println!("| keys | n | lookup | gather Map | phf::Map | HashMap (std) | BTreeMap at first use |");
    println!("|---|---|---|---|---|---|---|");
""")
for m, kt, n in cases:
    q = "q.as_str()" if kt == "str" else "q"
    gq = "q.as_str()" if kt == "str" else "q"
    hq = "q.as_str()" if kt == "str" else "q"
    main.append(f"""    if only.as_deref().is_none_or(|o| o == "{m}") {{
        let (hits, misses) = ({m}::hits(), {m}::misses());
        let hash = {m}::hash_map();
        let btree = {m}::btree();
        for (what, qs) in [("hit", &hits), ("miss", &misses)] {{
            let g = time(qs, |q| {m}::GATHER.get({gq}).copied().unwrap_or(0));
            let p = time(qs, |q| {m}::PHF.get({q}).copied().unwrap_or(0));
            let h = time(qs, |q| hash.get({hq}).copied().unwrap_or(0));
            let b = time(qs, |q| btree.get({hq}).copied().unwrap_or(0));
            println!("| {kt} | {n} | {{what}} | {{g:.1}} | {{p:.1}} | {{h:.1}} | {{b:.1}} |");
        }}
    }}
""")
main.append("}\n")
with open(os.path.join(a.dir, "src", "main.rs"), "w") as f:
    f.write("".join(main))
