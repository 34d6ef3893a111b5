//! CSV: the machine contract. Text cells that a spreadsheet would run as a formula are
//! neutralized (OWASP: a leading `'`); numbers are never touched. Rows are streamed.

use super::{Report, Value};
use std::borrow::Cow;
use std::io::{self, Write};

/// A text cell that Excel or WPS would read as a formula gets a leading `'`.
pub fn neutralize(s: &str) -> String {
    neutralized(s).into_owned()
}

/// [`neutralize`], borrowing the text when it needs nothing.
fn neutralized(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

fn field<'a>(v: &'a Value<'_>) -> Cow<'a, str> {
    match v {
        Value::Text(s) => neutralized(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.plain()),
    }
}

/// One record, field by field: no list of the row's fields, and numbers written through
/// one buffer, not a string each (a province's rows are millions).
fn write_row<W: Write>(out: &mut ::csv::Writer<W>, row: &[Value]) -> io::Result<()> {
    let mut buf = String::new();
    for v in row {
        match v {
            Value::Dec(d) => {
                buf.clear();
                crate::decimal::fmt2_into(&mut buf, *d);
                out.write_field(buf.as_bytes())?;
            }
            Value::Int(i) => out.write_field(itoa::Buffer::new().format(*i))?,
            other => out.write_field(field(other).as_bytes())?,
        }
    }
    out.write_record(None::<&[u8]>).map_err(io::Error::other)
}

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let builder = || {
        let mut b = ::csv::WriterBuilder::new();
        b.terminator(::csv::Terminator::Any(b'\n'));
        b
    };
    let row = |out: &mut ::csv::Writer<&mut Vec<u8>>, row: &[Value]| write_row(out, row);
    {
        let mut out = builder().from_writer(&mut *w);
        out.write_record(r.columns.iter().map(|c| c.key.as_ref()))?;
        for held in &r.rows {
            write_row(&mut out, held)?;
        }
        out.flush()?;
    }
    match &r.stream {
        Some(stream) => stream.write_parts(
            w,
            &|buf, each| {
                let mut out = builder().from_writer(buf);
                each(&mut |r| row(&mut out, r))?;
                out.flush()
            },
            |w, bytes| w.write_all(bytes),
        ),
        None => Ok(()),
    }
}
