//! `YEAR/scores*.csv`: wide score sheets, one row per branch and level.
//!
//! A row fills every indicator of the branch's domain that the sheet has a column for, or
//! leaves them all blank and gives `overall`, which stands for every indicator of the domain
//! at that level. Across all sheets each (branch, level, indicator) is given exactly once.
//!
//! Sheets are streamed: what is kept of each branch is its combined points per indicator
//! (SPEC.md step 1, summed as the rows come) and which indicators each level has given.
//! `stars explain` asks for one branch's cells in full.

use super::files::Kind;
use super::sheet::{Cells, Sheet};
use super::Workspace;
use crate::decimal;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::standard::{Domain, Level, Standard};

/// How many domains there are (each has its own array of sums).
const DOMAINS: usize = Domain::ALL.len();

// `domain as usize` indexes arrays made in `Domain::ALL` order.
const _: () = {
    let mut i = 0;
    while i < DOMAINS {
        assert!(Domain::ALL[i] as usize == i);
        i += 1;
    }
};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// 1/100, to take `overall` percent of the points without a (slow) division.
const HUNDREDTH: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// One score of one indicator at one level, with where it came from (for `explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The score s_{i,l} (for an `overall` row: points × overall / 100, exact).
    pub value: Decimal,
    /// The `overall` the score came from, if it did.
    pub overall: Option<Decimal>,
    /// Index into [`super::YearData::sheet_names`].
    pub file: usize,
    pub line: usize,
    pub column: usize,
}

/// A row that gave scores of a branch, to say where a score was first given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Given {
    file: usize,
    line: usize,
    level: Level,
    overall: bool,
}

/// The scale of the fixed-point sums: products w_l · s_{i,l} with up to this many decimal
/// places in all (weights of a few places times scores of a few) are summed as integers.
const FIXED_SCALE: u32 = 10;

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
fn pow10(n: u32) -> Option<i64> {
    POW10.get(usize::try_from(n).ok()?).copied()
}

/// A decimal as (mantissa, scale) in i64, when it fits.
fn parts64(d: Decimal) -> Option<(i64, u32)> {
    Some((i64::try_from(d.mantissa()).ok()?, d.scale()))
}

/// What the integer fast path needs of one domain's standard: the common case of every cell
/// (a plain score, in range, whose weighted product has at most FIXED_SCALE places) in a few
/// i64 operations.
#[derive(Clone)]
struct Fast {
    /// Each indicator's points at FIXED_SCALE (`None` when they have more places).
    max: Vec<Option<i64>>,
    /// Each indicator's points as (mantissa, scale).
    points: Vec<Option<(i64, u32)>>,
    /// For each level and each scale s of a score (0 to FIXED_SCALE), what turns the score's
    /// mantissa into w · score at FIXED_SCALE: w's mantissa × 10^(FIXED_SCALE − s − w's
    /// scale), when that is whole and fits.
    factor: [[Option<i64>; FIXED_SCALE as usize + 1]; 3],
}

impl Fast {
    fn new(std: &Standard) -> Fast {
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

    /// A score of (mantissa, scale) as a decimal, with its weighted product w · s at
    /// FIXED_SCALE.
    #[inline(always)]
    fn weighted(&self, (m, s): (i64, u32), level: Level) -> Option<(Decimal, i64)> {
        let factor = self
            .factor
            .get(level.index())?
            .get(usize::try_from(s).ok()?)?;
        Some((Decimal::try_new(m, s).ok()?, m.checked_mul((*factor)?)?))
    }

    /// A score typed as a plain decimal, (mantissa, scale), if it is within 0..=points of
    /// indicator `idx`, with its weighted product w · s at FIXED_SCALE. `None`: the decimal
    /// path decides.
    #[inline(always)]
    fn cell(&self, (m, s): (i64, u32), idx: usize, level: Level) -> Option<(Decimal, i64)> {
        let at_scale = m.checked_mul(pow10(FIXED_SCALE.checked_sub(s)?)?)?;
        if at_scale > (*self.max.get(idx)?)? {
            return None;
        }
        self.weighted((m, s), level)
    }

    /// Indicator `idx`'s score from an `overall` of (mantissa, scale): points × overall / 100,
    /// with its weighted product at FIXED_SCALE.
    fn overall(&self, (om, os): (i64, u32), idx: usize, level: Level) -> Option<(Decimal, i64)> {
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
#[derive(Debug, Default)]
pub struct Scores {
    /// File names of the sheets, as shown in messages.
    pub names: Vec<String>,
    /// Every cell of one branch, when asked for: by indicator, then level.
    pub detail: Option<(usize, Vec<[Option<Cell>; 3]>)>,
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
    /// indicator without a bottom line. B is the sum of the slots either way, and step 6
    /// looks only at bottom-line indicators: a province's sums take a few slots a branch
    /// instead of one per indicator.
    slots: [Vec<u8>; DOMAINS],
    /// How many slots a branch of each domain has.
    width: [usize; DOMAINS],
    /// The slot that indicators share, in each domain where they do ([`Keep::Ratings`]).
    shared: [Option<usize>; DOMAINS],
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
    /// The rows that gave each branch's scores, kept only when problems are being told (to
    /// say where a repeated score was first given).
    given: Option<Vec<Vec<Given>>>,
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
    fn new(ws: &Workspace, names: Vec<String>, locate: bool, keep: Keep) -> Scores {
        let n = ws.branches.len();
        let folded = keep == Keep::Ratings;
        // Own slots first, in indicator order; then the shared one, if any indicator has it.
        let own = |i: &crate::standard::Indicator| !folded || i.bottom_line.is_some();
        // Each domain's slots of its indicators, how many a branch has, and the shared one.
        let layout = Domain::ALL.map(|d| {
            let indicators = ws.standards.get(d).map_or(&[][..], |s| &s.indicators[..]);
            let owning = indicators.iter().filter(|i| own(i)).count();
            let mut next = 0usize;
            let slots = (indicators.iter())
                .map(|i| {
                    let slot = if own(i) { (next, next += 1).0 } else { owning };
                    // At most 64 indicators (the bits of `seen`).
                    u8::try_from(slot).unwrap_or(u8::MAX)
                })
                .collect::<Vec<u8>>();
            let shared = (owning < indicators.len()).then_some(owning);
            (slots, owning + usize::from(shared.is_some()), shared)
        });
        let width = layout.each_ref().map(|l| l.1);
        let shared = layout.each_ref().map(|l| l.2);
        let slots = layout.map(|l| l.0);
        let mut sizes = [0usize; DOMAINS];
        let mut start = Vec::with_capacity(n);
        for domain in ws.domains() {
            let d = domain as usize;
            if let (Some(size), Some(w)) = (sizes.get_mut(d), width.get(d)) {
                // Offsets past u32 (a hundred million branches) are left out of the sums:
                // such a branch then counts as given nothing, and is reported incomplete.
                start.push((d as u8, u32::try_from(*size).unwrap_or(u32::MAX)));
                *size += w;
            }
        }
        Scores {
            names,
            detail: None,
            start,
            fixed: Default::default(),
            sizes,
            slots,
            width,
            shared,
            folded,
            rest: BTreeMap::new(),
            seen: Seen::new(
                n,
                ws.standards
                    .by_domain
                    .values()
                    .map(|s| s.indicators.len())
                    .max()
                    .unwrap_or(0),
            ),
            levels: ws.standards.has_floors().then(|| zeroed(n)),
            level_rest: BTreeMap::new(),
            given: locate.then(|| vec![Vec::new(); n]),
        }
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
        let shared = *self.shared.get(usize::from(self.start.get(b)?.0))?;
        (shared != Some(slot)).then_some(slot)
    }

    /// B = Σ_i e_i of branch `b` (SPEC.md step 2), exact.
    pub fn base(&self, b: usize) -> Decimal {
        let slots = self.sums(b).unwrap_or_default();
        (0..slots.len())
            .map(|k| to_decimal(slots.get(k).copied().unwrap_or(0), self.rest_of(b, k)))
            .sum()
    }

    /// B of branch `b` from the integer sums, when they are the whole of them.
    pub fn fixed_base(&self, b: usize) -> Option<Decimal> {
        if !self.rest.is_empty() {
            return None;
        }
        Scores::sum_decimal(self.sums(b)?)
    }

    /// e_i of indicator `idx` of branch `b`, exact, when it is kept: always with
    /// [`Keep::Indicators`], for the indicators with a bottom line with [`Keep::Ratings`].
    pub fn indicator(&self, b: usize, idx: usize) -> Option<Decimal> {
        let slot = self.own_slot(b, idx)?;
        let fixed = self.sums(b).and_then(|s| s.get(slot)).copied().unwrap_or(0);
        Some(to_decimal(fixed, self.rest_of(b, slot)))
    }

    /// e_i of indicator `idx` of branch `b` in units of 10^-FIXED_SCALE, when it is kept
    /// and the integer sums are the whole of e_i.
    pub fn fixed_indicator(&self, b: usize, idx: usize) -> Option<i64> {
        if !self.rest.is_empty() {
            return None;
        }
        self.sums(b)?.get(self.own_slot(b, idx)?).copied()
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
        if !self.rest.is_empty() || self.folded {
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
        Level::ALL.map(|l| {
            let rest = self.level_rest.get(&(b, l.index())).copied();
            to_decimal(
                fixed.get(l.index()).copied().unwrap_or(0),
                rest.unwrap_or_default(),
            )
        })
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
        self.given = None;
    }

    /// Add w · value to e_idx of branch b; `product` is w · value at FIXED_SCALE when the
    /// caller has it.
    fn add(
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

    /// Add the products w · s of (indicator, product) of branch b at `level` when none was
    /// given before, no floor keeps level sums, and no sum overflows; else `false`, and
    /// nothing added.
    fn add_products(&mut self, b: usize, level: Level, products: &[(usize, i64)]) -> bool {
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

    /// The rows that gave branch b's scores at `level`, when they are kept (to tell
    /// problems).
    fn given_at(&self, b: usize, level: Level) -> impl Iterator<Item = Given> + '_ {
        (self.given.as_ref().and_then(|given| given.get(b)))
            .into_iter()
            .flatten()
            .filter(move |g| g.level == level)
            .copied()
    }

    fn has(&self, b: usize, idx: usize, level: Level) -> bool {
        self.seen
            .at(b, level)
            .is_some_and(|m| m & (1u64 << idx) != 0)
    }

    /// Add the sums of other sheets of the same year; `false` when both gave a score of the
    /// same branch, indicator and level (or a sum overflowed).
    fn merge(&mut self, other: Scores) -> bool {
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

/// What a sheet's header says.
struct Columns {
    branch: usize,
    level: usize,
    overall: Option<usize>,
    /// (column, indicator id)
    indicators: Vec<(usize, String)>,
    /// For the branches of each domain with a standard, by `domain as usize`: the sheet's
    /// columns of its indicators (column, index in its standard), and the other indicator
    /// columns (column, position in `indicators`), which must be blank.
    domains: [DomainColumns; DOMAINS],
}

/// A domain's indicator columns of a sheet: (column, index in its standard), and the
/// others (column, position in [`Columns::indicators`]).
type DomainColumns = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// A score found in a row: (column, indicator, score, w · score at FIXED_SCALE when the
/// integer path has it).
type Found = (usize, usize, Decimal, Option<i64>);

/// Reads score rows into sums: one for the careful read, one per core for the parts of
/// clean sheets (see [`super::table`]).
struct Loader<'w> {
    ws: &'w Workspace,
    year: i32,
    scores: Scores,
    /// Per sheet: indicator id → 1-based column, and the overall column (kept with the
    /// rows that gave scores, to say where a repeated score was first given).
    sheet_columns: Vec<(BTreeMap<String, usize>, Option<usize>)>,
    /// (branch, level) pairs with a bad row: their missing scores are not reported again.
    bad_rows: BTreeSet<(usize, Level)>,
    /// The branch of the last row: sheets usually list branches in id order, so the next
    /// row's branch is this one or one shortly after it.
    cursor: usize,
    /// Buffers reused from row to row.
    found: Vec<Found>,
    lane: Vec<(usize, i64)>,
    /// Each domain's standard and what the integer fast path needs of it, by
    /// `domain as usize` (looked up once a row).
    stds: [Option<(&'w Standard, Fast)>; DOMAINS],
}

/// The score sheets of a year (see [`super::table`]).
struct Sheets<'w> {
    ws: &'w Workspace,
    year: i32,
    /// The branch whose every cell is kept (for `explain`): read the careful way.
    detail: Option<usize>,
    keep: Keep,
}

impl<'w> super::table::Table for Sheets<'w> {
    type Cols = Columns;
    type Part = Loader<'w>;
    const ALL_SHEETS: bool = true;
    const NUMBERS: bool = true;

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Columns> {
        let ws = self.ws;
        // No known column at all: this is not the header row (a title, a header in other
        // words, a sheet of something else) — one problem, not one per cell.
        let known = |h: &String| {
            matches!(h.as_str(), "branch" | "level" | "overall") || ws.standards.column(h).is_some()
        };
        if !sheet.header.iter().any(known) {
            let found = crate::i18n::list(&sheet.header.join(", "));
            problems.push(sheet.header_problem(msg!(
                "no header row found (the first row with two or more cells has: {found}); expected a row with the columns branch, level, then indicator ids and an optional overall",
                "找不到表头行（第一个有两个以上单元格的行是：{found}）；应有一行列名为 branch、level，其后为各指标编号，可另加 overall"
            )));
            return None;
        }
        let before = problems.len();
        let (mut branch, mut level, mut overall) = (None, None, None);
        let mut indicators = Vec::new();
        // Each indicator column's index in each domain's standard.
        let mut places = Vec::new();
        let mut seen = BTreeSet::new();
        for (c, h) in sheet.header.iter().enumerate() {
            if !seen.insert(h.as_str()) {
                problems.push(
                    sheet.header_cell(c, msg!("column `{h}` appears twice", "列“{h}”出现了两次")),
                );
                continue;
            }
            match h.as_str() {
                "branch" => branch = Some(c),
                "level" => level = Some(c),
                "name" => {}
                "overall" => overall = Some(c),
                id => {
                    let Some(at) = ws.standards.column(id) else {
                        problems.push(sheet.header_cell(
                            c,
                            msg!(
                                "unknown column `{id}`; expected branch, level, name, overall or an indicator id of the standards",
                                "未知列“{id}”；应为 branch、level、name、overall 或评星标准中的指标编号"
                            ),
                        ));
                        continue;
                    };
                    indicators.push((c, id.to_string()));
                    places.push(at);
                }
            }
        }
        for (col, what) in [(branch, "branch"), (level, "level")] {
            if col.is_none() {
                problems.push(sheet.header_problem(msg!(
                    "missing column `{what}`; a score sheet has columns branch, level, then indicator ids and an optional overall",
                    "缺少列“{what}”；评分表应有列 branch、level，其后为各指标编号，可另加 overall 列"
                )));
            }
        }
        if problems.len() != before {
            return None;
        }
        let mut domains: [DomainColumns; DOMAINS] = Default::default();
        for d in ws.standards.by_domain.keys() {
            if let Some((mine, foreign)) = domains.get_mut(*d as usize) {
                for (k, ((c, _), at)) in indicators.iter().zip(&places).enumerate() {
                    match at.get(*d as usize).copied().flatten() {
                        Some(idx) => mine.push((*c, usize::from(idx))),
                        None => foreign.push((*c, k)),
                    }
                }
            }
        }
        Some(Columns {
            branch: branch?,
            level: level?,
            overall,
            indicators,
            domains,
        })
    }

    fn part(&self, names: &[String], _: u64, careful: bool) -> Option<Loader<'w>> {
        let (ws, n) = (self.ws, names.len());
        let mut scores = Scores::new(ws, names.to_vec(), careful, self.keep);
        scores.detail = self.detail.map(|b| (b, Vec::new()));
        Some(Loader {
            ws,
            year: self.year,
            scores,
            sheet_columns: vec![(BTreeMap::new(), None); n],
            bad_rows: BTreeSet::new(),
            cursor: 0,
            found: Vec::new(),
            lane: Vec::new(),
            stds: Domain::ALL.map(|d| ws.standards.get(d).map(|s| (s, Fast::new(s)))),
        })
    }

    fn row(
        &self,
        l: &mut Loader<'w>,
        cols: &Columns,
        sheet: usize,
        row: &impl Cells,
        problems: &mut Problems,
    ) {
        l.row(row, cols, sheet, problems);
    }

    /// The sums of both parts added; `None` when both gave a score of the same branch,
    /// indicator and level, or a branch's scores are incomplete (the careful read tells
    /// where).
    fn merge(&self, mut a: Loader<'w>, b: Loader<'w>, _: &[usize]) -> Option<Loader<'w>> {
        if !a.scores.merge(b.scores) {
            return None;
        }
        let mut problems = Problems::new();
        a.check_complete(&mut problems);
        problems.is_empty().then_some(a)
    }

    /// `explain` reads the careful way, which keeps every cell of its branch.
    fn streams(&self) -> bool {
        self.detail.is_none()
    }
}

pub fn load(
    ws: &Workspace,
    year: i32,
    detail: Option<usize>,
    keep: Keep,
    problems: &mut Problems,
) -> Scores {
    let files = ws.table_files(year, Kind::Scores, problems);
    if files.is_empty() {
        let unread = ws.listing(year).unread.clone();
        let found = if unread.is_empty() {
            String::new()
        } else {
            let list = crate::i18n::list(&unread.join(", "));
            msg!(
                " (files here, not read: {list})",
                "（此处有文件但不会读取：{list}）"
            )
        };
        problems.push(Problem::file(
            super::join_shown(&ws.shown, &format!("{year}/")),
            msg!(
                "no score sheets{found}; expected one or more files named scores*.csv, scores*.xlsx or scores*.xls (any letter case)",
                "没有评分表{found}；应有一个或多个名为 scores*.csv、scores*.xlsx 或 scores*.xls 的文件（不分大小写）"
            ),
        ));
    }
    let sheets = Sheets {
        ws,
        year,
        detail,
        keep,
    };
    let Some(read) = super::table::read(&sheets, &files, ws.encoding, problems) else {
        return Scores::default();
    };
    // A sheet that cannot be read at all would make every branch look incomplete: then the
    // missing scores are not reported, only the sheet's own problems; no sheet at all is
    // one problem, the folder's, not one per branch. (Parts are merged complete.)
    if read.whole {
        read.part.check_complete(problems);
    }
    read.part.scores
}

impl<'w> Loader<'w> {
    /// Branch b's standard, and what the integer fast path needs of it.
    fn std_of(&self, b: usize) -> Option<&(&'w Standard, Fast)> {
        self.stds.get(self.ws.domain_of(b)? as usize)?.as_ref()
    }

    /// One row: its branch and level, then its scores.
    fn row(&mut self, row: &impl Cells, cols: &Columns, file: usize, problems: &mut Problems) {
        let bid = row.get(cols.branch);
        let branch =
            (self.ws).branch_in_cell(row, cols.branch, self.year, &mut self.cursor, problems);
        let ltext = row.get(cols.level);
        let level = Level::parse(ltext);
        if level.is_none() {
            problems.push(row.problem(
                cols.level,
                msg!(
                    "unknown level `{ltext}`; expected self, mass or organization",
                    "未知层级“{ltext}”；应为 self（自评）、mass（群众评议）或 organization（组织评定）"
                ),
            ));
        }
        let (Some(b), Some(level)) = (branch, level) else {
            return;
        };
        if self.scores.given.is_none() && self.lane(row, cols, b, level) {
            return;
        }
        let row_start = problems.len();
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        if let Some(overall) = self.found_in_row(row, cols, b, level, bid, &mut found, problems) {
            self.add_row(row, cols, (b, level, bid, overall), file, &found, problems);
        }
        self.found = found;
        if problems.len() != row_start {
            self.bad_rows.insert((b, level));
        }
    }

    /// The common row of clean sheets read in parts (nothing kept to tell problems, no
    /// floors): every indicator of the domain a plain score in range and no overall, or
    /// only a plain overall, none given before. Its products w · s are added at once, the
    /// very ones [`Loader::add_row`] adds for such a row; `false`, and nothing added, for
    /// any other row, which goes the general way.
    fn lane(&mut self, row: &impl Cells, cols: &Columns, b: usize, level: Level) -> bool {
        let mut lane = std::mem::take(&mut self.lane);
        let ok = self.lane_products(row, cols, b, level, &mut lane)
            && self.scores.add_products(b, level, &lane);
        self.lane = lane;
        ok
    }

    /// The (indicator, w · s) of a row for [`Loader::lane`], into `lane`.
    fn lane_products(
        &self,
        row: &impl Cells,
        cols: &Columns,
        b: usize,
        level: Level,
        lane: &mut Vec<(usize, i64)>,
    ) -> bool {
        let Some(d) = self.ws.domain_of(b) else {
            return false;
        };
        let (Some(Some((_, fast))), Some((mine, foreign))) =
            (self.stds.get(d as usize), cols.domains.get(d as usize))
        else {
            return false;
        };
        let overall = cols.overall.filter(|&c| !row.get(c).is_empty());
        if self.scores.detail.is_some() || foreign.iter().any(|&(c, _)| !row.get(c).is_empty()) {
            return false;
        }
        lane.clear();
        if let Some(oc) = overall {
            // 0 ≤ overall ≤ 100, plain, and every indicator blank.
            let Some((m, s)) = row.number(oc) else {
                return false;
            };
            let max = pow10(s).and_then(|p| p.checked_mul(100));
            if max.is_none_or(|max| m > max) || mine.iter().any(|&(c, _)| !row.get(c).is_empty()) {
                return false;
            }
            for idx in 0..fast.points.len() {
                match fast.overall((m, s), idx, level) {
                    Some((_, p)) => lane.push((idx, p)),
                    None => return false,
                }
            }
        } else {
            for &(c, idx) in mine {
                match row.number(c).and_then(|n| fast.cell(n, idx, level)) {
                    Some((_, p)) => lane.push((idx, p)),
                    None => return false,
                }
            }
        }
        !lane.is_empty()
    }

    /// The scores a row gives of branch `b` at `level`, into `found`, and the overall they
    /// came from if they did; `None` when the row gives none (its problems told).
    #[allow(clippy::too_many_arguments)]
    fn found_in_row(
        &self,
        row: &impl Cells,
        cols: &Columns,
        b: usize,
        level: Level,
        bid: &str,
        found: &mut Vec<Found>,
        problems: &mut Problems,
    ) -> Option<Option<Decimal>> {
        let &(std, ref fast) = self.std_of(b)?;
        let (domain, domain_zh) = (std.domain, std.domain.zh());
        // The sheet's columns that belong to this branch's domain; others must be blank.
        let (mine, foreign) = cols.domains.get(domain as usize)?;
        for &(c, k) in foreign {
            if !row.get(c).is_empty() {
                let id = cols.indicators.get(k).map_or("", |(_, id)| id.as_str());
                problems.push(row.problem(
                    c,
                    msg!(
                        "`{id}` is not an indicator of the {domain} standard of branch {bid}; expected this cell blank",
                        "“{id}”不是支部 {bid} 所属{domain_zh}领域评星标准的指标；此单元格应留空"
                    ),
                ));
            }
        }
        let overall_text = cols.overall.map(|c| row.get(c)).unwrap_or("");
        let filled = mine.iter().filter(|(c, _)| !row.get(*c).is_empty()).count();
        if filled > 0 {
            if let (Some(oc), false) = (cols.overall, overall_text.is_empty()) {
                problems.push(row.problem(
                    oc,
                    tr(
                        "row mixes indicator scores and `overall`; expected either every indicator score or only overall",
                        "该行既填了指标得分又填了 overall；应逐项填写全部指标得分，或只填 overall",
                    )
                    .into(),
                ));
                return None;
            }
            if filled < mine.len() {
                for &(c, _) in mine {
                    if row.get(c).is_empty() {
                        problems.push(row.problem(
                            c,
                            tr(
                                "score is blank while others in the row are filled; expected every indicator of the row's domain, or all blank and overall",
                                "该行其他得分已填写，此项得分为空；应填写该支部所属领域的全部指标，或全部留空、只填 overall",
                            )
                            .into(),
                        ));
                    }
                }
                return None;
            }
            for &(c, idx) in mine {
                // The common case exactly in integers; anything else (and every problem)
                // through decimals.
                if let Some((v, p)) = row.number(c).and_then(|n| fast.cell(n, idx, level)) {
                    found.push((c, idx, v, Some(p)));
                    continue;
                }
                let points = std.indicators.get(idx).map_or(Decimal::ZERO, |i| i.points);
                if let Some(v) = score(row.get(c), points, row, c, problems) {
                    found.push((c, idx, v, None));
                }
            }
            return Some(None);
        }
        let Some(oc) = cols.overall.filter(|_| !overall_text.is_empty()) else {
            problems.push(row.row_problem(msg!(
                "row gives no score for branch {bid} ({domain}); expected its indicator scores or an overall",
                "该行没有支部 {bid}（{domain_zh}）的任何得分；应填写各指标得分或 overall"
            )));
            return None;
        };
        // A plain overall from 0 to 100 without the decimal parser (once per mass row).
        let plain = decimal::parse_parts(overall_text)
            .filter(|&(m, s)| pow10(s).and_then(|p| p.checked_mul(100)) >= Some(m))
            .and_then(|(m, s)| Decimal::try_new(m, s).ok());
        let overall =
            plain.or_else(|| score(overall_text, Decimal::ONE_HUNDRED, row, oc, problems))?;
        let o64 = parts64(overall);
        for (idx, ind) in std.indicators.iter().enumerate() {
            match o64.and_then(|o| fast.overall(o, idx, level)) {
                Some((v, p)) => found.push((oc, idx, v, Some(p))),
                // points × overall / 100, exact.
                None => found.push((oc, idx, ind.points * overall * HUNDREDTH, None)),
            }
        }
        Some(Some(overall))
    }

    /// Add the scores found in a row, but those given before (told where they were first).
    fn add_row(
        &mut self,
        row: &impl Cells,
        cols: &Columns,
        (b, level, bid, overall): (usize, Level, &str, Option<Decimal>),
        file_idx: usize,
        found: &[Found],
        problems: &mut Problems,
    ) {
        let Some(&(std, _)) = self.std_of(b) else {
            return;
        };
        // A row whose every score was given by one earlier row (a copied row): one problem
        // naming both rows, not one per cell.
        if !found.is_empty() && found.iter().all(|f| self.scores.has(b, f.1, level)) {
            let earlier: Vec<Given> = self.scores.given_at(b, level).collect();
            if let [g] = earlier[..] {
                let line = g.line;
                let at = if g.file == file_idx {
                    msg!("line {line}", "第 {line} 行")
                } else {
                    let sheet = self.scores.names.get(g.file).map_or("", String::as_str);
                    msg!("{sheet}, line {line}", "{sheet} 第 {line} 行")
                };
                let (level, level_zh) = (level.as_str(), level.zh());
                problems.push(row.row_problem(msg!(
                    "row repeats the {level} scores of {bid} already given on {at}; expected each branch's level in one row only: delete one of the two",
                    "该行重复填写了支部 {bid} 的{level_zh}层级得分（已在{at}填写）；每个支部的每个层级只应填写一行：请删去其中一行"
                )));
                return;
            }
        }
        let w = std.settings.weight(level);
        let mut any = false;
        for &(c, idx, value, product) in found {
            if self.scores.has(b, idx, level) {
                let id = std.indicators.get(idx).map(|i| i.id.as_str()).unwrap_or("");
                let at = self.first_given(b, level, id, file_idx);
                let (level, level_zh) = (level.as_str(), level.zh());
                problems.push(row.problem(
                    c,
                    msg!(
                        "score of {bid} for {id} at level {level} is given twice{at}; expected exactly once",
                        "支部 {bid} 指标 {id} 的{level_zh}层级得分重复填写{at}；应只填写一次"
                    ),
                ));
                continue;
            }
            any = true;
            self.scores.add(w, (b, idx, level), value, product);
            if let Some((db, cells)) = &mut self.scores.detail {
                if *db == b {
                    if cells.is_empty() {
                        cells.resize(std.indicators.len(), [None, None, None]);
                    }
                    if let Some(slot) = cells.get_mut(idx).and_then(|l| l.get_mut(level.index())) {
                        *slot = Some(Cell {
                            value,
                            overall,
                            file: file_idx,
                            line: row.line(),
                            column: c + 1,
                        });
                    }
                }
            }
        }
        if let (true, Some(given)) = (any, self.scores.given.as_mut().and_then(|g| g.get_mut(b))) {
            given.push(Given {
                file: file_idx,
                line: row.line(),
                level,
                overall: overall.is_some(),
            });
            if let Some(sc) = self.sheet_columns.get_mut(file_idx) {
                if sc.0.is_empty() && sc.1.is_none() {
                    *sc = (
                        (cols.indicators.iter())
                            .map(|(c, id)| (id.clone(), c + 1))
                            .collect(),
                        cols.overall.map(|c| c + 1),
                    );
                }
            }
        }
    }

    /// Where a score of indicator `id` of branch `b` at `level` was first given, as said
    /// after "given twice".
    fn first_given(&self, b: usize, level: Level, id: &str, file_idx: usize) -> String {
        let first = self.scores.given_at(b, level).find(|g| {
            g.overall
                || self
                    .sheet_columns
                    .get(g.file)
                    .is_some_and(|(ids, _)| ids.contains_key(id))
        });
        let Some(g) = first else {
            return String::new();
        };
        let col = self
            .sheet_columns
            .get(g.file)
            .and_then(|(ids, oc)| if g.overall { *oc } else { ids.get(id).copied() })
            .unwrap_or(0);
        let line = g.line;
        if g.file == file_idx {
            msg!(
                " (first on line {line}, column {col})",
                "（首次出现在第 {line} 行第 {col} 列）"
            )
        } else {
            let sheet = self.scores.names.get(g.file).map_or("", String::as_str);
            msg!(
                " (first in {sheet}, line {line}, column {col})",
                "（首次出现在 {sheet} 第 {line} 行第 {col} 列）"
            )
        }
    }

    /// Every rated branch has every level of every indicator.
    fn check_complete(&self, problems: &mut Problems) {
        let ws = self.ws;
        let folder = super::join_shown(&ws.shown, &format!("{}/", self.year));
        for (b, branch) in ws.branches.iter().enumerate() {
            if !branch.rated_in(self.year) {
                continue;
            }
            let Some(std) = ws.standards.get(branch.domain) else {
                continue;
            };
            // Every indicator given at every level (the usual case): one comparison.
            let n = std.indicators.len();
            let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
            let seen = &self.scores.seen;
            if Level::ALL
                .iter()
                .all(|l| seen.at(b, *l).is_some_and(|m| m & all == all))
            {
                continue;
            }
            for level in Level::ALL {
                if self.bad_rows.contains(&(b, level)) {
                    continue;
                }
                let missing: Vec<&str> = std
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !self.scores.has(b, *i, level))
                    .map(|(_, ind)| ind.id.as_str())
                    .collect();
                if !missing.is_empty() {
                    let (id, zh, level) = (branch.id(), level.zh(), level.as_str());
                    let every = missing.len() == std.indicators.len();
                    let which = if every {
                        tr("every indicator", "全部指标").to_string()
                    } else {
                        let list = crate::i18n::list(&missing.join(", "));
                        msg!("{list}", "指标 {list} ")
                    };
                    let message = msg!(
                        "branch {id} has no {level} score for {which}; expected a row for it in a scores*.csv sheet",
                        "支部 {id} 缺少 {level}（{zh}）层级{which}的得分；应在 scores*.csv 评分表中为其填写一行"
                    );
                    problems.push(Problem::file(&folder, message));
                }
            }
        }
    }
}

/// Parse one score, 0 to `max`.
fn score(
    text: &str,
    max: Decimal,
    row: &impl Cells,
    c: usize,
    problems: &mut Problems,
) -> Option<Decimal> {
    let max = max.normalize();
    let message = match decimal::parse_cell(text) {
        Ok(v) if v < Decimal::ZERO => msg!(
            "score `{text}` is negative; expected a number from 0 to {max}",
            "分数“{text}”为负数；应为 0 到 {max} 之间的数字"
        ),
        Ok(v) if v > max => msg!(
            "score `{text}` is above the maximum; expected a number from 0 to {max}",
            "分数“{text}”超过最高分；应为 0 到 {max} 之间的数字"
        ),
        Ok(v) => return Some(v),
        // A percentage: say what to type with the clerk's own number.
        Err(decimal::NumberError::Percent) => {
            let number = text.trim().trim_end_matches(['%', '％']).trim();
            msg!(
                "score `{text}` is written with %: type the number alone ({number}, not {text})",
                "分数“{text}”带有百分号：只填数字（填 {number}，不要填 {text}）"
            )
        }
        Err(e) => {
            let what = e.describe();
            msg!(
                "score `{text}` {what}; expected a number from 0 to {max}",
                "分数“{text}”{what}；应为 0 到 {max} 之间的数字"
            )
        }
    };
    problems.push(row.problem(c, message));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::table::both_ways;
    use std::path::{Path, PathBuf};

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

    fn town() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang")
    }

    fn workspace(dir: &Path) -> Workspace {
        let mut problems = Problems::new();
        let ws = Workspace::load(dir, Encoding::Auto, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        ws.expect("the workspace loads")
    }

    /// A year's sheets read in parts on both cores (`None` when not clean) and the careful
    /// way, keeping where every score came from.
    fn both(ws: &Workspace, year: i32) -> (Option<Scores>, Scores) {
        let mut problems = Problems::new();
        let files = ws.table_files(year, Kind::Scores, &mut problems);
        let sheets = Sheets {
            ws,
            year,
            detail: None,
            keep: Keep::Indicators,
        };
        let (parts, careful, told) = both_ways(&sheets, &files);
        careful.check_complete(&mut problems);
        assert!(
            problems.is_empty() && told.is_empty(),
            "{problems:?} {told:?}"
        );
        // In one part on this thread, as small sheets are read: the same sums as split.
        let one = crate::workspace::table::in_one_part(&sheets, &files);
        assert_eq!(
            one.is_some(),
            parts.is_some(),
            "one part and split agree on clean"
        );
        if let (Some(one), Some(parts)) = (&one, &parts) {
            assert_same(&one.scores, &parts.scores, "one part");
        }
        (parts.map(|l| l.scores), careful.scores)
    }

    fn assert_same(a: &Scores, b: &Scores, what: &str) {
        assert_eq!(a.start, b.start, "{what}: layout");
        for b_ in 0..a.start.len() {
            assert_eq!(a.sums(b_), b.sums(b_), "{what}: sums of branch {b_}");
        }
        assert_eq!(a.seen, b.seen, "{what}: indicators given");
        assert_eq!(a.rest, b.rest, "{what}: rest");
    }

    #[test]
    fn clean_sheets_read_in_parts_sum_as_the_careful_read_does() {
        let ws = workspace(&town());
        for year in ws.years() {
            let (parts, careful) = both(&ws, year);
            let parts = parts.expect("clean sheets read in parts");
            assert!(parts.fixed.iter().flatten().any(|e| *e != 0));
            assert_same(&parts, &careful, &year.to_string());
        }
    }

    /// Rewrite every sheet of the town's latest year with `f` and compare both reads.
    fn variant(what: &str, f: impl Fn(&str, &str) -> String, in_parts: bool) {
        let tmp = tempfile::tempdir().unwrap();
        let src = town();
        let dst = tmp.path();
        for rel in ["stars.toml", "branches.csv"] {
            std::fs::copy(src.join(rel), dst.join(rel)).unwrap();
        }
        let ws0 = workspace(&src);
        let year = ws0.latest_year().unwrap();
        // Only the latest year's folder matters here; the others need only exist.
        for y in ws0.years() {
            std::fs::create_dir_all(dst.join(y.to_string())).unwrap();
        }
        for entry in std::fs::read_dir(src.join(year.to_string())).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let text = if name.starts_with("scores") {
                f(&name, &text)
            } else {
                text
            };
            std::fs::write(dst.join(year.to_string()).join(&name), text).unwrap();
        }
        let ws = workspace(dst);
        let (parts, careful) = both(&ws, year);
        assert_eq!(parts.is_some(), in_parts, "{what}: read in parts?");
        if let Some(parts) = parts {
            assert_same(&parts, &careful, what);
        }
        let mut problems = Problems::new();
        let loaded = load(&ws, year, None, Keep::Indicators, &mut problems);
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert_same(&loaded, &careful, what);
        // Kept for the ratings only: the same B, and the same e_i of every bottom-line
        // indicator, in fewer slots.
        let rated = load(&ws, year, None, Keep::Ratings, &mut problems);
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert!(
            rated.fixed.iter().map(Vec::len).sum::<usize>()
                < loaded.fixed.iter().map(Vec::len).sum::<usize>()
        );
        for b in 0..ws.branches.len() {
            assert_eq!(rated.base(b), careful.base(b), "{what}: B of branch {b}");
            assert_eq!(
                rated.fixed_base(b),
                careful.fixed_base(b),
                "{what}: B of branch {b}"
            );
            let std = ws.standard_of(b).expect("a standard");
            for (k, ind) in std.indicators.iter().enumerate() {
                let kept = rated.indicator(b, k);
                match ind.bottom_line {
                    Some(_) => assert_eq!(kept, careful.indicator(b, k), "{what}: {b} {k}"),
                    None => assert_eq!(kept, None, "{what}: {b} {k} not kept"),
                }
            }
        }
    }

    #[test]
    fn crlf_blank_lines_and_any_row_order_are_read_in_parts() {
        // (One of the town's sheets is CRLF already, as Excel saves them.)
        variant(
            "CRLF",
            |_, t| t.replace("\r\n", "\n").replace('\n', "\r\n"),
            true,
        );
        variant("LF", |_, t| t.replace("\r\n", "\n"), true);
        variant("blank lines", |_, t| t.replace('\n', "\n\n"), true);
        variant(
            "rows reversed",
            |_, t| {
                let mut lines: Vec<&str> = t.lines().collect();
                lines[1..].reverse();
                lines.join("\n") + "\n"
            },
            true,
        );
    }

    #[test]
    fn rows_the_parts_leave_alone_are_read_the_careful_way() {
        // A space around a score and a score written `+5` are read the same both ways. A
        // row of commas (not the header's width) and a quoted cell are left to the careful
        // read, which accepts them.
        let in_first_row = |t: &str, from: &str, to: &str| {
            let (head, rest) = t.split_once('\n').unwrap();
            format!("{head}\n{}", rest.replacen(from, to, 1))
        };
        variant("space", |_, t| in_first_row(t, ",5,", ", 5 ,"), true);
        variant("plus", |_, t| in_first_row(t, ",5,", ",+5,"), true);
        variant("commas", |_, t| t.replacen('\n', "\n,,,\n", 1), false);
        variant("quoted", |_, t| in_first_row(t, ",5,", ",\"5\","), false);
    }
}
