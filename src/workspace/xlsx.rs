//! Excel workbooks as input: each worksheet is turned into CSV text with one line per
//! worksheet row and one field per column, so that the CSV rules and messages apply
//! unchanged and a problem's line and column are the worksheet's row and column. The file
//! is named `FILE[SHEET]` in messages.
//!
//! Numbers: a workbook stores a number as a binary double. It is written here as the
//! shortest decimal that reads back as the same double, which is the decimal the clerk
//! typed for any score of up to 15 significant digits; from there on it is exact.

use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::Text;
use calamine::{open_workbook_auto, Data, DataType, Reader};
use std::path::Path;

fn cell(d: &Data) -> String {
    let s = match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(v) => v.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => match d.as_date() {
            Some(date) => date.to_string(),
            None => d.to_string(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    };
    // A line break inside a cell would shift the line numbers of the rows after it.
    s.replace(['\r', '\n'], " ")
}

/// The worksheets of a workbook as CSV texts (only the first when `all` is false).
pub fn read(path: &Path, shown: &str, all: bool, problems: &mut Problems) -> Vec<Text> {
    let mut book = match open_workbook_auto(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::file(
                shown,
                msg!(
                    "cannot be read as an Excel workbook ({e}); expected an .xlsx file",
                    "无法作为 Excel 工作簿读取（{e}）；应为 .xlsx 文件"
                ),
            ));
            return Vec::new();
        }
    };
    let names = book.sheet_names();
    let mut out = Vec::new();
    // Of a score-sheet workbook (`all`), notes for people are not read (the rule: files.rs).
    let sheets = names
        .iter()
        .filter(|n| !all || !super::files::is_notes_sheet(n));
    for name in sheets.take(if all { usize::MAX } else { 1 }) {
        let range = match book.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::file(
                    format!("{shown}[{name}]"),
                    msg!("worksheet cannot be read ({e})", "无法读取工作表（{e}）"),
                ));
                continue;
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        let mut text = "\n".repeat(r0 as usize);
        for row in range.rows() {
            let fields =
                std::iter::repeat_n(String::new(), c0 as usize).chain(row.iter().map(cell));
            let _ = w.write_record(fields);
        }
        let _ = w.flush();
        text.push_str(&String::from_utf8_lossy(
            &w.into_inner().unwrap_or_default(),
        ));
        if range.is_empty() {
            problems.push(Problem::file(
                format!("{shown}[{name}]"),
                tr(
                    "worksheet is empty; expected a header row",
                    "工作表为空；应有表头行",
                ),
            ));
            continue;
        }
        out.push(Text {
            name: format!("{shown}[{name}]"),
            text,
        });
    }
    out
}
