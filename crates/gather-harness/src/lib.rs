//! The part of a test harness that does not depend on how tests are collected: the libtest
//! command line, listing, filtering, running on threads, output capture and libtest's output, for
//! `harness = false` test and bench targets on stable Rust.
//!
//! A framework (gather-test, gather-bench) builds one [`Test`] per test in `const` context, puts
//! them in a `static` registry, and calls [`main`] from the target's `main`:
//!
//! ```no_run
//! use gather_harness::{Failure, IntoTestResult, Test};
//!
//! fn adds() {
//!     assert_eq!(1 + 1, 2);
//! }
//!
//! fn parses() -> Result<(), std::num::ParseIntError> {
//!     "12".parse::<u8>()?;
//!     Ok(())
//! }
//!
//! static TESTS: [Test; 2] = [
//!     Test::new("math::adds", || adds().into_test_result()).at(file!(), 3, 4),
//!     Test::new("parse::parses", || parses().into_test_result()).at(file!(), 7, 4),
//! ];
//!
//! fn main() {
//!     gather_harness::main(&TESTS)
//! }
//! ```
//!
//! It is a drop-in for libtest as far as `cargo test`, `cargo bench` and `cargo nextest` can tell:
//! the same flags (see [`Args`]), the same output lines, exit code 101 on any failure. The
//! differences are listed in [the `capture` module](capture) (what output is captured) and on
//! [`Args`] (flags), and in these points:
//!
//! - `--exact` with names that select no test at all: under cargo-nextest (which runs one test
//!   per process, by a name `--list` gave it) an error, exit code 101, instead of a silent
//!   `0 passed` run that nextest would report as a pass; elsewhere libtest's run of 0 tests
//!   (`cargo test -- --exact a::b` runs every test binary with that filter, and all but one
//!   match nothing), after a note on stderr. See [`Args::allow_no_match`].
//! - `--format json` is accepted without `-Z unstable-options`.
//! - `--bench --test` means "test mode" (benchmarks run once), as in divan and criterion
//!   (`cargo bench -- --test`), where libtest would measure.
//! - a binary built with `panic = "abort"` (wasm32-wasip1 by default) reports `#[should_panic]`
//!   tests as ignored, as libtest does on wasm, and stops at the first panicking test: it prints
//!   that test's result and output, says that the tests after it did not run, and exits with
//!   101 (libtest re-runs itself in a subprocess per test there, where it can).
//!
//! # Without `std`
//!
//! With `default-features = false` (no `std` feature) the crate is `#![no_std]` and needs no
//! allocator: what is left is what a runner on bare metal shares with the hosted one, namely the
//! test descriptors ([`Test`], [`Ignore`], [`ShouldPanic`], [`Kind`]), [`Failure`] and
//! [`IntoTestResult`], the command line's [`words`], the selection [`Criteria`], and the helpers
//! frameworks share ([`without_crate_name`], [`parse_duration`], [`JsonEscaped`],
//! [`FixedText`]). gather-test's bare-metal runner is built on it.
//!
//! The lower-level [`run`] takes parsed [`Args`] and returns a [`Conclusion`] instead of exiting,
//! and takes an optional measuring function for [`Kind::Bench`] items in bench mode, which is how
//! gather-bench reuses the parsing, filtering, listing and reporting here.

#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![warn(missing_docs)]
// Without an allocator a `Failure` carries its message inline: a large `Err`, on purpose.
#![cfg_attr(not(feature = "std"), allow(clippy::result_large_err))]

// Without `std`: the part a bare-metal runner shares.
mod cli;
mod criteria;
mod duration;
mod failure;
mod json;
mod name;
mod test;
mod text;

// With `std`: the hosted runner.
#[cfg(feature = "std")]
mod args;
#[cfg(feature = "std")]
pub mod capture;
#[cfg(feature = "std")]
mod central;
#[cfg(feature = "std")]
mod conclusion;
#[cfg(feature = "std")]
mod execute;
#[cfg(feature = "std")]
mod filter;
#[cfg(feature = "std")]
mod lanes;
#[cfg(feature = "std")]
mod measurement;
#[cfg(feature = "std")]
mod outcome;
#[cfg(feature = "std")]
mod output;
#[cfg(feature = "std")]
mod run;
#[cfg(feature = "std")]
mod runner;

pub use cli::{ExtraOption, RunIgnored, Word, WordError, Words, words};
pub use criteria::Criteria;
pub use duration::parse_duration;
#[cfg(not(feature = "std"))]
pub use failure::FAILURE_CAPACITY;
pub use failure::{Failure, IntoTestResult};
pub use json::JsonEscaped;
pub use name::without_crate_name;
pub use test::{Ignore, Kind, ShouldPanic, Test};
pub use text::{Checkpoint, FixedText};

#[cfg(feature = "std")]
pub use args::{Args, ArgsError, ColorChoice, ExtraValues, Format, Mode};
#[cfg(feature = "std")]
pub use conclusion::{Conclusion, ERROR_EXIT_CODE};
#[cfg(feature = "std")]
pub use filter::{Selected, Selection, select};
#[cfg(feature = "std")]
pub use measurement::Measurement;
#[cfg(feature = "std")]
pub use run::run;
#[cfg(feature = "std")]
pub use runner::Measure;

#[cfg(feature = "std")]
/// Parses `std::env::args()` (and `RUST_TEST_NOCAPTURE`), runs or lists `tests` as libtest would,
/// and exits: 0 on success, 101 ([`ERROR_EXIT_CODE`]) on a failure or a usage error.
pub fn main<I>(tests: I) -> !
where
    I: IntoIterator<Item = &'static Test>,
{
    main_from(&mut tests.into_iter())
}

/// [`main`]'s body, compiled once here (see `run::run_from`).
#[cfg(feature = "std")]
#[inline(never)]
fn main_from(tests: &mut dyn Iterator<Item = &'static Test>) -> ! {
    let args = match Args::from_env() {
        Ok(args) => args,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(ERROR_EXIT_CODE);
        }
    };
    run::run_from(&args, tests, None).exit()
}
