//! A benchmark's measurement, formatted as libtest prints `#[bench]` results.

use std::fmt::Write as _;

/// A benchmark's result, printed as libtest prints `#[bench]` results:
/// `test name ... bench:      1,234.56 ns/iter (+/- 56.78) = 120 MB/s`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measurement {
    /// Median time of one iteration, in nanoseconds.
    pub median_ns: f64,
    /// Spread, in nanoseconds (libtest prints max − min of the samples).
    pub deviation_ns: f64,
    /// Throughput, printed as `= N MB/s` when set and non-zero.
    pub mb_per_s: Option<u64>,
}

impl Measurement {
    /// The text after `bench: `, as libtest formats it.
    pub fn to_libtest_string(&self) -> String {
        let mut s = String::new();
        self.format_into(&mut s);
        s
    }

    pub(crate) fn format_into(&self, buf: &mut String) {
        let mut median = String::new();
        fmt_thousands(self.median_ns, &mut median);
        buf.push_str(&format!("{median:>14} ns/iter (+/- "));
        fmt_thousands(self.deviation_ns, buf);
        buf.push(')');
        if let Some(mb) = self.mb_per_s.filter(|&mb| mb != 0) {
            buf.push_str(&format!(" = {mb} MB/s"));
        }
    }
}

/// libtest's number format for `ns/iter`: thousands separated by `,`, two decimals.
pub(crate) fn fmt_thousands(n: f64, buf: &mut String) {
    let mut trailing = false;
    for pow in [9u32, 6, 3, 0] {
        let base = 10usize.pow(pow);
        if pow == 0 || trailing || n / base as f64 >= 1.0 {
            let _ = match (pow, trailing) {
                (0, true) => write!(buf, "{:06.2}", n % 1000.0),
                (0, false) => write!(buf, "{:.2}", n),
                (_, true) => write!(buf, "{:03}", (n as usize / base) % 1000),
                _ => write!(buf, "{}", n as usize / base),
            };
            if pow != 0 {
                buf.push(',');
            }
            trailing = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        let f = |n: f64| {
            let mut s = String::new();
            fmt_thousands(n, &mut s);
            s
        };
        assert_eq!(f(0.25), "0.25");
        assert_eq!(f(999.5), "999.50");
        assert_eq!(f(1234.5), "1,234.50");
        assert_eq!(f(1_000_000.0), "1,000,000.00");
        assert_eq!(f(12_345_678_901.25), "12,345,678,901.25");
    }

    #[test]
    fn libtest_bench_line() {
        let m = Measurement {
            median_ns: 1234.5,
            deviation_ns: 56.25,
            mb_per_s: Some(120),
        };
        assert_eq!(
            m.to_libtest_string(),
            "      1,234.50 ns/iter (+/- 56.25) = 120 MB/s"
        );
    }
}
