//! Running one test on the current thread and judging its result as libtest does.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::{Duration, Instant};

use crate::capture;
use crate::outcome::Outcome;
use crate::test::{ShouldPanic, Test};

/// How a test ended, what it printed (when captured) and how long it ran.
pub(crate) type Done = (Outcome, Vec<u8>, Duration);

/// Runs `test` on a new thread named after it (as libtest does, so `thread::current().name()`
/// is the test's name) and waits for it to end; on the current thread if no thread can start.
/// The result comes back through the join, not a channel: nothing else wakes the caller.
pub(crate) fn on_own_thread(test: &'static Test, capture: bool) -> Done {
    match thread::Builder::new()
        .name(test.name.to_owned())
        .spawn(move || execute(test, capture))
    {
        Ok(handle) => handle.join().unwrap_or_else(|_| died(test)),
        Err(_) => execute(test, capture),
    }
}

/// A test thread that died outside `catch_unwind` (the harness's code after the test panicked,
/// or a thread-local destructor).
pub(crate) fn died(_test: &'static Test) -> Done {
    (
        Outcome::FailedMsg("the test thread panicked after the test returned".to_owned()),
        Vec::new(),
        Duration::ZERO,
    )
}

/// Drops a panic payload, whose `Drop` may itself panic.
pub(crate) fn drop_payload(payload: Box<dyn Any + Send>) {
    let _ = panic::catch_unwind(AssertUnwindSafe(|| drop(payload)));
}

/// Runs one test on the current thread, capturing its output if asked, and judges the result
/// as libtest does (`should_panic` included).
pub(crate) fn execute(test: &'static Test, capture: bool) -> Done {
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
