//! Human durations in configuration: `"250ms"`, `"4s"`, `"1.5s"`, `"2m"`, `"1h"`, `"100us"`,
//! `"10ns"`, the units of the attribute's duration literals.

use std::time::Duration;

/// The units, finest first, with their length in nanoseconds.
const UNITS: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// The accepted units, for messages.
pub(crate) const UNIT_LIST: &str = "`ns`, `us`, `ms`, `s`, `m` or `h`";

/// Common spellings that mean one of the units (the attribute suggests the same ones).
const ALIASES: &[(&str, &str)] = &[
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("min", "m"),
    ("mins", "m"),
    ("minute", "m"),
    ("minutes", "m"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
    ("msec", "ms"),
    ("millis", "ms"),
    ("µs", "us"),
    ("μs", "us"),
    ("usec", "us"),
    ("micros", "us"),
    ("nsec", "ns"),
    ("nanos", "ns"),
];

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Parses a human duration, or says what is wrong with it (a phrase to follow "invalid duration
/// `text`: ").
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!(
            "it is empty; write a number followed by {UNIT_LIST}, such as `250ms` or `1.5s`"
        ));
    }
    if trimmed.starts_with('-') {
        return Err("a duration cannot be negative".to_owned());
    }
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    if number.is_empty() {
        return Err(format!(
            "it does not start with a number; write a number followed by {UNIT_LIST}, such as `250ms` or `1.5s`"
        ));
    }
    if unit.is_empty() {
        return Err(format!(
            "it has no unit; write it followed by {UNIT_LIST}, such as `{number}s`"
        ));
    }
    if unit.starts_with(char::is_whitespace) {
        return Err(format!(
            "write the unit right after the number, with no space: `{number}{}`",
            unit.trim_start()
        ));
    }
    let Some(&(_, scale)) = UNITS.iter().find(|(name, _)| *name == unit) else {
        return Err(unknown_unit(unit));
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || fraction.contains('.') || (number.contains('.') && fraction.is_empty()) {
        return Err(
            "its number is not a plain decimal such as `2` or `1.5` (digits on both sides of one `.`)"
                .to_owned(),
        );
    }
    let too_long = || "it is longer than the longest duration (about 584 billion years)".to_owned();
    let not_whole =
        || "it is not a whole number of nanoseconds (the finest unit is `ns`)".to_owned();
    // More digits than any representable duration has.
    if whole.trim_start_matches('0').len() > 30 {
        return Err(too_long());
    }
    let whole: u128 = whole.parse().map_err(|_| too_long())?;
    let mut nanos = whole.checked_mul(scale).ok_or_else(too_long)?;
    // `0.fraction` of the unit: `fraction × scale / 10^digits`, which must be whole. The scales'
    // factors of 10 are few (3.6e12 at most), so 20 significant digits can never be whole.
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        if fraction.len() > 20 {
            return Err(not_whole());
        }
        let value: u128 = fraction.parse().map_err(|_| not_whole())?;
        let product = value * scale;
        let divisor = 10u128.pow(fraction.len() as u32);
        if !product.is_multiple_of(divisor) {
            return Err(not_whole());
        }
        nanos = nanos.checked_add(product / divisor).ok_or_else(too_long)?;
    }
    let secs = nanos / NANOS_PER_SEC;
    if secs > u128::from(u64::MAX) {
        return Err(too_long());
    }
    Ok(Duration::new(secs as u64, (nanos % NANOS_PER_SEC) as u32))
}

fn unknown_unit(unit: &str) -> String {
    let likely = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(unit))
        .map(|(_, unit)| *unit)
        .or_else(|| {
            UNITS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(unit))
                .map(|(name, _)| *name)
        });
    match likely {
        Some(known) => format!("unknown unit `{unit}`; did you mean `{known}`?"),
        None => format!("unknown unit `{unit}`; the units are {UNIT_LIST}"),
    }
}

/// Writes a duration in the largest unit that keeps it exact: `"2m"`, `"1500ms"`, `"10ns"`.
/// [`parse`] reads it back to the same value.
pub(crate) fn format(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    if nanos == 0 {
        return "0s".to_owned();
    }
    let (name, scale) = UNITS
        .iter()
        .rev()
        .find(|(_, scale)| nanos.is_multiple_of(*scale))
        .copied()
        .unwrap_or(("ns", 1));
    format!("{}{name}", nanos / scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_unit() {
        let cases = [
            ("250ms", Duration::from_millis(250)),
            ("4s", Duration::from_secs(4)),
            ("1.5s", Duration::from_millis(1500)),
            ("2m", Duration::from_secs(120)),
            ("1h", Duration::from_secs(3600)),
            ("100us", Duration::from_micros(100)),
            ("10ns", Duration::from_nanos(10)),
            ("0s", Duration::ZERO),
            ("0.5ms", Duration::from_micros(500)),
            ("1.25m", Duration::from_secs(75)),
            (" 3s ", Duration::from_secs(3)),
            ("18446744073709551615s", Duration::from_secs(u64::MAX)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for (text, reason) in [
            ("", "it is empty"),
            ("5", "it has no unit; write it followed by"),
            ("5sec", "unknown unit `sec`; did you mean `s`?"),
            ("5S", "unknown unit `S`; did you mean `s`?"),
            ("5 s", "with no space: `5s`"),
            (
                "5d",
                "unknown unit `d`; the units are `ns`, `us`, `ms`, `s`, `m` or `h`",
            ),
            ("-1s", "cannot be negative"),
            ("s", "does not start with a number"),
            ("1.s", "plain decimal"),
            ("1.2.3s", "plain decimal"),
            ("1.5ns", "whole number of nanoseconds"),
            ("1.0000000001s", "whole number of nanoseconds"),
            ("18446744073709551616s", "longer than the longest duration"),
            ("99999999999999999999999999999999999999999h", "longer than"),
            ("5124095576030432h", "longer than"),
            // The whole part just under the largest count of nanoseconds, the fraction past it.
            ("340282366920938463463374607431.8s", "longer than"),
            ("94522879700260684295381835.5h", "longer than"),
        ] {
            let error = parse(text).expect_err(text);
            assert!(error.contains(reason), "{text}: {error}");
        }
    }

    #[test]
    fn writes_what_it_reads() {
        for nanos in [
            0u128,
            1,
            999,
            1_000,
            1_500_000,
            2_000_000_000,
            1_500_000_000,
            60_000_000_000,
            7_200_000_000_000,
            u128::from(u64::MAX) * NANOS_PER_SEC + 999_999_999,
        ] {
            let duration = Duration::new(
                (nanos / NANOS_PER_SEC) as u64,
                (nanos % NANOS_PER_SEC) as u32,
            );
            assert_eq!(
                parse(&format(duration)),
                Ok(duration),
                "{}",
                format(duration)
            );
        }
        assert_eq!(format(Duration::from_millis(1500)), "1500ms");
        assert_eq!(format(Duration::from_secs(120)), "2m");
    }
}
