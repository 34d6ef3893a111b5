//! Every rule of the dynamic adjustment (SPEC.md "Follow-up" → "Dynamic adjustment"), on the
//! three-year workspace `tests/fixtures/adjust-rules` (2023, 2024, 2025).
//!
//! Every expected value below is worked out by hand from SPEC.md, not copied from the
//! program's output. How the fixture makes the arithmetic easy:
//!
//! * Standard: `C1` (common, 60 points) + one secretary project of 40 points (`R1` rural,
//!   `M1` community). Levels self 0.2, mass 0.3, organization 0.5 (sum 1).
//! * Every level of every branch gives the same `overall` X, so each indicator earns
//!   p × X / 100 at every level, eᵢ = p × X / 100, and the base B = 0.6X + 0.4X = X.
//! * Stars by score: ≥ 90 → 5, ≥ 80 → 4, ≥ 70 → 3, ≥ 60 → 2, else 1. A five needs approve
//!   from discipline, law_enforcement and industry (reviews.csv), else it is 4.
//! * `N1` (restraint) deducts 1 point; `X0` (red line) caps the star at 0.
//! * Rectification items (rectify_below 0.8): C1 falls short iff 0.6X < 48 iff X < 80, and
//!   the secretary project iff 0.4X < 32 iff X < 80: so a branch with X < 80 has exactly two
//!   indicator items, YEAR-B-C1 and YEAR-B-R1 (M1 for community), one with X ≥ 80 none;
//!   each N1 / X0 event adds one item YEAR-B-N1 / YEAR-B-X0.
//! * Adjustment settings: common (rural) max_step_up 1, demote_at 2, reward_streak 3,
//!   remind_at_or_below 2; community overrides max_step_up 2, demote_at 3, reward_streak 2,
//!   remind_at_or_below 3.
//!
//! The rule: plaque P in Y = next of the last rated year, or branches.csv `plaque` in the
//! first rated year, or none. next = S if no P or S ≤ P, else min(S, P + max_step_up); then
//! −1 when open ≥ demote_at (not below 1; 0 stays 0). change compares next with P (`new`
//! without P). streak = consecutive five-star years (continuing branches.csv `streak` in the
//! first rated year); reward iff streak ≥ reward_streak; remind iff S ≤ remind_at_or_below.
//!
//! Scores (X) per year, events and rectification.csv of the fixture:
//!
//! | branch | domain    | 2023      | 2024            | 2025           |
//! |--------|-----------|-----------|-----------------|----------------|
//! | B01    | rural     | 95 ✓      | 95 ✓            | 95 ✓           |
//! | B02    | rural     | 95 ✓      | 75              | 85             |
//! | B03    | rural     | 75        | 95 ✓            | 95 ✓           |
//! | B04    | rural     | 75        | 85              | 85             |
//! | B05    | rural     | 72        | 85              | 85             |
//! | B06    | rural     | 50        | 55              | 65             |
//! | B07    | rural     | 75        | 85 + X0         | 95 ✓           |
//! | B08    | rural     | —         | 95 ✓            | 95 ✓           |
//! | B09    | rural     | —         | 95 ✓            | 85             |
//! | B10    | community | 95 ✓      | 95 ✓            | 95 ✓           |
//! | B11    | rural     | 85        | 85              | —              |
//! | B12    | community | 76 + N1   | 76 + N1         | 85             |
//! | B13    | rural     | 95 ✓      | 95, 2 of 3 opinions | 95, one object |
//!
//! (✓: all three departments approve.)

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// The hand-computed expectations.

/// One expected row of `stars adjust --format csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Exp {
    year: i32,
    plaque: Option<u8>,
    star: u8,
    open: u32,
    next: u8,
    change: &'static str,
    streak: u32,
    reward: bool,
    remind: bool,
}

#[allow(clippy::too_many_arguments)]
const fn x(
    year: i32,
    plaque: Option<u8>,
    star: u8,
    open: u32,
    next: u8,
    change: &'static str,
    streak: u32,
    reward: bool,
    remind: bool,
) -> Exp {
    Exp {
        year,
        plaque,
        star,
        open,
        next,
        change,
        streak,
        reward,
        remind,
    }
}

const T: bool = true;
const F: bool = false;

/// B01 Step Village (rural): the step-up limit. branches.csv plaque 2, streak blank (0).
const B01: &[Exp] = &[
    // 2023: X 95, approved → S 5. P 2 (branches.csv). S > P: min(5, 2 + 1) = 3 → up.
    //       streak 0 + 1 = 1 < 3: no reward. 5 > 2: no remind. No 2022 items: open 0.
    x(2023, Some(2), 5, 0, 3, "up", 1, F, F),
    // 2024: P 3 (2023's next), S 5: min(5, 4) = 4 → up. streak 2 < 3: no reward.
    x(2024, Some(3), 5, 0, 4, "up", 2, F, F),
    // 2025: P 4, S 5: min(5, 5) = 5 → up. streak 3 ≥ reward_streak 3: reward.
    x(2025, Some(4), 5, 0, 5, "up", 3, T, F),
];

/// B02 Drop Village (rural): S ≤ P gives next = S; branches.csv streak continued, then reset.
/// branches.csv plaque 5, streak 4.
const B02: &[Exp] = &[
    // 2023: X 95, approved → S 5. P 5: S ≤ P → next 5 → same. streak 4 (branches.csv) + 1
    //       = 5 ≥ 3: reward, in the first rated year.
    x(2023, Some(5), 5, 0, 5, "same", 5, T, F),
    // 2024: X 75 → S 3 (two items 2024-B02-C1, -R1). P 5: S ≤ P → next 3 → down.
    //       Not five: streak 0, no reward. 3 > 2: no remind. No 2023 items: open 0.
    x(2024, Some(5), 3, 0, 3, "down", 0, F, F),
    // 2025: X 85 → S 4. P 3: min(4, 3 + 1) = 4 → up. 2025/rectification.csv marks both
    //       2024 items done: open 0.
    x(2025, Some(3), 4, 0, 4, "up", 0, F, F),
];

/// B03 Open Village (rural): demotion at open = demote_at; an item rectification.csv does not
/// mention is not done. branches.csv plaque 3.
const B03: &[Exp] = &[
    // 2023: X 75 → S 3, items 2023-B03-C1 and 2023-B03-R1. P 3: S ≤ P → 3 → same.
    x(2023, Some(3), 3, 0, 3, "same", 0, F, F),
    // 2024: X 95, approved → S 5. P 3: min(5, 4) = 4. 2024/rectification.csv: C1 `open`,
    //       R1 not listed (not done) → open 2 ≥ demote_at 2 → 4 − 1 = 3 → same as P.
    //       streak 1.
    x(2024, Some(3), 5, 2, 3, "same", 1, F, F),
    // 2025: X 95, approved → S 5. P 3: min(5, 4) = 4 → up. No 2024 items: open 0. streak 2.
    x(2025, Some(3), 5, 0, 4, "up", 2, F, F),
];

/// B04 Almost Village (rural): open = demote_at − 1 does not demote. branches.csv plaque 4.
const B04: &[Exp] = &[
    // 2023: X 75 → S 3, items 2023-B04-C1, -R1. P 4: S ≤ P → 3 → down.
    x(2023, Some(4), 3, 0, 3, "down", 0, F, F),
    // 2024: X 85 → S 4. P 3: min(4, 4) = 4. rectification.csv: C1 done, R1 open → open 1
    //       < 2: no demotion → 4 → up.
    x(2024, Some(3), 4, 1, 4, "up", 0, F, F),
    // 2025: X 85 → S 4. P 4: S ≤ P → 4 → same. No 2024 items: open 0.
    x(2025, Some(4), 4, 0, 4, "same", 0, F, F),
];

/// B05 Stale Village (rural): open counts only Y−1's items. branches.csv plaque 4.
const B05: &[Exp] = &[
    // 2023: X 72 → S 3, items 2023-B05-C1, -R1. P 4: → 3 → down.
    x(2023, Some(4), 3, 0, 3, "down", 0, F, F),
    // 2024: X 85 → S 4. P 3: min(4, 4) = 4. Neither 2023 item is in 2024/rectification.csv
    //       → open 2 → 3 → same. No 2024 items (X ≥ 80, no events).
    x(2024, Some(3), 4, 2, 3, "same", 0, F, F),
    // 2025: X 85 → S 4. P 3: min(4, 4) = 4 → up. The 2023 items were never done, but only
    //       2024's items count, and there are none: open 0, no demotion.
    x(2025, Some(3), 4, 0, 4, "up", 0, F, F),
];

/// B06 Floor Village (rural): never below 1; remind. branches.csv plaque blank.
const B06: &[Exp] = &[
    // 2023: X 50 → S 1, items 2023-B06-C1, -R1. No P → next = S = 1 → new. 1 ≤ 2: remind.
    x(2023, None, 1, 0, 1, "new", 0, F, T),
    // 2024: X 55 → S 1, items 2024-B06-C1, -R1. P 1: → 1. 2024/rectification.csv: both 2023
    //       items open → open 2 ≥ 2, but not below 1: stays 1 → same. remind.
    x(2024, Some(1), 1, 2, 1, "same", 0, F, T),
    // 2025: X 65 → S 2. P 1: min(2, 2) = 2. 2025/rectification.csv: 2024-B06-C1 open,
    //       -R1 not listed → open 2 → 2 − 1 = 1 → same. 2 ≤ 2: remind.
    x(2025, Some(1), 2, 2, 1, "same", 0, F, T),
];

/// B07 Zero Village (rural): a red line with cap 0; 0 stays 0. branches.csv plaque 3.
const B07: &[Exp] = &[
    // 2023: X 75 → S 3, items 2023-B07-C1, -R1. P 3: → 3 → same.
    x(2023, Some(3), 3, 0, 3, "same", 0, F, F),
    // 2024: X 85 (score star 4) with red line X0 (cap 0) → S 0; item 2024-B07-X0. P 3: S ≤ P
    //       → 0. Neither 2023 item is in 2024/rectification.csv → open 2 ≥ 2, but a 0 stays
    //       0 → down. 0 ≤ 2: remind.
    x(2024, Some(3), 0, 2, 0, "down", 0, F, T),
    // 2025: X 95, approved → S 5. P 0: min(5, 0 + 1) = 1 → up. 2024-B07-X0 done → open 0.
    //       streak 1.
    x(2025, Some(0), 5, 0, 1, "up", 1, F, F),
];

/// B08 New Village (rural): rated from 2024, plaque blank, streak blank.
const B08: &[Exp] = &[
    // 2023: not rated (no row).
    // 2024: X 95, approved → S 5. No P → next 5 → new. streak 0 + 1 = 1. No 2023 items of
    //       B08: open 0.
    x(2024, None, 5, 0, 5, "new", 1, F, F),
    // 2025: X 95, approved → S 5. P 5 → 5 → same. streak 2 < 3.
    x(2025, Some(5), 5, 0, 5, "same", 2, F, F),
];

/// B09 Transfer Village (rural): rated from 2024 with branches.csv plaque 3, streak 2.
const B09: &[Exp] = &[
    // 2024: X 95, approved → S 5. P 3 (branches.csv, first rated year): min(5, 4) = 4 → up.
    //       streak 2 (branches.csv) + 1 = 3 ≥ 3: reward.
    x(2024, Some(3), 5, 0, 4, "up", 3, T, F),
    // 2025: X 85 → S 4. P 4 → 4 → same. Not five: streak 0, no reward.
    x(2025, Some(4), 4, 0, 4, "same", 0, F, F),
];

/// B10 Jump Community (community: max_step_up 2, reward_streak 2). branches.csv plaque 1.
const B10: &[Exp] = &[
    // 2023: X 95, approved → S 5. P 1: min(5, 1 + 2) = 3 → up. streak 1 < 2.
    x(2023, Some(1), 5, 0, 3, "up", 1, F, F),
    // 2024: P 3, S 5: min(5, 3 + 2) = 5 → up. streak 2 ≥ 2: reward.
    x(2024, Some(3), 5, 0, 5, "up", 2, T, F),
    // 2025: P 5, S 5 → 5 → same. streak 3: reward.
    x(2025, Some(5), 5, 0, 5, "same", 3, T, F),
];

/// B11 Closed Village (rural): rated until 2024; plaque blank.
const B11: &[Exp] = &[
    // 2023: X 85 → S 4. No P → 4 → new.
    x(2023, None, 4, 0, 4, "new", 0, F, F),
    // 2024: X 85 → S 4. P 4 → 4 → same.
    x(2024, Some(4), 4, 0, 4, "same", 0, F, F),
    // 2025: not rated (no row).
];

/// B12 Patient Community (community: demote_at 3, remind_at_or_below 3). branches.csv plaque 4.
const B12: &[Exp] = &[
    // 2023: X 76 − 1 (N1) = 75 → S 3. Items: C1 (45.6 < 48), M1 (30.4 < 32), N1 → three.
    //       P 4: → 3 → down. 3 ≤ 3: remind.
    x(2023, Some(4), 3, 0, 3, "down", 0, F, T),
    // 2024: again 75 → S 3, and again three items. P 3 → 3. No 2023 item in
    //       2024/rectification.csv → open 3 ≥ 3 → 2 → down. remind.
    x(2024, Some(3), 3, 3, 2, "down", 0, F, T),
    // 2025: X 85 → S 4. P 2: min(4, 2 + 2) = 4. 2025/rectification.csv: N1 done, C1 open, M1
    //       not listed → open 2 < 3 (it would demote a rural branch): 4 → up. 4 > 3: no remind.
    x(2025, Some(2), 4, 2, 4, "up", 0, F, F),
];

/// B13 Review Village (rural): the star after the town review drives the plaque and streak.
/// branches.csv plaque 5, streak 2.
const B13: &[Exp] = &[
    // 2023: X 95, approved → S 5. P 5 → 5 → same. streak 2 + 1 = 3: reward.
    x(2023, Some(5), 5, 0, 5, "same", 3, T, F),
    // 2024: X 95 but industry gave no opinion → pending_review → S 4. P 5: → 4 → down.
    //       Not five: streak 0, no reward.
    x(2024, Some(5), 4, 0, 4, "down", 0, F, F),
    // 2025: X 95 but law_enforcement objects → S 4. P 4 → 4 → same. streak 0.
    x(2025, Some(4), 4, 0, 4, "same", 0, F, F),
];

/// Every branch, its name in branches.csv and its expected rows.
const ALL: &[(&str, &str, &[Exp])] = &[
    ("B01", "Step Village", B01),
    ("B02", "Drop Village", B02),
    ("B03", "Open Village", B03),
    ("B04", "Almost Village", B04),
    ("B05", "Stale Village", B05),
    ("B06", "Floor Village", B06),
    ("B07", "Zero Village", B07),
    ("B08", "New Village", B08),
    ("B09", "Transfer Village", B09),
    ("B10", "Jump Community", B10),
    ("B11", "Closed Village", B11),
    ("B12", "Patient Community", B12),
    ("B13", "Review Village", B13),
];

const YEARS: [i32; 3] = [2023, 2024, 2025];

// ---------------------------------------------------------------------------------------
// Running the binary and reading its CSV.

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/adjust-rules")
}

/// The binary, in English, whatever the environment.
fn stars() -> Command {
    let mut cmd = Command::cargo_bin("stars").expect("the stars binary");
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C");
    cmd
}

/// Run `stars ARGS --workspace WS`; panics unless it exits 0 with nothing on stderr.
fn ok(ws: &Path, args: &[&str]) -> Vec<u8> {
    let out = stars()
        .args(args)
        .arg("--workspace")
        .arg(ws)
        .output()
        .expect("run stars");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stars {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stars {args:?} wrote to stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn adjust_csv(ws: &Path, year: i32) -> Vec<u8> {
    ok(
        ws,
        &["adjust", "--year", &year.to_string(), "--format", "csv"],
    )
}

/// A CSV table as rows of column → value.
fn parse(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = r.headers().expect("a CSV header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The rows of `stars adjust --year YEAR --format csv` on the fixture (computed once).
fn adjust_rows(year: i32) -> &'static [BTreeMap<String, String>] {
    use std::sync::OnceLock;
    static CACHE: OnceLock<BTreeMap<i32, Vec<BTreeMap<String, String>>>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            YEARS
                .iter()
                .map(|y| (*y, parse(&adjust_csv(&fixture(), *y))))
                .collect()
        })
        .get(&year)
        .map(Vec::as_slice)
        .expect("a fixture year")
}

fn adjust_row(year: i32, branch: &str) -> Option<&'static BTreeMap<String, String>> {
    adjust_rows(year)
        .iter()
        .find(|r| r.get("branch").map(String::as_str) == Some(branch))
}

fn b(v: bool) -> &'static str {
    if v {
        "true"
    } else {
        "false"
    }
}

/// Assert one branch's rows in every year against the hand computation.
fn check_branch(branch: &str) {
    let (_, name, exps) = ALL
        .iter()
        .find(|(id, _, _)| *id == branch)
        .expect("a branch of ALL");
    for year in YEARS {
        let exp = exps.iter().find(|e| e.year == year);
        let row = adjust_row(year, branch);
        let (exp, row) = match (exp, row) {
            (None, None) => continue,
            (None, Some(r)) => panic!("{branch} {year}: not rated, but adjust has a row {r:?}"),
            (Some(e), None) => panic!("{branch} {year}: expected {e:?}, but adjust has no row"),
            (Some(e), Some(r)) => (e, r),
        };
        let field = |k: &str| {
            row.get(k)
                .unwrap_or_else(|| panic!("adjust CSV has no column `{k}`"))
                .as_str()
        };
        let want: [(&str, String); 10] = [
            ("name", name.to_string()),
            (
                "plaque",
                exp.plaque.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("star", exp.star.to_string()),
            ("open", exp.open.to_string()),
            ("next", exp.next.to_string()),
            ("change", exp.change.to_string()),
            ("streak", exp.streak.to_string()),
            ("reward", b(exp.reward).to_string()),
            ("remind", b(exp.remind).to_string()),
            ("branch", branch.to_string()),
        ];
        for (k, v) in &want {
            assert_eq!(field(k), v, "{branch} {year}: column `{k}`; row {row:?}");
        }
        // Every change of plaque carries its reason.
        assert!(
            !field("reason").trim().is_empty(),
            "{branch} {year}: empty reason; row {row:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The fixture itself.

#[test]
fn fixture_is_valid_check_is_silent() {
    let out = stars()
        .arg("check")
        .arg("--workspace")
        .arg(fixture())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stars check failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The ratings the expectations rest on (score X, star after caps and review), so that a
/// wrong adjustment is not confused with a wrong rating.
#[test]
fn fixture_ratings_are_as_designed() {
    // (year, branch, score, star)
    let want: &[(i32, &str, &str, &str)] = &[
        (2023, "B05", "72.00", "3"),
        (2023, "B06", "50.00", "1"),
        (2023, "B12", "75.00", "3"), // 76 − N1 1
        (2024, "B07", "85.00", "0"), // red line X0 cap 0
        (2024, "B13", "95.00", "4"), // pending review
        (2025, "B06", "65.00", "2"),
        (2025, "B13", "95.00", "4"), // objected
        (2025, "B01", "95.00", "5"),
    ];
    for (year, branch, score, star) in want {
        let rows = parse(&ok(
            &fixture(),
            &["evaluate", "--year", &year.to_string(), "--format", "csv"],
        ));
        let r = rows
            .iter()
            .find(|r| r["branch"] == *branch)
            .unwrap_or_else(|| panic!("{branch} {year} not rated"));
        assert_eq!(r["score"], *score, "{branch} {year} score");
        assert_eq!(r["star"], *star, "{branch} {year} star");
    }
    // The rectification items each year (X < 80: C1 + R1/M1; each N1/X0 event one more).
    let items = |year: i32| -> Vec<String> {
        parse(&ok(
            &fixture(),
            &["rectify", "--year", &year.to_string(), "--format", "csv"],
        ))
        .into_iter()
        .map(|r| r["item"].clone())
        .collect()
    };
    assert_eq!(
        items(2023),
        [
            "2023-B03-C1",
            "2023-B03-R1",
            "2023-B04-C1",
            "2023-B04-R1",
            "2023-B05-C1",
            "2023-B05-R1",
            "2023-B06-C1",
            "2023-B06-R1",
            "2023-B07-C1",
            "2023-B07-R1",
            "2023-B12-C1",
            "2023-B12-M1",
            "2023-B12-N1",
        ]
    );
    assert_eq!(
        items(2024),
        [
            "2024-B02-C1",
            "2024-B02-R1",
            "2024-B06-C1",
            "2024-B06-R1",
            "2024-B07-X0",
            "2024-B12-C1",
            "2024-B12-M1",
            "2024-B12-N1",
        ]
    );
    assert_eq!(items(2025), ["2025-B06-C1", "2025-B06-R1"]);
}

// ---------------------------------------------------------------------------------------
// One test per rule.

#[test]
fn step_up_is_limited_to_max_step_up() {
    check_branch("B01");
}

#[test]
fn max_step_up_of_the_domain_applies() {
    check_branch("B10");
}

#[test]
fn star_at_or_below_plaque_gives_next_equal_star() {
    check_branch("B02");
    check_branch("B13");
}

#[test]
fn demoted_when_open_reaches_demote_at_and_unlisted_items_are_not_done() {
    check_branch("B03");
}

#[test]
fn not_demoted_when_open_is_one_below_demote_at() {
    check_branch("B04");
}

#[test]
fn open_counts_only_last_years_items() {
    check_branch("B05");
}

#[test]
fn demotion_never_goes_below_one() {
    check_branch("B06");
}

#[test]
fn zero_stays_zero_under_demotion() {
    check_branch("B07");
}

#[test]
fn new_branch_from_a_later_year() {
    check_branch("B08");
    check_branch("B09");
}

#[test]
fn branch_rated_until_an_earlier_year() {
    check_branch("B11");
}

#[test]
fn demote_at_and_remind_at_or_below_of_the_domain_apply() {
    check_branch("B12");
}

/// Each year's output has exactly the rated branches, in branch id order, and the required
/// columns.
#[test]
fn every_year_lists_exactly_the_rated_branches_in_order() {
    for year in YEARS {
        let bytes = adjust_csv(&fixture(), year);
        let text = String::from_utf8(bytes).unwrap();
        let header = text.lines().next().unwrap_or_default();
        let cols: Vec<&str> = header.split(',').collect();
        for c in [
            "branch", "name", "plaque", "star", "open", "next", "change", "reason", "streak",
            "reward", "remind",
        ] {
            assert!(cols.contains(&c), "{year}: no column `{c}` in `{header}`");
        }
        let got: Vec<&str> = adjust_rows(year)
            .iter()
            .map(|r| r["branch"].as_str())
            .collect();
        let want: Vec<&str> = ALL
            .iter()
            .filter(|(_, _, e)| e.iter().any(|e| e.year == year))
            .map(|(id, _, _)| *id)
            .collect();
        assert_eq!(got, want, "{year}: branches of the adjustment");
    }
    for (id, _, _) in ALL {
        check_branch(id);
    }
}

/// The latest year is the default.
#[test]
fn default_year_is_the_latest() {
    let default = ok(&fixture(), &["adjust", "--format", "csv"]);
    assert_eq!(default, adjust_csv(&fixture(), 2025));
}

/// The reason names the unrectified items when a plaque is lowered for them, and stays
/// silent about them when it is not (a keyword only; the wording is free).
#[test]
fn reason_mentions_rectification_when_demoted() {
    let demoted = [(2024, "B03"), (2024, "B05"), (2024, "B12"), (2025, "B06")];
    for (year, branch) in demoted {
        let r = adjust_row(year, branch).unwrap();
        assert!(
            r["reason"].to_lowercase().contains("rectif"),
            "{branch} {year}: reason `{}` does not mention rectification",
            r["reason"]
        );
    }
    // open 1 < 2 (B04 2024) and open 2 < 3 (B12 2025): no demotion to explain.
    for (year, branch) in [(2024, "B04"), (2025, "B12")] {
        let r = adjust_row(year, branch).unwrap();
        assert!(
            !r["reason"].to_lowercase().contains("down one"),
            "{branch} {year}: reason `{}` speaks of a demotion",
            r["reason"]
        );
    }
    // Chinese: the demotion reason speaks of 整改.
    let zh = parse(&ok(
        &fixture(),
        &[
            "adjust", "--year", "2024", "--format", "csv", "--lang", "zh",
        ],
    ));
    let r = zh.iter().find(|r| r["branch"] == "B03").unwrap();
    assert!(
        r["reason"].contains("整改"),
        "B03 2024 zh reason `{}`",
        r["reason"]
    );
}

// ---------------------------------------------------------------------------------------
// `stars history`.

/// `stars history BRANCH --format csv`, keyed by year.
fn history(branch: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    parse(&ok(&fixture(), &["history", branch, "--format", "csv"]))
        .into_iter()
        .map(|r| (r["year"].clone(), r))
        .collect()
}

#[test]
fn history_agrees_with_the_hand_computation() {
    for (id, _, exps) in ALL {
        let h = history(id);
        let years: Vec<&str> = h.keys().map(String::as_str).collect();
        assert_eq!(
            years,
            ["2023", "2024", "2025"],
            "{id}: years of its history"
        );
        for year in YEARS {
            let row = &h[&year.to_string()];
            assert_eq!(row["branch"], *id);
            match exps.iter().find(|e| e.year == year) {
                Some(e) => {
                    let plaque = e.plaque.map(|p| p.to_string()).unwrap_or_default();
                    assert_eq!(row["star"], e.star.to_string(), "{id} {year} star");
                    assert_eq!(row["plaque"], plaque, "{id} {year} plaque");
                    assert_eq!(row["next"], e.next.to_string(), "{id} {year} next");
                    assert_eq!(row["change"], e.change, "{id} {year} change");
                    assert_eq!(row["streak"], e.streak.to_string(), "{id} {year} streak");
                }
                None => {
                    // Not rated: no star, no plaque, no next.
                    for k in ["score", "star", "plaque", "next", "change", "streak"] {
                        assert_eq!(row[k], "", "{id} {year}: `{k}` of a year not rated");
                    }
                }
            }
        }
    }
}

#[test]
fn history_shows_the_rating_behind_the_plaque() {
    // B07 2024: score 85.00 but red line X0 → star 0, status red_line; plaque 3 → 0.
    let h = history("B07");
    let r = &h["2024"];
    assert_eq!(
        (
            r["score"].as_str(),
            r["star"].as_str(),
            r["status"].as_str()
        ),
        ("85.00", "0", "red_line")
    );
    // B13: the review, not the score, makes the 4 that lowers the plaque.
    let h = history("B13");
    assert_eq!(h["2024"]["status"], "pending_review");
    assert_eq!(h["2025"]["status"], "objected");
}

// ---------------------------------------------------------------------------------------
// Determinism: same bytes on every run, whatever the order of input rows, and a year's
// adjustment does not depend on later years.

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under DIR (relative path → bytes).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A small deterministic generator (SplitMix64), so the shuffles are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Shuffle the data rows (not the header) of every CSV file under DIR. No field of the
/// fixture spans lines, so a line is a row.
fn shuffle_csvs(dir: &Path, rng: &mut Rng) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            shuffle_csvs(&p, rng);
        } else if p.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&p).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            let before = lines.clone();
            rng.shuffle(&mut lines[1..]);
            if lines.len() > 3 {
                // Make sure the order really changed where it can.
                if lines == before {
                    lines[1..].reverse();
                }
            }
            let mut out = lines.join("\n");
            out.push('\n');
            std::fs::write(&p, out).unwrap();
        }
    }
}

#[test]
fn same_bytes_on_every_run_and_inputs_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&fixture(), &ws);
    let before = snapshot(&ws);
    for year in YEARS {
        let first = adjust_csv(&ws, year);
        let second = adjust_csv(&ws, year);
        assert_eq!(first, second, "{year}: two runs differ");
        let j1 = ok(
            &ws,
            &["adjust", "--year", &year.to_string(), "--format", "json"],
        );
        let j2 = ok(
            &ws,
            &["adjust", "--year", &year.to_string(), "--format", "json"],
        );
        assert_eq!(j1, j2, "{year}: two JSON runs differ");
    }
    // Nothing is stored between runs: the workspace is exactly as it was.
    assert_eq!(snapshot(&ws), before, "the workspace changed");
}

#[test]
fn same_bytes_when_every_csv_is_shuffled() {
    let want: Vec<Vec<u8>> = YEARS.iter().map(|y| adjust_csv(&fixture(), *y)).collect();
    let want_hist: Vec<Vec<u8>> = ["B03", "B06", "B12"]
        .iter()
        .map(|b| ok(&fixture(), &["history", b, "--format", "csv"]))
        .collect();
    for seed in [1u64, 2, 3, 20251220] {
        let tmp = tempfile::tempdir().unwrap();
        let ws = tmp.path().join("ws");
        copy_dir(&fixture(), &ws);
        shuffle_csvs(&ws, &mut Rng(seed));
        assert_ne!(
            snapshot(&ws),
            snapshot(&fixture()),
            "seed {seed}: nothing shuffled"
        );
        for (year, want) in YEARS.iter().zip(&want) {
            let got = adjust_csv(&ws, *year);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(want),
                "seed {seed}, {year}: adjust differs after shuffling the CSV rows"
            );
        }
        for (b, want) in ["B03", "B06", "B12"].iter().zip(&want_hist) {
            let got = ok(&ws, &["history", b, "--format", "csv"]);
            assert_eq!(
                got, *want,
                "seed {seed}: history {b} differs after shuffling"
            );
        }
    }
}

/// The adjustment of 2024 is worked out from 2023 and 2024 only: dropping the 2025 folder
/// (and its year in stars.toml) changes nothing in it.
#[test]
fn a_year_does_not_depend_on_later_years() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&fixture(), &ws);
    std::fs::remove_dir_all(ws.join("2025")).unwrap();
    let toml = std::fs::read_to_string(ws.join("stars.toml")).unwrap();
    let cut = toml
        .find("[years.2025]")
        .expect("[years.2025] in stars.toml");
    std::fs::write(ws.join("stars.toml"), &toml[..cut]).unwrap();
    for year in [2023, 2024] {
        assert_eq!(
            adjust_csv(&ws, year),
            adjust_csv(&fixture(), year),
            "{year}: differs without 2025"
        );
    }
    // And 2024 is now the default year.
    assert_eq!(
        ok(&ws, &["adjust", "--format", "csv"]),
        adjust_csv(&fixture(), 2024)
    );
}
