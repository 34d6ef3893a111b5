//! `YEAR/events.csv`: incentive, restraint and red-line items that happened to a branch.

use super::files::Kind;
use super::table::joined;
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::{Cells, Sheet};
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub branch: usize,
    pub item: String,
    pub date: NaiveDate,
    pub note: String,
    /// The file, shared by its rows.
    pub file: Arc<str>,
    pub line: usize,
}

/// The rows of `YEAR/events` (see [`super::table`]).
struct Events<'w> {
    ws: &'w Workspace,
    year: i32,
}

/// Events read so far, the branch of the last row, the file.
type Part = (Vec<Event>, usize, Arc<str>);

impl super::table::Table for Events<'_> {
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    /// The columns of branch, item, date and note.
    type Cols = (usize, usize, usize, Option<usize>);
    type Part = Part;

    fn knows_column(&self, h: &str) -> bool {
        matches!(h, "branch" | "item" | "date" | "note")
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Self::Cols> {
        // `name` (the branch's, for people) is passed over.
        let cols = sheet.columns(&["branch", "item", "date"], &["note", "name"], problems)?;
        let [Some(bc), Some(ic), Some(dc), nc, _] = cols[..] else {
            return None;
        };
        Some((bc, ic, dc, nc))
    }

    fn part(&self, names: &[String], _: u64, _: bool) -> Option<Part> {
        Some((Vec::new(), 0, Arc::from(names.first()?.as_str())))
    }

    fn row(
        &self,
        (out, cursor, file): &mut Part,
        &(bc, ic, dc, nc): &Self::Cols,
        _: usize,
        row: &impl Cells,
        problems: &mut Problems,
    ) {
        let (ws, year) = (self.ws, self.year);
        let branch = ws.branch_in_cell(row, bc, year, cursor, problems);
        let item = row.get(ic);
        let std = branch.and_then(|b| ws.standard_of(b));
        let unknown_item = std.filter(|std| std.item(item).is_none());
        if let Some(std) = unknown_item {
            let ids: Vec<&str> = std.items.iter().map(|i| i.id.as_str()).collect();
            let (domain, domain_zh) = (std.domain, std.domain.zh());
            let ids = crate::i18n::list(&ids.join(", "));
            problems.push(row.problem(
                ic,
                msg!(
                    "unknown item `{item}` for the {domain} standard; expected an incentive, restraint or red-line id: {ids}",
                    "未知事项“{item}”（{domain_zh}评星标准）；应为以下正向激励、反向约束或红线事项编号之一：{ids}"
                ),
            ));
        }
        let dtext = row.get(dc);
        let date = match super::parse_date(dtext).or_else(|| cell_date(dtext)) {
            Some(d) if d.year() == year => Some(d),
            Some(d) => {
                problems.push(row.problem(
                    dc,
                    msg!(
                        "date {d} is not in {year}; expected a date of the year rated",
                        "日期 {d} 不在 {year} 年内；应为评定年度内的日期"
                    ),
                ));
                None
            }
            None => {
                problems.push(row.problem(
                    dc,
                    msg!(
                        "`{dtext}` is not a date; expected YYYY-MM-DD, such as {year}-06-30",
                        "“{dtext}”不是日期；应为 YYYY-MM-DD 格式，如 {year}-06-30"
                    ),
                ));
                None
            }
        };
        if let (Some(branch), Some(date), None) = (branch, date, unknown_item) {
            if !super::table::room_for(out, row, problems) {
                return;
            }
            out.push(Event {
                branch,
                item: item.to_string(),
                date,
                note: nc.map(|c| row.get(c).to_string()).unwrap_or_default(),
                file: Arc::clone(file),
                line: row.line(),
            });
        }
    }

    fn merge(&self, a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let before = lines_before_b.first().copied().unwrap_or(0);
        Some((joined(a.0, b.0, |e| e.line += before), a.1, a.2))
    }
}

pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> Vec<Event> {
    let files = ws.table_files(year, Kind::Events, problems);
    let read = super::table::read(&Events { ws, year }, &files, ws.encoding, problems);
    let mut out = read.map_or_else(Vec::new, |r| r.part.0);
    fn key(e: &Event) -> (usize, NaiveDate, &str, &str) {
        (e.branch, e.date, e.item.as_str(), e.note.as_str())
    }
    if !out.is_sorted_by(|a, b| key(a) <= key(b)) {
        out.sort_by(|a, b| key(a).cmp(&key(b)));
    }
    out
}

/// A date as a clerk types it in a spreadsheet, year first and so with one meaning:
/// `2026/6/1`, `2026年6月1日`, `2026-6-1`, in ASCII or full-width digits. (Day-first and
/// month-first forms such as `6/1/2026` are refused: they read differently by locale.)
pub(super) fn cell_date(text: &str) -> Option<chrono::NaiveDate> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{ff10}'..='\u{ff19}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect();
    let parts: Vec<&str> = if let Some(rest) = ascii.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else {
        let sep = if ascii.contains('/') { '/' } else { '-' };
        ascii.split(sep).collect()
    };
    let [y, m, d] = parts[..] else {
        return None;
    };
    let digits = |s: &str, lo: usize, hi: usize| {
        let ok = (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| s.parse::<u32>().ok()).flatten()
    };
    let year = i32::try_from(digits(y, 4, 4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, digits(m, 1, 2)?, digits(d, 1, 2)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_typed_year_first_in_a_spreadsheet_are_read() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
        for text in [
            "2026/6/1",
            "2026/06/01",
            "2026年6月1日",
            "２０２６年６月１日",
            "2026-6-1",
        ] {
            assert_eq!(super::cell_date(text), d, "{text}");
        }
        for text in [
            "6/1/2026",
            "1/6/2026",
            "2026/13/1",
            "2026/2/30",
            "26/6/1",
            "2026.6.1",
            "",
        ] {
            assert_eq!(super::cell_date(text), None, "{text}");
        }
    }
}
