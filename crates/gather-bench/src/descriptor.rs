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

/// What `#[bench]` registers, one per attribute: `(name, file, line, column, run, tests)`.
///
/// A benchmark without options is the first five, a tuple of literals and the function: rustc
/// resolves, evaluates and checks nothing more per benchmark than for a plain `register!` of a
/// `(name, function)` pair (a `Test` and a `Def` built in each registration's constant cost
/// about half of a 10,000-benchmark build again). [`tests`] builds its `Test` when the bench
/// target starts. A benchmark with options gives its `Test`s (one per argument of `args`) in
/// `tests`, and its first five fields are unused.
#[doc(hidden)]
pub type Entry = (
    &'static str,
    &'static str,
    u32,
    u32,
    fn(&mut Bencher),
    Option<&'static [gather_harness::Test]>,
);

/// The `tests` of a plain entry: a short path for each benchmark's constant to name.
#[doc(hidden)]
pub const PLAIN: Option<&'static [gather_harness::Test]> = None;

/// The `run` of an entry that gives its tests.
#[doc(hidden)]
pub fn no_run(_: &mut Bencher) {}

/// The tests of the registered entries, in their order: the given ones as they are, and for
/// each plain entry a `Test` with its `Def`, built once and kept for the rest of the run.
pub(crate) fn tests(
    entries: &'static gather::Registry<Entry>,
) -> Vec<&'static gather_harness::Test> {
    let plain = |e: &&'static Entry| e.5.is_none();
    let defs: &'static [Def] = Vec::leak(
        entries
            .iter()
            .filter(plain)
            .map(|e| Def {
                run: e.4,
                ..Def::DEFAULT
            })
            .collect(),
    );
    let built: &'static [gather_harness::Test] = Vec::leak(
        entries
            .iter()
            .filter(plain)
            .zip(defs)
            .map(
                |(&(name, file, line, column, ..), def)| gather_harness::Test {
                    name,
                    file,
                    line,
                    column,
                    ignore: gather_harness::Ignore::No,
                    should_panic: gather_harness::ShouldPanic::No,
                    kind: gather_harness::Kind::Bench,
                    run: crate::__once_current,
                    data: Some(def),
                },
            )
            .collect(),
    );
    let mut built = built.iter();
    let mut tests = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry.5 {
            Some(given) => tests.extend(given),
            None => tests.extend(built.next()),
        }
    }
    tests
}
