//! gather reached through another path: a facade crate that re-exports it (its users have no
//! `gather` dependency of their own), a renamed dependency, and `crate = ..` as an absolute and a
//! relative path; every registration form works through them (fixture `tests/fixtures/facade-user`).

use gather_test_support::{cargo, fixture, success_stdout};

#[test]
fn registrations_work_through_a_facade_and_a_renamed_dependency() {
    let out = cargo(fixture("facade-user"))
        .args(["run", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        success_stdout(&out),
        "[\"module\", \"function body\", \"macro\", \"imported\"]\n[7]\n[1, 2]\n"
    );
}
