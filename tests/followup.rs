//! The follow-up lists of a rating on the spec example, asserted field by field: the gap to
//! the next star at its boundaries, the tiers, the publicity window and the quarterly picks.

mod common;

use common::Ws;
use std::collections::BTreeMap;

/// Rows of CSV output keyed by their first column.
fn rows(csv_text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let map: BTreeMap<String, String> = headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (rec[0].to_string(), map)
        })
        .collect()
}

fn csv_of(ws: &Ws, args: &[&str]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut all = args.to_vec();
    all.extend(["--format", "csv"]);
    let run = ws.run(&all);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    rows(&run.stdout)
}

fn gap(ws: &Ws, branch: &str) -> (String, String) {
    let r = csv_of(ws, &["evaluate"]);
    let row = &r[branch];
    (row["gap"].clone(), row["blocked_by"].clone())
}

#[test]
fn a_hundredth_below_five_stars_lacks_exactly_0_01() {
    // B06: 89.9945 rounds to 89.99; five stars need 90.
    assert_eq!(gap(&Ws::spec_example(), "B06"), ("0.01".into(), "".into()));
}

#[test]
fn a_red_line_blocks_instead_of_points() {
    // B04: 93.50 earns five stars, but red line X1 caps it at two: no points lack for three.
    assert_eq!(
        gap(&Ws::spec_example(), "B04"),
        ("".into(), "red_line:X1".into())
    );
    // B11: red line X2 caps at 0 (not rated).
    assert_eq!(
        gap(&Ws::spec_example(), "B11"),
        ("".into(), "red_line:X2".into())
    );
}

#[test]
fn a_pending_review_or_an_objection_blocks_the_fifth_star() {
    let ws = Ws::spec_example();
    assert_eq!(
        gap(&ws, "B03"),
        ("".into(), "pending_review:industry".into())
    );
    assert_eq!(
        gap(&ws, "B02"),
        ("".into(), "objected:law_enforcement".into())
    );
}

#[test]
fn a_missed_bottom_line_blocks_the_third_star() {
    // B07: 78.50 earns three stars; C1 below its bottom line caps at two.
    assert_eq!(
        gap(&Ws::spec_example(), "B07"),
        ("".into(), "bottom_line:C1".into())
    );
}

#[test]
fn gaps_are_measured_from_the_rounded_score_to_the_next_threshold() {
    let ws = Ws::spec_example();
    // B13: 79.995 rounds to 80.00, four stars; five need 90.
    assert_eq!(gap(&ws, "B13"), ("10.00".into(), "".into()));
    // B09: agency thresholds (five = 92): 91.00 lacks 1.00.
    assert_eq!(gap(&ws, "B09"), ("1.00".into(), "".into()));
    // B10: score 0 (clamped), one star; two need 60.
    assert_eq!(gap(&ws, "B10"), ("60.00".into(), "".into()));
    // Five-star branches have no gap.
    assert_eq!(gap(&ws, "B01"), ("".into(), "".into()));
}

/// B09 (agency: five stars from 92) made to score exactly 92.00, and approved.
fn b09_at_92(ws: &Ws) {
    // self 95 × 0.1 + mass 95 × 0.3 + organization 90 × 0.6 = 9.5 + 28.5 + 54 = 92.
    ws.patch(
        "2025/scores-agency.csv",
        "B09,self,40,30,30",
        "B09,self,40,30,25",
    );
    ws.patch("2025/scores-mass.csv", "B09,mass,90", "B09,mass,95");
    ws.append(
        "2025/reviews.csv",
        "B09,discipline,approve,\nB09,law_enforcement,approve,\nB09,industry,approve,\n",
    );
}

#[test]
fn a_score_exactly_on_the_threshold_earns_the_star() {
    let ws = Ws::spec_example();
    b09_at_92(&ws);
    let r = csv_of(&ws, &["evaluate"]);
    assert_eq!(r["B09"]["score"], "92.00");
    assert_eq!(r["B09"]["score_star"], "5");
    assert_eq!(r["B09"]["star"], "5");
    assert_eq!(r["B09"]["status"], "approved");
    assert_eq!(r["B09"]["gap"], "");
}

#[test]
fn a_hundredth_below_the_threshold_lacks_0_01() {
    let ws = Ws::spec_example();
    b09_at_92(&ws);
    // organization C1 36 → 35.99: −0.006, 91.994 rounds to 91.99.
    ws.patch(
        "2025/scores-agency.csv",
        "B09,organization,36,",
        "B09,organization,35.99,",
    );
    let r = csv_of(&ws, &["evaluate"]);
    assert_eq!(r["B09"]["score"], "91.99");
    assert_eq!(r["B09"]["score_star"], "4");
    assert_eq!(
        (r["B09"]["gap"].as_str(), r["B09"]["blocked_by"].as_str()),
        ("0.01", "")
    );
}

#[test]
fn removing_deductions_moves_a_branch_up_a_star() {
    let ws = Ws::spec_example();
    // B08 scores 66.50 (two stars) after 8.50 of deductions: without them, 75.00.
    ws.patch("2025/events.csv", "B08,N1,2025-04-01,County circular\n", "");
    ws.patch(
        "2025/events.csv",
        "B08,N1,2025-08-15,Second county circular\n",
        "",
    );
    ws.patch(
        "2025/events.csv",
        "B08,N2,2025-11-30,Late annual report\n",
        "",
    );
    let r = csv_of(&ws, &["evaluate"]);
    assert_eq!(r["B08"]["score"], "75.00");
    assert_eq!(r["B08"]["star"], "3");
    assert_eq!(r["B08"]["gap"], "5.00");
}

#[test]
fn tiers_follow_the_star() {
    let run = Ws::spec_example().run(&["tiers", "--format", "csv"]);
    let t: Vec<Vec<String>> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let tier_of = |b: &str| {
        t.iter()
            .find(|row| row[1] == b)
            .map(|row| row[0].clone())
            .unwrap()
    };
    assert_eq!(tier_of("B01"), "lead");
    assert_eq!(tier_of("B02"), "promote");
    assert_eq!(tier_of("B04"), "transform");
    assert_eq!(tier_of("B11"), "transform");
}

#[test]
fn the_publicity_window_is_configurable() {
    let ws = Ws::spec_example();
    let p = csv_of(&ws, &["publicity"]);
    assert_eq!(p.keys().cloned().collect::<Vec<_>>(), ["B01", "B05", "B12"]);
    assert_eq!(p["B01"]["publicity_start"], "2025-12-21");
    assert_eq!(p["B01"]["publicity_end"], "2025-12-25");
    ws.append("stars.toml", "\n[publicity]\ndays = 7\n");
    let p = csv_of(&ws, &["publicity"]);
    assert_eq!(p["B01"]["publicity_end"], "2025-12-27");
}

#[test]
fn the_exchange_takes_the_best_and_spreads_domains() {
    let ws = Ws::spec_example();
    // Five-star candidates: B05 raised to 93.00 (mass 90 → 100: +3), B01 92.00 and B12 90.00
    // (rural), B09 92.00 (agency). By score alone B01 (92.00, lower id) would come second;
    // B09 comes second because no two picks share a domain while another has candidates.
    ws.patch("2025/scores-mass.csv", "B05,mass,90", "B05,mass,100");
    b09_at_92(&ws);
    let e = csv_of(&ws, &["exchange"]);
    let picks: Vec<&str> = e.values().map(|r| r["branch"].as_str()).collect();
    assert_eq!(picks, ["B05", "B09", "B01", "B12"]);
    assert_eq!(e["2"]["domain"], "agency");
}
