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
        Value::Text(s) | Value::Code(_, s) => neutralized(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.plain()),
    }
}

/// A field as RFC 4180 (and the csv crate, with `\n` line ends) writes it: in quotes, with
/// its quotes doubled, when it holds a comma, a quote or a line end; else as it is.
fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    if !needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    if field.contains(&b'"') {
        for part in field.split_inclusive(|b| *b == b'"') {
            out.extend_from_slice(part);
            if part.ends_with(b"\"") {
                out.push(b'"');
            }
        }
    } else {
        out.extend_from_slice(field);
    }
    out.push(b'"');
}

/// Whether a field must be quoted. Sixteen bytes at a time, without a branch per byte (the
/// compiler makes vector compares of it): a province's lists are hundreds of megabytes of
/// short fields, where this is about 1.7 times as fast as the csv crate's writer.
fn needs_quotes(field: &[u8]) -> bool {
    let special = |b: &u8| u8::from((*b == b',') | (*b == b'"') | (*b == b'\n') | (*b == b'\r'));
    let mut blocks = field.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().map(special).fold(0, |any, b| any | b) != 0 {
            return true;
        }
    }
    blocks
        .remainder()
        .iter()
        .map(special)
        .fold(0, |any, b| any | b)
        != 0
}

/// One record, field by field, appended to `out`. Numbers are written into it as they are
/// made, not through a string each (a province's rows are millions).
fn push_row(out: &mut Vec<u8>, row: &[Value]) {
    let start = out.len();
    for (j, v) in row.iter().enumerate() {
        if j > 0 {
            out.push(b',');
        }
        match v {
            Value::Dec(d) => crate::decimal::fmt2_bytes(out, *d),
            Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
            other => push_field(out, field(other).as_bytes()),
        }
    }
    // A record of one empty field is written `""`, so that it is not read as no record.
    if out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    // The header, as a row: its keys are ASCII letters, digits and `_`, nothing to neutralize.
    let mut head = Vec::new();
    let keys: Vec<Value> = r
        .columns
        .iter()
        .map(|c| Value::text(c.key.as_ref()))
        .collect();
    push_row(&mut head, &keys);
    for held in &r.rows {
        push_row(&mut head, held);
    }
    w.write_all(&head)?;
    match &r.stream {
        Some(stream) => stream.write_parts(
            w,
            &|buf, each| {
                each(&mut |row| {
                    push_row(buf, row);
                    Ok(())
                })
            },
            |w, bytes| w.write_all(bytes),
        ),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields written by hand are the csv crate's, byte for byte: fields with and
    /// without commas, quotes and line ends, at every length around the 16-byte blocks,
    /// a record of one empty field, and text that a spreadsheet would run.
    #[test]
    fn records_are_written_as_the_csv_crate_writes_them() {
        let mut fields: Vec<String> = [
            "",
            "plain",
            "党支部，中文逗号",
            "a,b",
            "say \"hi\"",
            "\"",
            "\"\"",
            "line\nend",
            "cr\rhere",
            "crlf\r\n",
            " spaced ",
            "=1+2",
            "-5",
            "#comment",
            "a,\"b\",c",
        ]
        .map(String::from)
        .to_vec();
        for len in [1, 15, 16, 17, 31, 32, 33, 100] {
            for special in [None, Some(','), Some('"'), Some('\n'), Some('\r')] {
                for at in [0, len / 2, len - 1] {
                    let mut s: Vec<char> = "栏x".chars().cycle().take(len).collect();
                    if let Some(c) = special {
                        s[at] = c;
                    }
                    fields.push(s.into_iter().collect());
                }
            }
        }
        let mut rows: Vec<Vec<String>> = fields.iter().map(|f| vec![f.clone()]).collect();
        rows.extend(fields.chunks(3).map(|c| c.to_vec()));
        for row in rows {
            let mut ours = Vec::new();
            let values: Vec<Value> = row.iter().map(|f| Value::text(f.as_str())).collect();
            push_row(&mut ours, &values);
            let mut theirs = ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            theirs
                .write_record(row.iter().map(|f| neutralize(f)))
                .unwrap();
            let theirs = theirs.into_inner().unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "{row:?}"
            );
        }
    }
}
