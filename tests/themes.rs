//! Stars by theme (SPEC.md "Stars by theme"), sentence by sentence, on copies of
//! `tests/fixtures/themes` (its README has the arithmetic of every branch): each test shows
//! the rule binding and would fail if it were ignored. The errors of the keys are in
//! tests/errors.rs.

mod common;

use common::Ws;
use std::collections::BTreeMap;

const COMMON: &str = "standards/common.toml";
const RURAL: &str = "standards/rural.toml";
const AGENCY: &str = "standards/agency.toml";
const SCORES: &str = "2025/scores-rural.csv";

fn themes() -> Ws {
    Ws::fixture("themes")
}

type Rows = BTreeMap<String, BTreeMap<String, String>>;

/// `stars COMMAND -f csv` on `ws`, as rows keyed by `key`.
fn csv_by(ws: &Ws, args: &[&str], key: &str) -> Rows {
    let mut all = args.to_vec();
    all.extend(["--format", "csv"]);
    let run = ws.run(&all);
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
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
            (row[key].clone(), row)
        })
        .collect()
}

fn evaluate(ws: &Ws) -> Rows {
    csv_by(ws, &["evaluate"], "branch")
}

/// (score star, star, status, themes) of each branch named.
fn stars(ws: &Ws, ids: &[&str]) -> Vec<[String; 4]> {
    let rows = evaluate(ws);
    ids.iter()
        .map(|id| {
            let r = &rows[*id];
            ["score_star", "star", "status", "themes"].map(|k| r[k].clone())
        })
        .collect()
}

fn row(score_star: &str, star: &str, status: &str, themes: &str) -> [String; 4] {
    [score_star, star, status, themes].map(String::from)
}

/// Set every level's score of one indicator (by column) of a branch in the rural sheet.
fn set_score(ws: &Ws, branch: &str, column: &str, value: &str) {
    let header = ws.read(SCORES).lines().next().unwrap().to_string();
    let k = header.split(',').position(|h| h == column).unwrap();
    ws.map_lines(SCORES, |_, line| {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        if cells[0] == branch {
            cells[k] = value.to_string();
        }
        cells.join(",")
    });
}

// ---------------------------------------------------------------------------------------
// `stars_by = "themes"` (common.toml or a domain file, which overrides like any setting;
// default "score").

#[test]
fn without_stars_by_a_standard_rates_by_score() {
    let ws = themes();
    // H08 is exactly at every pass line: five themes, five stars, though F is 84.25.
    assert_eq!(
        stars(&ws, &["H08"]),
        [row("5", "5", "approved", "T1;T2;T3;T4;T5")]
    );
    ws.patch(COMMON, "stars_by = \"themes\"\n", "");
    // The default is the score bands: 84.25 is four stars, and no theme column is left.
    let rows = evaluate(&ws);
    assert_eq!(rows["H08"]["score_star"], "4");
    assert_eq!(rows["H08"]["star"], "4");
    assert!(!rows["H08"].contains_key("themes"));
    // The same with stars_by = "score" written out.
    ws.patch(
        COMMON,
        "bonus_cap = 5",
        "stars_by = \"score\"\nbonus_cap = 5",
    );
    assert_eq!(evaluate(&ws)["H08"]["score_star"], "4");
}

#[test]
fn a_domain_file_overrides_stars_by_either_way() {
    let ws = themes();
    // agency.toml says "score" while common.toml says "themes": H10 (89.00) has four stars
    // by score (it would earn every theme of common.toml it has) and no theme cells.
    let rows = evaluate(&ws);
    assert_eq!(rows["H10"]["score_star"], "4");
    assert_eq!(rows["H10"]["gap"], "1.00");
    assert_eq!(
        (
            rows["H10"]["themes"].as_str(),
            rows["H10"]["gap_theme"].as_str()
        ),
        ("", "")
    );
    // rural.toml saying "score" turns the villages back to the score bands.
    ws.patch(
        RURAL,
        "name_zh = \"农村党支部\"\n",
        "name_zh = \"农村党支部\"\nstars_by = \"score\"\n",
    );
    let rows = evaluate(&ws);
    assert_eq!(rows["H08"]["score_star"], "4");
    assert_eq!(rows["H02"]["score_star"], "5");
    // No standard rates by themes now: the SPEC columns only.
    assert!(!rows["H08"].contains_key("themes"));
    // And the other way: common.toml without it, one domain file asking for themes.
    let ws = themes();
    ws.patch(COMMON, "stars_by = \"themes\"\n", "");
    ws.patch(
        RURAL,
        "name_zh = \"农村党支部\"\n",
        "name_zh = \"农村党支部\"\nstars_by = \"themes\"\n",
    );
    assert_eq!(
        stars(&ws, &["H08"]),
        [row("5", "5", "approved", "T1;T2;T3;T4;T5")]
    );
}

// ---------------------------------------------------------------------------------------
// `[[theme]]` with id, name, name_zh, pass (a share, 0–1) and optional required = true
// (common.toml and domain files may both have themes; ids unique with the other items; 1 to
// 5 themes in a standard).

#[test]
fn themes_of_common_and_of_the_domain_file_both_count() {
    let ws = themes();
    // T5 is rural.toml's own, T1–T4 common.toml's: H04 lacks only T5 (11.24 < 11.25).
    assert_eq!(
        stars(&ws, &["H04"]),
        [row("4", "4", "rated", "T1;T2;T3;T4")]
    );
    let rows = evaluate(&ws);
    assert_eq!(
        (
            rows["H04"]["gap"].as_str(),
            rows["H04"]["gap_theme"].as_str()
        ),
        ("0.01", "T5")
    );
    // T5's pass lowered in the domain file: H04 earns it and five stars' review is due.
    ws.patch(RURAL, "pass = 0.75", "pass = 0.74");
    assert_eq!(stars(&ws, &["H04"])[0][0], "5");
}

#[test]
fn pass_is_a_share_of_the_themes_points() {
    let ws = themes();
    // T3 (R2, 10 points) at 0.8: H02's 7.5 misses it by 0.5.
    assert_eq!(stars(&ws, &["H02"])[0][0], "4");
    ws.patch(
        COMMON,
        "name_zh = \"生态宜居星\"\npass = 0.8",
        "name_zh = \"生态宜居星\"\npass = 0.75",
    );
    // 0.75 × 10 = 7.5: earned at the line.
    assert_eq!(stars(&ws, &["H02"])[0][0], "5");
    // pass = 0: every branch earns it, whatever its points.
    ws.patch(
        COMMON,
        "name_zh = \"生态宜居星\"\npass = 0.75",
        "name_zh = \"生态宜居星\"\npass = 0",
    );
    set_score(&ws, "H02", "R2", "0");
    assert_eq!(stars(&ws, &["H02"])[0][3], "T1;T2;T3;T4;T5");
    // pass = 1: every point is needed.
    ws.patch(
        COMMON,
        "name_zh = \"生态宜居星\"\npass = 0",
        "name_zh = \"生态宜居星\"\npass = 1",
    );
    set_score(&ws, "H03", "R2", "9.99");
    assert_eq!(stars(&ws, &["H03"])[0][3], "T2;T4;T5");
}

#[test]
fn a_theme_without_required_missed_is_only_one_star_less() {
    let ws = themes();
    // T1 is required: H03 earns the other four and has 0 stars.
    assert_eq!(
        stars(&ws, &["H03"]),
        [row("0", "0", "rated", "T2;T3;T4;T5")]
    );
    ws.patch(COMMON, "pass = 0.9\nrequired = true\n", "pass = 0.9\n");
    // Not required: four themes, four stars.
    assert_eq!(
        stars(&ws, &["H03"]),
        [row("4", "4", "rated", "T2;T3;T4;T5")]
    );
    // required = false is the default written out.
    ws.patch(COMMON, "pass = 0.9\n", "pass = 0.9\nrequired = false\n");
    assert_eq!(stars(&ws, &["H03"])[0][0], "4");
}

#[test]
fn fewer_than_five_themes_cap_the_score_star_at_their_number() {
    let ws = themes();
    // Three themes: T4 and T5 folded into T1 (C3, C4 then count for the strong branch).
    ws.patch(COMMON, "theme = \"T4\"\n", "theme = \"T1\"\n");
    ws.patch(COMMON, "theme = \"T5\"\n", "theme = \"T1\"\n");
    let t4 = "[[theme]]\nid = \"T4\"\nname = \"Safety and rule of law\"\nname_zh = \"平安法治星\"\npass = 0.8\n";
    ws.patch(COMMON, t4, "");
    let text = ws.read(RURAL);
    let start = text.find("# A domain file").unwrap();
    let end = text.find("[[indicator]]").unwrap();
    ws.write(RURAL, format!("{}{}", &text[..start], &text[end..]));
    // H01 earns all three: three stars, below the next with no theme left to earn.
    let rows = evaluate(&ws);
    let h01 = &rows["H01"];
    assert_eq!(
        (
            h01["score_star"].as_str(),
            h01["star"].as_str(),
            h01["themes"].as_str()
        ),
        ("3", "3", "T1;T2;T3")
    );
    assert_eq!(
        (
            h01["gap"].as_str(),
            h01["gap_theme"].as_str(),
            h01["blocked_by"].as_str()
        ),
        ("", "", "")
    );
    let explain = ws.run(&["explain", "H01"]);
    assert!(
        explain.stdout.contains("Gap to 4★: every theme is earned"),
        "{}",
        explain.stdout
    );
}

// ---------------------------------------------------------------------------------------
// Each [[indicator]] of a standard that rates by themes has theme = "ID" naming one of its
// themes, and every theme has at least one indicator. A standard that rates by score
// ignores theme and [[theme]].

#[test]
fn a_standard_rating_by_score_ignores_theme_and_the_themes() {
    let ws = themes();
    // agency.toml rates by score: its indicator names no theme, common.toml's C4 names T5,
    // which only rural.toml has, and T2 and T3 have no indicator in the agency standard.
    // None of that is a problem there.
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    // Even a theme that no standard has, on an agency indicator.
    ws.patch(
        AGENCY,
        "points = 20\n",
        "points = 20\ntheme = \"NOWHERE\"\n",
    );
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert_eq!(evaluate(&ws)["H11"]["star"], "5");
}

#[test]
fn an_indicator_counts_for_the_theme_it_names() {
    let ws = themes();
    // C4 (15 points) moved from T5 to T4: T4 is C3 + C4 (30, line 24), and T5 has no
    // indicator left in the rural standard: refused.
    ws.patch(COMMON, "theme = \"T5\"\n", "theme = \"T4\"\n");
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(1));
    let msg = "theme `T5` has no indicator in the rural standard";
    assert!(check.stderr.contains(msg), "{}", check.stderr);
    // R2 moved to T5 and R1 to T3: now T2 is empty…
    ws.patch(RURAL, "theme = \"T3\"\n", "theme = \"T5\"\n");
    ws.patch(RURAL, "theme = \"T2\"\n", "theme = \"T3\"\n");
    let check = ws.run(&["check"]);
    let msg = "theme `T2` has no indicator in the rural standard";
    assert!(check.stderr.contains(msg), "{}", check.stderr);
    // …until C2 counts for it.
    ws.patch(
        COMMON,
        "points = 20\ntheme = \"T1\"\n",
        "points = 20\ntheme = \"T2\"\n",
    );
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    // H04: T1 = C1 27 ≥ 0.9 × 30, T2 = C2 18 ≥ 0.8 × 20, T3 = R1 8 ≥ 0.8 × 10, T4 = C3 + C4
    // = 23.24 < 0.8 × 30 = 24, T5 = R2 9 ≥ 0.75 × 10.
    assert_eq!(
        stars(&ws, &["H04"]),
        [row("4", "4", "rated", "T1;T2;T3;T5")]
    );
    assert_eq!(evaluate(&ws)["H04"]["gap"], "0.76");
}

// ---------------------------------------------------------------------------------------
// A theme is earned when Σ e_i over its indicators ≥ pass × Σ p_i over them (exact, e_i as
// in step 1).

#[test]
fn a_theme_at_its_line_is_earned_and_a_hundredth_below_is_not() {
    let ws = themes();
    // H08: T1 45 = 0.9 × 50, T2 8 = 0.8 × 10, T3 8, T4 12 = 0.8 × 15, T5 11.25 = 0.75 × 15.
    assert_eq!(stars(&ws, &["H08"])[0][3], "T1;T2;T3;T4;T5");
    set_score(&ws, "H08", "C4", "11.24");
    assert_eq!(stars(&ws, &["H08"])[0][3], "T1;T2;T3;T4");
    assert_eq!(evaluate(&ws)["H08"]["gap"], "0.01");
}

#[test]
fn the_sums_are_of_the_combined_points_of_step_1_unrounded() {
    let ws = themes();
    // H09's mass level is an overall of 90 (scores-mass.csv): e_C1 = 0.2 × 28 + 0.3 × 27
    // + 0.5 × 28 = 27.7, e_C2 = 18.7, so T1 = 46.4 ≥ 45: five themes.
    assert_eq!(stars(&ws, &["H09"])[0][3], "T1;T2;T3;T4;T5");
    // Self and organization lowered: e_C1 = 0.7 × 27.5 + 0.3 × 27 = 27.35 and e_C2 = 0.7 ×
    // 17.15 + 0.3 × 18 = 17.405: T1 = 44.755 < 45, no star; it lacks 0.245 (shown 0.25).
    set_score(&ws, "H09", "C1", "27.5");
    set_score(&ws, "H09", "C2", "17.15");
    assert_eq!(stars(&ws, &["H09"])[0][0], "0");
    assert_eq!(evaluate(&ws)["H09"]["gap"], "0.25");
    // C2 17.5: e_C2 = 12.25 + 5.4 = 17.65, T1 = 45 exactly: earned, five stars again.
    set_score(&ws, "H09", "C2", "17.5");
    assert_eq!(stars(&ws, &["H09"])[0][0], "5");
}

#[test]
fn a_pass_line_of_many_places_is_compared_exactly() {
    let ws = themes();
    // 0.7999999999999 × 10 = 7.999999999999 (more places than the integer sums keep: the
    // decimals decide): H05's 6 misses it, and H02's R2 = 7.999999999999 is exactly at it.
    ws.patch(
        COMMON,
        "name_zh = \"生态宜居星\"\npass = 0.8",
        "name_zh = \"生态宜居星\"\npass = 0.7999999999999",
    );
    set_score(&ws, "H02", "R2", "7.999999999999");
    let rows = evaluate(&ws);
    assert_eq!(rows["H02"]["themes"], "T1;T2;T3;T4;T5");
    assert_eq!(rows["H05"]["themes"], "T1;T2;T4;T5");
    set_score(&ws, "H02", "R2", "7.999999999998");
    let rows = evaluate(&ws);
    assert_eq!(rows["H02"]["themes"], "T1;T2;T4;T5");
    // The gap is exact (0.000000000001), shown rounded half up to two places.
    assert_eq!(rows["H02"]["gap"], "0.00");
    assert_eq!(rows["H02"]["gap_theme"], "T3");
}

// ---------------------------------------------------------------------------------------
// Step 5 becomes: the score star is the number of earned themes, or 0 when a required
// theme is not earned.

#[test]
fn the_score_star_is_the_number_of_themes_earned_not_the_score_band() {
    let ws = themes();
    assert_eq!(
        stars(&ws, &["H02", "H12", "H08"]),
        [
            // F 95.50 (five stars by score): four themes.
            row("4", "4", "rated", "T1;T2;T4;T5"),
            // F 81.00: one theme, one star.
            row("1", "1", "rated", "T1"),
            // F 84.25: five themes.
            row("5", "5", "approved", "T1;T2;T3;T4;T5"),
        ]
    );
    let rows = evaluate(&ws);
    assert_eq!(rows["H02"]["score"], "95.50");
    assert_eq!(rows["H12"]["score"], "81.00");
}

// ---------------------------------------------------------------------------------------
// Everything else stands: F is worked out and shown (it ranks the quota and the exchange),
// caps, the town review, the records and the quota apply as before (a 0 from a required
// theme is a score star, status rated), and the rectification items are the same.

#[test]
fn the_score_is_worked_out_as_before() {
    let ws = themes();
    let rows = evaluate(&ws);
    // H02: B 93.50 + bonus 2 (P1); H09: B 92.10 − 4 (N1).
    let h02 = &rows["H02"];
    assert_eq!(
        [&h02["base"], &h02["bonus"], &h02["score"]],
        ["93.50", "2.00", "95.50"]
    );
    let h09 = &rows["H09"];
    assert_eq!(
        [&h09["base"], &h09["deduction"], &h09["score"]],
        ["92.10", "4.00", "88.10"]
    );
}

#[test]
fn caps_and_the_review_apply_to_the_stars_of_the_themes() {
    let ws = themes();
    assert_eq!(
        stars(&ws, &["H05", "H13", "H06", "H07", "H01"]),
        [
            // Four themes, a red line capping at two.
            row("4", "2", "red_line", "T1;T2;T4;T5"),
            // Four themes, C3 below its bottom line of 9: two stars.
            row("4", "2", "bottom_line", "T1;T2;T3;T5"),
            // Five themes: the town review decides, as for any five.
            row("5", "4", "objected", "T1;T2;T3;T4;T5"),
            row("5", "4", "pending_review", "T1;T2;T3;T4;T5"),
            row("5", "5", "approved", "T1;T2;T3;T4;T5"),
        ]
    );
    let rows = evaluate(&ws);
    assert_eq!(rows["H05"]["blocked_by"], "red_line:X1");
    assert_eq!(rows["H05"]["gap"], "");
}

#[test]
fn a_zero_from_a_required_theme_is_a_score_star_no_cap_lowers() {
    let ws = themes();
    // H03 misses T1, and now also has a red line (cap 2) and C3 below its bottom line.
    ws.append("2025/events.csv", "H03,X1,2025-06-01,Secretary disciplined");
    set_score(&ws, "H03", "C3", "8");
    let rows = evaluate(&ws);
    let h03 = &rows["H03"];
    assert_eq!(
        [
            &h03["score_star"],
            &h03["star"],
            &h03["status"],
            &h03["tier"]
        ],
        ["0", "0", "rated", "transform"]
    );
}

#[test]
fn the_quota_ranks_the_five_stars_of_the_themes_by_score() {
    let ws = themes();
    ws.append(COMMON, "\n[quota]\nfive = 0.2\n");
    // ⌊0.2 × 13⌋ = 2 of the four approved: H11 (95.00) and H01 (93.00) keep five; H09
    // (88.10) and H08 (84.25), five themes each, get four stars.
    assert_eq!(
        stars(&ws, &["H11", "H01", "H09", "H08"])
            .iter()
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect::<Vec<_>>(),
        [
            ("5", "approved"),
            ("5", "approved"),
            ("4", "quota"),
            ("4", "quota")
        ]
    );
    assert_eq!(evaluate(&ws)["H08"]["blocked_by"], "quota");
}

#[test]
fn the_exchange_takes_the_five_stars_highest_score_first() {
    let ws = themes();
    let rows = csv_by(&ws, &["exchange"], "quarter");
    let picked: Vec<(&str, &str)> = rows
        .values()
        .map(|r| (r["branch"].as_str(), r["score"].as_str()))
        .collect();
    assert_eq!(
        picked,
        [
            ("H11", "95.00"),
            ("H01", "93.00"),
            ("H09", "88.10"),
            ("H08", "84.25")
        ]
    );
}

#[test]
fn the_rectification_items_are_those_of_the_score() {
    let ws = themes();
    let by_themes = ws.run(&["rectify", "-f", "csv"]);
    ws.patch(COMMON, "stars_by = \"themes\"\n", "");
    let by_score = ws.run(&["rectify", "-f", "csv"]);
    assert_eq!(by_themes.code, Some(0));
    assert_eq!(by_themes.stdout, by_score.stdout);
    assert!(by_themes.stdout.lines().count() > 10);
}

#[test]
fn the_adjustment_follows_the_stars_of_the_themes() {
    let ws = themes();
    let adjust = csv_by(&ws, &["adjust"], "branch");
    // No plaque: the next plaque is the star, a required theme's 0 included.
    assert_eq!(adjust["H03"]["next"], "0");
    assert_eq!(adjust["H03"]["remind"], "true");
    assert_eq!(adjust["H08"]["next"], "5");
}

// ---------------------------------------------------------------------------------------
// Gap to the next star of a branch below five: the fewest points that one not-earned theme
// lacks (pass × Σ p_i − Σ e_i), a required theme first when one is not earned; the output
// names the theme.

#[test]
fn the_gap_is_the_theme_lacking_least() {
    let ws = themes();
    let rows = evaluate(&ws);
    // H12 misses T2, T3, T4 (2 each) and T5 (1.25).
    let h12 = &rows["H12"];
    assert_eq!(
        (h12["gap"].as_str(), h12["gap_theme"].as_str()),
        ("1.25", "T5")
    );
    // H02 misses T3 by 0.5.
    assert_eq!(
        (
            rows["H02"]["gap"].as_str(),
            rows["H02"]["gap_theme"].as_str()
        ),
        ("0.50", "T3")
    );
}

#[test]
fn the_gap_names_a_required_theme_first() {
    let ws = themes();
    // H03 lacks 7 in T1 (required); R2 at 7.9 now lacks only 0.1 in T3: T1 is named.
    set_score(&ws, "H03", "R2", "7.9");
    let rows = evaluate(&ws);
    let h03 = &rows["H03"];
    assert_eq!(
        (h03["gap"].as_str(), h03["gap_theme"].as_str()),
        ("7.00", "T1")
    );
    // Not required, T3 would be the nearest.
    ws.patch(COMMON, "pass = 0.9\nrequired = true\n", "pass = 0.9\n");
    let rows = evaluate(&ws);
    let h03 = &rows["H03"];
    assert_eq!(
        (h03["gap"].as_str(), h03["gap_theme"].as_str()),
        ("0.10", "T3")
    );
}

#[test]
fn the_gap_names_the_theme_in_every_output() {
    let ws = themes();
    let json = ws.run(&["evaluate", "-f", "json"]);
    assert!(
        json.stdout.contains("\"gap_theme\": \"T5\""),
        "{}",
        json.stdout
    );
    let explain = ws.run(&["explain", "H12", "--lang", "zh"]);
    assert!(
        explain.stdout.contains("距 2★：T5 文明幸福星 差 1.25 分"),
        "{}",
        explain.stdout
    );
    let explain = ws.run(&["explain", "H12", "-f", "json"]);
    assert!(
        explain.stdout.contains("\"theme\": \"T5\""),
        "{}",
        explain.stdout
    );
    let table = ws.run(&["evaluate", "-f", "table", "--lang", "zh"]);
    assert!(table.stdout.contains("文明幸福星"), "{}", table.stdout);
}

// ---------------------------------------------------------------------------------------
// Shown where people look.

#[test]
fn explain_shows_each_themes_sum_against_its_line() {
    let ws = themes();
    let run = ws.run(&["explain", "H04"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for line in [
        "  T1 支部过硬星 / Strong branch (required): C1 + C2 = 27 + 18 = 45 ≥ 0.9 × 50 = 45 → earned",
        "  T5 文明幸福星 / Civility and happiness: C4 = 11.24 < 0.75 × 15 = 11.25 → not earned (lacks 0.01)",
        "  → score star 4",
        "Gap to 5★: 0.01 points in T5 Civility and happiness",
    ] {
        assert!(run.stdout.lines().any(|l| l == line), "{line}\n{}", run.stdout);
    }
    let rows = ws.run(&["explain", "H04", "-f", "csv"]);
    assert!(
        rows.stdout
            .contains("H04,theme_line,T5,11.25,,0.75 × 15 (C4)\n"),
        "{}",
        rows.stdout
    );
    assert!(
        rows.stdout.contains("H04,theme,T5,11.24,,not earned\n"),
        "{}",
        rows.stdout
    );
}

#[test]
fn the_report_shows_the_themes_earned_by_domain() {
    let ws = themes();
    let run = ws.run(&["report", "--lang", "zh"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = &run.stdout;
    assert!(html.contains("各领域主题星获得情况"));
    // Of 11 villages, 8 earned T3 (72.73%): the branches, then their share.
    assert!(
        html.contains("<th class=\"n\">T3 生态宜居星 ≥ 80%</th><th class=\"n\">占比（%）</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"n\">8</td><td class=\"n\">72.73</td>"),
        "{html}"
    );
    // Without themes, no such section.
    ws.patch(COMMON, "stars_by = \"themes\"\n", "");
    let run = ws.run(&["report", "--lang", "zh"]);
    assert!(!run.stdout.contains("各领域主题星获得情况"));
}

#[test]
fn the_rectification_list_groups_items_by_the_theme_missed() {
    let ws = themes();
    let rows = csv_by(&ws, &["rectify", "--view", "themes"], "item");
    // C4 of H04 (T5 missed) and of H08 (T5 earned at the line): only the first is T5's.
    assert_eq!(rows["2025-H04-C4"]["theme"], "T5");
    assert_eq!(rows["2025-H08-C4"]["theme"], "");
    // Events have no theme.
    assert_eq!(rows["2025-H05-X1"]["theme"], "");
    // The SPEC columns are as in the problem list.
    let plain = csv_by(&ws, &["rectify"], "item");
    assert_eq!(plain.len(), rows.len());
    for (id, r) in &plain {
        for (k, v) in r {
            assert_eq!(&rows[id][k], v, "{id} {k}");
        }
    }
    // In the order of the themes missed, the other items last.
    let run = ws.run(&["rectify", "--view", "themes", "-f", "csv"]);
    let themes: Vec<String> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().to_string())
        .collect();
    let mut sorted = themes.clone();
    sorted.sort_by_key(|t| (t.is_empty(), t.clone()));
    assert_eq!(themes, sorted);
}

#[test]
fn standards_show_and_the_legend_show_each_indicators_theme() {
    let ws = themes();
    let show = csv_by(&ws, &["standards", "show", "rural"], "id");
    assert_eq!(show["C3"]["theme"], "T4");
    assert_eq!(show["R1"]["theme"], "T2");
    assert_eq!(
        (show["T1"]["kind"].as_str(), show["T1"]["pass"].as_str()),
        ("required_theme", "0.9")
    );
    assert_eq!(
        (show["T5"]["kind"].as_str(), show["T5"]["points"].as_str()),
        ("theme", "15")
    );
    let legend = csv_by(&ws, &["template", "rural", "--legend"], "id");
    assert_eq!(legend["C4"]["theme"], "T5 Civility and happiness");
    // An agency's standard rates by score: no theme column.
    let show = csv_by(&ws, &["standards", "show", "agency"], "id");
    assert!(!show["C1"].contains_key("theme"));
}

#[test]
fn a_workbook_names_the_themes() {
    use calamine::{Data, Reader, Xlsx};
    let ws = themes();
    let out = ws.tmp.path().join("ratings.xlsx");
    let run = ws.run(&[
        "evaluate",
        "-f",
        "xlsx",
        "--lang",
        "zh",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let first = wb.sheet_names().first().cloned().unwrap();
    let range = wb.worksheet_range(&first).unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header = rows
        .iter()
        .position(|r| r.first() == Some(&Data::String("支部编号".into())));
    let header = &rows[header.expect("the header row")];
    let col = |name: &str| {
        header
            .iter()
            .position(|c| c == &Data::String(name.into()))
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (earned, gap) = (col("所获主题星"), col("差距主题"));
    let h02 = rows
        .iter()
        .find(|r| r.first() == Some(&Data::String("H02".into())))
        .unwrap();
    assert_eq!(
        h02[earned],
        Data::String("支部过硬星、产业兴旺星、平安法治星、文明幸福星".into())
    );
    assert_eq!(h02[gap], Data::String("生态宜居星".into()));
    // The themes earned by domain, on a sheet of their own.
    assert!(
        wb.sheet_names().iter().any(|n| n.contains("主题星")),
        "{:?}",
        wb.sheet_names()
    );
}
