//! Builds and runs the fixture crates under `tests/fixtures/` with cargo: what users do.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Runs cargo in `dir` with a target directory shared by the fixtures (so their dependencies
/// are built once), unless `target` names another one.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)], target: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", repo().join("target").join(target))
        .env_remove("GATHER_SEED")
        .env_remove("GATHER_DEBUG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("cargo runs")
}

fn stdout_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "cargo failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn expected(path: &str) -> String {
    std::fs::read_to_string(fixture(path)).unwrap()
}

#[test]
fn every_way_of_registering_in_a_binary() {
    let out = cargo(&fixture("core"), &["run", "-q"], &[], "fixtures");
    assert_eq!(stdout_of(&out), expected("core/expected/default.txt"));
}

#[test]
fn features_decide_membership() {
    let out = cargo(
        &fixture("core"),
        &["run", "-q", "--features", "extra"],
        &[],
        "fixtures",
    );
    assert_eq!(stdout_of(&out), expected("core/expected/extra.txt"));
}

#[test]
fn release_profile_holds_the_same_items() {
    let out = cargo(
        &fixture("core"),
        &["run", "-q", "--release"],
        &[],
        "fixtures",
    );
    assert_eq!(stdout_of(&out), expected("core/expected/default.txt"));
}

#[test]
fn unit_tests_and_integration_tests() {
    // The fixture's own #[test]s assert cfg(test) registrations and a registry in tests/it.rs.
    let out = cargo(&fixture("core"), &["test", "-q"], &[], "fixtures");
    let stdout = stdout_of(&out);
    assert_eq!(
        stdout.matches("test result: ok. 1 passed").count(),
        2,
        "{stdout}"
    );
}

#[test]
fn examples_and_benches() {
    let out = cargo(
        &fixture("core"),
        &["run", "-q", "--example", "ex"],
        &[],
        "fixtures",
    );
    assert_eq!(stdout_of(&out), "EX: [\"example-item\"]\n");
    let out = cargo(
        &fixture("core"),
        &["bench", "-q", "--bench", "b"],
        &[],
        "fixtures",
    );
    assert!(stdout_of(&out).contains("BENCHES: [\"bench-item\"]"));
}

#[test]
fn compile_errors_are_clear_and_at_the_right_place() {
    let dir = fixture("fail");
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 11);
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_stem().unwrap().to_str().unwrap().to_owned();
        let out = cargo(&dir, &["build", "-q", "--bin", &name], &[], "fixtures");
        let stderr = String::from_utf8_lossy(&out.stderr).replace('\r', "");
        if out.status.success() {
            failures.push(format!("{name}: compiled, but must not"));
            continue;
        }
        for line in std::fs::read_to_string(&case).unwrap().lines() {
            if !stderr.contains(line) {
                failures.push(format!("{name}: missing `{line}` in:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn gather_seed_shuffles_deterministically_and_rebuilds() {
    let dir = fixture("core");
    let run = |seed: Option<&str>| {
        let env: Vec<(&str, &str)> = seed.map(|s| ("GATHER_SEED", s)).into_iter().collect();
        stdout_of(&cargo(&dir, &["run", "-q"], &env, "fixtures-seed"))
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
fn a_framework_built_on_gather() {
    // examples/tiny-test: `main!()` declares the registry, `#[tiny_test::test]` registers.
    let dir = fixture("tiny-user");
    let out = cargo(
        &dir,
        &["test", "-q", "--test", "suite"],
        &[("RUST_BACKTRACE", "0")],
        "fixtures",
    );
    assert_eq!(out.status.code(), Some(101), "one test fails on purpose");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "running 4 tests\n\
         test suite::parsing::in_another_file ... ok\n\
         test suite::at_the_root ... ok\n\
         test suite::inline::imported_attribute ... ok\n\
         test suite::inline::fails ... FAILED\n\
         3 passed; 1 failed\n"
    );
    let out = cargo(&dir, &["build", "-q", "--test", "no_main"], &[], "fixtures");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("error: `#[tiny_test::test]` needs `tiny_test::main!();` at the crate root of this test target\n --> tests/no_main.rs:2:4"),
        "{stderr}"
    );
}
