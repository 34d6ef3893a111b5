//! `YEAR/reviews.csv`: the town review's opinions on five-star candidates (镇级审核).

use super::sheet::{Rows, Sheet, Split};
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use rustc_hash::FxHashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opinion {
    Approve,
    Object,
}

impl Opinion {
    pub fn as_str(self) -> &'static str {
        match self {
            Opinion::Approve => "approve",
            Opinion::Object => "object",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub branch: usize,
    /// Shared by the rows of the same department.
    pub department: Arc<str>,
    pub opinion: Opinion,
    pub note: String,
    /// The file, shared by its rows.
    pub file: Arc<str>,
    pub line: usize,
}

pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> Vec<Review> {
    let Some(text) = ws.read_table(&format!("{year}/reviews"), problems) else {
        return Vec::new();
    };
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
        return Vec::new();
    };
    let Some(cols) = sheet.columns(&["branch", "department", "opinion"], &["note"], problems)
    else {
        return Vec::new();
    };
    let [Some(bc), Some(dc), Some(oc), nc] = cols[..] else {
        return Vec::new();
    };
    let cols = (bc, dc, oc, nc);
    let mut out = match rows.split(&sheet) {
        // On both cores, when clean and no department of a branch is given in both parts.
        Split::Two(first, second) => {
            // Each part read without looking for a department's second opinion: that is
            // looked for once, in the sorted opinions of both.
            let room = first.lines_left() + second.lines_left();
            let half = |rows: Rows, room: usize| {
                let mut problems = Problems::new();
                let got = read(ws, &sheet, rows, cols, year, room, false, &mut problems);
                problems.is_empty().then_some(got)
            };
            let (a, b) = std::thread::scope(|s| {
                let other = s.spawn(|| {
                    let room = second.lines_left();
                    half(second, room)
                });
                (half(first, room), other.join().ok().flatten())
            });
            let clean = a.zip(b).map(|(mut a, b)| {
                a.extend(b);
                sort(&mut a);
                a
            });
            match clean.filter(|all| {
                all.windows(2).all(|w| match w {
                    [x, y] => (x.branch, &x.department) != (y.branch, &y.department),
                    _ => true,
                })
            }) {
                Some(all) => all,
                None => {
                    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
                        return Vec::new();
                    };
                    read(ws, &sheet, rows, cols, year, 0, true, problems)
                }
            }
        }
        Split::Whole(rows) => read(ws, &sheet, rows, cols, year, 0, true, problems),
    };
    sort(&mut out);
    out
}

/// By branch, then department (usually so already, and then not moved).
fn sort(reviews: &mut [Review]) {
    if !reviews.is_sorted_by(|a, b| (a.branch, &a.department) <= (b.branch, &b.department)) {
        reviews.sort_by(|a, b| (a.branch, &a.department).cmp(&(b.branch, &b.department)));
    }
}

/// Read rows of reviews.csv, in file order, with room for `room` of them; `repeats`: tell a
/// department's second opinion of a branch.
#[allow(clippy::too_many_arguments)]
fn read(
    ws: &Workspace,
    sheet: &Sheet,
    rows: Rows,
    (bc, dc, oc, nc): (usize, usize, usize, Option<usize>),
    year: i32,
    room: usize,
    repeats: bool,
    problems: &mut Problems,
) -> Vec<Review> {
    let mut out = Vec::with_capacity(room);
    // (branch, department) → line of its first opinion; the department as its position among
    // the departments seen (so that no string is made per row).
    let mut seen: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let mut departments: Vec<Arc<str>> = Vec::new();
    let (mut cursor, file): (usize, Arc<str>) = (0, Arc::from(sheet.name.as_str()));
    rows.each(sheet, problems, |row, problems| {
        let bid = row.get(bc);
        let branch = ws.branch_in_cell(sheet, row, bc, year, &mut cursor, problems);
        let dept = row.get(dc);
        let mut dept_ok = true;
        if let Some(std) = branch
            .and_then(|b| ws.branches.get(b))
            .and_then(|b| ws.standards.get(b.domain))
        {
            let req = &std.settings.review_required;
            if !req.iter().any(|d| d == dept) {
                dept_ok = false;
                let expected = crate::i18n::list(&req.join(", "));
                problems.push(sheet.cell(
                    row,
                    dc,
                    msg!(
                        "unknown department `{dept}`; expected one of: {expected}",
                        "未知部门“{dept}”；应为以下之一：{expected}"
                    ),
                ));
            }
        }
        let otext = row.get(oc);
        let opinion = match otext {
            "approve" => Some(Opinion::Approve),
            "object" => Some(Opinion::Object),
            _ => {
                problems.push(sheet.cell(
                    row,
                    oc,
                    msg!(
                        "unknown opinion `{otext}`; expected approve or object",
                        "未知意见“{otext}”；应为 approve（同意）或 object（有异议）"
                    ),
                ));
                None
            }
        };
        let d = match departments.iter().position(|d| &**d == dept) {
            Some(d) => d,
            None => {
                departments.push(Arc::from(dept));
                departments.len() - 1
            }
        };
        if let (Some(b), true, true) = (branch, dept_ok, repeats) {
            if let Some(first) = seen.get(&(b, d)) {
                problems.push(sheet.cell(
                    row,
                    dc,
                    msg!(
                        "{bid} has a second opinion of {dept} (first on line {first}); expected one opinion per department",
                        "支部 {bid} 有第二条 {dept} 审核意见（首次出现在第 {first} 行）；每个部门应只有一条意见"
                    ),
                ));
                return;
            }
            seen.insert((b, d), row.line);
        }
        if let (Some(branch), Some(opinion), true) = (branch, opinion, dept_ok) {
            out.push(Review {
                branch,
                department: departments.get(d).cloned().unwrap_or_else(|| Arc::from(dept)),
                opinion,
                note: nc.map(|c| row.get(c).to_string()).unwrap_or_default(),
                file: Arc::clone(&file),
                line: row.line,
            });
        }
    });
    out
}
