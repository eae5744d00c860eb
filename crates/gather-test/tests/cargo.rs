//! Builds the fixture crate `tests/fixtures/gt-user` with cargo and runs its tests as users do:
//! `cargo test`, the invocations of IDEs and nextest, and `cargo nextest run`.

use std::process::Output;

use gather_test_support::{cargo_fixture, nextest_installed, stderr, stdout, success_stdout};

/// `cargo ARGS` in the fixture, with `env` added.
fn gt_user(args: &[&str], env: &[(&str, &str)]) -> Output {
    cargo_fixture("gt-user", args, env)
}

#[test]
fn gather_test_runs_under_cargo_test_and_nextest() {
    // Unit tests of the library ([lib] harness = false) and an integration suite.
    let passing = success_stdout(&gt_user(&["test", "-q"], &[]));
    assert!(passing.contains("test tests::unit_add ... ok"), "{passing}");
    assert!(
        passing.contains("test ignored_with_reason ... ignored, needs a network"),
        "{passing}"
    );
    assert!(
        passing.contains("test panics_with_message - should panic ... ok"),
        "{passing}"
    );
    assert!(
        passing.contains("test parsing::in_another_file ... ok"),
        "{passing}"
    );
    assert!(
        passing.contains(
            "test result: ok. 5 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out;"
        ),
        "{passing}"
    );
    // Failures: shown as libtest shows them, exit code 101.
    let out = gt_user(
        &["test", "-q", "--test", "suite", "--features", "failing"],
        &[],
    );
    let failing = stdout(&out);
    assert_eq!(out.status.code(), Some(101), "{failing}");
    assert!(
        failing.contains("---- failing::returns_err stdout ----\nError: \"went wrong\""),
        "{failing}"
    );
    assert!(
        failing.contains(" expected substring: \"other\""),
        "{failing}"
    );
    assert!(
        failing.contains("test result: FAILED. 5 passed; 3 failed; 2 ignored;"),
        "{failing}"
    );
    // The invocations IDEs and nextest use.
    let out = gt_user(
        &[
            "test",
            "-q",
            "--test",
            "suite",
            "--",
            "--exact",
            "passes",
            "--nocapture",
        ],
        &[],
    );
    assert!(
        success_stdout(&out).contains("1 passed; 0 failed; 0 ignored; 0 measured; 6 filtered out")
    );
    let out = gt_user(
        &[
            "test",
            "-q",
            "--test",
            "suite",
            "--",
            "--exact",
            "no_such_test",
        ],
        &[("NEXTEST", "1")],
    );
    assert_eq!(
        out.status.code(),
        Some(101),
        "under nextest, an --exact that matches nothing is not a pass"
    );
    let out = gt_user(
        &[
            "test",
            "-q",
            "--test",
            "suite",
            "--",
            "--list",
            "--format",
            "terse",
            "--ignored",
        ],
        &[],
    );
    assert_eq!(
        success_stdout(&out),
        "ignored: test\nignored_with_reason: test\n"
    );
    if nextest_installed() {
        let out = gt_user(&["nextest", "run"], &[]);
        let stderr = stderr(&out);
        assert!(out.status.success(), "{stderr}");
        assert!(
            // The suite's 5 and the lib's 1, the 3 of tests/imported.rs, the 300 of
            // tests/many_generated.rs, the 1000 of tests/default_overflow.rs, the 5 of
            // tests/attr_macros.rs.
            stderr.contains("1314 tests run: 1314 passed, 2 skipped"),
            "{stderr}"
        );
    }
}

#[test]
fn a_target_built_with_libtests_harness_fails_and_says_why() {
    // `harness = false` forgotten: libtest's harness would run none of the gather tests and
    // report "ok"; the test that `main!()` adds for libtest fails instead.
    let out = gt_user(
        &[
            "test",
            "-q",
            "--features",
            "forgot-harness",
            "--test",
            "forgot_harness",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(101));
    let stdout = stdout(&out);
    assert!(
        stdout.contains("test result: FAILED. 0 passed; 1 failed;"),
        "{stdout}"
    );
    assert!(
        stdout.contains("add `harness = false` to its `[[test]]` section in Cargo.toml"),
        "{stdout}"
    );
}

#[test]
fn tests_written_by_other_crates_macros_run_with_gather_tests_attribute_imported() {
    let out = gt_user(&["test", "-q", "--test", "imported", "--", "--list"], &[]);
    assert_eq!(
        success_stdout(&out),
        "inner::in_a_module: test\nwritten_by_a_macro: test\nwritten_literally: test\n\n3 tests, 0 benchmarks\n"
    );
}

#[test]
fn libtests_own_test_attribute_is_reported_not_skipped() {
    let out = gt_user(
        &[
            "build",
            "-q",
            "--features",
            "builtin-test",
            "--test",
            "builtin_test",
        ],
        &[],
    );
    let stderr = stderr(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains("error: `#[test]` at tests/builtin_test.rs:4 is libtest's attribute, and under `harness = false` rustc leaves that function out: write `#[gather_test::test]`, or add `use gather_test::test;` to its module"),
        "{stderr}"
    );
    // Also one in the input of another crate's macro that passes it on (as proptest! does).
    assert!(
        stderr.contains("error: `#[test]` at tests/builtin_test.rs:13 is libtest's attribute"),
        "{stderr}"
    );
    // The one under `#[cfg(any())]` is not compiled, so not reported.
    assert!(stderr.contains("due to 2 previous errors"), "{stderr}");
}

#[test]
fn main_takes_more_overflow_slots_for_many_generated_tests() {
    let out = gt_user(&["test", "-q", "--test", "many_generated"], &[]);
    assert!(
        success_stdout(&out).contains("test result: ok. 300 passed; 0 failed;"),
        "{}",
        stdout(&out)
    );
}
