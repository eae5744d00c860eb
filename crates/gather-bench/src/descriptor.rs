//! What `#[bench]` builds for each benchmark: its name, its function and the attribute's
//! settings.

use crate::bencher::{Bencher, Throughput};

/// A benchmark's descriptor, built by `#[bench]` in a `const` and kept in
/// [`gather_harness::Test::data`].
#[doc(hidden)]
pub struct Def {
    pub run: fn(&mut Bencher),
    pub throughput: Option<Throughput>,
    pub samples: Option<u64>,
    pub time_ns: Option<u64>,
    pub warm_up_ns: Option<u64>,
}

impl Def {
    /// The settings of a benchmark written without options: a `run` to be replaced
    /// (`Def { run, ..Def::DEFAULT }`).
    pub const DEFAULT: Def = Def {
        run: |_| {},
        throughput: None,
        samples: None,
        time_ns: None,
        warm_up_ns: None,
    };
}

/// The `Test` of a benchmark without options, what `#[bench]` writes for the common benchmark:
/// a call of a few tokens instead of every field for rustc to parse, per benchmark.
#[doc(hidden)]
pub const fn plain(
    name: &'static str,
    file: &'static str,
    line: u32,
    column: u32,
    def: &'static Def,
) -> gather_harness::Test {
    gather_harness::Test {
        name,
        file,
        line,
        column,
        ignore: gather_harness::Ignore::No,
        should_panic: gather_harness::ShouldPanic::No,
        kind: gather_harness::Kind::Bench,
        run: crate::__once_current,
        data: Some(def),
    }
}
