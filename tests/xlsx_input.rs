//! Excel workbooks as input: an .xlsx copy of the spec example's sheets rates exactly like
//! the CSV, and a problem in a workbook names the file, the worksheet, the row and the column.

mod common;

use common::Ws;
use rust_xlsxwriter::Workbook;

/// Write CSV files as the worksheets of one workbook, numbers as numbers, as Excel keeps them.
fn workbook(ws: &Ws, sheets: &[(&str, &str)], out: &str) {
    let mut book = Workbook::new();
    for (name, rel) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        let text = ws.read(rel);
        for (r, line) in text.lines().enumerate() {
            for (c, field) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                match field.parse::<f64>() {
                    Ok(v) if r > 0 && !field.is_empty() => sheet.write_number(r, c, v).unwrap(),
                    _ if field.is_empty() => sheet,
                    _ => sheet.write_string(r, c, field).unwrap(),
                };
            }
        }
        ws.remove(rel);
    }
    book.save(ws.path(out)).unwrap();
}

fn evaluate(ws: &Ws) -> common::Run {
    ws.run(&["evaluate", "--year", "2025", "--format", "csv"])
}

#[test]
fn an_xlsx_copy_rates_exactly_like_the_csv() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    assert_eq!(expected.code, Some(0), "{}", expected.stderr);
    let expected_rectify = ws.run(&["rectify", "--format", "csv"]);
    workbook(
        &ws,
        &[
            ("agency", "2025/scores-agency.csv"),
            ("mass", "2025/scores-mass.csv"),
            ("rural", "2025/scores-rural.csv"),
        ],
        "2025/scores.xlsx",
    );
    workbook(&ws, &[("events", "2025/events.csv")], "2025/events.xlsx");
    workbook(&ws, &[("reviews", "2025/reviews.csv")], "2025/reviews.xlsx");
    let got = evaluate(&ws);
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    assert_eq!(got.stdout, expected.stdout);
    assert_eq!(
        ws.run(&["rectify", "--format", "csv"]).stdout,
        expected_rectify.stdout
    );
    let check = ws.run(&["check"]);
    assert_eq!((check.code, check.stderr.as_str()), (Some(0), ""));
    // An opinion's source names its worksheet, as a score's does.
    let explain = ws.run(&["explain", "B01", "--format", "json"]);
    assert!(
        explain.stdout.contains("2025/reviews.xlsx[reviews]:2\""),
        "{}",
        explain.stdout
    );
}

#[test]
fn a_bad_cell_in_a_workbook_names_file_sheet_row_and_column() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-rural.csv", "B02,self,40,", "B02,self,abc,");
    workbook(
        &ws,
        &[("rural", "2025/scores-rural.csv")],
        "2025/scores-rural.xlsx",
    );
    let run = evaluate(&ws);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "error: ws/2025/scores-rural.xlsx[rural]:4:3: [C1] score `abc` is not a number"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn both_csv_and_xlsx_of_one_table_is_an_error() {
    let ws = Ws::spec_example();
    ws.write("2025/events.xlsx", b"not a workbook");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("ws/2025/events.xlsx: both ws/2025/events.csv and this file exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_located() {
    let ws = Ws::spec_example();
    ws.write("2025/scores-extra.xlsx", b"not a workbook");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("ws/2025/scores-extra.xlsx: cannot be read as an Excel workbook"),
        "{}",
        run.stderr
    );
}
