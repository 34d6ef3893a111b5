//! Dates as the input files write them.

use chrono::NaiveDate;

/// A date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    // All digits (the usual case): the date from its numbers, without chrono's format
    // parser; anything else as chrono reads it.
    let num = |r: std::ops::Range<usize>| {
        let d = b.get(r)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Whether `s`, a date written `YYYY-MM-DD` in digits, is a day of the calendar: what
/// [`parse_date`] says of it, without making the date (a province's deductions are only
/// checked for their ratings). `None` for any other text, which is parsed.
#[inline]
pub fn is_plain_date(s: &str) -> Option<bool> {
    let (head, &[d0, d1]) = s.as_bytes().split_first_chunk::<8>()? else {
        return None;
    };
    // `YYYY-MM-` as a word (byte k at bits 8k): its dashes checked and made zeros, then
    // its eight digits at once (a province's deductions each have a date).
    const DASH_BYTES: u64 = 0xFF00_00FF_0000_0000;
    const DASHES: u64 = 0x2D00_002D_0000_0000;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let w = u64::from_le_bytes(*head);
    if w & DASH_BYTES != DASHES {
        return None;
    }
    let digits = (w & !DASH_BYTES) | (ZEROS & DASH_BYTES);
    // Each byte 0x30–0x39: its high half 3, its low half at most 9 (+6 stays below 16).
    let high = 0xF0F0_F0F0_F0F0_F0F0;
    if digits & high != ZEROS || ((digits & !high) + 0x0606_0606_0606_0606) & high != 0 {
        return None;
    }
    let digit = |c: u8| {
        let d = c.wrapping_sub(b'0');
        (d <= 9).then_some(u32::from(d))
    };
    let n = (digits - ZEROS).to_le_bytes().map(u32::from);
    let [y0, y1, y2, y3, _, m0, m1, _] = n;
    let (m, d) = (m0 * 10 + m1, digit(d0)? * 10 + digit(d1)?);
    // Days 1 to 28 are in every month: most dates, told without the year's divisions.
    if (1..=12).contains(&m) && (1..=28).contains(&d) {
        return Some(true);
    }
    // The proleptic Gregorian calendar, as chrono's (year 0 is a leap year).
    let y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    Some((1..=days).contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What [`is_plain_date`] says, byte by byte: ten bytes `dddd-dd-dd`, a day of the
    /// calendar when [`parse_date`] makes one of them.
    fn plain_date_by_bytes(s: &str) -> Option<bool> {
        let b = s.as_bytes();
        let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
        let plain = b.len() == 10
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && [0, 1, 2, 3, 5, 6, 8, 9].into_iter().all(digit);
        plain.then(|| parse_date(s).is_some())
    }

    proptest! {
        /// Text near a date (digits, dashes, other marks, a full-width digit) is told a date
        /// exactly when it is one, and plain exactly when it is written in digits.
        #[test]
        fn a_plain_date_is_told_as_byte_by_byte(s in prop_oneof![
            // Ten bytes, each a digit or a byte next to the digits (`/`, `:`).
            "[0-9:/]{4}[-:][0-9:/]{2}[-/][0-9:/]{2}",
            // Near ten, a full-width digit or a space among them.
            "[0-9/: a-]{0,3}[0-9]{4}[-/.:0-9]{1,2}[0-9０]{2}[-/0-9]{1,2}[0-9 ]{2}[0-9-]{0,2}",
        ]) {
            prop_assert_eq!(is_plain_date(&s), plain_date_by_bytes(&s), "{:?}", s);
        }
    }

    /// A plain date is a day exactly when `parse_date` makes one of it: every month and
    /// day around the ends, in leap years and not.
    #[test]
    fn a_plain_date_is_checked_as_parsed() {
        for y in [0, 1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y:04}-{m:02}-{d:02}");
                    assert_eq!(is_plain_date(&s), Some(parse_date(&s).is_some()), "{s}");
                }
            }
        }
        for s in [
            "2025-1-01",
            "2025/01/01",
            " 2025-01-01",
            "2025-01-0１",
            "２025-01-01",
            "",
        ] {
            assert_eq!(is_plain_date(s), None, "{s}");
        }
    }
}
