//! Stars by theme (SPEC.md "Stars by theme"): step 5 of a standard with
//! `stars_by = "themes"`, pure and exact.
//!
//! A theme is earned when Σ e_i over its indicators ≥ `pass` × Σ p_i over them. The score
//! star is the number of themes earned, or 0 when a `required` theme is not earned. The gap
//! to the next star is the fewest points one theme not earned lacks, a required one first.
//! Everything after step 5 (caps, review, quota) is [`crate::rate`]'s, as for any standard.

use crate::standard::{Standard, Theme, MAX_THEMES};
use rust_decimal::Decimal;

/// What step 5 by themes found of one branch, kept in its rating: three bytes, which the
/// rating has spare (its size is the same with or without themes; a province's ratings hold
/// one each). The points the nearest theme lacks are worked out when the gap is shown, from
/// the theme's sum ([`ThemeMarks::lacks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeMarks {
    /// Bit k: theme k of the standard is earned.
    pub earned: u8,
    /// A `required` theme is not earned: the score star is 0.
    pub required_missed: bool,
    /// The theme not earned that lacks the fewest points, a required one first (its index
    /// in the standard), or [`NONE`] when every theme is earned.
    nearest: u8,
}

/// No theme: every one is earned.
const NONE: u8 = u8::MAX;

impl Default for ThemeMarks {
    fn default() -> ThemeMarks {
        ThemeMarks {
            earned: 0,
            required_missed: false,
            nearest: NONE,
        }
    }
}

impl ThemeMarks {
    /// Marks of these themes earned (bit k: theme k) and no other fact: to name a set.
    pub fn of_earned(earned: u8) -> ThemeMarks {
        ThemeMarks {
            earned,
            ..ThemeMarks::default()
        }
    }

    /// Step 5 by themes: the number of themes earned, or 0 when a required one is not.
    pub fn score_star(&self) -> u8 {
        if self.required_missed {
            0
        } else {
            // At most MAX_THEMES bits are set.
            self.earned.count_ones() as u8
        }
    }

    /// Is theme `k` of the standard earned?
    pub fn is_earned(&self, k: usize) -> bool {
        u32::try_from(k).is_ok_and(|k| k < 8 && self.earned & (1u8 << k) != 0)
    }

    /// The theme not earned that lacks the fewest points, a required one first (its index
    /// in the standard); `None` when every theme is earned.
    pub fn nearest(&self) -> Option<usize> {
        (self.nearest != NONE).then_some(usize::from(self.nearest))
    }

    /// The nearest theme and the points it lacks, `pass` × Σ p_i − Σ e_i, exact, given
    /// `sum_of(k)`, theme k's Σ e_i (asked for only when there is such a theme).
    pub fn lacks(
        &self,
        std: &Standard,
        sum_of: impl FnOnce(usize) -> Decimal,
    ) -> Option<(usize, Decimal)> {
        let k = self.nearest()?;
        let line = std.themes.get(k)?.line();
        Some((k, line - sum_of(k)))
    }

    /// The ids of the themes earned, in the standard's order, joined by `sep`.
    pub fn earned_ids(&self, std: &Standard, sep: &str) -> String {
        self.earned_names(std, sep, |t| &t.id)
    }

    /// A name of each theme earned (`name` picks it), in the standard's order, joined by
    /// `sep`.
    pub fn earned_names<'a>(
        &self,
        std: &'a Standard,
        sep: &str,
        name: impl Fn(&'a Theme) -> &'a str,
    ) -> String {
        let names: Vec<&str> = (std.themes.iter().enumerate())
            .filter(|(k, _)| self.is_earned(*k))
            .map(|(_, t)| name(t))
            .collect();
        names.join(sep)
    }
}

/// Step 5 by themes, given each theme's sum Σ e_i and pass line `pass` × Σ p_i (in the
/// standard's order, in one unit: exact decimals, or the year's integer sums).
pub fn marks<T: Copy + Ord + std::ops::Sub<Output = T>>(
    themes: &[Theme],
    sums: &[T],
    lines: &[T],
) -> ThemeMarks {
    let mut m = ThemeMarks::default();
    // The nearest theme not earned: (not required, lacking, index), least first.
    let mut nearest: Option<(bool, T, usize)> = None;
    for (k, ((t, sum), line)) in themes.iter().zip(sums).zip(lines).enumerate() {
        if k >= MAX_THEMES {
            break;
        }
        if sum >= line {
            m.earned |= 1u8 << k;
            continue;
        }
        m.required_missed |= t.required;
        let this = (!t.required, *line - *sum, k);
        if nearest.is_none_or(|n| this < n) {
            nearest = Some(this);
        }
    }
    // k < MAX_THEMES: it fits.
    m.nearest = nearest.map_or(NONE, |(_, _, k)| u8::try_from(k).unwrap_or(NONE));
    m
}

/// Each theme's Σ e_i from every indicator's e_i (`combined`, in the standard's order).
pub fn sums(std: &Standard, combined: &[Decimal]) -> [Decimal; MAX_THEMES] {
    let mut out = [Decimal::ZERO; MAX_THEMES];
    for (ind, e) in std.indicators.iter().zip(combined) {
        if let Some(s) = ind.theme.and_then(|k| out.get_mut(usize::from(k))) {
            *s += *e;
        }
    }
    out
}

/// Each theme's pass line, `pass` × Σ p_i, exact.
pub fn lines(std: &Standard) -> [Decimal; MAX_THEMES] {
    let mut out = [Decimal::ZERO; MAX_THEMES];
    for (o, t) in out.iter_mut().zip(&std.themes) {
        *o = t.line();
    }
    out
}

/// Step 5 by themes from each theme's exact Σ e_i (asked for only then); `None` when the
/// standard rates by score.
pub fn marks_of(
    std: &Standard,
    sums: impl FnOnce() -> [Decimal; MAX_THEMES],
) -> Option<ThemeMarks> {
    std.by_themes()
        .then(|| marks(&std.themes, &sums(), &lines(std)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::Origin;

    fn theme(id: &str, pass: Decimal, required: bool) -> Theme {
        Theme {
            id: id.into(),
            name: id.into(),
            name_zh: id.into(),
            pass,
            required,
            points: Decimal::ZERO,
            origin: Origin::Common,
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    proptest::proptest! {
        /// Step 5 by themes, for any sums and lines: a theme is earned exactly when its sum
        /// reaches its line; the score star counts them, or is 0 when a required one is
        /// missed; the nearest theme is one not earned, required first, lacking the least;
        /// and the integer sums give what the decimals give.
        #[test]
        fn marks_hold_their_rules(
            themes in proptest::collection::vec((0i64..10_000, 0i64..10_000, proptest::bool::ANY), 1..=5)
        ) {
            let list: Vec<Theme> = themes.iter().enumerate()
                .map(|(k, t)| theme(&format!("T{k}"), Decimal::ONE, t.2))
                .collect();
            let sums: Vec<i64> = themes.iter().map(|t| t.0).collect();
            let lines: Vec<i64> = themes.iter().map(|t| t.1).collect();
            let cents = |v: i64| Decimal::new(v, 2);
            let m = marks(&list, &sums, &lines);
            let dec = |v: &[i64]| v.iter().map(|x| cents(*x)).collect::<Vec<_>>();
            proptest::prop_assert_eq!(m, marks(&list, &dec(&sums), &dec(&lines)));
            let missed: Vec<usize> = (0..themes.len()).filter(|k| sums[*k] < lines[*k]).collect();
            for k in 0..themes.len() {
                proptest::prop_assert_eq!(m.is_earned(k), sums[k] >= lines[k]);
            }
            let required_missed = missed.iter().any(|k| themes[*k].2);
            proptest::prop_assert_eq!(m.required_missed, required_missed);
            let star = if required_missed { 0 } else { themes.len() - missed.len() };
            proptest::prop_assert_eq!(usize::from(m.score_star()), star);
            match m.nearest() {
                None => proptest::prop_assert!(missed.is_empty()),
                Some(k) => {
                    proptest::prop_assert!(missed.contains(&k));
                    proptest::prop_assert!(lines[k] > sums[k]);
                    proptest::prop_assert_eq!(themes[k].2, required_missed);
                    for j in missed.iter().filter(|j| themes[**j].2 == required_missed) {
                        proptest::prop_assert!(lines[*j] - sums[*j] >= lines[k] - sums[k]);
                    }
                }
            }
        }
    }

    /// The marks live in the rating's spare bytes: a rating is no larger for them.
    #[test]
    fn marks_take_three_bytes() {
        assert!(std::mem::size_of::<Option<ThemeMarks>>() <= 3);
    }

    /// A theme exactly at its line is earned; a hundredth below is not; the nearest not
    /// earned is the one lacking least, a required one before any other.
    #[test]
    fn earned_at_the_line_and_the_nearest_required_first() {
        let themes = [
            theme("T1", d("0.9"), true),
            theme("T2", d("0.7"), false),
            theme("T3", d("0.9"), false),
        ];
        let lines = [d("22.5"), d("2.1"), d("26.55")];
        let m = marks(&themes, &[d("22.5"), d("2.09"), d("20")], &lines);
        assert_eq!(m.earned, 0b001);
        assert!(!m.required_missed);
        assert_eq!(m.score_star(), 1);
        assert_eq!(m.nearest(), Some(1));
        let m = marks(&themes, &[d("22.49"), d("2.1"), d("26.55")], &lines);
        assert_eq!(
            (m.earned, m.required_missed, m.score_star()),
            (0b110, true, 0)
        );
        // T1 lacks 0.01 and is required: named first.
        assert_eq!(m.nearest(), Some(0));
        let m = marks(&themes, &[d("10"), d("2.1"), d("26.54")], &lines);
        // Both T1 (12.5) and T3 (0.01) are short: the required one is named.
        assert_eq!(m.nearest(), Some(0));
        let m = marks(&themes, &lines, &lines);
        assert_eq!((m.earned, m.nearest(), m.score_star()), (0b111, None, 3));
    }
}
