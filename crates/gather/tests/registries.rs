//! Builds and runs the fixture crates `tests/fixtures/core` and `tests/fixtures/bom` with cargo,
//! as users do, and checks what their registries hold: in binaries, tests, examples and benches,
//! under features and profiles, and in the order `GATHER_SEED` gives.

use gather_test_support::{
    Scratch, assert_eq_file, cargo, fixture, own_target_dir, success_stdout,
};

/// `cargo ARGS` in the `core` fixture; its stdout, which must be a success.
fn core(args: &[&str]) -> String {
    success_stdout(&cargo(fixture("core")).args(args).output().unwrap())
}

#[test]
fn every_way_of_registering_in_a_binary() {
    assert_eq_file(&core(&["run", "-q"]), fixture("core/expected/default.txt"));
}

#[test]
fn features_decide_membership() {
    assert_eq_file(
        &core(&["run", "-q", "--features", "extra"]),
        fixture("core/expected/extra.txt"),
    );
}

#[test]
fn release_profile_holds_the_same_items() {
    // Checked against the dev build's file: BLESS=1 must not make the profiles differ silently.
    let expected = std::fs::read_to_string(fixture("core/expected/default.txt")).unwrap();
    assert_eq!(core(&["run", "-q", "--release"]), expected);
}

#[test]
fn unit_tests_and_integration_tests() {
    // The fixture's own #[test]s assert cfg(test) registrations and a registry in tests/it.rs.
    let stdout = core(&["test", "-q"]);
    assert_eq!(
        stdout.matches("test result: ok. 1 passed").count(),
        2,
        "{stdout}"
    );
}

#[test]
fn examples_and_benches() {
    assert_eq!(
        core(&["run", "-q", "--example", "ex"]),
        "EX: [\"example-item\"]\n"
    );
    assert!(core(&["bench", "-q", "--bench", "b"]).contains("BENCHES: [\"bench-item\"]"));
}

#[test]
fn byte_order_mark_does_not_shift_positions() {
    // rustc drops a BOM before counting columns; a registration right after it must match.
    let out = cargo(fixture("bom")).args(["run", "-q"]).output().unwrap();
    assert_eq!(success_stdout(&out), "[\"after-bom\"]\n");
}

#[test]
fn gather_seed_shuffles_deterministically_and_rebuilds() {
    // A target directory of its own: changing GATHER_SEED rebuilds the fixture in place, under
    // the same file names the other tests of `core` run at the same time.
    let run = |seed: Option<&str>| {
        let mut cmd = cargo(fixture("core"));
        cmd.args(["run", "-q"])
            .env("CARGO_TARGET_DIR", own_target_dir("fixtures-seed"));
        if let Some(seed) = seed {
            cmd.env("GATHER_SEED", seed);
        }
        success_stdout(&cmd.output().unwrap())
    };
    let plain = run(None);
    let one = run(Some("1"));
    let one_again = run(Some("1"));
    let two = run(Some("2"));
    let back = run(None);
    assert_eq!(one, one_again, "a seed gives one order");
    assert_ne!(plain, one, "seed 1 reorders");
    assert_ne!(one, two, "another seed, another order");
    assert_eq!(plain, back, "unsetting the seed rebuilds in source order");
    let sorted = |s: &str| {
        let mut v: Vec<String> = s
            .lines()
            .flat_map(|l| {
                l.split(": ")
                    .nth(1)
                    .unwrap_or("")
                    .split(", ")
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&plain), sorted(&one), "same items, other order");
}

#[test]
fn gather_debug_always_reports_and_rebuilds() {
    let s = Scratch::new("debug-report");
    s.write(
        "src/main.rs",
        "#[gather::registry]\nstatic EMPTY: gather::Registry<u8>;\nfn main() { let _ = EMPTY; }\n",
    );
    let build = |debug: bool| {
        let mut cmd = cargo(s.dir());
        cmd.args(["build", "-q"]);
        if debug {
            cmd.env("GATHER_DEBUG", "1");
        }
        cmd.output().unwrap()
    };
    assert!(build(false).status.success());
    // Up to date: setting the variable rebuilds, and an empty registry says so.
    let out = build(true);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("gather: registry `EMPTY`: 0 registrations found in 1 module file"),
        "{stderr}"
    );
}
