//! SPEC.md "Records of the year", rule by rule: one test for each sentence with a number or
//! a condition, on copies of `tests/fixtures/records-example` (the spec's example of the
//! records on standards without themes; its README works out the values used here).

mod common;

use common::{Run, Ws};
use serde_json::Value as J;
use std::collections::BTreeMap;

fn records() -> Ws {
    Ws::fixture("records-example")
}

#[track_caller]
fn ok(run: &Run) -> &str {
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    &run.stdout
}

#[track_caller]
fn fails(run: &Run) -> &str {
    assert_eq!(
        run.code,
        Some(1),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    &run.stderr
}

/// The ratings of a year, by branch: column → value.
fn ratings(ws: &Ws, year: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let run = ws.run(&["evaluate", "-y", year, "-f", "csv"]);
    let mut r = csv::Reader::from_reader(ok(&run).as_bytes());
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

/// `stars explain BRANCH -f json` of a year.
fn explain(ws: &Ws, branch: &str, year: &str) -> J {
    let run = ws.run(&["explain", branch, "-y", year, "-f", "json"]);
    serde_json::from_str(ok(&run)).unwrap()
}

/// The score a level gave an indicator, in an explain document.
fn cell<'j>(j: &'j J, indicator: &str, level: &str) -> &'j J {
    let inds = j["indicators"].as_array().unwrap();
    let ind = inds.iter().find(|i| i["id"] == indicator).unwrap();
    &ind["levels"][level]
}

// ---------------------------------------------------------------------------------------
// Surveys
// ---------------------------------------------------------------------------------------

/// R_g = Σ (answer's points × count) / valid, valid = satisfied + basically + dissatisfied
/// (unknown excluded), exact; R = Σ_g w_g · R_g, unrounded; R is the mass level's overall.
#[test]
fn ballots_give_the_mass_level_exactly() {
    let ws = records();
    let j = explain(&ws, "G02", "2025");
    let s = &j["records"]["survey"];
    assert_eq!(s["groups"][0]["valid"], 11, "unknown left out");
    assert_eq!(s["groups"][0]["rate"], "80");
    assert_eq!(s["groups"][1]["rate"], "2740/29");
    assert_eq!(s["rate"], "2572/29");
    assert_eq!(s["rate_decimal"], "88.689655172413…");
    // C01 (25 points) at the mass level: 25 · R / 100 = 643/29 = 22.1724137931034…
    let c = cell(&j, "C01", "mass");
    assert_eq!(c["from"], "surveys");
    assert_eq!(c["score"], "22.1724137931…", "known to ten places");
    assert_eq!(j["score"], "90.67");
}

/// The answers' points come from `[survey]`; `unknown` counted with points adds its ballots
/// to the valid ones.
#[test]
fn unknown_counted_with_its_points() {
    let ws = records();
    ws.patch(
        "standards/common.toml",
        "dissatisfied = 0\n",
        "dissatisfied = 0\nunknown = 60\n",
    );
    let j = explain(&ws, "G02", "2025");
    let s = &j["records"]["survey"];
    // members: (8·100 + 1·80 + 2·0 + 1·60) / 12 = 235/3.
    assert_eq!(s["groups"][0]["valid"], 12);
    assert_eq!(s["groups"][0]["rate"], "235/3");
    // 0.4 · 235/3 + 0.6 · 2740/29 = 7658/87.
    assert_eq!(s["rate"], "7658/87");
}

/// Every key of `[survey]` is optional: 100, 80, 0, unknown excluded, min_return 0.5.
#[test]
fn survey_keys_default_to_the_spec() {
    let ws = records();
    let toml = ws.read("standards/common.toml");
    let start = toml.find("[survey]").unwrap();
    let end = toml.find("[deduction]").unwrap();
    let groups = "[survey]\ngroups = { members = 0.4, residents = 0.6 }\n\n";
    ws.write(
        "standards/common.toml",
        format!("{}{groups}{}", &toml[..start], &toml[end..]),
    );
    // G02 as with 100/80/0 written out.
    assert_eq!(
        explain(&ws, "G02", "2025")["records"]["survey"]["rate"],
        "2572/29"
    );
    // 9 of 17 back: more than half (the default), not more than 0.8.
    ws.patch(
        "2025/surveys.csv",
        "G02,members,17,17,8,1,2,1",
        "G02,members,17,9,5,1,2,1",
    );
    ok(&ws.run(&["check"]));
    ws.patch(
        "standards/common.toml",
        "[survey]\n",
        "[survey]\nmin_return = 0.8\n",
    );
    let err = fails(&ws.run(&["check"])).to_string();
    assert!(
        err.contains("9 of 17 ballots returned: not more than 0.8"),
        "{err}"
    );
}

/// returned ≤ min_return × issued makes the round void: more than that share must come
/// back (at exactly the share, it is void).
#[test]
fn min_return_is_a_share_that_must_be_passed() {
    let ws = records();
    // min_return 0.8 of 20 is 16: 16 back is void, 17 counts.
    ws.patch(
        "2025/surveys.csv",
        "G02,members,17,17,8,1,2,1",
        "G02,members,20,16,8,1,2,1",
    );
    let err = fails(&ws.run(&["check"])).to_string();
    assert!(
        err.contains("ws/2025/surveys.csv:2: 16 of 20 ballots returned: not more than 0.8 of them ([survey] min_return), so the vote does not count; the round is void: hold the survey again"),
        "{err}"
    );
    ws.patch(
        "2025/surveys.csv",
        "G02,members,20,16,8,1,2,1",
        "G02,members,20,17,8,1,2,1",
    );
    ok(&ws.run(&["check"]));
}

/// A domain's `[survey]` replaces the common one whole: keys it leaves out are the defaults,
/// not the common file's.
#[test]
fn a_domains_survey_replaces_the_common_one_whole() {
    let ws = records();
    ws.append(
        "standards/two_new.toml",
        "\n[survey]\nsatisfied = 90\ngroups = { members = 0.5, residents = 0.5 }\n",
    );
    let s = &explain(&ws, "G02", "2025")["records"]["survey"];
    // members: (8·90 + 1·80) / 11 = 800/11; residents: (25·90 + 3·80) / 29 = 2490/29.
    assert_eq!(s["groups"][0]["rate"], "800/11");
    assert_eq!(s["groups"][0]["weight"], "0.5");
    assert_eq!(s["groups"][1]["rate"], "2490/29");
    // min_return is the default 0.5 for two_new now: 9 of 17 counts for G02 …
    ws.patch(
        "2025/surveys.csv",
        "G02,members,17,17,8,1,2,1",
        "G02,members,17,9,5,1,2,1",
    );
    ok(&ws.run(&["check"]));
    // … and 0.8 (the common file's) still for a community branch.
    let text = ws.read("2025/surveys.csv");
    let line = text
        .lines()
        .find(|l| l.starts_with("G14,members"))
        .unwrap()
        .to_string();
    let cells: Vec<&str> = line.split(',').collect();
    let issued: u32 = cells[2].parse().unwrap();
    let low = format!("G14,members,{issued},{},1,0,0,0", issued / 2 + 1);
    ws.patch("2025/surveys.csv", &line, &low);
    let err = fails(&ws.run(&["check"])).to_string();
    assert!(err.contains("not more than 0.8"), "{err}");
}

/// R is the mass level's `overall` for the floors too (L = R, exact).
#[test]
fn the_ballots_are_the_mass_floors_rating() {
    let ws = records();
    // G11 in 2025 (approved, five stars): its R, then a floor just above and just below.
    let j = explain(&ws, "G11", "2025");
    let r = j["records"]["survey"]["rate_decimal"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(j["star"], 5);
    // R truncated at 10 places (the places thresholds compare exactly at) is below R; one
    // unit of the 10th place more is above it.
    let below = r[..r.find('.').unwrap() + 11].to_string();
    let above = (below.parse::<rust_decimal::Decimal>().unwrap()
        + rust_decimal::Decimal::new(1, 10))
    .to_string();
    let floor = |at: &str| {
        format!("\n[[floor]]\nid = \"FM\"\nname = \"Mass\"\nname_zh = \"群众满意度\"\nlevel = \"mass\"\nbelow = {at}\ncap = 2\n")
    };
    let common = ws.read("standards/common.toml");
    ws.write(
        "standards/common.toml",
        format!("{common}{}", floor(&below)),
    );
    assert_eq!(
        ratings(&ws, "2025")["G11"]["star"],
        "5",
        "R ≥ {below}: not binding"
    );
    ws.write(
        "standards/common.toml",
        format!("{common}{}", floor(&above)),
    );
    let g11 = &ratings(&ws, "2025")["G11"];
    assert_eq!(
        (g11["star"].as_str(), g11["status"].as_str()),
        ("2", "floor"),
        "R < {above}"
    );
}

/// No rounding of R can change F: with a mass weight of 0.29, 0.29 · 2572/29 = 25.72
/// exactly, and G02's score is set to come to exactly 89.995, which rounds half up to
/// 90.00 — a rounded-down R would give 89.99 and four stars.
#[test]
fn a_repeating_rate_that_lands_on_a_half_cent_rounds_as_the_exact_value() {
    let ws = records();
    ws.patch(
        "standards/common.toml",
        "self = 0.25\nmass = 0.25\n",
        "self = 0.21\nmass = 0.29\n",
    );
    // B = 0.21 · 96 (self: full marks less TW3's 4) + 25.72 + 0.5 · 82.23 = 86.995, + 3.
    ws.patch(
        "2025/scores-two_new.csv",
        "G02,organization,21.9,2.49,23.14,9.01,13.253,10.199,3,",
        "G02,organization,21.9,2.49,23.14,9.01,12.491,10.199,3,",
    );
    let g02 = &ratings(&ws, "2025")["G02"];
    assert_eq!(g02["base"], "87.00");
    assert_eq!(g02["score"], "90.00");
    assert_eq!(g02["score_star"], "5");
    let j = explain(&ws, "G02", "2025");
    assert_eq!(j["base_exact"], "86.995");
    assert_eq!(j["score_exact"], "89.995");
}

/// A branch with survey rows has no mass row: its ballots are its mass level, which then
/// counts as given (no "missing score").
#[test]
fn a_branch_with_ballots_needs_no_mass_row() {
    let ws = records();
    let run = ws.run(&["check"]);
    ok(&run);
    // G02 has no mass row in any 2025 sheet.
    for f in ["scores-two_new.csv", "scores-agency.csv", "scores-soe.csv"] {
        assert!(!ws.read(&format!("2025/{f}")).contains("G02,mass"));
    }
}

// ---------------------------------------------------------------------------------------
// Deductions
// ---------------------------------------------------------------------------------------

/// s = max(0, p − Σ points) at a level scored by deduction; full marks where nothing was
/// deducted; several deductions of one indicator add up.
#[test]
fn deductions_take_from_full_marks_until_nothing_is_left() {
    let ws = records();
    let g02 = explain(&ws, "G02", "2025");
    let full = cell(&g02, "C01", "self");
    assert_eq!(
        (full["score"].as_str(), full["deducted"].as_str()),
        (Some("25"), Some("0"))
    );
    let tw3 = cell(&g02, "TW3", "self");
    assert_eq!(
        (tw3["score"].as_str(), tw3["deducted"].as_str()),
        (Some("0"), Some("4.65"))
    );
    let g04 = explain(&ws, "G04", "2025");
    assert_eq!(cell(&g04, "CO1", "self")["score"], "0.44");
    // G01's RU4 (1 point) lost 0.25 twice.
    let g01 = explain(&ws, "G01", "2025");
    let ru4 = cell(&g01, "RU4", "self");
    assert_eq!(
        (ru4["score"].as_str(), ru4["from"].as_str()),
        (Some("0.5"), Some("deductions"))
    );
    let reasons: Vec<&str> = (g01["records"]["deductions"].as_array().unwrap().iter())
        .filter(|d| d["indicator"] == "RU4")
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["2025-02-19", "2025-06-18"], "by date");
}

/// The rectification item of an indicator scored by deduction names its deductions'
/// reasons.
#[test]
fn an_item_names_the_reasons_of_its_deductions() {
    let ws = records();
    let run = ws.run(&["rectify", "-y", "2025", "-f", "csv"]);
    let out = ok(&run);
    let line = out
        .lines()
        .find(|l| l.starts_with("2025-G04-CO1,"))
        .unwrap();
    assert!(
        line.contains("deducted: reason CO1 (2025-05-12, −12.06)"),
        "{line}"
    );
    let zh = ws.run(&["rectify", "-y", "2025", "-f", "csv", "--lang", "zh"]);
    let line = ok(&zh)
        .lines()
        .find(|l| l.starts_with("2025-G04-CO1,"))
        .unwrap()
        .to_string();
    assert!(
        line.contains("扣分原因：reason CO1（2025-05-12，扣12.06分）"),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------
// Objections (step 7b) and decisions
// ---------------------------------------------------------------------------------------

/// Step 7b, after the town review: a branch still at five with an objection `open` or
/// `upheld` gets four, status `publicity`; `dismissed` changes nothing, nor does any
/// objection to a branch below five.
#[test]
fn an_open_or_upheld_objection_holds_five_stars_at_four() {
    let ws = records();
    let r = ratings(&ws, "2025");
    assert_eq!(
        (r["G13"]["star"].as_str(), r["G13"]["status"].as_str()),
        ("4", "publicity")
    );
    assert_eq!(r["G13"]["blocked_by"], "publicity");
    assert_eq!(
        (r["G17"]["star"].as_str(), r["G17"]["status"].as_str()),
        ("5", "approved")
    );
    // Upheld holds it as open does; dismissed lets it go.
    ws.patch(
        "2025/objections.csv",
        "G13,2025-12-26,群众反映村务公开不及时,open,",
        "G13,2025-12-26,群众反映村务公开不及时,upheld,2025-12-30",
    );
    assert_eq!(ratings(&ws, "2025")["G13"]["status"], "publicity");
    ws.patch(
        "2025/objections.csv",
        "upheld,2025-12-30",
        "dismissed,2025-12-30",
    );
    assert_eq!(ratings(&ws, "2025")["G13"]["status"], "approved");
    // The town review first: G32 (an open objection) was objected to by departments.
    assert_eq!(ratings(&ws, "2025")["G32"]["status"], "objected");
    // Below five: G18's open objection of 2024 changes nothing.
    assert_eq!(ratings(&ws, "2024")["G18"]["status"], "rated");
}

/// The quota comes after step 7b: a branch held by an objection is not approved, and does
/// not take a five-star place.
#[test]
fn an_objection_comes_before_the_quota() {
    let ws = records();
    ws.append("standards/common.toml", "\n[quota]\nfive = 0.1\n");
    // 38 rated: ⌊3.8⌋ = 3 places. Approved: G23 97.46, G30 95.36 (decided later), G11
    // 94.52, G05 93.08, …; G13 (94.57) is held by its objection and ranks nowhere.
    let r = ratings(&ws, "2025");
    assert_eq!(r["G13"]["status"], "publicity");
    assert_eq!(r["G23"]["status"], "approved");
    assert_eq!(r["G11"]["status"], "approved");
    // Decisions come after the quota: G30 took its place as approved (then was decided
    // 0), so G05 is past the limit.
    assert_eq!(r["G30"]["status"], "decided");
    assert_eq!(
        (r["G05"]["star"].as_str(), r["G05"]["status"].as_str()),
        ("4", "quota")
    );
}

/// A decision is applied last: the decided star, status `decided`, score and score star
/// unchanged; the tier follows the decided star, and the star the rules gave is shown
/// beside it with the reason and the document.
#[test]
fn a_decision_replaces_the_star_and_keeps_the_score() {
    let ws = records();
    let r = ratings(&ws, "2025");
    let g30 = &r["G30"];
    let got: Vec<&str> = [
        "score",
        "score_star",
        "star",
        "status",
        "tier",
        "rules_star",
        "decision",
        "document",
    ]
    .iter()
    .map(|c| g30[*c].as_str())
    .collect();
    assert_eq!(
        got,
        [
            "95.36",
            "5",
            "0",
            "decided",
            "transform",
            "5",
            "recheck",
            "Doc 2025-G30"
        ]
    );
    assert_eq!(r["G01"]["rules_star"], "", "no decision: blank");
    // The adjustment follows the decided star: G30's plaque of 4 falls to 0.
    let run = ws.run(&["adjust", "-y", "2025", "-f", "csv"]);
    let line = ok(&run)
        .lines()
        .find(|l| l.starts_with("G30,"))
        .unwrap()
        .to_string();
    assert!(line.starts_with("G30,Branch G30,4,0,0,0,down,"), "{line}");
    assert!(
        line.contains("evaluated 0★ (decided by the county committee: recheck, Doc 2025-G30)"),
        "{line}"
    );
    // Its reason says the committee decided it.
    let run = ws.run(&["adjust", "-y", "2025", "-f", "markdown"]);
    let out = ok(&run);
    assert!(
        out.contains("decided by the county committee: recheck, Doc 2025-G30"),
        "{out}"
    );
}

/// The five-star lists follow the decided star: a branch decided five is publicized, one
/// decided below five is not; the rectification items do not change.
#[test]
fn the_five_star_lists_follow_a_decision_and_the_items_do_not() {
    let ws = records();
    let items = |ws: &Ws| ok(&ws.run(&["rectify", "-y", "2025", "-f", "csv"])).to_string();
    let before = items(&ws);
    ws.append("2025/decisions.csv", "G01,5,appeal upheld,Doc 2025-G01");
    let publicity = ws.run(&["publicity", "-y", "2025", "-f", "csv"]);
    let list = ok(&publicity);
    assert!(list.lines().any(|l| l.starts_with("G01,")), "{list}");
    assert!(!list.lines().any(|l| l.starts_with("G30,")), "{list}");
    assert_eq!(items(&ws), before, "a decision changes no item");
    assert_eq!(ratings(&ws, "2025")["G01"]["tier"], "lead");
}

/// The decision columns are written only in a year with decisions: a year without them
/// keeps the columns it always had.
#[test]
fn decision_columns_only_in_a_year_with_decisions() {
    let ws = records();
    let header = |ws: &Ws| {
        let run = ws.run(&["evaluate", "-y", "2025", "-f", "csv"]);
        ok(&run).lines().next().unwrap().to_string()
    };
    assert!(header(&ws).ends_with(",blocked_by,rules_star,decision,document"));
    ws.remove("2025/decisions.csv");
    assert!(header(&ws).ends_with(",gap,blocked_by"));
}

/// `check` warns of an objection still open, and exits 0.
#[test]
fn check_warns_of_an_open_objection() {
    let ws = records();
    let run = ws.run(&["check"]);
    assert_eq!(run.code, Some(0));
    assert!(
        run.stderr
            .contains("warning: 2025: 2 objection(s) raised during publicity still open"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("G13 (received 2025-12-26, ws/2025/objections.csv:5)"),
        "{}",
        run.stderr
    );
}

/// The publicity list shows the objections still open and how long each has been open.
#[test]
fn publicity_lists_open_objections_with_days_open() {
    let ws = records();
    let run = ws.run(&["publicity", "-y", "2025", "-f", "markdown"]);
    let all = ok(&run);
    assert!(
        all.contains("## Objections still open (days open at 2025-12-26, the end of publicity)"),
        "{all}"
    );
    assert!(
        all.contains("| G32 | Branch G32 | 2025-12-20 | matter | 6 |"),
        "{all}"
    );
    assert!(
        all.contains("| G13 | Branch G13 | 2025-12-26 | 群众反映村务公开不及时 | 0 |"),
        "{all}"
    );
}

// ---------------------------------------------------------------------------------------
// Reading as a clerk writes them
// ---------------------------------------------------------------------------------------

/// Chinese column names and codes are read as the codes: 满意、基本满意…; 未处理/成立/不成立;
/// 自评; 三星.
#[test]
fn chinese_headers_and_codes_are_the_codes() {
    let ws = records();
    let before = ratings(&ws, "2025");
    let zh = |rel: &str, header: &str, map: &[(&str, &str)]| {
        let text = ws.read(rel);
        let (_, rest) = text.split_once('\n').unwrap();
        let mut rest = rest.to_string();
        for (a, b) in map {
            rest = rest.replace(a, b);
        }
        ws.write(rel, format!("{header}\n{rest}"));
    };
    zh(
        "2025/surveys.csv",
        "支部编号,分组,发放票数,收回票数,满意,基本满意,不满意,不了解",
        &[],
    );
    zh(
        "2025/deductions.csv",
        "支部编号,层级,指标,扣分,扣分日期,扣分原因",
        &[(",self,", ",自评,")],
    );
    zh(
        "2025/objections.csv",
        "支部编号,受理日期,异议事项,办理状态,答复日期",
        &[(",open,", ",未处理,"), (",dismissed,", ",不成立,")],
    );
    zh(
        "2025/decisions.csv",
        "支部编号,决定星级,理由,文号",
        &[("G29,2,", "G29,二星,"), ("G30,0,", "G30,不评星,")],
    );
    assert_eq!(ratings(&ws, "2025"), before);
}

/// A GBK (GB18030) file saved by Excel on a Chinese system, with a BOM-less Chinese header,
/// reads as its UTF-8 self.
#[test]
fn records_saved_as_gbk_read_as_utf8() {
    let ws = records();
    let before = ratings(&ws, "2025");
    let text = ws.read("2025/objections.csv").replace(
        "branch,received,matter,status,answered",
        "支部编号,受理日期,异议事项,办理状态,答复日期",
    );
    let (bytes, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    ws.write("2025/objections.csv", bytes.as_ref());
    assert_eq!(ratings(&ws, "2025"), before);
}

/// Each record may be a workbook, written as Excel writes one (numbers as numbers, dates
/// as date cells in a Chinese date format in the date columns): the same ratings as the
/// CSV files.
#[test]
fn records_as_workbooks_read_as_their_csv() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let ws = records();
    let before = ratings(&ws, "2025");
    for name in ["surveys", "deductions", "objections", "decisions"] {
        let text = ws.read(&format!("2025/{name}.csv"));
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet();
        let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let mut headers = Vec::new();
        for (r, line) in text.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (row, col) = (r as u32, c as u16);
                if r == 0 {
                    headers.push(cell.to_string());
                }
                let is_date = ["date", "received", "answered"].contains(&headers[c].as_str());
                match (r > 0, is_date, cell.parse::<f64>()) {
                    (true, true, _) if !cell.is_empty() => {
                        let d = ExcelDateTime::parse_from_str(cell).unwrap();
                        sheet
                            .write_datetime_with_format(row, col, &d, &date)
                            .unwrap();
                    }
                    (true, false, Ok(n)) if name != "decisions" || c != 1 => {
                        sheet.write_number(row, col, n).unwrap();
                    }
                    _ => {
                        sheet.write_string(row, col, cell).unwrap();
                    }
                }
            }
        }
        ws.remove(&format!("2025/{name}.csv"));
        wb.save(ws.path(&format!("2025/{name}.xlsx"))).unwrap();
    }
    assert_eq!(ratings(&ws, "2025"), before);
}

/// The surveys' template, in Chinese, filled and saved back as it is, gives the ratings of
/// the file it was filled from.
#[test]
fn the_surveys_template_filled_reads_back() {
    let ws = records();
    let before = ratings(&ws, "2025");
    let original = ws.read("2025/surveys.csv");
    let counts: BTreeMap<(String, String), String> = original
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.splitn(3, ',').collect();
            ((c[0].to_string(), c[1].to_string()), c[2].to_string())
        })
        .collect();
    let run = ws.run(&[
        "template", "surveys", "-y", "2025", "-f", "csv", "--lang", "zh",
    ]);
    let template = ok(&run).to_string();
    assert!(template.starts_with(
        "\u{feff}支部编号,支部名称,分组,发放票数,收回票数,满意,基本满意,不满意,不了解\n"
    ));
    // Filled: the rows of branches with ballots; the others deleted, as a clerk would.
    let mut filled = String::new();
    for (k, line) in template.lines().enumerate() {
        let c: Vec<&str> = line.split(',').collect();
        if k == 0 {
            filled.push_str(line);
            filled.push('\n');
        } else if let Some(n) = counts.get(&(c[0].to_string(), c[2].to_string())) {
            filled.push_str(&format!("{},{},{},{n}\n", c[0], c[1], c[2]));
        }
    }
    ws.remove("2025/surveys.csv");
    let out = ws.run(&[
        "template",
        "surveys",
        "-y",
        "2025",
        "-o",
        "ws/2025/surveys.csv",
    ]);
    ok(&out);
    // Written once, never over an input.
    let again = ws.run(&[
        "template",
        "surveys",
        "-y",
        "2025",
        "-o",
        "ws/2025/surveys.csv",
    ]);
    assert!(
        again.stderr.contains("refusing to overwrite it"),
        "{}",
        again.stderr
    );
    ws.write("2025/surveys.csv", filled);
    assert_eq!(ratings(&ws, "2025"), before);
}

/// The other templates have their headers (the codes in English) and no rows yet.
#[test]
fn the_other_templates_have_headers_only() {
    let ws = records();
    for (name, header) in [
        (
            "deductions",
            "branch,name,level,indicator,points,date,reason",
        ),
        ("objections", "branch,name,received,matter,status,answered"),
        ("decisions", "branch,name,star,reason,document"),
    ] {
        let run = ws.run(&["template", name, "-f", "csv", "--no-bom"]);
        assert_eq!(ok(&run), format!("{header}\n"), "{name}");
    }
    let run = ws.run(&[
        "template",
        "decisions",
        "-f",
        "csv",
        "--no-bom",
        "--lang",
        "zh",
    ]);
    assert_eq!(ok(&run), "支部编号,支部名称,决定星级,理由,决定文号\n");
}

/// A workspace without records rates exactly as before: none of the new columns, statuses
/// or steps appear (the golden files of the spec example and the town are the proof; here
/// the explain of a branch without records has no `records`).
#[test]
fn a_branch_without_records_is_explained_as_before() {
    let ws = Ws::spec_example();
    let run = ws.run(&["explain", "B04", "-f", "json"]);
    let j: J = serde_json::from_str(ok(&run)).unwrap();
    assert!(j.get("records").is_none());
    let text = ws.run(&["explain", "B04"]);
    assert!(!ok(&text).contains("Ballots") && !text.stdout.contains("Objections"));
}

/// The problems of the records in Chinese, as a clerk reads them (`--lang zh`): the same
/// places, the messages in Chinese, a void round told to be held again.
#[test]
fn problems_of_the_records_in_chinese() {
    let ws = records();
    ws.patch(
        "2024/objections.csv",
        "G18,2024-12-28,matter,open,",
        "G18,2024-12-28,matter,dismissed,2024-12-30",
    );
    ws.patch(
        "2025/surveys.csv",
        "G02,members,17,17,8,1,2,1",
        "G02,members,17,18,8,1,2,1",
    );
    ws.patch(
        "2025/deductions.csv",
        "G01,self,C03,0.5,2025-05-14,reason C03",
        "G01,组织评定,C03,0.5,2025-05-14,reason C03",
    );
    ws.patch(
        "2025/objections.csv",
        "G08,2025-12-20,matter,dismissed,2025-12-30",
        "G08,2025-12-20,matter,驳回,2025-12-30",
    );
    ws.patch("2025/decisions.csv", "G29,2,recheck", "G29,六星,recheck");
    let run = ws.run(&["check", "--lang", "zh"]);
    let err = fails(&run);
    for want in [
        "错误：ws/2025/surveys.csv:2: 收回 18 票，多于发放的 17 票；本轮测评无效：请重新组织测评",
        "错误：ws/2025/deductions.csv:4:2: [level] 支部 G01 的组织评定层级不实行扣分制（农村评星标准的 [deduction] levels：self）",
        "错误：ws/2025/objections.csv:2:4: [status] 未知办理状态“驳回”；应为 open（未处理）、upheld（成立）或 dismissed（不成立）",
        "错误：ws/2025/decisions.csv:2:2: [star] 星级“六星”无效；应为 0 到 5 的整数（0 为不评星）",
        "共发现 4 个问题",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}
