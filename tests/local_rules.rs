//! The local rules of SPEC.md, one by one and where they meet, on copies of the local-rules
//! example (tests/fixtures/spec-example-local) with one key changed: each test shows the rule
//! binding, and would fail if the rule were ignored. Then the validation of every new key:
//! one located problem per mistake.

mod common;

use common::Ws;
use std::collections::BTreeMap;

const COMMON: &str = "standards/common.toml";
const RURAL: &str = "standards/rural.toml";

fn local() -> Ws {
    Ws::fixture("spec-example-local")
}

/// `stars COMMAND --year YEAR -f csv` on `ws`, as rows keyed by branch.
fn csv(ws: &Ws, command: &str, year: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let run = ws.run(&[command, "--year", year, "--format", "csv"]);
    assert_eq!(run.code, Some(0), "{command} {year}: {}", run.stderr);
    let mut r = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let row: BTreeMap<String, String> = headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (row["branch"].clone(), row)
        })
        .collect()
}

/// (star, status) of each branch named, in 2025.
fn stars_2025(ws: &Ws, ids: &[&str]) -> Vec<(String, String)> {
    let rows = csv(ws, "evaluate", "2025");
    ids.iter()
        .map(|id| (rows[*id]["star"].clone(), rows[*id]["status"].clone()))
        .collect()
}

fn pair(star: &str, status: &str) -> (String, String) {
    (star.to_string(), status.to_string())
}

#[test]
fn without_one_a_low_score_is_one_star() {
    let ws = local();
    assert_eq!(stars_2025(&ws, &["E04"]), [pair("0", "rated")]);
    ws.patch(COMMON, "one = 50", "");
    // E04 (42.00) now earns the score star 1; its caps (2, 2, 4) sit above it.
    assert_eq!(stars_2025(&ws, &["E04"]), [pair("1", "rated")]);
    let rows = csv(&ws, "evaluate", "2025");
    // Gap to two stars: 60 − 42.
    assert_eq!(rows["E04"]["gap"], "18.00");
}

#[test]
fn an_indicators_own_bottom_line_cap_replaces_the_standards() {
    let ws = local();
    assert_eq!(stars_2025(&ws, &["E07"]), [pair("4", "bottom_line")]);
    ws.patch(RURAL, "bottom_line_cap = 4 ", "");
    // R2 missed: now the standard's cap, 2.
    assert_eq!(stars_2025(&ws, &["E07"]), [pair("2", "bottom_line")]);
}

#[test]
fn a_floor_below_the_red_line_names_the_floor() {
    let ws = local();
    // W07: FM cap 2 and X1 cap 2: equal, the red line is named.
    assert_eq!(stars_2025(&ws, &["W07"]), [pair("2", "red_line")]);
    // FM's cap lowered to 1 (the last `cap = 2` of common.toml is the floor's).
    let text = ws.read(COMMON);
    let at = text.rfind("cap = 2").unwrap();
    ws.write(COMMON, format!("{}cap = 1{}", &text[..at], &text[at + 7..]));
    assert_eq!(
        stars_2025(&ws, &["W07", "W04"]),
        [pair("1", "floor"), pair("1", "floor")]
    );
    // To rise from 1 to 2 stars only the floor (cap 1) is in the way; the red line (2) is not.
    let rows = csv(&ws, "evaluate", "2025");
    assert_eq!(rows["W07"]["blocked_by"], "floor:FM");
}

#[test]
fn floors_add_no_rectification_item_and_quota_none_either() {
    let ws = local();
    let items = ws.run(&["rectify", "--year", "2025", "--format", "csv"]);
    assert_eq!(items.code, Some(0));
    for id in ["W04", "W05", "E02", "E03"] {
        assert!(
            !items.stdout.contains(&format!("2025-{id}-")),
            "{id}: {}",
            items.stdout
        );
    }
}

#[test]
fn a_quota_group_too_small_for_one_five_star_keeps_none() {
    let ws = local();
    // W01, W02 and W03 form a town of 3: ⌊0.25 × 3⌋ = 0.
    ws.map_lines("branches.csv", |_, line| {
        if ["W01,", "W02,", "W03,"].iter().any(|p| line.starts_with(p)) {
            line.replace(",West,", ",North,")
        } else {
            line.to_string()
        }
    });
    assert_eq!(
        stars_2025(&ws, &["W03", "W08", "E01"]),
        [
            pair("4", "quota"),
            pair("5", "approved"),
            pair("5", "approved")
        ]
    );
}

#[test]
fn a_quota_per_domain_ranks_each_domain() {
    let ws = local();
    ws.patch(COMMON, r#"per = "town""#, r#"per = "domain""#);
    // Rural: 9 rated, limit 2; approved E01 95, E02 93, W03 92: W03 is third.
    // Community: 8 rated, limit 2; approved E03 93, W08 91: both keep five.
    assert_eq!(
        stars_2025(&ws, &["E01", "E02", "W03", "E03", "W08"]),
        [
            pair("5", "approved"),
            pair("5", "approved"),
            pair("4", "quota"),
            pair("5", "approved"),
            pair("5", "approved"),
        ]
    );
}

#[test]
fn a_quota_per_workspace_ranks_every_branch() {
    let ws = local();
    ws.patch(COMMON, r#"per = "town""#, r#"per = "workspace""#);
    // 17 rated, limit ⌊4.25⌋ = 4; approved 95, 93, 93, 92, 91: the fifth is cut.
    assert_eq!(
        stars_2025(&ws, &["E01", "E02", "E03", "W03", "W08"]),
        [
            pair("5", "approved"),
            pair("5", "approved"),
            pair("5", "approved"),
            pair("5", "approved"),
            pair("4", "quota"),
        ]
    );
}

#[test]
fn without_a_quota_every_approved_branch_keeps_five() {
    let ws = local();
    let text = ws.read(COMMON);
    let start = text.find("\n[quota]").unwrap();
    let end = text[start..].find("[[indicator]]").unwrap() + start;
    ws.write(COMMON, format!("{}{}", &text[..start], &text[end..]));
    assert_eq!(
        stars_2025(&ws, &["E02", "E03"]),
        [pair("5", "approved"), pair("5", "approved")]
    );
}

#[test]
fn without_exceptional_the_step_limit_holds() {
    let ws = local();
    let adj = csv(&ws, "adjust", "2025");
    assert_eq!(
        (adj["E01"]["next"].as_str(), adj["W03"]["next"].as_str()),
        ("5", "4")
    );
    ws.patch(COMMON, "exceptional = true", "");
    let adj = csv(&ws, "adjust", "2025");
    // E01: min(5, 3 + 1) = 4; W03: 4, then 2 items open → 3.
    assert_eq!(
        (adj["E01"]["next"].as_str(), adj["W03"]["next"].as_str()),
        ("4", "3")
    );
}

#[test]
fn an_exceptional_item_and_open_items_both_apply() {
    let ws = local();
    let run = ws.run(&[
        "adjust", "--year", "2025", "--format", "csv", "--lang", "en",
    ]);
    let w03 = run.stdout.lines().find(|l| l.starts_with("W03,")).unwrap();
    assert!(w03.contains("exceptional item P3"), "{w03}");
    assert!(w03.contains("down one star to 4★: 2 of 2024"), "{w03}");
}

#[test]
fn first_year_rated_gives_a_plaque_in_the_first_year() {
    let ws = local();
    let adj = csv(&ws, "adjust", "2024");
    assert_eq!(
        (adj["E09"]["next"].as_str(), adj["E09"]["change"].as_str()),
        ("", "trial")
    );
    ws.patch(COMMON, r#"first_year = "trial""#, r#"first_year = "rated""#);
    let adj = csv(&ws, "adjust", "2024");
    assert_eq!(
        (adj["E09"]["next"].as_str(), adj["E09"]["change"].as_str()),
        ("2", "new")
    );
    // A branch with a plaque in branches.csv is never on trial.
    assert_eq!(adj["E01"]["change"], "up");
}

#[test]
fn a_trial_year_counts_toward_the_streak_and_is_followed_by_new() {
    let ws = local();
    let y24 = csv(&ws, "adjust", "2024");
    let y25 = csv(&ws, "adjust", "2025");
    assert_eq!(y24["E09"]["change"], "trial");
    assert_eq!(
        (y25["E09"]["plaque"].as_str(), y25["E09"]["change"].as_str()),
        ("", "new")
    );
    assert_eq!(
        (y25["W08"]["change"].as_str(), y25["W08"]["streak"].as_str()),
        ("trial", "1")
    );
}

#[test]
fn the_evaluate_table_counts_the_quota_per_group() {
    let ws = local();
    let run = ws.run(&[
        "evaluate", "--year", "2025", "--format", "markdown", "--lang", "en",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("Five-star quota (0.25 per town)"),
        "{}",
        run.stdout
    );
    // Group, rated, quota, approved, kept.
    assert!(
        run.stdout.contains("| East | 9 | 2 | 3 | 1 |"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("| West | 8 | 2 | 2 | 2 |"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("floor 2, quota 2"), "{}", run.stdout);
}

#[test]
fn standards_without_local_rules_do_not_mention_them() {
    let ws = Ws::spec_example();
    let run = ws.run(&["evaluate", "--format", "markdown", "--lang", "en"]);
    assert_eq!(run.code, Some(0));
    assert!(!run.stdout.contains("quota"), "{}", run.stdout);
    assert!(!run.stdout.contains("floor"), "{}", run.stdout);
}

// ---- validation: one located problem per mistake ----

/// `stars check` on the example with `from` replaced by `to` in `file`: exit 1 and a
/// problem at `file:line` containing `needle`.
fn refused(file: &str, from: &str, to: &str, line: usize, needle: &str) {
    let ws = local();
    ws.patch(file, from, to);
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let at = format!("ws/{file}:{line}:");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains(&at) && l.contains(needle)),
        "expected {at} … {needle} in:\n{}",
        run.stderr
    );
}

#[test]
fn one_must_be_below_two() {
    refused(
        COMMON,
        "one = 50",
        "one = 60",
        18,
        "expected at least 0 and below two (60)",
    );
}

#[test]
fn one_must_not_be_negative() {
    refused(
        COMMON,
        "one = 50",
        "one = -1",
        18,
        "threshold -1 for one star",
    );
}

#[test]
fn a_quota_share_must_be_within_0_and_1() {
    refused(
        COMMON,
        "five = 0.25",
        "five = 25",
        32,
        "expected a share from 0 to 1",
    );
}

#[test]
fn a_quota_group_must_be_known() {
    refused(
        COMMON,
        r#"per = "town""#,
        r#"per = "village""#,
        33,
        "expected workspace, town or domain",
    );
}

#[test]
fn a_quota_belongs_in_common_toml() {
    let ws = local();
    ws.append(RURAL, "\n[quota]\nfive = 0.1\n");
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("ws/standards/rural.toml:24:1: [quota] a quota belongs in common.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_floor_level_must_be_known() {
    refused(
        COMMON,
        r#"level = "mass""#,
        r#"level = "crowd""#,
        81,
        "unknown level `crowd`; expected self, mass or organization",
    );
}

#[test]
fn a_floor_below_must_be_a_percentage() {
    refused(COMMON, "below = 60", "below = 160", 82, "expected 0 to 100");
}

#[test]
fn a_floor_id_is_unique_with_the_items() {
    refused(
        COMMON,
        r#"id = "FM""#,
        r#"id = "P1""#,
        77,
        "id `P1` is used twice",
    );
}

#[test]
fn a_bottom_line_cap_needs_a_bottom_line() {
    refused(
        RURAL,
        "bottom_line = 8 ",
        "# no bottom line ",
        20,
        "bottom_line_cap without a bottom_line",
    );
}

#[test]
fn a_bottom_line_cap_is_a_star_count() {
    refused(
        RURAL,
        "bottom_line_cap = 4",
        "bottom_line_cap = 7",
        20,
        "from 0 to 5",
    );
}

#[test]
fn first_year_is_rated_or_trial() {
    refused(
        COMMON,
        r#"first_year = "trial""#,
        r#"first_year = "probation""#,
        29,
        r#"expected "rated" or "trial""#,
    );
}

#[test]
fn exceptional_is_true_or_false() {
    refused(
        COMMON,
        "exceptional = true",
        r#"exceptional = "yes""#,
        63,
        "expected true or false",
    );
}

#[test]
fn exceptional_is_for_incentives_only() {
    refused(
        COMMON,
        "points = 4\n",
        "points = 4\nexceptional = true\n",
        70,
        "unknown key `exceptional`",
    );
}
