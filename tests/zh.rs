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

// ---------------------------------------------------------------------------------------
// The last English a Chinese clerk met (issue 33), each tried as the clerk meets it.

/// The example town (`lang = "zh"`), as a clerk has it.
fn town_zh() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang"),
        &ws.dir,
    );
    ws
}

/// Runs of three or more English words in a row: what a Chinese reader should not meet.
/// Chinese text or punctuation ends a run; file names, paths, options, keys and codes
/// (anything with `/ . _ - = < > [ ] * \``) are not words.
fn english_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    for line in text.lines() {
        for stretch in line.split(|c: char| !c.is_ascii()) {
            let mut run: Vec<&str> = Vec::new();
            let tokens = stretch.split_whitespace().chain([""]);
            for t in tokens {
                let word = t.trim_end_matches([',', ';', ':', '.', ')']);
                let word = word.trim_start_matches('(');
                if word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
                    run.push(word);
                    continue;
                }
                if run.len() >= 3 {
                    runs.push(format!("{}  ⟵ {line}", run.join(" ")));
                }
                run.clear();
            }
        }
    }
    runs
}

/// A syntax error in `stars.toml` of a Chinese workspace: the parser's reason in Chinese,
/// at its line and column with the line under it, though the file cannot be parsed for its
/// `lang` (its line `lang = "zh"` is read as it is), in an English locale.
#[test]
fn a_broken_stars_toml_is_told_in_chinese() {
    let ws = Ws::spec_example();
    ws.patch(
        "stars.toml",
        "\n\n[years.2025]\nevaluated = 2025-12-20",
        "\nlang = \"zh\"\n\n[years.2025]\nevaluated = 2025-12-32",
    );
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "错误：ws/stars.toml:5:21: TOML 语法错误：日期时间格式有误；数值超出范围\n     5 | evaluated = 2025-12-32\n共发现 1 个问题\n"
    );
    // The commonest slip: a text without quotes.
    ws.patch("stars.toml", "2025-12-32", "2025-12-20");
    ws.patch(
        "stars.toml",
        "name = \"Spec Example Town\"",
        "name = 大王镇",
    );
    let run = ws.run(&["evaluate"]);
    assert_eq!(
        run.stderr,
        "错误：ws/stars.toml:1:8: TOML 语法错误：值的格式有误；文字应写在英文引号中，如 name = \"大王镇\"\n     1 | name = 大王镇\n共发现 1 个问题\n"
    );
}

/// The parser's words in a standard's file, under `--lang zh`.
#[test]
fn toml_syntax_errors_in_standards_read_in_chinese() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "five = 90", "five = 90 分");
    ws.patch(
        "standards/rural.toml",
        "domain = \"rural\"",
        "domain = \"rural",
    );
    let run = ws.run(&["check", "--lang", "zh"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "错误：ws/standards/common.toml:12:11: TOML 语法错误：此处应换行：同一行其后只能是以 # 开头的注释\n    12 | five = 90 分\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("TOML 语法错误：字符串格式有误"),
        "{}",
        run.stderr
    );
    assert!(english_runs(&run.stderr).is_empty(), "{}", run.stderr);
    assert!(!run.stderr.contains("expected"), "{}", run.stderr);
}

/// The subcommands listed under a help's `命令：` heading.
fn subcommands(help: &str) -> Vec<String> {
    help.split("命令：")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Every command's help under `--lang zh`, short and long: no English sentence left (the
/// examples aside), clap's `[OPTIONS]` and its headings' colon as Chinese writes them.
#[test]
fn every_help_is_chinese_to_the_last_sentence() {
    let ws = town_zh();
    let top = ok(&ws.run(&["--help", "--lang", "zh"])).to_string();
    let mut paths: Vec<Vec<String>> = vec![vec![]];
    for c in subcommands(&top) {
        let help = ok(&ws.run(&[c.as_str(), "--help", "--lang", "zh"])).to_string();
        paths.push(vec![c.clone()]);
        for s in subcommands(&help) {
            paths.push(vec![c.clone(), s]);
        }
    }
    assert!(paths.len() > 17, "{paths:?}");
    for path in &paths {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.extend([flag, "--lang", "zh"]);
            let run = ws.run(&args);
            let out = ok(&run);
            // The example lines are commands, as they are typed.
            let prose: String = out
                .lines()
                .filter(|l| !l.trim_start().starts_with("stars ") && !l.starts_with("用法："))
                .map(|l| format!("{l}\n"))
                .collect();
            let runs = english_runs(&prose);
            assert!(runs.is_empty(), "stars {}: {runs:#?}", args.join(" "));
            assert!(!out.contains("[OPTIONS]"), "{out}");
            for heading in ["选项:", "参数:", "命令:"] {
                assert!(!out.contains(heading), "stars {}:\n{out}", args.join(" "));
            }
        }
    }
}

/// In a workspace whose `stars.toml` says `lang = "zh"`, the help and the usage errors are
/// Chinese with no `--lang` and an English locale; a workspace without `lang` leaves them to
/// the locale.
#[test]
fn the_help_follows_the_workspace_language() {
    let ws = town_zh();
    let run = ws.run(&["template", "--help"]);
    assert!(
        ok(&run).contains("某一领域待填写的评分表"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Usage:"), "{}", run.stdout);
    let run = ws.run(&["evaluat"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.starts_with("错误：无法识别的子命令“evaluat”"),
        "{}",
        run.stderr
    );
    // --lang still wins; `init` works on no workspace: the locale.
    assert!(ok(&ws.run(&["template", "--help", "--lang", "en"])).contains("Usage:"));
    assert!(ok(&ws.run(&["init", "--help"])).contains("Usage:"));
    let plain = common::town_without_lang();
    assert!(ok(&plain.run(&["template", "--help"])).contains("Usage:"));
    let mut cmd = plain.cmd(&["template", "--help"]);
    cmd.env("LANG", "zh_CN.UTF-8");
    assert!(ok(&common::run(cmd)).contains("用法："));
}

/// `explain` under `lang = "zh"`: the standard by its Chinese name, built-in files as 内置,
/// the indicators by their Chinese names only, and Chinese colons.
#[test]
fn explain_names_and_marks_in_chinese() {
    let ws = town_zh();
    let run = ws.run(&["explain", "D004"]);
    let out = ok(&run);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "D004 刘集村党支部 — 领域：农村，2025 年度，评定日期 2025-12-20",
            "评星标准：农村党支部（内置 standards/common.toml + 内置 standards/rural.toml）",
            "三级联评权重：自评 0.2、群众评议 0.3、组织评定 0.5",
        ],
        "{out}"
    );
    assert!(out.contains("\n  C01 班子建设 — 满分 6\n"), "{out}");
    assert!(
        out.contains("\n  C02 三会一课 — 满分 12，底线 7\n"),
        "{out}"
    );
    assert!(out.contains("\n距 5★：6.50 分\n"), "{out}");
    // No English: names, (built-in), and no ASCII colon but in the sources' locations.
    assert!(english_runs(out).is_empty(), "{:#?}", english_runs(out));
    for line in out.lines() {
        let said = line.split("  [").next().unwrap_or(line);
        assert!(!said.contains(':'), "an ASCII colon in `{line}`");
    }
    // Its rows for people (Markdown, workbooks) too.
    let md = ws.run(&["explain", "D004", "-f", "markdown"]);
    let md = ok(&md);
    assert!(md.contains("| 评星标准 | 农村 | 农村党支部 | 内置 standards/common.toml; 内置 standards/rural.toml |"), "{md}");
    assert!(md.contains("6 × 总体评价 84.5 / 100"), "{md}");
    assert!(!md.contains("overall") && !md.contains("built-in"), "{md}");
    // English stays as it was.
    let en = ws.run(&["explain", "D004", "--lang", "en"]);
    assert!(ok(&en).contains(
        "Standard: Rural party branches / 农村党支部 ((built-in) standards/common.toml + (built-in) standards/rural.toml)\nLevel weights: self 0.2, mass 0.3, organization 0.5\n"
    ));
}

/// The notes under a list, and every error, with Chinese colons and brackets.
#[test]
fn notes_and_errors_use_chinese_colons() {
    let ws = town_zh();
    let md = ws.run(&["evaluate", "-f", "markdown"]);
    assert!(
        ok(&md).contains("\n- 状态：审核通过 8、审核有异议 1、"),
        "{}",
        md.stdout
    );
    let md = ws.run(&["adjust", "-f", "markdown"]);
    assert!(ok(&md).contains("\n- 星级牌：升星 "), "{}", md.stdout);
    let md = ws.run(&["tiers", "-f", "markdown"]);
    assert!(
        ok(&md).contains("\n- 巩固先进（巩固提升：总结推广经验，承办季度经验交流）：8 个\n"),
        "{}",
        md.stdout
    );
    // A problem: 错误：, its location as it is.
    ws.append("2025/reviews.csv", "D001,police,approve,\n");
    let run = ws.run(&["check"]);
    assert!(
        run.stderr.starts_with("错误：ws/2025/reviews.csv:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "未知部门“police”；应为以下之一：discipline（纪检监察）、law_enforcement（行政执法）、industry（行业监管）"
        ),
        "{}",
        run.stderr
    );
    // A failure of the system: its reason in Chinese, after a Chinese colon.
    let run = ws.run(&["standards", "export", "ws/branches.csv/standards"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "错误：无法创建 ws/branches.csv/standards：路径中有一部分不是文件夹\n"
    );
}

/// A standard named in a Chinese message is named in Chinese (农村评星标准, not `rural`).
#[test]
fn standards_are_named_in_chinese_in_messages() {
    let ws = Ws::spec_example();
    ws.patch(
        "standards/common.toml",
        "bonus_cap = 5\n",
        "bonus_cap = 5\nstars_by = \"themes\"\n",
    );
    let run = ws.run(&["check", "--lang", "zh"]);
    assert!(
        run.stderr
            .contains("：农村评星标准按主题评星，但没有任何 [[theme]]")
            || run.stderr.contains("农村评星标准按主题评星"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("rural 评星标准"), "{}", run.stderr);
    assert!(!run.stderr.contains("agency 评星标准"), "{}", run.stderr);
}

/// A damaged workbook: what it comes to, in Chinese, not the reader's English.
#[test]
fn a_damaged_workbook_is_told_in_chinese() {
    let ws = Ws::spec_example();
    ws.write("2025/scores-x.xlsx", b"PK\x03\x04 not a workbook");
    let run = ws.run(&["check", "--lang", "zh"]);
    assert_eq!(
        run.stderr,
        "错误：ws/2025/scores-x.xlsx: 无法作为 Excel 工作簿读取（文件已损坏、不完整，或不是 Excel 工作簿）；应为 .xlsx 文件：请用 Excel 或 WPS 打开，另存为 .xlsx\n共发现 1 个问题\n"
    );
    let en = ws.run(&["check"]);
    assert!(en.stderr.contains("Zip"), "{}", en.stderr);
}

/// Shell completions under `--lang zh` describe the commands as `--help` does.
#[test]
fn completions_describe_in_chinese() {
    let ws = Ws::spec_example();
    let zh = ws.run(&["completions", "fish", "--lang", "zh"]);
    assert!(ok(&zh).contains("某一年度的评定结果"), "{}", zh.stdout);
    assert!(!zh.stdout.contains("The ratings of a year"));
    let en = ws.run(&["completions", "fish"]);
    assert!(ok(&en).contains("The ratings of a year"));
}

/// `stars init` in a Chinese locale writes a `stars.toml` whose comments a clerk reads.
#[test]
fn init_comments_stars_toml_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = common::stars();
    cmd.current_dir(tmp.path())
        .env("LANG", "zh_CN.UTF-8")
        .args(["init", "town", "--name", "大王镇", "--first-year", "2026"]);
    assert_eq!(common::run(cmd).code, Some(0));
    let toml = std::fs::read_to_string(tmp.path().join("town/stars.toml")).unwrap();
    assert!(
        toml.starts_with("# `stars`（星级党支部评定）的工作区。"),
        "{toml}"
    );
    assert!(toml.contains("\nlang = \"zh\"\n"), "{toml}");
    let comments: String = toml
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(english_runs(&comments).is_empty(), "{comments}");
}

/// The clerk's guide quotes the messages the tool prints in Chinese, as it prints them: its
/// first steps tried as the guide tells them, in a Chinese locale.
#[test]
fn the_clerk_guide_quotes_what_the_tool_says() {
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/clerk-guide.zh.md"),
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("town");
    let stars = |args: &[&str]| {
        let mut cmd = common::stars();
        cmd.current_dir(&dir).env("LANG", "zh_CN.UTF-8").args(args);
        common::run(cmd)
    };
    let mut cmd = common::stars();
    cmd.current_dir(tmp.path()).env("LANG", "zh_CN.UTF-8");
    cmd.args(["init", "town", "--name", "大王镇", "--first-year", "2026"]);
    assert_eq!(common::run(cmd).code, Some(0));
    let header = "id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n";
    let mut said = stars(&["check"]).stderr;
    let typed = "D001,大王村党支部,rural,大王镇,张三,李四,项目\nD002,二村党支部,farm,大王镇,王五,李四,项目,,,,\n";
    std::fs::write(dir.join("branches.csv"), format!("{header}{typed}")).unwrap();
    said.push_str(&stars(&["check"]).stderr);
    let saved = "D001,大王村党支部,rural,大王镇,张三,李四,项目,,,,\n";
    std::fs::write(dir.join("branches.csv"), format!("{header}{saved}")).unwrap();
    said.push_str(&stars(&["check"]).stderr);
    let sheet = "2026/scores-rural.csv";
    let run = stars(&["template", "rural", "--year", "2026", "--output", sheet]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    said.push_str(&stars(&["check"]).stderr);
    let text = std::fs::read_to_string(dir.join(sheet)).unwrap();
    let with_total: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "合计" } else { "" }))
        .collect();
    std::fs::write(dir.join(sheet), with_total).unwrap();
    said.push_str(&stars(&["check"]).stderr);
    for quoted in [
        "没有支部；应每个支部填写一行",
        "该行有 7 个字段；应与表头一致，为 11 个",
        "未知领域“farm”；应为以下之一：rural、agency、two_new、community、soe",
        "没有评分表；应有一个或多个名为 scores*.csv、scores*.xlsx 或 scores*.xls 的文件",
        "该行没有支部 D001（农村）的任何得分；应填写各指标得分或 overall",
        "2026/scores-rural.csv:1:25: [合计] 未知列“合计”；应为 branch、level、name、overall 或评星标准中的指标编号",
    ] {
        assert!(guide.contains(quoted), "the guide does not quote `{quoted}`");
        assert!(said.contains(quoted), "the tool does not say `{quoted}`:\n{said}");
    }
    // The guide quotes no English message of the tool.
    for english in [
        "no branches",
        "no score sheets",
        "row gives no score",
        "unknown domain",
        "error: ",
    ] {
        assert!(!guide.contains(english), "the guide quotes `{english}`");
    }
}
