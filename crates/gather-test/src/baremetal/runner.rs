//! The run: tests one after the other in one boot, a panic judged by [`panicked`], which goes on
//! with the next test on a fresh stack, and libtest's output.

use core::fmt::Write;
use core::panic::PanicInfo;

use gather::Registry;
use gather_harness::{Checkpoint, FixedText, Ignore, ShouldPanic, Test};

use super::args::Args;
use super::console::{fail, flush, print};
use super::global::Global;
use super::order::{Position, next_in_run_order};
use super::semihosting as sys;

/// The most failing tests whose names the summary lists.
const MAX_FAILURES: usize = 128;

struct Run {
    tests: Registry<Test>,
    args: Args<'static>,
    /// The last test started: the next one follows it.
    last: Option<Position>,
    /// The test under way, if any.
    current: Option<&'static Test>,
    selected: usize,
    passed: usize,
    failed: usize,
    ignored: usize,
    /// Terse mode: results on the current line, and in all.
    column: usize,
    done: usize,
    /// Names of the first [`MAX_FAILURES`] failures, in run (name) order.
    failures: [&'static str; MAX_FAILURES],
    start_centis: Option<u32>,
    interrupts_were_enabled: bool,
    in_panic: bool,
}

static CMDLINE: Global<[u8; 512]> = Global::new([0; 512]);
static RUN: Global<Option<Run>> = Global::new(None);
/// The `---- name stdout ----` sections of the failures.
static REPORT: Global<FixedText<4096>> = Global::new(FixedText::new());
/// Where the running test's section starts in [`REPORT`].
static SECTION_START: Global<Option<Checkpoint>> = Global::new(None);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Failed,
    Ignored,
}

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
    let mut after = None;
    while let Some((position, _)) = next_selected(tests, &args, after) {
        selected += 1;
        after = Some(position);
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
            failures: [""; MAX_FAILURES],
            start_centis: sys::clock(),
            interrupts_were_enabled: false,
            in_panic: false,
        });
    }
    resume()
}

fn next_selected(
    tests: Registry<Test>,
    args: &Args<'_>,
    after: Option<Position>,
) -> Option<(Position, &'static Test)> {
    let criteria = args.criteria();
    next_in_run_order(tests, after, |test| criteria.selects(test))
}

fn list(tests: Registry<Test>, args: &Args<'_>) -> ! {
    let mut count = 0;
    let mut after = None;
    while let Some((position, test)) = next_selected(tests, args, after) {
        after = Some(position);
        count += 1;
        print(format_args!("{}: test\n", test.name));
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
        let Some((position, test)) = next_selected(tests, &args, last) else {
            break;
        };
        // SAFETY: as above.
        unsafe { state().last = Some(position) };
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
            run.current = Some(test);
            run.interrupts_were_enabled = sys::interrupts_enabled();
        }
        let returned = (test.run)();
        // SAFETY: as above.
        unsafe { state().current = None };
        // SAFETY: as above.
        let report = unsafe { REPORT.get() };
        let outcome = match (returned, test.should_panic) {
            (Err(failure), _) => {
                // What std prints for a `main` returning an error.
                let _ = writeln!(report, "Error: {failure:?}");
                report.count_cut(failure.cut_bytes());
                Outcome::Failed
            }
            (Ok(()), ShouldPanic::No) => Outcome::Ok,
            (Ok(()), _) => {
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

/// Opens the test's `---- name stdout ----` section (dropped again if it passes).
fn begin_report(test: &Test) {
    // SAFETY: one core; not held across test code.
    unsafe {
        let report = REPORT.get();
        *SECTION_START.get() = Some(report.checkpoint());
        let _ = writeln!(report, "---- {} stdout ----", test.name);
    }
}

/// Prints the result and counts it; drops a passing test's section.
fn result(test: &'static Test, outcome: Outcome) {
    // SAFETY: one core; not held across test code.
    let run = unsafe { state() };
    let report = unsafe { REPORT.get() };
    match outcome {
        Outcome::Ok => {
            run.passed += 1;
            if let Some(start) = unsafe { *SECTION_START.get() } {
                report.rewind(start);
            }
        }
        Outcome::Ignored => run.ignored += 1,
        Outcome::Failed => {
            if let Some(slot) = run.failures.get_mut(run.failed) {
                *slot = test.name;
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
        if report.cut_bytes() > 0 {
            print(format_args!(
                "\n(gather-test: {} more bytes of failure output did not fit in its buffer)\n",
                report.cut_bytes()
            ));
        }
        print(format_args!("\nfailures:\n"));
        // Names sorted, as libtest prints them; tests already run in name order.
        let kept = run.failed.min(MAX_FAILURES);
        for name in &run.failures[..kept] {
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
    let (test, restore_interrupts) = match unsafe { RUN.get() } {
        Some(run) if !run.in_panic && run.current.is_some() => {
            run.in_panic = true;
            (run.current.take(), run.interrupts_were_enabled)
        }
        // A panic in the runner itself, or while handling a panic.
        _ => fail(format_args!("panic outside a test: {info}")),
    };
    let Some(test) = test else {
        fail(format_args!("panic outside a test: {info}"))
    };
    let mut message = FixedText::<512>::new();
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
