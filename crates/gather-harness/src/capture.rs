//! Per-test output capture on stable Rust.
//!
//! libtest captures a test's output with `std::io::set_output_capture`, which is unstable, so a
//! stable harness captures what it can:
//!
//! - **panic messages**: the harness installs a panic hook that, on a thread running a test with
//!   capture on, writes `thread '<test name>' (<tid>) panicked at <file>:<line>:<col>:\n<message>`
//!   (and the backtrace or the `RUST_BACKTRACE` note, like std's hook) into the test's buffer;
//! - **the macros here**: [`print!`](crate::capture::print), [`println!`](crate::capture::println),
//!   [`eprint!`](crate::capture::eprint), [`eprintln!`](crate::capture::eprintln) and
//!   [`dbg!`](crate::capture::dbg) write into the current test's buffer when it captures, and to
//!   the real stdout/stderr otherwise. A test framework brings them into scope in place of std's
//!   (`use gather_harness::capture::*;` shadows the prelude macros), so user code's `println!`
//!   is captured.
//!
//! Not captured (printed directly, as with `--no-capture`): writes to `std::io::stdout()` or
//! `stderr()` (`writeln!(io::stdout(), ..)`, `io::stdout().write_all(..)`), std's own
//! `std::println!`, output of dependencies and of child processes, and everything printed or
//! panicked by threads the test spawns (libtest hands its capture to child threads; a stable
//! harness cannot). Stdout and stderr go to the same buffer, in order, as in libtest.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{self, Write};
use std::panic::PanicHookInfo;
use std::sync::Once;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use crate::test::Test;

pub use crate::{
    __dbg as dbg, __eprint as eprint, __eprintln as eprintln, __print as print,
    __println as println,
};

thread_local! {
    /// `Some` while the test running on this thread captures its output.
    static BUFFER: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

thread_local! {
    /// The test running on this thread (set while it runs, captured or not).
    static CURRENT_TEST: Cell<Option<&'static Test>> = const { Cell::new(None) };
}

/// Sets the test running on this thread, which a panic is reported for.
pub(crate) fn set_current_test(test: Option<&'static Test>) {
    CURRENT_TEST.with(|c| c.set(test));
}

/// The test whose [`Test::run`] is running on this thread, if any: lets one function serve as
/// the `run` of many tests and read which one it is from [`Test::data`] (gather-bench's
/// test-mode run of every benchmark, instead of a closure per benchmark for rustc to compile).
pub fn current_test() -> Option<&'static Test> {
    CURRENT_TEST.try_with(Cell::get).ok().flatten()
}

/// How the panic hook of a `panic = "abort"` binary ends the test's result line on stdout.
pub(crate) static ABORT_LINE: AtomicU8 = AtomicU8::new(ABORT_LINE_NONE);
/// Print nothing on stdout (JSON).
pub(crate) const ABORT_LINE_NONE: u8 = 0;
/// `test name ... ` is on screen: print `FAILED`.
pub(crate) const ABORT_LINE_END: u8 = 1;
/// Print the whole pretty line.
pub(crate) const ABORT_LINE_PRETTY: u8 = 2;
/// Print the terse failure line.
pub(crate) const ABORT_LINE_TERSE: u8 = 3;

/// Starts capturing on this thread.
pub(crate) fn begin() {
    BUFFER.with(|b| *b.borrow_mut() = Some(Vec::new()));
}

/// Stops capturing on this thread and returns what was captured.
pub(crate) fn end() -> Vec<u8> {
    BUFFER.with(|b| b.borrow_mut().take()).unwrap_or_default()
}

/// Whether output printed on this thread now is being captured.
pub fn is_capturing() -> bool {
    BUFFER
        .try_with(|b| b.try_borrow().map(|b| b.is_some()).unwrap_or(true))
        .unwrap_or(false)
}

/// Runs `f` on the capture buffer, if this thread captures and the buffer is free (it is not
/// while formatting the arguments of a print into it, if those print themselves).
fn with_buffer(f: impl FnOnce(&mut Vec<u8>)) -> bool {
    BUFFER
        .try_with(|b| match b.try_borrow_mut() {
            Ok(mut b) => match b.as_mut() {
                Some(buffer) => {
                    f(buffer);
                    true
                }
                None => false,
            },
            Err(_) => false,
        })
        .unwrap_or(false)
}

/// Writes raw bytes to the current test's output: its buffer when capturing, else `stdout`.
pub fn write_stdout(bytes: &[u8]) {
    if !with_buffer(|b| b.extend_from_slice(bytes)) {
        let _ = io::stdout().write_all(bytes);
    }
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

fn print_to(args: fmt::Arguments<'_>, newline: bool, stream: Stream) {
    let captured = with_buffer(|b| {
        // Writing into a Vec fails only if a Display implementation fails; print! panics then.
        b.write_fmt(args)
            .expect("a formatting trait implementation returned an error");
        if newline {
            b.push(b'\n');
        }
    });
    if captured {
        return;
    }
    let result = match stream {
        Stream::Out => {
            let mut out = io::stdout().lock();
            out.write_fmt(args).and_then(|()| {
                if newline {
                    out.write_all(b"\n")
                } else {
                    Ok(())
                }
            })
        }
        Stream::Err => {
            let mut out = io::stderr().lock();
            out.write_fmt(args).and_then(|()| {
                if newline {
                    out.write_all(b"\n")
                } else {
                    Ok(())
                }
            })
        }
    };
    if let Err(e) = result {
        match stream {
            Stream::Out => panic!("failed printing to stdout: {e}"),
            Stream::Err => panic!("failed printing to stderr: {e}"),
        }
    }
}

#[doc(hidden)]
pub fn _print(args: fmt::Arguments<'_>) {
    print_to(args, false, Stream::Out);
}

#[doc(hidden)]
pub fn _println(args: fmt::Arguments<'_>) {
    print_to(args, true, Stream::Out);
}

#[doc(hidden)]
pub fn _eprint(args: fmt::Arguments<'_>) {
    print_to(args, false, Stream::Err);
}

#[doc(hidden)]
pub fn _eprintln(args: fmt::Arguments<'_>) {
    print_to(args, true, Stream::Err);
}

/// `print!` that the running test captures. Re-exported as `capture::print`.
#[macro_export]
macro_rules! __print {
    ($($arg:tt)*) => {
        $crate::capture::_print(::core::format_args!($($arg)*))
    };
}

/// `println!` that the running test captures. Re-exported as `capture::println`.
#[macro_export]
macro_rules! __println {
    () => {
        $crate::capture::_print(::core::format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::capture::_println(::core::format_args!($($arg)*))
    };
}

/// `eprint!` that the running test captures. Re-exported as `capture::eprint`.
#[macro_export]
macro_rules! __eprint {
    ($($arg:tt)*) => {
        $crate::capture::_eprint(::core::format_args!($($arg)*))
    };
}

/// `eprintln!` that the running test captures. Re-exported as `capture::eprintln`.
#[macro_export]
macro_rules! __eprintln {
    () => {
        $crate::capture::_eprint(::core::format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::capture::_eprintln(::core::format_args!($($arg)*))
    };
}

/// `dbg!` that the running test captures. Re-exported as `capture::dbg`.
#[macro_export]
macro_rules! __dbg {
    () => {
        $crate::capture::_eprintln(::core::format_args!(
            "[{}:{}:{}]",
            ::core::file!(),
            ::core::line!(),
            ::core::column!()
        ))
    };
    ($val:expr $(,)?) => {
        match $val {
            tmp => {
                $crate::capture::_eprintln(::core::format_args!(
                    "[{}:{}:{}] {} = {:#?}",
                    ::core::file!(),
                    ::core::line!(),
                    ::core::column!(),
                    ::core::stringify!($val),
                    &tmp
                ));
                tmp
            }
        }
    };
    ($($val:expr),+ $(,)?) => {
        ($($crate::__dbg!($val)),+,)
    };
}

/// Installs the panic hook that writes panic messages into the capture buffer (once per
/// process). Panics on threads that don't capture go to the hook that was installed before.
///
/// In a binary built with `panic = "abort"` (wasm32-wasip1 by default), the process ends right
/// after the hook, so the hook reports the test as failed and exits with 101 itself, instead of
/// leaving a bare abort (a trap under node) without the test's name or output.
pub(crate) fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !capture_panic(info) {
                previous(info);
            }
            if cfg!(panic = "abort") {
                report_abort();
            }
        }));
    });
}

/// The end of a run in a `panic = "abort"` binary: the failing test's line and output, and why
/// the tests after it did not run.
fn report_abort() {
    let Some(name) = current_test().map(|t| t.name) else {
        return;
    };
    let output = end();
    let mut stdout = io::stdout().lock();
    let _ = match ABORT_LINE.load(Ordering::Relaxed) {
        ABORT_LINE_END => writeln!(stdout, "FAILED"),
        ABORT_LINE_PRETTY => writeln!(stdout, "test {name} ... FAILED"),
        ABORT_LINE_TERSE => writeln!(stdout, "{name} --- FAILED"),
        _ => Ok(()),
    };
    let _ = stdout.flush();
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(&output);
    let _ = writeln!(
        stderr,
        "error: test {name} panicked, and this binary aborts on panic (panic = \"abort\"): the tests after it did not run"
    );
    let _ = stderr.flush();
    std::process::exit(crate::conclusion::ERROR_EXIT_CODE);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BacktraceStyle {
    Off,
    Short,
    Full,
}

fn backtrace_style() -> BacktraceStyle {
    static STYLE: OnceLock<BacktraceStyle> = OnceLock::new();
    *STYLE.get_or_init(|| match std::env::var_os("RUST_BACKTRACE") {
        None => BacktraceStyle::Off,
        Some(v) if v == "0" => BacktraceStyle::Off,
        Some(v) if v == "full" => BacktraceStyle::Full,
        Some(_) => BacktraceStyle::Short,
    })
}

/// The OS thread id std's panic message shows, `thread 'name' (tid)`.
fn os_thread_id() -> Option<u64> {
    if cfg!(target_os = "linux") {
        let link = std::fs::read_link("/proc/thread-self").ok()?;
        link.file_name()?.to_str()?.parse().ok()
    } else {
        None
    }
}

/// Formats a panic like std's default hook, into the capture buffer. False if this thread does
/// not capture (or its buffer is in use), in which case the previous hook should print it.
fn capture_panic(info: &PanicHookInfo<'_>) -> bool {
    if !is_capturing() {
        return false;
    }
    static FIRST_PANIC: AtomicBool = AtomicBool::new(true);
    let thread = std::thread::current();
    // A test runs on a thread named after it, or on the main thread where there are no threads.
    let current = current_test().map(|t| t.name);
    let name = current.or(thread.name()).unwrap_or("<unnamed>");
    let payload = info.payload();
    let message = (payload.downcast_ref::<&str>().copied())
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("Box<dyn Any>");
    let mut text = String::with_capacity(64 + message.len());
    use std::fmt::Write as _;
    let _ = write!(text, "\nthread '{name}'");
    if let Some(tid) = os_thread_id() {
        let _ = write!(text, " ({tid})");
    }
    text.push_str(" panicked at ");
    if let Some(location) = info.location() {
        let _ = write!(text, "{location}");
    }
    let _ = writeln!(text, ":\n{message}");
    match backtrace_style() {
        BacktraceStyle::Off => {
            if FIRST_PANIC.swap(false, Ordering::Relaxed) {
                text.push_str("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n");
            }
        }
        BacktraceStyle::Short => {
            let _ = write!(
                text,
                "stack backtrace:\n{}",
                std::backtrace::Backtrace::force_capture()
            );
            text.push_str(
                "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n",
            );
        }
        BacktraceStyle::Full => {
            let _ = write!(
                text,
                "stack backtrace:\n{:#}",
                std::backtrace::Backtrace::force_capture()
            );
        }
    }
    with_buffer(|b| b.extend_from_slice(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn macros_capture_only_while_capturing() {
        super::begin();
        crate::capture::print!("a{}", 1);
        crate::capture::println!();
        crate::capture::eprintln!("b");
        crate::capture::eprint!("c");
        crate::capture::println!("d");
        let v = crate::capture::dbg!(1 + 1);
        assert_eq!(v, 2);
        assert!(super::is_capturing());
        let out = super::end();
        assert!(!super::is_capturing());
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("a1\nb\ncd\n["), "{out:?}");
        assert!(out.ends_with("] 1 + 1 = 2\n"), "{out:?}");
    }
}
