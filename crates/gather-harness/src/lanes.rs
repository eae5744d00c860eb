//! The parallel run with at most as many test threads as cores (the default): a lane per
//! thread, each starting one test thread at a time (named after its test) and waiting for it to
//! end; the main thread writes the output every few milliseconds and watches for tests running
//! over 60 seconds.
//!
//! Why lanes: a test's result comes back through the join of its thread, to the lane that
//! started it, which reports it and starts the next test. A central loop ([`crate::central`],
//! libtest's way too) sleeps on a channel until a test sends its result, starts the next
//! thread, and has the exited threads to join on top: one more thread to wake and schedule per
//! test, which is where most of a dev-profile run's time went (the kernel switching threads,
//! not the harness's unoptimized code). With more threads than cores it is the other way round
//! (see there). At most `--test-threads` test threads exist at a time.

use std::io;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::execute::on_own_thread;
use crate::filter::Selected;
use crate::outcome::Outcome;
use crate::runner::{Pool, Runner};

/// How long output may wait in the buffer while tests run. Results are written in batches: a
/// `write` per result costs about as much as a trivial test, and wakes whoever reads the pipe.
const FLUSH_EVERY: Duration = Duration::from_millis(10);

/// A test a lane is running.
struct Running {
    index: usize,
    started: Instant,
    /// The 60-second warning is printed.
    warned: bool,
}

/// What the lanes and the main thread share, behind one mutex.
struct Board<'r> {
    runner: &'r mut Runner,
    /// The next entry to start: tests start in the order of the selection.
    next: usize,
    /// Per lane, the test it runs.
    running: Vec<Option<Running>>,
    /// Lanes still working.
    lanes: usize,
    /// The first I/O error writing the output: the run stops there.
    error: Option<io::Error>,
}

struct Shared<'a, 'r> {
    board: Mutex<Board<'r>>,
    /// Signalled when the last lane is done.
    finished: Condvar,
    entries: &'a [Selected],
    force_ignore: bool,
    capture: bool,
}

impl<'r> Shared<'_, 'r> {
    fn lock(&self) -> MutexGuard<'_, Board<'r>> {
        // A lane that panicked left the board consistent (every change is one step): report
        // what can be reported.
        self.board.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the pool's entries on up to `threads` threads at a time, one thread per test, named
/// after it.
pub(crate) fn run_lanes(runner: &mut Runner, pool: &Pool<'_>) -> io::Result<()> {
    let lanes = pool.threads.min(pool.entries.len()).max(1);
    let capture = runner.capture;
    let shared = Shared {
        board: Mutex::new(Board {
            runner,
            next: 0,
            running: (0..lanes).map(|_| None).collect(),
            lanes,
            error: None,
        }),
        finished: Condvar::new(),
        entries: pool.entries,
        force_ignore: pool.force_ignore,
        capture,
    };
    thread::scope(|scope| {
        let mut board = shared.lock();
        let mut started = 0;
        for lane in 0..lanes {
            let shared = &shared;
            // Each lane waits for the lock, and then for its first test.
            let spawned =
                thread::Builder::new().spawn_scoped(scope, move || run_lane(shared, lane));
            if spawned.is_err() {
                break;
            }
            started += 1;
        }
        // The first tests, one per lane, start before any result is in (as many at once as
        // `--test-threads` says, whatever `--fail-fast` sees later). Lanes with none end.
        for lane in 0..started.max(1) {
            if take_next(&mut board, &shared, lane).is_none() {
                break;
            }
        }
        // No thread can start (a target without threads): this one is the only lane, and
        // runs each test on its own thread where one can start.
        let here = started == 0;
        board.lanes = started + usize::from(here);
        drop(board);
        if here {
            run_lane(&shared, 0);
        }
        watch(&shared, pool.warn_after);
    });
    let board = shared
        .board
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    board.error.map_or(Ok(()), Err)
}

/// Counts a lane out when it ends, even by a panic, so that the main thread does not wait
/// forever.
struct LaneEnd<'s, 'a, 'r>(&'s Shared<'a, 'r>);

impl Drop for LaneEnd<'_, '_, '_> {
    fn drop(&mut self) {
        let mut board = self.0.lock();
        board.lanes -= 1;
        if board.lanes == 0 {
            self.0.finished.notify_all();
        }
    }
}

/// One lane: runs its test on the test's own thread and waits for it, then reports it and
/// takes the next under one lock, until the selection is done (or `--fail-fast` or an I/O error
/// stops the run).
fn run_lane(shared: &Shared<'_, '_>, lane: usize) {
    let _end = LaneEnd(shared);
    let Some(mut index) = shared.lock().running[lane].as_ref().map(|r| r.index) else {
        return;
    };
    loop {
        let entry = &shared.entries[index];
        let (outcome, output, time) = on_own_thread(entry.test, shared.capture);
        let mut board = shared.lock();
        board.running[lane] = None;
        let result = board.runner.report(entry, false, outcome, output, time);
        note(&mut board, result);
        match take_next(&mut board, shared, lane) {
            Some(next) => index = next,
            None => return,
        }
    }
}

/// Takes the next entry to run on `lane`, reporting the ignored ones on the way.
fn take_next(board: &mut Board<'_>, shared: &Shared<'_, '_>, lane: usize) -> Option<usize> {
    while !board.runner.stop && board.error.is_none() && board.next < shared.entries.len() {
        let index = board.next;
        board.next += 1;
        let entry = &shared.entries[index];
        board.runner.printer.test_start(entry, false);
        if entry.ignored || shared.force_ignore {
            let ignored = Outcome::Ignored;
            let result = board
                .runner
                .report(entry, false, ignored, Vec::new(), Duration::ZERO);
            note(board, result);
            continue;
        }
        board.running[lane] = Some(Running {
            index,
            started: Instant::now(),
            warned: false,
        });
        if !shared.capture {
            // The test prints directly: what came before must be out first.
            let result = board.runner.printer.flush();
            note(board, result);
        }
        return Some(index);
    }
    None
}

/// Keeps the first I/O error, which stops the run.
fn note(board: &mut Board<'_>, result: io::Result<()>) {
    if let Err(error) = result {
        board.error.get_or_insert(error);
    }
}

/// The main thread while the lanes run: writes the buffered output every [`FLUSH_EVERY`] and
/// prints libtest's warning for tests running over 60 s, until the last lane is done.
fn watch(shared: &Shared<'_, '_>, warn_after: Duration) {
    let mut board = shared.lock();
    while board.lanes > 0 {
        let now = Instant::now();
        let Board {
            runner, running, ..
        } = &mut *board;
        let mut wake = now + FLUSH_EVERY;
        for r in running.iter_mut().flatten().filter(|r| !r.warned) {
            if r.started + warn_after <= now {
                r.warned = true;
                runner.printer.timeout(shared.entries[r.index].test);
            } else {
                wake = wake.min(r.started + warn_after);
            }
        }
        let result = runner.printer.flush();
        note(&mut board, result);
        board = shared
            .finished
            .wait_timeout(board, wake.saturating_duration_since(now))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}
