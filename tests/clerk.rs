//! The clerk's desk: `stars init`, `stars template`, `stars completions`, `stars man`,
//! Excel output, `--bom`, and the refusal to overwrite inputs.
//!
//! Every test works on a private copy of a fixture (see `common`): nothing is ever written
//! into tests/fixtures.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{fixture_path, stars, Ws, WS};
use std::path::Path;

fn ok(run: &common::Run) {
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// completions and man

#[test]
fn completions_cover_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = common::run({
            let mut c = stars();
            c.args(["completions", shell]);
            c
        });
        ok(&run);
        assert!(run.stdout.contains("evaluate"), "{shell}: no `evaluate`");
        assert!(run.stdout.contains("template"), "{shell}: no `template`");
    }
    let bash = || {
        let mut c = stars();
        c.args(["completions", "bash"]);
        common::run(c).stdout
    };
    assert_eq!(bash(), bash(), "completions are not deterministic");
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let run = common::run({
        let mut c = stars();
        c.args(["completions", "cmd.exe"]);
        c
    });
    assert_eq!(run.code, Some(2));
}

#[test]
fn man_page_is_one_deterministic_page() {
    let man = || {
        let mut c = stars();
        c.arg("man");
        common::run(c)
    };
    let run = man();
    ok(&run);
    let page = &run.stdout;
    assert!(page.contains(".TH stars 1"), "{page}");
    assert_eq!(page.matches(".TH").count(), 1);
    assert_eq!(page.matches(".ds Aq").count(), 2, "one roff preamble");
    for needle in [
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SS \"stars evaluate\"",
        ".SS \"stars standards show\"",
        ".SS \"stars template\"",
        "\\-\\-first\\-year",
        "Exit codes",
    ] {
        assert!(page.contains(needle), "man page lacks {needle}");
    }
    assert!(
        !page.contains("stars\\-evaluate(1)"),
        "refers to pages not installed"
    );
    assert_eq!(man().stdout, run.stdout, "man page is not deterministic");
}

#[test]
fn man_page_can_be_written_to_a_file() {
    let ws = Ws::empty();
    let run = ws.run(&["man", "--output", "stars.1"]);
    ok(&run);
    assert!(run.stdout.is_empty());
    let page = std::fs::read_to_string(ws.tmp.path().join("stars.1")).unwrap();
    assert!(page.contains(".TH stars 1"));
}

// ---------------------------------------------------------------------------------------
// init

/// Run `stars init ARGS` in a fresh temporary folder; returns the folder.
fn init(args: &[&str]) -> (tempfile::TempDir, common::Run) {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = stars();
    c.current_dir(tmp.path()).arg("init").args(args);
    let run = common::run(c);
    (tmp, run)
}

#[test]
fn init_creates_a_workspace() {
    let (tmp, run) = init(&["town", "--name", "大王镇", "--first-year", "2026"]);
    ok(&run);
    let dir = tmp.path().join("town");
    let toml = std::fs::read_to_string(dir.join("stars.toml")).unwrap();
    insta::assert_snapshot!("init_stars_toml", toml);
    assert_eq!(
        std::fs::read_to_string(dir.join("branches.csv")).unwrap(),
        "id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n"
    );
    assert!(dir.join("2026").is_dir());
    assert!(dir.join("2026/README.txt").is_file());
    assert!(run.stdout.is_empty(), "init prints to standard error only");
    assert!(
        run.stderr.contains("stars template rural"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("stars check"), "{}", run.stderr);

    // The new workspace is well formed; it has no branches yet, which `check` says.
    let mut c = stars();
    c.current_dir(tmp.path()).args(["check", "-w", "town"]);
    let check = common::run(c);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stderr.contains("town/branches.csv: no branches"),
        "{}",
        check.stderr
    );
    assert_eq!(check.stderr.lines().count(), 2, "{}", check.stderr);
}

#[test]
fn init_names_the_workspace_after_its_folder() {
    let (tmp, run) = init(&["Hongqiao-zhen", "--first-year", "2025"]);
    ok(&run);
    let toml = std::fs::read_to_string(tmp.path().join("Hongqiao-zhen/stars.toml")).unwrap();
    assert!(toml.contains("name = \"Hongqiao-zhen\""), "{toml}");
    assert!(
        toml.contains("[years.2025]\nevaluated = 2025-12-20\n"),
        "{toml}"
    );
}

#[test]
fn init_escapes_the_name() {
    let (tmp, run) = init(&[
        "q",
        "--name",
        "A \"quoted\" \\ town",
        "--first-year",
        "2025",
    ]);
    ok(&run);
    let toml = std::fs::read_to_string(tmp.path().join("q/stars.toml")).unwrap();
    assert!(toml.contains(r#"name = "A \"quoted\" \\ town""#), "{toml}");
}

#[test]
fn init_speaks_chinese() {
    let (_tmp, run) = init(&["t", "--first-year", "2025", "--lang", "zh"]);
    ok(&run);
    assert!(run.stderr.contains("已创建工作区"), "{}", run.stderr);
}

#[test]
fn init_takes_the_global_year_too() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = stars();
    c.current_dir(tmp.path())
        .args(["--year", "2024", "init", "t"]);
    ok(&common::run(c));
    let toml = std::fs::read_to_string(tmp.path().join("t/stars.toml")).unwrap();
    assert!(toml.contains("[years.2024]"), "{toml}");
}

#[test]
fn init_defaults_to_this_year() {
    let (tmp, run) = init(&["t"]);
    ok(&run);
    let toml = std::fs::read_to_string(tmp.path().join("t/stars.toml")).unwrap();
    let year: i32 = toml
        .split("[years.")
        .nth(1)
        .and_then(|s| s.get(..4))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no year in {toml}"));
    assert!((2025..2200).contains(&year), "{year}");
    assert!(tmp.path().join(format!("t/{year}")).is_dir());
}

#[test]
fn init_uses_an_existing_folder_without_a_workspace() {
    let ws = Ws::empty();
    ws.write("notes.txt", "kept");
    let run = common::run({
        let mut c = stars();
        c.current_dir(ws.tmp.path())
            .args(["init", WS, "--first-year", "2025"]);
        c
    });
    ok(&run);
    assert_eq!(ws.read("notes.txt"), "kept");
    assert!(ws.read("stars.toml").contains("name = \"ws\""));
}

#[test]
fn init_refuses_a_workspace() {
    let ws = Ws::spec_example();
    let before_toml = ws.read_bytes("stars.toml");
    let before_branches = ws.read_bytes("branches.csv");
    let run = common::run({
        let mut c = stars();
        c.current_dir(ws.tmp.path())
            .args(["init", WS, "--first-year", "2026"]);
        c
    });
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.read_bytes("stars.toml"), before_toml);
    assert_eq!(ws.read_bytes("branches.csv"), before_branches);
    assert!(!ws.path("2026").exists(), "nothing is created");

    // A folder with only a branches.csv is refused too.
    let other = Ws::empty();
    other.write("branches.csv", "id\n");
    let run = common::run({
        let mut c = stars();
        c.current_dir(other.tmp.path())
            .args(["init", WS, "--first-year", "2026"]);
        c
    });
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("branches.csv exists"), "{}", run.stderr);
    assert_eq!(other.read("branches.csv"), "id\n");
    assert!(!other.path("stars.toml").exists());
}

#[test]
fn init_refuses_a_file_and_a_bad_year() {
    let ws = Ws::empty();
    ws.write("afile", "x");
    let run = common::run({
        let mut c = stars();
        c.current_dir(&ws.dir)
            .args(["init", "afile", "--first-year", "2026"]);
        c
    });
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("is a file"), "{}", run.stderr);
    let (_tmp, run) = init(&["t", "--first-year", "99"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("four-digit year"), "{}", run.stderr);
}

/// The clerk's first hour, end to end: init, branches, a template per domain, fill, check,
/// evaluate.
#[test]
fn clerk_first_hour() {
    let tmp = tempfile::tempdir().unwrap();
    let cmd = |args: &[&str]| {
        let mut c = stars();
        c.current_dir(tmp.path()).args(args);
        common::run(c)
    };
    ok(&cmd(&[
        "init",
        "town",
        "--name",
        "Test Town",
        "--first-year",
        "2026",
    ]));
    std::fs::write(
        tmp.path().join("town/branches.csv"),
        "id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n\
         V01,East Village,rural,Test,Wang,Zhao,Greenhouses,,,,\n\
         V02,West Village,rural,Test,Li,Zhao,Lights,,,,\n\
         A01,Town Office,agency,Test,Wu,Zheng,One window,,,,\n",
    )
    .unwrap();
    for domain in ["rural", "agency"] {
        let out = format!("town/2026/scores-{domain}.csv");
        ok(&cmd(&["template", domain, "-w", "town", "--output", &out]));
    }
    // Blank sheets: `check` names every blank row.
    let check = cmd(&["check", "-w", "town"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stderr.contains("9 problems found"),
        "{}",
        check.stderr
    );
    // Again onto an existing sheet: refused.
    let again = cmd(&[
        "template",
        "rural",
        "-w",
        "town",
        "--output",
        "town/2026/scores-rural.csv",
    ]);
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("refusing to overwrite"),
        "{}",
        again.stderr
    );
    // Fill every row with an overall rating (the last column).
    for (domain, overall) in [("rural", "95"), ("agency", "75")] {
        let path = tmp.path().join(format!("town/2026/scores-{domain}.csv"));
        let text = std::fs::read_to_string(&path).unwrap();
        let filled: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{l}\n")
                } else {
                    format!("{l}{overall}\n")
                }
            })
            .collect();
        std::fs::write(&path, filled).unwrap();
    }
    let check = cmd(&["check", "-w", "town"]);
    ok(&check);
    // No problem; only the warning that the five-star candidates await their reviews.
    assert!(
        check.stderr.is_empty() || check.stderr.starts_with("warning: 2026: "),
        "{}",
        check.stderr
    );
    assert_eq!(check.stderr.lines().count(), 1.min(check.stderr.len()));
    let eval = cmd(&["evaluate", "-w", "town", "-f", "csv"]);
    ok(&eval);
    let lines: Vec<&str> = eval.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", eval.stdout);
    assert!(
        lines[1].starts_with("A01,Town Office,agency,75.00,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("V01,East Village,rural,95.00,"),
        "{}",
        lines[2]
    );
}

// ---------------------------------------------------------------------------------------
// template

#[test]
fn template_rural_sheet() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "rural", "-f", "csv"]);
    ok(&run);
    insta::assert_snapshot!("template_rural_csv", run.stdout);
    // The sheet starts with a byte-order mark by default, so that Excel shows Chinese names.
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}branch,name,level,C1,C2,R1,R2,overall")
    );
    // Ten rural branches, three levels each.
    assert_eq!(lines.count(), 30);
}

#[test]
fn template_agency_sheet() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "agency", "-f", "csv"]);
    ok(&run);
    insta::assert_snapshot!("template_agency_csv", run.stdout);
    let table = ws.run(&["template", "agency", "-f", "table"]);
    ok(&table);
    insta::assert_snapshot!("template_agency_table", table.stdout);
}

#[test]
fn template_keeps_to_the_branches_rated_in_the_year() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "id,name,domain,town,secretary,lead,project",
        "id,name,domain,town,secretary,lead,project,until",
    );
    ws.map_lines("branches.csv", |i, l| {
        if i == 1 {
            l.to_string()
        } else if l.starts_with("B10,") {
            format!("{l},2024")
        } else {
            format!("{l},")
        }
    });
    ws.patch(
        "stars.toml",
        "[years.2025]",
        "[years.2024]\nevaluated = 2024-12-20\n\n[years.2025]",
    );
    std::fs::create_dir_all(ws.path("2024")).unwrap();
    let run = ws.run(&["template", "agency", "-f", "csv", "--year", "2025"]);
    ok(&run);
    assert!(!run.stdout.contains("B10"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 7);
    let run = ws.run(&["template", "agency", "-f", "csv", "--year", "2024"]);
    ok(&run);
    assert!(
        run.stdout.contains("B10,Finance Office,self"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 10);
}

#[test]
fn template_legend() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "rural", "--legend", "-f", "csv"]);
    ok(&run);
    insta::assert_snapshot!("template_rural_legend_csv", run.stdout);
    assert!(run
        .stdout
        .starts_with("id,name,name_zh,points,bottom_line,rubric\n"));
    // Outside a workspace: the built-in standard.
    let empty = Ws::empty();
    let run = empty.run(&["template", "soe", "--legend", "-f", "json"]);
    ok(&run);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let total: f64 = rows.iter().map(|r| r["points"].as_f64().unwrap()).sum();
    assert_eq!(total, 100.0);
}

#[test]
fn template_of_an_unknown_domain_names_the_domains() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "farm"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "unknown domain `farm`; expected one of: rural, agency, two_new, community, soe"
        ),
        "{}",
        run.stderr
    );
    let run = ws.run(&["template", "farm", "--legend"]);
    assert_eq!(run.code, Some(1));
}

#[test]
fn template_of_an_unknown_year_is_an_error() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "rural", "--year", "2031"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("no year 2031"), "{}", run.stderr);
}

#[test]
fn template_never_replaces_a_score_sheet() {
    let ws = Ws::spec_example();
    let before = ws.read_bytes("2025/scores-rural.csv");
    let run = ws.run(&["template", "rural", "--output", "ws/2025/scores-rural.csv"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.read_bytes("2025/scores-rural.csv"), before);
    // Other inputs are refused as by every command.
    let run = ws.run(&["template", "rural", "--output", "ws/2025/events.csv"]);
    assert_eq!(run.code, Some(1));
    // A new sheet is created, in any format.
    let run = ws.run(&[
        "template",
        "rural",
        "--output",
        "ws/2025/scores-new.csv",
        "--bom",
    ]);
    ok(&run);
    assert!(ws
        .read_bytes("2025/scores-new.csv")
        .starts_with(b"\xEF\xBB\xBFbranch,name,level,"));
    let leftovers: Vec<_> = std::fs::read_dir(ws.path("2025"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".stars-"))
        .collect();
    assert!(leftovers.is_empty());
}

// ---------------------------------------------------------------------------------------
// Excel

/// Every sheet of a workbook: name and cells as text (numbers as CSV prints them).
fn read_xlsx(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("a workbook calamine reads");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

/// A workbook cell is the CSV cell: the same text, the same number, the same yes/no.
fn same_cell(x: &Data, csv: &str) -> bool {
    match x {
        Data::Empty => csv.is_empty(),
        Data::String(s) => s == csv,
        Data::Float(f) => csv.parse::<f64>().ok() == Some(*f),
        Data::Int(i) => csv.parse::<i64>().ok() == Some(*i),
        Data::Bool(b) => csv == b.to_string(),
        _ => false,
    }
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn evaluate_as_a_workbook_has_the_cells_of_the_csv() {
    let ws = Ws::spec_example();
    let csv = ws.run(&["evaluate", "-f", "csv"]);
    ok(&csv);
    let run = ws.run(&["evaluate", "-f", "xlsx", "--output", "ratings.xlsx"]);
    ok(&run);
    assert!(run.stdout.is_empty());
    let sheets = read_xlsx(&ws.tmp.path().join("ratings.xlsx"));
    // The ratings first, then the summaries (as the table for people has them) and the
    // notes, each on a sheet of its own.
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ratings 2025",
            "Stars by domain",
            "Five-star branches",
            "Notes"
        ]
    );
    let (name, cells) = &sheets[0];
    assert_eq!(name, "ratings 2025");
    // A title row above the table (the town, the year, what it is), to print.
    assert_eq!(
        cells[0][0],
        Data::String("Spec Example Town — ratings 2025".into())
    );
    let cells = &cells[1..];
    let expected = csv_rows(&csv.stdout);
    assert_eq!(cells.len(), expected.len());
    // The header is for people: English here.
    let header: Vec<String> = cells[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "Branch");
    assert_eq!(header[6], "Score");
    assert_eq!(header.len(), expected[0].len());
    for (r, (got, want)) in cells.iter().zip(&expected).enumerate().skip(1) {
        assert_eq!(got.len(), want.len(), "row {r}");
        for (c, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                same_cell(g, w),
                "row {r} column {c}: {g:?} in the workbook, {w:?} in CSV"
            );
        }
    }
    // Scores are numbers; ids are text.
    assert!(matches!(cells[1][6], Data::Float(_)));
    assert!(matches!(cells[1][0], Data::String(_)));

    // The same inputs give the same bytes.
    let again = ws.run(&["evaluate", "-f", "xlsx", "--output", "again.xlsx"]);
    ok(&again);
    assert_eq!(
        std::fs::read(ws.tmp.path().join("ratings.xlsx")).unwrap(),
        std::fs::read(ws.tmp.path().join("again.xlsx")).unwrap(),
        "workbooks are not deterministic"
    );
}

#[test]
fn workbook_headers_follow_the_language() {
    let ws = Ws::spec_example();
    let run = ws.run(&[
        "rectify", "-f", "xlsx", "--output", "r.xlsx", "--lang", "zh",
    ]);
    ok(&run);
    let sheets = read_xlsx(&ws.tmp.path().join("r.xlsx"));
    let csv = ws.run(&["rectify", "-f", "csv", "--lang", "zh"]);
    let expected = csv_rows(&csv.stdout);
    let (_, cells) = &sheets[0];
    assert!(
        cells[0][0].to_string().contains("问题清单"),
        "{:?}",
        cells[0]
    );
    let cells = &cells[1..];
    assert_eq!(cells.len(), expected.len());
    assert!(
        cells[0].iter().any(|h| h.to_string().contains("整改")),
        "{:?}",
        cells[0]
    );
    // The rows are CSV's, but for the codes a person reads: the kind (column 4) is in
    // Chinese.
    let kind_zh = |code: &str| match code {
        "indicator" => "指标",
        "incentive" => "正向激励",
        "restraint" => "反向约束",
        "red_line" => "红线",
        other => panic!("unexpected kind `{other}`"),
    };
    for (got, want) in cells.iter().zip(&expected).skip(1) {
        for (c, (g, w)) in got.iter().zip(want).enumerate() {
            if c == 4 {
                assert_eq!(g.to_string(), kind_zh(w), "{g:?} vs {w:?}");
            } else {
                assert!(same_cell(g, w), "{g:?} vs {w:?}");
            }
        }
    }
}

#[test]
fn template_as_a_workbook_keeps_the_machine_header_and_adds_notes() {
    let ws = Ws::spec_example();
    let run = ws.run(&[
        "template",
        "rural",
        "-f",
        "xlsx",
        "--output",
        "rural.xlsx",
        "--lang",
        "zh",
    ]);
    ok(&run);
    let sheets = read_xlsx(&ws.tmp.path().join("rural.xlsx"));
    assert_eq!(sheets.len(), 2, "the sheet and its notes");
    let (_, cells) = &sheets[0];
    let row = |r: usize| -> Vec<String> { cells[r].iter().map(|c| c.to_string()).collect() };
    // A title, each indicator's name and points, then the header row of keys.
    assert_eq!(row(0)[0], "Spec Example Town 2025年度农村党支部评分表");
    assert_eq!(
        row(1),
        [
            "支部编号",
            "支部名称",
            "层级",
            "组织生活",
            "党员管理",
            "村集体经济",
            "书记项目",
            "总体评价（代替逐项打分）"
        ]
    );
    assert_eq!(row(2), ["", "", "分值", "40", "30", "20", "10", "100"]);
    assert_eq!(
        row(3),
        ["branch", "name", "level", "C1", "C2", "R1", "R2", "overall"]
    );
    assert_eq!(row(4)[..3], ["B01", "East Village", "自评"]);
    assert_eq!(cells.len(), 4 + 30);
    assert_eq!(sheets[1].0, "说明");
}

#[test]
fn formula_like_text_is_neutralized_in_workbooks() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "B01,East Village,",
        "B01,=HYPERLINK(\"x\"),",
    );
    let run = ws.run(&["evaluate", "-f", "xlsx", "--output", "r.xlsx"]);
    ok(&run);
    let sheets = read_xlsx(&ws.tmp.path().join("r.xlsx"));
    // Below the title row and the header.
    assert_eq!(sheets[0].1[2][1], Data::String("'=HYPERLINK(\"x\")".into()));
}

#[test]
fn xlsx_needs_an_output_file() {
    let ws = Ws::spec_example();
    let run = ws.run(&["evaluate", "-f", "xlsx"]);
    // Wrong usage: exit 2, before the workspace is read.
    assert_eq!(run.code, Some(2));
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// --bom and --output

#[test]
fn bom_starts_csv_with_a_byte_order_mark() {
    let ws = Ws::spec_example();
    let plain = ws.cmd(&["evaluate", "-f", "csv"]).output().unwrap();
    let bom = ws
        .cmd(&["evaluate", "-f", "csv", "--bom"])
        .output()
        .unwrap();
    assert!(bom.status.success());
    assert_eq!(&bom.stdout[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom.stdout[3..], &plain.stdout[..]);
    // Only CSV gets one.
    let json = ws
        .cmd(&["evaluate", "-f", "json", "--bom"])
        .output()
        .unwrap();
    assert!(json.stdout.starts_with(b"["));
}

#[test]
fn output_never_overwrites_an_input() {
    let ws = Ws::spec_example();
    for input in [
        "branches.csv",
        "stars.toml",
        "2025/scores-rural.csv",
        "standards/common.toml",
    ] {
        let before = ws.read_bytes(input);
        let target = format!("{WS}/{input}");
        let run = ws.run(&["evaluate", "-f", "csv", "--output", &target]);
        assert_eq!(run.code, Some(1), "{input}");
        assert!(
            run.stderr.contains("refusing to overwrite"),
            "{}",
            run.stderr
        );
        assert_eq!(ws.read_bytes(input), before, "{input} changed");
    }
    // The fixture itself is untouched, of course.
    assert!(fixture_path("spec-example/branches.csv").is_file());
}

#[test]
fn output_writes_a_file_whole() {
    let ws = Ws::spec_example();
    let run = ws.run(&["evaluate", "-f", "csv", "--output", "ratings.csv"]);
    ok(&run);
    let text = std::fs::read_to_string(ws.tmp.path().join("ratings.csv")).unwrap();
    assert!(text.starts_with("branch,name,domain,"));
}

// ---------------------------------------------------------------------------------------
// help

fn command_paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands() {
        let mut path = prefix.clone();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        command_paths(sub, path, out);
    }
}

#[test]
fn every_command_help_has_an_example() {
    let cmd = <stars::cli::Cli as clap::CommandFactory>::command();
    let mut paths = Vec::new();
    command_paths(&cmd, Vec::new(), &mut paths);
    assert!(paths.len() >= 16, "{paths:?}");
    for path in paths {
        let mut c = stars();
        c.args(&path).arg("--help");
        let run = common::run(c);
        ok(&run);
        assert!(
            run.stdout.contains("Example"),
            "`stars {} --help` has no example",
            path.join(" ")
        );
    }
}
