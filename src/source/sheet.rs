//! A CSV file read row by row, each row with its line number, so that every problem in a
//! cell can name the file, the line and the column. Rows are streamed, never all held in
//! memory, so that sheets of hundreds of thousands of branches stay cheap.

use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};

/// The widest row accepted; a hostile file with a million columns gets an error instead.
pub const MAX_COLUMNS: usize = 4096;
/// The longest line accepted (1 MiB); a hostile line of a gigabyte gets an error instead.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One data row, read by the csv reader: problems are told where they are.
pub struct Row<'r> {
    sheet: &'r Sheet<'r>,
    /// 1-based line where the record starts, and its first byte.
    line: usize,
    byte: usize,
    rec: &'r csv::StringRecord,
}

/// A field without surrounding spaces (as `str::trim` has them: full-width ones too). Most
/// fields have nothing to trim: their first and last bytes are looked up before anything is
/// scanned ([`SPACE_EDGES`]), for ASCII and Chinese alike (most of a province's
/// branches.csv, and six cells of each of its deductions).
#[inline]
fn trimmed(f: &str) -> &str {
    let bytes = f.as_bytes();
    let edge = |b: Option<&u8>, bit: u8| {
        b.and_then(|b| SPACE_EDGES.get(usize::from(*b)))
            .is_some_and(|e| e & bit != 0)
    };
    if !edge(bytes.first(), STARTS) && !edge(bytes.last(), ENDS) && !bytes.is_empty() {
        return f;
    }
    // Whether a character starting with this byte may be a space (`char::is_whitespace`):
    // ASCII up to ' ', or a UTF-8 lead of U+0085, U+00A0 (C2), U+1680 (E1), U+2000–U+205F
    // (E2) or U+3000 (E3).
    let maybe_space = |lead: &u8| *lead <= b' ' || matches!(*lead, 0xC2 | 0xE1..=0xE3);
    // The last character's first byte: not a continuation byte (10xxxxxx), at most 4 back.
    let last = bytes.iter().rev().take(4).find(|b| *b & 0xC0 != 0x80);
    match (bytes.first(), last) {
        (Some(first), Some(last)) if !maybe_space(first) && !maybe_space(last) => f,
        _ => f.trim(),
    }
}

/// [`SPACE_EDGES`]: the byte may start a space; it may end one.
const STARTS: u8 = 1;
const ENDS: u8 = 2;

/// Of each byte, whether a space (`char::is_whitespace`) may start or end with it, in
/// UTF-8: ASCII up to ' ' either way; the leads C2 (U+0085, U+00A0), E1 (U+1680), E2
/// (U+2000–U+205F) and E3 (U+3000); the last bytes of those, 80–8A, 9F, A0, A8, A9 and AF.
/// More than the spaces: a field with a byte marked at an end is looked at closely.
const SPACE_EDGES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b <= 0x20 {
        t[b] = STARTS | ENDS;
        b += 1;
    }
    t[0xC2] = STARTS;
    t[0xE1] = STARTS;
    t[0xE2] = STARTS;
    t[0xE3] = STARTS;
    let mut b = 0x80;
    while b <= 0x8A {
        t[b] |= ENDS;
        b += 1;
    }
    t[0x9F] |= ENDS;
    t[0xA0] |= ENDS;
    t[0xA8] |= ENDS;
    t[0xA9] |= ENDS;
    t[0xAF] |= ENDS;
    t
};

/// What is known of a sheet once its header is read.
pub struct Sheet<'t> {
    pub name: String,
    text: &'t str,
    pub header: Vec<String>,
    pub header_line: usize,
    header_byte: usize,
    /// The byte between cells: `,`, or the tab or `;` of a file saved that way.
    pub separator: u8,
    /// Problems of cells found before the rows are read, by (line, 0-based column): a
    /// workbook's cell that could mean two things ([`super::xlsx`]). The rules of its column
    /// tell that problem rather than a second one about its text; the others are told after
    /// the rows ([`Sheet::untold`]). Each is told once (`true` once it was).
    told: Vec<((usize, usize), Problem, std::cell::Cell<bool>)>,
    /// The file's lines before `text` (a block of a file read in blocks, see
    /// [`super::blocks`]): added to every line told.
    line_base: usize,
}

/// What a table tells the reader of its sheets' layout.
pub struct Layout<'a> {
    /// Whether a header cell names a column of the table (a key, or a header it reads as
    /// one): the header is the first row with two or more cells filled that has one.
    pub knows: &'a (dyn Fn(&str) -> bool + Sync),
    /// What a column holds, by its header: where a workbook's date cell is a date.
    pub kind: &'a (dyn Fn(&str) -> ColumnKind + Sync),
}

/// What a column holds, for the cells a workbook formats (a date, a percentage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A number or a code: a date or a percentage here could mean two things, and is refused.
    Value,
    /// A date: a date cell is its day, whatever its display format.
    Date,
    /// Free text, or a column passed over: a cell is read as Excel shows it.
    Text,
}

impl Layout<'_> {
    /// A table that knows only `branch` (every table of a year folder but the
    /// rectification has one), with `date` its date column and `note` and `name` text.
    pub const DEFAULT: Layout<'static> = Layout {
        knows: &|h| crate::aliases::header(h) == "branch",
        kind: &default_kind,
    };
}

/// What a column holds by its header (its key, or its name for people), unless a table says
/// otherwise: the dates of the year's tables (`date`; an objection's `received` and
/// `answered`) dates, free text (`note`, `name`; a record's `matter`, `reason`, `document`)
/// text, anything else a value.
pub fn default_kind(header: &str) -> ColumnKind {
    match crate::aliases::header(header) {
        "date" | "received" | "answered" => ColumnKind::Date,
        "note" | "name" | "matter" | "reason" | "document" => ColumnKind::Text,
        _ => ColumnKind::Value,
    }
}

/// How a row counts when the header is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// Fewer than two cells filled: blank, a title or a note (a merged title is saved as one
    /// cell): passed over.
    Skip,
    /// Two or more cells filled, one naming a column of the table: the header.
    Known,
    /// Two or more cells filled, none naming a column: a sub-title or a legend row, or the
    /// header when no row names a column (its columns are then told as unknown).
    Other,
}

/// The one rule of where a table's header is, for a row's cells: rows above it (titles,
/// sub-titles, legends, however many) are passed over.
pub fn rank<'c>(cells: impl IntoIterator<Item = &'c str>, knows: &dyn Fn(&str) -> bool) -> Rank {
    let (mut filled, mut known) = (0, false);
    for c in cells {
        let c = c.trim();
        if !c.is_empty() {
            filled += 1;
            known |= knows(c);
        }
    }
    match (filled, known) {
        (0 | 1, _) => Rank::Skip,
        (_, true) => Rank::Known,
        (_, false) => Rank::Other,
    }
}

/// The rest of a sheet, to be read once: the records of CSV text, by the csv crate, or —
/// for text without a quote, where a record is a line and a field what lies between commas
/// — by splitting lines. A county reads thousands of small sheets, and building the csv
/// crate's reader for each was 13% of its time (`perf`, `csv_core::ReaderBuilder::build`).
pub enum Rows<'t> {
    Csv(Box<csv::Reader<&'t [u8]>>),
    /// Where the next record is looked for: its 1-based line and its byte; and the byte
    /// between cells.
    Plain {
        line: usize,
        at: usize,
        sep: u8,
    },
}

impl<'t> Rows<'t> {
    fn of(text: &'t str, any_quote: bool, sep: u8) -> Rows<'t> {
        match any_quote {
            true => Rows::Csv(Box::new(reader(text.as_bytes(), sep))),
            false => Rows::Plain {
                line: 1,
                at: 0,
                sep,
            },
        }
    }

    /// The next record of `text`, as the csv crate reads it (no headers, flexible, `\r`,
    /// `\n` and `\r\n` ending a record, empty lines skipped), with its line and first byte.
    fn next(
        &mut self,
        text: &str,
        record: &mut csv::StringRecord,
    ) -> csv::Result<Option<(usize, usize)>> {
        let (line, at, sep) = match self {
            Rows::Csv(rdr) => {
                if !rdr.read_record(record)? {
                    return Ok(None);
                }
                let pos = record
                    .position()
                    .cloned()
                    .unwrap_or_else(csv::Position::new);
                return Ok(Some(record_start(
                    text,
                    pos.line() as usize,
                    pos.byte() as usize,
                )));
            }
            Rows::Plain { line, at, sep } => (line, at, char::from(*sep)),
        };
        // Empty lines are no records: the record starts where `record_start` says.
        (*line, *at) = record_start(text, *line, *at);
        let Some(rest) = text.get(*at..).filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
        record.clear();
        for field in rest.get(..len).unwrap_or_default().split(sep) {
            record.push_field(field);
        }
        let start = (*line, *at);
        *at += len;
        Ok(Some(start))
    }
}

/// Where a record really starts, from a position at or before it: the csv reader's can be at
/// the line ends and blank lines before the record (after a CRLF line end, at its `\n`), which
/// would name the line before and show an empty excerpt. Lines are counted at `\n`, as the
/// csv crate does.
fn record_start(text: &str, line: usize, byte: usize) -> (usize, usize) {
    let (mut line, mut byte) = (line, byte);
    while let Some(b) = text.as_bytes().get(byte) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        byte += 1;
    }
    (line, byte)
}

fn reader(bytes: &[u8], sep: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(bytes)
}

/// The separators a CSV file may use: the comma, or the tab or semicolon of Excel's other
/// CSV and text formats (a `;` where the decimal mark is a comma).
const SEPARATORS: [u8; 3] = [b',', b'\t', b';'];

/// Where a search for the header ended: at the header (its start, and its record), at none.
type Found<'t> = Option<(Rows<'t>, (usize, usize), csv::StringRecord)>;

/// The first row of `text`, its cells split at `sep`, that `want` accepts: the rows after
/// it, its start and its cells. `Err` a CSV error (with the comma only: another separator
/// that does not read is no separator of the file).
fn first_row<'t>(
    text: &'t str,
    any_quote: bool,
    sep: u8,
    want: &dyn Fn(&csv::StringRecord) -> bool,
) -> Result<Found<'t>, csv::Error> {
    let mut rdr = Rows::of(text, any_quote, sep);
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.next(text, &mut record) {
            Ok(Some(start)) if want(&record) => return Ok(Some((rdr, start, record))),
            Ok(Some(_)) => {}
            Ok(None) => return Ok(None),
            Err(e) if sep == b',' => return Err(e),
            Err(_) => return Ok(None),
        }
    }
}

impl<'t> Sheet<'t> {
    /// Read the header of CSV text. `None` (with a problem) when there is no header or a
    /// line is longer than [`MAX_LINE_BYTES`].
    pub fn open(
        name: &str,
        text: &'t str,
        layout: &Layout,
        problems: &mut Problems,
    ) -> Option<(Sheet<'t>, Rows<'t>)> {
        Sheet::open_at(name, text, layout, 0, problems)
    }

    /// [`Sheet::open`] on the first block of a file read in blocks, whose first line is
    /// the file's line `line_base + 1`.
    pub fn open_at(
        name: &str,
        text: &'t str,
        layout: &Layout,
        line_base: usize,
        problems: &mut Problems,
    ) -> Option<(Sheet<'t>, Rows<'t>)> {
        let mut sheet = Sheet {
            name: name.to_string(),
            text,
            header: Vec::new(),
            header_line: 0,
            header_byte: 0,
            separator: b',',
            told: Vec::new(),
            line_base,
        };
        let any_quote = sheet.lines_checked(problems)?;
        // The header is the first row with two or more cells, one naming a column of the
        // table ([`rank`]): blank rows, titles, sub-titles and legends above it are passed
        // over. Cells are split at commas, else at the tab or `;` of a file saved so; when
        // no row names a column, the first row of two or more cells is the header, for its
        // columns to be told.
        let known = |r: &csv::StringRecord| rank(r.iter(), layout.knows) == Rank::Known;
        let other = |r: &csv::StringRecord| rank(r.iter(), layout.knows) != Rank::Skip;
        let mut found = None;
        for want in [&known as &dyn Fn(&csv::StringRecord) -> bool, &other] {
            for sep in SEPARATORS {
                if sep != b',' && !text.as_bytes().contains(&sep) {
                    continue;
                }
                match first_row(text, any_quote, sep, want) {
                    Ok(None) => continue,
                    Ok(Some(f)) => found = Some((sep, f)),
                    Err(e) => {
                        problems.push(sheet.csv_error(&e));
                        return None;
                    }
                }
                break;
            }
            if found.is_some() {
                break;
            }
        }
        let Some((sep, (rdr, start, record))) = found else {
            problems.push(Problem::file(
                name,
                tr(
                    "file is empty; expected a header row",
                    "文件为空；应有表头行",
                ),
            ));
            return None;
        };
        (sheet.header_line, sheet.header_byte) = start;
        sheet.separator = sep;
        if record.len() > MAX_COLUMNS {
            let n = record.len();
            problems.push(Problem::line(
                name,
                sheet.header_line + line_base,
                msg!(
                    "header has {n} columns; expected at most {MAX_COLUMNS}",
                    "表头有 {n} 列；应不超过 {MAX_COLUMNS} 列"
                ),
            ));
            return None;
        }
        sheet.header = record.iter().map(|f| f.trim().to_string()).collect();
        // Trailing columns without a name (a spreadsheet's empty columns) are not
        // columns; a value in one is told as a cell past the header.
        while sheet.header.last().is_some_and(String::is_empty) {
            sheet.header.pop();
        }
        Some((sheet, rdr))
    }

    /// The rows of a later block of the file this sheet's header was read from, whose
    /// first line is the file's line `line_base + 1` (cut at its separator).
    pub fn resume<'u>(
        &self,
        text: &'u str,
        line_base: usize,
        problems: &mut Problems,
    ) -> Option<(Sheet<'u>, Rows<'u>)> {
        let sheet = Sheet {
            name: self.name.clone(),
            text,
            header: self.header.clone(),
            header_line: 0,
            header_byte: 0,
            separator: self.separator,
            told: Vec::new(),
            line_base,
        };
        let any_quote = sheet.lines_checked(problems)?;
        Some((sheet, Rows::of(text, any_quote, self.separator)))
    }

    /// One pass before parsing: no line too long, and no quote left open (it would swallow
    /// the rest of the file into one field). Whether the text has a quote at all.
    fn lines_checked(&self, problems: &mut Problems) -> Option<bool> {
        let (name, text, base) = (&self.name, self.text, self.line_base);
        let mut quote_open: Option<(usize, usize)> = None;
        // Most sheets have no quote at all: then only the line lengths are checked.
        let any_quote = text.as_bytes().contains(&b'"');
        let mut line_start = 0;
        for (line_no, l) in text.split('\n').enumerate() {
            if l.len() > MAX_LINE_BYTES {
                let len = l.len();
                problems.push(Problem::line(
                    name,
                    base + line_no + 1,
                    msg!(
                        "line is {len} bytes long; expected at most {MAX_LINE_BYTES}",
                        "该行长 {len} 字节；应不超过 {MAX_LINE_BYTES} 字节"
                    ),
                ));
                return None;
            }
            for _ in l.bytes().filter(|b| *b == b'"' && any_quote) {
                quote_open = match quote_open {
                    None => Some((line_no + 1, line_start)),
                    Some(_) => None,
                };
            }
            line_start += l.len() + 1;
        }
        if let Some((line, start)) = quote_open {
            let shown = base + line;
            problems.push(self.at(
                line,
                start,
                None,
                msg!(
                    "a quote opened on line {shown} is never closed; expected a closing \"",
                    "第 {shown} 行的引号没有闭合；应补上结尾的 \""
                ),
            ));
            return None;
        }
        Some(any_quote)
    }

    fn csv_error(&self, e: &csv::Error) -> Problem {
        let (line, byte) = e
            .position()
            .map(|p| record_start(self.text, p.line() as usize, p.byte() as usize))
            .unwrap_or((1, 0));
        let message = match crate::i18n::lang() {
            crate::i18n::Lang::En => format!("cannot be read as CSV: {e}"),
            // The csv crate says why in English only.
            crate::i18n::Lang::Zh => {
                let why = match e.kind() {
                    csv::ErrorKind::Io(io) => crate::problem::io_reason(io),
                    csv::ErrorKind::Utf8 { .. } => "含有无效的 UTF-8 字节".to_string(),
                    csv::ErrorKind::UnequalLengths { .. } => "各行的列数不一致".to_string(),
                    _ => "格式有误".to_string(),
                };
                format!("无法按 CSV 格式读取：{why}")
            }
        };
        self.at(line, byte, None, message)
    }

    /// The source line starting at a byte offset.
    fn excerpt(&self, byte: usize) -> Option<String> {
        let rest = self.text.get(byte..)?;
        let line = rest.split('\n').next().unwrap_or("");
        Some(line.trim_end_matches('\r').to_string())
    }

    /// A problem on the line starting at a byte, in cell `col` when given, shown with it.
    fn at(&self, line: usize, byte: usize, col: Option<usize>, msg: String) -> Problem {
        let line = line + self.line_base;
        let problem = match col {
            Some(c) => {
                let field = self.header.get(c).cloned().unwrap_or_default();
                Problem::cell(&self.name, line, c + 1, field, msg)
            }
            None => Problem::line(&self.name, line, msg),
        };
        problem.with_excerpt(self.excerpt(byte))
    }

    /// The problems of its cells found before its rows are read (see [`Sheet::told`]), by
    /// (line, 0-based column).
    pub fn with_told(mut self, mut told: Vec<((usize, usize), Problem)>) -> Self {
        told.sort_by_key(|(at, _)| *at);
        self.told = (told.into_iter())
            .map(|(at, p)| (at, p, std::cell::Cell::new(false)))
            .collect();
        self
    }

    /// The problem of a cell found before, if there is one: told now.
    fn told(&self, line: usize, col: usize) -> Option<&Problem> {
        if self.told.is_empty() {
            return None;
        }
        let i = self.told.binary_search_by_key(&(line, col), |(at, ..)| *at);
        let (_, p, told) = self.told.get(i.ok()?)?;
        told.set(true);
        Some(p)
    }

    /// The problems of cells found before the rows were read that the rows did not tell
    /// (a cell no rule looked at, or the rows not read at all).
    pub fn untold(&self) -> impl Iterator<Item = &Problem> {
        (self.told.iter())
            .filter(|(_, _, told)| !told.get())
            .map(|(_, p, _)| p)
    }

    /// A problem in a header cell.
    pub fn header_cell(&self, col: usize, msg: String) -> Problem {
        self.at(self.header_line, self.header_byte, Some(col), msg)
    }

    /// A problem with the header as a whole.
    pub fn header_problem(&self, msg: String) -> Problem {
        self.at(self.header_line, self.header_byte, None, msg)
    }

    /// Map a fixed set of columns: every `required` one must be there, `optional` ones may
    /// be, anything else is an unknown column. A header may name a column by its Chinese
    /// name ([`crate::aliases`]). Returns the index of each, in the order asked.
    pub fn columns(
        &self,
        required: &[&str],
        optional: &[&str],
        problems: &mut Problems,
    ) -> Option<Vec<Option<usize>>> {
        self.columns_as(required, optional, crate::aliases::header, problems)
    }

    /// [`Sheet::columns`], each header read as the key `key` gives it (a Chinese header of
    /// a list stars wrote, [`crate::aliases::header`]).
    pub fn columns_as(
        &self,
        required: &[&str],
        optional: &[&str],
        key: fn(&str) -> &str,
        problems: &mut Problems,
    ) -> Option<Vec<Option<usize>>> {
        let before = problems.len();
        let all: Vec<&str> = required.iter().chain(optional).copied().collect();
        let mut found = vec![None; all.len()];
        for (col, h) in self.header.iter().enumerate() {
            let k = all.iter().position(|a| *a == key(h));
            match k.and_then(|k| found.get_mut(k)) {
                Some(slot @ None) => *slot = Some(col),
                Some(Some(_)) => problems.push(
                    self.header_cell(col, msg!("column `{h}` appears twice", "列“{h}”出现了两次")),
                ),
                None => {
                    let all = crate::i18n::list(&all.join(", "));
                    problems.push(self.header_cell(
                        col,
                        msg!(
                            "unknown column `{h}`; expected: {all}",
                            "未知列“{h}”；应为：{all}"
                        ),
                    ))
                }
            }
        }
        for (k, r) in required.iter().enumerate() {
            if found.get(k).copied().flatten().is_none() {
                let all = crate::i18n::list(&required.join(", "));
                problems.push(self.header_problem(msg!(
                    "missing column `{r}`; the header must have: {all}",
                    "缺少列“{r}”；表头必须包含：{all}"
                )));
            }
        }
        (problems.len() == before).then_some(found)
    }
}

/// A row's cells, read the careful way ([`Row`]) or split at commas ([`PlainCells`]):
/// one function checks a row whichever way it was read.
pub trait Cells {
    /// The cell in column `c`, without surrounding spaces ("" past the row's end).
    fn get(&self, c: usize) -> &str;
    /// The cell in column `c` as (mantissa, scale) when it is a plain decimal, as
    /// [`crate::decimal::parse_parts`] reads it (anything else is read from [`Cells::get`]).
    fn number(&self, c: usize) -> Option<(i64, u32)> {
        crate::decimal::parse_parts(self.get(c))
    }
    /// A problem with the cell in column `c`.
    fn problem(&self, c: usize, msg: String) -> Problem;
    /// A problem with the whole row.
    fn row_problem(&self, msg: String) -> Problem;
    fn line(&self) -> usize;
}

impl Cells for Row<'_> {
    fn get(&self, c: usize) -> &str {
        trimmed(self.rec.get(c).unwrap_or(""))
    }
    fn problem(&self, c: usize, msg: String) -> Problem {
        match self.sheet.told(self.line, c) {
            Some(told) => told.clone(),
            None => self.sheet.at(self.line, self.byte, Some(c), msg),
        }
    }
    fn row_problem(&self, msg: String) -> Problem {
        self.sheet.at(self.line, self.byte, None, msg)
    }
    fn line(&self) -> usize {
        self.line + self.sheet.line_base
    }
}

/// A line split at its commas, read when the file looks clean: a problem here only sends
/// the file to the csv reader, which tells it, so it need not say where it is.
pub struct PlainCells<'a> {
    pub line: &'a str,
    pub fields: &'a [Field],
    pub line_no: usize,
    /// The fields' numbers were read while splitting ([`split_plain`]).
    pub numbers: bool,
}

impl Cells for PlainCells<'_> {
    #[inline]
    fn get(&self, c: usize) -> &str {
        let field = self
            .fields
            .get(c)
            .and_then(|f| self.line.get(f.start..f.end));
        trimmed(field.unwrap_or(""))
    }
    // Always: once per score cell, and not inlined by itself (2% of a province's run).
    #[inline(always)]
    fn number(&self, c: usize) -> Option<(i64, u32)> {
        match self.numbers {
            true => self.fields.get(c)?.number,
            false => crate::decimal::parse_parts(self.get(c)),
        }
    }
    fn problem(&self, _: usize, msg: String) -> Problem {
        Problem::file("", msg)
    }
    fn row_problem(&self, msg: String) -> Problem {
        Problem::file("", msg)
    }
    fn line(&self) -> usize {
        self.line_no
    }
}

/// A field of a line without quotes: where it is, and, when asked for, its number when it is
/// a plain decimal (as [`crate::decimal::parse_parts`] reads it), found in the pass that
/// splits the line: the digits of a province's scores are read once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Field {
    pub start: usize,
    pub end: usize,
    pub number: Option<(i64, u32)>,
}

/// Split a line without quotes at its commas, reading each field's number as it goes when
/// `NUMBERS`; `false` for a line with a CR in it (which ends a record for the csv reader).
/// One pass over the bytes: fields are a few bytes long, too short for a search per field;
/// without numbers, eight bytes at a time ([`split_words`]: a deduction's or a review's
/// line is mostly its Chinese reason or note).
/// Never inlined: in its callers' large loops its state was kept in memory, not registers
/// (5% of a province's `evaluate`, in paired runs).
#[inline(never)]
pub fn split_plain<const NUMBERS: bool>(line: &str, out: &mut Vec<Field>) -> bool {
    out.clear();
    if !NUMBERS {
        return split_words(line, out);
    }
    let (mut start, mut m, mut scale, mut digits) = (0usize, 0i64, 0u32, 0u32);
    let (mut point, mut plain) = (false, true);
    let mut push = |start: usize, end: usize, m: i64, scale: u32, digits: u32, plain: bool| {
        let number = (NUMBERS && plain && (1..=18).contains(&digits)).then_some((m, scale));
        out.push(Field { start, end, number });
    };
    for (i, &b) in line.as_bytes().iter().enumerate() {
        match b {
            b',' => {
                push(start, i, m, scale, digits, plain);
                (start, m, scale, digits, point, plain) = (i + 1, 0, 0, 0, false, true);
            }
            b'\r' => return false,
            _ if !NUMBERS => {}
            b'0'..=b'9' => {
                digits += 1;
                // More than 18 digits is no plain decimal (and then m is not used).
                m = m.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
                scale += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => plain = false,
        }
    }
    push(start, line.len(), m, scale, digits, plain);
    true
}

/// [`split_plain`] without numbers: the commas and CRs of sixteen bytes found at once, by
/// SSE2 (every x86-64 has it), or eight at a time in a word elsewhere. A deduction's or a
/// review's line is mostly its Chinese reason or note: sixteen at once split the lines of
/// 50,000 branches' deductions and reviews in 65 million instructions, eight at a time in
/// 116 million (BENCHMARKS.md, issue 29's second round).
fn split_words(line: &str, out: &mut Vec<Field>) -> bool {
    let bytes = line.as_bytes();
    let mut start = 0usize;
    // The fields ended by the commas of a block starting at byte `base`, but for its first
    // `seen` bytes (looked at in the block before); `false` at a CR.
    let mut block_at = |block: [u8; BLOCK], base: usize, seen: usize| {
        let (commas, crs) = commas_and_cr(block);
        let new = u32::MAX.checked_shl(seen as u32).unwrap_or(0);
        let mut commas = commas & new;
        while commas != 0 {
            let end = base + commas.trailing_zeros() as usize;
            out.push(Field {
                start,
                end,
                number: None,
            });
            start = end + 1;
            commas &= commas - 1;
        }
        crs & new == 0
    };
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut base = 0usize;
    for b in &mut blocks {
        let mut block = [0u8; BLOCK];
        block.copy_from_slice(b);
        if !block_at(block, base, 0) {
            return false;
        }
        base += BLOCK;
    }
    let rest = blocks.remainder();
    let mut block = [0u8; BLOCK];
    let last = match bytes.len().checked_sub(BLOCK) {
        _ if rest.is_empty() => None,
        // The line's last BLOCK bytes, over the end of the block before: fewer bytes copied
        // and read back as a whole stalled the read (a quarter of split_words' samples).
        Some(from) => bytes.get(from..).map(|tail| {
            block.copy_from_slice(tail);
            (from, BLOCK - rest.len())
        }),
        // A line shorter than a block, padded with zeros (neither a comma nor a CR).
        None => block.get_mut(..rest.len()).map(|head| {
            head.copy_from_slice(rest);
            (0, 0)
        }),
    };
    if let Some((from, seen)) = last {
        if !block_at(block, from, seen) {
            return false;
        }
    }
    out.push(Field {
        start,
        end: line.len(),
        number: None,
    });
    true
}

/// Bytes looked at at once by [`split_words`].
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
const BLOCK: usize = 16;
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
const BLOCK: usize = 8;

/// Where the commas and the CRs of a block are (bit k: byte k).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn commas_and_cr(block: [u8; BLOCK]) -> (u32, u32) {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let half = |k: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(block.get(k..k + 8).unwrap_or(&[0; 8]));
        i64::from_le_bytes(w)
    };
    // SAFETY: these touch no memory, and need only SSE2, which every x86-64 processor has
    // (this is compiled only where the target has it: `target_feature = "sse2"`).
    let (commas, cr) = unsafe {
        let v = _mm_set_epi64x(half(8), half(0));
        (
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b',' as i8))),
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\r' as i8))),
        )
    };
    (commas as u32, cr as u32)
}

/// Where the commas and the CRs of a block are (bit k: byte k).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn commas_and_cr(block: [u8; BLOCK]) -> (u32, u32) {
    commas_and_cr_in_word(block)
}

/// [`commas_and_cr`] of eight bytes in a word, each byte's match as its top bit, exactly
/// (no borrow runs from one byte to the next). (Tested on every machine.)
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
fn commas_and_cr_in_word(block: [u8; 8]) -> (u32, u32) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let word = u64::from_le_bytes(block);
    let equal = |b: u8| {
        let t = word ^ (0x0101_0101_0101_0101 * u64::from(b));
        !(((t & LOW7) + LOW7) | t | LOW7)
    };
    // The top bit of each byte k moved to bit 56 + k (the products of the bits never meet),
    // then down to bit k.
    let gather = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32;
    (gather(equal(b',')), gather(equal(b'\r')))
}

/// Read from `file` at byte `at`, leaving no position behind: the two parts of a file read
/// it at once through one handle.
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, at);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, at);
    #[cfg(not(any(unix, windows)))]
    {
        use std::io::{Read, Seek};
        let mut f = file;
        f.seek(std::io::SeekFrom::Start(at))?;
        f.read(buf)
    }
}

/// A buffer for [`stream_plain_part`], taken from those that files read before let go:
/// memory freed goes back to the kernel at once (see `main`), which would hand it out and
/// zero it again for every file and part read.
pub struct ReadBuffer(Vec<u8>);

/// The buffers let go, for the next files read: one for each part read at once.
static FREE_BUFFERS: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
const KEPT_BUFFERS: usize = 2;

impl ReadBuffer {
    pub fn take() -> ReadBuffer {
        ReadBuffer(
            crate::threads::lock(&FREE_BUFFERS)
                .pop()
                .unwrap_or_default(),
        )
    }

    /// Free the buffers kept.
    pub fn let_go() {
        drop(std::mem::take(&mut *crate::threads::lock(&FREE_BUFFERS)));
    }
}

impl std::ops::Deref for ReadBuffer {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl std::ops::DerefMut for ReadBuffer {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Drop for ReadBuffer {
    fn drop(&mut self) {
        let mut free = crate::threads::lock(&FREE_BUFFERS);
        if free.len() < KEPT_BUFFERS && self.0.capacity() > 0 {
            free.push(std::mem::take(&mut self.0));
        }
    }
}

/// Bytes read from a file at a time by [`stream_plain_part`]: a quarter of a mebibyte, read
/// and then split while still in the processor's cache, in a buffer of few pages (a
/// mebibyte took 1,300 more page faults a file part, each a few microseconds here).
const CHUNK: usize = 1 << 18;

/// The room past a chunk for the line it ends within, at first: a longer line (up to
/// [`MAX_LINE_BYTES`]) makes the buffer grow.
const LINE_ROOM: usize = 1 << 16;

/// Stream the lines of a CSV file that is plain — UTF-8 (with or without a byte-order mark),
/// no quote anywhere, no line over [`MAX_LINE_BYTES`] — that start in the byte range `part`
/// (a part starting within a line begins with the next), in chunks ([`CHUNK`]), never
/// holding the whole file: `each(k, line)` gets every non-blank line (without its line end)
/// with k its index in the part, counting blank lines too, and returns `false` to stop. The
/// number of lines of the part; `None` when the file is not plain, cannot be read, or `each`
/// stopped: the caller then reads the file whole, the careful way, which tells every
/// problem. Parts that meet read every line once, so that two cores can read a file in two.
pub fn stream_plain_part(
    file: &std::fs::File,
    size: u64,
    part: std::ops::Range<u64>,
    buf: &mut Vec<u8>,
    mut each: impl FnMut(usize, &str) -> bool,
) -> Option<usize> {
    // `file` is an input opened as such (a regular file, `size` its length when opened),
    // read at offsets (two parts read one file at once), never further than the limit of
    // an input whatever its length says.
    // `buf` is reused from file to file: fresh memory costs the kernel more than reading.
    // A small file needs no more than its length (and a byte to see its end): a county's
    // thousands of small sheets are not each given megabytes to zero.
    let full = CHUNK + MAX_LINE_BYTES + 1;
    let room = CHUNK + LINE_ROOM;
    let want = usize::try_from(size.saturating_add(1)).map_or(room, |n| n.min(room));
    buf.resize(want.max(buf.len()), 0);
    // Where buf starts in the file; whether the partial line before the part is skipped.
    let mut at = part.start.saturating_sub(1);
    let mut skipping = part.start > 0;
    let (mut len, mut k) = (0usize, 0usize);
    loop {
        if len == buf.len() && len < full {
            // Longer than it was when looked at: room for a chunk after all.
            buf.resize(full, 0);
        }
        let n = match read_at(file, buf.get_mut(len..)?, at.saturating_add(len as u64)) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        len += n;
        if at.saturating_add(len as u64) > crate::source::MAX_FILE_BYTES {
            return None;
        }
        let done = n == 0;
        if !done && len < CHUNK {
            continue;
        }
        let filled = buf.get(..len)?;
        // Whole lines only, but for the last piece of the file.
        let end = if done {
            len
        } else {
            match filled.iter().rposition(|b| *b == b'\n') {
                Some(nl) => nl + 1,
                // A line longer than the room: the buffer grows (above) and reads on.
                None if buf.len() < full => continue,
                None => return None,
            }
        };
        let mut block = filled.get(..end)?;
        let mut start = at;
        if skipping {
            // The rest of the line before the part (up to its line end) is the other part's.
            let Some(nl) = block.iter().position(|b| *b == b'\n') else {
                // The part starts within the file's last line: it has none.
                return done.then_some(0);
            };
            block = block.get(nl + 1..)?;
            start += nl as u64 + 1;
            skipping = false;
        }
        // A byte-order mark belongs to the first line, which starts at 0 all the same.
        let mut mark = 0;
        if start == 0 {
            if let Some(rest) = block.strip_prefix(b"\xEF\xBB\xBF") {
                block = rest;
                mark = 3;
            }
        }
        // The block is looked through three times, by the crates that do each fastest (a
        // province's lists are gigabytes, and their names Chinese, where `std`'s check of
        // UTF-8 took a fifth of reading branches.csv): for a quote, for UTF-8, for line ends.
        if memchr::memchr(b'"', block).is_some() {
            return None;
        }
        let text = simdutf8::basic::from_utf8(block).ok()?;
        // Each line: up to a line end (which a block ends with but at the end of the file).
        let (mut from, mut ends) = (0, memchr::memchr_iter(b'\n', block));
        loop {
            let (end, next) = match ends.next() {
                Some(nl) => (nl, nl + 1),
                None if from < text.len() => (text.len(), text.len()),
                None => break,
            };
            if start >= part.end {
                return Some(k);
            }
            start += (next - from) as u64 + std::mem::take(&mut mark);
            let line = text.get(from..end)?;
            let line = line.strip_suffix('\r').unwrap_or(line);
            from = next;
            if line.len() > MAX_LINE_BYTES || (!line.is_empty() && !each(k, line)) {
                return None;
            }
            k += 1;
        }
        if done {
            return Some(k);
        }
        at += end as u64;
        buf.copy_within(end..len, 0);
        len -= end;
        if len > MAX_LINE_BYTES {
            return None;
        }
    }
}

impl Rows<'_> {
    /// Call `f` for each data row. Rows whose width differs from the header's are reported
    /// and skipped; rows that are entirely blank (as Excel leaves them) are skipped. Returns
    /// how many rows were lost to such problems.
    pub fn each(
        mut self,
        sheet: &Sheet,
        problems: &mut Problems,
        mut f: impl FnMut(&Row, &mut Problems),
    ) -> usize {
        let mut record = csv::StringRecord::new();
        let width = sheet.header.len();
        let mut lost = 0;
        loop {
            let (line, byte) = match self.next(sheet.text, &mut record) {
                Ok(Some(start)) => start,
                Ok(None) => return lost,
                Err(e) => {
                    problems.push(sheet.csv_error(&e));
                    return lost + 1;
                }
            };
            let blank = |f: &str| f.trim().is_empty();
            if record.iter().all(blank) {
                continue;
            }
            let row = Row {
                sheet,
                line,
                byte,
                rec: &record,
            };
            // Cells past the header that are blank (a spreadsheet's empty columns) are
            // not fields.
            let n = record.len();
            let filled_width = match n > width {
                true => n - record.iter().rev().take_while(|f| blank(f)).count(),
                false => n,
            };
            if n < width || filled_width > width {
                let text = if filled_width > width {
                    msg!(
                        "row has a value in column {filled_width}, past the header's {width} columns; expected that cell blank, or a column name above it",
                        "该行第 {filled_width} 列有内容，超出了表头的 {width} 列；该单元格应为空，或在表头补上列名"
                    )
                } else {
                    msg!(
                        "row has {n} fields; expected {width} as in the header",
                        "该行有 {n} 个字段；应与表头一致，为 {width} 个"
                    )
                };
                problems.push(row.row_problem(text));
                lost += 1;
                continue;
            }
            f(&row, problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A cell is trimmed exactly as `str::trim` trims it, whatever its ends are: ASCII,
        /// Chinese, full-width or no-break spaces, control characters.
        #[test]
        fn cells_are_trimmed_as_str_trim_trims(
            s in "[ a\u{3000}\u{a0}\u{85}\u{2028}\u{1}\u{7f}\u{1c}\t\r\n中é¢\u{1681}\u{2030}\u{3001}😀,0-9]{0,6}"
        ) {
            prop_assert_eq!(trimmed(&s), s.trim());
        }
    }

    /// The header of `text` for a table that knows `branch` and `item`, its line and
    /// separator, and the first data row's cells.
    fn opened(text: &str) -> Option<(Vec<String>, usize, u8, Vec<String>)> {
        let layout = Layout {
            knows: &|h| h == "branch" || h == "item",
            kind: &default_kind,
        };
        let mut problems = Problems::new();
        let (sheet, rows) = Sheet::open("t.csv", text, &layout, &mut problems)?;
        let mut first = Vec::new();
        rows.each(&sheet, &mut problems, |row, _| {
            if first.is_empty() {
                first = (0..sheet.header.len())
                    .map(|c| row.get(c).to_string())
                    .collect();
            }
        });
        Some((
            sheet.header.clone(),
            sheet.header_line,
            sheet.separator,
            first,
        ))
    }

    #[test]
    fn the_header_is_the_first_row_naming_a_column_whatever_is_above_it() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // A title, a sub-title of two cells, a legend row, then the header.
        let text = "2025年度事项,,\n填报单位：大王镇,,填报日期：2026-01-05\n名称,事项,\nbranch,item,note\nB01,P1,x\n";
        assert_eq!(
            opened(text),
            Some((
                h(&["branch", "item", "note"]),
                4,
                b',',
                h(&["B01", "P1", "x"])
            ))
        );
        // Tabs, or semicolons (with quotes), between cells.
        let tabs = "说明\nbranch\titem\tnote\nB01\tP1\tx\n";
        assert_eq!(
            opened(tabs).map(|o| (o.1, o.2, o.3)),
            Some((2, b'\t', h(&["B01", "P1", "x"])))
        );
        let semi = "branch;item;note\r\nB01;P1;\"a;b\"\r\n";
        assert_eq!(
            opened(semi).map(|o| (o.2, o.3)),
            Some((b';', h(&["B01", "P1", "a;b"])))
        );
        // No row names a column: the first of two cells or more, for its columns to be told.
        let none = "标题\n支部,事项\nB01,P1\n";
        assert_eq!(
            opened(none).map(|o| (o.0, o.1)),
            Some((h(&["支部", "事项"]), 2))
        );
        // A comma file whose notes hold semicolons is a comma file.
        let comma = "branch,item,note\nB01,P1,a;b;c\n";
        assert_eq!(
            opened(comma).map(|o| (o.2, o.3)),
            Some((b',', h(&["B01", "P1", "a;b;c"])))
        );
    }

    #[test]
    fn rows_rank_by_their_filled_cells_and_known_columns() {
        let knows = |h: &str| h == "branch";
        assert_eq!(rank(["标题", "", " "], &knows), Rank::Skip);
        assert_eq!(rank(["填报单位：x", "填报日期：y"], &knows), Rank::Other);
        assert_eq!(rank([" branch ", "level"], &knows), Rank::Known);
        assert_eq!(rank(["branch"], &knows), Rank::Skip);
    }

    #[test]
    fn every_character_at_either_end_is_trimmed_as_str_trim_trims() {
        // Each character, spaces or not, before and after a letter and alone: the table of
        // the bytes a space may start or end with misses none.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [format!("{c}a"), format!("a{c}"), c.to_string()] {
                assert_eq!(trimmed(&s), s.trim(), "U+{:04X}", u32::from(c));
            }
        }
    }

    #[test]
    fn full_width_spaces_around_a_chinese_name_are_trimmed() {
        assert_eq!(trimmed("\u{3000}坪孙村党支部\u{3000}"), "坪孙村党支部");
        assert_eq!(trimmed("坪孙村党支部"), "坪孙村党支部");
        assert_eq!(trimmed(" B01\u{a0}"), "B01");
        assert_eq!(trimmed("\u{1}B01"), "\u{1}B01");
        assert_eq!(trimmed(""), "");
    }

    /// Every record of a text as read: its fields and where it starts (line, byte).
    fn records(mut rdr: Rows, text: &str) -> Vec<(Vec<String>, usize, usize)> {
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        while let Ok(Some((line, byte))) = rdr.next(text, &mut record) {
            out.push((record.iter().map(str::to_string).collect(), line, byte));
        }
        out
    }

    /// Text without quotes split by lines reads exactly as the csv crate reads it: the same
    /// records, fields and starting lines and bytes, for every text of up to six characters
    /// made of a letter, a comma, a space, `\r`, `\n` and a Chinese character.
    #[test]
    fn plain_records_are_the_csv_crates() {
        let alphabet = ['a', ',', ' ', '\r', '\n', '中'];
        let mut tried = 0;
        for len in 0..=6u32 {
            for mut k in 0..alphabet.len().pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                let csv = records(Rows::Csv(Box::new(reader(text.as_bytes(), b','))), &text);
                let plain = records(Rows::of(&text, false, b','), &text);
                assert_eq!(plain, csv, "{text:?}");
                tried += 1;
            }
        }
        assert!(tried > 50_000);
    }

    /// Every non-blank line of a text with its 0-based line number, as reading it in two
    /// parts split at byte `mid` gives them.
    fn in_two_parts(path: &std::path::Path, mid: u64) -> Option<Vec<(usize, String)>> {
        let mut got = Vec::new();
        let mut buf = Vec::new();
        let (file, size) = crate::source::open_input(path, u64::MAX).ok()?;
        let first = stream_plain_part(&file, size, 0..mid, &mut buf, |k, l| {
            got.push((k, l.to_string()));
            true
        })?;
        stream_plain_part(&file, size, mid..u64::MAX, &mut buf, |k, l| {
            got.push((first + k, l.to_string()));
            true
        })?;
        Some(got)
    }

    /// The numbers found while splitting are the numbers the careful read parses, and the
    /// fields are split at every comma.
    #[test]
    fn numbers_read_while_splitting_are_the_numbers_parsed() {
        let fields = [
            "",
            "0",
            "5",
            "5.5",
            "10.25",
            ".5",
            "5.",
            ".",
            "..",
            "1.2.3",
            "+5",
            "-5",
            " 5",
            "5 ",
            "1e2",
            "１",
            "٣",
            "999999999999999999",
            "9999999999999999999",
            "0.000000000000000001",
            "12a",
            "a12",
            "G0000001",
            "self",
            "名称",
        ];
        let line = fields.join(",");
        let (mut got, mut plain) = (Vec::new(), Vec::new());
        assert!(split_plain::<true>(&line, &mut got));
        assert!(split_plain::<false>(&line, &mut plain));
        assert_eq!(got.len(), fields.len());
        for ((f, g), p) in fields.iter().zip(&got).zip(&plain) {
            assert_eq!(&line[g.start..g.end], *f);
            assert_eq!((p.start, p.end, p.number), (g.start, g.end, None));
            assert_eq!(g.number, crate::decimal::parse_parts(f), "{f:?}");
        }
        assert!(!split_plain::<true>("a,b\rc", &mut got));
        assert!(!split_plain::<false>("a,b\rc", &mut got));
    }

    /// The commas and CR of eight bytes found in a word are those a byte at a time finds,
    /// for bytes of every kind in every place.
    #[test]
    fn a_word_finds_its_commas_and_cr_as_bytes_do() {
        let kinds = [
            b',',
            b'\r',
            0,
            b'a',
            0x7f,
            0x80,
            0xac,
            0xff,
            b'+',
            b'-',
            0x2b,
            0x0d ^ 0x80,
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            // xorshift: a fixed sequence of blocks.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let block: [u8; 8] = std::array::from_fn(|k| kinds[((x >> (k * 5)) % 12) as usize]);
            let commas = (0..8)
                .filter(|k| block[*k] == b',')
                .map(|k| 1u32 << k)
                .sum();
            let crs = (0..8)
                .filter(|k| block[*k] == b'\r')
                .map(|k| 1u32 << k)
                .sum();
            assert_eq!(
                super::commas_and_cr_in_word(block),
                (commas, crs),
                "{block:?}"
            );
        }
    }

    /// Split a block of bytes at a time, a line is split at every comma, whatever the bytes
    /// around it and wherever it falls in a word; a CR anywhere refuses it.
    #[test]
    fn a_line_is_split_at_every_comma_a_block_at_a_time() {
        let pieces = [
            "",
            ",",
            "a",
            "名",
            "\u{2c}\u{80}",
            "\u{ff0c}",
            "12.5",
            "\u{7f}",
            "\u{ac}",
        ];
        let mut got = Vec::new();
        // Lines of every length up to 70 from the pieces, commas everywhere; and lines of
        // commas alone or every other byte (up to sixteen commas in one block).
        let lines = (0..70usize).flat_map(|n| {
            let mixed: String = (0..n).map(|k| pieces[(k * 7 + n) % pieces.len()]).collect();
            [
                mixed,
                ",".repeat(n),
                "a,".repeat(n / 2),
                ",名".repeat(n / 3),
            ]
        });
        for line in lines {
            assert!(split_plain::<false>(&line, &mut got), "{line:?}");
            let fields: Vec<(usize, usize)> = got.iter().map(|f| (f.start, f.end)).collect();
            let mut want = Vec::new();
            let mut start = 0;
            for (i, _) in line.match_indices(',') {
                want.push((start, i));
                start = i + 1;
            }
            want.push((start, line.len()));
            assert_eq!(fields, want, "{line:?}");
            for at in 0..=line.len() {
                if line.is_char_boundary(at) {
                    let with_cr = format!("{}\r{}", &line[..at], &line[at..]);
                    assert!(!split_plain::<false>(&with_cr, &mut got), "{with_cr:?}");
                }
            }
        }
    }

    #[test]
    fn a_file_streamed_in_two_parts_gives_each_line_once_at_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        // Lines of many lengths over more than two chunks, blank ones, CRLF and LF, with and
        // without a byte-order mark and a last line end.
        let mut long = String::new();
        for i in 0..60_000 {
            let line = match i % 7 {
                0 => String::new(),
                k => format!("G{i:07},{}", "x".repeat(k * 9)),
            };
            long.push_str(&line);
            long.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
        }
        // Lines longer than a chunk and its first room, up to the longest a plain file has.
        let wide = |n: usize| format!("a,b\n1,{}\n2,x\n{}\n3,y", "长".repeat(n / 3), "z".repeat(n));
        for text in [
            long.clone(),
            format!("\u{feff}{}", long.trim_end()),
            wide(CHUNK + LINE_ROOM + 7),
            wide(MAX_LINE_BYTES - 2),
            "a,b\n\n1,2\n".to_string(),
            "a,b".to_string(),
            "\n\na,b\r\n1,2".to_string(),
        ] {
            std::fs::write(&path, &text).unwrap();
            let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let want: Vec<(usize, String)> = body
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .enumerate()
                .filter(|(_, l)| !l.is_empty())
                .map(|(k, l)| (k, l.to_string()))
                .collect();
            let len = text.len() as u64;
            for mid in [
                0,
                1,
                2,
                3,
                4,
                5,
                len / 3,
                len / 2,
                (1 << 20) + 1,
                len - 1,
                len,
                len + 9,
            ] {
                let got = in_two_parts(&path, mid).expect("plain");
                // Told by the first difference, not the whole lists.
                let first = got.iter().zip(&want).position(|(a, b)| a != b);
                assert_eq!(first, None, "split at {mid}");
                assert_eq!(got.len(), want.len(), "split at {mid}");
            }
        }
        std::fs::write(&path, "a,\"b\"\n").unwrap();
        assert_eq!(in_two_parts(&path, 3), None, "a quote");
        std::fs::write(&path, b"a,\xff\n").unwrap();
        assert_eq!(in_two_parts(&path, 3), None, "not UTF-8");
    }
}
