//! `YEAR/reviews.csv`: the town review's opinions on five-star candidates (镇级审核).

use super::files::Kind;
use super::table::joined;
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::{Cells, Sheet};
use rustc_hash::FxHashMap;

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

/// One opinion, in 32 bytes (a province has millions): its department is told by its
/// branch's standard, and its file by the year ([`YearData::reviews_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub branch: usize,
    pub note: Box<str>,
    line: u32,
    /// The department: its place in `review_required` of its branch's standard (no other
    /// department is read).
    pub department: u16,
    pub opinion: Opinion,
}

impl Review {
    /// Its line in the reviews file.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The name of its department, of the list its branch's standard requires.
    pub fn department_in<'r>(&self, required: &'r [String]) -> &'r str {
        required
            .get(usize::from(self.department))
            .map_or("", String::as_str)
    }
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
    /// (branch, department) → line of its first opinion.
    seen: FxHashMap<(usize, u16), usize>,
    cursor: usize,
    /// The name of the sheet read (a workbook's is its worksheet's), as shown in messages.
    file: String,
}

impl super::table::Table for Reviews<'_> {
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    type Cols = Cols;
    type Part = Part;

    fn knows_column(&self, h: &str) -> bool {
        matches!(h, "branch" | "department" | "opinion" | "note")
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        // `name` (the branch's, for people) is passed over.
        let required = ["branch", "department", "opinion"];
        let cols = sheet.columns(&required, &["note", "name"], problems)?;
        let [Some(bc), Some(dc), Some(oc), nc, _] = cols[..] else {
            return None;
        };
        Some((bc, dc, oc, nc))
    }

    fn part(&self, names: &[String], bytes: u64, careful: bool) -> Option<Part> {
        Some(Part {
            repeats: careful,
            // Room for rows of 16 bytes or more: memory not used is never touched.
            out: super::table::with_room(usize::try_from(bytes / 16).ok()?),
            seen: FxHashMap::default(),
            cursor: 0,
            file: names.first()?.clone(),
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
        let typed = row.get(dc);
        let required = branch
            .and_then(|b| ws.standard_of(b))
            .map(|std| &std.settings.review_required);
        // Its place in the list (`Some(None)`: not in it; past u16, it is not read). A
        // department typed in Chinese, as stars prints it (纪检监察), is its code: looked up
        // only when the cell is not a code (a province's rows name codes).
        let place_of = |req: &[String], d: &str| req.iter().position(|x| x == d);
        let place = required.map(|req| {
            place_of(req, typed)
                .or_else(|| {
                    let code = crate::aliases::code(crate::aliases::Vocab::Department, typed)?;
                    place_of(req, code)
                })
                .and_then(|k| u16::try_from(k).ok())
        });
        let dept = match (required, place.flatten()) {
            (Some(req), Some(k)) => req.get(usize::from(k)).map_or(typed, String::as_str),
            _ => typed,
        };
        let dept_ok = place.is_none_or(|k| k.is_some());
        let d = place.flatten();
        if let (Some(req), false) = (required, dept_ok) {
            let named: Vec<String> = (req.iter())
                .map(|d| crate::i18n::with_names(crate::aliases::Vocab::Department, d))
                .collect();
            let expected = crate::i18n::list(&named.join(", "));
            problems.push(row.problem(
                dc,
                msg!(
                    "unknown department `{typed}`; expected one of: {expected}",
                    "未知部门“{typed}”；应为以下之一：{expected}"
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
        if let (Some(b), Some(d), true, true) = (branch, d, dept_ok, r.repeats) {
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
        if let (Some(branch), Some(department), Some(opinion), true) = (branch, d, opinion, dept_ok)
        {
            if !super::table::room_for(&mut r.out, row, problems) {
                return;
            }
            r.out.push(Review {
                branch,
                note: nc.map(|c| row.get(c)).unwrap_or_default().into(),
                line: u32::try_from(row.line()).unwrap_or(u32::MAX),
                department,
                opinion,
            });
        }
    }

    fn merge(&self, mut a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let before = lines_before_b.first().copied().unwrap_or(0);
        let shift = u32::try_from(before).unwrap_or(u32::MAX);
        a.out = sorted_once(
            self.ws,
            joined(a.out, b.out, |r| r.line = r.line.saturating_add(shift)),
        )?;
        Some(a)
    }
}

/// The year's opinions in the file's order (put in order by [`sort`]: a year's loading
/// does it beside applying the records), and the name of their file (blank when there is
/// none).
pub(crate) fn read(ws: &Workspace, year: i32, problems: &mut Problems) -> (Vec<Review>, String) {
    let files = ws.table_files(year, Kind::Reviews, problems);
    let read = super::table::read(&Reviews { ws, year }, &files, ws.encoding, problems);
    read.map_or_else(Default::default, |r| (r.part.out, r.part.file))
}

/// The name of a review's department.
fn department<'w>(ws: &'w Workspace, r: &Review) -> &'w str {
    ws.standard_of(r.branch)
        .map_or("", |s| r.department_in(&s.settings.review_required))
}

/// By branch, then department name (usually so already, and then not moved). The rows of
/// a file usually come by branch, each branch's departments in the town's own order: then
/// only each branch's few rows are sorted, not the millions of a province together.
pub(crate) fn sort(ws: &Workspace, reviews: &mut [Review]) {
    let by_department = |a: &Review, b: &Review| department(ws, a).cmp(department(ws, b));
    let key = |r: &Review| (r.branch, department(ws, r));
    if reviews.is_sorted_by(|a, b| key(a) <= key(b)) {
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
fn sorted_once(ws: &Workspace, mut all: Vec<Review>) -> Option<Vec<Review>> {
    sort(ws, &mut all);
    // Sorted: a (branch, department) given twice would be side by side.
    let once = all.windows(2).all(|w| match w {
        [x, y] => (x.branch, x.department) != (y.branch, y.department),
        _ => true,
    });
    once.then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::table::{both_ways, in_one_part, STREAM_FROM_BYTES};
    use std::path::Path;

    /// A province's opinions are held whole: a field added or widened shows here.
    #[test]
    fn an_opinion_takes_32_bytes_besides_its_note() {
        assert_eq!(std::mem::size_of::<Review>(), 32);
    }

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
            sort(&ws, &mut careful);
            assert_eq!(streamed.len(), careful.len());
            let first = streamed.iter().zip(&careful).position(|(a, b)| a != b);
            assert_eq!(first, None, "first difference");
        }
    }
}
