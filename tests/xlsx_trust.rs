//! Workbooks are never misread and never trusted: a number that Excel shows as a
//! percentage or a date where a score belongs, or an error value, is a located problem;
//! a hostile workbook (a cell at XFD1048576, a huge stated dimension, a shared-string index
//! that does not exist) is refused within stated limits, with exit 1, never a panic or an
//! allocation of gigabytes.

mod common;

use common::Ws;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};
use std::io::Write;

/// Write a CSV file as one worksheet of a workbook, numbers as numbers, and let `special`
/// write a cell itself (given the 0-based row and column and the field); it returns true
/// when it did.
fn workbook(
    ws: &Ws,
    rel: &str,
    sheet_name: &str,
    out: &str,
    special: impl Fn(&mut Worksheet, u32, u16, &str) -> bool,
) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).unwrap();
    let text = ws.read(rel);
    for (r, line) in text.lines().enumerate() {
        for (c, field) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            if special(sheet, r, c, field) {
                continue;
            }
            match field.parse::<f64>() {
                Ok(v) if r > 0 && !field.is_empty() => sheet.write_number(r, c, v).unwrap(),
                _ if field.is_empty() => sheet,
                _ => sheet.write_string(r, c, field).unwrap(),
            };
        }
    }
    ws.remove(rel);
    book.save(ws.path(out)).unwrap();
}

fn evaluate(ws: &Ws) -> common::Run {
    ws.run(&["evaluate", "--year", "2025", "--format", "csv"])
}

fn refused(run: &common::Run, expected: &str) {
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains(expected), "{}", run.stderr);
}

#[test]
fn an_overall_formatted_as_a_percentage_is_refused_naming_what_excel_shows() {
    let ws = Ws::spec_example();
    // B01 (line 2) in the built-in 0% format, B02 (line 3) in a custom 0.0% format.
    workbook(
        &ws,
        "2025/scores-mass.csv",
        "mass",
        "2025/scores-mass.xlsx",
        |sheet, r, c, _| match (r, c) {
            (1, 2) => {
                let f = Format::new().set_num_format("0%");
                sheet.write_number_with_format(r, c, 0.92, &f).unwrap();
                true
            }
            (2, 2) => {
                let f = Format::new().set_num_format("0.0%");
                sheet.write_number_with_format(r, c, 0.905, &f).unwrap();
                true
            }
            _ => false,
        },
    );
    let run = evaluate(&ws);
    refused(
        &run,
        "error: ws/2025/scores-mass.xlsx[mass]:2:3: [overall] cell is formatted as a percentage \
         (Excel shows 92%, stores 0.92); expected the plain number 92: format the cell as \
         Number or General and type 92",
    );
    refused(
        &run,
        "error: ws/2025/scores-mass.xlsx[mass]:3:3: [overall] cell is formatted as a percentage \
         (Excel shows 90.5%, stores 0.905)",
    );
    let check = ws.run(&["check"]);
    refused(&check, "ws/2025/scores-mass.xlsx[mass]:2:3: [overall]");
}

#[test]
fn a_percentage_in_chinese() {
    let ws = Ws::spec_example();
    workbook(
        &ws,
        "2025/scores-mass.csv",
        "mass",
        "2025/scores-mass.xlsx",
        |sheet, r, c, _| {
            (r, c) == (1, 2) && {
                let f = Format::new().set_num_format("0%");
                sheet.write_number_with_format(r, c, 0.92, &f).unwrap();
                true
            }
        },
    );
    let run = ws.run(&["check", "--lang", "zh"]);
    refused(
        &run,
        "错误：ws/2025/scores-mass.xlsx[mass]:2:3: [overall] 单元格设置为百分比格式（Excel 显示 92%，实际存储 0.92）",
    );
}

#[test]
fn a_score_formatted_as_a_date_is_refused() {
    let ws = Ws::spec_example();
    workbook(
        &ws,
        "2025/scores-rural.csv",
        "rural",
        "2025/scores-rural.xlsx",
        |sheet, r, c, _| {
            (r, c) == (1, 2) && {
                let f = Format::new().set_num_format("yyyy-mm-dd");
                sheet.write_number_with_format(r, c, 40, &f).unwrap();
                true
            }
        },
    );
    refused(
        &evaluate(&ws),
        "error: ws/2025/scores-rural.xlsx[rural]:2:3: [C1] cell is formatted as a date or time \
         (Excel shows 1900-02-09, stores 40); expected a plain number: format the cell as \
         Number or General and type the number",
    );
}

#[test]
fn a_score_in_a_chinese_builtin_date_format_is_refused() {
    // 年月日 in a custom format; calamine and the scan both see a date.
    let ws = Ws::spec_example();
    workbook(
        &ws,
        "2025/scores-rural.csv",
        "rural",
        "2025/scores-rural.xlsx",
        |sheet, r, c, _| {
            (r, c) == (2, 3) && {
                let f = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
                sheet.write_number_with_format(r, c, 27, &f).unwrap();
                true
            }
        },
    );
    refused(
        &evaluate(&ws),
        "error: ws/2025/scores-rural.xlsx[rural]:3:4: [C2] cell is formatted as a date or time \
         (Excel shows 1900-01-27, stores 27)",
    );
}

#[test]
fn a_formula_whose_cached_value_is_an_error_is_refused() {
    let ws = Ws::spec_example();
    workbook(
        &ws,
        "2025/scores-mass.csv",
        "mass",
        "2025/scores-mass.xlsx",
        |sheet, r, c, _| {
            (r, c) == (1, 2) && {
                sheet
                    .write_formula(r, c, Formula::new("=1/0").set_result("#DIV/0!"))
                    .unwrap();
                true
            }
        },
    );
    refused(
        &evaluate(&ws),
        "error: ws/2025/scores-mass.xlsx[mass]:2:3: [overall] cell holds the error value #DIV/0! \
         (a formula that cannot be computed); expected a value: correct the formula or type the value",
    );
}

#[test]
fn an_error_value_in_a_text_column_is_refused_too() {
    let ws = Ws::spec_example();
    workbook(
        &ws,
        "2025/events.csv",
        "events",
        "2025/events.xlsx",
        |sheet, r, c, _| {
            (r, c) == (1, 3) && {
                sheet
                    .write_formula(r, c, Formula::new("=NA()").set_result("#N/A"))
                    .unwrap();
                true
            }
        },
    );
    refused(
        &ws.run(&["check"]),
        "error: ws/2025/events.xlsx[events]:2:4: [note] cell holds the error value #N/A",
    );
}

#[test]
fn real_dates_in_the_date_column_of_events_are_still_read() {
    let ws = Ws::spec_example();
    let expected = evaluate(&ws);
    assert_eq!(expected.code, Some(0), "{}", expected.stderr);
    workbook(
        &ws,
        "2025/events.csv",
        "events",
        "2025/events.xlsx",
        |sheet, r, c, field| {
            c == 2 && r > 0 && {
                // Alternate an ISO format and the Chinese one.
                let f = if r % 2 == 0 {
                    Format::new().set_num_format("yyyy-mm-dd")
                } else {
                    Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"")
                };
                let d = ExcelDateTime::parse_from_str(field).unwrap();
                sheet.write_datetime_with_format(r, c, &d, &f).unwrap();
                true
            }
        },
    );
    let got = evaluate(&ws);
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    assert_eq!(got.stdout, expected.stdout);
}

// ---- hostile workbooks, written by hand ----

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A workbook of worksheets (name, sheet XML body inside `<sheetData>`, optional extra
/// XML before it) and shared strings.
fn hostile(sheets: &[(&str, &str, &str)], strings: &[&str]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, body: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    );
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, _, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        wb.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    let s = sheets.len() + 1;
    rels.push_str(&format!(r#"<Relationship Id="rId{s}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#));
    types.push_str("</Types>");
    wb.push_str("</sheets></workbook>");
    put("[Content_Types].xml", &types);
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put("xl/workbook.xml", &wb);
    put("xl/_rels/workbook.xml.rels", &rels);
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        strings.len()
    );
    for s in strings {
        sst.push_str(&format!("<si><t>{s}</t></si>"));
    }
    sst.push_str("</sst>");
    put("xl/sharedStrings.xml", &sst);
    for (i, (_, data, before)) in sheets.iter().enumerate() {
        put(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            &format!("{SHEET_HEAD}{before}<sheetData>{data}</sheetData></worksheet>"),
        );
    }
    zip.finish().unwrap().into_inner()
}

/// Run `stars check` on the workspace under a 1 GB address-space limit when `prlimit` is
/// there (an allocation of gigabytes then fails instead of succeeding slowly).
fn check_limited(ws: &Ws) -> common::Run {
    let prlimit = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut cmd = if prlimit {
        let mut c = assert_cmd::Command::new("prlimit");
        c.arg("--as=1000000000").arg(env!("CARGO_BIN_EXE_stars"));
        c
    } else {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_stars"))
    };
    cmd.current_dir(ws.tmp.path())
        .args(["check", "--workspace", common::WS])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .timeout(std::time::Duration::from_secs(60));
    let started = std::time::Instant::now();
    let run = common::run(cmd);
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
    run
}

const HEADER_ROW: &str =
    r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#;

#[test]
fn a_cell_at_xfd1048576_is_refused_before_allocating() {
    let ws = Ws::spec_example();
    let data = format!(r#"{HEADER_ROW}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, "")], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]:1048576:16384: worksheet reaches cell XFD1048576 \
         (1048576 rows, 16384 columns); expected at most 200000 rows, 1024 columns and \
         4000000 cells from A1",
    );
}

#[test]
fn a_huge_stated_dimension_is_refused() {
    let ws = Ws::spec_example();
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(
            &[("S", HEADER_ROW, r#"<dimension ref="A1:XFD1048576"/>"#)],
            &["branch", "level"],
        ),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: the stated size (dimension A1:XFD1048576) is too \
         large: worksheet reaches cell XFD1048576",
    );
}

#[test]
fn a_shared_string_index_out_of_range_is_located() {
    let ws = Ws::spec_example();
    let data = format!(r#"{HEADER_ROW}<row r="2"><c r="A2" t="s"><v>99</v></c></row>"#);
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, "")], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]:2:1: shared string `99` does not exist (the \
         workbook has 2 shared strings); expected an index from 0 to 2 - 1",
    );
}

#[test]
fn a_shared_string_index_that_is_not_a_number_is_located_never_string_0() {
    // An index of 70 digits is cut at 64 in the message; calamine would read it as 0.
    let long = format!("{}1", "0".repeat(69));
    let cut = format!("{}…", "0".repeat(64));
    for (bad, shown) in [
        ("-1", "-1"),
        ("abc", "abc"),
        ("", ""),
        ("18446744073709551616", "18446744073709551616"),
        ("+1", "+1"),
        (long.as_str(), cut.as_str()),
    ] {
        let ws = Ws::spec_example();
        let data = format!(r#"{HEADER_ROW}<row r="2"><c r="B2" t="s"><v>{bad}</v></c></row>"#);
        ws.write(
            "2025/scores-extra.xlsx",
            hostile(&[("S", &data, "")], &["branch", "level"]),
        );
        refused(
            &check_limited(&ws),
            &format!(
                "error: ws/2025/scores-extra.xlsx[S]:2:2: shared string `{shown}` does not exist"
            ),
        );
    }
}

#[test]
fn a_cell_reference_that_does_not_parse_is_refused() {
    let ws = Ws::spec_example();
    let data = format!(r#"{HEADER_ROW}<row r="2"><c r="2A"><v>1</v></c></row>"#);
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, "")], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: cell reference `2A` is not a cell such as B2",
    );
}

#[test]
fn more_than_64_worksheets_are_refused() {
    let ws = Ws::spec_example();
    let names: Vec<String> = (1..=65).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, &str, &str)> =
        names.iter().map(|n| (n.as_str(), HEADER_ROW, "")).collect();
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&sheets, &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx: workbook has more than 64 worksheets; expected at most 64",
    );
}

#[test]
fn a_sheet_larger_than_64_mib_decompressed_is_refused_while_reading() {
    let ws = Ws::spec_example();
    // 65 MiB of empty elements between two rows compress to about 65 KB. (Elements: a
    // run of text that long is refused at 1 MiB, see the zip bomb below.)
    let padding = "<x/>".repeat(65 << 18);
    let data = format!("{HEADER_ROW}{padding}");
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, "")], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: part xl/worksheets/sheet1.xml of the workbook is \
         larger than 64 MiB once decompressed",
    );
}

#[test]
fn a_zip_bomb_is_refused_while_reading() {
    // 100 MB of zero bytes deflate to about 100 KB: read no further than 1 MiB of it (a
    // run of text is held whole by the XML reader, three times its size while it grows).
    let ws = Ws::spec_example();
    let bomb = "\0".repeat(100_000_000);
    let data = format!("{HEADER_ROW}{bomb}");
    drop(bomb);
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, "")], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: part xl/worksheets/sheet1.xml of the workbook has \
         more than 1 MiB of text in one piece (a text, a tag or a comment); expected cells of \
         at most 32767 characters",
    );
}

#[test]
fn more_than_100000_merged_ranges_are_refused() {
    let ws = Ws::spec_example();
    let data = format!(r#"{HEADER_ROW}<row r="2"><c r="A2"><v>1</v></c></row>"#);
    let mut merges = String::from("<mergeCells>");
    for r in 0..100_001u32 {
        merges.push_str(&format!(r#"<mergeCell ref="A{0}:B{0}"/>"#, r + 2));
    }
    merges.push_str("</mergeCells>");
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, &merges)], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: worksheet has more than 100000 merged ranges; expected at most 100000",
    );
}

/// Merged ranges one over another, each filled cell by cell: the cells filled are counted,
/// and refused past the limit of a worksheet's cells before they are.
#[test]
fn merged_ranges_covering_more_cells_than_a_worksheet_holds_are_refused() {
    let ws = Ws::spec_example();
    let data = format!(
        r#"{HEADER_ROW}<row r="2"><c r="A2"><v>1</v></c></row><row r="2000"><c r="B2000"><v>1</v></c></row>"#
    );
    let mut merges = String::from("<mergeCells>");
    for _ in 0..1001 {
        merges.push_str(r#"<mergeCell ref="A2:B2000"/>"#);
    }
    merges.push_str("</mergeCells>");
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, &merges)], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: merged ranges cover more than 4000000 cells; expected merged cells of a table only",
    );
}

#[test]
fn a_merged_range_that_is_not_a_range_is_refused() {
    let ws = Ws::spec_example();
    let data = HEADER_ROW.to_string();
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(
            &[(
                "S",
                &data,
                r#"<mergeCells><mergeCell ref="A2:"/></mergeCells>"#,
            )],
            &["branch", "level"],
        ),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: merged range `A2:` is not a cell range such as A2:A4",
    );
}

/// Formulas without a saved value are told cell by cell up to 1,000; a worksheet with more
/// is refused whole, before any is kept.
#[test]
fn more_than_1000_formulas_without_a_saved_value_refuse_the_worksheet() {
    let ws = Ws::spec_example();
    let mut data = HEADER_ROW.to_string();
    for r in 2..1003u32 {
        data.push_str(&format!(r#"<row r="{r}"><c r="C{r}"><f>1+1</f></c></row>"#));
    }
    ws.write(
        "2025/scores-extra.xlsx",
        hostile(&[("S", &data, "")], &["branch", "level"]),
    );
    refused(
        &check_limited(&ws),
        "error: ws/2025/scores-extra.xlsx[S]: worksheet has more than 1000 formulas with no saved value",
    );
}

/// A workbook's doubtful cells are kept up to the number listed of a file, the others only
/// counted: 300 error values list 200 and count 100, as problems of a CSV file are.
#[test]
fn doubtful_cells_are_kept_as_problems_are_the_others_counted() {
    let ws = Ws::spec_example();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("events").unwrap();
    for (c, h) in ["branch", "item", "date", "note"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=300u32 {
        sheet.write_string(r, 0, "B04").unwrap();
        sheet.write_string(r, 1, "P1").unwrap();
        sheet.write_string(r, 2, "2025-03-02").unwrap();
        sheet
            .write_formula(r, 3, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
    }
    ws.remove("2025/events.csv");
    book.save(ws.path("2025/events.xlsx")).unwrap();
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    let listed = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .count();
    assert_eq!(listed, 200, "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "… and 100 more problems in ws/2025/events.xlsx[events]\n300 problems found\n"
        ),
        "{}",
        run.stderr
    );
}
