//! Rows held in a temporary file instead of memory: a county's tables for people, member
//! after member, read back as they are written (a county of 100,000 towns is never held).

use crate::i18n::msg;
use crate::render::{Code, RowStream, Value};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::io::{self, BufWriter, Read, Write};
use std::sync::Arc;

/// The rows of one table, written to an anonymous temporary file (in TMPDIR).
pub struct Spool {
    out: BufWriter<std::fs::File>,
}

/// A spool that cannot be made or written, named (TMPDIR), not an `os error`.
pub fn failed(e: &io::Error) -> anyhow::Error {
    let dir = std::env::temp_dir();
    let (dir, why) = (dir.display(), crate::output::reason(e));
    anyhow::anyhow!(msg!(
        "cannot hold the county's tables in a temporary file in {dir}: {why}; expected TMPDIR to name a folder that can be written, with room for them",
        "无法在 {dir} 中建立临时文件以存放县（区）的各表：{why}；TMPDIR 应为可写入且有足够空间的文件夹"
    ))
}

impl Spool {
    pub fn new() -> anyhow::Result<Spool> {
        let file = tempfile::tempfile().map_err(|e| failed(&e))?;
        Ok(Spool {
            out: BufWriter::with_capacity(1 << 16, file),
        })
    }

    /// Write `rows`, each after a first cell `town`.
    /// Each row after its town, `width` values in all: padded with blanks, or cut (a
    /// member whose standards add columns, as stars by theme does, beside one whose do not).
    pub fn push_rows(
        &mut self,
        town: &str,
        rows: &[Vec<Value>],
        width: usize,
    ) -> anyhow::Result<()> {
        let put = |w: &mut BufWriter<std::fs::File>| -> io::Result<()> {
            let n = u32::try_from(width.max(1)).unwrap_or(u32::MAX);
            for row in rows {
                w.write_all(&n.to_le_bytes())?;
                put_text(w, 1, town)?;
                for k in 0..width.saturating_sub(1) {
                    put_value(w, row.get(k).unwrap_or(&Value::Null))?;
                }
            }
            Ok(())
        };
        put(&mut self.out).map_err(|e| failed(&e))
    }

    /// The rows as a stream, read from the start of the file each time it is walked.
    pub fn stream(mut self) -> anyhow::Result<RowStream<'static>> {
        self.out.flush().map_err(|e| failed(&e))?;
        let file = Arc::new(self.out.into_inner().map_err(|e| failed(e.error()))?);
        Ok(RowStream::over(1, 1, move |_, f| {
            let mut r = io::BufReader::with_capacity(1 << 16, At { file: &file, at: 0 });
            let mut row: Vec<Value<'static>> = Vec::new();
            loop {
                let mut n = [0u8; 4];
                match r.read_exact(&mut n) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                    Err(e) => return Err(e),
                }
                row.clear();
                for _ in 0..u32::from_le_bytes(n) {
                    row.push(get_value(&mut r)?);
                }
                f(&row)?;
            }
        }))
    }
}

/// A file read from `at` on, by position (the stream may be walked more than once).
struct At<'f> {
    file: &'f std::fs::File,
    at: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.at)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.at)?;
        #[cfg(not(any(unix, windows)))]
        let n = {
            use std::io::Seek;
            let mut f = self.file;
            f.seek(io::SeekFrom::Start(self.at))?;
            f.read(buf)?
        };
        self.at += n as u64;
        Ok(n)
    }
}

/// Every kind of code, by its number in a spool (a new kind needs its number here).
const CODES: [Code; 15] = [
    Code::Domain,
    Code::Level,
    Code::Status,
    Code::Tier,
    Code::Change,
    Code::Kind,
    Code::Department,
    Code::Departments,
    Code::Opinion,
    Code::BlockedBy,
    Code::Threshold,
    Code::QuotaPer,
    Code::Step,
    Code::IndicatorLevel,
    Code::Objection,
];

fn code_number(c: Code) -> u8 {
    match c {
        Code::Domain => 0,
        Code::Level => 1,
        Code::Status => 2,
        Code::Tier => 3,
        Code::Change => 4,
        Code::Kind => 5,
        Code::Department => 6,
        Code::Departments => 7,
        Code::Opinion => 8,
        Code::BlockedBy => 9,
        Code::Threshold => 10,
        Code::QuotaPer => 11,
        Code::Step => 12,
        Code::IndicatorLevel => 13,
        Code::Objection => 14,
    }
}

fn put_text(w: &mut impl Write, tag: u8, s: &str) -> io::Result<()> {
    let len = u32::try_from(s.len()).map_err(io::Error::other)?;
    w.write_all(&[tag])?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn put_value(w: &mut impl Write, v: &Value) -> io::Result<()> {
    match v {
        Value::Null => w.write_all(&[0]),
        Value::Text(s) => put_text(w, 1, s),
        Value::Dec(d) => {
            w.write_all(&[2])?;
            w.write_all(&d.serialize())
        }
        Value::Int(i) => {
            w.write_all(&[3])?;
            w.write_all(&i.to_le_bytes())
        }
        Value::Bool(b) => w.write_all(&[4, u8::from(*b)]),
        Value::Num(d) => {
            w.write_all(&[7])?;
            w.write_all(&d.serialize())
        }
        Value::Code(kind, s) => {
            w.write_all(&[5, code_number(*kind)])?;
            put_text(w, 6, s)
        }
    }
}

fn get_text(r: &mut impl Read) -> io::Result<String> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

fn get_value(r: &mut impl Read) -> io::Result<Value<'static>> {
    let mut tag = [0u8; 1];
    r.read_exact(&mut tag)?;
    let bad = || io::Error::other("a spool's row is not as written");
    Ok(match tag[0] {
        0 => Value::Null,
        1 => Value::Text(Cow::Owned(get_text(r)?)),
        2 => {
            let mut d = [0u8; 16];
            r.read_exact(&mut d)?;
            Value::Dec(Decimal::deserialize(d))
        }
        3 => {
            let mut i = [0u8; 8];
            r.read_exact(&mut i)?;
            Value::Int(i64::from_le_bytes(i))
        }
        4 => {
            let mut b = [0u8; 1];
            r.read_exact(&mut b)?;
            Value::Bool(b[0] != 0)
        }
        5 => {
            let mut k = [0u8; 2];
            r.read_exact(&mut k)?;
            let kind = CODES.get(usize::from(k[0])).copied().ok_or_else(bad)?;
            Value::Code(kind, Cow::Owned(get_text(r)?))
        }
        7 => {
            let mut d = [0u8; 16];
            r.read_exact(&mut d)?;
            Value::Num(Decimal::deserialize(d))
        }
        _ => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of value comes back as it was written, after its town; twice.
    #[test]
    fn rows_come_back_as_written() {
        let rows = vec![
            vec![
                Value::text("B01"),
                Value::Dec(Decimal::new(-12345, 2)),
                Value::Int(-7),
                Value::Bool(true),
                Value::Null,
                Value::code(Code::Tier, "lead"),
                Value::Num(Decimal::new(8, 1)),
            ],
            vec![
                Value::text("大王村|\n"),
                Value::code(Code::IndicatorLevel, "C1.self"),
            ],
        ];
        let mut s = Spool::new().unwrap();
        s.push_rows("大王镇", &rows, 8).unwrap();
        // A narrower member's rows are padded to the county's width.
        s.push_rows("", &rows[1..], 8).unwrap();
        let mut r = crate::render::Report::new(String::new(), Vec::new());
        r.stream = Some(s.stream().unwrap());
        for _ in 0..2 {
            let mut got: Vec<Vec<Value<'static>>> = Vec::new();
            r.each_row(&mut |row| {
                got.push(row.iter().map(Value::to_owned_value).collect());
                Ok(())
            })
            .unwrap();
            assert_eq!(got.len(), 3);
            assert_eq!(got[0][0], Value::text("大王镇"));
            assert_eq!(&got[0][1..], &rows[0][..]);
            assert_eq!(&got[2][1..3], &rows[1][..]);
            assert_eq!(
                &got[2][3..],
                &[
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null
                ]
            );
        }
        for (i, c) in CODES.iter().enumerate() {
            assert_eq!(usize::from(code_number(*c)), i);
        }
    }
}
