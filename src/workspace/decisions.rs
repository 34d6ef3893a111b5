//! `YEAR/decisions.csv`: the county committee's decisions on a recheck or an appeal (复核、
//! 申诉), `branch,star,reason,document`, at most one a branch. Applied last, after the
//! quota (in [`crate::rate`]).

use super::files::Kind;
use super::record_cells::text;
use super::table::{joined, Repeats};
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::{Cells, Sheet};

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub branch: usize,
    /// The star decided, 0 to 5.
    pub star: u8,
    pub reason: Box<str>,
    /// The document it was made by (may be blank).
    pub document: Box<str>,
    line: u32,
}

impl Decision {
    /// Its line in the decisions file.
    pub fn line(&self) -> usize {
        self.line as usize
    }
}

struct Decisions<'w> {
    ws: &'w Workspace,
    year: i32,
}

/// The columns of branch, star, reason and document (optional).
type Cols = (usize, usize, usize, Option<usize>);

struct Part {
    out: Vec<Decision>,
    cursor: usize,
    repeats: Repeats,
    file: String,
}

impl super::table::Table for Decisions<'_> {
    type Cols = Cols;
    /// A side file: its limit grows with the workspace's branches.
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    type Part = Part;

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        let c = sheet.columns(
            &["branch", "star", "reason"],
            &["document", "name"],
            problems,
        )?;
        let at = |k: usize| c.get(k).copied().flatten();
        Some((at(0)?, at(1)?, at(2)?, at(3)))
    }

    fn part(&self, names: &[String], _: u64, _: bool) -> Option<Part> {
        Some(Part {
            out: Vec::new(),
            cursor: 0,
            repeats: Repeats::default(),
            file: names.first()?.clone(),
        })
    }

    fn row(&self, p: &mut Part, c: &Cols, _: usize, row: &impl Cells, problems: &mut Problems) {
        let &(bc, sc, rc, dc) = c;
        let bid = row.get(bc);
        let branch = (self.ws).branch_in_cell(row, bc, self.year, &mut p.cursor, problems);
        let stext = row.get(sc);
        let star = star(stext);
        if star.is_none() {
            problems.push(row.problem(
                sc,
                msg!(
                    "star `{stext}` is not a star; expected a whole number from 0 to 5 (0: not rated)",
                    "星级“{stext}”无效；应为 0 到 5 的整数（0 为不评星）"
                ),
            ));
        }
        let reason = text(row, rc, ("reason", "决定理由"), problems);
        if branch.is_some() {
            if let Some(first) = p.repeats.first(bid, row.line()) {
                problems.push(row.problem(
                    bc,
                    msg!(
                        "{bid} has a second decision (first on line {first}); expected at most one decision a branch",
                        "支部 {bid} 有第二条决定（首次出现在第 {first} 行）；每个支部最多一条决定"
                    ),
                ));
                return;
            }
        }
        if let (Some(branch), Some(star), Some(reason)) = (branch, star, reason) {
            p.out.push(Decision {
                branch,
                star,
                reason,
                document: dc.map(|c| row.get(c)).unwrap_or_default().into(),
                line: u32::try_from(row.line()).unwrap_or(u32::MAX),
            });
        }
    }

    fn merge(&self, mut a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let shift = u32::try_from(lines_before_b.first().copied().unwrap_or(0)).ok()?;
        a.out = joined(a.out, b.out, |d| d.line = d.line.saturating_add(shift));
        a.out.sort_by_key(|d| d.branch);
        // A branch decided twice is for the careful read to tell.
        let once = a
            .out
            .windows(2)
            .all(|w| matches!(w, [x, y] if x.branch != y.branch));
        once.then_some(a)
    }
}

/// A star as a clerk types it: `0`–`5`, `3星`, `三星`, `不评星`.
fn star(text: &str) -> Option<u8> {
    const ZH: [&str; 6] = ["零", "一", "二", "三", "四", "五"];
    if text == "不评星" {
        return Some(0);
    }
    let t = text.strip_suffix('星').unwrap_or(text).trim();
    let digit = match t.as_bytes() {
        [d @ b'0'..=b'5'] => Some(d - b'0'),
        _ => None,
    };
    digit.or_else(|| (0u8..).zip(ZH).find(|(_, z)| *z == t).map(|(n, _)| n))
}

/// The year's decisions, sorted by branch; and the file's name (blank when there is none).
pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> (Vec<Decision>, String) {
    let files = ws.table_files(year, Kind::Decisions, problems);
    let read = super::table::read(&Decisions { ws, year }, &files, ws.encoding, problems);
    let Some(read) = read else {
        return Default::default();
    };
    let (mut out, file) = (read.part.out, read.part.file);
    out.sort_by_key(|d| d.branch);
    (out, file)
}

#[cfg(test)]
mod tests {
    #[test]
    fn stars_are_read_as_a_clerk_types_them() {
        for (t, s) in [
            ("0", Some(0)),
            ("5", Some(5)),
            ("3星", Some(3)),
            ("三星", Some(3)),
            ("五星", Some(5)),
            ("不评星", Some(0)),
            ("6", None),
            ("3.0", None),
            ("", None),
            ("四星级", None),
        ] {
            assert_eq!(super::star(t), s, "{t}");
        }
    }
}
