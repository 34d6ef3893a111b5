//! The shipped presets (`standards/presets/`): `stars init --preset`, `stars standards
//! export --preset`, and the example town rated under each preset.

mod common;

use common::{stars, Run, Ws};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const PRESETS: [&str; 3] = ["strict", "satisfaction", "themes"];
const FILES: [&str; 6] = [
    "common.toml",
    "rural.toml",
    "agency.toml",
    "two_new.toml",
    "community.toml",
    "soe.toml",
];

/// `standards/presets/NAME` in the source tree.
fn preset_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("standards")
        .join("presets")
        .join(name)
}

/// Run the binary in `dir` with these arguments.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = stars();
    cmd.current_dir(dir).args(args);
    common::run(cmd)
}

/// A copy of examples/dawang whose `standards/` is the preset (exported by the binary).
fn dawang_with(preset: &str) -> Ws {
    let ws = common::town_without_lang();
    let run = run_in(
        ws.tmp.path(),
        &["standards", "export", "--preset", preset, "ws/standards"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    ws
}

/// The rows of a CSV output, each as column → value.
fn rows(csv_text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn row<'a>(rows: &'a [BTreeMap<String, String>], branch: &str) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["branch"] == branch)
        .unwrap_or_else(|| panic!("no row for {branch}"))
}

/// `stars CMD -f csv --year 2025` (the example's latest year) on the workspace.
fn csv_of(ws: &Ws, cmd: &str) -> Vec<BTreeMap<String, String>> {
    let run = ws.run(&[cmd, "-f", "csv", "--year", "2025"]);
    assert_eq!(run.code, Some(0), "{cmd}: {}", run.stderr);
    rows(&run.stdout)
}

#[test]
fn each_preset_loads_cleanly() {
    for preset in PRESETS {
        // On a new workspace of its own…
        let tmp = tempfile::tempdir().unwrap();
        let init = run_in(
            tmp.path(),
            &["init", "town", "--first-year", "2026", "--preset", preset],
        );
        assert_eq!(init.code, Some(0), "{preset}: {}", init.stderr);
        // (`check` there reports only the empty branches.csv of a new workspace; `standards
        // show` loads and checks every standard file of the workspace.)
        let check = run_in(tmp.path(), &["check", "-w", "town"]);
        assert!(
            check.stderr.contains("no branches") && check.stderr.contains("1 problem found"),
            "{preset}: {}",
            check.stderr
        );
        let show = run_in(
            tmp.path(),
            &["standards", "show", "-w", "town", "-f", "csv"],
        );
        assert_eq!(show.code, Some(0), "{preset}: {}", show.stderr);
        // …and on the example town, every domain of which has branches (the themes preset
        // has indicators of its own for villages and communities: the town's sheets do not
        // fit it, see `the_themes_preset_rates_villages_and_communities_by_theme`).
        if preset == "themes" {
            continue;
        }
        let ws = dawang_with(preset);
        let check = ws.run(&["check"]);
        assert_eq!(check.code, Some(0), "{preset}: {}", check.stderr);
        // Every domain's standard shows with its secretary project.
        let show = ws.run(&["standards", "show", "-f", "csv"]);
        assert_eq!(show.code, Some(0), "{preset}: {}", show.stderr);
        let shown = rows(&show.stdout);
        for domain in ["rural", "agency", "two_new", "community", "soe"] {
            let n = shown
                .iter()
                .filter(|r| r["domain"] == domain && r["kind"] == "secretary_project")
                .count();
            assert_eq!(n, 1, "{preset} {domain}");
        }
    }
}

#[test]
fn the_town_under_strict() {
    let builtin = common::town_without_lang();
    let before = csv_of(&builtin, "evaluate");
    let ws = dawang_with("strict");
    let after = csv_of(&ws, "evaluate");
    assert_eq!(after.len(), before.len());
    // Read off the output (2025): the built-in standard gives eight five-star branches; the
    // best score of 2025 is 94.93 (D049), below strict's 95, so no branch is rated five
    // stars and the 10% quota never has to hold one back.
    assert_eq!(before.iter().filter(|r| r["star"] == "5").count(), 8);
    assert!(after
        .iter()
        .all(|r| r["star"] != "5" && r["score_star"] != "5"));
    assert!(after.iter().all(|r| r["status"] != "quota"));
    // D001 (91.89, the same score under both) drops from five stars to four (85 ≤ 91.89 < 95).
    assert_eq!(row(&before, "D001")["star"], "5");
    assert_eq!(row(&after, "D001")["score"], "91.89");
    assert_eq!(row(&after, "D001")["star"], "4");
    // D028 (64.34) is two stars under the built-in standard (≥ 60), one star under strict
    // (60 ≤ 64.34 < 65). No score of 2025 is below 60, so no branch goes without a star.
    assert_eq!(row(&before, "D028")["star"], "2");
    assert_eq!(row(&after, "D028")["score"], "64.34");
    assert_eq!(row(&after, "D028")["star"], "1");
    assert!(after.iter().all(|r| r["star"] != "0"));
    // The red line and the missed bottom line of the built-in rating still cap at two.
    assert_eq!(row(&after, "D042")["status"], "red_line");
    assert_eq!(row(&after, "D061")["status"], "bottom_line");

    // first_year = "trial": D065, founded in 2025 without a plaque, earns none this year.
    let adjust = csv_of(&ws, "adjust");
    let d065 = row(&adjust, "D065");
    assert_eq!(d065["change"], "trial", "{d065:?}");
    assert_eq!(d065["next"], "");
    assert_eq!(row(&csv_of(&builtin, "adjust"), "D065")["change"], "new");
}

#[test]
fn the_town_under_satisfaction() {
    let ws = dawang_with("satisfaction");
    let rated = csv_of(&ws, "evaluate");
    // Read off the output (2025): the mass ratings of D017, D045 and D056 are below 60%, and
    // their scores (72.71, 71.93, 72.16) would be three stars: the floor caps them at two.
    for b in ["D017", "D045", "D056"] {
        let r = row(&rated, b);
        assert_eq!(
            (
                r["score_star"].as_str(),
                r["star"].as_str(),
                r["status"].as_str()
            ),
            ("3", "2", "floor"),
            "{b}: {r:?}"
        );
        assert_eq!(r["blocked_by"], "floor:FM");
    }
    // D028 misses the floor too, but its score is two stars already: status rated.
    assert_eq!(row(&rated, "D028")["status"], "rated");
    assert_eq!(row(&rated, "D028")["blocked_by"], "floor:FM");
    // Seven branches are approved with five stars, within the quota ⌊0.3 × 64⌋ = 19: no
    // branch is held back by it.
    assert_eq!(rated.len(), 64);
    let five = rated.iter().filter(|r| r["star"] == "5").count();
    assert_eq!(five, 7);
    assert!(rated.iter().all(|r| r["status"] != "quota"));

    // Commendations are exceptional (破格): the adjustment names them.
    let adjust = csv_of(&ws, "adjust");
    assert!(
        row(&adjust, "D002")["reason"].contains("exceptional item P01"),
        "{:?}",
        row(&adjust, "D002")
    );
    assert!(row(&adjust, "D041")["reason"].contains("exceptional item P02"));
}

#[test]
fn init_with_a_preset_writes_its_files() {
    for preset in PRESETS {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(
            tmp.path(),
            &["init", "town", "--first-year", "2026", "--preset", preset],
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("preset `{preset}`")),
            "{}",
            run.stderr
        );
        for f in FILES {
            let written = std::fs::read(tmp.path().join("town/standards").join(f)).unwrap();
            let shipped = std::fs::read(preset_dir(preset).join(f)).unwrap();
            assert_eq!(written, shipped, "{preset}/{f}");
        }
        assert!(tmp.path().join("town/stars.toml").is_file());
        assert!(tmp.path().join("town/branches.csv").is_file());
    }
    // Without --preset, no standards/ folder (the built-in standard is used).
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(tmp.path(), &["init", "town", "--first-year", "2026"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!tmp.path().join("town/standards").exists());
}

#[test]
fn export_writes_the_preset_files() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(
        tmp.path(),
        &["standards", "export", "--preset", "satisfaction", "out"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let mut names: Vec<String> = std::fs::read_dir(tmp.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "exactly the six files, no temporary file left"
    );
    for f in FILES {
        let written = std::fs::read(tmp.path().join("out").join(f)).unwrap();
        let shipped = std::fs::read(preset_dir("satisfaction").join(f)).unwrap();
        assert_eq!(written, shipped, "{f}");
    }
}

#[test]
fn an_unknown_preset_is_wrong_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_in(
        tmp.path(),
        &["standards", "export", "--preset", "lenient", "out"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown preset `lenient`")
            && run.stderr.contains("strict, satisfaction, themes"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("out").exists(), "nothing written");
    // init too, before it writes anything.
    let run = run_in(tmp.path(), &["init", "town", "--preset", "lenient"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("strict, satisfaction"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("town").exists(), "nothing written");
}

#[test]
fn export_writes_all_files_or_none() {
    // Documented: export never overwrites; if DIR already has any of the six files, it
    // writes none of them.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("rural.toml"), "# my own\n").unwrap();
    for args in [
        &["standards", "export", "--preset", "strict", "out"][..],
        &["standards", "export", "out"][..],
    ] {
        let run = run_in(tmp.path(), args);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("rural.toml") && run.stderr.contains("refusing to overwrite"),
            "{}",
            run.stderr
        );
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["rural.toml"], "nothing else written");
        assert_eq!(
            std::fs::read_to_string(out.join("rural.toml")).unwrap(),
            "# my own\n"
        );
    }
    // init --preset into a folder whose standards/ has one of the files: refused, and no
    // workspace written either.
    let ws = tmp.path().join("town");
    std::fs::create_dir_all(ws.join("standards")).unwrap();
    std::fs::write(ws.join("standards/common.toml"), "# mine\n").unwrap();
    let run = run_in(
        tmp.path(),
        &["init", "town", "--first-year", "2026", "--preset", "strict"],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert!(!ws.join("stars.toml").exists());
    assert!(!ws.join("standards/rural.toml").exists());
}

/// `template DOMAIN --legend` of a workspace: each indicator's id, points and theme.
fn legend(tmp: &Path, domain: &str) -> Vec<(String, f64, String)> {
    let run = run_in(
        tmp,
        &["template", domain, "--legend", "-w", "town", "-f", "csv"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    rows(&run.stdout)
        .iter()
        .map(|r| {
            let theme = r.get("theme").cloned().unwrap_or_default();
            (r["id"].clone(), r["points"].parse().unwrap(), theme)
        })
        .collect()
}

/// A score row of every indicator at `share` of its points (`low` themes at half).
fn score_row(
    branch: &str,
    level: &str,
    ids: &[(String, f64, String)],
    share: f64,
    low: &[&str],
) -> String {
    let mut row = format!("{branch},{level}");
    for (_, points, theme) in ids {
        let s = if low.iter().any(|t| theme.starts_with(&format!("{t} "))) {
            0.5
        } else {
            share
        };
        row.push_str(&format!(",{:.2}", points * s));
    }
    row.push('\n');
    row
}

#[test]
fn the_themes_preset_rates_villages_and_communities_by_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let init = run_in(
        tmp.path(),
        &["init", "town", "--first-year", "2026", "--preset", "themes"],
    );
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    let town = tmp.path().join("town");
    std::fs::write(
        town.join("branches.csv"),
        "id,name,domain,town,secretary,lead,project\n\
         V1,东村,rural,示范镇,王,赵,合作社\n\
         V2,西村,rural,示范镇,李,赵,道路\n\
         U1,南社区,community,示范镇,张,孙,红色物业\n\
         A1,镇机关,agency,示范镇,刘,孙,一窗通办\n",
    )
    .unwrap();
    // Every theme of a village at 95% of its points but, for V2, 生态宜居星 (ST) at half;
    // the community's strong branch (ZB) at 80%, below its 85%; the agency at 85%.
    // A branch: its id, the share of each indicator's points, the themes at half.
    type Plan<'a> = (&'a str, f64, &'a [&'a str]);
    let plans: [(&str, &[Plan]); 3] = [
        ("rural", &[("V1", 0.95, &[]), ("V2", 0.95, &["ST"])]),
        ("community", &[("U1", 0.8, &[])]),
        ("agency", &[("A1", 0.85, &[])]),
    ];
    for (domain, branches) in plans {
        let ids = legend(tmp.path(), domain);
        // Villages and communities: every indicator has a theme; agencies: none.
        assert_eq!(
            ids.iter().all(|i| !i.2.is_empty()),
            domain != "agency",
            "{domain}"
        );
        let mut sheet = String::from("branch,level");
        for (id, _, _) in &ids {
            sheet.push(',');
            sheet.push_str(id);
        }
        sheet.push('\n');
        for (b, share, low) in branches {
            for level in ["self", "mass", "organization"] {
                sheet.push_str(&score_row(b, level, &ids, *share, low));
            }
        }
        std::fs::write(town.join(format!("2026/scores-{domain}.csv")), sheet).unwrap();
    }
    let run = run_in(tmp.path(), &["evaluate", "-w", "town", "-f", "csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rated = rows(&run.stdout);
    let got = |b: &str| {
        let r = row(&rated, b);
        [&r["score_star"], &r["star"], &r["status"], &r["themes"]].map(|s| s.to_string())
    };
    // Five themes: a five-star candidate, waiting for the town review.
    assert_eq!(got("V1"), ["5", "4", "pending_review", "ZB;CY;ST;PA;WM"]);
    assert_eq!(got("V2"), ["4", "4", "rated", "ZB;CY;PA;WM"]);
    assert_eq!(row(&rated, "V2")["gap_theme"], "ST");
    // The strong branch missed: no star, whatever the other themes.
    assert_eq!(got("U1")[..3], ["0", "0", "rated"]);
    assert_eq!(row(&rated, "U1")["gap_theme"], "ZB");
    // The agency keeps the score bands: 85 is four stars, and it has no themes.
    assert_eq!(got("A1"), ["4", "4", "rated", ""]);
    assert_eq!(row(&rated, "A1")["score"], "85.00");
}
