//! Running the selected tests: one named thread per test (as libtest does, so
//! `thread::current().name()` is the test's name), at most `--test-threads` at a time.

use std::any::Any;
use std::io::{self, IsTerminal};
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::args::{Args, ColorChoice, Format, Mode};
use crate::capture;
use crate::conclusion::Conclusion;
use crate::failure::Failure;
use crate::filter::{Selected, select_from};
use crate::measurement::Measurement;
use crate::outcome::{Counts, Outcome};
use crate::output::{self, Config, Printer};
use crate::test::{Kind, ShouldPanic, Test};

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

/// Measures a [`Kind::Bench`] item in bench mode. It runs on the main thread, one benchmark at a
/// time, after all tests, with the benchmark's output captured (unless `--no-capture`); a panic
/// or an `Err` fails the benchmark. [`Test::data`] is where a framework keeps what this
/// function needs.
pub type Measure<'a> = &'a mut dyn FnMut(&'static Test) -> Result<Measurement, Failure>;

struct Completed {
    index: usize,
    outcome: Outcome,
    output: Vec<u8>,
    time: Duration,
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
        if threads == 1 {
            runner.run_serial(&pool, force_ignore)?;
        } else {
            runner.run_parallel(&pool, force_ignore, threads)?;
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

struct Running {
    index: usize,
    handle: JoinHandle<()>,
    started: Instant,
    warned: bool,
}

struct Runner {
    printer: Printer,
    counts: Counts,
    capture: bool,
    fail_fast: bool,
    /// `--fail-fast` saw a failure: start nothing more.
    stop: bool,
}

impl Runner {
    fn report(
        &mut self,
        entry: &Selected,
        padded: bool,
        outcome: Outcome,
        output: Vec<u8>,
        time: Duration,
    ) -> io::Result<()> {
        if self.fail_fast && matches!(outcome, Outcome::Failed | Outcome::FailedMsg(_)) {
            self.stop = true;
        }
        self.counts.count(&outcome);
        self.printer.result(entry, padded, outcome, output, time);
        if !self.capture {
            // Tests still running print directly: keep libtest's order of lines.
            self.printer.flush()?;
        }
        Ok(())
    }

    fn run_serial(&mut self, entries: &[Selected], force_ignore: bool) -> io::Result<()> {
        for entry in entries {
            if self.stop {
                break;
            }
            self.printer.test_start(entry, false);
            if entry.ignored || force_ignore {
                self.report(entry, false, Outcome::Ignored, Vec::new(), Duration::ZERO)?;
                continue;
            }
            // The name is on screen before the test runs, so a hang shows which test it is.
            self.printer.flush()?;
            let test = entry.test;
            let capture = self.capture;
            let done = match thread::Builder::new()
                .name(test.name.to_owned())
                .spawn(move || execute(test, capture))
            {
                Ok(handle) => handle.join().unwrap_or_else(|_| died(test)),
                Err(_) => execute(test, capture),
            };
            self.report(entry, false, done.0, done.1, done.2)?;
        }
        Ok(())
    }

    /// Runs `entries` on up to `threads` threads at a time, one thread per test, named after it.
    fn run_parallel(
        &mut self,
        entries: &[Selected],
        force_ignore: bool,
        threads: usize,
    ) -> io::Result<()> {
        let (tx, rx) = mpsc::channel::<Completed>();
        let warn_after = warn_timeout();
        let mut running: Vec<Running> = Vec::with_capacity(threads);
        // Threads that sent their result and are exiting: joined once they have exited, so this
        // thread never waits for an exit while it could start the next test.
        let mut exiting: Vec<(usize, JoinHandle<()>)> = Vec::with_capacity(threads);
        let mut next = 0;
        loop {
            while running.len() < threads && next < entries.len() && !self.stop {
                let index = next;
                next += 1;
                let entry = &entries[index];
                self.printer.test_start(entry, false);
                if entry.ignored || force_ignore {
                    self.report(entry, false, Outcome::Ignored, Vec::new(), Duration::ZERO)?;
                    continue;
                }
                let test = entry.test;
                let capture = self.capture;
                if !capture {
                    // The test prints directly: what came before must be out first.
                    self.printer.flush()?;
                }
                let tx = tx.clone();
                let spawned = thread::Builder::new()
                    .name(test.name.to_owned())
                    .spawn(move || {
                        let (outcome, output, time) = execute(test, capture);
                        let _ = tx.send(Completed {
                            index,
                            outcome,
                            output,
                            time,
                        });
                    });
                match spawned {
                    Ok(handle) => running.push(Running {
                        index,
                        handle,
                        started: Instant::now(),
                        warned: false,
                    }),
                    Err(_) => {
                        // Out of threads: run it here rather than not at all.
                        let (outcome, output, time) = execute(test, capture);
                        self.report(entry, false, outcome, output, time)?;
                    }
                }
            }
            if running.is_empty() {
                reap(&mut exiting, entries, true);
                return Ok(());
            }
            let done = match rx.try_recv() {
                Ok(done) => done,
                Err(_) => {
                    self.printer.flush()?;
                    self.wait(&rx, &mut running, entries, warn_after)?
                }
            };
            let at = running
                .iter()
                .position(|r| r.index == done.index)
                .expect("result of a test that is not running");
            let finished = running.swap_remove(at);
            exiting.push((done.index, finished.handle));
            self.report(
                &entries[done.index],
                false,
                done.outcome,
                done.output,
                done.time,
            )?;
            reap(&mut exiting, entries, false);
        }
    }

    /// Waits for a result, printing libtest's warning for tests running over 60 s.
    fn wait(
        &mut self,
        rx: &mpsc::Receiver<Completed>,
        running: &mut [Running],
        entries: &[Selected],
        warn_after: Duration,
    ) -> io::Result<Completed> {
        loop {
            let deadline = running
                .iter()
                .filter(|r| !r.warned)
                .map(|r| r.started + warn_after)
                .min();
            let Some(deadline) = deadline else {
                return Ok(rx.recv().expect("the runner holds a sender"));
            };
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(done) => return Ok(done),
                Err(RecvTimeoutError::Timeout) => {
                    let now = Instant::now();
                    for r in running
                        .iter_mut()
                        .filter(|r| !r.warned && r.started + warn_after <= now)
                    {
                        r.warned = true;
                        self.printer.timeout(entries[r.index].test);
                    }
                    self.printer.flush()?;
                }
                Err(RecvTimeoutError::Disconnected) => unreachable!("the runner holds a sender"),
            }
        }
    }

    fn run_benches(
        &mut self,
        entries: &[Selected],
        mut measure: Option<Measure<'_>>,
    ) -> io::Result<()> {
        for entry in entries {
            if self.stop {
                break;
            }
            self.printer.test_start(entry, true);
            if entry.ignored {
                self.report(entry, true, Outcome::Ignored, Vec::new(), Duration::ZERO)?;
                continue;
            }
            self.printer.flush()?;
            let test = entry.test;
            let (outcome, output, time) = match measure.as_mut() {
                None => execute(test, self.capture),
                Some(measure) => {
                    if self.capture {
                        capture::begin();
                    }
                    let start = Instant::now();
                    let result = panic::catch_unwind(AssertUnwindSafe(|| measure(test)));
                    let time = start.elapsed();
                    let outcome = match result {
                        Ok(Ok(measurement)) => Outcome::Bench(measurement),
                        Ok(Err(failure)) => {
                            capture::_eprintln(format_args!("Error: {failure:?}"));
                            Outcome::Failed
                        }
                        Err(payload) => {
                            drop_payload(payload);
                            Outcome::Failed
                        }
                    };
                    let output = if self.capture {
                        capture::end()
                    } else {
                        Vec::new()
                    };
                    (outcome, output, time)
                }
            };
            self.report(entry, true, outcome, output, time)?;
        }
        Ok(())
    }
}

/// Joins the test threads of `exiting` that have exited (all of them if `all`). A thread that
/// panicked after sending its result (outside the test, which `catch_unwind` covers) can only be
/// reported on stderr: its result is already printed.
fn reap(exiting: &mut Vec<(usize, JoinHandle<()>)>, entries: &[Selected], all: bool) {
    let mut i = 0;
    while i < exiting.len() {
        if all || exiting[i].1.is_finished() {
            let (index, handle) = exiting.swap_remove(i);
            if handle.join().is_err() {
                eprintln!(
                    "error: test {} panicked after reporting its result",
                    entries[index].test.name
                );
            }
        } else {
            i += 1;
        }
    }
}

/// A test thread that died outside `catch_unwind` (a panicking thread-local destructor).
fn died(_test: &'static Test) -> (Outcome, Vec<u8>, Duration) {
    (
        Outcome::FailedMsg("the test thread panicked after the test returned".to_owned()),
        Vec::new(),
        Duration::ZERO,
    )
}

/// Drops a panic payload, whose `Drop` may itself panic.
fn drop_payload(payload: Box<dyn Any + Send>) {
    let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(payload)));
}

/// Runs one test on the current thread, capturing its output if asked, and judges the result
/// as libtest does (`should_panic` included).
fn execute(test: &'static Test, capture: bool) -> (Outcome, Vec<u8>, Duration) {
    if capture {
        capture::begin();
    }
    let start = Instant::now();
    capture::set_current_test(Some(test));
    let result = panic::catch_unwind(test.run);
    capture::set_current_test(None);
    let time = start.elapsed();
    if let Ok(Err(failure)) = &result {
        // What std prints for a `main` returning an error; captured like the rest.
        capture::_eprintln(format_args!("Error: {failure:?}"));
    }
    let output = if capture { capture::end() } else { Vec::new() };
    let outcome = match (test.should_panic, result) {
        (_, Ok(Err(_))) => Outcome::Failed,
        (ShouldPanic::No, Ok(Ok(()))) => Outcome::Ok,
        (ShouldPanic::No, Err(payload)) => {
            drop_payload(payload);
            Outcome::Failed
        }
        (ShouldPanic::Yes, Err(payload)) => {
            drop_payload(payload);
            Outcome::Ok
        }
        (ShouldPanic::YesWithMessage(expected), Err(payload)) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&'static str>().copied());
            let outcome = match message {
                Some(message) if message.contains(expected) => Outcome::Ok,
                Some(message) => Outcome::FailedMsg(format!(
                    "panic did not contain expected string\n      panic message: {message:?}\n expected substring: {expected:?}"
                )),
                None => Outcome::FailedMsg(format!(
                    "expected panic with string value,\n found non-string value: `{:?}`\n     expected substring: {expected:?}",
                    (*payload).type_id()
                )),
            };
            drop_payload(payload);
            outcome
        }
        (ShouldPanic::Yes | ShouldPanic::YesWithMessage(_), Ok(Ok(()))) => {
            if test.file.is_empty() {
                Outcome::FailedMsg("test did not panic as expected".to_owned())
            } else {
                Outcome::FailedMsg(format!(
                    "test did not panic as expected at {}:{}:{}",
                    test.file, test.line, test.column
                ))
            }
        }
    };
    (outcome, output, time)
}
