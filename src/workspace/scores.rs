//! `YEAR/scores*.csv`: wide score sheets, one row per branch and level.
//!
//! A row fills every indicator of the branch's domain that the sheet has a column for, or
//! leaves them all blank and gives `overall`, which stands for every indicator of the domain
//! at that level. Across all sheets each (branch, level, indicator) is given exactly once.
//!
//! Sheets are streamed: what is kept of each branch is its combined points per indicator
//! (SPEC.md step 1, summed as the rows come) and which indicators each level has given.
//! `stars explain` asks for one branch's cells in full.

use super::sheet::{stream_plain, Row, Sheet};
use super::Workspace;
use crate::decimal;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::{Encoding, Text};
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

/// 10^0 to 10^38: every power of ten an i128 holds.
const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// a × b, checked; without the (slow) 128-bit overflow check when both fit 64 bits, as
/// scores, weights and powers up to 10^18 do.
fn mul(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) => Some(i128::from(a) * i128::from(b)),
        _ => a.checked_mul(b),
    }
}

/// 10^0 to 10^18: every power of ten an i64 holds.
const POW10_64: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

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
    /// Each level's weight as (mantissa, scale).
    weights: [Option<(i64, u32)>; 3],
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
            max: points
                .iter()
                .map(|p| {
                    let (m, s) = (*p)?;
                    m.checked_mul(
                        *POW10_64.get(usize::try_from(FIXED_SCALE.checked_sub(s)?).ok()?)?,
                    )
                })
                .collect(),
            points,
            weights: Level::ALL.map(|l| parts64(std.settings.weight(l))),
            factor: Level::ALL.map(|l| {
                let w = parts64(std.settings.weight(l));
                std::array::from_fn(|s| {
                    let (wm, ws) = w?;
                    let up = FIXED_SCALE.checked_sub(u32::try_from(s).ok()?.checked_add(ws)?)?;
                    wm.checked_mul(Fast::pow(up)?)
                })
            }),
        }
    }

    /// 10^n as an i64.
    #[inline]
    fn pow(n: u32) -> Option<i64> {
        POW10_64.get(usize::try_from(n).ok()?).copied()
    }

    /// A score typed as a plain decimal, if it is within 0..=points of indicator `idx`, with
    /// its weighted product w · s at FIXED_SCALE. `None`: the decimal path decides.
    #[inline(always)]
    fn cell(&self, text: &[u8], idx: usize, level: Level) -> Option<(Exact, i64)> {
        self.cell_parts(decimal::parse_parts_bytes(text)?, idx, level)
    }

    /// [`Fast::cell`] of a score already parsed as (mantissa, scale).
    #[inline(always)]
    fn cell_parts(&self, (m, s): (i64, u32), idx: usize, level: Level) -> Option<(Exact, i64)> {
        let at_scale = m.checked_mul(Fast::pow(FIXED_SCALE.checked_sub(s)?)?)?;
        if at_scale > (*self.max.get(idx)?)? {
            return None;
        }
        let factor = self
            .factor
            .get(level.index())?
            .get(usize::try_from(s).ok()?)?;
        let p = m.checked_mul((*factor)?)?;
        Some((
            Exact {
                mantissa: i128::from(m),
                scale: s,
            },
            p,
        ))
    }

    /// Indicator `idx`'s score from an `overall` of (mantissa, scale): points × overall / 100,
    /// with its weighted product at FIXED_SCALE.
    fn overall(&self, overall: (i64, u32), idx: usize, level: Level) -> Option<(Exact, i64)> {
        let (om, os) = overall;
        let (pm, ps) = (*self.points.get(idx)?)?;
        let (wm, ws) = (*self.weights.get(level.index())?)?;
        let value = Exact {
            mantissa: i128::from(pm.checked_mul(om)?),
            scale: ps.checked_add(os)?.checked_add(2)?,
        };
        let places = value.scale.checked_add(ws)?;
        let p = wm
            .checked_mul(pm)?
            .checked_mul(om)?
            .checked_mul(Fast::pow(FIXED_SCALE.checked_sub(places)?)?)?;
        Some((value, p))
    }
}

/// A score as an exact integer and a power of ten: mantissa × 10^-scale. Cheaper to parse,
/// compare and multiply than a [`Decimal`], and as exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Exact {
    mantissa: i128,
    scale: u32,
}

impl Exact {
    fn of(d: Decimal) -> Exact {
        Exact {
            mantissa: d.mantissa(),
            scale: d.scale(),
        }
    }

    /// A plain decimal as typed (`9.87`), when it is in the common form.
    fn parse(text: &str) -> Option<Exact> {
        decimal::parse_parts(text).map(|(m, s)| Exact {
            mantissa: i128::from(m),
            scale: s,
        })
    }

    fn to_decimal(self) -> Option<Decimal> {
        Decimal::try_from_i128_with_scale(self.mantissa, self.scale).ok()
    }

    /// The mantissa at a larger scale.
    fn at(self, scale: u32) -> Option<i128> {
        let up = scale.checked_sub(self.scale)?;
        mul(self.mantissa, *POW10.get(usize::try_from(up).ok()?)?)
    }

    /// 0 ≤ self ≤ max; `None` when that cannot be told without decimals.
    fn within(self, max: Exact) -> Option<bool> {
        let scale = self.scale.max(max.scale);
        Some(self.mantissa >= 0 && self.at(scale)? <= max.at(scale)?)
    }

    fn mul(self, other: Exact) -> Option<Exact> {
        Some(Exact {
            mantissa: mul(self.mantissa, other.mantissa)?,
            scale: self.scale.checked_add(other.scale)?,
        })
    }
}

/// w · s in units of 10^-FIXED_SCALE, when it has at most FIXED_SCALE places. A weight is at
/// most 1 and a score at most 100, so the product is below 10^13 units and three of them sum
/// far inside an i64; checked all the same, and anything else is kept as a decimal.
fn fixed_product(w: Exact, value: Exact) -> Option<i64> {
    let p = w.mul(value)?;
    i64::try_from(p.at(FIXED_SCALE)?).ok()
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
                let sum = fixed_product(Exact::of(w), Exact::of(v))
                    .and_then(|p| b.fixed.get(i).and_then(|e| e.checked_add(p)));
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

/// The scores of a year: what the rating needs of each branch (e_i = Σ_l w_l · s_{i,l},
/// summed as the rows come), and which indicators each level has given.
#[derive(Debug, Default)]
pub struct Scores {
    /// File names of the sheets, as shown in messages.
    pub names: Vec<String>,
    /// Every cell of one branch, when asked for: by indicator, then level.
    pub detail: Option<(usize, Vec<[Option<Cell>; 3]>)>,
    /// Where branch b's sums are: the array of its domain in `fixed`, and where they start
    /// in it (its standard's indicators, in order; the branches of a domain in id order).
    start: Vec<(u8, u32)>,
    /// e_i in units of 10^-FIXED_SCALE, every branch's of a domain in one array: exact
    /// integer sums, much faster than decimal ones, and no allocation per branch. A domain's
    /// array is made when a score of it comes (a domain's sheets read on one core need no
    /// array of the other domains).
    fixed: [Vec<i64>; DOMAINS],
    /// The length of each domain's array.
    sizes: [usize; DOMAINS],
    /// The part of e_i whose products have more places than FIXED_SCALE (rare), by
    /// (branch, indicator).
    rest: BTreeMap<(usize, usize), Decimal>,
    /// Bit i of `seen[b][l]`: level l gave indicator i of branch b.
    seen: Vec<[u64; 3]>,
    /// Σ_i s_{i,l} of each branch and level at FIXED_SCALE, kept only when a standard has a
    /// floor (a local rule: the level's rating L); and the part with more places, rare.
    levels: Option<Vec<[i64; 3]>>,
    level_rest: BTreeMap<(usize, usize), Decimal>,
    /// The rows that gave each branch's scores, kept only when problems are being told (to
    /// say where a repeated score was first given).
    given: Option<Vec<Vec<Given>>>,
}

impl Scores {
    fn new(ws: &Workspace, names: Vec<String>, locate: bool) -> Scores {
        let n = ws.branches.len();
        let width = Domain::ALL.map(|d| ws.standards.get(d).map_or(0, |s| s.indicators.len()));
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
            rest: BTreeMap::new(),
            seen: zeroed(n),
            levels: ws.standards.has_floors().then(|| zeroed(n)),
            level_rest: BTreeMap::new(),
            given: locate.then(|| vec![Vec::new(); n]),
        }
    }

    /// Branch b's sums of `n` indicators, if its domain's array is made.
    fn sums(&self, b: usize, n: usize) -> Option<&[i64]> {
        let (d, o) = *self.start.get(b)?;
        let o = usize::try_from(o).ok()?;
        self.fixed.get(usize::from(d))?.get(o..o.checked_add(n)?)
    }

    /// Branch b's sums from indicator `idx` on, its domain's array made if need be.
    fn sums_mut(&mut self, b: usize, idx: usize) -> Option<&mut [i64]> {
        let (d, o) = *self.start.get(b)?;
        let (d, o) = (usize::from(d), usize::try_from(o).ok()?);
        let size = *self.sizes.get(d)?;
        let fixed = self.fixed.get_mut(d)?;
        if fixed.is_empty() {
            *fixed = zeroed(size);
        }
        fixed.get_mut(o.checked_add(idx)?..)
    }

    /// e_i of each of the `n` indicators of branch `b` (SPEC.md step 1), exact; zero where
    /// nothing was given.
    pub fn combined(&self, b: usize, n: usize) -> Vec<Decimal> {
        let mut out = Vec::new();
        self.combined_into(b, n, &mut out);
        out
    }

    /// Branch b's e_i in units of 10^-FIXED_SCALE, when they are the whole of them (no sum
    /// has places beyond that scale: the common case).
    pub fn fixed_sums(&self, b: usize, n: usize) -> Option<&[i64]> {
        if !self.rest.is_empty() {
            return None;
        }
        self.sums(b, n)
    }

    /// A decimal in units of 10^-FIXED_SCALE, when it has no more places and fits.
    pub fn to_fixed(d: Decimal) -> Option<i64> {
        let scale = FIXED_SCALE.checked_sub(d.scale())?;
        let m = d
            .mantissa()
            .checked_mul(*POW10.get(usize::try_from(scale).ok()?)?)?;
        i64::try_from(m).ok()
    }

    /// Σ e_i of [`Scores::fixed_sums`] as the decimal that summing [`Scores::combined`]
    /// gives (the same value, at the same scale).
    pub fn sum_decimal(fixed: &[i64]) -> Option<Decimal> {
        let sum = fixed
            .iter()
            .try_fold(0i128, |acc, e| acc.checked_add(i128::from(*e)))?;
        Decimal::try_from_i128_with_scale(sum, FIXED_SCALE).ok()
    }

    /// [`Scores::combined`] into a buffer reused from branch to branch.
    pub fn combined_into(&self, b: usize, n: usize, out: &mut Vec<Decimal>) {
        let fixed = self.sums(b, n).unwrap_or_default();
        // The rest is rare: most years it is empty and not looked into per indicator.
        let rest = |i: usize| {
            if self.rest.is_empty() {
                Decimal::ZERO
            } else {
                self.rest.get(&(b, i)).copied().unwrap_or(Decimal::ZERO)
            }
        };
        out.clear();
        out.extend((0..n).map(|i| to_decimal(fixed.get(i).copied().unwrap_or(0), rest(i))));
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
            let rest = if self.level_rest.is_empty() {
                Decimal::ZERO
            } else {
                self.level_rest
                    .get(&(b, l.index()))
                    .copied()
                    .unwrap_or(Decimal::ZERO)
            };
            to_decimal(fixed.get(l.index()).copied().unwrap_or(0), rest)
        })
    }

    /// Add a score to its level's sum, when level sums are kept.
    fn add_to_level(&mut self, b: usize, level: Level, value: Exact) {
        let Some(levels) = &mut self.levels else {
            return;
        };
        let at = value.at(FIXED_SCALE).and_then(|v| i64::try_from(v).ok());
        let slot = levels.get_mut(b).and_then(|l| l.get_mut(level.index()));
        match (at, slot) {
            (Some(v), Some(sum)) if sum.checked_add(v).is_some() => *sum += v,
            _ => {
                let v = value.to_decimal().unwrap_or(Decimal::ZERO);
                *self
                    .level_rest
                    .entry((b, level.index()))
                    .or_insert(Decimal::ZERO) += v;
            }
        }
    }

    /// Free the sums once the year is rated and nothing more asks for e_i.
    pub fn release(&mut self) {
        self.fixed = Default::default();
        self.rest = BTreeMap::new();
        self.seen = Vec::new();
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
        value: Exact,
        product: Option<i64>,
    ) {
        let p = product.or_else(|| fixed_product(Exact::of(w), value));
        let e = self.sums_mut(b, idx).and_then(|s| s.first_mut());
        match (p, e) {
            (Some(p), Some(e)) if e.checked_add(p).is_some() => *e += p,
            _ => {
                let v = value.to_decimal().unwrap_or(Decimal::ZERO);
                *self.rest.entry((b, idx)).or_insert(Decimal::ZERO) += w * v;
            }
        }
        if let Some(m) = self.seen.get_mut(b).and_then(|s| s.get_mut(level.index())) {
            *m |= 1u64 << idx;
        }
        self.add_to_level(b, level, value);
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
            .get(b)
            .and_then(|s| s.get(level.index()))
            .is_some_and(|m| m & (1u64 << idx) != 0)
    }

    /// Add the sums of other sheets of the same year; `false` when both gave a score of the
    /// same branch, indicator and level (or a sum overflowed).
    fn merge(&mut self, other: Scores) -> bool {
        let overlap = self
            .seen
            .iter()
            .zip(&other.seen)
            .any(|(a, b)| a.iter().zip(b).any(|(a, b)| a & b != 0));
        if overlap || self.sizes != other.sizes {
            return false;
        }
        for (a, b) in self.fixed.iter_mut().zip(other.fixed) {
            if a.is_empty() {
                *a = b;
                continue;
            }
            for (a, b) in a.iter_mut().zip(&b) {
                match a.checked_add(*b) {
                    Some(sum) => *a = sum,
                    None => return false,
                }
            }
        }
        for (k, v) in other.rest {
            *self.rest.entry(k).or_insert(Decimal::ZERO) += v;
        }
        if let (Some(a), Some(b)) = (&mut self.levels, other.levels) {
            for (a, b) in a.iter_mut().zip(b) {
                for (a, b) in a.iter_mut().zip(b) {
                    match a.checked_add(b) {
                        Some(sum) => *a = sum,
                        None => return false,
                    }
                }
            }
        }
        for (k, v) in other.level_rest {
            *self.level_rest.entry(k).or_insert(Decimal::ZERO) += v;
        }
        for (a, b) in self.seen.iter_mut().zip(other.seen) {
            for (a, b) in a.iter_mut().zip(b) {
                *a |= b;
            }
        }
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
    /// For each domain, the indicator index of each of `indicators` in its standard.
    by_domain: BTreeMap<Domain, Vec<Option<usize>>>,
}

/// A field of a line of a clean sheet: where it is, and its number when it is a plain
/// decimal (as [`decimal::parse_parts`] reads it), found in the one pass that splits the
/// line: the digits of a province's scores are read once.
#[derive(Debug, Clone, Copy, Default)]
struct Field {
    start: usize,
    end: usize,
    number: Option<(i64, u32)>,
}

/// Split a line without quotes at its commas, reading each field's number as it goes;
/// `false` for a line with a CR in it (which ends a record for the csv reader).
fn split_scores(line: &str, out: &mut Vec<Field>) -> bool {
    out.clear();
    let (mut start, mut m, mut scale, mut digits) = (0usize, 0i64, 0u32, 0u32);
    let (mut point, mut plain) = (false, true);
    for (i, &b) in line.as_bytes().iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                // More than 18 digits is no plain decimal (and then m is not used).
                m = m.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
                scale += u32::from(point);
            }
            b'.' if !point => point = true,
            b',' => {
                let number = (plain && (1..=18).contains(&digits)).then_some((m, scale));
                out.push(Field {
                    start,
                    end: i,
                    number,
                });
                (start, m, scale, digits, point, plain) = (i + 1, 0, 0, 0, false, true);
            }
            b'\r' => return false,
            _ => plain = false,
        }
    }
    let number = (plain && (1..=18).contains(&digits)).then_some((m, scale));
    out.push(Field {
        start,
        end: line.len(),
        number,
    });
    true
}

/// A sheet's columns as the reader of clean sheets uses them.
struct Plan {
    width: usize,
    branch: usize,
    level: usize,
    overall: Option<usize>,
    domains: Vec<DomainPlan>,
}

/// For the branches of one domain: the sheet's columns of its indicators (column, index in
/// its standard), and the other indicator columns, which must be blank.
struct DomainPlan {
    domain: Domain,
    mine: Vec<(usize, usize)>,
    foreign: Vec<usize>,
    fast: Fast,
}

impl Plan {
    fn new(ws: &Workspace, cols: &Columns, width: usize) -> Plan {
        let domains = cols
            .by_domain
            .iter()
            .filter_map(|(d, map)| {
                let std = ws.standards.get(*d)?;
                let (mut mine, mut foreign) = (Vec::new(), Vec::new());
                for ((c, _), idx) in cols.indicators.iter().zip(map) {
                    match idx {
                        Some(idx) => mine.push((*c, *idx)),
                        None => foreign.push(*c),
                    }
                }
                Some(DomainPlan {
                    domain: *d,
                    mine,
                    foreign,
                    fast: Fast::new(std),
                })
            })
            .collect();
        Plan {
            width,
            branch: cols.branch,
            level: cols.level,
            overall: cols.overall,
            domains,
        }
    }
}

/// The score sheets of a year folder, in name order (the rule is in [`super::files`]).
fn sheet_files(ws: &Workspace, year: i32) -> Vec<String> {
    super::files::Listing::of(&ws.dir.join(year.to_string()))
        .of_kind(super::files::Kind::Scores)
        .map(str::to_string)
        .collect()
}

/// A score found in a row: (column, indicator, score, the overall it came from, w · score at
/// FIXED_SCALE when the fast path has it).
type Found = (usize, usize, Exact, Option<Decimal>, Option<i64>);

struct Loader<'w> {
    ws: &'w Workspace,
    year: i32,
    scores: Scores,
    /// Per sheet: indicator id → 1-based column, and the overall column.
    sheet_columns: Vec<(BTreeMap<String, usize>, Option<usize>)>,
    /// (branch, level) pairs with a bad row: their missing scores are not reported again.
    bad_rows: BTreeSet<(usize, Level)>,
    /// The branch of the last row: sheets usually list branches in id order, so the next
    /// row's branch is this one or one shortly after it.
    cursor: usize,
    /// Buffers reused from row to row.
    mine: Vec<(usize, usize)>,
    found: Vec<Found>,
    /// Per domain, for the integer fast path.
    fast: BTreeMap<Domain, Fast>,
}

pub fn load(ws: &Workspace, year: i32, detail: Option<usize>, problems: &mut Problems) -> Scores {
    let files = sheet_files(ws, year);
    if files.is_empty() {
        let unread = super::files::Listing::of(&ws.dir.join(year.to_string())).unread;
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
    // Clean CSV sheets are streamed, never held whole; anything else, and they are read
    // again whole, the careful way.
    if detail.is_none() {
        if let Some(scores) = stream_clean(ws, year, &files) {
            crate::timing::mark("score sheets streamed");
            return scores;
        }
    }
    // A sheet that cannot be read at all would make every branch look incomplete: then the
    // missing scores are not reported, only the sheet's own problems; no sheet at all is
    // one problem, the folder's, not one per branch.
    let mut unreadable = files.is_empty();
    let mut texts = Vec::new();
    for f in &files {
        let rel = format!("{year}/{f}");
        if super::files::is_workbook(f) {
            let before = problems.len();
            texts.extend(ws.read_workbook(&rel, problems));
            unreadable |= problems.len() != before;
        } else {
            match ws.read_optional(&rel, problems) {
                Some(t) => texts.push(t),
                None => unreadable = true,
            }
        }
    }
    crate::timing::mark("score sheets read");
    if detail.is_none() && !unreadable && problems.is_empty() {
        if let Some(scores) = load_clean(ws, year, &texts) {
            return scores;
        }
    }
    let names = texts.iter().map(|t| t.name.clone()).collect();
    let mut l = Loader::new(ws, year, names, detail, true);
    for (file_idx, text) in texts.iter().enumerate() {
        unreadable |= l.sheet(file_idx, text, problems);
    }
    if !unreadable {
        l.check_complete(problems);
    }
    l.scores
}

/// The clean case, fast: nothing kept to locate problems, and the sheets on both cores (split
/// in two halves by size, each half read into its own sums, the sums added). Any problem at
/// all, or a score given in both halves, and `None`: the sheets are then read again one by
/// one, keeping where each score came from, so that every problem is found and told in the
/// one order (which score came first) that reading file by file gives.
fn load_clean(ws: &Workspace, year: i32, texts: &[Text]) -> Option<Scores> {
    let names: Vec<String> = texts.iter().map(|t| t.name.clone()).collect();
    let sizes: Vec<u64> = texts.iter().map(|t| t.text.len() as u64).collect();
    on_two_cores(ws, &sizes, |files| {
        let mut l = Loader::new(ws, year, names.clone(), None, false);
        let mut problems = Problems::new();
        for &i in files {
            let text = texts.get(i)?;
            if l.sheet(i, text, &mut problems) || !problems.is_empty() {
                return None;
            }
        }
        Some(l)
    })
}

/// [`load_clean`] for CSV sheets that are plain (see [`stream_plain`]), streamed from their
/// files: the sheets of a province are never all in memory.
fn stream_clean(ws: &Workspace, year: i32, files: &[String]) -> Option<Scores> {
    if ws.encoding == Encoding::Gbk || files.is_empty() {
        return None;
    }
    let mut paths = Vec::new();
    let (mut names, mut sizes) = (Vec::new(), Vec::new());
    for f in files {
        if super::files::is_workbook(f) {
            return None;
        }
        let (path, shown) = ws.file(&format!("{year}/{f}"));
        sizes.push(std::fs::metadata(&path).ok()?.len());
        paths.push(path);
        names.push(shown);
    }
    on_two_cores(ws, &sizes, |mine| {
        let mut l = Loader::new(ws, year, names.clone(), None, false);
        for &i in mine {
            let (name, path) = (names.get(i)?, paths.get(i)?);
            let mut plan: Option<Plan> = None;
            let mut fields = Vec::new();
            let clean = stream_plain(path, |line| match &plan {
                None => {
                    let mut problems = Problems::new();
                    let Some((sheet, _)) = Sheet::open(name, line, &mut problems) else {
                        return false;
                    };
                    let cols = l.header(&sheet, i, &mut problems);
                    plan = cols.map(|cols| Plan::new(ws, &cols, sheet.header.len()));
                    plan.is_some() && problems.is_empty()
                }
                Some(plan) => l.plain_line(line, &mut fields, plan),
            });
            if !clean || plan.is_none() {
                return None;
            }
        }
        Some(l)
    })
}

/// Read sheets of the given sizes in two halves of about the same size on both cores with
/// `half` (which reads the sheets of the indices given into its own sums), and add the sums
/// up; `None` when a half is not clean, a score is given in both halves, or a branch's scores
/// are incomplete.
fn on_two_cores<'w>(
    ws: &'w Workspace,
    sizes: &[u64],
    half: impl Fn(&[usize]) -> Option<Loader<'w>> + Sync,
) -> Option<Scores> {
    let _ = ws;
    if sizes.len() < 2 {
        let l = half(&[0][..sizes.len()])?;
        let mut problems = Problems::new();
        l.check_complete(&mut problems);
        return problems.is_empty().then_some(l.scores);
    }
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes.get(i).copied().unwrap_or(0)));
    let (mut halves, mut total) = ([Vec::new(), Vec::new()], [0u64; 2]);
    for i in order {
        let k = usize::from(total[1] < total[0]);
        total[k] += sizes.get(i).copied().unwrap_or(0);
        halves[k].push(i);
    }
    let [first, second] = &halves;
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| half(second));
        let mine = half(first);
        (mine, other.join().ok().flatten())
    });
    let (mut a, b) = (a?, b?);
    if !a.scores.merge(b.scores) {
        return None;
    }
    let mut problems = Problems::new();
    a.check_complete(&mut problems);
    problems.is_empty().then_some(a.scores)
}

impl<'w> Loader<'w> {
    /// `locate`: keep where each branch's scores came from, to tell problems.
    fn new(
        ws: &'w Workspace,
        year: i32,
        names: Vec<String>,
        detail: Option<usize>,
        locate: bool,
    ) -> Loader<'w> {
        let sheets = names.len();
        let mut scores = Scores::new(ws, names, locate);
        scores.detail = detail.map(|b| (b, Vec::new()));
        Loader {
            ws,
            year,
            scores,
            sheet_columns: vec![(BTreeMap::new(), None); sheets],
            bad_rows: BTreeSet::new(),
            cursor: 0,
            mine: Vec::new(),
            found: Vec::new(),
            fast: ws
                .standards
                .by_domain
                .iter()
                .map(|(d, std)| (*d, Fast::new(std)))
                .collect(),
        }
    }

    /// Read one sheet; `true` when rows of it were lost (unreadable, bad header, ragged),
    /// or, reading clean sheets, when a row is anything but clean.
    fn sheet(&mut self, file_idx: usize, text: &Text, problems: &mut Problems) -> bool {
        let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
            return true;
        };
        let Some(cols) = self.header(&sheet, file_idx, problems) else {
            return true;
        };
        if self.scores.given.is_none() && self.scores.detail.is_none() {
            if let Some(body) = rows.plain_text(&sheet) {
                return !self.plain_rows(body, &Plan::new(self.ws, &cols, sheet.header.len()));
            }
        }
        // A ragged row or a CSV error loses a row of unknown branch and level, too.
        let lost = rows.each(&sheet, problems, |row, problems| {
            self.row(&sheet, row, &cols, file_idx, problems)
        });
        lost > 0
    }

    /// The rows of a sheet without quotes, split here at line ends and commas: `false` at
    /// the first row that is not clean (a problem, a duplicate, a blank line of commas, a
    /// score in any but the plain form), and the caller reads the sheets again the careful
    /// way, which finds and tells everything. What is added is exactly what that way adds.
    fn plain_rows(&mut self, body: &str, plan: &Plan) -> bool {
        let mut fields = Vec::with_capacity(plan.width);
        for line in body.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            if !self.plain_line(line, &mut fields, plan) {
                return false;
            }
        }
        true
    }

    /// One line of a clean sheet: split, its scores added; `false` if it is not clean.
    fn plain_line(&mut self, line: &str, fields: &mut Vec<Field>, plan: &Plan) -> bool {
        split_scores(line, fields)
            && fields.len() == plan.width
            && self.plain_row(line, fields, plan)
    }

    /// One clean row: its scores added, `false` if it is not clean.
    fn plain_row(&mut self, line: &str, f: &[Field], plan: &Plan) -> bool {
        let blank = |c: usize| f.get(c).is_none_or(|f| f.start == f.end);
        let number = |c: usize| f.get(c).and_then(|f| f.number);
        let bytes = line.as_bytes();
        let field = |c: usize| {
            f.get(c)
                .and_then(|f| bytes.get(f.start..f.end))
                .unwrap_or(&[])
        };
        let id = f.get(plan.branch).and_then(|f| line.get(f.start..f.end));
        let Some(b) = id.and_then(|id| self.ws.rated_near(id, self.cursor, self.year)) else {
            return false;
        };
        self.cursor = b;
        let Some(level) = Level::parse_bytes(field(plan.level)) else {
            return false;
        };
        let Some(dp) = self
            .ws
            .domain_of(b)
            .and_then(|d| plan.domains.iter().find(|p| p.domain == d))
        else {
            return false;
        };
        if dp.foreign.iter().any(|&c| !blank(c)) {
            return false;
        }
        let overall = plan.overall.filter(|&c| !blank(c));
        let Some(mut seen) = self
            .scores
            .seen
            .get(b)
            .and_then(|s| s.get(level.index()))
            .copied()
        else {
            return false;
        };
        let keep_levels = self.scores.levels.is_some();
        let Some(fixed) = self.scores.sums_mut(b, 0) else {
            return false;
        };
        // Σ_i s_{i,level} of the row at FIXED_SCALE, for the floors (kept only with floors).
        let mut level_sum: Option<i64> = Some(0);
        let mut add = |idx: usize, p: i64, v: Exact| -> bool {
            let bit = 1u64 << idx;
            if keep_levels {
                level_sum = level_sum
                    .zip(v.at(FIXED_SCALE).and_then(|v| i64::try_from(v).ok()))
                    .and_then(|(a, v)| a.checked_add(v));
            }
            match fixed
                .get_mut(idx)
                .and_then(|e| e.checked_add(p).map(|sum| (e, sum)))
            {
                Some((e, sum)) if seen & bit == 0 => {
                    *e = sum;
                    seen |= bit;
                    true
                }
                _ => false,
            }
        };
        let filled = dp.mine.first().is_some_and(|(c, _)| !blank(*c));
        let ok = if filled && overall.is_none() {
            for &(c, idx) in &dp.mine {
                match number(c).and_then(|n| dp.fast.cell_parts(n, idx, level)) {
                    Some((v, p)) if add(idx, p, v) => {}
                    _ => return false,
                }
            }
            true
        } else if overall.is_some() && dp.mine.iter().all(|(c, _)| blank(*c)) {
            // 0 ≤ overall ≤ 100, plain; then points × overall / 100 of every indicator.
            let Some((m, s)) = overall.and_then(number) else {
                return false;
            };
            if Fast::pow(s)
                .and_then(|p| p.checked_mul(100))
                .is_none_or(|max| m > max)
            {
                return false;
            }
            (0..dp.fast.points.len()).all(|idx| {
                matches!(
                    dp.fast.overall((m, s), idx, level).filter(|(v, _)| v.scale <= 28),
                    Some((v, p)) if add(idx, p, v)
                )
            })
        } else {
            false
        };
        if let Some(s) = self
            .scores
            .seen
            .get_mut(b)
            .and_then(|s| s.get_mut(level.index()))
        {
            *s = seen;
        }
        if ok && keep_levels {
            // A sum past FIXED_SCALE: the careful read keeps it as a decimal.
            let Some(sum) = level_sum else {
                return false;
            };
            let slot = self
                .scores
                .levels
                .as_mut()
                .and_then(|l| l.get_mut(b))
                .and_then(|l| l.get_mut(level.index()));
            match slot {
                Some(s) if s.checked_add(sum).is_some() => *s += sum,
                _ => return false,
            }
        }
        ok
    }

    fn header(
        &mut self,
        sheet: &Sheet,
        file_idx: usize,
        problems: &mut Problems,
    ) -> Option<Columns> {
        let before = problems.len();
        // No known column at all: this is not the header row (a title, a header in other
        // words, a sheet of something else) — one problem, not one per cell.
        let known = |h: &String| {
            matches!(h.as_str(), "branch" | "level" | "overall")
                || self.ws.indicator_ids.contains(h)
        };
        if !sheet.header.iter().any(known) {
            let found = crate::i18n::list(&sheet.header.join(", "));
            problems.push(sheet.header_problem(msg!(
                "no header row found (the first row with two or more cells has: {found}); expected a row with the columns branch, level, then indicator ids and an optional overall",
                "找不到表头行（第一个有两个以上单元格的行是：{found}）；应有一行列名为 branch、level，其后为各指标编号，可另加 overall"
            )));
            return None;
        }
        let (mut branch, mut level, mut overall) = (None, None, None);
        let mut indicators = Vec::new();
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
                id if self.ws.indicator_ids.contains(id) => indicators.push((c, id.to_string())),
                other => problems.push(sheet.header_cell(
                    c,
                    msg!(
                        "unknown column `{other}`; expected branch, level, name, overall or an indicator id of the standards",
                        "未知列“{other}”；应为 branch、level、name、overall 或评星标准中的指标编号"
                    ),
                )),
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
        if let Some(sc) = self.sheet_columns.get_mut(file_idx) {
            *sc = (
                indicators
                    .iter()
                    .map(|(c, id)| (id.clone(), c + 1))
                    .collect(),
                overall.map(|c| c + 1),
            );
        }
        if problems.len() != before {
            return None;
        }
        let by_domain = self
            .ws
            .standards
            .by_domain
            .iter()
            .map(|(d, std)| {
                (
                    *d,
                    indicators
                        .iter()
                        .map(|(_, id)| std.indicator(id).map(|(i, _)| i))
                        .collect(),
                )
            })
            .collect();
        Some(Columns {
            branch: branch?,
            level: level?,
            overall,
            indicators,
            by_domain,
        })
    }

    fn row(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        cols: &Columns,
        file_idx: usize,
        problems: &mut Problems,
    ) {
        let bid = row.get(cols.branch);
        let near = self.ws.branch_near(bid, self.cursor);
        let branch = match self.ws.rated_index(near, bid, self.year) {
            Ok(b) => {
                self.cursor = b;
                Some(b)
            }
            Err(msg) => {
                problems.push(sheet.cell(row, cols.branch, msg));
                None
            }
        };
        let ltext = row.get(cols.level);
        let level = Level::parse(ltext);
        if level.is_none() {
            problems.push(sheet.cell(
                row,
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
        let row_start = problems.len();
        self.scores_of_row(sheet, row, cols, b, level, bid, file_idx, problems);
        if problems.len() != row_start {
            self.bad_rows.insert((b, level));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scores_of_row(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        cols: &Columns,
        b: usize,
        level: Level,
        bid: &str,
        file_idx: usize,
        problems: &mut Problems,
    ) {
        let ws = self.ws;
        let Some(std) = ws.domain_of(b).and_then(|d| ws.standards.get(d)) else {
            return;
        };
        let fast = self.fast.get(&std.domain);
        let (domain, domain_zh) = (std.domain, std.domain.zh());
        // The sheet's columns that belong to this branch's domain; others must be blank.
        let mut mine = std::mem::take(&mut self.mine);
        mine.clear();
        let mut filled = 0;
        let map = cols.by_domain.get(&domain);
        for (k, (c, id)) in cols.indicators.iter().enumerate() {
            let blank = row.get(*c).is_empty();
            match map.and_then(|m| m.get(k).copied().flatten()) {
                Some(idx) => {
                    mine.push((*c, idx));
                    filled += usize::from(!blank);
                }
                None if !blank => problems.push(sheet.cell(
                    row,
                    *c,
                    msg!(
                        "`{id}` is not an indicator of the {domain} standard of branch {bid}; expected this cell blank",
                        "“{id}”不是支部 {bid} 所属{domain_zh}领域评星标准的指标；此单元格应留空"
                    ),
                )),
                None => {}
            }
        }
        let overall_text = cols.overall.map(|c| row.get(c)).unwrap_or("");
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        if filled > 0 {
            if let (Some(oc), false) = (cols.overall, overall_text.is_empty()) {
                problems.push(sheet.cell(
                    row,
                    oc,
                    tr(
                        "row mixes indicator scores and `overall`; expected either every indicator score or only overall",
                        "该行既填了指标得分又填了 overall；应逐项填写全部指标得分，或只填 overall",
                    )
                    .into(),
                ));
                return;
            }
            if filled < mine.len() {
                for &(c, _) in &mine {
                    if row.get(c).is_empty() {
                        problems.push(sheet.cell(
                            row,
                            c,
                            tr(
                                "score is blank while others in the row are filled; expected every indicator of the row's domain, or all blank and overall",
                                "该行其他得分已填写，此项得分为空；应填写该支部所属领域的全部指标，或全部留空、只填 overall",
                            )
                            .into(),
                        ));
                    }
                }
                return;
            }
            for &(c, idx) in &mine {
                let points = std.indicators.get(idx).map_or(Decimal::ZERO, |i| i.points);
                let text = row.get(c);
                // The common case exactly in integers; anything else (and every problem)
                // through decimals.
                if let Some((v, p)) = fast.and_then(|f| f.cell(text.as_bytes(), idx, level)) {
                    found.push((c, idx, v, None, Some(p)));
                    continue;
                }
                let exact =
                    Exact::parse(text).filter(|v| v.within(Exact::of(points)) == Some(true));
                if let Some(v) =
                    exact.or_else(|| score(text, points, sheet, row, c, problems).map(Exact::of))
                {
                    found.push((c, idx, v, None, None));
                }
            }
        } else {
            let Some(oc) = cols.overall.filter(|_| !overall_text.is_empty()) else {
                problems.push(sheet.row(
                    row,
                    msg!(
                        "row gives no score for branch {bid} ({domain}); expected its indicator scores or an overall",
                        "该行没有支部 {bid}（{domain_zh}）的任何得分；应填写各指标得分或 overall"
                    ),
                ));
                return;
            };
            let Some(overall) = score(overall_text, Decimal::ONE_HUNDRED, sheet, row, oc, problems)
            else {
                return;
            };
            let o = Exact::of(overall).mul(Exact::of(HUNDREDTH));
            let o64 = parts64(overall);
            for (idx, ind) in std.indicators.iter().enumerate() {
                if let Some((v, p)) = fast
                    .zip(o64)
                    .and_then(|(f, o)| f.overall(o, idx, level))
                    .filter(|(v, _)| v.scale <= 28)
                {
                    found.push((oc, idx, v, Some(overall), Some(p)));
                    continue;
                }
                // points × overall / 100, exact.
                let v = o
                    .and_then(|o| o.mul(Exact::of(ind.points)))
                    .filter(|v| v.scale <= 28)
                    .unwrap_or_else(|| Exact::of(ind.points * overall * HUNDREDTH));
                found.push((oc, idx, v, Some(overall), None));
            }
        }
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
                problems.push(sheet.row(
                    row,
                    msg!(
                        "row repeats the {level} scores of {bid} already given on {at}; expected each branch's level in one row only: delete one of the two",
                        "该行重复填写了支部 {bid} 的{level_zh}层级得分（已在{at}填写）；每个支部的每个层级只应填写一行：请删去其中一行"
                    ),
                ));
                self.mine = mine;
                self.found = found;
                return;
            }
        }
        let mut any = false;
        for &(c, idx, value, overall, product) in &found {
            if self.scores.has(b, idx, level) {
                let id = std.indicators.get(idx).map(|i| i.id.as_str()).unwrap_or("");
                let first = self.scores.given_at(b, level).find(|g| {
                    g.overall
                        || self
                            .sheet_columns
                            .get(g.file)
                            .is_some_and(|(ids, _)| ids.contains_key(id))
                });
                let at = match first {
                    Some(g) => {
                        let col = self
                            .sheet_columns
                            .get(g.file)
                            .and_then(
                                |(ids, oc)| if g.overall { *oc } else { ids.get(id).copied() },
                            )
                            .unwrap_or(0);
                        let line = g.line;
                        if g.file == file_idx {
                            msg!(
                                " (first on line {line}, column {col})",
                                "（首次出现在第 {line} 行第 {col} 列）"
                            )
                        } else {
                            let sheet = self
                                .scores
                                .names
                                .get(g.file)
                                .map(String::as_str)
                                .unwrap_or("");
                            msg!(
                                " (first in {sheet}, line {line}, column {col})",
                                "（首次出现在 {sheet} 第 {line} 行第 {col} 列）"
                            )
                        }
                    }
                    None => String::new(),
                };
                let (level, level_zh) = (level.as_str(), level.zh());
                problems.push(sheet.cell(
                    row,
                    c,
                    msg!(
                        "score of {bid} for {id} at level {level} is given twice{at}; expected exactly once",
                        "支部 {bid} 指标 {id} 的{level_zh}层级得分重复填写{at}；应只填写一次"
                    ),
                ));
                continue;
            }
            any = true;
            self.scores
                .add(std.settings.weight(level), (b, idx, level), value, product);
            if let Some((db, cells)) = &mut self.scores.detail {
                if *db == b {
                    if cells.is_empty() {
                        cells.resize(std.indicators.len(), [None, None, None]);
                    }
                    if let Some(slot) = cells.get_mut(idx).and_then(|l| l.get_mut(level.index())) {
                        *slot = Some(Cell {
                            value: value.to_decimal().unwrap_or(Decimal::ZERO),
                            overall,
                            file: file_idx,
                            line: row.line,
                            column: c + 1,
                        });
                    }
                }
            }
        }
        if any {
            if let Some(given) = self.scores.given.as_mut().and_then(|g| g.get_mut(b)) {
                given.push(Given {
                    file: file_idx,
                    line: row.line,
                    level,
                    overall: filled == 0,
                });
            }
        }
        self.mine = mine;
        self.found = found;
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
            if self
                .scores
                .seen
                .get(b)
                .is_some_and(|s| s.iter().all(|m| m & all == all))
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
                    let (id, zh, level) = (&branch.id, level.zh(), level.as_str());
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
    sheet: &Sheet,
    row: &Row,
    c: usize,
    problems: &mut Problems,
) -> Option<Decimal> {
    match decimal::parse_cell(text) {
        Ok(v) if v < Decimal::ZERO => {
            let max = max.normalize();
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` is negative; expected a number from 0 to {max}",
                    "分数“{text}”为负数；应为 0 到 {max} 之间的数字"
                ),
            ));
            None
        }
        Ok(v) if v > max => {
            let max = max.normalize();
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` is above the maximum; expected a number from 0 to {max}",
                    "分数“{text}”超过最高分；应为 0 到 {max} 之间的数字"
                ),
            ));
            None
        }
        Ok(v) => Some(v),
        // A percentage: say what to type with the clerk's own number.
        Err(decimal::NumberError::Percent) => {
            let number = text.trim().trim_end_matches(['%', '％']).trim();
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` is written with %: type the number alone ({number}, not {text})",
                    "分数“{text}”带有百分号：只填数字（填 {number}，不要填 {text}）"
                ),
            ));
            None
        }
        Err(e) => {
            let (what, max) = (e.describe(), max.normalize());
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` {what}; expected a number from 0 to {max}",
                    "分数“{text}”{what}；应为 0 到 {max} 之间的数字"
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use std::path::{Path, PathBuf};

    fn town() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang")
    }

    fn workspace(dir: &Path) -> Workspace {
        let mut problems = Problems::new();
        let ws = Workspace::load(dir, Encoding::Auto, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        ws.expect("the workspace loads")
    }

    fn texts(ws: &Workspace, year: i32) -> Vec<Text> {
        let mut problems = Problems::new();
        let texts = sheet_files(ws, year)
            .iter()
            .filter_map(|f| ws.read_optional(&format!("{year}/{f}"), &mut problems))
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
        texts
    }

    /// The sheets read the careful way: one by one, keeping where every score came from.
    fn careful(ws: &Workspace, year: i32, texts: &[Text]) -> Scores {
        let mut problems = Problems::new();
        let names = texts.iter().map(|t| t.name.clone()).collect();
        let mut l = Loader::new(ws, year, names, None, true);
        for (i, t) in texts.iter().enumerate() {
            assert!(!l.sheet(i, t, &mut problems));
        }
        l.check_complete(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        l.scores
    }

    fn assert_same(a: &Scores, b: &Scores, what: &str) {
        assert_eq!(a.start, b.start, "{what}: layout");
        for b_ in 0..a.start.len() {
            assert_eq!(
                a.sums(b_, 64),
                b.sums(b_, 64),
                "{what}: sums of branch {b_}"
            );
        }
        assert_eq!(a.seen, b.seen, "{what}: indicators given");
        assert_eq!(a.rest, b.rest, "{what}: rest");
    }

    #[test]
    fn clean_sheets_read_plainly_sum_as_the_careful_read_does() {
        let ws = workspace(&town());
        for year in ws.years() {
            let texts = texts(&ws, year);
            // Every sheet of the town is one the plain reader takes (no quotes), so this
            // compares it, not the fallback, with the careful read.
            for t in &texts {
                let mut problems = Problems::new();
                let (sheet, rows) = Sheet::open(&t.name, &t.text, &mut problems).unwrap();
                assert!(rows.plain_text(&sheet).is_some(), "{}", t.name);
            }
            let plain = load_clean(&ws, year, &texts).expect("clean sheets read plainly");
            assert!(plain.fixed.iter().flatten().any(|e| *e != 0));
            assert_same(&plain, &careful(&ws, year, &texts), &year.to_string());
        }
    }

    /// Rewrite every sheet of the town's latest year with `f` and compare both reads.
    fn variant(what: &str, f: impl Fn(&str, &str) -> String, plain_reads_it: bool) {
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
        let texts = texts(&ws, year);
        let careful = careful(&ws, year, &texts);
        assert_eq!(
            load_clean(&ws, year, &texts).is_some(),
            plain_reads_it,
            "{what}: read plainly?"
        );
        let mut problems = Problems::new();
        let loaded = load(&ws, year, None, &mut problems);
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert_same(&loaded, &careful, what);
    }

    /// The numbers found while splitting are the numbers the careful read parses.
    #[test]
    fn numbers_read_while_splitting_are_the_numbers_parsed() {
        let fields = [
            "",
            "0",
            "5",
            "5.5",
            "10.25",
            ".5",
            "5.",
            ".",
            "..",
            "1.2.3",
            "+5",
            "-5",
            " 5",
            "5 ",
            "1e2",
            "１",
            "٣",
            "999999999999999999",
            "9999999999999999999",
            "0.000000000000000001",
            "12a",
            "a12",
            "G0000001",
            "self",
        ];
        let line = fields.join(",");
        let mut got = Vec::new();
        assert!(split_scores(&line, &mut got));
        assert_eq!(got.len(), fields.len());
        for (f, g) in fields.iter().zip(&got) {
            assert_eq!(&line[g.start..g.end], *f);
            assert_eq!(g.number, decimal::parse_parts(f), "{f:?}");
        }
        assert!(!split_scores("a,b\rc", &mut got));
    }

    #[test]
    fn crlf_blank_lines_and_any_row_order_are_read_plainly() {
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
    fn rows_the_plain_reader_leaves_alone_are_read_the_careful_way() {
        // A space around a score, a row of commas, a score written `+5`: the careful read
        // accepts them all; the plain one gives up, and the clean read with it. A quoted
        // cell: the plain reader does not take the sheet, the csv reader does.
        let in_first_row = |t: &str, from: &str, to: &str| {
            let (head, rest) = t.split_once('\n').unwrap();
            format!("{head}\n{}", rest.replacen(from, to, 1))
        };
        variant("space", |_, t| in_first_row(t, ",5,", ", 5 ,"), false);
        variant("commas", |_, t| t.replacen('\n', "\n,,,\n", 1), false);
        variant("quoted", |_, t| in_first_row(t, ",5,", ",\"5\","), true);
        variant("plus", |_, t| in_first_row(t, ",5,", ",+5,"), false);
    }
}
