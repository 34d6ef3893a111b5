//! Excel workbooks as input: each worksheet is turned into CSV text with one line per
//! worksheet row and one field per column, so that the CSV rules and messages apply
//! unchanged and a problem's line and column are the worksheet's row and column. The file
//! is named `FILE[SHEET]` in messages.
//!
//! Numbers: a workbook stores a number as a binary double. It is written here as the
//! shortest decimal that reads back as the same double, which is the decimal the clerk
//! typed for any score of up to 15 significant digits; from there on it is exact.
//!
//! Which worksheets: the table's header row is found on each by the rule of
//! [`crate::source::sheet::rank`] (the first row naming a column of the table); the
//! worksheets that hold the table are read, and those passed over (empty, notes for people,
//! no header row) are named in one notice ([`crate::problem::notice`]).
//!
//! Never a misread cell: before calamine reads a worksheet, [`scan`] reads the workbook's
//! XML within stated limits (the number of worksheets, the decompressed size of each part,
//! the rows, columns and cells a worksheet reaches, shared-string indices, merged ranges)
//! and notes the number cells formatted as a percentage or a date and the formulas without
//! a saved value. A worksheet that breaks a limit is not given to calamine at all. A value
//! merged over a range is copied into every cell of it under the header. Then, while the
//! worksheet becomes CSV text, each cell under the header is checked with what its column
//! holds ([`ColumnKind`], by its header), and a problem located `FILE[SHEET]:ROW:COL` is
//! pushed for: a number shown as a percentage (Excel shows 92%, stores 0.92) or as a date
//! where a value belongs (a date cell in a date column is its day, whatever its format; in
//! a text column, either is read as shown); an error value (`#DIV/0!`, also as a formula's
//! cached text); a formula without a saved value. The problem is kept with the text
//! ([`Worksheet::told`]) and told when the worksheet is read — by the rules of the cell's
//! column, which tell that same problem rather than a second, misleading one, or after its
//! rows — once; it makes the command exit 1. Rows above the header (titles, legends) are
//! shown as they are and not checked: they are not read.

use crate::i18n::{msg, tr};
use crate::problem::{Location, Problem, Problems};
use crate::source::sheet::{rank, ColumnKind, Layout, Rank};
use crate::source::Text;
use calamine::{open_workbook_auto, Data, DataType, Reader};
use scan::Kind;
use std::path::Path;

#[path = "xlsx_scan.rs"]
mod scan;

/// The values of Excel's errors, as a cell shows them.
const ERRORS: &[&str] = &[
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#DATA!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#EXTERNAL!",
    "#PYTHON!",
];

fn cell(d: &Data) -> String {
    let s = match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(v) => v.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => match d.as_date() {
            Some(date) => date.to_string(),
            None => d.to_string(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    };
    // A line break inside a cell would shift the line numbers of the rows after it.
    s.replace(['\r', '\n'], " ")
}

/// A date serial number as Excel shows it, `2025-03-01` or `2025-03-01 08:30:00`, in the
/// 1900 date system or (`date1904`) the 1904 one.
fn serial_date(v: f64, date1904: bool) -> Option<chrono::NaiveDateTime> {
    if !v.is_finite() || !(0.0..3_000_000.0).contains(&v) {
        return None;
    }
    // Excel's 1900 system counts a 29 February 1900 that never was.
    let base = match (date1904, v < 61.0) {
        (true, _) => (1904, 1, 1),
        (false, true) => (1899, 12, 31),
        (false, false) => (1899, 12, 30),
    };
    let days = v.floor();
    let secs = ((v - days) * 86_400.0).round() as i64;
    chrono::NaiveDate::from_ymd_opt(base.0, base.1, base.2)?
        .and_hms_opt(0, 0, 0)?
        .checked_add_signed(chrono::TimeDelta::try_days(days as i64)?)?
        .checked_add_signed(chrono::TimeDelta::try_seconds(secs)?)
}

fn shown_datetime(dt: chrono::NaiveDateTime) -> String {
    if dt.time() == chrono::NaiveTime::MIN {
        dt.date().to_string()
    } else {
        dt.to_string()
    }
}

/// 100 times a number, as a percentage format shows it (`0.92` gives `92`).
fn percent(v: f64) -> String {
    use std::str::FromStr;
    match rust_decimal::Decimal::from_str(&v.to_string()) {
        Ok(d) => match d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED) {
            Some(p) => p.normalize().to_string(),
            None => (v * 100.0).to_string(),
        },
        Err(_) => (v * 100.0).to_string(),
    }
}

/// The text of a cell, or the text and the problem with it, by what its column holds
/// (`column`): a date cell is a date in a date column and shown as it is in a text column; a
/// percentage is shown as it is in a text column; elsewhere both could mean two things.
fn checked(
    d: &Data,
    kind: Option<Kind>,
    column: ColumnKind,
    date1904: bool,
) -> Result<String, (String, String)> {
    let number = match d {
        Data::Float(v) => Some(*v),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    };
    let text = column == ColumnKind::Text;
    let date_column = column == ColumnKind::Date;
    match (d, kind, number) {
        (Data::Error(e), ..) => {
            let e = e.to_string();
            Err((e.clone(), error_message(&e)))
        }
        (Data::String(s), ..) if ERRORS.contains(&s.trim()) => {
            Err((s.clone(), error_message(s.trim())))
        }
        (_, Some(Kind::Percent), Some(v)) if text => Ok(format!("{}%", percent(v))),
        (_, Some(Kind::Percent), Some(v)) => {
            let p = percent(v);
            let stored = cell(d);
            Err((
                stored.clone(),
                msg!(
                    "cell is formatted as a percentage (Excel shows {p}%, stores {stored}); expected the plain number {p}: format the cell as Number or General and type {p}",
                    "单元格设置为百分比格式（Excel 显示 {p}%，实际存储 {stored}）；应为普通数字 {p}：请将单元格格式设为“数值”或“常规”，再输入 {p}"
                ),
            ))
        }
        // A day number has one meaning, whatever the display format.
        (_, Some(Kind::Date), Some(v)) if date_column => Ok(match serial_date(v, date1904) {
            Some(dt) => dt.date().to_string(),
            None => cell(d),
        }),
        (_, Some(Kind::Date), Some(v)) if text => Ok(serial_date(v, date1904)
            .map(shown_datetime)
            .unwrap_or_else(|| cell(d))),
        (Data::DateTime(dt), ..) if date_column => Ok(match d.as_date() {
            Some(date) => date.to_string(),
            None => dt.as_f64().to_string(),
        }),
        (Data::DateTime(_), ..) if text => Ok(d
            .as_datetime()
            .map(shown_datetime)
            .unwrap_or_else(|| cell(d))),
        (Data::DateTimeIso(_) | Data::DurationIso(_), ..) if date_column || text => Ok(cell(d)),
        (Data::DateTime(dt), ..) => {
            let stored = dt.as_f64();
            let shown = d
                .as_datetime()
                .map(shown_datetime)
                .unwrap_or_else(|| cell(d));
            Err((stored.to_string(), date_message(&shown, stored)))
        }
        (Data::DateTimeIso(s) | Data::DurationIso(s), ..) => {
            Err((s.clone(), date_message(s, f64::NAN)))
        }
        (_, Some(Kind::Date), Some(v)) => {
            let shown = serial_date(v, date1904)
                .map(shown_datetime)
                .unwrap_or_else(|| cell(d));
            Err((cell(d), date_message(&shown, v)))
        }
        _ => Ok(cell(d)),
    }
}

/// A formula cell without a saved value: what to do.
fn unsaved_message(formula: &str) -> String {
    let f = match formula.trim() {
        "" => String::new(),
        f if f.starts_with('=') => msg!(" ({f})", "（{f}）"),
        f => msg!(" (={f})", "（={f}）"),
    };
    msg!(
        "cell holds a formula{f} with no saved value (the workbook was written by a program that does not calculate); expected a value: open the workbook in Excel or WPS and save it, so that the value is saved with it, or type the value",
        "单元格是公式{f}，但没有保存计算结果（工作簿由不计算公式的程序生成）；应为一个值：请用 Excel 或 WPS 打开工作簿并保存，使计算结果一并保存，或直接输入数值"
    )
}

fn error_message(e: &str) -> String {
    msg!(
        "cell holds the error value {e} (a formula that cannot be computed); expected a value: correct the formula or type the value",
        "单元格为错误值 {e}（公式无法计算）；应为一个值：请修正公式或直接输入数值"
    )
}

fn date_message(shown: &str, stored: f64) -> String {
    if stored.is_nan() {
        return msg!(
            "cell is a date or time (it shows {shown}); expected a plain number: format the cell as Number or General and type the number",
            "单元格为日期或时间（显示为 {shown}）；应为普通数字：请将单元格格式设为“数值”或“常规”，再输入数字"
        );
    }
    msg!(
        "cell is formatted as a date or time (Excel shows {shown}, stores {stored}); expected a plain number: format the cell as Number or General and type the number",
        "单元格设置为日期或时间格式（Excel 显示 {shown}，实际存储 {stored}）；应为普通数字：请将单元格格式设为“数值”或“常规”，再输入数字"
    )
}

/// A problem at a cell (0-based row and column), with its column's header when it has one.
fn at(sheet: &str, row: u32, col: u32, header: Option<&str>, message: String) -> Problem {
    let (line, column) = (row as usize + 1, col as usize + 1);
    match header.filter(|h| !h.is_empty()) {
        Some(h) => Problem::cell(sheet, line, column, h, message),
        None => Problem {
            location: Location::Line {
                line,
                column: Some(column),
                field: None,
            },
            ..Problem::file(sheet, message)
        },
    }
}

/// How a workbook is read: which worksheets, and the table's layout.
pub struct Book<'a> {
    /// Every worksheet holding the table is read (score sheets); else the first, and a
    /// second worksheet holding the table is a problem.
    pub all: bool,
    /// Worksheets of notes for people, by their name: never read (the rule is the
    /// workspace's, given here).
    pub notes: fn(&str) -> bool,
    pub layout: &'a Layout<'a>,
}

/// A worksheet read as CSV text, with the problems already told of its cells by (line,
/// 0-based column) (see [`crate::source::sheet::Sheet::with_told`]).
pub struct Worksheet {
    pub text: Text,
    /// At most [`crate::problem::MAX_PER_FILE`] of them (as many as are listed of a
    /// file); the others are counted in `more`.
    pub told: Vec<((usize, usize), Problem)>,
    pub more: usize,
}

/// What a worksheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// A header row naming the table's columns.
    Table,
    /// Cells, but no header row.
    NoHeader,
    /// No cell filled.
    Empty,
    /// Notes for people, by its name.
    Notes,
    /// It could not be read (its problems told).
    Broken,
}

/// The worksheets of a workbook that hold the table, as CSV texts (see [`Book`]). The
/// others are passed over, named in one notice: empty ones, notes for people, and those
/// with no header row when another holds the table. When none does, those with cells are
/// read (for the table to say what their header lacks), and a workbook of nothing but
/// empty worksheets and notes is one problem.
pub fn read(path: &Path, shown: &str, book: &Book, problems: &mut Problems) -> Vec<Worksheet> {
    // A regular file only: a FIFO would hang the opening, a device never end.
    if let Err(r) = crate::source::open_input(path, crate::source::MAX_FILE_BYTES) {
        problems.push(Problem::file(shown, r.message()));
        return Vec::new();
    }
    let mut scanned = match scan::Book::open(path) {
        Ok(s) => s,
        Err(m) => {
            problems.push(Problem::file(shown, m));
            return Vec::new();
        }
    };
    let mut wb = match open_workbook_auto(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::file(
                shown,
                {
                    let why = reader_why(&e);
                    msg!(
                        "cannot be read as an Excel workbook ({why}); expected an .xlsx file",
                        "无法作为 Excel 工作簿读取（{why}）；应为 .xlsx 文件：请用 Excel 或 WPS 打开，另存为 .xlsx"
                    )
                },
            ));
            return Vec::new();
        }
    };
    let mut sheets: Vec<(String, Holds, Option<Worksheet>)> = Vec::new();
    for name in wb.sheet_names() {
        if (book.notes)(&name) {
            sheets.push((name, Holds::Notes, None));
            continue;
        }
        // Only the texts that may be read are kept: every table's (or the first's), and
        // those without a header row until a table is found.
        let found = sheets.iter().any(|(_, h, _)| *h == Holds::Table);
        let keep = |h: Holds| match h {
            Holds::Table => book.all || !found,
            _ => !found,
        };
        let (holds, sheet) = worksheet(&mut wb, &mut scanned, shown, &name, book, problems);
        if holds == Holds::Table && !found {
            sheets.iter_mut().for_each(|s| s.2 = None);
        }
        sheets.push((name, holds, sheet.filter(|_| keep(holds))));
    }
    chosen(shown, sheets, book.all, problems)
}

/// Of the worksheets read, those that hold the table; the others named (see [`read`]).
fn chosen(
    shown: &str,
    sheets: Vec<(String, Holds, Option<Worksheet>)>,
    all: bool,
    problems: &mut Problems,
) -> Vec<Worksheet> {
    let has = |h: Holds| sheets.iter().any(|(_, k, _)| *k == h);
    let read = if has(Holds::Table) {
        Holds::Table
    } else if has(Holds::NoHeader) {
        Holds::NoHeader
    } else {
        if !has(Holds::Broken) {
            problems.push(Problem::file(
                shown,
                tr(
                    "no worksheet holds a table (each is empty, or notes for people); expected a worksheet with a header row",
                    "没有任何工作表包含表格（各工作表为空，或是给人看的说明）；应有一张带表头行的工作表",
                ),
            ));
        }
        return Vec::new();
    };
    let mut out: Vec<Worksheet> = Vec::new();
    let (mut empty, mut notes, mut no_header) = (Vec::new(), Vec::new(), Vec::new());
    let mut first: Option<String> = None;
    for (name, holds, sheet) in sheets {
        match (holds, sheet) {
            (h, Some(sheet)) if h == read && (all || first.is_none()) => {
                first = Some(name);
                out.push(sheet);
            }
            // A second worksheet naming the table's columns: which holds the table?
            (Holds::Table, _) => {
                let first = first.as_deref().unwrap_or_default();
                problems.push(Problem::file(
                    format!("{shown}[{name}]"),
                    msg!(
                        "a second worksheet with this table (the first is worksheet {first}); expected the table on one worksheet: move these rows to {first}, or delete this worksheet",
                        "第二张包含此表的工作表（第一张是工作表 {first}）；此表应只在一张工作表中：请将这些行移到 {first}，或删除此工作表"
                    ),
                ));
            }
            (Holds::Empty, _) => empty.push(name),
            (Holds::Notes, _) => notes.push(name),
            (Holds::NoHeader, _) => no_header.push(name),
            _ => {}
        }
    }
    // Only when the table was found elsewhere: else the run fails on what was read.
    if read == Holds::Table {
        let mut parts = Vec::new();
        let join = |v: &[String]| crate::i18n::list(&v.join(", "));
        if !empty.is_empty() {
            let l = join(&empty);
            parts.push(msg!("{l} (empty)", "{l}（空白）"));
        }
        if !notes.is_empty() {
            let l = join(&notes);
            parts.push(msg!("{l} (notes for people)", "{l}（给人看的说明）"));
        }
        if !no_header.is_empty() {
            let l = join(&no_header);
            parts.push(msg!(
                "{l} (no header row: no row names a column of this table)",
                "{l}（没有表头行：没有一行写有此表的列名）"
            ));
        }
        if !parts.is_empty() {
            let parts = parts.join(crate::i18n::tr("; ", "；"));
            crate::problem::notice(msg!(
                "{shown}: worksheets not read: {parts}",
                "{shown}：未读取的工作表：{parts}"
            ));
        }
    }
    out
}

/// One worksheet: what it holds, and (unless empty) its text.
fn worksheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    scanned: &mut Option<(scan::Book, zip::ZipArchive<std::fs::File>)>,
    shown: &str,
    name: &str,
    book: &Book,
    problems: &mut Problems,
) -> (Holds, Option<Worksheet>) {
    let sheet_shown = format!("{shown}[{name}]");
    let date1904 = scanned.as_ref().is_some_and(|(b, _)| b.date1904);
    let mut found = match scanned.as_mut().and_then(|(b, zip)| b.sheet(zip, name)) {
        Some(s) if !s.problems.is_empty() => {
            for f in s.problems {
                problems.push(match f.cell {
                    Some((r, c)) => at(&sheet_shown, r, c, None, f.message),
                    None => Problem::file(&sheet_shown, f.message),
                });
            }
            return (Holds::Broken, None);
        }
        Some(s) => s,
        None => scan::Sheet::default(),
    };
    let mut range = match wb.worksheet_range(name) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::file(&sheet_shown, {
                let why = reader_why(&e);
                msg!(
                    "worksheet cannot be read ({why})",
                    "无法读取工作表（{why}）"
                )
            }));
            return (Holds::Broken, None);
        }
    };
    let merges = match wb {
        calamine::Sheets::Xls(x) => (x.worksheet_merge_cells(name).unwrap_or_default())
            .into_iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect(),
        _ => std::mem::take(&mut found.merges),
    };
    let (holds, header_at) = header_row(&range, book.layout.knows);
    if holds == Holds::Empty {
        return (Holds::Empty, None);
    }
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let header: Vec<String> = header_at
        .and_then(|i| range.rows().nth(i))
        .map(|row| row.iter().map(|d| cell(d).trim().to_string()).collect())
        .unwrap_or_default();
    let first_data = header_at.map_or(u32::MAX, |i| r0.saturating_add(i as u32 + 1));
    // A value merged over a range counts for every cell of it, in the rows under the header
    // and the columns it names (a merged title or legend above it is one cell).
    let width = c0.saturating_add(header.len() as u32);
    if let Err(m) = fill_merges(&mut range, &merges, first_data, width) {
        problems.push(Problem::file(&sheet_shown, m));
        return (Holds::Broken, None);
    }
    let reading = Reading {
        sheet: &sheet_shown,
        header: &header,
        first_data,
        found: &found,
        layout: book.layout,
        date1904,
    };
    let (text, told, more) = reading.text(&range);
    let text = Text {
        name: sheet_shown,
        text,
    };
    (holds, Some(Worksheet { text, told, more }))
}

/// What a worksheet holds, and its header row (an index into the range): the first row
/// naming a column of the table, by the rule of [`rank`]; else the first of two cells or
/// more (the table then tells what its header lacks).
fn header_row(
    range: &calamine::Range<Data>,
    knows: &dyn Fn(&str) -> bool,
) -> (Holds, Option<usize>) {
    let (mut holds, mut header_at) = (Holds::Empty, None);
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(|d| cell(d).trim().to_string()).collect();
        match rank(cells.iter().map(String::as_str), knows) {
            Rank::Known => return (Holds::Table, Some(i)),
            Rank::Other if header_at.is_none() => (header_at, holds) = (Some(i), Holds::NoHeader),
            _ if holds == Holds::Empty && cells.iter().any(|c| !c.is_empty()) => {
                holds = Holds::NoHeader
            }
            _ => {}
        }
    }
    (holds, header_at)
}

/// How a worksheet's cells become CSV text.
struct Reading<'a> {
    sheet: &'a str,
    header: &'a [String],
    /// The first row under the header (0-based, as the worksheet counts).
    first_data: u32,
    found: &'a scan::Sheet,
    layout: &'a Layout<'a>,
    date1904: bool,
}

type Told = Vec<((usize, usize), Problem)>;

impl Reading<'_> {
    /// The text, one line per worksheet row (padded from A1), and the problems of its
    /// doubtful cells under the header (at most as many as are listed of a file; the number
    /// of the others).
    fn text(&self, range: &calamine::Range<Data>) -> (String, Told, usize) {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (mut told, mut more) = (Vec::new(), 0usize);
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        let mut text = "\n".repeat(r0 as usize);
        for (i, row) in range.rows().enumerate() {
            let r = r0.saturating_add(i as u32);
            let fields = row.iter().enumerate().map(|(j, d)| {
                let c = c0.saturating_add(j as u32);
                match self.cell(d, r, c, c0) {
                    Ok(t) => t,
                    Err((t, p)) => {
                        // Told when the worksheet is read (not at all when passed over).
                        match told.len() < crate::problem::MAX_PER_FILE {
                            true => told.push(((r as usize + 1, c as usize), *p)),
                            false => more += 1,
                        }
                        t.replace(['\r', '\n'], " ")
                    }
                }
            });
            let fields = std::iter::repeat_n(String::new(), c0 as usize).chain(fields);
            let _ = w.write_record(fields);
        }
        let _ = w.flush();
        text.push_str(&String::from_utf8_lossy(
            &w.into_inner().unwrap_or_default(),
        ));
        (text, told, more)
    }

    /// A cell's text, or its text and its problem, at (row, column).
    fn cell(&self, d: &Data, r: u32, c: u32, c0: u32) -> Result<String, (String, Box<Problem>)> {
        let h = (c.checked_sub(c0))
            .and_then(|i| self.header.get(i as usize))
            .map(String::as_str);
        // Above the header (titles, legends) nothing is read: shown as it is.
        let under = r >= self.first_data;
        let column = match (under, h) {
            (false, _) => ColumnKind::Text,
            (true, Some(h)) if !h.is_empty() => (self.layout.kind)(h),
            (true, _) => ColumnKind::Value,
        };
        let kind = self.found.kinds.get(&(r, c)).copied();
        let unsaved = self.found.unsaved.get(&(r, c)).filter(|_| under);
        let result = match (checked(d, kind, column, self.date1904), unsaved) {
            (Err(e), _) => Err(e),
            (Ok(_), Some(f)) => Err((
                format!("={}", f.trim_start_matches('=')),
                unsaved_message(f),
            )),
            (Ok(t), None) => return Ok(t),
        };
        result.map_err(|(t, m)| (t, Box::new(at(self.sheet, r, c, h, m))))
    }
}

/// Copy the value of each merged range's first cell into the range's other cells, in the
/// rows from `first_row` and the columns before `width` (0-based, as the worksheet counts
/// them), at most [`scan::MAX_CELLS`] cells in all.
fn fill_merges(
    range: &mut calamine::Range<Data>,
    merges: &[(u32, u32, u32, u32)],
    first_row: u32,
    width: u32,
) -> Result<(), String> {
    let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else {
        return Ok(());
    };
    let mut budget = scan::MAX_CELLS;
    for &(top, left, bottom, right) in merges {
        // Only a range whose value is itself under the header: a title's is not data.
        if top < first_row || left >= width {
            continue;
        }
        let Some(value) = range.get_value((top, left)).cloned() else {
            continue;
        };
        let (rows, cols) = (
            top.max(r0)..=bottom.min(r1),
            left.max(c0)..=right.min(c1).min(width.saturating_sub(1)),
        );
        let area = u64::from(rows.end().saturating_sub(*rows.start()) + 1)
            * u64::from(cols.end().saturating_sub(*cols.start()) + 1);
        budget = budget.checked_sub(area).ok_or_else(|| {
            msg!(
                "merged ranges cover more than {} cells; expected merged cells of a table only",
                "合并区域覆盖的单元格超过 {} 个；应只合并表格中的单元格",
                scan::MAX_CELLS
            )
        })?;
        for r in rows {
            for c in cols.clone() {
                if (r, c) != (top, left) {
                    range.set_value((r, c), value.clone());
                }
            }
        }
    }
    Ok(())
}

/// Why the workbook reader could not read a workbook or a worksheet, in the language of
/// messages: its own words in English; in Chinese, which it only has in English, what it
/// comes to (the system's reason for a failed read, else a damaged file).
fn reader_why(e: &calamine::Error) -> String {
    if crate::i18n::lang() == crate::i18n::Lang::En {
        return e.to_string();
    }
    match e {
        calamine::Error::Io(io) | calamine::Error::Xlsx(calamine::XlsxError::Io(io)) => {
            crate::problem::io_reason(io)
        }
        _ => "文件已损坏、不完整，或不是 Excel 工作簿".to_string(),
    }
}
