//! `YEAR/rectification.csv`: whether last year's rectification items were done.
//!
//! Item ids are checked against the previous year's items by `stars check`, which rates
//! that year first; here only the form of each row is checked.

use super::files::Kind;
use super::table::{joined, Repeats};
use super::Workspace;
use crate::i18n::{msg, tr};
use crate::problem::Problems;
use crate::source::sheet::{Cells, ColumnKind, Sheet};

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
    pub status: Status,
    /// (32 bits: a file has at most 4 GiB, and a province millions of these.)
    pub line: u32,
    /// The item's position among the previous year's items, when they are known.
    pub item: Option<u32>,
}

/// One of the previous year's rectification items, as the loader compares an id with it.
/// The items are made by the follow-up (`followup::rectify`); the loader knows only this of
/// them, so that data flows one way.
pub trait ItemId {
    /// How the item's id compares with `id` (`year`: the items' year as text).
    fn cmp_id(&self, ws: &Workspace, year: &str, id: &str) -> std::cmp::Ordering;
    /// Whether the item's id is `id`.
    fn is_id(&self, ws: &Workspace, year: &str, id: &str) -> bool;
}

/// What is known of the previous year's items, to check the ids against.
pub enum Previous<'a, I> {
    /// Year − 1 is not a year of the workspace: there can be no rows.
    NotAYear,
    /// Year − 1 could not be rated (its own problems are reported): ids are not checked.
    Unknown,
    /// Year − 1's items, in id order.
    Items(&'a [I]),
}

/// Finds item ids among the previous year's items (in id order). The rows of
/// rectification.csv usually come branch by branch, in id order as `stars rectify` lists them
/// or in some other order within a branch: each id is looked for near the last one found
/// before a binary search.
struct Finder<'a, I> {
    items: &'a [I],
    /// What the items' ids are made of: the workspace, and their year as text.
    ws: &'a Workspace,
    year: String,
    next: usize,
}

impl<I: ItemId> Finder<'_, I> {
    fn find(&mut self, id: &str) -> Option<usize> {
        let cmp = |i: &I| i.cmp_id(self.ws, &self.year, id);
        let is = |i: &I| i.is_id(self.ws, &self.year, id);
        let ahead = self.items.get(self.next..).unwrap_or_default();
        let lo = self.next.saturating_sub(16);
        let behind = self.items.get(lo..self.next).unwrap_or_default();
        let found = (ahead.iter().take(8).position(is).map(|k| self.next + k))
            .or_else(|| behind.iter().position(is).map(|k| lo + k))
            .or_else(|| self.items.binary_search_by(cmp).ok())?;
        self.next = found + 1;
        Some(found)
    }
}

/// The optional columns: `note`, and those of the rectification list `stars rectify`
/// writes, passed over.
const LIST_COLUMNS: [&str; 10] = [
    "note",
    "branch",
    "name",
    "source",
    "kind",
    "problem",
    "responsible",
    "supervisor",
    "measure",
    "deadline",
];

/// The rows of `YEAR/rectification` (see [`super::table`]).
struct Rectification<'p, I> {
    ws: &'p Workspace,
    year: i32,
    previous: &'p Previous<'p, I>,
}

impl<'p, I: ItemId + Sync> super::table::Table for Rectification<'p, I> {
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    /// The columns of item and status.
    type Cols = (usize, usize);
    type Part = Reader<'p, I>;

    /// `item` and `status`, in English or as the rectification list heads them in Chinese
    /// (事项编号, 整改状态).
    fn knows_column(&self, h: &str) -> bool {
        matches!(crate::aliases::header(h), "item" | "status")
    }

    /// The columns of the rectification list are passed over: shown as they are.
    fn column_kind(&self, h: &str) -> ColumnKind {
        match crate::aliases::header(h) {
            "item" | "status" => ColumnKind::Value,
            _ => ColumnKind::Text,
        }
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<(usize, usize)> {
        // The rectification list as `stars rectify` writes it, its status filled, is read as
        // it is: its other columns are passed over, its Chinese headers read as the keys.
        let cols = sheet.columns_as(
            &["item", "status"],
            &LIST_COLUMNS,
            crate::aliases::header,
            problems,
        )?;
        let [Some(ic), Some(sc), ..] = cols[..] else {
            return None;
        };
        Some((ic, sc))
    }

    fn part(&self, _: &[String], bytes: u64, _: bool) -> Option<Self::Part> {
        let finder = match *self.previous {
            Previous::Items(items) => Some(Finder {
                items,
                ws: self.ws,
                year: self.year.saturating_sub(1).to_string(),
                next: 0,
            }),
            _ => None,
        };
        Some(Reader {
            first_line: vec![0usize; finder.as_ref().map_or(0, |f| f.items.len())],
            finder,
            repeats: Repeats::default(),
            // Room for rows of 16 bytes or more: memory not used is never touched.
            out: super::table::with_room(usize::try_from(bytes / 16).ok()?),
            reported_not_a_year: false,
        })
    }

    fn row(
        &self,
        r: &mut Reader<'p, I>,
        &(ic, sc): &(usize, usize),
        _: usize,
        row: &impl Cells,
        problems: &mut Problems,
    ) {
        let year = self.year;
        let py = year - 1;
        let item = row.get(ic);
        if let Previous::NotAYear = self.previous {
            if !r.reported_not_a_year {
                r.reported_not_a_year = true;
                problems.push(row.row_problem(msg!(
                    "{py} is not a year of this workspace, so it has no rectification items; expected no rectification.csv in {year}/",
                    "{py} 年不是本工作区的年度，没有整改事项；{year}/ 中不应有 rectification.csv"
                )));
            }
            return;
        }
        if item.is_empty() {
            problems.push(
                row.problem(
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
        let index = r.finder.as_mut().map(|f| f.find(item));
        let line = row.line();
        let first = match index.flatten().and_then(|i| r.first_line.get(i)) {
            Some(0) => None,
            Some(first) => Some(*first),
            None => r.repeats.first(item, line),
        };
        if let Some(first) = first {
            problems.push(row.problem(
                ic,
                msg!(
                    "item `{item}` is listed twice (first on line {first}); expected once",
                    "事项“{item}”重复列出（首次出现在第 {first} 行）；应只列一次"
                ),
            ));
            return;
        }
        if let Some(l) = index.flatten().and_then(|i| r.first_line.get_mut(i)) {
            *l = line;
        }
        // Not found among last year's items (when they are known).
        if index == Some(None) {
            problems.push(row.problem(
                ic,
                msg!(
                    "unknown item `{item}`; expected an id of {py}'s rectification items (see `stars rectify --year {py}`)",
                    "未知事项“{item}”；应为 {py} 年度整改事项的编号（见 `stars rectify --year {py}`）"
                ),
            ));
            return;
        }
        let stext = row.get(sc);
        let status = match crate::aliases::resolve(crate::aliases::Vocab::Status, stext) {
            "done" => Status::Done,
            "open" => Status::Open,
            _ => {
                use crate::{aliases::Vocab, i18n::with_names};
                let (done, open) = (
                    with_names(Vocab::Status, "done"),
                    with_names(Vocab::Status, "open"),
                );
                let message = match stext.is_empty() {
                    true => msg!(
                        "status is blank; expected {done} or {open}: type the item's status, or delete the row (an item not listed is not done)",
                        "整改状态为空；应为 {done} 或 {open}：请填写该事项的整改状态，或删除此行（未列出的事项按未完成计）"
                    ),
                    false => msg!(
                        "unknown status `{stext}`; expected {done} or {open}",
                        "未知状态“{stext}”；应为 {done} 或 {open}"
                    ),
                };
                problems.push(row.problem(sc, message));
                return;
            }
        };
        if !super::table::room_for(&mut r.out, row, problems) {
            return;
        }
        r.out.push(RectStatus {
            status,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            item: index.flatten().and_then(|i| u32::try_from(i).ok()),
        });
    }

    fn merge(&self, a: Self::Part, b: Self::Part, lines_before_b: &[usize]) -> Option<Self::Part> {
        // An item in both parts is listed twice: then it is read the careful way, to say so.
        let twice = a
            .first_line
            .iter()
            .zip(&b.first_line)
            .any(|(x, y)| *x != 0 && *y != 0);
        let Previous::Items(items) = self.previous else {
            return None;
        };
        if twice || a.first_line.len() != items.len() {
            return None;
        }
        let before = lines_before_b.first().copied().unwrap_or(0);
        let before = u32::try_from(before).unwrap_or(u32::MAX);
        let out = joined(a.out, b.out, |r| r.line = r.line.saturating_add(before));
        Some(Reader { out, ..a })
    }

    /// Without last year's items a part cannot tell an item listed in the other.
    fn streams(&self) -> bool {
        matches!(self.previous, Previous::Items(_))
    }
}

pub fn load<I: ItemId + Sync>(
    ws: &Workspace,
    year: i32,
    previous: Previous<I>,
    problems: &mut Problems,
) -> Vec<RectStatus> {
    let files = ws.table_files(year, Kind::Rectification, problems);
    let table = Rectification {
        ws,
        year,
        previous: &previous,
    };
    super::table::read(&table, &files, ws.encoding, problems).map_or_else(Vec::new, |r| r.part.out)
}

/// Reads rows of rectification.csv, however they were split.
struct Reader<'p, I> {
    // To find the items listed twice: the first line of each of last year's items, by its
    // position; of ids that are none of them (or when those items are not known), by id.
    finder: Option<Finder<'p, I>>,
    first_line: Vec<usize>,
    repeats: Repeats,
    out: Vec<RectStatus>,
    reported_not_a_year: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::rectify::year_items;
    use crate::rate::rate_year;
    use crate::source::Encoding;
    use crate::workspace::table::{both_ways, STREAM_FROM_BYTES};
    use std::path::Path;

    #[test]
    fn a_province_rectification_streamed_is_the_one_read_the_careful_way() {
        let town = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang");
        let mut problems = Problems::new();
        let ws = Workspace::load(&town, Encoding::Auto, &mut problems).unwrap();
        let year = ws.latest_year().unwrap();
        let data = ws.load_year(year - 1, &mut problems).unwrap();
        let items = year_items(&ws, &data, &rate_year(&ws, &data));
        assert!(items.len() > 20);
        // Every item of last year, the last first, with notes long enough for a file of
        // over a mebibyte; then the same file with CRLF line ends and a byte-order mark.
        let tmp = tempfile::tempdir().unwrap();
        for rel in ["stars.toml", "branches.csv"] {
            std::fs::copy(town.join(rel), tmp.path().join(rel)).unwrap();
        }
        for y in ws.years() {
            std::fs::create_dir_all(tmp.path().join(y.to_string())).unwrap();
        }
        let note = "已整改到位，资料已归档。".repeat(200);
        let rows: Vec<String> = items
            .iter()
            .rev()
            .enumerate()
            .map(|(k, i)| {
                let status = if k % 3 == 0 { "open" } else { "done" };
                format!("{},{status},{note}", i.id(&ws, year - 1))
            })
            .collect();
        let body = format!("item,status,note\n{}\n", rows.join("\n"));
        assert!(body.len() as u64 > STREAM_FROM_BYTES);
        let ws = Workspace::load(tmp.path(), Encoding::Auto, &mut problems).unwrap();
        for text in [
            body.clone(),
            format!("\u{feff}{}", body.replace('\n', "\r\n")),
        ] {
            std::fs::write(tmp.path().join(format!("{year}/rectification.csv")), &text).unwrap();
            let previous = Previous::Items(&items);
            let files = ws.table_files(year, Kind::Rectification, &mut problems);
            let table = Rectification {
                ws: &ws,
                year,
                previous: &previous,
            };
            let (streamed, careful, problems) = both_ways(&table, &files);
            assert!(problems.is_empty(), "{problems:?}");
            let (streamed, careful) =
                (streamed.expect("a clean file is streamed").out, careful.out);
            assert_eq!(streamed.len(), items.len());
            assert_eq!(streamed, careful);
        }
    }
}
