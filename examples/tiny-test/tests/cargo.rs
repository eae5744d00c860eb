//! Builds the fixture crate `tests/fixtures/tiny-user` with cargo: a framework built on gather
//! (`main!()` declares the registry, `#[tiny_test::test]` registers) finds tests in every module
//! file, and says what is missing when `main!()` is.

use gather_test_support::{cargo, fixture, stderr, stdout};

#[test]
fn a_framework_built_on_gather() {
    let dir = fixture("tiny-user");
    let out = cargo(&dir)
        .args(["test", "-q", "--test", "suite"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(101), "one test fails on purpose");
    assert_eq!(
        stdout(&out),
        "running 4 tests\n\
         test suite::parsing::in_another_file ... ok\n\
         test suite::at_the_root ... ok\n\
         test suite::inline::imported_attribute ... ok\n\
         test suite::inline::fails ... FAILED\n\
         3 passed; 1 failed\n"
    );
    let out = cargo(&dir)
        .args(["build", "-q", "--test", "no_main"])
        .output()
        .unwrap();
    let stderr = stderr(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains("error: `#[tiny_test::test]` needs `tiny_test::main!();` at the crate root of this test target\n --> tests/no_main.rs:2:4"),
        "{stderr}"
    );
}
