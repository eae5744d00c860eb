//! Running the selected tests: one named thread per test (as libtest does, so
//! `thread::current().name()` is the test's name), at most `--test-threads` at a time.

use std::io::{self, IsTerminal};
use std::num::NonZeroUsize;
use std::thread;
use std::time::{Duration, Instant};

use crate::args::{Args, ColorChoice, Format, Mode};
use crate::capture;
use crate::central::run_central;
use crate::conclusion::Conclusion;
use crate::filter::{Selected, select_from};
use crate::lanes::run_lanes;
use crate::outcome::Counts;
use crate::output::{self, Config, Printer};
use crate::runner::{Measure, Pool, Runner};
use crate::test::{Kind, Test};

/// libtest's `TEST_WARN_TIMEOUT_S`.
const WARN_TIMEOUT: Duration = Duration::from_secs(60);

/// [`WARN_TIMEOUT`], or milliseconds from `__GATHER_HARNESS_WARN_AFTER_MS` (for this crate's
/// tests; the message still says 60 seconds, as libtest's does).
fn warn_timeout() -> Duration {
    std::env::var("__GATHER_HARNESS_WARN_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(WARN_TIMEOUT, Duration::from_millis)
}

/// Lists or runs `tests` as libtest would for `args`, printing libtest's output to stdout (and
/// errors to stderr), and returns the counts. It does not exit.
///
/// `measure` measures [`Kind::Bench`] items in [`Mode::Bench`]; without it, bench mode runs
/// each benchmark once, as a test.
pub fn run<I>(args: &Args, tests: I, measure: Option<Measure<'_>>) -> Conclusion
where
    I: IntoIterator<Item = &'static Test>,
{
    run_from(args, &mut tests.into_iter(), measure)
}

/// [`run`]'s body, compiled once here rather than in every test crate that names a new `I` (the
/// generic shell above is all that a test target instantiates and builds in its own profile).
#[inline(never)]
pub(crate) fn run_from(
    args: &Args,
    tests: &mut dyn Iterator<Item = &'static Test>,
    measure: Option<Measure<'_>>,
) -> Conclusion {
    if args.help {
        let binary = std::env::args().next().unwrap_or_else(|| "...".to_owned());
        print!("{}", Args::usage(&binary));
        return Conclusion::default();
    }

    let selection = select_from(args, tests);
    if args.list {
        return match output::list(&selection, args.format) {
            Ok(()) => Conclusion::default(),
            Err(e) => {
                eprintln!("error: io error when listing tests: {e:?}");
                Conclusion::errored()
            }
        };
    }
    if selection.exact_no_match_is_error(args, "test") {
        return Conclusion {
            filtered_out: selection.filtered_out,
            ..Conclusion::errored()
        };
    }

    let threads = match args.test_threads {
        Some(n) => n.get(),
        None => match concurrency_from_env() {
            Ok(n) => n,
            Err(message) => {
                eprintln!("error: {message}");
                return Conclusion::errored();
            }
        },
    };
    let capture = !args.nocapture;
    if capture || cfg!(panic = "abort") {
        capture::install_panic_hook();
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            capture
                && io::stdout().is_terminal()
                && std::env::var_os("TERM").is_some_and(|t| t != "dumb")
        }
    };
    let mode = args.mode();
    let bench_name_width = if mode == Mode::Bench {
        selection
            .tests
            .iter()
            .filter(|e| e.test.kind == Kind::Bench)
            .map(|e| e.test.name.len())
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    capture::ABORT_LINE.store(
        match args.format {
            Format::Pretty if threads == 1 => capture::ABORT_LINE_END,
            Format::Pretty => capture::ABORT_LINE_PRETTY,
            Format::Terse => capture::ABORT_LINE_TERSE,
            Format::Json => capture::ABORT_LINE_NONE,
        },
        std::sync::atomic::Ordering::Relaxed,
    );
    let mut printer = Printer::new(Config {
        format: args.format,
        color: color && args.format != Format::Json,
        multithreaded: threads > 1,
        show_output: args.show_output,
        report_time: args.report_time,
        bench_name_width,
    });

    let start = Instant::now();
    printer.run_start(selection.tests.len());
    let mut runner = Runner {
        printer,
        counts: Counts::default(),
        capture,
        fail_fast: args.fail_fast,
        stop: false,
    };
    let result = (|| -> io::Result<()> {
        let (pool, benches): (Vec<Selected>, Vec<Selected>) = match mode {
            Mode::Test => (selection.tests.clone(), Vec::new()),
            Mode::Bench => selection
                .tests
                .iter()
                .copied()
                .partition(|e| e.test.kind == Kind::Test),
        };
        let force_ignore = mode == Mode::Bench;
        let parallel = Pool {
            entries: &pool,
            force_ignore,
            threads,
            warn_after: warn_timeout(),
        };
        if threads == 1 {
            runner.run_serial(&pool, force_ignore)?;
        } else if threads <= cores() {
            run_lanes(&mut runner, &parallel)?;
        } else {
            run_central(&mut runner, &parallel)?;
        }
        runner.run_benches(&benches, measure)?;
        runner
            .printer
            .run_finish(&runner.counts, selection.filtered_out, start.elapsed());
        runner.printer.flush()
    })();
    let counts = runner.counts;
    let mut conclusion = Conclusion {
        passed: counts.passed,
        failed: counts.failed,
        ignored: counts.ignored,
        measured: counts.measured,
        filtered_out: selection.filtered_out,
        error: false,
    };
    if let Err(e) = result {
        eprintln!("error: io error when running tests: {e:?}");
        conclusion.error = true;
    }
    conclusion
}

/// The cores this process may use, or `__GATHER_HARNESS_CORES` (for this crate's tests, which
/// run both parallel strategies whatever the machine).
fn cores() -> usize {
    std::env::var("__GATHER_HARNESS_CORES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| thread::available_parallelism().map_or(1, NonZeroUsize::get))
}

/// `RUST_TEST_THREADS`, else the available parallelism.
fn concurrency_from_env() -> Result<usize, String> {
    match std::env::var("RUST_TEST_THREADS") {
        Ok(s) => match s.parse::<NonZeroUsize>() {
            Ok(n) => Ok(n.get()),
            Err(_) => Err(format!(
                "RUST_TEST_THREADS is `{s}`, should be a positive integer."
            )),
        },
        Err(_) => Ok(thread::available_parallelism().map_or(1, NonZeroUsize::get)),
    }
}
