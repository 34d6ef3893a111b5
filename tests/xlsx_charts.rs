//! The workbooks of `evaluate`, `adjust` and `rectify` have their summaries on sheets of
//! their own, each with a native Excel chart that refers to the sheet's cells: the chart's
//! parts exist, name the summary sheet, the sheet's numbers are the counts of the CSV rows,
//! and the same inputs give the same bytes.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{town_without_lang, Ws};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// The workbook written by `args` with `--format xlsx --output FILE`, as bytes.
fn workbook(ws: &Ws, args: &[&str], file: &str) -> Vec<u8> {
    let mut a = args.to_vec();
    a.extend(["--format", "xlsx", "--output", file]);
    let run = ws.run(&a);
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    std::fs::read(ws.tmp.path().join(file)).unwrap()
}

/// The text of a part of a workbook (a zip file), if it has it.
fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

/// The names of a workbook's parts.
fn parts(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    zip.file_names().map(str::to_string).collect()
}

/// The sheet names, in order, and the rows of one sheet's table as text (below its title
/// row).
fn sheet(bytes: &[u8], name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut wb = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names().to_vec();
    let range = wb.worksheet_range(name).unwrap();
    let rows = range
        .rows()
        .skip(1)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    (names, rows)
}

/// The CSV output of `args`, as records (the header row first).
fn csv_rows(ws: &Ws, args: &[&str]) -> Vec<Vec<String>> {
    let mut a = args.to_vec();
    a.extend(["--format", "csv"]);
    let run = ws.run(&a);
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(run.stdout.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Checks the one chart of a workbook: it exists, is drawn on the sheet `title` (the
/// drawing hangs from that sheet) and its series refer to that sheet's cells.
fn assert_chart_on(bytes: &[u8], title: &str) {
    let names = parts(bytes);
    let charts: Vec<_> = names
        .iter()
        .filter(|n| n.starts_with("xl/charts/"))
        .collect();
    assert_eq!(charts, ["xl/charts/chart1.xml"], "{names:?}");
    let chart = part(bytes, "xl/charts/chart1.xml").unwrap();
    let quoted = if title.contains(' ') {
        format!("<c:f>'{title}'!")
    } else {
        format!("<c:f>{title}!")
    };
    assert!(chart.contains(&quoted), "{quoted} in {chart}");
    assert!(chart.contains(&format!("<a:t>{title}</a:t>")), "{chart}");
    let (sheets, _) = sheet(bytes, title);
    let k = sheets.iter().position(|s| s == title).unwrap() + 1;
    let rels = part(bytes, &format!("xl/worksheets/_rels/sheet{k}.xml.rels")).unwrap();
    assert!(rels.contains("drawing"), "{rels}");
}

#[test]
fn evaluate_workbook_charts_stars_by_domain() {
    let ws = town_without_lang();
    let bytes = workbook(&ws, &["evaluate"], "e.xlsx");
    assert_chart_on(&bytes, "Stars by domain");
    let chart = part(&bytes, "xl/charts/chart1.xml").unwrap();
    assert!(chart.contains(r#"<c:grouping val="stacked"/>"#), "{chart}");
    assert!(chart.contains(r#"<c:barDir val="bar"/>"#), "{chart}");

    // The main sheet is still the CSV's rows; the summary counts them.
    let csv = csv_rows(&ws, &["evaluate"]);
    let (sheets, main) = sheet(&bytes, &sheet_names(&bytes)[0]);
    assert_eq!(main.len(), csv.len());
    assert_eq!(&sheets[1], "Stars by domain");
    let header = &csv[0];
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    let (domain, star) = (col("domain"), col("star"));
    let mut counts: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    for r in &csv[1..] {
        let s: usize = r[star].parse().unwrap();
        counts.entry(r[domain].clone()).or_default()[s] += 1;
    }
    let (_, summary) = sheet(&bytes, "Stars by domain");
    assert_eq!(summary[0][0], "Domain");
    // A row per domain and the total.
    assert_eq!(summary.len(), 1 + counts.len() + 1);
    // In the order of the domains (not of their names): compared by domain.
    for row in &summary[1..summary.len() - 1] {
        let c = counts[&row[0]];
        let want: Vec<String> = std::iter::once(row[0].clone())
            .chain((0..6).rev().map(|s| c[s].to_string()))
            .chain(std::iter::once(c.iter().sum::<i64>().to_string()))
            .collect();
        assert_eq!(row, &want);
    }
    let total = summary.last().unwrap();
    assert_eq!(total[0], "all");
    assert_eq!(total[7], (csv.len() - 1).to_string());
    // The chart covers the domains, not the total row.
    // Below the title row and the header: from row 3.
    let last = 2 + counts.len();
    assert!(
        chart.contains(&format!("'Stars by domain'!$A$3:$A${last}")),
        "{chart}"
    );
    assert!(
        chart.contains(&format!("'Stars by domain'!$G$3:$G${last}")),
        "{chart}"
    );
    assert!(!chart.contains("$H$"), "the total column is not a series");

    // The same table as Markdown shows (the summary for people).
    let md = ws.run(&["evaluate", "--format", "markdown"]).stdout;
    for row in &summary[1..] {
        assert!(md.contains(&format!("| {} |", row.join(" | "))), "{row:?}");
    }

    assert_eq!(workbook(&ws, &["evaluate"], "e2.xlsx"), bytes);
}

fn sheet_names(bytes: &[u8]) -> Vec<String> {
    Xlsx::new(Cursor::new(bytes.to_vec()))
        .unwrap()
        .sheet_names()
        .to_vec()
}

#[test]
fn adjust_workbook_charts_the_changes_of_plaques() {
    let ws = town_without_lang();
    let bytes = workbook(&ws, &["adjust"], "a.xlsx");
    assert_chart_on(&bytes, "Changes of plaques");
    let chart = part(&bytes, "xl/charts/chart1.xml").unwrap();
    assert!(chart.contains(r#"<c:barDir val="col"/>"#), "{chart}");
    assert!(chart.contains("'Changes of plaques'!$B$3:$B$7"), "{chart}");

    let csv = csv_rows(&ws, &["adjust"]);
    let change = csv[0].iter().position(|h| h == "change").unwrap();
    let names = sheet_names(&bytes);
    assert_eq!(names[1], "Changes of plaques");
    let (_, main) = sheet(&bytes, &names[0]);
    assert_eq!(main.len(), csv.len());
    let (_, summary) = sheet(&bytes, "Changes of plaques");
    assert_eq!(summary[0], ["Change", "Branches"]);
    let codes = ["up", "down", "same", "new", "trial"];
    assert_eq!(summary.len(), 1 + codes.len());
    let mut note = Vec::new();
    for (row, code) in summary[1..].iter().zip(codes) {
        let n = csv[1..].iter().filter(|r| r[change] == code).count();
        assert_eq!(row[1], n.to_string(), "{code}");
        if code != "trial" {
            note.push(format!("{} {n}", row[0]));
        }
    }
    let total: usize = summary[1..]
        .iter()
        .map(|r| r[1].parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, csv.len() - 1);
    // Markdown's note counts the same.
    let md = ws.run(&["adjust", "--format", "markdown"]).stdout;
    assert!(
        md.contains(&format!("Plaques: {}", note.join(", "))),
        "{note:?} in {md}"
    );

    assert_eq!(workbook(&ws, &["adjust"], "a2.xlsx"), bytes);
}

#[test]
fn rectify_workbooks_chart_the_open_items_by_source() {
    let ws = town_without_lang();
    let csv = csv_rows(&ws, &["rectify"]);
    let header = &csv[0];
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    let (source, branch) = (col("source"), col("branch"));
    // Items and branches per source, from the CSV.
    let mut want: BTreeMap<String, (usize, std::collections::BTreeSet<String>)> = BTreeMap::new();
    for r in &csv[1..] {
        let e = want.entry(r[source].clone()).or_default();
        e.0 += 1;
        e.1.insert(r[branch].clone());
    }
    assert!(!want.is_empty());
    // Each indicator's and item's name, as the standards in use give them.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let standards = csv_rows(&ws, &["standards", "show"]);
    let (id, name) = (
        standards[0].iter().position(|h| h == "id").unwrap(),
        standards[0].iter().position(|h| h == "name").unwrap(),
    );
    for r in &standards[1..] {
        names.insert(r[id].clone(), r[name].clone());
    }
    let mut first = None;
    for view in ["problems", "responsibility", "deadline"] {
        let file = format!("r-{view}.xlsx");
        let bytes = workbook(&ws, &["rectify", "--view", view], &file);
        assert_chart_on(&bytes, "Open items by source");
        let (sheets, summary) = sheet(&bytes, "Open items by source");
        assert_eq!(sheets.last().map(String::as_str), Some("Notes"));
        assert_eq!(
            summary[0],
            ["Source", "Indicator or item", "Kind", "Items", "Branches"]
        );
        let mut got: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for r in &summary[1..summary.len() - 1] {
            // A name beside every code: the standard's name of the indicator or item.
            assert_eq!(r[1], names[&r[0]], "{r:?}");
            let e = got.entry(r[0].clone()).or_default();
            e.0 += r[3].parse::<usize>().unwrap();
            e.1 += r[4].parse::<usize>().unwrap();
        }
        let want: BTreeMap<String, (usize, usize)> = want
            .iter()
            .map(|(s, (n, b))| (s.clone(), (*n, b.len())))
            .collect();
        assert_eq!(got, want, "{view}");
        let total = summary.last().unwrap();
        assert_eq!(total[0], "all");
        assert_eq!(total[3], (csv.len() - 1).to_string());
        let chart = part(&bytes, "xl/charts/chart1.xml").unwrap();
        let last = summary.len();
        assert!(
            chart.contains(&format!("'Open items by source'!$D$3:$D${last}")),
            "{chart}"
        );
        // The chart's categories are the names (the codes beside them in the table).
        assert!(
            chart.contains(&format!("'Open items by source'!$B$3:$B${last}")),
            "{chart}"
        );
        // Every view counts the same items.
        match &first {
            None => first = Some(summary),
            Some(f) => assert_eq!(f, &summary, "{view}"),
        }
        let again = workbook(&ws, &["rectify", "--view", view], &format!("again-{file}"));
        assert_eq!(again, bytes, "{view}: two runs, the same bytes");
    }
}

#[test]
fn charts_speak_the_workbook_language() {
    let ws = town_without_lang();
    let bytes = workbook(&ws, &["evaluate", "--lang", "zh"], "zh.xlsx");
    assert_chart_on(&bytes, "各领域星级分布");
    let chart = part(&bytes, "xl/charts/chart1.xml").unwrap();
    assert!(chart.contains("<c:v>五星</c:v>"), "{chart}");
    let bytes = workbook(&ws, &["adjust", "--lang", "zh"], "zh-a.xlsx");
    assert_chart_on(&bytes, "星级牌变化");
    let bytes = workbook(&ws, &["rectify", "--lang", "zh"], "zh-r.xlsx");
    assert_chart_on(&bytes, "各来源未整改事项数");
}

/// The formats other than the workbook are as they were: no chart, no new table.
#[test]
fn other_formats_have_no_new_tables() {
    let ws = town_without_lang();
    let md = ws.run(&["adjust", "--format", "markdown"]).stdout;
    assert!(!md.contains("Changes of plaques"));
    let md = ws.run(&["rectify", "--format", "markdown"]).stdout;
    assert!(!md.contains("Open items by source"));
    let json = ws.run(&["evaluate", "--format", "json"]).stdout;
    assert!(!json.contains("Stars by domain"));
}
