//! `YEAR/rectification.csv`: whether last year's rectification items were done.
//!
//! Item ids are checked against the previous year's items by `stars check`, which rates
//! that year first; here only the form of each row is checked.

use super::sheet::Sheet;
use super::Workspace;
use crate::i18n::{msg, tr};
use crate::problem::Problems;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    Open,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Open => "open",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectStatus {
    pub item: String,
    pub status: Status,
    pub note: String,
    pub file: String,
    pub line: usize,
    /// 1-based column of `item`, for messages about an unknown item.
    pub item_column: usize,
    pub excerpt: Option<String>,
}

pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> Vec<RectStatus> {
    let Some(text) = ws.read_table(&format!("{year}/rectification"), problems) else {
        return Vec::new();
    };
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
        return Vec::new();
    };
    let Some(cols) = sheet.columns(&["item", "status"], &["note"], problems) else {
        return Vec::new();
    };
    let [Some(ic), Some(sc), nc] = cols[..] else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    rows.each(&sheet, problems, |row, problems| {
        let item = row.get(ic);
        if item.is_empty() {
            problems.push(
                sheet.cell(
                    row,
                    ic,
                    tr(
                        "item id is blank; expected an item id such as 2024-B01-C01",
                        "事项编号为空；应为 2024-B01-C01 这样的编号",
                    )
                    .into(),
                ),
            );
            return;
        }
        if let Some(first) = seen.get(item) {
            problems.push(sheet.cell(
                row,
                ic,
                msg!(
                    "item `{item}` is listed twice (first on line {first}); expected once",
                    "事项“{item}”重复列出（首次出现在第 {first} 行）；应只列一次"
                ),
            ));
            return;
        }
        seen.insert(item.to_string(), row.line);
        let stext = row.get(sc);
        let status = match stext {
            "done" => Status::Done,
            "open" => Status::Open,
            _ => {
                problems.push(sheet.cell(
                    row,
                    sc,
                    msg!(
                        "unknown status `{stext}`; expected done or open",
                        "未知状态“{stext}”；应为 done（已完成）或 open（未完成）"
                    ),
                ));
                return;
            }
        };
        out.push(RectStatus {
            item: item.to_string(),
            status,
            note: nc.map(|c| row.get(c).to_string()).unwrap_or_default(),
            file: sheet.name.clone(),
            line: row.line,
            item_column: ic + 1,
            excerpt: sheet.row_excerpt(row),
        });
    });
    out.sort_by(|a, b| a.item.cmp(&b.item));
    out
}
