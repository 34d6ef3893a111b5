//! Self-contained HTML pages to print or post — the committee report (`stars report`) and
//! the publicity notice (`stars publicity -f html`): inline CSS, inline SVG (see
//! [`super::svg`]), no script, nothing fetched.
//!
//! Printed (CSS paged media, which Chromium follows): A4 pages, the town and the year at
//! the head of each page and its number at the foot (`第 3 页 共 9 页`, `3 / 9`), counted
//! by the browser as it lays the pages out. Sections follow each other where they fit;
//! a heading is kept with what follows it, and a chart, a box of figures or a table's row
//! is never cut in two.

use super::{Report, Value};
use crate::i18n::Lang;
use std::fmt::Write;

/// Text made safe for HTML content and attribute values: `&`, `<`, `>`, `"` and `'`; and
/// inert: control characters and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which would reorder what follows them on the page, shown escaped
/// (`\u{202e}`) as the terminal shows them.
pub fn esc(s: &str) -> String {
    let s = crate::problem::escape(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text as a CSS string (`"…"`, for a page's running head): control characters shown
/// escaped as [`esc`] shows them, then every ASCII character but letters, digits and the
/// space written as a CSS escape (`\3c `), so that nothing ends the string or the style
/// sheet (`"`, `\`, `</style>`).
fn css_string(s: &str) -> String {
    let s = crate::problem::escape(s);
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii() && !(c.is_ascii_alphanumeric() || c == ' ') {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

const STYLE: &str = "\
* { box-sizing: border-box; }
body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", \"WenQuanYi Micro Hei\", sans-serif; color: #000; background: #fff; margin: 0; font-size: 11pt; }
main { max-width: 186mm; margin: 0 auto; padding: 4mm 0; }
section { padding: 2mm 0 0; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 5mm 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #000; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9.5pt; }
thead { display: table-header-group; }
th, td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #ddd; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr, .figure, svg { break-inside: avoid; page-break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 2mm 0 4mm; }
.figure { border: 1px solid #000; padding: 2mm 3mm; min-width: 38mm; }
.figure b { display: block; font-size: 16pt; }
p.note { font-size: 9pt; margin: 1mm 0; }
p.text { margin: 2mm 0; line-height: 1.6; text-indent: 2em; }
.notice h1 { text-align: center; font-size: 20pt; margin: 6mm 0 6mm; }
.signature { margin: 10mm 0 0 auto; width: max-content; text-align: center; line-height: 1.8; }
.apart { break-before: page; page-break-before: always; }
svg { display: block; margin: 2mm 0 4mm; }
";

/// A page being written: sections in order.
pub struct Page {
    out: String,
}

impl Page {
    /// A page titled `title` (plain text), in `lang`, whose printed pages each carry
    /// `running` (plain text) at their head and their number at their foot.
    pub fn new(title: &str, lang: Lang, running: &str) -> Page {
        let mut out = String::new();
        let number = lang.t(
            "counter(page) \" / \" counter(pages)",
            "\"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"",
        );
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n\
             @page {{ size: A4; margin: 16mm 12mm 16mm;\n  \
             @top-left {{ content: {}; font-size: 8pt; }}\n  \
             @bottom-center {{ content: {number}; font-size: 9pt; }}\n}}\n{STYLE}</style>\n</head>\n<body>\n<main>\n",
            lang.t("en", "zh-CN"),
            esc(title),
            css_string(running),
        );
        Page { out }
    }

    /// Start a section headed `heading` (plain text). End it with [`Page::end`].
    pub fn section(&mut self, id: &str, heading: &str) {
        let _ = write!(
            self.out,
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            esc(id),
            esc(heading)
        );
    }

    /// A part that starts on a page of its own (what follows a notice, not posted with it).
    pub fn apart(&mut self) {
        self.out.push_str("<div class=\"apart\"></div>\n");
    }

    pub fn end(&mut self) {
        self.out.push_str("</section>\n");
    }

    pub fn h1(&mut self, s: &str) {
        let _ = writeln!(self.out, "<h1>{}</h1>", esc(s));
    }

    pub fn h3(&mut self, s: &str) {
        let _ = writeln!(self.out, "<h3>{}</h3>", esc(s));
    }

    /// A small note under a table or a chart.
    pub fn note(&mut self, s: &str) {
        let _ = writeln!(self.out, "<p class=\"note\">{}</p>", esc(s));
    }

    /// A paragraph of a notice.
    pub fn text(&mut self, s: &str) {
        let _ = writeln!(self.out, "<p class=\"text\">{}</p>", esc(s));
    }

    /// The lines signing a notice, at the right.
    pub fn signature(&mut self, lines: &[String]) {
        self.out.push_str("<div class=\"signature\">");
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                self.out.push_str("<br>");
            }
            self.out.push_str(&esc(l));
        }
        self.out.push_str("</div>\n");
    }

    /// Big figures in boxes: (label, value), both plain text.
    pub fn figures(&mut self, items: &[(String, String)]) {
        self.out.push_str("<div class=\"figures\">");
        for (label, value) in items {
            let _ = write!(
                self.out,
                "<div class=\"figure\">{}<b>{}</b></div>",
                esc(label),
                esc(value)
            );
        }
        self.out.push_str("</div>\n");
    }

    /// Markup made here (an SVG chart), written as it is.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.out.push('\n');
    }

    /// A table of plain-text cells; the columns flagged in `numeric` are right-aligned.
    /// With no row, `empty` is written instead.
    pub fn table(&mut self, header: &[&str], numeric: &[bool], rows: &[Vec<String>], empty: &str) {
        if rows.is_empty() {
            self.note(empty);
            return;
        }
        let class = |k: usize| {
            if numeric.get(k).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            }
        };
        self.out.push_str("<table>\n<thead><tr>");
        for (k, h) in header.iter().enumerate() {
            let _ = write!(self.out, "<th{}>{}</th>", class(k), esc(h));
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for (k, c) in row.iter().enumerate() {
                let _ = write!(self.out, "<td{}>{}</td>", class(k), esc(c));
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }

    /// A list ([`Report`]) as a table: its columns' headers in `lang`, its cells as people
    /// read them, numbers at the right.
    pub fn report_table(&mut self, r: &Report, lang: Lang, empty: &str) {
        let header: Vec<&str> = r.columns.iter().map(|c| c.header(lang)).collect();
        let rows = r.all_rows();
        let numeric: Vec<bool> = (0..header.len())
            .map(|k| {
                rows.iter().any(|row| {
                    matches!(
                        row.get(k),
                        Some(Value::Dec(_) | Value::Int(_) | Value::Num(_))
                    )
                })
            })
            .collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row.iter().map(|v| v.human(lang)).collect())
            .collect();
        self.table(&header, &numeric, &cells, empty);
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</main>\n</body>\n</html>\n");
        self.out
    }
}

/// A list as a page: its title, its opening words, its table, its notes, its signature,
/// and its other tables. A signed list is a notice to post (the publicity list): its
/// title centred, its notes as paragraphs, and its other tables on a page of their own
/// (they are not posted).
pub fn report(r: &Report, lang: Lang) -> String {
    let notice = !r.signature.is_empty();
    let mut p = Page::new(&r.title, lang, if notice { "" } else { &r.title });
    if notice {
        p.raw("<div class=\"notice\">");
    }
    p.h1(&r.title);
    for line in &r.preface {
        p.text(line);
    }
    let none = lang.t("None.", "无。");
    p.report_table(r, lang, none);
    if notice {
        for n in &r.notes {
            p.text(n);
        }
        p.signature(&r.signature);
        p.raw("</div>");
    }
    for (k, e) in r.extras.iter().enumerate() {
        if notice && k == 0 {
            p.apart();
        }
        p.h3(&e.title);
        p.report_table(e, lang, none);
        for n in &e.notes {
            p.note(n);
        }
    }
    if !notice {
        for n in &r.notes {
            p.note(n);
        }
    }
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five() {
        assert_eq!(esc("<b>&\"'x"), "&lt;b&gt;&amp;&quot;&#39;x");
        assert_eq!(
            esc("a\u{202e}b\u{1b}[2J\u{9b}"),
            "a\\u{202e}b\\u{1b}[2J\\u{9b}"
        );
    }

    /// Nothing in a running head ends the CSS string or the style sheet.
    #[test]
    fn css_strings_keep_to_their_quotes() {
        assert_eq!(css_string("大王镇 · 2025"), "\"大王镇 · 2025\"");
        let s = css_string("a\"b\\c</style><script>\u{1b}");
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>']), "{s}");
        assert!(s.starts_with("\"a\\22 b\\5c c\\3c \\2f style"), "{s}");
    }
}
