//! `YEAR/events.csv`: incentive, restraint and red-line items that happened to a branch.

use super::sheet::{CsvCells, Sheet};
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
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

pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> Vec<Event> {
    let Some(text) = ws.read_table(&format!("{year}/events"), problems) else {
        return Vec::new();
    };
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
        return Vec::new();
    };
    let Some(cols) = sheet.columns(&["branch", "item", "date"], &["note"], problems) else {
        return Vec::new();
    };
    let [Some(bc), Some(ic), Some(dc), nc] = cols[..] else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut cursor, file): (usize, Arc<str>) = (0, Arc::from(sheet.name.as_str()));
    rows.each(&sheet, problems, |row, problems| {
        let cells = CsvCells { sheet: &sheet, row };
        let branch = ws.branch_in_cell(&cells, bc, year, &mut cursor, problems);
        let item = row.get(ic);
        let mut item_ok = true;
        if let Some(std) = branch
            .and_then(|b| ws.branches.get(b))
            .and_then(|b| ws.standards.get(b.domain))
        {
            if std.item(item).is_none() {
                item_ok = false;
                let ids: Vec<&str> = std.items.iter().map(|i| i.id.as_str()).collect();
                let (domain, ids) = (std.domain, crate::i18n::list(&ids.join(", ")));
                problems.push(sheet.cell(
                    row,
                    ic,
                    msg!(
                        "unknown item `{item}` for the {domain} standard; expected an incentive, restraint or red-line id: {ids}",
                        "未知事项“{item}”（{domain} 评星标准）；应为以下正向激励、反向约束或红线事项编号之一：{ids}"
                    ),
                ));
            }
        }
        let dtext = row.get(dc);
        let date = match super::parse_date(dtext) {
            Some(d) if d.year() == year => Some(d),
            Some(d) => {
                problems.push(sheet.cell(
                    row,
                    dc,
                    msg!(
                        "date {d} is not in {year}; expected a date of the year rated",
                        "日期 {d} 不在 {year} 年内；应为评定年度内的日期"
                    ),
                ));
                None
            }
            None => {
                problems.push(sheet.cell(
                    row,
                    dc,
                    msg!(
                        "`{dtext}` is not a date; expected YYYY-MM-DD, such as {year}-06-30",
                        "“{dtext}”不是日期；应为 YYYY-MM-DD 格式，如 {year}-06-30"
                    ),
                ));
                None
            }
        };
        if let (Some(branch), Some(date), true) = (branch, date, item_ok) {
            out.push(Event {
                branch,
                item: item.to_string(),
                date,
                note: nc.map(|c| row.get(c).to_string()).unwrap_or_default(),
                file: Arc::clone(&file),
                line: row.line,
            });
        }
    });
    fn key(e: &Event) -> (usize, NaiveDate, &str, &str) {
        (e.branch, e.date, e.item.as_str(), e.note.as_str())
    }
    if !out.is_sorted_by(|a, b| key(a) <= key(b)) {
        out.sort_by(|a, b| {
            (a.branch, a.date, &a.item, &a.note).cmp(&(b.branch, b.date, &b.item, &b.note))
        });
    }
    out
}
