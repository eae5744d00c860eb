//! The `Bencher` a benchmark function receives.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// How many inputs [`Bencher::iter_batched`] prepares before timing a batch: enough that the
/// two clock reads around a batch cost well under a nanosecond per iteration, few enough that
/// large inputs do not exhaust memory.
const BATCH: u64 = 64;

/// What one iteration processes, for the throughput column.
///
/// ```
/// use gather_bench::Throughput;
/// let t = Throughput::Bytes(4096);
/// assert_eq!(t, Throughput::Bytes(4096));
/// assert_ne!(t, Throughput::Items(4096));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throughput {
    /// Bytes per iteration: shown as B/s, KiB/s, MiB/s, GiB/s.
    Bytes(u64),
    /// Items per iteration: shown as items/s with decimal prefixes.
    Items(u64),
}

/// Which loop a sample ran, so the engine subtracts the matching loop overhead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Loop {
    /// [`Bencher::iter`].
    Iter,
    /// [`Bencher::iter_batched`].
    Batched,
    /// [`Bencher::iter_custom`]: the user's own timing, taken as is.
    Custom,
}

/// Runs the code to measure. A benchmark function `fn name(b: &mut Bencher)` is called once per
/// sample and must call exactly one of [`iter`](Bencher::iter),
/// [`iter_batched`](Bencher::iter_batched) or [`iter_custom`](Bencher::iter_custom); what it does
/// before that (building inputs, say) is not timed.
///
/// Under `cargo test --benches` the function is called once and the routine runs one
/// iteration, so a benchmark is also a smoke test.
///
/// ```
/// use gather_bench::Bencher;
///
/// fn sum(b: &mut Bencher) {
///     let data: Vec<u64> = (0..1000).collect(); // set up once per sample, not timed
///     b.iter(|| data.iter().sum::<u64>());
/// }
///
/// // Runs the benchmark as `cargo test --benches` does: once.
/// gather_bench::run_once(sum).unwrap();
/// ```
pub struct Bencher {
    iters: u64,
    elapsed: Option<(Duration, Loop)>,
    throughput: Option<Throughput>,
}

impl Bencher {
    pub(crate) fn new(iters: u64) -> Bencher {
        Bencher {
            iters,
            elapsed: None,
            throughput: None,
        }
    }

    /// The time the routine took for this sample, and which loop ran it.
    pub(crate) fn take(&mut self) -> Option<(Duration, Loop)> {
        self.elapsed.take()
    }

    pub(crate) fn throughput_set(&self) -> Option<Throughput> {
        self.throughput
    }

    /// Times `routine` over this sample's iterations. Its result goes through [`black_box`]
    /// (so the work is not optimized away) and is dropped inside the timed loop; use
    /// [`iter_batched`](Bencher::iter_batched) to keep an expensive drop out of the timing.
    ///
    /// ```
    /// gather_bench::run_once(|b| b.iter(|| gather_bench::black_box(3u64).pow(4))).unwrap();
    /// ```
    #[inline(never)]
    pub fn iter<O, R>(&mut self, mut routine: R)
    where
        R: FnMut() -> O,
    {
        let n = self.iters;
        let start = Instant::now();
        for _ in 0..n {
            black_box(routine());
        }
        self.record(start.elapsed(), Loop::Iter);
    }

    /// Times `routine` on inputs made by `setup`, which is not timed: for routines that consume
    /// or mutate their input (sorting a vector, say). Inputs are prepared in batches of 64 and
    /// outputs are dropped after the batch's clock stops.
    ///
    /// ```
    /// gather_bench::run_once(|b| {
    ///     b.iter_batched(|| vec![3, 1, 2], |mut v| {
    ///         v.sort();
    ///         v
    ///     })
    /// })
    /// .unwrap();
    /// ```
    #[inline(never)]
    pub fn iter_batched<I, O, S, R>(&mut self, mut setup: S, mut routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        let mut left = self.iters;
        let mut total = Duration::ZERO;
        let mut inputs = Vec::with_capacity(BATCH.min(left) as usize);
        let mut outputs = Vec::with_capacity(BATCH.min(left) as usize);
        while left > 0 {
            let k = BATCH.min(left);
            inputs.extend((0..k).map(|_| setup()));
            let start = Instant::now();
            for input in inputs.drain(..) {
                outputs.push(black_box(routine(black_box(input))));
            }
            total += start.elapsed();
            outputs.clear();
            left -= k;
        }
        self.record(total, Loop::Batched);
    }

    /// Lets `routine` time the given number of iterations itself and return the total time:
    /// for work measured by other means (a GPU timer, a simulated clock, only part of the
    /// loop). No loop overhead is subtracted.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// gather_bench::run_once(|b| {
    ///     b.iter_custom(|iters| {
    ///         let mut total = Duration::ZERO;
    ///         for i in 0..iters {
    ///             let input = vec![i; 100]; // not timed
    ///             let start = Instant::now();
    ///             gather_bench::black_box(input.iter().sum::<u64>());
    ///             total += start.elapsed();
    ///         }
    ///         total
    ///     })
    /// })
    /// .unwrap();
    /// ```
    pub fn iter_custom<R>(&mut self, mut routine: R)
    where
        R: FnMut(u64) -> Duration,
    {
        let elapsed = routine(self.iters);
        self.record(elapsed, Loop::Custom);
    }

    /// Sets the bytes one iteration processes, for a throughput column (overrides the
    /// attribute's `bytes = N`); useful with `args`, where the size depends on the argument.
    ///
    /// ```
    /// gather_bench::run_once(|b| {
    ///     let data = vec![1u8; 4096];
    ///     b.bytes(data.len() as u64);
    ///     b.iter(|| data.iter().map(|&x| x as u64).sum::<u64>());
    /// })
    /// .unwrap();
    /// ```
    pub fn bytes(&mut self, bytes: u64) {
        self.throughput = Some(Throughput::Bytes(bytes));
    }

    /// Sets the items one iteration processes (overrides the attribute's `items = N`).
    ///
    /// ```
    /// gather_bench::run_once(|b| {
    ///     let words = ["a", "bb", "ccc"];
    ///     b.items(words.len() as u64);
    ///     b.iter(|| words.iter().map(|w| w.len()).sum::<usize>());
    /// })
    /// .unwrap();
    /// ```
    pub fn items(&mut self, items: u64) {
        self.throughput = Some(Throughput::Items(items));
    }

    fn record(&mut self, elapsed: Duration, kind: Loop) {
        if self.elapsed.is_some() {
            // Two timed loops in one call would mix two routines in one sample.
            panic!(
                "a benchmark function must call only one of `iter`, `iter_batched` and `iter_custom`, once"
            );
        }
        self.elapsed = Some((elapsed, kind));
    }
}
