//! JSON: an array of objects with the CSV's field names. Decimals are JSON numbers written
//! with exactly two places (`92.00`), never through binary floating point.

use super::{Report, Value};

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

pub fn render(r: &Report) -> String {
    let mut out = String::from("[");
    for (i, row) in r.rows.iter().enumerate() {
        out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        for (j, (c, v)) in r.columns.iter().zip(row).enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            out.push_str(&string(c.key));
            out.push_str(": ");
            out.push_str(&value(v));
        }
        out.push('}');
    }
    out.push_str(if r.rows.is_empty() { "]\n" } else { "\n]\n" });
    out
}
