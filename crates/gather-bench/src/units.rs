//! Numbers for people: times and rates scaled to a readable unit, four significant digits.

/// `1234.5` ns → `1.235 µs`. Always 8 characters wide for values below 10,000 s, so columns
/// line up.
pub(crate) fn time(ns: f64) -> String {
    if !ns.is_finite() {
        return format!("{:>8}", "-");
    }
    let (value, unit) = if ns < 1.0 {
        (ns * 1e3, "ps")
    } else if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s ")
    };
    format!("{} {unit}", sig4(value))
}

/// Four significant digits in five characters (`0.123`, `1.234`, `12.34`, `123.4`, ` 1234`).
fn sig4(v: f64) -> String {
    let digits = if v < 10.0 {
        3
    } else if v < 100.0 {
        2
    } else if v < 1000.0 {
        1
    } else {
        0
    };
    let s = format!("{v:.digits$}");
    // Rounding can carry into another digit (9.9996 → "10.000"): format again one place less.
    if s.len() > 5 && digits > 0 {
        let d = digits - 1;
        return format!("{v:>5.d$}");
    }
    format!("{s:>5}")
}

/// Throughput of `per_iter` units per iteration of `ns` nanoseconds: `B/s` with binary
/// prefixes for bytes (as memory sizes are), decimal prefixes for items.
pub(crate) fn rate(per_iter: u64, ns: f64, bytes: bool) -> String {
    if ns <= 0.0 || !ns.is_finite() {
        return "-".to_owned();
    }
    let per_s = per_iter as f64 * 1e9 / ns;
    if bytes {
        let prefixes = ["B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"];
        let mut v = per_s;
        let mut i = 0;
        while v >= 1024.0 && i + 1 < prefixes.len() {
            v /= 1024.0;
            i += 1;
        }
        format!("{} {}", sig4(v).trim_start(), prefixes[i])
    } else {
        let prefixes = [
            "items/s",
            "K items/s",
            "M items/s",
            "G items/s",
            "T items/s",
        ];
        let mut v = per_s;
        let mut i = 0;
        while v >= 1000.0 && i + 1 < prefixes.len() {
            v /= 1000.0;
            i += 1;
        }
        format!("{} {}", sig4(v).trim_start(), prefixes[i])
    }
}

/// A relative change as `+1.23%`.
pub(crate) fn percent(ratio: f64) -> String {
    format!("{:+.2}%", ratio * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_scale_and_align() {
        assert_eq!(time(0.5), "500.0 ps");
        assert_eq!(time(1.0), "1.000 ns");
        assert_eq!(time(12.345), "12.35 ns");
        assert_eq!(time(999.94), "999.9 ns");
        assert_eq!(time(1234.5), "1.234 µs");
        assert_eq!(time(2.5e6), "2.500 ms");
        assert_eq!(time(3.25e9), "3.250 s ");
        assert_eq!(time(9.9996), "10.00 ns");
        assert_eq!(time(f64::NAN), "       -");
        for ns in [0.01, 0.7, 3.0, 45.0, 678.0, 9_999.0, 1e5, 5e7, 1e9, 9e11] {
            assert_eq!(time(ns).chars().count(), 8, "{ns}: {:?}", time(ns));
        }
    }

    #[test]
    fn rates() {
        assert_eq!(rate(1024, 1000.0, true), "976.6 MiB/s");
        assert_eq!(rate(1, 1.0, true), "953.7 MiB/s");
        assert_eq!(rate(1 << 30, 1e9, true), "1.000 GiB/s");
        assert_eq!(rate(10, 1000.0, false), "10.00 M items/s");
        assert_eq!(rate(3, 1e9, false), "3.000 items/s");
        assert_eq!(rate(1, 0.0, false), "-");
        assert_eq!(percent(-0.0123), "-1.23%");
        assert_eq!(percent(0.5), "+50.00%");
    }
}
