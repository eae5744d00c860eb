//! The parallel run with more test threads than cores: one loop on the main thread starts a
//! thread per test (named after it), at most `--test-threads` at a time, and reports each
//! result when the thread sends it.
//!
//! Why not lanes ([`crate::lanes`]) here: with more threads than cores, results are usually
//! waiting when the loop looks, so it sleeps rarely; a lane per thread would sleep and wake
//! once per test (measured: 1.8 times libtest's run at 8 threads on 2 cores).

use std::io;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::execute::execute;
use crate::filter::Selected;
use crate::outcome::Outcome;
use crate::runner::{Pool, Runner};

struct Completed {
    index: usize,
    outcome: Outcome,
    output: Vec<u8>,
    time: Duration,
}

struct Running {
    index: usize,
    handle: JoinHandle<()>,
    started: Instant,
    warned: bool,
}

/// Runs the pool's entries on up to `threads` threads at a time, one thread per test, named
/// after it.
pub(crate) fn run_central(runner: &mut Runner, pool: &Pool<'_>) -> io::Result<()> {
    let Pool {
        entries,
        force_ignore,
        threads,
        warn_after,
    } = *pool;
    let (tx, rx) = mpsc::channel::<Completed>();
    let mut running: Vec<Running> = Vec::with_capacity(threads);
    // Threads that sent their result and are exiting: joined once they have exited, so this
    // thread never waits for an exit while it could start the next test.
    let mut exiting: Vec<(usize, JoinHandle<()>)> = Vec::with_capacity(threads);
    let mut next = 0;
    loop {
        while running.len() < threads && next < entries.len() && !runner.stop {
            let index = next;
            next += 1;
            let entry = &entries[index];
            runner.printer.test_start(entry, false);
            if entry.ignored || force_ignore {
                runner.report(entry, false, Outcome::Ignored, Vec::new(), Duration::ZERO)?;
                continue;
            }
            let test = entry.test;
            let capture = runner.capture;
            if !capture {
                // The test prints directly: what came before must be out first.
                runner.printer.flush()?;
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
                    runner.report(entry, false, outcome, output, time)?;
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
                runner.printer.flush()?;
                wait(runner, &rx, &mut running, entries, warn_after)?
            }
        };
        let at = running
            .iter()
            .position(|r| r.index == done.index)
            .expect("result of a test that is not running");
        let finished = running.swap_remove(at);
        exiting.push((done.index, finished.handle));
        let entry = &entries[done.index];
        runner.report(entry, false, done.outcome, done.output, done.time)?;
        reap(&mut exiting, entries, false);
    }
}

/// Waits for a result, printing libtest's warning for tests running over 60 s.
fn wait(
    runner: &mut Runner,
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
                    runner.printer.timeout(entries[r.index].test);
                }
                runner.printer.flush()?;
            }
            Err(RecvTimeoutError::Disconnected) => unreachable!("the runner holds a sender"),
        }
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
