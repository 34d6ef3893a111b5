//! An aligned table for a terminal (Chinese text aligned by display width).

use super::{Report, Value};
use crate::i18n::Lang;
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether tables go to a terminal: then long text wraps to the terminal's width. Elsewhere
/// (a pipe, a file) nothing wraps, so that the same inputs give the same bytes.
static TO_TERMINAL: AtomicBool = AtomicBool::new(false);

/// Tell the renderer whether the tables it makes are printed on a terminal.
pub fn set_terminal(on: bool) {
    TO_TERMINAL.store(on, Ordering::Relaxed);
}

/// Columns at most this wide are never wrapped on a terminal.
const SHORT: usize = 13;
/// The least width a wrapped column gets on a terminal.
const MIN_WRAPPED: u16 = 16;

/// Text from the input as it is safe to show on a terminal: control characters and
/// bidirectional overrides escaped ([`crate::problem::escape`]), line breaks kept.
fn safe(s: &str) -> String {
    let lines: Vec<_> = s.split('\n').map(crate::problem::escape).collect();
    lines.join("\n")
}

/// Roughly the width of text on a terminal: wide characters (Chinese) count two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if c.len_utf8() > 1 { 2 } else { 1 })
        .sum()
}

fn one(r: &Report, lang: Lang) -> String {
    let rows = r.all_rows();
    let mut t = Table::new();
    // On a terminal comfy-table finds its width and wraps long cells to fit; a terminal
    // whose width it cannot tell gets the table unwrapped.
    let dynamic = TO_TERMINAL.load(Ordering::Relaxed) && t.width().is_some();
    let arrangement = if dynamic {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    };
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(arrangement)
        .set_header(r.columns.iter().map(|c| safe(c.header(lang))));
    for row in &rows {
        t.add_row(row.iter().map(|v| safe(&v.human(lang))));
    }
    // Numbers are right-aligned: a column is numeric when any of its cells is a number.
    for i in 0..r.columns.len() {
        let numeric = rows
            .iter()
            .any(|row| matches!(row.get(i), Some(Value::Dec(_) | Value::Int(_))));
        if let (true, Some(col)) = (numeric, t.column_mut(i)) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    if dynamic {
        // Short columns (ids, codes, dates, numbers) are kept whole; long text wraps.
        for i in 0..r.columns.len() {
            let widest = (rows.iter().filter_map(|row| row.get(i)))
                .map(|v| width(&safe(&v.human(lang))))
                .chain(r.columns.get(i).map(|c| width(&safe(c.header(lang)))))
                .max()
                .unwrap_or(0);
            let constraint = if widest <= SHORT {
                ColumnConstraint::ContentWidth
            } else {
                ColumnConstraint::LowerBoundary(Width::Fixed(MIN_WRAPPED))
            };
            if let Some(col) = t.column_mut(i) {
                col.set_constraint(constraint);
            }
        }
    }
    let mut out = format!("{}\n{t}\n", safe(&r.title));
    if rows.is_empty() {
        out.push_str(lang.t("(none)\n", "（无）\n"));
    }
    out
}

/// A table off a terminal (not wrapped), laid out exactly as comfy-table lays it out, but
/// without holding its rows as comfy-table does (a county's are made as they are written,
/// see `RowStream`; a province's are hundreds of thousands): two passes over the rows, the
/// widths and then the lines. `None` on a terminal (comfy-table wraps to its width) or for
/// a row of another width than the header's.
fn one_streamed(r: &Report, lang: Lang, w: &mut dyn std::io::Write) -> Option<std::io::Result<()>> {
    use unicode_width::UnicodeWidthStr;
    let n = r.columns.len();
    if n == 0 || TO_TERMINAL.load(Ordering::Relaxed) {
        return None;
    }
    let lines_of = |s: &str| -> Vec<String> { safe(s).split('\n').map(str::to_string).collect() };
    let headers: Vec<Vec<String>> = r.columns.iter().map(|c| lines_of(c.header(lang))).collect();
    let mut widths = vec![1usize; n];
    let mut numeric = vec![false; n];
    let widen = |widths: &mut [usize], i: usize, lines: &[String]| {
        if let Some(w) = widths.get_mut(i) {
            *w = lines.iter().map(|l| l.width()).fold(*w, usize::max);
        }
    };
    for (i, h) in headers.iter().enumerate() {
        widen(&mut widths, i, h);
    }
    let (mut rows, mut ragged) = (0usize, false);
    let _ = r.each_row(&mut |row| {
        rows += 1;
        ragged |= row.len() != n;
        for (i, v) in row.iter().enumerate() {
            widen(&mut widths, i, &lines_of(&v.human(lang)));
            if let Some(k) = numeric.get_mut(i) {
                *k |= matches!(v, Value::Dec(_) | Value::Int(_));
            }
        }
        Ok(())
    });
    if ragged {
        return None;
    }
    let rule = |l: &str, m: &str, mid: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| m.repeat(w + 2)).collect();
        format!("{l}{}{r}\n", parts.join(mid))
    };
    let line = |cells: &[Vec<String>], out: &mut String| {
        out.clear();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..height {
            out.push('│');
            for (i, c) in cells.iter().enumerate() {
                let text = c.get(k).map_or("", String::as_str);
                let pad = " ".repeat(
                    widths
                        .get(i)
                        .copied()
                        .unwrap_or(0)
                        .saturating_sub(text.width()),
                );
                if i > 0 {
                    out.push('┆');
                }
                match numeric.get(i) {
                    Some(true) => out.push_str(&format!(" {pad}{text} ")),
                    _ => out.push_str(&format!(" {text}{pad} ")),
                }
            }
            out.push_str("│\n");
        }
    };
    // Written line by line: the rows are not held, nor is the text.
    let mut write = || -> std::io::Result<()> {
        let mut out = String::new();
        write!(w, "{}\n{}", safe(&r.title), rule("┌", "─", "┬", "┐"))?;
        line(&headers, &mut out);
        write!(w, "{out}{}", rule("╞", "═", "╪", "╡"))?;
        r.each_row(&mut |row| {
            let cells: Vec<Vec<String>> = row.iter().map(|v| lines_of(&v.human(lang))).collect();
            line(&cells, &mut out);
            w.write_all(out.as_bytes())
        })?;
        w.write_all(rule("└", "─", "┴", "┘").as_bytes())?;
        if rows == 0 {
            w.write_all(lang.t("(none)\n", "（无）\n").as_bytes())?;
        }
        Ok(())
    };
    Some(write())
}

/// Write the report as tables for a terminal: each table with its title, then the notes.
pub fn write(r: &Report, lang: Lang, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let one = |r: &Report, w: &mut dyn std::io::Write| match one_streamed(r, lang, w) {
        Some(done) => done,
        None => w.write_all(one(r, lang).as_bytes()),
    };
    one(r, w)?;
    for e in &r.extras {
        w.write_all(b"\n")?;
        one(e, w)?;
    }
    if !r.notes.is_empty() {
        w.write_all(b"\n")?;
        for n in &r.notes {
            writeln!(w, "{}", safe(n))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod streamed_tests {
    use super::*;
    use crate::render::{Column, RowStream};
    use proptest::prelude::*;

    fn value(k: u8, s: &str) -> Value<'static> {
        match k % 5 {
            0 => Value::text(s.to_string()),
            1 => Value::Int(i64::from(k) * 37 - 500),
            2 => Value::Dec(rust_decimal::Decimal::new(i64::from(k) * 1234 - 9000, 2)),
            3 => Value::Null,
            _ => Value::Bool(k.is_multiple_of(2)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// A table made as it is written is laid out exactly as comfy-table lays out the
        /// same table held (off a terminal): widths, Chinese text, line breaks, numbers
        /// right-aligned, blanks, no rows.
        #[test]
        fn streamed_tables_are_comfy_tables(
            heads in proptest::collection::vec("[a-z中 ]{0,6}", 1..5),
            cells in proptest::collection::vec((any::<u8>(), "[a-zé中\n ,|\u{1b}]{0,9}"), 0..40),
        ) {
            set_terminal(false);
            let n = heads.len();
            let columns: Vec<Column> = heads
                .iter()
                .enumerate()
                .map(|(i, h)| Column {
                    key: format!("k{i}").into(),
                    en: h.clone().into(),
                    zh: h.clone().into(),
                })
                .collect();
            let rows: Vec<Vec<Value<'static>>> = cells
                .chunks(n)
                .filter(|c| c.len() == n)
                .map(|c| c.iter().map(|(k, s)| value(*k, s)).collect())
                .collect();
            let mut held = Report::new("T 中".to_string(), columns.clone());
            held.rows = rows.clone();
            let mut streamed = Report::new("T 中".to_string(), columns);
            let len = rows.len();
            streamed.stream = Some(RowStream::over(len, 3, move |range, f| {
                for r in rows.get(range).unwrap_or_default() {
                    f(r)?;
                }
                Ok(())
            }));
            let mut out = Vec::new();
            prop_assert!(one_streamed(&streamed, Lang::Zh, &mut out).is_some_and(|r| r.is_ok()));
            prop_assert_eq!(String::from_utf8(out).unwrap(), one(&held, Lang::Zh));
        }
    }
}
