//! Durations as gather-bench takes them, in its attribute (`time = "2s"`) and on its command
//! line (`--measurement-time 2s`).

use core::time::Duration;

/// A decimal number and a unit, `s`, `ms`, `us` or `µs`, or `ns`, with or without a space
/// between them: `"1.5s"`, `"200ms"`, `"10 µs"`, `".5s"`. A number without a unit is seconds,
/// as criterion's `--measurement-time 5` reads it, which gather-bench's command line copies.
/// `None` for anything else (a sign, an exponent, another unit) and for durations that do not
/// fit a [`Duration`]. Exact (no floating point): fractions of a nanosecond round to the
/// nearest nanosecond, halves up.
///
/// ```
/// use core::time::Duration;
/// use gather_harness::parse_duration;
///
/// assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
/// assert_eq!(parse_duration("250 us"), Some(Duration::from_micros(250)));
/// assert_eq!(parse_duration("2"), Some(Duration::from_secs(2)));
/// assert_eq!(parse_duration("1 minute"), None);
/// ```
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_len);
    let nanos_per_unit: u128 = match unit.trim_start() {
        "" | "s" => 1_000_000_000,
        "ms" => 1_000_000,
        "us" | "µs" => 1_000,
        "ns" => 1,
        _ => return None,
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
        return None;
    }
    // number = digits / 10^fraction.len(), in integers.
    let mut digits: u128 = 0;
    let mut scale: u128 = 1;
    for byte in whole.bytes() {
        digits = digits
            .checked_mul(10)?
            .checked_add(u128::from(byte - b'0'))?;
    }
    for byte in fraction.bytes() {
        digits = digits
            .checked_mul(10)?
            .checked_add(u128::from(byte - b'0'))?;
        scale = scale.checked_mul(10)?;
    }
    let nanos = digits.checked_mul(nanos_per_unit)?.checked_add(scale / 2)? / scale;
    let secs = u64::try_from(nanos / 1_000_000_000).ok()?;
    Some(Duration::new(secs, (nanos % 1_000_000_000) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(text: &str) -> Option<u128> {
        parse_duration(text).map(|d| d.as_nanos())
    }

    #[test]
    fn units() {
        assert_eq!(nanos("1s"), Some(1_000_000_000));
        assert_eq!(nanos("0.5s"), Some(500_000_000));
        assert_eq!(nanos("200ms"), Some(200_000_000));
        assert_eq!(nanos("10us"), Some(10_000));
        assert_eq!(nanos("10µs"), Some(10_000));
        assert_eq!(nanos("7 ns"), Some(7));
        assert_eq!(nanos(" 150ms "), Some(150_000_000));
    }

    #[test]
    fn a_bare_number_is_seconds() {
        assert_eq!(nanos("7"), Some(7_000_000_000));
        assert_eq!(nanos("0.25"), Some(250_000_000));
        assert_eq!(nanos("3."), Some(3_000_000_000));
        assert_eq!(nanos(".5"), Some(500_000_000));
    }

    #[test]
    fn exact_decimals() {
        assert_eq!(nanos("0.1s"), Some(100_000_000));
        assert_eq!(
            nanos("1.0000000015s"),
            Some(1_000_000_002),
            "half a ns rounds up"
        );
        assert_eq!(nanos("0.4ns"), Some(0));
        assert_eq!(nanos("0s"), Some(0));
    }

    #[test]
    fn rejects() {
        for text in [
            "", "s", ".", "1..2s", "1.2.3", "-1s", "+1s", "1e3", "1min", "1 minute", "ms5",
        ] {
            assert_eq!(parse_duration(text), None, "{text:?}");
        }
        // Longer than a `Duration` holds.
        assert_eq!(parse_duration("18446744073709551616s"), None);
        assert_eq!(
            nanos("18446744073709551615s"),
            Some(18_446_744_073_709_551_615 * 1_000_000_000)
        );
    }
}
