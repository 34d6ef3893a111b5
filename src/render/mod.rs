//! Rendering: every list is a [`Report`] of typed cells, printed as a table, CSV, JSON or
//! Markdown by one renderer each, so that the formats never disagree.

pub mod codes;
pub mod committee;
mod csv;
pub mod form;
pub mod html;
mod json;
mod markdown;
pub mod svg;
mod table;
pub mod xlsx;

pub use codes::Code;
pub use table::set_terminal;

use crate::decimal::fmt2;
use crate::i18n::Lang;
use crate::threads::lock;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::{Condvar, Mutex, PoisonError};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for reading in a terminal.
    Table,
    /// CSV with a header row (the machine contract).
    Csv,
    /// A JSON array of objects with the CSV's field names.
    Json,
    /// Markdown tables, to paste into documents.
    Markdown,
    /// An Excel workbook (needs --output FILE.xlsx).
    Xlsx,
    /// A page to print or post (`report`, `publicity`).
    Html,
}

/// One cell value. Text is borrowed where it can be (a branch's id and name, a fixed
/// term): a province's rows are millions of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    /// A decimal shown with exactly two places, rounded half up.
    Dec(Decimal),
    Int(i64),
    /// A decimal shown as it is, without trailing zeros (`12`, `0.8`): a standard's points
    /// and pass lines. A number in every format (JSON, a workbook's cell).
    Num(Decimal),
    Bool(bool),
    /// A code of a fixed vocabulary (a status, a domain…): CSV and JSON print the code, the
    /// formats for people its text in their language (see [`codes`]).
    /// (Its code is a fixed word or text of its own, never borrowed from the data: a
    /// county keeps a member's rows without copying their codes.)
    Code(Code, Cow<'static, str>),
    /// Blank in CSV, `null` in JSON.
    Null,
}

impl<'a> Value<'a> {
    pub fn text(s: impl Into<Cow<'a, str>>) -> Value<'a> {
        Value::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<Cow<'a, str>>>) -> Value<'a> {
        s.map_or(Value::Null, |s| Value::Text(s.into()))
    }
    pub fn code(kind: Code, s: impl Into<Cow<'static, str>>) -> Value<'a> {
        Value::Code(kind, s.into())
    }
    /// The value as a table for people shows it: a tick for yes and nothing for no in
    /// English, 是 and 否 in Chinese; a code in the language's terms.
    pub fn human(&self, lang: Lang) -> String {
        match self {
            Value::Bool(b) => lang.t(if *b { "✓" } else { "" }, yes_no(*b)).into(),
            Value::Code(kind, s) => codes::show(*kind, s, lang).into_owned(),
            other => other.plain(),
        }
    }

    /// The value, owning its text.
    pub fn to_owned_value(&self) -> Value<'static> {
        match self {
            Value::Text(s) => Value::Text(Cow::Owned(s.to_string())),
            Value::Dec(d) => Value::Dec(*d),
            Value::Int(i) => Value::Int(*i),
            Value::Num(d) => Value::Num(*d),
            Value::Bool(b) => Value::Bool(*b),
            Value::Code(k, s) => Value::Code(*k, s.clone()),
            Value::Null => Value::Null,
        }
    }

    /// The plain text of the value, as CSV shows it (before any escaping).
    pub fn plain(&self) -> String {
        match self {
            Value::Text(s) | Value::Code(_, s) => s.to_string(),
            Value::Dec(d) => fmt2(*d),
            Value::Int(i) => i.to_string(),
            Value::Num(d) => crate::decimal::fmt_plain(*d),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
        }
    }
}

/// A column: its machine key and its headers for people.
#[derive(Debug, Clone)]
pub struct Column {
    pub key: Cow<'static, str>,
    pub en: Cow<'static, str>,
    pub zh: Cow<'static, str>,
}

impl Column {
    pub const fn new(key: &'static str, en: &'static str, zh: &'static str) -> Column {
        Column {
            key: Cow::Borrowed(key),
            en: Cow::Borrowed(en),
            zh: Cow::Borrowed(zh),
        }
    }
    /// A column made at run time whose header is its key in every language (an
    /// indicator id in a score sheet template).
    pub fn keyed(key: String) -> Column {
        Column {
            key: Cow::Owned(key.clone()),
            en: Cow::Owned(key.clone()),
            zh: Cow::Owned(key),
        }
    }
    pub fn header(&self, lang: Lang) -> &str {
        lang.t(&self.en, &self.zh)
    }
}

/// A list: columns and rows. The machine formats print `rows` only; the table and Markdown
/// add the `title` and the `notes` (summaries for people).
pub struct Report<'a> {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value<'a>>>,
    /// Rows made on demand after `rows`, for lists too long to hold in memory (the
    /// rectification items of a province): CSV and JSON stream them to the output.
    pub stream: Option<RowStream<'a>>,
    /// For people only: more tables (summaries) after the main one.
    pub extras: Vec<Report<'a>>,
    /// For people only: lines after the tables.
    pub notes: Vec<String>,
    /// For people only: paragraphs between the title and the main table (a notice's
    /// opening words).
    pub preface: Vec<String>,
    /// For people only: the lines that sign a notice (the issuing body, the date), at its
    /// end. A signed report is a notice to post: its notes are its closing paragraphs, on
    /// its own page or worksheet (not a sheet of notes).
    pub signature: Vec<String>,
    /// A chart of this table's cells, drawn by the workbook (`--format xlsx`) beside the
    /// table on its worksheet; the other formats have no pictures and pass it over.
    pub chart: Option<ChartSpec>,
    /// The values a column (by index) may take, offered as a list to choose from in a
    /// workbook (a status to fill); the other formats pass it over.
    pub choices: Vec<(usize, Vec<String>)>,
}

/// The kind of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Horizontal bars, one per category, the series stacked end to end.
    StackedBar,
    /// Vertical columns, one per category (and series).
    Column,
}

/// A chart a table asks for: one series per value column, over the table's rows (the first
/// `rows` of them when set, to leave a total row out), the categories named by one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub title: String,
    /// The column (index into the table's columns) naming the categories.
    pub category: usize,
    /// The columns holding the numbers, one series each (named by their headers).
    pub values: Vec<usize>,
    /// Only the first rows of the table, when set.
    pub rows: Option<usize>,
}

/// Calls its argument once per row of one part, in order.
type MakePart<'a> =
    dyn Fn(usize, &mut dyn FnMut(&[Value]) -> io::Result<()>) -> io::Result<()> + Send + Sync + 'a;

/// A sink for rows.
pub type RowSink<'s> = dyn FnMut(&[Value]) -> io::Result<()> + 's;

/// Renders one part into an empty buffer, given what calls a sink once per row of the part.
pub type RenderPart<'r> = dyn Fn(&mut Vec<u8>, &mut dyn FnMut(&mut RowSink) -> io::Result<()>) -> io::Result<()>
    + Sync
    + 'r;

/// Rows made on demand, in parts: part k's rows come from `make(k, f)`. The parts are
/// independent, so CSV and JSON render two at a time, one on each core, and write them in
/// order.
pub struct RowStream<'a> {
    parts: usize,
    make: Box<MakePart<'a>>,
}

impl<'a> RowStream<'a> {
    /// Rows of `len` things in parts of `size`: `make(range, f)` calls `f` for the rows of
    /// the things in `range`.
    pub fn over(
        len: usize,
        size: usize,
        make: impl Fn(std::ops::Range<usize>, &mut dyn FnMut(&[Value]) -> io::Result<()>) -> io::Result<()>
            + Send
            + Sync
            + 'a,
    ) -> RowStream<'a> {
        let size = size.max(1);
        RowStream {
            parts: len.div_ceil(size),
            make: Box::new(move |k, f| {
                let start = k.saturating_mul(size);
                make(start..start.saturating_add(size).min(len), f)
            }),
        }
    }

    /// Every row, in order.
    fn each(&self, f: &mut dyn FnMut(&[Value]) -> io::Result<()>) -> io::Result<()> {
        (0..self.parts).try_for_each(|k| (self.make)(k, f))
    }

    /// Render every part to bytes with `render` and write them in order. Two threads take
    /// the parts in turn, each the next as soon as it is done, while this thread writes
    /// the rendered ones in order: no core waits for the other at the end of each pair
    /// (a county's parts differ as its towns do). At most [`AHEAD`] parts are rendered
    /// ahead of the writing, and their buffers are kept from part to part: a province's
    /// output is hundreds of megabytes, and fresh memory for each part costs the kernel
    /// more than rendering it.
    fn write_parts(
        &self,
        w: &mut dyn Write,
        render: &RenderPart<'_>,
        mut write: impl FnMut(&mut dyn Write, &[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let part = |k: usize, buf: &mut Vec<u8>| {
            buf.clear();
            render(buf, &mut |f| (self.make)(k, f))
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        if self.parts < 2 || threads < 2 {
            let mut buf = Vec::new();
            for k in 0..self.parts {
                part(k, &mut buf)?;
                write(w, &buf)?;
            }
            return Ok(());
        }
        let state = Mutex::new(Parts::default());
        let turn = Condvar::new();
        let lock = || lock(&state);
        std::thread::scope(|s| {
            let worker = || loop {
                let (k, mut buf) = {
                    let mut st = lock();
                    while !st.stop && st.next < self.parts && st.next >= st.written + AHEAD {
                        st = turn.wait(st).unwrap_or_else(PoisonError::into_inner);
                    }
                    if st.stop || st.next >= self.parts {
                        return;
                    }
                    st.next += 1;
                    (st.next - 1, st.spare.pop().unwrap_or_default())
                };
                // Should the rendering panic (no input reaches a panic), the part is
                // marked lost and this thread's work ends: the writer makes it itself.
                let mut lost = Lost(Some((&state, &turn, k)));
                let r = part(k, &mut buf);
                lost.0 = None;
                lock().done.push((k, r.map(|()| buf)));
                turn.notify_all();
            };
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
            // However this thread leaves (a part made here could panic), the workers stop
            // waiting for it.
            let _stop = Stop(&state, &turn);
            let mut out = Ok(());
            let mut mine = Vec::new();
            for k in 0..self.parts {
                let got = {
                    let mut st = lock();
                    loop {
                        if let Some(i) = st.done.iter().position(|(j, _)| *j == k) {
                            break Some(st.done.swap_remove(i).1);
                        }
                        // Lost to a panic, or not taken yet (the workers are busy, or
                        // gone): made here.
                        if st.lost.contains(&k) || k >= st.next {
                            st.next = st.next.max(k + 1);
                            break None;
                        }
                        st = turn.wait(st).unwrap_or_else(PoisonError::into_inner);
                    }
                };
                let written = match got {
                    Some(Ok(buf)) => {
                        let r = write(w, &buf);
                        lock().spare.push(buf);
                        r
                    }
                    Some(Err(e)) => Err(e),
                    None => part(k, &mut mine).and_then(|()| write(w, &mine)),
                };
                let mut st = lock();
                st.written = k + 1;
                if let Err(e) = written {
                    st.stop = true;
                    out = Err(e);
                }
                turn.notify_all();
                if st.stop {
                    break;
                }
            }
            drop(_stop);
            for h in handles {
                // A panicked worker's part was made again above.
                let _ = h.join();
            }
            out
        })
    }
}

/// How many parts may be rendered ahead of the one being written.
const AHEAD: usize = 4;

/// The parts of a [`RowStream`] being written: the next to render, how many are written,
/// the rendered ones waiting their turn (or why one could not be), the parts lost to a
/// panic, buffers to reuse.
#[derive(Default)]
struct Parts {
    next: usize,
    written: usize,
    done: Vec<(usize, io::Result<Vec<u8>>)>,
    lost: Vec<usize>,
    spare: Vec<Vec<u8>>,
    stop: bool,
}

/// Stops the workers of [`RowStream::write_parts`] when dropped.
struct Stop<'s>(&'s Mutex<Parts>, &'s Condvar);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        lock(self.0).stop = true;
        self.1.notify_all();
    }
}

/// Marks its part lost when dropped still armed (its thread panicked while rendering it).
struct Lost<'s>(Option<(&'s Mutex<Parts>, &'s Condvar, usize)>);

impl Drop for Lost<'_> {
    fn drop(&mut self) {
        if let Some((state, turn, k)) = self.0.take() {
            lock(state).lost.push(k);
            turn.notify_all();
        }
    }
}

impl<'a> Report<'a> {
    pub fn new(title: impl Into<String>, columns: Vec<Column>) -> Report<'a> {
        Report {
            title: title.into(),
            columns,
            rows: Vec::new(),
            stream: None,
            extras: Vec::new(),
            notes: Vec::new(),
            preface: Vec::new(),
            signature: Vec::new(),
            chart: None,
            choices: Vec::new(),
        }
    }

    /// Call `f` for every row: the held rows, then the streamed ones.
    pub fn each_row(&self, f: &mut dyn FnMut(&[Value]) -> io::Result<()>) -> io::Result<()> {
        for r in &self.rows {
            f(r)?;
        }
        match &self.stream {
            Some(s) => s.each(f),
            None => Ok(()),
        }
    }

    /// Every row, held in memory (for the formats that lay out a whole table).
    pub fn all_rows(&self) -> Vec<Vec<Value<'static>>> {
        let mut out = Vec::new();
        let _ = self.each_row(&mut |r| {
            out.push(r.iter().map(Value::to_owned_value).collect());
            Ok(())
        });
        out
    }

    /// The report with every row held and its text owned (a county keeps a member's
    /// report after the member's data is gone).
    pub fn to_static(&self) -> Report<'static> {
        Report {
            title: self.title.clone(),
            columns: self.columns.clone(),
            rows: self.all_rows(),
            stream: None,
            extras: self.extras.iter().map(Report::to_static).collect(),
            notes: self.notes.clone(),
            preface: self.preface.clone(),
            signature: self.signature.clone(),
            chart: self.chart.clone(),
            choices: self.choices.clone(),
        }
    }

    /// Write the report in a text format.
    pub fn write(&self, format: Format, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => table::write(self, lang, w),
            Format::Csv => csv::write(self, w),
            Format::Json => json::write(self, w),
            Format::Markdown | Format::Xlsx => markdown::write(self, lang, w),
            Format::Html => w.write_all(html::report(self, lang).as_bytes()),
        }
    }

    /// The report in a text format, as a string.
    pub fn render(&self, format: Format, lang: Lang) -> String {
        let mut out = Vec::new();
        let _ = self.write(format, lang, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Yes or no in Chinese: 是 / 否.
pub fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// Stars as ★ marks: `★★★☆☆`.
pub fn star_marks(star: u8) -> String {
    let s = usize::from(star.min(5));
    format!("{}{}", "★".repeat(s), "☆".repeat(5 - s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(streamed: bool, n: usize) -> Report<'static> {
        let mut r = Report::new(
            "t",
            vec![Column::new("a", "A", "甲"), Column::new("b", "B", "乙")],
        );
        let row = |i: usize| vec![Value::Int(i as i64), Value::text(format!("=x{i}, \"y\""))];
        if streamed {
            r.stream = Some(RowStream::over(n, 2, move |range, f| {
                range.into_iter().try_for_each(|i| f(&row(i)))
            }));
        } else {
            r.rows = (0..n).map(row).collect();
        }
        r
    }

    /// Parts rendered two at a time on two threads (an odd count and an even one, and no
    /// row at all) give the same bytes as rows held in memory.
    #[test]
    fn streamed_parts_write_the_same_bytes() {
        for n in [0, 1, 2, 5, 8] {
            for format in [Format::Csv, Format::Json, Format::Table] {
                assert_eq!(
                    report(true, n).render(format, Lang::En),
                    report(false, n).render(format, Lang::En),
                    "{format:?}, {n} rows"
                );
            }
        }
        assert!(report(true, 5)
            .render(Format::Json, Lang::En)
            .starts_with("[\n  {\"a\": 0"));
    }

    /// Many parts of unequal cost, taken by whichever thread is free, are still written in
    /// order, the same bytes as rows held.
    #[test]
    fn parts_taken_as_threads_free_up_are_written_in_order() {
        let row = |i: usize| vec![Value::Int(i as i64)];
        let mut r = Report::new("t", vec![Column::new("a", "A", "甲")]);
        r.stream = Some(RowStream::over(500, 3, move |range, f| {
            // Every seventh part is slow, so that later parts are done before it.
            if range.start % 21 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            range.into_iter().try_for_each(|i| f(&row(i)))
        }));
        let mut held = Report::new("t", vec![Column::new("a", "A", "甲")]);
        held.rows = (0..500).map(row).collect();
        assert_eq!(
            r.render(Format::Csv, Lang::En),
            held.render(Format::Csv, Lang::En)
        );
    }

    /// A part that cannot be rendered stops the writing there: the parts before it are
    /// written, none after it, and its error is the one told.
    #[test]
    fn a_part_that_fails_stops_the_writing_at_it() {
        let mut r = Report::new("t", vec![Column::new("a", "A", "甲")]);
        r.stream = Some(RowStream::over(100, 10, |range, f| {
            if range.start == 50 {
                return Err(io::Error::other("part 5"));
            }
            range
                .into_iter()
                .try_for_each(|i| f(&[Value::Int(i as i64)]))
        }));
        let mut out = Vec::new();
        let err = r.write(Format::Csv, Lang::En, &mut out).map(|_| ());
        assert_eq!(err.map_err(|e| e.to_string()), Err("part 5".to_string()));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.ends_with("\n49\n"), "{text}");
    }

    /// A part whose thread panics (no input reaches one) is made again by the writer: the
    /// output is whole.
    #[test]
    fn a_part_lost_to_a_panic_is_made_again() {
        let first = std::sync::atomic::AtomicBool::new(true);
        let mut r = Report::new("t", vec![Column::new("a", "A", "甲")]);
        r.stream = Some(RowStream::over(100, 10, move |range, f| {
            // In a worker only (unnamed): a panic of the writing thread itself is no
            // part lost, but the panic it is.
            let worker = std::thread::current().name().is_none();
            if range.start == 30 && worker && first.swap(false, std::sync::atomic::Ordering::SeqCst)
            {
                panic!("lost");
            }
            range
                .into_iter()
                .try_for_each(|i| f(&[Value::Int(i as i64)]))
        }));
        let mut held = Report::new("t", vec![Column::new("a", "A", "甲")]);
        held.rows = (0..100).map(|i| vec![Value::Int(i)]).collect();
        assert_eq!(
            r.render(Format::Csv, Lang::En),
            held.render(Format::Csv, Lang::En)
        );
    }
}
