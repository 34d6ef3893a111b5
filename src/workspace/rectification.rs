//! `YEAR/rectification.csv`: whether last year's rectification items were done.
//!
//! Item ids are checked against the previous year's items by `stars check`, which rates
//! that year first; here only the form of each row is checked.

use super::sheet::{Cells, CsvCells, Rows, Sheet, Split};
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

impl<'a, I: ItemId> Finder<'a, I> {
    fn new(ws: &'a Workspace, year: i32, items: &'a [I]) -> Finder<'a, I> {
        let year = itoa::Buffer::new().format(year).to_string();
        Finder {
            items,
            ws,
            year,
            next: 0,
        }
    }

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

/// Ids in increasing order, in one string: no allocation per id.
#[derive(Default)]
struct IdsInOrder {
    text: String,
    /// Where each id ends in `text`, and its line.
    ends: Vec<(usize, usize)>,
}

impl IdsInOrder {
    fn last(&self) -> Option<&str> {
        let n = self.ends.len();
        let start = n
            .checked_sub(2)
            .and_then(|k| self.ends.get(k))
            .map_or(0, |e| e.0);
        let end = self.ends.last()?.0;
        self.text.get(start..end)
    }

    fn comes_after(&self, id: &str) -> bool {
        self.last().is_none_or(|last| last < id)
    }

    fn push(&mut self, id: &str, line: usize) {
        self.text.push_str(id);
        self.ends.push((self.text.len(), line));
    }

    fn into_map(self) -> FxHashMap<String, usize> {
        let mut start = 0;
        let mut map = FxHashMap::default();
        for (end, line) in self.ends {
            if let Some(id) = self.text.get(start..end) {
                map.insert(id.to_string(), line);
            }
            start = end;
        }
        map
    }
}

const REQUIRED: [&str; 2] = ["item", "status"];
const OPTIONAL: [&str; 1] = ["note"];

pub fn load<I: ItemId + Sync>(
    ws: &Workspace,
    year: i32,
    previous: Previous<I>,
    problems: &mut Problems,
) -> Vec<RectStatus> {
    if let Some(out) = stream_clean(ws, year, &previous) {
        return out;
    }
    let Some(text) = ws.read_table(&format!("{year}/rectification"), problems) else {
        return Vec::new();
    };
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
        return Vec::new();
    };
    let Some(cols) = sheet.columns(&REQUIRED, &OPTIONAL, problems) else {
        return Vec::new();
    };
    let [Some(ic), Some(sc), _] = cols[..] else {
        return Vec::new();
    };
    // Without last year's items (or for a sheet that cannot be split): one by one.
    let Previous::Items(items) = &previous else {
        return read(ws, &sheet, rows, (ic, sc), year, &previous, problems).0;
    };
    let (first, second) = match rows.split(&sheet) {
        Split::Two(first, second) => (first, second),
        Split::Whole(rows) => return read(ws, &sheet, rows, (ic, sc), year, &previous, problems).0,
    };
    // On both cores, when clean: each part finds its rows among last year's items.
    let half = |rows: Rows| {
        let mut problems = Problems::new();
        let got = read(ws, &sheet, rows, (ic, sc), year, &previous, &mut problems);
        problems.is_empty().then_some(got)
    };
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| half(second));
        (half(first), other.join().ok().flatten())
    });
    if let (Some((mut out, lines_a)), Some((rest, lines_b))) = (a, b) {
        // An item in both parts is listed twice: then read again one by one to say so.
        let twice = lines_a
            .iter()
            .zip(&lines_b)
            .any(|(a, b)| *a != 0 && *b != 0);
        if !twice && lines_a.len() == items.len() {
            out.extend(rest);
            return out;
        }
    }
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
        return Vec::new();
    };
    read(ws, &sheet, rows, (ic, sc), year, &previous, problems).0
}

/// Read rows of rectification.csv: their statuses, and the first line of each of last year's
/// items found (0 for none).
fn read<I: ItemId>(
    ws: &Workspace,
    sheet: &Sheet,
    rows: Rows,
    cols: (usize, usize),
    year: i32,
    previous: &Previous<I>,
    problems: &mut Problems,
) -> (Vec<RectStatus>, Vec<usize>) {
    let mut r = Reader::new(ws, cols, year, previous, 0);
    rows.each(sheet, problems, |row, problems| {
        r.row(&CsvCells { sheet, row }, problems)
    });
    (r.out, r.first_line)
}

/// Reads rows of rectification.csv, however they were split.
struct Reader<'p, I> {
    /// The columns of item and status.
    cols: (usize, usize),
    year: i32,
    previous: &'p Previous<'p, I>,
    // To find the items listed twice: the first line of each of last year's items, by its
    // position; of ids that are none of them, by id. When last year's items are not known:
    // the ids in increasing order as they come (none can repeat), then, at the first that
    // does not come after all the others, a map of all of them.
    finder: Option<Finder<'p, I>>,
    first_line: Vec<usize>,
    ids: IdsInOrder,
    seen: Option<FxHashMap<String, usize>>,
    out: Vec<RectStatus>,
    reported_not_a_year: bool,
}

impl<'p, I: ItemId> Reader<'p, I> {
    fn new(
        ws: &'p Workspace,
        cols: (usize, usize),
        year: i32,
        previous: &'p Previous<'p, I>,
        room: usize,
    ) -> Self {
        let finder = match *previous {
            Previous::Items(items) => Some(Finder::new(ws, year.saturating_sub(1), items)),
            _ => None,
        };
        Reader {
            cols,
            year,
            previous,
            first_line: vec![0usize; finder.as_ref().map_or(0, |f| f.items.len())],
            finder,
            ids: IdsInOrder::default(),
            seen: None,
            out: Vec::with_capacity(room),
            reported_not_a_year: false,
        }
    }

    fn row(&mut self, row: &impl Cells, problems: &mut Problems) {
        let ((ic, sc), year) = (self.cols, self.year);
        let py = year - 1;
        let item = row.get(ic);
        if let Previous::NotAYear = self.previous {
            if !self.reported_not_a_year {
                self.reported_not_a_year = true;
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
        let index = self.finder.as_mut().map(|f| f.find(item));
        if index.is_none() && self.seen.is_none() && !self.ids.comes_after(item) {
            self.seen = Some(std::mem::take(&mut self.ids).into_map());
        }
        let first = match (index, &self.seen) {
            (Some(Some(i)), _) => self.first_line.get(i).copied().filter(|l| *l != 0),
            (_, Some(seen)) => seen.get(item).copied(),
            (Some(None), None) | (None, None) => None,
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
        let line = row.line();
        match (index, &mut self.seen) {
            (Some(Some(i)), _) => {
                if let Some(l) = self.first_line.get_mut(i) {
                    *l = line;
                }
            }
            (_, Some(seen)) => {
                seen.insert(item.to_string(), line);
            }
            (Some(None), None) => {
                self.seen = Some(FxHashMap::from_iter([(item.to_string(), line)]));
            }
            (None, None) => self.ids.push(item, line),
        }
        let index = match index {
            Some(Some(i)) => Some(i),
            Some(None) => {
                problems.push(row.problem(
                    ic,
                    msg!(
                        "unknown item `{item}`; expected an id of {py}'s rectification items (see `stars rectify --year {py}`)",
                        "未知事项“{item}”；应为 {py} 年度整改事项的编号（见 `stars rectify --year {py}`）"
                    ),
                ));
                return;
            }
            None => None,
        };
        let stext = row.get(sc);
        let status = match crate::aliases::resolve(crate::aliases::Vocab::Status, stext) {
            "done" => Status::Done,
            "open" => Status::Open,
            _ => {
                problems.push(row.problem(
                    sc,
                    msg!(
                        "unknown status `{stext}`; expected done (已完成, 已整改) or open (未完成, 未整改)",
                        "未知状态“{stext}”；应为 done（已完成、已整改）或 open（未完成、未整改）"
                    ),
                ));
                return;
            }
        };
        self.out.push(RectStatus {
            status,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            item: index.and_then(|i| u32::try_from(i).ok()),
        });
    }
}

/// A province's rectification.csv, when it is clean and last year's items are known:
/// streamed in two halves on both cores, never held whole. `None` for anything else (then it
/// is read the careful way).
fn stream_clean<I: ItemId + Sync>(
    ws: &Workspace,
    year: i32,
    previous: &Previous<I>,
) -> Option<Vec<RectStatus>> {
    let Previous::Items(items) = previous else {
        return None;
    };
    let halves = ws.stream_table(
        &format!("{year}/rectification"),
        (&REQUIRED, &OPTIONAL),
        |cols, room| {
            let [Some(ic), Some(sc), _] = cols[..] else {
                return None;
            };
            // Room for rows of 16 bytes or more: memory not used is never touched.
            let room = usize::try_from(room / 16).ok()?;
            Some((
                Reader::new(ws, (ic, sc), year, previous, room),
                Problems::new(),
            ))
        },
        |(r, problems), cells| {
            r.row(cells, problems);
            problems.is_empty()
        },
    )?;
    let ((a, _), (b, _)) = (halves.first, halves.second);
    // An item in both halves is listed twice: then it is read the careful way, to say so.
    let twice = a
        .first_line
        .iter()
        .zip(&b.first_line)
        .any(|(x, y)| *x != 0 && *y != 0);
    if twice || a.first_line.len() != items.len() {
        return None;
    }
    let (mut out, mut rest) = (a.out, b.out);
    let before = u32::try_from(halves.lines_before_second).unwrap_or(u32::MAX);
    for r in &mut rest {
        r.line = r.line.saturating_add(before);
    }
    out.append(&mut rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::rectify::year_items;
    use crate::rate::rate_year;
    use crate::source::Encoding;
    use crate::workspace::sheet::STREAM_FROM_BYTES;
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
            let streamed = stream_clean(&ws, year, &previous).expect("a clean file is streamed");
            let (sheet, rows) = Sheet::open("r.csv", &text, &mut problems).unwrap();
            let careful = read(&ws, &sheet, rows, (0, 1), year, &previous, &mut problems).0;
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(streamed.len(), items.len());
            assert_eq!(streamed, careful);
        }
    }
}
