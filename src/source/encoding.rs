//! A CSV file whose lines are not all in one encoding: most of it saved by Excel or WPS as
//! GB18030/GBK, one line pasted or saved as UTF-8 (or the other way round). Read whole in
//! either encoding, part of it would be garbled without a word (UTF-8 bytes of Chinese are
//! mostly valid GB18030 too), so it is refused, naming the first line that differs.
//!
//! Looked for only in a file that is not valid UTF-8 (`--encoding auto`): a clean file is
//! never looked at line by line.

use crate::i18n::{msg, tr};

/// The first line in another encoding than the lines before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mixed {
    /// 1-based: the first line that differs, and the first line before it in the other
    /// encoding.
    pub line: usize,
    pub before: usize,
    /// The line that differs is UTF-8 (the lines before it GB18030), or the other way round.
    pub utf8: bool,
}

/// The lines of `body` (not valid UTF-8 as a whole, without its byte-order mark) that are
/// in two encodings: a line with other than ASCII that is valid UTF-8, and one that is not.
/// `None` when the lines that are not ASCII are all of one kind.
pub fn mixed(body: &[u8]) -> Option<Mixed> {
    let (mut first_utf8, mut first_other) = (None, None);
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        let slot = match simdutf8::basic::from_utf8(line).is_ok() {
            true => &mut first_utf8,
            false => &mut first_other,
        };
        slot.get_or_insert(i + 1);
        if let (Some(u), Some(g)) = (first_utf8, first_other) {
            return Some(Mixed {
                line: u.max(g),
                before: u.min(g),
                utf8: u > g,
            });
        }
    }
    None
}

impl Mixed {
    /// What is wrong, and what to do.
    pub fn message(&self) -> String {
        let (utf8, gbk) = (tr("UTF-8", "UTF-8"), tr("GB18030/GBK", "GB18030/GBK"));
        let (this, that) = if self.utf8 { (utf8, gbk) } else { (gbk, utf8) };
        let (n, m) = (self.line, self.before);
        msg!(
            "line {n} is saved as {this}, but line {m} before it as {that}; expected one encoding for the whole file (read either way, part of it would be garbled): open the file, correct line {n} and save the whole file again, as CSV UTF-8 or CSV (comma delimited)",
            "第 {n} 行按 {this} 编码保存，而前面的第 {m} 行按 {that} 编码保存；整个文件应使用同一种编码（无论按哪种编码读取，都有一部分会成为乱码）：请打开文件，改正第 {n} 行，再将整个文件另存为“CSV UTF-8”或“CSV（逗号分隔）”"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn a_utf8_line_in_a_gbk_file_is_named_and_the_other_way_round() {
        let mut body = b"branch,item,date,note\n".to_vec();
        body.extend(gbk("B01,P1,2025-03-02,县级表彰\n"));
        body.extend("B02,P1,2025-03-02,县级表彰\n".as_bytes());
        assert_eq!(
            mixed(&body),
            Some(Mixed {
                line: 3,
                before: 2,
                utf8: true
            })
        );
        let mut body = "id,name\nB01,大王村\nB02,张庄\n".as_bytes().to_vec();
        body.extend(gbk("B03,李庄\n"));
        assert_eq!(
            mixed(&body),
            Some(Mixed {
                line: 4,
                before: 2,
                utf8: false
            })
        );
        // One encoding throughout (ASCII lines belong to both): not mixed.
        let mut body = b"id,name\n".to_vec();
        body.extend(gbk("B01,大王村\nB02,张庄\n"));
        assert_eq!(mixed(&body), None);
    }
}
