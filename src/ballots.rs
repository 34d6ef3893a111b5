//! The arithmetic of a mass evaluation's ballots (SPEC.md "Records of the year"): each
//! group's rate R_g = Σ (answer's points × its count) / valid, and the branch's result
//! R = Σ_g weight_g · R_g, the `overall` of its `mass` level — exact and unrounded.
//!
//! R is often a repeating fraction (2740/29), so it is kept as a fraction of integers,
//! never as a rounded decimal. What the rating compares it with are decimals of at most
//! [`REP_PLACES`] places — the places of the year's integer sums (thresholds, bottom lines,
//! floors, the half cents of step 4's rounding) — and every quantity R enters is a + c · R
//! with a and c such decimals. Such a
//! quantity is handed on as its *representative*: its value when that has at most
//! [`REP_PLACES`] places, else its value truncated to [`REP_PLACES`] places plus half a
//! unit of the last (`…5` at one more place). The representative lies strictly between the
//! same two neighbours of [`REP_PLACES`] places as the exact value, so every comparison
//! with, and every rounding to, [`REP_PLACES`] places or fewer comes out as for the exact
//! value: F, a star, a bottom line, a floor, a rectification item. The representative is
//! worked out from the exact fraction for each quantity (an indicator's e_i, B, a level's
//! sum), never by adding other representatives.

use crate::standard::records::{units, POINT_PLACES, WEIGHT_PLACES};
use crate::standard::Survey;
use rust_decimal::Decimal;

/// The places of a representative's truncated part: thresholds, scores and sums of at
/// most this many places compare exactly with it. The places of the integer sums of e_i
/// (`decimal::FIXED_SCALE`), so that a branch's other levels add to it as integers.
pub const REP_PLACES: u32 = crate::decimal::FIXED_SCALE;

/// The largest denominator of R kept: with it, every product the
/// representatives need fits in an `i128`. Reached only by several groups of many
/// ballots whose valid counts share no factor (three groups of 10,000 ballots stay below).
pub const MAX_DEN: i128 = 100_000_000_000_000_000_000;

/// The most ballots a survey row may count (issued).
pub const MAX_BALLOTS: u32 = 1_000_000;

/// The counts of one survey row: issued, returned, then the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub issued: u32,
    pub returned: u32,
    pub satisfied: u32,
    pub basically: u32,
    pub dissatisfied: u32,
    pub unknown: u32,
}

impl Counts {
    /// The ballots with an answer: satisfied + basically + dissatisfied + unknown.
    pub fn answered(&self) -> u64 {
        [
            self.satisfied,
            self.basically,
            self.dissatisfied,
            self.unknown,
        ]
        .iter()
        .map(|c| u64::from(*c))
        .sum()
    }

    /// The ballots counted: satisfied + basically + dissatisfied (+ unknown when counted).
    pub fn valid(&self, s: &Survey) -> u64 {
        let unknown = if s.unknown.is_some() { self.unknown } else { 0 };
        [self.satisfied, self.basically, self.dissatisfied, unknown]
            .iter()
            .map(|c| u64::from(*c))
            .sum()
    }

    /// Σ answer's points × its count, in hundredths of a point.
    pub fn points(&self, s: &Survey) -> Option<u64> {
        let h = |p: Decimal| units(p, POINT_PLACES);
        let mut sum = h(s.satisfied)? * u64::from(self.satisfied)
            + h(s.basically)? * u64::from(self.basically)
            + h(s.dissatisfied)? * u64::from(self.dissatisfied);
        if let Some(p) = s.unknown {
            sum += h(p)? * u64::from(self.unknown);
        }
        Some(sum)
    }

    /// R_g = Σ points × count / valid, exact, in lowest terms (`None` when nothing is
    /// valid).
    pub fn rate(&self, s: &Survey) -> Option<Rate> {
        let valid = i128::from(self.valid(s));
        if valid == 0 {
            return None;
        }
        Rate::new(i128::from(self.points(s)?), 100 * valid)
    }
}

/// A non-negative fraction num/den, den > 0: in lowest terms when made by [`Rate::new`];
/// R of a branch as [`rate_of`] makes it, without the divisions that reducing takes (its
/// text reduces it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub num: i128,
    pub den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rate {
    /// num/den in lowest terms; `None` for den ≤ 0 or a negative num.
    pub fn new(num: i128, den: i128) -> Option<Rate> {
        if den <= 0 || num < 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(Rate {
            num: num / g,
            den: den / g,
        })
    }

    /// self + w · other, w a decimal of at most [`WEIGHT_PLACES`] places; `None` when a
    /// product does not fit.
    fn add_weighted(self, w: Decimal, other: Rate) -> Option<Rate> {
        let wu = i128::from(units(w, WEIGHT_PLACES)?);
        let scale = 10i128.pow(WEIGHT_PLACES);
        // w · other = wu · num / (scale · den), reduced before it is added.
        let term = Rate::new(wu.checked_mul(other.num)?, scale.checked_mul(other.den)?)?;
        let den = self
            .den
            .checked_mul(term.den / gcd(self.den, term.den).max(1))?;
        let num = (self.num.checked_mul(den / self.den)?)
            .checked_add(term.num.checked_mul(den / term.den)?)?;
        Rate::new(num, den)
    }

    /// In lowest terms.
    pub fn reduced(&self) -> Rate {
        Rate::new(self.num, self.den).unwrap_or(*self)
    }

    /// Does it have at most `places` decimal places? (Then it is shown as it is.)
    pub fn is_exact_decimal(&self, places: u32) -> bool {
        let den = self.reduced().den;
        10i128.checked_pow(places).is_some_and(|p| p % den == 0)
    }

    /// ⌊c · self⌋ and whether it is exact, for a multiplier c ≥ 0 of at most 10^14.
    #[inline]
    pub fn floor_times(&self, c: i128) -> Option<(i128, bool)> {
        // In 64 bits where the parts fit, as a branch's ballots nearly always do: a division
        // there is one instruction, in 128 bits a call (a province's 157,000 surveyed
        // branches are rated with several each).
        if let (Ok(num), Ok(den), Ok(c)) = (
            u64::try_from(self.num),
            u64::try_from(self.den),
            u64::try_from(c),
        ) {
            if let Some(cr) = (num.checked_rem(den)).and_then(|r| c.checked_mul(r)) {
                let whole = u128::from(c) * u128::from(num / den) + u128::from(cr / den);
                return Some((i128::try_from(whole).ok()?, cr % den == 0));
            }
        }
        self.floor_times_wide(c)
    }

    /// [`Rate::floor_times`] in 128 bits.
    fn floor_times_wide(&self, c: i128) -> Option<(i128, bool)> {
        let (q, r) = (self.num / self.den, self.num % self.den);
        let cr = c.checked_mul(r)?;
        let whole = c.checked_mul(q)?.checked_add(cr / self.den)?;
        Some((whole, cr % self.den == 0))
    }

    /// The representative of c · self / 10^[`REP_PLACES`] (see the module): exact when it
    /// has at most [`REP_PLACES`] places, else truncated there plus half a unit.
    pub fn representative(&self, c: i128) -> Option<Decimal> {
        let (floor, exact) = self.floor_times(c)?;
        if exact {
            Decimal::try_from_i128_with_scale(floor, REP_PLACES).ok()
        } else {
            let half_up = floor.checked_mul(10)?.checked_add(5)?;
            Decimal::try_from_i128_with_scale(half_up, REP_PLACES + 1).ok()
        }
    }

    /// Is self below the decimal d? Exact.
    pub fn below(&self, d: Decimal) -> bool {
        // num/den < m / 10^s  ⟺  num · 10^s < m · den.
        let (m, s) = (d.mantissa(), d.scale());
        let lhs = 10i128.checked_pow(s).and_then(|p| self.num.checked_mul(p));
        match (lhs, m.checked_mul(self.den)) {
            (Some(l), Some(r)) => l < r,
            // Out of range only for absurd decimals: compare in decimals, rounded up.
            _ => self.decimal_up(20) < d,
        }
    }

    /// The value with `places` decimals, rounded toward +∞ (exact when it has no more):
    /// for display and for a value asked as a plain decimal.
    pub fn decimal_up(&self, places: u32) -> Decimal {
        let (q, mut r) = (self.num / self.den, self.num % self.den);
        let mut digits: i128 = q;
        let mut scale = 0;
        // Long division, a digit at a time: exact whatever the denominator.
        while scale < places && r != 0 {
            r *= 10;
            digits = digits.saturating_mul(10).saturating_add(r / self.den);
            r %= self.den;
            scale += 1;
        }
        if r != 0 {
            digits = digits.saturating_add(1);
        }
        Decimal::try_from_i128_with_scale(digits, scale).unwrap_or(Decimal::MAX)
    }

    /// The value as text with up to `places` decimals, `…` when it has more.
    pub fn text(&self, places: u32) -> String {
        let (q, mut r) = (self.num / self.den, self.num % self.den);
        let mut out = q.to_string();
        if r == 0 {
            return out;
        }
        out.push('.');
        let mut n = 0;
        while r != 0 && n < places {
            r *= 10;
            out.push(char::from(b'0' + u8::try_from(r / self.den).unwrap_or(0)));
            r %= self.den;
            n += 1;
        }
        if r != 0 {
            out.push('…');
        }
        out
    }

    /// `2740/29`, or the whole number: in lowest terms.
    pub fn fraction(&self) -> String {
        let r = self.reduced();
        if r.den == 1 {
            r.num.to_string()
        } else {
            format!("{}/{}", r.num, r.den)
        }
    }
}

/// A survey's answers' points in hundredths and its groups' weights in 10^-4 (the blank
/// group's 1): what the counts are multiplied by, worked out once for a standard, not for
/// each of a province's branches. `None` for points or weights of more places (which
/// `[survey]` refuses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    /// Satisfied, basically, dissatisfied, and unknown (0 when left out of the count).
    points: [u64; 4],
    /// Is unknown counted (then its ballots are valid)?
    unknown: bool,
    /// By group place.
    weights: Vec<i128>,
}

impl Units {
    pub fn of(s: &Survey) -> Option<Units> {
        let h = |p: Decimal| units(p, POINT_PLACES);
        let unknown = match s.unknown {
            Some(p) => h(p)?,
            None => 0,
        };
        Some(Units {
            points: [
                h(s.satisfied)?,
                h(s.basically)?,
                h(s.dissatisfied)?,
                unknown,
            ],
            unknown: s.unknown.is_some(),
            weights: (0..s.rows())
                .map(|k| Some(i128::from(units(s.weight(k), WEIGHT_PLACES)?)))
                .collect::<Option<Vec<i128>>>()?,
        })
    }

    /// [`Counts::valid`].
    fn valid(&self, c: &Counts) -> u64 {
        let unknown = if self.unknown { c.unknown } else { 0 };
        [c.satisfied, c.basically, c.dissatisfied, unknown]
            .iter()
            .map(|c| u64::from(*c))
            .sum()
    }

    /// [`Counts::points`]: at most 10,000 hundredths times [`MAX_BALLOTS`] each.
    fn points(&self, c: &Counts) -> u64 {
        let [s, b, d, u] = self.points;
        let unknown = if self.unknown {
            u * u64::from(c.unknown)
        } else {
            0
        };
        s * u64::from(c.satisfied)
            + b * u64::from(c.basically)
            + d * u64::from(c.dissatisfied)
            + unknown
    }
}

/// A branch's R from its rows' counts, in group order (every group of `s` once, or the
/// one blank group): Σ_g W_g · P_g / (10^6 · V_g), with W_g the weight in 10^-4, P_g the
/// points in hundredths and V_g the valid ballots, over the common denominator 10^6 · Π V_g
/// — products only, no division (a province's third of a million branches each have one).
/// Reduced only when that denominator passes [`MAX_DEN`]; `None` when R cannot be held
/// exactly then, or a group has no valid ballot.
pub fn rate_of(s: &Survey, groups: &[Counts]) -> Option<Rate> {
    rate_with(s, Units::of(s).as_ref(), groups)
}

/// [`rate_of`], with `s`'s [`Units`] worked out before.
pub fn rate_with(s: &Survey, units: Option<&Units>, groups: &[Counts]) -> Option<Rate> {
    if groups.len() != s.rows() || groups.iter().any(|c| c.valid(s) == 0) {
        return None;
    }
    let scale = 10i128.pow(WEIGHT_PLACES + crate::standard::records::POINT_PLACES);
    let fast = || -> Option<Rate> {
        let u = units?;
        // den = scale · Π V_g so far (`valid`, the product).
        let (mut num, mut valid) = (0i128, 1i128);
        for (k, c) in groups.iter().enumerate() {
            let v = i128::from(u.valid(c));
            let w = *u.weights.get(k)?;
            let p = i128::from(u.points(c));
            // num/den + w·p/(scale·v), over den·v: num·v + w·p·(den/scale).
            let term = w.checked_mul(p)?.checked_mul(valid)?;
            num = num.checked_mul(v)?.checked_add(term)?;
            valid = valid.checked_mul(v)?;
        }
        let den = scale.checked_mul(valid)?;
        (den <= MAX_DEN).then_some(Rate { num, den })
    };
    // Else the careful way: each group's rate reduced, the sum reduced as it goes.
    fast().or_else(|| {
        let rates: Option<Vec<Rate>> = groups.iter().map(|c| c.rate(s)).collect();
        combine(s, &rates?)
    })
}

/// R = Σ_g weight_g · R_g over the groups of `s` (each given once, in `rates` by group
/// place), or the blank group's R_g. `None` when a group's rate is missing or R cannot
/// be held exactly (its denominator past [`MAX_DEN`]).
pub fn combine(s: &Survey, rates: &[Rate]) -> Option<Rate> {
    if s.groups.is_empty() {
        return rates.first().copied().filter(|r| r.den <= MAX_DEN);
    }
    let mut sum = Rate { num: 0, den: 1 };
    for (k, r) in rates.iter().enumerate() {
        sum = sum.add_weighted(s.weight(k), *r)?;
    }
    (rates.len() == s.groups.len() && sum.den <= MAX_DEN).then_some(sum)
}

/// A value of a branch with ballots as text: a representative (its last place a 5 past
/// [`REP_PLACES`], see the module) as its [`REP_PLACES`] places and `…`, which is what is
/// known of the exact value's digits; any other value as it is.
pub fn shown(d: Decimal) -> String {
    if d.scale() == REP_PLACES + 1 && d.mantissa() % 10 == 5 {
        let truncated = d.trunc_with_scale(REP_PLACES);
        return format!("{}…", crate::decimal::fmt_plain(truncated));
    }
    crate::decimal::fmt_plain(d)
}

/// c · 10^[`REP_PLACES`] as a whole number, for a multiplier c (a product of a weight,
/// points and 1/100): `None` when it has more places.
pub fn multiplier(c: Decimal) -> Option<i128> {
    let c = c.normalize();
    let up = REP_PLACES.checked_sub(c.scale())?;
    c.mantissa().checked_mul(10i128.checked_pow(up)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn members_residents() -> Survey {
        Survey {
            min_return: d("0.8"),
            groups: vec![("members".into(), d("0.4")), ("residents".into(), d("0.6"))],
            ..Survey::default()
        }
    }

    /// The spec example's G02 of 2025: members 8/1/2/1 (unknown left out): 80; residents
    /// 25/3/1/0: 2740/29; R = 0.4 · 80 + 0.6 · 2740/29 = 2572/29 = 88.689655…
    #[test]
    fn the_spec_examples_ballots_give_its_rate() {
        let s = members_residents();
        let members = Counts {
            issued: 17,
            returned: 17,
            satisfied: 8,
            basically: 1,
            dissatisfied: 2,
            unknown: 1,
        };
        let residents = Counts {
            issued: 79,
            returned: 76,
            satisfied: 25,
            basically: 3,
            dissatisfied: 1,
            unknown: 0,
        };
        assert_eq!(members.valid(&s), 11);
        let (m, r) = (members.rate(&s).unwrap(), residents.rate(&s).unwrap());
        assert_eq!((m.num, m.den), (80, 1));
        assert_eq!((r.num, r.den), (2740, 29));
        let rate = combine(&s, &[m, r]).unwrap();
        assert_eq!(rate.fraction(), "2572/29");
        // From the counts, without reducing: the same value.
        let fast = rate_of(&s, &[members, residents]).unwrap();
        assert_eq!(fast.fraction(), "2572/29");
        assert_eq!(fast.num * 29, fast.den * 2572);
        assert_eq!(rate.text(6), "88.689655…");
        assert_eq!(rate.decimal_up(6), d("88.689656"));
        assert!(!rate.is_exact_decimal(12));
        // Counted with points, 不了解 adds to the valid ballots.
        let counted = Survey {
            unknown: Some(d("60")),
            ..members_residents()
        };
        assert_eq!(members.valid(&counted), 12);
        assert_eq!(members.rate(&counted).unwrap().fraction(), "235/3");
    }

    /// A representative sits strictly between the same neighbours of 10 places as the
    /// exact value, and is the value when it has no more places.
    #[test]
    fn representatives_keep_every_comparison_of_twelve_places() {
        let r = Rate::new(2740, 29).unwrap();
        let c = multiplier(d("0.6")).unwrap();
        let rep = r.representative(c).unwrap();
        assert_eq!(rep, d("56.68965517245"));
        // 0.6 · 2740/29 = 1644/29 = 56.68965517241379…: below 56.6896551725, above …724.
        assert!(rep < d("56.6896551725") && rep > d("56.6896551724"));
        let whole = Rate::new(177, 2).unwrap();
        assert_eq!(whole.representative(c).unwrap(), d("53.1"));
        // 0.3 · 200/3 = 20 exactly, though 200/3 repeats: the representative is 20.
        let third = Rate::new(200, 3).unwrap();
        assert_eq!(
            third.representative(multiplier(d("0.3")).unwrap()),
            Some(d("20"))
        );
        assert!(third.below(d("66.67")) && !third.below(d("66.66")));
    }

    use proptest::prelude::*;

    /// Exact comparison of c · n/d (c at 10^-12) with a decimal t: sign of c·n·10^s − t·d·10^12.
    fn exact_cmp(r: Rate, c: i128, t: Decimal) -> std::cmp::Ordering {
        let (m, s) = (t.mantissa(), t.scale());
        let lhs = c * r.num * 10i128.pow(s);
        let rhs = m * r.den * 10i128.pow(REP_PLACES);
        lhs.cmp(&rhs)
    }

    proptest! {
        /// The representative of c · R compares with every decimal of at most 10 places
        /// as the exact value does, and rounds half up to 2 places as it does: whatever
        /// R (a fraction of ballots) and c (a weight times points).
        #[test]
        fn a_representative_compares_and_rounds_as_the_exact_value(
            num in 0i128..10_000_000,
            den in 1i128..100_000,
            c in 1i128..10_000_000_000,
            t_mant in 0i64..1_000_000_000_000,
            t_scale in 0u32..=10,
        ) {
            let r = Rate::new(num.min(den * 100), den).unwrap();
            let rep = r.representative(c).unwrap();
            let t = Decimal::new(t_mant, t_scale);
            prop_assert_eq!(rep.cmp(&t), exact_cmp(r, c, t), "{:?} {} vs {}", r, c, t);
            // The threshold on the value itself (hit exactly when it is a decimal).
            let (floor, exact) = r.floor_times(c).unwrap();
            let at = Decimal::try_from_i128_with_scale(floor, REP_PLACES).unwrap();
            prop_assert_eq!(rep.cmp(&at), exact_cmp(r, c, at));
            prop_assert_eq!(rep == at, exact);
            // F's rounding: half up at 2 places, from the exact fraction.
            let scaled = c * r.num; // value · 10^12 · den
            let unit = r.den * 10i128.pow(REP_PLACES - 2); // one cent
            let cents = (2 * scaled + unit) / (2 * unit);
            let want = Decimal::try_from_i128_with_scale(cents, 2).unwrap();
            prop_assert_eq!(crate::decimal::round_half_up(rep, 2), want);
        }
    }

    proptest! {
        /// ⌊c · R⌋ in 64 bits is what it is in 128, where both give one: for parts of every
        /// size, up to where the 64-bit products overflow and past.
        #[test]
        fn floor_times_in_64_bits_is_floor_times_in_128(
            num in 0i128..=i128::from(u64::MAX),
            den in 1i128..=i128::from(u64::MAX),
            c in 0i128..=i128::from(u64::MAX),
            small in any::<bool>(),
        ) {
            let (num, den, c) = match small {
                true => (num % 10_000_000_000, den % 1_000_000 + 1, c % 100_000_000_000_000),
                false => (num, den, c),
            };
            let r = Rate { num, den };
            prop_assert_eq!(r.floor_times(c), r.floor_times_wide(c), "{:?} {}", r, c);
        }
    }

    #[test]
    fn groups_combine_exactly_or_not_at_all() {
        let s = members_residents();
        let a = Rate::new(1, 3).unwrap();
        assert_eq!(combine(&s, &[a]), None, "a group missing");
        // Four groups of coprime counts near a million: too fine to keep.
        let four = Survey {
            groups: (0..4).map(|k| (format!("g{k}"), d("0.25"))).collect(),
            ..Survey::default()
        };
        let big = [999_983, 999_979, 999_961, 999_959].map(|v| Rate::new(1, v).unwrap());
        assert_eq!(combine(&four, &big), None);
        let small = [7, 11, 13, 17].map(|v| Rate::new(1, v).unwrap());
        assert!(combine(&four, &small).is_some());
    }
}
