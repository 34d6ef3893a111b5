//! JSON: an array of objects with the CSV's field names. Decimals are JSON numbers written
//! with exactly two places (`92.00`), never through binary floating point. Rows are streamed.

use super::{Report, Value};
use std::io::{self, Write};

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub fn value(v: &Value) -> String {
    match v {
        Value::Text(s) | Value::Code(_, s) => string(s),
        Value::Null => "null".into(),
        other => other.plain(),
    }
}

/// One row as `,\n  {…}` (the first row of the array drops the comma).
fn line(keys: &[String], row: &[Value]) -> String {
    let mut line = String::from(",\n  {");
    for (j, (k, v)) in keys.iter().zip(row).enumerate() {
        if j > 0 {
            line.push_str(", ");
        }
        line.push_str(k);
        line.push_str(": ");
        line.push_str(&value(v));
    }
    line.push('}');
    line
}

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let keys: Vec<String> = r.columns.iter().map(|c| string(&c.key)).collect();
    let mut first = true;
    // Rows as `,\n  {…}`; the very first is written without its comma.
    let mut put = |w: &mut dyn Write, bytes: &[u8]| -> io::Result<()> {
        match bytes.split_first() {
            Some((_, rest)) if first => {
                first = false;
                w.write_all(rest)
            }
            _ => w.write_all(bytes),
        }
    };
    w.write_all(b"[")?;
    for held in &r.rows {
        put(w, line(&keys, held).as_bytes())?;
    }
    if let Some(stream) = &r.stream {
        stream.write_parts(
            w,
            &|buf, each| {
                each(&mut |row| {
                    buf.extend_from_slice(line(&keys, row).as_bytes());
                    Ok(())
                })
            },
            |w, bytes| {
                if bytes.is_empty() {
                    return Ok(());
                }
                put(w, bytes)
            },
        )?;
    }
    w.write_all(if first { b"]\n" } else { b"\n]\n" })
}
