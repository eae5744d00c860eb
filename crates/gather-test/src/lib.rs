//! A custom test framework on [gather](https://docs.rs/gather): write `#[gather_test::test]` on
//! functions in any module file, call `gather_test::main!()` once at the crate root, and run
//! with `cargo test` or `cargo nextest run`. The command line and output are libtest's.
//!
//! ```toml
//! [[test]]
//! name = "suite"
//! harness = false
//! ```
//!
//! ```ignore
//! // tests/suite.rs
//! gather_test::main!();
//!
//! #[gather_test::test]
//! fn adds() {
//!     assert_eq!(1 + 1, 2);
//! }
//!
//! #[gather_test::test]
//! #[should_panic(expected = "boom")]
//! fn panics() {
//!     panic!("boom");
//! }
//!
//! #[gather_test::test]
//! #[ignore = "slow"]
//! fn slow() -> Result<(), String> {
//!     Ok(())
//! }
//! ```
//!
//! Unit tests of a library work the same way: `[lib] harness = false` and
//! `#[cfg(test)] gather_test::main!();` at the top of `lib.rs`.

pub use gather_harness::{Failure, IntoTestResult};
pub use gather_test_macros::test;

#[doc(hidden)]
pub use gather as __gather;
#[doc(hidden)]
pub use gather_harness as __harness;

/// Declares the test registry and the `main` that runs it with libtest's command line. Call it
/// once, at the crate root of the test target (before `mod` declarations).
#[macro_export]
macro_rules! main {
    () => {
        #[$crate::__gather::registry(attribute = gather_test::test, crate = $crate::__gather)]
        static __GATHER_TEST_TESTS: $crate::__gather::Registry<$crate::__harness::Test>;

        fn main() {
            $crate::__harness::main(__GATHER_TEST_TESTS)
        }
    };
}

/// Runs a test function and adapts what it returns (keeps lints such as `clippy::unit_arg` out of
/// users' code).
#[doc(hidden)]
pub fn __run<R: IntoTestResult>(test: fn() -> R) -> Result<(), Failure> {
    test().into_test_result()
}

/// `module_path!()` without its first segment (the crate), which libtest leaves out of names.
#[doc(hidden)]
pub const fn __test_name(full: &'static str) -> &'static str {
    let bytes = full.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b':' && bytes[i + 1] == b':' {
            return full.split_at(i + 2).1;
        }
        i += 1;
    }
    full
}
