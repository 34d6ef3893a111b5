//! Messages for people follow `--lang`: with `--lang zh` or a `zh*` locale every problem is
//! told in Chinese, at the same file, line and column (and with the same CSV column or TOML
//! key, and the same source line) as in English; ids, keys, file names and values stay as
//! they are.
//!
//! Each case breaks the worked example of SPEC.md as a test of `tests/errors.rs` does, and
//! runs `stars check` in English and in Chinese.

mod common;

use common::{run, Run, Ws};

const CHECK: &[&str] = &["check"];
const EVALUATE: &[&str] = &["evaluate", "--year", "2025", "--format", "csv"];

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Run with `--lang zh`.
fn zh(ws: &Ws, args: &[&str]) -> Run {
    let mut a = args.to_vec();
    a.extend(["--lang", "zh"]);
    ws.run(&a)
}

/// Run in a Chinese locale, without `--lang`.
fn zh_locale(ws: &Ws, args: &[&str]) -> Run {
    let mut cmd = ws.cmd(args);
    cmd.env("LANG", "zh_CN.UTF-8");
    run(cmd)
}

/// Run without `--lang` in the C locale, the workspace saying `lang = "zh"`: written on
/// the first blank line of `stars.toml` before its first table, so that no line moves.
/// `None` when `stars.toml` has no such line or is not UTF-8 (then it cannot say).
fn zh_workspace(ws: &Ws, args: &[&str]) -> Option<Run> {
    let text = String::from_utf8(std::fs::read(ws.path("stars.toml")).ok()?).ok()?;
    let mut lines: Vec<&str> = text.split('\n').collect();
    let blank = lines
        .iter()
        .take_while(|l| !l.starts_with('['))
        .position(|l| l.is_empty())?;
    if blank + 1 >= lines.len() {
        return None;
    }
    lines[blank] = "lang = \"zh\"";
    ws.write("stars.toml", lines.join("\n"));
    let out = ws.run(args);
    ws.write("stars.toml", &text);
    Some(out)
}

/// One problem as printed: where (`FILE:LINE:COL: [field] [key] `), what, and the source
/// lines shown under it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Printed {
    at: String,
    message: String,
    excerpt: Vec<String>,
}

/// Split the problems printed on stderr, each line starting with `prefix`; checks that the
/// closing count line is `count_line(n)`.
#[track_caller]
fn parse(stderr: &str, prefix: &str, count_line: impl Fn(usize) -> String) -> Vec<Printed> {
    let mut out: Vec<Printed> = Vec::new();
    let mut lines: Vec<&str> = stderr.lines().collect();
    let last = lines.pop().unwrap_or_default();
    for l in lines {
        if let Some(rest) = l.strip_prefix(prefix) {
            let (file, mut tail) = rest
                .split_once(": ")
                .unwrap_or_else(|| panic!("no `: ` after the file in `{l}`"));
            let mut at = format!("{file}: ");
            while tail.starts_with('[') {
                let Some(end) = tail.find("] ") else { break };
                at.push_str(&tail[..end + 2]);
                tail = &tail[end + 2..];
            }
            out.push(Printed {
                at,
                message: tail.to_string(),
                excerpt: Vec::new(),
            });
        } else {
            let p = out
                .last_mut()
                .unwrap_or_else(|| panic!("a line before the first problem: `{l}`\n{stderr}"));
            p.excerpt.push(l.to_string());
        }
    }
    assert_eq!(last, count_line(out.len()), "closing line:\n{stderr}");
    out.sort();
    out
}

fn english(stderr: &str) -> Vec<Printed> {
    parse(stderr, "error: ", |n| {
        format!("{n} problem{} found", if n == 1 { "" } else { "s" })
    })
}

fn chinese(stderr: &str) -> Vec<Printed> {
    parse(stderr, "错误：", |n| format!("共发现 {n} 个问题"))
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Words of the English messages that no Chinese message has (ids and values aside).
const ENGLISH: &[&str] = &[
    "expected", "unknown", "missing", "found", "cannot", "twice", " is ", " not ", " the ", " of ",
    " no ",
];

/// A broken copy of the fixture, and the command that reports it.
struct Case {
    name: &'static str,
    setup: fn(&Ws),
    args: &'static [&'static str],
}

const fn case(name: &'static str, setup: fn(&Ws)) -> Case {
    Case {
        name,
        setup,
        args: CHECK,
    }
}

/// The themed example (tests/fixtures/themes) in place of the worked example of SPEC.md.
fn themed(ws: &Ws) {
    std::fs::remove_dir_all(&ws.dir).unwrap();
    common::copy_dir(&common::fixture_path("themes"), &ws.dir);
}

/// Every case: exit 1 in both languages, nothing on stdout, the same problems at the same
/// places with the same source lines, each told in Chinese; the workspace's `lang = "zh"`
/// (or, without a `stars.toml`, the locale) gives the same Chinese as `--lang zh` (for
/// `evaluate` as for `check`, where both read the same files).
fn check_cases(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let ws = Ws::spec_example();
        (c.setup)(&ws);
        let en = ws.run(c.args);
        let zh_run = zh(&ws, c.args);
        let name = c.name;
        println!("{name}:\n{}{}", en.stderr, zh_run.stderr);
        let mut fail = |why: String| failures.push(format!("{name}: {why}"));
        if en.code != Some(1) || zh_run.code != Some(1) {
            fail(format!(
                "exit codes {:?} / {:?}\n{}\n{}",
                en.code, zh_run.code, en.stderr, zh_run.stderr
            ));
            continue;
        }
        if !en.stdout.is_empty() || !zh_run.stdout.is_empty() {
            fail("printed on stdout".into());
        }
        if !zh_run.stderr.starts_with("错误：") {
            fail(format!("does not start with `错误：`:\n{}", zh_run.stderr));
            continue;
        }
        let (e, z) = (english(&en.stderr), chinese(&zh_run.stderr));
        let places = |v: &[Printed]| {
            let mut p: Vec<(String, Vec<String>)> = v
                .iter()
                .map(|p| (p.at.clone(), p.excerpt.clone()))
                .collect();
            p.sort();
            p
        };
        if places(&e) != places(&z) {
            fail(format!("places differ:\n{}\n{}", en.stderr, zh_run.stderr));
        }
        for p in &z {
            // Every word of it, a TOML syntax error's reason too.
            let lower = p.message.to_lowercase();
            if !has_cjk(&p.message) || ENGLISH.iter().any(|w| lower.contains(w)) {
                fail(format!("not Chinese: `{}`", p.message));
            }
            if e.iter().any(|q| q.message == p.message) {
                fail(format!("same as in English: `{}`", p.message));
            }
        }
        // The locale, with `evaluate` where it reads the same files as `check` (not the
        // rectification of a later year, which only `check` reads).
        let other = if c.args == CHECK && !name.starts_with("rectification") {
            EVALUATE
        } else {
            c.args
        };
        // Where `stars.toml` is missing, it sets no language; one that cannot be parsed
        // still does, by its line `lang = "zh"` (see `zh_workspace`).
        let (how, loc) = if !ws.path("stars.toml").exists() {
            ("LANG=zh_CN.UTF-8", Some(zh_locale(&ws, other)))
        } else {
            ("lang = \"zh\" in stars.toml", zh_workspace(&ws, other))
        };
        let Some(loc) = loc else { continue };
        if loc.stderr != zh_run.stderr || loc.code != Some(1) {
            fail(format!(
                "{how}: `{}` gives:\n{}\nnot as `--lang zh`:\n{}",
                other.join(" "),
                loc.stderr,
                zh_run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Replace one cell of one CSV line (1-based line and column) with `value`.
fn set_cell(ws: &Ws, rel: &str, line: usize, col: usize, value: &str) {
    ws.map_lines(rel, |n, l| {
        if n != line {
            return l.to_string();
        }
        let mut cells: Vec<String> = l.split(',').map(str::to_string).collect();
        cells[col - 1] = value.to_string();
        cells.join(",")
    });
}

/// Add a column to a CSV file: `header` on line 1, blank on every other line.
fn add_column(ws: &Ws, rel: &str, header: &str) {
    ws.map_lines(rel, |n, l| {
        if n == 1 {
            format!("{l},{header}")
        } else {
            format!("{l},")
        }
    });
}

/// Make the fixture a two-year workspace: 2026 rated from copies of 2025's score sheets.
fn add_year_2026(ws: &Ws) {
    for f in ["scores-agency.csv", "scores-mass.csv", "scores-rural.csv"] {
        ws.write(&format!("2026/{f}"), ws.read_bytes(&format!("2025/{f}")));
    }
    ws.append("stars.toml", "\n[years.2026]\nevaluated = 2026-12-20\n");
}

const RURAL: &str = "2025/scores-rural.csv";

// ---------------------------------------------------------------------------------------
// Every kind of tests/errors.rs, in both languages
// ---------------------------------------------------------------------------------------

#[test]
fn score_values_in_chinese() {
    check_cases(&[
        case("score_not_a_number", |ws| set_cell(ws, RURAL, 2, 3, "abc")),
        case("score_negative", |ws| set_cell(ws, RURAL, 2, 3, "-1")),
        case("score_above_points", |ws| set_cell(ws, RURAL, 2, 3, "41")),
        case("score_decimal_comma", |ws| {
            set_cell(ws, RURAL, 2, 3, "\"4,5\"")
        }),
        case("score_nan", |ws| set_cell(ws, RURAL, 2, 3, "NaN")),
        case("score_inf", |ws| set_cell(ws, RURAL, 2, 3, "inf")),
        case("score_exponent", |ws| set_cell(ws, RURAL, 2, 3, "1e1")),
        case("score_too_many_digits", |ws| {
            set_cell(ws, RURAL, 2, 3, "0.000000000000000000001")
        }),
        case("overall_above_100", |ws| {
            ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,101\n")
        }),
        case("overall_negative", |ws| {
            ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,-5\n")
        }),
    ]);
}

#[test]
fn unknown_names_in_chinese() {
    check_cases(&[
        case("unknown_branch_in_score_sheet", |ws| {
            ws.append(RURAL, "B99,self,40,30,20,10\n")
        }),
        case("blank_branch_in_score_sheet", |ws| {
            ws.append(RURAL, ",self,40,30,20,10\n")
        }),
        case("unknown_branch_in_reviews", |ws| {
            ws.append("2025/reviews.csv", "B99,discipline,approve,\n")
        }),
        case("branch_id_that_lost_its_leading_zeros", |ws| {
            for rel in [
                "branches.csv",
                "2025/scores-rural.csv",
                "2025/scores-agency.csv",
            ] {
                ws.write(rel, ws.read(rel).replace("\nB0", "\n0"));
            }
            for rel in [
                "2025/scores-mass.csv",
                "2025/events.csv",
                "2025/reviews.csv",
            ] {
                ws.write(rel, ws.read(rel).replace("\nB0", "\n0"));
            }
            ws.patch("2025/scores-mass.csv", "\n04,mass,", "\n4,mass,");
        }),
        case("unknown_indicator_column", |ws| {
            ws.patch(
                RURAL,
                "branch,level,C1,C2,R1,R2\n",
                "branch,level,C1,C2,R1,R9\n",
            )
        }),
        case("duplicated_column", |ws| {
            ws.patch(
                RURAL,
                "branch,level,C1,C2,R1,R2\n",
                "branch,level,C1,C2,R1,R1\n",
            )
        }),
        case("indicator_of_another_domain", |ws| {
            add_column(ws, RURAL, "A1");
            set_cell(ws, RURAL, 2, 7, "5");
        }),
        case("unknown_level", |ws| {
            ws.patch(RURAL, "B01,self,", "B01,selve,")
        }),
        case("unknown_item_in_events", |ws| {
            ws.patch("2025/events.csv", "B04,P1,", "B04,P9,")
        }),
        case("unknown_department", |ws| {
            ws.patch("2025/reviews.csv", "B01,discipline,", "B01,police,")
        }),
        case("duplicated_department_opinion", |ws| {
            ws.append("2025/reviews.csv", "B01,discipline,object,again\n")
        }),
        case("unknown_opinion", |ws| {
            ws.patch(
                "2025/reviews.csv",
                "B01,discipline,approve,",
                "B01,discipline,yes,",
            )
        }),
        case("duplicated_branch_id", |ws| {
            ws.append(
                "branches.csv",
                "B01,Again Village,rural,Spec,Xu Ming,Zhao Min,Well\n",
            )
        }),
        case("blank_branch_name", |ws| {
            ws.patch("branches.csv", "B01,East Village,", "B01,,")
        }),
        case("branch_id_with_spaces", |ws| {
            ws.patch("branches.csv", "B01,East Village,", "B 01,East Village,")
        }),
        case("unknown_domain_in_branches", |ws| {
            ws.patch(
                "branches.csv",
                "B01,East Village,rural,",
                "B01,East Village,farm,",
            )
        }),
        case("unknown_domain_in_standard", |ws| {
            ws.patch(
                "standards/rural.toml",
                "domain = \"rural\"",
                "domain = \"farm\"",
            )
        }),
        case("missing_column_in_branches", |ws| {
            ws.patch(
                "branches.csv",
                "secretary,lead,project",
                "secretary,project",
            );
            ws.map_lines("branches.csv", |n, l| {
                if n == 1 {
                    l.to_string()
                } else {
                    let mut c: Vec<&str> = l.split(',').collect();
                    c.remove(5);
                    c.join(",")
                }
            });
        }),
        case("unknown_column_in_events", |ws| {
            ws.patch(
                "2025/events.csv",
                "branch,item,date,note",
                "branch,item,date,remark",
            )
        }),
        case("branch_from_after_workspace_years", |ws| {
            add_column(ws, "branches.csv", "from");
            set_cell(ws, "branches.csv", 2, 8, "2030");
        }),
        case("year_not_valid_in_branches", |ws| {
            add_column(ws, "branches.csv", "until");
            set_cell(ws, "branches.csv", 2, 8, "soon");
        }),
    ]);
}

#[test]
fn score_sheet_shapes_in_chinese() {
    check_cases(&[
        case("score_given_twice_in_one_sheet", |ws| {
            ws.append(RURAL, "B01,self,40,30,20,10\n")
        }),
        case("score_given_twice_across_sheets", |ws| {
            ws.write("2025/scores-x.csv", "branch,level,C1\nB09,mass,20\n")
        }),
        case("score_missing", |ws| {
            ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "")
        }),
        case("scores_missing_for_some_indicators", |ws| {
            ws.patch(
                RURAL,
                "branch,level,C1,C2,R1,R2\n",
                "branch,level,C2,R1,R2\n",
            );
            ws.map_lines(RURAL, |n, l| {
                if n == 1 {
                    l.to_string()
                } else {
                    let mut c: Vec<&str> = l.split(',').collect();
                    c.remove(2);
                    c.join(",")
                }
            });
        }),
        case("ragged_row", |ws| {
            ws.patch(RURAL, "B01,self,40,30,20,10\n", "B01,self,40,30,20,10,5\n")
        }),
        case("unclosed_quote", |ws| {
            ws.patch(RURAL, "B01,self,40,", "B01,self,\"40,")
        }),
        case("row_mixing_scores_and_overall", |ws| {
            add_column(ws, "2025/scores-agency.csv", "overall");
            set_cell(ws, "2025/scores-agency.csv", 2, 6, "50");
        }),
        case("partially_filled_row", |ws| set_cell(ws, RURAL, 2, 4, "")),
        case("row_without_any_score", |ws| {
            ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,\n")
        }),
        case("missing_column_in_score_sheet", |ws| {
            ws.patch(
                RURAL,
                "branch,level,C1,C2,R1,R2\n",
                "branch,levels,C1,C2,R1,R2\n",
            )
        }),
        case("no_score_sheets", |ws| {
            for f in ["scores-agency.csv", "scores-mass.csv", "scores-rural.csv"] {
                ws.remove(&format!("2025/{f}"));
            }
        }),
    ]);
}

#[test]
fn dates_and_years_in_chinese() {
    check_cases(&[
        case("event_date_invalid", |ws| {
            ws.patch(
                "2025/events.csv",
                "B04,P1,2025-03-02,",
                "B04,P1,2025-13-01,",
            )
        }),
        case("event_date_in_another_year", |ws| {
            ws.patch(
                "2025/events.csv",
                "B04,P1,2025-03-02,",
                "B04,P1,2024-03-02,",
            )
        }),
        case("evaluated_not_a_date_string", |ws| {
            ws.patch(
                "stars.toml",
                "evaluated = 2025-12-20",
                "evaluated = \"soon\"",
            )
        }),
        case("evaluated_not_a_date_integer", |ws| {
            ws.patch(
                "stars.toml",
                "evaluated = 2025-12-20",
                "evaluated = 20251220",
            )
        }),
        case("evaluated_impossible_date", |ws| {
            ws.patch(
                "stars.toml",
                "evaluated = 2025-12-20",
                "evaluated = 2025-12-32",
            )
        }),
        case("evaluated_in_another_year", |ws| {
            ws.patch(
                "stars.toml",
                "evaluated = 2025-12-20",
                "evaluated = 2023-12-20",
            )
        }),
        case("year_folder_without_years_entry", |ws| {
            ws.write("2026/scores-mass.csv", ws.read("2025/scores-mass.csv"))
        }),
        case("years_entry_without_folder", |ws| {
            ws.append("stars.toml", "\n[years.2026]\nevaluated = 2026-12-20\n")
        }),
        case("year_key_not_a_year", |ws| {
            ws.append("stars.toml", "\n[years.next]\nevaluated = 2026-12-20\n")
        }),
        case("no_years", |ws| {
            ws.write("stars.toml", "name = \"Spec Example Town\"\n[years]\n")
        }),
        case("rectification_unknown_status", |ws| {
            add_year_2026(ws);
            ws.write(
                "2026/rectification.csv",
                "item,status,note\n2025-B04-X1,finished,\n",
            );
        }),
        case("rectification_unknown_item", |ws| {
            add_year_2026(ws);
            ws.write(
                "2026/rectification.csv",
                "item,status,note\n2025-B04-X1,done,\n2025-B99-C1,open,\n",
            );
        }),
        case("rectification_item_twice", |ws| {
            add_year_2026(ws);
            ws.write(
                "2026/rectification.csv",
                "item,status,note\n2025-B04-X1,done,\n2025-B04-X1,open,\n",
            );
        }),
        case("rectification_status_blank", |ws| {
            add_year_2026(ws);
            ws.write(
                "2026/rectification.csv",
                "item,status,note\n2025-B04-X1,,\n",
            );
        }),
        case("rectification_blank_item", |ws| {
            add_year_2026(ws);
            ws.write("2026/rectification.csv", "item,status,note\n,done,\n");
        }),
        case("rectification_in_first_year", |ws| {
            ws.write(
                "2025/rectification.csv",
                "item,status,note\n2024-B01-C1,done,\n",
            )
        }),
    ]);
}

#[test]
fn standards_in_chinese() {
    const COMMON: &str = "standards/common.toml";
    check_cases(&[
        case("level_weight_negative", |ws| {
            ws.patch(COMMON, "self = 0.2", "self = -0.2")
        }),
        case("level_weights_not_summing_to_1", |ws| {
            ws.patch(COMMON, "self = 0.2", "self = 0.3")
        }),
        case("points_not_totalling_100", |ws| {
            ws.patch(COMMON, "points = 40", "points = 45")
        }),
        case("points_out_of_range", |ws| {
            ws.patch(COMMON, "points = 40", "points = 0")
        }),
        case("points_not_a_number", |ws| {
            ws.patch(COMMON, "points = 40", "points = \"forty\"")
        }),
        case("thresholds_out_of_order", |ws| {
            ws.patch(COMMON, "four = 80", "four = 95")
        }),
        case("threshold_out_of_range", |ws| {
            ws.patch(COMMON, "five = 90", "five = 190")
        }),
        case("red_line_cap_out_of_range", |ws| {
            ws.patch(COMMON, "\ncap = 2", "\ncap = 7")
        }),
        case("bottom_line_cap_out_of_range", |ws| {
            ws.patch(COMMON, "bottom_line_cap = 2", "bottom_line_cap = 6")
        }),
        case("bonus_cap_out_of_range", |ws| {
            ws.patch(COMMON, "bonus_cap = 5", "bonus_cap = 500")
        }),
        case("unknown_key_in_common_standard", |ws| {
            ws.patch(COMMON, "bonus_cap = 5\n", "bonus_cap = 5\nbonus_kap = 3\n")
        }),
        case("unknown_key_in_domain_standard", |ws| {
            ws.patch(
                "standards/rural.toml",
                "points = 20\n",
                "points = 20\nweight = 1\n",
            )
        }),
        case("unknown_key_in_stars_toml", |ws| {
            ws.write(
                "stars.toml",
                format!("colour = \"red\"\n{}", ws.read("stars.toml")),
            )
        }),
        case("toml_syntax_error", |ws| {
            ws.patch(COMMON, "five = 90", "five = = 90")
        }),
        case("missing_key", |ws| ws.patch(COMMON, "points = 40\n", "")),
        case("unknown_standard_file", |ws| {
            ws.write("standards/farm.toml", ws.read("standards/rural.toml"))
        }),
        case("domain_not_matching_file_name", |ws| {
            ws.patch(
                "standards/rural.toml",
                "domain = \"rural\"",
                "domain = \"agency\"",
            )
        }),
    ]);
}

#[test]
fn themes_in_chinese() {
    const COMMON: &str = "standards/common.toml";
    const RURAL: &str = "standards/rural.toml";
    const C2: &str = "points = 20\ntheme = \"T1\"\n";
    check_cases(&[
        case("stars_by_unknown", |ws| {
            themed(ws);
            ws.patch(COMMON, "stars_by = \"themes\"", "stars_by = \"theme\"")
        }),
        case("theme_pass_out_of_range", |ws| {
            themed(ws);
            ws.patch(COMMON, "pass = 0.9", "pass = 90")
        }),
        case("indicator_without_a_theme", |ws| {
            themed(ws);
            ws.patch(COMMON, C2, "points = 20\n")
        }),
        case("indicator_naming_an_unknown_theme", |ws| {
            themed(ws);
            ws.patch(COMMON, C2, "points = 20\ntheme = \"T9\"\n")
        }),
        case("theme_without_an_indicator", |ws| {
            themed(ws);
            ws.patch(RURAL, "theme = \"T3\"", "theme = \"T2\"")
        }),
        case("more_than_five_themes", |ws| {
            themed(ws);
            let t5 = "pass = 0.75\n";
            let t6 = "pass = 0.75\n\n[[theme]]\nid = \"T6\"\nname = \"Sixth\"\nname_zh = \"第六星\"\npass = 0.5\n";
            ws.patch(RURAL, t5, t6);
            ws.patch(COMMON, C2, "points = 20\ntheme = \"T6\"\n")
        }),
        case("rating_by_themes_without_a_theme", |ws| {
            themed(ws);
            for file in [COMMON, RURAL] {
                let text = ws.read(file);
                let kept: Vec<&str> = (text.split("\n\n"))
                    .filter(|block| !block.contains("[[theme]]"))
                    .collect();
                ws.write(file, kept.join("\n\n"));
            }
        }),
        case("theme_id_used_by_another_item", |ws| {
            themed(ws);
            ws.patch(RURAL, "id = \"T5\"", "id = \"P1\"");
            ws.patch(COMMON, "theme = \"T5\"", "theme = \"P1\"")
        }),
    ]);
}

#[test]
fn files_and_encodings_in_chinese() {
    check_cases(&[
        case("missing_stars_toml", |ws| ws.remove("stars.toml")),
        case("missing_branches_csv", |ws| ws.remove("branches.csv")),
        case("empty_branches_csv", |ws| ws.write("branches.csv", "")),
        case("no_branches", |ws| {
            ws.write(
                "branches.csv",
                "id,name,domain,town,secretary,lead,project\n",
            )
        }),
        case("empty_score_sheet", |ws| {
            ws.write("2025/scores-mass.csv", "")
        }),
        case("empty_standard_file", |ws| {
            ws.write("standards/rural.toml", "")
        }),
        case("undecodable_bytes_in_branches_csv", |ws| {
            let mut bytes = ws.read_bytes("branches.csv");
            let text = String::from_utf8(bytes.clone()).unwrap();
            let at = text.find("North Village").unwrap();
            bytes.splice(at..at + "North Village".len(), [0xFF, 0xFF]);
            ws.write("branches.csv", &bytes);
        }),
        case("undecodable_bytes_in_score_sheet", |ws| {
            let mut bytes = ws.read_bytes("2025/scores-mass.csv");
            let text = String::from_utf8(bytes.clone()).unwrap();
            let at = text.find("B02").unwrap();
            bytes.splice(at..at + 3, [0xFF, 0xFF]);
            ws.write("2025/scores-mass.csv", &bytes);
        }),
        case("undecodable_bytes_in_toml", |ws| {
            ws.write(
                "stars.toml",
                [
                    b"name = \"\xFF\"\n".as_slice(),
                    b"\n[years.2025]\nevaluated = 2025-12-20\n",
                ]
                .concat(),
            )
        }),
        case("lines_in_two_encodings", |ws| {
            let gbk = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
            let mut bytes = Vec::new();
            for (i, line) in ws.read("2025/events.csv").lines().enumerate() {
                let line = match i {
                    0 => format!("{line}\n"),
                    _ => format!("{},县级通报\n", line.rsplit_once(',').unwrap().0),
                };
                bytes.extend(if i == 5 {
                    line.into_bytes()
                } else {
                    gbk(&line)
                });
            }
            ws.write("2025/events.csv", &bytes);
        }),
        case("a_formula_without_a_saved_value", |ws| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet().set_name("mass").unwrap();
            for (r, line) in ws.read("2025/scores-mass.csv").lines().enumerate() {
                for (c, f) in line.split(',').enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match f.parse::<f64>() {
                        Ok(v) if r > 0 => sheet.write_number(r, c, v).unwrap(),
                        _ => sheet.write_string(r, c, f).unwrap(),
                    };
                }
            }
            let formula = rust_xlsxwriter::Formula::new("=45*2");
            sheet.write_formula(1, 2, formula).unwrap();
            ws.remove("2025/scores-mass.csv");
            book.save(ws.path("2025/scores-mass.xlsx")).unwrap();
        }),
        case("a_workbook_without_a_table", |ws| {
            let mut book = rust_xlsxwriter::Workbook::new();
            book.add_worksheet();
            book.save(ws.path("2025/scores-extra.xlsx")).unwrap();
        }),
        case("a_folder_in_place_of_a_file", |ws| {
            ws.remove("branches.csv");
            std::fs::create_dir_all(ws.path("branches.csv")).unwrap();
        }),
    ]);
}

// ---------------------------------------------------------------------------------------
// Exact texts, and how the language is chosen
// ---------------------------------------------------------------------------------------

#[test]
fn chinese_messages_read_as_a_clerk_would_write_them() {
    let ws = Ws::spec_example();
    set_cell(&ws, RURAL, 2, 3, "\"4,5\"");
    ws.append(RURAL, "B99,self,40,30,20,10\n");
    ws.patch(
        "2025/scores-agency.csv",
        "branch,level,C1,C2,A1",
        "branch,lvl,C1,C2,A1",
    );
    let run = zh(&ws, CHECK);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "\
错误：ws/2025/scores-agency.csv:1: 缺少列“level”；评分表应有列 branch、level，其后为各指标编号，可另加 overall 列
     1 | branch,lvl,C1,C2,A1
错误：ws/2025/scores-agency.csv:1:2: [lvl] 未知列“lvl”；应为 branch、level、name、overall 或评星标准中的指标编号
     1 | branch,lvl,C1,C2,A1
错误：ws/2025/scores-rural.csv:2:3: [C1] 分数“4,5”使用了逗号作小数点；应为 0 到 40 之间的数字
     2 | B01,self,\"4,5\",30,20,10
错误：ws/2025/scores-rural.csv:23:1: [branch] 未知支部“B99”；应为 branches.csv 中的支部编号
    23 | B99,self,40,30,20,10
共发现 4 个问题
"
    );
}

#[test]
fn toml_problems_keep_their_keys_in_chinese() {
    let ws = Ws::spec_example();
    ws.patch(
        "standards/common.toml",
        "bonus_cap = 5\n",
        "bonus_cap = 5\nbonus_kap = 3\n",
    );
    ws.patch("standards/common.toml", "\ncap = 2", "\ncap = 7");
    let run = zh(&ws, CHECK);
    assert!(
        run.stderr.contains(
            "错误：ws/standards/common.toml:3:13: [bonus_kap] 未知的键“bonus_kap”；应为以下之一：levels、stars、bonus_cap、"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "错误：ws/standards/common.toml:79:7: [red_line[1].cap] 发现 7；应为 0 到 5 之间的整数\n    79 | cap = 7\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with("共发现 2 个问题\n"), "{}", run.stderr);
}

/// The workspace sets the language (`lang` in stars.toml; English without it), whatever
/// the locale; `--lang` overrides it; the locale decides only outside a workspace.
#[test]
fn the_workspace_chooses_the_language_and_lang_overrides_it() {
    let ws = Ws::spec_example();
    set_cell(&ws, RURAL, 2, 3, "abc");
    let want_zh = "错误：ws/2025/scores-rural.csv:2:3: [C1] 分数“abc”不是数字；应为 0 到 40 之间的数字\n     2 | B01,self,abc,30,20,10\n共发现 1 个问题\n";
    let want_en = "error: ws/2025/scores-rural.csv:2:3: [C1] score `abc` is not a number; expected a number from 0 to 40\n     2 | B01,self,abc,30,20,10\n1 problem found\n";
    // Without `lang`: English, in any locale.
    assert_eq!(ws.run(CHECK).stderr, want_en);
    assert_eq!(zh_locale(&ws, CHECK).stderr, want_en);
    let mut cmd = ws.cmd(CHECK);
    cmd.env("LC_ALL", "zh_CN.UTF-8");
    assert_eq!(run(cmd).stderr, want_en);
    // --lang wins.
    assert_eq!(zh(&ws, CHECK).stderr, want_zh);
    // `lang = "zh"`: Chinese in any locale; --lang en still wins.
    ws.patch("stars.toml", "\n\n", "\nlang = \"zh\"\n");
    assert_eq!(ws.run(CHECK).stderr, want_zh);
    let mut cmd = ws.cmd(CHECK);
    cmd.env("LC_ALL", "en_US.UTF-8");
    assert_eq!(run(cmd).stderr, want_zh);
    assert_eq!(ws.run(&["check", "--lang", "en"]).stderr, want_en);
    // `lang = "en"` in a Chinese locale.
    ws.patch("stars.toml", "lang = \"zh\"", "lang = \"en\"");
    assert_eq!(zh_locale(&ws, CHECK).stderr, want_en);
    // Outside a workspace the locale decides.
    ws.remove("stars.toml");
    let en = ws.run(CHECK);
    let zh_loc = zh_locale(&ws, CHECK);
    assert!(en.stderr.starts_with("error: "), "{}", en.stderr);
    assert!(zh_loc.stderr.starts_with("错误："), "{}", zh_loc.stderr);
}

/// A `lang` other than "zh" or "en" is a problem located at the key.
#[test]
fn an_unknown_workspace_language_is_a_problem() {
    let ws = Ws::spec_example();
    ws.patch("stars.toml", "\n\n", "\nlang = \"fr\"\n");
    let r = ws.run(CHECK);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stderr,
        "error: ws/stars.toml:2:8: [lang] unknown language `fr`; expected \"zh\" or \"en\"\n     2 | lang = \"fr\"\n1 problem found\n"
    );
}

#[test]
fn command_line_problems_in_chinese() {
    let ws = Ws::spec_example();
    let cases: &[(&[&str], &str)] = &[
        (
            &["explain", "B99"],
            "错误：ws/branches.csv: 未知支部“B99”；应为 branches.csv 中的支部编号\n共发现 1 个问题\n",
        ),
        (
            &["history", "B99"],
            "错误：ws/branches.csv: 未知支部“B99”；应为 branches.csv 中的支部编号\n共发现 1 个问题\n",
        ),
        (
            &["evaluate", "--year", "2030"],
            "错误：ws/stars.toml: 本工作区没有 2030 年度；应为以下之一：2025\n共发现 1 个问题\n",
        ),
        (
            &["template", "farm"],
            "错误：（命令行）: 未知领域“farm”；应为以下之一：rural、agency、two_new、community、soe；或 rectification、surveys、deductions、objections、decisions\n共发现 1 个问题\n",
        ),
        (
            &["template", "rural", "--level", "town"],
            "错误：（命令行）: 未知层级“town”；应为 self（自评）、mass（群众评议）或 organization（组织评定）\n共发现 1 个问题\n",
        ),
        (
            &["template", "rectification"],
            "错误：（命令行）: 2025 年度是本工作区的第一个年度，没有 2024 年度的整改事项；应为之后的年度（--year）\n共发现 1 个问题\n",
        ),
        (
            &["standards", "show", "farm"],
            "错误：（命令行）: 未知领域“farm”；应为以下之一：rural、agency、two_new、community、soe\n共发现 1 个问题\n",
        ),
        (
            &["evaluate", "--format", "csv", "--output", "ws/branches.csv"],
            "错误：ws/branches.csv 是工作区的输入文件，不予覆盖\n",
        ),
    ];
    for (args, want) in cases {
        let run = zh(&ws, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(&run.stderr, want, "{args:?}");
        // The same problem in English starts `error: `.
        let en = ws.run(args);
        assert!(en.stderr.starts_with("error: "), "{args:?}: {}", en.stderr);
    }
    // Wrong usage found by the command, not by the parser: exit 2.
    let usage: &[(&[&str], &str)] = &[
        (
            &["evaluate", "--format", "xlsx"],
            "错误：--format xlsx 输出的是 Excel 工作簿：请用 --output FILE.xlsx 指定输出文件\n",
        ),
        (
            &["man", "--format", "csv"],
            "错误：stars man 没有可选的输出格式，不接受 --format（收到“csv”）\n",
        ),
    ];
    for (args, want) in usage {
        let run = zh(&ws, args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(&run.stderr, want, "{args:?}");
    }
    // init refuses a folder that holds a workspace.
    let run = zh(&ws, &["init", "ws"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "错误：ws 中已有工作区（stars.toml 已存在），不予覆盖\n"
    );
}
