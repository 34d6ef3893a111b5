//! Trust: nothing lost, nothing panics, nothing injected.
//!
//! 1. `--output FILE` is written whole or not at all, never onto a workspace input, and no
//!    command ever modifies an input.
//! 2. CSV and Excel text cells that a spreadsheet would run as a formula are neutralized
//!    with a leading `'`; numbers are never touched; JSON carries the raw text.
//! 3. Hostile input (huge lines, huge headers, deeply nested TOML, random bytes) gets a
//!    located error, never a crash.
//! 4. `--encoding auto|utf8|gbk` decodes CSV input as asked.
//! 5. Exit codes: 0 success, 1 invalid data, 2 wrong usage.
//!
//! Every test works on a private copy of `tests/fixtures/spec-example` (see `common`).

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{Run, Ws};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

// ---------------------------------------------------------------------------------------
// Helpers

/// Exit code 0.
#[track_caller]
fn ok(run: &Run, what: &str) {
    no_crash(run, what);
    assert_eq!(
        run.code,
        Some(0),
        "{what}: expected exit code 0\nstderr:\n{}",
        run.stderr
    );
}

/// The run ended by itself, without a panic, an overflow or a signal.
#[track_caller]
fn no_crash(run: &Run, what: &str) {
    assert!(run.code.is_some(), "{what}: killed by a signal");
    assert_ne!(run.code, Some(101), "{what}: panicked\n{}", run.stderr);
    for word in ["panicked", "overflow", "RUST_BACKTRACE"] {
        assert!(
            !run.stderr.contains(word),
            "{what}: `{word}` on stderr:\n{}",
            run.stderr
        );
    }
}

/// Exit code 1 with an `error: ` message; returns stderr.
#[track_caller]
fn invalid(run: &Run, what: &str) -> String {
    no_crash(run, what);
    assert_eq!(
        run.code,
        Some(1),
        "{what}: expected exit code 1\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.starts_with("error: "),
        "{what}: stderr should start with `error: `:\n{}",
        run.stderr
    );
    run.stderr.clone()
}

/// Exit code 2 (wrong usage) with a message and nothing on stdout.
#[track_caller]
fn usage(run: &Run, what: &str) {
    no_crash(run, what);
    assert_eq!(
        run.code,
        Some(2),
        "{what}: expected exit code 2 (usage)\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(
        run.stdout, "",
        "{what}: nothing on stdout for a usage error"
    );
    assert!(
        !run.stderr.trim().is_empty(),
        "{what}: a usage error needs a message"
    );
}

/// Run and return the raw bytes of stdout (for byte-for-byte comparison with a file).
fn stdout_bytes(ws: &Ws, args: &[&str]) -> Vec<u8> {
    let out = ws.cmd(args).output().expect("run stars");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Temporary files of an atomic write (`.stars-*.tmp`) anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(".stars-") || n.ends_with(".tmp")
        })
        .collect()
}

#[track_caller]
fn no_leftovers(ws: &Ws, what: &str) {
    let left = leftovers(ws.tmp.path());
    assert!(left.is_empty(), "{what}: temporary files left: {left:?}");
}

/// The bytes and modification time of every file under `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p, (bytes, mtime))
        })
        .collect()
}

/// CSV text as rows of cells (header first).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A CSV field, always quoted (quotes doubled), so that any text survives.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The index of a column in a CSV header.
#[track_caller]
fn col(header: &[String], key: &str) -> usize {
    header
        .iter()
        .position(|h| h == key)
        .unwrap_or_else(|| panic!("no column `{key}` in {header:?}"))
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn dangerous(s: &str) -> bool {
    s.starts_with(DANGEROUS)
}

// ---------------------------------------------------------------------------------------
// 1. Atomic output

/// Commands and the output they give; each one's file must be exactly what stdout shows.
const COMMANDS: &[&[&str]] = &[
    &["evaluate", "--format", "csv"],
    &["evaluate", "--format", "json"],
    &["evaluate", "--format", "markdown"],
    &["rectify", "--format", "csv"],
    &["rectify", "--view", "responsibility", "--format", "csv"],
    &["adjust", "--format", "csv"],
    &["explain", "B01", "--format", "json"],
    &["history", "B01", "--format", "csv"],
    &["tiers", "--format", "csv"],
    &["publicity", "--format", "csv"],
    &["exchange", "--format", "csv"],
];

#[test]
fn output_file_holds_exactly_what_stdout_prints() {
    let ws = Ws::spec_example();
    for (n, args) in COMMANDS.iter().enumerate() {
        let expected = stdout_bytes(&ws, args);
        assert!(!expected.is_empty(), "{args:?}: printed nothing");
        let out = format!("out-{n}.txt");
        let mut with_output = args.to_vec();
        with_output.extend(["--output", &out]);
        let run = ws.run(&with_output);
        ok(&run, &format!("{with_output:?}"));
        assert_eq!(run.stdout, "", "{with_output:?}: stdout must stay empty");
        let got = std::fs::read(ws.tmp.path().join(&out)).unwrap();
        assert!(
            got == expected,
            "{with_output:?}: the file differs from stdout\nfile:\n{}\nstdout:\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected)
        );
    }
    no_leftovers(&ws, "after writing every output");
}

#[test]
fn output_replaces_an_existing_file_whole() {
    let ws = Ws::spec_example();
    let expected = stdout_bytes(&ws, &["evaluate", "--format", "csv"]);
    let target = ws.tmp.path().join("ratings.csv");
    // Longer than the output: nothing of the old file may remain at its end.
    std::fs::write(&target, "OLD,".repeat(100_000)).unwrap();
    let run = ws.run(&["evaluate", "--format", "csv", "--output", "ratings.csv"]);
    ok(&run, "evaluate over a longer existing file");
    assert_eq!(std::fs::read(&target).unwrap(), expected);
    // Shorter than the output.
    std::fs::write(&target, "x").unwrap();
    let run = ws.run(&["evaluate", "--format", "csv", "--output", "ratings.csv"]);
    ok(&run, "evaluate over a shorter existing file");
    assert_eq!(std::fs::read(&target).unwrap(), expected);
    no_leftovers(&ws, "after replacing a file");
}

#[test]
fn output_into_a_missing_folder_fails_and_leaves_nothing() {
    let ws = Ws::spec_example();
    let run = ws.run(&["evaluate", "--format", "csv", "--output", "nodir/x.csv"]);
    let err = invalid(&run, "--output into a missing folder");
    assert_eq!(run.stdout, "", "nothing on stdout when the output fails");
    assert!(
        err.contains("nodir"),
        "the message names the folder:\n{err}"
    );
    assert!(!ws.tmp.path().join("nodir").exists());
    no_leftovers(&ws, "--output into a missing folder");
}

#[test]
fn output_onto_a_folder_fails_and_leaves_nothing() {
    let ws = Ws::spec_example();
    let dir = ws.tmp.path().join("outdir");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "keep").unwrap();
    for target in ["outdir", "outdir/"] {
        let run = ws.run(&["evaluate", "--format", "csv", "--output", target]);
        let err = invalid(&run, &format!("--output {target} (a folder)"));
        assert_eq!(run.stdout, "");
        assert!(err.contains("outdir"), "the message names the path:\n{err}");
        assert!(dir.is_dir(), "the folder must stay a folder");
        assert_eq!(std::fs::read(dir.join("keep.txt")).unwrap(), b"keep");
        no_leftovers(&ws, &format!("--output {target}"));
    }
    // A workspace folder too.
    let before = snapshot(&ws.dir);
    let run = ws.run(&["evaluate", "--format", "csv", "--output", "ws/2025"]);
    invalid(&run, "--output ws/2025 (a folder)");
    assert!(snapshot(&ws.dir) == before, "the workspace changed");
    no_leftovers(&ws, "--output ws/2025");
}

#[test]
fn output_under_a_file_fails_and_leaves_nothing() {
    let ws = Ws::spec_example();
    let before = snapshot(&ws.dir);
    let run = ws.run(&["evaluate", "--output", "ws/stars.toml/x.csv"]);
    invalid(&run, "--output under a file");
    assert!(snapshot(&ws.dir) == before, "the workspace changed");
    no_leftovers(&ws, "--output under a file");
}

/// Every input file of the fixture, as `--output` paths.
const INPUTS: &[&str] = &[
    "ws/stars.toml",
    "ws/branches.csv",
    "ws/standards/common.toml",
    "ws/standards/rural.toml",
    "ws/2025/scores-rural.csv",
    "ws/2025/scores-mass.csv",
    "ws/2025/events.csv",
    "ws/2025/reviews.csv",
];

#[test]
fn output_onto_a_workspace_input_is_refused() {
    let ws = Ws::spec_example();
    // The fixture has its own standards/ folder (a customized copy of the standards).
    assert!(ws.path("standards/common.toml").is_file());
    let before = snapshot(&ws.dir);
    let abs = ws.dir.join("branches.csv");
    let mut targets: Vec<String> = INPUTS.iter().map(|s| s.to_string()).collect();
    targets.extend([
        "./ws/branches.csv".to_string(),
        "ws/2025/../branches.csv".to_string(),
        "ws/./2025/events.csv".to_string(),
        abs.to_string_lossy().into_owned(),
    ]);
    for target in &targets {
        for format in ["csv", "json"] {
            let run = ws.run(&["evaluate", "--format", format, "--output", target]);
            let err = invalid(&run, &format!("--output {target}"));
            assert!(
                err.contains("input"),
                "--output {target}: the message should say it is an input:\n{err}"
            );
            assert_eq!(run.stdout, "");
        }
    }
    // A command that writes rows from the score sheets themselves, onto a score sheet.
    let run = ws.run(&["rectify", "--output", "ws/2025/scores-rural.csv"]);
    invalid(&run, "rectify --output onto a score sheet");
    let after = snapshot(&ws.dir);
    for (path, (bytes, mtime)) in &before {
        let (b, m) = after
            .get(path)
            .unwrap_or_else(|| panic!("{} is gone", path.display()));
        assert!(b == bytes, "{} was changed", path.display());
        assert_eq!(m, mtime, "{} was rewritten", path.display());
    }
    assert_eq!(after.len(), before.len(), "files appeared in the workspace");
    no_leftovers(&ws, "refused outputs");
}

#[test]
fn output_onto_an_excel_input_is_refused() {
    // README "Excel workbooks as input": `reviews.xlsx` may stand instead of reviews.csv, so
    // it is an input of the workspace and `--output` must refuse it like reviews.csv.
    let ws = Ws::spec_example();
    let expected = stdout_bytes(&ws, &["evaluate", "--format", "csv"]);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in ws.read("2025/reviews.csv").lines().enumerate() {
        for (c, field) in line.split(',').enumerate() {
            if !field.is_empty() {
                sheet.write_string(r as u32, c as u16, field).unwrap();
            }
        }
    }
    ws.remove("2025/reviews.csv");
    book.save(ws.path("2025/reviews.xlsx")).unwrap();
    // The workbook is an input the tool reads: the ratings are those of the CSV.
    assert_eq!(
        stdout_bytes(&ws, &["evaluate", "--format", "csv"]),
        expected
    );
    let before = ws.read_bytes("2025/reviews.xlsx");
    let run = ws.run(&[
        "evaluate",
        "--format",
        "xlsx",
        "--output",
        "ws/2025/reviews.xlsx",
    ]);
    let err = invalid(&run, "--output onto ws/2025/reviews.xlsx");
    assert!(err.contains("input"), "{err}");
    assert!(
        ws.read_bytes("2025/reviews.xlsx") == before,
        "reviews.xlsx was overwritten"
    );
    no_leftovers(&ws, "--output onto reviews.xlsx");
}

#[test]
fn output_through_a_symlink_to_an_input_never_changes_the_input() {
    let ws = Ws::spec_example();
    let before = ws.read_bytes("branches.csv");
    let link = ws.tmp.path().join("link.csv");
    std::os::unix::fs::symlink(ws.path("branches.csv"), &link).unwrap();
    let run = ws.run(&["evaluate", "--format", "csv", "--output", "link.csv"]);
    // Refusing, or replacing the link itself, are both safe; writing through it is not.
    no_crash(&run, "--output onto a symlink to branches.csv");
    assert!(
        ws.read_bytes("branches.csv") == before,
        "branches.csv was written through a symlink"
    );
    no_leftovers(&ws, "--output onto a symlink");
}

#[test]
fn no_command_modifies_an_input() {
    let ws = Ws::spec_example();
    let before = snapshot(&ws.dir);
    let commands: &[&[&str]] = &[
        &["evaluate"],
        &["rectify"],
        &["adjust"],
        &["explain", "B01"],
        &["history", "B01"],
        &["tiers"],
        &["publicity"],
        &["exchange"],
    ];
    // `check` writes no output (it takes no --output).
    ok(&ws.run(&["check"]), "check");
    let mut outputs = Vec::new();
    for args in commands {
        let out = format!("ws/out-{}.csv", args[0]);
        let mut full = args.to_vec();
        full.extend(["--output", &out]);
        let run = ws.run(&full);
        ok(&run, &format!("{full:?}"));
        outputs.push(ws.tmp.path().join(&out));
        // The next command reads a workspace holding this output: still fine.
    }
    let after = snapshot(&ws.dir);
    for (path, (bytes, mtime)) in &before {
        let (b, m) = after
            .get(path)
            .unwrap_or_else(|| panic!("{} is gone", path.display()));
        assert!(b == bytes, "{} was changed", path.display());
        assert_eq!(m, mtime, "{} was rewritten", path.display());
    }
    for path in after.keys() {
        assert!(
            before.contains_key(path) || outputs.contains(path),
            "unexpected new file {}",
            path.display()
        );
    }
    no_leftovers(&ws, "after every command");
}

// ---------------------------------------------------------------------------------------
// 2. CSV formula injection

/// Text that a spreadsheet would run, per branch. The tab and carriage-return ones are
/// followed by a formula character: CSV input cells are trimmed (src/workspace/sheet.rs,
/// `Trim::All`), so the leading whitespace may be gone by the time the text is printed,
/// but what is left still starts a formula and must be neutralized either way.
const PAYLOADS: &[(&str, &str)] = &[
    ("B01", "=HYPERLINK(\"http://evil.example\",\"click\")"),
    ("B02", "+1+2"),
    ("B03", "-3+4"),
    ("B04", "@SUM(A1)"),
    ("B05", "\t=1+1"),
    ("B06", "\r@cmd"),
];

/// Notes for the events, in file order.
const NOTES: &[&str] = &[
    "=2+2 note",
    "+3 note",
    "-4 note",
    "@5 note",
    "\t=6 note",
    "\r+7 note",
];

fn payload(branch: &str) -> Option<&'static str> {
    PAYLOADS.iter().find(|(b, _)| *b == branch).map(|(_, p)| *p)
}

/// The spec example with formula text in branch names, secretaries, leads and notes
/// (branches.csv) and in event notes (events.csv), every field CSV-quoted.
fn injected() -> Ws {
    let ws = Ws::spec_example();
    let mut out = String::new();
    for (i, line) in ws.read("branches.csv").lines().enumerate() {
        let mut f: Vec<String> = line.split(',').map(str::to_string).collect();
        if i == 0 {
            f.push("note".into());
        } else if let Some(p) = payload(&f[0]) {
            f[1] = p.to_string();
            f[4] = format!("{p} sec");
            f[5] = format!("{p} lead");
            f.push(format!("{p} note"));
        } else {
            f.push(String::new());
        }
        out.push_str(&f.iter().map(|s| q(s)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    ws.write("branches.csv", out);
    let mut out = String::new();
    for (i, line) in ws.read("2025/events.csv").lines().enumerate() {
        let mut f: Vec<String> = line.split(',').map(str::to_string).collect();
        if i > 0 {
            f[3] = NOTES[(i - 1) % NOTES.len()].to_string();
        }
        out.push_str(&f.iter().map(|s| q(s)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    ws.write("2025/events.csv", out);
    ws
}

/// The neutralized forms a raw input text may take in CSV output: `'` before the text,
/// or before the text as the reader trimmed it.
fn neutralized(raw: &str) -> Vec<String> {
    let mut v = vec![format!("'{raw}")];
    if raw.trim() != raw {
        v.push(format!("'{}", raw.trim()));
    }
    v
}

/// The raw forms a text may take in JSON: as given, or trimmed by the reader.
fn raw_forms(raw: &str) -> Vec<String> {
    vec![raw.to_string(), raw.trim().to_string()]
}

#[track_caller]
fn assert_neutralized(cell: &str, raw: &str, what: &str) {
    let ok = neutralized(raw);
    assert!(
        ok.iter().any(|o| o == cell),
        "{what}: cell {cell:?} should be one of {ok:?}"
    );
}

/// A plain negative decimal such as `-1.50`: the only cell that may start with `-` as is.
fn negative_number(s: &str) -> bool {
    s.strip_prefix('-').is_some_and(|d| {
        d.chars().any(|c| c.is_ascii_digit()) && d.chars().all(|c| c.is_ascii_digit() || c == '.')
    })
}

/// No cell of CSV output starts a formula (unless it is a negative number).
#[track_caller]
fn no_formula(rows: &[Vec<String>], what: &str) {
    for row in rows {
        for cell in row {
            let number = negative_number(cell);
            assert!(
                number || !dangerous(cell),
                "{what}: cell {cell:?} would run as a formula"
            );
        }
    }
}

/// Compare `got` to `base` row by row, every column except `text_cols` identical.
#[track_caller]
fn same_except(got: &[Vec<String>], base: &[Vec<String>], text_cols: &[&str], what: &str) {
    assert_eq!(got.len(), base.len(), "{what}: row count");
    let header = &base[0];
    assert_eq!(&got[0], header, "{what}: header");
    let skip: Vec<usize> = text_cols.iter().map(|c| col(header, c)).collect();
    for (g, b) in got.iter().zip(base).skip(1) {
        for (i, key) in header.iter().enumerate() {
            if !skip.contains(&i) {
                assert_eq!(g[i], b[i], "{what}: column {key} of row {b:?}");
                assert!(!g[i].starts_with('\''), "{what}: {key} got a `'`");
            }
        }
    }
}

#[test]
fn evaluate_csv_neutralizes_formula_text_and_keeps_numbers() {
    let base = csv_rows(
        &Ws::spec_example()
            .run(&["evaluate", "--format", "csv"])
            .stdout,
    );
    let ws = injected();
    let run = ws.run(&["evaluate", "--format", "csv"]);
    ok(&run, "evaluate --format csv");
    let rows = csv_rows(&run.stdout);
    no_formula(&rows, "evaluate");
    same_except(&rows, &base, &["name"], "evaluate");
    let h = &rows[0];
    let (branch, name) = (col(h, "branch"), col(h, "name"));
    let mut seen = 0;
    for row in &rows[1..] {
        if let Some(p) = payload(&row[branch]) {
            assert_neutralized(&row[name], p, &format!("evaluate name of {}", row[branch]));
            seen += 1;
        }
    }
    assert_eq!(seen, PAYLOADS.len());
    // Numbers of the injected branches are plain numbers.
    for key in ["base", "bonus", "deduction", "score", "score_star", "star"] {
        let c = col(h, key);
        for row in &rows[1..] {
            assert!(
                row[c].parse::<f64>().is_ok(),
                "{key} of {}: {:?} is not a number",
                row[branch],
                row[c]
            );
        }
    }
}

#[test]
fn rectify_csv_neutralizes_formula_text_and_keeps_numbers() {
    let base = csv_rows(
        &Ws::spec_example()
            .run(&["rectify", "--format", "csv"])
            .stdout,
    );
    let ws = injected();
    let run = ws.run(&["rectify", "--format", "csv"]);
    ok(&run, "rectify --format csv");
    let rows = csv_rows(&run.stdout);
    no_formula(&rows, "rectify");
    same_except(
        &rows,
        &base,
        &["name", "responsible", "supervisor", "problem"],
        "rectify",
    );
    let h = &rows[0];
    let (branch, name, resp, sup, problem) = (
        col(h, "branch"),
        col(h, "name"),
        col(h, "responsible"),
        col(h, "supervisor"),
        col(h, "problem"),
    );
    let mut seen = 0;
    for row in &rows[1..] {
        if let Some(p) = payload(&row[branch]) {
            let what = format!("rectify {row:?}");
            assert_neutralized(&row[name], p, &what);
            assert_neutralized(&row[resp], &format!("{p} sec"), &what);
            assert_neutralized(&row[sup], &format!("{p} lead"), &what);
            seen += 1;
        }
    }
    assert!(
        seen > 0,
        "no rectification item of an injected branch (B04)"
    );
    // Event notes are quoted inside the problem text: raw, not mangled, and harmless there.
    let problems: Vec<&String> = rows[1..].iter().map(|r| &r[problem]).collect();
    for note in ["=2+2 note", "-4 note", "@5 note"] {
        assert!(
            problems.iter().any(|p| p.contains(note)),
            "event note {note:?} not in any problem: {problems:?}"
        );
    }
}

#[test]
fn adjust_csv_neutralizes_formula_text_and_keeps_numbers() {
    let base = csv_rows(
        &Ws::spec_example()
            .run(&["adjust", "--format", "csv"])
            .stdout,
    );
    let ws = injected();
    let run = ws.run(&["adjust", "--format", "csv"]);
    ok(&run, "adjust --format csv");
    let rows = csv_rows(&run.stdout);
    no_formula(&rows, "adjust");
    same_except(&rows, &base, &["name"], "adjust");
    let h = &rows[0];
    let (branch, name) = (col(h, "branch"), col(h, "name"));
    let mut seen = 0;
    for row in &rows[1..] {
        if let Some(p) = payload(&row[branch]) {
            assert_neutralized(&row[name], p, &format!("adjust name of {}", row[branch]));
            seen += 1;
        }
    }
    assert_eq!(seen, PAYLOADS.len());
}

#[test]
fn json_output_keeps_the_raw_text() {
    let ws = injected();
    for (cmd, fields) in [
        ("evaluate", &["name"][..]),
        ("rectify", &["name", "responsible", "supervisor"][..]),
        ("adjust", &["name"][..]),
    ] {
        let run = ws.run(&[cmd, "--format", "json"]);
        ok(&run, &format!("{cmd} --format json"));
        let rows: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{cmd}: not JSON: {e}\n{}", run.stdout));
        let mut seen = 0;
        for row in rows.as_array().expect("an array") {
            let b = row["branch"].as_str().unwrap();
            let Some(p) = payload(b) else { continue };
            for (field, suffix) in fields.iter().zip(["", " sec", " lead"]) {
                let raw = format!("{p}{suffix}");
                let got = row[field].as_str().unwrap();
                assert!(
                    raw_forms(&raw).iter().any(|r| r == got),
                    "{cmd} JSON {field} of {b}: {got:?} should be the raw text {raw:?}"
                );
            }
            if cmd == "evaluate" {
                for key in ["base", "score"] {
                    assert!(
                        row[key].is_number(),
                        "{cmd} JSON {key} of {b}: {}",
                        row[key]
                    );
                }
            }
            seen += 1;
        }
        assert!(seen > 0, "{cmd}: no injected branch in the JSON");
    }
}

#[test]
fn a_leading_tab_or_carriage_return_from_a_standard_is_neutralized() {
    // TOML strings are not trimmed, so a tab or carriage return reaches the output as the
    // first character of a cell (the `measure` of a rectification item).
    let ws = Ws::spec_example();
    let c = "standards/common.toml";
    ws.patch(
        c,
        "guidance = \"Hold the missed meetings and keep the records.\"",
        "guidance = \"\\tHold the missed meetings and keep the records.\"",
    );
    ws.patch(
        c,
        "guidance = \"Bring the member files up to date.\"",
        "guidance = \"\\rBring the member files up to date.\"",
    );
    ws.patch(
        c,
        "name = \"Late with a required report\"",
        "name = \"\\r-Late with a required report\"",
    );
    let run = ws.run(&["rectify", "--format", "csv"]);
    ok(&run, "rectify --format csv");
    let rows = csv_rows(&run.stdout);
    no_formula(&rows, "rectify");
    let h = &rows[0];
    let (item, measure) = (col(h, "item"), col(h, "measure"));
    let get = |id: &str| {
        rows.iter()
            .find(|r| r[item] == id)
            .unwrap_or_else(|| panic!("no item {id}"))[measure]
            .clone()
    };
    assert_eq!(
        get("2025-B08-C1"),
        "'\tHold the missed meetings and keep the records."
    );
    assert_eq!(get("2025-B08-C2"), "'\rBring the member files up to date.");
    assert_eq!(get("2025-B08-N2"), "'\r-Late with a required report");
    // JSON keeps the raw text.
    let run = ws.run(&["rectify", "--format", "json"]);
    ok(&run, "rectify --format json");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let item = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["item"] == id)
            .unwrap()["measure"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        item("2025-B08-C1"),
        "\tHold the missed meetings and keep the records."
    );
    assert_eq!(item("2025-B08-N2"), "\r-Late with a required report");
}

/// The table of the first worksheet of a workbook: its rows below the title row.
fn first_sheet(path: &Path) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("a workbook calamine reads");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range.rows().skip(1).map(|r| r.to_vec()).collect()
}

#[test]
fn xlsx_neutralizes_text_and_keeps_numbers_as_numbers() {
    let ws = injected();
    for (cmd, numeric, texts) in [
        (
            "evaluate",
            &[
                "base",
                "bonus",
                "deduction",
                "score",
                "score_star",
                "star",
                "gap",
            ][..],
            &["name"][..],
        ),
        (
            "rectify",
            &[][..],
            &["name", "responsible", "supervisor"][..],
        ),
        ("adjust", &["star", "next", "streak"][..], &["name"][..]),
    ] {
        let csv = ws.run(&[cmd, "--format", "csv"]);
        ok(&csv, cmd);
        let csv = csv_rows(&csv.stdout);
        let file = format!("{cmd}.xlsx");
        let run = ws.run(&[cmd, "--format", "xlsx", "--output", &file]);
        ok(&run, &format!("{cmd} --format xlsx"));
        let sheet = first_sheet(&ws.tmp.path().join(&file));
        assert_eq!(sheet.len(), csv.len(), "{cmd}: rows of the workbook");
        let h = &csv[0];
        let branch = col(h, "branch");
        let mut seen = 0;
        for (x, c) in sheet.iter().zip(&csv).skip(1) {
            for key in numeric {
                let i = col(h, key);
                match &x[i] {
                    Data::Float(f) => assert_eq!(
                        c[i].parse::<f64>().ok(),
                        Some(*f),
                        "{cmd} {key} of {}",
                        c[branch]
                    ),
                    Data::Int(n) => assert_eq!(c[i].parse::<i64>().ok(), Some(*n)),
                    Data::Empty => assert_eq!(c[i], "", "{cmd} {key} of {}", c[branch]),
                    other => panic!("{cmd} {key} of {}: {other:?} is not a number", c[branch]),
                }
            }
            for cell in x {
                if let Data::String(s) = cell {
                    assert!(
                        !dangerous(s),
                        "{cmd}: workbook cell {s:?} runs as a formula"
                    );
                }
            }
            let Some(p) = payload(&c[branch]) else {
                continue;
            };
            for (key, suffix) in texts.iter().zip(["", " sec", " lead"]) {
                let i = col(h, key);
                match &x[i] {
                    Data::String(s) => {
                        assert_neutralized(s, &format!("{p}{suffix}"), &format!("{cmd} xlsx {key}"))
                    }
                    other => panic!("{cmd} xlsx {key} of {}: {other:?} is not text", c[branch]),
                }
            }
            seen += 1;
        }
        assert!(seen > 0, "{cmd}: no injected branch in the workbook");
    }
}

// ---------------------------------------------------------------------------------------
// 3. Limits

const EVALUATE: &[&str] = &["evaluate", "--format", "csv"];

/// `check` and `evaluate` both fail with exit 1 and no crash; returns check's stderr.
fn both_fail(ws: &Ws, what: &str) -> String {
    let check = invalid(&ws.run(&["check"]), &format!("check: {what}"));
    let eval = ws.run(EVALUATE);
    invalid(&eval, &format!("evaluate: {what}"));
    assert_eq!(eval.stdout, "", "evaluate: {what}: nothing on stdout");
    check
}

#[test]
fn a_line_longer_than_one_mebibyte_is_refused() {
    let ws = Ws::spec_example();
    let long = "9".repeat(2 << 20);
    ws.map_lines("2025/scores-rural.csv", |n, line| {
        if n == 4 {
            format!("{line},{long}")
        } else {
            line.to_string()
        }
    });
    let err = both_fail(&ws, "a 2 MiB line");
    assert!(
        err.contains("ws/2025/scores-rural.csv:4:"),
        "names the file and line 4:\n{err}"
    );
    assert!(err.contains("expected at most 1048576"), "{err}");
}

#[test]
fn a_header_of_five_thousand_columns_is_refused() {
    let ws = Ws::spec_example();
    let extra: String = (0..5000).map(|i| format!(",X{i}")).collect();
    ws.map_lines("2025/scores-rural.csv", |n, line| {
        if n == 1 {
            format!("{line}{extra}")
        } else {
            line.to_string()
        }
    });
    let err = both_fail(&ws, "5,000 columns");
    assert!(err.contains("ws/2025/scores-rural.csv:1:"), "{err}");
    assert!(err.contains("4096"), "names the limit:\n{err}");
}

#[test]
fn deeply_nested_toml_is_a_located_syntax_error() {
    let bombs = [
        format!("a = {}\n", "[".repeat(10_000)),
        format!("a = {}\n", "{b = ".repeat(10_000)),
        format!("[{}]\n", vec!["a"; 10_000].join(".")),
        format!("{} = 1\n", vec!["a"; 10_000].join(".")),
    ];
    for file in ["standards/common.toml", "stars.toml"] {
        for bomb in &bombs {
            let ws = Ws::spec_example();
            ws.write(file, bomb);
            let what = format!("{file}: {}…", &bomb[..12]);
            let err = both_fail(&ws, &what);
            assert!(
                err.contains(&format!("error: ws/{file}")),
                "{what}: names the file:\n{err}"
            );
            assert!(err.contains("TOML"), "{what}: a TOML error:\n{err}");
        }
    }
}

#[test]
fn deep_but_closed_toml_values_are_ordinary_errors() {
    let ws = Ws::spec_example();
    let c = "standards/common.toml";
    ws.patch(
        c,
        "bonus_cap = 5",
        &format!("bonus_cap = {}5{}", "[".repeat(60), "]".repeat(60)),
    );
    ws.patch(
        c,
        "[levels]\nself = 0.2",
        &format!(
            "[levels]\nself = {}0.2{}",
            "{a = ".repeat(60),
            "}".repeat(60)
        ),
    );
    let err = both_fail(&ws, "deep values");
    assert!(err.contains("ws/standards/common.toml:"), "{err}");
}

/// Deterministic pseudo-random bytes (xorshift64).
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

#[test]
fn fifty_megabytes_of_random_bytes_as_a_score_sheet_are_refused() {
    let ws = Ws::spec_example();
    ws.write("2025/scores-rural.csv", noise(50_000_000));
    let err = both_fail(&ws, "50 MB of random bytes");
    assert!(err.contains("ws/2025/scores-rural.csv"), "{err}");
    // The same bytes read as GBK only.
    let run = ws.run(&["evaluate", "--encoding", "gbk"]);
    let err = invalid(&run, "50 MB of random bytes, --encoding gbk");
    assert!(err.contains("ws/2025/scores-rural.csv"), "{err}");
}

// ---------------------------------------------------------------------------------------
// 4. --encoding

const ZH_NAMES: &[(&str, &str)] = &[
    ("B01", "东村"),
    ("B02", "西村"),
    ("B03", "南村"),
    ("B04", "北村"),
    ("B05", "河村"),
];

/// branches.csv with Chinese names (and secretaries and leads for every branch).
fn zh_branches(ws: &Ws, extra: &[(&str, &str)]) -> String {
    let names: Vec<(&str, &str)> = ZH_NAMES.iter().chain(extra).copied().collect();
    let mut out = String::new();
    for (i, line) in ws.read("branches.csv").lines().enumerate() {
        let mut f: Vec<String> = line.split(',').map(str::to_string).collect();
        if i > 0 {
            if let Some((_, n)) = names.iter().find(|(b, _)| *b == f[0]) {
                f[1] = n.to_string();
            }
        }
        out.push_str(&f.join(","));
        out.push('\n');
    }
    out
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "not representable in GBK: {text}");
    bytes.into_owned()
}

#[test]
fn a_gbk_file_read_as_gbk_rates_like_the_utf8_original() {
    let ws = Ws::spec_example();
    let text = zh_branches(&ws, &[])
        .replace("Wang Li", "王丽")
        .replace("Zhao Min", "赵敏");
    ws.write("branches.csv", &text);
    let evaluate = stdout_bytes(&ws, EVALUATE);
    let rectify = stdout_bytes(&ws, &["rectify", "--format", "csv"]);
    assert!(String::from_utf8_lossy(&evaluate).contains("东村"));
    ws.write("branches.csv", gbk(&text));
    for encoding in ["gbk", "auto"] {
        let mut args = EVALUATE.to_vec();
        args.extend(["--encoding", encoding]);
        assert!(
            stdout_bytes(&ws, &args) == evaluate,
            "evaluate --encoding {encoding}"
        );
        let args = ["rectify", "--format", "csv", "--encoding", encoding];
        assert!(
            stdout_bytes(&ws, &args) == rectify,
            "rectify --encoding {encoding}"
        );
    }
    let check = ws.run(&["check", "--encoding", "gbk"]);
    ok(&check, "check --encoding gbk");
    assert_eq!(check.stderr, "");
}

#[test]
fn a_gbk_file_read_as_utf8_is_an_error_naming_the_first_bad_line() {
    let ws = Ws::spec_example();
    let text = zh_branches(&ws, &[]);
    ws.write("branches.csv", gbk(&text));
    let mut args = EVALUATE.to_vec();
    args.extend(["--encoding", "utf8"]);
    let run = ws.run(&args);
    let err = invalid(&run, "GBK read with --encoding utf8");
    assert_eq!(run.stdout, "");
    // Line 1 is the ASCII header; line 2 (B01, 东村) is the first line that is not UTF-8.
    assert!(
        err.contains("error: ws/branches.csv:2:"),
        "names the file and its first bad line, 2:\n{err}"
    );
    assert!(err.contains("UTF-8"), "says UTF-8 was expected:\n{err}");
    // With --encoding utf8 GB18030 is not accepted, so the message must not offer it.
    assert!(
        !err.contains("GB18030"),
        "--encoding utf8 expects UTF-8 only, not GB18030:\n{err}"
    );
}

#[test]
fn a_utf8_file_read_as_gbk_is_decoded_as_gbk_or_refused_where_it_is_not_gbk() {
    // `--encoding gbk` is the user's statement that the file is GBK, so the tool does not
    // second-guess it (src/source/mod.rs decodes strictly as GB18030 without fallback): bytes
    // that are valid GB18030 are read as GB18030 — UTF-8 Chinese then reads as other
    // characters, which is what the user asked for and what `auto` exists to avoid — and
    // bytes that are not valid GB18030 are an error naming the file and the first line that
    // does not decode (SPEC "Errors": a byte sequence valid in neither is an error naming
    // the file and line). It never silently replaces bytes.
    let ws = Ws::spec_example();
    let text = zh_branches(&ws, &[]);
    let as_gbk = |s: &str| {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(s.as_bytes())
            .map(|c| c.into_owned())
    };
    let decoded = as_gbk(&text).expect("precondition: these UTF-8 bytes are valid GB18030");
    ws.write("branches.csv", &text);
    let mut args = EVALUATE.to_vec();
    args.extend(["--encoding", "gbk"]);
    let run = ws.run(&args);
    ok(&run, "UTF-8 (valid as GB18030) read with --encoding gbk");
    let rows = csv_rows(&run.stdout);
    let (branch, name) = (col(&rows[0], "branch"), col(&rows[0], "name"));
    for (b, zh) in ZH_NAMES {
        let row = rows.iter().find(|r| r[branch] == *b).unwrap();
        let expected = as_gbk(zh).unwrap();
        assert_ne!(&expected, zh);
        assert_eq!(row[name], expected, "{b}: the name as GB18030 reads it");
        assert!(decoded.contains(&expected));
    }
    // 山村委 is nine UTF-8 bytes; the last lead byte meets the comma: not GB18030.
    let text = zh_branches(&ws, &[("B06", "山村委")]);
    assert!(as_gbk(&text).is_none(), "precondition: not valid GB18030");
    ws.write("branches.csv", &text);
    let run = ws.run(&args);
    let err = invalid(&run, "UTF-8 (not GB18030) read with --encoding gbk");
    assert!(
        err.contains("error: ws/branches.csv:7:"),
        "names the file and line 7 (B06):\n{err}"
    );
    assert!(
        err.contains("GB18030"),
        "says GB18030/GBK was expected:\n{err}"
    );
    // Read as auto, the same file is UTF-8.
    let run = ws.run(EVALUATE);
    ok(&run, "the same file with --encoding auto");
    assert!(run.stdout.contains("山村委"));
}

#[test]
fn an_unknown_encoding_is_a_usage_error() {
    let ws = Ws::spec_example();
    usage(
        &ws.run(&["evaluate", "--encoding", "latin1"]),
        "--encoding latin1",
    );
}

// ---------------------------------------------------------------------------------------
// 5. Exit codes

#[test]
fn exit_code_zero_on_success() {
    let ws = Ws::spec_example();
    ok(&ws.run(EVALUATE), "evaluate");
    let check = ws.run(&["check"]);
    ok(&check, "check");
    assert_eq!((check.stdout.as_str(), check.stderr.as_str()), ("", ""));
    ok(&ws.run(&["explain", "B01"]), "explain B01");
    ok(&ws.run(&["--help"]), "--help");
    ok(&ws.run(&["--version"]), "--version");
}

#[test]
fn exit_code_one_on_invalid_data() {
    let ws = Ws::spec_example();
    ws.patch(
        "2025/scores-rural.csv",
        "B01,self,40,30,20,10",
        "B01,self,abc,30,20,10",
    );
    let err = both_fail(&ws, "a score `abc`");
    assert!(err.contains("ws/2025/scores-rural.csv:2:3"), "{err}");
    for args in [
        &["rectify"][..],
        &["adjust"],
        &["explain", "B01"],
        &["tiers"],
    ] {
        let run = ws.run(args);
        invalid(&run, &format!("{args:?} on invalid data"));
        assert_eq!(run.stdout, "", "{args:?}: nothing on stdout");
    }
    let ws = Ws::spec_example();
    let run = ws.run(&["explain", "NOPE"]);
    invalid(&run, "explain an unknown branch");
}

#[test]
fn exit_code_two_on_wrong_usage() {
    let ws = Ws::spec_example();
    let cases: &[(&str, &[&str])] = &[
        ("unknown subcommand", &["rate"]),
        ("unknown flag", &["evaluate", "--frobnicate"]),
        ("unknown short flag", &["evaluate", "-Z"]),
        ("bad --format value", &["evaluate", "--format", "pdf"]),
        ("bad --lang value", &["evaluate", "--lang", "fr"]),
        ("bad --year value", &["evaluate", "--year", "twenty"]),
        ("missing BRANCH for explain", &["explain"]),
        ("missing BRANCH for history", &["history"]),
        ("bad --view value", &["rectify", "--view", "all"]),
        ("no subcommand", &[]),
    ];
    for (what, args) in cases {
        usage(&ws.run(args), what);
    }
}

/// Scores with more decimal places than the fast fixed-point sums carry (10) take the exact
/// decimal path: B05's base is exactly 89.995 and rounds up to 90.00; a score lower by
/// 10^-12 must bring it down to 89.99, and the same score written with twelve zeros must not
/// change anything.
#[test]
fn scores_beyond_the_fixed_point_places_stay_exact() {
    let b05 = |ws: &Ws| -> String {
        let out = stdout_bytes(ws, &["evaluate", "--format", "csv"]);
        let text = String::from_utf8(out).expect("utf-8");
        text.lines()
            .find(|l| l.starts_with("B05,"))
            .expect("B05 rated")
            .to_string()
    };
    let plain = Ws::spec_example();
    let plain_b05 = b05(&plain);
    assert!(
        plain_b05.contains(",rural,90.00,0.00,0.00,90.00,5,"),
        "{plain_b05}"
    );

    let zeros = Ws::spec_example();
    zeros.patch(
        "2025/scores-rural.csv",
        "B05,organization,36,26,15.99,8",
        "B05,organization,36,26,15.990000000000,8",
    );
    assert_eq!(b05(&zeros), b05(&plain));

    let lower = Ws::spec_example();
    lower.patch(
        "2025/scores-rural.csv",
        "B05,organization,36,26,15.99,8",
        "B05,organization,36,26,15.989999999999,8",
    );
    let got = b05(&lower);
    assert!(
        got.contains(",rural,89.99,0.00,0.00,89.99,4,"),
        "B05 one 10^-12 lower: {got}"
    );
}

/// Branch ids longer than 8 bytes that share their first 8 (`VILLAGE_B01`, `VILLAGE_B02`…):
/// branches are looked up by their first 8 bytes first, then in full. Every rating must be
/// the same as with the short ids, in every file that names a branch.
#[test]
fn long_branch_ids_sharing_a_prefix() {
    let short = Ws::spec_example();
    let long = Ws::spec_example();
    let lengthen = |text: &str| -> String {
        // B01…B13 as whole cells (every branch id of the example is B and two digits).
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let cells: Vec<String> = line
                .trim_end_matches('\n')
                .split(',')
                .map(|c| {
                    let b = c.as_bytes();
                    if b.len() == 3
                        && b[0] == b'B'
                        && b[1].is_ascii_digit()
                        && b[2].is_ascii_digit()
                    {
                        format!("VILLAGE_{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            out.push_str(&cells.join(","));
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    };
    for rel in [
        "branches.csv",
        "2025/scores-agency.csv",
        "2025/scores-mass.csv",
        "2025/scores-rural.csv",
        "2025/events.csv",
        "2025/reviews.csv",
    ] {
        long.write(rel, lengthen(&long.read(rel)));
    }
    let out = |ws: &Ws| {
        String::from_utf8(stdout_bytes(ws, &["evaluate", "--format", "csv"])).expect("utf-8")
    };
    let (a, b) = (out(&short), out(&long));
    assert!(b.contains("VILLAGE_B05,"), "{b}");
    assert_eq!(lengthen(&a), b);
}

/// `--output` naming a pipe (or a device such as /dev/null) writes into it: the atomic
/// rename used for files would replace it with a plain file. A FIFO stands for both, as a
/// test must not put /dev/null at risk.
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_pipe_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let ws = Ws::spec_example();
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("out.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read the fifo"))
    };
    let path = fifo.to_str().expect("utf-8 path");
    ok(
        &ws.run(&["evaluate", "--format", "csv", "--output", path]),
        "evaluate --output FIFO",
    );
    // Checked before waiting for the reader, which would wait forever on a replaced FIFO.
    let still = std::fs::symlink_metadata(&fifo).expect("fifo still there");
    assert!(
        still.file_type().is_fifo(),
        "the FIFO was replaced by a plain file"
    );
    let got = reader.join().expect("reader thread");
    assert_eq!(got, stdout_bytes(&ws, &["evaluate", "--format", "csv"]));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}
