//! The one way a table is read (`branches.csv`, the score sheets, `events`, `reviews`,
//! `rectification`): decoding, CSV and workbook sources, a clean file split in two parts for
//! both cores, and the careful read that tells every problem where it is. A table supplies
//! only what a row means ([`Table::row`]), how two parts become one ([`Table::merge`]), and
//! what its header names ([`Table::knows_column`], [`Table::column_kind`]): every table read
//! here gets what spreadsheets do read as meant — titles above the header, `;` or tabs
//! between cells, merged cells, dates in any format, extra worksheets (`source`).
//!
//! A clean file (UTF-8, no quote, one header line, every row the header's width, no problem
//! in any row) is streamed in two byte ranges, one per core, never held whole. At the first
//! sign of anything else the parts are dropped and the files are read again whole, one row
//! after another, by the same row logic with problems told: so both ways give the same facts.

use crate::problem::Problems;
use crate::source::sheet::{
    default_kind, split_plain, stream_plain_part, Cells, ColumnKind, Layout, PlainCells, Sheet,
};
use crate::source::{self, xlsx, Encoding};
use std::ops::Range;
use std::path::PathBuf;

/// A file of a table: where it is, and its name in messages.
pub(crate) struct File {
    pub path: PathBuf,
    pub name: String,
}

/// What a table's rows mean.
pub(crate) trait Table: Sync {
    /// What a sheet's header says.
    type Cols: Sync;
    /// The rows read so far: one for the careful read, one per core for the parts.
    type Part: Send;
    /// Every worksheet of a workbook is read (score sheets), not only the first.
    const ALL_SHEETS: bool = false;
    /// Numbers are read from the cells ([`Cells::number`]): a clean line's are found while
    /// it is split.
    const NUMBERS: bool = false;
    /// The largest file of the table read: a side file (events, reviews, rectification, the
    /// records of the year: every table but the branches and the score sheets, which say
    /// otherwise) has a few rows per branch at most, and gets far less than the 4 GiB of a
    /// province's score sheets: [`MAX_SIDE_FILE_BYTES`], or [`side_limit`] of the
    /// workspace's branches where the table knows them.
    fn max_bytes(&self) -> u64 {
        MAX_SIDE_FILE_BYTES
    }

    /// Whether a header cell names a column of the table: the header is the first row
    /// with two or more cells that has one, and the rows above it (titles, sub-titles, a
    /// template's legend) are passed over. Every table of a year folder has `branch`.
    fn knows_column(&self, header: &str) -> bool {
        crate::aliases::header(header) == "branch"
    }
    /// What a column holds, by its header: a workbook's date cell is a date in a date
    /// column, read as shown in a text column, and refused elsewhere.
    fn column_kind(&self, header: &str) -> ColumnKind {
        default_kind(header)
    }
    /// The columns of a sheet, from its header; `None` with its problems told.
    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Self::Cols>;
    /// Rows to come, of the sheets `names`, with room for the rows of `bytes` bytes;
    /// `careful`: every problem is told, and what is needed to tell it kept.
    fn part(&self, names: &[String], bytes: u64, careful: bool) -> Option<Self::Part>;
    /// Read one row of sheet `sheet` into `part`, telling its problems.
    fn row(
        &self,
        part: &mut Self::Part,
        cols: &Self::Cols,
        sheet: usize,
        row: &impl Cells,
        problems: &mut Problems,
    );
    /// Two parts as one: the rows of `b` follow those of `a`, and their lines in each file
    /// are counted from the part's start (add `lines_before_b[file]`). `None` when together
    /// they are not clean (a row given in both): the careful read tells it. A table of
    /// several files (the score sheets; of the others one file is read) has its files
    /// taken by either part in turn, the last in pieces, so `b` may hold an earlier file
    /// than `a`, and a file's lines be in both: its merge hangs on neither order nor lines.
    fn merge(&self, a: Self::Part, b: Self::Part, lines_before_b: &[usize]) -> Option<Self::Part>;
    /// Whether a clean file may be split in parts (else it is read the careful way).
    fn streams(&self) -> bool {
        true
    }
    /// Clean files of this many bytes or more are read in two parts, one per core.
    fn parts_from(&self) -> u64 {
        STREAM_FROM_BYTES
    }
}

/// What [`read`] made.
pub(crate) struct Read<P> {
    pub part: P,
    /// Read the careful way, with every problem told, and no row lost (to a sheet that could
    /// not be read, a bad header, a ragged row).
    pub whole: bool,
}

/// The least limit of a side file ([`Table::max_bytes`]): 64 MiB, whatever the workspace.
pub const MAX_SIDE_FILE_BYTES: u64 = 64 << 20;

/// Bytes a side file may have for each branch of the workspace, over
/// [`MAX_SIDE_FILE_BYTES`]: the rectification statuses of a province of 500,000 branches
/// are about 300 bytes a branch (153 MB), its events and reviews less.
pub const SIDE_BYTES_PER_BRANCH: u64 = 1 << 10;

/// The limit of a side file of a workspace of `branches` branches: 64 MiB and 1 KiB a
/// branch (a town of 80 branches: 64 MiB; a province of 5,000,000: 4 GiB).
pub fn side_limit(branches: usize) -> u64 {
    let per_branch = (branches as u64).saturating_mul(SIDE_BYTES_PER_BRANCH);
    MAX_SIDE_FILE_BYTES
        .saturating_add(per_branch)
        .min(source::MAX_FILE_BYTES)
}

/// Clean tables smaller than this are read in one part on this thread (a county's small
/// sheets are not worth a thread each); larger ones are split in two parts, one per core.
pub const STREAM_FROM_BYTES: u64 = 1 << 20;

/// Read the files of a table, as plain lines when clean (split on both cores when large),
/// else the careful way.
pub(crate) fn read<T: Table>(
    table: &T,
    files: &[File],
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<Read<T::Part>> {
    if encoding != Encoding::Gbk && table.streams() {
        if let Some(part) = in_parts(table, files, table.parts_from()) {
            return Some(Read { part, whole: false });
        }
    }
    careful(table, files, encoding, problems)
}

/// The careful read: every row in turn, every problem told. A CSV file is read in bounded
/// blocks ([`source::blocks`]), never whole; a workbook's worksheets as CSV text.
fn careful<T: Table>(
    table: &T,
    files: &[File],
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<Read<T::Part>> {
    with_layout(table, |layout| {
        let (sources, names, mut lost) = sources(table, files, layout, problems);
        let mut part = table.part(&names, 0, true)?;
        let mut i = 0;
        for src in sources {
            match src {
                Source::Sheets(sheets) => {
                    for w in sheets {
                        lost |= !careful_sheet(table, &mut part, i, w, layout, problems);
                        i += 1;
                    }
                }
                Source::Csv(f) => {
                    lost |= !careful_blocks(table, &mut part, i, f, layout, encoding, problems);
                    i += 1;
                }
            }
        }
        Some(Read { part, whole: !lost })
    })
}

/// A file's sheets: a workbook's, read first (their names are the sheets'), or a CSV
/// file, read in blocks when its turn comes.
enum Source<'f> {
    Sheets(Vec<xlsx::Worksheet>),
    Csv(&'f File),
}

/// The sources of a careful read, the names of their sheets, and whether a file was lost
/// (none given, or a workbook that could not be read whole).
fn sources<'f, T: Table>(
    table: &T,
    files: &'f [File],
    layout: &Layout,
    problems: &mut Problems,
) -> (Vec<Source<'f>>, Vec<String>, bool) {
    let mut lost = files.is_empty();
    let mut sources = Vec::with_capacity(files.len());
    let mut names = Vec::new();
    for f in files {
        if !super::files::is_workbook(&f.name) {
            names.push(f.name.clone());
            sources.push(Source::Csv(f));
            continue;
        }
        let before = problems.len();
        // The size of a side file's workbook is bounded as a CSV file's is.
        if let Err(r) = source::open_input(&f.path, table.max_bytes()) {
            problems.push(crate::problem::Problem::file(&f.name, r.message()));
            lost = true;
            continue;
        }
        // Which worksheets are read: the rule is files.rs's.
        let book = xlsx::Book {
            all: T::ALL_SHEETS,
            notes: super::files::is_notes_sheet,
            layout,
        };
        let sheets = xlsx::read(&f.path, &f.name, &book, problems);
        lost |= problems.len() != before;
        names.extend(sheets.iter().map(|w| w.text.name.clone()));
        sources.push(Source::Sheets(sheets));
    }
    (sources, names, lost)
}

/// One worksheet read carefully into `part` (sheet `i`); whether no row was lost. Its cells
/// that could mean two things are told once: by the rules of their columns as the rows are
/// read, or after them.
fn careful_sheet<T: Table>(
    table: &T,
    part: &mut T::Part,
    i: usize,
    w: xlsx::Worksheet,
    layout: &Layout,
    problems: &mut Problems,
) -> bool {
    let xlsx::Worksheet { text, told, more } = w;
    let clean = told.is_empty();
    problems.count_more(&text.name, more);
    let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, layout, problems) else {
        told.into_iter().for_each(|(_, p)| problems.push(p));
        return false;
    };
    let sheet = sheet.with_told(told);
    let Some(cols) = table.columns(&sheet, problems) else {
        sheet.untold().for_each(|p| problems.push(p.clone()));
        return false;
    };
    let ragged = rows.each(&sheet, problems, |row, problems| {
        table.row(part, &cols, i, row, problems);
    });
    sheet.untold().for_each(|p| problems.push(p.clone()));
    clean && ragged == 0
}

/// A CSV file read carefully into `part` (sheet `i`), block by block: the header from the
/// first, the rows of each in turn; whether no row was lost.
fn careful_blocks<T: Table>(
    table: &T,
    part: &mut T::Part,
    i: usize,
    f: &File,
    layout: &Layout,
    encoding: Encoding,
    problems: &mut Problems,
) -> bool {
    let Some(mut blocks) =
        source::blocks::Blocks::open(&f.path, &f.name, table.max_bytes(), encoding, problems)
    else {
        return false;
    };
    let Some(first) = blocks.next_block(problems) else {
        return false;
    };
    let Some((head, rows)) =
        Sheet::open_at(&f.name, &first.text, layout, first.line_base, problems)
    else {
        return false;
    };
    let Some(cols) = table.columns(&head, problems) else {
        return false;
    };
    let mut ragged = rows.each(&head, problems, |row, problems| {
        table.row(part, &cols, i, row, problems);
    });
    loop {
        let before = problems.len();
        let Some(block) = blocks.next_block(problems) else {
            return ragged == 0 && problems.len() == before;
        };
        let Some((sheet, rows)) = head.resume(&block.text, block.line_base, problems) else {
            return false;
        };
        ragged += rows.each(&sheet, problems, |row, problems| {
            table.row(part, &cols, i, row, problems);
        });
    }
}

/// A clean file's header: its line index, its columns and its width.
struct Header<C> {
    k: usize,
    cols: C,
    width: usize,
}

/// Which files, and which of their bytes, each of the two parts of [`in_parts`] reads.
enum Plan {
    /// Not split: every file whole in the first part.
    One,
    /// A lone file: the first part reads up to this byte, the second from it.
    Halves(u64),
    /// Several files, by whichever part takes them: the next of these (file, bytes).
    Shared(Vec<(usize, Range<u64>)>, std::sync::atomic::AtomicUsize),
}

impl Plan {
    /// The next file for a part to read, and its range of bytes; `taken`: how many this
    /// part took so far.
    fn next(&self, first: bool, taken: &mut usize, files: usize) -> Option<(usize, Range<u64>)> {
        let k = *taken;
        *taken += 1;
        match self {
            Plan::One => (first && k < files).then_some((k, 0..u64::MAX)),
            Plan::Halves(mid) if k == 0 => Some((0, if first { 0..*mid } else { *mid..u64::MAX })),
            Plan::Halves(_) => None,
            Plan::Shared(order, next) => {
                let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                order.get(at).cloned()
            }
        }
    }
}

/// The files of a table read as plain lines, on both cores when they have `from` bytes or
/// more: `None` unless they are CSV, plain and clean.
fn in_parts<T: Table>(table: &T, files: &[File], from: u64) -> Option<T::Part> {
    // Each file opened once, as an input: a county's 40,000 small sheets are not each
    // looked up again by their path. One that cannot be is for the careful read to tell.
    let mut opened = Vec::with_capacity(files.len());
    let mut sizes = Vec::with_capacity(files.len());
    for f in files {
        if super::files::is_workbook(&f.name) {
            return None;
        }
        let (file, size) = source::open_input(&f.path, table.max_bytes()).ok()?;
        opened.push(file);
        sizes.push(size);
    }
    let total = sizes.iter().fold(0u64, |a, s| a.saturating_add(*s));
    if total > source::MAX_FILE_BYTES {
        return None;
    }
    let split = total >= from;
    // Each header: the first line that is not blank, with no problem at all. A table read in
    // one part finds it as it reads (a small file is not opened twice); the second of two
    // parts needs it before it starts. With it, what the file costs to read: a row costs
    // about what 90 bytes do (a score sheet's row of 19 bytes about as much as one of 90),
    // and the rows are counted from the bytes of the first lines.
    const ROW_COST_BYTES: u64 = 90;
    const SAMPLE_LINES: u64 = 256;
    let mut headers: Vec<Option<Header<T::Cols>>> = Vec::with_capacity(files.len());
    let mut costs = Vec::with_capacity(files.len());
    let mut buf = source::sheet::ReadBuffer::take();
    for ((f, file), size) in files.iter().zip(&opened).zip(&sizes).filter(|_| split) {
        let (mut first, mut lines, mut bytes) = (None, 0u64, 0u64);
        stream_plain_part(file, *size, 0..u64::MAX, &mut buf, |k, line| {
            if first.is_none() {
                first = Some(header_of(table, &f.name, k, line));
            } else {
                (lines, bytes) = (lines + 1, bytes + line.len() as u64 + 1);
            }
            lines < SAMPLE_LINES
        });
        headers.push(Some(first.flatten()?));
        let rows = match bytes {
            0 => 0,
            _ => size / bytes.div_ceil(lines.max(1)),
        };
        costs.push(size.saturating_add(rows.saturating_mul(ROW_COST_BYTES)));
    }
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    drop(buf);
    // What each part reads: a lone file split at its middle; several files taken by the part
    // that is free first, the costliest first, whole but for the last, which is cut in
    // pieces that both parts take, so that they end together. (Taken by bytes up front, a
    // province's mass sheet, as many rows as its rural sheet in a fifth of the bytes, kept
    // one core busy for seconds alone.) A file read whole by one part makes its domain's
    // sums in that part alone. Not split: every file in the first part.
    const PIECES: u64 = 16;
    let plan = match (&sizes[..], split) {
        (_, false) => Plan::One,
        ([size], true) => Plan::Halves(size / 2),
        (_, true) => {
            let mut order: Vec<usize> = (0..files.len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(costs.get(i).copied()));
            let last = order.pop();
            let mut queue: Vec<(usize, Range<u64>)> =
                order.into_iter().map(|i| (i, 0..u64::MAX)).collect();
            if let Some((i, size)) = last.and_then(|i| Some((i, *sizes.get(i)?))) {
                let step = size.div_ceil(PIECES).max(1);
                let mut at = 0u64;
                while at.saturating_add(step) < size {
                    queue.push((i, at..at + step));
                    at += step;
                }
                queue.push((i, at..u64::MAX));
            }
            Plan::Shared(queue, std::sync::atomic::AtomicUsize::new(0))
        }
    };
    let part = |first: bool| -> Option<(Vec<usize>, T::Part)> {
        // The first part has room for all (the second's rows are appended in place).
        let room = match &plan {
            Plan::Halves(mid) if !first => total - mid,
            _ => total,
        };
        let mut part = table.part(&names, room, false)?;
        // The lines of each file this part read.
        let mut lines = vec![0; files.len()];
        let (mut fields, mut problems) = (Vec::new(), Problems::new());
        // Taken when a file is read: a part with none holds no buffer.
        let mut buf = None;
        let mut taken = 0;
        while let Some((i, range)) = plan.next(first, &mut taken, files.len()) {
            let (Some(f), Some(file), Some(size)) = (files.get(i), opened.get(i), sizes.get(i))
            else {
                break;
            };
            let header = range.start == 0;
            let mut found = None;
            let known = headers.get(i).and_then(Option::as_ref);
            let buf = buf.get_or_insert_with(source::sheet::ReadBuffer::take);
            let n = stream_plain_part(file, *size, range, buf, |k, line| {
                let Some(h) = known.or(found.as_ref()) else {
                    found = header_of(table, &f.name, k, line);
                    return found.is_some();
                };
                if header && k <= h.k {
                    return true;
                }
                let split = match T::NUMBERS {
                    true => split_plain::<true>(line, &mut fields),
                    false => split_plain::<false>(line, &mut fields),
                };
                if !split || fields.len() != h.width {
                    return false;
                }
                let cells = PlainCells {
                    line,
                    fields: &fields,
                    line_no: k + 1,
                    numbers: T::NUMBERS,
                };
                table.row(&mut part, &h.cols, i, &cells, &mut problems);
                problems.is_empty()
            })?;
            // A file without a header (nothing but blank lines) is for the careful read.
            known.or(found.as_ref())?;
            if let Some(l) = lines.get_mut(i) {
                *l += n;
            }
        }
        Some((lines, part))
    };
    let (a, b) = match split {
        // The second part then opens no file.
        false => (part(true), part(false)),
        true => std::thread::scope(|s| {
            let other = s.spawn(|| part(false));
            (part(true), other.join().ok().flatten())
        }),
    };
    let ((lines, a), (_, b)) = (a?, b?);
    // The buffers are let go before the parts are merged, which is when memory peaks.
    source::sheet::ReadBuffer::let_go();
    table.merge(a, b, &lines)
}

/// `f` with the table's [`Layout`]: which headers it knows, what each column holds.
fn with_layout<T: Table, R>(table: &T, f: impl FnOnce(&Layout) -> R) -> R {
    let (knows, kind) = (
        |h: &str| table.knows_column(h),
        |h: &str| table.column_kind(h),
    );
    f(&Layout {
        knows: &knows,
        kind: &kind,
    })
}

/// A clean file's header from its first line that is not blank (line index `k`): `None`
/// unless its columns are found with no problem at all.
fn header_of<T: Table>(table: &T, name: &str, k: usize, line: &str) -> Option<Header<T::Cols>> {
    let mut problems = Problems::new();
    let (sheet, _) = with_layout(table, |layout| {
        Sheet::open(name, line, layout, &mut problems)
    })?;
    // Lines are split at commas here: a file of another separator is read the careful way.
    if sheet.separator != b',' {
        return None;
    }
    let cols = table.columns(&sheet, &mut problems)?;
    let width = sheet.header.len();
    problems.is_empty().then_some(Header { k, cols, width })
}

/// Room for one more row in `rows`, asked for before it is needed (as `push` would, but
/// without aborting when memory cannot be had): `false`, with a problem at the row, when
/// it cannot be had. A row's only cost is `push`'s own comparison.
#[inline]
pub(crate) fn room_for<R>(rows: &mut Vec<R>, row: &impl Cells, problems: &mut Problems) -> bool {
    if rows.len() < rows.capacity() || rows.try_reserve(rows.len().max(64)).is_ok() {
        return true;
    }
    let n = rows.len();
    problems.push(row.row_problem(crate::i18n::msg!(
        "cannot hold more than {n} rows of this file in memory; expected a smaller file, or more memory",
        "内存不足，无法容纳该文件超过 {n} 行的数据；应使用较小的文件，或增加内存"
    )));
    false
}

/// Room for `n` rows made at once where memory allows (a province's rows are hundreds of
/// megabytes, and growing step by step copies them over and over); none made otherwise,
/// the rows then grow as they come ([`room_for`]).
pub(crate) fn with_room<R>(n: usize) -> Vec<R> {
    let mut rows = Vec::new();
    let _ = rows.try_reserve_exact(n);
    rows
}

/// The rows of two parts as one: `b`'s after `a`'s, each moved by `shift` (to its line in
/// the whole file).
pub(crate) fn joined<R>(mut a: Vec<R>, mut b: Vec<R>, shift: impl FnMut(&mut R)) -> Vec<R> {
    b.iter_mut().for_each(shift);
    a.append(&mut b);
    a
}

/// Finds the keys listed twice (a branch id, an item id), with the line of their first
/// row. While the keys come in increasing order (as they usually do) none can repeat and
/// they are kept in one string, with no allocation per key; at the first that does not
/// come after all the others, a map of all of them is made.
#[derive(Default)]
pub(crate) struct Repeats {
    text: String,
    /// Where each key ends in `text`, and its line.
    ends: Vec<(usize, usize)>,
    seen: Option<rustc_hash::FxHashMap<String, usize>>,
}

impl Repeats {
    /// The first line of `key` if it was listed before; else it is noted at `line`.
    pub fn first(&mut self, key: &str, line: usize) -> Option<usize> {
        let last_start = (self.ends.len().checked_sub(2))
            .and_then(|k| self.ends.get(k))
            .map_or(0, |e| e.0);
        let last = self
            .ends
            .last()
            .and_then(|e| self.text.get(last_start..e.0));
        if self.seen.is_none() && last.is_some_and(|last| last >= key) {
            let mut start = 0;
            let mut seen = rustc_hash::FxHashMap::default();
            for &(end, line) in &self.ends {
                seen.extend(self.text.get(start..end).map(|k| (k.to_string(), line)));
                start = end;
            }
            self.seen = Some(seen);
        }
        match &mut self.seen {
            Some(seen) => match seen.get(key) {
                Some(first) => Some(*first),
                None => seen.insert(key.to_string(), line).and(None),
            },
            None => {
                self.text.push_str(key);
                self.ends.push((self.text.len(), line));
                None
            }
        }
    }
}

/// A table read both ways, for tests: in parts (`None` when not clean), and carefully,
/// with the problems the careful read told.
#[cfg(test)]
pub(crate) fn both_ways<T: Table>(
    table: &T,
    files: &[File],
) -> (Option<T::Part>, T::Part, Problems) {
    let mut problems = Problems::new();
    let careful = careful(table, files, Encoding::Auto, &mut problems).expect("read");
    (in_parts(table, files, 0), careful.part, problems)
}

/// A table read as plain lines in one part, on this thread (as a small table is), for tests.
#[cfg(test)]
pub(crate) fn in_one_part<T: Table>(table: &T, files: &[File]) -> Option<T::Part> {
    in_parts(table, files, u64::MAX)
}
