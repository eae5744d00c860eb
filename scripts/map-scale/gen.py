#!/usr/bin/env python3
"""Generates a crate with N keyed registrations over F module files, for the scale and
compile-time measurements of `Map` (see BENCHMARKS.md).

    gen.py DIR N [--files F] [--kind map|registry|phf] [--key str|u32] [--order shuffled|sorted]

`map`: `register!(MAP, KEY => VALUE)` into `Map<K, u32>` (`--keys block`: not literals); `registry`: the same values with
`register!(REG, VALUE)` into a plain `Registry<(K, u32)>` (the comparison the issue asks for);
`phf`: one `phf_map!` literal with the same keys. Keys are written in a shuffled order by
default, so that the map's order is not the source order. The binary checks the map's length
and a few lookups, and prints `ok N`.
"""
import argparse
import os
import random

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("n", type=int)
p.add_argument("--files", type=int, default=100)
p.add_argument("--kind", choices=["map", "registry", "phf"], default="map")
p.add_argument("--key", choices=["str", "u32"], default="str")
p.add_argument("--order", choices=["shuffled", "sorted"], default="shuffled")
# `block`: keys written as `{ KEY }`, which the registry does not read as literals, so rustc
# sorts them in const evaluation (the worst case).
p.add_argument("--keys", choices=["literal", "block"], default="literal")
p.add_argument("--gather", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "../../crates/gather")))
a = p.parse_args()

keys = list(range(a.n))
if a.order == "shuffled":
    random.Random(7).shuffle(keys)


def key(i):
    return f'"key_{i}"' if a.key == "str" else f"{i * 7 + 1}"


def written(i):
    return key(i) if a.keys == "literal" else f"{{ {key(i)} }}"


ktype = "&str" if a.key == "str" else "u32"
os.makedirs(os.path.join(a.dir, "src"), exist_ok=True)
deps = f'gather = {{ path = "{a.gather}" }}'
if a.kind == "phf":
    deps = 'phf = { version = "0.11", features = ["macros"] }'
with open(os.path.join(a.dir, "Cargo.toml"), "w") as f:
    f.write(f"""[package]
name = "map-scale"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
{deps}

[workspace]
""")

lookup = key(keys[0]) if a.key == "str" else f"&{key(keys[0])}"
main = []
if a.kind == "phf":
    entries = "".join(f"    {key(i)} => {i},\n" for i in keys)
    main.append(f"pub static MAP: phf::Map<{ktype}, u32> = phf::phf_map! {{\n{entries}}};\n")
    lookup = key(keys[0]) if a.key == "str" else f"&{key(keys[0])}"
    main.append(f"fn main() {{ assert_eq!(MAP.len(), {a.n}); assert_eq!(MAP.get({lookup}), Some(&{keys[0]})); println!(\"ok {{}}\", MAP.len()); }}\n")
else:
    ty = f"gather::Map<{ktype}, u32>" if a.kind == "map" else f"gather::Registry<({ktype}, u32)>"
    main.append(f"#[gather::registry]\npub static MAP: {ty};\n")
    for fi in range(a.files):
        main.append(f"mod m{fi};\n")
    if a.kind == "map":
        check = f"assert_eq!(MAP.get({lookup}), Some(&{keys[0]}));"
    else:
        check = ""
    main.append(f"fn main() {{ assert_eq!(MAP.len(), {a.n}); {check} println!(\"ok {{}}\", MAP.len()); }}\n")
    per = (a.n + a.files - 1) // a.files
    for fi in range(a.files):
        lines = []
        for i in keys[fi * per:(fi + 1) * per]:
            if a.kind == "map":
                lines.append(f"gather::register!(crate::MAP, {written(i)} => {i});\n")
            else:
                lines.append(f"gather::register!(crate::MAP, ({key(i)}, {i}));\n")
        with open(os.path.join(a.dir, "src", f"m{fi}.rs"), "w") as f:
            f.write("".join(lines))
with open(os.path.join(a.dir, "src", "main.rs"), "w") as f:
    f.write("".join(main))
