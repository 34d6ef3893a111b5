//! The cells the records of the year share (surveys, deductions, objections, decisions): a
//! count of ballots, a date, a text that must not be blank. Each read once here, below the
//! files that use them and [`super::records`], which puts them together.

use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::Cells;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A whole number of ballots in a cell: 0 to [`crate::ballots::MAX_BALLOTS`].
pub(super) fn count(row: &impl Cells, c: usize, problems: &mut Problems) -> Option<u32> {
    let max = crate::ballots::MAX_BALLOTS;
    // Digits alone, the common case, without the decimal parser.
    if let Some((m, 0)) = row.number(c) {
        if let Some(n) = u32::try_from(m).ok().filter(|n| *n <= max) {
            return Some(n);
        }
    }
    let text = row.get(c);
    let message = match crate::decimal::parse_cell(text) {
        _ if text.is_empty() => msg!(
            "the count is blank; expected a whole number of ballots (0 if none)",
            "票数为空；应填写整数票数（没有则填 0）"
        ),
        Ok(v) if v < Decimal::ZERO => msg!(
            "count `{text}` is negative; expected a whole number of ballots from 0 to {max}",
            "票数“{text}”为负数；应为 0 到 {max} 之间的整数"
        ),
        Ok(v) if !v.fract().is_zero() => msg!(
            "count `{text}` is not a whole number; expected a whole number of ballots",
            "票数“{text}”不是整数；应为整数票数"
        ),
        Ok(v) => match rust_decimal::prelude::ToPrimitive::to_u32(&v) {
            Some(n) if n <= max => return Some(n),
            _ => msg!(
                "count `{text}` is too large; expected a whole number of ballots from 0 to {max}",
                "票数“{text}”过大；应为 0 到 {max} 之间的整数"
            ),
        },
        Err(e) => {
            let what = e.describe();
            msg!(
                "count `{text}` {what}; expected a whole number of ballots from 0 to {max}",
                "票数“{text}”{what}；应为 0 到 {max} 之间的整数"
            )
        }
    };
    problems.push(row.problem(c, message));
    None
}

/// A date in a cell, `YYYY-MM-DD` (or as a clerk types one year first, `2026/6/1`,
/// `2026年6月1日`, as the events are read).
pub(super) fn date(row: &impl Cells, c: usize, problems: &mut Problems) -> Option<NaiveDate> {
    let text = row.get(c);
    let found = super::parse_date(text).or_else(|| super::events::cell_date(text));
    if found.is_none() {
        problems.push(row.problem(
            c,
            msg!(
                "`{text}` is not a date; expected YYYY-MM-DD, such as 2025-12-20",
                "“{text}”不是日期；应为 YYYY-MM-DD 格式，如 2025-12-20"
            ),
        ));
    }
    found
}

/// A cell that must not be blank (a reason), with what it is for in the message.
pub(super) fn text(
    row: &impl Cells,
    c: usize,
    what: (&str, &str),
    problems: &mut Problems,
) -> Option<Box<str>> {
    let t = row.get(c);
    if t.is_empty() {
        let (en, zh) = what;
        problems.push(row.problem(
            c,
            msg!(
                "the {en} is blank; expected it written out",
                "{zh}为空；应填写{zh}"
            ),
        ));
        return None;
    }
    Some(t.into())
}
