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
