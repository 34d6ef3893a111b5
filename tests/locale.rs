//! The locale does not change what a command writes on a workspace: the workspace sets the
//! language (`lang` in stars.toml, English without it) and `--lang` overrides it. A county
//! script under `LANG=C` and a town clerk under `zh_CN.UTF-8` commit the same bytes.

mod common;

use common::{run, Ws};

/// The locales tried: `None` for none set at all.
const LOCALES: &[Option<&str>] = &[None, Some("C"), Some("en_US.UTF-8"), Some("zh_CN.UTF-8")];

/// The commands whose outputs are committed, each in CSV and JSON.
const COMMANDS: &[&[&str]] = &[
    &["evaluate"],
    &["rectify"],
    &["adjust"],
    &["tiers"],
    &["publicity"],
    &["exchange"],
    &["history", "D001"],
];

/// A private copy of the example town.
fn town() -> Ws {
    common::town_without_lang()
}

/// Run on the workspace in a locale (`LANG` and `LC_ALL` both, or neither set); the
/// standard output, after checking that the run succeeded.
#[track_caller]
fn out_in(ws: &Ws, locale: Option<&str>, args: &[&str]) -> Vec<u8> {
    let mut cmd = ws.cmd(args);
    match locale {
        Some(l) => cmd.env("LANG", l).env("LC_ALL", l),
        None => cmd.env_remove("LANG").env_remove("LC_ALL"),
    };
    let out = cmd.output().expect("run stars");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?} in {locale:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every command's CSV and JSON, byte for byte the same in every locale; on a workspace
/// without `lang` and on one with `lang = "zh"`.
fn same_in_every_locale(ws: &Ws) {
    let mut differ = Vec::new();
    for cmd in COMMANDS {
        for format in ["csv", "json"] {
            let mut args = cmd.to_vec();
            args.extend(["--format", format]);
            let first = out_in(ws, LOCALES[0], &args);
            assert!(!first.is_empty(), "{args:?} wrote nothing");
            for l in &LOCALES[1..] {
                if out_in(ws, *l, &args) != first {
                    differ.push(format!("{} in {l:?}", args.join(" ")));
                }
            }
        }
    }
    assert!(
        differ.is_empty(),
        "differ from no locale:\n{}",
        differ.join("\n")
    );
}

#[test]
fn csv_and_json_do_not_depend_on_the_locale() {
    let ws = town();
    same_in_every_locale(&ws);
}

#[test]
fn csv_and_json_do_not_depend_on_the_locale_in_a_chinese_workspace() {
    let ws = town();
    ws.patch(
        "stars.toml",
        "name = \"大王镇\"\n",
        "name = \"大王镇\"\nlang = \"zh\"\n",
    );
    same_in_every_locale(&ws);
    // And they are Chinese: the same as `--lang zh` gives.
    let args = ["rectify", "--format", "csv"];
    let zh = out_in(&ws, Some("C"), &args);
    let forced = out_in(
        &ws,
        Some("C"),
        &["rectify", "--format", "csv", "--lang", "zh"],
    );
    assert_eq!(zh, forced);
}

#[test]
fn xlsx_does_not_depend_on_the_locale() {
    let ws = town();
    let mut files = Vec::new();
    for (i, l) in LOCALES.iter().enumerate() {
        let name = format!("evaluate-{i}.xlsx");
        out_in(
            &ws,
            *l,
            &["evaluate", "--format", "xlsx", "--output", &name],
        );
        files.push(std::fs::read(ws.tmp.path().join(&name)).expect("the workbook"));
    }
    assert!(!files[0].is_empty());
    for (i, f) in files.iter().enumerate().skip(1) {
        assert!(*f == files[0], "the workbook in {:?} differs", LOCALES[i]);
    }
}

#[test]
fn lang_changes_the_free_text_not_the_header() {
    let ws = town();
    let en = out_in(
        &ws,
        Some("zh_CN.UTF-8"),
        &["rectify", "-f", "csv", "--lang", "en"],
    );
    let zh = out_in(&ws, Some("C"), &["rectify", "-f", "csv", "--lang", "zh"]);
    let (en, zh) = (
        String::from_utf8(en).unwrap(),
        String::from_utf8(zh).unwrap(),
    );
    assert_ne!(
        en, zh,
        "the problems, measures and reasons follow the language"
    );
    assert_eq!(
        en.lines().next(),
        zh.lines().next(),
        "the header is the machine contract: English column names"
    );
    assert!(en.lines().count() > 1);
    // Without --lang a workspace without `lang` is English, whatever the locale.
    let default = out_in(&ws, Some("zh_CN.UTF-8"), &["rectify", "-f", "csv"]);
    assert_eq!(String::from_utf8(default).unwrap(), en);
}

#[test]
fn init_writes_the_language_and_the_workspace_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = common::stars();
    c.current_dir(tmp.path())
        .args(["init", "town", "--name", "大王镇", "--first-year", "2026"])
        .env("LANG", "zh_CN.UTF-8");
    let r = run(c);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.starts_with("已创建工作区"), "{}", r.stderr);
    let toml = std::fs::read_to_string(tmp.path().join("town/stars.toml")).unwrap();
    assert!(toml.contains("\nlang = \"zh\"\n"), "{toml}");
    // A script under LANG=C then gets the clerk's language.
    let mut c = common::stars();
    c.current_dir(tmp.path()).args(["check", "-w", "town"]);
    let check = run(c);
    assert_eq!(check.code, Some(1));
    assert!(check.stderr.starts_with("错误："), "{}", check.stderr);
}

/// `check` warns (exit 0, on standard error) of a five-star candidate without any review
/// opinion, naming it and the departments missing, in the workspace's language.
#[test]
fn check_warns_of_a_candidate_without_review_opinions() {
    let ws = Ws::spec_example();
    ws.map_lines("2025/reviews.csv", |_, l| {
        if l.starts_with("B01,") {
            String::new()
        } else {
            l.to_string()
        }
    });
    let r = ws.run(&["check"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "warning: 2025: 1 five-star candidate(s) without any review opinion, rated four stars until they come: B01 (discipline, law_enforcement, industry)\n"
    );
    let r = ws.run(&["check", "--lang", "zh"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("提示：2025 年度有 1 个五星候选支部尚无任何审核意见")
            && r.stderr.contains("B01（纪检监察、行政执法、行业监管）"),
        "{}",
        r.stderr
    );
}
