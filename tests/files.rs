//! What is read, said once (src/workspace/files.rs): names in any letter case, every
//! spreadsheet extension, notes worksheets told by their name, every other file of a year
//! folder named, and one problem when a year has no score sheet.

mod common;

use common::Ws;
use rust_xlsxwriter::Workbook;

fn evaluate(ws: &Ws) -> common::Run {
    ws.run(&["evaluate", "--year", "2025", "--format", "csv"])
}

fn rename(ws: &Ws, from: &str, to: &str) {
    std::fs::rename(ws.path(from), ws.path(to)).unwrap();
}

#[test]
fn names_in_any_letter_case_are_read() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    assert_eq!(expected.code, Some(0));
    rename(&ws, "2025/scores-rural.csv", "2025/Scores-Rural.CSV");
    rename(&ws, "2025/reviews.csv", "2025/Reviews.csv");
    rename(&ws, "2025/events.csv", "2025/EVENTS.CSV");
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn an_xls_workbook_is_read_not_skipped() {
    let ws = Ws::spec_example();
    // Not a real workbook: the point is that it is read (and refused), not passed over.
    ws.write("2025/scores-old.xls", b"not a workbook");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("ws/2025/scores-old.xls: cannot be read as an Excel workbook"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_that_are_not_read_are_named_and_nothing_else_changes() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    ws.write("2025/评分表-农村.csv", ws.read("2025/scores-rural.csv"));
    ws.write("2025/branches.xlsx", b"x");
    // Passed over without a word: hidden files, spreadsheet lock files, READMEs.
    ws.write("2025/~$scores.xlsx", b"lock");
    ws.write("2025/.DS_Store", b"x");
    ws.write("2025/README.txt", b"notes");
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let lines: Vec<&str> = check.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", check.stderr);
    assert!(lines[0].starts_with("warning: ws/2025/branches.xlsx is not read"));
    assert!(lines[1].starts_with("warning: ws/2025/评分表-农村.csv is not read"));
    assert!(lines[1].contains(
        "scores*, events, reviews, rectification, surveys, deductions, objections and decisions"
    ));
    // The command run says it too, and its output is as before.
    let got = evaluate(&ws);
    assert_eq!(got.code, Some(0));
    assert_eq!(got.stdout, expected.stdout);
    assert!(
        got.stderr.contains("评分表-农村.csv is not read"),
        "{}",
        got.stderr
    );
}

#[test]
fn a_year_without_a_score_sheet_is_one_problem_naming_what_is_there() {
    let ws = Ws::spec_example();
    for f in ["scores-agency.csv", "scores-mass.csv", "scores-rural.csv"] {
        ws.remove(&format!("2025/{f}"));
    }
    ws.write("2025/农村评分表.csv", "branch,level\n");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0]
            .starts_with("error: ws/2025/: no score sheets (files here, not read: 农村评分表.csv)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_notes_worksheet_is_not_read_as_scores() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    // The rural sheet as a workbook with a notes sheet, as `stars template -f xlsx` writes.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("农村").unwrap();
    for (r, line) in ws.read("2025/scores-rural.csv").lines().enumerate() {
        for (c, field) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match field.parse::<f64>() {
                Ok(v) if r > 0 => sheet.write_number(r, c, v).unwrap(),
                _ => sheet.write_string(r, c, field).unwrap(),
            };
        }
    }
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes
        .write_string(0, 0, "填表说明：每个支部每个层级一行。")
        .unwrap();
    ws.remove("2025/scores-rural.csv");
    book.save(ws.path("2025/scores-rural.xlsx")).unwrap();
    let got = evaluate(&ws);
    // Passed over, and said so.
    assert_eq!(
        (got.code, got.stderr.as_str()),
        (
            Some(0),
            "warning: ws/2025/scores-rural.xlsx: worksheets not read: 说明 (notes for people)\n"
        )
    );
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn an_output_never_lands_on_an_input_in_another_letter_case() {
    let ws = Ws::spec_example();
    rename(&ws, "2025/scores-rural.csv", "2025/Scores-Rural.csv");
    let before = ws.read("2025/Scores-Rural.csv");
    let run = ws.run(&["evaluate", "-f", "csv", "-o", "ws/2025/Scores-Rural.csv"]);
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("is an input file"), "{}", run.stderr);
    assert_eq!(ws.read("2025/Scores-Rural.csv"), before);
}
