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

pub fn render(r: &Report, lang: Lang) -> String {
    let mut out = one(r, lang);
    for e in &r.extras {
        out.push('\n');
        out.push_str(&one(e, lang));
    }
    if !r.notes.is_empty() {
        out.push('\n');
        for n in &r.notes {
            out.push_str(&safe(n));
            out.push('\n');
        }
    }
    out
}
