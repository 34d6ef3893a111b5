//! CSV: the machine contract. Text cells that a spreadsheet would run as a formula are
//! neutralized (OWASP: a leading `'`); numbers are never touched. Rows are streamed.

use super::{Report, Value};
use std::io::{self, Write};

/// A text cell that Excel or WPS would read as a formula gets a leading `'`.
pub fn neutralize(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn field(v: &Value) -> String {
    match v {
        Value::Text(s) => neutralize(s),
        other => other.plain(),
    }
}

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let mut out = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(w);
    out.write_record(r.columns.iter().map(|c| c.key.as_ref()))?;
    r.each_row(&mut |row| {
        out.write_record(row.iter().map(field))
            .map_err(io::Error::other)
    })?;
    out.flush()
}
