//! The libtest command line, parsed by hand the way libtest's `getopts` does.

use std::ffi::OsString;
use std::fmt;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use crate::cli::{ExtraOption, RunIgnored, Word, words};
use crate::criteria::Criteria;

/// The parsed command line.
///
/// Flags, as libtest 1.95 (`library/test/src/cli.rs`) takes them:
///
/// | flag | meaning |
/// |---|---|
/// | `FILTER...` | run tests whose name contains any of the filters |
/// | `--exact` | filters and `--skip` must equal the whole name |
/// | `--skip FILTER` | repeatable; skip tests whose name contains (or, with `--exact`, is) it |
/// | `--ignored`, `--include-ignored` | run only ignored tests, or ignored ones too (exclusive) |
/// | `--list` | list, with the filters, `--ignored` and `--format` applied |
/// | `--format pretty\|terse\|json`, `-q`/`--quiet` | output format (`-q` = terse); json needs no `-Z` here |
/// | `--no-capture`, `--nocapture` | don't capture output (also `RUST_TEST_NOCAPTURE` ≠ `0`) |
/// | `--show-output` | print the captured output of passing tests too |
/// | `--test-threads N` | threads (else `RUST_TEST_THREADS`, else available parallelism) |
/// | `--color auto\|always\|never` | |
/// | `--test`, `--bench` | mode: see [`Mode`] |
/// | `--logfile PATH` | deprecated in libtest: warns and is otherwise ignored |
/// | `-Z unstable-options` | accepted; enables `--fail-fast`, `--exclude-should-panic`, `--report-time`, `--force-run-in-process` (no-op) |
/// | `-h`, `--help` | usage |
///
/// `--shuffle`, `--shuffle-seed`, `--ensure-time` and `--format junit` are rejected with an error.
/// Options are accepted as `--name value` or `--name=value`; options other than `--skip` may be
/// given once; `--` ends the options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// Positional filters (OR'd).
    pub filters: Vec<String>,
    /// `--exact`.
    pub exact: bool,
    /// `--skip` filters.
    pub skip: Vec<String>,
    /// `--ignored` / `--include-ignored`.
    pub run_ignored: RunIgnored,
    /// `--list`.
    pub list: bool,
    /// `--test` was given.
    pub test: bool,
    /// `--bench` was given.
    pub bench: bool,
    /// `--format`, `-q`.
    pub format: Format,
    /// `--no-capture`, `--nocapture`, or `RUST_TEST_NOCAPTURE` (read by [`Args::from_env`]).
    pub nocapture: bool,
    /// `--show-output`.
    pub show_output: bool,
    /// `--test-threads`. `None`: `RUST_TEST_THREADS`, else the available parallelism, read when
    /// the tests run.
    pub test_threads: Option<NonZeroUsize>,
    /// `--color`.
    pub color: ColorChoice,
    /// `--logfile` (ignored apart from a warning).
    pub logfile: Option<PathBuf>,
    /// `-Z unstable-options`.
    pub unstable_options: bool,
    /// `--fail-fast` (needs `-Z unstable-options`): start no test after the first failure.
    pub fail_fast: bool,
    /// `--exclude-should-panic` (needs `-Z unstable-options`).
    pub exclude_should_panic: bool,
    /// `--report-time` (needs `-Z unstable-options`): print each test's time.
    pub report_time: bool,
    /// `-h`, `--help`: [`run`](crate::run()) prints the usage and does nothing else.
    pub help: bool,
    /// Not a flag: when `false`, `--exact` with filters that select no test is an error (exit
    /// code 101); when `true`, the run goes on as libtest's does (`running 0 tests`, exit code 0)
    /// after a note on stderr. [`Args::parse`] leaves it `false`; [`Args::from_env`] sets it to
    /// `true` unless the binary runs under cargo-nextest (environment variable `NEXTEST`), which
    /// runs one test per process by the name `--list` gave it, so that a name that matches
    /// nothing there is a real disagreement, never a pass. A plain `cargo test -- --exact a::b`
    /// runs every test binary of the package with the same filter, and all but one match nothing.
    pub allow_no_match: bool,
}

/// `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// One line per test.
    #[default]
    Pretty,
    /// One character per test; `--list` prints only the `name: kind` lines.
    Terse,
    /// libtest's JSON event lines.
    Json,
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and output is captured.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What a run does with tests and benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// No `--bench`, or `--bench --test` (`cargo test`, `cargo bench -- --test`): tests run and
    /// benchmarks run once, as tests.
    Test,
    /// `--bench` alone (`cargo bench`): benchmarks are measured, tests are reported as ignored.
    Bench,
}

/// A command-line error. `main` prints it as `error: {error}` and exits with code 101.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgsError(String);

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArgsError {}

fn err<T>(message: impl Into<String>) -> Result<T, ArgsError> {
    Err(ArgsError(message.into()))
}

/// The extra options found by [`Args::parse_with`], in command-line order: name and value.
pub type ExtraValues = Vec<(&'static str, Option<String>)>;

impl Args {
    /// Parses `std::env::args_os()` (skipping the program name) and applies
    /// `RUST_TEST_NOCAPTURE`.
    pub fn from_env() -> Result<Args, ArgsError> {
        Ok(Args::from_env_with(&[])?.0)
    }

    /// [`Args::from_env`] with options of the calling harness; see [`Args::parse_with`].
    pub fn from_env_with(extra: &[ExtraOption]) -> Result<(Args, ExtraValues), ArgsError> {
        let (mut args, values) = Args::parse_with(std::env::args_os().skip(1), extra)?;
        args.allow_no_match = std::env::var_os("NEXTEST").is_none();
        if !args.nocapture {
            args.nocapture = std::env::var_os("RUST_TEST_NOCAPTURE").is_some_and(|v| v != "0");
        }
        Ok((args, values))
    }

    /// Parses command-line arguments (without the program name). Reads no environment variable.
    pub fn parse<I>(args: I) -> Result<Args, ArgsError>
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        Ok(Args::parse_with(args, &[])?.0)
    }

    /// [`Args::parse`], also accepting the long options `extra` (which may repeat; libtest's
    /// own options take precedence), returned in order for the caller to interpret.
    pub fn parse_with<I>(args: I, extra: &[ExtraOption]) -> Result<(Args, ExtraValues), ArgsError>
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        let mut raw = Vec::new();
        for arg in args {
            match arg.into().into_string() {
                Ok(arg) => raw.push(arg),
                Err(arg) => return err(format!("argument is not valid UTF-8: {arg:?}")),
            }
        }
        parse_strings(raw, extra)
    }

    /// What the filters, `--exact`, `--skip`, `--ignored`/`--include-ignored` and
    /// `--exclude-should-panic` select tests by.
    pub fn criteria(&self) -> Criteria<'_, String> {
        Criteria {
            filters: &self.filters,
            skip: &self.skip,
            exact: self.exact,
            run_ignored: self.run_ignored,
            exclude_should_panic: self.exclude_should_panic,
        }
    }

    /// The mode: [`Mode::Bench`] for `--bench` without `--test`, else [`Mode::Test`].
    pub fn mode(&self) -> Mode {
        if self.test || !self.bench {
            Mode::Test
        } else {
            Mode::Bench
        }
    }

    /// The usage text printed by `--help`, for a binary called `binary`.
    pub fn usage(binary: &str) -> String {
        format!(
            "Usage: {binary} [OPTIONS] [FILTERS...]

Options:
        --include-ignored
                        Run ignored and not ignored tests
        --ignored       Run only ignored tests
        --test          Run tests and not benchmarks
        --bench         Run benchmarks instead of tests
        --list          List all tests and benchmarks
    -h, --help          Display this message
        --logfile PATH  Write logs to the specified file (deprecated, ignored)
        --no-capture    don't capture stdout/stderr of each task, allow
                        printing directly
        --test-threads n_threads
                        Number of threads used for running tests in parallel
        --skip FILTER   Skip tests whose names contain FILTER (this flag can
                        be used multiple times)
    -q, --quiet         Display one character per test instead of one line.
                        Alias to --format=terse
        --exact         Exactly match filters rather than by substring
        --color auto|always|never
                        Configure coloring of output:
                        auto = colorize if stdout is a tty and tests are run
                        on serially (default);
                        always = always colorize output;
                        never = never colorize output;
        --format pretty|terse|json
                        Configure formatting of output:
                        pretty = Print verbose output;
                        terse = Display one character per test;
                        json = Output a json document
        --show-output   Show captured stdout of successful tests
    -Z unstable-options Enable the flags below:
        --fail-fast     Don't start new tests after the first failure
        --exclude-should-panic
                        Excludes tests marked as should_panic
        --report-time   Show execution time of each test

The FILTER string is tested against the name of all tests, and only those
tests whose names contain the filter are run. Multiple filter strings may
be passed, which will run all tests matching any of the filters. With
--exact, a filter that names no test at all is an error.

By default, all tests are run in parallel. This can be altered with the
--test-threads flag or the RUST_TEST_THREADS environment variable when running
tests (set it to 1).

By default, the tests are run in alphabetical order.

Output written with print!/println!/eprint!/eprintln!/dbg! from the test
framework's capture macros, and panic messages, are captured per test by
default. This can be overridden with the --no-capture flag or setting
RUST_TEST_NOCAPTURE environment variable to a value other than \"0\".

Test Attributes:

    #[test]        - Indicates a function is a test to be run.
    #[bench]       - Indicates a function is a benchmark.
    #[should_panic] - This function (also labeled with #[test]) will only pass if
                     the code causes a panic (an assertion failure or panic!)
                     A message may be provided, which the failure string must
                     contain: #[should_panic(expected = \"foo\")].
    #[ignore]      - When applied to a function which is already attributed as a
                     test, then the test runner will ignore these tests during
                     normal test runs. Running with --ignored or --include-ignored will run
                     these tests.
"
        )
    }
}

/// Records of which options were seen, for "given more than once".
struct Seen(Vec<&'static str>);

impl Seen {
    fn once(&mut self, name: &'static str) -> Result<(), ArgsError> {
        if name == "skip" {
            return Ok(());
        }
        if self.0.contains(&name) {
            return err(format!("Option '{name}' given more than once"));
        }
        self.0.push(name);
        Ok(())
    }
}

fn parse_strings(
    raw: Vec<String>,
    extra: &[ExtraOption],
) -> Result<(Args, ExtraValues), ArgsError> {
    let mut args = Args::default();
    let mut extra_values = ExtraValues::new();
    let mut seen = Seen(Vec::new());
    let mut quiet = false;
    let mut format: Option<String> = None;
    let mut include_ignored = false;
    let mut ignored = false;
    let mut z: Option<String> = None;
    // Unstable flags, checked once -Z is known.
    let mut unstable_used: Vec<&'static str> = Vec::new();

    for word in words(raw.iter().map(String::as_str), extra) {
        let (name, value) = match word.map_err(|e| ArgsError(e.to_string()))? {
            Word::Filter(filter) => {
                args.filters.push(filter.to_owned());
                continue;
            }
            Word::Long {
                name,
                value,
                extra: true,
            } => {
                extra_values.push((name, value.map(str::to_owned)));
                continue;
            }
            Word::Long { name, value, .. } => {
                seen.once(name)?;
                (name, value)
            }
            Word::Short { flag, value } => {
                let name = match flag {
                    'h' => "h",
                    'q' => "quiet",
                    _ => "Z",
                };
                seen.once(name)?;
                (name, value)
            }
        };
        let value = value.unwrap_or_default();
        match name {
            "include-ignored" => include_ignored = true,
            "ignored" => ignored = true,
            "force-run-in-process" => unstable_used.push("force-run-in-process"),
            "exclude-should-panic" => {
                args.exclude_should_panic = true;
                unstable_used.push("exclude-should-panic");
            }
            "test" => args.test = true,
            "bench" => args.bench = true,
            "list" => args.list = true,
            "fail-fast" => {
                args.fail_fast = true;
                unstable_used.push("fail-fast");
            }
            "h" | "help" => args.help = true,
            "logfile" => args.logfile = Some(PathBuf::from(value)),
            "no-capture" | "nocapture" => args.nocapture = true,
            "test-threads" => args.test_threads = Some(parse_threads(value)?),
            "skip" => args.skip.push(value.to_owned()),
            "quiet" => quiet = true,
            "exact" => args.exact = true,
            "color" => args.color = parse_color(value)?,
            "format" => format = Some(value.to_owned()),
            "show-output" => args.show_output = true,
            "report-time" => {
                args.report_time = true;
                unstable_used.push("report-time");
            }
            "Z" => z = Some(value.to_owned()),
            "ensure-time" | "shuffle" | "shuffle-seed" => {
                return err(format!(
                    "the option `--{name}` is not supported by this test harness"
                ));
            }
            _ => unreachable!("option table and match disagree on {name}"),
        }
    }

    if let Some(z) = z {
        if z != "unstable-options" {
            return err(format!("Unrecognized option to `Z`: `{z}`"));
        }
        args.unstable_options = true;
    }
    if !args.unstable_options
        && let Some(flag) = unstable_used.first()
    {
        return err(format!(
            "The \"{flag}\" flag is only accepted on the nightly compiler with -Z unstable-options"
        ));
    }

    args.run_ignored = match (include_ignored, ignored) {
        (true, true) => {
            return err("the options --include-ignored and --ignored are mutually exclusive");
        }
        (true, false) => RunIgnored::Yes,
        (false, true) => RunIgnored::Only,
        (false, false) => RunIgnored::No,
    };
    args.format = match format.as_deref() {
        None if quiet => Format::Terse,
        None | Some("pretty") => Format::Pretty,
        Some("terse") => Format::Terse,
        Some("json") => Format::Json,
        Some("junit") => return err("the \"junit\" format is not supported by this test harness"),
        Some(other) => {
            return err(format!(
                "argument for --format must be pretty, terse, json or junit (was {other})"
            ));
        }
    };
    if args.logfile.is_some() {
        eprintln!("warning: `--logfile` is deprecated");
    }
    Ok((args, extra_values))
}

fn parse_threads(value: &str) -> Result<NonZeroUsize, ArgsError> {
    match value.parse::<usize>() {
        Ok(0) => err("argument for --test-threads must not be 0"),
        Ok(n) => Ok(NonZeroUsize::new(n).unwrap()),
        Err(e) => err(format!(
            "argument for --test-threads must be a number > 0 (error: {e})"
        )),
    }
}

fn parse_color(value: &str) -> Result<ColorChoice, ArgsError> {
    match value {
        "auto" => Ok(ColorChoice::Auto),
        "always" => Ok(ColorChoice::Always),
        "never" => Ok(ColorChoice::Never),
        other => err(format!(
            "argument for --color must be auto, always, or never (was {other})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &str) -> Result<Args, String> {
        Args::parse(args.split_whitespace()).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults() {
        let args = parse("").unwrap();
        assert_eq!(args, Args::default());
        assert_eq!(args.mode(), Mode::Test);
    }

    #[test]
    fn filters_and_flags() {
        let args = parse("a --exact b --skip c --skip=d -- --list e").unwrap();
        assert_eq!(args.filters, ["a", "b", "--list", "e"]);
        assert!(args.exact);
        assert!(!args.list);
        assert_eq!(args.skip, ["c", "d"]);
    }

    #[test]
    fn formats() {
        assert_eq!(parse("-q").unwrap().format, Format::Terse);
        assert_eq!(
            parse("--quiet --format pretty").unwrap().format,
            Format::Pretty
        );
        assert_eq!(parse("--format=json").unwrap().format, Format::Json);
        assert_eq!(parse("--format terse").unwrap().format, Format::Terse);
        assert_eq!(
            parse("--format xml").unwrap_err(),
            "argument for --format must be pretty, terse, json or junit (was xml)"
        );
    }

    #[test]
    fn modes() {
        assert_eq!(parse("--bench").unwrap().mode(), Mode::Bench);
        assert_eq!(parse("--bench --test").unwrap().mode(), Mode::Test);
        assert_eq!(parse("--test").unwrap().mode(), Mode::Test);
    }

    #[test]
    fn libtest_errors() {
        assert_eq!(parse("--foo").unwrap_err(), "Unrecognized option: 'foo'");
        assert_eq!(parse("-x").unwrap_err(), "Unrecognized option: 'x'");
        assert_eq!(
            parse("--test-threads 0").unwrap_err(),
            "argument for --test-threads must not be 0"
        );
        assert_eq!(
            parse("--test-threads abc").unwrap_err(),
            "argument for --test-threads must be a number > 0 (error: invalid digit found in string)"
        );
        assert_eq!(
            parse("--ignored --include-ignored").unwrap_err(),
            "the options --include-ignored and --ignored are mutually exclusive"
        );
        assert_eq!(
            parse("--color foo").unwrap_err(),
            "argument for --color must be auto, always, or never (was foo)"
        );
        assert_eq!(
            parse("--skip").unwrap_err(),
            "Argument to option 'skip' missing"
        );
        assert_eq!(
            parse("--exact=x").unwrap_err(),
            "Option 'exact' does not take an argument"
        );
        assert_eq!(
            parse("--exact --exact").unwrap_err(),
            "Option 'exact' given more than once"
        );
        assert_eq!(
            parse("--test-threads 1 --test-threads 2").unwrap_err(),
            "Option 'test-threads' given more than once"
        );
        assert_eq!(
            parse("--fail-fast").unwrap_err(),
            "The \"fail-fast\" flag is only accepted on the nightly compiler with -Z unstable-options"
        );
        assert_eq!(
            parse("-Z foo").unwrap_err(),
            "Unrecognized option to `Z`: `foo`"
        );
    }

    #[test]
    fn unstable() {
        let args = parse("-Z unstable-options --fail-fast --exclude-should-panic").unwrap();
        assert!(args.unstable_options && args.fail_fast && args.exclude_should_panic);
        assert!(
            parse("-Zunstable-options --report-time")
                .unwrap()
                .report_time
        );
        assert!(parse("--force-run-in-process -Z unstable-options").is_ok());
    }

    #[test]
    fn capture_and_threads() {
        let args = parse("--nocapture --no-capture --show-output --test-threads=3").unwrap();
        assert!(args.nocapture && args.show_output);
        assert_eq!(args.test_threads, NonZeroUsize::new(3));
        assert!(parse("-h").unwrap().help);
        assert!(parse("--help").unwrap().help);
    }

    #[test]
    fn extra_options() {
        let extra = [
            ExtraOption {
                name: "sample-count",
                takes_value: true,
            },
            ExtraOption {
                name: "quick",
                takes_value: false,
            },
        ];
        let (args, values) = Args::parse_with(
            "f --sample-count 10 --quick --sample-count=20 --exact".split(' '),
            &extra,
        )
        .unwrap();
        assert!(args.exact);
        assert_eq!(args.filters, ["f"]);
        assert_eq!(
            values,
            [
                ("sample-count", Some("10".to_owned())),
                ("quick", None),
                ("sample-count", Some("20".to_owned()))
            ]
        );
        let e = Args::parse_with(["--quick=1"], &extra).unwrap_err();
        assert_eq!(e.to_string(), "Option 'quick' does not take an argument");
        assert!(Args::parse(["--quick"]).is_err());
    }

    #[test]
    fn value_may_look_like_a_flag() {
        // getopts takes the next argument as the value, whatever it looks like.
        assert_eq!(parse("--skip --exact").unwrap().skip, ["--exact"]);
    }
}
