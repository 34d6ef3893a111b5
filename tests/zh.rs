//! Everything a person reads under `--lang zh` is Chinese: no code of the machine contract
//! (`rural`, `approved`, `red_line:X1`, `true`…) in a table, Markdown, a workbook, the
//! explain trace, the help or a usage error; CSV and JSON keep their codes.

mod common;

use common::{copy_dir, Run, Ws};
use std::path::Path;

/// The codes that must not reach a Chinese reader, matched as whole words.
const CODES: &[&str] = &[
    "rural",
    "agency",
    "two_new",
    "community",
    "soe",
    "approved",
    "objected",
    "pending_review",
    "red_line",
    "bottom_line",
    "rated",
    "not_rated",
    "lead",
    "promote",
    "transform",
    "up",
    "down",
    "same",
    "new",
    "trial",
    "indicator",
    "incentive",
    "restraint",
    "true",
    "false",
    "discipline",
    "law_enforcement",
    "industry",
    "approve",
    "object",
    "self",
    "mass",
    "organization",
];

/// The workspace of SPEC.md's worked example, and the shipped example town (several years,
/// so that plaques go up and down).
fn workspaces() -> Vec<Ws> {
    let town = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang"),
        &town.dir,
    );
    vec![Ws::spec_example(), town]
}

/// The free text of a workspace's inputs and of the built-in standards (names, notes,
/// measures, rubrics: anything with a space), which a list shows as it was written, English
/// or not.
fn free_text(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    // The built-in standards too, for a workspace without its own.
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("standards");
    let mut stack = vec![dir.to_path_buf(), builtin];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            match path.extension().and_then(|e| e.to_str()) {
                Some("toml") => {
                    // Every quoted string.
                    for (i, part) in text.split('"').enumerate() {
                        if i % 2 == 1 {
                            out.push(part.to_string());
                        }
                    }
                }
                Some("csv") => {
                    for line in text.lines() {
                        out.extend(line.split(',').map(|c| c.trim_matches('"').to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    out.retain(|s| s.contains(' '));
    // The longest first, so that a text is removed before a text within it.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// The English codes in a text for people, after its inputs' free text and file paths are
/// taken out.
fn codes_in(text: &str, free: &[String]) -> Vec<String> {
    let mut text = text.to_string();
    for f in free {
        text = text.replace(f.as_str(), " ");
    }
    let words = text
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| !w.contains('/') && !w.contains(".csv") && !w.contains(".toml"))
        .flat_map(|w| w.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| CODES.contains(w));
    words.map(str::to_string).collect()
}

fn ok(run: &Run) -> &str {
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    &run.stdout
}

#[test]
fn no_code_reaches_a_chinese_reader() {
    let commands: &[&[&str]] = &[
        &["evaluate"],
        &["rectify", "--view", "problems"],
        &["rectify", "--view", "responsibility"],
        &["rectify", "--view", "deadline"],
        &["adjust"],
        &["tiers"],
        &["publicity"],
        &["exchange"],
        &["standards", "show", "rural"],
        &["template", "rural", "--legend"],
    ];
    for ws in workspaces() {
        let free = free_text(&ws.dir);
        // The fourth branch: B04 of the worked example (a red line), D004 of the town.
        let branches = std::fs::read_to_string(ws.path("branches.csv")).unwrap();
        let branch = branches
            .lines()
            .nth(4)
            .and_then(|l| l.split(',').next())
            .unwrap()
            .to_string();
        let mut all: Vec<Vec<&str>> = commands.iter().map(|c| c.to_vec()).collect();
        all.push(vec!["explain", &branch]);
        all.push(vec!["history", &branch]);
        for cmd in &all {
            for format in ["table", "markdown"] {
                let mut args = cmd.clone();
                args.extend(["--lang", "zh", "--format", format]);
                let run = ws.run(&args);
                let out = ok(&run);
                // The legend's table of Chinese names for codes shows the codes on purpose
                // (what a clerk may type instead of them): everything above it is scanned.
                let out = out.split("可填写的中文名称").next().unwrap_or(out);
                let found = codes_in(out, &free);
                assert!(
                    found.is_empty(),
                    "stars {}: English codes {found:?} in\n{out}",
                    args.join(" ")
                );
            }
        }
    }
}

/// The words are found as whole words, not within others, and the free text is left out.
#[test]
fn the_scan_finds_codes_as_words() {
    let free = vec!["Bring the files up to date".to_string()];
    assert_eq!(
        codes_in("受限原因 red_line:X1 | rural | 农村", &free),
        ["red_line", "rural"]
    );
    assert!(codes_in("Bring the files up to date; upper, two_news", &free).is_empty());
    assert!(codes_in("[ws/2025/scores-rural.csv:8:3]", &free).is_empty());
}

#[test]
fn machine_formats_keep_their_codes_in_chinese() {
    let ws = Ws::spec_example();
    let csv = ws.run(&["evaluate", "--lang", "zh", "--format", "csv"]);
    let en = ws.run(&["evaluate", "--lang", "en", "--format", "csv"]);
    assert_eq!(ok(&csv), ok(&en));
    assert!(csv.stdout.contains("objected:law_enforcement"));
    assert!(csv.stdout.contains(",rural,"));
    let json = ws.run(&["adjust", "--lang", "zh", "--format", "json"]);
    assert!(ok(&json).contains("\"change\": \"new\""));
    assert!(json.stdout.contains("\"remind\": true"));
}

#[test]
fn workbooks_read_in_chinese() {
    use calamine::{Data, Reader, Xlsx};
    let ws = Ws::spec_example();
    let cells = |args: &[&str], file: &str| -> Vec<Data> {
        let mut a = args.to_vec();
        a.extend(["--lang", "zh", "--format", "xlsx", "--output", file]);
        ok(&ws.run(&a));
        let mut wb: Xlsx<_> = calamine::open_workbook(ws.tmp.path().join(file)).unwrap();
        let first = wb.sheet_names().first().cloned().unwrap();
        let range = wb.worksheet_range(&first).unwrap();
        range.rows().flat_map(|r| r.to_vec()).collect()
    };
    let strings = |cells: &[Data]| -> String {
        cells
            .iter()
            .map(|c| match c {
                Data::Bool(b) => b.to_string(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let free = free_text(&ws.dir);
    for (args, file) in [
        (&["evaluate"][..], "e.xlsx"),
        (&["adjust"][..], "a.xlsx"),
        (&["tiers"][..], "t.xlsx"),
        (&["rectify"][..], "r.xlsx"),
        (&["history", "B04"][..], "h.xlsx"),
    ] {
        let c = cells(args, file);
        assert!(!c.iter().any(|c| matches!(c, Data::Bool(_))), "{args:?}");
        let text = strings(&c);
        let found = codes_in(&text, &free);
        assert!(found.is_empty(), "{args:?}: {found:?} in {text}");
    }
    let e = strings(&cells(&["evaluate"], "e2.xlsx"));
    assert!(
        e.contains("审核通过") && e.contains("有异议：行政执法"),
        "{e}"
    );
    let a = strings(&cells(&["adjust"], "a2.xlsx"));
    assert!(a.contains("是") && a.contains("否"), "{a}");
}

#[test]
fn explain_reads_in_chinese() {
    let ws = Ws::spec_example();
    let run = ws.run(&["explain", "B04", "--lang", "zh"]);
    let out = ok(&run);
    for zh in [
        "自评 0.2",
        "群众评议 0.3",
        "组织评定 0.5",
        "五星 90",
        "纪检监察 同意",
        "红线 X1",
    ] {
        assert!(out.contains(zh), "no `{zh}` in\n{out}");
    }
    // Its JSON keeps the codes.
    let json = ws.run(&["explain", "B04", "--lang", "zh", "--format", "json"]);
    assert!(ok(&json).contains("\"opinion\": \"approve\""));
    assert!(json.stdout.contains("\"self\": "));
}

/// Whether a text has Chinese characters.
fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn help_is_chinese() {
    let ws = Ws::spec_example();
    for args in [
        &["--help", "--lang", "zh"][..],
        &["evaluate", "--help", "--lang", "zh"],
    ] {
        let run = ws.run(args);
        let out = ok(&run);
        assert!(chinese(out), "{out}");
        assert!(out.contains("用法") && out.contains("选项"), "{out}");
        assert!(
            !out.contains("Usage:") && !out.contains("Options:"),
            "{out}"
        );
    }
    let run = ws.run(&["evaluate", "--help", "--lang", "zh"]);
    assert!(run.stdout.contains("某一年度的评定结果"), "{}", run.stdout);
    // A Chinese locale, with no --lang.
    let run = common::run({
        let mut cmd = ws.cmd(&["rectify", "--help"]);
        cmd.env("LANG", "zh_CN.UTF-8");
        cmd
    });
    assert!(ok(&run).contains("问题清单"), "{}", run.stdout);
    // English stays English.
    let run = ws.run(&["evaluate", "--help"]);
    assert!(ok(&run).contains("Usage:") && !run.stdout.contains("用法"));
}

#[test]
fn usage_errors_are_chinese_with_exit_code_2() {
    let ws = Ws::spec_example();
    let run = ws.run(&["evaluate", "--year", "二〇二六", "--lang", "zh"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.is_empty());
    assert!(run.stderr.starts_with("错误"), "{}", run.stderr);
    assert!(run.stderr.contains("二〇二六") && run.stderr.contains("--year"));
    assert!(!run.stderr.contains("invalid value"), "{}", run.stderr);

    let run = ws.run(&["evaluat", "--lang", "zh"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("无法识别的子命令“evaluat”") && run.stderr.contains("evaluate"),
        "{}",
        run.stderr
    );
    let run = ws.run(&["evaluate", "--format", "pdf", "--lang", "zh"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("“pdf”") && run.stderr.contains("可选值"));
    let run = ws.run(&["explain", "--lang", "zh"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("缺少必需的参数"), "{}", run.stderr);

    // In English, clap's own text.
    let run = ws.run(&["evaluate", "--year", "二〇二六"]);
    assert_eq!(run.code, Some(2));
    assert!(run
        .stderr
        .contains("invalid value '二〇二六' for '--year <YEAR>'"));
}
