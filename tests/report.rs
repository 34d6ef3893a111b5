//! `stars report`: the committee's HTML page — the same bytes twice, every section and
//! chart there, Chinese under `--lang zh`, no script, input text escaped; its figures as
//! JSON and as a workbook, the same numbers as the page and the lists; and printed by a
//! real browser (chromium, headless) to a PDF whose every page carries its number, town
//! and county alike.

mod common;

use common::Ws;
use std::path::Path;
use std::time::Duration;

/// A copy of `examples/dawang` as `ws` in a temporary folder.
fn town() -> Ws {
    common::town_without_lang()
}

const SECTIONS_EN: [&str; 6] = [
    "Headline figures",
    "Stars by domain",
    "Score distribution",
    "Year over year",
    "Rectification",
    "Publicity, rewards and interviews",
];

const SECTIONS_ZH: [&str; 6] = [
    "总体情况",
    "各领域星级分布",
    "得分分布",
    "年度变化",
    "整改情况",
    "公示、奖励和约谈",
];

/// The report written with `-o`, as text (of 2025 unless `more` has a `--year`).
fn report(ws: &Ws, file: &str, more: &[&str]) -> String {
    let mut args = vec!["report", "-o", file];
    args.extend_from_slice(more);
    if !more.contains(&"--year") {
        args.extend(["--year", "2025"]);
    }
    let run = ws.run(&args);
    assert_eq!(run.code, Some(0), "stars report: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    ws.read(&format!("../{file}"))
}

/// The SVG elements of the page, one string each.
fn svgs(html: &str) -> Vec<&str> {
    html.split("<svg")
        .skip(1)
        .filter_map(|s| s.split("</svg>").next())
        .collect()
}

#[test]
fn the_report_has_every_section_and_chart_and_the_same_bytes_twice() {
    let ws = town();
    let a = report(&ws, "a.html", &[]);
    let b = report(&ws, "b.html", &[]);
    assert_eq!(a, b, "two runs differ");
    assert!(a.starts_with("<!DOCTYPE html>"));
    for h in SECTIONS_EN {
        assert!(a.contains(&format!("<h2>{h}</h2>")), "no section {h}");
    }
    assert_eq!(a.matches("<section").count(), SECTIONS_EN.len());
    assert!(a.contains("@page { size: A4"));
    // Printed: the town and the year at the head of every page, its number at the foot,
    // counted by the browser; sections follow each other, headings kept with what follows.
    assert!(a.contains("@top-left { content: \"大王镇 · 2025\""), "{a}");
    assert!(a.contains("counter(page) \" / \" counter(pages)"));
    assert!(!a.contains("class=\"apart\""), "no page forced");
    assert!(a.contains("h1, h2, h3 { break-after: avoid;"));
    // Three charts: stars by domain, the histogram, the items by indicator.
    let charts = svgs(&a);
    assert_eq!(charts.len(), 3, "charts");
    for (k, c) in charts.iter().enumerate() {
        let elements = c.matches("<rect").count() + c.matches("<line").count();
        assert!(elements >= 8, "chart {k} has {elements} elements");
        assert!(
            c.matches("<text").count() >= 5,
            "chart {k} has too few labels"
        );
    }
    // Star thresholds as lines on the histogram.
    assert!(charts
        .get(1)
        .is_some_and(|h| h.contains("stroke-dasharray")));
    // Self-contained: nothing run, nothing fetched.
    let lower = a.to_lowercase();
    assert!(!lower.contains("<script"));
    let no_ns = lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!no_ns.contains("http:") && !no_ns.contains("https:"));
    assert!(!lower.contains("<link") && !lower.contains("<img"));
    // Standard output without -o: the same page.
    let run = ws.run(&["report", "--year", "2025"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, a);
}

#[test]
fn the_report_is_in_chinese_under_lang_zh() {
    let ws = town();
    let zh = report(&ws, "zh.html", &["--lang", "zh"]);
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    for h in SECTIONS_ZH {
        assert!(zh.contains(&format!("<h2>{h}</h2>")), "no section {h}");
    }
    for word in ["参评支部", "五星级党支部", "约谈名单", "公示名单", "不评星"]
    {
        assert!(zh.contains(word), "no {word}");
    }
    assert!(!zh.contains("Headline figures"));
}

#[test]
fn text_from_the_inputs_is_escaped() {
    let ws = town();
    // D001 is a five-star branch: its name is in the five-star and publicity lists.
    ws.patch("branches.csv", "D001,大王村党支部,", "D001,<b>x</b> & 'q',");
    let html = report(&ws, "x.html", &[]);
    assert!(!html.contains("<b>x</b>"), "a name is written as markup");
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt; &amp; &#39;q&#39;"));
}

#[test]
fn the_report_is_a_page_json_or_a_workbook() {
    let ws = town();
    for f in ["csv", "table", "markdown"] {
        let run = ws.run(&["report", "-f", f]);
        assert_eq!(run.code, Some(2), "-f {f}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.contains("its formats: html, json, xlsx"),
            "{}",
            run.stderr
        );
    }
    let html = ws.run(&["report", "-f", "html", "--year", "2025"]);
    assert_eq!(html.code, Some(0), "{}", html.stderr);
    assert_eq!(html.stdout, ws.run(&["report", "--year", "2025"]).stdout);
}

/// The pages of a PDF: its `/Type /Page` objects (not `/Pages`, the tree).
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut n = 0;
    for pat in [&b"/Type /Page"[..], &b"/Type/Page"[..]] {
        n += pdf
            .windows(pat.len() + 1)
            .filter(|w| w.starts_with(pat) && w.last() != Some(&b's'))
            .count();
    }
    n
}

/// A headless chromium on the page. The tests that call it are `#[ignore]`d, so that `cargo
/// test` passes on a machine with only Rust and a C compiler; `.ci/run` installs chromium and
/// runs them with `--include-ignored`. Run by hand, they fail (never skip) without chromium.
fn chromium(dir: &Path, args: &[String]) {
    let found = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "chromium is not on PATH: this test renders the report in a real browser. \
         Install it (Debian: apt-get install chromium), as .ci/run does."
    );
    let out = assert_cmd::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("chromium-profile").display()
        ))
        .args(args)
        .timeout(Duration::from_secs(180))
        .output()
        .unwrap_or_else(|e| panic!("run chromium: {e}"));
    assert!(
        out.status.success(),
        "chromium {args:?}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The text of each page of a PDF, by pdftotext (poppler-utils), pages apart.
fn pdf_text(dir: &Path, pdf: &Path) -> Vec<String> {
    let found = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty());
    assert!(
        found,
        "pdftotext is not on PATH: this test reads the printed pages' numbers. \
         Install it (Debian: apt-get install poppler-utils), as .ci/run does."
    );
    let out = dir.join("pages.txt");
    // Laid out as printed: lines from the top of the page down, its number last.
    let run = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("run pdftotext: {e}"));
    assert!(run.status.success(), "pdftotext: {:?}", run.status);
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("read the text: {e}"));
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // The text ends with a form feed: no page after it.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The texts of the page's headings (`<h2>` and `<h3>`), as printed.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["h2", "h3"] {
        for part in html.split(&format!("<{tag}>")).skip(1) {
            if let Some(h) = part.split(&format!("</{tag}>")).next() {
                let h = h.replace("&amp;", "&").replace("&#39;", "'");
                out.push(
                    h.replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">"),
                );
            }
        }
    }
    out
}

/// Print `html` (a file of `dir`) to a PDF with chromium, and check every page: its number
/// at its foot, `第 k 页 共 n 页`, n the pages there are; no heading the last line of a
/// page (kept with what follows). The pages' text, in order.
fn print_and_check(dir: &Path, file: &str) -> Vec<String> {
    let page = dir.join(file);
    let pdf = dir.join(format!("{file}.pdf"));
    chromium(
        dir,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
            format!("file://{}", page.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("read the PDF: {e}"));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let pages = pdf_text(dir, &pdf);
    let n = pages.len();
    assert_eq!(
        n,
        pdf_pages(&bytes),
        "{file}: pages of the text and of the PDF"
    );
    assert!(n >= 2, "{file}: {n} pages");
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    let heads = headings(&html);
    for (k, text) in pages.iter().enumerate() {
        let k = k + 1;
        // pdftotext may drop the spaces between Chinese characters and digits.
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<String>())
            .filter(|l| !l.is_empty())
            .collect();
        let number = format!("第{k}页共{n}页");
        let at = lines.iter().position(|l| *l == number);
        assert!(
            at.is_some(),
            "{file}: page {k} of {n} has no `{number}`:\n{text}"
        );
        // The last line of the page's content (before its number at the foot).
        let last = lines.iter().take(at.unwrap_or(0)).next_back();
        let alone = last.is_some_and(|l| {
            heads
                .iter()
                .any(|h| h.split_whitespace().collect::<String>() == *l)
        });
        assert!(
            !alone,
            "{file}: page {k} ends with a heading: {last:?}\n{text}"
        );
    }
    pages
}

#[test]
#[ignore = "needs chromium: renders the report in a real browser (.ci/run installs it and runs this)"]
fn a_real_browser_prints_the_reports_with_their_page_numbers_and_draws_them() {
    let ws = town();
    report(&ws, "report.html", &["--lang", "zh"]);
    let dir = ws.tmp.path();
    let pages = print_and_check(dir, "report.html");
    // Sections follow each other where they fit: fewer pages than sections and more.
    assert!(pages.len() < 9, "{} pages", pages.len());
    // The county's report: its first page filled with the towns' stars.
    let county = common::Ws::empty();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guangrao"),
        &county.dir,
    );
    let run = county.run(&["report", "--year", "2025", "-o", "county.html"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pages = print_and_check(county.tmp.path(), "county.html");
    let first = pages.first().cloned().unwrap_or_default();
    assert!(first.contains("各镇（街道）星级分布"), "{first}");
    for town in [
        "大王镇",
        "李鹊镇",
        "花官镇",
        "丁庄街道",
        "大码头镇",
        "稻庄镇",
    ] {
        assert!(
            first.matches(town).count() >= 2,
            "{town} on page 1:\n{first}"
        );
    }
    let url = format!("file://{}", dir.join("report.html").display());
    let png = dir.join("report.png");
    chromium(
        dir,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,1700".to_string(),
            url,
        ],
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("read the PNG: {e}"));
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(bytes.len() > 10_000, "a PNG of {} bytes", bytes.len());
}

#[test]
fn the_first_year_has_no_comparison_but_every_section() {
    let ws = town();
    let html = report(&ws, "first.html", &["--year", "2023"]);
    for h in SECTIONS_EN {
        assert!(html.contains(&format!("<h2>{h}</h2>")), "no section {h}");
    }
    assert!(html.contains("2022 is not in this workspace: no comparison."));
    assert!(html.contains("@top-left { content: \"大王镇 · 2023\""));
}
