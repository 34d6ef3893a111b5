//! Markdown tables, to paste into the committee's documents.

use super::Report;
use crate::i18n::Lang;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn one(r: &Report, lang: Lang, out: &mut String) {
    out.push_str(&format!("## {}\n\n", cell(&r.title)));
    let headers: Vec<String> = r.columns.iter().map(|c| cell(c.header(lang))).collect();
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(r.columns.len())));
    for row in &r.all_rows() {
        let cells: Vec<String> = row.iter().map(|v| cell(&v.human(lang))).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

pub fn render(r: &Report, lang: Lang) -> String {
    let mut out = String::new();
    one(r, lang, &mut out);
    for e in &r.extras {
        one(e, lang, &mut out);
    }
    for n in &r.notes {
        out.push_str(&format!("- {}\n", cell(n)));
    }
    out
}
