//! Every command × every format works or is refused; files written with `--output` get
//! the permissions every tool gives; the exit codes of a standard output that cannot be
//! written to, or whose reader went away; the one problem of a folder that is not a
//! workspace. All on a copy of the shipped example, `examples/dawang`.

mod common;

use common::{copy_dir, stars, Run, Ws, WS};
use std::path::{Path, PathBuf};

/// A copy of `examples/dawang` as `ws` in a temporary folder.
fn town() -> Ws {
    common::town_without_lang()
}

const FORMATS: [&str; 6] = ["table", "csv", "json", "markdown", "xlsx", "html"];

/// The lists' formats (every command that writes a list but the two below).
const LISTS: [&str; 5] = ["table", "csv", "json", "markdown", "xlsx"];

/// Every command that writes something, with the formats it has (this test's own list:
/// the contract, not read from the code).
const COMMANDS: &[(&[&str], &[&str])] = &[
    (&["evaluate"], &LISTS),
    (&["rectify"], &LISTS),
    (&["rectify", "--view", "responsibility"], &LISTS),
    (&["rectify", "--view", "deadline"], &LISTS),
    (&["adjust"], &LISTS),
    (&["explain", "D001"], &LISTS),
    (&["history", "D011"], &LISTS),
    (&["tiers"], &LISTS),
    // The publicity list is also a notice to post, as a page.
    (&["publicity"], &FORMATS),
    (&["exchange"], &LISTS),
    (&["standards", "show"], &LISTS),
    (&["template", "rural"], &LISTS),
    (&["template", "rural", "--legend"], &LISTS),
    (&["completions", "bash"], &[]),
    (&["man"], &[]),
    (&["check"], &[]),
    // The committee report: its page, its figures as JSON or a workbook.
    (&["report"], &["html", "json", "xlsx"]),
];

fn with(args: &[&str], more: &[&str]) -> Vec<String> {
    args.iter().chain(more).map(|s| s.to_string()).collect()
}

fn run_ws(ws: &Ws, args: &[String]) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ws.run(&args)
}

/// The output is of the kind the format promises.
fn of_kind(format: &str, out: &str, what: &str) {
    assert!(!out.trim().is_empty(), "{what}: empty output");
    match format {
        "csv" => {
            let mut r = csv::ReaderBuilder::new().from_reader(out.as_bytes());
            let header = r
                .headers()
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .clone();
            assert!(header.len() > 1, "{what}: header {header:?}");
            let mut n = 0;
            for rec in r.records() {
                let rec = rec.unwrap_or_else(|e| panic!("{what}: CSV does not parse: {e}"));
                assert_eq!(rec.len(), header.len(), "{what}");
                n += 1;
            }
            assert!(n > 0, "{what}: no rows");
        }
        "json" => {
            let v: serde_json::Value = serde_json::from_str(out)
                .unwrap_or_else(|e| panic!("{what}: JSON does not parse: {e}\n{out}"));
            assert!(v.is_array() || v.is_object(), "{what}");
        }
        "markdown" => assert!(
            out.lines().any(|l| l.starts_with("|---")),
            "{what}: no Markdown table:\n{out}"
        ),
        "html" => assert!(
            out.starts_with("<!DOCTYPE html>") && out.ends_with("</html>\n"),
            "{what}: not a page"
        ),
        _ => {}
    }
}

#[test]
fn every_command_in_every_format_works_or_is_refused() {
    let ws = town();
    for (args, has) in COMMANDS {
        for format in FORMATS {
            let what = format!("stars {} -f {format}", args.join(" "));
            if has.contains(&format) {
                if format == "xlsx" {
                    let file = format!("out-{}.xlsx", args.join("-"));
                    let run = run_ws(&ws, &with(args, &["-f", "xlsx", "-o", &file]));
                    assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
                    let bytes = std::fs::read(ws.tmp.path().join(&file))
                        .unwrap_or_else(|e| panic!("{what}: {e}"));
                    assert!(bytes.starts_with(b"PK"), "{what}: not a workbook");
                    // Without --output: wrong usage.
                    let run = run_ws(&ws, &with(args, &["-f", "xlsx"]));
                    assert_eq!(run.code, Some(2), "{what} without -o: {}", run.stderr);
                    assert!(run.stdout.is_empty(), "{what}");
                    assert!(run.stderr.contains("--output"), "{what}: {}", run.stderr);
                } else {
                    let run = run_ws(&ws, &with(args, &["-f", format]));
                    assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
                    of_kind(format, &run.stdout, &what);
                }
            } else {
                let run = run_ws(&ws, &with(args, &["-f", format, "-o", "refused.out"]));
                assert_eq!(run.code, Some(2), "{what}: {}", run.stderr);
                assert!(run.stdout.is_empty(), "{what}");
                let name = format!("`stars {}", args[0]);
                // A command with no format says so; one with others names them.
                let why = match has.is_empty() {
                    true => "no formats".to_string(),
                    false => format!("does not write {format}; its formats: {}", has.join(", ")),
                };
                assert!(
                    run.stderr.contains(&name) && run.stderr.contains(&why),
                    "{what}: {}",
                    run.stderr
                );
                assert!(!ws.tmp.path().join("refused.out").exists(), "{what}");
            }
        }
    }
}

/// Without --format, a command that has no formats runs as before.
#[test]
fn commands_without_formats_run_without_one() {
    let ws = town();
    for args in [&["check"][..], &["man"], &["completions", "bash"]] {
        let run = ws.run(args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn refusals_are_in_the_users_language() {
    let ws = town();
    let run = ws.run(&["man", "-f", "json", "--lang", "zh"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "错误：stars man 没有可选的输出格式，不接受 --format（收到“json”）\n"
    );
    let run = ws.run(&["explain", "D001", "-f", "xlsx", "--lang", "zh"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.starts_with("错误：--format xlsx"),
        "{}",
        run.stderr
    );
}

/// explain in CSV and JSON: rows a script can read, the same bytes every run.
#[test]
fn explain_as_rows() {
    let ws = town();
    let csv = ws.run(&["explain", "D001", "-f", "csv"]);
    assert_eq!(csv.code, Some(0), "{}", csv.stderr);
    assert!(csv
        .stdout
        .starts_with("branch,step,item,value,source,detail\n"));
    for step in ["D001,weight,self,", "D001,score,C01.self,", "D001,base,,"] {
        assert!(csv.stdout.contains(step), "{step}:\n{}", csv.stdout);
    }
    let evaluate = ws.run(&["evaluate", "-f", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&evaluate.stdout).unwrap();
    let d001 = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["branch"] == "D001")
        .unwrap();
    let score = d001["score"].to_string();
    let score = score.trim_matches('"');
    assert!(
        csv.stdout.contains(&format!("D001,score,,{score},")),
        "score {score}:\n{}",
        csv.stdout
    );
    assert_eq!(ws.run(&["explain", "D001", "-f", "csv"]).stdout, csv.stdout);
    // With no --format, the trace for people, even into a pipe.
    let text = ws.run(&["explain", "D001"]);
    assert!(text.stdout.starts_with("D001 "), "{}", text.stdout);
}

// ---------------------------------------------------------------------------------------
// Through a shell: umask, closed and full standard output, broken pipes.

/// `sh -c SCRIPT stars ARGS… --workspace ws` in the temporary folder: the script runs the
/// binary as `"$0" "$@"`.
fn sh(ws: &Ws, script: &str, args: &[&str]) -> Run {
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.current_dir(ws.tmp.path())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_stars"))
        .args(args)
        .args(["--workspace", WS]);
    common::run(cmd)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn new_output_files_honour_the_umask() {
    let ws = town();
    for (umask, want) in [("022", 0o644), ("027", 0o640), ("077", 0o600)] {
        for (args, file) in [
            (&["evaluate", "-f", "csv", "-o"][..], "U-a.csv"),
            (&["adjust", "-f", "xlsx", "-o"], "U-a.xlsx"),
            // A new score sheet, which is never written over an existing one.
            (
                &["template", "rural", "-f", "csv", "-o"],
                "ws/2025/scores-U.csv",
            ),
        ] {
            let file = file.replace('U', umask);
            let mut a = args.to_vec();
            a.push(&file);
            let run = sh(&ws, &format!("umask {umask}; exec \"$0\" \"$@\""), &a);
            assert_eq!(run.code, Some(0), "{a:?}: {}", run.stderr);
            let path = ws.tmp.path().join(&file);
            let got = mode(&path);
            assert_eq!(got, want, "{a:?} with umask {umask}: {got:o}");
            // A blank score sheet is not valid input: gone before the next command.
            if file.contains("scores-") {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn a_replaced_output_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let ws = town();
    let path: PathBuf = ws.tmp.path().join("ratings.csv");
    std::fs::write(&path, "old\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = sh(
        &ws,
        "umask 022; exec \"$0\" \"$@\"",
        &["evaluate", "-f", "csv", "-o", "ratings.csv"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(mode(&path), 0o640);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("branch,"));
    // A wider mode is kept too, whatever the umask.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    let run = sh(
        &ws,
        "umask 077; exec \"$0\" \"$@\"",
        &["evaluate", "-f", "csv", "-o", "ratings.csv"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(mode(&path), 0o664);
}

/// A message about an output file is in the clerk's language and never names the
/// temporary file.
#[test]
fn output_file_messages_name_no_temporary_file() {
    let ws = town();
    let run = ws.run(&["evaluate", "-o", "no-such-folder/x.csv", "--lang", "zh"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "错误：无法在 no-such-folder 中创建文件：文件或文件夹不存在\n"
    );
    if Path::new("/dev/full").exists() {
        let run = ws.run(&["evaluate", "-o", "/dev/full"]);
        assert_eq!(run.code, Some(1));
        assert_eq!(
            run.stderr,
            "error: cannot write /dev/full: no space left on the device\n"
        );
    }
    for e in ["evaluate", "adjust"] {
        let run = ws.run(&[e, "-o", "no-such-folder/x.csv"]);
        assert!(!run.stderr.contains(".stars-"), "{}", run.stderr);
        assert!(!run.stderr.contains(".tmp"), "{}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_an_error() {
    let ws = town();
    let run = sh(&ws, "exec \"$0\" \"$@\" >&-", &["evaluate", "-f", "csv"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: cannot write to standard output: it is closed\n"
    );
    // Redirected to /dev/null is not closed.
    let run = sh(
        &ws,
        "exec \"$0\" \"$@\" >/dev/null",
        &["evaluate", "-f", "csv"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// Issue 31, point 7: `/dev/null` opened for reading and writing (`1<>/dev/null`, as
/// Python's `subprocess.DEVNULL` and some supervisors open it) is a success, not "closed".
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_vendor = "apple"
))]
#[test]
fn standard_output_on_dev_null_opened_read_write_is_a_success() {
    let ws = town();
    let before = common::snapshot_files(&ws.dir);
    for script in [
        "exec \"$0\" \"$@\" 1<>/dev/null",
        "exec \"$0\" \"$@\" 1<>/dev/null 2>&1",
    ] {
        let run = sh(&ws, script, &["evaluate", "-f", "csv"]);
        assert_eq!(run.code, Some(0), "{script}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{script}");
    }
    // As Python starts it: subprocess.run(..., stdout=subprocess.DEVNULL).
    if std::process::Command::new("python3")
        .arg("-c")
        .arg("1")
        .status()
        .is_ok_and(|s| s.success())
    {
        let code = "import subprocess,sys; r=subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); sys.exit(r.returncode)";
        let run = sh(
            &ws,
            &format!("exec python3 -c '{code}' \"$0\" \"$@\""),
            &["evaluate", "-f", "csv"],
        );
        assert_eq!(run.code, Some(0), "python DEVNULL: {}", run.stderr);
    }
    // Still an error when it is closed; no input changed, nothing left behind.
    let run = sh(&ws, "exec \"$0\" \"$@\" >&-", &["evaluate", "-f", "csv"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(common::snapshot_files(&ws.dir), before);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error() {
    let ws = town();
    for f in ["csv", "json", "table"] {
        let run = sh(&ws, "exec \"$0\" \"$@\" >/dev/full", &["evaluate", "-f", f]);
        assert_eq!(run.code, Some(1), "{f}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            "error: cannot write to standard output: no space left on the device\n"
        );
    }
    let run = sh(
        &ws,
        "exec \"$0\" \"$@\" >/dev/full",
        &["evaluate", "--lang", "zh"],
    );
    assert_eq!(run.stderr, "错误：无法写入标准输出：磁盘空间已满\n");
}

/// The reader of the pipe is gone before anything is written (it exits at once; the
/// command starts half a second later): every write fails with a broken pipe.
#[cfg(unix)]
#[test]
fn a_broken_pipe_ends_quietly_with_exit_0() {
    let ws = town();
    let script = "{ sleep 0.5; \"$0\" \"$@\"; echo \"exit $?\" >&2; } | true";
    for args in [
        &["evaluate", "-f", "csv"][..],
        &["evaluate", "-f", "table"],
        &["rectify", "-f", "json"],
        &["explain", "D001"],
        &["man"],
        &["evaluate", "-f", "csv", "-o", "/dev/stdout"],
        &["adjust", "-f", "xlsx", "-o", "/dev/stdout"],
    ] {
        let run = sh(&ws, script, args);
        assert_eq!(run.stderr, "exit 0\n", "{args:?}");
    }
    // As people run it.
    let run = sh(
        &ws,
        "\"$0\" \"$@\" | head -1; echo \"exit $?\" >&2",
        &["evaluate", "-f", "csv", "-o", "/dev/stdout"],
    );
    assert_eq!(run.stderr, "exit 0\n");
    assert!(run.stdout.starts_with("branch,"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------
// Outside a workspace.

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("错误："))
        .collect()
}

#[test]
fn outside_a_workspace_names_the_nearest_one_below() {
    let ws = town();
    let mut cmd = stars();
    cmd.current_dir(ws.tmp.path()).args(["evaluate"]);
    let run = common::run(cmd);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let here = ws.tmp.path().canonicalize().unwrap();
    let want = format!(
        "error: {}: no stars.toml here, so this folder is not a workspace; \
         the nearest workspace is ws: use `-w ws`\n1 problem found\n",
        here.display()
    );
    assert_eq!(run.stderr, want);
    assert_eq!(error_lines(&run.stderr).len(), 1);

    // In Chinese too, one problem.
    let mut cmd = stars();
    cmd.current_dir(ws.tmp.path())
        .args(["check", "--lang", "zh"]);
    let run = common::run(cmd);
    assert_eq!(run.code, Some(1));
    assert_eq!(error_lines(&run.stderr).len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("`-w ws`"), "{}", run.stderr);
    assert!(run.stderr.contains("不是工作区"), "{}", run.stderr);

    // Deeper, past a hidden folder and `target`, which are not searched.
    let deep = Ws::empty();
    copy_dir(&ws.dir, &deep.tmp.path().join("a/b/town"));
    copy_dir(&ws.dir, &deep.tmp.path().join(".hidden/town"));
    copy_dir(&ws.dir, &deep.tmp.path().join("target/town"));
    let mut cmd = stars();
    cmd.current_dir(deep.tmp.path()).args(["tiers", "-w", "."]);
    let run = common::run(cmd);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("the nearest workspace is a/b/town: use `-w a/b/town`"),
        "{}",
        run.stderr
    );
}

#[test]
fn inside_a_year_folder_names_the_workspace_above() {
    let ws = town();
    let mut cmd = stars();
    cmd.current_dir(ws.path("2025")).args(["evaluate"]);
    let run = common::run(cmd);
    assert_eq!(run.code, Some(1));
    assert_eq!(error_lines(&run.stderr).len(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the nearest workspace is ..: use `-w ..`"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_workspace_near_suggests_init() {
    let ws = Ws::empty();
    let run = ws.run(&["evaluate"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "error: ws: no stars.toml here, so this folder is not a workspace, and none was found \
         near it; `stars init DIR` creates one\n1 problem found\n"
    );
}
