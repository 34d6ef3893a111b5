//! A CSV file read in bounded blocks of whole records, so that its limits apply before its
//! memory is spent: the file's length, each line's (at most [`MAX_LINE_BYTES`]) and each
//! record's are checked as the bytes come, a block at a time, and a block is decoded and
//! read before the next is. A file of any size is held [`BLOCK_BYTES`] and one record at a
//! time, never whole; a hostile file (2 GiB on one line, a quote never closed) is refused
//! after reading at most a block and a line.

use super::sheet::MAX_LINE_BYTES;
use super::{Encoding, Refused};
use crate::i18n::msg;
use crate::problem::{Location, Problem, Problems};
use std::io::Read;

/// About how many bytes a block holds (it ends at the last record end within it).
pub const BLOCK_BYTES: usize = 8 << 20;

/// The most a record may span when a quoted cell holds line breaks (a line alone is at
/// most [`MAX_LINE_BYTES`]).
pub const MAX_RECORD_BYTES: usize = 4 << 20;

/// Bytes read from the file at a time.
const READ_BYTES: usize = 1 << 20;

/// One block of a file: decoded text of whole records, and where it starts.
pub struct Block {
    pub text: String,
    /// The file's line its first line is (0-based: add to the block's own 1-based lines).
    pub line_base: usize,
    pub first: bool,
}

/// The blocks of one CSV file.
pub struct Blocks {
    file: std::fs::File,
    name: String,
    encoding: Encoding,
    limit: u64,
    /// Bytes read and not yet handed out; `scanned` of them looked through.
    buf: Vec<u8>,
    scanned: usize,
    /// Bytes read from the file so far.
    read: u64,
    eof: bool,
    /// The file's lines before `buf`, and since then: where the current line starts in
    /// `buf`, its number (0-based), whether a quote is open (and the line it opened on),
    /// and the end of the last whole record in `buf`.
    lines_before: usize,
    line_start: usize,
    line: usize,
    quote_open: Option<usize>,
    record_end: usize,
    lines_at_record_end: usize,
    first: bool,
    /// With `--encoding auto`: whether the blocks before had text other than ASCII in UTF-8
    /// (`true`) or in GB18030 (`false`), and the file's first line that had it. A block
    /// is decoded on its own; a later block in the other encoding is refused, as lines in
    /// two encodings within a block are (see [`super::encoding`]).
    seen: Option<(bool, usize)>,
    /// [`BLOCK_BYTES`] but in tests and fuzzing, where blocks of a few bytes cut files of a
    /// few lines.
    block: usize,
}

impl Blocks {
    /// Blocks of about `bytes` bytes instead of [`BLOCK_BYTES`] (tests, fuzzing).
    pub(crate) fn with_block_bytes(mut self, bytes: usize) -> Blocks {
        self.block = bytes.max(1);
        self
    }

    /// Open `path` as an input ([`super::open_input`]) of at most `limit` bytes; `None`
    /// with a problem when it cannot be read.
    pub fn open(
        path: &std::path::Path,
        name: &str,
        limit: u64,
        encoding: Encoding,
        problems: &mut Problems,
    ) -> Option<Blocks> {
        let (file, _) = match super::open_input(path, limit) {
            Ok(f) => f,
            Err(r) => {
                problems.push(Problem::file(name, r.message()));
                return None;
            }
        };
        Some(Blocks {
            file,
            name: name.to_string(),
            encoding,
            limit,
            buf: Vec::new(),
            scanned: 0,
            read: 0,
            eof: false,
            lines_before: 0,
            line_start: 0,
            line: 0,
            quote_open: None,
            record_end: 0,
            lines_at_record_end: 0,
            first: true,
            seen: None,
            block: BLOCK_BYTES,
        })
    }

    /// The next block, decoded; `None` at the end of the file, or with a problem (a line
    /// or a record too long, the file too large or unreadable, bytes that are not text).
    pub fn next_block(&mut self, problems: &mut Problems) -> Option<Block> {
        loop {
            if let Err(p) = self.scan() {
                problems.push(*p);
                return None;
            }
            let full = self.record_end >= self.block;
            if full || self.eof {
                break;
            }
            if let Err(p) = self.fill() {
                problems.push(*p);
                return None;
            }
        }
        // At the end of the file the rest is one block, a quote open or not (the sheet
        // reader tells a quote never closed, where it opened).
        let end = if self.eof {
            self.buf.len()
        } else {
            self.record_end
        };
        if end == 0 && !self.first {
            return None;
        }
        let lines = match self.eof {
            true => self.line,
            false => self.lines_at_record_end,
        };
        let mut bytes: Vec<u8> = self.buf.drain(..end).collect();
        let rest_scanned = self.scanned.saturating_sub(end);
        self.scanned = rest_scanned;
        self.line_start = self.line_start.saturating_sub(end);
        self.record_end = 0;
        let line_base = self.lines_before;
        self.lines_before += lines;
        self.line -= lines;
        self.lines_at_record_end = 0;
        let first = std::mem::take(&mut self.first);
        // Blank lines after the first block are text as they are (decoding them would
        // tell an empty file).
        if !first && bytes.iter().all(u8::is_ascii_whitespace) {
            let text = String::from_utf8(bytes).unwrap_or_default();
            return Some(Block {
                text,
                line_base,
                first,
            });
        }
        if bytes.len() < bytes.capacity() / 2 {
            bytes.shrink_to_fit();
        }
        // A byte-order mark is the file's first bytes, not a block's: one that starts a
        // later block is text (U+FEFF), kept behind a mark the decoding takes off.
        if !first && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        if let Err(p) = self.one_encoding(&bytes, line_base) {
            problems.push(*p);
            return None;
        }
        let mut own = Problems::new();
        let text = super::decode_owned(bytes, &self.name, true, self.encoding, &mut own);
        problems.extend(shifted(own, line_base));
        Some(Block {
            text: text?,
            line_base,
            first,
        })
    }

    /// Read up to [`READ_BYTES`] more, refusing the file past its limit.
    /// With `--encoding auto`, a block whose text other than ASCII is in the other encoding
    /// than the blocks before: refused at its first line that differs. (Cheap: a block
    /// of ASCII, or in the encoding already seen, is looked through once, by simdutf8.)
    fn one_encoding(&mut self, bytes: &[u8], line_base: usize) -> Result<(), Box<Problem>> {
        if self.encoding != Encoding::Auto {
            return Ok(());
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let Some(non_ascii) = body.iter().position(|b| !b.is_ascii()) else {
            return Ok(());
        };
        let line_at = |byte: usize| {
            let before = body.get(..byte).unwrap_or_default();
            line_base + memchr::memchr_iter(b'\n', before).count() + 1
        };
        let bad_utf8 = simdutf8::compat::from_utf8(body)
            .err()
            .map(|e| e.valid_up_to());
        let utf8 = bad_utf8.is_none();
        match self.seen {
            None => {
                self.seen = Some((utf8, line_at(non_ascii)));
                Ok(())
            }
            Some((was, before)) if was != utf8 => {
                // The first line in this block's encoding: its first other than ASCII
                // (UTF-8 after GB18030), or its first that is not UTF-8.
                let line = line_at(bad_utf8.unwrap_or(non_ascii));
                let m = super::encoding::Mixed { line, before, utf8 };
                Err(Box::new(Problem::line(&self.name, line, m.message())))
            }
            Some(_) => Ok(()),
        }
    }

    fn fill(&mut self) -> Result<(), Box<Problem>> {
        let want = READ_BYTES.min(self.block.max(64));
        let len = self.buf.len();
        self.buf.try_reserve(want).map_err(|_| {
            let n = len + want;
            Box::new(Problem::file(
                &self.name,
                msg!(
                    "cannot hold {n} bytes of the file in memory; expected a smaller file, or more memory",
                    "内存不足，无法容纳该文件的 {n} 字节；应使用较小的文件，或增加内存"
                ),
            ))
        })?;
        self.buf.resize(len + want, 0);
        let n = loop {
            match self.file.read(self.buf.get_mut(len..).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(len);
                    return Err(Box::new(Problem::file(
                        &self.name,
                        Refused::Io(e).message(),
                    )));
                }
            }
        };
        self.buf.truncate(len + n);
        self.read += n as u64;
        self.eof = n == 0;
        if self.read > self.limit {
            return Err(Box::new(Problem::file(
                &self.name,
                Refused::TooLarge(self.limit).message(),
            )));
        }
        Ok(())
    }

    /// Look through the bytes read since the last scan: line ends, quotes, lengths.
    fn scan(&mut self) -> Result<(), Box<Problem>> {
        let buf = self.buf.get(self.scanned..).unwrap_or_default();
        let base = self.scanned;
        for at in memchr::memchr2_iter(b'\n', b'"', buf) {
            let at = base + at;
            if self.buf.get(at) == Some(&b'"') {
                self.quote_open = match self.quote_open {
                    None => Some(self.lines_before + self.line + 1),
                    Some(_) => None,
                };
                continue;
            }
            self.line_too_long(at)?;
            self.line += 1;
            self.line_start = at + 1;
            if self.quote_open.is_none() {
                self.record_end = at + 1;
                self.lines_at_record_end = self.line;
            }
        }
        self.scanned = self.buf.len();
        self.line_too_long(self.buf.len())?;
        match self.quote_open {
            Some(line) if self.buf.len() - self.record_end > MAX_RECORD_BYTES => {
                Err(Box::new(Problem::line(
                    &self.name,
                    line,
                    msg!(
                        "a quote opened on line {line} is not closed within {MAX_RECORD_BYTES} bytes; expected a closing \" (a row is at most {MAX_RECORD_BYTES} bytes)",
                        "第 {line} 行的引号在 {MAX_RECORD_BYTES} 字节内没有闭合；应补上结尾的 \"（一行数据最多 {MAX_RECORD_BYTES} 字节）"
                    ),
                )))
            }
            _ => Ok(()),
        }
    }

    /// The line that runs to `end` (a line end, or what was read of it) is too long.
    fn line_too_long(&self, end: usize) -> Result<(), Box<Problem>> {
        if end - self.line_start <= MAX_LINE_BYTES {
            return Ok(());
        }
        let line = self.lines_before + self.line + 1;
        Err(Box::new(Problem::line(
            &self.name,
            line,
            msg!(
                "line is longer than {MAX_LINE_BYTES} bytes; expected at most {MAX_LINE_BYTES}",
                "该行超过 {MAX_LINE_BYTES} 字节；应不超过 {MAX_LINE_BYTES} 字节"
            ),
        )))
    }
}

/// Problems of a block, their lines made the file's.
pub fn shifted(problems: Problems, line_base: usize) -> Problems {
    if line_base == 0 {
        return problems;
    }
    // (A block's decoding tells one problem at most: none is over a cap.)
    let mut out = Problems::new();
    for mut p in problems.iter().cloned() {
        if let Location::Line { line, .. } = &mut p.location {
            *line += line_base;
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(bytes: &[u8]) -> (Vec<Block>, Problems) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).unwrap();
        let mut problems = Problems::new();
        let mut b = Blocks::open(&path, "t.csv", u64::MAX, Encoding::Auto, &mut problems).unwrap();
        let mut out = Vec::new();
        while let Some(block) = b.next_block(&mut problems) {
            out.push(block);
        }
        (out, problems)
    }

    /// Blocks are whole records (a quoted cell's line breaks never cut), together the file,
    /// each starting at its line.
    #[test]
    fn blocks_are_whole_records_at_their_lines() {
        let mut text = String::from("id,note\n");
        let mut i = 0;
        while text.len() < 3 * BLOCK_BYTES {
            match i % 3 {
                0 => text.push_str(&format!("B{i},\"two\nlines, \"\"quoted\"\"\"\r\n")),
                1 => text.push_str(&format!("B{i},plain {}\n", "x".repeat(i % 200))),
                _ => text.push('\n'),
            }
            i += 1;
        }
        let (blocks, problems) = blocks_of(text.as_bytes());
        assert!(problems.is_empty());
        assert!(blocks.len() >= 3, "{}", blocks.len());
        let mut whole = String::new();
        for b in &blocks {
            assert_eq!(b.line_base, whole.matches('\n').count());
            assert!(b.text.matches('"').count() % 2 == 0, "a quote cut");
            assert!(b.text.len() <= BLOCK_BYTES + MAX_RECORD_BYTES);
            whole.push_str(&b.text);
        }
        assert_eq!(whole, text);
        assert!(blocks[0].first && !blocks[1].first);
    }

    /// A long line is refused at its line after reading a little more than the limit; a
    /// quote never closed after [`MAX_RECORD_BYTES`].
    #[test]
    fn a_long_line_or_record_is_refused_where_it_is() {
        let mut text = b"a,b\n1,2\n".to_vec();
        text.extend(std::iter::repeat_n(b'9', 3 << 20));
        let (_, problems) = blocks_of(&text);
        let p = problems.sorted();
        assert_eq!(p.len(), 1);
        assert!(
            p[0].to_string()
                .contains("t.csv:3: line is longer than 1048576 bytes"),
            "{}",
            p[0]
        );
        let mut text = b"a,b\n1,\"open\n".to_vec();
        for _ in 0..(5 << 10) {
            text.extend_from_slice(&[b'x'; 1023]);
            text.push(b'\n');
        }
        let (_, problems) = blocks_of(&text);
        let p = problems.sorted();
        assert!(
            p[0].to_string()
                .contains("t.csv:2: a quote opened on line 2 is not closed within"),
            "{}",
            p[0]
        );
    }

    /// Blocks in two encodings (a file larger than a block, its first part UTF-8 and a
    /// later part GB18030, or the other way round) are refused at the first line that
    /// differs, never decoded each its own way; ASCII blocks belong to both.
    #[test]
    fn blocks_in_two_encodings_are_refused_at_the_line() {
        let gbk = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
        let read = |bytes: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.csv");
            std::fs::write(&path, bytes).unwrap();
            let mut problems = Problems::new();
            let mut b = Blocks::open(&path, "t.csv", u64::MAX, Encoding::Auto, &mut problems)
                .unwrap()
                .with_block_bytes(16);
            while b.next_block(&mut problems).is_some() {}
            problems
                .sorted()
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        // Lines 1–3 ASCII, 4 UTF-8, 5 ASCII, 6 GBK.
        let mut bytes = b"id,note\nB1,a\nB2,b\n".to_vec();
        bytes.extend("B3,大王村\n".as_bytes());
        bytes.extend(b"B4,c\n");
        bytes.extend(gbk("B5,张庄\n"));
        let p = read(&bytes);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains("t.csv:6: line 6 is saved as GB18030/GBK, but line 4"),
            "{p:?}"
        );
        // GBK first, then UTF-8.
        let mut bytes = b"id,note\n".to_vec();
        bytes.extend(gbk("B1,大王村\n"));
        bytes.extend(b"B2,abcdefghijklmnop\n");
        bytes.extend("B3,张庄\n".as_bytes());
        let p = read(&bytes);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains("t.csv:4: line 4 is saved as UTF-8, but line 2"),
            "{p:?}"
        );
        // One encoding in every block: read.
        let mut bytes = b"id,note\n".to_vec();
        bytes.extend(gbk("B1,大王村\nB2,abcdefghijklmnop\nB3,张庄\n"));
        assert_eq!(read(&bytes), Vec::<String>::new());
    }
}
