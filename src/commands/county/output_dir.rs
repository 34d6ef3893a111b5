//! `--output-dir`: a file per member town and the summary by town, made in a staging
//! folder and switched in whole.

use super::members::Towns;
use super::summary::TownSummary;
use super::{lock, main_report, refuse_input, report, run_all};
use crate::cli::Command;
use crate::i18n::msg;
use crate::problem::{Failure, Outcome};
use crate::render::{Format, Report};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::Mutex;

impl Towns<'_> {
    /// `--output-dir DIR`: each sound member's list in `DIR/FOLDER/STEM-YEAR.EXT`, and the
    /// summary by town in `DIR/STEM-YEAR-towns.EXT`. The files are made in a folder of
    /// their own inside DIR and moved into place only when all are made (and every member
    /// is sound, unless `--keep-going`).
    pub(super) fn write_dir(&self, command: &Command, out: &Path, stem: &str) -> Outcome<()> {
        let ctx = self.ctx;
        let ext = extension(ctx.format);
        let year = self.year.map(|y| y.to_string()).unwrap_or_default();
        let name = format!("{stem}-{year}.{ext}");
        self.refuse_output_dir(out)?;
        // The new set of files is made beside `out` and switched in at once (see Staged).
        let stage = crate::output::Staged::new(out)?;
        let summary = Mutex::new(TownSummary::default());
        let failures: Mutex<BTreeMap<usize, Failure>> = Mutex::new(BTreeMap::new());
        let made = run_all(self.selected.len(), |j| {
            let k = self.selected.get(j).copied()?;
            let written = self.write_member(command, k, &name, &stage, out, &summary)?;
            match written {
                Ok(rel) => Some(rel),
                Err(f) => {
                    lock(&summary).leave_out(k, self.town(k), report::left_out_why(&f));
                    lock(&failures).insert(k, f);
                    None
                }
            }
        });
        let failures = failures.into_inner().unwrap_or_default();
        let sound = failures.is_empty() && lock(&self.broken).is_empty();
        if !sound && !ctx.global.keep_going {
            return Err(self.failed(&Mutex::new(failures), false));
        }
        let summary_name = format!("{stem}-{year}-towns.{ext}");
        let mut summary = summary.into_inner().unwrap_or_default();
        self.leave_out_broken(&mut summary);
        let summary_rep =
            summary.report(ctx.lang, !matches!(ctx.format, Format::Csv | Format::Json));
        std::fs::write(
            stage.path().join(&summary_name),
            self.bytes_of(&summary_rep)?,
        )
        .map_err(|e| cannot_write(&out.join(&summary_name), &e))?;
        // Every file made, none of them found to be an input: the set switched in at once.
        let rels: Vec<String> = made.into_iter().flatten().chain([summary_name]).collect();
        let targets: Vec<std::path::PathBuf> = rels.iter().map(|r| out.join(r)).collect();
        refuse_input(self.county, &targets)?;
        stage.commit()?;
        if sound {
            Ok(())
        } else {
            Err(self.failed(&Mutex::new(failures), true))
        }
    }

    /// Member `k`'s list in `FOLDER/NAME` of the staging folder, counted into `summary`:
    /// the file's path in `--output-dir`, or why it is not made. `None` for no member.
    fn write_member(
        &self,
        command: &Command,
        k: usize,
        name: &str,
        stage: &crate::output::Staged,
        out: &Path,
        summary: &Mutex<TownSummary>,
    ) -> Option<Result<String, Failure>> {
        let member = self.county.members.get(k)?;
        Some(self.collect(command, k).and_then(|em| {
            let rep = main_report(&em).ok_or_else(|| Failure::Other(anyhow::anyhow!("no list")))?;
            lock(summary).add(k, member.town(), rep);
            let rel = format!("{}/{name}", member.folder);
            let bytes = self.bytes_of(rep)?;
            let path = stage.path().join(&rel);
            // Not `create_dir_all`: a staging folder removed by a signal is not made again.
            let folder = std::fs::create_dir(stage.path().join(&member.folder));
            folder
                .or_else(|e| match e.kind() {
                    io::ErrorKind::AlreadyExists => Ok(()),
                    _ => Err(e),
                })
                .and_then(|()| std::fs::write(&path, bytes))
                .map_err(|e| cannot_write(&out.join(&rel), &e))?;
            Ok(rel)
        }))
    }

    /// `--output-dir DIR` is switched whole for its new set of files: it must not be (or
    /// hold) a folder the county's files are read from, nor the current folder (or one
    /// above it), where a shell would be left in the old folder. Compared by file
    /// (device and inode), as inputs are.
    pub(super) fn refuse_output_dir(&self, out: &Path) -> Outcome<()> {
        use crate::source::{file_key, FileKey};
        let Some(key) = file_key(out) else {
            return Ok(());
        };
        let shown = out.display();
        // The folder and every folder above it, up to the root (or up to `stop`).
        let ups = |from: &Path, seen: &mut std::collections::HashSet<FileKey>| -> bool {
            let real = from.canonicalize().unwrap_or_else(|_| from.to_path_buf());
            for a in real.ancestors() {
                match file_key(a) {
                    Some(k) if k == key => return true,
                    Some(k) if !seen.insert(k) => break,
                    _ => {}
                }
            }
            false
        };
        let mut seen = std::collections::HashSet::new();
        let cwd = std::env::current_dir().unwrap_or_default();
        if ups(&cwd, &mut std::collections::HashSet::new()) {
            return Err(anyhow::anyhow!(msg!(
                "--output-dir {shown} is the current folder or holds it; its new set of files replaces it whole: expected a folder of its own, such as out",
                "--output-dir {shown} 是当前文件夹或包含当前文件夹；新的一组文件会整体替换它：应为单独的文件夹，如 out"
            ))
            .into());
        }
        let county = &self.county;
        let mut inputs = vec![county.dir.clone(), county.dir.join("standards")];
        for m in &county.members {
            inputs.push(m.dir.clone());
        }
        let holds = inputs.iter().any(|d| ups(d, &mut seen))
            || county.members.iter().any(|m| {
                let name = out.file_name().map(|n| n.to_string_lossy().into_owned());
                let input_folder = name.is_some_and(|n| {
                    n == "standards" || (n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
                });
                input_folder && out.parent().and_then(file_key) == file_key(&m.dir)
            });
        if holds {
            return Err(anyhow::anyhow!(msg!(
                "--output-dir {shown} is or holds a folder of the county's files; its new set of files replaces it whole: expected a folder of its own, such as out",
                "--output-dir {shown} 是或包含县（区）工作区的文件夹；新的一组文件会整体替换它：应为单独的文件夹，如 out"
            ))
            .into());
        }
        Ok(())
    }

    /// A report as the bytes of a file in the chosen format.
    pub(super) fn bytes_of(&self, rep: &Report) -> Outcome<Vec<u8>> {
        let ctx = self.ctx;
        if ctx.format == Format::Xlsx {
            return Ok(crate::render::xlsx::render(rep, ctx.lang)?);
        }
        let mut out = Vec::new();
        if ctx.format == Format::Csv && ctx.global.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        rep.write(ctx.format, ctx.lang, &mut out)?;
        Ok(out)
    }
}

/// The extension of the files of `--output-dir` in `format`.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Table => "txt",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Markdown => "md",
        Format::Xlsx => "xlsx",
        Format::Html => "html",
    }
}

/// A file of `--output-dir` that could not be made, named as it would be (never the
/// staging folder).
fn cannot_write(target: &Path, e: &io::Error) -> Failure {
    let (shown, why) = (target.display(), crate::output::reason(e));
    Failure::Other(anyhow::anyhow!(msg!(
        "cannot write {shown}: {why}",
        "无法写入 {shown}：{why}"
    )))
}
