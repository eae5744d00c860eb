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
//!
//! Tests that other crates' macros write: `proptest! { #[gather_test::test] fn .. }`; rstest
//! with `#[gather_test::test]` as the function's last attribute, after its `#[case]`s (rstest
//! then puts it on each case); quickcheck's `quickcheck!` and `#[quickcheck]` with
//! `use gather_test::test;` in the invoking module. Written otherwise (and test-case's
//! `#[test_case]`, which always writes libtest's `#[test]`, and another crate's attribute named
//! `test`, such as `#[tokio::test]`), each is a compile error that says
//! what to write, as is a libtest `#[test]`: under `harness = false` rustc would leave those
//! tests out in silence. An attribute macro above `#[gather_test::test]` may copy the function
//! (each copy runs) or remove it (then it is not there, as under libtest).
//!
//! # Bare metal (`no_std`, `target_os = "none"`)
//!
//! The same attributes work in a `#![no_std]` crate on Cortex-M, where libtest cannot run:
//! `cargo test --target thumbv7m-none-eabi` builds the tests and runs them under QEMU (or on a
//! board, through a debug probe) with ARM semihosting for output, arguments and the exit code.
//! Tests run one after the other in one boot, sorted by name; a panic fails the test under way
//! (or passes it, if it is `#[should_panic]`) and the run goes on with the next test on a fresh
//! stack, so one failing test never hides the others. Filters, `--exact`, `--skip`, `--list`,
//! `--ignored`, `--include-ignored` and `-q`/`--format terse` work as with libtest; the output
//! ends with libtest's `test result:` line and the exit code is 0 or 101. No allocator is
//! needed. What a test prints itself is not captured; what the `failures:` section shows
//! (panic messages, `Err` values) is kept in a 4 KiB buffer. Setup:
//!
//! - the test crate: `#![no_std]` and `#![no_main]` (for unit tests in `lib.rs`:
//!   `#![cfg_attr(all(test, target_os = "none"), no_main)]`), `gather_test::main!()` as on the
//!   host; it declares the `#[panic_handler]` and a `#[cortex_m_rt::entry]` function
//!   (`gather_test::main!(entry = other_rt::entry)` names another entry attribute);
//! - `Cargo.toml`: `[target.'cfg(target_os = "none")'.dev-dependencies] cortex-m-rt = "0.7"`;
//! - `memory.x` and a `build.rs` that puts it on the link search path and passes
//!   `cargo:rustc-link-arg=-Tlink.x` (not `-bins`: test binaries need it);
//! - `.cargo/config.toml`: `[target.thumbv7m-none-eabi] runner = "path/to/qemu-arm.sh"`, the
//!   script in this crate's `runner/` directory, which passes the test binary's arguments to
//!   QEMU's semihosting.
//!
//! `tests/fixtures/gt-nostd` in the repository is a complete example. On wasm32-wasip1 (std,
//! no threads, `panic = "abort"`) the hosted runner runs tests one after the other, reports
//! `#[should_panic]` tests as ignored, as libtest does on wasm, and stops at the first panic
//! with that test's output and exit code 101.

#![cfg_attr(target_os = "none", no_std)]

pub use gather_harness::{Failure, IntoTestResult};
#[doc(hidden)]
pub use gather_test_macros::__builtin_tests;
pub use gather_test_macros::test;

#[cfg(target_os = "none")]
#[doc(hidden)]
pub use baremetal as __harness;
#[doc(hidden)]
pub use gather as __gather;
#[cfg(not(target_os = "none"))]
#[doc(hidden)]
pub use gather_harness as __harness;

#[cfg(any(target_os = "none", test))]
#[doc(hidden)]
pub mod baremetal;

/// Declares the test registry and the `main` that runs it with libtest's command line. Call it
/// once, at the crate root of the test target (before `mod` declarations).
///
/// On bare-metal targets (`target_os = "none"`) it also declares the `#[panic_handler]` and the
/// entry function, `#[cortex_m_rt::entry]` unless another entry attribute is given:
/// `gather_test::main!(entry = my_rt::entry)`. The crate then needs `#![no_std]` and
/// `#![no_main]` (for unit tests: `#![cfg_attr(test, no_main)]`).
///
/// Tests that the scan cannot place (written by `macro_rules!` macros, copied by attribute
/// macros such as rstest's `#[rstest]`) take the registry's overflow slots, 2048 by default
/// (the 2048 cost a clean dev build about 0.1 s): `gather_test::main!(overflow = 8192)` makes
/// room for more.
#[cfg(not(target_os = "none"))]
#[macro_export]
macro_rules! main {
    (@hosted $($option:tt)*) => {
        #[$crate::__gather::registry(
            attribute = gather_test::test,
            crate = $crate::__gather
            $($option)*
        )]
        static __GATHER_TEST_TESTS: $crate::__gather::Registry<$crate::__harness::Test>;

        // libtest's `#[test]`s would be left out in silence under `harness = false`.
        $crate::__builtin_tests!();

        fn main() {
            $crate::__harness::main(__GATHER_TEST_TESTS)
        }

        // Only libtest's harness (a target without `harness = false`) compiles `#[test]` items,
        // and it runs none of the gather tests: this one fails and says why, so that the run is
        // never an empty "ok". (The builtin attribute by its full path: `test` may name gather's.)
        #[::core::prelude::v1::test]
        fn gather_test_needs_harness_false() {
            ::core::panic!(
                "this target uses gather-test (`gather_test::main!()`), but it is built with libtest's harness, \
                 which runs none of its tests: add `harness = false` to its `[[test]]` section in Cargo.toml \
                 (`[lib] harness = false` for a library's unit tests)"
            );
        }
    };
    ($(entry = $entry:path)?) => {
        $crate::main!(@hosted , overflow = 2048);
    };
    ($(entry = $entry:path,)? overflow = $overflow:literal) => {
        $crate::main!(@hosted , overflow = $overflow);
    };
}

/// Declares the test registry, the entry function that runs it and the panic handler (the
/// bare-metal form; see the documentation of the hosted form).
#[cfg(target_os = "none")]
#[macro_export]
macro_rules! main {
    () => {
        $crate::main!(entry = ::cortex_m_rt::entry, overflow = 2048);
    };
    (overflow = $overflow:literal) => {
        $crate::main!(entry = ::cortex_m_rt::entry, overflow = $overflow);
    };
    (entry = $entry:path) => {
        $crate::main!(entry = $entry, overflow = 2048);
    };
    (entry = $entry:path, overflow = $overflow:literal) => {
        #[$crate::__gather::registry(
                                                                    attribute = gather_test::test,
                                                                    crate = $crate::__gather,
                                                                    overflow = $overflow
                                                                )]
        static __GATHER_TEST_TESTS: $crate::__gather::Registry<$crate::__harness::Test>;

        $crate::__builtin_tests!();

        #[panic_handler]
        fn __gather_test_panic(info: &::core::panic::PanicInfo<'_>) -> ! {
            $crate::__harness::panicked(info)
        }

        #[$entry]
        fn __gather_test_main() -> ! {
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
pub use gather_harness::without_crate_name as __test_name;
