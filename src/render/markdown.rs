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

fn one(r: &Report, lang: Lang, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(w, "## {}\n", cell(&r.title))?;
    // A notice's opening words, as paragraphs.
    for p in &r.preface {
        writeln!(w, "{}\n", cell(p))?;
    }
    let headers: Vec<String> = r.columns.iter().map(|c| cell(c.header(lang))).collect();
    writeln!(w, "| {} |", headers.join(" | "))?;
    writeln!(w, "|{}", "---|".repeat(r.columns.len()))?;
    // Row by row as they are made: a county's or a province's rows are not held.
    r.each_row(&mut |row| {
        let cells: Vec<String> = row.iter().map(|v| cell(&v.human(lang))).collect();
        writeln!(w, "| {} |", cells.join(" | "))
    })?;
    writeln!(w)
}

/// Write the report as Markdown: each table with its title, then the notes. A signed
/// report is a notice (the publicity list): its notes are paragraphs after its table, then
/// its signature, and then its other tables.
pub fn write(r: &Report, lang: Lang, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let notice = !r.signature.is_empty();
    one(r, lang, w)?;
    if notice {
        for n in &r.notes {
            writeln!(w, "{}\n", cell(n))?;
        }
        // Each line of the signature its own line (a Markdown line break: two spaces).
        let lines: Vec<String> = r.signature.iter().map(|s| cell(s)).collect();
        writeln!(w, "{}\n", lines.join("  \n"))?;
    }
    for e in &r.extras {
        one(e, lang, w)?;
    }
    if !notice {
        for n in &r.notes {
            writeln!(w, "- {}", cell(n))?;
        }
    }
    Ok(())
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
