//! The year's hand-overs (issue 28): what stars hands out comes back as it is. Templates
//! — one per town, per level, per branch — filled in a spreadsheet program and dropped back
//! into the year folder are read as score sheets; the rectification list, its status filled,
//! is read back as next year's rectification file. Each round trip rates exactly as the
//! plain CSV files it replaces.
//!
//! "Filled in a spreadsheet program": the workbook stars wrote is read with calamine and
//! saved again with rust_xlsxwriter, every cell as it was (merged title included) and the
//! scores typed into its blank cells, as Excel or WPS saves it. (Styles and data validation
//! are not carried over: the reader does not look at them.)

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::Ws;
use std::collections::BTreeMap;
use std::path::Path;

fn evaluate(ws: &Ws) -> common::Run {
    ws.run(&["evaluate", "--year", "2025", "--format", "csv"])
}

fn ok(run: &common::Run) {
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// What a person types into a sheet: given the header (the keys row), a row's cells and a
/// column, the text typed into that blank cell, if any.
type Typing<'a> = &'a dyn Fn(&[String], &[String], usize) -> Option<String>;

/// Save the workbook `from` again as `to`, as a spreadsheet program saves it once `typed`
/// was typed into the blank cells under the row holding `key` (the header).
fn refill(from: &Path, to: &Path, key: &str, typed: Typing) {
    let mut book: Xlsx<_> = open_workbook(from).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let merges = book.worksheet_merge_cells(&name).unwrap().unwrap();
        let sheet = out.add_worksheet();
        sheet.set_name(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let text = |d: &Data| match d {
            Data::Empty => String::new(),
            d => d.to_string(),
        };
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
        let header = rows.iter().position(|r| r.iter().any(|c| c == key));
        let covered = |r: u32, c: u32| {
            merges.iter().any(|m| {
                (m.start.0..=m.end.0).contains(&r)
                    && (m.start.1..=m.end.1).contains(&c)
                    && (r, c) != m.start
            })
        };
        for m in &merges {
            let v = range.get_value(m.start).map(text).unwrap_or_default();
            let (a, b) = (m.start, m.end);
            sheet
                .merge_range(
                    a.0,
                    a.1 as u16,
                    b.0,
                    b.1 as u16,
                    &v,
                    &rust_xlsxwriter::Format::new(),
                )
                .unwrap();
        }
        for (i, row) in rows.iter().enumerate() {
            let r = r0 + i as u32;
            let width = header.map_or(row.len(), |h| rows[h].len().max(row.len()));
            for j in 0..width {
                let c = c0 + j as u32;
                if covered(r, c) || merges.iter().any(|m| m.start == (r, c)) {
                    continue;
                }
                let cell = row.get(j).cloned().unwrap_or_default();
                let value = match header {
                    Some(h) if i > h && cell.is_empty() => typed(&rows[h], row, j),
                    _ => None,
                };
                let value = value.unwrap_or(cell);
                match value.parse::<f64>() {
                    _ if value.is_empty() => {}
                    Ok(v) if header.is_some_and(|h| i > h) => {
                        sheet.write_number(r, c as u16, v).unwrap();
                    }
                    _ => {
                        sheet.write_string(r, c as u16, &value).unwrap();
                    }
                }
            }
        }
    }
    out.save(to).unwrap();
}

/// The level code of a level cell, in either language.
fn level_code(cell: &str) -> &str {
    match cell {
        "自评" => "self",
        "群众评议" => "mass",
        "组织评定" => "organization",
        other => other,
    }
}

/// The spec example's rural scores by (branch, level), and the mass `overall` by branch.
struct Scores {
    indicators: BTreeMap<(String, String), BTreeMap<String, String>>,
    overall: BTreeMap<String, String>,
}

impl Scores {
    fn of(ws: &Ws) -> Scores {
        let mut indicators = BTreeMap::new();
        let text = ws.read("2025/scores-rural.csv");
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            let cells = (2..f.len()).map(|k| (head[k].to_string(), f[k].to_string()));
            indicators.insert((f[0].into(), f[1].into()), cells.collect());
        }
        let overall = (ws.read("2025/scores-mass.csv").lines().skip(1))
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[2].to_string())
            })
            .collect();
        Scores {
            indicators,
            overall,
        }
    }

    /// What the clerk types into a blank cell of a template's row.
    fn typed(&self, header: &[String], row: &[String], c: usize) -> Option<String> {
        let col = |k: &str| header.iter().position(|h| h == k);
        let branch = row.get(col("branch")?)?.clone();
        let level = level_code(row.get(col("level")?)?).to_string();
        let key = header.get(c)?;
        match self.indicators.get(&(branch.clone(), level.clone())) {
            Some(cells) => cells.get(key).cloned(),
            None if key == "overall" && level == "mass" => self.overall.get(&branch).cloned(),
            None => None,
        }
    }
}

/// The mass sheet without the rows of `branches` (their mass scores are in a workbook now).
fn mass_without(ws: &Ws, branches: &[String]) {
    let kept: String = (ws.read("2025/scores-mass.csv").lines())
        .filter(|l| !branches.iter().any(|b| l.starts_with(&format!("{b},"))))
        .map(|l| format!("{l}\n"))
        .collect();
    ws.write("2025/scores-mass.csv", kept);
}

fn rural_branches(ws: &Ws) -> Vec<String> {
    (ws.read("branches.csv").lines())
        .filter(|l| l.contains(",rural,"))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_filled_workbook_template_rates_like_the_plain_sheet() {
    for lang in ["zh", "en"] {
        let ws = Ws::spec_example();
        let expected = evaluate(&ws);
        let scores = Scores::of(&ws);
        let out = ws.run(&[
            "template",
            "rural",
            "--year",
            "2025",
            "-f",
            "xlsx",
            "--lang",
            lang,
            "-o",
            "ws/2025/scores-rural.xlsx",
        ]);
        ok(&out);
        ws.remove("2025/scores-rural.csv");
        let path = ws.path("2025/scores-rural.xlsx");
        let typed = |h: &[String], r: &[String], c: usize| scores.typed(h, r, c);
        refill(&path, &path, "branch", &typed);
        mass_without(&ws, &rural_branches(&ws));
        let got = evaluate(&ws);
        ok(&got);
        assert_eq!(got.stdout, expected.stdout, "{lang}");
        // The notes sheet is passed over, and said so.
        let notes = if lang == "zh" { "说明" } else { "Notes" };
        assert!(got.stderr.contains(notes), "{}", got.stderr);
        assert_eq!(got.stderr.lines().count(), 1, "{}", got.stderr);
    }
}

#[test]
fn a_filled_csv_template_rates_like_the_plain_sheet() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    let scores = Scores::of(&ws);
    ws.remove("2025/scores-rural.csv");
    let out = ws.run(&[
        "template",
        "rural",
        "--year",
        "2025",
        "-f",
        "csv",
        "-o",
        "ws/2025/scores-rural.csv",
    ]);
    ok(&out);
    let text = ws.read("2025/scores-rural.csv");
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let mut filled = format!("{}\n", header.join(","));
    for line in lines {
        let row: Vec<String> = line.split(',').map(String::from).collect();
        let cells: Vec<String> = (0..row.len())
            .map(|c| match row[c].is_empty() {
                true => scores.typed(&header, &row, c).unwrap_or_default(),
                false => row[c].clone(),
            })
            .collect();
        filled.push_str(&format!("{}\n", cells.join(",")));
    }
    ws.write("2025/scores-rural.csv", filled);
    mass_without(&ws, &rural_branches(&ws));
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

/// Each branch fills its self-assessment (自评), the assessment group the organization level
/// (组织评定) of the whole town, the mass level stays as it was: the per-branch workbooks and
/// the group's sheet, dropped into the year folder, rate as the town's sheet did.
#[test]
fn per_branch_templates_filled_rate_like_the_towns_sheet() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    let scores = Scores::of(&ws);
    let run = ws.run(&[
        "template",
        "rural",
        "--year",
        "2025",
        "--level",
        "自评",
        "--per-branch",
        "handout",
        "--lang",
        "zh",
    ]);
    ok(&run);
    let out = ws.tmp.path().join("handout");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    assert_eq!(names[0], "scores-B01-East Village.xlsx");
    let typed = |h: &[String], r: &[String], c: usize| scores.typed(h, r, c);
    for name in &names {
        refill(
            &out.join(name),
            &ws.path(&format!("2025/{name}")),
            "branch",
            &typed,
        );
    }
    let run = ws.run(&[
        "template",
        "rural",
        "--year",
        "2025",
        "--level",
        "organization",
        "-f",
        "xlsx",
        "-o",
        "ws/2025/scores-organization.xlsx",
    ]);
    ok(&run);
    let path = ws.path("2025/scores-organization.xlsx");
    refill(&path, &path, "branch", &typed);
    // The town's rural sheet keeps only what no template holds: B08's mass row.
    let kept: String = (ws.read("2025/scores-rural.csv").lines())
        .filter(|l| l.starts_with("branch,") || l.contains(",mass,"))
        .map(|l| format!("{l}\n"))
        .collect();
    ws.write("2025/scores-rural.csv", kept);
    let got = evaluate(&ws);
    ok(&got);
    assert_eq!(got.stdout, expected.stdout);
    // A branch's workbook holds its own rows only.
    let mut book: Xlsx<_> = open_workbook(out.join(&names[0])).unwrap();
    let range = book.worksheet_range("农村").unwrap();
    let ids: Vec<String> = range.rows().skip(4).map(|r| r[0].to_string()).collect();
    assert_eq!(ids, ["B01"]);
}

/// A branch's workbook dropped in twice (or its rows also in the town's sheet): `check`
/// names both files.
#[test]
fn two_files_giving_one_row_are_both_named() {
    let ws = Ws::spec_example();
    let run = ws.run(&[
        "template",
        "rural",
        "--year",
        "2025",
        "--level",
        "self",
        "--per-branch",
        "ws/2025",
    ]);
    ok(&run);
    let scores = Scores::of(&ws);
    let typed = |h: &[String], r: &[String], c: usize| scores.typed(h, r, c);
    let path = ws.path("2025/scores-B01-East Village.xlsx");
    refill(&path, &path, "branch", &typed);
    for name in std::fs::read_dir(ws.path("2025")).unwrap() {
        let name = name.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("scores-B") && !name.starts_with("scores-B01") {
            ws.remove(&format!("2025/{name}"));
        }
    }
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stderr.contains(
            "error: ws/2025/scores-rural.csv:2: row repeats the self scores of B01 already given on ws/2025/scores-B01-East Village.xlsx[rural], line 5"
        ),
        "{}",
        check.stderr
    );
}

#[test]
fn per_branch_files_are_never_overwritten_and_their_names_are_safe() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "B01,East Village,",
        "B01,East/Village: \"No.1\"?,",
    );
    let run = ws.run(&["template", "rural", "--per-branch", "out", "-f", "csv"]);
    ok(&run);
    let out = ws.tmp.path().join("out");
    assert!(out.join("scores-B01-East_Village_ _No.1__.csv").is_file());
    let before = std::fs::read(out.join("scores-B02-West Village.csv")).unwrap();
    let again = ws.run(&["template", "rural", "--per-branch", "out", "-f", "csv"]);
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("exists: refusing to overwrite it"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(out.join("scores-B02-West Village.csv")).unwrap(),
        before
    );
}

/// What is filled into the status column of last year's list, from the statuses of the
/// fixture's `item,status,note` file (an item it does not list is not done).
fn statuses(ws: &Ws, zh: bool) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in ws.read("2025/rectification.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let status = match (f[1], zh) {
            ("done", true) => "已完成",
            ("open", true) => "未完成",
            (s, _) => s,
        };
        out.insert(f[0].to_string(), status.to_string());
    }
    out
}

fn adjust(ws: &Ws) -> common::Run {
    ws.run(&["adjust", "--year", "2025", "--format", "csv"])
}

/// Year two: `stars rectify --year 2024` as written (CSV, or a workbook in either
/// language), its status column filled, saved as 2025's rectification file, gives the same
/// adjustment as the fixture's `item,status,note` file.
#[test]
fn the_rectification_list_with_its_status_filled_is_next_years_rectification_file() {
    for (format, lang) in [("csv", "en"), ("xlsx", "en"), ("xlsx", "zh")] {
        let ws = Ws::fixture("spec-example-local");
        let expected = adjust(&ws);
        ok(&expected);
        let zh = lang == "zh";
        let status = statuses(&ws, zh);
        let not_done = if zh { "未完成" } else { "open" };
        let fill = |header: &[String], row: &[String], c: usize| {
            let key = header.get(c)?;
            if !["status", "Status", "整改状态"].contains(&key.as_str()) {
                return None;
            }
            let item = row.first()?;
            Some(status.get(item).cloned().unwrap_or(not_done.to_string()))
        };
        let list = ws.tmp.path().join(format!("list.{format}"));
        let out = list.to_string_lossy().into_owned();
        let run = ws.run(&[
            "rectify", "--year", "2024", "-f", format, "--lang", lang, "-o", &out,
        ]);
        ok(&run);
        ws.remove("2025/rectification.csv");
        if format == "csv" {
            let text = std::fs::read_to_string(&list).unwrap();
            let mut rdr = csv::Reader::from_reader(text.as_bytes());
            let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&header).unwrap();
            for rec in rdr.records() {
                let row: Vec<String> = rec.unwrap().iter().map(String::from).collect();
                let cells: Vec<String> = (0..row.len())
                    .map(|c| fill(&header, &row, c).unwrap_or_else(|| row[c].clone()))
                    .collect();
                w.write_record(&cells).unwrap();
            }
            ws.write("2025/rectification.csv", w.into_inner().unwrap());
        } else {
            let key = if zh { "事项编号" } else { "Item" };
            refill(&list, &ws.path("2025/rectification.xlsx"), key, &fill);
        }
        let got = adjust(&ws);
        ok(&got);
        assert_eq!(got.stdout, expected.stdout, "{format} {lang}");
        let check = ws.run(&["check"]);
        ok(&check);
    }
}

/// The list's status left blank is refused with what to type, at its cell.
#[test]
fn a_status_left_blank_says_what_to_type() {
    let ws = Ws::fixture("spec-example-local");
    let run = ws.run(&[
        "rectify",
        "--year",
        "2024",
        "-f",
        "csv",
        "-o",
        "ws/list.csv",
    ]);
    ok(&run);
    let text = std::fs::read_to_string(ws.path("list.csv")).unwrap();
    ws.remove("list.csv");
    ws.write("2025/rectification.csv", text);
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "error: ws/2025/rectification.csv:2:11: [status] status is blank; expected done (已完成, 已整改, 完成, 整改完成, 已销号) or open (未完成, 未整改, 整改中, 正在整改, 未销号): type the item's status, or delete the row (an item not listed is not done)"
        ),
        "{}",
        run.stderr
    );
}

/// `stars template rectification`: last year's items with an empty status column, in the
/// year folder as a new file (never over one), filled and read back.
#[test]
fn the_rectification_template_is_last_years_items_to_fill() {
    let ws = Ws::fixture("spec-example-local");
    let expected = adjust(&ws);
    let status = statuses(&ws, true);
    ws.remove("2025/rectification.csv");
    let run = ws.run(&[
        "template",
        "rectification",
        "--year",
        "2025",
        "-f",
        "xlsx",
        "--lang",
        "zh",
        "-o",
        "ws/2025/rectification.xlsx",
    ]);
    ok(&run);
    let again = ws.run(&[
        "template",
        "rectification",
        "--year",
        "2025",
        "-f",
        "xlsx",
        "-o",
        "ws/2025/rectification.xlsx",
    ]);
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("refusing to overwrite it"),
        "{}",
        again.stderr
    );
    let path = ws.path("2025/rectification.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    // Below its title row (which the reader passes over).
    let header: Vec<String> = range
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(header.first().map(String::as_str), Some("事项编号"));
    assert_eq!(header.last().map(String::as_str), Some("整改状态"));
    drop(book);
    let fill = |h: &[String], row: &[String], c: usize| {
        (h.get(c)? == "整改状态")
            .then(|| status.get(&row[0]).cloned().unwrap_or("未完成".to_string()))
    };
    refill(&path, &path, "事项编号", &fill);
    let got = adjust(&ws);
    ok(&got);
    assert_eq!(got.stdout, expected.stdout);
    // In the first year there are no items of the year before.
    let first_year = ws.run(&["template", "rectification", "--year", "2024"]);
    assert_eq!(first_year.code, Some(1));
    assert!(
        first_year.stderr.contains("2024 is the first year"),
        "{}",
        first_year.stderr
    );
}
