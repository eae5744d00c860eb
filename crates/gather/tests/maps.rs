//! Builds and runs the fixture crate `tests/fixtures/map` with cargo and checks what its maps
//! hold: every registration form, every key type, in ascending key order, under features,
//! profiles and `GATHER_SEED`; and a generated map large enough that rustc sorts it in several
//! pieces and merges them, with no warning.

use gather_test_support::{
    Scratch, assert_eq_file, cargo, fixture, own_target_dir, stderr, success_stdout,
};

/// `cargo ARGS` in the `map` fixture; its stdout, which must be a success.
fn map(args: &[&str]) -> String {
    success_stdout(&cargo(fixture("map")).args(args).output().unwrap())
}

#[test]
fn every_way_of_registering_into_a_map_in_key_order() {
    assert_eq_file(&map(&["run", "-q"]), fixture("map/expected/default.txt"));
}

#[test]
fn features_decide_entries_and_exclusive_cfgs_share_a_key() {
    assert_eq_file(
        &map(&["run", "-q", "--features", "extra"]),
        fixture("map/expected/extra.txt"),
    );
}

#[test]
fn release_profile_holds_the_same_entries() {
    let expected = std::fs::read_to_string(fixture("map/expected/default.txt")).unwrap();
    assert_eq!(map(&["run", "-q", "--release"]), expected);
}

#[test]
fn gather_seed_does_not_shuffle_a_map() {
    let out = cargo(fixture("map"))
        .args(["run", "-q"])
        .env("CARGO_TARGET_DIR", own_target_dir("fixtures-map-seed"))
        .env("GATHER_SEED", "3")
        .output()
        .unwrap();
    let expected = std::fs::read_to_string(fixture("map/expected/default.txt")).unwrap();
    assert_eq!(success_stdout(&out), expected);
}

/// A map of `n` entries in `files` module files, keys written in a scrambled order; `literal`
/// keys are sorted and indexed by the registry (the map is `FAST`; `NUMS`'s keys always are), others (`{ KEY }`) by rustc
/// in const evaluation.
fn generated(name: &str, n: usize, files: usize, literal: bool) -> Scratch {
    let s = Scratch::new(name);
    let mut main = String::from(
        "#![deny(warnings)]\n#[gather::registry]\npub static MAP: gather::Map<&str, usize>;\n\
         #[gather::registry]\npub static NUMS: gather::Map<i64, usize>;\n",
    );
    let per = n.div_ceil(files);
    let scrambled = |i: usize| (i * 7919) % n;
    for f in 0..files {
        main.push_str(&format!("mod m{f};\n"));
        let mut text = String::new();
        for i in (f * per..((f + 1) * per).min(n)).map(scrambled) {
            let key = format!("\"k{i}\"");
            let key = if literal { key } else { format!("{{ {key} }}") };
            text.push_str(&format!("gather::register!(crate::MAP, {key} => {i});\n"));
            let number = i as i64 * 13 - 20000;
            text.push_str(&format!(
                "gather::register!(crate::NUMS, {number} => {i});\n"
            ));
        }
        s.write(&format!("src/m{f}.rs"), &text);
    }
    main.push_str(&format!(
        "fn main() {{\n    assert_eq!(MAP.len(), {n});\n    \
         let mut keys: Vec<&str> = MAP.keys().copied().collect();\n    \
         let sorted = keys.clone();\n    keys.sort();\n    assert_eq!(keys, sorted);\n    \
         for i in 0..{n} {{ assert_eq!(MAP.get(&format!(\"k{{i}}\")), Some(&i)); }}\n    \
         assert_eq!(MAP.get(\"k{n}\"), None);\n    \
         for i in 0..{n} {{ let k = i as i64 * 13 - 20000; assert_eq!(NUMS.get(&k), Some(&i)); \
         assert_eq!(NUMS.get(&(k + 1)), None); }}\n    \
         assert!(NUMS.keys().zip(NUMS.keys().skip(1)).all(|(a, b)| a < b));\n    \
         assert_eq!((MAP::FAST, NUMS::FAST), ({literal}, true));\n    println!(\"ok\");\n}}\n"
    ));
    s.write("src/main.rs", &main);
    s
}

#[test]
fn thousands_of_keys_sorted_in_pieces_without_a_warning() {
    // Over three pieces of 1024, each sorted by rustc (keys not literals) and merged.
    for (name, literal) in [("map-pieces-literal", true), ("map-pieces-block", false)] {
        let s = generated(name, 3500, 7, literal);
        let out = cargo(s.dir()).args(["run", "-q"]).output().unwrap();
        assert_eq!(success_stdout(&out), "ok\n", "{name}");
        let warnings = stderr(&out);
        assert!(!warnings.contains("warning"), "{name}: {warnings}");
    }
}

/// A map of every literal key in `keys` (Rust source) registered in a scrambled order over three
/// files, and the code that checks it: the registry built it (`FAST`), every key holds its value
/// (an expression that looks it up: `lookup` with `{}` for the key), keys ascend, `misses` are
/// absent.
fn literal_map(
    name: &str,
    ty: &str,
    keys: &[String],
    lookup: &str,
    misses: &[&str],
) -> (String, Vec<String>, String) {
    let declaration =
        format!("#[gather::registry]\npub static {name}: gather::Map<{ty}, usize>;\n");
    let mut files = vec![String::new(), String::new(), String::new()];
    for i in 0..keys.len() {
        let k = (i * 17) % keys.len();
        files[k % 3].push_str(&format!(
            "gather::register!(crate::{name}, {} => {k});\n",
            keys[k]
        ));
    }
    let mut check = format!("    assert!({name}::FAST, \"{name} not built by the registry\");\n");
    check.push_str(&format!("    assert_eq!({name}.len(), {});\n", keys.len()));
    for (i, key) in keys.iter().enumerate() {
        let query = lookup.replace("{}", key);
        check.push_str(&format!(
            "    assert_eq!({name}.get({query}), Some(&{i}), \"{name} {i}\");\n"
        ));
    }
    for miss in misses {
        let query = lookup.replace("{}", miss);
        check.push_str(&format!("    assert_eq!({name}.get({query}), None);\n"));
    }
    check.push_str(&format!(
        "    assert!({name}.keys().zip({name}.keys().skip(1)).all(|(a, b)| a < b));\n"
    ));
    (declaration, files, check)
}

#[test]
fn literal_keys_of_every_shape_are_indexed_by_the_registry() {
    // Lengths across the hash's 8-byte words and its tails, escapes, raw strings, non-ASCII,
    // and the extremes of each integer type: the registry reads each key as rustc does and
    // hashes it as gather's lookups do, or a lookup below fails.
    let strs: Vec<String> = (0..48)
        .map(|i| match i % 4 {
            0 => format!("\"{}\"", "x".repeat(i)),
            1 => format!("\"\u{e9}{}\\t\\\\\\\"\"", "y".repeat(i)),
            2 => format!("r#\"q\"{}\"#", "z".repeat(i)),
            _ => format!("\"\\u{{1F600}}{i}\\x41\\n\""),
        })
        .collect();
    let bytes: Vec<String> = (0..40)
        .map(|i| match i % 2 {
            0 => format!("b\"{}\"", "b".repeat(i)),
            _ => format!("b\"\\xff\\x00{}\"", "c".repeat(i)),
        })
        .collect();
    let chars: Vec<String> = ('a'..='z')
        .map(|c| format!("'{c}'"))
        .chain(["'\\n'", "'\\''", "'\\u{10FFFF}'", "'\u{e9}'", "'\u{1F600}'"].map(String::from))
        .collect();
    let numbers = |values: Vec<i128>| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
    let maps = [
        literal_map("STRS", "&str", &strs, "{}", &["\"x\\\"\"", "\"not a key\""]),
        literal_map("BYTES", "&[u8]", &bytes, "&{}[..]", &["b\"z\""]),
        literal_map("CHARS", "char", &chars, "&{}", &["'A'"]),
        literal_map(
            "U8S",
            "u8",
            &numbers((0..=250).step_by(10).collect()),
            "&{}",
            &["5"],
        ),
        literal_map(
            "I8S",
            "i8",
            &numbers((-125..=125).step_by(10).collect()),
            "&{}",
            &["0"],
        ),
        literal_map(
            "I64S",
            "i64",
            &numbers(
                [i64::MIN as i128, i64::MAX as i128]
                    .into_iter()
                    .chain((-20..20).map(|i| i * 1_000_000_007))
                    .collect(),
            ),
            "&{}",
            &["1"],
        ),
        literal_map(
            "U128S",
            "u128",
            &numbers((1..30).map(|i| i * 10i128.pow(36)).chain([0, 7]).collect()),
            "&{}",
            &["1"],
        ),
        literal_map(
            "USIZES",
            "usize",
            &numbers((0..64).map(|i| i * 3).collect()),
            "&{}",
            &["1"],
        ),
    ];
    let s = Scratch::new("map-literal-shapes");
    let mut main = String::from("#![deny(warnings)]\nmod f0;\nmod f1;\nmod f2;\n");
    let mut files = [String::new(), String::new(), String::new()];
    let mut checks = String::new();
    for (declaration, map_files, check) in &maps {
        main.push_str(declaration);
        for (f, text) in files.iter_mut().zip(map_files) {
            f.push_str(text);
        }
        checks.push_str(check);
    }
    main.push_str(&format!(
        "fn main() {{\n{checks}    println!(\"ok\");\n}}\n"
    ));
    s.write("src/main.rs", &main);
    for (i, text) in files.iter().enumerate() {
        s.write(&format!("src/f{i}.rs"), text);
    }
    let out = cargo(s.dir()).args(["run", "-q"]).output().unwrap();
    assert_eq!(success_stdout(&out), "ok\n");
}
