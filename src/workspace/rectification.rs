//! `YEAR/rectification.csv`: whether last year's rectification items were done.
//!
//! Item ids are checked against the previous year's items by `stars check`, which rates
//! that year first; here only the form of each row is checked.

use super::sheet::Sheet;
use super::Workspace;
use crate::i18n::{msg, tr};
use crate::problem::Problems;
use rustc_hash::FxHashMap;

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
    pub line: usize,
}

/// What is known of the previous year's items, to check the ids against.
pub enum Previous<'a> {
    /// Year − 1 is not a year of the workspace: there can be no rows.
    NotAYear,
    /// Year − 1 could not be rated (its own problems are reported): ids are not checked.
    Unknown,
    /// The ids of year − 1's items.
    Ids(&'a FxHashMap<String, usize>),
}

pub fn load(
    ws: &Workspace,
    year: i32,
    previous: Previous,
    problems: &mut Problems,
) -> Vec<RectStatus> {
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
    // Every item listed, with its line and (when valid) its status and note: one string per
    // item, which also finds the items listed twice.
    let mut seen: FxHashMap<String, (usize, Option<(Status, String)>)> = FxHashMap::default();
    let py = year - 1;
    let mut reported_not_a_year = false;
    rows.each(&sheet, problems, |row, problems| {
        let item = row.get(ic);
        if let Previous::NotAYear = previous {
            if !reported_not_a_year {
                reported_not_a_year = true;
                problems.push(sheet.row(
                    row,
                    msg!(
                        "{py} is not a year of this workspace, so it has no rectification items; expected no rectification.csv in {year}/",
                        "{py} 年不是本工作区的年度，没有整改事项；{year}/ 中不应有 rectification.csv"
                    ),
                ));
            }
            return;
        }
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
        if let Some((first, _)) = seen.get(item) {
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
        let entry = seen.entry(item.to_string()).or_insert((row.line, None));
        if let Previous::Ids(ids) = previous {
            if !ids.contains_key(item) {
                problems.push(sheet.cell(
                    row,
                    ic,
                    msg!(
                        "unknown item `{item}`; expected an id of {py}'s rectification items (see `stars rectify --year {py}`)",
                        "未知事项“{item}”；应为 {py} 年度整改事项的编号（见 `stars rectify --year {py}`）"
                    ),
                ));
                return;
            }
        }
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
        entry.1 = Some((status, nc.map(|c| row.get(c).to_string()).unwrap_or_default()));
    });
    let mut out: Vec<RectStatus> = seen
        .into_iter()
        .filter_map(|(item, (line, valid))| {
            valid.map(|(status, note)| RectStatus {
                item,
                status,
                note,
                line,
            })
        })
        .collect();
    out.sort_unstable_by(|a, b| a.item.cmp(&b.item));
    out
}
