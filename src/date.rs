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
