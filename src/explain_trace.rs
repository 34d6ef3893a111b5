//! The trace of one branch's rating (`stars explain`): every step with its numbers and the
//! sources they came from, as a value. No language is in it — numbers are exact decimals,
//! codes are the program's enums and ids, sources are `file:line[:column]` — so the text
//! (English or Chinese), JSON and row renderings in `commands::explain` each read the same
//! steps, and each step is worked out once.
//!
//! It lives beside [`crate::rate`] rather than in `commands` or `followup`: like the rating
//! it is pure (no I/O, no output), and it drives nothing further, as the follow-ups do.

use crate::followup::gap::{gap, Gap};
use crate::rate::{level_rating, Cap, QuotaCut, Rating, Review5, Status, Tier};
use crate::standard::{Domain, ItemKind, Level, Standard, Thresholds};
use crate::workspace::{Branch, Opinion, YearData};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One branch's rating, step by step, in the order of SPEC.md "Rating: the arithmetic".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub branch: String,
    pub name: String,
    pub domain: Domain,
    pub year: i32,
    pub evaluated: NaiveDate,
    /// The standard: its names and files.
    pub standard: StandardTrace,
    /// w_l of each level, in [`Level::ALL`] order.
    pub weights: [(Level, Decimal); 3],
    /// Each indicator's cells and combined points e_i.
    pub indicators: Vec<IndicatorTrace>,
    /// B, exact.
    pub base: Decimal,
    pub events: Vec<EventTrace>,
    pub incentives: Decimal,
    pub bonus_cap: Decimal,
    pub bonus: Decimal,
    pub deduction: Decimal,
    pub exact_score: Decimal,
    /// F, rounded half up.
    pub score: Decimal,
    pub thresholds: Thresholds,
    /// Step 5 by themes, each theme's sum against its pass line (empty when the standard
    /// rates by score).
    pub themes: Vec<ThemeTrace>,
    pub score_star: u8,
    /// The level-rating floors of the standard (a local rule), binding or not.
    pub floors: Vec<FloorTrace>,
    pub caps: Vec<Cap>,
    pub capped_star: u8,
    /// The departments whose opinions a five needs.
    pub required: Vec<String>,
    /// The branch's review opinions, in file order.
    pub reviews: Vec<ReviewTrace>,
    /// The review's outcome; `None` below five stars after the caps.
    pub review: Option<Review5>,
    /// The five-star quota, when the standards have one: the branch's group, if it has one.
    pub quota: Option<Option<QuotaTrace>>,
    pub star: u8,
    pub status: Status,
    pub tier: Tier,
    /// The gap to the next star; `None` at five.
    pub gap: Option<Gap>,
    /// The records of the year behind the rating (SPEC.md "Records of the year").
    pub records: RecordsTrace,
}

/// What the records of the year gave a branch's rating: its ballots, its deductions, the
/// objections raised during publicity and the committee's decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordsTrace {
    /// The ballots of its mass level, when it has them.
    pub survey: Option<SurveyTrace>,
    /// Its deductions, by indicator and level, in file order within each.
    pub deductions: Vec<DeductionTrace>,
    pub objections: Vec<ObjectionTrace>,
    /// The committee's decision, and the star and status the rules gave.
    pub decision: Option<DecisionTrace>,
}

impl RecordsTrace {
    pub fn is_empty(&self) -> bool {
        self.survey.is_none()
            && self.deductions.is_empty()
            && self.objections.is_empty()
            && self.decision.is_none()
    }
}

/// A branch's ballots: each group's rate and weight, and R.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTrace {
    pub groups: Vec<GroupTrace>,
    /// R = Σ_g w_g · R_g, exact.
    pub rate: crate::ballots::Rate,
    /// The answers' points: satisfied, basically, dissatisfied, unknown (`None`: left out).
    pub points: [Decimal; 3],
    pub unknown: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTrace {
    /// The group's name (blank: the one group).
    pub name: String,
    pub weight: Decimal,
    pub counts: crate::ballots::Counts,
    pub valid: u64,
    /// R_g, exact.
    pub rate: crate::ballots::Rate,
    /// `file:line`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeductionTrace {
    pub indicator: String,
    pub level: Level,
    pub points: Decimal,
    pub date: NaiveDate,
    pub reason: String,
    /// `file:line`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionTrace {
    pub received: NaiveDate,
    pub matter: String,
    pub status: crate::workspace::ObjectionStatus,
    pub answered: Option<NaiveDate>,
    /// `file:line`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionTrace {
    pub star: u8,
    /// The star and status the rules gave.
    pub ruled_star: u8,
    pub ruled_status: Status,
    pub reason: String,
    pub document: String,
    /// `file:line`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardTrace {
    pub name: String,
    pub name_zh: String,
    pub common_file: String,
    pub domain_file: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorTrace {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub points: Decimal,
    pub bottom_line: Option<Decimal>,
    /// The cell of each level, in [`Level::ALL`] order; `None` when missing (zero).
    pub cells: [Option<CellTrace>; 3],
    /// e_i = Σ_l w_l · s_{i,l}.
    pub combined: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellTrace {
    /// s_{i,l}.
    pub value: Decimal,
    /// The `overall` it came from, if it did.
    pub overall: Option<Decimal>,
    /// `sheet:line:column`; for a cell of the records, their `file:line`s.
    pub source: String,
    /// A cell the records gave instead of a score sheet.
    pub record: Option<RecordCell>,
}

/// How the records gave a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordCell {
    /// The mass level from the ballots: p_i × R / 100 (R in [`RecordsTrace::survey`]).
    Survey,
    /// A level scored by deduction: max(0, p_i − taken), `taken` the points of its
    /// deductions (none: full marks).
    Deducted { taken: Decimal },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTrace {
    pub item: String,
    pub name_zh: String,
    pub kind: ItemKind,
    pub date: NaiveDate,
    pub note: String,
    /// `file:line`.
    pub source: String,
}

/// One theme of a standard that rates by themes (SPEC.md "Stars by theme").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeTrace {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub required: bool,
    pub pass: Decimal,
    /// Σ p_i of its indicators.
    pub points: Decimal,
    /// The pass line, pass × Σ p_i.
    pub line: Decimal,
    /// Its indicators' ids and e_i, in the standard's order.
    pub indicators: Vec<(String, Decimal)>,
    /// Σ e_i of its indicators.
    pub sum: Decimal,
    pub earned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloorTrace {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub level: Level,
    /// Σ_i s_{i,l} of the level.
    pub sum: Decimal,
    /// Σ_i p_i.
    pub points: Decimal,
    /// L = 100 × sum / points.
    pub rating: Decimal,
    pub below: Decimal,
    pub cap: u8,
    pub binds: bool,
    /// The level's cells (`sheet:line:column`), repeats next to each other merged.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTrace {
    pub department: String,
    pub opinion: Opinion,
    pub note: String,
    /// `file:line`.
    pub source: String,
}

/// The branch's quota group and its place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaTrace {
    pub five: Decimal,
    pub per: crate::standard::QuotaPer,
    /// The town or domain code; empty for the whole workspace.
    pub group: String,
    pub n: usize,
    pub limit: usize,
    /// The F of the group's approved branches, highest first.
    pub approved: Vec<Decimal>,
    /// The approved branches scoring at least this one's F (its rank, counting ties).
    pub at_least: usize,
    /// Approved at five stars, so ranked (status `approved` or `quota`).
    pub ranked: bool,
    /// Past the limit: four stars (status `quota`).
    pub past_limit: bool,
}

/// The trace of branch `b` (rated `r` in `data`, under `std`); `quota` is the year's cut.
pub fn trace(
    std: &Standard,
    data: &YearData,
    br: &Branch,
    b: usize,
    r: &Rating,
    quota: Option<&QuotaCut>,
) -> Trace {
    let s = &std.settings;
    let sheet = |f: usize| data.sheet_names.get(f).cloned().unwrap_or_default();
    let cells = data
        .cells
        .as_ref()
        .map(|(_, c)| c.as_slice())
        .unwrap_or_default();
    let combined = data.scores.combined(b, std.indicators.len());
    let indicators = std
        .indicators
        .iter()
        .zip(&combined)
        .enumerate()
        .map(|(i, (ind, e))| IndicatorTrace {
            id: ind.id.clone(),
            name: ind.name.clone(),
            name_zh: ind.name_zh.clone(),
            points: ind.points,
            bottom_line: ind.bottom_line,
            cells: Level::ALL.map(|l| {
                if let Some(c) = record_cell(std, data, b, i, l) {
                    return Some(c);
                }
                let c = cells.get(i).and_then(|c| c.get(l.index())?.as_ref())?;
                Some(CellTrace {
                    value: c.value,
                    overall: c.overall,
                    source: format!("{}:{}:{}", sheet(c.file), c.line, c.column),
                    record: None,
                })
            }),
            combined: *e,
        })
        .collect();
    let events = data
        .events_of(b)
        .iter()
        .filter_map(|e| {
            let item = std.item(&e.item)?;
            Some(EventTrace {
                item: item.id.clone(),
                name_zh: item.name_zh.clone(),
                kind: item.kind,
                date: e.date,
                note: e.note.clone(),
                source: format!("{}:{}", e.file, e.line),
            })
        })
        .collect();
    let reviews = data
        .reviews_of(b)
        .iter()
        .map(|rv| ReviewTrace {
            department: rv.department_in(&s.review_required).to_string(),
            opinion: rv.opinion,
            note: rv.note.to_string(),
            source: format!("{}:{}", data.reviews_file, rv.line()),
        })
        .collect();
    Trace {
        branch: br.id().to_string(),
        name: br.name().to_string(),
        domain: br.domain,
        year: data.year,
        evaluated: data.evaluated,
        standard: StandardTrace {
            name: std.name.clone(),
            name_zh: std.name_zh.clone(),
            common_file: std.common_file.to_string(),
            domain_file: std.domain_file.to_string(),
        },
        weights: Level::ALL.map(|l| (l, s.weight(l))),
        indicators,
        base: r.base,
        events,
        incentives: r.incentives,
        bonus_cap: s.bonus_cap,
        bonus: r.bonus,
        deduction: r.deduction,
        exact_score: r.exact_score,
        score: r.score,
        thresholds: s.stars.clone(),
        themes: themes(std, &combined, r),
        score_star: r.score_star,
        floors: floors(std, data, b, cells, r),
        caps: r.caps.clone(),
        capped_star: r.capped_star,
        required: s.review_required.clone(),
        reviews,
        review: r.review.clone(),
        quota: quota.map(|cut| quota_trace(cut, br, r)),
        star: r.star,
        status: r.status,
        tier: r.tier,
        gap: gap(r, std, |k| {
            let sums = crate::themes::sums(std, &combined);
            sums.get(k).copied().unwrap_or_default()
        }),
        records: records(std, data, b, r),
    }
}

/// The cell of indicator `i` at level `l` that the records give, if they give it: the
/// mass level of a branch with ballots, a level scored by deduction.
fn record_cell(std: &Standard, data: &YearData, b: usize, i: usize, l: Level) -> Option<CellTrace> {
    let ind = std.indicators.get(i)?;
    let rec = &data.records;
    if std.settings.by_deduction(l) {
        let mine: Vec<&crate::workspace::Deduction> = (rec.deductions_of(b).iter())
            .filter(|d| d.level() == l && d.indicator() == i)
            .collect();
        let taken: Decimal = mine.iter().map(|d| d.points()).sum();
        let lines: Vec<String> = mine.iter().map(|d| d.line().to_string()).collect();
        let source = match lines.is_empty() {
            true => String::new(),
            false => format!("{}:{}", rec.deductions_file, lines.join(",")),
        };
        return Some(CellTrace {
            value: (ind.points - taken).max(Decimal::ZERO),
            overall: None,
            source,
            record: Some(RecordCell::Deducted { taken }),
        });
    }
    if l != Level::Mass {
        return None;
    }
    let rate = rec.rate_of(b)?;
    let c = crate::ballots::multiplier(ind.points * Decimal::new(1, 2))?;
    let lines: Vec<String> = (rec.surveys_of(b).iter())
        .map(|r| r.line().to_string())
        .collect();
    Some(CellTrace {
        value: rate.representative(c)?,
        overall: None,
        source: format!("{}:{}", rec.surveys_file, lines.join(",")),
        record: Some(RecordCell::Survey),
    })
}

/// The records of the year behind branch b's rating.
fn records(std: &Standard, data: &YearData, b: usize, r: &Rating) -> RecordsTrace {
    let rec = &data.records;
    let s = &std.settings.survey;
    let survey = rec.rate_of(b).map(|rate| SurveyTrace {
        groups: (rec.surveys_of(b).iter())
            .filter_map(|row| {
                let k = usize::from(row.group);
                Some(GroupTrace {
                    name: s.groups.get(k).map(|(g, _)| g.clone()).unwrap_or_default(),
                    weight: s.weight(k),
                    counts: row.counts,
                    valid: row.counts.valid(s),
                    rate: row.counts.rate(s)?,
                    source: format!("{}:{}", rec.surveys_file, row.line()),
                })
            })
            .collect(),
        rate,
        points: [s.satisfied, s.basically, s.dissatisfied],
        unknown: s.unknown,
    });
    let deductions = (rec.deductions_of(b).iter())
        .map(|d| DeductionTrace {
            indicator: (std.indicators.get(d.indicator()))
                .map(|i| i.id.clone())
                .unwrap_or_default(),
            level: d.level(),
            points: d.points(),
            date: d.date,
            reason: rec.reason(d).to_string(),
            source: format!("{}:{}", rec.deductions_file, d.line()),
        })
        .collect();
    let objections = (rec.objections_of(b).iter())
        .map(|o| ObjectionTrace {
            received: o.received,
            matter: o.matter.to_string(),
            status: o.status,
            answered: o.answered,
            source: format!("{}:{}", rec.objections_file, o.line()),
        })
        .collect();
    let decision = rec
        .decision_of(b)
        .zip(r.ruled)
        .map(|(x, (star, status))| DecisionTrace {
            star: x.star,
            ruled_star: star,
            ruled_status: status,
            reason: x.reason.to_string(),
            document: x.document.to_string(),
            source: format!("{}:{}", rec.decisions_file, x.line()),
        });
    RecordsTrace {
        survey,
        deductions,
        objections,
        decision,
    }
}

/// Each theme's indicators and sum against its pass line, and whether the rating earned it.
fn themes(std: &Standard, combined: &[Decimal], r: &Rating) -> Vec<ThemeTrace> {
    let sums = crate::themes::sums(std, combined);
    (std.themes.iter().enumerate())
        .map(|(k, t)| ThemeTrace {
            id: t.id.clone(),
            name: t.name.clone(),
            name_zh: t.name_zh.clone(),
            required: t.required,
            pass: t.pass,
            points: t.points,
            line: t.line(),
            indicators: (std.indicators.iter().zip(combined))
                .filter(|(i, _)| i.theme.map(usize::from) == Some(k))
                .map(|(i, e)| (i.id.clone(), *e))
                .collect(),
            sum: sums.get(k).copied().unwrap_or_default(),
            earned: r.themes.is_some_and(|m| m.is_earned(k)),
        })
        .collect()
}

/// Each level-rating floor's L with its source cells, and whether it binds.
fn floors(
    std: &Standard,
    data: &YearData,
    b: usize,
    cells: &[[Option<crate::workspace::Cell>; 3]],
    r: &Rating,
) -> Vec<FloorTrace> {
    let sums = data.scores.level_sums(b);
    let points: Decimal = std.indicators.iter().map(|i| i.points).sum();
    std.floors
        .iter()
        .map(|f| {
            let sum = sums.get(f.level.index()).copied().unwrap_or_default();
            let rating = level_rating(std, sum);
            // The cells of the level: one `overall` cell, or a score per indicator.
            let mut sources: Vec<String> = cells
                .iter()
                .filter_map(|c| c.get(f.level.index()).and_then(Option::as_ref))
                .map(|c| {
                    let sheet = data.sheet_names.get(c.file).cloned().unwrap_or_default();
                    format!("{sheet}:{}:{}", c.line, c.column)
                })
                .collect();
            sources.dedup();
            // A level the records give: their file.
            let rec = &data.records;
            if f.level == Level::Mass && rec.rate_of(b).is_some() {
                sources.push(rec.surveys_file.clone());
            } else if std.settings.by_deduction(f.level) && !rec.deductions_file.is_empty() {
                sources.push(rec.deductions_file.clone());
            }
            // Whether it binds is the rating's (compared without dividing, exactly).
            let binds =
                (r.caps.iter()).any(|c| matches!(c, Cap::Floor { floor, .. } if *floor == f.id));
            FloorTrace {
                id: f.id.clone(),
                name: f.name.clone(),
                name_zh: f.name_zh.clone(),
                level: f.level,
                sum,
                points,
                rating,
                below: f.below,
                cap: f.cap,
                binds,
                sources,
            }
        })
        .collect()
}

/// The branch's quota group, its n and limit, and the branch's rank among the group's
/// approved branches; `None` when it counts in no group.
fn quota_trace(cut: &QuotaCut, br: &Branch, r: &Rating) -> Option<QuotaTrace> {
    let g = cut.group_of(br)?;
    Some(QuotaTrace {
        five: cut.quota.five,
        per: cut.quota.per,
        group: QuotaCut::key_of(cut.quota.per, br).to_string(),
        n: g.n,
        limit: g.limit,
        approved: g.approved.clone(),
        at_least: g.approved.iter().filter(|f| **f >= r.score).count(),
        ranked: matches!(r.status, Status::Approved | Status::Quota),
        past_limit: r.status == Status::Quota,
    })
}
