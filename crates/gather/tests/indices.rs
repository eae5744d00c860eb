//! `register_index!` and framework macros hooked with `#[registry(macro = ..)]`: fixture
//! `tests/fixtures/indices` (with its proc macro `indices-macro`), whose program checks that
//! `REGISTRY.get(index)` is the item each registration added and prints the registries.

use gather_test_support::{
    Scratch, assert_eq_file, cargo, fixture, own_target_dir, success_stdout,
};

fn run(dir: &std::path::Path, features: &[&str], seed: Option<&str>) -> String {
    let mut cmd = cargo(dir);
    cmd.args(["run", "-q"]);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    if let Some(seed) = seed {
        // A seed changes what the crate compiles to: a target directory of its own.
        cmd.env("GATHER_SEED", seed)
            .env("CARGO_TARGET_DIR", own_target_dir("indices-seeded"));
    }
    success_stdout(&cmd.output().unwrap())
}

fn fingerprint(output: &str) -> &str {
    output
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint "))
        .expect("the fixture prints its fingerprint")
}

#[test]
fn every_index_is_its_items_position_under_each_feature_set() {
    let dir = fixture("indices");
    let expected = dir.join("expected");
    assert_eq_file(&run(&dir, &[], None), expected.join("default.txt"));
    assert_eq_file(&run(&dir, &["extra"], None), expected.join("extra.txt"));
}

#[test]
fn indices_follow_the_shuffle_and_the_fingerprint_tells_it() {
    let dir = fixture("indices");
    let plain = run(&dir, &[], None);
    // The program asserts that every index names its item, whatever the order.
    let seeded = run(&dir, &[], Some("7"));
    assert_ne!(plain, seeded, "GATHER_SEED=7 shuffles the registries");
    assert_ne!(fingerprint(&plain), fingerprint(&seeded));
    let extra = run(&dir, &["extra"], None);
    assert_ne!(fingerprint(&plain), fingerprint(&extra), "other cfgs");
}

#[test]
fn the_fingerprint_does_not_depend_on_where_the_package_is() {
    let s = Scratch::new("indices-elsewhere");
    let from = fixture("indices");
    for file in [
        "Cargo.toml",
        "src/main.rs",
        "src/hooked.rs",
        "src/probed.rs",
        "src/probed/inner.rs",
    ] {
        s.write(file, &std::fs::read_to_string(from.join(file)).unwrap());
    }
    let manifest = std::fs::read_to_string(s.dir().join("Cargo.toml"))
        .unwrap()
        .replace(
            "../../../crates/gather",
            &format!("{}/crates/gather", gather_test_support::repo().display()),
        )
        .replace(
            "../indices-macro",
            &from.join("../indices-macro").display().to_string(),
        );
    s.write("Cargo.toml", &manifest);
    let here = run(&from, &[], None);
    let there = run(s.dir(), &[], None);
    assert_eq!(fingerprint(&here), fingerprint(&there));
    assert_eq!(here, there);
}
