//! A county of towns (`members` in stars.toml): every command run member by member, the
//! rows with a `town` column first in town order, standards and settings resolved member →
//! county → built-in, `--town`, the summary by town, `--output-dir` and `--keep-going`.
//! Most tests run on a copy of the shipped county, `examples/guangrao`.

mod common;

use common::{copy_dir, Ws};
use std::path::Path;

/// A copy of `examples/guangrao` as `ws`.
fn county() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guangrao"),
        &ws.dir,
    );
    ws
}

/// Make row 2 of a town's 2025 events name a branch the town does not have: one problem,
/// at `ws/towns/FOLDER/2025/events.csv:2:1`.
fn break_events(ws: &Ws, folder: &str) {
    ws.map_lines(&format!("towns/{folder}/2025/events.csv"), |i, l| {
        if i == 2 {
            let rest = l.split_once(',').map_or("", |(_, r)| r);
            format!("X999,{rest}")
        } else {
            l.to_string()
        }
    });
}

/// The folders of the shipped county's towns, in town order (by name).
/// In the county's order: `members = ["towns/*"]`, so by folder name.
const TOWNS: [(&str, &str); 6] = [
    ("大码头镇", "damatou"),
    ("稻庄镇", "daozhuang"),
    ("大王镇", "dawang"),
    ("丁庄街道", "dingzhuang"),
    ("花官镇", "huaguan"),
    ("李鹊镇", "lique"),
];

/// The county's CSV is every town's own CSV (run on the town alone), in town order, each
/// row after its town's name: members are ordinary workspaces, and nothing is lost or
/// changed in putting them together.
#[test]
fn county_rows_are_each_towns_rows_after_its_name() {
    let ws = county();
    for command in [
        &["evaluate"][..],
        &["rectify"],
        &["rectify", "--view", "deadline"],
        &["adjust"],
        &["tiers"],
        &["publicity"],
        &["exchange"],
    ] {
        for year in ["2024", "2025"] {
            let mut args = command.to_vec();
            args.extend(["--year", year, "--format", "csv"]);
            let all = ws.run(&args);
            assert_eq!(all.code, Some(0), "{args:?}: {}", all.stderr);
            let mut want = String::new();
            for (k, (town, folder)) in TOWNS.iter().enumerate() {
                let mut cmd = common::stars();
                cmd.current_dir(ws.tmp.path())
                    .args(&args)
                    .args(["--workspace", &format!("ws/towns/{folder}")]);
                let one = common::run(cmd);
                assert_eq!(one.code, Some(0), "{folder} {args:?}: {}", one.stderr);
                let mut lines = one.stdout.lines();
                let header = lines.next().unwrap_or_default();
                if k == 0 {
                    want.push_str(&format!("town,{header}\n"));
                }
                for line in lines {
                    want.push_str(&format!("{town},{line}\n"));
                }
            }
            assert_eq!(all.stdout, want, "{args:?}");
        }
    }
}

/// The towns come in the order the county lists them (`members`, then folder name within
/// a pattern), the same bytes twice over: listed the other way round, they come the other
/// way round.
#[test]
fn county_output_follows_the_order_of_members() {
    let ws = county();
    let first = ws.run(&["evaluate", "--format", "json"]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(
        ws.run(&["evaluate", "--format", "json"]).stdout,
        first.stdout
    );
    assert!(first
        .stdout
        .starts_with("[\n  {\"town\": \"大码头镇\", \"branch\": "));
    let listed: Vec<String> = TOWNS
        .iter()
        .rev()
        .map(|(_, f)| format!("\"towns/{f}\""))
        .collect();
    ws.patch(
        "stars.toml",
        "members = [\"towns/*\"]",
        &format!("members = [{}]", listed.join(", ")),
    );
    let again = ws.run(&["evaluate", "--format", "json"]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert!(again
        .stdout
        .starts_with("[\n  {\"town\": \"李鹊镇\", \"branch\": "));
    // The same rows, each town's together, in the other order.
    let towns = |json: &str| -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for l in json.lines().filter_map(|l| l.split("\"town\": \"").nth(1)) {
            let t = l.split('"').next().unwrap_or_default().to_string();
            if seen.last() != Some(&t) {
                seen.push(t);
            }
        }
        seen
    };
    let mut back = towns(&again.stdout);
    back.reverse();
    assert_eq!(towns(&first.stdout), back);
    let mut a: Vec<&str> = first.stdout.lines().collect();
    let mut b: Vec<&str> = again.stdout.lines().collect();
    a.sort_unstable();
    b.sort_unstable();
    let strip = |v: Vec<&str>| -> Vec<String> {
        v.into_iter()
            .map(|l| l.trim_start_matches(',').trim_end_matches(',').to_string())
            .collect()
    };
    let (mut a, mut b) = (strip(a), strip(b));
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// Branch ids need be unique only within a town: 大王镇 and 大码头镇 both have D001.
/// `explain` asks which one; `--town` chooses.
#[test]
fn branch_ids_are_unique_within_a_town_only() {
    let ws = county();
    let out = ws.run(&["evaluate", "--format", "csv"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("\n大王镇,D001,"));
    assert!(out.stdout.contains("\n大码头镇,D001,"));
    let both = ws.run(&["explain", "D001"]);
    assert_eq!(both.code, Some(2), "{}", both.stderr);
    assert!(both.stderr.contains("大码头镇、大王镇"), "{}", both.stderr);
    let one = ws.run(&["explain", "D001", "--town", "大码头镇"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    let history = ws.run(&["history", "Q001"]);
    assert_eq!(history.code, Some(0), "{}", history.stderr);
    let nowhere = ws.run(&["explain", "NOPE"]);
    assert_eq!(nowhere.code, Some(1));
    assert!(nowhere.stderr.contains("NOPE"), "{}", nowhere.stderr);
}

/// Standards resolve member → county → built-in, file by file; a member run on its own
/// inside its county resolves the same way.
#[test]
fn standards_resolve_member_then_county_then_built_in() {
    let ws = county();
    // The county's own rural standard: the built-in one with one point moved.
    let export = ws.run(&["standards", "export", "ws/standards"]);
    assert_eq!(export.code, Some(0), "{}", export.stderr);
    for f in ["common", "agency", "two_new", "community", "soe"] {
        ws.remove(&format!("standards/{f}.toml"));
    }
    let explained = |args: &[&str]| {
        let r = ws.run(args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        r.stdout
    };
    // 大码头镇 has no standards of its own: the built-in common file, the county's rural
    // (the county's language is Chinese).
    let d = explained(&["explain", "D001", "--town", "大码头镇", "--year", "2025"]);
    assert!(
        d.contains("（内置 standards/common.toml + ws/standards/rural.toml）"),
        "{d}"
    );
    // 稻庄镇 has its own common.toml (its ballots and deductions) and takes rural from the
    // county.
    let z = explained(&["explain", "Z001", "--year", "2025"]);
    assert!(
        z.contains("ws/towns/daozhuang/standards/common.toml + ws/standards/rural.toml"),
        "{z}"
    );
    // 李鹊镇 has its own rural.toml: it wins over the county's.
    let q = explained(&["explain", "Q001", "--year", "2025"]);
    assert!(q.contains("ws/towns/lique/standards/rural.toml"), "{q}");
    // 花官镇 has its own common.toml and takes rural from the county.
    let h = explained(&["explain", "H001", "--year", "2025"]);
    assert!(
        h.contains("ws/towns/huaguan/standards/common.toml + ws/standards/rural.toml"),
        "{h}"
    );
    // A member run on its own, inside the county: the county's rural file still counts.
    let mut cmd = common::stars();
    cmd.current_dir(ws.tmp.path()).args([
        "explain",
        "Z001",
        "--year",
        "2025",
        "-w",
        "ws/towns/daozhuang",
    ]);
    let alone = common::run(cmd);
    assert_eq!(alone.code, Some(0), "{}", alone.stderr);
    assert!(
        alone.stdout.contains("standards/rural.toml"),
        "{}",
        alone.stdout
    );
    assert!(!alone.stdout.contains("内置 standards/rural.toml"));
    // A bad county standard is a problem located in the county's file, for every town.
    ws.patch(
        "standards/rural.toml",
        "domain = \"rural\"",
        "domain = \"rurall\"",
    );
    let bad = ws.run(&["check"]);
    assert_eq!(bad.code, Some(1));
    assert!(
        bad.stderr.contains("ws/standards/rural.toml"),
        "{}",
        bad.stderr
    );
}

/// Settings resolve too: a member without `[years]` or `lang` takes the county's; a
/// member's own `[years]` replaces the county's (李鹊镇 evaluates on 12-26).
#[test]
fn settings_resolve_member_then_county() {
    let ws = county();
    let toml = ws.read("towns/daozhuang/stars.toml");
    let name_only: String = toml
        .lines()
        .take_while(|l| !l.starts_with("[years"))
        .filter(|l| !l.starts_with("lang"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(name_only.contains("name = \"稻庄镇\""), "{name_only}");
    ws.write("towns/daozhuang/stars.toml", &name_only);
    let out = ws.run(&["rectify", "--year", "2025", "--format", "csv"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // The county's date, 2025-12-20, and 李鹊镇's own, 2025-12-26, give their deadlines.
    let deadline_of = |town: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{town},")))
            // The deadline, before the status left blank to fill.
            .and_then(|l| l.rsplit(',').nth(1))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert_eq!(deadline_of("稻庄镇"), deadline_of("大王镇"));
    assert_ne!(deadline_of("李鹊镇"), deadline_of("大王镇"));
    // Alone, inside its county, the member speaks the county's language.
    let mut cmd = common::stars();
    cmd.current_dir(ws.tmp.path())
        .args(["check", "-w", "ws/towns/daozhuang", "--year", "2031"]);
    let alone = common::run(cmd);
    assert_eq!(alone.code, Some(0), "{}", alone.stderr);
    let mut cmd = common::stars();
    cmd.current_dir(ws.tmp.path())
        .args(["evaluate", "-w", "ws/towns/daozhuang", "--year", "2031"]);
    let wrong_year = common::run(cmd);
    assert_eq!(wrong_year.code, Some(1));
    assert!(
        wrong_year.stderr.contains("本工作区没有 2031 年度"),
        "{}",
        wrong_year.stderr
    );
}

/// A problem is named in the member's own file; nothing is written; `check` lists the
/// problems of every member at once.
#[test]
fn problems_are_located_in_the_members_files() {
    let ws = county();
    break_events(&ws, "huaguan");
    ws.patch(
        "towns/lique/stars.toml",
        "name = \"李鹊镇\"",
        "name = \"李鹊镇\"\nbogus = 1",
    );
    let check = ws.run(&["check"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check
            .stderr
            .contains("ws/towns/huaguan/2025/events.csv:2:1"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("ws/towns/lique/stars.toml"),
        "{}",
        check.stderr
    );
    let out = ws.run(&["evaluate", "--format", "csv", "-o", "all.csv"]);
    assert_eq!(out.code, Some(1));
    assert!(!ws.tmp.path().join("all.csv").exists());
    let stdout = ws.run(&["evaluate", "--format", "csv"]);
    assert_eq!(stdout.code, Some(1));
    assert_eq!(stdout.stdout, "", "nothing on standard output either");
}

/// `--keep-going` writes the sound towns and names the others (exit 1).
#[test]
fn keep_going_writes_the_sound_towns() {
    let ws = county();
    break_events(&ws, "huaguan");
    for format in ["csv", "json", "markdown"] {
        let out = ws.run(&["evaluate", "--format", format, "--keep-going"]);
        assert_eq!(out.code, Some(1), "{format}");
        assert!(out.stderr.contains("花官镇"), "{}", out.stderr);
        assert!(out.stderr.contains("ws/towns/huaguan/2025/events.csv:2:1"));
        assert!(out.stdout.contains("大王镇"), "{format}");
        // For people, the summary by town has a row saying why the town is left out.
        let rows: Vec<&str> = out
            .stdout
            .lines()
            .filter(|l| l.contains("花官镇"))
            .collect();
        match format {
            "markdown" => assert_eq!(
                rows,
                ["| 花官镇 |  |  |  |  |  |  |  |  |  |  |  | 未计入：其文件中有 1 个问题（见错误输出） |"],
                "{}",
                out.stdout
            ),
            _ => assert!(rows.is_empty(), "{format}"),
        }
    }
}

/// `--output-dir`: a file per town in its folder, and the summary by town; all or none.
#[test]
fn output_dir_writes_a_file_per_town_and_a_summary() {
    let ws = county();
    let out = ws.run(&[
        "evaluate",
        "--year",
        "2025",
        "--format",
        "csv",
        "--output-dir",
        "out",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let dir = ws.tmp.path().join("out");
    for (town, folder) in TOWNS {
        let file = std::fs::read_to_string(dir.join(folder).join("ratings-2025.csv")).unwrap();
        let mut cmd = common::stars();
        cmd.current_dir(ws.tmp.path()).args([
            "evaluate",
            "--year",
            "2025",
            "--format",
            "csv",
            "-w",
            &format!("ws/towns/{folder}"),
        ]);
        let alone = common::run(cmd);
        assert_eq!(file, alone.stdout, "{town}");
    }
    let summary = std::fs::read_to_string(dir.join("ratings-2025-towns.csv")).unwrap();
    insta::assert_snapshot!("county_summary_csv", summary);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        7,
        "six folders and the summary, nothing left over: {names:?}"
    );

    // A broken town: nothing written at all; with --keep-going, the others.
    break_events(&ws, "dawang");
    let broken = ws.run(&["evaluate", "--format", "csv", "--output-dir", "out2"]);
    assert_eq!(broken.code, Some(1));
    let out2 = ws.tmp.path().join("out2");
    assert_eq!(std::fs::read_dir(&out2).map(|d| d.count()).unwrap_or(0), 0);
    let kept = ws.run(&[
        "evaluate",
        "--format",
        "csv",
        "--output-dir",
        "out2",
        "--keep-going",
    ]);
    assert_eq!(kept.code, Some(1));
    assert!(out2.join("lique/ratings-2025.csv").exists());
    assert!(!out2.join("dawang").exists());
    // Not a list per town, or not a county: wrong usage.
    assert_eq!(ws.run(&["check", "--output-dir", "o"]).code, Some(2));
    let town = common::town_without_lang();
    assert_eq!(town.run(&["evaluate", "--output-dir", "o"]).code, Some(2));
}

/// The summary by town for people: stars by town, five-star count and share, tiers.
#[test]
fn people_see_a_summary_by_town() {
    let ws = county();
    let out = ws.run(&["evaluate", "--year", "2025", "--format", "markdown"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // The title is the county's, not its first town's.
    assert!(
        out.stdout.starts_with("## 广饶县 2025年度星级评定结果\n"),
        "{}",
        out.stdout
    );
    let summary: String = out
        .stdout
        .split("\n## ")
        .find(|s| s.starts_with("各镇（街道）汇总") || s.starts_with("By town"))
        .unwrap_or_default()
        .to_string();
    insta::assert_snapshot!("county_summary_markdown", summary);
    let adjust = ws.run(&["adjust", "--year", "2025", "--format", "markdown"]);
    assert_eq!(adjust.code, Some(0), "{}", adjust.stderr);
    assert!(adjust.stdout.contains("未完成整改"), "open items by town");
    // A workbook: the rows, the summary by town with its chart.
    let xlsx = ws.run(&["evaluate", "--format", "xlsx", "-o", "county.xlsx"]);
    assert_eq!(xlsx.code, Some(0), "{}", xlsx.stderr);
    let bytes = std::fs::read(ws.tmp.path().join("county.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let charts = (0..zip.len())
        .filter(|i| {
            zip.by_index(*i)
                .unwrap()
                .name()
                .starts_with("xl/charts/chart")
        })
        .count();
    assert!(charts >= 1, "the summary by town has a chart");
}

/// `--town` on a county: only those towns (by name or folder); an unknown one is a
/// problem listing the towns there are.
#[test]
fn town_selects_members() {
    let ws = county();
    let out = ws.run(&[
        "evaluate",
        "--format",
        "csv",
        "--town",
        "李鹊镇",
        "--town",
        "huaguan",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let towns: std::collections::BTreeSet<&str> = out
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(towns.into_iter().collect::<Vec<_>>(), ["李鹊镇", "花官镇"]);
    let unknown = ws.run(&["evaluate", "--town", "某某镇"]);
    assert_eq!(unknown.code, Some(1));
    assert!(unknown.stderr.contains("某某镇") && unknown.stderr.contains("大王镇"));
    // A command on one town needs --town on a county.
    assert_eq!(ws.run(&["template", "rural"]).code, Some(2));
    let one = ws.run(&["template", "rural", "--town", "稻庄镇", "--format", "csv"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert!(one.stdout.contains("Z001"));
}

/// `--town` on a workspace whose branches.csv has several towns: their rows, and a
/// summary by town for people.
#[test]
fn town_filters_a_workspace_of_several_towns() {
    let ws = common::town_without_lang();
    ws.map_lines("branches.csv", |i, l| {
        if i > 1 && i % 2 == 0 {
            l.replace("大王镇", "稻庄镇")
        } else {
            l.to_string()
        }
    });
    let all = ws.run(&["evaluate", "--format", "csv"]);
    let only = ws.run(&["evaluate", "--format", "csv", "--town", "稻庄镇"]);
    assert_eq!(only.code, Some(0), "{}", only.stderr);
    let branches = ws.read("branches.csv");
    let in_town: Vec<&str> = branches
        .lines()
        .filter(|l| l.contains(",稻庄镇,"))
        .filter_map(|l| l.split(',').next())
        .collect();
    let want: Vec<&str> = all
        .stdout
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || in_town.iter().any(|id| l.starts_with(&format!("{id},"))))
        .map(|(_, l)| l)
        .collect();
    assert_eq!(only.stdout, format!("{}\n", want.join("\n")));
    let md = ws.run(&[
        "evaluate",
        "--format",
        "markdown",
        "--town",
        "稻庄镇",
        "--town",
        "大王镇",
    ]);
    assert_eq!(md.code, Some(0));
    assert!(md.stdout.contains("## By town"), "{}", md.stdout);
    let unknown = ws.run(&["evaluate", "--town", "某某镇"]);
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("ws/branches.csv"),
        "{}",
        unknown.stderr
    );
}

/// What `members` may hold, each problem at the key: a path outside the county, a
/// pattern that names no folder, a folder that is no workspace, two towns of one name.
#[test]
fn members_are_checked() {
    let ws = county();
    ws.patch(
        "stars.toml",
        "members = [\"towns/*\"]",
        "members = [\"towns/*\", \"../elsewhere\", \"villages/*\", \"empty\"]",
    );
    std::fs::create_dir_all(ws.path("empty")).unwrap();
    ws.patch(
        "towns/huaguan/stars.toml",
        "name = \"花官镇\"",
        "name = \"大王镇\"",
    );
    let out = ws.run(&["check", "--lang", "en"]);
    assert_eq!(out.code, Some(1));
    let e = &out.stderr;
    assert!(
        e.contains(
            "ws/stars.toml: [members] member `../elsewhere` is not a folder inside the county"
        ),
        "{e}"
    );
    assert!(e.contains("member `villages/*` names no folder"), "{e}");
    assert!(e.contains("member ws/empty has no stars.toml"), "{e}");
    assert!(e.contains("ws/towns/huaguan/stars.toml: [name] town name `大王镇` is also the name of ws/towns/dawang"), "{e}");
}

/// `stars init --county`, then a town in it: a county that checks and evaluates.
#[test]
fn init_county_then_a_town() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = common::stars();
        cmd.current_dir(tmp.path()).args(args);
        common::run(cmd)
    };
    let made = run(&[
        "init",
        "--county",
        "gr",
        "--name",
        "广饶县",
        "--first-year",
        "2025",
    ]);
    assert_eq!(made.code, Some(0), "{}", made.stderr);
    let toml = std::fs::read_to_string(tmp.path().join("gr/stars.toml")).unwrap();
    assert!(toml.contains("members = [\"towns/*\"]"), "{toml}");
    assert!(tmp.path().join("gr/towns").is_dir());
    // The town: a copy of the example town, as a clerk would bring their own folder.
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang"),
        &tmp.path().join("gr/towns/dawang"),
    );
    assert_eq!(run(&["check", "-w", "gr"]).code, Some(0));
    let out = run(&["evaluate", "-w", "gr", "--format", "csv"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.starts_with("town,branch,"));
    assert_eq!(
        run(&["init", "--county", "gr"]).code,
        Some(1),
        "never overwritten"
    );
}

/// The README's county section runs as written: every `stars` line of its first `sh`
/// block, from a copy of the repository's examples, exits 0.
#[test]
fn the_readme_county_section_runs_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("\n## A county of towns\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_default();
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap_or_default();
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guangrao"),
        &tmp.path().join("examples/guangrao"),
    );
    let mut ran = 0;
    for line in block.lines() {
        let command = line.split("   #").next().unwrap_or_default().trim();
        let Some(args) = command.strip_prefix("stars ") else {
            continue;
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        let mut cmd = common::stars();
        cmd.current_dir(tmp.path()).args(&args);
        let out = common::run(cmd);
        assert_eq!(out.code, Some(0), "{command}: {}", out.stderr);
        ran += 1;
    }
    assert!(ran >= 6, "the section's commands were found ({ran})");
    assert!(tmp.path().join("out/dawang/adjustment-2025.csv").is_file());
    assert!(tmp.path().join("ratings-2025.csv").is_file());
    assert!(tmp.path().join("花官镇.html").is_file());
}

/// `stars report` on a county: one page with the towns side by side, in town order; with
/// one `--town`, that town's own page.
#[test]
fn the_county_report_has_the_towns_side_by_side() {
    let ws = county();
    let out = ws.run(&["report", "--year", "2025", "-o", "county.html"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let html = std::fs::read_to_string(ws.tmp.path().join("county.html")).unwrap();
    assert!(html.contains("<h1>广饶县2025年度星级党支部评定情况报告（分镇街）</h1>"));
    let at: Vec<usize> = TOWNS
        .iter()
        .map(|(town, _)| html.find(&format!("<td>{town}</td>")).unwrap_or(usize::MAX))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "every town, in town order: {at:?}"
    );
    // The five-star count is the sum of the towns' (29 in 2025: see the summary snapshot).
    assert!(
        html.contains("五星级党支部<b>29</b>"),
        "headline five-star count"
    );
    // The five-star share, as a town's report gives it (two places).
    assert!(html.contains("14.80"));
    let again = ws.run(&["report", "--year", "2025", "-o", "again.html"]);
    assert_eq!(again.code, Some(0));
    assert_eq!(
        std::fs::read(ws.tmp.path().join("again.html")).unwrap(),
        html.as_bytes()
    );
    let one = ws.run(&["report", "--town", "花官镇", "-o", "hg.html"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    let town = std::fs::read_to_string(ws.tmp.path().join("hg.html")).unwrap();
    assert!(town.contains("花官镇2025年度星级党支部评定情况报告"));
    // A town with a problem: no page.
    break_events(&ws, "lique");
    assert_eq!(ws.run(&["report", "-o", "broken.html"]).code, Some(1));
    assert!(!ws.tmp.path().join("broken.html").exists());
}

/// Run from inside the county (the default `-w .`), or with `-w ./`: the same rows as
/// with its name (a glob drops a leading `./`, which once lost every member).
#[test]
fn a_county_runs_from_its_own_folder() {
    let ws = county();
    let named = ws.run(&["evaluate", "--format", "csv"]);
    assert_eq!(named.code, Some(0), "{}", named.stderr);
    for args in [
        &["evaluate", "--format", "csv"][..],
        &["evaluate", "--format", "csv", "-w", "./"],
    ] {
        let mut cmd = common::stars();
        cmd.current_dir(&ws.dir).args(args);
        let here = common::run(cmd);
        assert_eq!(here.code, Some(0), "{args:?}: {}", here.stderr);
        assert_eq!(here.stdout, named.stdout, "{args:?}");
    }
    let mut cmd = common::stars();
    cmd.current_dir(ws.dir.join("towns"))
        .args(["check", "-w", ".."]);
    assert_eq!(common::run(cmd).code, Some(0));
}
