//! Reading input files as text: UTF-8 with or without a BOM, or GB18030 (which covers GBK)
//! for CSV saved by Excel or WPS on a Chinese system.

use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use std::path::Path;

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

/// A decoded text file.
#[derive(Debug, Clone)]
pub struct Text {
    /// The file name as shown in messages.
    pub name: String,
    pub text: String,
}

/// Read and decode a file. `csv` allows the GB18030 fallback; TOML must be UTF-8.
/// Problems are pushed, and `None` returned, when the file is missing, unreadable, empty or
/// undecodable.
pub fn read(
    path: &Path,
    name: &str,
    csv: bool,
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<Text> {
    let bytes = match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            let len = m.len();
            problems.push(Problem::file(
                name,
                msg!(
                    "file is {len} bytes; expected at most {MAX_FILE_BYTES} bytes",
                    "文件大小为 {len} 字节；应不超过 {MAX_FILE_BYTES} 字节"
                ),
            ));
            return None;
        }
        Ok(m) if m.is_dir() => {
            problems.push(Problem::file(
                name,
                tr("is a folder; expected a file", "这是文件夹；应为文件"),
            ));
            return None;
        }
        Ok(_) => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::file(
                    name,
                    msg!("cannot be read: {e}", "无法读取：{e}"),
                ));
                return None;
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.push(Problem::file(name, tr("file not found", "文件不存在")));
            return None;
        }
        Err(e) => {
            problems.push(Problem::file(
                name,
                msg!("cannot be read: {e}", "无法读取：{e}"),
            ));
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
fn decode_owned(
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
                (gbk(&body), body)
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
            let (line, expected) =
                first_bad_line(&body, if csv { encoding } else { Encoding::Utf8 }, csv);
            problems.push(Problem::line(
                name,
                line,
                msg!(
                    "bytes are not valid text: expected {expected}",
                    "含有无法识别的字节，不是有效的文本；应为 {expected}"
                ),
            ));
            None
        }
    }
}

/// The first line that does not decode in `encoding` (for `Auto`: in neither), and what
/// was expected there.
fn first_bad_line(body: &[u8], encoding: Encoding, csv: bool) -> (usize, &'static str) {
    let expected = match (csv, encoding) {
        (false, _) => tr(
            "UTF-8 (TOML files must be UTF-8)",
            "UTF-8 编码（TOML 文件必须使用 UTF-8）",
        ),
        (true, Encoding::Utf8) => tr("UTF-8", "UTF-8 编码"),
        (true, Encoding::Gbk) => tr("GB18030/GBK", "GB18030/GBK 编码"),
        (true, Encoding::Auto) => tr("UTF-8 or GB18030/GBK", "UTF-8 或 GB18030/GBK 编码"),
    };
    let utf8 = |l: &[u8]| std::str::from_utf8(l).is_ok();
    let gbk = |l: &[u8]| {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(l)
            .is_some()
    };
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        let ok = match encoding {
            Encoding::Utf8 => utf8(line),
            Encoding::Gbk => gbk(line),
            Encoding::Auto => utf8(line) || gbk(line),
        };
        if !ok {
            return (i + 1, expected);
        }
    }
    // Each line decodes alone, but not the whole file in one encoding.
    (1, expected)
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
