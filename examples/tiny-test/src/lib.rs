//! A test framework on gather, as small as it gets: `tiny_test::main!()` once at the crate root,
//! `#[tiny_test::test]` on functions in any module file.
//!
//! The whole recipe:
//! 1. `main!()` declares a registry with `attribute = tiny_test::test`: every function carrying
//!    that attribute anywhere in the crate is one of its registrations.
//! 2. The attribute macro (in `tiny-test-macros`) emits the registration with
//!    `gather_scan::registration`, keyed by `gather_scan::attribute_registration()`.
//! 3. `crate = $crate::__gather` lets users depend on the framework alone.

#[doc(hidden)]
pub use gather as __gather;
pub use tiny_test_macros::test;

/// One test, as the attribute registers it.
pub struct Test {
    /// `module::path::name`.
    pub name: &'static str,
    /// The test function.
    pub run: fn(),
}

/// Declares the test registry and `fn main` that runs it. Call once, at the crate root.
#[macro_export]
macro_rules! main {
    () => {
        #[$crate::__gather::registry(attribute = tiny_test::test, crate = $crate::__gather)]
        static __TINY_TESTS: $crate::__gather::Registry<$crate::Test>;

        fn main() {
            $crate::run(__TINY_TESTS)
        }
    };
}

/// Runs every test, each under `catch_unwind`, and exits with 101 if any failed.
pub fn run(tests: gather::Registry<Test>) {
    let mut failed = 0;
    println!("running {} tests", tests.len());
    for test in tests {
        let ok = std::panic::catch_unwind(test.run).is_ok();
        println!(
            "test {} ... {}",
            test.name,
            if ok { "ok" } else { "FAILED" }
        );
        failed += usize::from(!ok);
    }
    println!("{} passed; {} failed", tests.len() - failed, failed);
    if failed > 0 {
        std::process::exit(101);
    }
}
