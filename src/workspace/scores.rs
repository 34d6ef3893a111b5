//! `YEAR/scores*.csv`: wide score sheets, one row per branch and level.
//!
//! A row fills every indicator of the branch's domain that the sheet has a column for, or
//! leaves them all blank and gives `overall`, which stands for every indicator of the domain
//! at that level. Across all sheets each (branch, level, indicator) is given exactly once.

use super::sheet::Sheet;
use super::Workspace;
use crate::decimal;
use crate::problem::{Problem, Problems};
use crate::standard::{Level, Standard};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// One score of one indicator at one level, with where it came from.
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

/// A branch's scores: for each indicator of its standard (in the standard's order), the
/// cell of each level (in [`Level::ALL`] order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BranchScores {
    pub cells: Vec<[Option<Cell>; 3]>,
}

enum Col {
    Branch,
    Level,
    Name,
    Overall,
    Indicator(String),
}

/// The score sheets of a year folder: `scores*.csv`, in name order.
fn sheet_files(ws: &Workspace, year: i32) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.dir.join(year.to_string()))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("scores") && n.to_ascii_lowercase().ends_with(".csv"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

pub fn load(
    ws: &Workspace,
    year: i32,
    problems: &mut Problems,
) -> (Vec<String>, BTreeMap<usize, BranchScores>) {
    let files = sheet_files(ws, year);
    let mut shown_names = Vec::new();
    let mut scores: BTreeMap<usize, BranchScores> = BTreeMap::new();
    // (branch, level) pairs with a bad row: their missing scores are not reported again.
    let mut bad_rows = BTreeSet::new();
    let known: BTreeSet<&str> = ws
        .standards
        .by_domain
        .values()
        .flat_map(|s| s.indicators.iter().map(|i| i.id.as_str()))
        .collect();
    if files.is_empty() {
        problems.push(Problem::file(
            super::join_shown(&ws.shown, &format!("{year}/")),
            "no score sheets; expected one or more files named scores*.csv",
        ));
    }
    for f in &files {
        let rel = format!("{year}/{f}");
        let Some(text) = ws.read_optional(&rel, problems) else {
            continue;
        };
        let file_idx = shown_names.len();
        shown_names.push(text.name.clone());
        let Some(sheet) = Sheet::parse(&text.name, &text.text, problems) else {
            continue;
        };
        load_sheet(
            ws,
            year,
            &sheet,
            file_idx,
            &known,
            &mut scores,
            &mut bad_rows,
            problems,
        );
    }
    check_complete(ws, year, &scores, &bad_rows, problems);
    (shown_names, scores)
}

#[allow(clippy::too_many_arguments)]
fn load_sheet(
    ws: &Workspace,
    year: i32,
    sheet: &Sheet,
    file_idx: usize,
    known: &BTreeSet<&str>,
    scores: &mut BTreeMap<usize, BranchScores>,
    bad_rows: &mut BTreeSet<(usize, Level)>,
    problems: &mut Problems,
) {
    let mut cols = Vec::new();
    let mut seen = BTreeSet::new();
    let mut header_ok = true;
    for (c, h) in sheet.header.iter().enumerate() {
        let col = match h.as_str() {
            "branch" => Col::Branch,
            "level" => Col::Level,
            "name" => Col::Name,
            "overall" => Col::Overall,
            id if known.contains(id) => Col::Indicator(id.to_string()),
            other => {
                header_ok = false;
                problems.push(sheet.header_cell(
                    c,
                    format!("unknown column `{other}`; expected branch, level, name, overall or an indicator id of the standards"),
                ));
                continue;
            }
        };
        if !seen.insert(h.clone()) {
            header_ok = false;
            problems.push(sheet.header_cell(c, format!("column `{h}` appears twice")));
        }
        cols.push((c, col));
    }
    let find = |want: fn(&Col) -> bool| cols.iter().find(|(_, k)| want(k)).map(|(c, _)| *c);
    let branch_col = find(|k| matches!(k, Col::Branch));
    let level_col = find(|k| matches!(k, Col::Level));
    let overall_col = find(|k| matches!(k, Col::Overall));
    for (col, what) in [(branch_col, "branch"), (level_col, "level")] {
        if col.is_none() {
            header_ok = false;
            problems.push(Problem::line(
                &sheet.name,
                sheet.header_line,
                format!("missing column `{what}`; a score sheet has columns branch, level, then indicator ids and an optional overall"),
            ));
        }
    }
    let (Some(branch_col), Some(level_col), true) = (branch_col, level_col, header_ok) else {
        return;
    };
    let indicator_cols: Vec<(usize, &str)> = cols
        .iter()
        .filter_map(|(c, k)| match k {
            Col::Indicator(id) => Some((*c, id.as_str())),
            _ => None,
        })
        .collect();

    for row in &sheet.rows {
        let bid = row.get(branch_col);
        let branch = match ws.rated_branch(bid, year) {
            Ok(b) => Some(b),
            Err(msg) => {
                problems.push(sheet.cell(row, branch_col, msg));
                None
            }
        };
        let ltext = row.get(level_col);
        let level = Level::parse(ltext);
        if level.is_none() {
            problems.push(sheet.cell(
                row,
                level_col,
                format!("unknown level `{ltext}`; expected self, mass or organization"),
            ));
        }
        let (Some(b), Some(level)) = (branch, level) else {
            continue;
        };
        let row_start = problems.len();
        load_row(
            ws,
            sheet,
            row,
            b,
            level,
            bid,
            &indicator_cols,
            overall_col,
            file_idx,
            scores,
            problems,
        );
        if problems.len() != row_start {
            bad_rows.insert((b, level));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn load_row(
    ws: &Workspace,
    sheet: &Sheet,
    row: &super::sheet::Row,
    b: usize,
    level: Level,
    bid: &str,
    indicator_cols: &[(usize, &str)],
    overall_col: Option<usize>,
    file_idx: usize,
    scores: &mut BTreeMap<usize, BranchScores>,
    problems: &mut Problems,
) {
    let Some(std) = ws
        .branches
        .get(b)
        .and_then(|br| ws.standards.get(br.domain))
    else {
        return;
    };
    let domain = std.domain;
    // The sheet's columns that belong to this branch's domain, and the others.
    let mut mine = Vec::new();
    for &(c, id) in indicator_cols {
        match std.indicator(id) {
            Some((idx, ind)) => mine.push((c, idx, ind.points)),
            None => {
                if !row.get(c).is_empty() {
                    problems.push(sheet.cell(
                            row,
                            c,
                            format!("`{id}` is not an indicator of the {domain} standard of branch {bid}; expected this cell blank"),
                        ));
                }
            }
        }
    }
    let filled = mine
        .iter()
        .filter(|(c, _, _)| !row.get(*c).is_empty())
        .count();
    let overall_text = overall_col.map(|c| row.get(c)).unwrap_or("");
    let entry = scores.entry(b).or_insert_with(|| BranchScores {
        cells: vec![[None, None, None]; std.indicators.len()],
    });
    if filled > 0 {
        if let (Some(oc), false) = (overall_col, overall_text.is_empty()) {
            problems.push(sheet.cell(
                    row,
                    oc,
                    "row mixes indicator scores and `overall`; expected either every indicator score or only overall".into(),
                ));
            return;
        }
        if filled < mine.len() {
            for &(c, _, _) in &mine {
                if row.get(c).is_empty() {
                    problems.push(sheet.cell(
                            row,
                            c,
                            "score is blank while others in the row are filled; expected every indicator of the row's domain, or all blank and overall".into(),
                        ));
                }
            }
            return;
        }
        for &(c, idx, points) in &mine {
            let text = row.get(c);
            let Some(value) = score(text, points, sheet, row, c, problems) else {
                continue;
            };
            let cell = Cell {
                value,
                overall: None,
                file: file_idx,
                line: row.line,
                column: c + 1,
            };
            record(entry, idx, level, cell, std, bid, sheet, row, c, problems);
        }
    } else {
        let Some(oc) = overall_col.filter(|_| !overall_text.is_empty()) else {
            problems.push(sheet.row(
                    row,
                    format!("row gives no score for branch {bid} ({domain}); expected its indicator scores or an overall"),
                ));
            return;
        };
        let Some(overall) = score(overall_text, Decimal::ONE_HUNDRED, sheet, row, oc, problems)
        else {
            return;
        };
        for (idx, ind) in std.indicators.iter().enumerate() {
            let cell = Cell {
                value: ind.points * overall / Decimal::ONE_HUNDRED,
                overall: Some(overall),
                file: file_idx,
                line: row.line,
                column: oc + 1,
            };
            record(entry, idx, level, cell, std, bid, sheet, row, oc, problems);
        }
    }
}

/// Parse one score, 0 to `max`.
fn score(
    text: &str,
    max: Decimal,
    sheet: &Sheet,
    row: &super::sheet::Row,
    c: usize,
    problems: &mut Problems,
) -> Option<Decimal> {
    match decimal::parse(text) {
        Ok(v) if v < Decimal::ZERO => {
            problems.push(sheet.cell(
                row,
                c,
                format!(
                    "score `{text}` is negative; expected a number from 0 to {}",
                    max.normalize()
                ),
            ));
            None
        }
        Ok(v) if v > max => {
            problems.push(sheet.cell(
                row,
                c,
                format!(
                    "score `{text}` is above the maximum; expected a number from 0 to {}",
                    max.normalize()
                ),
            ));
            None
        }
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(sheet.cell(
                row,
                c,
                format!(
                    "score `{text}` {}; expected a number from 0 to {}",
                    e.describe(),
                    max.normalize()
                ),
            ));
            None
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    entry: &mut BranchScores,
    idx: usize,
    level: Level,
    cell: Cell,
    std: &Standard,
    bid: &str,
    sheet: &Sheet,
    row: &super::sheet::Row,
    c: usize,
    problems: &mut Problems,
) {
    let Some(slot) = entry
        .cells
        .get_mut(idx)
        .and_then(|l| l.get_mut(level.index()))
    else {
        return;
    };
    match slot {
        Some(first) => {
            let id = std.indicators.get(idx).map(|i| i.id.as_str()).unwrap_or("");
            let here = if first.file == cell.file {
                String::new()
            } else {
                "another sheet, ".into()
            };
            problems.push(sheet.cell(
                row,
                c,
                format!(
                    "score of {bid} for {id} at level {} is given twice (first on {here}line {}, column {}); expected exactly once",
                    level.as_str(),
                    first.line,
                    first.column
                ),
            ));
        }
        None => *slot = Some(cell),
    }
}

/// Every rated branch has every level of every indicator.
fn check_complete(
    ws: &Workspace,
    year: i32,
    scores: &BTreeMap<usize, BranchScores>,
    bad_rows: &BTreeSet<(usize, Level)>,
    problems: &mut Problems,
) {
    let folder = super::join_shown(&ws.shown, &format!("{year}/"));
    for (b, branch) in ws.branches.iter().enumerate() {
        if !branch.rated_in(year) {
            continue;
        }
        let Some(std) = ws.standards.get(branch.domain) else {
            continue;
        };
        for level in Level::ALL {
            if bad_rows.contains(&(b, level)) {
                continue;
            }
            let missing: Vec<&str> = std
                .indicators
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    scores
                        .get(&b)
                        .and_then(|s| s.cells.get(*i))
                        .and_then(|l| l.get(level.index()))
                        .is_none_or(Option::is_none)
                })
                .map(|(_, ind)| ind.id.as_str())
                .collect();
            if !missing.is_empty() {
                let which = if missing.len() == std.indicators.len() {
                    "every indicator".to_string()
                } else {
                    missing.join(", ")
                };
                problems.push(Problem::file(
                    &folder,
                    format!(
                        "branch {} has no {} score for {which}; expected a row for it in a scores*.csv sheet",
                        branch.id,
                        level.as_str()
                    ),
                ));
            }
        }
    }
}
