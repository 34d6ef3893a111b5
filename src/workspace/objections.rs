//! `YEAR/objections.csv`: objections raised while the results were posted (公示期异议),
//! `branch,received,matter,status,answered`. An `open` or `upheld` objection holds a
//! five-star branch at four (SPEC.md step 7b, in [`crate::rate`]).

use super::files::Kind;
use super::record_cells::date;
use super::table::joined;
use super::Workspace;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::source::sheet::{Cells, Sheet};
use chrono::NaiveDate;

/// What came of an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectionStatus {
    /// Still being looked into.
    Open,
    /// Found to stand.
    Upheld,
    /// Found not to stand.
    Dismissed,
}

impl ObjectionStatus {
    pub const ALL: [ObjectionStatus; 3] = [
        ObjectionStatus::Open,
        ObjectionStatus::Upheld,
        ObjectionStatus::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectionStatus::Open => "open",
            ObjectionStatus::Upheld => "upheld",
            ObjectionStatus::Dismissed => "dismissed",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ObjectionStatus::Open => "未处理",
            ObjectionStatus::Upheld => "成立",
            ObjectionStatus::Dismissed => "不成立",
        }
    }

    /// Does it hold five stars back (step 7b)?
    pub fn holds(self) -> bool {
        matches!(self, ObjectionStatus::Open | ObjectionStatus::Upheld)
    }
}

/// One objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub branch: usize,
    pub received: NaiveDate,
    pub matter: Box<str>,
    pub status: ObjectionStatus,
    /// When it was answered (`None` while open).
    pub answered: Option<NaiveDate>,
    line: u32,
}

impl Objection {
    /// Its line in the objections file.
    pub fn line(&self) -> usize {
        self.line as usize
    }
}

struct Objections<'w> {
    ws: &'w Workspace,
    year: i32,
}

/// The columns of branch, received, matter, status and answered.
type Cols = [usize; 5];

struct Part {
    out: Vec<Objection>,
    cursor: usize,
    file: String,
}

impl super::table::Table for Objections<'_> {
    type Cols = Cols;
    /// A side file: its limit grows with the workspace's branches.
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    type Part = Part;

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        let names = ["branch", "received", "matter", "status", "answered"];
        let c = sheet.columns(&names, &["name"], problems)?;
        let at = |k: usize| c.get(k).copied().flatten();
        Some([at(0)?, at(1)?, at(2)?, at(3)?, at(4)?])
    }

    fn part(&self, names: &[String], _: u64, _: bool) -> Option<Part> {
        Some(Part {
            out: Vec::new(),
            cursor: 0,
            file: names.first()?.clone(),
        })
    }

    fn row(&self, p: &mut Part, c: &Cols, _: usize, row: &impl Cells, problems: &mut Problems) {
        let [bc, rc, mc, sc, ac] = *c;
        let branch = (self.ws).branch_in_cell(row, bc, self.year, &mut p.cursor, problems);
        let received = date(row, rc, problems);
        let stext = row.get(sc);
        let status = match crate::aliases::resolve(crate::aliases::Vocab::Objection, stext) {
            "open" => Some(ObjectionStatus::Open),
            "upheld" => Some(ObjectionStatus::Upheld),
            "dismissed" => Some(ObjectionStatus::Dismissed),
            _ => {
                problems.push(row.problem(
                    sc,
                    msg!(
                        "unknown status `{stext}`; expected open (未处理), upheld (成立) or dismissed (不成立)",
                        "未知办理状态“{stext}”；应为 open（未处理）、upheld（成立）或 dismissed（不成立）"
                    ),
                ));
                None
            }
        };
        let atext = row.get(ac);
        let answered = match (status, atext.is_empty()) {
            (_, true) => Some(None),
            (Some(ObjectionStatus::Open), false) => {
                problems.push(row.problem(
                    ac,
                    msg!(
                        "an open objection answered on `{atext}`; expected the answer date blank while it is open, or the status upheld or dismissed",
                        "异议尚未处理，却填了答复日期“{atext}”；未处理时答复日期应留空，否则状态应为成立或不成立"
                    ),
                ));
                None
            }
            (_, false) => date(row, ac, problems).map(Some),
        };
        let answered = match (status, answered) {
            (Some(s), Some(None)) if s != ObjectionStatus::Open => {
                let s = s.as_str();
                problems.push(row.problem(
                    ac,
                    msg!(
                        "the objection is {s} but has no answer date; expected the date it was answered (YYYY-MM-DD)",
                        "异议已办结（{s}），但没有答复日期；应填写答复日期（YYYY-MM-DD）"
                    ),
                ));
                None
            }
            (_, Some(Some(a))) if received.is_some_and(|r| a < r) => {
                let r = received.unwrap_or(a);
                problems.push(row.problem(
                    ac,
                    msg!(
                        "answered {a}, before it was received ({r}); expected a date on or after {r}",
                        "答复日期 {a} 早于受理日期 {r}；应不早于 {r}"
                    ),
                ));
                None
            }
            (_, a) => a,
        };
        if let (Some(branch), Some(received), Some(status), Some(answered)) =
            (branch, received, status, answered)
        {
            p.out.push(Objection {
                branch,
                received,
                matter: row.get(mc).into(),
                status,
                answered,
                line: u32::try_from(row.line()).unwrap_or(u32::MAX),
            });
        }
    }

    fn merge(&self, mut a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let shift = u32::try_from(lines_before_b.first().copied().unwrap_or(0)).ok()?;
        a.out = joined(a.out, b.out, |o| o.line = o.line.saturating_add(shift));
        Some(a)
    }
}

/// The year's objections, sorted by branch, date received and line; and the file's name
/// (blank when there is none).
pub fn load(ws: &Workspace, year: i32, problems: &mut Problems) -> (Vec<Objection>, String) {
    let files = ws.table_files(year, Kind::Objections, problems);
    let read = super::table::read(&Objections { ws, year }, &files, ws.encoding, problems);
    let Some(read) = read else {
        return Default::default();
    };
    let (mut out, file) = (read.part.out, read.part.file);
    out.sort_by_key(|o| (o.branch, o.received, o.line));
    (out, file)
}
