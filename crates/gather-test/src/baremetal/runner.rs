//! The runner for bare-metal targets (`target_os = "none"`): no `std`, no allocator, no threads.
//!
//! `main!()` expands to a `#[cortex_m_rt::entry]` function that calls [`main`] and to a
//! `#[panic_handler]` that calls [`panicked`]. I/O, the command line, the clock and the exit
//! code go through ARM semihosting (`bkpt 0xab`), which QEMU, probe-rs and OpenOCD serve.
//!
//! Tests run one after the other in one boot, sorted by name as libtest runs them. A panic
//! (which aborts on these targets: there is no unwinding) reaches [`panicked`], which reports the
//! test under way, then resets the stack pointer to the top of the stack and goes on with the
//! next test: one failing test never hides the others. Nothing the panicking test held is
//! released (no destructors run; a lock it held stays locked); the interrupt mask is restored to
//! what it was when the test started.
//!
//! Output a test writes itself (with semihosting) goes straight to the host; what is kept for
//! the `failures:` section (panic messages, `Err` values) is kept in fixed buffers and cut with
//! a note if it does not fit.

use core::cell::UnsafeCell;
use core::fmt::{self, Write};
use core::panic::PanicInfo;

use gather::Registry;

/// One test: what `#[gather_test::test]` registers. The same `const` builder as
/// `gather_harness::Test`, so the attribute expands to the same code on every target.
#[derive(Clone, Copy)]
pub struct Test {
    /// Full path without the crate name.
    pub name: &'static str,
    /// Source file of the test function.
    pub file: &'static str,
    /// Line of the test function's name.
    pub line: u32,
    /// Column of the test function's name.
    pub column: u32,
    /// `#[ignore]`.
    pub ignore: Ignore,
    /// `#[should_panic]`.
    pub should_panic: ShouldPanic,
    /// Runs the test once.
    pub run: fn() -> Result<(), Failure>,
}

impl Test {
    /// A test named `name`, not ignored, not `should_panic`.
    pub const fn new(name: &'static str, run: fn() -> Result<(), Failure>) -> Test {
        Test {
            name,
            file: "",
            line: 0,
            column: 0,
            ignore: Ignore::No,
            should_panic: ShouldPanic::No,
            run,
        }
    }

    /// Sets the source location.
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

    fn is_ignored(&self) -> bool {
        !matches!(self.ignore, Ignore::No)
    }
}

/// `#[ignore]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignore {
    /// Runs normally.
    No,
    /// `#[ignore]`.
    Yes,
    /// `#[ignore = "reason"]`.
    Reason(&'static str),
}

/// `#[should_panic]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShouldPanic {
    /// Passes if it returns normally.
    No,
    /// Passes if it panics.
    Yes,
    /// Passes if it panics with a message that contains this.
    YesWithMessage(&'static str),
}

/// A test returned an error. Its `Debug` text is already in the test's report (there is no
/// allocator to carry it), so this carries nothing.
pub struct Failure {
    _private: (),
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Failure")
    }
}

/// What a test function may return: `()` or `Result<(), E: Debug>`.
pub trait IntoTestResult {
    /// Converts the return value; an error is written into the test's report as `Error: {e:?}`.
    fn into_test_result(self) -> Result<(), Failure>;
}

impl IntoTestResult for () {
    fn into_test_result(self) -> Result<(), Failure> {
        Ok(())
    }
}

impl<E: fmt::Debug> IntoTestResult for Result<(), E> {
    fn into_test_result(self) -> Result<(), Failure> {
        self.map_err(|error| {
            // SAFETY: single core; the report is only touched by the runner and this test.
            let report = unsafe { REPORT.get() };
            let _ = writeln!(report, "Error: {error:?}");
            Failure { _private: () }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Command line

const MAX_FILTERS: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunIgnored {
    No,
    Only,
    Also,
}

/// The part of libtest's command line that applies here.
#[derive(Clone, Copy, Debug)]
struct Args<'a> {
    filters: [&'a str; MAX_FILTERS],
    filter_count: usize,
    skips: [&'a str; MAX_FILTERS],
    skip_count: usize,
    exact: bool,
    list: bool,
    help: bool,
    terse: bool,
    bench: bool,
    ignored: RunIgnored,
}

#[derive(Debug, PartialEq, Eq)]
enum ArgsError<'a> {
    Unrecognized(&'a str),
    MissingValue(&'a str),
    BadFormat(&'a str),
    TooMany,
}

impl fmt::Display for ArgsError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgsError::Unrecognized(o) => write!(f, "Unrecognized option: '{o}'"),
            ArgsError::MissingValue(o) => write!(f, "Argument to option '{o}' missing"),
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
    /// so words are split at spaces; empty words (empty arguments) are dropped.
    fn parse(words: impl Iterator<Item = &'a str>) -> Result<Args<'a>, ArgsError<'a>> {
        let mut args = Args {
            filters: [""; MAX_FILTERS],
            filter_count: 0,
            skips: [""; MAX_FILTERS],
            skip_count: 0,
            exact: false,
            list: false,
            help: false,
            terse: false,
            bench: false,
            ignored: RunIgnored::No,
        };
        let mut words = words.filter(|w| !w.is_empty());
        let mut only_filters = false;
        while let Some(word) = words.next() {
            if only_filters || !word.starts_with('-') || word == "-" {
                push(&mut args.filters, &mut args.filter_count, word)?;
                continue;
            }
            if word == "--" {
                only_filters = true;
                continue;
            }
            // `--name=value` as well as `--name value`, as getopts (libtest's parser) accepts.
            let (name, inline) = match word.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value)),
                _ => (word, None),
            };
            let mut value = |name: &'a str| {
                inline
                    .or_else(|| words.next())
                    .ok_or(ArgsError::MissingValue(name))
            };
            match name {
                "--exact" => args.exact = true,
                "--list" => args.list = true,
                "-h" | "--help" => args.help = true,
                "-q" | "--quiet" => args.terse = true,
                "--bench" => args.bench = true,
                "--test" => args.bench = false,
                "--ignored" => args.ignored = RunIgnored::Only,
                "--include-ignored" => args.ignored = RunIgnored::Also,
                "--skip" => {
                    let v = value(name)?;
                    push(&mut args.skips, &mut args.skip_count, v)?;
                }
                "--format" => match value(name)? {
                    "pretty" => args.terse = false,
                    "terse" => args.terse = true,
                    other => return Err(ArgsError::BadFormat(other)),
                },
                // Accepted for compatibility; nothing is captured or run in parallel here, and
                // there is no color.
                "--nocapture"
                | "--no-capture"
                | "--show-output"
                | "--report-time"
                | "--ensure-time"
                | "--force-run-in-process"
                | "--shuffle" => {}
                "--test-threads" | "--color" | "-Z" | "--shuffle-seed" => {
                    value(name)?;
                }
                _ if name.starts_with("-Z") => {}
                _ => return Err(ArgsError::Unrecognized(word.trim_start_matches('-'))),
            }
        }
        Ok(args)
    }

    fn filters(&self) -> &[&'a str] {
        &self.filters[..self.filter_count]
    }

    fn skips(&self) -> &[&'a str] {
        &self.skips[..self.skip_count]
    }

    /// Whether the filters, `--skip` and `--ignored` select `test`.
    fn selects(&self, test: &Test) -> bool {
        let matches = |pattern: &str| {
            if self.exact {
                test.name == pattern
            } else {
                test.name.contains(pattern)
            }
        };
        (self.filters().is_empty() || self.filters().iter().any(|f| matches(f)))
            && !self.skips().iter().any(|s| matches(s))
            && (self.ignored != RunIgnored::Only || test.is_ignored())
    }

    /// Whether a selected test is reported as ignored instead of run.
    fn reports_ignored(&self, test: &Test) -> bool {
        self.bench || (test.is_ignored() && self.ignored == RunIgnored::No)
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

/// The test after `after` (by name, then registry index, the order libtest runs tests in) that
/// `args` selects. O(n) per call, O(n²) per run: fine for the suites a microcontroller holds, and
/// it needs no memory.
fn next_test(tests: Registry<Test>, args: &Args<'_>, after: Option<usize>) -> Option<usize> {
    let key = |i: usize| (tests.get(i).map_or("", |t| t.name), i);
    let after = after.map(key);
    let mut best: Option<(&str, usize)> = None;
    for (i, test) in tests.iter().enumerate() {
        let k = (test.name, i);
        if after.is_some_and(|a| k <= a) || best.is_some_and(|b| k >= b) || !args.selects(test) {
            continue;
        }
        best = Some(k);
    }
    best.map(|(_, i)| i)
}

// ---------------------------------------------------------------------------------------------
// State kept across panics (the stack is thrown away, so it lives in statics)

/// A `static` the runner and the panic handler share. Single core, and the handler runs only
/// while the runner waits for the test to return, so accesses never overlap; every `get` is kept
/// short and is never held across a call into test code.
struct Global<T>(UnsafeCell<T>);

// SAFETY: see above: one core, no overlapping accesses.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    const fn new(value: T) -> Self {
        Global(UnsafeCell::new(value))
    }

    /// # Safety
    /// No other reference from `get` may be alive.
    #[allow(clippy::mut_from_ref)]
    unsafe fn get(&self) -> &mut T {
        unsafe { &mut *self.0.get() }
    }
}

/// Text kept in a fixed buffer; what does not fit is dropped and counted.
struct TextBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
    dropped: usize,
}

impl<const N: usize> TextBuf<N> {
    const fn new() -> Self {
        TextBuf {
            bytes: [0; N],
            len: 0,
            dropped: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Cut at a character boundary if the last write was cut.
        match core::str::from_utf8(&self.bytes[..self.len]) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(&self.bytes[..e.valid_up_to()]).unwrap_or(""),
        }
    }
}

impl<const N: usize> Write for TextBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = N - self.len;
        let take = s.len().min(room);
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        self.dropped += s.len() - take;
        Ok(())
    }
}

/// The most failing tests whose names the summary lists.
const MAX_FAILURES: usize = 128;

struct Run {
    tests: Registry<Test>,
    args: Args<'static>,
    /// The last test started (registry index): the next one follows it.
    last: Option<usize>,
    /// The test under way, if any.
    current: Option<usize>,
    selected: usize,
    passed: usize,
    failed: usize,
    ignored: usize,
    /// Terse mode: results on the current line, and in all.
    column: usize,
    done: usize,
    failures: [u32; MAX_FAILURES],
    start_centis: Option<u32>,
    interrupts_were_enabled: bool,
    in_panic: bool,
}

static CMDLINE: Global<[u8; 512]> = Global::new([0; 512]);
static RUN: Global<Option<Run>> = Global::new(None);
/// The `---- name stdout ----` sections of the failures.
static REPORT: Global<TextBuf<4096>> = Global::new(TextBuf::new());
static OUT: Global<Out> = Global::new(Out {
    buf: [0; 256],
    len: 0,
    handle: None,
});

// ---------------------------------------------------------------------------------------------
// Output

/// Buffered semihosting stdout: one host call per line rather than per `write_str`.
struct Out {
    buf: [u8; 256],
    len: usize,
    handle: Option<usize>,
}

impl Out {
    fn flush(&mut self) {
        if self.len == 0 {
            return;
        }
        let handle = *self
            .handle
            .get_or_insert_with(|| sys::open_tt(sys::MODE_WRITE));
        sys::write(handle, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl Write for Out {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = b;
            self.len += 1;
            if b == b'\n' {
                self.flush();
            }
        }
        Ok(())
    }
}

/// Prints to semihosting stdout (buffered; flushed at each newline and by [`flush`]).
fn print(args: fmt::Arguments<'_>) {
    // SAFETY: one core; never held across test code.
    let _ = unsafe { OUT.get() }.write_fmt(args);
}

fn flush() {
    // SAFETY: as in `print`.
    unsafe { OUT.get() }.flush();
}

/// Prints an error on semihosting stderr and exits with 101, libtest's error code.
fn fail(args: fmt::Arguments<'_>) -> ! {
    flush();
    let mut line = TextBuf::<256>::new();
    let _ = line.write_str("error: ");
    let _ = line.write_fmt(args);
    let _ = line.write_str("\n");
    sys::write(sys::open_tt(sys::MODE_STDERR), line.as_str().as_bytes());
    sys::exit(101)
}

// ---------------------------------------------------------------------------------------------
// The run

/// Reads the command line from semihosting and runs or lists `tests` as libtest would, then
/// exits the program with 0, or 101 if a test failed. Called by `main!()`'s entry function.
pub fn main(tests: Registry<Test>) -> ! {
    // SAFETY: nothing else uses the command line buffer; it lives for the rest of the program.
    let cmdline: &'static mut [u8; 512] = unsafe { CMDLINE.get() };
    let line: &'static str = match sys::cmdline(cmdline) {
        Some(len) => core::str::from_utf8(&cmdline[..len]).unwrap_or(""),
        None => "",
    };
    // The first word is the program.
    let args = match Args::parse(line.split(' ').skip(1)) {
        Ok(args) => args,
        Err(e) => fail(format_args!("{e}")),
    };
    if args.help {
        print(format_args!(
            "Usage: {} [OPTIONS] [FILTERS...]\n\n\
             gather-test's bare-metal runner: --list, --exact, --skip FILTER, --ignored,\n\
             --include-ignored, --format pretty|terse, -q. Filters select tests whose names\n\
             contain one of them (or equal one, with --exact).\n",
            line.split(' ').next().unwrap_or("test"),
        ));
        flush();
        sys::exit(0);
    }
    if args.list {
        list(tests, &args);
    }
    let mut selected = 0;
    let mut i = None;
    while let Some(next) = next_test(tests, &args, i) {
        selected += 1;
        i = Some(next);
    }
    print(format_args!(
        "\nrunning {selected} {}\n",
        if selected == 1 { "test" } else { "tests" }
    ));
    // SAFETY: the runner has not started; nothing else holds the state.
    unsafe {
        *RUN.get() = Some(Run {
            tests,
            args,
            last: None,
            current: None,
            selected,
            passed: 0,
            failed: 0,
            ignored: 0,
            column: 0,
            done: 0,
            failures: [0; MAX_FAILURES],
            start_centis: sys::clock(),
            interrupts_were_enabled: false,
            in_panic: false,
        });
    }
    resume()
}

fn list(tests: Registry<Test>, args: &Args<'_>) -> ! {
    let mut count = 0;
    let mut i = None;
    while let Some(next) = next_test(tests, args, i) {
        i = Some(next);
        count += 1;
        print(format_args!(
            "{}: test\n",
            tests.get(next).map_or("", |t| t.name)
        ));
    }
    if !args.terse {
        if count != 0 {
            print(format_args!("\n"));
        }
        let s = if count == 1 { "" } else { "s" };
        print(format_args!("{count} test{s}, 0 benchmarks\n"));
    }
    flush();
    sys::exit(0)
}

/// The runner's state.
///
/// # Safety
/// As [`Global::get`]: not held across test code or another `state()`.
unsafe fn state() -> &'static mut Run {
    match unsafe { RUN.get() } {
        Some(run) => run,
        None => fail(format_args!("gather-test: the runner was not started")),
    }
}

/// Runs the tests after the last one started, then prints the summary and exits. Entered from
/// [`main`] and, on a fresh stack, after each panic.
fn resume() -> ! {
    loop {
        // SAFETY: released before the test runs.
        let (tests, args, last) = unsafe {
            let run = state();
            (run.tests, run.args, run.last)
        };
        let Some(index) = next_test(tests, &args, last) else {
            break;
        };
        let Some(test) = tests.get(index) else { break };
        // SAFETY: as above.
        unsafe { state().last = Some(index) };
        if args.reports_ignored(test) {
            result(test, Outcome::Ignored);
            continue;
        }
        if !args.terse {
            print(format_args!("test {}", test.name));
            if test.should_panic != ShouldPanic::No {
                print(format_args!(" - should panic"));
            }
            print(format_args!(" ... "));
        }
        // The name is on screen before the test runs, so a hang shows which test it is.
        flush();
        begin_report(test);
        // SAFETY: as above.
        unsafe {
            let run = state();
            run.current = Some(index);
            run.interrupts_were_enabled = sys::interrupts_enabled();
        }
        let returned = (test.run)();
        // SAFETY: as above.
        unsafe { state().current = None };
        let outcome = match (returned, test.should_panic) {
            (Err(_), _) => Outcome::Failed,
            (Ok(()), ShouldPanic::No) => Outcome::Ok,
            (Ok(()), _) => {
                // SAFETY: as above.
                let report = unsafe { REPORT.get() };
                let _ = write!(
                    report,
                    "note: test did not panic as expected at {}:{}:{}",
                    test.file, test.line, test.column
                );
                Outcome::Failed
            }
        };
        result(test, outcome);
    }
    finish()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Failed,
    Ignored,
}

/// Where the running test's section starts in [`REPORT`] (length, bytes dropped so far).
static SECTION_START: Global<(usize, usize)> = Global::new((0, 0));

/// Opens the test's `---- name stdout ----` section (dropped again if it passes).
fn begin_report(test: &Test) {
    // SAFETY: one core; not held across test code.
    unsafe {
        let report = REPORT.get();
        *SECTION_START.get() = (report.len, report.dropped);
        let _ = writeln!(report, "---- {} stdout ----", test.name);
    }
}

/// Prints the result and counts it; drops a passing test's section.
fn result(test: &Test, outcome: Outcome) {
    // SAFETY: one core; not held across test code.
    let run = unsafe { state() };
    let report = unsafe { REPORT.get() };
    match outcome {
        Outcome::Ok => {
            run.passed += 1;
            (report.len, report.dropped) = unsafe { *SECTION_START.get() };
        }
        Outcome::Ignored => run.ignored += 1,
        Outcome::Failed => {
            if let (Some(slot), Some(index)) = (run.failures.get_mut(run.failed), run.last) {
                *slot = index as u32;
            }
            run.failed += 1;
            let _ = report.write_str("\n");
        }
    }
    if run.args.terse {
        run.done += 1;
        match outcome {
            Outcome::Failed => {
                if run.column != 0 {
                    print(format_args!(" {}/{}\n", run.done - 1, run.selected));
                    run.column = 0;
                }
                print(format_args!("{} --- FAILED\n", test.name));
            }
            Outcome::Ok | Outcome::Ignored => {
                print(format_args!(
                    "{}",
                    if outcome == Outcome::Ok { "." } else { "i" }
                ));
                run.column += 1;
                // libtest breaks the line of dots every 88 results.
                if run.column % 88 == 87 {
                    print(format_args!(" {}/{}\n", run.done, run.selected));
                    run.column = 0;
                }
            }
        }
    } else {
        match (outcome, test.ignore) {
            (Outcome::Ok, _) => print(format_args!("ok\n")),
            (Outcome::Failed, _) => print(format_args!("FAILED\n")),
            (Outcome::Ignored, Ignore::Reason(reason)) => {
                print(format_args!("test {} ... ignored, {reason}\n", test.name))
            }
            (Outcome::Ignored, _) => print(format_args!("test {} ... ignored\n", test.name)),
        }
    }
}

/// Prints the failures and the `test result:` line, and exits (101 if a test failed).
fn finish() -> ! {
    // SAFETY: the last use of the state.
    let run = unsafe { state() };
    let report = unsafe { REPORT.get() };
    if run.failed > 0 {
        print(format_args!("\nfailures:\n\n{}", report.as_str()));
        if report.dropped > 0 {
            print(format_args!(
                "\n(gather-test: {} more bytes of failure output did not fit in its buffer)\n",
                report.dropped
            ));
        }
        print(format_args!("\nfailures:\n"));
        // Names sorted, as libtest prints them; tests already run in name order.
        let kept = run.failed.min(MAX_FAILURES);
        for &index in &run.failures[..kept] {
            let name = run.tests.get(index as usize).map_or("", |t| t.name);
            print(format_args!("    {name}\n"));
        }
        if run.failed > kept {
            print(format_args!("    ... and {} more\n", run.failed - kept));
        }
    }
    let filtered_out = run.tests.len() - run.selected;
    let elapsed = match (run.start_centis, sys::clock()) {
        (Some(start), Some(now)) => now.saturating_sub(start),
        _ => 0,
    };
    print(format_args!(
        "\ntest result: {}. {} passed; {} failed; {} ignored; 0 measured; {filtered_out} filtered out; finished in {}.{:02}s\n\n",
        if run.failed == 0 { "ok" } else { "FAILED" },
        run.passed,
        run.failed,
        run.ignored,
        elapsed / 100,
        elapsed % 100,
    ));
    flush();
    sys::exit(if run.failed == 0 { 0 } else { 101 })
}

/// The `#[panic_handler]` of a test program: judges the test under way (a failure, or a pass if
/// it is `#[should_panic]`), then goes on with the next test on a fresh stack.
pub fn panicked(info: &PanicInfo<'_>) -> ! {
    // SAFETY: the test that was running is abandoned; nothing else holds the state.
    let (tests, index, restore_interrupts) = match unsafe { RUN.get() } {
        Some(run) if !run.in_panic && run.current.is_some() => {
            run.in_panic = true;
            (run.tests, run.current.take(), run.interrupts_were_enabled)
        }
        // A panic in the runner itself, or while handling a panic.
        _ => fail(format_args!("panic outside a test: {info}")),
    };
    let Some(test) = index.and_then(|i| tests.get(i)) else {
        fail(format_args!("panic outside a test: {info}"))
    };
    let mut message = TextBuf::<512>::new();
    let _ = write!(message, "{}", info.message());
    {
        // SAFETY: one core; the test is abandoned.
        let report = unsafe { REPORT.get() };
        let _ = write!(report, "\nthread '{}' panicked at ", test.name);
        if let Some(location) = info.location() {
            let _ = write!(report, "{location}");
        }
        let _ = writeln!(report, ":\n{}", message.as_str());
    }
    let outcome = match test.should_panic {
        ShouldPanic::No => Outcome::Failed,
        ShouldPanic::Yes => Outcome::Ok,
        ShouldPanic::YesWithMessage(expected) if message.as_str().contains(expected) => Outcome::Ok,
        ShouldPanic::YesWithMessage(expected) => {
            // SAFETY: as above.
            let report = unsafe { REPORT.get() };
            let _ = write!(
                report,
                "note: panic did not contain expected string\n      panic message: {:?}\n expected substring: {expected:?}",
                message.as_str()
            );
            Outcome::Failed
        }
    };
    result(test, outcome);
    if !sys::in_thread_mode() {
        // The stack of an exception handler cannot be abandoned like the test's: stop here.
        fail(format_args!(
            "test {} panicked in an exception handler; the tests after it did not run",
            test.name
        ));
    }
    // SAFETY: as above.
    unsafe { state().in_panic = false };
    if restore_interrupts {
        sys::enable_interrupts();
    }
    sys::restart(resume_on_fresh_stack)
}

extern "C" fn resume_on_fresh_stack() -> ! {
    resume()
}

// ---------------------------------------------------------------------------------------------
// ARM semihosting and Cortex-M registers

#[cfg(target_arch = "arm")]
mod sys {
    use core::arch::asm;

    const SYS_OPEN: usize = 0x01;
    const SYS_WRITE: usize = 0x05;
    const SYS_CLOCK: usize = 0x10;
    const SYS_EXIT: usize = 0x18;
    const SYS_GET_CMDLINE: usize = 0x15;
    const SYS_EXIT_EXTENDED: usize = 0x20;
    /// `ADP_Stopped_ApplicationExit`.
    const APPLICATION_EXIT: usize = 0x20026;
    /// `ADP_Stopped_RunTimeErrorUnknown`.
    const RUNTIME_ERROR: usize = 0x20023;

    /// `SYS_OPEN` modes of the special file `:tt`: 4 (`"w"`) is stdout, 8 (`"a"`) stderr.
    pub const MODE_WRITE: usize = 4;
    pub const MODE_STDERR: usize = 8;

    /// One semihosting call: operation in r0, parameter (usually a pointer to a block) in r1.
    fn call(op: usize, arg: usize) -> usize {
        let result;
        // SAFETY: `bkpt 0xab` traps to the debugger/emulator, which reads or writes only the
        // memory the parameter block names.
        unsafe {
            asm!("bkpt 0xab", inout("r0") op => result, in("r1") arg, options(nostack, preserves_flags))
        };
        result
    }

    pub fn open_tt(mode: usize) -> usize {
        let name = b":tt\0";
        let block = [name.as_ptr() as usize, mode, 3];
        call(SYS_OPEN, block.as_ptr() as usize)
    }

    pub fn write(handle: usize, bytes: &[u8]) {
        let block = [handle, bytes.as_ptr() as usize, bytes.len()];
        call(SYS_WRITE, block.as_ptr() as usize);
    }

    /// The command line (`program arg1 arg2...`) into `buf`; its length.
    pub fn cmdline(buf: &mut [u8]) -> Option<usize> {
        let mut block = [buf.as_mut_ptr() as usize, buf.len()];
        (call(SYS_GET_CMDLINE, block.as_mut_ptr() as usize) == 0).then_some(block[1].min(buf.len()))
    }

    /// Centiseconds since the program started.
    pub fn clock() -> Option<u32> {
        let c = call(SYS_CLOCK, 0);
        (c != usize::MAX).then_some(c as u32)
    }

    pub fn exit(code: u32) -> ! {
        let block = [APPLICATION_EXIT, code as usize];
        call(SYS_EXIT_EXTENDED, block.as_ptr() as usize);
        // A host without SYS_EXIT_EXTENDED: success or failure, without the code.
        call(
            SYS_EXIT,
            if code == 0 {
                APPLICATION_EXIT
            } else {
                RUNTIME_ERROR
            },
        );
        loop {
            core::hint::spin_loop();
        }
    }

    /// Thread mode (IPSR = 0), not an exception handler.
    pub fn in_thread_mode() -> bool {
        let ipsr: u32;
        // SAFETY: reads a special register.
        unsafe { asm!("mrs {}, IPSR", out(reg) ipsr, options(nomem, nostack, preserves_flags)) };
        ipsr & 0x1ff == 0
    }

    pub fn interrupts_enabled() -> bool {
        let primask: u32;
        // SAFETY: reads a special register.
        unsafe {
            asm!("mrs {}, PRIMASK", out(reg) primask, options(nomem, nostack, preserves_flags))
        };
        primask & 1 == 0
    }

    pub fn enable_interrupts() {
        // SAFETY: they were enabled when the test started.
        unsafe { asm!("cpsie i", options(nomem, nostack, preserves_flags)) };
    }

    /// Sets the stack pointer to the top of the stack (the initial SP in the vector table, which
    /// VTOR points to) and jumps to `f`: the panicking test's frames are abandoned.
    pub fn restart(f: extern "C" fn() -> !) -> ! {
        const VTOR: usize = 0xE000_ED08;
        // SAFETY: `f` never returns, and nothing on the old stack is used again.
        unsafe {
            asm!(
                "ldr {a}, [{a}]",
                "ldr {a}, [{a}]",
                "mov sp, {a}",
                "bx {f}",
                // `a` is overwritten, which is fine: the block never returns.
                a = in(reg) VTOR,
                f = in(reg) f,
                options(noreturn),
            )
        }
    }
}

#[cfg(all(not(target_arch = "arm"), not(test)))]
mod sys {
    compile_error!(
        "gather-test's bare-metal runner (target_os = \"none\") talks to the host through ARM semihosting \
         and supports ARM Cortex-M targets only"
    );
}

/// Host unit tests compile the pure parts (argument parsing, selection) without semihosting.
#[cfg(all(not(target_arch = "arm"), test))]
mod sys {
    pub const MODE_WRITE: usize = 4;
    pub const MODE_STDERR: usize = 8;
    pub fn open_tt(_: usize) -> usize {
        unreachable!()
    }
    pub fn write(_: usize, _: &[u8]) {
        unreachable!()
    }
    pub fn cmdline(_: &mut [u8]) -> Option<usize> {
        unreachable!()
    }
    pub fn clock() -> Option<u32> {
        unreachable!()
    }
    pub fn exit(_: u32) -> ! {
        unreachable!()
    }
    pub fn in_thread_mode() -> bool {
        unreachable!()
    }
    pub fn interrupts_enabled() -> bool {
        unreachable!()
    }
    pub fn enable_interrupts() {
        unreachable!()
    }
    pub fn restart(_: extern "C" fn() -> !) -> ! {
        unreachable!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &'static str) -> Result<Args<'static>, ArgsError<'static>> {
        Args::parse(line.split(' '))
    }

    #[test]
    fn parses_what_cargo_and_ides_pass() {
        let a =
            parse("a::b --exact --nocapture  c --skip=d --format terse --test-threads 1").unwrap();
        assert_eq!(a.filters(), ["a::b", "c"]);
        assert_eq!(a.skips(), ["d"]);
        assert!(a.exact && a.terse && !a.list);
        let a = parse("--list --format=terse --ignored").unwrap();
        assert!(a.list && a.terse);
        assert_eq!(a.ignored, RunIgnored::Only);
        assert_eq!(
            parse("--include-ignored").unwrap().ignored,
            RunIgnored::Also
        );
    }

    #[test]
    fn rejects_what_it_cannot_do() {
        assert_eq!(
            parse("--frobnicate").unwrap_err(),
            ArgsError::Unrecognized("frobnicate")
        );
        assert_eq!(
            parse("--format json").unwrap_err(),
            ArgsError::BadFormat("json")
        );
        assert_eq!(
            parse("--skip").unwrap_err(),
            ArgsError::MissingValue("--skip")
        );
        assert!(parse("--help").unwrap().help);
    }
}
