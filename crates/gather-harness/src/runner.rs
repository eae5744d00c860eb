//! The state of a run (printer, counts, `--fail-fast`), how a result is reported, and the runs
//! that take one test at a time: `--test-threads 1` and the benchmarks of bench mode.

use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::capture;
use crate::execute::{drop_payload, execute, on_own_thread};
use crate::failure::Failure;
use crate::filter::Selected;
use crate::measurement::Measurement;
use crate::outcome::{Counts, Outcome};
use crate::output::Printer;
use crate::test::Test;

/// Measures a [`Kind::Bench`](crate::Kind::Bench) item in bench mode. It runs on the main
/// thread, one benchmark at a time, after all tests, with the benchmark's output captured
/// (unless `--no-capture`); a panic or an `Err` fails the benchmark. [`Test::data`] is where a
/// framework keeps what this function needs.
pub type Measure<'a> = &'a mut dyn FnMut(&'static Test) -> Result<Measurement, Failure>;

/// The tests of a parallel run: `--test-threads` at a time, bench mode's tests reported as
/// ignored (`force_ignore`), libtest's warning after `warn_after`.
pub(crate) struct Pool<'a> {
    pub(crate) entries: &'a [Selected],
    pub(crate) force_ignore: bool,
    pub(crate) threads: usize,
    pub(crate) warn_after: Duration,
}

pub(crate) struct Runner {
    pub(crate) printer: Printer,
    pub(crate) counts: Counts,
    pub(crate) capture: bool,
    pub(crate) fail_fast: bool,
    /// `--fail-fast` saw a failure: start nothing more.
    pub(crate) stop: bool,
}

impl Runner {
    pub(crate) fn report(
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

    pub(crate) fn run_serial(
        &mut self,
        entries: &[Selected],
        force_ignore: bool,
    ) -> io::Result<()> {
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
            let (outcome, output, time) = on_own_thread(entry.test, self.capture);
            self.report(entry, false, outcome, output, time)?;
        }
        Ok(())
    }

    pub(crate) fn run_benches(
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
