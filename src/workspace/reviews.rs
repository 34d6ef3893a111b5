//! `YEAR/reviews.csv`: the town review's opinions on five-star candidates (镇级审核).

use super::sheet::{Cells, CsvCells, Rows, Sheet, Split};
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

const REQUIRED: [&str; 3] = ["branch", "department", "opinion"];
const OPTIONAL: [&str; 1] = ["note"];

pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> Vec<Review> {
    if let Some(out) = stream_clean(ws, year) {
        return out;
    }
    let Some(text) = ws.read_table(&format!("{year}/reviews"), problems) else {
        return Vec::new();
    };
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
        return Vec::new();
    };
    let Some(cols) = sheet.columns(&REQUIRED, &OPTIONAL, problems) else {
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
            let clean = a.zip(b).and_then(|(mut a, b)| {
                a.extend(b);
                sorted_once(a)
            });
            match clean {
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
    cols: Cols,
    year: i32,
    room: usize,
    repeats: bool,
    problems: &mut Problems,
) -> Vec<Review> {
    let mut r = Reader::new(ws, cols, year, &sheet.name, room, repeats);
    rows.each(sheet, problems, |row, problems| {
        r.row(&CsvCells { sheet, row }, problems)
    });
    r.out
}

/// The columns of branch, department, opinion and note.
type Cols = (usize, usize, usize, Option<usize>);

/// Reads rows of reviews.csv, however they were split.
struct Reader<'w> {
    ws: &'w Workspace,
    cols: Cols,
    year: i32,
    repeats: bool,
    out: Vec<Review>,
    /// (branch, department) → line of its first opinion; the department as its position
    /// among the departments seen (so that no string is made per row).
    seen: FxHashMap<(usize, usize), usize>,
    departments: Vec<Arc<str>>,
    cursor: usize,
    file: Arc<str>,
}

impl<'w> Reader<'w> {
    fn new(
        ws: &'w Workspace,
        cols: Cols,
        year: i32,
        file: &str,
        room: usize,
        repeats: bool,
    ) -> Reader<'w> {
        Reader {
            ws,
            cols,
            year,
            repeats,
            out: Vec::with_capacity(room),
            seen: FxHashMap::default(),
            departments: Vec::new(),
            cursor: 0,
            file: Arc::from(file),
        }
    }

    fn row(&mut self, row: &impl Cells, problems: &mut Problems) {
        let (ws, (bc, dc, oc, nc)) = (self.ws, self.cols);
        let bid = row.get(bc);
        let branch = ws.branch_in_cell(row, bc, self.year, &mut self.cursor, problems);
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
                problems.push(row.problem(
                    dc,
                    msg!(
                        "unknown department `{dept}`; expected one of: {expected}",
                        "未知部门“{dept}”；应为以下之一：{expected}"
                    ),
                ));
            }
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
        let d = match self.departments.iter().position(|d| &**d == dept) {
            Some(d) => d,
            None => {
                self.departments.push(Arc::from(dept));
                self.departments.len() - 1
            }
        };
        if let (Some(b), true, true) = (branch, dept_ok, self.repeats) {
            if let Some(first) = self.seen.get(&(b, d)) {
                problems.push(row.problem(
                    dc,
                    msg!(
                        "{bid} has a second opinion of {dept} (first on line {first}); expected one opinion per department",
                        "支部 {bid} 有第二条 {dept} 审核意见（首次出现在第 {first} 行）；每个部门应只有一条意见"
                    ),
                ));
                return;
            }
            self.seen.insert((b, d), row.line());
        }
        if let (Some(branch), Some(opinion), true) = (branch, opinion, dept_ok) {
            let department = self.departments.get(d).cloned();
            self.out.push(Review {
                branch,
                department: department.unwrap_or_else(|| Arc::from(dept)),
                opinion,
                note: nc.map(|c| row.get(c).to_string()).unwrap_or_default(),
                file: Arc::clone(&self.file),
                line: row.line(),
            });
        }
    }
}

/// Opinions in order, and no department's second opinion of a branch: `None` otherwise.
fn sorted_once(mut all: Vec<Review>) -> Option<Vec<Review>> {
    sort(&mut all);
    all.windows(2)
        .all(|w| match w {
            [x, y] => (x.branch, &x.department) != (y.branch, &y.department),
            _ => true,
        })
        .then_some(all)
}

/// A province's reviews.csv when it is clean: streamed in two halves on both cores, never
/// held whole. `None` for anything else (then it is read the careful way).
fn stream_clean(ws: &Workspace, year: i32) -> Option<Vec<Review>> {
    let stem = format!("{year}/reviews");
    let name = ws.file(&ws.table_file(&stem, &mut Problems::new())?).1;
    let halves = ws.stream_table(
        &stem,
        (&REQUIRED, &OPTIONAL),
        |cols, room| {
            let [Some(bc), Some(dc), Some(oc), nc] = cols[..] else {
                return None;
            };
            // Room for rows of 16 bytes or more: memory not used is never touched.
            let room = usize::try_from(room / 16).ok()?;
            let r = Reader::new(ws, (bc, dc, oc, nc), year, &name, room, false);
            Some((r, Problems::new()))
        },
        |(r, problems), cells| {
            r.row(cells, problems);
            problems.is_empty()
        },
    )?;
    let (mut out, mut rest) = (halves.first.0.out, halves.second.0.out);
    for r in &mut rest {
        r.line += halves.lines_before_second;
    }
    out.append(&mut rest);
    sorted_once(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::sheet::STREAM_FROM_BYTES;
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
                rows.push(format!("{},{d},{opinion},{note}", b.id));
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
            let streamed = stream_clean(&ws, year).expect("a clean file is streamed");
            let t = ws
                .read_table(&format!("{year}/reviews"), &mut problems)
                .unwrap();
            let (sheet, rows) = Sheet::open(&t.name, &t.text, &mut problems).unwrap();
            let cols = sheet.columns(&REQUIRED, &OPTIONAL, &mut problems).unwrap();
            let [Some(bc), Some(dc), Some(oc), nc] = cols[..] else {
                panic!("columns")
            };
            let mut careful = read(
                &ws,
                &sheet,
                rows,
                (bc, dc, oc, nc),
                year,
                0,
                true,
                &mut problems,
            );
            sort(&mut careful);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(streamed.len(), careful.len());
            let first = streamed.iter().zip(&careful).position(|(a, b)| a != b);
            assert_eq!(first, None, "first difference");
        }
    }
}
