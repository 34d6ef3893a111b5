//! Exact decimals: a strict parser for what clerks type, and the one rounding rule.
//!
//! No binary floating point ever touches a score, weight or threshold: numbers go from
//! their text straight to [`Decimal`].

use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// The scale of the fixed-point sums: products w_l · s_{i,l} with up to this many decimal
/// places in all (weights of a few places times scores of a few) are summed as integers.
/// Here, below both the combination (`combined`) and the ballots' representatives
/// (`ballots`), which are kept at the same scale.
pub const FIXED_SCALE: u32 = 10;

/// Why a text is not an acceptable decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// `4,5`: a decimal comma, as some locales write it.
    DecimalComma,
    /// `1e2`: scientific notation.
    Exponent,
    /// `NaN`, `inf`, `infinity`.
    NotFinite,
    /// Anything else that is not a plain decimal number.
    NotANumber,
    /// More digits than a score can carry.
    TooLong,
    /// `92%`: a percentage, where the plain number is meant.
    Percent,
    /// `5.5分`: a number with its unit.
    Unit,
}

impl NumberError {
    /// What is wrong, as the middle of a message: "`4,5` uses a decimal comma".
    pub fn describe(self) -> &'static str {
        use crate::i18n::tr;
        match self {
            NumberError::DecimalComma => tr("uses a decimal comma", "使用了逗号作小数点"),
            NumberError::Exponent => tr("uses an exponent", "使用了科学计数法"),
            NumberError::NotFinite => tr("is not a finite number", "不是有限的数"),
            NumberError::NotANumber => tr("is not a number", "不是数字"),
            NumberError::TooLong => tr("has too many digits", "位数过多"),
            NumberError::Percent => tr(
                "is written with %: type the number alone (92, not 92%)",
                "带有百分号：只填数字（填 92，不要填 92%）",
            ),
            NumberError::Unit => tr(
                "carries the unit 分: type the number alone (5.5, not 5.5分)",
                "带有单位“分”：只填数字（填 5.5，不要填 5.5分）",
            ),
        }
    }
}

/// Parse a number as a clerk types it in a spreadsheet cell: [`parse`], after full-width
/// digits, point, minus and spaces (`９２．５`, typed with a Chinese input method) are read as
/// their ASCII forms, which mean the same. A percent sign or the unit 分 is refused with its
/// own error (what to type instead), never guessed.
pub fn parse_cell(text: &str) -> Result<Decimal, NumberError> {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff0e}' | '\u{ff0d}' | '\u{ff05}' => {
                char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c)
            }
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let s = ascii.trim();
    if s.ends_with('%') {
        return Err(NumberError::Percent);
    }
    if s.ends_with('分') {
        return Err(NumberError::Unit);
    }
    parse(s)
}

/// Parse a plain decimal: optional `-`, digits, optional `.` and digits (`12`, `12.5`, `.5`,
/// `-3`). Surrounding spaces are ignored. Negative numbers parse, so that the caller can say
/// "negative" rather than "not a number".
pub fn parse(text: &str) -> Result<Decimal, NumberError> {
    let s = text.trim();
    if let Some(d) = parse_fast(s.as_bytes()) {
        return Ok(d);
    }
    parse_slow(s)
}

/// The common case of [`parse`] as (mantissa, scale): `12.5` is (125, 1). `None` for
/// anything else (signs, spaces, more than 18 digits…), which [`parse`] then handles.
#[inline]
pub fn parse_parts(text: &str) -> Option<(i64, u32)> {
    unsigned_parts(text.as_bytes())
}

/// [`parse_parts`] of bytes.
#[inline]
pub fn parse_parts_bytes(text: &[u8]) -> Option<(i64, u32)> {
    unsigned_parts(text)
}

/// Digits with at most one point, up to 18 digits, as (mantissa, scale).
#[inline(always)]
fn unsigned_parts(b: &[u8]) -> Option<(i64, u32)> {
    let (mut mantissa, mut scale, mut count, mut point) = (0i64, 0u32, 0usize, false);
    for &c in b {
        match c {
            b'0'..=b'9' => {
                count += 1;
                if count > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(c - b'0');
                scale += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    (count > 0).then_some((mantissa, scale))
}

/// The common case without allocating: up to 18 digits, at most one point.
fn parse_fast(b: &[u8]) -> Option<Decimal> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    let (mantissa, scale) = unsigned_parts(digits)?;
    Some(Decimal::new(if neg { -mantissa } else { mantissa }, scale))
}

fn parse_slow(s: &str) -> Result<Decimal, NumberError> {
    let lower = s.to_ascii_lowercase();
    let unsigned = lower
        .strip_prefix('-')
        .or_else(|| lower.strip_prefix('+'))
        .unwrap_or(&lower);
    if matches!(unsigned, "nan" | "inf" | "infinity") {
        return Err(NumberError::NotFinite);
    }
    let bytes = unsigned.as_bytes();
    let mut digits = 0usize;
    let mut dots = 0usize;
    for &b in bytes {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => {}
        }
    }
    let plain = digits > 0 && dots <= 1 && digits + dots == bytes.len();
    if !plain {
        let looks_numeric = bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'e' | b'+' | b'-'));
        if looks_numeric && digits > 0 {
            if bytes.contains(&b'e') {
                return Err(NumberError::Exponent);
            }
            if bytes.contains(&b',') {
                return Err(NumberError::DecimalComma);
            }
        }
        return Err(NumberError::NotANumber);
    }
    if digits > 20 {
        return Err(NumberError::TooLong);
    }
    let normalized = s.strip_prefix('+').unwrap_or(s);
    Decimal::from_str(normalized).map_err(|_| NumberError::NotANumber)
}

/// Round half up (四舍五入) to `dp` places: the only rounding the product does.
///
/// ```
/// use rust_decimal::Decimal;
/// use std::str::FromStr;
/// let d = |s| Decimal::from_str(s).unwrap();
/// assert_eq!(stars::decimal::round_half_up(d("89.995"), 2), d("90.00"));
/// assert_eq!(stars::decimal::round_half_up(d("89.9945"), 2), d("89.99"));
/// // Not banker's rounding: 0.125 goes up.
/// assert_eq!(stars::decimal::round_half_up(d("0.125"), 2), d("0.13"));
/// ```
pub fn round_half_up(d: Decimal, dp: u32) -> Decimal {
    // To cents in integers, the common case (a final score has ten places): the same
    // decimal, value and scale, as rounding the decimal gives, at a fraction of the cost.
    if dp == 2 && d.scale() > 2 && d.is_sign_positive() {
        if let Some(c) = cents(d) {
            return Decimal::new(c, 2);
        }
    }
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal printed with exactly two places, rounded half up.
pub fn fmt2(d: Decimal) -> String {
    let mut s = String::new();
    fmt2_into(&mut s, d);
    s
}

/// [`fmt2`], appended to `out` (no allocation of its own for the common case).
pub fn fmt2_into(out: &mut String, d: Decimal) {
    fmt2_pieces(d, |s| out.push_str(s));
}

/// [`fmt2`], appended to bytes (a CSV being written), with no text between.
#[inline]
pub fn fmt2_bytes(out: &mut Vec<u8>, d: Decimal) {
    fmt2_pieces(d, |s| out.extend_from_slice(s.as_bytes()));
}

/// [`fmt2`] in pieces, each given to `put`: in cents, the sign, the whole part, the point
/// and the two places (a province's output writes tens of millions of these).
#[inline(always)]
fn fmt2_pieces(d: Decimal, mut put: impl FnMut(&str)) {
    /// "00" to "99", two bytes each.
    const TWO_DIGITS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
    match cents(d) {
        Some(c) => {
            let c_abs = c.unsigned_abs();
            if c < 0 {
                put("-");
            }
            put(itoa::Buffer::new().format(c_abs / 100));
            put(".");
            let at = usize::try_from(c_abs % 100).map_or(0, |r| r * 2);
            put(TWO_DIGITS.get(at..at + 2).unwrap_or("00"));
        }
        None => put(&fmt2_decimal(d)),
    }
}

/// d in whole cents, rounded half up (away from zero), in integers: the common case of
/// [`fmt2`] (a combined score has ten places), much cheaper than rounding a decimal.
fn cents(d: Decimal) -> Option<i64> {
    /// m / DIV rounded half away from zero. DIV a constant: the compiler multiplies
    /// instead of dividing (a province's output rounds tens of millions of numbers).
    fn rounded<const DIV: i64>(m: i64) -> i64 {
        let (q, r) = (m / DIV, m % DIV);
        // |r| · 2 ≥ DIV, without overflow: |r| ≥ DIV − |r|.
        let away = r.unsigned_abs() >= DIV.unsigned_abs() - r.unsigned_abs();
        if away {
            q + m.signum()
        } else {
            q
        }
    }
    let m = i64::try_from(d.mantissa()).ok()?;
    Some(match d.scale() {
        0 => m.checked_mul(100)?,
        1 => m.checked_mul(10)?,
        2 => m,
        3 => rounded::<10>(m),
        4 => rounded::<100>(m),
        5 => rounded::<1_000>(m),
        6 => rounded::<10_000>(m),
        7 => rounded::<100_000>(m),
        8 => rounded::<1_000_000>(m),
        9 => rounded::<10_000_000>(m),
        10 => rounded::<100_000_000>(m),
        11 => rounded::<1_000_000_000>(m),
        12 => rounded::<10_000_000_000>(m),
        13 => rounded::<100_000_000_000>(m),
        14 => rounded::<1_000_000_000_000>(m),
        15 => rounded::<10_000_000_000_000>(m),
        16 => rounded::<100_000_000_000_000>(m),
        17 => rounded::<1_000_000_000_000_000>(m),
        18 => rounded::<10_000_000_000_000_000>(m),
        _ => return None,
    })
}

/// [`fmt2`] in decimals.
fn fmt2_decimal(d: Decimal) -> String {
    let mut r = round_half_up(d, 2);
    r.rescale(2);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

/// A decimal without trailing zeros (`40`, `1.5`, `15.995`), for showing inputs as written.
pub fn fmt_plain(d: Decimal) -> String {
    d.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn prints_two_places() {
        for (x, want) in [
            ("0", "0.00"),
            ("-0", "0.00"),
            ("-0.00", "0.00"),
            ("5", "5.00"),
            ("89.995", "90.00"),
            ("-0.005", "-0.01"),
            ("-0.05", "-0.05"),
            ("-12.3", "-12.30"),
            ("100.1", "100.10"),
            ("0.004", "0.00"),
            ("1234567.89", "1234567.89"),
        ] {
            assert_eq!(fmt2(d(x)), want, "{x}");
        }
    }

    #[test]
    fn parses_plain_decimals() {
        assert_eq!(parse("40"), Ok(d("40")));
        assert_eq!(parse(" 15.995 "), Ok(d("15.995")));
        assert_eq!(parse(".5"), Ok(d("0.5")));
        assert_eq!(parse("-3"), Ok(d("-3")));
        assert_eq!(parse("+3"), Ok(d("3")));
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        assert_eq!(parse("4,5"), Err(NumberError::DecimalComma));
        assert_eq!(parse("1e2"), Err(NumberError::Exponent));
        assert_eq!(parse("1E2"), Err(NumberError::Exponent));
        assert_eq!(parse("NaN"), Err(NumberError::NotFinite));
        assert_eq!(parse("-inf"), Err(NumberError::NotFinite));
        assert_eq!(parse("Infinity"), Err(NumberError::NotFinite));
        assert_eq!(parse(""), Err(NumberError::NotANumber));
        assert_eq!(parse("四十"), Err(NumberError::NotANumber));
        assert_eq!(parse("1.2.3"), Err(NumberError::NotANumber));
        assert_eq!(parse("."), Err(NumberError::NotANumber));
        assert_eq!(parse("123456789012345678901"), Err(NumberError::TooLong));
    }

    #[test]
    fn rounds_half_up_not_to_even() {
        assert_eq!(fmt2(d("89.995")), "90.00");
        assert_eq!(fmt2(d("89.9945")), "89.99");
        assert_eq!(fmt2(d("79.995")), "80.00");
        assert_eq!(fmt2(d("0.125")), "0.13");
        assert_eq!(fmt2(d("2")), "2.00");
        assert_eq!(fmt2(d("-0.001")), "0.00");
        assert_eq!(fmt2(d("-0.005")), "-0.01");
        assert_eq!(fmt2(d("90.0000000000")), "90.00");
        assert_eq!(fmt2(d("89.9949999999")), "89.99");
    }

    /// The integer cents give what rounding the decimal gives, at every scale they take.
    #[test]
    fn fmt2_in_cents_is_fmt2_in_decimals() {
        let mut x: i64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            // xorshift: many mantissas, of every size, both signs.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for scale in 0..=20u32 {
                let m = x >> (x.unsigned_abs() % 60);
                let v = Decimal::new(m, scale.min(28));
                assert_eq!(fmt2(v), fmt2_decimal(v), "{v}");
                // Rounding to cents: the same value at the same scale.
                let slow = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
                let fast = round_half_up(v, 2);
                assert_eq!((fast, fast.scale()), (slow, slow.scale()), "{v}");
                assert_eq!(fast.is_sign_negative(), slow.is_sign_negative(), "{v}");
            }
        }
        for (m, scale) in [
            (5, 3),
            (-5, 3),
            (4999, 5),
            (-4999, 5),
            (i64::MAX, 18),
            (i64::MIN + 1, 18),
        ] {
            let v = Decimal::new(m, scale);
            assert_eq!(fmt2(v), fmt2_decimal(v), "{v}");
        }
    }
}
