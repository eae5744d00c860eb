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
//! The lower-level [`run`] takes parsed [`Args`] and returns a [`Conclusion`] instead of exiting,
//! and takes an optional measuring function for [`Kind::Bench`] items in bench mode, which is how
//! gather-bench reuses the parsing, filtering, listing and reporting here.

#![warn(missing_docs)]

mod args;
pub mod capture;
mod filter;
mod output;
mod run;

use std::any::Any;
use std::fmt;

pub use args::{Args, ArgsError, ColorChoice, ExtraOption, ExtraValues, Format, Mode, RunIgnored};
pub use filter::{Selected, Selection, select};
pub use run::{Conclusion, Measure, Measurement, run};

/// Exit code of a run with a failure, an argument error or an I/O error (libtest's).
pub const ERROR_EXIT_CODE: i32 = 101;

/// One test or benchmark. Every field can be set in a `const` or `static` initializer.
#[derive(Clone, Copy)]
pub struct Test {
    /// Full path without the crate name, `mod::path::name`: what filters match, what `--list`
    /// prints and what names the thread the test runs on.
    pub name: &'static str,
    /// Source file of the test function, as `file!()` gives it.
    pub file: &'static str,
    /// 1-based line of the test function's name.
    pub line: u32,
    /// 1-based column of the test function's name.
    pub column: u32,
    /// Whether the test is `#[ignore]`d.
    pub ignore: Ignore,
    /// `#[should_panic]`.
    pub should_panic: ShouldPanic,
    /// Test or benchmark (`--list` prints `: test` or `: benchmark`).
    pub kind: Kind,
    /// Runs the test once. For a [`Kind::Bench`] item, this is the "test mode" run (one
    /// iteration); bench mode calls the [`Measure`] function given to [`run`] instead.
    pub run: fn() -> Result<(), Failure>,
    /// Data for a runner built on this crate, for example a benchmark's descriptor that its
    /// [`Measure`] function downcasts. `None` for plain tests.
    pub data: Option<&'static (dyn Any + Send + Sync)>,
}

impl Test {
    /// A test named `name` (`mod::path::name`), not ignored, not `should_panic`, with no source
    /// location (use [`Test::at`]).
    pub const fn new(name: &'static str, run: fn() -> Result<(), Failure>) -> Test {
        Test {
            name,
            file: "",
            line: 0,
            column: 0,
            ignore: Ignore::No,
            should_panic: ShouldPanic::No,
            kind: Kind::Test,
            run,
            data: None,
        }
    }

    /// Sets the source location (of the function's name: what libtest reports).
    pub const fn at(mut self, file: &'static str, line: u32, column: u32) -> Test {
        self.file = file;
        self.line = line;
        self.column = column;
        self
    }

    /// Sets [`Test::ignore`].
    pub const fn ignore(mut self, ignore: Ignore) -> Test {
        self.ignore = ignore;
        self
    }

    /// Sets [`Test::should_panic`].
    pub const fn should_panic(mut self, should_panic: ShouldPanic) -> Test {
        self.should_panic = should_panic;
        self
    }

    /// Sets [`Test::kind`].
    pub const fn kind(mut self, kind: Kind) -> Test {
        self.kind = kind;
        self
    }

    /// Sets [`Test::data`].
    pub const fn data(mut self, data: &'static (dyn Any + Send + Sync)) -> Test {
        self.data = Some(data);
        self
    }

    /// Whether the test is marked `#[ignore]` (with or without a reason).
    pub const fn is_ignored(&self) -> bool {
        !matches!(self.ignore, Ignore::No)
    }
}

impl fmt::Debug for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Test")
            .field("name", &self.name)
            .field("file", &self.file)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("ignore", &self.ignore)
            .field("should_panic", &self.should_panic)
            .field("kind", &self.kind)
            .field("data", &self.data.is_some())
            .finish_non_exhaustive()
    }
}

/// `#[ignore]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignore {
    /// Runs normally.
    No,
    /// `#[ignore]`: runs only with `--ignored` or `--include-ignored`.
    Yes,
    /// `#[ignore = "reason"]`: like [`Ignore::Yes`], and the reason is printed
    /// (`test x ... ignored, reason`).
    Reason(&'static str),
}

impl Ignore {
    /// The reason, if any.
    pub const fn reason(self) -> Option<&'static str> {
        match self {
            Ignore::Reason(reason) => Some(reason),
            _ => None,
        }
    }
}

/// `#[should_panic]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShouldPanic {
    /// The test passes if it returns normally.
    No,
    /// The test passes if it panics.
    Yes,
    /// `#[should_panic(expected = "…")]`: the test passes if it panics with a string message
    /// that contains this.
    YesWithMessage(&'static str),
}

/// What `--list` calls the item, and how bench mode treats it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A test: listed as `name: test`; reported as ignored in bench mode (as libtest does).
    Test,
    /// A benchmark: listed as `name: benchmark`; run once in test mode, measured in bench mode.
    Bench,
}

/// Why a test failed without panicking: the error a test function returned.
///
/// The runner prints it as `Error: {failure:?}` into the test's output, as `std` does for a
/// `main` that returns an error. Its `Debug` output is the message as given, without quotes.
pub struct Failure {
    message: String,
}

impl Failure {
    /// A failure that prints as `Error: <message>`.
    pub fn new(message: impl fmt::Display) -> Failure {
        Failure {
            message: message.to_string(),
        }
    }

    /// A failure from an error, printed with its `Debug` implementation, as libtest does for a
    /// test returning `Err(error)`.
    pub fn from_error(error: &dyn fmt::Debug) -> Failure {
        Failure {
            message: format!("{error:?}"),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a test function may return: `()` or `Result<(), E: Debug>`. A framework's macro adapts
/// the user's function with `|| user_fn().into_test_result()`.
pub trait IntoTestResult {
    /// Converts the return value.
    fn into_test_result(self) -> Result<(), Failure>;
}

impl IntoTestResult for () {
    #[inline]
    fn into_test_result(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl<E: fmt::Debug> IntoTestResult for Result<(), E> {
    #[inline]
    fn into_test_result(self) -> Result<(), Failure> {
        self.map_err(|error| Failure::from_error(&error))
    }
}

/// Parses `std::env::args()` (and `RUST_TEST_NOCAPTURE`), runs or lists `tests` as libtest would,
/// and exits: 0 on success, 101 ([`ERROR_EXIT_CODE`]) on a failure or a usage error.
pub fn main<I>(tests: I) -> !
where
    I: IntoIterator<Item = &'static Test>,
{
    let args = match Args::from_env() {
        Ok(args) => args,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(ERROR_EXIT_CODE);
        }
    };
    run(&args, tests, None).exit()
}
