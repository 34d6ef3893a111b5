//! Trust, second round: links resolved before an output is written, inputs that are regular
//! files of bounded size, problem lists bounded, text from the input made harmless where it
//! is shown, and no temporary file left behind by a signal.
//!
//! Every test works on a private copy of `tests/fixtures/spec-example` (see `common`).
#![cfg(unix)]

mod common;

use common::{Run, Ws};
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

/// Exit code 1, no panic; returns stderr.
#[track_caller]
fn invalid(run: &Run, what: &str) -> String {
    assert_ne!(run.code, Some(101), "{what}: panicked\n{}", run.stderr);
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

/// Run with a time limit: a FIFO or `/dev/zero` must not hang the program.
fn run_quickly(ws: &Ws, args: &[&str]) -> (Run, Duration) {
    let mut cmd = ws.cmd(args);
    cmd.timeout(Duration::from_secs(20));
    let start = Instant::now();
    let run = common::run(cmd);
    (run, start.elapsed())
}

fn refused_onto_input(ws: &Ws, output: &str, input: &std::path::Path) {
    let before = std::fs::read(input).unwrap();
    let run = ws.run(&["evaluate", "--year", "2025", "-f", "csv", "-o", output]);
    let err = invalid(&run, output);
    assert!(
        err.contains("is an input file of the workspace; refusing to overwrite it"),
        "{output}: {err}"
    );
    assert_eq!(
        std::fs::read(input).unwrap(),
        before,
        "{output}: input changed"
    );
}

// ---------------------------------------------------------------------------------------
// 1. Outputs never land on an input, links resolved.

#[test]
fn a_score_sheet_in_a_linked_year_folder_is_not_overwritten() {
    let ws = Ws::spec_example();
    let data = ws.tmp.path().join("data2025");
    std::fs::rename(ws.path("2025"), &data).unwrap();
    symlink("../data2025", ws.path("2025")).unwrap();
    let real = data.join("scores-rural.csv");
    refused_onto_input(&ws, "ws/2025/scores-rural.csv", &real);
    // Named through its real folder, too.
    refused_onto_input(&ws, "data2025/scores-rural.csv", &real);
    // A data file not made yet, in the real year folder: where it would be read.
    let run = ws.run(&["evaluate", "-f", "csv", "-o", "data2025/scores-new.csv"]);
    invalid(&run, "data2025/scores-new.csv");
    assert!(!data.join("scores-new.csv").exists());
}

#[test]
fn a_standard_in_a_linked_standards_folder_is_not_overwritten() {
    let ws = Ws::spec_example();
    let real = ws.tmp.path().join("std");
    std::fs::rename(ws.path("standards"), &real).unwrap();
    symlink("../std", ws.path("standards")).unwrap();
    refused_onto_input(&ws, "ws/standards/rural.toml", &real.join("rural.toml"));
    refused_onto_input(&ws, "std/rural.toml", &real.join("rural.toml"));
}

#[test]
fn a_linked_branch_list_is_not_overwritten() {
    let ws = Ws::spec_example();
    let real = ws.tmp.path().join("b.csv");
    std::fs::rename(ws.path("branches.csv"), &real).unwrap();
    symlink("../b.csv", ws.path("branches.csv")).unwrap();
    refused_onto_input(&ws, "b.csv", &real);
}

#[test]
fn an_output_that_is_a_link_to_an_input_is_refused() {
    let ws = Ws::spec_example();
    symlink("ws/2025/scores-rural.csv", ws.tmp.path().join("out.csv")).unwrap();
    refused_onto_input(&ws, "out.csv", &ws.path("2025/scores-rural.csv"));
    symlink("ws/stars.toml", ws.tmp.path().join("out.toml")).unwrap();
    refused_onto_input(&ws, "out.toml", &ws.path("stars.toml"));
}

#[test]
fn an_output_that_is_a_link_elsewhere_is_written_through() {
    let ws = Ws::spec_example();
    let target = ws.tmp.path().join("latest.csv");
    std::fs::write(&target, "old\n").unwrap();
    let link = ws.tmp.path().join("out.csv");
    symlink("latest.csv", &link).unwrap();
    let run = ws.run(&["evaluate", "--year", "2025", "-f", "csv", "-o", "out.csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("branch,name,"), "{text}");
    // A link to nothing is refused.
    symlink("nowhere/x.csv", ws.tmp.path().join("dangling.csv")).unwrap();
    let run = ws.run(&["evaluate", "-f", "csv", "-o", "dangling.csv"]);
    let err = invalid(&run, "dangling link");
    assert!(err.contains("symbolic link to nothing"), "{err}");
}

// ---------------------------------------------------------------------------------------
// 2. Inputs are regular files of bounded size.

#[test]
fn events_linked_to_dev_zero_are_refused_quickly() {
    let ws = Ws::spec_example();
    ws.remove("2025/events.csv");
    symlink("/dev/zero", ws.path("2025/events.csv")).unwrap();
    let (run, took) = run_quickly(&ws, &["evaluate", "--year", "2025"]);
    let err = invalid(&run, "/dev/zero");
    assert!(
        err.contains("ws/2025/events.csv: not a regular file"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("mkfifo \"$1\"")
        .arg("sh")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn fifos_as_inputs_are_refused_without_hanging() {
    for rel in [
        "2025/events.csv",
        "2025/scores-rural.csv",
        "2025/scores-extra.xlsx",
        "branches.csv",
        "stars.toml",
        "standards/rural.toml",
    ] {
        let ws = Ws::spec_example();
        if ws.path(rel).exists() {
            ws.remove(rel);
        }
        mkfifo(&ws.path(rel));
        let (run, took) = run_quickly(&ws, &["check"]);
        let err = invalid(&run, rel);
        assert!(
            err.contains(&format!("ws/{rel}: not a regular file")),
            "{rel}: {err}"
        );
        assert!(took < Duration::from_secs(10), "{rel}: took {took:?}");
    }
}

#[test]
fn an_oversize_toml_file_is_refused_before_parsing() {
    let ws = Ws::spec_example();
    let mut text = ws.read("stars.toml");
    text.push_str(&format!("# {}\n", "x".repeat(1 << 20)));
    ws.write("stars.toml", text);
    let (run, took) = run_quickly(&ws, &["check"]);
    let err = invalid(&run, "oversize stars.toml");
    assert!(
        err.contains("ws/stars.toml: file is larger than 1048576 bytes"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let ws = Ws::spec_example();
    ws.write(
        "standards/rural.toml",
        format!("# {}\n", "y".repeat((1 << 20) + 1)),
    );
    let err = invalid(&ws.run(&["check"]), "oversize standard");
    assert!(
        err.contains("ws/standards/rural.toml: file is larger than 1048576 bytes"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// 3. Problem lists bounded.

#[test]
fn a_thousand_bad_rows_give_a_bounded_list() {
    let ws = Ws::spec_example();
    let mut text = ws.read("2025/scores-rural.csv");
    for _ in 0..1000 {
        text.push_str("B01,self,forty,30,20,10\n");
    }
    ws.write("2025/scores-rural.csv", text);
    let err = invalid(&ws.run(&["evaluate", "--year", "2025"]), "bad rows");
    let listed = err
        .lines()
        .filter(|l| l.starts_with("error: ws/2025/scores-rural.csv"))
        .count();
    assert_eq!(listed, 200, "{err}");
    // Two problems a row: the cell, and the row given twice.
    assert!(
        err.contains("… and 1800 more problems in ws/2025/scores-rural.csv"),
        "{err}"
    );
    assert!(err.ends_with("2000 problems found\n"), "{err}");
}

#[test]
fn the_whole_list_is_bounded_too() {
    let ws = Ws::spec_example();
    let bad: String =
        "branch,level,C1,C2,R1,R2\n".to_string() + &"B01,self,forty,30,20,10\n".repeat(300);
    for k in 0..6 {
        ws.write(&format!("2025/scores-x{k}.csv"), &bad);
    }
    let err = invalid(&ws.run(&["check"]), "bad files");
    let listed = err.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(listed, 1000, "{err}");
    // Two problems a row, 600 a file: 200 of each of the first five files listed.
    assert!(
        err.contains("… and 400 more problems in ws/2025/scores-x0.csv"),
        "{err}"
    );
    assert!(err.contains("… and 600 more problems\n"), "{err}");
    assert!(err.ends_with("3600 problems found\n"), "{err}");
}

// ---------------------------------------------------------------------------------------
// 4. Text from input files made harmless where it is shown.

const NAMES: [(&str, &str); 6] = [
    ("B01", "A\u{1b}[31mB"),
    ("B02", "C\u{202e}D"),
    ("B03", "<img onerror=x>"),
    ("B04", "a|b"),
    ("B05", "x\\|y"),
    ("B06", "\"p\rq\""),
];

fn hostile_names() -> Ws {
    let ws = Ws::spec_example();
    ws.map_lines("branches.csv", |_, line| {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        for (id, name) in NAMES {
            if cells.first().map(String::as_str) == Some(id) {
                if let Some(c) = cells.get_mut(1) {
                    *c = name.to_string();
                }
            }
        }
        cells.join(",")
    });
    ws
}

#[test]
fn names_are_escaped_in_tables_and_markdown_and_kept_in_csv() {
    let ws = hostile_names();
    let run = ws.run(&["evaluate", "--year", "2025", "-f", "table"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let table = run.stdout;
    for bad in ['\u{1b}', '\u{202e}', '\r'] {
        assert!(!table.contains(bad), "table has {bad:?}:\n{table}");
    }
    assert!(table.contains("A\\u{1b}[31mB"), "{table}");
    assert!(table.contains("C\\u{202e}D"), "{table}");
    assert!(table.contains("p\\u{d}q"), "{table}");

    let run = ws.run(&["evaluate", "--year", "2025", "-f", "markdown"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let md = run.stdout;
    for bad in ['\u{1b}', '\u{202e}', '\r', '<'] {
        assert!(!md.contains(bad), "markdown has {bad:?}:\n{md}");
    }
    assert!(md.contains("| &lt;img onerror=x> |"), "{md}");
    assert!(md.contains("| a\\|b |"), "{md}");
    assert!(md.contains("| x\\\\\\|y |"), "{md}");
    assert!(md.contains("| p q |"), "{md}");

    let run = ws.run(&["evaluate", "--year", "2025", "-f", "csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let csv = run.stdout;
    for kept in [
        "A\u{1b}[31mB",
        "C\u{202e}D",
        "<img onerror=x>",
        "a|b",
        "x\\|y",
        "p\rq",
    ] {
        assert!(csv.contains(kept), "csv lost {kept:?}:\n{csv}");
    }
}

#[test]
fn quoted_source_lines_are_escaped() {
    let ws = Ws::spec_example();
    ws.append(
        "2025/scores-rural.csv",
        "B01,self,\u{1b}[2J\u{202e}x,30,20,10\n",
    );
    let err = invalid(&ws.run(&["evaluate", "--year", "2025"]), "bad cell");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err}"
    );
    assert!(err.contains("\\u{1b}[2J\\u{202e}x"), "{err}");
}

// ---------------------------------------------------------------------------------------
// 5. A temporary output file is removed when a signal ends the program.

/// The temporary files (`.stars-*.tmp`) in a folder.
fn temporaries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    name.starts_with(".stars-") && name.ends_with(".tmp")
                })
                .collect()
        })
        .unwrap_or_default()
}

fn kill(signal: &str, pid: u32) {
    let _ = std::process::Command::new("kill")
        .args([signal, &pid.to_string()])
        .status();
}

/// Start writing a large output, stop the program while its temporary
/// file exists, send `signal`, let it go on: it exits with `code`, the temporary file is
/// gone and the old output is whole. `false` when the writing ended before it was caught.
fn interrupted_once(ws: &Ws, signal: &str, code: i32) -> bool {
    let out = ws.tmp.path().join("out.csv");
    std::fs::write(&out, "old\n").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stars"))
        .current_dir(ws.tmp.path())
        .args(["evaluate", "--year", "2025", "-f", "csv", "-o", "out.csv"])
        .args(["--workspace", "ws"])
        .env("LANG", "C")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut caught = false;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if !temporaries(ws.tmp.path()).is_empty() {
            kill("-STOP", pid);
            caught = !temporaries(ws.tmp.path()).is_empty();
            if caught {
                kill(signal, pid);
            }
            kill("-CONT", pid);
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        temporaries(ws.tmp.path()).is_empty(),
        "a temporary file left"
    );
    if caught {
        assert_eq!(status.code(), Some(code), "{signal}: {status:?}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old\n");
    }
    caught
}

#[test]
fn a_signal_while_writing_removes_the_temporary_file() {
    // The example of the README: 65 branches, whose names of 900 kB make an output of
    // 58 MB, rendered and written in about two seconds.
    let ws = Ws::empty();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang");
    common::copy_dir(&example, &ws.dir);
    ws.map_lines("branches.csv", |_, line| {
        if line.starts_with("id,") {
            return line.to_string();
        }
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if let Some(name) = cells.get_mut(1) {
            name.push_str(&" x".repeat(450_000));
        }
        cells.join(",")
    });
    for (signal, code) in [("-TERM", 143), ("-INT", 130), ("-HUP", 129)] {
        let caught = (0..5).any(|_| interrupted_once(&ws, signal, code));
        assert!(caught, "{signal}: the writing was never caught under way");
    }
}
