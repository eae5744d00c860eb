//! The part of libtest's command line that the bare-metal runner takes, kept where it is (no
//! allocator): up to 16 filters and 16 `--skip` values. The words are split by gather-harness,
//! as for the hosted runner.

use core::fmt;

use gather_harness::{Criteria, RunIgnored, Test, Word, WordError, words};

const MAX_FILTERS: usize = 16;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Args<'a> {
    filters: [&'a str; MAX_FILTERS],
    filter_count: usize,
    skips: [&'a str; MAX_FILTERS],
    skip_count: usize,
    pub exact: bool,
    pub list: bool,
    pub help: bool,
    /// `-q` or `--format terse`, whichever of it and `--format pretty` comes last.
    pub terse: bool,
    /// `--bench` without a later `--test`: every test is reported as ignored, as libtest does.
    pub bench: bool,
    pub run_ignored: RunIgnored,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ArgsError<'a> {
    Word(WordError<'a>),
    BadFormat(&'a str),
    TooMany,
}

impl fmt::Display for ArgsError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgsError::Word(error) => error.fmt(f),
            ArgsError::BadFormat(v) => write!(
                f,
                "argument for --format must be pretty or terse (was {v}); json is not supported on bare metal"
            ),
            ArgsError::TooMany => write!(f, "more than {MAX_FILTERS} filters or --skip values"),
        }
    }
}

impl<'a> Args<'a> {
    /// Parses the words after the program name. Semihosting joins arguments with single spaces,
    /// so the caller splits the command line at spaces; empty words (empty arguments) are
    /// dropped here.
    pub(crate) fn parse(args: impl Iterator<Item = &'a str>) -> Result<Args<'a>, ArgsError<'a>> {
        let mut parsed = Args {
            filters: [""; MAX_FILTERS],
            filter_count: 0,
            skips: [""; MAX_FILTERS],
            skip_count: 0,
            exact: false,
            list: false,
            help: false,
            terse: false,
            bench: false,
            run_ignored: RunIgnored::No,
        };
        for word in words(args.filter(|word| !word.is_empty()), &[]) {
            let (name, value) = match word.map_err(ArgsError::Word)? {
                Word::Filter(filter) => {
                    push(&mut parsed.filters, &mut parsed.filter_count, filter)?;
                    continue;
                }
                Word::Short { flag: 'h', .. } => ("help", None),
                Word::Short { flag: 'q', .. } => ("quiet", None),
                // `-Z unstable-options`: nothing here needs it.
                Word::Short { .. } => continue,
                Word::Long { name, value, .. } => (name, value),
            };
            let value = value.unwrap_or_default();
            match name {
                "exact" => parsed.exact = true,
                "list" => parsed.list = true,
                "help" => parsed.help = true,
                "quiet" => parsed.terse = true,
                "bench" => parsed.bench = true,
                "test" => parsed.bench = false,
                "ignored" => parsed.run_ignored = RunIgnored::Only,
                "include-ignored" => parsed.run_ignored = RunIgnored::Yes,
                "skip" => push(&mut parsed.skips, &mut parsed.skip_count, value)?,
                "format" => match value {
                    "pretty" => parsed.terse = false,
                    "terse" => parsed.terse = true,
                    other => return Err(ArgsError::BadFormat(other)),
                },
                // Accepted for compatibility: nothing is captured, timed, shuffled or run in
                // parallel here, and there is no color.
                "nocapture"
                | "no-capture"
                | "show-output"
                | "report-time"
                | "ensure-time"
                | "force-run-in-process"
                | "shuffle"
                | "shuffle-seed"
                | "test-threads"
                | "color" => {}
                // `--fail-fast`, `--exclude-should-panic`, `--logfile`: not supported here.
                other => return Err(ArgsError::Word(WordError::Unrecognized(other))),
            }
        }
        Ok(parsed)
    }

    /// What the filters, `--exact`, `--skip` and `--ignored` select tests by.
    pub(crate) fn criteria(&self) -> Criteria<'_, &'a str> {
        Criteria {
            filters: &self.filters[..self.filter_count],
            skip: &self.skips[..self.skip_count],
            exact: self.exact,
            run_ignored: self.run_ignored,
            exclude_should_panic: false,
        }
    }

    /// Whether a selected test is reported as ignored instead of run.
    pub(crate) fn reports_ignored(&self, test: &Test) -> bool {
        self.bench || self.criteria().reports_ignored(test)
    }
}

fn push<'a>(
    to: &mut [&'a str; MAX_FILTERS],
    count: &mut usize,
    word: &'a str,
) -> Result<(), ArgsError<'a>> {
    let slot = to.get_mut(*count).ok_or(ArgsError::TooMany)?;
    *slot = word;
    *count += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gather_harness::{Failure, Ignore};

    fn parse(line: &'static str) -> Result<Args<'static>, ArgsError<'static>> {
        Args::parse(line.split(' '))
    }

    fn ok() -> Result<(), Failure> {
        Ok(())
    }

    #[test]
    fn parses_what_cargo_and_ides_pass() {
        let a =
            parse("a::b --exact --nocapture  c --skip=d --format terse --test-threads 1").unwrap();
        assert_eq!(a.criteria().filters, ["a::b", "c"]);
        assert_eq!(a.criteria().skip, ["d"]);
        assert!(a.exact && a.terse && !a.list);
        let a = parse("--list --format=terse --ignored").unwrap();
        assert!(a.list && a.terse);
        assert_eq!(a.run_ignored, RunIgnored::Only);
        assert_eq!(
            parse("--include-ignored").unwrap().run_ignored,
            RunIgnored::Yes
        );
        assert!(!parse("-q --format pretty").unwrap().terse);
        assert!(parse("-Z unstable-options -q").unwrap().terse);
        assert!(!parse("--bench --test").unwrap().bench);
    }

    #[test]
    fn rejects_what_it_cannot_do() {
        let error = |line| parse(line).unwrap_err().to_string();
        assert_eq!(error("--frobnicate"), "Unrecognized option: 'frobnicate'");
        assert_eq!(error("--fail-fast"), "Unrecognized option: 'fail-fast'");
        assert_eq!(
            parse("--format json").unwrap_err(),
            ArgsError::BadFormat("json")
        );
        assert_eq!(error("--skip"), "Argument to option 'skip' missing");
        let too_many: &'static str = "x ".repeat(MAX_FILTERS + 1).leak();
        assert_eq!(parse(too_many).unwrap_err(), ArgsError::TooMany);
        assert!(parse("--help").unwrap().help);
    }

    #[test]
    fn selects_as_the_hosted_runner_does() {
        let plain = Test::new("m::plain", ok);
        let ignored = Test::new("m::slow", ok).ignore(Ignore::Yes);
        let args = parse("m:: --skip plain").unwrap();
        assert!(!args.criteria().selects(&plain) && args.criteria().selects(&ignored));
        assert!(args.reports_ignored(&ignored) && !args.reports_ignored(&plain));
        let bench = parse("--bench").unwrap();
        assert!(
            bench.reports_ignored(&plain),
            "bench mode reports tests as ignored"
        );
    }
}
