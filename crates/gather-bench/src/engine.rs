//! Measuring one benchmark: timer precision and loop overhead (once per run), warm-up, the
//! number of iterations per sample, and the samples.

use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use gather_harness::Failure;

use crate::bencher::{Bencher, Loop, Throughput};
use crate::descriptor::Def;

/// Settings for one benchmark, after the command line and the attribute are applied.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub samples: usize,
    pub warm_up: Duration,
    pub measurement: Duration,
}

/// What is measured once per process.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    /// Smallest non-zero difference between two consecutive clock reads, in ns.
    pub precision_ns: f64,
    /// Per-iteration cost of [`Bencher::iter`]'s loop around an empty routine, in ns.
    pub iter_overhead_ns: f64,
    /// The same for [`Bencher::iter_batched`].
    pub batched_overhead_ns: f64,
}

/// A sample must last this many timer precisions, so the clock's granularity and the cost of
/// reading it are noise below 0.1%.
const PRECISION_FACTOR: f64 = 1000.0;

/// Never fewer samples than this, even for a benchmark slower than its time budget.
pub(crate) const MIN_SAMPLES: usize = 10;

impl Clock {
    pub(crate) fn measure() -> Clock {
        let precision_ns = precision_ns();
        let iter_overhead_ns = overhead_ns(|b| b.iter(|| ()));
        let batched_overhead_ns = overhead_ns(|b| b.iter_batched(|| (), |()| ()));
        Clock {
            precision_ns,
            iter_overhead_ns,
            batched_overhead_ns,
        }
    }

    fn overhead(&self, kind: Loop) -> f64 {
        match kind {
            Loop::Iter => self.iter_overhead_ns,
            Loop::Batched => self.batched_overhead_ns,
            Loop::Custom => 0.0,
        }
    }

    /// The shortest sample worth taking.
    fn min_sample_ns(&self) -> f64 {
        (self.precision_ns * PRECISION_FACTOR).max(1_000.0)
    }
}

/// The smallest non-zero step of `Instant` seen between back-to-back reads: the timer's
/// resolution, or the cost of reading it where that is larger.
fn precision_ns() -> f64 {
    let mut best = u128::MAX;
    let mut seen = 0;
    let start = Instant::now();
    while seen < 1000 && start.elapsed() < Duration::from_millis(200) {
        let a = Instant::now();
        let mut b = Instant::now();
        while b == a {
            b = Instant::now();
        }
        best = best.min((b - a).as_nanos());
        seen += 1;
    }
    best.max(1) as f64
}

/// Minimum per-iteration time of an empty routine over a few samples of 10,000 iterations:
/// what the loop itself costs, subtracted from every sample of that loop.
fn overhead_ns(run: fn(&mut Bencher)) -> f64 {
    const ITERS: u64 = 10_000;
    let mut best = f64::INFINITY;
    for _ in 0..50 {
        let mut b = Bencher::new(ITERS);
        run(&mut b);
        if let Some((elapsed, _)) = b.take() {
            best = best.min(elapsed.as_nanos() as f64 / ITERS as f64);
        }
    }
    best
}

/// One benchmark's raw result: the time of one iteration in each sample, in ns, with the
/// loop overhead removed.
#[derive(Clone, Debug)]
pub(crate) struct Samples {
    pub per_iter_ns: Vec<f64>,
    pub iters_per_sample: u64,
    pub throughput: Option<Throughput>,
    /// The budget did not allow the requested sample count.
    pub reduced_from: Option<usize>,
}

/// Calls the benchmark function for one sample of `iters` iterations.
fn sample(def: &Def, iters: u64) -> Result<(Duration, Loop, Option<Throughput>), Failure> {
    let mut b = Bencher::new(iters);
    (def.run)(&mut b);
    match b.take() {
        Some((elapsed, kind)) => Ok((elapsed, kind, b.throughput_set())),
        None => Err(never_timed()),
    }
}

pub(crate) fn never_timed() -> Failure {
    Failure::new(
        "the benchmark function never called `Bencher::iter`, `iter_batched` or `iter_custom`",
    )
}

/// Warms up, picks the iterations per sample, and takes the samples.
pub(crate) fn run(def: &Def, clock: &Clock, settings: Settings) -> Result<Samples, Failure> {
    // Warm-up, which also finds the iteration count: double it until a sample is far above
    // the timer's precision and long enough to estimate from, then repeat it until the
    // warm-up time is spent.
    let min_sample = clock.min_sample_ns();
    let estimate_sample = min_sample.max(settings.warm_up.as_nanos() as f64 / 50.0);
    let start = Instant::now();
    let mut iters = 1u64;
    // Per-iteration times of the samples long enough to trust; the estimate is the median of
    // the last few, so one sample slowed by another process does not skew the iteration count.
    let mut trusted: Vec<f64> = Vec::new();
    let per_iter = loop {
        let (elapsed, _, _) = sample(def, iters)?;
        let ns = elapsed.as_nanos() as f64;
        let done = start.elapsed() >= settings.warm_up;
        if ns >= min_sample {
            trusted.push(ns / iters as f64);
        }
        if ns >= estimate_sample || (done && ns >= min_sample) {
            if done {
                let recent = &trusted[trusted.len().saturating_sub(9)..];
                break crate::stats::median(recent);
            }
        } else if iters < u64::MAX / 2 {
            iters *= 2;
        } else if done {
            // A routine the optimizer removed entirely: no number of iterations takes time.
            break ns.max(1.0) / iters as f64;
        }
    };
    let per_iter = per_iter.max(1e-3);

    let budget = settings.measurement.as_nanos() as f64;
    let mut samples = settings.samples.max(2);
    let mut reduced_from = None;
    if per_iter * samples as f64 > budget && samples > MIN_SAMPLES {
        // Too slow for the budget with one iteration per sample: fewer samples, not a budget
        // overrun (criterion's long runs are its users' first complaint).
        let fit = ((budget / per_iter) as usize).clamp(MIN_SAMPLES, samples);
        if fit < samples {
            reduced_from = Some(samples);
            samples = fit;
        }
    }
    let target = budget / samples as f64;
    let by_budget = (target / per_iter).round();
    let by_precision = (min_sample / per_iter).ceil();
    let iters = by_budget
        .max(by_precision)
        .clamp(1.0, u64::MAX as f64 / 4.0) as u64;

    let mut per_iter_ns = Vec::with_capacity(samples);
    let mut throughput = def.throughput;
    for _ in 0..samples {
        let (elapsed, kind, set) = sample(def, iters)?;
        if set.is_some() {
            throughput = set;
        }
        let t = elapsed.as_nanos() as f64 / iters as f64 - clock.overhead(kind);
        per_iter_ns.push(t.max(0.0));
    }
    Ok(Samples {
        per_iter_ns,
        iters_per_sample: iters,
        throughput,
        reduced_from,
    })
}

/// Runs the benchmark function once with one iteration: `cargo test --benches`.
pub(crate) fn once(run: fn(&mut Bencher)) -> Result<(), Failure> {
    let mut b = Bencher::new(1);
    let result = panic::catch_unwind(AssertUnwindSafe(|| run(&mut b)));
    match result {
        Ok(()) if b.take().is_some() => Ok(()),
        Ok(()) => Err(never_timed()),
        Err(payload) => panic::resume_unwind(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(run: fn(&mut Bencher)) -> Def {
        Def {
            run,
            throughput: None,
            samples: None,
            time_ns: None,
            warm_up_ns: None,
        }
    }

    #[test]
    fn clock_is_sane() {
        let c = Clock::measure();
        assert!(c.precision_ns >= 1.0 && c.precision_ns < 1e6, "{c:?}");
        assert!(
            c.iter_overhead_ns >= 0.0 && c.iter_overhead_ns < 100.0,
            "{c:?}"
        );
        assert!(
            c.batched_overhead_ns >= 0.0 && c.batched_overhead_ns < 1000.0,
            "{c:?}"
        );
    }

    #[test]
    fn a_sleep_is_measured_as_a_sleep() {
        let clock = Clock::measure();
        let settings = Settings {
            samples: 10,
            warm_up: Duration::from_millis(20),
            measurement: Duration::from_millis(100),
        };
        let s = run(
            &def(|b| b.iter(|| std::thread::sleep(Duration::from_millis(2)))),
            &clock,
            settings,
        )
        .unwrap();
        assert_eq!(s.per_iter_ns.len(), 10);
        let med = crate::stats::median(&s.per_iter_ns);
        // Sleeping 2 ms takes at least 2 ms and, on a busy machine, not ten times that.
        assert!((2.0e6..2.0e7).contains(&med), "{med}");
    }

    #[test]
    fn slow_benchmarks_get_fewer_samples_within_the_budget() {
        let clock = Clock::measure();
        let settings = Settings {
            samples: 100,
            warm_up: Duration::from_millis(1),
            measurement: Duration::from_millis(60),
        };
        let s = run(
            &def(|b| b.iter(|| std::thread::sleep(Duration::from_millis(3)))),
            &clock,
            settings,
        )
        .unwrap();
        assert_eq!(s.iters_per_sample, 1);
        assert_eq!(s.reduced_from, Some(100));
        assert!(s.per_iter_ns.len() <= 20, "{}", s.per_iter_ns.len());
        assert!(s.per_iter_ns.len() >= MIN_SAMPLES);
    }

    #[test]
    fn fast_benchmarks_get_many_iterations_per_sample() {
        let clock = Clock::measure();
        let settings = Settings {
            samples: 20,
            warm_up: Duration::from_millis(20),
            measurement: Duration::from_millis(40),
        };
        let s = run(
            &def(|b| b.iter(|| std::hint::black_box(1u64) + 1)),
            &clock,
            settings,
        )
        .unwrap();
        let sample_ns = crate::stats::median(&s.per_iter_ns) * s.iters_per_sample as f64;
        assert!(s.iters_per_sample > 1000, "{s:?}");
        assert!(sample_ns < 1e9, "{s:?}");
    }

    #[test]
    fn functions_that_time_nothing_fail() {
        let clock = Clock::measure();
        let settings = Settings {
            samples: 10,
            warm_up: Duration::from_millis(1),
            measurement: Duration::from_millis(1),
        };
        let e = run(&def(|_| {}), &clock, settings).unwrap_err();
        assert!(e.message().contains("never called `Bencher::iter`"), "{e}");
        assert!(once(|_| {}).is_err());
        assert!(once(|b| b.iter(|| 1)).is_ok());
    }
}
