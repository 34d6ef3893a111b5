//! An aligned table for a terminal (Chinese text aligned by display width).

use super::{Report, Value};
use crate::i18n::Lang;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, ContentArrangement, Table};

fn one(r: &Report, lang: Lang) -> String {
    let rows = r.all_rows();
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(r.columns.iter().map(|c| c.header(lang)));
    for row in &rows {
        t.add_row(row.iter().map(|v| v.human(lang)));
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
    let mut out = format!("{}\n{t}\n", r.title);
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
            out.push_str(n);
            out.push('\n');
        }
    }
    out
}
