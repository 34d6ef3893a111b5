//! An aligned table for a terminal (Chinese text aligned by display width).

use super::Report;
use crate::i18n::Lang;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, ContentArrangement, Table};

fn one(r: &Report, lang: Lang) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(r.columns.iter().map(|c| c.header(lang)));
    for row in &r.rows {
        t.add_row(row.iter().map(|v| v.human()));
    }
    for (i, v) in r
        .rows
        .first()
        .map(|r| r.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if matches!(v, super::Value::Dec(_) | super::Value::Int(_)) {
            if let Some(col) = t.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    format!("{}\n{t}\n", r.title)
}

pub fn render(r: &Report, lang: Lang) -> String {
    let mut out = one(r, lang);
    if r.rows.is_empty() {
        out.push_str(match lang {
            Lang::En => "(none)\n",
            Lang::Zh => "（无）\n",
        });
    }
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
