//! The terminal table of bench mode: a header, then one line per benchmark.

use std::fmt::Write as _;

use crate::bencher::Throughput;
use crate::results::{Outcome, Row};
use crate::units;

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

pub(crate) fn header(width: usize, baseline: Option<&str>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Samples;
    use crate::results::Measured;
    use crate::stats;

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
