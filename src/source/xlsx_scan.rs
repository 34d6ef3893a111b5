//! What calamine does not tell, or trusts too much, read from the workbook's XML before
//! calamine is called on a worksheet.
//!
//! * Limits, checked before anything is allocated for a worksheet: at most
//!   [`MAX_SHEETS`] worksheets; at most [`MAX_PART_BYTES`] of decompressed XML read from any
//!   part (counted while reading, the zip's declared sizes are not trusted), and at most
//!   [`MAX_RUN_BYTES`] between two XML events (a run of text kept whole); every cell
//!   reference and the `dimension` must parse and lie within [`MAX_ROWS`] rows and
//!   [`MAX_COLS`] columns, and the range from A1 to the last cell within [`MAX_CELLS`] cells
//!   (the text of a worksheet is padded from A1, and calamine allocates the used range).
//! * Shared strings: the index of every `t="s"` cell must be a number below the count of
//!   `<si>` in `xl/sharedStrings.xml` (calamine reads an index that is not a number as
//!   string 0 and panics on one out of range).
//! * Number formats: calamine turns date formats into dates but says nothing of
//!   percentages. `xl/styles.xml` gives each cell style (`cellXfs`) a number format;
//!   each number cell's `s` attribute names its style. The scan returns the number cells
//!   whose format is a percentage or a date/time ([`Kind`]), by (row, column), and the
//!   caller ([`super::read`]) decides with the column's header whether that is a problem.
//! * Formulas without a saved value: calamine reads a formula cell's saved value, which a
//!   workbook written by a program that does not calculate (rust_xlsxwriter, openpyxl)
//!   leaves out or sets to a placeholder, saying so with `fullCalcOnLoad` (Excel and WPS
//!   calculate on opening). The scan returns the formula cells with no value, or of such a
//!   workbook, with their formula.
//! * Merged ranges (`<mergeCell ref="A2:A4"/>`), at most [`MAX_MERGES`] of them: the
//!   value of the first cell counts for every cell of the range.

use crate::i18n::msg;
use std::collections::HashMap;
use std::io::{BufReader, Read};

/// At most this many worksheets in a workbook.
pub const MAX_SHEETS: usize = 64;
/// At most this many rows in a worksheet (the last row at most 200,000).
pub const MAX_ROWS: u32 = 200_000;
/// At most this many columns (the last column at most `AMJ`).
pub const MAX_COLS: u32 = 1_024;
/// At most this many cells from A1 to the last row and column.
// calamine holds the used range densely (32 bytes a cell): 4,000,000 cells stay under
// 128 MiB, and still hold a score sheet of 200,000 rows × 20 columns.
pub const MAX_CELLS: u64 = 4_000_000;
/// At most this many bytes of XML, decompressed, in any part read.
pub const MAX_PART_BYTES: u64 = 64 << 20;
/// The most bytes read between two XML events (a text, a tag, a comment): the XML reader
/// keeps one event in memory, and grows its buffer by doubling, so a part of 64 MiB of
/// spaces would take three times that. A cell holds at most 32,767 characters.
pub const MAX_RUN_BYTES: u64 = 1 << 20;

/// At most this many merged ranges in a worksheet.
pub const MAX_MERGES: usize = 100_000;
/// At most this many formulas without a saved value are told cell by cell; a worksheet with
/// more is refused whole (each would be told, and kept, for nothing: one save in Excel or
/// WPS settles them all).
pub const MAX_UNSAVED: usize = 1_000;

/// How a number cell is formatted, when that changes what Excel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Excel shows 100 times the number stored, with `%`.
    Percent,
    /// Excel shows the number stored as a date and/or time.
    Date,
}

/// A problem the scan found: where (0-based row and column, when it is a cell) and what.
#[derive(Debug)]
pub struct Found {
    pub cell: Option<(u32, u32)>,
    pub message: String,
}

/// The scan of a workbook: its worksheets in order, by name and part.
pub struct Book {
    sheets: Vec<(String, Option<String>)>,
    kinds: Vec<Option<Kind>>,
    strings: usize,
    /// The workbook counts dates from 1904 (`<workbookPr date1904="1"/>`).
    pub date1904: bool,
    /// The workbook asks to be calculated when opened (`<calcPr fullCalcOnLoad="1"/>`): it
    /// was written by a program that does not calculate, and its formulas' saved values are
    /// placeholders.
    pub uncalculated: bool,
}

/// What the scan of one worksheet found.
#[derive(Default)]
pub struct Sheet {
    /// Number cells formatted as a percentage or a date, by 0-based (row, column).
    pub kinds: HashMap<(u32, u32), Kind>,
    /// Formula cells without a saved value (or whose value is a placeholder, in a workbook
    /// never calculated), by 0-based (row, column), with the formula (cut at 64 bytes).
    pub unsaved: HashMap<(u32, u32), String>,
    /// Merged ranges, 0-based (first row, first column, last row, last column).
    pub merges: Vec<(u32, u32, u32, u32)>,
    /// Problems that keep the worksheet from being read by calamine.
    pub problems: Vec<Found>,
}

/// A reader that fails once more than `left` bytes have been read through it, or more
/// than `run_left` since `run_left` was last reset (at each XML event).
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
    run_left: u64,
    run_over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.run_left.checked_sub(n as u64) {
            Some(left) => self.run_left = left,
            None => {
                self.run_over = true;
                return Err(std::io::Error::other("run too long"));
            }
        }
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => {
                self.over = true;
                Err(std::io::Error::other("part too large"))
            }
        }
    }
}

type Xml<'a> = quick_xml::Reader<BufReader<Capped<zip::read::ZipFile<'a, std::fs::File>>>>;

fn too_large(part: &str) -> String {
    let mib = MAX_PART_BYTES >> 20;
    msg!(
        "part {part} of the workbook is larger than {mib} MiB once decompressed; expected a score sheet of at most {MAX_ROWS} rows and {MAX_COLS} columns",
        "工作簿的部件 {part} 解压后超过 {mib} MiB；评分表应不超过 {MAX_ROWS} 行、{MAX_COLS} 列"
    )
}

/// Run `each` on every event of a part of the zip (if the part is there), reading at
/// most [`MAX_PART_BYTES`]. `Ok(false)` when the part is missing; `Err` a message.
fn each_event(
    zip: &mut zip::ZipArchive<std::fs::File>,
    part: &str,
    mut each: impl FnMut(&quick_xml::events::Event<'_>) -> Result<(), String>,
) -> Result<bool, String> {
    let file = match zip.by_name(part) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(false),
        Err(e) => {
            // The zip crate says why in English only.
            let zh = match &e {
                zip::result::ZipError::Io(io) => crate::problem::io_reason(io),
                _ => "压缩数据已损坏".to_string(),
            };
            return Err(msg!(
                "part {part} of the workbook cannot be read ({e})",
                "无法读取工作簿的部件 {part}（{zh}）"
            ));
        }
    };
    let capped = Capped {
        inner: file,
        left: MAX_PART_BYTES,
        over: false,
        run_left: MAX_RUN_BYTES,
        run_over: false,
    };
    let mut xml: Xml<'_> = quick_xml::Reader::from_reader(BufReader::new(capped));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => return Ok(true),
            Ok(ev) => {
                each(&ev)?;
                xml.get_mut().get_mut().run_left = MAX_RUN_BYTES;
            }
            Err(e) => {
                let capped = xml.get_ref().get_ref();
                if capped.over {
                    return Err(too_large(part));
                }
                if capped.run_over {
                    let mib = MAX_RUN_BYTES >> 20;
                    return Err(msg!(
                        "part {part} of the workbook has more than {mib} MiB of text in one piece (a text, a tag or a comment); expected cells of at most 32767 characters",
                        "工作簿的部件 {part} 有一段超过 {mib} MiB 的连续文本（文本、标签或注释）；单元格应不超过 32767 个字符"
                    ));
                }
                // The XML reader says why in English only: in Chinese, where is enough.
                let at = xml.error_position();
                return Err(msg!(
                    "part {part} of the workbook is not well-formed XML ({e})",
                    "工作簿的部件 {part} 不是格式正确的 XML（第 {at} 字节处）；文件已损坏：请用 Excel 或 WPS 打开，另存为 .xlsx"
                ));
            }
        }
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name).then(|| {
            let raw = String::from_utf8_lossy(&a.value);
            match quick_xml::escape::unescape(&raw) {
                Ok(v) => v.into_owned(),
                Err(_) => raw.into_owned(),
            }
        })
    })
}

fn start<'e, 'a>(
    ev: &'e quick_xml::events::Event<'a>,
) -> Option<&'e quick_xml::events::BytesStart<'a>> {
    match ev {
        quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => Some(e),
        _ => None,
    }
}

/// What a custom number format shows: `%` outside quotes is a percentage; a date or time
/// letter (y, m, d, h, s) outside quotes and brackets is a date.
pub fn custom_kind(code: &str) -> Option<Kind> {
    let (mut quoted, mut escaped, mut brackets) = (false, false, 0u32);
    let mut date = false;
    for ch in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match ch {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            '%' => return Some(Kind::Percent),
            'y' | 'm' | 'd' | 'h' | 's' | 'Y' | 'M' | 'D' | 'H' | 'S' if brackets == 0 => {
                date = true
            }
            _ => {}
        }
    }
    date.then_some(Kind::Date)
}

/// What a built-in number format shows: 9 and 10 are percentages; 14–22 and 45–47 dates
/// and times, and so are 27–36 and 50–58 in the Chinese, Japanese and Korean versions.
fn builtin_kind(id: u32) -> Option<Kind> {
    match id {
        9 | 10 => Some(Kind::Percent),
        14..=22 | 27..=36 | 45..=47 | 50..=58 => Some(Kind::Date),
        _ => None,
    }
}

/// Text added to `to`, which is cut at 64 bytes (on a character) and marked with `…`.
fn push_cut(to: &mut String, text: &str) {
    to.push_str(text);
    if to.len() > 64 {
        let cut = (0..=64).rev().find(|&i| to.is_char_boundary(i));
        to.truncate(cut.unwrap_or(0));
        to.push('…');
    }
}

/// A cell reference such as `B2`: its 0-based row and column.
pub fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim_start_matches('$');
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (l, d) = s.split_at_checked(letters)?;
    let d = d.trim_start_matches('$');
    if !(1..=3).contains(&l.len()) || d.is_empty() || d.len() > 7 {
        return None;
    }
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = l.bytes().fold(0u32, |c, b| {
        c * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = d.parse().ok()?;
    if row == 0 || row > 1_048_576 || col > 16_384 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// A column number as Excel names it (0 is `A`).
pub fn col_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Is the last cell (0-based) within the limits? `None` when it is, else the message.
fn beyond(row: u32, col: u32) -> Option<String> {
    let rows = u64::from(row) + 1;
    let cols = u64::from(col) + 1;
    if rows <= u64::from(MAX_ROWS) && cols <= u64::from(MAX_COLS) && rows * cols <= MAX_CELLS {
        return None;
    }
    let last = format!("{}{rows}", col_name(col));
    Some(msg!(
        "worksheet reaches cell {last} ({rows} rows, {cols} columns); expected at most {MAX_ROWS} rows, {MAX_COLS} columns and {MAX_CELLS} cells from A1: delete the cells beyond the score sheet",
        "工作表用到单元格 {last}（{rows} 行、{cols} 列）；应不超过 {MAX_ROWS} 行、{MAX_COLS} 列，自 A1 起不超过 {MAX_CELLS} 个单元格：请删除评分表以外的单元格"
    ))
}

/// Resolve a relationship target of `xl/workbook.xml` to a part name.
fn part_name(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    }
}

impl Book {
    /// The scan of the workbook parts shared by its worksheets. `Ok(None)` when the file
    /// is not a zip (calamine then says what it is not); `Err` the problems of the whole
    /// workbook.
    pub fn open(
        path: &std::path::Path,
    ) -> Result<Option<(Book, zip::ZipArchive<std::fs::File>)>, String> {
        let Ok(file) = std::fs::File::open(path) else {
            return Ok(None);
        };
        let Ok(mut zip) = zip::ZipArchive::new(file) else {
            return Ok(None);
        };
        let mut sheets: Vec<(String, String)> = Vec::new();
        let mut count = 0usize;
        let mut date1904 = false;
        let mut uncalculated = false;
        each_event(&mut zip, "xl/workbook.xml", |ev| {
            if let Some(e) = start(ev) {
                let yes = |name: &[u8]| attr(e, name).is_some_and(|v| v == "1" || v == "true");
                if e.local_name().as_ref() == b"workbookPr" {
                    date1904 = yes(b"date1904");
                }
                if e.local_name().as_ref() == b"calcPr" {
                    uncalculated = yes(b"fullCalcOnLoad");
                }
                if e.local_name().as_ref() == b"sheet" {
                    count += 1;
                    if count > MAX_SHEETS {
                        return Err(msg!(
                            "workbook has more than {MAX_SHEETS} worksheets; expected at most {MAX_SHEETS}",
                            "工作簿的工作表超过 {MAX_SHEETS} 个；应不超过 {MAX_SHEETS} 个"
                        ));
                    }
                    let name = attr(e, b"name").unwrap_or_default();
                    sheets.push((name, attr(e, b"id").unwrap_or_default()));
                }
            }
            Ok(())
        })?;
        let mut targets: HashMap<String, String> = HashMap::new();
        each_event(&mut zip, "xl/_rels/workbook.xml.rels", |ev| {
            if let Some(e) = start(ev) {
                if e.local_name().as_ref() == b"Relationship" {
                    if let (Some(id), Some(t)) = (attr(e, b"Id"), attr(e, b"Target")) {
                        targets.insert(id, part_name(&t));
                    }
                }
            }
            Ok(())
        })?;
        let mut custom: HashMap<u32, Option<Kind>> = HashMap::new();
        let mut kinds = Vec::new();
        let mut in_xfs = false;
        each_event(&mut zip, "xl/styles.xml", |ev| {
            use quick_xml::events::Event;
            match ev {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"numFmt" => {
                        let id = attr(e, b"numFmtId").and_then(|v| v.trim().parse().ok());
                        if let (Some(id), Some(code)) = (id, attr(e, b"formatCode")) {
                            custom.insert(id, custom_kind(&code));
                        }
                    }
                    b"cellXfs" => in_xfs = matches!(ev, Event::Start(_)),
                    b"xf" if in_xfs => {
                        let id: Option<u32> =
                            attr(e, b"numFmtId").and_then(|v| v.trim().parse().ok());
                        kinds.push(id.and_then(|id| match custom.get(&id) {
                            Some(k) => *k,
                            None => builtin_kind(id),
                        }));
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
                _ => {}
            }
            Ok(())
        })?;
        // Counted as calamine keeps them: an `<si>` (a start tag, not `<si/>`) is a string
        // when a `<t>` (not in phonetic text, `<rPh>`) or a rich-text run `<r>` starts in it
        // before it ends; else calamine passes it over and every later index moves (an index
        // counted here but not there made calamine index past its strings: a panic).
        let (mut strings, mut si, mut text, mut phonetic) = (0usize, false, false, false);
        each_event(&mut zip, "xl/sharedStrings.xml", |ev| {
            use quick_xml::events::Event;
            match ev {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"si" if !si => (si, text, phonetic) = (true, false, false),
                    b"r" => text = true,
                    b"rPh" => phonetic = true,
                    b"t" if !phonetic => text = true,
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"si" if si => {
                        strings += usize::from(text);
                        si = false;
                    }
                    b"rPh" => phonetic = false,
                    _ => {}
                },
                _ => {}
            }
            Ok(())
        })?;
        let sheets = sheets
            .into_iter()
            .map(|(name, id)| {
                let part = targets.get(&id).cloned();
                (name, part)
            })
            .collect();
        Ok(Some((
            Book {
                sheets,
                kinds,
                strings,
                date1904,
                uncalculated,
            },
            zip,
        )))
    }

    /// Scan the worksheet `name`; `None` when the workbook has no such worksheet part
    /// (calamine then says so).
    pub fn sheet(&self, zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Option<Sheet> {
        let part = self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, p)| p.clone())?;
        let mut out = Sheet::default();
        let mut row: u32 = 0;
        let mut next_row: u32 = 0;
        let mut col: Option<u32> = None;
        // The cell being read: (row, col, t, s) and whether its <v> is being read.
        let mut cell: Option<(u32, u32, Option<String>, usize)> = None;
        let mut in_v = false;
        let mut value = String::new();
        let mut reported_beyond = false;
        // The formula of the cell being read (its <f> being read), and whether its <v> held
        // a value.
        let mut formula: Option<String> = None;
        let mut in_f = false;
        let mut valued = false;
        let scan = each_event(zip, &part, |ev| {
            use quick_xml::events::Event;
            match ev {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"dimension" => {
                        let r = attr(e, b"ref").unwrap_or_default();
                        let last = r.rsplit(':').next().unwrap_or_default();
                        // A range's end is not before its start (calamine subtracts them).
                        let ordered = |c: &[(u32, u32)]| match c {
                            [a, b] => a.0 <= b.0 && a.1 <= b.1,
                            _ => true,
                        };
                        match r.split(':').map(cell_ref).collect::<Option<Vec<_>>>() {
                            Some(c) if (1..=2).contains(&c.len()) && ordered(&c) => {
                                if let Some(m) = cell_ref(last).and_then(|(r, c)| beyond(r, c)) {
                                    out.problems.push(Found {
                                        cell: None,
                                        message: msg!(
                                            "the stated size (dimension {r}) is too large: {m}",
                                            "声明的范围（dimension {r}）过大：{m}"
                                        ),
                                    });
                                }
                            }
                            _ => out.problems.push(Found {
                                cell: None,
                                message: msg!(
                                    "the stated size (dimension `{r}`) is not a cell range; expected a range such as A1:F20",
                                    "声明的范围（dimension“{r}”）不是单元格区域；应为形如 A1:F20 的区域"
                                ),
                            }),
                        }
                    }
                    b"row" => {
                        row = match attr(e, b"r") {
                            Some(r) => match r.trim().parse::<u32>() {
                                Ok(n) if (1..=1_048_576).contains(&n) => n - 1,
                                _ => {
                                    return Err(msg!(
                                        "row number `{r}` is not a row of a worksheet; expected 1 to 1048576",
                                        "行号“{r}”不是工作表的行；应为 1 到 1048576"
                                    ))
                                }
                            },
                            None => next_row,
                        };
                        next_row = row.saturating_add(1);
                        col = None;
                    }
                    b"c" => {
                        let (r, c) = match attr(e, b"r") {
                            Some(text) => match cell_ref(&text) {
                                Some(rc) => rc,
                                None => {
                                    return Err(msg!(
                                        "cell reference `{text}` is not a cell such as B2",
                                        "单元格引用“{text}”不是形如 B2 的单元格"
                                    ))
                                }
                            },
                            None => (row, col.map_or(0, |c| c.saturating_add(1))),
                        };
                        col = Some(c);
                        if !reported_beyond {
                            if let Some(m) = beyond(r, c) {
                                reported_beyond = true;
                                out.problems.push(Found {
                                    cell: Some((r, c)),
                                    message: m,
                                });
                            }
                        }
                        let s = attr(e, b"s")
                            .and_then(|s| s.trim().parse().ok())
                            .unwrap_or(0);
                        cell = matches!(ev, Event::Start(_)).then(|| (r, c, attr(e, b"t"), s));
                        (formula, in_f, valued) = (None, false, false);
                    }
                    b"v" if cell.is_some() => {
                        in_v = matches!(ev, Event::Start(_));
                        value.clear();
                        if !in_v {
                            self.check_value(&mut out, cell.as_ref(), "");
                        }
                    }
                    b"f" if cell.is_some() => {
                        in_f = matches!(ev, Event::Start(_));
                        formula = Some(String::new());
                    }
                    b"mergeCell" => {
                        let r = attr(e, b"ref").unwrap_or_default();
                        let ends: Option<Vec<_>> = r.split(':').map(cell_ref).collect();
                        let (a, b) = match ends.as_deref() {
                            Some(&[a]) => (a, a),
                            Some(&[a, b]) => (a, b),
                            _ => {
                                return Err(msg!(
                                    "merged range `{r}` is not a cell range such as A2:A4",
                                    "合并区域“{r}”不是形如 A2:A4 的单元格区域"
                                ))
                            }
                        };
                        if out.merges.len() >= MAX_MERGES {
                            return Err(msg!(
                                "worksheet has more than {MAX_MERGES} merged ranges; expected at most {MAX_MERGES}",
                                "工作表的合并区域超过 {MAX_MERGES} 个；应不超过 {MAX_MERGES} 个"
                            ));
                        }
                        out.merges
                            .push((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)));
                    }
                    _ => {}
                },
                // Only a shared-string index is read from a value: a value longer than
                // 64 bytes is cut and marked with `…`, so it is never taken for one.
                Event::Text(t) if in_v && !value.ends_with('…') => {
                    push_cut(&mut value, &String::from_utf8_lossy(t.as_ref()));
                }
                Event::Text(t) if in_f => {
                    if let Some(f) = formula.as_mut().filter(|f| !f.ends_with('…')) {
                        push_cut(f, &String::from_utf8_lossy(t.as_ref()));
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"v" if in_v => {
                        in_v = false;
                        valued |= !value.trim().is_empty();
                        self.check_value(&mut out, cell.as_ref(), &value);
                    }
                    b"f" => in_f = false,
                    b"c" => {
                        if let (Some((r, c, ..)), Some(f)) = (&cell, formula.take()) {
                            if !valued || self.uncalculated {
                                if out.unsaved.len() >= MAX_UNSAVED {
                                    return Err(msg!(
                                        "worksheet has more than {MAX_UNSAVED} formulas with no saved value (the workbook was written by a program that does not calculate); expected values: open the workbook in Excel or WPS and save it, so that the values are saved with it",
                                        "工作表中有超过 {MAX_UNSAVED} 个公式没有保存计算结果（工作簿由不计算公式的程序生成）；应为数值：请用 Excel 或 WPS 打开工作簿并保存，使计算结果一并保存"
                                    ));
                                }
                                let f = quick_xml::escape::unescape(&f)
                                    .map_or_else(|_| f.clone(), |u| u.into_owned());
                                out.unsaved.insert((*r, *c), f);
                            }
                        }
                        cell = None;
                    }
                    _ => {}
                },
                _ => {}
            }
            Ok(())
        });
        if let Err(m) = scan {
            out.problems.push(Found {
                cell: None,
                message: m,
            });
        }
        Some(out)
    }

    /// Check the value of a cell: a shared-string index must be one; a number's format is
    /// noted when it is a percentage or a date.
    fn check_value(
        &self,
        out: &mut Sheet,
        cell: Option<&(u32, u32, Option<String>, usize)>,
        v: &str,
    ) {
        let Some((r, c, t, s)) = cell else { return };
        match t.as_deref() {
            Some("s") => {
                let n = self.strings;
                let ok = !v.is_empty()
                    && v.bytes().all(|b| b.is_ascii_digit())
                    && v.parse::<usize>().is_ok_and(|i| i < n);
                if !ok {
                    out.problems.push(Found {
                        cell: Some((*r, *c)),
                        message: msg!(
                            "shared string `{v}` does not exist (the workbook has {n} shared strings); expected an index from 0 to {n} - 1: save the workbook again with Excel or WPS",
                            "共享字符串“{v}”不存在（工作簿共有 {n} 个共享字符串）；应为 0 到 {n} - 1 的序号：请用 Excel 或 WPS 重新保存工作簿"
                        ),
                    });
                }
            }
            None | Some("n") => {
                if let Some(Some(kind)) = self.kinds.get(*s) {
                    out.kinds.insert((*r, *c), *kind);
                }
            }
            _ => {}
        }
    }
}
