//! Selecting the tests a run or a listing covers.

use crate::args::Args;
use crate::test::{ShouldPanic, Test};

/// A selected test.
#[derive(Clone, Copy, Debug)]
pub struct Selected {
    /// The test.
    pub test: &'static Test,
    /// Whether it is reported as ignored instead of run: `#[ignore]` without `--ignored` or
    /// `--include-ignored`. (In bench mode, tests are also reported as ignored; see
    /// [`Mode`](crate::Mode).)
    pub ignored: bool,
}

/// The tests selected by the filters of [`Args`], sorted by name as libtest runs them.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Selected tests, sorted by name.
    pub tests: Vec<Selected>,
    /// How many tests there were in all.
    pub total: usize,
    /// How many were left out (`total - tests.len()`).
    pub filtered_out: usize,
    /// `--exact` with filters that selected nothing: a likely typo, or a list that disagrees with
    /// the binary. [`run`](crate::run()) treats it as an error unless [`Args::allow_no_match`].
    pub exact_matched_nothing: bool,
}

impl Selection {
    /// If `--exact` selected nothing, says so on stderr, naming the items `noun`s ("test",
    /// "benchmark"): an error, or a note if [`Args::allow_no_match`]. Returns whether the run
    /// must end there with an error.
    pub fn exact_no_match_is_error(&self, args: &Args, noun: &str) -> bool {
        if !self.exact_matched_nothing {
            return false;
        }
        let names: Vec<String> = args.filters.iter().map(|f| format!("`{f}`")).collect();
        let (what, tail) = if args.allow_no_match {
            ("note", "")
        } else {
            ("error", "; run it with `--list` to see them")
        };
        eprintln!(
            "{what}: no {noun} is named {} (--exact); this binary has {} {noun}{}{tail}",
            names.join(", "),
            self.total,
            if self.total == 1 { "" } else { "s" },
        );
        !args.allow_no_match
    }
}

/// Applies the filters, `--exact`, `--skip`, `--ignored`/`--include-ignored` and
/// `--exclude-should-panic` of `args` to `tests`, as libtest's `filter_tests` does.
///
/// The rules are [`Criteria`](crate::Criteria)'s. With `--exact`, each filter is looked up by
/// binary search in the sorted names, so running one
/// test out of N (what nextest does, once per test) costs O(N log N) for the sort and
/// O(log N) per filter, not O(N) string comparisons per filter.
pub fn select<I>(args: &Args, tests: I) -> Selection
where
    I: IntoIterator<Item = &'static Test>,
{
    select_from(args, &mut tests.into_iter())
}

/// [`select`]'s body, not generic: compiled once, in this crate (see `run::run_from`).
#[inline(never)]
pub(crate) fn select_from(
    args: &Args,
    tests: &mut dyn Iterator<Item = &'static Test>,
) -> Selection {
    let mut all: Vec<&'static Test> = tests.collect();
    let total = all.len();
    // Registries come in source order; sort unless already sorted (a stable sort keeps
    // duplicates in registration order).
    if !all.is_sorted_by(|a, b| a.name <= b.name) {
        all.sort_by(|a, b| a.name.cmp(b.name));
    }

    let criteria = args.criteria();
    let mut chosen: Vec<&'static Test> = if args.filters.is_empty() {
        all
    } else if args.exact {
        let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(args.filters.len());
        for filter in &args.filters {
            let start = all.partition_point(|t| t.name < filter.as_str());
            let end = start + all[start..].partition_point(|t| t.name == filter.as_str());
            if start < end {
                ranges.push((start, end));
            }
        }
        ranges.sort_unstable();
        ranges.dedup();
        ranges
            .into_iter()
            .flat_map(|(s, e)| all[s..e].iter().copied())
            .collect()
    } else {
        all.retain(|t| criteria.passes_filters(t.name));
        all
    };
    let exact_matched_nothing = args.exact && !args.filters.is_empty() && chosen.is_empty();

    chosen.retain(|t| criteria.keeps(t));
    let tests: Vec<Selected> = chosen
        .into_iter()
        .map(|test| Selected {
            test,
            // Without unwinding, a `should_panic` test would end the whole run, pass or fail:
            // reported as ignored, as libtest does on wasm.
            ignored: criteria.reports_ignored(test)
                || (cfg!(panic = "abort") && test.should_panic != ShouldPanic::No),
        })
        .collect();
    Selection {
        filtered_out: total - tests.len(),
        total,
        tests,
        exact_matched_nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::Failure;
    use crate::test::Ignore;

    fn ok() -> Result<(), Failure> {
        Ok(())
    }

    static TESTS: [Test; 6] = [
        Test::new("b::two", ok),
        Test::new("a::one", ok),
        Test::new("c::ignored", ok).ignore(Ignore::Yes),
        Test::new("a::one_more", ok),
        Test::new("d::panics", ok).should_panic(ShouldPanic::Yes),
        Test::new("a", ok),
    ];

    fn names(args: &str) -> (Vec<(&'static str, bool)>, usize, bool) {
        let args = Args::parse(args.split_whitespace()).unwrap();
        let s = select(&args, &TESTS);
        (
            s.tests.iter().map(|t| (t.test.name, t.ignored)).collect(),
            s.filtered_out,
            s.exact_matched_nothing,
        )
    }

    #[test]
    fn sorted_and_all() {
        let (n, out, _) = names("");
        let n: Vec<_> = n.into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            n,
            [
                "a",
                "a::one",
                "a::one_more",
                "b::two",
                "c::ignored",
                "d::panics"
            ]
        );
        assert_eq!(out, 0);
    }

    #[test]
    fn substring_or() {
        let (n, out, _) = names("one two");
        assert_eq!(
            n,
            [("a::one", false), ("a::one_more", false), ("b::two", false)]
        );
        assert_eq!(out, 3);
    }

    #[test]
    fn exact() {
        let (n, _, none) = names("--exact a::one d::panics zzz");
        assert_eq!(n, [("a::one", false), ("d::panics", false)]);
        assert!(!none);
        let (n, out, none) = names("--exact a::on");
        assert!(n.is_empty() && none);
        assert_eq!(out, 6);
        let (n, _, _) = names("--exact a a");
        assert_eq!(n, [("a", false)]);
    }

    #[test]
    fn skip() {
        let (n, _, _) = names("a --skip more --skip two");
        assert_eq!(n, [("a", false), ("a::one", false), ("d::panics", false)]);
        let (n, _, _) = names("a --exact --skip a::one");
        assert_eq!(n, [("a", false)]);
        let (n, _, none) = names("--exact a --skip a");
        assert!(n.is_empty() && !none, "matched, then skipped: not a typo");
    }

    #[test]
    fn ignored() {
        assert_eq!(names("c::").0, [("c::ignored", true)]);
        assert_eq!(names("--ignored").0, [("c::ignored", false)]);
        assert_eq!(names("--include-ignored c::").0, [("c::ignored", false)]);
        let (n, _, _) = names("-Z unstable-options --exclude-should-panic d c");
        assert_eq!(n, [("c::ignored", true)]);
    }
}
