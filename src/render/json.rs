//! JSON: an array of objects with the CSV's field names. Decimals are JSON numbers written
//! with exactly two places (`92.00`), never through binary floating point. Rows are streamed.

use super::{Report, Value};
use std::io::{self, Write};

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub fn value(v: &Value) -> String {
    match v {
        Value::Text(s) => string(s),
        Value::Null => "null".into(),
        other => other.plain(),
    }
}

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let keys: Vec<String> = r.columns.iter().map(|c| string(&c.key)).collect();
    let mut first = true;
    w.write_all(b"[")?;
    r.each_row(&mut |row| {
        let mut line = String::from(if first { "\n  {" } else { ",\n  {" });
        first = false;
        for (j, (k, v)) in keys.iter().zip(row).enumerate() {
            if j > 0 {
                line.push_str(", ");
            }
            line.push_str(k);
            line.push_str(": ");
            line.push_str(&value(v));
        }
        line.push('}');
        w.write_all(line.as_bytes())
    })?;
    w.write_all(if first { b"]\n" } else { b"\n]\n" })
}
