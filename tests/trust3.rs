//! Trust, third round (issue 31): a county's paths, streamed limits, terminals and scripts.
//! Each test is a crafted file or layout, with the exit code, the message, that no input
//! changed and that nothing was left behind.
#![cfg(unix)]

mod common;

use common::{copy_dir, snapshot_files, Run, Ws};
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Exit code 1, no panic, a message; returns stderr.
#[track_caller]
fn invalid(run: &Run, what: &str) -> String {
    assert_eq!(
        run.code,
        Some(1),
        "{what}: expected exit code 1\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    run.stderr.clone()
}

/// Exit code 2 (usage), no panic; returns stderr.
#[track_caller]
fn usage(run: &Run, what: &str) -> String {
    assert_eq!(
        run.code,
        Some(2),
        "{what}: expected exit code 2\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    run.stderr.clone()
}

#[track_caller]
fn ok(run: &Run, what: &str) {
    assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
}

/// Everything under the test's folder, to compare before and after a run.
fn everything(ws: &Ws) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot_files(ws.tmp.path())
}

/// Nothing changed under the test's folder: no input written, nothing left behind.
#[track_caller]
fn unchanged(ws: &Ws, before: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    let after = everything(ws);
    let added: Vec<&PathBuf> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let gone: Vec<&PathBuf> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let changed: Vec<&PathBuf> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        added.is_empty() && gone.is_empty() && changed.is_empty(),
        "{what}: added {added:?}, removed {gone:?}, changed {changed:?}"
    );
}

/// A copy of `examples/guangrao` as `ws`.
fn county() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guangrao"),
        &ws.dir,
    );
    ws
}

/// `stars ARGS` run in the test's folder without `--workspace` added.
fn bare(ws: &Ws, args: &[&str]) -> Run {
    let mut cmd = common::stars();
    cmd.current_dir(ws.tmp.path()).args(args);
    cmd.timeout(Duration::from_secs(120));
    common::run(cmd)
}

// ---------------------------------------------------------------------------------------
// 6. `explain` escapes terminal controls; the HTML report makes bidi overrides inert.

const OSC8: &str = "\u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7}";
const CLEAR: &str = "\u{1b}[2J\u{1b}[H";
const C1: &str = "\u{9b}31m";
const RLO: &str = "\u{202e}gnp.exe";

/// No raw terminal control or bidi override in `s`: only their escaped forms.
#[track_caller]
fn harmless(s: &str, what: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!s.contains(c), "{what}: a raw {c:?} in:\n{s}");
    }
}

#[test]
fn explain_shows_text_from_files_with_terminal_controls_escaped() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "B04,North Village,rural,Spec,Liu Yang,Sun Hao,Seed bank",
        &format!(
            "B04,North {OSC8},rural,Sp{C1}ec,Liu {CLEAR},Sun {RLO},Seed{}bank",
            '\u{7}'
        ),
    );
    ws.patch(
        "2025/events.csv",
        "County commendation\nB04,P2",
        &format!("County {CLEAR}commendation\nB04,P2"),
    );
    ws.patch(
        "standards/rural.toml",
        "name = \"Rural party branches\"",
        &format!("name = \"Rural {}\"", "\\u001b[31m\\u202eparty"),
    );
    let before = everything(&ws);
    for args in [
        &["explain", "B04", "--year", "2025"][..],
        &["explain", "B04", "--year", "2025", "-f", "table"],
        &["explain", "B04", "--year", "2025", "-f", "markdown"],
        &["explain", "B04", "--year", "2025", "--lang", "zh"],
    ] {
        let run = ws.run(args);
        ok(&run, "explain");
        harmless(&run.stdout, &format!("{args:?}"));
        harmless(&run.stderr, &format!("{args:?}"));
    }
    let run = ws.run(&["explain", "B04", "--year", "2025"]);
    assert!(run.stdout.contains("North \\u{1b}]8;;"), "{}", run.stdout);
    assert!(run.stdout.contains("\\u{202e}"), "{}", run.stdout);
    unchanged(&ws, &before, "explain");
}

#[test]
fn the_html_report_makes_bidi_overrides_and_controls_inert() {
    let ws = Ws::spec_example();
    ws.patch(
        "branches.csv",
        "B04,North Village,rural,Spec",
        &format!("B04,North {RLO} {CLEAR},rural,Spec"),
    );
    ws.patch("stars.toml", "Spec Example Town", "Spec \\u202eTown");
    let run = ws.run(&["report", "--year", "2025", "-o", "r.html"]);
    ok(&run, "report");
    let html = std::fs::read_to_string(ws.tmp.path().join("r.html")).unwrap();
    harmless(&html, "report");
    assert!(html.contains("\\u{202e}"), "the override shown escaped");
    std::fs::remove_file(ws.tmp.path().join("r.html")).unwrap();
}
