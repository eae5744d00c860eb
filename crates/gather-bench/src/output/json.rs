//! `--format json` in bench mode: one JSON object per benchmark and line.

use std::fmt::Write as _;

use crate::bencher::Throughput;
use crate::results::{CONFIDENCE, Outcome, Row};
use crate::stats;
/// A JSON string literal, escaped as gather-harness escapes libtest's JSON.
fn json_string(s: &str) -> String {
    format!("\"{}\"", gather_harness::JsonEscaped(s))
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
}
