//! Reading input files as text: UTF-8 with or without a BOM, or GB18030 (which covers GBK)
//! for CSV saved by Excel or WPS on a Chinese system.
//! Workbooks (`.xlsx`, `.xls`) are turned into CSV text, worksheet by worksheet, in `xlsx`;
//! CSV text is read row by row, every cell located, in `sheet`.

use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use std::path::Path;

pub mod blocks;
pub mod encoding;
pub mod sheet;
pub(crate) mod xlsx;

/// How to decode CSV input. TOML is always UTF-8, as the TOML format requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8 (BOM optional); GB18030 when the bytes are not valid UTF-8.
    #[default]
    Auto,
    /// UTF-8 only (BOM optional).
    Utf8,
    /// GB18030 / GBK only.
    Gbk,
}

/// The largest input file read, so that a hostile input cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 4 << 30;

/// The largest TOML file read (`stars.toml`, `standards/*.toml`): refused before parsing.
pub const MAX_TOML_BYTES: u64 = 1 << 20;

/// A decoded text file.
#[derive(Debug, Clone)]
pub struct Text {
    /// The file name as shown in messages.
    pub name: String,
    pub text: String,
}

/// Why an input file is not read.
#[derive(Debug)]
pub enum Refused {
    NotFound,
    Folder,
    /// A FIFO, a device, a socket: reading it could hang or never end.
    NotRegular,
    /// More than this many bytes.
    TooLarge(u64),
    /// Not this many bytes of memory to hold it.
    NoMemory(u64),
    Io(std::io::Error),
}

impl Refused {
    /// What is wrong, as a problem's message.
    pub fn message(&self) -> String {
        match self {
            Refused::NotFound => tr("file not found", "文件不存在").to_string(),
            Refused::Folder => {
                tr("is a folder; expected a file", "这是文件夹；应为文件").to_string()
            }
            Refused::NotRegular => tr(
                "not a regular file (a pipe, a device or a socket); expected a file",
                "不是普通文件（是管道、设备或套接字）；应为文件",
            )
            .to_string(),
            Refused::TooLarge(max) => msg!(
                "file is larger than {max} bytes; expected at most {max} bytes",
                "文件超过 {max} 字节；应不超过 {max} 字节"
            ),
            Refused::NoMemory(n) => msg!(
                "cannot hold its {n} bytes in memory; expected a smaller file, or more memory",
                "内存不足，无法容纳其 {n} 字节；应使用较小的文件，或增加内存"
            ),
            Refused::Io(e) => {
                let why = crate::problem::io_reason(e);
                msg!("cannot be read: {why}", "无法读取：{why}")
            }
        }
    }
}

/// Open an input file for reading, links followed: only a regular file is opened (a FIFO
/// would block the opening, a device never end), and one larger than `limit` bytes by its
/// reported length is refused. The type is checked again on the open file, which is
/// opened without blocking, so that a file swapped for a FIFO in between cannot hang.
/// The file and its length, as the open file tells it.
pub fn open_input(path: &Path, limit: u64) -> Result<(std::fs::File, u64), Refused> {
    let kind = |m: &std::fs::Metadata| {
        if m.is_dir() {
            Err(Refused::Folder)
        } else if !m.is_file() {
            Err(Refused::NotRegular)
        } else if m.len() > limit {
            Err(Refused::TooLarge(limit))
        } else {
            Ok(())
        }
    };
    match std::fs::metadata(path) {
        Ok(m) => kind(&m)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Refused::NotFound),
        Err(e) => return Err(Refused::Io(e)),
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(Refused::Io)?;
    let m = file.metadata().map_err(Refused::Io)?;
    kind(&m)?;
    Ok((file, m.len()))
}

/// The bytes of an input file ([`open_input`]), at most `limit` of them: the reading stops
/// one byte past the limit whatever length the file reports.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let (file, len) = open_input(path, limit)?;
    let hint = len.min(limit);
    let mut bytes = Vec::new();
    // Refused (a located problem), not aborted, when the memory cannot be had.
    bytes
        .try_reserve_exact(usize::try_from(hint).unwrap_or(usize::MAX))
        .map_err(|_| Refused::NoMemory(hint))?;
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(limit));
    }
    Ok(bytes)
}

/// Read and decode a file. `csv` allows the GB18030 fallback; TOML must be UTF-8, and at
/// most [`MAX_TOML_BYTES`] long (CSV: [`MAX_FILE_BYTES`]). Problems are pushed, and `None`
/// returned, when the file is missing, not a regular file, too large, unreadable, empty or
/// undecodable.
pub fn read(
    path: &Path,
    name: &str,
    csv: bool,
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<Text> {
    let limit = if csv { MAX_FILE_BYTES } else { MAX_TOML_BYTES };
    let bytes = match read_bytes(path, limit) {
        Ok(b) => b,
        Err(r) => {
            problems.push(Problem::file(name, r.message()));
            return None;
        }
    };
    decode_owned(bytes, name, csv, encoding, problems).map(|text| Text {
        name: name.to_string(),
        text,
    })
}

/// Decode bytes as [`read`] does.
pub fn decode(
    bytes: &[u8],
    name: &str,
    csv: bool,
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<String> {
    decode_owned(bytes.to_vec(), name, csv, encoding, problems)
}

/// [`decode`], reusing the buffer for UTF-8 (files of a province are hundreds of megabytes:
/// no second copy, and UTF-8 is checked once).
pub(crate) fn decode_owned(
    mut bytes: Vec<u8>,
    name: &str,
    csv: bool,
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let gbk = |body: &[u8]| {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|c| c.into_owned())
    };
    let (decoded, body) = match (csv, encoding) {
        (true, Encoding::Gbk) => (gbk(&bytes), bytes),
        (false, _) | (true, Encoding::Utf8) => match String::from_utf8(bytes) {
            Ok(text) => (Some(text), Vec::new()),
            Err(e) => (None, e.into_bytes()),
        },
        (true, Encoding::Auto) => match String::from_utf8(bytes) {
            Ok(text) => (Some(text), Vec::new()),
            Err(e) => {
                let body = e.into_bytes();
                let decoded = gbk(&body);
                // Lines in two encodings would be read partly garbled: refused. (When the
                // whole is no GB18030, the first line in neither is told below.)
                if let Some(m) = decoded.as_ref().and_then(|_| encoding::mixed(&body)) {
                    problems.push(Problem::line(name, m.line, m.message()));
                    return None;
                }
                (decoded, body)
            }
        },
    };
    match decoded {
        Some(text) if text.trim().is_empty() => {
            problems.push(Problem::file(
                name,
                if csv {
                    tr(
                        "file is empty; expected a header row",
                        "文件为空；应有表头行",
                    )
                } else {
                    tr("file is empty", "文件为空")
                },
            ));
            None
        }
        Some(text) => Some(text),
        None => {
            let encoding = if csv { encoding } else { Encoding::Utf8 };
            let bad = first_bad_line(&body, encoding, csv);
            // Every line reads in one encoding or the other, but not the file in one.
            let mixed = (encoding == Encoding::Auto && bad.is_none())
                .then(|| encoding::mixed(&body))
                .flatten();
            let (line, message) = match (bad, mixed) {
                (_, Some(m)) => (m.line, m.message()),
                (bad, None) => {
                    let (line, expected) = bad.unwrap_or((1, expected(encoding, csv)));
                    let message = msg!(
                        "bytes are not valid text: expected {expected}",
                        "含有无法识别的字节，不是有效的文本；应为 {expected}"
                    );
                    (line, message)
                }
            };
            problems.push(Problem::line(name, line, message));
            None
        }
    }
}

/// What a file in `encoding` was expected to be, in a message.
fn expected(encoding: Encoding, csv: bool) -> &'static str {
    match (csv, encoding) {
        (false, _) => tr(
            "UTF-8 (TOML files must be UTF-8)",
            "UTF-8 编码（TOML 文件必须使用 UTF-8）",
        ),
        (true, Encoding::Utf8) => tr("UTF-8", "UTF-8 编码"),
        (true, Encoding::Gbk) => tr("GB18030/GBK", "GB18030/GBK 编码"),
        (true, Encoding::Auto) => tr("UTF-8 or GB18030/GBK", "UTF-8 或 GB18030/GBK 编码"),
    }
}

/// The first line that does not decode in `encoding` (for `Auto`: in neither), and what
/// was expected there; `None` when each line decodes alone.
fn first_bad_line(body: &[u8], encoding: Encoding, csv: bool) -> Option<(usize, &'static str)> {
    let utf8 = |l: &[u8]| std::str::from_utf8(l).is_ok();
    let gbk = |l: &[u8]| {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(l)
            .is_some()
    };
    let bad = body
        .split(|&b| b == b'\n')
        .position(|line| match encoding {
            Encoding::Utf8 => !utf8(line),
            Encoding::Gbk => !gbk(line),
            Encoding::Auto => !(utf8(line) || gbk(line)),
        })?;
    Some((bad + 1, expected(encoding, csv)))
}

/// Byte offsets of line starts, to turn a byte offset into a line and a column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line end.
    pub fn line(&self, line: usize) -> Option<String> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
            .min(self.text.len());
        self.text
            .get(start..end)
            .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
    }
}

/// `DIR/rel` as shown to the user.
pub fn join_shown(shown: &str, rel: &str) -> String {
    if shown.is_empty() || shown == "." {
        rel.to_string()
    } else {
        format!("{}/{rel}", shown.trim_end_matches('/'))
    }
}

/// A file or a folder as the file system knows it, whatever path leads to it: its device
/// and inode on unix (a link, a hard link and a bind mount give the same), its real path
/// elsewhere.
#[cfg(unix)]
pub type FileKey = (u64, u64);
#[cfg(not(unix))]
pub type FileKey = std::path::PathBuf;

/// The [`FileKey`] of what `path` leads to (links followed); `None` when nothing is there.
pub fn file_key(path: &Path) -> Option<FileKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok()
    }
}
