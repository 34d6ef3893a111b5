//! The records of the year (SPEC.md "Records of the year"): the ballots of the mass
//! evaluation (`surveys`), an assessment group's deductions (`deductions`), the
//! objections raised while the results were posted (`objections`) and the committee's
//! decisions (`decisions`). Each file is read as the other tables of a year are
//! ([`super::table`]: CSV or a workbook, either language's column names and codes); all are
//! optional, and a year without them costs nothing.
//!
//! What they do to the sums of step 1 is said here once: a level scored by deduction gives
//! full marks less the deductions, and a branch's ballots give its mass level (see
//! [`crate::ballots`]). The score sheets are told which levels the records give
//! ([`Covered`]), so that a row of such a level is refused where it is.

use super::deductions::Taken;
use super::{Decision, Deduction, Objection, SurveyRow, Workspace};
use crate::ballots::Rate;
use crate::combined::{Scores, DOMAINS};
use crate::standard::{Level, Standard};
use rust_decimal::Decimal;

/// The records of one year, each sorted by branch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Records {
    pub surveys: Vec<SurveyRow>,
    /// R of each branch with ballots, in branch order.
    pub rates: Vec<(usize, Rate)>,
    /// The deductions with their dates, reasons and lines, when the year was loaded for
    /// them (`explain`, the rectification items: see [`Workspace::load_year`]); else empty.
    pub deductions: Vec<Deduction>,
    /// The deductions' reasons, one after the other (see [`Records::reason`]).
    pub reasons: String,
    pub objections: Vec<Objection>,
    pub decisions: Vec<Decision>,
    /// The names of the files read, as shown in messages and traces (blank: none).
    pub surveys_file: String,
    pub deductions_file: String,
    pub objections_file: String,
    pub decisions_file: String,
    /// Whether the year has ballots or deductions, their rows kept or not (a year loaded
    /// for its ratings keeps neither once they are counted: see [`Records::lean`]).
    pub(crate) counted: bool,
}

/// The records of a year but the surveys: what is read beside the score sheets.
#[derive(Default)]
pub(crate) struct Others {
    pub deductions: super::deductions::Loaded,
    pub objections: (Vec<Objection>, String),
    pub decisions: (Vec<Decision>, String),
}

impl Records {
    /// A year's records from its surveys and the rest; with every deduction's points,
    /// sorted by (branch, level, indicator), for [`apply`].
    pub(crate) fn of(surveys: super::surveys::Loaded, others: Others) -> (Records, Vec<Taken>) {
        let (surveys, rates, _, surveys_file) = surveys;
        let Others {
            deductions,
            objections: (objections, objections_file),
            decisions: (decisions, decisions_file),
        } = others;
        let counted = !deductions.taken.is_empty() || !rates.is_empty();
        let records = Records {
            surveys,
            rates,
            counted,
            deductions: deductions.rows,
            reasons: deductions.reasons,
            objections,
            decisions,
            surveys_file,
            deductions_file: deductions.file,
            objections_file,
            decisions_file,
        };
        (records, deductions.taken)
    }
}

/// The rows of `all` (sorted by branch) of branch `b`.
fn of<T>(all: &[T], b: usize, branch: impl Fn(&T) -> usize) -> &[T] {
    let lo = all.partition_point(|x| branch(x) < b);
    let hi = all.partition_point(|x| branch(x) <= b);
    all.get(lo..hi).unwrap_or_default()
}

impl Records {
    /// Whether the year has any record at all.
    pub fn is_empty(&self) -> bool {
        !self.counted
            && self.surveys.is_empty()
            && self.deductions.is_empty()
            && self.objections.is_empty()
            && self.decisions.is_empty()
    }

    /// Let go of what only `explain` and the summaries read once the ratings are counted:
    /// the ballots' rows and rates (the sums have R), for a year loaded for its ratings.
    pub(crate) fn lean(&mut self) {
        self.counted |= !self.rates.is_empty() || !self.deductions.is_empty();
        self.surveys = Vec::new();
        self.rates = Vec::new();
    }

    pub fn surveys_of(&self, b: usize) -> &[SurveyRow] {
        of(&self.surveys, b, |s| s.branch)
    }

    pub fn rate_of(&self, b: usize) -> Option<Rate> {
        let k = self.rates.binary_search_by_key(&b, |(x, _)| *x).ok()?;
        self.rates.get(k).map(|(_, r)| *r)
    }

    /// A deduction's reason.
    pub fn reason(&self, d: &Deduction) -> &str {
        d.reason_in(&self.reasons)
    }

    pub fn deductions_of(&self, b: usize) -> &[Deduction] {
        of(&self.deductions, b, Deduction::branch)
    }

    pub fn objections_of(&self, b: usize) -> &[Objection] {
        of(&self.objections, b, |o| o.branch)
    }

    pub fn decision_of(&self, b: usize) -> Option<&Decision> {
        of(&self.decisions, b, |d| d.branch).first()
    }
}

/// Which levels of which branches the records give, so that the score sheets give none of
/// them: the levels scored by deduction of each domain, and the branches with ballots
/// (whose mass level they are).
#[derive(Debug, Default)]
pub(crate) struct Covered {
    /// By `domain as usize`, in [`Level::ALL`] order.
    pub deduction: [[bool; 3]; DOMAINS],
    /// Bit b: branch b has ballots (empty when none has).
    surveyed: Vec<u64>,
    /// Whether anything is covered at all (else nothing is looked up).
    pub any: bool,
}

impl Covered {
    /// `surveyed`: every branch a row of surveys.csv names.
    pub(crate) fn new(ws: &Workspace, surveyed: &[usize]) -> Covered {
        let deduction = crate::standard::Domain::ALL.map(|d| {
            ws.standards
                .get(d)
                .map_or([false; 3], |s| s.settings.deduction)
        });
        let mut bits = Vec::new();
        if !surveyed.is_empty() {
            bits = vec![0u64; ws.branches.len().div_ceil(64)];
            for b in surveyed {
                if let Some(w) = bits.get_mut(b / 64) {
                    *w |= 1 << (b % 64);
                }
            }
        }
        let any = !bits.is_empty() || deduction.iter().flatten().any(|l| *l);
        Covered {
            deduction,
            surveyed: bits,
            any,
        }
    }

    /// Is branch b's mass level its ballots?
    pub(crate) fn surveyed(&self, b: usize) -> bool {
        self.surveyed
            .get(b / 64)
            .is_some_and(|w| w & (1 << (b % 64)) != 0)
    }

    /// Is `level` of branch b (of domain `d`) given by the records?
    #[inline]
    pub(crate) fn covers(&self, b: usize, d: usize, level: Level) -> bool {
        self.any
            && (self.deduction.get(d).is_some_and(|l| l[level.index()])
                || (level == Level::Mass && self.surveyed(b)))
    }
}

/// Give the levels scored by deduction their scores: full marks for every rated branch of
/// their standards, less each (branch, level, indicator)'s deductions, not below 0
/// (s = max(0, p − Σ points)); and the branches with ballots their R (`rates`, taken over).
/// `taken`: every deduction's points, sorted by (branch, level, indicator).
pub(crate) fn apply(
    ws: &Workspace,
    year: i32,
    scores: &mut Scores,
    rates: Vec<(usize, Rate)>,
    taken: &[Taken],
) {
    if ws.standards.has_deductions() {
        by_deduction(ws, year, scores, taken);
    }
    if !rates.is_empty() {
        scores.set_surveys(&ws.standards, rates);
    }
}

/// What a level scored by deduction gives the branches of one standard.
struct Plan<'s> {
    level: Level,
    w: Decimal,
    std: &'s Standard,
    /// (indicator, w · p_i at the sums' scale) of each indicator: full marks, added as a
    /// row of the sheets would be (`None` when a product has more places).
    full: Option<Vec<(usize, i64)>>,
    /// The same summed by slot of the sums ([`Scores::layout_of`]), the slot of each
    /// indicator, and the indicators' bits: full marks added to a branch at once.
    per_slot: Option<Vec<i64>>,
    slots: Vec<u8>,
    bits: u64,
    /// Each indicator's p_i in hundredths, and w · 0.01 at the sums' scale: what a
    /// hundredth taken takes from the sums (`None` when either has more places).
    cents: Option<(Vec<i64>, i64)>,
}

impl Plan<'_> {
    /// The plans of each domain (by `domain as usize`): one per level scored by deduction.
    fn of<'w>(ws: &'w Workspace, scores: &Scores) -> [Vec<Plan<'w>>; DOMAINS] {
        crate::standard::Domain::ALL.map(|d| {
            let Some(std) = ws.standards.get(d) else {
                return Vec::new();
            };
            let (slots, width) = scores.layout_of(d);
            let n = std.indicators.len();
            // Every indicator's bit (a standard has at most 64).
            let bits = (u32::try_from(n).ok())
                .and_then(|n| 64u32.checked_sub(n))
                .and_then(|shift| u64::MAX.checked_shr(shift))
                .unwrap_or(0);
            let points: Option<Vec<i64>> = (std.indicators.iter())
                .map(|i| Scores::to_fixed(i.points).and_then(hundredths))
                .collect();
            Level::ALL
                .into_iter()
                .filter(|l| std.settings.by_deduction(*l))
                .map(|level| {
                    let w = std.settings.weight(level);
                    let full: Option<Vec<(usize, i64)>> = (std.indicators.iter().enumerate())
                        .map(|(i, ind)| Some((i, Scores::to_fixed(w * ind.points)?)))
                        .collect();
                    let per_slot = full.as_ref().and_then(|full| {
                        let mut sums = vec![0i64; width];
                        for (i, p) in full {
                            let sum = sums.get_mut(usize::from(*slots.get(*i)?))?;
                            *sum = sum.checked_add(*p)?;
                        }
                        Some(sums)
                    });
                    let per_cent = fixed_product(w, Decimal::new(1, 2));
                    Plan {
                        level,
                        w,
                        std,
                        full,
                        per_slot,
                        slots: slots.to_vec(),
                        bits,
                        cents: points.clone().zip(per_cent),
                    }
                })
                .collect()
        })
    }
}

/// A value at the sums' scale in hundredths, when whole.
fn hundredths(fixed: i64) -> Option<i64> {
    let unit = crate::combined::pow10(crate::decimal::FIXED_SCALE - 2)?;
    (fixed % unit == 0).then_some(fixed / unit)
}

/// Full marks at each level scored by deduction, for every branch of its standard rated in
/// `year`, less the branch's deductions at that level (`taken`, sorted by branch): at most
/// each indicator's points (扣完为止). In integers, one addition a branch and level, where
/// the products have the sums' places; else in decimals, score by score.
fn by_deduction(ws: &Workspace, year: i32, scores: &mut Scores, taken: &[Taken]) {
    let plans = Plan::of(ws, scores);
    let mut at = 0;
    let mut buf = [0i64; crate::standard::MAX_INDICATORS];
    for (b, domain) in ws.rated_domains(year).enumerate() {
        let lo = at;
        while taken.get(at).is_some_and(|t| t.branch() <= b) {
            at += 1;
        }
        let Some(plan) = domain.and_then(|d| plans.get(d as usize)) else {
            continue;
        };
        let mine = taken.get(lo..at).unwrap_or_default();
        for p in plan {
            // Of the branch's deductions (sorted by level), those of this level: all of
            // them when the standard scores one level by deduction.
            let mine = match plan.len() {
                1 => mine,
                _ => {
                    let from = mine.partition_point(|t| t.level() < p.level);
                    let to = mine.partition_point(|t| t.level() <= p.level);
                    mine.get(from..to).unwrap_or_default()
                }
            };
            if !in_integers(scores, b, p, mine, &mut buf) {
                in_decimals(scores, b, p, mine);
            }
        }
    }
}

/// Branch b's level of plan `p`, less its deductions `mine`, added at once in integer
/// products summed by slot (`buf`: room for them); `false`, and nothing added, when they
/// do not fit (see [`Scores::add_slots`]).
#[inline]
fn in_integers(
    scores: &mut Scores,
    b: usize,
    p: &Plan,
    mine: &[Taken],
    buf: &mut [i64; crate::standard::MAX_INDICATORS],
) -> bool {
    let (Some(full), Some(per_slot), Some((points, per_cent))) = (&p.full, &p.per_slot, &p.cents)
    else {
        return false;
    };
    let Some(sums) = buf.get_mut(..per_slot.len()) else {
        return false;
    };
    sums.copy_from_slice(per_slot);
    // Each (level, indicator)'s deductions together (they are sorted).
    let mut k = 0;
    while let Some(first) = mine.get(k) {
        // At most 10,000 hundredths a row: no sum of a file's rows comes near an i64's end.
        let mut total = first.cents();
        k += 1;
        while let Some(t) = mine.get(k).filter(|t| t.key() == first.key()) {
            total += t.cents();
            k += 1;
        }
        let i = first.indicator();
        let slot = p.slots.get(i).map(|s| usize::from(*s));
        let (Some(pc), Some(all), Some(sum)) = (
            points.get(i),
            full.get(i),
            slot.and_then(|s| sums.get_mut(s)),
        ) else {
            return false;
        };
        let less = match total >= *pc {
            true => Some(all.1),
            false => total.checked_mul(*per_cent),
        };
        match less.and_then(|l| sum.checked_sub(l)) {
            Some(left) => *sum = left,
            None => return false,
        }
    }
    scores.add_slots(b, p.level, sums, p.bits)
}

/// [`in_integers`] score by score, in decimals where the products have more places than
/// the integer sums (or a floor keeps each level's sum).
fn in_decimals(scores: &mut Scores, b: usize, p: &Plan, mine: &[Taken]) {
    let added = (p.full.as_ref()).is_some_and(|full| scores.add_products(b, p.level, full));
    if !added {
        for (i, ind) in p.std.indicators.iter().enumerate() {
            scores.add(p.w, (b, i, p.level), ind.points, None);
        }
    }
    for run in mine.chunk_by(|x, y| x.key() == y.key()) {
        let Some(idx) = run.first().map(|t| t.indicator()) else {
            continue;
        };
        let Some(ind) = p.std.indicators.get(idx) else {
            continue;
        };
        let total: Decimal = run.iter().map(|t| t.points()).sum();
        let taken = total.min(ind.points);
        // w · taken at the sums' scale in integers when it has the places (points have 2).
        let product = fixed_product(p.w, taken).map(|x| -x);
        scores.add(p.w, (b, idx, p.level), -taken, product);
    }
}

/// w · v at the integer sums' scale, from the mantissas, when it fits (as
/// [`Scores::to_fixed`] of the product, without a decimal multiplication).
fn fixed_product(w: Decimal, v: Decimal) -> Option<i64> {
    let (wm, ws) = crate::combined::parts64(w)?;
    let (vm, vs) = crate::combined::parts64(v)?;
    let scale = crate::decimal::FIXED_SCALE;
    let up = crate::combined::pow10(scale.checked_sub(ws.checked_add(vs)?)?)?;
    wm.checked_mul(vm)?.checked_mul(up)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problems;
    use crate::source::Encoding;

    /// The records example's workspace and its year 2025, loaded whole.
    fn records_example_2025() -> (Workspace, crate::workspace::YearData) {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records-example");
        let mut problems = Problems::new();
        let ws = Workspace::load(&dir, Encoding::Auto, &mut problems).unwrap();
        let data = ws.load_year(2025, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        (ws, data)
    }

    /// A set of indicators' sum with its survey terms added as one: for every indicator
    /// the representative of its e_i, for all of them that of B.
    #[test]
    fn a_set_of_indicators_sums_its_survey_terms_as_one() {
        let (ws, data) = records_example_2025();
        let mut surveyed = 0;
        for (b, _) in &data.records.rates {
            let n = ws.standard_of(*b).unwrap().indicators.len();
            let (sums, _, _) = data.scores.survey_sums(*b, n).unwrap();
            for (i, e) in sums.iter().enumerate() {
                let one = data.scores.with_survey_part(*b, *e, [i]);
                assert_eq!(one, data.scores.indicator(*b, i), "{b} {i}");
            }
            let all = data.scores.with_survey_part(*b, sums.iter().sum(), 0..n);
            assert_eq!(all, Some(data.scores.base(*b)), "{b}");
            surveyed += 1;
        }
        assert!(surveyed > 10);
        // A branch without ballots has no survey part.
        let other = (0..ws.branches.len()).find(|b| data.records.rate_of(*b).is_none());
        assert_eq!(data.scores.with_survey_part(other.unwrap(), 0, [0]), None);
    }

    /// The rating's integer path gives what the decimals give: B of every branch, ballots
    /// or none, and whether each indicator is below a line a unit either side of its e_i
    /// (an inexact representative's half unit included).
    #[test]
    fn the_integer_sums_tell_b_and_the_bottom_lines_as_the_decimals_do() {
        let (ws, data) = records_example_2025();
        let (mut surveyed, mut inexact) = (0, 0);
        for b in 0..ws.branches.len() {
            let Some(std) = ws.standard_of(b) else {
                continue;
            };
            assert_eq!(data.scores.fixed_base(b), Some(data.scores.base(b)), "{b}");
            surveyed += usize::from(data.records.rate_of(b).is_some());
            for k in 0..std.indicators.len() {
                let e = data.scores.indicator(b, k).unwrap();
                let units = (e * Decimal::from(10i64.pow(crate::decimal::FIXED_SCALE))).floor();
                inexact += usize::from(e.scale() > crate::decimal::FIXED_SCALE);
                let units = i64::try_from(units).unwrap();
                for line in units - 2..=units + 2 {
                    let at = Decimal::new(line, crate::decimal::FIXED_SCALE);
                    assert_eq!(
                        data.scores.fixed_below(b, k, line),
                        Some(e < at),
                        "{b} {k}: {e} against {at}"
                    );
                }
            }
        }
        assert!(surveyed > 10 && inexact > 0, "{surveyed} {inexact}");
    }
}
