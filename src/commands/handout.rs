//! What a template writes: a list for people, or a data file of the workspace created new
//! (never over an existing input), whole or not at all. Shared by the score-sheet templates
//! (`template`) and the records' (`record_templates`).

use super::Ctx;
use crate::i18n::msg;
use crate::problem::Outcome;
use crate::render::{Format, Report};
use anyhow::anyhow;
use std::io::Write;
use std::path::Path;

/// Emit a list: created new when it is an input file of the workspace, else as any list.
pub(super) fn emit_list(ctx: &Ctx, rep: &Report, bom: bool) -> Outcome<()> {
    let Some(out) = ctx.global.output.as_deref() else {
        return ctx.emit_report_bom(rep, bom);
    };
    if !new_input(ctx, out)? {
        return ctx.emit_report_bom(rep, bom);
    }
    let bytes = match ctx.format {
        Format::Xlsx => crate::render::xlsx::render(rep, ctx.lang)?,
        Format::Csv if bom => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(rep.render(Format::Csv, ctx.lang).into_bytes());
            b
        }
        f => rep.render(f, ctx.lang).into_bytes(),
    };
    create_new(out, &bytes)?;
    Ok(())
}

/// Whether `out` is a data file of the workspace to create (a score sheet, a rectification
/// file…, where it would be read): `Err` when it exists, never replaced.
pub(super) fn new_input(ctx: &Ctx, out: &Path) -> Outcome<bool> {
    let is_data = out
        .file_name()
        .is_some_and(|n| crate::workspace::files::kind_of(&n.to_string_lossy()).is_some());
    if !(is_data && crate::output::is_input(&ctx.global.workspace, out)) {
        return Ok(false);
    }
    if out.exists() {
        let out = out.display();
        return Err(anyhow!(msg!(
            "{out} exists: it is an input file of the workspace; refusing to overwrite it",
            "{out} 已存在：它是工作区的输入文件，不予覆盖"
        ))
        .into());
    }
    Ok(true)
}

/// Write a new file whole or not at all, failing if it exists (even if it appears meanwhile).
pub(super) fn create_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = crate::output::temp_in(dir, None)?;
    let shown = path.display();
    let cannot_write = |e: &std::io::Error| {
        let why = crate::output::reason(e);
        anyhow!(msg!(
            "cannot write {shown}: {why}",
            "无法写入 {shown}：{why}"
        ))
    };
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| cannot_write(&e))?;
    tmp.persist_noclobber(path)
        .map_err(|e| cannot_write(&e.error))?;
    Ok(())
}
