//! CSV: the machine contract. Text cells that a spreadsheet would run as a formula are
//! neutralized (OWASP: a leading `'`); numbers are never touched.

use super::{Report, Value};

/// A text cell that Excel or WPS would read as a formula gets a leading `'`.
pub fn neutralize(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

pub fn render(r: &Report) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = w.write_record(r.columns.iter().map(|c| c.key));
    for row in &r.rows {
        let _ = w.write_record(row.iter().map(|v| match v {
            Value::Text(s) => neutralize(s),
            other => other.plain(),
        }));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
