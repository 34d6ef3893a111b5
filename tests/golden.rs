//! Golden files of every output format of every command (insta snapshots in
//! tests/snapshots/). A change of output shows as a diff to review with `cargo insta review`.

use assert_cmd::Command;

const SPEC: &str = "tests/fixtures/spec-example";
const TOWN: &str = "examples/dawang";
/// Stars by theme (tests/fixtures/themes): the theme columns and lists.
const THEMES: &str = "tests/fixtures/themes";
/// The records of the year (ballots, deductions, objections, decisions), without themes.
const RECORDS: &str = "tests/fixtures/records-example";
/// A county of six towns (examples/guangrao).
const COUNTY: &str = "examples/guangrao";

fn stars(args: &[&str]) -> String {
    let out = Command::cargo_bin("stars")
        .unwrap()
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stars {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "stars {args:?} wrote to stderr");
    String::from_utf8(out.stdout).unwrap()
}

macro_rules! golden {
    ($($name:ident: [$($arg:expr),*];)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(stringify!($name), stars(&[$($arg),*]));
            }
        )*
    };
}

golden! {
    records_evaluate_2025_csv: ["evaluate", "-w", RECORDS, "-y", "2025", "-f", "csv"];
    records_evaluate_2024_json: ["evaluate", "-w", RECORDS, "-y", "2024", "-f", "json"];
    records_evaluate_2025_markdown_zh: ["evaluate", "-w", RECORDS, "-y", "2025", "-f", "markdown", "--lang", "zh"];
    records_explain_g02: ["explain", "G02", "-w", RECORDS, "-y", "2025", "--lang", "en"];
    records_explain_g02_zh: ["explain", "G02", "-w", RECORDS, "-y", "2025", "--lang", "zh"];
    records_explain_g02_csv: ["explain", "G02", "-w", RECORDS, "-y", "2025", "-f", "csv"];
    records_explain_g13_json: ["explain", "G13", "-w", RECORDS, "-y", "2025", "-f", "json"];
    records_explain_g30_zh: ["explain", "G30", "-w", RECORDS, "-y", "2025", "--lang", "zh"];
    records_publicity_2025_markdown: ["publicity", "-w", RECORDS, "-y", "2025", "-f", "markdown", "--lang", "en"];
    records_rectify_2025_csv: ["rectify", "-w", RECORDS, "-y", "2025", "-f", "csv"];
    records_adjust_2025_csv: ["adjust", "-w", RECORDS, "-y", "2025", "-f", "csv"];
    records_template_surveys_csv_zh: ["template", "surveys", "-w", RECORDS, "-y", "2025", "-f", "csv", "--lang", "zh"];
    records_template_deductions_markdown: ["template", "deductions", "-w", RECORDS, "-y", "2025", "-f", "markdown", "--lang", "en"];
    spec_evaluate_csv: ["evaluate", "-w", SPEC, "-f", "csv"];
    spec_evaluate_json: ["evaluate", "-w", SPEC, "-f", "json"];
    spec_evaluate_table_en: ["evaluate", "-w", SPEC, "-f", "table", "--lang", "en"];
    spec_evaluate_table_zh: ["evaluate", "-w", SPEC, "-f", "table", "--lang", "zh"];
    spec_evaluate_markdown: ["evaluate", "-w", SPEC, "-f", "markdown", "--lang", "zh"];
    spec_rectify_csv: ["rectify", "-w", SPEC, "-f", "csv"];
    spec_rectify_json: ["rectify", "-w", SPEC, "-f", "json"];
    spec_rectify_table: ["rectify", "-w", SPEC, "-f", "table", "--lang", "en"];
    spec_rectify_markdown_zh: ["rectify", "-w", SPEC, "-f", "markdown", "--lang", "zh"];
    spec_rectify_responsibility_csv: ["rectify", "-w", SPEC, "-f", "csv", "--view", "responsibility"];
    spec_rectify_responsibility_markdown: ["rectify", "-w", SPEC, "-f", "markdown", "--view", "responsibility"];
    spec_rectify_deadline_csv: ["rectify", "-w", SPEC, "-f", "csv", "--view", "deadline"];
    spec_adjust_csv: ["adjust", "-w", SPEC, "-f", "csv"];
    spec_adjust_json: ["adjust", "-w", SPEC, "-f", "json"];
    spec_adjust_table: ["adjust", "-w", SPEC, "-f", "table", "--lang", "en"];
    spec_explain_b05: ["explain", "B05", "-w", SPEC, "--lang", "en"];
    spec_explain_b04_zh: ["explain", "B04", "-w", SPEC, "--lang", "zh"];
    spec_explain_b07_json: ["explain", "B07", "-w", SPEC, "-f", "json"];
    spec_tiers_csv: ["tiers", "-w", SPEC, "-f", "csv"];
    spec_tiers_json: ["tiers", "-w", SPEC, "-f", "json"];
    spec_tiers_table: ["tiers", "-w", SPEC, "-f", "table", "--lang", "en"];
    spec_publicity_json: ["publicity", "-w", SPEC, "-f", "json"];
    spec_publicity_markdown: ["publicity", "-w", SPEC, "-f", "markdown", "--lang", "en"];
    spec_exchange_table: ["exchange", "-w", SPEC, "-f", "table", "--lang", "zh"];
    spec_exchange_markdown: ["exchange", "-w", SPEC, "-f", "markdown", "--lang", "en"];
    spec_rectify_deadline_markdown: ["rectify", "-w", SPEC, "-f", "markdown", "--view", "deadline", "--lang", "zh"];
    spec_rectify_deadline_json: ["rectify", "-w", SPEC, "-f", "json", "--view", "deadline"];
    spec_rectify_responsibility_table: ["rectify", "-w", SPEC, "-f", "table", "--view", "responsibility", "--lang", "zh"];
    spec_adjust_markdown: ["adjust", "-w", SPEC, "-f", "markdown", "--lang", "zh"];
    spec_history_table: ["history", "B04", "-w", SPEC, "-f", "table", "--lang", "en"];
    spec_explain_b04_json: ["explain", "B04", "-w", SPEC, "-f", "json"];
    spec_tiers_markdown: ["tiers", "-w", SPEC, "-f", "markdown", "--lang", "zh"];
    spec_publicity_csv: ["publicity", "-w", SPEC, "-f", "csv"];
    spec_publicity_table: ["publicity", "-w", SPEC, "-f", "table", "--lang", "zh"];
    spec_exchange_csv: ["exchange", "-w", SPEC, "-f", "csv"];
    spec_exchange_json: ["exchange", "-w", SPEC, "-f", "json"];
    spec_history_csv: ["history", "B04", "-w", SPEC, "-f", "csv"];
    standards_show_csv: ["standards", "show", "-w", "tests", "-f", "csv"];
    themes_evaluate_csv: ["evaluate", "-w", THEMES, "-f", "csv"];
    themes_evaluate_json: ["evaluate", "-w", THEMES, "-f", "json"];
    themes_evaluate_table_zh: ["evaluate", "-w", THEMES, "-f", "table", "--lang", "zh"];
    themes_evaluate_markdown_en: ["evaluate", "-w", THEMES, "-f", "markdown", "--lang", "en"];
    themes_explain_h12_zh: ["explain", "H12", "-w", THEMES, "--lang", "zh"];
    themes_explain_h04_json: ["explain", "H04", "-w", THEMES, "-f", "json"];
    themes_explain_h03_csv: ["explain", "H03", "-w", THEMES, "-f", "csv"];
    themes_rectify_themes_csv: ["rectify", "-w", THEMES, "-f", "csv", "--view", "themes"];
    themes_rectify_themes_markdown_zh: ["rectify", "-w", THEMES, "-f", "markdown", "--view", "themes", "--lang", "zh"];
    themes_standards_show_rural_csv: ["standards", "show", "rural", "-w", THEMES, "-f", "csv"];
    themes_template_rural_legend_markdown_zh: ["template", "rural", "--legend", "-w", THEMES, "-f", "markdown", "--lang", "zh"];
    town_evaluate_2025_csv: ["evaluate", "-w", TOWN, "-y", "2025", "-f", "csv"];
    town_evaluate_2023_csv: ["evaluate", "-w", TOWN, "-y", "2023", "-f", "csv"];
    town_evaluate_2025_table_zh: ["evaluate", "-w", TOWN, "-y", "2025", "-f", "table", "--lang", "zh"];
    town_rectify_2025_deadline_csv: ["rectify", "-w", TOWN, "-y", "2025", "-f", "csv", "--view", "deadline"];
    town_adjust_2025_table_zh: ["adjust", "-w", TOWN, "-y", "2025", "-f", "table", "--lang", "zh"];
    town_adjust_2025_csv: ["adjust", "-w", TOWN, "-y", "2025", "-f", "csv"];
    town_explain_d001_zh: ["explain", "D001", "-w", TOWN, "-y", "2025", "--lang", "zh"];
    town_history_d011_csv: ["history", "D011", "-w", TOWN, "-f", "csv"];
    town_exchange_2025_csv: ["exchange", "-w", TOWN, "-y", "2025", "-f", "csv"];
    town_publicity_2025_markdown: ["publicity", "-w", TOWN, "-y", "2025", "-f", "markdown", "--lang", "zh"];
    // The committee report's figures, as a script reads them.
    town_report_2025_json: ["report", "-w", TOWN, "-y", "2025", "-f", "json"];
    spec_report_json: ["report", "-w", SPEC, "-f", "json"];
    themes_report_json: ["report", "-w", THEMES, "-f", "json"];
    records_report_2025_json: ["report", "-w", RECORDS, "-y", "2025", "-f", "json"];
    county_report_2025_json: ["report", "-w", COUNTY, "-y", "2025", "-f", "json"];
}

#[test]
fn check_is_silent_on_the_shipped_example() {
    Command::cargo_bin("stars")
        .unwrap()
        .args(["check", "-w", TOWN])
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn same_bytes_on_every_run() {
    let a = stars(&["evaluate", "-w", TOWN, "-f", "json"]);
    let b = stars(&["evaluate", "-w", TOWN, "-f", "json"]);
    assert_eq!(a, b);
    assert!(!a.contains('\r'));
}
