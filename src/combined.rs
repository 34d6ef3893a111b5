//! Combined points (SPEC.md step 1): e_i = Σ_l w_l · s_{i,l} of every branch, where s_{i,l}
//! is the score a level gave indicator i, or p_i × overall_l / 100 when the level gave
//! `overall`.
//!
//! The score sheets are streamed (see `workspace::scores`): what is kept of each branch is
//! its combined points per indicator, summed exactly as the rows come, and which
//! indicators each level has given. Sums are fixed-point integers at [`FIXED_SCALE`] in the
//! common case, with a decimal rest for a product with more places (rare): exact either way.

use crate::decimal::FIXED_SCALE;
use crate::standard::{Domain, Level, Standard, Standards, MAX_THEMES};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How many domains there are (each has its own array of sums).
pub(crate) const DOMAINS: usize = Domain::ALL.len();

// `domain as usize` indexes arrays made in `Domain::ALL` order.
const _: () = {
    let mut i = 0;
    while i < DOMAINS {
        assert!(Domain::ALL[i] as usize == i);
        i += 1;
    }
};

/// 10^0 to 10^18: every power of ten an i64 holds.
const POW10: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// 10^n as an i64.
#[inline]
pub(crate) fn pow10(n: u32) -> Option<i64> {
    POW10.get(usize::try_from(n).ok()?).copied()
}

/// A decimal as (mantissa, scale) in i64, when it fits.
pub(crate) fn parts64(d: Decimal) -> Option<(i64, u32)> {
    Some((i64::try_from(d.mantissa()).ok()?, d.scale()))
}

/// What the integer fast path needs of one domain's standard: the common case of every cell
/// (a plain score, in range, whose weighted product has at most FIXED_SCALE places) in a few
/// i64 operations.
#[derive(Clone)]
pub(crate) struct Fast {
    /// Each indicator's points at FIXED_SCALE (`None` when they have more places).
    max: Vec<Option<i64>>,
    /// Each indicator's points as (mantissa, scale).
    pub(crate) points: Vec<Option<(i64, u32)>>,
    /// For each level and each scale s of a score (0 to FIXED_SCALE), what turns the score's
    /// mantissa into w · score at FIXED_SCALE: w's mantissa × 10^(FIXED_SCALE − s − w's
    /// scale), when that is whole and fits.
    factor: [[Option<i64>; FIXED_SCALE as usize + 1]; 3],
}

impl Fast {
    pub(crate) fn new(std: &Standard) -> Fast {
        let points: Vec<Option<(i64, u32)>> =
            std.indicators.iter().map(|i| parts64(i.points)).collect();
        Fast {
            max: (points.iter())
                .map(|p| {
                    let (m, s) = (*p)?;
                    m.checked_mul(pow10(FIXED_SCALE.checked_sub(s)?)?)
                })
                .collect(),
            points,
            factor: Level::ALL.map(|l| {
                let w = parts64(std.settings.weight(l));
                std::array::from_fn(|s| {
                    let (wm, ws) = w?;
                    let up = FIXED_SCALE.checked_sub(u32::try_from(s).ok()?.checked_add(ws)?)?;
                    wm.checked_mul(pow10(up)?)
                })
            }),
        }
    }

    /// A score of (mantissa, scale) with its weighted product w · s at FIXED_SCALE. (Its
    /// scale is then at most FIXED_SCALE: it makes a [`Decimal`].)
    #[inline(always)]
    fn weighted(&self, (m, s): (i64, u32), level: Level) -> Option<((i64, u32), i64)> {
        let factor = self
            .factor
            .get(level.index())?
            .get(usize::try_from(s).ok()?)?;
        Some(((m, s), m.checked_mul((*factor)?)?))
    }

    /// A score typed as a plain decimal, (mantissa, scale), if it is within 0..=points of
    /// indicator `idx`, with its weighted product w · s at FIXED_SCALE. `None`: the decimal
    /// path decides.
    #[inline(always)]
    pub(crate) fn cell(
        &self,
        (m, s): (i64, u32),
        idx: usize,
        level: Level,
    ) -> Option<((i64, u32), i64)> {
        let at_scale = m.checked_mul(pow10(FIXED_SCALE.checked_sub(s)?)?)?;
        if at_scale > (*self.max.get(idx)?)? {
            return None;
        }
        self.weighted((m, s), level)
    }

    /// Indicator `idx`'s score from an `overall` of (mantissa, scale): points × overall / 100,
    /// with its weighted product at FIXED_SCALE.
    pub(crate) fn overall(
        &self,
        (om, os): (i64, u32),
        idx: usize,
        level: Level,
    ) -> Option<((i64, u32), i64)> {
        let (pm, ps) = (*self.points.get(idx)?)?;
        self.weighted(
            (pm.checked_mul(om)?, ps.checked_add(os)?.checked_add(2)?),
            level,
        )
    }
}

/// w · s in units of 10^-FIXED_SCALE, when it has at most FIXED_SCALE places. A weight is at
/// most 1 and a score at most 100, so the product is below 10^13 units and three of them sum
/// far inside an i64; checked all the same, and anything else is kept as a decimal.
fn fixed_product(w: Decimal, value: Decimal) -> Option<i64> {
    Scores::to_fixed(w.checked_mul(value)?)
}

/// s_{i,l} of an indicator of `points` when its level gave `overall`: points × overall / 100,
/// exact.
pub(crate) fn from_overall(points: Decimal, overall: Decimal) -> Decimal {
    points * overall * HUNDREDTH
}

/// 1/100, to take `overall` percent of the points without a (slow) division.
const HUNDREDTH: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// e_i from its fixed-point part and its decimal rest.
fn to_decimal(fixed: i64, rest: Decimal) -> Decimal {
    Decimal::try_from_i128_with_scale(i128::from(fixed), FIXED_SCALE).unwrap_or(Decimal::ZERO)
        + rest
}

/// One branch's combined points, built from the score of every indicator at every level
/// (for tests and for rating a branch on its own).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BranchScores {
    fixed: Vec<i64>,
    rest: Vec<Decimal>,
    /// Σ_i s_{i,l} of each level, for the floors.
    levels: [Decimal; 3],
}

impl BranchScores {
    /// A branch's scores from the score of every indicator at every level.
    pub fn from_levels(std: &Standard, levels: &[[Decimal; 3]]) -> BranchScores {
        let n = std.indicators.len();
        let mut b = BranchScores {
            fixed: vec![0; n],
            rest: vec![Decimal::ZERO; n],
            levels: [Decimal::ZERO; 3],
        };
        for (i, l3) in levels.iter().enumerate().take(n) {
            for l in Level::ALL {
                let (w, v) = (std.settings.weight(l), l3[l.index()]);
                b.levels[l.index()] += v;
                let sum =
                    fixed_product(w, v).and_then(|p| b.fixed.get(i).and_then(|e| e.checked_add(p)));
                match (sum, b.fixed.get_mut(i), b.rest.get_mut(i)) {
                    (Some(sum), Some(e), _) => *e = sum,
                    (_, _, Some(r)) => *r += w * v,
                    _ => {}
                }
            }
        }
        b
    }

    /// e_i of each indicator (SPEC.md step 1), exact; zero where nothing was given.
    pub fn combined(&self, n: usize) -> Vec<Decimal> {
        (0..n)
            .map(|i| {
                to_decimal(
                    self.fixed.get(i).copied().unwrap_or(0),
                    self.rest.get(i).copied().unwrap_or(Decimal::ZERO),
                )
            })
            .collect()
    }

    /// Σ_i s_{i,l} of each level, exact.
    pub fn level_sums(&self) -> [Decimal; 3] {
        self.levels
    }
}

/// `n` zeros, written out. `vec![0; n]` maps the zero page and copies it on the first write
/// to each page, which costs a page fault and a TLB flush on every core per 4 KiB; writing
/// the zeros at once is much cheaper for arrays of hundreds of megabytes.
fn zeroed<T: Default + Clone>(n: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, T::default());
    v
}

/// Which indicators each level gave of each branch: bit i of level l. The three levels
/// share one word when the standards have at most 21 indicators (they have 20: a province's
/// 8 bytes a branch, twice while two parts are read, instead of 24); else a word each.
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    words: Vec<u64>,
    /// The bits a level takes in a shared word; `None`: a word each.
    stride: Option<u32>,
}

impl Seen {
    fn new(branches: usize, indicators: usize) -> Seen {
        let stride = u32::try_from(indicators).ok().filter(|n| *n <= 64 / 3);
        let per = if stride.is_some() { 1 } else { 3 };
        Seen {
            words: zeroed(branches.saturating_mul(per)),
            stride,
        }
    }

    /// The word of branch b's level and where its bits start in it.
    fn place(&self, b: usize, level: Level) -> Option<(usize, u32)> {
        let l = level.index();
        match self.stride {
            Some(stride) => Some((b, stride * l as u32)),
            None => Some((b.checked_mul(3)?.checked_add(l)?, 0)),
        }
    }

    /// The indicators branch b's `level` gave (bit i: indicator i).
    fn at(&self, b: usize, level: Level) -> Option<u64> {
        let (w, shift) = self.place(b, level)?;
        let mask = match self.stride {
            Some(stride) if stride < 64 => (1u64 << stride) - 1,
            _ => u64::MAX,
        };
        self.words.get(w).map(|word| (word >> shift) & mask)
    }

    /// Note that branch b's `level` gave the indicators `bits`.
    fn add(&mut self, b: usize, level: Level, bits: u64) {
        if let Some((w, shift)) = self.place(b, level) {
            if let Some(word) = self.words.get_mut(w) {
                *word |= bits << shift;
            }
        }
    }

    /// Did both give an indicator of a branch at the same level?
    fn overlaps(&self, other: &Seen) -> bool {
        (self.words.iter().zip(&other.words)).any(|(a, b)| a & b != 0)
    }

    fn union(&mut self, other: &Seen) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }
}

/// The scores of a year: what the rating needs of each branch (e_i = Σ_l w_l · s_{i,l},
/// summed as the rows come), and which indicators each level has given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scores {
    /// Where branch b's sums are: the array of its domain in `fixed`, and where they start
    /// in it (its domain's slots, in order; the branches of a domain in id order).
    start: Vec<(u8, u32)>,
    /// e_i in units of 10^-FIXED_SCALE, every branch's of a domain in one array: exact
    /// integer sums, much faster than decimal ones, and no allocation per branch. A domain's
    /// array is made when a score of it comes (a domain's sheets read on one core need no
    /// array of the other domains).
    fixed: [Vec<i64>; DOMAINS],
    /// The length of each domain's array.
    sizes: [usize; DOMAINS],
    /// The slot of each indicator of a domain in a branch's run of `fixed`: its own, or,
    /// when loaded for the ratings only ([`Keep::Ratings`]), one slot shared by every
    /// indicator without a bottom line (one per theme when the standard rates by themes).
    /// B is the sum of the slots either way, step 6 looks only at bottom-line indicators,
    /// and step 5 by themes at each theme's sum: a province's sums take a few slots a
    /// branch instead of one per indicator.
    slots: [Vec<u8>; DOMAINS],
    /// How many slots a branch of each domain has.
    width: [usize; DOMAINS],
    /// How many of them are indicators' own (the first ones); the others are shared.
    owning: [usize; DOMAINS],
    /// The theme each slot sums for, in a domain whose standard rates by themes (empty in
    /// the others).
    slot_themes: [Vec<u8>; DOMAINS],
    /// Indicators without a bottom line share a slot ([`Keep::Ratings`]).
    folded: bool,
    /// The part of a slot whose products have more places than FIXED_SCALE (rare), by
    /// (branch, slot).
    rest: BTreeMap<(usize, usize), Decimal>,
    /// Which indicators each level gave of each branch.
    seen: Seen,
    /// Σ_i s_{i,l} of each branch and level at FIXED_SCALE, kept only when a standard has a
    /// floor (a local rule: the level's rating L); and the part with more places, rare.
    levels: Option<Vec<[i64; 3]>>,
    level_rest: BTreeMap<(usize, usize), Decimal>,
    /// The branches whose mass level is counted from their ballots (`surveys.csv`, the
    /// records of the year): none in most workspaces, and then nothing is looked up.
    surveyed: Option<Box<Surveyed>>,
}

/// The mass level of the branches with ballots: R of each, exact, and what turns it into
/// each domain's sums (see [`crate::ballots`]). Their e_i and B are handed on as
/// representatives, never as integer sums.
#[derive(Debug, Default, PartialEq, Eq)]
struct Surveyed {
    /// For each branch: 0, or 1 + its place in `rates`.
    at: Vec<u32>,
    /// (branch, R), as the surveys gave them (taken over, not copied).
    rates: Vec<(usize, crate::ballots::Rate)>,
    /// Per domain (by `domain as usize`): the multipliers of R at 10^REP_PLACES.
    mult: [Option<SurveyTerms>; DOMAINS],
}

/// What R is multiplied by for a branch of one domain: w_mass · p_i / 100 for each
/// indicator, w_mass · Σ p_i / 100 for B, Σ p_i / 100 for the mass level's sum (the
/// floors), and w_mass · Σ p_i / 100 over each theme's indicators (stars by theme), each at
/// 10^REP_PLACES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SurveyTerms {
    each: Vec<i128>,
    base: i128,
    level: i128,
    themes: [i128; MAX_THEMES],
}

impl SurveyTerms {
    /// The multipliers of a standard; `None` when one has more than REP_PLACES places
    /// (a mass weight and points of more than 8 places together), which the survey loader
    /// refuses.
    pub(crate) fn of(std: &Standard) -> Option<SurveyTerms> {
        use crate::ballots::multiplier;
        let w = std.settings.weight(Level::Mass);
        let each = (std.indicators.iter())
            .map(|i| multiplier(w * i.points * HUNDREDTH))
            .collect::<Option<Vec<i128>>>()?;
        let points: Decimal = std.indicators.iter().map(|i| i.points).sum();
        // A theme's term is the sum of its indicators' (exact integers): one representative
        // of the theme's sum, never a sum of representatives.
        let mut themes = [0i128; MAX_THEMES];
        for (i, c) in std.indicators.iter().zip(&each) {
            if let Some(t) = i.theme.and_then(|k| themes.get_mut(usize::from(k))) {
                *t = t.checked_add(*c)?;
            }
        }
        Some(SurveyTerms {
            each,
            base: multiplier(w * points * HUNDREDTH)?,
            level: multiplier(points * HUNDREDTH)?,
            themes,
        })
    }
}

/// How a branch's sums of one domain are laid out: own slots first, in indicator order; then
/// the shared ones, if any indicator shares one.
struct Layout {
    /// The slot of each indicator.
    slots: Vec<u8>,
    /// How many slots a branch has.
    width: usize,
    /// How many are indicators' own.
    owning: usize,
    /// The theme of each slot, when the standard rates by themes.
    themes: Vec<u8>,
}

impl Layout {
    fn of(std: Option<&Standard>, folded: bool) -> Layout {
        let indicators = std.map_or(&[][..], |s| &s.indicators[..]);
        let themed = std.is_some_and(Standard::by_themes);
        let own = |i: &crate::standard::Indicator| !folded || i.bottom_line.is_some();
        // The shared slot an indicator without its own adds to: its theme's when the
        // standard rates by themes (step 5 needs each theme's sum), else the one of all.
        let group = |i: &crate::standard::Indicator| if themed { i.theme.unwrap_or(0) } else { 0 };
        let owning = indicators.iter().filter(|i| own(i)).count();
        let shared: std::collections::BTreeSet<u8> =
            indicators.iter().filter(|i| !own(i)).map(group).collect();
        let mut next = 0usize;
        let slots = (indicators.iter())
            .map(|i| {
                let slot = if own(i) {
                    (next, next += 1).0
                } else {
                    owning + shared.iter().take_while(|g| **g < group(i)).count()
                };
                // At most 64 indicators (the bits of `seen`).
                u8::try_from(slot).unwrap_or(u8::MAX)
            })
            .collect::<Vec<u8>>();
        let themes = if themed {
            let own_themes = indicators.iter().filter(|i| own(i)).map(group);
            own_themes.chain(shared.iter().copied()).collect()
        } else {
            Vec::new()
        };
        Layout {
            slots,
            width: owning + shared.len(),
            owning,
            themes,
        }
    }
}

/// What is kept of each branch's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// e_i of every indicator (rectification items, `explain`, `check`).
    Indicators,
    /// What the rating needs: B, and e_i of the indicators with a bottom line.
    Ratings,
}

impl Scores {
    /// Empty sums for branches of the `domains` (in branch order) and their `standards`.
    pub(crate) fn new(
        standards: &Standards,
        domains: impl ExactSizeIterator<Item = Domain>,
        keep: Keep,
    ) -> Scores {
        let n = domains.len();
        let folded = keep == Keep::Ratings;
        let layout = Domain::ALL.map(|d| Layout::of(standards.get(d), folded));
        let width = layout.each_ref().map(|l| l.width);
        let owning = layout.each_ref().map(|l| l.owning);
        let slot_themes = layout.each_ref().map(|l| l.themes.clone());
        let slots = layout.map(|l| l.slots);
        let mut sizes = [0usize; DOMAINS];
        let mut start = Vec::with_capacity(n);
        for domain in domains {
            let d = domain as usize;
            if let (Some(size), Some(w)) = (sizes.get_mut(d), width.get(d)) {
                // Offsets past u32 (a hundred million branches) are left out of the sums:
                // such a branch then counts as given nothing, and is reported incomplete.
                start.push((d as u8, u32::try_from(*size).unwrap_or(u32::MAX)));
                *size += w;
            }
        }
        Scores {
            start,
            fixed: Default::default(),
            sizes,
            slots,
            width,
            owning,
            slot_themes,
            folded,
            rest: BTreeMap::new(),
            seen: Seen::new(
                n,
                standards
                    .by_domain
                    .values()
                    .map(|s| s.indicators.len())
                    .max()
                    .unwrap_or(0),
            ),
            levels: standards.has_floors().then(|| zeroed(n)),
            level_rest: BTreeMap::new(),
            surveyed: None,
        }
    }

    /// The mass level of branches counted from their ballots: (branch, R) in branch order
    /// (the survey loader checked each branch's standard has its multipliers).
    pub(crate) fn set_surveys(
        &mut self,
        standards: &Standards,
        mut rates: Vec<(usize, crate::ballots::Rate)>,
    ) {
        let n = self.start.len();
        rates.retain(|(b, _)| *b < n);
        if rates.is_empty() {
            self.surveyed = None;
            return;
        }
        let mut at = zeroed(n);
        for (k, (b, _)) in rates.iter().enumerate() {
            if let Some(slot) = at.get_mut(*b) {
                *slot = u32::try_from(k + 1).unwrap_or(0);
            }
        }
        self.surveyed = Some(Box::new(Surveyed {
            at,
            rates,
            mult: Domain::ALL.map(|d| standards.get(d).and_then(SurveyTerms::of)),
        }));
    }

    /// Branch b's R and its domain's multipliers, when its mass level is its ballots.
    #[inline]
    fn survey(&self, b: usize) -> Option<(crate::ballots::Rate, &SurveyTerms)> {
        let s = self.surveyed.as_deref()?;
        let k = usize::try_from(*s.at.get(b)?).ok()?.checked_sub(1)?;
        let d = usize::from(self.start.get(b)?.0);
        Some((s.rates.get(k)?.1, s.mult.get(d)?.as_ref()?))
    }

    /// Branch b's R, exact, when its mass level is counted from its ballots.
    pub fn survey_rate(&self, b: usize) -> Option<crate::ballots::Rate> {
        self.survey(b).map(|(r, _)| r)
    }

    /// Is branch b's mass level counted from its ballots? (Then its sums are decimals.)
    #[inline]
    fn is_surveyed(&self, b: usize) -> bool {
        self.surveyed.is_some() && self.survey(b).is_some()
    }

    /// The representative of a survey term: R times multiplier `pick` of branch b.
    fn survey_term(&self, b: usize, pick: impl Fn(&SurveyTerms) -> Option<i128>) -> Decimal {
        self.survey(b)
            .and_then(|(r, m)| r.representative(pick(m)?))
            .unwrap_or_default()
    }

    /// The representative of `fixed` (an integer sum at FIXED_SCALE) plus a survey term, in
    /// integers: ⌊c · R⌋ added to the sum, and half a unit more when inexact (see
    /// [`crate::ballots`]). `None` when it does not fit (then decimals are added).
    fn with_survey_term(fixed: i64, r: crate::ballots::Rate, c: i128) -> Option<Decimal> {
        let (q, exact) = r.floor_times(c)?;
        let units = i128::from(fixed).checked_add(q)?;
        match exact {
            true => Decimal::try_from_i128_with_scale(units, FIXED_SCALE).ok(),
            false => {
                let half_up = units.checked_mul(10)?.checked_add(5)?;
                Decimal::try_from_i128_with_scale(half_up, FIXED_SCALE + 1).ok()
            }
        }
    }

    /// For a branch with ballots, the representative of Σ_{i ∈ indicators} e_i (a theme's
    /// sum, say), given `fixed`, the sum of those indicators' integer sums (their other
    /// levels): the survey terms of the set added as one, ⌊(Σ_i c_i) · R⌋, never as a sum of
    /// representatives (see [`crate::ballots`]). `None` for a branch without ballots (then
    /// `fixed` is the whole sum) or past an `i128`.
    pub fn with_survey_part(
        &self,
        b: usize,
        fixed: i64,
        indicators: impl IntoIterator<Item = usize>,
    ) -> Option<Decimal> {
        let (r, m) = self.survey(b)?;
        let c = (indicators.into_iter()).try_fold(0i128, |a, i| a.checked_add(*m.each.get(i)?))?;
        Scores::with_survey_term(fixed, r, c)
    }

    /// Branch b's integer sums (its indicators' e_i but the mass level's), R and its
    /// domain's multipliers of R for each indicator (at FIXED_SCALE), when its mass level is
    /// its ballots and its sums are integers kept per indicator: e_i · 10^FIXED_SCALE =
    /// sums[i] + mult[i] · R exactly, which the rectification items compare without a
    /// division.
    pub fn survey_sums(
        &self,
        b: usize,
        n: usize,
    ) -> Option<(&[i64], crate::ballots::Rate, &[i128])> {
        if !self.rest.is_empty() || self.folded {
            return None;
        }
        let (r, m) = self.survey(b)?;
        Some((self.sums(b)?.get(..n)?, r, m.each.get(..n)?))
    }

    /// Branch b's slots, if its domain's array is made.
    fn sums(&self, b: usize) -> Option<&[i64]> {
        let (d, o) = *self.start.get(b)?;
        let (d, o) = (usize::from(d), usize::try_from(o).ok()?);
        self.fixed
            .get(d)?
            .get(o..o.checked_add(*self.width.get(d)?)?)
    }

    /// Branch b's slots, its domain's array made if need be, and the slot of each of its
    /// indicators.
    fn sums_mut(&mut self, b: usize) -> Option<(&mut [i64], &[u8])> {
        let (d, o) = *self.start.get(b)?;
        let (d, o) = (usize::from(d), usize::try_from(o).ok()?);
        let (size, width) = (*self.sizes.get(d)?, *self.width.get(d)?);
        let fixed = self.fixed.get_mut(d)?;
        if fixed.is_empty() {
            *fixed = zeroed(size);
        }
        let sums = fixed.get_mut(o..o.checked_add(width)?)?;
        Some((sums, self.slots.get(d)?))
    }

    /// The slot of indicator `idx` of branch `b`.
    fn slot(&self, b: usize, idx: usize) -> Option<usize> {
        let d = usize::from(self.start.get(b)?.0);
        self.slots.get(d)?.get(idx).map(|s| usize::from(*s))
    }

    /// The slot of indicator `idx` of branch `b` when it is the indicator's own.
    fn own_slot(&self, b: usize, idx: usize) -> Option<usize> {
        let slot = self.slot(b, idx)?;
        let owning = *self.owning.get(usize::from(self.start.get(b)?.0))?;
        (slot < owning).then_some(slot)
    }

    /// Σ e_i of each theme of branch `b`'s standard (step 5 by themes) in units of
    /// 10^-FIXED_SCALE, when the integer sums are the whole of them and the standard rates by
    /// themes.
    pub fn fixed_theme_sums(&self, b: usize) -> Option<[i64; MAX_THEMES]> {
        if !self.rest.is_empty() || self.is_surveyed(b) {
            return None;
        }
        let themes = self.slot_themes.get(usize::from(self.start.get(b)?.0))?;
        if themes.is_empty() {
            return None;
        }
        let mut out = [0i64; MAX_THEMES];
        for (e, t) in self.sums(b)?.iter().zip(themes) {
            let sum = out.get_mut(usize::from(*t))?;
            *sum = sum.checked_add(*e)?;
        }
        Some(out)
    }

    /// Σ e_i of theme `k` of branch `b`'s standard, exact (zero when it rates by score): one
    /// sum, on the integers where they are the whole of it.
    pub fn theme_sum(&self, b: usize, k: usize) -> Decimal {
        let d = self.start.get(b).map(|s| usize::from(s.0));
        let themes = d.and_then(|d| self.slot_themes.get(d));
        let slots = self.sums(b).unwrap_or_default();
        let mut fixed = 0i64;
        let mut rest = Decimal::ZERO;
        for (slot, t) in themes.into_iter().flatten().enumerate() {
            if usize::from(*t) != k {
                continue;
            }
            let e = slots.get(slot).copied().unwrap_or(0);
            match fixed.checked_add(e) {
                Some(sum) => fixed = sum,
                None => rest += to_decimal(e, Decimal::ZERO),
            }
            rest += self.rest_of(b, slot);
        }
        self.with_theme_survey(b, k, fixed, rest)
    }

    /// A theme's Σ e_i from the sums of its slots (`fixed`, and the `rest` with more
    /// places): for a branch with ballots, its mass level added as one representative of
    /// the theme's survey term (see [`crate::ballots`]).
    fn with_theme_survey(&self, b: usize, k: usize, fixed: i64, rest: Decimal) -> Decimal {
        if !self.is_surveyed(b) {
            return to_decimal(fixed, rest);
        }
        let term = |m: &SurveyTerms| m.themes.get(k).copied();
        if rest.is_zero() {
            let exact = self.survey(b).and_then(|(r, m)| {
                let c = term(m)?;
                Scores::with_survey_term(fixed, r, c)
            });
            if let Some(rep) = exact {
                return rep;
            }
        }
        to_decimal(fixed, rest) + self.survey_term(b, term)
    }

    /// Σ e_i of each theme of branch `b`'s standard, exact (zeros when it rates by score).
    pub fn theme_sums(&self, b: usize) -> [Decimal; MAX_THEMES] {
        let mut out = [Decimal::ZERO; MAX_THEMES];
        let d = self.start.get(b).map(|s| usize::from(s.0));
        let themes = d.and_then(|d| self.slot_themes.get(d));
        let slots = self.sums(b).unwrap_or_default();
        if self.is_surveyed(b) {
            // Each theme's sum with its survey term added once.
            for (k, sum) in out.iter_mut().enumerate() {
                *sum = self.theme_sum(b, k);
            }
            return out;
        }
        for (k, t) in themes.into_iter().flatten().enumerate() {
            if let Some(sum) = out.get_mut(usize::from(*t)) {
                let fixed = slots.get(k).copied().unwrap_or(0);
                *sum += to_decimal(fixed, self.rest_of(b, k));
            }
        }
        out
    }

    /// B = Σ_i e_i of branch `b` (SPEC.md step 2), exact (for a branch whose mass level
    /// is its ballots, its representative: see [`crate::ballots`]).
    pub fn base(&self, b: usize) -> Decimal {
        let slots = self.sums(b).unwrap_or_default();
        // A branch with ballots, its other sums integers: in integers.
        let fast = || {
            let (r, m) = self.survey(b).filter(|_| self.rest.is_empty())?;
            let fixed = slots.iter().try_fold(0i64, |a, e| a.checked_add(*e))?;
            Scores::with_survey_term(fixed, r, m.base)
        };
        if let Some(rep) = self.surveyed.as_ref().and_then(|_| fast()) {
            return rep;
        }
        let sum: Decimal = (0..slots.len())
            .map(|k| to_decimal(slots.get(k).copied().unwrap_or(0), self.rest_of(b, k)))
            .sum();
        match self.surveyed {
            None => sum,
            Some(_) => sum + self.survey_term(b, |m| Some(m.base)),
        }
    }

    /// B of branch `b` from the integer sums, when they are the whole of them but for its
    /// ballots' term, added in integers as [`Scores::base`] adds it.
    pub fn fixed_base(&self, b: usize) -> Option<Decimal> {
        if !self.rest.is_empty() {
            return None;
        }
        let sums = self.sums(b)?;
        match self.survey(b) {
            None => Scores::sum_decimal(sums),
            Some((r, m)) => {
                let fixed = sums.iter().try_fold(0i64, |a, e| a.checked_add(*e))?;
                Scores::with_survey_term(fixed, r, m.base)
            }
        }
    }

    /// Is e_i of indicator `idx` of branch `b` below `line` (in units of 10^-FIXED_SCALE),
    /// told from the integer sums when they are the whole of e_i but for its ballots' term:
    /// the representative of e_i is below a whole number of units exactly when its units
    /// without the half of an inexact term are ([`Scores::with_survey_term`]).
    pub fn fixed_below(&self, b: usize, idx: usize, line: i64) -> Option<bool> {
        if !self.rest.is_empty() {
            return None;
        }
        let fixed = *self.sums(b)?.get(self.own_slot(b, idx)?)?;
        match self.survey(b) {
            None => Some(fixed < line),
            Some((r, m)) => {
                let (q, _) = r.floor_times(*m.each.get(idx)?)?;
                Some(i128::from(fixed).checked_add(q)? < i128::from(line))
            }
        }
    }

    /// e_i of indicator `idx` of branch `b`, exact, when it is kept: always with
    /// [`Keep::Indicators`], for the indicators with a bottom line with [`Keep::Ratings`].
    pub fn indicator(&self, b: usize, idx: usize) -> Option<Decimal> {
        let slot = self.own_slot(b, idx)?;
        let fixed = self.sums(b).and_then(|s| s.get(slot)).copied().unwrap_or(0);
        if let (Some(_), true) = (&self.surveyed, self.rest.is_empty()) {
            let term = self
                .survey(b)
                .and_then(|(r, m)| Some((r, *m.each.get(idx)?)));
            if let Some(rep) = term.and_then(|(r, c)| Scores::with_survey_term(fixed, r, c)) {
                return Some(rep);
            }
        }
        let e = to_decimal(fixed, self.rest_of(b, slot));
        Some(match self.surveyed {
            None => e,
            Some(_) => e + self.survey_term(b, |m| m.each.get(idx).copied()),
        })
    }

    /// The rest of slot k of branch b (rare: most years there is none).
    fn rest_of(&self, b: usize, k: usize) -> Decimal {
        self.rest.get(&(b, k)).copied().unwrap_or_default()
    }

    /// e_i of each of the `n` indicators of branch `b` (SPEC.md step 1), exact; zero where
    /// nothing was given.
    /// (Zero for an indicator not kept: see [`Keep::Ratings`].)
    pub fn combined(&self, b: usize, n: usize) -> Vec<Decimal> {
        (0..n)
            .map(|i| self.indicator(b, i).unwrap_or_default())
            .collect()
    }

    /// Branch b's e_i of its first `n` indicators in units of 10^-FIXED_SCALE, when they
    /// are the whole of them (no sum has places beyond that scale: the common case) and
    /// every indicator is kept ([`Keep::Indicators`]).
    pub fn fixed_sums(&self, b: usize, n: usize) -> Option<&[i64]> {
        if !self.rest.is_empty() || self.folded || self.is_surveyed(b) {
            return None;
        }
        self.sums(b)?.get(..n)
    }

    /// A decimal in units of 10^-FIXED_SCALE, when it has no more places and fits.
    pub fn to_fixed(d: Decimal) -> Option<i64> {
        let up = pow10(FIXED_SCALE.checked_sub(d.scale())?)?;
        i64::try_from(d.mantissa().checked_mul(i128::from(up))?).ok()
    }

    /// Σ e_i of [`Scores::fixed_sums`] as the decimal that summing [`Scores::combined`]
    /// gives (the same value, at the same scale).
    pub fn sum_decimal(fixed: &[i64]) -> Option<Decimal> {
        let sum = fixed
            .iter()
            .try_fold(0i128, |acc, e| acc.checked_add(i128::from(*e)))?;
        Decimal::try_from_i128_with_scale(sum, FIXED_SCALE).ok()
    }

    /// Σ_i s_{i,l} of each level of branch `b`, exact: the level ratings that floors
    /// compare (zero when no standard has a floor: then nothing asks).
    pub fn level_sums(&self, b: usize) -> [Decimal; 3] {
        let fixed = self
            .levels
            .as_ref()
            .and_then(|l| l.get(b))
            .copied()
            .unwrap_or([0; 3]);
        let mut sums = Level::ALL.map(|l| {
            let rest = self.level_rest.get(&(b, l.index())).copied();
            to_decimal(
                fixed.get(l.index()).copied().unwrap_or(0),
                rest.unwrap_or_default(),
            )
        });
        // The mass level of a branch with ballots: Σ_i p_i · R / 100 (its representative).
        if self.surveyed.is_some() && self.is_surveyed(b) {
            if let Some(m) = sums.get_mut(Level::Mass.index()) {
                *m += self.survey_term(b, |t| Some(t.level));
            }
        }
        sums
    }

    /// Add a score to its level's sum, when level sums are kept.
    fn add_to_level(&mut self, b: usize, level: Level, value: Decimal) {
        let Some(levels) = &mut self.levels else {
            return;
        };
        let at = Scores::to_fixed(value);
        let slot = levels.get_mut(b).and_then(|l| l.get_mut(level.index()));
        match (at, slot) {
            (Some(v), Some(sum)) if sum.checked_add(v).is_some() => *sum += v,
            _ => {
                *self
                    .level_rest
                    .entry((b, level.index()))
                    .or_insert(Decimal::ZERO) += value;
            }
        }
    }

    /// Free the sums once the year is rated and nothing more asks for e_i.
    pub fn release(&mut self) {
        self.fixed = Default::default();
        self.rest = BTreeMap::new();
        self.seen = Seen::default();
        self.levels = None;
        self.level_rest = BTreeMap::new();
        self.surveyed = None;
    }

    /// Add w · value to e_idx of branch b; `product` is w · value at FIXED_SCALE when the
    /// caller has it.
    pub(crate) fn add(
        &mut self,
        w: Decimal,
        (b, idx, level): (usize, usize, Level),
        value: Decimal,
        product: Option<i64>,
    ) {
        let p = product.or_else(|| fixed_product(w, value));
        let slot = self.slot(b, idx).unwrap_or(idx);
        let e = self.sums_mut(b).and_then(|(s, _)| s.get_mut(slot));
        match (p, e) {
            (Some(p), Some(e)) if e.checked_add(p).is_some() => *e += p,
            _ => *self.rest.entry((b, slot)).or_insert(Decimal::ZERO) += w * value,
        }
        self.seen.add(b, level, 1u64 << idx);
        self.add_to_level(b, level, value);
    }

    /// The slot of each indicator of domain `d` in a branch's sums, and how many slots a
    /// branch of it has.
    pub(crate) fn layout_of(&self, d: Domain) -> (&[u8], usize) {
        let d = d as usize;
        let slots = self.slots.get(d).map_or(&[][..], Vec::as_slice);
        (slots, self.width.get(d).copied().unwrap_or(0))
    }

    /// Add `per_slot` (products w · s already summed by slot, see [`Scores::layout_of`]) to
    /// branch b's sums, noting the indicators `bits` given at `level`: the same level of
    /// every branch of a standard at once (full marks). As [`Scores::add_products`], only
    /// when none of them was given before, no floor keeps level sums, and no sum
    /// overflows; else `false`, and nothing added.
    pub(crate) fn add_slots(
        &mut self,
        b: usize,
        level: Level,
        per_slot: &[i64],
        bits: u64,
    ) -> bool {
        let seen = self.seen.at(b, level);
        if seen.is_none_or(|s| s & bits != 0) || self.levels.is_some() {
            return false;
        }
        let Some((sums, _)) = self.sums_mut(b) else {
            return false;
        };
        let fits = sums.len() == per_slot.len()
            && (sums.iter().zip(per_slot)).all(|(e, p)| e.checked_add(*p).is_some());
        if !fits {
            return false;
        }
        for (e, p) in sums.iter_mut().zip(per_slot) {
            *e = e.wrapping_add(*p);
        }
        self.seen.add(b, level, bits);
        true
    }

    /// Add the products w · s of (indicator, product) of branch b at `level` when none was
    /// given before, no floor keeps level sums, and no sum overflows; else `false`, and
    /// nothing added.
    pub(crate) fn add_products(
        &mut self,
        b: usize,
        level: Level,
        products: &[(usize, i64)],
    ) -> bool {
        let bits = products.iter().fold(0u64, |m, &(idx, _)| m | 1u64 << idx);
        let seen = self.seen.at(b, level);
        if seen.is_none_or(|s| s & bits != 0) || self.levels.is_some() {
            return false;
        }
        let Some((sums, slots)) = self.sums_mut(b) else {
            return false;
        };
        // All or nothing: a sum that would overflow leaves the row to the general way (the
        // products added before it taken away again).
        for (k, &(idx, p)) in products.iter().enumerate() {
            let slot = slots.get(idx).map(|s| usize::from(*s));
            let e = slot.and_then(|s| sums.get_mut(s));
            match e.and_then(|e| e.checked_add(p).map(|sum| (e, sum))) {
                Some((e, sum)) => *e = sum,
                None => {
                    for &(idx, p) in products.get(..k).unwrap_or_default() {
                        let slot = slots.get(idx).map(|s| usize::from(*s));
                        if let Some(e) = slot.and_then(|s| sums.get_mut(s)) {
                            *e = e.wrapping_sub(p);
                        }
                    }
                    return false;
                }
            }
        }
        self.seen.add(b, level, bits);
        true
    }

    /// The indicators branch b's `level` has given (bit i: indicator i).
    pub(crate) fn given(&self, b: usize, level: Level) -> Option<u64> {
        self.seen.at(b, level)
    }

    /// How many slots of sums are made, in all.
    #[cfg(test)]
    pub(crate) fn slots_made(&self) -> usize {
        self.fixed.iter().map(Vec::len).sum()
    }

    /// Has branch b's `level` given a score of indicator `idx`?
    pub(crate) fn has(&self, b: usize, idx: usize, level: Level) -> bool {
        self.seen
            .at(b, level)
            .is_some_and(|m| m & (1u64 << idx) != 0)
    }

    /// Add the sums of other sheets of the same year; `false` when both gave a score of the
    /// same branch, indicator and level (or a sum overflowed).
    pub(crate) fn merge(&mut self, other: Scores) -> bool {
        let overlap = self.seen.overlaps(&other.seen);
        if overlap || self.sizes != other.sizes || self.width != other.width {
            return false;
        }
        // Each sum of `b` added to `a`'s; `false` when one overflows.
        let add = |a: &mut [i64], b: &[i64]| {
            (a.iter_mut().zip(b)).all(|(a, b)| a.checked_add(*b).map(|sum| *a = sum).is_some())
        };
        for (a, b) in self.fixed.iter_mut().zip(other.fixed) {
            if a.is_empty() {
                *a = b;
            } else if !add(a, &b) {
                return false;
            }
        }
        for (k, v) in other.rest {
            *self.rest.entry(k).or_insert(Decimal::ZERO) += v;
        }
        if let (Some(a), Some(b)) = (&mut self.levels, other.levels) {
            if !add(a.as_flattened_mut(), b.as_flattened()) {
                return false;
            }
        }
        for (k, v) in other.level_rest {
            *self.level_rest.entry(k).or_insert(Decimal::ZERO) += v;
        }
        self.seen.union(&other.seen);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The levels packed in one word tell what a word each tells: each level's own bits,
    /// never another's, and overlaps of the same branch and level only.
    #[test]
    fn indicators_given_packed_are_told_as_a_word_a_level() {
        for n in [1, 20, 21] {
            let (mut packed, mut apart) = (Seen::new(4, n), Seen::new(4, 22));
            assert_eq!(
                (packed.stride.is_some(), apart.stride.is_some()),
                (true, false)
            );
            let all = (1u64 << n) - 1;
            let given = [
                (0, Level::SelfLevel, all),
                (1, Level::Organization, 1 << (n - 1)),
                (3, Level::Mass, 0b1),
            ];
            for (b, l, bits) in given {
                packed.add(b, l, bits);
                apart.add(b, l, bits);
            }
            for b in 0..5 {
                for l in Level::ALL {
                    assert_eq!(packed.at(b, l), apart.at(b, l), "{n} {b} {l:?}");
                }
            }
            let mut other = Seen::new(4, n);
            other.add(0, Level::Mass, all);
            assert!(!packed.overlaps(&other));
            other.add(1, Level::Organization, 1 << (n - 1));
            assert!(packed.overlaps(&other));
        }
    }
}
