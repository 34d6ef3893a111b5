//! What a spreadsheet does to a table, read exactly as the clerk meant it — title rows above
//! the header, empty trailing columns, full-width digits, year-first dates, Chinese names for
//! codes — and what could mean two things refused with what to type instead.

mod common;

use common::Ws;

fn csv_of(ws: &Ws, command: &str, year: &str) -> common::Run {
    ws.run(&[command, "--year", year, "--format", "csv"])
}

/// Every line of a file changed by `f`, the header included (line 1).
fn edit(ws: &Ws, rel: &str, f: impl Fn(usize, &str) -> String) {
    ws.map_lines(rel, |i, l| f(i, l));
}

#[test]
fn title_rows_above_the_header_and_empty_trailing_columns_are_not_data() {
    let ws = Ws::spec_example();
    let expected = csv_of(&ws, "evaluate", "2025");
    let text = ws.read("2025/scores-rural.csv");
    let mut out = String::from(
        "2025年农村党支部星级评定评分表,,,,,,,\n填表说明：每个支部每个层级一行,,,,,,,\n",
    );
    for line in text.lines() {
        out.push_str(line);
        out.push_str(",,\n");
    }
    ws.write("2025/scores-rural.csv", out);
    let got = csv_of(&ws, "evaluate", "2025");
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn a_value_past_the_header_is_one_located_problem() {
    let ws = Ws::spec_example();
    edit(&ws, "2025/scores-rural.csv", |i, l| {
        if i == 3 {
            format!("{l},,7")
        } else {
            l.to_string()
        }
    });
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "ws/2025/scores-rural.csv:3: row has a value in column 8, past the header's 6 columns"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 problem found"), "{}", run.stderr);
}

#[test]
fn full_width_digits_are_the_same_number() {
    let ws = Ws::spec_example();
    let expected = csv_of(&ws, "evaluate", "2025");
    // B01's mass overall 90, typed with a Chinese input method.
    ws.patch(
        "2025/scores-mass.csv",
        "B01,mass,90\n",
        "B01,mass,９０．０\n",
    );
    let got = csv_of(&ws, "evaluate", "2025");
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn a_percent_or_a_unit_is_refused_with_what_to_type() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,90%\n");
    ws.patch("2025/scores-mass.csv", "B02,mass,90\n", "B02,mass,90分\n");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("score `90%` is written with %: type the number alone (90, not 90%)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("score `90分` carries the unit 分: type the number alone"),
        "{}",
        run.stderr
    );
    let zh = ws.run(&["check", "--lang", "zh"]);
    assert!(zh.stderr.contains("带有百分号：只填数字"), "{}", zh.stderr);
}

#[test]
fn chinese_names_of_codes_read_as_the_codes() {
    let ws = Ws::spec_example();
    let expected = csv_of(&ws, "evaluate", "2025");
    // Field by field, so that only whole cells change.
    let to_zh = |l: &str| {
        l.split(',')
            .map(|f| match f {
                "rural" => "农村",
                "agency" => "机关",
                "self" => "自评",
                "mass" => "群众评议",
                "organization" => "组织评定",
                "approve" => "同意",
                "object" => "有异议",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    for rel in [
        "branches.csv",
        "2025/scores-rural.csv",
        "2025/scores-agency.csv",
        "2025/scores-mass.csv",
        "2025/reviews.csv",
    ] {
        edit(
            &ws,
            rel,
            |i, l| if i == 1 { l.to_string() } else { to_zh(l) },
        );
    }
    assert!(ws.read("2025/reviews.csv").contains("同意"));
    assert!(ws.read("2025/scores-mass.csv").contains("群众评议"));
    let got = csv_of(&ws, "evaluate", "2025");
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn chinese_statuses_of_rectification_read_as_the_codes() {
    let ws = Ws::fixture("spec-example-local");
    let expected = csv_of(&ws, "adjust", "2025");
    edit(&ws, "2025/rectification.csv", |_, l| {
        l.replace(",open,", ",未完成,")
            .replace(",done,", ",已整改,")
    });
    assert!(ws.read("2025/rectification.csv").contains("已整改"));
    let got = csv_of(&ws, "adjust", "2025");
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
}

#[test]
fn year_first_dates_are_read_and_others_refused() {
    let ws = Ws::spec_example();
    let expected = csv_of(&ws, "evaluate", "2025");
    ws.patch("2025/events.csv", "2025-03-02", "2025/3/2");
    ws.patch("2025/events.csv", "2025-06-18", "2025年6月18日");
    let got = csv_of(&ws, "evaluate", "2025");
    assert_eq!((got.code, got.stderr.as_str()), (Some(0), ""));
    assert_eq!(got.stdout, expected.stdout);
    // Month or day first reads differently by locale: refused.
    ws.patch("2025/events.csv", "2025/3/2", "3/2/2025");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("ws/2025/events.csv:2:3"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_header_row_that_cannot_be_found_is_one_problem() {
    let ws = Ws::spec_example();
    ws.map_lines("2025/scores-rural.csv", |i, l| {
        if i == 1 {
            "支部编号,层级,组织生活,党员管理,集体经济,书记项目".to_string()
        } else {
            l.to_string()
        }
    });
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with(
            "error: ws/2025/scores-rural.csv:1: no header row found (the first row with two or more cells has: 支部编号"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with("1 problem found\n"), "{}", run.stderr);
}
