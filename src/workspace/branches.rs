//! `branches.csv`: the branches, their domain, people and the years they are rated.

use super::table::{joined, File, Repeats};
use super::Config;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::sheet::{Cells, Sheet};
use crate::source::Encoding;
use crate::standard::Domain;
use std::num::NonZeroU16;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// Id, name, town, secretary, lead and project, one after the other (see their
    /// methods): one allocation for the six, as a province has millions of branches.
    text: Box<str>,
    /// Where id, name, town, secretary and lead end in `text`.
    ends: [u32; 5],
    /// Line in branches.csv (at most 4 GiB of it: a line past u32 is shown as u32::MAX).
    line: u32,
    /// The years rated, `from..=until` (see [`Branch::from`]); years are 1900–9999.
    from: Option<NonZeroU16>,
    until: Option<NonZeroU16>,
    /// Consecutive five-star years before the first year rated here (0–1000).
    streak: u16,
    /// The plaque held in the first year rated here (0–5), or [`NO_PLAQUE`].
    plaque: u8,
    pub domain: Domain,
}

/// [`Branch::plaque`] when branches.csv gives none. (The fields are packed so that a
/// branch takes 48 bytes besides its texts: a province has millions.)
const NO_PLAQUE: u8 = u8::MAX;

/// A year as a branch keeps it (`None`: outside 1..=65535, never the case of a year read).
fn year16(y: Option<i32>) -> Option<NonZeroU16> {
    y.and_then(|y| u16::try_from(y).ok())
        .and_then(NonZeroU16::new)
}

impl Branch {
    /// A branch of `domain` rated every year, with its texts: id, name, town, secretary,
    /// lead and project.
    pub fn new(texts: [&str; 6], domain: Domain, line: usize) -> Branch {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let mut text = String::with_capacity(texts.iter().map(|t| t.len()).sum());
        let mut ends = [0u32; 5];
        for (k, part) in texts.into_iter().enumerate() {
            text.push_str(part);
            if let Some(e) = ends.get_mut(k) {
                // A line is at most a mebibyte: every end fits.
                *e = u32::try_from(text.len()).unwrap_or(u32::MAX);
            }
        }
        Branch {
            text: text.into_boxed_str(),
            ends,
            line,
            from: None,
            until: None,
            streak: 0,
            plaque: NO_PLAQUE,
            domain,
        }
    }

    /// The first year rated, if branches.csv gives one.
    pub fn from(&self) -> Option<i32> {
        self.from.map(|y| i32::from(y.get()))
    }

    /// The last year rated, if branches.csv gives one.
    pub fn until(&self) -> Option<i32> {
        self.until.map(|y| i32::from(y.get()))
    }

    /// The years rated, `from..=until`, as 16-bit years: 0 and u16::MAX when open.
    pub(crate) fn span16(&self) -> (u16, u16) {
        let year = |y: Option<NonZeroU16>| y.map(NonZeroU16::get);
        (
            year(self.from).unwrap_or(0),
            year(self.until).unwrap_or(u16::MAX),
        )
    }

    /// The plaque held in the first year rated here.
    pub fn plaque(&self) -> Option<u8> {
        (self.plaque != NO_PLAQUE).then_some(self.plaque)
    }

    /// Consecutive five-star years before the first year rated here.
    pub fn streak(&self) -> u32 {
        u32::from(self.streak)
    }

    /// Part k of `text`.
    fn part(&self, k: usize) -> &str {
        let at = |k: usize| -> usize {
            match k {
                0 => 0,
                _ => self.ends.get(k - 1).map_or(usize::MAX, |e| *e as usize),
            }
        };
        let end = if k >= 5 { self.text.len() } else { at(k + 1) };
        self.text.get(at(k)..end).unwrap_or("")
    }

    /// Its line in branches.csv.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    pub fn id(&self) -> &str {
        self.part(0)
    }

    pub fn name(&self) -> &str {
        self.part(1)
    }

    pub fn town(&self) -> &str {
        self.part(2)
    }

    /// The branch secretary: responsible for its rectification items.
    pub fn secretary(&self) -> &str {
        self.part(3)
    }

    /// The town leader in charge (包联领导): supervises, and is interviewed (约谈).
    pub fn lead(&self) -> &str {
        self.part(4)
    }

    /// The title of this year's secretary project (书记项目).
    pub fn project(&self) -> &str {
        self.part(5)
    }

    pub fn rated_in(&self, year: i32) -> bool {
        self.from().is_none_or(|f| year >= f) && self.until().is_none_or(|u| year <= u)
    }

    /// "rated from 2024", "rated until 2024", "rated 2023–2024" (for messages, in the
    /// language of messages).
    pub fn span_text(&self) -> String {
        match (self.from(), self.until()) {
            (Some(f), Some(u)) => msg!("rated {f}–{u}", "{f}–{u} 年参评"),
            (Some(f), None) => msg!("rated from {f}", "自 {f} 年起参评"),
            (None, Some(u)) => msg!("rated until {u}", "参评至 {u} 年"),
            (None, None) => tr("rated every year", "每年参评").into(),
        }
    }
}

const REQUIRED: [&str; 7] = [
    "id",
    "name",
    "domain",
    "town",
    "secretary",
    "lead",
    "project",
];
const OPTIONAL: [&str; 5] = ["from", "until", "plaque", "streak", "note"];

/// The rows of `branches.csv` (see [`super::table`]).
struct Branches;

/// Branches read so far, and (read carefully) the ids listed twice: the parts of a clean
/// file are merged only when their ids increase, so none repeats.
#[derive(Default)]
struct Part {
    out: Vec<Branch>,
    /// Some branch's id is not greater than the one before it: `out` is to be sorted (and,
    /// of parts, read the careful way). Told as the rows come, while the id before is
    /// still in the cache: not in a pass over a province's branches on one core.
    unordered: bool,
    repeats: Option<Repeats>,
    years: YearColumns,
}

/// The 1-based columns of `from` and `until` in branches.csv, when it has them (where
/// [`check_years`] points).
#[derive(Debug, Default, Clone, Copy)]
pub struct YearColumns {
    from: Option<u16>,
    until: Option<u16>,
}

impl super::table::Table for Branches {
    fn max_bytes(&self) -> u64 {
        crate::source::MAX_FILE_BYTES
    }
    /// The column of each of [`REQUIRED`] and [`OPTIONAL`], if the sheet has it.
    type Cols = Vec<Option<usize>>;
    type Part = Part;

    fn knows_column(&self, h: &str) -> bool {
        REQUIRED.contains(&h) || OPTIONAL.contains(&h)
    }

    fn column_kind(&self, h: &str) -> crate::source::sheet::ColumnKind {
        use crate::source::sheet::ColumnKind;
        match h {
            "from" | "until" | "plaque" | "streak" | "id" | "domain" => ColumnKind::Value,
            _ => ColumnKind::Text,
        }
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Self::Cols> {
        sheet.columns(&REQUIRED, &OPTIONAL, problems)
    }

    fn part(&self, _: &[String], bytes: u64, careful: bool) -> Option<Part> {
        // Room for rows of 32 bytes or more, made at once: a province's branches are
        // hundreds of megabytes, and growing them step by step copies them over and over.
        let room = usize::try_from(bytes / 32).ok()?;
        Some(Part {
            out: super::table::with_room(room),
            unordered: false,
            repeats: careful.then(Repeats::default),
            years: YearColumns::default(),
        })
    }

    fn row(
        &self,
        p: &mut Part,
        cols: &Self::Cols,
        _: usize,
        row: &impl Cells,
        problems: &mut Problems,
    ) {
        let col = |k: usize| cols.get(k).copied().flatten();
        let one_based = |k: usize| col(k).and_then(|c| u16::try_from(c + 1).ok());
        p.years = YearColumns {
            from: one_based(7),
            until: one_based(8),
        };
        let parsed = parse_row(row, &col, problems);
        let id = match &parsed {
            Ok(b) => b.id(),
            Err(id) => id.as_str(),
        };
        // Every id counts, of rows left out for another problem too.
        let first = (p.repeats.as_mut())
            .filter(|_| !id.is_empty())
            .and_then(|r| r.first(id, row.line()));
        let repeated = first.is_some();
        if let (Some(first), Some(c)) = (first, col(0)) {
            problems.push(row.problem(
                c,
                msg!(
                    "branch `{id}` is listed twice (first on line {first}); expected unique ids",
                    "支部“{id}”重复列出（首次出现在第 {first} 行）；支部编号应唯一"
                ),
            ));
        }
        if let (Ok(b), false) = (parsed, repeated) {
            if !super::table::room_for(&mut p.out, row, problems) {
                return;
            }
            p.unordered |= p.out.last().is_some_and(|last| last.id() >= b.id());
            p.out.push(b);
        }
    }

    /// Clean and in id order, both parts as one; else the careful read.
    fn merge(&self, a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        let before = lines_before_b.first().copied().unwrap_or(0);
        let years = YearColumns {
            from: a.years.from.or(b.years.from),
            until: a.years.until.or(b.years.until),
        };
        // Each part's ids increase (told as its rows came), and across the two.
        let across = match (a.out.last(), b.out.first()) {
            (Some(last), Some(first)) => last.id() < first.id(),
            _ => true,
        };
        let increasing = !a.unordered && !b.unordered && across;
        let out = joined(a.out, b.out, |b| {
            b.line = b
                .line
                .saturating_add(u32::try_from(before).unwrap_or(u32::MAX))
        });
        (increasing && !out.is_empty()).then(|| Part {
            out,
            years,
            ..Part::default()
        })
    }
}

/// The branches, sorted by id, and where their years are in the file.
pub fn load(
    dir: &Path,
    shown: &str,
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<(Vec<Branch>, YearColumns)> {
    let name = super::join_shown(shown, "branches.csv");
    let files = [File {
        path: dir.join("branches.csv"),
        name: name.clone(),
    }];
    let before = problems.len();
    let part = super::table::read(&Branches, &files, encoding, problems)?.part;
    let (mut out, years, unordered) = (part.out, part.years, part.unordered);
    if problems.len() != before {
        return None;
    }
    if out.is_empty() {
        problems.push(Problem::file(
            &name,
            tr(
                "no branches; expected one row per branch",
                "没有支部；应每个支部填写一行",
            ),
        ));
        return None;
    }
    // Usually already in id order; then moving the rows around is skipped.
    if unordered {
        out.sort_by(|a, b| a.id().cmp(b.id()));
    }
    Some((out, years))
}

/// One row of branches.csv, checked: the branch, or (with its problems told) the row's id.
fn parse_row(
    row: &impl Cells,
    col: &dyn Fn(usize) -> Option<usize>,
    problems: &mut Problems,
) -> Result<Branch, String> {
    let get = |k: usize| col(k).map(|c| row.get(c)).unwrap_or("");
    // Each problem is told at its column, and leaves the row out.
    let before = problems.len();
    let mut tell = |k: usize, message: String| {
        if let Some(c) = col(k) {
            problems.push(row.problem(c, message));
        }
    };
    let [id, bname, domain_text] = [
        (0, tr("branch id", "支部编号")),
        (1, tr("branch name", "支部名称")),
        (2, tr("domain", "领域")),
    ]
    .map(|(k, what)| {
        let v = get(k);
        if v.is_empty() {
            tell(
                k,
                msg!(
                    "{what} is blank; expected a value",
                    "{what}为空；应填写内容"
                ),
            );
        }
        v
    });
    if id
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == ',')
    {
        tell(
            0,
            msg!(
                "branch id `{id}` has spaces or commas; expected a code such as B01",
                "支部编号“{id}”含有空格或逗号；应为 B01 这样的编号"
            ),
        );
    }
    // A spreadsheet runs a cell beginning with one of these as a formula, so CSV outputs
    // write such text with a leading `'`: an id would come out changed (`'=B01`).
    if let Some(c) = id
        .chars()
        .next()
        .filter(|c| matches!(c, '=' | '+' | '-' | '@'))
    {
        tell(
            0,
            msg!(
                "branch id `{id}` begins with `{c}`, which a spreadsheet reads as a formula (CSV outputs would show it as '{id}); expected a code beginning with a letter or a digit, such as B01",
                "支部编号“{id}”以“{c}”开头，电子表格会把它当作公式（CSV 输出中会显示为 '{id}）；应以字母或数字开头，如 B01"
            ),
        );
    }
    let domain = Domain::parse(domain_text);
    if domain.is_none() && !domain_text.is_empty() {
        let expected = crate::i18n::list(&Domain::expected());
        tell(
            2,
            msg!(
                "unknown domain `{domain_text}`; expected one of: {expected}",
                "未知领域“{domain_text}”；应为以下之一：{expected}"
            ),
        );
    }
    let mut int = |k: usize, lo: i64, hi: i64, what: &str| -> Option<i64> {
        let v = get(k);
        let n = v.parse::<i64>().ok().filter(|n| (lo..=hi).contains(n));
        if n.is_none() && !v.is_empty() {
            tell(
                k,
                msg!(
                    "{what} `{v}` is not valid; expected a whole number from {lo} to {hi}",
                    "{what}“{v}”无效；应为 {lo} 到 {hi} 之间的整数"
                ),
            );
        }
        n
    };
    let from = int(7, 1900, 9999, tr("first year", "起始年度")).map(|v| v as i32);
    let until = int(8, 1900, 9999, tr("last year", "截止年度")).map(|v| v as i32);
    let plaque = int(9, 0, 5, tr("plaque", "星级牌")).map(|v| v as u8);
    let streak = int(10, 0, 1000, tr("streak", "连续五星年数")).unwrap_or(0);
    if let (Some(f), Some(u)) = (from, until) {
        if f > u {
            tell(
                8,
                msg!(
                    "last year {u} is before the first year {f}; expected until ≥ from",
                    "截止年度 {u} 早于起始年度 {f}；应满足 until ≥ from"
                ),
            );
        }
    }
    let ok = problems.len() == before;
    match (ok, domain) {
        (true, Some(domain)) => Ok(Branch {
            from: year16(from),
            until: year16(until),
            plaque: plaque.unwrap_or(NO_PLAQUE),
            streak: u16::try_from(streak).unwrap_or(u16::MAX),
            ..Branch::new(
                [id, bname, get(3), get(4), get(5), get(6)],
                domain,
                row.line(),
            )
        }),
        _ => Err(id.to_string()),
    }
}

/// A branch whose years miss every year of the workspace is probably a typo.
pub fn check_years(
    shown: &str,
    (branches, columns): &(Vec<Branch>, YearColumns),
    config: &Config,
    problems: &mut Problems,
) {
    let name = super::join_shown(shown, "branches.csv");
    for b in branches {
        // A year whose date is wrong is still a year here: its own problem says why.
        let mut years = config.years.keys().chain(&config.bad_years);
        if !years.any(|y| b.rated_in(*y)) {
            let years: Vec<String> = config.years.keys().map(i32::to_string).collect();
            let (column, field) = match (b.from, columns.from, columns.until) {
                (Some(_), Some(c), _) => (c, "from"),
                (_, _, Some(c)) => (c, "until"),
                (_, Some(c), None) => (c, "from"),
                (_, None, None) => (0, ""),
            };
            problems.push(Problem::cell(
                &name,
                b.line(),
                usize::from(column),
                field,
                {
                    let (id, span, years) = (b.id(), b.span_text(), crate::i18n::list(&years.join(", ")));
                    msg!(
                        "branch `{id}` is {span}, which is none of the workspace's years ({years}); expected from/until to overlap them",
                        "支部“{id}”{span}，不在工作区的任何年度（{years}）之内；from/until 应与这些年度有交集"
                    )
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::table::STREAM_FROM_BYTES;

    /// branches.csv read the usual way (in two parts, split at commas when clean) and one by
    /// one with the csv reader.
    fn both_ways(text: &str) -> (Option<Vec<Branch>>, Vec<Branch>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("branches.csv"), text).unwrap();
        let mut problems = Problems::new();
        let usual = load(dir.path(), "", Encoding::Auto, &mut problems).map(|(b, _)| b);
        let files = [File {
            path: dir.path().join("branches.csv"),
            name: "branches.csv".into(),
        }];
        let (parts, careful, careful_problems) =
            crate::workspace::table::both_ways(&Branches, &files);
        assert_eq!(problems.len(), careful_problems.len(), "{text}");
        // In one part on this thread, as small files are read: the same rows as split.
        let one = crate::workspace::table::in_one_part(&Branches, &files);
        assert_eq!(one.map(|p| p.out), parts.map(|p| p.out), "{text}");
        (usual, careful.out)
    }

    #[test]
    fn branches_split_at_commas_are_the_branches_the_csv_reader_reads() {
        let rows = "B01,大王村党支部,rural,大王镇,王书记,李镇长,道路硬化,,,3,0\n\
                    B02,张庄村党支部,rural,大王镇, 张书记 ,李镇长,,2024,,,\n\
                    B03,镇机关党支部,agency,大王镇,赵书记,李镇长,窗口提速,,2025,5,2\n\
                    B04,社区党支部,community,大王镇,钱书记,李镇长,　邻里中心　,2023,2025,4,1\n";
        let header = "id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n";
        for text in [
            format!("{header}{rows}"),
            format!("{header}{rows}").replace('\n', "\r\n"),
            format!("\n\n{header}\n{}", rows.replace('\n', "\n\n")),
            format!("\u{feff}{header}{}", rows.trim_end()),
        ] {
            let (usual, careful) = both_ways(&text);
            let usual = usual.expect("clean");
            assert_eq!(usual.len(), 4);
            assert_eq!(usual, careful, "{text:?}");
        }
        // A province's file (over a mebibyte: streamed in two halves), LF and CRLF, with a
        // byte-order mark and blank lines.
        let mut big = String::from(header);
        for i in 0..20_000 {
            let domain = ["rural", "agency", "community"][i % 3];
            big.push_str(&format!(
                "G{i:07},第{i}党支部,{domain},大王镇,书记{i},李镇长,项目{},,,{},0\n{}",
                i % 17,
                i % 6,
                if i % 1000 == 0 { "\n" } else { "" }
            ));
        }
        assert!(big.len() as u64 > STREAM_FROM_BYTES);
        for text in [
            big.clone(),
            format!("\u{feff}{}", big.replace('\n', "\r\n")),
        ] {
            let (usual, careful) = both_ways(&text);
            let usual = usual.expect("clean");
            assert_eq!(usual.len(), 20_000);
            let first = usual.iter().zip(&careful).position(|(a, b)| a != b);
            assert_eq!(first, None, "first difference");
            assert_eq!(usual.len(), careful.len());
        }
        // A province's file with a problem in its second half: the streamed read gives up and
        // the careful one tells the problem at its line.
        let bad = big.replacen("G0015000,第15000党支部,", "G0015000,,", 1);
        assert_ne!(bad, big);
        let (usual, _) = both_ways(&bad);
        assert!(usual.is_none());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("branches.csv"), &bad).unwrap();
        let mut problems = Problems::new();
        assert!(load(dir.path(), "", Encoding::Auto, &mut problems).is_none());
        let line = 2 + bad
            .lines()
            .skip(1)
            .position(|l| l.starts_with("G0015000,"))
            .unwrap();
        let told: Vec<String> = problems.sorted().iter().map(|p| p.to_string()).collect();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains(&format!(":{line}:2")), "{told:?}");
        // Not clean: both tell the same problems.
        let (usual, _) = both_ways(&format!("{header}{rows}B05,,rural,,,,,,,,\n"));
        assert!(usual.is_none());
    }

    /// A province's file whose ids do not increase — two rows swapped within a half, the
    /// first row moved to the end, or each half in order but the second's ids before the
    /// first's — is not taken from the two halves: the branches come sorted by id all the
    /// same, as the careful read sorts them.
    #[test]
    fn branches_out_of_id_order_in_a_province_file_come_sorted() {
        let header = "id,name,domain,town,secretary,lead,project\n";
        let rows: Vec<String> = (0..20_000)
            .map(|i| {
                format!(
                    "G{i:07},第{i}党支部,rural,大王镇,书记{i},李镇长,项目{}\n",
                    i % 17
                )
            })
            .collect();
        let mut swapped = rows.clone();
        swapped.swap(100, 101);
        let mut moved = rows.clone();
        moved.rotate_left(1);
        // The halves meet at the first line starting at or after the middle byte: the rows
        // before it get ids starting with H, after all of the second half's G ids.
        let whole = format!("{header}{}", rows.concat());
        let mid = whole.len() / 2;
        let mut at = header.len();
        let across: Vec<String> = (rows.iter())
            .map(|r| {
                let start = at;
                at += r.len();
                if start < mid {
                    r.replacen('G', "H", 1)
                } else {
                    r.clone()
                }
            })
            .collect();
        for (what, rows) in [("swapped", swapped), ("moved", moved), ("across", across)] {
            let text = format!("{header}{}", rows.concat());
            assert!(text.len() as u64 > STREAM_FROM_BYTES);
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("branches.csv"), &text).unwrap();
            let files = [File {
                path: dir.path().join("branches.csv"),
                name: "branches.csv".into(),
            }];
            let (parts, mut careful, told) = crate::workspace::table::both_ways(&Branches, &files);
            assert!(parts.is_none(), "{what}: not taken from the halves");
            assert!(told.is_empty(), "{what}: {told:?}");
            careful.out.sort_by(|a, b| a.id().cmp(b.id()));
            let mut problems = Problems::new();
            let (got, _) = load(dir.path(), "", Encoding::Auto, &mut problems).expect(what);
            assert!(problems.is_empty(), "{what}: {problems:?}");
            assert!(got.is_sorted_by(|a, b| a.id() < b.id()), "{what}: sorted");
            assert_eq!(got, careful.out, "{what}");
        }
    }

    /// A province's branches are held whole: a field added or widened shows here.
    #[test]
    fn a_branch_takes_48_bytes_besides_its_texts() {
        assert_eq!(std::mem::size_of::<Branch>(), 48);
    }

    #[test]
    fn packed_texts_read_back_as_given() {
        for parts in [
            [
                "B01",
                "坪孙村党支部",
                "冯湾镇",
                "马军",
                "赵红梅",
                "村内道路硬化亮化",
            ],
            ["B02", "", "", "", "", ""],
            ["", "n", "town", "", "lead", ""],
            ["B04", "", "", "秘书", "", "项目"],
        ] {
            let b = Branch::new(parts, Domain::Rural, 2);
            let read = [
                b.id(),
                b.name(),
                b.town(),
                b.secretary(),
                b.lead(),
                b.project(),
            ];
            assert_eq!(read, parts);
            assert_eq!(
                (b.from(), b.until(), b.plaque(), b.streak()),
                (None, None, None, 0)
            );
        }
    }
}
