//! `YEAR/reviews.csv`: the town review's opinions on five-star candidates (镇级审核).

use super::files::Kind;
use super::sheet::{Cells, Sheet};
use super::table::joined;
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

/// The rows of `YEAR/reviews` (see [`super::table`]).
struct Reviews<'w> {
    ws: &'w Workspace,
    year: i32,
}

/// The columns of branch, department, opinion and note.
type Cols = (usize, usize, usize, Option<usize>);

/// Reviews read so far.
struct Part {
    /// Tell a department's second opinion of a branch (the careful read; the parts are
    /// checked for one once, sorted, in [`sorted_once`]).
    repeats: bool,
    out: Vec<Review>,
    /// (branch, department) → line of its first opinion; the department as its position
    /// among the departments seen (so that no string is made per row).
    seen: FxHashMap<(usize, usize), usize>,
    departments: Vec<Arc<str>>,
    cursor: usize,
    file: Arc<str>,
}

impl super::table::Table for Reviews<'_> {
    type Cols = Cols;
    type Part = Part;

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        let cols = sheet.columns(&["branch", "department", "opinion"], &["note"], problems)?;
        let [Some(bc), Some(dc), Some(oc), nc] = cols[..] else {
            return None;
        };
        Some((bc, dc, oc, nc))
    }

    fn part(&self, names: &[String], bytes: u64, careful: bool) -> Option<Part> {
        Some(Part {
            repeats: careful,
            // Room for rows of 16 bytes or more: memory not used is never touched.
            out: Vec::with_capacity(usize::try_from(bytes / 16).ok()?),
            seen: FxHashMap::default(),
            departments: Vec::new(),
            cursor: 0,
            file: Arc::from(names.first()?.as_str()),
        })
    }

    fn row(
        &self,
        r: &mut Part,
        &(bc, dc, oc, nc): &Cols,
        _: usize,
        row: &impl Cells,
        problems: &mut Problems,
    ) {
        let ws = self.ws;
        let bid = row.get(bc);
        let branch = ws.branch_in_cell(row, bc, self.year, &mut r.cursor, problems);
        let dept = row.get(dc);
        let required = branch
            .and_then(|b| ws.standard_of(b))
            .map(|std| &std.settings.review_required);
        let dept_ok = required.is_none_or(|req| req.iter().any(|d| d == dept));
        if let (Some(req), false) = (required, dept_ok) {
            let expected = crate::i18n::list(&req.join(", "));
            problems.push(row.problem(
                dc,
                msg!(
                    "unknown department `{dept}`; expected one of: {expected}",
                    "未知部门“{dept}”；应为以下之一：{expected}"
                ),
            ));
        }
        let otext = row.get(oc);
        let opinion = match crate::aliases::resolve(crate::aliases::Vocab::Opinion, otext) {
            "approve" => Some(Opinion::Approve),
            "object" => Some(Opinion::Object),
            _ => {
                problems.push(row.problem(
                    oc,
                    msg!(
                        "unknown opinion `{otext}`; expected approve (同意) or object (有异议, 不同意)",
                        "未知意见“{otext}”；应为 approve（同意）或 object（有异议、不同意）"
                    ),
                ));
                None
            }
        };
        let d = match r.departments.iter().position(|d| &**d == dept) {
            Some(d) => d,
            None => {
                r.departments.push(Arc::from(dept));
                r.departments.len() - 1
            }
        };
        if let (Some(b), true, true) = (branch, dept_ok, r.repeats) {
            if let Some(first) = r.seen.get(&(b, d)) {
                problems.push(row.problem(
                    dc,
                    msg!(
                        "{bid} has a second opinion of {dept} (first on line {first}); expected one opinion per department",
                        "支部 {bid} 有第二条 {dept} 审核意见（首次出现在第 {first} 行）；每个部门应只有一条意见"
                    ),
                ));
                return;
            }
            r.seen.insert((b, d), row.line());
        }
        if let (Some(branch), Some(opinion), true) = (branch, opinion, dept_ok) {
            let department = r.departments.get(d).cloned();
            r.out.push(Review {
                branch,
                department: department.unwrap_or_else(|| Arc::from(dept)),
                opinion,
                note: nc.map(|c| row.get(c).to_string()).unwrap_or_default(),
                file: Arc::clone(&r.file),
                line: row.line(),
            });
        }
    }

    fn merge(&self, mut a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let before = lines_before_b.first().copied().unwrap_or(0);
        a.out = sorted_once(joined(a.out, b.out, |r| r.line += before))?;
        Some(a)
    }
}

pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> Vec<Review> {
    let files = ws.table_files(year, Kind::Reviews, problems);
    let read = super::table::read(&Reviews { ws, year }, &files, ws.encoding, problems);
    let mut out = read.map_or_else(Vec::new, |r| r.part.out);
    sort(&mut out);
    out
}

/// By branch, then department (usually so already, and then not moved). The rows of a
/// file usually come by branch, each branch's departments in the town's own order: then
/// only each branch's few rows are sorted, not the millions of a province together.
fn sort(reviews: &mut [Review]) {
    let by_department = |a: &Review, b: &Review| a.department.cmp(&b.department);
    if reviews.is_sorted_by(|a, b| (a.branch, &a.department) <= (b.branch, &b.department)) {
        return;
    }
    if reviews.is_sorted_by_key(|r| r.branch) {
        for run in reviews.chunk_by_mut(|a, b| a.branch == b.branch) {
            run.sort_by(by_department);
        }
    } else {
        reviews.sort_by(|a, b| a.branch.cmp(&b.branch).then_with(|| by_department(a, b)));
    }
}

/// Opinions in order, and no department's second opinion of a branch: `None` otherwise.
fn sorted_once(mut all: Vec<Review>) -> Option<Vec<Review>> {
    sort(&mut all);
    // Sorted, strictly increasing: no (branch, department) twice.
    let once = all.is_sorted_by(|x, y| (x.branch, &x.department) < (y.branch, &y.department));
    once.then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::table::{both_ways, in_one_part, STREAM_FROM_BYTES};
    use std::path::Path;

    #[test]
    fn a_province_reviews_streamed_are_the_reviews_read_the_careful_way() {
        let town = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang");
        let tmp = tempfile::tempdir().unwrap();
        for rel in ["stars.toml", "branches.csv"] {
            std::fs::copy(town.join(rel), tmp.path().join(rel)).unwrap();
        }
        let mut problems = Problems::new();
        let ws0 = Workspace::load(&town, Encoding::Auto, &mut problems).unwrap();
        let year = ws0.latest_year().unwrap();
        for y in ws0.years() {
            std::fs::create_dir_all(tmp.path().join(y.to_string())).unwrap();
        }
        // Every department's opinion of every branch, with notes long enough for a file of
        // over a mebibyte, last branch first.
        let mut rows = Vec::new();
        for b in ws0.branches.iter().rev().filter(|b| b.rated_in(year)) {
            let std = ws0.standards.get(b.domain).unwrap();
            for (k, d) in std.settings.review_required.iter().enumerate() {
                let opinion = if k == 1 { "object" } else { "approve" };
                let note = "核实无异议；".repeat(400 + k);
                rows.push(format!("{},{d},{opinion},{note}", b.id()));
            }
        }
        let body = format!("branch,department,opinion,note\n{}\n", rows.join("\n"));
        assert!(body.len() as u64 > STREAM_FROM_BYTES);
        for text in [
            body.clone(),
            format!("\u{feff}\n{}", body.replace('\n', "\r\n")),
        ] {
            std::fs::write(tmp.path().join(format!("{year}/reviews.csv")), &text).unwrap();
            let ws = Workspace::load(tmp.path(), Encoding::Auto, &mut problems).unwrap();
            let files = ws.table_files(year, Kind::Reviews, &mut problems);
            let (streamed, careful, problems) = both_ways(&Reviews { ws: &ws, year }, &files);
            assert!(problems.is_empty(), "{problems:?}");
            let streamed = streamed.expect("a clean file is streamed").out;
            let one = in_one_part(&Reviews { ws: &ws, year }, &files)
                .expect("clean")
                .out;
            assert_eq!(
                one, streamed,
                "one part, as small files are read, and split"
            );
            let mut careful = careful.out;
            sort(&mut careful);
            assert_eq!(streamed.len(), careful.len());
            let first = streamed.iter().zip(&careful).position(|(a, b)| a != b);
            assert_eq!(first, None, "first difference");
        }
    }
}
