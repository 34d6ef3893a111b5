//! `YEAR/deductions.csv`: an assessment group's deductions (扣分制, 逐项扣分，扣完为止),
//! `branch,level,indicator,points,date,reason`, for the levels a standard scores by
//! deduction (`[deduction] levels`). What they do to the scores is in
//! [`super::records::apply`].

use super::files::Kind;
use super::records::date;
use super::table::joined;
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::{Cells, Sheet};
use crate::standard::Level;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One deduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub branch: usize,
    pub level: Level,
    /// The indicator's place in its branch's standard.
    pub indicator: u16,
    /// Points taken, above 0 with at most 2 decimal places.
    pub points: Decimal,
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

    /// Its reason, in `text` (the reasons of its file).
    pub fn reason_in<'t>(&self, text: &'t str) -> &'t str {
        let (start, len) = (self.reason.0 as usize, self.reason.1 as usize);
        text.get(start..start.saturating_add(len))
            .unwrap_or_default()
    }
}

struct Deductions<'w> {
    ws: &'w Workspace,
    year: i32,
}

/// The columns of branch, level, indicator, points, date and reason.
type Cols = [usize; 6];

struct Part {
    out: Vec<Deduction>,
    /// The reasons, one after the other.
    text: String,
    cursor: usize,
    file: String,
}

/// The most decimal places of a deduction's points.
const PLACES: u32 = 2;

impl super::table::Table for Deductions<'_> {
    type Cols = Cols;
    /// A side file: its limit grows with the workspace's branches.
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    type Part = Part;

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        let names = ["branch", "level", "indicator", "points", "date", "reason"];
        let c = sheet.columns(&names, &["name"], problems)?;
        let at = |k: usize| c.get(k).copied().flatten();
        Some([at(0)?, at(1)?, at(2)?, at(3)?, at(4)?, at(5)?])
    }

    fn part(&self, names: &[String], _: u64, _: bool) -> Option<Part> {
        Some(Part {
            out: Vec::new(),
            text: String::new(),
            cursor: 0,
            file: names.first()?.clone(),
        })
    }

    fn row(&self, p: &mut Part, c: &Cols, _: usize, row: &impl Cells, problems: &mut Problems) {
        let [bc, lc, ic, pc, dc, rc] = *c;
        let ws = self.ws;
        let bid = row.get(bc);
        let branch = ws.branch_in_cell(row, bc, self.year, &mut p.cursor, problems);
        let std = branch.and_then(|b| ws.standard_of(b));
        let ltext = row.get(lc);
        let level = Level::parse(ltext);
        match (level, std) {
            (None, _) => problems.push(row.problem(
                lc,
                msg!(
                    "unknown level `{ltext}`; expected self, mass or organization",
                    "未知层级“{ltext}”；应为 self（自评）、mass（群众评议）或 organization（组织评定）"
                ),
            )),
            (Some(l), Some(std)) if !std.settings.by_deduction(l) => {
                let (domain, level, zh) = (std.domain, l.as_str(), l.zh());
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
                    lc,
                    msg!(
                        "level {level} of branch {bid} is not scored by deduction ([deduction] levels of the {domain} standard: {by}); expected its scores in a score sheet, or the level added to [deduction] levels",
                        "支部 {bid} 的{zh}层级不实行扣分制（{dzh}评星标准的 [deduction] levels：{by}）；该层级应在评分表中打分，或将其加入 [deduction] levels"
                    ),
                ));
            }
            _ => {}
        }
        let itext = row.get(ic);
        let indicator = std.and_then(|std| {
            let found = (ws.standards.column(itext))
                .and_then(|at| at.get(std.domain as usize).copied().flatten());
            if found.is_none() {
                let ids: Vec<&str> = std.indicators.iter().map(|i| i.id.as_str()).collect();
                let (ids, domain, zh) = (crate::i18n::list(&ids.join(", ")), std.domain, std.domain.zh());
                problems.push(row.problem(
                    ic,
                    msg!(
                        "unknown indicator `{itext}` for the {domain} standard of branch {bid}; expected one of: {ids}",
                        "支部 {bid} 所属{zh}评星标准中没有指标“{itext}”；应为以下之一：{ids}"
                    ),
                ));
            }
            found
        });
        let points = points(row, pc, problems);
        let date = date(row, dc, problems);
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
        let ok = level
            .zip(std)
            .is_some_and(|(l, s)| s.settings.by_deduction(l) && !reason.is_empty());
        let at = (u32::try_from(p.text.len()).ok()).zip(u32::try_from(reason.len()).ok());
        if let (
            Some(branch),
            Some(level),
            Some(indicator),
            Some(points),
            Some(date),
            Some(at),
            true,
        ) = (branch, level, indicator, points, date, at, ok)
        {
            p.text.push_str(reason);
            p.out.push(Deduction {
                branch,
                level,
                indicator,
                points,
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
        a.out = joined(a.out, b.out, |d| {
            d.line = d.line.saturating_add(shift);
            d.reason.0 = d.reason.0.saturating_add(moved);
        });
        Some(a)
    }
}

/// Points taken: above 0, at most 2 decimal places.
fn points(row: &impl Cells, c: usize, problems: &mut Problems) -> Option<Decimal> {
    // A plain decimal, the common case, without the decimal parser.
    if let Some((m, s)) = row.number(c) {
        if m > 0 && s <= PLACES && m <= 100 * 10i64.pow(s) {
            return Decimal::try_new(m, s).ok();
        }
    }
    let text = row.get(c);
    let message = match crate::decimal::parse_cell(text) {
        Ok(v) if v > Decimal::ZERO && v.normalize().scale() <= PLACES && v <= Decimal::ONE_HUNDRED => {
            return Some(v)
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

/// The year's deductions, sorted by branch, level, indicator, date and line; their
/// reasons' text; and the file's name (blank when there is none).
pub fn load(
    ws: &Workspace,
    year: i32,
    problems: &mut Problems,
) -> (Vec<Deduction>, String, String) {
    let files = ws.table_files(year, Kind::Deductions, problems);
    let read = super::table::read(&Deductions { ws, year }, &files, ws.encoding, problems);
    let Some(read) = read else {
        return Default::default();
    };
    let (mut out, text, file) = (read.part.out, read.part.text, read.part.file);
    let key = |d: &Deduction| (d.branch, d.level, d.indicator, d.date, d.line);
    if !out.is_sorted_by_key(key) {
        out.sort_by_key(key);
    }
    (out, text, file)
}
