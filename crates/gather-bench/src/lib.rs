//! Benchmarks on [gather](https://docs.rs/gather): write `#[gather_bench::bench]` on functions
//! in any module file of a bench target and call `gather_bench::main!()` once at its root; no
//! list of benchmarks to keep up to date.
//!
//! ```toml
//! [dev-dependencies]
//! gather-bench = "0.1"
//!
//! [[bench]]
//! name = "parsing"
//! harness = false
//! ```
//!
//! ```ignore
//! // benches/parsing/main.rs (cargo finds `benches/<name>/main.rs` as bench target `<name>`)
//! use gather_bench::{Bencher, bench, black_box};
//!
//! gather_bench::main!();
//!
//! mod json; // benches/parsing/json.rs: benchmarks in other files are found too
//!
//! #[bench]
//! fn small(b: &mut Bencher) {
//!     let input = "[1, 2, 3]".to_owned(); // not timed
//!     b.iter(|| parse(black_box(&input)));
//! }
//!
//! #[gather_bench::bench] // the short form: the body is what is measured
//! fn empty() -> Value {
//!     parse(black_box("[]"))
//! }
//!
//! #[gather_bench::bench(args = [10, 100, 1000], bytes = 8)]   // names: sizes::10, ...
//! fn sizes(n: usize) -> u64 {
//!     (0..n as u64).sum()
//! }
//!
//! #[gather_bench::bench(ignore = "needs the network")]
//! fn fetch(b: &mut Bencher) { b.iter(|| ()) }
//! ```
//!
//! `cargo bench` measures; `cargo test --benches` runs each benchmark once as a smoke test;
//! `cargo nextest run --benches` runs them too (one process each). A complete example is the
//! fixture `tests/fixtures/gb-user` in gather's repository.
//!
//! # The attribute
//!
//! `#[gather_bench::bench]` (or `#[bench]` after `use gather_bench::bench`) takes:
//!
//! | option | meaning |
//! |---|---|
//! | `args = [a, b, ..]` | one benchmark per argument, named `name::a`, `name::b` (a string literal's value, otherwise the expression's text); the function takes the argument as its last parameter |
//! | `bytes = N` / `items = N` | what one iteration processes: adds a throughput column (B/s, items/s); [`Bencher::bytes`] and [`Bencher::items`] set it at run time |
//! | `samples = N` | samples to take (default 100) |
//! | `time = "1s"` | time budget for the samples (default 2.5 s) |
//! | `warm_up = "300ms"` | warm-up time (default 300 ms) |
//! | `ignore`, `ignore = "reason"` | only measured with `--ignored` / `--include-ignored` (`#[ignore]` beside the attribute works too) |
//!
//! The function is `fn name(b: &mut Bencher)` (see [`Bencher`]) or `fn name() -> T`, whose
//! whole body is measured and whose result goes through [`black_box`]. With `args`, each takes
//! one more parameter; in the short form the argument is cloned for each iteration (a copy for
//! numbers and `&str`) and hidden from the optimizer.
//!
//! A `#[bench]` that gather cannot see (written by a `macro_rules!` macro, say) and a missing
//! `main!()` are compile errors that say what to do.
//!
//! # Measuring
//!
//! At start, the timer's precision (the smallest step between two clock reads) and the cost of
//! the measuring loops themselves are measured. Each benchmark is then warmed up (doubling the
//! iterations per sample until one sample lasts at least 1000 timer precisions), given
//! `samples` samples of equal iteration counts filling its time budget, and the loop overhead
//! is subtracted from every sample. A benchmark too slow for its budget gets fewer samples (at
//! least 10) instead of overrunning, with a note. Defaults: 300 ms warm-up, 2.5 s of samples,
//! 100 samples; criterion's are 3 s and 5 s.
//!
//! Statistics, per iteration: median, mean, standard deviation and MAD (scaled by 1.4826 to
//! estimate the standard deviation), each with a 95% percentile-bootstrap interval (10,000
//! resamples); outliers are classified with Tukey's fences (mild beyond 1.5 IQR, severe
//! beyond 3) and reported, not removed.
//!
//! # Command line
//!
//! libtest's (filters, `--exact`, `--skip`, `--ignored`, `--include-ignored`, `--list`,
//! `--format`; see [`gather_harness::Args`]) plus, for bench mode:
//!
//! | option | meaning |
//! |---|---|
//! | `--sample-count N` | samples per benchmark |
//! | `--measurement-time T` | time budget for the samples (`1s`, `0.5`, `200ms`, `50us`) |
//! | `--warm-up-time T` | warm-up time |
//! | `--save-baseline NAME` | save the samples as baseline `NAME` |
//! | `--baseline NAME` | compare with baseline `NAME` |
//! | `--noise-threshold PCT` | changes within ±PCT % are "no change" (default 2) |
//! | `--nresamples N` | bootstrap resamples (default 10,000) |
//! | `--no-report` | skip the HTML report |
//! | `--format json` | one JSON object per benchmark |
//!
//! Command-line values override the attribute's. `--list` prints `name: benchmark` lines, as
//! nextest requires. An `--exact` filter that names no benchmark is an error (exit code 101)
//! under cargo-nextest, which runs one listed name per process, so a benchmark that vanished
//! is never a pass; elsewhere it is a note on stderr (`cargo bench -- --exact a` runs every
//! bench target with that filter), as gather-harness does for tests.
//!
//! # Files
//!
//! Under `<target dir>/gather-bench/` (found from the benchmark binary's path; override with
//! the `GATHER_BENCH_DIR` environment variable):
//!
//! - `<NAME>/<bench target>/<benchmark>.txt`: a saved baseline, a small text format (first line
//!   `gather-bench baseline 1`, then `name`, `iters` and `samples` lines, the samples being
//!   per-iteration times in ns);
//! - `report/index.html`, `report/<bench target>/index.html` and one page per benchmark, with
//!   SVG plots of the sample distribution, the samples in order, and baseline against current.
//!
//! # Baselines
//!
//! `cargo bench -- --save-baseline main`, change the code, `cargo bench -- --baseline main`:
//! each benchmark gets the change of its median with a 95% bootstrap interval, the p-value of
//! a permutation test (10,000 permutations of the pooled samples, statistic: difference of
//! medians), and a verdict: **regressed** or **improved** when p < 0.05 and the whole interval
//! lies beyond the noise threshold, otherwise **no change**. `--baseline` and `--save-baseline`
//! can be given together (compare, then overwrite).
//!
//! # JSON
//!
//! With `--format json`, bench mode prints one object per benchmark and line, and nothing else
//! on stdout (notes go to stderr). Times are nanoseconds per iteration; an "estimate" is
//! `{"estimate": x, "lo": x, "hi": x}` (the 95% interval). Non-finite numbers are `null`.
//!
//! ```json
//! {"name": "sizes::10", "status": "measured", "unit": "ns", "confidence_level": 0.95,
//!  "median": {"estimate": 3.1, "lo": 3.0, "hi": 3.2}, "mean": {..}, "std_dev": {..}, "mad": {..},
//!  "samples": 100, "iters_per_sample": 2097152,
//!  "outliers": {"low_severe": 0, "low_mild": 1, "high_mild": 3, "high_severe": 2},
//!  "throughput": {"kind": "bytes", "per_iteration": 8, "per_second": 2.5e9},
//!  "change": {"baseline": "main", "median_ratio": {"estimate": -0.05, "lo": -0.06, "hi": -0.04},
//!             "p_value": 0.0001, "verdict": "improved"},
//!  "sample_ns": [3.1, 3.0, ...]}
//! {"name": "fetch", "status": "ignored", "reason": "needs the network"}
//! {"name": "broken", "status": "failed", "message": "panicked"}
//! ```
//!
//! `throughput` and `change` are `null` when absent; `median_ratio` is
//! `median(new) / median(old) - 1`; `verdict` is `"improved"`, `"regressed"` or `"no change"`.
//! In test mode (`cargo test --benches -- --format json`) the output is libtest's JSON events.

#![warn(missing_docs)]

mod bencher;
mod descriptor;
mod engine;
mod options;
mod output;
mod results;
mod run;
mod stats;
mod store;
mod units;

pub use bencher::{Bencher, Throughput};
pub use gather_bench_macros::bench;
pub use gather_harness::Failure;

/// Keeps the optimizer from assuming anything about a value: [`core::hint::black_box`].
///
/// ```
/// use gather_bench::black_box;
/// // Without it, the compiler may compute the result at compile time.
/// let x = black_box(20u64);
/// assert_eq!(x * 2, 40);
/// ```
pub use core::hint::black_box;

#[doc(hidden)]
pub use gather as __gather;
#[doc(hidden)]
pub use gather_harness as __harness;

#[doc(hidden)]
pub use descriptor::{Def, Def as __Def, Entry as __Entry, PLAIN as __PLAIN, no_run as __no_run};
#[doc(hidden)]
pub use gather_harness::without_crate_name as __bench_name;

/// Runs a benchmark function once, with one iteration, as `cargo test --benches` does: a
/// panic propagates; a function that never calls a timing method of [`Bencher`] is an error.
///
/// ```
/// use gather_bench::Bencher;
///
/// fn double(b: &mut Bencher) {
///     b.iter(|| gather_bench::black_box(21) * 2);
/// }
/// assert!(gather_bench::run_once(double).is_ok());
/// assert!(gather_bench::run_once(|_| {}).is_err()); // times nothing
/// ```
pub fn run_once(benchmark: fn(&mut Bencher)) -> Result<(), Failure> {
    engine::once(benchmark)
}

#[doc(hidden)]
pub fn __once(benchmark: fn(&mut Bencher)) -> Result<(), Failure> {
    engine::once(benchmark)
}

/// The test-mode run (`Test::run`) of every `#[bench]`: runs once the benchmark that the harness
/// is running, whose descriptor is its `Test::data`. One function for all benchmarks, so that
/// rustc compiles no closure per benchmark.
#[doc(hidden)]
pub fn __once_current() -> Result<(), Failure> {
    let def = gather_harness::capture::current_test()
        .and_then(|test| test.data)
        .and_then(|data| data.downcast_ref::<Def>());
    match def {
        Some(def) => engine::once(def.run),
        None => Err(Failure::new(
            "a `#[gather_bench::bench]` runs under gather-bench's `main!()`, which says which benchmark it is",
        )),
    }
}

/// The `main` of a bench target: parses the command line; lists, runs once (test mode) or
/// measures (bench mode); exits.
#[doc(hidden)]
pub fn __main(entries: &'static gather::Registry<__Entry>) -> ! {
    let tests = descriptor::tests(entries);
    let (args, extra) = match gather_harness::Args::from_env_with(options::EXTRA) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(gather_harness::ERROR_EXIT_CODE);
        }
    };
    let options = match options::Options::from_extra(&extra) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(gather_harness::ERROR_EXIT_CODE);
        }
    };
    if args.help {
        let binary = std::env::args().next().unwrap_or_else(|| "...".to_owned());
        print!("{}{}", gather_harness::Args::usage(&binary), options::USAGE);
        std::process::exit(0);
    }
    if args.list || args.mode() == gather_harness::Mode::Test {
        gather_harness::run(&args, tests, None).exit();
    }
    std::process::exit(run::run(&args, &options, tests))
}

/// Declares the benchmark registry and the `main` that runs it. Call it once, at the crate root
/// of a bench target that has `harness = false`.
///
/// ```ignore
/// // benches/speed/main.rs
/// gather_bench::main!();
///
/// mod more; // benchmarks in benches/speed/more.rs are found too
///
/// #[gather_bench::bench]
/// fn add() -> u64 {
///     gather_bench::black_box(1u64) + 1
/// }
/// ```
///
/// (Not run as a doctest: rustdoc wraps a doctest in a `fn main` of its own unless one is
/// written out, and this one comes from the macro. The fixture `tests/fixtures/gb-user` is this
/// example, built and run by the crate's tests.)
#[macro_export]
macro_rules! main {
    () => {
        #[$crate::__gather::registry(attribute = gather_bench::bench, crate = $crate::__gather)]
        static __GATHER_BENCH_BENCHES: $crate::__gather::Registry<$crate::__Entry>;

        fn main() {
            $crate::__main(&__GATHER_BENCH_BENCHES)
        }
    };
}
