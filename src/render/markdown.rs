//! Markdown tables, to paste into the committee's documents.

use super::Report;
use crate::i18n::Lang;

/// Text as a Markdown table cell shows it, and nothing more: a backslash kept (`\\`), a
/// `|` that does not end the cell (`\|`), no HTML (`<` as `&lt;`), line breaks as spaces,
/// and control characters and bidirectional overrides escaped
/// ([`crate::problem::escape`]).
fn cell(s: &str) -> String {
    let s = s
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace("\r\n", " ")
        .replace(['\r', '\n'], " ");
    crate::problem::escape(&s).into_owned()
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

#[cfg(test)]
mod tests {
    #[test]
    fn cells_show_the_text_and_nothing_more() {
        assert_eq!(super::cell("a|b"), "a\\|b");
        assert_eq!(super::cell("x\\|y"), "x\\\\\\|y");
        assert_eq!(super::cell("<img onerror=x>"), "&lt;img onerror=x>");
        assert_eq!(super::cell("p\r\nq\rr\ns"), "p q r s");
        assert_eq!(
            super::cell("A\u{1b}[31m\u{202e}B"),
            "A\\u{1b}[31m\\u{202e}B"
        );
        assert_eq!(super::cell("大王村"), "大王村");
    }
}
