//! Which tests the command line selects: the filters, `--exact`, `--skip`, `--ignored` and
//! `--exclude-should-panic`, as libtest's `filter_tests` applies them. Shared by the hosted
//! [`select`](crate::select()) and gather-test's bare-metal runner.

use crate::cli::RunIgnored;
use crate::test::{ShouldPanic, Test};

/// What a command line selects tests by, borrowed from it (`S` is `String` for the hosted
/// [`Args`](crate::Args), `&str` for a runner that keeps the arguments in place).
#[derive(Debug)]
pub struct Criteria<'a, S> {
    /// Positional filters (OR'd).
    pub filters: &'a [S],
    /// `--skip` filters.
    pub skip: &'a [S],
    /// `--exact`: filters and `--skip` must equal the whole name.
    pub exact: bool,
    /// `--ignored` / `--include-ignored`.
    pub run_ignored: RunIgnored,
    /// `--exclude-should-panic`.
    pub exclude_should_panic: bool,
}

impl<S: AsRef<str>> Criteria<'_, S> {
    /// Whether `name` matches a filter or `--skip` value: equals it with `--exact`, else
    /// contains it.
    pub fn name_matches(&self, name: &str, pattern: &str) -> bool {
        if self.exact {
            name == pattern
        } else {
            name.contains(pattern)
        }
    }

    /// Whether the positional filters let `name` through: there are none, or one matches.
    pub fn passes_filters(&self, name: &str) -> bool {
        self.filters.is_empty()
            || self
                .filters
                .iter()
                .any(|filter| self.name_matches(name, filter.as_ref()))
    }

    /// Whether a test the filters let through stays selected: not `--skip`ped, not excluded
    /// by `--exclude-should-panic`, and `#[ignore]`d if `--ignored`.
    pub fn keeps(&self, test: &Test) -> bool {
        let skipped = self
            .skip
            .iter()
            .any(|skip| self.name_matches(test.name, skip.as_ref()));
        let excluded = self.exclude_should_panic && test.should_panic != ShouldPanic::No;
        let ignored_wanted = self.run_ignored != RunIgnored::Only || test.is_ignored();
        !skipped && !excluded && ignored_wanted
    }

    /// Whether the command line selects `test`.
    pub fn selects(&self, test: &Test) -> bool {
        self.passes_filters(test.name) && self.keeps(test)
    }

    /// Whether a selected test is reported as ignored instead of run: it is `#[ignore]`d, and
    /// neither `--ignored` nor `--include-ignored` was given.
    pub fn reports_ignored(&self, test: &Test) -> bool {
        test.is_ignored() && self.run_ignored == RunIgnored::No
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

    const PLAIN: Test = Test::new("a::plain", ok);
    const IGNORED: Test = Test::new("a::ignored", ok).ignore(Ignore::Yes);
    const PANICS: Test = Test::new("b::panics", ok).should_panic(ShouldPanic::Yes);

    fn criteria<'a>(filters: &'a [&'a str], skip: &'a [&'a str]) -> Criteria<'a, &'a str> {
        Criteria {
            filters,
            skip,
            exact: false,
            run_ignored: RunIgnored::No,
            exclude_should_panic: false,
        }
    }

    #[test]
    fn filters_match_substrings_or_whole_names() {
        let c = criteria(&["plain", "zzz"], &[]);
        assert!(c.selects(&PLAIN) && !c.selects(&PANICS));
        assert!(criteria(&[], &[]).selects(&PANICS));
        let exact = Criteria {
            exact: true,
            ..criteria(&["plain", "b::panics"], &[])
        };
        assert!(!exact.selects(&PLAIN) && exact.selects(&PANICS));
    }

    #[test]
    fn skip_excludes_after_the_filters() {
        let c = criteria(&["a::"], &["ign"]);
        assert!(c.selects(&PLAIN) && !c.selects(&IGNORED));
        let exact = Criteria {
            exact: true,
            ..criteria(&[], &["ign"])
        };
        assert!(
            exact.selects(&IGNORED),
            "--exact --skip needs the whole name"
        );
    }

    #[test]
    fn ignored_and_should_panic_marks() {
        let only = Criteria {
            run_ignored: RunIgnored::Only,
            ..criteria(&[], &[])
        };
        assert!(only.selects(&IGNORED) && !only.selects(&PLAIN));
        assert!(!only.reports_ignored(&IGNORED));
        let default = criteria(&[], &[]);
        assert!(default.reports_ignored(&IGNORED) && !default.reports_ignored(&PLAIN));
        let also = Criteria {
            run_ignored: RunIgnored::Yes,
            ..criteria(&[], &[])
        };
        assert!(also.selects(&IGNORED) && !also.reports_ignored(&IGNORED));
        let no_panics = Criteria {
            exclude_should_panic: true,
            ..criteria(&[], &[])
        };
        assert!(!no_panics.selects(&PANICS) && no_panics.selects(&PLAIN));
    }
}
