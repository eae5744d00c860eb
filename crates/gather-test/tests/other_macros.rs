//! Tests that other crates' macros make, copy or remove, in the fixture crate
//! `tests/fixtures/gt-user`: each one libtest would run, gather-test runs, or the build fails
//! and says what to write.

use std::process::Output;

use gather_test_support::{cargo_fixture, nextest_installed, stderr, success_stdout};

fn gt_user(args: &[&str]) -> Output {
    cargo_fixture("gt-user", args, &[])
}

#[test]
fn attribute_macros_above_the_test_attribute_copy_or_remove_the_test() {
    // A macro that copies the function into cases (as `#[rstest]`) and one that removes it (as
    // `#[rustversion::nightly]` on stable), both above `#[gather_test::test]`; one that writes
    // `#[test]` with its own span (as `#[quickcheck]`) where that is gather-test's.
    let out = gt_user(&["test", "-q", "--test", "attr_macros", "--", "--list"]);
    assert_eq!(
        success_stdout(&out),
        "everywhere: test\ninner::panics::one: test\npositive::case_1: test\npositive::case_2: test\nwith_quickcheck::holds: test\n\n5 tests, 0 benchmarks\n"
    );
    let out = gt_user(&["test", "-q", "--test", "attr_macros"]);
    assert!(
        success_stdout(&out).contains("test result: ok. 5 passed; 0 failed; 0 ignored;"),
        "{}",
        stderr(&out)
    );
    if nextest_installed() {
        let out = gt_user(&["nextest", "run", "--test", "attr_macros"]);
        let stderr = stderr(&out);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("5 tests run: 5 passed, 0 skipped"),
            "{stderr}"
        );
    }
}

#[test]
fn macros_that_write_libtests_test_attribute_are_compile_errors_that_say_what_to_write() {
    let out = gt_user(&[
        "build",
        "-q",
        "--features",
        "lost-tests",
        "--test",
        "lost_tests",
    ]);
    let stderr = stderr(&out);
    assert!(!out.status.success());
    for expected in [
        "error: `#[fixture_attrs::rstest]` at tests/lost_tests.rs:6 writes libtest's `#[test]` on each case, and under `harness = false` rustc leaves those out: write `#[gather_test::test]` as the function's last attribute, after any `#[case]` (rstest then puts it on each case instead)",
        "error: `#[fixture_attrs::test_case]` at tests/lost_tests.rs:10 writes libtest's `#[test]` on each case, and under `harness = false` rustc leaves those out: write the cases with rstest instead (`#[rstest::rstest]`, then `#[case(..)]` per case, then `#[gather_test::test]` last, and `#[case]` on each parameter)",
        "error: `fixture_testgen::quickcheck!` at tests/lost_tests.rs:16 writes libtest's `#[test]`, and under `harness = false` rustc leaves those tests out: add `use gather_test::test;` to the module where it is used, so that its `#[test]` is `#[gather_test::test]`",
        // Above `#[rstest]`, gather-test's attribute gets the function first, with its parameters.
        "error: write `#[gather_test::test]` below `#[fixture_attrs::rstest]`, as the function's last attribute (after any `#[case]`): `#[fixture_attrs::rstest]` then puts it on each case it makes\n  --> tests/lost_tests.rs:41:1",
        // Another crate's attribute named `test` (as `#[tokio::test]`).
        "error: `#[fixture_attrs::test]` at tests/lost_tests.rs:54 writes libtest's `#[test]` on the function it makes, and under `harness = false` rustc leaves that out: write a `#[gather_test::test]` function instead, which does what it did (for an async test: `block_on` the body on a runtime it builds)",
        // rstest gives an attribute above a `#[case]` to that case alone.
        "error: `#[gather_test::test]` above a `#[case]` of `#[fixture_attrs::rstest]` at tests/lost_tests.rs:47 is that case's alone, and rstest writes libtest's `#[test]` on the other cases, which under `harness = false` rustc leaves out: write `#[gather_test::test]` after the last `#[case]`, right above the function",
    ] {
        assert!(stderr.contains(expected), "{expected}\n\nnot in:\n{stderr}");
    }
    // The uses written right (module `with_import`) and the one under `#[cfg(any())]` are not
    // reported; the second `#[test_case]` of one function is not reported again, nor is the
    // registration that the misplaced attribute could not make.
    assert!(stderr.contains("due to 6 previous errors"), "{stderr}");
}

#[test]
fn a_root_cfgd_out_by_a_feature_is_built_only_with_it_through_required_features() {
    // `#![cfg(feature = "cfg-root")]` at the root leaves nothing, not even `main!()`: the
    // target's `required-features` keeps cargo from building it without the feature.
    let out = gt_user(&["test", "-q", "--test", "cfg_root"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("target `cfg_root` in package `gt-user` requires the features: `cfg-root`"),
        "{}",
        stderr(&out)
    );
    let out = gt_user(&["test", "-q", "--features", "cfg-root", "--test", "cfg_root"]);
    assert!(
        success_stdout(&out).contains("test result: ok. 1 passed; 0 failed;"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn main_has_overflow_slots_for_a_thousand_tests_that_macros_write() {
    let out = gt_user(&["test", "-q", "--test", "default_overflow"]);
    assert!(
        success_stdout(&out).contains("test result: ok. 1000 passed; 0 failed;"),
        "{}",
        stderr(&out)
    );
}
