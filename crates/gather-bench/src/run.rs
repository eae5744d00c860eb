//! Bench mode (`cargo bench`): measures every selected benchmark, prints each as it finishes
//! (terminal table or JSON lines), then saves the baseline and writes the report. Test mode and
//! `--list` are gather-harness's.

use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use gather_harness::{Args, Format, Test};

use crate::descriptor::Def;
use crate::engine::{self, Clock};
use crate::options::Options;
use crate::output::{html, json, table};
use crate::results::{CONFIDENCE, Comparison, Measured, Outcome, Row};
use crate::{stats, store, units};

/// Seed of the bootstrap: fixed, so the same samples give the same intervals.
const SEED: u64 = 0x6761_7468_6572;
/// A change against the baseline counts only below this p-value.
const SIGNIFICANCE: f64 = 0.05;

/// Runs bench mode and returns the exit code.
pub(crate) fn run(args: &Args, options: &Options, tests: Vec<&'static Test>) -> i32 {
    let started = Instant::now();
    let selection = gather_harness::select(args, tests);
    // The harness's policy: an error under cargo-nextest (one process per listed name, so no
    // match is a real disagreement), a note elsewhere (`cargo bench -- --exact a` runs every
    // bench target with the same filter).
    if selection.exact_no_match_is_error(args, "benchmark") {
        return gather_harness::ERROR_EXIT_CODE;
    }
    let root = store::root();
    let target = store::target_name();
    let baseline_dir = options
        .baseline
        .as_ref()
        .map(|b| store::baseline_dir(&root, b, &target));
    if let (Some(name), Some(dir)) = (&options.baseline, &baseline_dir)
        && !dir.is_dir()
    {
        eprintln!(
            "error: there is no baseline `{name}` for bench target `{target}` (looked in {}); save one first with `--save-baseline {name}`",
            dir.display()
        );
        return gather_harness::ERROR_EXIT_CODE;
    }

    let json = args.format == Format::Json;
    let clock = Clock::measure();
    let width = selection
        .tests
        .iter()
        .map(|s| s.test.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("benchmark".len());
    let mut out = std::io::stdout().lock();
    if !json {
        let _ = writeln!(
            out,
            "\nrunning {} benchmark{} (timer precision {}, loop overhead {})",
            selection.tests.len(),
            if selection.tests.len() == 1 { "" } else { "s" },
            units::time(clock.precision_ns).trim(),
            units::time(clock.iter_overhead_ns).trim()
        );
        let _ = writeln!(out, "{}", table::header(width, options.baseline.as_deref()));
        let _ = out.flush();
    }
    drop(out);

    let mut rows = Vec::new();
    for entry in &selection.tests {
        let test = entry.test;
        let outcome = if entry.ignored {
            Outcome::Ignored(test.ignore.reason())
        } else {
            measure(test, &clock, options, baseline_dir.as_deref())
        };
        let row = Row {
            name: test.name,
            outcome,
        };
        let mut out = std::io::stdout().lock();
        let line = if json {
            json::json_line(&row)
        } else {
            table::table_line(&row, width)
        };
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
        rows.push(row);
    }

    let measured: Vec<&Row> = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Measured(_)))
        .collect();
    let failed = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .count();
    let mut io_error = false;
    if let Some(name) = &options.save_baseline {
        let dir = store::baseline_dir(&root, name, &target);
        for row in &measured {
            let Outcome::Measured(m) = &row.outcome else {
                continue;
            };
            let saved = store::Saved {
                name: row.name.to_owned(),
                iters: m.samples.iters_per_sample,
                samples: m.samples.per_iter_ns.clone(),
            };
            if let Err(e) = store::save(&dir, &saved) {
                eprintln!("error: cannot save baseline in {}: {e}", dir.display());
                io_error = true;
                break;
            }
        }
        if !io_error && !json {
            println!("saved baseline `{name}` in {}", dir.display());
        }
    }
    if options.report && !measured.is_empty() {
        match html::write(&root, &target, &rows) {
            Ok(()) if !json => println!(
                "report: {}",
                root.join("report")
                    .join(&target)
                    .join("index.html")
                    .display()
            ),
            Ok(()) => {}
            Err(e) => {
                eprintln!(
                    "error: cannot write the report under {}: {e}",
                    root.display()
                );
                io_error = true;
            }
        }
    }
    let ignored = rows.len() - measured.len() - failed;
    if !json {
        println!(
            "\ntest result: {}. 0 passed; {failed} failed; {ignored} ignored; {} measured; {} filtered out; finished in {:.2}s\n",
            if failed == 0 { "ok" } else { "FAILED" },
            measured.len(),
            selection.filtered_out,
            started.elapsed().as_secs_f64()
        );
    }
    if failed > 0 || io_error {
        gather_harness::ERROR_EXIT_CODE
    } else {
        0
    }
}

fn measure(
    test: &'static Test,
    clock: &Clock,
    options: &Options,
    baseline_dir: Option<&Path>,
) -> Outcome {
    let Some(def) = test.data.and_then(|d| d.downcast_ref::<Def>()) else {
        return Outcome::Failed(format!(
            "`{}` is not a gather-bench benchmark (no descriptor)",
            test.name
        ));
    };
    let settings = options.settings(def);
    let samples = match panic::catch_unwind(AssertUnwindSafe(|| engine::run(def, clock, settings)))
    {
        Ok(Ok(samples)) => samples,
        Ok(Err(failure)) => {
            eprintln!("error: benchmark `{}`: {failure}", test.name);
            return Outcome::Failed(failure.to_string());
        }
        // The panic hook has printed the message.
        Err(_) => return Outcome::Failed("panicked".to_owned()),
    };
    if let Some(from) = samples.reduced_from {
        eprintln!(
            "note: `{}` takes {} per iteration: {} samples instead of {from} fit its {:.2?} budget (raise it with --measurement-time)",
            test.name,
            units::time(stats::median(&samples.per_iter_ns)).trim(),
            samples.per_iter_ns.len(),
            settings.measurement
        );
    }
    let xs = &samples.per_iter_ns;
    let est = stats::bootstrap(xs, options.nresamples, CONFIDENCE, SEED);
    let outliers = stats::tukey(xs);
    let comparison = match baseline_dir.map(|dir| store::load(dir, test.name)) {
        None | Some(Ok(None)) => None,
        Some(Err(e)) => {
            eprintln!("warning: baseline of `{}` ignored: {e}", test.name);
            None
        }
        Some(Ok(Some(saved))) => Some(Comparison {
            baseline: options.baseline.clone().unwrap_or_default(),
            change: stats::compare(
                xs,
                &saved.samples,
                options.nresamples,
                CONFIDENCE,
                SIGNIFICANCE,
                options.noise,
                SEED,
            ),
            old: saved.samples,
        }),
    };
    Outcome::Measured(Box::new(Measured {
        samples,
        est,
        outliers,
        comparison,
    }))
}
