//! Writing results: to standard output, or to a file written whole or not at all.

use crate::i18n::{msg, tr};
use anyhow::{anyhow, bail, Result};
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
    // The same rule as the reader's (any letter case, .csv/.xlsx/.xls).
    in_year && crate::workspace::files::kind_of(&name).is_some()
}

/// Why an I/O operation failed, in the language of messages, without the file names the
/// system or the temporary-file crate put in their text.
pub fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let (en, zh) = match e.kind() {
        K::NotFound => ("no such file or folder", "文件或文件夹不存在"),
        K::PermissionDenied => ("permission denied", "没有权限"),
        K::StorageFull => ("no space left on the device", "磁盘空间已满"),
        K::QuotaExceeded => ("disk quota exceeded", "超出磁盘配额"),
        K::ReadOnlyFilesystem => ("the file system is read-only", "文件系统是只读的"),
        K::IsADirectory => ("it is a folder", "这是一个文件夹"),
        K::NotADirectory => (
            "a part of the path is not a folder",
            "路径中有一部分不是文件夹",
        ),
        K::FileTooLarge => ("the file is too large", "文件过大"),
        K::BrokenPipe => ("the reader closed the pipe", "读取端已关闭管道"),
        K::AlreadyExists => ("the file exists", "文件已存在"),
        kind => {
            let code = e
                .raw_os_error()
                .map(|n| format!(" (os error {n})"))
                .unwrap_or_default();
            return msg!("{kind}{code}", "系统错误：{kind}{code}");
        }
    };
    tr(en, zh).to_string()
}

/// `what: why`, as an error.
fn failed(what: String, e: &std::io::Error) -> anyhow::Error {
    let why = reason(e);
    anyhow!(msg!("{what}: {why}", "{what}：{why}"))
}

/// A new temporary file in `dir`, for a file to be renamed into place. On unix it is made
/// as every tool makes a new file (`0666` less the umask), not `0600`, or with `mode`
/// (the permission bits of the file it replaces) when given.
pub fn temp_in(dir: &Path, mode: Option<u32>) -> Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(".stars-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let cannot_create = |e: std::io::Error| {
        let dir = dir.display();
        failed(
            msg!("cannot create a file in {dir}", "无法在 {dir} 中创建文件"),
            &e,
        )
    };
    let tmp = b.tempfile_in(dir).map_err(cannot_create)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        // Set on the open file: a mode given at creation is narrowed by the umask.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
            .map_err(cannot_create)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(tmp)
}

/// The permission bits of an existing regular file, to keep when it is replaced.
fn existing_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.permissions().mode())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Is standard output closed? A program started with it closed (`stars evaluate >&-`) has
/// it opened on `/dev/null` for reading and writing by the Rust runtime, where every
/// write succeeds and the output is lost; a shell's `>/dev/null` opens it write-only.
#[cfg(unix)]
fn stdout_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let out = std::io::stdout();
    let fd = out.as_fd();
    let Ok(mode) = rustix::fs::fcntl_getfl(fd) else {
        return true;
    };
    if !mode.contains(rustix::fs::OFlags::RDWR) {
        return false;
    }
    let Ok(own) = fd.try_clone_to_owned() else {
        return true;
    };
    let (Ok(st), Ok(null)) = (
        std::fs::File::from(own).metadata(),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    st.file_type().is_char_device() && st.rdev() == null.rdev()
}

#[cfg(not(unix))]
fn stdout_closed() -> bool {
    false
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target. A failure leaves the target as it was. A device or a pipe is
/// written to directly. A new file gets the permissions every tool gives one (`0666` less
/// the umask); a replaced file keeps its permission bits.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Write what `f` writes to `path` atomically, as [`write_atomic`]. A pipe closed by its
/// reader (`--output /dev/stdout | head -1`) ends the writing quietly.
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
    let cannot_write =
        |e: std::io::Error| failed(msg!("cannot write {shown}", "无法写入 {shown}"), &e);
    // A device or a pipe (`--output /dev/null`, `/dev/stdout`, a FIFO) is written to as it
    // is: renaming a file over it would replace the device with a plain file.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(cannot_write)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        return match f(&mut w).and_then(|_| w.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                // What is left in the buffer has nowhere to go.
                let _ = w.into_parts();
                Ok(())
            }
            other => other.map_err(cannot_write),
        };
    }
    let mut tmp = temp_in(&dir, existing_mode(path))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        f(&mut w).and_then(|_| w.flush()).map_err(cannot_write)?;
    }
    tmp.as_file().sync_all().map_err(cannot_write)?;
    tmp.persist(path).map_err(|e| cannot_write(e.error))?;
    Ok(())
}

/// Print to standard output, or write the file; never an input of the workspace.
pub fn emit(workspace: &Path, output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    emit_with(workspace, output, |w| w.write_all(bytes))
}

/// Print what `f` writes to standard output, or write it to the file (atomically); never
/// to an input of the workspace. A pipe closed by its reader (`stars evaluate | head`)
/// ends the output quietly; a standard output that is closed or cannot take the output
/// (`/dev/full`) is an error.
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
            if stdout_closed() {
                bail!(tr(
                    "cannot write to standard output: it is closed",
                    "无法写入标准输出：标准输出已关闭"
                ));
            }
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match f(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    let _ = out.into_parts();
                    Ok(())
                }
                Err(e) => Err(failed(
                    tr("cannot write to standard output", "无法写入标准输出").to_string(),
                    &e,
                )),
                Ok(()) => Ok(()),
            }
        }
    }
}
