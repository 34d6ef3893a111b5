//! Lists a committee can use as printed: the publicity window as practised (days counted
//! first and last included, working days, holidays, 调休, a given start), the notice with
//! nothing but what is posted, the responsibility and deadline lists grouped with counts,
//! the score sheet template with a byte-order mark, and the bottom lines missed.

mod common;

use common::{Run, Ws};

fn ok(run: &Run) {
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
}

/// The publicity window of the spec example's five-star branches (all share it).
fn window(ws: &Ws) -> (String, String) {
    let run = ws.run(&["publicity", "-f", "csv"]);
    ok(&run);
    let mut r = csv::Reader::from_reader(run.stdout.as_bytes());
    let h = r.headers().unwrap().clone();
    let rec = r.records().next().unwrap().unwrap();
    let field = |k: &str| {
        rec.get(h.iter().position(|x| x == k).unwrap())
            .unwrap()
            .to_string()
    };
    (field("publicity_start"), field("publicity_end"))
}

fn with_publicity(toml: &str) -> Ws {
    let ws = Ws::spec_example();
    ws.append("stars.toml", &format!("\n[publicity]\n{toml}\n"));
    ws
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

// ---------------------------------------------------------------------------------------
// publicity

#[test]
fn five_days_are_five_days_from_the_day_after_the_evaluation() {
    // Evaluated Saturday 2025-12-20: Sunday 21 to Thursday 25, both included.
    assert_eq!(
        window(&Ws::spec_example()),
        pair("2025-12-21", "2025-12-25")
    );
    assert_eq!(
        window(&with_publicity("days = 1")),
        pair("2025-12-21", "2025-12-21")
    );
    assert_eq!(
        window(&with_publicity("days = 7")),
        pair("2025-12-21", "2025-12-27")
    );
}

#[test]
fn working_days_skip_the_weekend() {
    // From Sunday 21 the first working day is Monday 22; five of them end on Friday 26.
    let ws = with_publicity("working_days = true");
    assert_eq!(window(&ws), pair("2025-12-22", "2025-12-26"));
    // Seven working days run over the next weekend: Monday 22 to Tuesday 30.
    let ws = with_publicity("days = 7\nworking_days = true");
    assert_eq!(window(&ws), pair("2025-12-22", "2025-12-30"));
}

#[test]
fn holidays_are_not_counted() {
    // 12-25 and 12-26 off: Monday 22, 23, 24, then Monday 29 and Tuesday 30.
    let ws = with_publicity("working_days = true\nholidays = [2025-12-25, \"2025-12-26\"]");
    assert_eq!(window(&ws), pair("2025-12-22", "2025-12-30"));
}

#[test]
fn weekend_days_worked_are_counted() {
    // 调休: Sunday 21 and Saturday 27 are worked; 21, 22, 23, 24, 25.
    let ws = with_publicity("working_days = true\nworkdays = [2025-12-21, 2025-12-27]");
    assert_eq!(window(&ws), pair("2025-12-21", "2025-12-25"));
    // With 24–26 off as well: 21, 22, 23, 27, 29.
    let ws = with_publicity(
        "working_days = true\nholidays = [2025-12-24, 2025-12-25, 2025-12-26]\nworkdays = [2025-12-21, 2025-12-27]",
    );
    assert_eq!(window(&ws), pair("2025-12-21", "2025-12-29"));
}

#[test]
fn a_given_start_is_the_first_day() {
    let ws = with_publicity("starts = 2025-12-23");
    assert_eq!(window(&ws), pair("2025-12-23", "2025-12-27"));
    // A start on a weekend with working days: the window starts on the Monday.
    let ws = with_publicity("starts = 2025-12-27\nworking_days = true\ndays = 3");
    assert_eq!(window(&ws), pair("2025-12-29", "2025-12-31"));
    // The start may be the evaluation day itself.
    let ws = with_publicity("starts = 2025-12-20\ndays = 2");
    assert_eq!(window(&ws), pair("2025-12-20", "2025-12-21"));
}

/// Every bad key of `[publicity]` is reported at its line, each in one run.
#[test]
fn bad_publicity_keys_are_located() {
    let ws = Ws::spec_example();
    let before = ws.read("stars.toml").lines().count();
    ws.append(
        "stars.toml",
        "\n[publicity]\ndays = 0\nstarts = 2025-01-01\nworking_days = \"yes\"\nholidays = [2025-12-25, \"soon\", 3]\nworkdays = [2025-12-22]\ncolour = 1\n",
    );
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let e = &run.stderr;
    let line = |n: usize| format!("stars.toml:{}:", before + n);
    // days (line 3 after the blank line and the table header)
    assert!(
        e.contains(&line(3)) && e.contains("expected a whole number from 1 to 60"),
        "{e}"
    );
    assert!(
        e.contains(&line(4)) && e.contains("before every evaluation date"),
        "{e}"
    );
    assert!(
        e.contains(&line(5)) && e.contains("expected true or false"),
        "{e}"
    );
    assert!(
        e.contains("publicity.holidays[2]") && e.contains("`\"soon\"`"),
        "{e}"
    );
    assert!(e.contains("publicity.holidays[3]"), "{e}");
    // working_days is not true: holidays and workdays count for nothing.
    assert!(e.contains("counts only with `working_days = true`"), "{e}");
    assert!(
        e.contains(&line(7)) && e.contains("2025-12-22 is a weekday"),
        "{e}"
    );
    assert!(
        e.contains(&line(8)) && e.contains("unknown key `colour`"),
        "{e}"
    );
}

#[test]
fn a_day_both_holiday_and_workday_and_a_late_start_are_errors() {
    let ws = with_publicity(
        "working_days = true\nholidays = [2025-12-27]\nworkdays = [2025-12-27]\nstarts = 2026-03-01",
    );
    let run = ws.run(&["publicity"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("in both `holidays` and `workdays`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("more than 60 days after"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_notice_holds_only_what_is_posted() {
    let ws = with_publicity("working_days = true");
    for lang in ["en", "zh"] {
        for format in ["markdown", "table"] {
            let run = ws.run(&["publicity", "-f", format, "--lang", lang]);
            ok(&run);
            assert!(!run.stdout.contains("stars.toml"), "{}", run.stdout);
            assert!(!run.stdout.contains("[publicity]"), "{}", run.stdout);
            assert!(run.stderr.is_empty(), "{}", run.stderr);
        }
    }
    let zh = ws.run(&["publicity", "-f", "markdown", "--lang", "zh"]);
    assert!(
        zh.stdout
            .contains("公示期：2025-12-22至2025-12-26，共5个工作日。"),
        "{}",
        zh.stdout
    );
    let en = ws.run(&["publicity", "-f", "markdown", "--lang", "en"]);
    assert!(
        en.stdout
            .contains("Publicity period: 2025-12-22 to 2025-12-26, 5 working days."),
        "{}",
        en.stdout
    );
}

// ---------------------------------------------------------------------------------------
// rectification lists

/// The spec example with Chinese names for the leads and secretaries of its items.
fn chinese_names() -> Ws {
    let ws = Ws::spec_example();
    for (from, to) in [
        ("Liu Yang,Sun Hao", "刘洋,孙浩"),
        ("Huang Lei,Zhou Yu", "黄磊,周宇"),
        ("Zhou Ning,Zhou Yu", "周宁,周宇"),
        ("Xu Jing,Zheng Hui", "徐静,郑辉"),
        ("Sun Li,Zheng Hui", "孙丽,郑辉"),
        ("Gao Yan,Zhou Yu", "高燕,周宇"),
    ] {
        ws.patch("branches.csv", from, to);
    }
    ws
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records().map(|x| x.unwrap()).collect()
}

#[test]
fn the_responsibility_csv_is_one_row_per_item_sorted_by_lead_secretary_item() {
    let ws = chinese_names();
    let run = ws.run(&["rectify", "--view", "responsibility", "-f", "csv"]);
    ok(&run);
    assert!(run.stdout.starts_with(
        "item,branch,name,source,kind,problem,responsible,supervisor,measure,deadline,status\n"
    ));
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len(), 15);
    let keys: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[7].to_string(), r[6].to_string(), r[0].to_string()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The same bytes on every run.
    let again = ws.run(&["rectify", "--view", "responsibility", "-f", "csv"]);
    assert_eq!(run.stdout, again.stdout);
}

#[test]
fn the_responsibility_list_for_people_counts_each_person_and_groups_by_lead() {
    let ws = chinese_names();
    let run = ws.run(&[
        "rectify",
        "--view",
        "responsibility",
        "-f",
        "markdown",
        "--lang",
        "zh",
    ]);
    ok(&run);
    let md = &run.stdout;
    // Counts: each secretary, a subtotal per lead, the total.
    for row in [
        "| 周宇 | 周宁 | 7 |",
        "| 周宇 | 高燕 | 1 |",
        "| 周宇 | 黄磊 | 1 |",
        "| 周宇 | 小计 | 9 |",
        "| 郑辉 | 徐静 | 4 |",
        "| 郑辉 | 小计 | 5 |",
        "| 孙浩 | 小计 | 1 |",
        "| 合计 |  | 15 |",
    ] {
        assert!(md.contains(row), "{row} missing:\n{md}");
    }
    // A heading per lead, in byte order of the names, each with its count.
    let headings: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("## 督导领导"))
        .collect();
    assert_eq!(
        headings,
        [
            "## 督导领导：周宇（9项）",
            "## 督导领导：孙浩（1项）",
            "## 督导领导：郑辉（5项）"
        ]
    );
    // In a lead's section the responsible person comes first and the lead is not repeated.
    assert!(md.contains("| 责任人 | 事项编号 | 支部编号 |"), "{md}");
    assert!(md.contains("| 周宁 | 2025-B08-C1 |"), "{md}");
}

#[test]
fn the_deadline_list_for_people_is_grouped_by_deadline_with_counts() {
    let ws = Ws::spec_example();
    // The agency branches get 30 days instead of the common 90.
    ws.append("standards/agency.toml", "\n[adjust]\nrectify_days = 30\n");
    let csv = ws.run(&["rectify", "--view", "deadline", "-f", "csv"]);
    ok(&csv);
    let deadlines: Vec<String> = csv_rows(&csv.stdout)
        .iter()
        .map(|r| r[9].to_string())
        .collect();
    let mut sorted = deadlines.clone();
    sorted.sort();
    assert_eq!(deadlines, sorted);
    let run = ws.run(&[
        "rectify", "--view", "deadline", "-f", "markdown", "--lang", "en",
    ]);
    ok(&run);
    let md = &run.stdout;
    assert!(md.contains("| Deadline | Items | Branches |"), "{md}");
    assert!(md.contains("| 2026-01-19 | 5 | 2 |"), "{md}");
    assert!(md.contains("| 2026-03-20 | 10 | 4 |"), "{md}");
    assert!(md.contains("| all | 15 | 6 |"), "{md}");
    let headings: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("## Deadline"))
        .collect();
    assert_eq!(
        headings,
        [
            "## Deadline 2026-01-19: 5 items",
            "## Deadline 2026-03-20: 10 items"
        ]
    );
}

/// Piped (not a terminal), a table is never wrapped: a long problem stays on one line.
#[test]
fn tables_into_a_pipe_are_not_wrapped() {
    let ws = Ws::spec_example();
    let run = ws.run(&["rectify", "-f", "table"]);
    ok(&run);
    assert!(run
        .stdout
        .contains("Red line: Secretary punished for a serious violation of discipline (X1), 2025-10-11 — Secretary disciplined"));
}

// ---------------------------------------------------------------------------------------
// template

#[test]
fn the_template_csv_starts_with_a_bom_unless_no_bom() {
    let ws = Ws::spec_example();
    let out = ws
        .cmd(&["template", "rural", "-f", "csv"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFbranch,name,level,"));
    let out = ws
        .cmd(&["template", "rural", "-f", "csv", "--no-bom"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"branch,name,level,"));
    // A new sheet in the year folder, CSV by its name: with the mark, and it reads back.
    ok(&ws.run(&["template", "rural", "-o", "ws/2025/scores-x.csv"]));
    assert!(ws
        .read_bytes("2025/scores-x.csv")
        .starts_with(b"\xEF\xBB\xBFbranch,"));
    ok(&ws.run(&[
        "template",
        "rural",
        "-o",
        "ws/2025/scores-y.csv",
        "--no-bom",
    ]));
    assert!(ws.read_bytes("2025/scores-y.csv").starts_with(b"branch,"));
    // Other formats never get one.
    let out = ws
        .cmd(&["template", "rural", "-f", "json"])
        .output()
        .unwrap();
    assert!(!out.stdout.starts_with(b"\xEF\xBB\xBF"));
}

// ---------------------------------------------------------------------------------------
// evaluate

#[test]
fn the_summary_counts_bottom_lines_missed() {
    let ws = Ws::spec_example();
    let en = ws.run(&["evaluate", "-f", "table", "--lang", "en"]);
    ok(&en);
    assert!(en.stdout.contains("Statuses: "), "{}", en.stdout);
    // B07 and B10 miss C1's bottom line; only B07's cap sets its star.
    assert!(
        en.stdout
            .contains("Bottom lines missed: 2 branches (1 set the star)."),
        "{}",
        en.stdout
    );
    let zh = ws.run(&["evaluate", "-f", "markdown", "--lang", "zh"]);
    assert!(
        zh.stdout
            .contains("未达底线：2 个支部（其中 1 个因此封顶）。"),
        "{}",
        zh.stdout
    );
    // The machine formats have no summary.
    let csv = ws.run(&["evaluate", "-f", "csv"]);
    assert!(!csv.stdout.contains("Bottom lines"));
}
