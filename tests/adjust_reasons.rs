//! The adjustment's reason says why a branch whose score allowed five stars was evaluated
//! four: its town review pending (no reviews.csv, or a department silent), objected, or the
//! five-star quota of its group (a local rule).

mod common;

use common::Ws;

/// The line of `branch` in the CSV of `stars adjust` on `ws`, in `lang`.
fn adjust_line(ws: &Ws, lang: &str, extra: &[&str], branch: &str) -> String {
    let mut args = vec!["adjust", "--format", "csv", "--lang", lang];
    args.extend_from_slice(extra);
    let run = ws.run(&args);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    run.stdout
        .lines()
        .find(|l| l.starts_with(&format!("{branch},")))
        .unwrap_or_else(|| panic!("no {branch} in:\n{}", run.stdout))
        .to_string()
}

#[test]
fn pending_review_without_reviews_csv_is_named() {
    let ws = Ws::spec_example();
    ws.remove("2025/reviews.csv");
    // B01 scores five stars; with no reviews at all, every required department is silent.
    let en = adjust_line(&ws, "en", &[], "B01");
    assert!(
        en.contains(
            "first plaque: evaluated 4★ (five-star review pending: no opinion from discipline, law_enforcement, industry)"
        ),
        "{en}"
    );
    let zh = adjust_line(&ws, "zh", &[], "B01");
    assert!(
        zh.contains("首次授牌：评定4星（五星待审核：缺少纪检监察、行政执法、行业监管意见）"),
        "{zh}"
    );
}

#[test]
fn pending_review_names_only_the_silent_departments() {
    // B03 has opinions from discipline and law enforcement, none from industry.
    let ws = Ws::spec_example();
    let en = adjust_line(&ws, "en", &[], "B03");
    assert!(
        en.contains("evaluated 4★ (five-star review pending: no opinion from industry)"),
        "{en}"
    );
}

#[test]
fn objection_is_named() {
    // B02: law enforcement objects.
    let ws = Ws::spec_example();
    let en = adjust_line(&ws, "en", &[], "B02");
    assert!(
        en.contains("evaluated 4★ (five stars objected to by law_enforcement)"),
        "{en}"
    );
    let zh = adjust_line(&ws, "zh", &[], "B02");
    assert!(zh.contains("评定4星（五星审核有异议：行政执法）"), "{zh}");
}

#[test]
fn approved_and_lower_stars_say_nothing_more() {
    let ws = Ws::spec_example();
    let b01 = adjust_line(&ws, "en", &[], "B01");
    assert!(b01.contains(",first plaque: evaluated 5★,"), "{b01}");
    let b04 = adjust_line(&ws, "en", &[], "B04");
    assert!(b04.contains(",first plaque: evaluated 2★,"), "{b04}");
}

#[test]
fn quota_is_named() {
    // E02 (plaque 5★) is approved for five stars but past its group's quota.
    let ws = Ws::fixture("spec-example-local");
    let en = adjust_line(&ws, "en", &["--year", "2025"], "E02");
    assert!(
        en.contains(
            "evaluated 4★ (approved for five stars, past the quota of its group) below plaque 5★: down to 4★"
        ),
        "{en}"
    );
    let zh = adjust_line(&ws, "zh", &["--year", "2025"], "E02");
    assert!(
        zh.contains("评定4星（审核通过五星，超出本组五星名额），低于原牌5星：降为4星"),
        "{zh}"
    );
}

#[test]
fn history_gives_the_same_reason() {
    let ws = Ws::spec_example();
    ws.remove("2025/reviews.csv");
    let run = ws.run(&["history", "B01", "--format", "csv", "--lang", "en"]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert!(
        run.stdout
            .contains("(five-star review pending: no opinion from discipline"),
        "{}",
        run.stdout
    );
}
