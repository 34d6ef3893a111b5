//! `YEAR/deductions.csv`: an assessment group's deductions (扣分制, 逐项扣分，扣完为止),
//! `branch,level,indicator,points,date,reason`, for the levels a standard scores by
//! deduction (`[deduction] levels`). What they do to the scores is in
//! [`super::records::apply`].

use super::files::Kind;
use super::record_cells::date;
use super::table::{joined, room_for, with_room};
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::{Cells, Sheet};
use crate::standard::Level;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One deduction as the rating needs it: its (branch, level, indicator) and its points,
/// packed in one word (a province's million deductions are 8 bytes each, read on both
/// cores and summed without a decimal). Ordered by (branch, level, indicator) first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Taken(u64);

/// The bits of a [`Taken`], from the lowest: the points in hundredths (at most 100
/// points), the scale they were written with (`1.50` is 150 at scale 2: the decimal is
/// given back as written), the indicator, the level; the branch above them.
const CENTS_BITS: u32 = 14;
const SCALE_BITS: u32 = 5;
const INDICATOR_BITS: u32 = 6;
const LEVEL_BITS: u32 = 2;
/// Where the (branch, level, indicator) starts.
const KEY_SHIFT: u32 = CENTS_BITS + SCALE_BITS;
const BRANCH_SHIFT: u32 = KEY_SHIFT + INDICATOR_BITS + LEVEL_BITS;
const _: () = {
    assert!(100 * 100 < 1 << CENTS_BITS);
    assert!(28 < 1 << SCALE_BITS);
    assert!(crate::standard::MAX_INDICATORS <= 1 << INDICATOR_BITS);
    assert!(Level::ALL.len() <= 1 << LEVEL_BITS);
};

impl Taken {
    /// Points of `cents` hundredths written with `scale` places, of `indicator` at `level`
    /// of `branch`; `None` past the bits (a branch past 2^37: branches.csv holds far fewer).
    fn new(
        branch: usize,
        level: Level,
        indicator: u16,
        (cents, scale): (u64, u32),
    ) -> Option<Taken> {
        let branch = u64::try_from(branch).ok()?;
        let indicator = u64::from(indicator);
        if branch >= 1 << (64 - BRANCH_SHIFT)
            || indicator >= 1 << INDICATOR_BITS
            || cents >= 1 << CENTS_BITS
            || scale >= 1 << SCALE_BITS
        {
            return None;
        }
        Some(Taken(
            branch << BRANCH_SHIFT
                | (level.index() as u64) << (KEY_SHIFT + INDICATOR_BITS)
                | indicator << KEY_SHIFT
                | u64::from(scale) << CENTS_BITS
                | cents,
        ))
    }

    pub fn branch(self) -> usize {
        usize::try_from(self.0 >> BRANCH_SHIFT).unwrap_or(usize::MAX)
    }

    pub fn level(self) -> Level {
        let k = (self.0 >> (KEY_SHIFT + INDICATOR_BITS)) & ((1 << LEVEL_BITS) - 1);
        Level::ALL
            .get(k as usize)
            .copied()
            .unwrap_or(Level::Organization)
    }

    /// The indicator's place in its branch's standard.
    pub fn indicator(self) -> usize {
        ((self.0 >> KEY_SHIFT) & ((1 << INDICATOR_BITS) - 1)) as usize
    }

    /// The points in hundredths.
    pub fn cents(self) -> i64 {
        (self.0 & ((1 << CENTS_BITS) - 1)) as i64
    }

    /// The points, as the decimal written (`1.50` stays `1.50`).
    pub fn points(self) -> Decimal {
        let scale = ((self.0 >> CENTS_BITS) & ((1 << SCALE_BITS) - 1)) as u32;
        let cents = i128::from(self.cents());
        let mantissa = match scale.checked_sub(2) {
            Some(up) => 10i128.checked_pow(up).and_then(|p| cents.checked_mul(p)),
            None => 10i128.checked_pow(2 - scale).map(|p| cents / p),
        };
        mantissa
            .and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok())
            .unwrap_or_default()
    }

    /// (branch, level, indicator), without the points: what is taken together.
    pub fn key(self) -> u64 {
        self.0 >> KEY_SHIFT
    }
}

/// One deduction with what `explain` and the rectification items show of it: its date,
/// reason and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    taken: Taken,
    pub date: NaiveDate,
    /// Where its reason is in the year's text of reasons ([`super::Records::reason`]): a
    /// province's million deductions are not a string each.
    reason: (u32, u32),
    line: u32,
}

impl Deduction {
    /// Its line in the deductions file.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    pub fn branch(&self) -> usize {
        self.taken.branch()
    }

    pub fn level(&self) -> Level {
        self.taken.level()
    }

    /// The indicator's place in its branch's standard.
    pub fn indicator(&self) -> usize {
        self.taken.indicator()
    }

    /// Points taken, above 0 with at most 2 decimal places, as written.
    pub fn points(&self) -> Decimal {
        self.taken.points()
    }

    /// Its reason, in `text` (the reasons of its file).
    pub fn reason_in<'t>(&self, text: &'t str) -> &'t str {
        let (start, len) = (self.reason.0 as usize, self.reason.1 as usize);
        text.get(start..start.saturating_add(len))
            .unwrap_or_default()
    }
}

struct Deductions<'w> {
    ws: &'w Workspace,
    /// The standards by `domain as usize`: a row's found by index, not by a search of the map.
    stds: crate::standard::ByDomain<'w>,
    year: i32,
    /// Keep each row's date, reason and line (`explain`, the rectification items), not
    /// only its points.
    rows: bool,
    /// Read on a thread of its own beside the score sheets, which keep both cores busy:
    /// in one part, as a second would only add a copy of its rows.
    alone: bool,
}

/// The columns of branch, level, indicator, points, date and reason.
type Cols = [usize; 6];

struct Part {
    taken: Vec<Taken>,
    /// The rows, when kept ([`Deductions::rows`]).
    rows: Vec<Deduction>,
    /// Their reasons, one after the other.
    text: String,
    run: super::Run,
    file: String,
}

/// The most decimal places of a deduction's points.
const PLACES: u32 = 2;

/// The fewest bytes a row is counted at when room is made for a file's rows (a province's
/// rows are about 64).
const ROW_BYTES: u64 = 32;

impl super::table::Table for Deductions<'_> {
    type Cols = Cols;
    /// A side file: its limit grows with the workspace's branches.
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    type Part = Part;
    fn parts_from(&self) -> u64 {
        match self.alone {
            true => u64::MAX,
            false => super::table::STREAM_FROM_BYTES,
        }
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        let names = ["branch", "level", "indicator", "points", "date", "reason"];
        let c = sheet.columns(&names, &["name"], problems)?;
        let at = |k: usize| c.get(k).copied().flatten();
        Some([at(0)?, at(1)?, at(2)?, at(3)?, at(4)?, at(5)?])
    }

    fn part(&self, names: &[String], bytes: u64, _: bool) -> Option<Part> {
        let room = usize::try_from(bytes / ROW_BYTES).ok()?;
        Some(Part {
            taken: with_room(room),
            rows: if self.rows {
                with_room(room)
            } else {
                Vec::new()
            },
            text: String::new(),
            run: super::Run::default(),
            file: names.first()?.clone(),
        })
    }

    fn row(&self, p: &mut Part, c: &Cols, _: usize, row: &impl Cells, problems: &mut Problems) {
        let [bc, lc, ic, pc, dc, rc] = *c;
        let ws = self.ws;
        let branch = ws.branch_in_run(row, bc, self.year, &mut p.run, problems);
        let std = branch.and_then(|b| ws.standard_in(self.stds, b));
        let level = Level::parse(row.get(lc));
        let scored = match (level, std) {
            (Some(l), Some(std)) if std.settings.by_deduction(l) => true,
            (Some(l), Some(std)) => not_by_deduction(row, c, std, l, problems),
            (None, _) => unknown_level(row, lc, problems),
            (Some(_), None) => false,
        };
        let itext = row.get(ic);
        let indicator = std.and_then(|std| {
            let found = (ws.standards.column(itext))
                .and_then(|at| at.get(std.domain as usize).copied().flatten());
            found.or_else(|| unknown_indicator(row, c, std, problems))
        });
        let points = points(row, pc, problems);
        // The date is made only for the rows kept; else a plain one is only checked.
        let date = match (self.rows, crate::date::is_plain_date(row.get(dc))) {
            (false, Some(true)) => Some(None),
            _ => date(row, dc, problems).map(Some),
        };
        let reason = row.get(rc);
        if reason.is_empty() {
            problems.push(row.problem(
                rc,
                msg!(
                    "the reason is blank; expected it written out",
                    "扣分原因为空；应填写扣分原因"
                ),
            ));
        }
        let (Some(branch), Some(level), Some(indicator), Some(points), Some(date), true) = (
            branch,
            level,
            indicator,
            points,
            date,
            scored && !reason.is_empty(),
        ) else {
            return;
        };
        let Some(taken) = Taken::new(branch, level, indicator, points) else {
            return;
        };
        if !room_for(&mut p.taken, row, problems) {
            return;
        }
        p.taken.push(taken);
        if !self.rows {
            return;
        }
        let at = (u32::try_from(p.text.len()).ok()).zip(u32::try_from(reason.len()).ok());
        if let (Some(at), Some(date), true) = (at, date, room_for(&mut p.rows, row, problems)) {
            p.text.push_str(reason);
            p.rows.push(Deduction {
                taken,
                date,
                reason: at,
                line: u32::try_from(row.line()).unwrap_or(u32::MAX),
            });
        }
    }

    fn merge(&self, mut a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let shift = u32::try_from(lines_before_b.first().copied().unwrap_or(0)).ok()?;
        let moved = u32::try_from(a.text.len()).ok()?;
        a.text.push_str(&b.text);
        a.taken = joined(a.taken, b.taken, |_| {});
        a.rows = joined(a.rows, b.rows, |d| {
            d.line = d.line.saturating_add(shift);
            d.reason.0 = d.reason.0.saturating_add(moved);
        });
        Some(a)
    }
}

/// A row's level that its branch's standard does not score by deduction, told; `false`.
fn not_by_deduction(
    row: &impl Cells,
    [bc, lc, ..]: &Cols,
    std: &crate::standard::Standard,
    l: Level,
    problems: &mut Problems,
) -> bool {
    let (bid, domain, level, zh) = (row.get(*bc), std.domain, l.as_str(), l.zh());
    let dzh = domain.zh();
    let by: Vec<&str> = (Level::ALL.iter())
        .filter(|x| std.settings.by_deduction(**x))
        .map(|x| x.as_str())
        .collect();
    let by = if by.is_empty() {
        crate::i18n::tr("none", "无").to_string()
    } else {
        crate::i18n::list(&by.join(", "))
    };
    problems.push(row.problem(
        *lc,
        msg!(
            "level {level} of branch {bid} is not scored by deduction ([deduction] levels of the {domain} standard: {by}); expected its scores in a score sheet, or the level added to [deduction] levels",
            "支部 {bid} 的{zh}层级不实行扣分制（{dzh}评星标准的 [deduction] levels：{by}）；该层级应在评分表中打分，或将其加入 [deduction] levels"
        ),
    ));
    false
}

/// A level that is none, told; `false`.
fn unknown_level(row: &impl Cells, lc: usize, problems: &mut Problems) -> bool {
    let ltext = row.get(lc);
    problems.push(row.problem(
        lc,
        msg!(
            "unknown level `{ltext}`; expected self, mass or organization",
            "未知层级“{ltext}”；应为 self（自评）、mass（群众评议）或 organization（组织评定）"
        ),
    ));
    false
}

/// An indicator that the branch's standard does not have, told; `None`.
fn unknown_indicator(
    row: &impl Cells,
    [bc, _, ic, ..]: &Cols,
    std: &crate::standard::Standard,
    problems: &mut Problems,
) -> Option<u16> {
    let (bid, itext) = (row.get(*bc), row.get(*ic));
    let ids: Vec<&str> = std.indicators.iter().map(|i| i.id.as_str()).collect();
    let (ids, domain, zh) = (
        crate::i18n::list(&ids.join(", ")),
        std.domain,
        std.domain.zh(),
    );
    problems.push(row.problem(
        *ic,
        msg!(
            "unknown indicator `{itext}` for the {domain} standard of branch {bid}; expected one of: {ids}",
            "支部 {bid} 所属{zh}评星标准中没有指标“{itext}”；应为以下之一：{ids}"
        ),
    ));
    None
}

/// Points taken: above 0, at most 100, at most 2 decimal places; in hundredths, with the
/// places they were written with.
fn points(row: &impl Cells, c: usize, problems: &mut Problems) -> Option<(u64, u32)> {
    // A plain decimal, the common case, without the decimal parser.
    if let Some((m, s)) = row.number(c) {
        let cents = (10i64.checked_pow(PLACES.saturating_sub(s)))
            .and_then(|up| m.checked_mul(up))
            .filter(|c| *c > 0 && *c <= 100 * 100 && s <= PLACES)
            .and_then(|c| u64::try_from(c).ok());
        if let Some(cents) = cents {
            return Some((cents, s));
        }
    }
    let text = row.get(c);
    let message = match crate::decimal::parse_cell(text) {
        Ok(v) if v > Decimal::ZERO && v.normalize().scale() <= PLACES && v <= Decimal::ONE_HUNDRED => {
            let cents = (v * Decimal::ONE_HUNDRED).normalize();
            if let (0, Ok(cents)) = (cents.scale(), u64::try_from(cents.mantissa())) {
                return Some((cents, v.scale()));
            }
            msg!(
                "points `{text}` are out of range; expected a number above 0 and at most 100, with at most {PLACES} decimal places",
                "扣分“{text}”超出范围；应为大于 0、不超过 100、最多 {PLACES} 位小数的数"
            )
        }
        Ok(_) => msg!(
            "points `{text}` are out of range; expected a number above 0 and at most 100, with at most {PLACES} decimal places",
            "扣分“{text}”超出范围；应为大于 0、不超过 100、最多 {PLACES} 位小数的数"
        ),
        Err(crate::decimal::NumberError::Percent) => msg!(
            "points `{text}` are written with %: type the points alone",
            "扣分“{text}”带有百分号：只填分数"
        ),
        Err(e) => {
            let what = e.describe();
            msg!(
                "points `{text}` {what}; expected the points taken, such as 0.5",
                "扣分“{text}”{what}；应为所扣分数，如 0.5"
            )
        }
    };
    problems.push(row.problem(c, message));
    None
}

/// The deductions of a year: what [`load`] reads.
#[derive(Default)]
pub struct Loaded {
    /// Every deduction's points, sorted by (branch, level, indicator).
    pub taken: Vec<Taken>,
    /// The rows with their dates, reasons and lines, when asked for (else empty), sorted
    /// by branch, level, indicator, date and line; their reasons' text.
    pub rows: Vec<Deduction>,
    pub reasons: String,
    /// The file's name (blank when there is none).
    pub file: String,
}

/// The year's deductions; `rows`: with each row's date, reason and line; `alone`: on a
/// thread of their own beside the score sheets (see [`Deductions::alone`]).
pub fn load(ws: &Workspace, year: i32, rows: bool, alone: bool, problems: &mut Problems) -> Loaded {
    let files = ws.table_files(year, Kind::Deductions, problems);
    let table = Deductions {
        ws,
        stds: ws.standards.each(),
        year,
        rows,
        alone,
    };
    let Some(read) = super::table::read(&table, &files, ws.encoding, problems) else {
        return Loaded::default();
    };
    let Part {
        mut taken,
        rows: mut out,
        text,
        file,
        ..
    } = read.part;
    // Rows come by branch, as a sheet lists them: only each branch's few are put in order.
    in_order(&mut taken, |t| t.branch(), |t| *t);
    in_order(&mut out, Deduction::branch, |d| {
        (d.taken.key(), d.date, d.line)
    });
    Loaded {
        taken,
        rows: out,
        reasons: text,
        file,
    }
}

/// `rows` sorted by `key`: where they come by `branch` (as a sheet lists them), each
/// branch's few rows alone, not the whole list (a province's 1.4 million deductions).
fn in_order<R, K: Ord>(rows: &mut [R], branch: impl Fn(&R) -> usize, key: impl Fn(&R) -> K) {
    if rows.is_sorted_by_key(&key) {
        return;
    }
    if rows.is_sorted_by_key(&branch) {
        (rows.chunk_by_mut(|a, b| branch(a) == branch(b))).for_each(|run| run.sort_by_key(&key));
    } else {
        rows.sort_by_key(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A deduction's points and key come back as packed, the decimal as written.
    #[test]
    fn a_deduction_packs_its_points_as_written() {
        for (text, cents) in [
            ("1.5", 150),
            ("1.50", 150),
            ("0.01", 1),
            ("100", 10_000),
            ("0.500", 50),
        ] {
            let d = Decimal::from_str(text).unwrap();
            let t = Taken::new(499_999, Level::Organization, 63, (cents, d.scale())).unwrap();
            assert_eq!(t.points(), d, "{text}");
            assert_eq!(t.points().to_string(), text);
            assert_eq!(
                (t.branch(), t.level(), t.indicator(), t.cents()),
                (499_999, Level::Organization, 63, cents as i64)
            );
        }
        let a = Taken::new(7, Level::Mass, 3, (50, 1)).unwrap();
        let b = Taken::new(7, Level::Mass, 3, (200, 0)).unwrap();
        let c = Taken::new(7, Level::Organization, 0, (1, 2)).unwrap();
        assert_eq!(a.key(), b.key());
        assert!(a.key() < c.key() && b < c);
        assert_eq!(Taken::new(7, Level::Mass, 64, (1, 2)), None);
        assert_eq!(Taken::new(7, Level::Mass, 3, (16_384, 2)), None);
    }

    /// A province's rows are held whole when asked for: a field added or widened shows here.
    #[test]
    fn a_deduction_row_takes_24_bytes() {
        assert_eq!(std::mem::size_of::<Deduction>(), 24);
        assert_eq!(std::mem::size_of::<Taken>(), 8);
    }
}
