//! Writes the seed corpus of the `workbooks` fuzz target, `fuzz/seeds/workbooks/`: small
//! valid workbooks of the spec example (and some of their XML parts), each after the byte
//! that chooses the file and the mode (see fuzz/fuzz_targets/workbooks.rs). Not a test:
//!
//!     cargo test --test fuzz_seeds -- --ignored
//!
//! `seed00`..`seed02` are also the templates the target puts a fuzzed part into.

use rust_xlsxwriter::{Format, Formula, Workbook};
use std::io::Read;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A workbook of one worksheet per (name, CSV file of the spec example), numbers as
/// numbers, dates in a `date` column as dates; then `extra` may add cells.
fn book(sheets: &[(&str, &str)], extra: impl Fn(&mut Workbook)) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, csv) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        let text =
            std::fs::read_to_string(root().join("tests/fixtures/spec-example").join(csv)).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap_or("").split(',').collect();
        for (r, line) in text.lines().enumerate() {
            for (c, field) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                let is_date = header.get(c as usize) == Some(&"date");
                if field.is_empty() {
                    continue;
                }
                if r > 0 && is_date {
                    if let Ok(d) = rust_xlsxwriter::ExcelDateTime::parse_from_str(field) {
                        sheet.write_datetime_with_format(r, c, &d, &date).unwrap();
                        continue;
                    }
                }
                match field.parse::<f64>() {
                    Ok(v) if r > 0 => sheet.write_number(r, c, v).unwrap(),
                    _ => sheet.write_string(r, c, field).unwrap(),
                };
            }
        }
    }
    extra(&mut book);
    book.save_to_buffer().unwrap()
}

/// A part of a workbook, decompressed.
fn part(book: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut f = zip.by_name(name).unwrap();
    let mut out = Vec::new();
    f.read_to_end(&mut out).unwrap();
    out
}

fn seed(dir: &Path, n: usize, pick: u8, bytes: &[u8]) {
    let mut out = vec![pick];
    out.extend_from_slice(bytes);
    std::fs::write(dir.join(format!("seed{n:02}")), out).unwrap();
}

#[test]
#[ignore = "writes fuzz/seeds/workbooks; run by hand"]
fn write_fuzz_seeds() {
    let dir = root().join("fuzz/seeds/workbooks");
    std::fs::create_dir_all(&dir).unwrap();
    let scores = book(&[("rural", "2025/scores-rural.csv")], |_| {});
    let events = book(&[("events", "2025/events.csv")], |_| {});
    let reviews = book(&[("reviews", "2025/reviews.csv")], |_| {});
    // The templates: valid, they rate as the CSV files do.
    seed(&dir, 0, 0, &scores);
    seed(&dir, 1, 1, &events);
    seed(&dir, 2, 2, &reviews);
    // A percentage, a date where a score belongs, an error formula, a notes sheet.
    let odd = book(&[("rural", "2025/scores-rural.csv")], |b| {
        let sheet = b.worksheet_from_index(0).unwrap();
        let pct = Format::new().set_num_format("0%");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_number_with_format(1, 2, 0.4, &pct).unwrap();
        sheet.write_number_with_format(2, 2, 36, &date).unwrap();
        sheet
            .write_formula(3, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        let notes = b.add_worksheet();
        notes.set_name("Notes").unwrap();
        notes.write_string(0, 0, "notes for people").unwrap();
    });
    seed(&dir, 3, 0, &odd);
    // Parts alone: (file, mode) = (pick % 3, pick / 3 % 5).
    seed(&dir, 4, 3, &part(&odd, "xl/worksheets/sheet1.xml"));
    seed(&dir, 5, 6, &part(&scores, "xl/sharedStrings.xml"));
    seed(&dir, 6, 9, &part(&odd, "xl/styles.xml"));
    seed(&dir, 7, 12, &part(&odd, "xl/workbook.xml"));
    seed(&dir, 8, 4, &part(&events, "xl/worksheets/sheet1.xml"));
    seed(&dir, 9, 5, &part(&reviews, "xl/worksheets/sheet1.xml"));
}
