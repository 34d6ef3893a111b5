//! The error catalogue: one test per kind of bad input (docs/errors.md lists them all with
//! the message each one prints).
//!
//! Each test copies the worked example of SPEC.md (`tests/fixtures/spec-example`) into a
//! temporary folder, breaks exactly one thing, and runs `stars check` and `stars evaluate`
//! on it: both must exit 1, print nothing on standard output, and name the file, the line
//! and the column (CSV) or key (TOML), what was found and what was expected.

mod common;

use common::{Run, Ws};
use proptest::prelude::*;

const CHECK: &[&str] = &["check"];
const EVALUATE: &[&str] = &["evaluate", "--year", "2025", "--format", "csv"];

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A failed run: exit 1, nothing on stdout, problems on stderr. Returns stderr.
fn failed(run: &Run, what: &str) -> String {
    assert!(
        !run.stderr.contains("panicked"),
        "{what} panicked:\n{}",
        run.stderr
    );
    assert_eq!(
        run.code,
        Some(1),
        "{what}: expected exit code 1\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(
        run.stdout, "",
        "{what}: nothing may be printed on stdout when input is bad"
    );
    assert!(
        run.stderr.starts_with("error: "),
        "{what}: stderr should start with `error: `:\n{}",
        run.stderr
    );
    run.stderr.clone()
}

/// `stars check` and `stars evaluate` both fail, with the same problems (the fixture has
/// one year, so both read the same files). Returns the problems as printed.
fn broken(ws: &Ws) -> String {
    let check = failed(&ws.run(CHECK), "stars check");
    let evaluate = failed(&ws.run(EVALUATE), "stars evaluate");
    assert_eq!(
        check, evaluate,
        "check and evaluate should report the same problems for a one-year workspace"
    );
    println!("{check}");
    check
}

/// Only `stars check` (for problems only it looks for).
fn check_fails(ws: &Ws) -> String {
    let check = failed(&ws.run(CHECK), "stars check");
    println!("{check}");
    check
}

/// The `error: ` lines.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect()
}

/// There is an error line that begins `error: {at}` and contains every phrase.
#[track_caller]
fn has_error(stderr: &str, at: &str, phrases: &[&str]) {
    let start = format!("error: {at}");
    let found = error_lines(stderr)
        .into_iter()
        .any(|l| l.starts_with(&start) && phrases.iter().all(|p| l.contains(p)));
    assert!(
        found,
        "expected an error line starting with\n  {start}\ncontaining {phrases:?}; got:\n{stderr}"
    );
}

/// The excerpt of source line `line` is shown as `{line:>6} | {text}`.
#[track_caller]
fn has_excerpt(stderr: &str, line: usize, text: &str) {
    let want = format!("{line:>6} | {text}");
    assert!(
        stderr.lines().any(|l| l == want),
        "expected the excerpt line\n{want}\ngot:\n{stderr}"
    );
}

/// The number of problems, from the closing line, checked against the error lines.
#[track_caller]
fn count(stderr: &str) -> usize {
    let last = stderr.lines().last().unwrap_or_default();
    let n: usize = last
        .strip_suffix(" problems found")
        .or_else(|| last.strip_suffix(" problem found"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("expected a closing `N problems found` line; got:\n{stderr}"));
    assert_eq!(
        error_lines(stderr).len(),
        n,
        "the closing line should count the error lines:\n{stderr}"
    );
    n
}

/// Exactly one problem: breaking one thing must not bury it under consequences.
#[track_caller]
fn one_problem(stderr: &str) {
    assert_eq!(
        count(stderr),
        1,
        "one broken thing should be reported as one problem, not with follow-on noise:\n{stderr}"
    );
    assert!(
        stderr.ends_with("\n1 problem found\n"),
        "closing line should be `1 problem found`:\n{stderr}"
    );
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

/// The first cell of line 2 of `2025/scores-rural.csv` (`B01,self,40,30,20,10`) is C1,
/// whose points are 40.
fn bad_score(value: &str, shown: &str, phrase: &str) {
    let ws = Ws::spec_example();
    set_cell(&ws, "2025/scores-rural.csv", 2, 3, value);
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:2:3: [C1] ",
        &[
            &format!("score `{shown}` {phrase}"),
            "expected a number from 0 to 40",
        ],
    );
    has_excerpt(&err, 2, &format!("B01,self,{value},30,20,10"));
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// The intact fixture, and usage
// ---------------------------------------------------------------------------------------

#[test]
fn intact_fixture_checks_clean() {
    let ws = Ws::spec_example();
    let run = ws.run(CHECK);
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
}

#[test]
fn usage_unknown_flag_exits_2() {
    let ws = Ws::spec_example();
    let run = ws.run(&["check", "--bogus"]);
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("--bogus"), "{}", run.stderr);
}

#[test]
fn usage_unknown_subcommand_exits_2() {
    let ws = Ws::spec_example();
    let run = ws.run(&["frobnicate"]);
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("frobnicate"), "{}", run.stderr);
}

#[test]
fn usage_year_not_a_number_exits_2() {
    let ws = Ws::spec_example();
    let run = ws.run(&["evaluate", "--year", "twenty"]);
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("twenty"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// Score values
// ---------------------------------------------------------------------------------------

#[test]
fn score_not_a_number() {
    bad_score("abc", "abc", "is not a number");
}

#[test]
fn score_negative() {
    bad_score("-1", "-1", "is negative");
}

#[test]
fn score_above_points() {
    bad_score("41", "41", "is above the maximum");
}

#[test]
fn score_decimal_comma() {
    bad_score("\"4,5\"", "4,5", "uses a decimal comma");
}

#[test]
fn score_nan() {
    bad_score("NaN", "NaN", "is not a finite number");
}

#[test]
fn score_inf() {
    bad_score("inf", "inf", "is not a finite number");
}

#[test]
fn score_exponent() {
    bad_score("1e1", "1e1", "uses an exponent");
}

#[test]
fn score_too_many_digits() {
    bad_score(
        "0.000000000000000000001",
        "0.000000000000000000001",
        "has too many digits",
    );
}

#[test]
fn overall_above_100() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,101\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-mass.csv:2:3: [overall] ",
        &[
            "score `101` is above the maximum",
            "expected a number from 0 to 100",
        ],
    );
    has_excerpt(&err, 2, "B01,mass,101");
    one_problem(&err);
}

#[test]
fn overall_negative() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,-5\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-mass.csv:2:3: [overall] ",
        &["score `-5` is negative", "expected a number from 0 to 100"],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Names that are not known
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_branch_in_score_sheet() {
    let ws = Ws::spec_example();
    ws.append("2025/scores-rural.csv", "B99,self,40,30,20,10\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:23:1: [branch] ",
        &[
            "unknown branch `B99`",
            "expected a branch id of branches.csv",
        ],
    );
    has_excerpt(&err, 23, "B99,self,40,30,20,10");
    one_problem(&err);
}

/// `stars rectify` does not read reviews.csv (the town review changes a star, never an
/// item): a broken one leaves the list as it was, while `stars check` still tells it.
#[test]
fn rectify_does_not_read_reviews() {
    let ws = Ws::spec_example();
    let args = ["rectify", "--year", "2025", "--format", "csv"];
    let before = ws.run(&args);
    assert_eq!(before.code, Some(0), "{}", before.stderr);
    ws.append("2025/reviews.csv", "B99,discipline,approve,\n");
    check_fails(&ws);
    let after = ws.run(&args);
    assert_eq!(after.code, Some(0), "{}", after.stderr);
    assert!(after.stdout.lines().count() > 1);
    assert_eq!(after.stdout, before.stdout);
}

#[test]
fn unknown_branch_in_reviews() {
    let ws = Ws::spec_example();
    ws.append("2025/reviews.csv", "B99,discipline,approve,\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/reviews.csv:25:1: [branch] ",
        &[
            "unknown branch `B99`",
            "expected a branch id of branches.csv",
        ],
    );
    one_problem(&err);
}

#[test]
fn unknown_indicator_column() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/scores-rural.csv",
        "branch,level,C1,C2,R1,R2\n",
        "branch,level,C1,C2,R1,R9\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:1:6: [R9] ",
        &[
            "unknown column `R9`",
            "expected branch, level, name, overall or an indicator id",
        ],
    );
    has_excerpt(&err, 1, "branch,level,C1,C2,R1,R9");
    one_problem(&err);
}

#[test]
fn duplicated_column() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/scores-rural.csv",
        "branch,level,C1,C2,R1,R2\n",
        "branch,level,C1,C2,R1,R1\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:1:6: [R1] ",
        &["column `R1` appears twice"],
    );
    one_problem(&err);
}

#[test]
fn indicator_of_another_domain() {
    let ws = Ws::spec_example();
    add_column(&ws, "2025/scores-rural.csv", "A1");
    set_cell(&ws, "2025/scores-rural.csv", 2, 7, "5");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:2:7: [A1] ",
        &[
            "`A1` is not an indicator of the rural standard of branch B01",
            "expected this cell blank",
        ],
    );
    one_problem(&err);
}

#[test]
fn unknown_level() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-rural.csv", "B01,self,", "B01,selve,");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:2:2: [level] ",
        &[
            "unknown level `selve`",
            "expected self, mass or organization",
        ],
    );
    has_excerpt(&err, 2, "B01,selve,40,30,20,10");
}

#[test]
fn unknown_item_in_events() {
    let ws = Ws::spec_example();
    ws.patch("2025/events.csv", "B04,P1,", "B04,P9,");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/events.csv:2:2: [item] ",
        &[
            "unknown item `P9` for the rural standard",
            "expected an incentive, restraint or red-line id: P1, P2, P3, N1, N2, X1, X2",
        ],
    );
    has_excerpt(&err, 2, "B04,P9,2025-03-02,County commendation");
    one_problem(&err);
}

#[test]
fn unknown_department() {
    let ws = Ws::spec_example();
    ws.patch("2025/reviews.csv", "B01,discipline,", "B01,police,");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/reviews.csv:2:2: [department] ",
        &[
            "unknown department `police`",
            "expected one of: discipline (纪检监察), law_enforcement (行政执法), industry (行业监管)",
        ],
    );
    one_problem(&err);
}

#[test]
fn duplicated_department_opinion() {
    let ws = Ws::spec_example();
    ws.append("2025/reviews.csv", "B01,discipline,object,again\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/reviews.csv:25:2: [department] ",
        &[
            "B01 has a second opinion of discipline (first on line 2)",
            "expected one opinion per department",
        ],
    );
    has_excerpt(&err, 25, "B01,discipline,object,again");
    one_problem(&err);
}

#[test]
fn unknown_opinion() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/reviews.csv",
        "B01,discipline,approve,",
        "B01,discipline,yes,",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/reviews.csv:2:3: [opinion] ",
        &[
            "unknown opinion `yes`",
            "expected approve (同意) or object (有异议, 不同意)",
        ],
    );
    one_problem(&err);
}

#[test]
fn unknown_rectification_status() {
    let ws = Ws::spec_example();
    add_year_2026(&ws);
    ws.write(
        "2026/rectification.csv",
        "item,status,note\n2025-B04-X1,finished,\n",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2026/rectification.csv:2:2: [status] ",
        &[
            "unknown status `finished`",
            "expected done (已完成, 已整改, 完成, 整改完成, 已销号) or open (未完成, 未整改, 整改中, 正在整改, 未销号)",
        ],
    );
    has_excerpt(&err, 2, "2025-B04-X1,finished,");
    one_problem(&err);
    // The adjustment reads rectification.csv, so it refuses it too; the rating does not
    // read it and is not held up by it.
    let adjust = failed(
        &ws.run(&["adjust", "--year", "2026", "--format", "csv"]),
        "adjust 2026",
    );
    assert_eq!(adjust, err);
    assert_eq!(
        ws.run(&["evaluate", "--year", "2026", "--format", "csv"])
            .code,
        Some(0)
    );
}

#[test]
fn duplicated_branch_id() {
    let ws = Ws::spec_example();
    ws.append(
        "branches.csv",
        "B01,Again Village,rural,Spec,Xu Ming,Zhao Min,Well\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/branches.csv:15:1: [id] ",
        &[
            "branch `B01` is listed twice (first on line 2)",
            "expected unique ids",
        ],
    );
    one_problem(&err);
}

#[test]
fn duplicated_branch_id_of_a_row_left_out() {
    // The first B01 is left out for its domain; the second is still a repeat of it, and the
    // ids before it came in order (no map of ids was needed until then).
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "B01,East Village,rural,",
        "B01,East Village,farm,",
    );
    ws.patch(
        "branches.csv",
        "B02,West Village,rural,",
        "B01,West Village,rural,",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/branches.csv:2:3: [domain] ",
        &["unknown domain `farm`"],
    );
    has_error(
        &err,
        "ws/branches.csv:3:1: [id] ",
        &["branch `B01` is listed twice (first on line 2)"],
    );
    assert_eq!(count(&err), 2, "{err}");
}

#[test]
fn unknown_domain_in_branches() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "B01,East Village,rural,",
        "B01,East Village,farm,",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/branches.csv:2:3: [domain] ",
        &[
            "unknown domain `farm`",
            "expected one of: rural, agency, two_new, community, soe",
        ],
    );
    one_problem(&err);
}

#[test]
fn unknown_domain_in_standard() {
    let ws = Ws::spec_example();
    ws.patch(
        "standards/rural.toml",
        "domain = \"rural\"",
        "domain = \"farm\"",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/rural.toml:1:10: [domain] ",
        &[
            "unknown domain `farm`",
            "expected one of: rural, agency, two_new, community, soe",
        ],
    );
    one_problem(&err);
}

#[test]
fn missing_column_in_branches() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "secretary,lead,project",
        "secretary,project",
    );
    // Every row now has one field too many; the missing column is what is wrong.
    ws.map_lines("branches.csv", |n, l| {
        if n == 1 {
            l.to_string()
        } else {
            let mut c: Vec<&str> = l.split(',').collect();
            c.remove(5);
            c.join(",")
        }
    });
    let err = broken(&ws);
    has_error(
        &err,
        "ws/branches.csv:1: ",
        &[
            "missing column `lead`",
            "the header must have: id, name, domain, town, secretary, lead, project",
        ],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// The shape of score sheets
// ---------------------------------------------------------------------------------------

#[test]
fn score_given_twice_in_one_sheet() {
    let ws = Ws::spec_example();
    ws.append("2025/scores-rural.csv", "B01,self,40,30,20,10\n");
    let err = broken(&ws);
    // A copied row is one problem naming both rows, not one per cell.
    has_error(
        &err,
        "ws/2025/scores-rural.csv:23: ",
        &[
            "row repeats the self scores of B01 already given on line 2",
            "expected each branch's level in one row only",
        ],
    );
    one_problem(&err);
}

#[test]
fn score_given_twice_across_sheets() {
    let ws = Ws::spec_example();
    // B09's mass level is given by `overall` on line 9 of scores-mass.csv; this sheet gives
    // its C1 again. `scores-x.csv` is read after `scores-mass.csv`.
    ws.write("2025/scores-x.csv", "branch,level,C1\nB09,mass,20\n");
    let err = broken(&ws);
    // The message must say WHICH other sheet holds the first score.
    has_error(
        &err,
        "ws/2025/scores-x.csv:2: ",
        &[
            "row repeats the mass scores of B09",
            "already given on ws/2025/scores-mass.csv, line 9",
        ],
    );
    one_problem(&err);
}

#[test]
fn score_missing() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/: ",
        &[
            "branch B01 has no mass score for every indicator",
            "expected a row for it in a scores*.csv sheet",
        ],
    );
    one_problem(&err);
}

#[test]
fn ragged_row() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/scores-rural.csv",
        "B01,self,40,30,20,10\n",
        "B01,self,40,30,20,10,5\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:2: ",
        &["row has a value in column 7, past the header's 6 columns"],
    );
    has_excerpt(&err, 2, "B01,self,40,30,20,10,5");
    // The row is there, only malformed: B01 must not also be reported as having no self score.
    one_problem(&err);
}

#[test]
fn unclosed_quote() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-rural.csv", "B01,self,40,", "B01,self,\"40,");
    let err = broken(&ws);
    // The quote opened on line 2 swallows the rest of the file: say so, at line 2.
    has_error(&err, "ws/2025/scores-rural.csv:2", &["quote"]);
    one_problem(&err);
}

#[test]
fn row_mixing_scores_and_overall() {
    let ws = Ws::spec_example();
    add_column(&ws, "2025/scores-agency.csv", "overall");
    set_cell(&ws, "2025/scores-agency.csv", 2, 6, "50");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-agency.csv:2:6: [overall] ",
        &[
            "row mixes indicator scores and `overall`",
            "expected either every indicator score or only overall",
        ],
    );
    has_excerpt(&err, 2, "B09,self,40,30,30,50");
    one_problem(&err);
}

#[test]
fn partially_filled_row() {
    let ws = Ws::spec_example();
    set_cell(&ws, "2025/scores-rural.csv", 2, 4, "");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:2:4: [C2] ",
        &[
            "score is blank while others in the row are filled",
            "expected every indicator of the row's domain, or all blank and overall",
        ],
    );
    one_problem(&err);
}

#[test]
fn row_without_any_score() {
    let ws = Ws::spec_example();
    ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-mass.csv:2: ",
        &[
            "row gives no score for branch B01 (rural)",
            "expected its indicator scores or an overall",
        ],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

#[test]
fn event_date_invalid() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/events.csv",
        "B04,P1,2025-03-02,",
        "B04,P1,2025-13-01,",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/events.csv:2:3: [date] ",
        &["`2025-13-01` is not a date", "expected YYYY-MM-DD"],
    );
    one_problem(&err);
}

#[test]
fn event_date_in_another_year() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/events.csv",
        "B04,P1,2025-03-02,",
        "B04,P1,2024-03-02,",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/events.csv:2:3: [date] ",
        &[
            "date 2024-03-02 is not in 2025",
            "expected a date of the year rated",
        ],
    );
    one_problem(&err);
}

#[test]
fn evaluated_not_a_date_string() {
    let ws = Ws::spec_example();
    ws.patch(
        "stars.toml",
        "evaluated = 2025-12-20",
        "evaluated = \"soon\"",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/stars.toml:4:13: [years.2025.evaluated] ",
        &["found `soon`", "expected a date such as 2025-12-20"],
    );
    has_excerpt(&err, 4, "evaluated = \"soon\"");
    one_problem(&err);
}

#[test]
fn evaluated_not_a_date_integer() {
    let ws = Ws::spec_example();
    ws.patch(
        "stars.toml",
        "evaluated = 2025-12-20",
        "evaluated = 20251220",
    );
    let err = broken(&ws);
    // "found an integer", not "found a integer".
    has_error(
        &err,
        "ws/stars.toml:4:13: [years.2025.evaluated] ",
        &["found an integer", "expected a date such as 2025-12-20"],
    );
    one_problem(&err);
}

#[test]
fn evaluated_impossible_date() {
    let ws = Ws::spec_example();
    ws.patch(
        "stars.toml",
        "evaluated = 2025-12-20",
        "evaluated = 2025-12-32",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/stars.toml:4:",
        &["TOML syntax error", "invalid date-time"],
    );
    one_problem(&err);
}

#[test]
fn evaluated_in_another_year() {
    let ws = Ws::spec_example();
    ws.patch(
        "stars.toml",
        "evaluated = 2025-12-20",
        "evaluated = 2023-12-20",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/stars.toml:4:13: [years.2025.evaluated] ",
        &["evaluation date 2023-12-20 is not in 2025 or early 2026"],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Standards
// ---------------------------------------------------------------------------------------

#[test]
fn level_weight_negative() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "self = 0.2", "self = -0.2");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:7:8: [levels.self] ",
        &["weight -0.2 of level self is out of range; expected 0 to 1"],
    );
    has_excerpt(&err, 7, "self = -0.2");
}

#[test]
fn level_weights_not_summing_to_1() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "self = 0.2", "self = 0.3");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:6:1: [levels] ",
        &["level weights sum to 1.1 (self 0.3 + mass 0.3 + organization 0.5); expected exactly 1"],
    );
    one_problem(&err);
}

#[test]
fn points_not_totalling_100() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "points = 40", "points = 45");
    let err = broken(&ws);
    for (domain, own) in [("rural", "30"), ("agency", "30")] {
        let phrase = format!(
            "indicator points total 105 (common 75 + {domain} {own}); expected exactly 100"
        );
        has_error(&err, &format!("ws/standards/{domain}.toml"), &[&phrase]);
        // The spec asks for a line or a key, not only the file name.
        let file_only = format!("error: ws/standards/{domain}.toml: indicator points total");
        assert!(
            !err.contains(&file_only),
            "the points total should name a line or a key (e.g. `[indicator]`), not only the file:\n{err}"
        );
    }
    assert_eq!(count(&err), 2);
}

#[test]
fn thresholds_out_of_order() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "four = 80", "four = 95");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:11:1: [stars] ",
        &[
            "star thresholds are out of order (five 90, four 95, three 70, two 60)",
            "expected five > four > three > two",
        ],
    );
    one_problem(&err);
}

#[test]
fn red_line_cap_out_of_range() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "\ncap = 2", "\ncap = 7");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:78:7: [red_line[1].cap] ",
        &["found 7; expected a whole number from 0 to 5"],
    );
    has_excerpt(&err, 78, "cap = 7");
    one_problem(&err);
}

#[test]
fn bottom_line_cap_out_of_range() {
    let ws = Ws::spec_example();
    ws.patch(
        "standards/common.toml",
        "bottom_line_cap = 2",
        "bottom_line_cap = 6",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:3:19: [bottom_line_cap] ",
        &["found 6; expected a whole number from 0 to 5"],
    );
    one_problem(&err);
}

#[test]
fn unknown_key_in_common_standard() {
    let ws = Ws::spec_example();
    ws.patch(
        "standards/common.toml",
        "bonus_cap = 5\n",
        "bonus_cap = 5\nbonus_kap = 3\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:3:",
        &[
            "[bonus_kap] unknown key `bonus_kap`",
            "expected one of: levels, stars, bonus_cap",
        ],
    );
    one_problem(&err);
}

#[test]
fn unknown_key_in_domain_standard() {
    let ws = Ws::spec_example();
    ws.patch(
        "standards/rural.toml",
        "points = 20\n",
        "points = 20\nweight = 1\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/rural.toml:10:",
        &[
            "[indicator[1].weight] unknown key `weight`",
            "expected one of: id, name, name_zh, points",
        ],
    );
    has_excerpt(&err, 10, "weight = 1");
    one_problem(&err);
}

#[test]
fn unknown_key_in_stars_toml() {
    let ws = Ws::spec_example();
    ws.write(
        "stars.toml",
        format!("colour = \"red\"\n{}", ws.read("stars.toml")),
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/stars.toml:1:",
        &[
            "[colour] unknown key `colour`",
            "expected one of: name, lang, years, publicity",
        ],
    );
    one_problem(&err);
}

#[test]
fn toml_syntax_error() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "five = 90", "five = = 90");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:12:8: ",
        &["TOML syntax error"],
    );
    has_excerpt(&err, 12, "five = = 90");
    one_problem(&err);
}

#[test]
fn missing_key() {
    let ws = Ws::spec_example();
    ws.patch("standards/common.toml", "points = 40\n", "");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:27:1: [indicator[1]] ",
        &["missing key `indicator[1].points`"],
    );
    // The points total cannot be known without C1's points: no follow-on "total 60".
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

#[test]
fn missing_stars_toml() {
    let ws = Ws::spec_example();
    ws.remove("stars.toml");
    let err = broken(&ws);
    has_error(&err, "ws/stars.toml: ", &["file not found"]);
    one_problem(&err);
}

#[test]
fn missing_branches_csv() {
    let ws = Ws::spec_example();
    ws.remove("branches.csv");
    let err = broken(&ws);
    has_error(&err, "ws/branches.csv: ", &["file not found"]);
    one_problem(&err);
}

#[test]
fn empty_branches_csv() {
    let ws = Ws::spec_example();
    ws.write("branches.csv", "");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/branches.csv: ",
        &["file is empty; expected a header row"],
    );
    one_problem(&err);
}

#[test]
fn empty_score_sheet() {
    let ws = Ws::spec_example();
    ws.write("2025/scores-mass.csv", "");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-mass.csv: ",
        &["file is empty; expected a header row"],
    );
    // The sheet that cannot be read is the problem; not twelve branches without mass scores.
    one_problem(&err);
}

#[test]
fn empty_standard_file() {
    let ws = Ws::spec_example();
    ws.write("standards/rural.toml", "");
    let err = broken(&ws);
    has_error(&err, "ws/standards/rural.toml: ", &["file is empty"]);
    one_problem(&err);
}

#[test]
fn undecodable_bytes_in_branches_csv() {
    let ws = Ws::spec_example();
    let mut bytes = ws.read_bytes("branches.csv");
    // Line 5 (B04) gets a name of 0xFF 0xFF: invalid in UTF-8, and 0xFF is no GB18030 lead byte.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.find("North Village").unwrap();
    bytes.splice(at..at + "North Village".len(), [0xFF, 0xFF]);
    ws.write("branches.csv", &bytes);
    let err = broken(&ws);
    // In the default (auto) encoding the file may be UTF-8 or GB18030: say both.
    has_error(
        &err,
        "ws/branches.csv:5: ",
        &["bytes are not valid text", "expected UTF-8 or GB18030/GBK"],
    );
    one_problem(&err);
}

#[test]
fn undecodable_bytes_in_score_sheet() {
    let ws = Ws::spec_example();
    let mut bytes = ws.read_bytes("2025/scores-mass.csv");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.find("B02").unwrap();
    bytes.splice(at..at + 3, [0xFF, 0xFF]);
    ws.write("2025/scores-mass.csv", &bytes);
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-mass.csv:3: ",
        &["bytes are not valid text"],
    );
    // Only the unreadable sheet, not every branch whose mass score was in it.
    one_problem(&err);
}

#[test]
fn undecodable_bytes_in_toml() {
    let ws = Ws::spec_example();
    ws.write(
        "stars.toml",
        [
            b"name = \"\xFF\"\n".as_slice(),
            b"\n[years.2025]\nevaluated = 2025-12-20\n",
        ]
        .concat(),
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/stars.toml:1: ",
        &[
            "bytes are not valid text",
            "expected UTF-8 (TOML files must be UTF-8)",
        ],
    );
    one_problem(&err);
}

#[test]
fn unknown_standard_file() {
    let ws = Ws::spec_example();
    ws.write("standards/farm.toml", ws.read("standards/rural.toml"));
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/farm.toml: ",
        &[
            "unknown standard file `farm.toml`",
            "expected one of: common.toml, rural.toml, agency.toml, two_new.toml, community.toml, soe.toml",
        ],
    );
    one_problem(&err);
}

#[test]
fn year_folder_without_years_entry() {
    let ws = Ws::spec_example();
    ws.write("2026/scores-mass.csv", ws.read("2025/scores-mass.csv"));
    let err = broken(&ws);
    has_error(
        &err,
        "ws/stars.toml: ",
        &[
            "year folder 2026/ has no [years.2026]",
            "expected its evaluation date",
        ],
    );
    one_problem(&err);
}

#[test]
fn years_entry_without_folder() {
    let ws = Ws::spec_example();
    ws.append("stars.toml", "\n[years.2026]\nevaluated = 2026-12-20\n");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2026/: ",
        &["year folder not found; [years.2026] in stars.toml expects it"],
    );
    one_problem(&err);
}

#[test]
fn rectification_unknown_item() {
    let ws = Ws::spec_example();
    add_year_2026(&ws);
    ws.write(
        "2026/rectification.csv",
        "item,status,note\n2025-B04-X1,done,\n2025-B99-C1,open,\n",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2026/rectification.csv:3:1: [item] ",
        &[
            "unknown item `2025-B99-C1`",
            "expected an id of 2025's rectification items (see `stars rectify --year 2025`)",
        ],
    );
    // Like every other CSV problem, the line is shown.
    has_excerpt(&err, 3, "2025-B99-C1,open,");
    one_problem(&err);
}

#[test]
fn rectification_item_listed_twice() {
    let ws = Ws::spec_example();
    add_year_2026(&ws);
    // A known item twice (it also comes out of id order), and an unknown one twice: the
    // second of each is "listed twice", the unknown one is also unknown.
    ws.write(
        "2026/rectification.csv",
        "item,status,note\n2025-B04-X1,done,\n2025-B04-X1,open,\n2025-B99-C1,open,\n2025-B99-C1,open,\n",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2026/rectification.csv:3:1: [item] ",
        &[
            "item `2025-B04-X1` is listed twice (first on line 2)",
            "expected once",
        ],
    );
    has_error(
        &err,
        "ws/2026/rectification.csv:4:1: [item] ",
        &["unknown item `2025-B99-C1`"],
    );
    has_error(
        &err,
        "ws/2026/rectification.csv:5:1: [item] ",
        &[
            "item `2025-B99-C1` is listed twice (first on line 4)",
            "expected once",
        ],
    );
    assert_eq!(count(&err), 3, "{err}");
}

#[test]
fn rectification_in_first_year() {
    let ws = Ws::spec_example();
    ws.write(
        "2025/rectification.csv",
        "item,status,note\n2024-B01-C1,done,\n",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2025/rectification.csv:2: ",
        &["2024 is not a year of this workspace, so it has no rectification items"],
    );
    one_problem(&err);
}

/// Line 6 of a GBK file saved as UTF-8 (pasted from another file): never read garbled.
#[test]
fn lines_in_two_encodings() {
    let ws = Ws::spec_example();
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
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/events.csv:6: ",
        &[
            "line 6 is saved as UTF-8, but line 2 before it as GB18030/GBK",
            "expected one encoding for the whole file",
        ],
    );
    one_problem(&err);
}

/// A GBK file with a byte valid in neither encoding: its own line, not the first.
#[test]
fn undecodable_bytes_in_a_gbk_file() {
    let ws = Ws::spec_example();
    let text = ws
        .read("2025/events.csv")
        .replace("County circular", "县级通报");
    let mut bytes = encoding_rs::GB18030.encode(&text).0.into_owned();
    let at = bytes.windows(3).position(|w| w == b"N2,").unwrap();
    bytes.splice(at..at + 2, [0xFF, 0xFF]);
    ws.write("2025/events.csv", &bytes);
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/events.csv:8: ",
        &["bytes are not valid text", "expected UTF-8 or GB18030/GBK"],
    );
    one_problem(&err);
}

/// `B04` typed as `4` where ids are digits (`004`): a spreadsheet dropped the zeros.
#[test]
fn branch_id_that_lost_its_leading_zeros() {
    let ws = Ws::spec_example();
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
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-mass.csv:5:1: [branch] ",
        &[
            "unknown branch `4`, but branch `04` exists: a spreadsheet dropped its leading zeros",
            "expected 04: format the column as Text before typing, or type '04",
        ],
    );
}

/// The rectification list read back with an item's status left blank.
#[test]
fn rectification_status_blank() {
    let ws = Ws::spec_example();
    add_year_2026(&ws);
    ws.write(
        "2026/rectification.csv",
        "item,status,note\n2025-B04-X1,,\n",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2026/rectification.csv:2:2: [status] ",
        &[
            "status is blank; expected done (已完成, 已整改, 完成, 整改完成, 已销号) or open (未完成, 未整改, 整改中, 正在整改, 未销号)",
            "type the item's status, or delete the row (an item not listed is not done)",
        ],
    );
    one_problem(&err);
}

/// `stars template rural --level` of a level that is none.
#[test]
fn template_of_an_unknown_level() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "rural", "--level", "town"]);
    let err = failed(&run, "stars template");
    has_error(
        &err,
        "(command line): ",
        &["unknown level `town`; expected self (自评), mass (群众评议) or organization (组织评定)"],
    );
    one_problem(&err);
}

/// `stars template rectification` in the first year: there is no year before.
#[test]
fn rectification_template_in_first_year() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "rectification", "--year", "2025"]);
    let err = failed(&run, "stars template rectification");
    has_error(
        &err,
        "(command line): ",
        &["2025 is the first year of this workspace: there are no rectification items of 2024"],
    );
    one_problem(&err);
}

/// `--per-branch` writes workbooks or CSV files only: another format is wrong usage.
#[test]
fn per_branch_in_another_format_is_wrong_usage() {
    let ws = Ws::spec_example();
    let run = ws.run(&["template", "rural", "--per-branch", "out", "-f", "json"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: --per-branch writes a workbook (xlsx, the default) or CSV file per branch: use --format xlsx or csv\n"
    );
    assert!(!ws.tmp.path().join("out").exists());
}

/// The same, at the end of the file: branches.csv is read in two parts on two cores, and
/// the second part's lines must be the file's.
#[test]
fn branch_from_after_workspace_years_late_in_the_file() {
    let ws = Ws::spec_example();
    add_column(&ws, "branches.csv", "from");
    set_cell(&ws, "branches.csv", 14, 8, "2030");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/branches.csv:14:8: [from] ",
        &["branch `B13` is rated from 2030, which is none of the workspace's years (2025)"],
    );
    one_problem(&err);
}

#[test]
fn branch_from_after_workspace_years() {
    let ws = Ws::spec_example();
    add_column(&ws, "branches.csv", "from");
    set_cell(&ws, "branches.csv", 2, 8, "2030");
    let err = broken(&ws);
    // Named at the cell: line 2, column 8 (`from`).
    has_error(
        &err,
        "ws/branches.csv:2:8: [from] ",
        &["branch `B01` is rated from 2030, which is none of the workspace's years (2025)"],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Many problems at once
// ---------------------------------------------------------------------------------------

#[test]
fn many_problems_listed_in_one_run() {
    let ws = Ws::spec_example();
    set_cell(&ws, "2025/scores-rural.csv", 2, 3, "abc");
    set_cell(&ws, "2025/scores-agency.csv", 2, 3, "-1");
    ws.patch("2025/scores-mass.csv", "B01,mass,90\n", "B01,mass,101\n");
    ws.patch(
        "2025/events.csv",
        "B04,P1,2025-03-02,",
        "B04,P1,2025-13-01,",
    );
    ws.patch(
        "2025/reviews.csv",
        "B01,discipline,approve,",
        "B01,discipline,yes,",
    );
    let err = broken(&ws);
    let lines = error_lines(&err);
    let want = [
        "error: ws/2025/events.csv:2:3: [date] ",
        "error: ws/2025/reviews.csv:2:3: [opinion] ",
        "error: ws/2025/scores-agency.csv:2:3: [C1] ",
        "error: ws/2025/scores-mass.csv:2:3: [overall] ",
        "error: ws/2025/scores-rural.csv:2:3: [C1] ",
    ];
    assert_eq!(lines.len(), want.len(), "{err}");
    for (l, w) in lines.iter().zip(want) {
        assert!(
            l.starts_with(w),
            "expected `{w}…`, in this order; got:\n{err}"
        );
    }
    assert!(err.ends_with("\n5 problems found\n"), "{err}");
}

#[test]
fn problems_sorted_by_line_number() {
    let ws = Ws::spec_example();
    set_cell(&ws, "2025/scores-rural.csv", 12, 3, "x");
    set_cell(&ws, "2025/scores-rural.csv", 3, 3, "y");
    let err = broken(&ws);
    let lines = error_lines(&err);
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("error: ws/2025/scores-rural.csv:3:3: "),
        "{err}"
    );
    assert!(
        lines[1].starts_with("error: ws/2025/scores-rural.csv:12:3: "),
        "{err}"
    );
    assert!(err.ends_with("\n2 problems found\n"), "{err}");
}

#[test]
fn many_problems_in_workspace_files() {
    let ws = Ws::spec_example();
    ws.write(
        "stars.toml",
        format!("colour = \"red\"\n{}", ws.read("stars.toml")),
    );
    ws.patch(
        "branches.csv",
        "B01,East Village,rural,",
        "B01,East Village,farm,",
    );
    ws.patch(
        "standards/common.toml",
        "bottom_line_cap = 2",
        "bottom_line_cap = 6",
    );
    let err = broken(&ws);
    let lines = error_lines(&err);
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("error: ws/branches.csv:2:3: [domain] "),
        "{err}"
    );
    assert!(
        lines[1].starts_with("error: ws/standards/common.toml:3:19: [bottom_line_cap] "),
        "{err}"
    );
    assert!(lines[2].starts_with("error: ws/stars.toml:1:"), "{err}");
    assert!(err.ends_with("\n3 problems found\n"), "{err}");
}

#[test]
fn workspace_and_year_problems_listed_together() {
    let ws = Ws::spec_example();
    // A stray key in stars.toml stops nothing from being read: the bad score in the year
    // folder must be listed in the same run.
    ws.write(
        "stars.toml",
        format!("colour = \"red\"\n{}", ws.read("stars.toml")),
    );
    set_cell(&ws, "2025/scores-rural.csv", 2, 3, "abc");
    let err = check_fails(&ws);
    has_error(&err, "ws/stars.toml:1:", &["unknown key `colour`"]);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:2:3: [C1] ",
        &["score `abc` is not a number"],
    );
    assert_eq!(count(&err), 2, "{err}");
}

// ---------------------------------------------------------------------------------------
// Encodings that must be read
// ---------------------------------------------------------------------------------------

fn evaluate_ok(ws: &Ws) -> String {
    let run = ws.run(EVALUATE);
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    run.stdout
}

/// The CSV output without its `name` column (column 2).
fn without_names(csv: &str) -> String {
    csv.lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(',').collect();
            c.remove(1);
            c.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const CHINESE_NAMES: [(&str, &str); 4] = [
    ("East Village", "东村党支部"),
    ("West Village", "西村党支部"),
    ("Town Office", "镇党政办党支部"),
    ("Willow Village", "柳树村党支部"),
];

fn chinese_branches(ws: &Ws) -> String {
    let mut text = ws.read("branches.csv");
    for (en, zh) in CHINESE_NAMES {
        text = text.replacen(en, zh, 1);
    }
    text.replace("Wang Li", "王丽").replace("Zhao Min", "赵敏")
}

#[test]
fn gbk_branches_rate_like_utf8() {
    let original = evaluate_ok(&Ws::spec_example());

    let utf8 = Ws::spec_example();
    let text = chinese_branches(&utf8);
    utf8.write("branches.csv", &text);
    let from_utf8 = evaluate_ok(&utf8);

    let gbk = Ws::spec_example();
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the GBK file must not be valid UTF-8"
    );
    gbk.write("branches.csv", &bytes);
    let from_gbk = evaluate_ok(&gbk);
    let check = gbk.run(CHECK);
    assert_eq!((check.code, check.stderr.as_str()), (Some(0), ""));

    assert_eq!(
        from_gbk, from_utf8,
        "GBK and UTF-8 inputs must rate identically"
    );
    for (_, zh) in CHINESE_NAMES {
        assert!(
            from_gbk.contains(zh),
            "the name {zh} should be decoded:\n{from_gbk}"
        );
    }
    assert_eq!(without_names(&from_gbk), without_names(&original));
}

#[test]
fn bom_crlf_score_sheet_rates_like_original() {
    let original = evaluate_ok(&Ws::spec_example());
    let ws = Ws::spec_example();
    let text = ws.read("2025/scores-rural.csv").replace('\n', "\r\n");
    ws.write(
        "2025/scores-rural.csv",
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    assert_eq!(evaluate_ok(&ws), original);
    let check = ws.run(CHECK);
    assert_eq!((check.code, check.stderr.as_str()), (Some(0), ""));
}

/// Excel and WPS save CSV with CRLF line ends, often with blank lines: a problem is still
/// told at its own line, with that line shown.
#[test]
fn crlf_sheet_problem_at_its_line() {
    let ws = Ws::spec_example();
    let text = ws
        .read("2025/scores-rural.csv")
        .replace("B02,self,40,", "B02,self,40x,")
        .replace(
            "B01,organization,36,27,18,9\n",
            "B01,organization,36,27,18,9\n\n",
        )
        .replace('\n', "\r\n");
    ws.write("2025/scores-rural.csv", text);
    let err = check_fails(&ws);
    // Line 4 is blank; B02's self row is on line 5.
    has_error(
        &err,
        "ws/2025/scores-rural.csv:5:3: [C1] ",
        &["score `40x` is not a number"],
    );
    has_excerpt(&err, 5, "B02,self,40x,30,20,10");
    one_problem(&err);
}

#[test]
fn bom_crlf_everywhere_rates_like_original() {
    let original = evaluate_ok(&Ws::spec_example());
    let ws = Ws::spec_example();
    for rel in [
        "stars.toml",
        "branches.csv",
        "standards/common.toml",
        "standards/rural.toml",
        "standards/agency.toml",
        "2025/events.csv",
        "2025/reviews.csv",
        "2025/scores-agency.csv",
        "2025/scores-mass.csv",
        "2025/scores-rural.csv",
    ] {
        let text = ws.read(rel).replace('\n', "\r\n");
        ws.write(rel, [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
    }
    assert_eq!(evaluate_ok(&ws), original);
}

#[test]
fn gbk_score_sheet_with_chinese_names_rates_like_original() {
    let original = evaluate_ok(&Ws::spec_example());
    let ws = Ws::spec_example();
    // An optional `name` column in Chinese, saved as GBK the way WPS does.
    ws.map_lines("2025/scores-agency.csv", |n, l| {
        let (branch, rest) = l.split_once(',').unwrap();
        let name = match (n, branch) {
            (1, _) => "name",
            (_, "B09") => "镇党政办",
            (_, "B10") => "财政所",
            _ => "国土所",
        };
        format!("{branch},{name},{rest}")
    });
    let text = ws.read("2025/scores-agency.csv");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    ws.write("2025/scores-agency.csv", &bytes);
    assert_eq!(evaluate_ok(&ws), original);
}

// ---------------------------------------------------------------------------------------
// Never a panic, whatever the bytes
// ---------------------------------------------------------------------------------------

/// Arbitrary bytes, arbitrary text made of the characters that matter to CSV and TOML, or
/// the original file with a random stretch replaced.
fn mangled(original: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = original.len();
    let splice = (
        0..=len,
        0..=len,
        proptest::collection::vec(any::<u8>(), 0..24),
    )
        .prop_map(move |(a, b, ins)| {
            let (a, b) = (a.min(b), a.max(b).min(a.min(b) + 24));
            let mut out = original.clone();
            out.splice(a..b, ins);
            out
        });
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "[a-zA-Z0-9_,.\"'=\\[\\]{}#\n\r\t -]{0,200}".prop_map(String::into_bytes),
        splice,
    ]
}

/// Write `bytes` into `rel`, run check and evaluate: exit 0 or 1, never a panic.
fn never_panics(rel: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let ws = Ws::spec_example();
    ws.write(rel, bytes);
    for args in [CHECK, EVALUATE] {
        let run = ws.run(args);
        prop_assert!(
            !run.stderr.contains("panicked"),
            "{args:?} panicked with {rel} = {bytes:?}:\n{}",
            run.stderr
        );
        prop_assert!(
            matches!(run.code, Some(0) | Some(1)),
            "{args:?} exited {:?} with {rel} = {bytes:?}:\n{}",
            run.code,
            run.stderr
        );
        if run.code == Some(1) {
            prop_assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
            prop_assert_eq!(run.stdout.as_str(), "");
        }
    }
    Ok(())
}

/// The other input files, for the catch-all never-panics property.
const OTHER_INPUTS: [&str; 7] = [
    "stars.toml",
    "branches.csv",
    "standards/rural.toml",
    "standards/agency.toml",
    "2025/events.csv",
    "2025/reviews.csv",
    "2025/scores-mass.csv",
];

/// 64 cases, or `PROPTEST_CASES` when set (for a longer run by hand).
fn fuzz_cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn fixture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(common::fixture_path("spec-example").join(rel)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: fuzz_cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_score_sheet_never_panics(bytes in mangled(fixture_bytes("2025/scores-rural.csv"))) {
        never_panics("2025/scores-rural.csv", &bytes)?;
    }

    #[test]
    fn arbitrary_other_input_never_panics(
        (rel, bytes) in proptest::sample::select(OTHER_INPUTS.to_vec())
            .prop_flat_map(|rel| (Just(rel), mangled(fixture_bytes(rel))))
    ) {
        never_panics(rel, &bytes)?;
    }

    #[test]
    fn arbitrary_common_toml_never_panics(bytes in mangled(fixture_bytes("standards/common.toml"))) {
        never_panics("standards/common.toml", &bytes)?;
    }
}

#[test]
fn too_many_indicators() {
    let ws = Ws::spec_example();
    // 70 more rural indicators of 0.25 points each, the two own ones cut to keep 100 points.
    let mut extra = String::new();
    for i in 0..70 {
        extra.push_str(&format!(
            "\n[[indicator]]\nid = \"Z{i}\"\nname = \"Extra\"\nname_zh = \"附加\"\npoints = 0.25\nrubric = \"r\"\nguidance = \"g\"\n"
        ));
    }
    ws.patch("standards/rural.toml", "points = 20", "points = 8");
    ws.patch("standards/rural.toml", "points = 10", "points = 4.5");
    ws.append("standards/rural.toml", &extra);
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/standards/rural.toml: ",
        &["the rural standard has 74 indicators; expected at most 64"],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Stars by theme (SPEC.md "Stars by theme"), on the themed example (tests/fixtures/themes:
// common.toml has stars_by = "themes" and T1–T4, rural.toml T5, agency.toml rates by score).
// ---------------------------------------------------------------------------------------

fn themed() -> Ws {
    Ws::fixture("themes")
}

const THEMED_COMMON: &str = "standards/common.toml";
const THEMED_RURAL: &str = "standards/rural.toml";

/// The fifth theme of rural.toml, to add a sixth after it.
const T5: &str = "name_zh = \"文明幸福星\"\npass = 0.75\n";

#[test]
fn stars_by_unknown() {
    let ws = themed();
    ws.patch(
        THEMED_COMMON,
        "stars_by = \"themes\"",
        "stars_by = \"theme\"",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:3:12: [stars_by] ",
        &["unknown stars_by `theme`; expected \"score\" or \"themes\""],
    );
    has_excerpt(&err, 3, "stars_by = \"theme\"");
    one_problem(&err);
}

#[test]
fn theme_pass_out_of_range() {
    let ws = themed();
    ws.patch(
        THEMED_COMMON,
        "name_zh = \"产业兴旺星\"\npass = 0.8",
        "name_zh = \"产业兴旺星\"\npass = 80",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:40:8: [theme[2].pass] ",
        &[
            "pass 80 is out of range",
            "expected a share from 0 to 1 (0.8 for 80% of the theme's points)",
        ],
    );
    has_excerpt(&err, 40, "pass = 80");
    one_problem(&err);
}

#[test]
fn indicator_without_a_theme() {
    let ws = themed();
    // C2 (of T1, with C1) loses its theme.
    ws.patch(
        THEMED_COMMON,
        "points = 20\ntheme = \"T1\"\n",
        "points = 20\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:63:1: [indicator[2]] ",
        &[
            "indicator `C2` has no theme, but the rural standard rates by themes",
            "expected theme = \"ID\" naming one of: T1, T2, T3, T4, T5",
        ],
    );
    has_excerpt(&err, 63, "[[indicator]]");
    one_problem(&err);
}

#[test]
fn indicator_naming_an_unknown_theme() {
    let ws = themed();
    ws.patch(
        THEMED_COMMON,
        "points = 20\ntheme = \"T1\"\n",
        "points = 20\ntheme = \"T9\"\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:68:9: [indicator[2].theme] ",
        &["unknown theme `T9` of indicator `C2`; expected one of the rural standard's themes: T1, T2, T3, T4, T5"],
    );
    has_excerpt(&err, 68, "theme = \"T9\"");
    one_problem(&err);
}

#[test]
fn theme_without_an_indicator() {
    let ws = themed();
    // R2 moves from T3 to T2: T3 has no indicator left.
    ws.patch(THEMED_RURAL, "theme = \"T3\"", "theme = \"T2\"");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:42:1: [theme[3]] ",
        &["theme `T3` has no indicator in the rural standard; expected at least one indicator with theme = \"T3\""],
    );
    has_excerpt(&err, 42, "[[theme]]");
    one_problem(&err);
}

#[test]
fn more_than_five_themes() {
    let ws = themed();
    ws.patch(
        THEMED_RURAL,
        T5,
        &format!(
            "{T5}\n[[theme]]\nid = \"T6\"\nname = \"Sixth\"\nname_zh = \"第六星\"\npass = 0.5\n"
        ),
    );
    // C2 counts for it, so that no theme is without an indicator.
    ws.patch(
        THEMED_COMMON,
        "points = 20\ntheme = \"T1\"\n",
        "points = 20\ntheme = \"T6\"\n",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/rural.toml:12:1: [theme[2]] ",
        &["theme `T6` is theme number 6 of the rural standard; expected at most 5 themes (a star each)"],
    );
    one_problem(&err);
}

#[test]
fn rating_by_themes_without_a_theme() {
    let ws = themed();
    // Every [[theme]] table taken out of both files (the indicators keep their keys).
    for file in [THEMED_COMMON, THEMED_RURAL] {
        let text = ws.read(file);
        let kept: Vec<&str> = text
            .split("\n\n")
            .filter(|block| !block.contains("[[theme]]"))
            .collect();
        ws.write(file, kept.join("\n\n"));
    }
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/common.toml:3:12: [stars_by] ",
        &["the rural standard rates by themes but has no [[theme]]; expected 1 to 5 themes in common.toml or the domain file"],
    );
    one_problem(&err);
}

#[test]
fn theme_id_used_by_another_item() {
    let ws = themed();
    // rural.toml's T5 renamed P1, the id of common.toml's incentive (C4 follows it).
    ws.patch(THEMED_RURAL, "id = \"T5\"", "id = \"P1\"");
    ws.patch(THEMED_COMMON, "theme = \"T5\"", "theme = \"P1\"");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/standards/rural.toml:6:1: [theme[1]] ",
        &[
            "id `P1` is used twice in the rural standard (first at ws/standards/common.toml:91)",
            "expected unique ids",
        ],
    );
    one_problem(&err);
}

// ---------------------------------------------------------------------------------------
// Records of the year (SPEC.md "Records of the year")
// ---------------------------------------------------------------------------------------

/// A copy of `tests/fixtures/records-example` (ballots with groups, a level scored by
/// deduction, objections, decisions) whose 2024 objection still open is answered, so that
/// its `check` warns of nothing: a record broken in 2025 is then reported alike by `check`
/// and `evaluate --year 2025`.
fn records() -> Ws {
    let ws = Ws::fixture("records-example");
    ws.patch(
        "2024/objections.csv",
        "G18,2024-12-28,matter,open,",
        "G18,2024-12-28,matter,dismissed,2024-12-30",
    );
    ws
}

/// Replace line `line` (1-based) of a file of the records with `text`; returns the error
/// output, with exactly one problem at `at` carrying every phrase.
#[track_caller]
fn record_error(rel: &str, line: usize, text: &str, at: &str, phrases: &[&str]) -> String {
    let ws = records();
    ws.map_lines(rel, |n, l| {
        if n == line {
            text.to_string()
        } else {
            l.to_string()
        }
    });
    let err = broken(&ws);
    has_error(&err, at, phrases);
    one_problem(&err);
    err
}

#[test]
fn survey_more_answers_than_ballots_returned() {
    let err = record_error(
        "2025/surveys.csv",
        2,
        "G02,members,17,11,8,1,2,1",
        "ws/2025/surveys.csv:2: ",
        &["12 answers (satisfied + basically + dissatisfied + unknown) but 11 ballots returned; the round is void: hold the survey again"],
    );
    has_excerpt(&err, 2, "G02,members,17,11,8,1,2,1");
}

#[test]
fn survey_more_returned_than_issued() {
    record_error(
        "2025/surveys.csv",
        2,
        "G02,members,17,18,8,1,2,1",
        "ws/2025/surveys.csv:2: ",
        &["18 ballots returned but 17 issued: more came back than were handed out; the round is void: hold the survey again"],
    );
}

#[test]
fn survey_too_few_returned() {
    record_error(
        "2025/surveys.csv",
        2,
        "G02,members,20,13,8,1,2,1",
        "ws/2025/surveys.csv:2: ",
        &["13 of 20 ballots returned: not more than 0.8 of them ([survey] min_return), so the vote does not count; the round is void: hold the survey again"],
    );
}

#[test]
fn survey_without_a_valid_ballot() {
    record_error(
        "2025/surveys.csv",
        2,
        "G02,members,17,17,0,0,0,15",
        "ws/2025/surveys.csv:2: ",
        &["no valid ballot: none satisfied, basically satisfied or dissatisfied (不了解 is left out of the count); the round is void: hold the survey again"],
    );
}

#[test]
fn survey_group_not_in_groups() {
    record_error(
        "2025/surveys.csv",
        2,
        "G02,党员,17,17,8,1,2,1",
        "ws/2025/surveys.csv:2:2: [group] ",
        &["group `党员` is not in [survey] groups of the two_new standard; expected one of: members, residents"],
    );
}

#[test]
fn survey_group_missing() {
    let ws = records();
    ws.map_lines("2025/surveys.csv", |n, l| {
        if n == 3 {
            String::new()
        } else {
            l.to_string()
        }
    });
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/surveys.csv:2: ",
        &["branch G02 has no row for group residents; expected one row for each group of [survey]: members, residents"],
    );
    one_problem(&err);
}

#[test]
fn survey_two_rows_for_one_group() {
    let ws = records();
    ws.patch(
        "2025/surveys.csv",
        "G02,residents,79,76,25,3,1,0",
        "G02,members,79,76,25,3,1,0",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/surveys.csv:3:2: [group] ",
        &["G02 has a second row for group `members` (first on line 2); expected one row per branch and group"],
    );
    one_problem(&err);
}

#[test]
fn survey_of_a_branch_not_rated_that_year() {
    let ws = records();
    ws.append("2025/surveys.csv", "G15,members,17,17,8,1,2,1");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/surveys.csv:28:1: [branch] ",
        &["branch `G15` is not rated in 2025 (rated until 2024); expected a branch rated that year"],
    );
    one_problem(&err);
}

#[test]
fn survey_count_not_a_whole_number() {
    let err = record_error(
        "2025/surveys.csv",
        2,
        "G02,members,17,17,8.5,1,2,1",
        "ws/2025/surveys.csv:2:5: [satisfied] ",
        &["count `8.5` is not a whole number; expected a whole number of ballots"],
    );
    has_excerpt(&err, 2, "G02,members,17,17,8.5,1,2,1");
}

#[test]
fn survey_count_blank() {
    record_error(
        "2025/surveys.csv",
        2,
        "G02,members,17,17,8,,2,1",
        "ws/2025/surveys.csv:2:6: [basically] ",
        &["the count is blank; expected a whole number of ballots (0 if none)"],
    );
}

#[test]
fn mass_row_of_a_branch_with_ballots() {
    let ws = records();
    ws.append("2025/scores-two_new.csv", "G02,mass,,,,,,,,80");
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-two_new.csv:",
        &["[level] the mass level of G02 is counted from its ballots in surveys.csv; expected no mass row for it in a score sheet"],
    );
    one_problem(&err);
}

#[test]
fn survey_groups_too_fine_to_combine_exactly() {
    let ws = records();
    // Four groups for the two_new branches, and G02's four rows of about a million
    // ballots each, whose valid counts share no factor (the other two_new branches' rows
    // are gone: only G02 is looked at).
    ws.append(
        "standards/two_new.toml",
        "\n[survey]\ngroups = { a = 0.25, b = 0.25, c = 0.25, d = 0.25 }\n",
    );
    for year in ["2024", "2025"] {
        let rel = format!("{year}/surveys.csv");
        ws.map_lines(&rel, |_, l| {
            let two_new = ["G02,", "G22,", "G32,", "G38,"]
                .iter()
                .any(|b| l.starts_with(b));
            if two_new {
                String::new()
            } else {
                l.to_string()
            }
        });
    }
    ws.append(
        "2025/surveys.csv",
        "G02,a,1000000,999983,999982,1,0,0\nG02,b,1000000,999979,999978,1,0,0\nG02,c,1000000,999961,999960,1,0,0\nG02,d,1000000,999959,999958,1,0,0",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2025/surveys.csv:",
        &["branch G02: the valid ballots of its groups share too few factors to combine them exactly (their least common multiple is too large); expected fewer groups or ballots (see the README's limits)"],
    );
}

#[test]
fn deduction_for_a_level_not_scored_by_deduction() {
    let err = record_error(
        "2025/deductions.csv",
        2,
        "G01,organization,RU4,0.25,2025-06-18,reason RU4",
        "ws/2025/deductions.csv:2:2: [level] ",
        &["level organization of branch G01 is not scored by deduction ([deduction] levels of the rural standard: self); expected its scores in a score sheet, or the level added to [deduction] levels"],
    );
    has_excerpt(&err, 2, "G01,organization,RU4,0.25,2025-06-18,reason RU4");
}

#[test]
fn deduction_of_an_indicator_the_domain_does_not_have() {
    record_error(
        "2025/deductions.csv",
        2,
        "G01,self,CO1,0.25,2025-06-18,reason RU4",
        "ws/2025/deductions.csv:2:3: [indicator] ",
        &["unknown indicator `CO1` for the rural standard of branch G01; expected one of: C01, C02, C03, C04, RU1, RU2, RU3, RU4, RU5, RU6"],
    );
}

#[test]
fn deduction_of_a_branch_not_rated_that_year() {
    record_error(
        "2025/deductions.csv",
        2,
        "G31,self,C01,0.25,2025-06-18,reason",
        "ws/2025/deductions.csv:2:1: [branch] ",
        &["branch `G31` is not rated in 2025 (rated until 2024); expected a branch rated that year"],
    );
}

#[test]
fn deduction_points_out_of_range() {
    for points in ["0", "0.125", "-1", "101"] {
        record_error(
            "2025/deductions.csv",
            2,
            &format!("G01,self,RU4,{points},2025-06-18,reason RU4"),
            "ws/2025/deductions.csv:2:4: [points] ",
            &[&format!("points `{points}` are out of range; expected a number above 0 and at most 100, with at most 2 decimal places")],
        );
    }
}

#[test]
fn deduction_date_not_a_date() {
    record_error(
        "2025/deductions.csv",
        2,
        "G01,self,RU4,0.25,2025-06-31,reason RU4",
        "ws/2025/deductions.csv:2:5: [date] ",
        &["`2025-06-31` is not a date; expected YYYY-MM-DD, such as 2025-12-20"],
    );
}

#[test]
fn deduction_reason_blank() {
    record_error(
        "2025/deductions.csv",
        2,
        "G01,self,RU4,0.25,2025-06-18,",
        "ws/2025/deductions.csv:2:6: [reason] ",
        &["the reason is blank; expected it written out"],
    );
}

#[test]
fn score_row_of_a_level_scored_by_deduction() {
    let ws = records();
    ws.append(
        "2025/scores-rural.csv",
        "G01,self,15,2.17,22.55,6.8,1,0.78,5.7,0.705,3.245,10,",
    );
    let err = broken(&ws);
    has_error(
        &err,
        "ws/2025/scores-rural.csv:",
        &["[level] level self of G01 is scored by deduction ([deduction] levels of the rural standard, deductions.csv); expected no self row for it in a score sheet"],
    );
    one_problem(&err);
}

#[test]
fn objection_status_unknown() {
    record_error(
        "2025/objections.csv",
        2,
        "G08,2025-12-20,matter,rejected,2025-12-30",
        "ws/2025/objections.csv:2:4: [status] ",
        &["unknown status `rejected`; expected open (未处理), upheld (成立) or dismissed (不成立)"],
    );
}

#[test]
fn objection_answered_missing() {
    record_error(
        "2025/objections.csv",
        2,
        "G08,2025-12-20,matter,dismissed,",
        "ws/2025/objections.csv:2:5: [answered] ",
        &["the objection is dismissed but has no answer date; expected the date it was answered (YYYY-MM-DD)"],
    );
}

#[test]
fn objection_answered_before_received() {
    record_error(
        "2025/objections.csv",
        2,
        "G08,2025-12-20,matter,dismissed,2025-12-19",
        "ws/2025/objections.csv:2:5: [answered] ",
        &["answered 2025-12-19, before it was received (2025-12-20); expected a date on or after 2025-12-20"],
    );
}

#[test]
fn objection_open_with_an_answer_date() {
    record_error(
        "2025/objections.csv",
        4,
        "G32,2025-12-20,matter,open,2025-12-22",
        "ws/2025/objections.csv:4:5: [answered] ",
        &["an open objection answered on `2025-12-22`; expected the answer date blank while it is open, or the status upheld or dismissed"],
    );
}

#[test]
fn objection_of_a_branch_not_rated_that_year() {
    record_error(
        "2025/objections.csv",
        2,
        "G15,2025-12-20,matter,dismissed,2025-12-30",
        "ws/2025/objections.csv:2:1: [branch] ",
        &["branch `G15` is not rated in 2025 (rated until 2024); expected a branch rated that year"],
    );
}

#[test]
fn decision_star_out_of_range() {
    record_error(
        "2025/decisions.csv",
        2,
        "G29,6,recheck,Doc 2025-G29",
        "ws/2025/decisions.csv:2:2: [star] ",
        &["star `6` is not a star; expected a whole number from 0 to 5 (0: not rated)"],
    );
}

#[test]
fn decision_reason_blank() {
    record_error(
        "2025/decisions.csv",
        2,
        "G29,2,,Doc 2025-G29",
        "ws/2025/decisions.csv:2:3: [reason] ",
        &["the reason is blank; expected it written out"],
    );
}

#[test]
fn decision_twice_for_a_branch() {
    record_error(
        "2025/decisions.csv",
        3,
        "G29,3,appeal,Doc 2025-G29b",
        "ws/2025/decisions.csv:3:1: [branch] ",
        &["G29 has a second decision (first on line 2); expected at most one decision a branch"],
    );
}

#[test]
fn decision_of_a_branch_not_rated_that_year() {
    record_error(
        "2025/decisions.csv",
        2,
        "G31,2,recheck,Doc",
        "ws/2025/decisions.csv:2:1: [branch] ",
        &["branch `G31` is not rated in 2025 (rated until 2024); expected a branch rated that year"],
    );
}

/// A `[survey]` or `[deduction]` setting out of range, at its TOML key.
#[track_caller]
fn survey_setting(from: &str, to: &str, at: &str, phrases: &[&str]) {
    let ws = records();
    ws.patch("standards/common.toml", from, to);
    let err = broken(&ws);
    has_error(&err, at, phrases);
    one_problem(&err);
}

#[test]
fn survey_group_weights_not_summing_to_1() {
    survey_setting(
        "groups = { members = 0.4, residents = 0.6 }",
        "groups = { members = 0.4, residents = 0.5 }",
        "ws/standards/common.toml:117:10: [survey.groups] ",
        &["group weights sum to 0.9; expected exactly 1"],
    );
}

#[test]
fn survey_group_weight_out_of_range() {
    survey_setting(
        "groups = { members = 0.4, residents = 0.6 }",
        "groups = { members = 0, residents = 1 }",
        "ws/standards/common.toml:117:22: [survey.groups.members] ",
        &["weight 0 of group `members` is out of range; expected more than 0 and at most 1, with at most 4 decimal places"],
    );
}

#[test]
fn survey_points_out_of_range() {
    survey_setting(
        "satisfied = 100\n",
        "satisfied = 120\n",
        "ws/standards/common.toml:113:13: [survey.satisfied] ",
        &["points 120 are out of range; expected a number from 0 to 100 with at most 2 decimal places"],
    );
}

#[test]
fn survey_unknown_neither_excluded_nor_points() {
    survey_setting(
        "dissatisfied = 0\n",
        "dissatisfied = 0\nunknown = \"ignored\"\n",
        "ws/standards/common.toml:116:11: [survey.unknown] ",
        &["unknown `ignored`; expected \"excluded\" (不了解 left out of the count) or the points it counts with"],
    );
}

#[test]
fn survey_min_return_out_of_range() {
    survey_setting(
        "min_return = 0.8",
        "min_return = 80",
        "ws/standards/common.toml:116:14: [survey.min_return] ",
        &["min_return 80 is out of range; expected a share from 0 to 1 (0.5 for half)"],
    );
}

#[test]
fn deduction_level_unknown() {
    survey_setting(
        "levels = [\"self\"]",
        "levels = [\"selfie\"]",
        "ws/standards/common.toml:120:10: [deduction.levels] ",
        &["unknown level `selfie`; expected self, mass or organization"],
    );
}

#[test]
fn deduction_level_twice() {
    survey_setting(
        "levels = [\"self\"]",
        "levels = [\"self\", \"自评\"]",
        "ws/standards/common.toml:120:10: [deduction.levels] ",
        &["level `自评` is listed twice"],
    );
}

#[test]
fn survey_with_a_mass_weight_of_too_many_places() {
    let ws = records();
    // A domain whose mass weight times points has more than 8 places: R cannot be added
    // to its integer sums exactly.
    ws.append(
        "standards/two_new.toml",
        "\n[levels]\nself = 0.25\nmass = 0.250000001\norganization = 0.499999999\n",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2025/surveys.csv:2: ",
        &["the mass weight and points of the two_new standard have more than 8 decimal places together, which ballots cannot be rated exactly with; expected fewer places"],
    );
}

/// The records of the year, for the never-panics property: each of the four files of
/// `records-example`, mangled, run through `check` and `evaluate`.
const RECORD_INPUTS: [&str; 5] = [
    "2025/surveys.csv",
    "2025/deductions.csv",
    "2025/objections.csv",
    "2025/decisions.csv",
    "standards/common.toml",
];

fn records_never_panic(rel: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let ws = records();
    ws.write(rel, bytes);
    for args in [CHECK, EVALUATE] {
        let run = ws.run(args);
        prop_assert!(
            !run.stderr.contains("panicked"),
            "{args:?} {rel}:\n{}",
            run.stderr
        );
        prop_assert!(
            matches!(run.code, Some(0) | Some(1)),
            "{args:?} {rel}: {:?}",
            run.code
        );
        if run.code == Some(1) {
            prop_assert_eq!(run.stdout.as_str(), "");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: fuzz_cases() / 2,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_records_never_panic(
        (rel, bytes) in proptest::sample::select(RECORD_INPUTS.to_vec()).prop_flat_map(|rel| {
            let original = std::fs::read(common::fixture_path("records-example").join(rel)).unwrap();
            (Just(rel), mangled(original))
        })
    ) {
        records_never_panic(rel, &bytes)?;
    }
}

#[test]
fn ballots_for_a_mass_level_scored_by_deduction() {
    let ws = records();
    ws.patch(
        "standards/common.toml",
        "levels = [\"self\"]",
        "levels = [\"self\", \"mass\"]",
    );
    let err = check_fails(&ws);
    has_error(
        &err,
        "ws/2025/surveys.csv:2:1: [branch] ",
        &["the mass level of the two_new standard is scored by deduction ([deduction] levels); expected its deductions in deductions.csv, not ballots, for G02"],
    );
}
