//! Bench-mode options: gather-bench's command-line options beside libtest's, their usage text,
//! and how they combine with a benchmark's attribute into the settings it is measured with.

use std::time::Duration;

use gather_harness::{ExtraOption, ExtraValues};

use crate::descriptor::Def;
use crate::engine::Settings;
use crate::store;

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

const DEFAULT_SAMPLES: usize = 100;
// 2.5 s: at 10 µs to 1 ms, intervals as tight as criterion's 5 s (BENCHMARKS.md), in a
// third of its 8 s per benchmark.
const DEFAULT_MEASUREMENT: Duration = Duration::from_millis(2500);
const DEFAULT_WARM_UP: Duration = Duration::from_millis(300);

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
                    let d = gather_harness::parse_duration(v)
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
    pub(crate) fn settings(&self, def: &Def) -> Settings {
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

#[cfg(test)]
mod tests {
    use gather_harness::Args;

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
        assert_eq!(
            gather_harness::parse_duration("2"),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            gather_harness::parse_duration("250us"),
            Some(Duration::from_micros(250))
        );
        assert_eq!(gather_harness::parse_duration("-1"), None);
    }
}
