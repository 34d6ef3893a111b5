//! Excel workbooks as input: each worksheet is turned into CSV text with one line per
//! worksheet row and one field per column, so that the CSV rules and messages apply
//! unchanged and a problem's line and column are the worksheet's row and column. The file
//! is named `FILE[SHEET]` in messages.
//!
//! Numbers: a workbook stores a number as a binary double. It is written here as the
//! shortest decimal that reads back as the same double, which is the decimal the clerk
//! typed for any score of up to 15 significant digits; from there on it is exact.
//!
//! Never a misread cell: before calamine reads a worksheet, [`scan`] reads the workbook's
//! XML within stated limits (the number of worksheets, the decompressed size of each part,
//! the rows, columns and cells a worksheet reaches, shared-string indices) and notes the
//! number cells formatted as a percentage or a date. A worksheet that breaks a limit is not
//! given to calamine at all. Then, while the worksheet becomes CSV text, each cell is
//! checked here with its column's header, and a problem located `FILE[SHEET]:ROW:COL` is
//! pushed for: a number shown as a percentage (Excel shows 92%, stores 0.92) anywhere; a
//! number shown as a date or time outside a `date` column; an error value (`#DIV/0!`,
//! also as a formula's cached text) anywhere. The cell still gets its stored value in the
//! text (so the CSV rules add no second, misleading message about it), and the problem
//! makes the command exit 1.

use crate::i18n::{msg, tr};
use crate::problem::{Location, Problem, Problems};
use crate::source::Text;
use calamine::{open_workbook_auto, Data, DataType, Reader};
use scan::Kind;
use std::collections::HashMap;
use std::path::Path;

#[path = "xlsx_scan.rs"]
mod scan;

/// The headers of the columns where a date belongs (or their Chinese names,
/// [`crate::aliases`]): events' and deductions' `date`, objections' `received` and
/// `answered`.
const DATE_COLUMNS: &[&str] = &["date", "received", "answered"];

/// The values of Excel's errors, as a cell shows them.
const ERRORS: &[&str] = &[
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#DATA!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#EXTERNAL!",
    "#PYTHON!",
];

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
        Data::Error(e) => e.to_string(),
    };
    // A line break inside a cell would shift the line numbers of the rows after it.
    s.replace(['\r', '\n'], " ")
}

/// A date serial number as Excel shows it, `2025-03-01` or `2025-03-01 08:30:00`, in the
/// 1900 date system or (`date1904`) the 1904 one.
fn serial_date(v: f64, date1904: bool) -> Option<chrono::NaiveDateTime> {
    if !v.is_finite() || !(0.0..3_000_000.0).contains(&v) {
        return None;
    }
    // Excel's 1900 system counts a 29 February 1900 that never was.
    let base = match (date1904, v < 61.0) {
        (true, _) => (1904, 1, 1),
        (false, true) => (1899, 12, 31),
        (false, false) => (1899, 12, 30),
    };
    let days = v.floor();
    let secs = ((v - days) * 86_400.0).round() as i64;
    chrono::NaiveDate::from_ymd_opt(base.0, base.1, base.2)?
        .and_hms_opt(0, 0, 0)?
        .checked_add_signed(chrono::TimeDelta::try_days(days as i64)?)?
        .checked_add_signed(chrono::TimeDelta::try_seconds(secs)?)
}

fn shown_datetime(dt: chrono::NaiveDateTime) -> String {
    if dt.time() == chrono::NaiveTime::MIN {
        dt.date().to_string()
    } else {
        dt.to_string()
    }
}

/// 100 times a number, as a percentage format shows it (`0.92` gives `92`).
fn percent(v: f64) -> String {
    use std::str::FromStr;
    match rust_decimal::Decimal::from_str(&v.to_string()) {
        Ok(d) => match d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED) {
            Some(p) => p.normalize().to_string(),
            None => (v * 100.0).to_string(),
        },
        Err(_) => (v * 100.0).to_string(),
    }
}

/// The text of a cell, or the text and the problem with it.
fn checked(
    d: &Data,
    kind: Option<Kind>,
    date_column: bool,
    date1904: bool,
) -> Result<String, (String, String)> {
    let number = match d {
        Data::Float(v) => Some(*v),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    };
    match (d, kind, number) {
        (Data::Error(e), ..) => {
            let e = e.to_string();
            Err((e.clone(), error_message(&e)))
        }
        (Data::String(s), ..) if ERRORS.contains(&s.trim()) => {
            Err((s.clone(), error_message(s.trim())))
        }
        (_, Some(Kind::Percent), Some(v)) => {
            let p = percent(v);
            let stored = cell(d);
            Err((
                stored.clone(),
                msg!(
                    "cell is formatted as a percentage (Excel shows {p}%, stores {stored}); expected the plain number {p}: format the cell as Number or General and type {p}",
                    "单元格设置为百分比格式（Excel 显示 {p}%，实际存储 {stored}）；应为普通数字 {p}：请将单元格格式设为“数值”或“常规”，再输入 {p}"
                ),
            ))
        }
        (_, Some(Kind::Date), Some(v)) if date_column => Ok(match serial_date(v, date1904) {
            Some(dt) => dt.date().to_string(),
            None => cell(d),
        }),
        (Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_), ..) if date_column => {
            Ok(cell(d))
        }
        (Data::DateTime(dt), ..) => {
            let stored = dt.as_f64();
            let shown = d
                .as_datetime()
                .map(shown_datetime)
                .unwrap_or_else(|| cell(d));
            Err((stored.to_string(), date_message(&shown, stored)))
        }
        (Data::DateTimeIso(s) | Data::DurationIso(s), ..) => {
            Err((s.clone(), date_message(s, f64::NAN)))
        }
        (_, Some(Kind::Date), Some(v)) => {
            let shown = serial_date(v, date1904)
                .map(shown_datetime)
                .unwrap_or_else(|| cell(d));
            Err((cell(d), date_message(&shown, v)))
        }
        _ => Ok(cell(d)),
    }
}

fn error_message(e: &str) -> String {
    msg!(
        "cell holds the error value {e} (a formula that cannot be computed); expected a value: correct the formula or type the value",
        "单元格为错误值 {e}（公式无法计算）；应为一个值：请修正公式或直接输入数值"
    )
}

fn date_message(shown: &str, stored: f64) -> String {
    if stored.is_nan() {
        return msg!(
            "cell is a date or time (it shows {shown}); expected a plain number: format the cell as Number or General and type the number",
            "单元格为日期或时间（显示为 {shown}）；应为普通数字：请将单元格格式设为“数值”或“常规”，再输入数字"
        );
    }
    msg!(
        "cell is formatted as a date or time (Excel shows {shown}, stores {stored}); expected a plain number: format the cell as Number or General and type the number",
        "单元格设置为日期或时间格式（Excel 显示 {shown}，实际存储 {stored}）；应为普通数字：请将单元格格式设为“数值”或“常规”，再输入数字"
    )
}

/// A problem at a cell (0-based row and column), with its column's header when it has one.
fn at(sheet: &str, row: u32, col: u32, header: Option<&str>, message: String) -> Problem {
    let (line, column) = (row as usize + 1, col as usize + 1);
    match header.filter(|h| !h.is_empty()) {
        Some(h) => Problem::cell(sheet, line, column, h, message),
        None => Problem {
            location: Location::Line {
                line,
                column: Some(column),
                field: None,
            },
            ..Problem::file(sheet, message)
        },
    }
}

/// The worksheets of a workbook as CSV texts: those whose name `data` accepts, or only the
/// first when there is no `data` (the reader's rule of which worksheets are data is the
/// workspace's, given here).
pub fn read(
    path: &Path,
    shown: &str,
    data: Option<fn(&str) -> bool>,
    problems: &mut Problems,
) -> Vec<Text> {
    let all = data.is_some();
    // A regular file only: a FIFO would hang the opening, a device never end.
    if let Err(r) = crate::source::open_input(path, crate::source::MAX_FILE_BYTES) {
        problems.push(Problem::file(shown, r.message()));
        return Vec::new();
    }
    let mut scanned = match scan::Book::open(path) {
        Ok(s) => s,
        Err(m) => {
            problems.push(Problem::file(shown, m));
            return Vec::new();
        }
    };
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
    let sheets = names.iter().filter(|n| data.is_none_or(|data| data(n)));
    for name in sheets.take(if all { usize::MAX } else { 1 }) {
        let sheet_shown = format!("{shown}[{name}]");
        let date1904 = scanned.as_ref().is_some_and(|(b, _)| b.date1904);
        let kinds = match scanned.as_mut().and_then(|(b, zip)| b.sheet(zip, name)) {
            Some(s) if !s.problems.is_empty() => {
                for f in s.problems {
                    problems.push(match f.cell {
                        Some((r, c)) => at(&sheet_shown, r, c, None, f.message),
                        None => Problem::file(&sheet_shown, f.message),
                    });
                }
                continue;
            }
            Some(s) => s.kinds,
            None => HashMap::new(),
        };
        let range = match book.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::file(
                    &sheet_shown,
                    msg!("worksheet cannot be read ({e})", "无法读取工作表（{e}）"),
                ));
                continue;
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let header: Vec<String> = match range.rows().next() {
            Some(row) if r0 == 0 => row.iter().map(|d| cell(d).trim().to_string()).collect(),
            _ => Vec::new(),
        };
        let head = |c: u32| {
            c.checked_sub(c0)
                .and_then(|i| header.get(i as usize))
                .map(String::as_str)
        };
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        let mut text = "\n".repeat(r0 as usize);
        for (i, row) in range.rows().enumerate() {
            let r = r0.saturating_add(i as u32);
            let fields = row.iter().enumerate().map(|(j, d)| {
                let c = c0.saturating_add(j as u32);
                let h = head(c);
                let date_column = h.is_some_and(|h| {
                    DATE_COLUMNS
                        .contains(&crate::aliases::resolve(crate::aliases::Vocab::Column, h))
                });
                match checked(d, kinds.get(&(r, c)).copied(), date_column, date1904) {
                    Ok(t) => t,
                    Err((t, m)) => {
                        problems.push(at(&sheet_shown, r, c, h, m));
                        t.replace(['\r', '\n'], " ")
                    }
                }
            });
            let fields = std::iter::repeat_n(String::new(), c0 as usize).chain(fields);
            let _ = w.write_record(fields);
        }
        let _ = w.flush();
        text.push_str(&String::from_utf8_lossy(
            &w.into_inner().unwrap_or_default(),
        ));
        if range.is_empty() {
            problems.push(Problem::file(
                &sheet_shown,
                tr(
                    "worksheet is empty; expected a header row",
                    "工作表为空；应有表头行",
                ),
            ));
            continue;
        }
        out.push(Text {
            name: sheet_shown,
            text,
        });
    }
    out
}
