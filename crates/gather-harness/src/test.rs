//! What a framework registers per test: the descriptor and its `#[ignore]`, `#[should_panic]`
//! and kind. `no_std`: the bare-metal runner of gather-test registers the same descriptors.

use core::any::Any;
use core::fmt;

use crate::failure::Failure;

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
    /// iteration); bench mode calls the [`Measure`](crate::Measure) function given to
    /// [`run`](crate::run()) instead.
    pub run: fn() -> Result<(), Failure>,
    /// Data for a runner built on this crate, for example a benchmark's descriptor that its
    /// [`Measure`](crate::Measure) function downcasts. `None` for plain tests.
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
