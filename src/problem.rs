//! One error format for every bad input: where, what was found, what was expected.
//!
//! Loaders never stop at the first problem: they push every one they find into a
//! [`Problems`] list, and the command prints them all, sorted, before exiting with 1.

use std::fmt;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// The whole file (or folder).
    File,
    /// A line, and optionally a 1-based column with its header name (CSV) or a column
    /// number (TOML).
    Line {
        line: usize,
        column: Option<usize>,
        field: Option<String>,
    },
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user can open it (workspace-relative paths are joined to the
    /// workspace as the user named it).
    pub file: String,
    pub location: Location,
    /// A TOML key path such as `indicator[3].points`, when the problem is in a TOML file.
    pub key: Option<String>,
    /// What was found and what was expected, in one sentence.
    pub message: String,
    /// The offending source line, shown under the message.
    pub excerpt: Option<String>,
}

impl Problem {
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            location: Location::File,
            key: None,
            message: message.into(),
            excerpt: None,
        }
    }

    pub fn line(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Problem {
            location: Location::Line {
                line,
                column: None,
                field: None,
            },
            ..Problem::file(file, message)
        }
    }

    pub fn cell(
        file: impl Into<String>,
        line: usize,
        column: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            location: Location::Line {
                line,
                column: Some(column),
                field: Some(field.into()),
            },
            ..Problem::file(file, message)
        }
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn with_excerpt(mut self, excerpt: Option<String>) -> Self {
        self.excerpt = excerpt;
        self
    }

    fn sort_key(&self) -> (&str, &Location, &str) {
        (&self.file, &self.location, &self.message)
    }
}

impl fmt::Display for Problem {
    /// `error: FILE:LINE:COL: [column C1] message`, then the source line if known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", error_prefix(), escape(&self.file))?;
        let mut line_no = None;
        if let Location::Line { line, column, .. } = &self.location {
            line_no = Some(*line);
            write!(f, ":{line}")?;
            if let Some(c) = column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": ")?;
        if let Location::Line {
            field: Some(field), ..
        } = &self.location
        {
            write!(f, "[{}] ", escape(field))?;
        }
        if let Some(key) = &self.key {
            write!(f, "[{}] ", escape(key))?;
        }
        // Messages quote cells and names of the input: shown escaped, line breaks kept.
        for (i, line) in self.message.split('\n').enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", escape(line))?;
        }
        if let (Some(line), Some(text)) = (line_no, &self.excerpt) {
            // A line of the input file: shown escaped, never run by the terminal.
            let shown: String = text.chars().take(160).collect();
            let shown = escape(&shown);
            let more = if text.chars().count() > 160 {
                "…"
            } else {
                ""
            };
            write!(f, "\n{line:>6} | {shown}{more}")?;
        }
        Ok(())
    }
}

/// `error: `, or `错误：` in Chinese: the start of every error line.
pub fn error_prefix() -> &'static str {
    crate::i18n::tr("error: ", "错误：")
}

/// Why an I/O operation failed, in the language of messages, without the file names the
/// system or the temporary-file crate put in their text.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let (en, zh) = match e.kind() {
        K::NotFound => ("no such file or folder", "文件或文件夹不存在"),
        K::PermissionDenied => ("permission denied", "没有权限"),
        K::StorageFull => ("no space left on the device", "磁盘空间已满"),
        K::QuotaExceeded => ("disk quota exceeded", "超出磁盘配额"),
        K::ReadOnlyFilesystem => ("the file system is read-only", "文件系统是只读的"),
        K::IsADirectory => ("it is a folder", "这是一个文件夹"),
        K::NotADirectory => (
            "a part of the path is not a folder",
            "路径中有一部分不是文件夹",
        ),
        K::FileTooLarge => ("the file is too large", "文件过大"),
        K::BrokenPipe => ("the reader closed the pipe", "读取端已关闭管道"),
        K::AlreadyExists => ("the file exists", "文件已存在"),
        K::DirectoryNotEmpty => ("the folder is not empty", "文件夹不是空的"),
        K::ResourceBusy => ("the file is busy", "文件正被占用"),
        K::ExecutableFileBusy => ("the file is busy", "文件正被占用"),
        K::CrossesDevices => ("it cannot be moved to another disk", "不能移动到另一个磁盘"),
        K::InvalidFilename => ("the file name is not valid", "文件名无效"),
        K::TooManyLinks => ("too many links", "链接过多"),
        K::InvalidData => ("the data is not valid", "数据无效"),
        K::UnexpectedEof => ("the file ended early", "文件意外结束"),
        K::Interrupted => ("interrupted", "操作被中断"),
        K::TimedOut => ("timed out", "操作超时"),
        K::StaleNetworkFileHandle => (
            "the network file is no longer available",
            "网络文件已不可用",
        ),
        K::OutOfMemory => ("out of memory", "内存不足"),
        kind => {
            let code = e
                .raw_os_error()
                .map(|n| format!(" (os error {n})"))
                .unwrap_or_default();
            return crate::i18n::msg!("{kind}{code}", "系统错误：{kind}{code}");
        }
    };
    crate::i18n::tr(en, zh).to_string()
}

/// At most this many problems are kept for one file; the others are only counted.
pub const MAX_PER_FILE: usize = 200;
/// At most this many problems are kept in all; the others are only counted.
pub const MAX_TOTAL: usize = 1000;

/// Every problem found so far: at most [`MAX_PER_FILE`] of a file and [`MAX_TOTAL`] in
/// all kept, the others counted, so that the memory used is bounded whatever the input.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    list: Vec<Problem>,
    /// Problems kept, by file.
    kept: std::collections::HashMap<String, usize>,
    /// Problems not kept, by file (over the file's cap).
    more: std::collections::BTreeMap<String, usize>,
    /// The sum of `more`: how many problems there are is asked after every row.
    more_in_files: usize,
    /// Problems not kept over the overall cap.
    more_overall: usize,
}

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, p: Problem) {
        let kept = self.kept.get(&p.file).copied().unwrap_or(0);
        if kept >= MAX_PER_FILE {
            *self.more.entry(p.file).or_insert(0) += 1;
            self.more_in_files += 1;
        } else if self.list.len() >= MAX_TOTAL {
            self.more_overall += 1;
        } else {
            *self.kept.entry(p.file.clone()).or_insert(0) += 1;
            self.list.push(p);
        }
    }
    pub fn extend(&mut self, other: Problems) {
        for p in other.list {
            self.push(p);
        }
        for (file, n) in other.more {
            *self.more.entry(file).or_insert(0) += n;
            self.more_in_files += n;
        }
        self.more_overall += other.more_overall;
    }
    /// Count `n` problems of `file` that are not kept (found beyond a bound before they
    /// were made): as problems over the file's cap are counted.
    pub fn count_more(&mut self, file: &str, n: usize) {
        if n > 0 {
            *self.more.entry(file.to_string()).or_insert(0) += n;
            self.more_in_files += n;
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// How many problems were found, kept or only counted.
    pub fn len(&self) -> usize {
        self.list.len() + self.more_in_files + self.more_overall
    }
    /// The problems kept, in a stable order (file, position, message), without repeats.
    pub fn sorted(&self) -> Vec<Problem> {
        let mut v = self.list.clone();
        v.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        v.dedup();
        v
    }
    /// The problems kept, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter()
    }
    /// The lines that say how many problems were found but not kept: one a file over its
    /// cap, then one for those over the overall cap.
    pub fn more_lines(&self) -> Vec<String> {
        let mut out: Vec<String> = (self.more.iter())
            .map(|(file, n)| {
                let file = escape(file);
                crate::i18n::msg!(
                    "… and {n} more problems in {file}",
                    "……{file} 中另有 {n} 个问题未列出"
                )
            })
            .collect();
        let n = self.more_overall;
        if n > 0 {
            out.push(crate::i18n::msg!(
                "… and {n} more problems",
                "……另有 {n} 个问题未列出"
            ));
        }
        out
    }
}

/// Notices of this run: what of the input was passed over, and why (a worksheet with no
/// table, notes for people), said once each, on standard error after the run, sorted. They
/// are not problems: the exit code does not change. A reader deep in a year's files says
/// them here rather than carry them up through every loader.
static NOTICES: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Say `text` (one line, without the `warning: ` before it) once in this run.
pub fn notice(text: String) {
    crate::threads::lock(&NOTICES).insert(text);
}

/// The notices said so far, sorted, each once; they are not said again.
pub fn take_notices() -> Vec<String> {
    std::mem::take(&mut *crate::threads::lock(&NOTICES))
        .into_iter()
        .collect()
}

/// `warning: `, or `提示：` in Chinese: the start of a notice or warning line.
pub fn warning_prefix() -> &'static str {
    crate::i18n::tr("warning: ", "提示：")
}

/// The error a command returns: invalid data (exit 1) with every problem found, a
/// failure that is not the data's fault, such as an unwritable output (also exit 1), or
/// wrong usage found by the command (exit 2), such as a format it does not write.
#[derive(Debug)]
pub enum Failure {
    Invalid(Problems),
    Other(anyhow::Error),
    Usage(String),
}

impl From<Problems> for Failure {
    fn from(p: Problems) -> Self {
        Failure::Invalid(p)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.into())
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// Text from a file or a file name as it is safe to show on a terminal: control characters
/// and the bidirectional overrides and isolates escaped (`\u{1b}`), everything else as it is.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn control_and_bidi_characters_are_shown_escaped() {
        assert_eq!(super::escape("大王村"), "大王村");
        assert_eq!(super::escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(super::escape("x\u{202e}y\n"), "x\\u{202e}y\\u{a}");
    }
}
