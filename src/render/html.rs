//! One self-contained HTML page, for the committee report (`stars report`): inline CSS,
//! inline SVG (see [`super::svg`]), no script, nothing fetched; A4 pages, one section per
//! page, each with a header naming the town and the year.

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

const STYLE: &str = "\
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", \"WenQuanYi Micro Hei\", sans-serif; color: #000; background: #fff; margin: 0; font-size: 11pt; }
section { max-width: 186mm; margin: 0 auto; padding: 4mm 0; }
section + section { break-before: page; page-break-before: always; }
header.page { display: flex; justify-content: space-between; border-bottom: 2px solid #000; font-size: 9pt; padding-bottom: 1mm; margin-bottom: 3mm; }
h1 { font-size: 18pt; margin: 2mm 0 4mm; }
h2 { font-size: 14pt; margin: 2mm 0 3mm; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9.5pt; }
th, td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #ddd; }
td.n, th.n { text-align: right; }
tr { break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 2mm 0 4mm; }
.figure { border: 1px solid #000; padding: 2mm 3mm; min-width: 38mm; }
.figure b { display: block; font-size: 16pt; }
p.note { font-size: 9pt; margin: 1mm 0; }
svg { display: block; margin: 2mm 0 4mm; }
";

/// A page being written: sections in order.
pub struct Page {
    out: String,
    /// What each section's header says (the town and the year), escaped.
    running: String,
}

impl Page {
    /// A page titled `title` (plain text), in `lang` (`en` or `zh-CN`), whose sections each
    /// start with `running` (plain text) in their header.
    pub fn new(title: &str, lang: &str, running: &str) -> Page {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
            esc(lang),
            esc(title)
        );
        Page {
            out,
            running: esc(running),
        }
    }

    /// Start a section headed `heading` (plain text); `right` goes at the right of the
    /// running header (plain text). End it with [`Page::end`].
    pub fn section(&mut self, id: &str, heading: &str, right: &str) {
        let _ = write!(
            self.out,
            "<section id=\"{}\">\n<header class=\"page\"><span>{}</span><span>{}</span></header>\n<h2>{}</h2>\n",
            esc(id),
            self.running,
            esc(right),
            esc(heading)
        );
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

    pub fn note(&mut self, s: &str) {
        let _ = writeln!(self.out, "<p class=\"note\">{}</p>", esc(s));
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

    pub fn finish(mut self) -> String {
        self.out.push_str("</body>\n</html>\n");
        self.out
    }
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
}
