//! Shared helpers for the integration tests: a private copy of a fixture workspace in a
//! temporary folder, small edits to its files, and running the `stars` binary on it.
//!
//! Use from a test file with `mod common;`. The binary is run with its current directory
//! set to the temporary folder and `--workspace ws`, so every file in a message reads
//! `ws/...`, the same on every machine.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The workspace name the binary is given; messages name files `ws/...`.
pub const WS: &str = "ws";

/// `tests/fixtures/NAME` in the source tree.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// Copy a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// The result of one run of the binary.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// A private copy of a workspace in a temporary folder, deleted when dropped.
pub struct Ws {
    pub tmp: TempDir,
    /// `tmp/ws`, the workspace itself.
    pub dir: PathBuf,
}

impl Ws {
    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> Ws {
        let ws = Ws::empty();
        copy_dir(&fixture_path(name), &ws.dir);
        ws
    }

    /// A copy of the worked example of SPEC.md.
    pub fn spec_example() -> Ws {
        Ws::fixture("spec-example")
    }

    /// An empty workspace folder.
    pub fn empty() -> Ws {
        let tmp = tempfile::Builder::new()
            .prefix("stars-test-")
            .tempdir()
            .expect("temporary folder");
        let dir = tmp.path().join(WS);
        std::fs::create_dir_all(&dir).unwrap();
        Ws { tmp, dir }
    }

    /// The path of a file of the workspace (`rel` like `2025/scores-rural.csv`).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// A file of the workspace as UTF-8 text.
    pub fn read(&self, rel: &str) -> String {
        String::from_utf8(self.read_bytes(rel))
            .unwrap_or_else(|e| panic!("{rel} is not UTF-8: {e}"))
    }

    /// Write (or replace) a file, creating its folder.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Replace the one occurrence of `from` in a file with `to`; panics when `from` is
    /// missing or occurs more than once, so that a test breaks exactly what it means to.
    pub fn patch(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        let n = text.matches(from).count();
        assert_eq!(n, 1, "{rel}: expected exactly one `{from}`, found {n}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Append text to a file (which must exist), on a new line.
    pub fn append(&self, rel: &str, text: &str) {
        let mut old = self.read(rel);
        if !old.is_empty() && !old.ends_with('\n') {
            old.push('\n');
        }
        old.push_str(text);
        self.write(rel, old);
    }

    /// Apply `f` to every line of a CSV file (header first), keeping line ends.
    pub fn map_lines(&self, rel: &str, mut f: impl FnMut(usize, &str) -> String) {
        let text = self.read(rel);
        let mut out = String::new();
        for (i, line) in text.lines().enumerate() {
            out.push_str(&f(i + 1, line));
            out.push('\n');
        }
        self.write(rel, out);
    }

    pub fn remove(&self, rel: &str) {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        }
    }

    /// The binary, run in the temporary folder on this workspace (`--workspace ws`),
    /// in English.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = stars();
        cmd.current_dir(self.tmp.path())
            .args(args)
            .args(["--workspace", WS]);
        cmd
    }

    /// Run the binary on this workspace.
    pub fn run(&self, args: &[&str]) -> Run {
        run(self.cmd(args))
    }
}

/// The `stars` binary with a fixed, English environment.
pub fn stars() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stars"));
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C")
        .env_remove("RUST_BACKTRACE");
    cmd
}

/// Run a command and collect its exit code and output.
pub fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("run stars");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A copy of the example town, `examples/dawang`, without its `lang = "zh"`: a workspace
/// with no language of its own (English), so that tests read English messages and a test
/// that wants Chinese says so (`--lang zh`, or `lang` written back).
pub fn town_without_lang() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang"),
        &ws.dir,
    );
    let toml = ws.read("stars.toml");
    let kept: String = toml
        .lines()
        .filter(|l| !l.starts_with("lang ="))
        .map(|l| format!("{l}\n"))
        .collect();
    ws.write("stars.toml", kept);
    ws
}

/// Every file under `dir` (links not followed) with its bytes (a link: where it leads),
/// to tell that a run changed no input and left nothing behind.
pub fn snapshot_files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_symlink() {
                let to = std::fs::read_link(&p).unwrap();
                out.insert(p, to.to_string_lossy().as_bytes().to_vec());
            } else if t.is_dir() {
                out.insert(p.clone(), b"/".to_vec());
                stack.push(p);
            } else if t.is_file() {
                out.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
            } else {
                out.insert(p, b"?".to_vec());
            }
        }
    }
    out
}
