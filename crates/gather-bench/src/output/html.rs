//! The HTML report: `report/index.html` (every bench target), `report/<target>/index.html`
//! (its benchmarks) and one page per benchmark with SVG plots drawn here, no scripts.

use std::fmt::Write as _;
use std::path::Path;

use crate::results::{Measured, Outcome, Row};
use crate::{stats, store, units};

const CURRENT: &str = "#1f77b4";
const BASELINE: &str = "#ff7f0e";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}\
table{border-collapse:collapse}td,th{padding:.25em .8em;text-align:right;border-bottom:1px solid #ddd}\
td:first-child,th:first-child{text-align:left}svg{display:block;margin:1em 0}\
.improved{color:#080}.regressed{color:#b00}code{background:#f4f4f4;padding:0 .2em}";

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head>\n<body>\n<h1>{t}</h1>\n{body}</body></html>\n",
        t = escape(title)
    )
}

/// Writes the pages of this run's benchmarks and refreshes the top index.
pub(crate) fn write(root: &Path, target: &str, rows: &[Row]) -> std::io::Result<()> {
    let dir = root.join("report").join(target);
    std::fs::create_dir_all(&dir)?;
    let mut table = String::from(
        "<table id=\"benchmarks\"><tr><th>benchmark</th><th>median</th><th>95% CI</th><th>mean</th><th>MAD</th><th>samples</th><th>change</th><th>distribution</th></tr>\n",
    );
    for row in rows {
        let name = escape(row.name);
        match &row.outcome {
            Outcome::Measured(m) => {
                let file = format!("{}.html", store::file_name(row.name));
                std::fs::write(dir.join(&file), bench_page(target, row.name, m))?;
                let change = match &m.comparison {
                    Some(c) => format!(
                        "<span class=\"{}\">{} ({})</span>",
                        c.change.verdict.as_str().replace(' ', "-"),
                        units::percent(c.change.ratio.point),
                        c.change.verdict.as_str()
                    ),
                    None => String::new(),
                };
                let _ = writeln!(
                    table,
                    "<tr><td><a href=\"{}\">{name}</a></td><td>{}</td><td>[{} {}]</td><td>{}</td><td>{}</td><td>{}</td><td>{change}</td><td>{}</td></tr>",
                    escape(&file),
                    units::time(m.est.median.point),
                    units::time(m.est.median.lo).trim(),
                    units::time(m.est.median.hi).trim(),
                    units::time(m.est.mean.point),
                    units::time(m.est.mad.point),
                    m.samples.per_iter_ns.len(),
                    histogram(&m.samples.per_iter_ns, None, 160.0, 28.0, false),
                );
            }
            Outcome::Ignored(_) => {
                let _ = writeln!(
                    table,
                    "<tr><td>{name}</td><td colspan=\"7\">ignored</td></tr>"
                );
            }
            Outcome::Failed(_) => {
                let _ = writeln!(
                    table,
                    "<tr><td>{name}</td><td colspan=\"7\">FAILED</td></tr>"
                );
            }
        }
    }
    table.push_str("</table>\n");
    std::fs::write(
        dir.join("index.html"),
        page(
            &format!("gather-bench: {target}"),
            &format!("<p><a href=\"../index.html\">all bench targets</a></p>\n{table}"),
        ),
    )?;
    write_top_index(&root.join("report"))
}

/// `report/index.html`: a link per bench target that has a report.
fn write_top_index(report: &Path) -> std::io::Result<()> {
    let mut targets: Vec<String> = std::fs::read_dir(report)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    targets.sort();
    let mut body = String::from("<ul id=\"targets\">\n");
    for t in &targets {
        let t = escape(t);
        let _ = writeln!(body, "<li><a href=\"{t}/index.html\">{t}</a></li>");
    }
    body.push_str("</ul>\n");
    std::fs::write(
        report.join("index.html"),
        page("gather-bench report", &body),
    )
}

fn bench_page(target: &str, name: &str, m: &Measured) -> String {
    let mut body = format!("<p><a href=\"index.html\">{}</a></p>\n", escape(target));
    let e = &m.est;
    let _ = writeln!(
        body,
        "<table id=\"estimates\"><tr><th></th><th>lower</th><th>estimate</th><th>upper</th></tr>"
    );
    for (label, est) in [
        ("median", e.median),
        ("mean", e.mean),
        ("std. dev.", e.std_dev),
        ("MAD", e.mad),
    ] {
        let _ = writeln!(
            body,
            "<tr><td>{label}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            units::time(est.lo),
            units::time(est.point),
            units::time(est.hi)
        );
    }
    body.push_str("</table>\n");
    let o = &m.outliers;
    let _ = writeln!(
        body,
        "<p>{} samples of {} iterations; 95% bootstrap intervals. Outliers (Tukey): {} low severe, {} low mild, {} high mild, {} high severe.</p>",
        m.samples.per_iter_ns.len(),
        m.samples.iters_per_sample,
        o.low_severe,
        o.low_mild,
        o.high_mild,
        o.high_severe
    );
    body.push_str("<h2>Distribution of the samples</h2>\n");
    body.push_str(&histogram(&m.samples.per_iter_ns, None, 640.0, 240.0, true));
    body.push_str("<h2>Samples in order</h2>\n");
    body.push_str(&scatter(&m.samples.per_iter_ns, 640.0, 200.0));
    if let Some(c) = &m.comparison {
        let ch = &c.change;
        let _ = writeln!(
            body,
            "<h2>Against baseline <code>{}</code></h2>\n<p class=\"{}\">median {} [{} {}], p = {:.3}: {}</p>",
            escape(&c.baseline),
            ch.verdict.as_str().replace(' ', "-"),
            units::percent(ch.ratio.point),
            units::percent(ch.ratio.lo),
            units::percent(ch.ratio.hi),
            ch.p_value,
            ch.verdict.as_str()
        );
        body.push_str(&histogram(
            &m.samples.per_iter_ns,
            Some(&c.old),
            640.0,
            240.0,
            true,
        ));
    }
    page(name, &body)
}

/// A histogram of `xs` (and of `other`, the baseline, on the same axis), with the median(s)
/// marked. `axes`: tick labels and legend; the small version in the index has none.
fn histogram(xs: &[f64], other: Option<&[f64]>, w: f64, h: f64, axes: bool) -> String {
    let all = xs.iter().chain(other.unwrap_or(&[]));
    let (mut lo, mut hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
        (a.min(x), b.max(x))
    });
    // A few far outliers would squeeze every other bar into a corner: the axis ends at the
    // outer fence (Q3 + 3 IQR) of the wider set, and samples beyond fall in the last bar.
    let fence = [Some(xs), other]
        .into_iter()
        .flatten()
        .map(|d| {
            let mut sorted = d.to_vec();
            sorted.sort_unstable_by(f64::total_cmp);
            let (q1, q3) = (
                stats::quantile_sorted(&sorted, 0.25),
                stats::quantile_sorted(&sorted, 0.75),
            );
            q3 + 3.0 * (q3 - q1)
        })
        .fold(f64::NEG_INFINITY, f64::max);
    let clipped = fence < hi;
    if clipped {
        hi = fence;
    }
    if hi <= lo {
        lo -= 0.5;
        hi += 0.5;
    }
    let bins = if axes { 40 } else { 20 };
    let (left, bottom, top) = if axes {
        (10.0, 24.0, 22.0)
    } else {
        (0.0, 0.0, 0.0)
    };
    let plot_w = w - 2.0 * left;
    let plot_h = h - bottom - top;
    let count = |data: &[f64]| {
        let mut c = vec![0usize; bins];
        for &x in data {
            // `as` saturates: values beyond the axis land in the first or last bin.
            let i = (((x - lo) / (hi - lo)) * bins as f64) as usize;
            c[i.min(bins - 1)] += 1;
        }
        c
    };
    let sets: Vec<(&[f64], &str, &str)> = match other {
        Some(old) => vec![(old, BASELINE, "baseline"), (xs, CURRENT, "current")],
        None => vec![(xs, CURRENT, "current")],
    };
    let counts: Vec<Vec<usize>> = sets.iter().map(|(d, _, _)| count(d)).collect();
    // Heights as fractions of each set's size, so sets of different sizes compare.
    let max_frac = sets
        .iter()
        .zip(&counts)
        .flat_map(|((d, _, _), c)| c.iter().map(move |&n| n as f64 / d.len() as f64))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let kind = if other.is_some() {
        "comparison"
    } else {
        "distribution"
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" data-plot=\"{kind}\" data-samples=\"{}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        xs.len()
    );
    let bar_w = plot_w / bins as f64;
    for ((data, color, label), c) in sets.iter().zip(&counts) {
        for (i, &n) in c.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let bh = n as f64 / data.len() as f64 / max_frac * plot_h;
            let _ = write!(
                svg,
                "<rect class=\"bar {label}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\" fill-opacity=\"0.6\"><title>{n}</title></rect>",
                left + i as f64 * bar_w,
                top + plot_h - bh,
                bar_w.max(1.0),
                bh
            );
        }
        let med = stats::median(data);
        let x = left + ((med - lo) / (hi - lo)).clamp(0.0, 1.0) * plot_w;
        let _ = write!(
            svg,
            "<line class=\"median {label}\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\"/>",
            top + plot_h
        );
    }
    if axes {
        let base = top + plot_h;
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{base}\" y2=\"{base}\" stroke=\"#444\"/>",
            left + plot_w
        );
        for (anchor, x, v) in [("start", left, lo), ("end", left + plot_w, hi)] {
            let more = if clipped && anchor == "end" { "+" } else { "" };
            let _ = write!(
                svg,
                "<text x=\"{x}\" y=\"{}\" font-size=\"12\" text-anchor=\"{anchor}\">{}{more}</text>",
                base + 16.0,
                units::time(v).trim()
            );
        }
        let mut lx = left;
        for (_, color, label) in &sets {
            let _ = write!(
                svg,
                "<rect x=\"{lx}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"14\" font-size=\"12\">{label} (line: median)</text>",
                lx + 16.0
            );
            lx += 170.0;
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// Per-iteration time of each sample in the order taken: drift and warm-up effects show.
fn scatter(xs: &[f64], w: f64, h: f64) -> String {
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (left, right, top, bottom) = (70.0, 10.0, 10.0, 20.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" data-plot=\"samples\" data-samples=\"{}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        xs.len()
    );
    let n = xs.len().max(2) - 1;
    for (i, &x) in xs.iter().enumerate() {
        let cx = left + i as f64 / n as f64 * (w - left - right);
        let cy = top + (1.0 - (x - lo) / span) * (h - top - bottom);
        let _ = write!(
            svg,
            "<circle class=\"sample\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.5\" fill=\"{CURRENT}\"/>"
        );
    }
    for (y, v) in [(top + 4.0, hi), (h - bottom, lo)] {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{y}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            units::time(v).trim()
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">sample →</text>",
        w - right,
        h - 4.0
    );
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plots_have_one_bar_per_filled_bin() {
        let xs = [1.0, 1.0, 2.0, 3.0, 3.0, 3.0];
        let svg = histogram(&xs, None, 400.0, 100.0, true);
        assert!(svg.contains("data-plot=\"distribution\""));
        assert_eq!(svg.matches("<rect class=\"bar current\"").count(), 3);
        assert_eq!(svg.matches("class=\"median").count(), 1);
        let svg = histogram(&xs, Some(&[5.0, 6.0]), 400.0, 100.0, true);
        assert!(svg.contains("data-plot=\"comparison\""));
        assert_eq!(svg.matches("<rect class=\"bar baseline\"").count(), 2);
        assert_eq!(svg.matches("class=\"median").count(), 2);
        // A far outlier is drawn in the last bar of an axis that ends at the outer fence.
        let mut wide: Vec<f64> = (0..40).map(|i| 10.0 + (i % 5) as f64).collect();
        wide.push(1000.0);
        let svg = histogram(&wide, None, 400.0, 100.0, true);
        assert!(svg.contains("19.00 ns+</text>"), "{svg}"); // Q1 11, Q3 13
        // One value only: no division by zero.
        let svg = histogram(&[4.0, 4.0], None, 400.0, 100.0, false);
        assert!(!svg.contains("NaN"), "{svg}");
        assert_eq!(
            scatter(&xs, 300.0, 100.0).matches("<circle").count(),
            xs.len()
        );
        assert_eq!(
            escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
