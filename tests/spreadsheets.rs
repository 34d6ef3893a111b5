//! Every sheet comes back as a spreadsheet program saves it (issue 28): workbooks written
//! here with rust_xlsxwriter as Excel and WPS write them — dates in date formats, title and
//! sub-title rows, merged cells, empty and extra worksheets, formulas without a saved value —
//! and CSV files saved with `;` or tabs, as GBK, UTF-8 and a mix. Each is read exactly as
//! meant, or refused with where it is and what to type.

mod common;

use common::Ws;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

fn evaluate(ws: &Ws) -> common::Run {
    ws.run(&["evaluate", "--year", "2025", "--format", "csv"])
}

/// The CSV lines of a file of the workspace, split at commas.
fn rows(ws: &Ws, rel: &str) -> Vec<Vec<String>> {
    ws.read(rel)
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// Write a row of text: numbers as numbers (past the header), text as text.
fn write_row(sheet: &mut Worksheet, r: u32, cells: &[String], numbers: bool) {
    for (c, field) in cells.iter().enumerate() {
        let c = c as u16;
        match field.parse::<f64>() {
            _ if field.is_empty() => {}
            Ok(v) if numbers => {
                sheet.write_number(r, c, v).unwrap();
            }
            _ => {
                sheet.write_string(r, c, field).unwrap();
            }
        }
    }
}

/// A worksheet with a title merged over the table's width and a sub-title row of two cells
/// above the header, as a clerk lays out a form; the table from row 4.
fn titled(sheet: &mut Worksheet, width: u16, table: &[Vec<String>]) -> u32 {
    let title = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, width - 1, "2025年度星级评定材料", &title)
        .unwrap();
    sheet.write_string(1, 0, "填报单位：大王镇党委").unwrap();
    sheet.write_string(1, 2, "填报日期：2026年1月5日").unwrap();
    for (k, row) in table.iter().enumerate() {
        write_row(sheet, 3 + k as u32, row, k > 0);
    }
    3
}

#[test]
fn real_dates_in_any_display_format_under_a_title_are_dates() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    let table = rows(&ws, "2025/events.csv");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("事项").unwrap();
    let top = titled(sheet, 4, &table[..1]);
    let formats = [
        "yyyy-mm-dd",
        "yyyy\"年\"m\"月\"d\"日\"",
        "m/d/yyyy",
        "yyyy/m/d h:mm",
    ];
    for (k, row) in table.iter().enumerate().skip(1) {
        let r = top + k as u32;
        write_row(sheet, r, &[row[0].clone(), row[1].clone()], false);
        let d: Vec<u16> = row[2].split('-').map(|p| p.parse().unwrap()).collect();
        let date = ExcelDateTime::from_ymd(d[0], d[1] as u8, d[2] as u8).unwrap();
        let f = Format::new().set_num_format(formats[k % formats.len()]);
        sheet.write_datetime_with_format(r, 2, &date, &f).unwrap();
        sheet.write_string(r, 3, &row[3]).unwrap();
    }
    ws.remove("2025/events.csv");
    book.save(ws.path("2025/events.xlsx")).unwrap();
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
    // Where each event came from: the worksheet's row, under the title.
    let explain = ws.run(&["explain", "B04", "--format", "csv"]);
    assert!(
        explain.stdout.contains("2025/events.xlsx[事项]:5"),
        "{}",
        explain.stdout
    );
}

#[test]
fn a_date_in_a_score_column_is_still_refused_under_a_title() {
    let ws = Ws::spec_example();
    let table = rows(&ws, "2025/scores-rural.csv");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("rural").unwrap();
    let top = titled(sheet, 6, &table);
    let f = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_number_with_format(top + 1, 2, 40, &f).unwrap();
    ws.remove("2025/scores-rural.csv");
    book.save(ws.path("2025/scores-rural.xlsx")).unwrap();
    let run = evaluate(&ws);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: ws/2025/scores-rural.xlsx[rural]:5:3: [C1] cell is formatted as a date or time (Excel shows 1900-02-09, stores 40)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with("1 problem found\n"), "{}", run.stderr);
}

/// The spec example's three score sheets as the worksheets of one workbook, with whatever
/// else `more` adds.
fn score_book(ws: &Ws, more: impl FnOnce(&mut Workbook)) {
    let mut book = Workbook::new();
    for (name, rel) in [
        ("agency", "2025/scores-agency.csv"),
        ("mass", "2025/scores-mass.csv"),
        ("rural", "2025/scores-rural.csv"),
    ] {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows(ws, rel).iter().enumerate() {
            write_row(sheet, r as u32, row, r > 0);
        }
        ws.remove(rel);
    }
    more(&mut book);
    book.save(ws.path("2025/scores.xlsx")).unwrap();
}

#[test]
fn empty_sheets_notes_and_sheets_without_a_header_are_passed_over_and_named() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    score_book(&ws, |book| {
        book.add_worksheet().set_name("Sheet2").unwrap();
        book.add_worksheet().set_name("Sheet3").unwrap();
        let notes = book.add_worksheet().set_name("备注").unwrap();
        notes.write_string(0, 0, "各村数据由包村干部核对").unwrap();
        let summary = book.add_worksheet().set_name("汇总").unwrap();
        summary.write_string(0, 0, "村名").unwrap();
        summary.write_string(0, 1, "合计").unwrap();
        summary.write_string(1, 0, "大王村").unwrap();
        summary.write_number(1, 1, 92).unwrap();
    });
    let got = evaluate(&ws);
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    assert_eq!(got.stdout, expected.stdout);
    assert_eq!(
        got.stderr,
        "warning: ws/2025/scores.xlsx: worksheets not read: Sheet2, Sheet3 (empty); 备注 (notes for people); 汇总 (no header row: no row names a column of this table)\n"
    );
    let zh = ws.run(&["check", "--lang", "zh"]);
    assert_eq!(zh.code, Some(0), "{}", zh.stderr);
    assert_eq!(
        zh.stderr,
        "提示：ws/2025/scores.xlsx：未读取的工作表：Sheet2、Sheet3（空白）；备注（给人看的说明）；汇总（没有表头行：没有一行写有此表的列名）\n"
    );
}

#[test]
fn a_workbook_of_empty_sheets_is_one_problem() {
    let ws = Ws::spec_example();
    let mut book = Workbook::new();
    book.add_worksheet();
    book.add_worksheet().set_name("说明").unwrap();
    book.save(ws.path("2025/scores-extra.xlsx")).unwrap();
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "error: ws/2025/scores-extra.xlsx: no worksheet holds a table (each is empty, or notes for people); expected a worksheet with a header row\n1 problem found\n"
    );
}

#[test]
fn events_on_two_worksheets_are_refused_not_half_read() {
    let ws = Ws::spec_example();
    let table = rows(&ws, "2025/events.csv");
    let mut book = Workbook::new();
    for (name, part) in [("上半年", &table[..5]), ("下半年", &table[5..])] {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        if name == "下半年" {
            write_row(sheet, 0, &table[0], false);
        }
        for (r, row) in part.iter().enumerate() {
            let r = r as u32 + u32::from(name == "下半年");
            write_row(sheet, r, row, false);
        }
    }
    ws.remove("2025/events.csv");
    book.save(ws.path("2025/events.xlsx")).unwrap();
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "error: ws/2025/events.xlsx[下半年]: a second worksheet with this table (the first is worksheet 上半年); expected the table on one worksheet"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_id_merged_over_its_level_rows_counts_for_each() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    // The rural sheet with a name column; each branch's id and name merged over its rows
    // (two or three), as Chinese forms are laid out.
    let table = rows(&ws, "2025/scores-rural.csv");
    let branches = rows(&ws, "branches.csv");
    let name_of = |id: &str| {
        branches
            .iter()
            .find(|b| b[0] == id)
            .map(|b| b[1].clone())
            .unwrap()
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("农村").unwrap();
    let mut header = table[0].clone();
    header.insert(1, "name".into());
    let top = titled(sheet, header.len() as u16, &[header]);
    let plain = Format::new();
    let mut r = top + 1;
    let mut k = 1;
    while k < table.len() {
        let id = table[k][0].clone();
        let n = table[k..].iter().take_while(|row| row[0] == id).count();
        for (j, row) in table[k..k + n].iter().enumerate() {
            let mut cells = row.clone();
            cells[0].clear();
            cells.insert(1, String::new());
            write_row(sheet, r + j as u32, &cells, true);
        }
        let last = r + n as u32 - 1;
        if n > 1 {
            sheet.merge_range(r, 0, last, 0, &id, &plain).unwrap();
            sheet
                .merge_range(r, 1, last, 1, &name_of(&id), &plain)
                .unwrap();
        } else {
            sheet.write_string(r, 0, &id).unwrap();
            sheet.write_string(r, 1, name_of(&id)).unwrap();
        }
        r = last + 1;
        k += n;
    }
    ws.remove("2025/scores-rural.csv");
    book.save(ws.path("2025/scores-rural.xlsx")).unwrap();
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn title_and_sub_title_rows_above_a_csv_header_are_passed_over() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    for rel in [
        "2025/events.csv",
        "2025/reviews.csv",
        "2025/scores-rural.csv",
    ] {
        let text = ws.read(rel);
        ws.write(
            rel,
            format!(
                "2025年度星级评定,,,\n\n填报单位：大王镇党委,,填报日期：2026年1月5日,\n说明：每行一条,,,\n{text}"
            ),
        );
    }
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
    // A problem is still told at its line of the file.
    ws.patch("2025/events.csv", "B04,P1,", "B04,P9,");
    let run = ws.run(&["check"]);
    assert!(
        run.stderr
            .contains("ws/2025/events.csv:6:2: [item] unknown item `P9`"),
        "{}",
        run.stderr
    );
}

#[test]
fn codes_typed_in_chinese_as_stars_prints_them_are_read() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    ws.map_lines("2025/reviews.csv", |i, l| {
        if i == 1 {
            return l.to_string();
        }
        l.replace(",discipline,", ",纪检监察,")
            .replace(",law_enforcement,", ",行政执法,")
            .replace(",industry,", ",行业监管,")
            .replace(",approve,", ",同意,")
            .replace(",object,", ",有异议,")
    });
    assert!(ws.read("2025/reviews.csv").contains("B02,行政执法,有异议,"));
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
    // The legend shows every name a clerk may type.
    let legend = ws.run(&[
        "template", "rural", "--legend", "--lang", "zh", "-f", "markdown",
    ]);
    for name in [
        "纪检监察",
        "行政执法",
        "行业监管",
        "同意",
        "已完成",
        "群众评议",
        "农村",
    ] {
        assert!(legend.stdout.contains(name), "{name}: {}", legend.stdout);
    }
}

#[test]
fn a_formula_without_a_saved_value_is_refused_with_what_to_do() {
    // rust_xlsxwriter writes formulas as programs that do not calculate do: a placeholder
    // 0 (or nothing, for LibreOffice) and `fullCalcOnLoad`.
    for default in [None, Some("")] {
        let ws = Ws::spec_example();
        let table = rows(&ws, "2025/scores-mass.csv");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("mass").unwrap();
        if let Some(d) = default {
            sheet.set_formula_result_default(d);
        }
        for (r, row) in table.iter().enumerate() {
            write_row(sheet, r as u32, row, r > 0);
        }
        sheet.write_formula(1, 2, Formula::new("=45*2")).unwrap();
        ws.remove("2025/scores-mass.csv");
        book.save(ws.path("2025/scores-mass.xlsx")).unwrap();
        let run = evaluate(&ws);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert_eq!(
            run.stderr,
            "error: ws/2025/scores-mass.xlsx[mass]:2:3: [overall] cell holds a formula (=45*2) with no saved value (the workbook was written by a program that does not calculate); expected a value: open the workbook in Excel or WPS and save it, so that the value is saved with it, or type the value\n1 problem found\n",
            "{default:?}"
        );
    }
}

#[test]
fn a_csv_saved_with_semicolons_or_tabs_is_read() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    let semi = ws.read("2025/scores-rural.csv").replace(',', ";");
    ws.write("2025/scores-rural.csv", format!("农村评分表;;;;;\n{semi}"));
    let tabs = ws.read("2025/events.csv").replace(',', "\t");
    ws.write("2025/events.csv", tabs);
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
    // Its problems are located as in any CSV file.
    ws.patch("2025/scores-rural.csv", "B02;self;40;", "B02;self;abc;");
    let run = ws.run(&["check"]);
    assert!(
        run.stderr
            .contains("error: ws/2025/scores-rural.csv:5:3: [C1] score `abc` is not a number"),
        "{}",
        run.stderr
    );
}

#[test]
fn ids_that_lost_their_leading_zeros_are_named_with_the_id_meant() {
    let ws = Ws::spec_example();
    // Ids of digits, as a town numbers its branches: 001 for B01 …
    for rel in [
        "branches.csv",
        "2025/scores-rural.csv",
        "2025/scores-agency.csv",
        "2025/scores-mass.csv",
        "2025/events.csv",
        "2025/reviews.csv",
    ] {
        let text = ws.read(rel);
        let mut out = String::new();
        for line in text.lines() {
            let (id, rest) = line.split_once(',').unwrap();
            let id = match id.strip_prefix('B') {
                Some(n) => format!("0{n}"),
                None => id.to_string(),
            };
            out.push_str(&format!("{id},{rest}\n"));
        }
        ws.write(rel, out);
    }
    let expected = evaluate(&ws);
    assert_eq!(expected.code, Some(0), "{}", expected.stderr);
    // … which Excel shows as 1, 2 … in a column formatted as General.
    ws.patch("2025/events.csv", "\n004,P1,", "\n4,P1,");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "error: ws/2025/events.csv:2:1: [branch] unknown branch `4`, but branch `004` exists: a spreadsheet dropped its leading zeros; expected 004: format the column as Text before typing, or type '004"
        ),
        "{}",
        run.stderr
    );
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

#[test]
fn csv_saved_as_gbk_or_utf8_is_read_and_a_mix_is_refused_at_its_line() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    // Notes in Chinese, the file saved as GBK (Excel's CSV on a Chinese system).
    let text: String = (ws.read("2025/events.csv").lines().enumerate())
        .map(|(i, l)| match i {
            0 => format!("{l}\n"),
            _ => format!("{},县级通报第{i}号\n", l.rsplit_once(',').unwrap().0),
        })
        .collect();
    ws.write("2025/events.csv", gbk(&text));
    let got = evaluate(&ws);
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
    // UTF-8 with a byte-order mark (CSV UTF-8).
    ws.write("2025/events.csv", format!("\u{feff}{text}"));
    assert_eq!(evaluate(&ws).stdout, expected.stdout);
    // GBK, but line 6 pasted in as UTF-8: never read garbled.
    let lines: Vec<&str> = text.lines().collect();
    let mut mixed = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = format!("{line}\n");
        mixed.extend(if i == 5 {
            line.into_bytes()
        } else {
            gbk(&line)
        });
    }
    ws.write("2025/events.csv", &mixed);
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "error: ws/2025/events.csv:6: line 6 is saved as UTF-8, but line 2 before it as GB18030/GBK; expected one encoding for the whole file (read either way, part of it would be garbled): open the file, correct line 6 and save the whole file again, as CSV UTF-8 or CSV (comma delimited)\n1 problem found\n"
    );
    // UTF-8, with one GBK line: that line, not line 1.
    let mut branches = ws.read("branches.csv").replace("East Village", "东村");
    branches = branches.replace("Hill Village", "山村");
    let mut bytes = Vec::new();
    for (i, line) in branches.lines().enumerate() {
        let line = format!("{line}\n");
        bytes.extend(if i == 6 {
            gbk(&line)
        } else {
            line.into_bytes()
        });
    }
    ws.write("branches.csv", &bytes);
    let run = ws.run(&["check"]);
    assert!(
        run.stderr.starts_with(
            "error: ws/branches.csv:7: line 7 is saved as GB18030/GBK, but line 2 before it as UTF-8"
        ),
        "{}",
        run.stderr
    );
}

/// A cell that could mean two things is told once, at the cell: not again by the rules of
/// its column (a score `#DIV/0!` "is not a number"), and not at all on a worksheet that is
/// not read.
#[test]
fn a_doubtful_cell_is_told_once_and_only_where_it_is_read() {
    let ws = Ws::spec_example();
    let table = rows(&ws, "2025/scores-rural.csv");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("rural").unwrap();
    for (r, row) in table.iter().enumerate() {
        write_row(sheet, r as u32, row, r > 0);
    }
    sheet
        .write_formula(1, 2, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    let other = book.add_worksheet().set_name("汇总").unwrap();
    other.write_string(0, 0, "村").unwrap();
    other.write_string(0, 1, "得分").unwrap();
    other
        .write_formula(1, 1, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.remove("2025/scores-rural.csv");
    book.save(ws.path("2025/scores-rural.xlsx")).unwrap();
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "warning: ws/2025/scores-rural.xlsx: worksheets not read: 汇总 (no header row: no row names a column of this table)\n\
         error: ws/2025/scores-rural.xlsx[rural]:2:3: [C1] cell holds the error value #DIV/0! (a formula that cannot be computed); expected a value: correct the formula or type the value\n\
         1 problem found\n"
    );
}
