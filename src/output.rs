//! Writing results: to standard output, or to a file written whole or not at all.

use crate::i18n::{msg, tr};
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Is `path` one of the workspace's input files? Those are never written.
pub fn is_input(workspace: &Path, path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (Ok(parent), Ok(ws)) = (parent.canonicalize(), workspace.canonicalize()) else {
        return false;
    };
    if parent == ws {
        return name == "stars.toml" || name == "branches.csv";
    }
    if parent == ws.join("standards") {
        return name.ends_with(".toml");
    }
    let in_year = parent.parent() == Some(ws.as_path())
        && parent.file_name().is_some_and(|n| {
            n.len() == 4 && n.to_string_lossy().bytes().all(|b| b.is_ascii_digit())
        });
    in_year
        && (name.starts_with("scores")
            || matches!(
                name.as_str(),
                "events.csv"
                    | "reviews.csv"
                    | "rectification.csv"
                    | "events.xlsx"
                    | "reviews.xlsx"
                    | "rectification.xlsx"
            ))
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target. A failure leaves the target as it was. A device or a pipe is
/// written to directly.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Write what `f` writes to `path` atomically, as [`write_atomic`].
pub fn write_atomic_with(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let shown = path.display();
    if path.is_dir() {
        bail!(msg!(
            "{shown} is a folder; expected a file name",
            "{shown} 是文件夹；应为文件名"
        ));
    }
    let cannot_write = || msg!("cannot write {shown}", "无法写入 {shown}");
    // A device or a pipe (`--output /dev/null`, `/dev/stdout`, a FIFO) is written to as it
    // is: renaming a file over it would replace the device with a plain file.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(cannot_write)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        return f(&mut w).and_then(|_| w.flush()).with_context(cannot_write);
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".stars-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .with_context(|| {
            let dir = dir.display();
            msg!("cannot create a file in {dir}", "无法在 {dir} 中创建文件")
        })?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        f(&mut w)
            .and_then(|_| w.flush())
            .with_context(cannot_write)?;
    }
    tmp.as_file().sync_all().with_context(cannot_write)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(cannot_write)?;
    Ok(())
}

/// Print to standard output, or write the file; never an input of the workspace.
pub fn emit(workspace: &Path, output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    emit_with(workspace, output, |w| w.write_all(bytes))
}

/// Print what `f` writes to standard output, or write it to the file (atomically); never
/// to an input of the workspace.
pub fn emit_with(
    workspace: &Path,
    output: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => {
            if is_input(workspace, path) {
                let shown = path.display();
                bail!(msg!(
                    "{shown} is an input file of the workspace; refusing to overwrite it",
                    "{shown} 是工作区的输入文件，不予覆盖"
                ));
            }
            write_atomic_with(path, f)
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match f(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`stars evaluate | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context(tr("cannot write to standard output", "无法写入标准输出")),
            }
        }
    }
}
