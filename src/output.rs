//! Writing results: to standard output, or to a file written whole or not at all.

use crate::i18n::{msg, tr};
use anyhow::{anyhow, bail, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Is `path` one of the workspace's input files? Those are never written. Inputs are
/// compared by file, not by path (on unix, device and inode): the output, when it exists
/// (a link followed), is compared with every input file — `stars.toml`, `branches.csv`,
/// `standards/*.toml` and the data files of every year folder — and the folder it would
/// be made in with the folders inputs are read from, for a name an input could have there
/// (the reader's rule, [`crate::workspace::files::kind_of`]). So a second path to an input
/// — a link, a linked folder, a hard link, a bind mount, a network share of the same
/// files — is refused as the input itself is. A member of a county run on its own reads
/// its county's `stars.toml` and `standards/`: they are its inputs too.
pub fn is_input(workspace: &Path, path: &Path) -> bool {
    let county = crate::workspace::county::enclosing(workspace).map(|c| c.dir);
    let mut roots = vec![workspace];
    roots.extend(county.as_deref());
    first_input(&roots, &[path.to_path_buf()]).is_some()
}

/// The first of `paths` that is an input of one of `workspaces` (as [`is_input`] tells),
/// each workspace's inputs listed once for all the paths: a county's outputs are checked
/// against every member's inputs.
pub fn first_input<'p>(workspaces: &[&Path], paths: &'p [PathBuf]) -> Option<&'p Path> {
    // Only an existing regular file can be an input file (inputs are regular files): for
    // outputs not yet made (or /dev/null), the folders are enough, without a look at each
    // of a county's 150,000 input files.
    let files = paths
        .iter()
        .any(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    // Else an output is an input only by its name in an input folder: an output whose name
    // no input could have (`county.csv`, `/dev/null`) needs no workspace listed.
    let named = |p: &PathBuf| {
        p.file_name()
            .is_some_and(|n| input_name(&n.to_string_lossy()))
    };
    if !files && !paths.iter().any(named) {
        return None;
    }
    // Every workspace's inputs in sets, so that each path is looked up once, not once a
    // workspace (a county's 5,000 files against its 5,000 members).
    let mut all = InputSets::default();
    for ws in workspaces {
        all.add(ws, files);
    }
    paths.iter().find(|p| all.holds(p)).map(PathBuf::as_path)
}

use crate::source::{file_key, FileKey};

/// The inputs of several workspaces, by [`FileKey`]: the input files, and the folders
/// whose files of some names are read.
#[derive(Default)]
struct InputSets {
    ws: std::collections::HashSet<FileKey>,
    standards: std::collections::HashSet<FileKey>,
    years: std::collections::HashSet<FileKey>,
    files: std::collections::HashSet<FileKey>,
}

impl InputSets {
    /// The inputs of the workspace `ws`: its folders, and its files too when `with_files`.
    fn add(&mut self, ws: &Path, with_files: bool) {
        let Some(key) = file_key(ws) else {
            return;
        };
        self.ws.insert(key);
        if with_files {
            self.files.extend(
                ["stars.toml", "branches.csv"]
                    .iter()
                    .filter_map(|n| file_key(&ws.join(n))),
            );
        }
        let standards = ws.join("standards");
        if let Some(key) = file_key(&standards) {
            self.standards.insert(key);
            if let (true, Ok(entries)) = (with_files, std::fs::read_dir(&standards)) {
                for e in entries.flatten() {
                    if e.file_name().to_string_lossy().ends_with(".toml") {
                        self.files.extend(file_key(&e.path()));
                    }
                }
            }
        }
        let Ok(entries) = std::fs::read_dir(ws) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let is_year = name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit());
            if !is_year || !crate::workspace::files::is_folder(&e) {
                continue;
            }
            let dir = e.path();
            self.years.extend(file_key(&dir));
            if with_files {
                let listing = crate::workspace::files::Listing::of(&dir);
                let data = listing.data.iter();
                self.files
                    .extend(data.filter_map(|(_, n)| file_key(&dir.join(n))));
            }
        }
    }

    /// Is `p` an input: an input file (when it exists), or a name an input could have in
    /// the folder it would be made in?
    fn holds(&self, p: &Path) -> bool {
        if file_key(p).is_some_and(|k| self.files.contains(&k)) {
            return true;
        }
        let Some(name) = p.file_name() else {
            return false;
        };
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Some(dir) = file_key(parent) else {
            return false;
        };
        let name = name.to_string_lossy();
        (self.ws.contains(&dir) && ws_file(&name))
            || (self.standards.contains(&dir) && name.ends_with(".toml"))
            || (self.years.contains(&dir) && crate::workspace::files::kind_of(&name).is_some())
    }
}

/// A file of a workspace's own folder that is read.
fn ws_file(name: &str) -> bool {
    name == "stars.toml" || name == "branches.csv"
}

/// Does `path` look like a file of some workspace: a name an input could have, or a
/// table's or a TOML file's extension (`.csv`, `.toml`, `.xlsx`, `.xls`, any case)? `man`
/// and `completions` refuse such an output: it could be another workspace's input.
pub fn looks_like_workspace_file(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.to_string_lossy().to_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    input_name(&name) || matches!(ext, "csv" | "toml" | "xlsx" | "xls")
}

/// Could a file of this name be an input, in some folder of a workspace ([`InputSets::holds`])?
fn input_name(name: &str) -> bool {
    ws_file(name) || name.ends_with(".toml") || crate::workspace::files::kind_of(name).is_some()
}

/// Why an I/O operation failed, in the language of messages, without the file names the
/// system or the temporary-file crate put in their text.
pub fn reason(e: &std::io::Error) -> String {
    // The one wording lives in `problem`, below `source/`, which says it too.
    crate::problem::io_reason(e)
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

/// What standard output was when the program started, before the Rust runtime replaced a
/// closed one with `/dev/null` (opened for reading and writing, as Python's `DEVNULL` and
/// `1<>/dev/null` open it too, so that afterwards the two cannot be told apart): noted by
/// the binary before `main` ([`note_stdout_at_start`]). 0: not noted (the library used
/// by another program: standard output taken as open), 1: open, 2: closed.
static STDOUT_AT_START: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Note whether standard output is open, for [`emit_with`] to tell `stars evaluate >&-`
/// (an error) from `1<>/dev/null` (a success). Called by the binary before the Rust
/// runtime starts (`src/main.rs`); it makes one system call and allocates nothing.
pub fn note_stdout_at_start() {
    #[cfg(unix)]
    {
        // SAFETY: only asks the kernel about descriptor 1; a closed one gives EBADF.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(1) };
        let closed = rustix::io::fcntl_getfd(fd).is_err();
        STDOUT_AT_START.store(
            if closed { 2 } else { 1 },
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

/// Was standard output closed when the program started (`stars evaluate >&-`)? Then the
/// runtime gave it `/dev/null`, where every write succeeds and the output would be lost
/// without a word. `/dev/null` itself, whatever its open mode, is a success.
fn stdout_closed() -> bool {
    STDOUT_AT_START.load(std::sync::atomic::Ordering::Relaxed) == 2
}

/// The temporary files (and staging folders) being written, removed when SIGINT, SIGTERM
/// or SIGHUP ends the program: `process::exit` runs no destructor, and a killed program
/// none either.
static WRITING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// A temporary file registered in [`WRITING`] while it exists under its temporary name.
struct Registered(PathBuf);

impl Registered {
    /// A temporary file made by `make`, registered. The thread that waits for the signals
    /// is started (once) before the file exists, and the file is made and registered under
    /// the lock that thread takes: a signal at any moment finds it registered or not made.
    fn make(
        make: impl FnOnce() -> Result<tempfile::NamedTempFile>,
    ) -> Result<(tempfile::NamedTempFile, Registered)> {
        Registered::make_path(|| {
            let tmp = make()?;
            let path = tmp.path().to_path_buf();
            Ok((tmp, path))
        })
    }

    /// [`Registered::make`] for anything made at a path (a staging folder).
    fn make_path<T>(make: impl FnOnce() -> Result<(T, PathBuf)>) -> Result<(T, Registered)> {
        #[cfg(unix)]
        {
            static WATCH: std::sync::Once = std::sync::Once::new();
            WATCH.call_once(watch_signals);
        }
        let mut list = WRITING.lock();
        let (made, path) = make()?;
        if let Ok(list) = &mut list {
            list.push(path.clone());
        }
        Ok((made, Registered(path)))
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut list) = WRITING.lock() {
            list.retain(|p| p != &self.0);
        }
    }
}

/// A thread that, on SIGINT, SIGTERM or SIGHUP, removes the temporary files being written
/// and exits with 128 + the signal's number (130, 143, 129). It holds the lock of
/// [`WRITING`] while it does, and a file is renamed into place under that lock too: a file
/// is either removed or renamed whole, never renamed after the exit began. Without the
/// thread (it cannot be started), a signal ends the program as it would have.
#[cfg(unix)]
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let list = WRITING.lock();
                if let Ok(list) = &list {
                    for p in list.iter() {
                        // A staging folder (`--output-dir`) or a temporary file. The folder
                        // is renamed first: a thread still writing into it by its name then
                        // fails (its files are made with `create_dir`, never `_all`), and
                        // what is under the new name is no longer added to.
                        if std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
                            let trash = p.with_extension(TRASH);
                            let gone = std::fs::rename(p, &trash).is_ok();
                            let target = if gone { &trash } else { p };
                            // A folder a writer made while it was listed (the name looked
                            // up before the rename) leaves it not empty: removed again.
                            for _ in 0..4 {
                                let _ = std::fs::remove_dir_all(target);
                                if std::fs::symlink_metadata(target).is_err() {
                                    break;
                                }
                            }
                        } else {
                            let _ = std::fs::remove_file(p);
                        }
                    }
                }
                std::process::exit(128 + sig);
            }
        });
    let _ = spawned;
}

/// The name staging folders of `--output-dir` start with, beside the folder they replace.
const STAGE_PREFIX: &str = ".stars-dir-";
/// The extension a staging folder is renamed to as a signal ends its run, then removed.
const TRASH: &str = "removed";
/// The file inside a staging folder that its run holds locked while it lives: a staging
/// folder whose lock can be taken was left by a run that ended (killed) and is removed.
const STAGE_LOCK: &str = ".stars-lock";

/// A new set of files for a folder (`--output-dir DIR`), made in a staging folder beside
/// it and switched in at once: what DIR held that the new set does not replace is carried
/// over (hard links, or copies where a link cannot be made), then one directory entry is
/// switched — `renameat2(RENAME_EXCHANGE)` on Linux, `renameatx_np(RENAME_SWAP)` on macOS —
/// so that a reader sees the old set or the new, never a mix. Where the file system or the
/// system cannot exchange, DIR is renamed aside and the staging folder renamed into its
/// place (DIR is absent for that instant, never mixed). The staging folder is removed
/// when the run fails, and on SIGINT, SIGTERM and SIGHUP; one left by a killed run is
/// removed by the next run in the same place.
pub struct Staged {
    /// The folder replaced, by its real path.
    dir: PathBuf,
    stage: tempfile::TempDir,
    /// Held locked while the staging folder lives.
    _lock: std::fs::File,
    registered: Registered,
}

impl Staged {
    /// A staging folder for `dir` (made with its parents when missing), beside it, after
    /// removing the staging folders that runs which were killed left there.
    pub fn new(dir: &Path) -> Result<Staged> {
        let shown = dir.display();
        if dir.exists() && !dir.is_dir() {
            bail!(msg!(
                "{shown} is a file; expected a folder for --output-dir",
                "{shown} 是文件；--output-dir 应为文件夹"
            ));
        }
        let named = dir.file_name().is_some_and(|n| n != "..");
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| {
            let shown = parent.display();
            failed(msg!("cannot create {shown}", "无法创建 {shown}"), &e)
        })?;
        let real = match (dir.canonicalize(), parent.canonicalize(), dir.file_name()) {
            (Ok(real), _, _) => real,
            (_, Ok(p), Some(name)) if named => p.join(name),
            (_, Err(e), _) => {
                return Err(failed(msg!("cannot write {shown}", "无法写入 {shown}"), &e))
            }
            _ => PathBuf::from(dir),
        };
        let (Some(parent), true) = (real.parent(), named) else {
            bail!(msg!(
                "{shown} has no folder above it to make the new files in; expected a folder of its own for --output-dir, such as out",
                "{shown} 没有上级文件夹可用于生成新文件；--output-dir 应为单独的文件夹，如 out"
            ));
        };
        remove_stale_stages(parent);
        let mode = dir_mode(&real);
        let cannot = |e: std::io::Error| {
            let shown = parent.display();
            failed(
                msg!(
                    "cannot make the new files beside {shown}: --output-dir makes them in a folder next to it, then switches them in at once",
                    "无法在 {shown} 旁生成新文件：--output-dir 先在其旁边的文件夹中生成新文件，再一次性换入"
                ),
                &e,
            )
        };
        let ((stage, lock), registered) = Registered::make_path(|| {
            let mut b = tempfile::Builder::new();
            b.prefix(STAGE_PREFIX);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                b.permissions(std::fs::Permissions::from_mode(0o777));
            }
            let stage = b.tempdir_in(parent).map_err(cannot)?;
            let lock = std::fs::File::create(stage.path().join(STAGE_LOCK)).map_err(cannot)?;
            #[cfg(unix)]
            let _ = rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive);
            let path = stage.path().to_path_buf();
            Ok(((stage, lock), path))
        })?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(stage.path(), std::fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = mode;
        Ok(Staged {
            dir: real,
            stage,
            _lock: lock,
            registered,
        })
    }

    /// Where the new files are written.
    pub fn path(&self) -> &Path {
        self.stage.path()
    }

    /// Carry over what the folder holds that the new set does not replace, then switch the
    /// new set in; the old set is removed.
    pub fn commit(self) -> Result<()> {
        let shown = self.dir.display();
        let cannot =
            |e: std::io::Error| failed(msg!("cannot write {shown}", "无法写入 {shown}"), &e);
        let _ = std::fs::remove_file(self.stage.path().join(STAGE_LOCK));
        if self.dir.exists() {
            carry_over(&self.dir, self.stage.path()).map_err(cannot)?;
        }
        // Under the lock the signal thread takes: a signal waits for the switch to end.
        let guard = WRITING.lock();
        let switched = switch(self.stage.path(), &self.dir);
        drop(guard);
        switched.map_err(|e| {
            if e.raw_os_error() == Some(16) {
                let shown = self.dir.display();
                anyhow!(msg!(
                    "cannot switch the new files into {shown}: it is a mount point (or in use); expected a folder inside it for --output-dir, such as {shown}/out",
                    "无法将新文件换入 {shown}：它是挂载点（或正被使用）；--output-dir 应为其中的一个文件夹，如 {shown}/out"
                ))
            } else {
                cannot(e)
            }
        })?;
        // The staging folder's name now holds the old set (if any): removed with it (by
        // the signal thread too, should a signal come meanwhile).
        let Staged {
            stage, registered, ..
        } = self;
        let _ = stage.close();
        drop(registered);
        Ok(())
    }
}

/// The permission bits of an existing folder, for its new set to keep.
fn dir_mode(dir: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(dir)
            .ok()
            .filter(|m| m.is_dir())
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Switch the folder `new` in at `dir`, in one step where the system can.
fn switch(new: &Path, dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return std::fs::rename(new, dir);
    }
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, new, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Not on this file system (or kernel): the two renames below.
            Err(
                rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP,
            ) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Elsewhere: the old set aside (to the staging folder's name, then removed), the new
    // in its place; put back when that fails.
    let aside = new.with_extension("old");
    std::fs::rename(dir, &aside)?;
    if let Err(e) = std::fs::rename(new, dir) {
        let _ = std::fs::rename(&aside, dir);
        return Err(e);
    }
    std::fs::rename(&aside, new)
}

/// Make in `to` (the new set) what `from` (the old set) holds and `to` does not: folders
/// made, files hard-linked (copied where a link cannot be made), links made again. A
/// `.stars-*` entry (a staging folder or temporary file an earlier run left) is not
/// carried over. A FIFO, a device or a socket cannot be: an error, and nothing switched.
fn carry_over(from: &Path, to: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let name = e.file_name();
        if name.to_string_lossy().starts_with(".stars-") {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        let t = e.file_type()?;
        let there = std::fs::symlink_metadata(&dst).ok();
        if t.is_dir() {
            match there {
                None => {
                    std::fs::create_dir(&dst)?;
                    if let Ok(m) = std::fs::metadata(&src) {
                        let _ = std::fs::set_permissions(&dst, m.permissions());
                    }
                    carry_over(&src, &dst)?;
                }
                Some(m) if m.is_dir() => carry_over(&src, &dst)?,
                Some(_) => {}
            }
        } else if there.is_some() {
            // Replaced by the new set.
        } else if t.is_symlink() {
            let target = std::fs::read_link(&src)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &dst)?;
            #[cfg(not(unix))]
            std::fs::copy(&src, &dst).map(|_| ())?;
        } else if t.is_file() {
            if std::fs::hard_link(&src, &dst).is_err() {
                std::fs::copy(&src, &dst)?;
            }
        } else {
            let shown = src.display();
            return Err(std::io::Error::other(msg!(
                "{shown} is not a file, a folder or a link, and cannot be kept in the new set of files",
                "{shown} 不是文件、文件夹或链接，无法保留到新的一组文件中"
            )));
        }
    }
    Ok(())
}

/// Remove the staging folders beside `parent`'s entries that a killed run left: those
/// whose lock file is there and can be locked (no run holds it).
fn remove_stale_stages(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(STAGE_PREFIX) {
            continue;
        }
        let path = e.path();
        // One a signal's exit was removing when it ended: no run writes into it.
        if path.extension().is_some_and(|x| x == TRASH) {
            let _ = std::fs::remove_dir_all(&path);
            continue;
        }
        let Ok(lock) = std::fs::File::open(path.join(STAGE_LOCK)) else {
            continue;
        };
        #[cfg(unix)]
        {
            let free =
                rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive);
            if free.is_ok() {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
        #[cfg(not(unix))]
        let _ = lock;
    }
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
    let shown = path.display();
    // A link to a file is written through: the file it leads to is replaced (atomically,
    // next to it), the link kept. A link to nothing is refused: the file it would make
    // could be anywhere. (A link to a device or a pipe, `/dev/stdout`, is written to below.)
    let real;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {
                real = path
                    .canonicalize()
                    .map_err(|e| failed(msg!("cannot write {shown}", "无法写入 {shown}"), &e))?;
                real.as_path()
            }
            Ok(_) => path,
            Err(_) => bail!(msg!(
                "{shown} is a symbolic link to nothing; expected a file, or a link to one",
                "{shown} 是指向不存在文件的符号链接；应为文件或指向文件的链接"
            )),
        }
    } else {
        path
    };
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
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
    let (mut tmp, registered) = Registered::make(|| temp_in(&dir, existing_mode(path)))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        f(&mut w).and_then(|_| w.flush()).map_err(cannot_write)?;
    }
    tmp.as_file().sync_all().map_err(cannot_write)?;
    // Renamed under the lock the signal thread takes: never after it removed the file.
    let guard = WRITING.lock();
    let persisted = tmp.persist(path);
    drop(guard);
    drop(registered);
    persisted.map_err(|e| cannot_write(e.error))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The names an input could have, in some folder of a workspace: an output of any
    /// other name is no input wherever it is, and no workspace is listed for it.
    #[test]
    fn only_names_an_input_could_have_are_looked_for() {
        for name in [
            "stars.toml",
            "branches.csv",
            "common.toml",
            "scores-rural.csv",
            "Scores.XLSX",
            "events.csv",
            "reviews.xls",
            "rectification.csv",
        ] {
            assert!(input_name(name), "{name}");
        }
        for name in [
            "null",
            "county.csv",
            "ratings-2025.csv",
            "report.html",
            "branches.xlsx",
        ] {
            assert!(!input_name(name), "{name}");
        }
    }

    /// `/dev/null` and an output not yet made, named as no input is, are no input.
    #[test]
    fn outputs_named_as_no_input_are_none() {
        let ws = Path::new("examples/dawang");
        let outs = [PathBuf::from("/dev/null"), ws.join("2025/summary.txt")];
        assert_eq!(first_input(&[ws], &outs), None);
        let input = [ws.join("2025/scores-new.csv")];
        assert_eq!(first_input(&[ws], &input), Some(input[0].as_path()));
    }
}
