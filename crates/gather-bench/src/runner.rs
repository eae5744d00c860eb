//! Bench mode (`cargo bench`): options, measuring every selected benchmark, the terminal table
//! or JSON lines, baselines and the report. Test mode and `--list` are gather-harness's.

use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use gather_harness::{Args, ExtraOption, ExtraValues, Format, Test};

use crate::bencher::Throughput;
use crate::descriptor::Def;
use crate::engine::{self, Clock, Samples, Settings};
use crate::stats::{self, Change, Estimates, Outliers};
use crate::{report, store, units};

/// gather-bench's options beside libtest's.
pub(crate) const EXTRA: &[ExtraOption] = &[
    value("sample-count"),
    value("measurement-time"),
    value("warm-up-time"),
    value("save-baseline"),
    value("baseline"),
    value("nresamples"),
    value("noise-threshold"),
    ExtraOption {
        name: "no-report",
        takes_value: false,
    },
];

const fn value(name: &'static str) -> ExtraOption {
    ExtraOption {
        name,
        takes_value: true,
    }
}

pub(crate) const USAGE: &str = "
gather-bench options (bench mode, `cargo bench -- [OPTIONS]`):
        --sample-count N         Samples per benchmark (default 100)
        --measurement-time TIME  Time budget for the samples of one benchmark, e.g. 1s,
                                 500ms (default 2.5s)
        --warm-up-time TIME      Warm-up per benchmark (default 300ms)
        --save-baseline NAME     Save the results as baseline NAME
        --baseline NAME          Compare with baseline NAME (change, interval, p-value)
        --noise-threshold PCT    Changes whose interval lies within +-PCT percent are
                                 \"no change\" (default 2)
        --nresamples N           Bootstrap resamples (default 10000)
        --no-report              Do not write the HTML report
        --format json            One JSON object per benchmark on stdout

Results and the report are written under <target dir>/gather-bench/.
";

/// Bench-mode options from the command line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Options {
    pub samples: Option<usize>,
    pub measurement: Option<Duration>,
    pub warm_up: Option<Duration>,
    pub save_baseline: Option<String>,
    pub baseline: Option<String>,
    pub nresamples: usize,
    pub noise: f64,
    pub report: bool,
}

pub(crate) const DEFAULT_SAMPLES: usize = 100;
// 2.5 s: at 10 µs to 1 ms, intervals as tight as criterion's 5 s (BENCHMARKS.md), in a
// third of its 8 s per benchmark.
pub(crate) const DEFAULT_MEASUREMENT: Duration = Duration::from_millis(2500);
pub(crate) const DEFAULT_WARM_UP: Duration = Duration::from_millis(300);
const CONFIDENCE: f64 = 0.95;
const SIGNIFICANCE: f64 = 0.05;

/// `1.5`, `1.5s`, `200ms`, `10us`, `10µs`, `500ns` (a bare number is seconds, as criterion's).
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "ns" => 1e-9,
        _ => return None,
    };
    Duration::try_from_secs_f64(number * scale).ok()
}

impl Options {
    pub(crate) fn from_extra(values: &ExtraValues) -> Result<Options, String> {
        let mut o = Options {
            samples: None,
            measurement: None,
            warm_up: None,
            save_baseline: None,
            baseline: None,
            nresamples: 10_000,
            noise: 0.02,
            report: true,
        };
        for (name, value) in values {
            let v = value.as_deref().unwrap_or("");
            let bad = |what: &str| format!("argument for --{name} must be {what} (was `{v}`)");
            match *name {
                "sample-count" => {
                    let n: usize = v.parse().map_err(|_| bad("a number >= 2"))?;
                    if n < 2 {
                        return Err(bad("a number >= 2"));
                    }
                    o.samples = Some(n);
                }
                "measurement-time" | "warm-up-time" => {
                    let d = parse_duration(v)
                        .ok_or_else(|| bad("a duration such as 1s, 0.5, 200ms or 50us"))?;
                    if *name == "measurement-time" {
                        if d.is_zero() {
                            return Err(bad("more than zero"));
                        }
                        o.measurement = Some(d);
                    } else {
                        o.warm_up = Some(d);
                    }
                }
                "save-baseline" | "baseline" => {
                    store::check_baseline_name(v)?;
                    if *name == "baseline" {
                        o.baseline = Some(v.to_owned());
                    } else {
                        o.save_baseline = Some(v.to_owned());
                    }
                }
                "nresamples" => {
                    let n: usize = v.parse().map_err(|_| bad("a number >= 100"))?;
                    if n < 100 {
                        return Err(bad("a number >= 100"));
                    }
                    o.nresamples = n;
                }
                "noise-threshold" => {
                    let pct: f64 = v
                        .parse()
                        .ok()
                        .filter(|p: &f64| (0.0..100.0).contains(p))
                        .ok_or_else(|| bad("a percentage between 0 and 100"))?;
                    o.noise = pct / 100.0;
                }
                "no-report" => o.report = false,
                _ => unreachable!("option table and match disagree on {name}"),
            }
        }
        Ok(o)
    }

    /// Command line first (so CI can shrink every benchmark at once), then the attribute,
    /// then the defaults.
    fn settings(&self, def: &Def) -> Settings {
        Settings {
            samples: self
                .samples
                .or(def.samples.map(|n| n as usize))
                .unwrap_or(DEFAULT_SAMPLES),
            measurement: self
                .measurement
                .or(def.time_ns.map(Duration::from_nanos))
                .unwrap_or(DEFAULT_MEASUREMENT),
            warm_up: self
                .warm_up
                .or(def.warm_up_ns.map(Duration::from_nanos))
                .unwrap_or(DEFAULT_WARM_UP),
        }
    }
}

/// One benchmark's line of the run.
pub(crate) struct Row {
    pub name: &'static str,
    pub outcome: Outcome,
}

pub(crate) enum Outcome {
    Measured(Box<Measured>),
    Ignored(Option<&'static str>),
    Failed(String),
}

pub(crate) struct Measured {
    pub samples: Samples,
    pub est: Estimates,
    pub outliers: Outliers,
    pub comparison: Option<Comparison>,
}

pub(crate) struct Comparison {
    pub baseline: String,
    pub old: Vec<f64>,
    pub change: Change,
}

/// Seed of the bootstrap: fixed, so the same samples give the same intervals.
const SEED: u64 = 0x6761_7468_6572;

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
        let _ = writeln!(out, "{}", header(width, options.baseline.as_deref()));
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
            json_line(&row)
        } else {
            table_line(&row, width)
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
        match report::write(&root, &target, &rows) {
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
    baseline_dir: Option<&std::path::Path>,
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

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn header(width: usize, baseline: Option<&str>) -> String {
    let mut h = format!(
        "{}  {:>8}  {:^19}  {:>8}  {:>8}  {:>7}  {:>8}  {:>9}  {}",
        pad("benchmark", width),
        "median",
        "95% CI",
        "mean",
        "MAD",
        "samples",
        "iters",
        "outliers",
        "throughput"
    );
    if let Some(b) = baseline {
        let _ = write!(h, "  change vs {b}");
    }
    h.trim_end().to_owned()
}

fn throughput(t: Option<Throughput>, ns: f64) -> String {
    match t {
        Some(Throughput::Bytes(n)) => units::rate(n, ns, true),
        Some(Throughput::Items(n)) => units::rate(n, ns, false),
        None => String::new(),
    }
}

pub(crate) fn table_line(row: &Row, width: usize) -> String {
    let name = pad(row.name, width);
    match &row.outcome {
        Outcome::Ignored(None) => format!("{name}  ignored"),
        Outcome::Ignored(Some(reason)) => format!("{name}  ignored, {reason}"),
        Outcome::Failed(_) => format!("{name}  FAILED"),
        Outcome::Measured(m) => {
            let e = &m.est;
            let mut line = format!(
                "{name}  {}  [{} {}]  {}  {}  {:>7}  {:>8}  {:>9}  {:>10}",
                units::time(e.median.point),
                units::time(e.median.lo),
                units::time(e.median.hi),
                units::time(e.mean.point),
                units::time(e.mad.point),
                m.samples.per_iter_ns.len(),
                m.samples.iters_per_sample,
                m.outliers.total(),
                throughput(m.samples.throughput, e.median.point),
            );
            if let Some(c) = &m.comparison {
                let ch = &c.change;
                let _ = write!(
                    line,
                    "  {} [{} {}] p={:.3} {}",
                    units::percent(ch.ratio.point),
                    units::percent(ch.ratio.lo),
                    units::percent(ch.ratio.hi),
                    ch.p_value,
                    ch.verdict.as_str()
                );
            }
            line.trim_end().to_owned()
        }
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON number; JSON has no NaN or infinity, so those are `null`.
fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "null".to_owned()
    }
}

fn json_estimate(e: &stats::Estimate) -> String {
    format!(
        "{{\"estimate\":{},\"lo\":{},\"hi\":{}}}",
        json_number(e.point),
        json_number(e.lo),
        json_number(e.hi)
    )
}

/// One benchmark as one line of JSON; the schema is documented in the crate docs.
pub(crate) fn json_line(row: &Row) -> String {
    let mut s = format!("{{\"name\":{}", json_string(row.name));
    match &row.outcome {
        Outcome::Ignored(reason) => {
            let _ = write!(
                s,
                ",\"status\":\"ignored\",\"reason\":{}",
                reason.map_or("null".to_owned(), json_string)
            );
        }
        Outcome::Failed(message) => {
            let _ = write!(
                s,
                ",\"status\":\"failed\",\"message\":{}",
                json_string(message)
            );
        }
        Outcome::Measured(m) => {
            let e = &m.est;
            let o = &m.outliers;
            let _ = write!(
                s,
                ",\"status\":\"measured\",\"unit\":\"ns\",\"confidence_level\":{CONFIDENCE},\"median\":{},\"mean\":{},\"std_dev\":{},\"mad\":{},\"samples\":{},\"iters_per_sample\":{},\"outliers\":{{\"low_severe\":{},\"low_mild\":{},\"high_mild\":{},\"high_severe\":{}}}",
                json_estimate(&e.median),
                json_estimate(&e.mean),
                json_estimate(&e.std_dev),
                json_estimate(&e.mad),
                m.samples.per_iter_ns.len(),
                m.samples.iters_per_sample,
                o.low_severe,
                o.low_mild,
                o.high_mild,
                o.high_severe
            );
            match m.samples.throughput {
                Some(t) => {
                    let (kind, n) = match t {
                        Throughput::Bytes(n) => ("bytes", n),
                        Throughput::Items(n) => ("items", n),
                    };
                    let _ = write!(
                        s,
                        ",\"throughput\":{{\"kind\":\"{kind}\",\"per_iteration\":{n},\"per_second\":{}}}",
                        json_number(n as f64 * 1e9 / e.median.point)
                    );
                }
                None => s.push_str(",\"throughput\":null"),
            }
            match &m.comparison {
                Some(c) => {
                    let _ = write!(
                        s,
                        ",\"change\":{{\"baseline\":{},\"median_ratio\":{},\"p_value\":{},\"verdict\":\"{}\"}}",
                        json_string(&c.baseline),
                        json_estimate(&c.change.ratio),
                        json_number(c.change.p_value),
                        c.change.verdict.as_str()
                    );
                }
                None => s.push_str(",\"change\":null"),
            }
            s.push_str(",\"sample_ns\":[");
            for (i, x) in m.samples.per_iter_ns.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push_str(&json_number(*x));
            }
            s.push(']');
        }
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        let (_, extra) =
            Args::parse_with(args.iter().copied(), EXTRA).map_err(|e| e.to_string())?;
        Options::from_extra(&extra)
    }

    #[test]
    fn options() {
        let o = parse(&[
            "--sample-count",
            "20",
            "--measurement-time=0.5",
            "--warm-up-time",
            "10ms",
            "--baseline",
            "main",
            "--save-baseline",
            "new",
            "--no-report",
            "--noise-threshold",
            "5",
        ])
        .unwrap();
        assert_eq!(o.samples, Some(20));
        assert_eq!(o.measurement, Some(Duration::from_millis(500)));
        assert_eq!(o.warm_up, Some(Duration::from_millis(10)));
        assert_eq!(o.baseline.as_deref(), Some("main"));
        assert_eq!(o.save_baseline.as_deref(), Some("new"));
        assert!(!o.report);
        assert_eq!(o.noise, 0.05);
        assert_eq!(
            parse(&["--sample-count", "1"]).unwrap_err(),
            "argument for --sample-count must be a number >= 2 (was `1`)"
        );
        assert!(
            parse(&["--measurement-time", "soon"])
                .unwrap_err()
                .contains("a duration")
        );
        assert!(
            parse(&["--baseline", "../x"])
                .unwrap_err()
                .contains("invalid baseline name")
        );
        assert_eq!(parse_duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("250us"), Some(Duration::from_micros(250)));
        assert_eq!(parse_duration("-1"), None);
    }

    #[test]
    fn json_is_escaped_and_has_no_nan() {
        assert_eq!(json_string("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(json_number(f64::NAN), "null");
        assert_eq!(json_number(1.5), "1.5");
        let row = Row {
            name: "x::y",
            outcome: Outcome::Ignored(Some("slow")),
        };
        assert_eq!(
            json_line(&row),
            "{\"name\":\"x::y\",\"status\":\"ignored\",\"reason\":\"slow\"}"
        );
    }

    #[test]
    fn table_columns_line_up() {
        let samples = Samples {
            per_iter_ns: vec![10.0, 11.0, 12.0, 10.5],
            iters_per_sample: 1000,
            throughput: Some(Throughput::Bytes(64)),
            reduced_from: None,
        };
        let xs = samples.per_iter_ns.clone();
        let row = |name: &'static str, scale: f64| Row {
            name,
            outcome: Outcome::Measured(Box::new(Measured {
                est: stats::bootstrap(
                    &xs.iter().map(|x| x * scale).collect::<Vec<_>>(),
                    200,
                    0.95,
                    1,
                ),
                outliers: stats::tukey(&xs),
                samples: samples.clone(),
                comparison: None,
            })),
        };
        let a = table_line(&row("a", 1.0), 12);
        let b = table_line(&row("long::name", 1e5), 12);
        let h = header(12, None);
        assert_eq!(a.chars().count(), b.chars().count(), "\n{a}\n{b}");
        assert_eq!(h.find("median").unwrap() + 6, 12 + 2 + 8, "{h}");
        // Each header ends where its column ends.
        for (label, value) in [
            ("mean", "10.88 ns"),
            ("MAD", "741.3 ps"),
            ("samples", "  4  "),
        ] {
            let end = h.find(label).unwrap() + label.len();
            let at = a.find(value).unwrap() + value.trim_end().len();
            assert_eq!(end, at, "{label}\n{h}\n{a}");
        }
        let ci = h.find("95% CI").unwrap();
        assert!(
            ci > a.find('[').unwrap() && ci + 6 < a.find(']').unwrap(),
            "\n{h}\n{a}"
        );
        assert!(a.contains("5.545 GiB/s"), "{a}");
        assert!(b.contains(" ms"), "{b}");
    }
}
