//! `stars standards show|export`: the standards in use, and a copy of the built-in files (or
//! of a preset's) to start a customized standard.

use super::Ctx;
use crate::cli::StandardsCommand;
use crate::i18n::{msg, tr};
use crate::problem::{Failure, Outcome, Problem, Problems};
use crate::render::{Code, Column, Report, Value};
use crate::standard::{self, Domain, ItemKind, Origin, Standard};
use anyhow::{anyhow, Context};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn run(ctx: &Ctx, cmd: &StandardsCommand) -> Outcome<()> {
    match cmd {
        StandardsCommand::Show { domain } => show(ctx, domain.as_deref()),
        StandardsCommand::Export { dir, preset } => {
            let (files, what) = match preset {
                None => (standard::BUILTIN, String::new()),
                Some(name) => {
                    let p = find_preset(name)?;
                    (p.files, format!(" ({})", p.name))
                }
            };
            write_new_files(dir, &files)?;
            let (n, shown) = (files.len(), dir.display());
            let done = msg!(
                "wrote {n} standard files{what} to {shown}\n",
                "已将 {n} 个评星标准文件{what}写入 {shown}\n"
            );
            // Not eprintln!, which panics when standard error is a closed pipe.
            let _ = std::io::Write::write_all(&mut std::io::stderr(), done.as_bytes());
            Ok(())
        }
    }
}

/// The preset of that name; an unknown name is wrong usage (exit 2), listing the presets.
pub fn find_preset(name: &str) -> Outcome<&'static standard::Preset> {
    standard::preset(name).ok_or_else(|| {
        let expected = crate::i18n::list(&standard::preset_names());
        Failure::Usage(msg!(
            "unknown preset `{name}`; expected one of: {expected}",
            "未知的预设方案“{name}”；应为以下之一：{expected}"
        ))
    })
}

/// Write standard files into `dir` (created if missing), all or none: any of them that
/// already exists is refused before anything is written, each is written to a temporary
/// file in `dir` first, and the temporary files are then renamed into place without
/// replacing anything; if one rename fails, the files already placed are removed again.
pub fn write_new_files(dir: &Path, files: &[(&str, &str)]) -> Outcome<()> {
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        return Err(anyhow!(msg!(
            "{shown} is a file; expected a folder for the standard files",
            "{shown} 是文件；评星标准文件应写入文件夹"
        ))
        .into());
    }
    let existing: Vec<&str> = files
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect();
    if !existing.is_empty() {
        let list = crate::i18n::list(&existing.join(", "));
        return Err(anyhow!(msg!(
            "{shown} already has {list}; refusing to overwrite (nothing was written)",
            "{shown} 中已有 {list}，不予覆盖（未写入任何文件）"
        ))
        .into());
    }
    let created = !dir.exists();
    std::fs::create_dir_all(dir)
        .with_context(|| msg!("cannot create {shown}", "无法创建 {shown}"))?;
    let result = place_all(dir, files);
    if result.is_err() && created {
        // Only removes the folder when it is still empty.
        let _ = std::fs::remove_dir(dir);
    }
    result.map_err(Failure::from)
}

fn place_all(dir: &Path, files: &[(&str, &str)]) -> anyhow::Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (name, text) in files {
        let path = dir.join(name);
        let shown = path.display();
        let mut tmp = crate::output::temp_in(dir, None)?;
        std::io::Write::write_all(tmp.as_file_mut(), text.as_bytes())
            .and_then(|_| tmp.as_file().sync_all())
            .with_context(|| msg!("cannot write {shown}", "无法写入 {shown}"))?;
        staged.push((path, tmp));
    }
    let mut placed: Vec<PathBuf> = Vec::with_capacity(staged.len());
    for (path, tmp) in staged {
        if let Err(e) = tmp.persist_noclobber(&path) {
            for p in &placed {
                let _ = std::fs::remove_file(p);
            }
            let shown = path.display();
            return Err(anyhow::Error::new(e.error).context(msg!(
                "cannot write {shown} (nothing was written)",
                "无法写入 {shown}（未写入任何文件）"
            )));
        }
        placed.push(path);
    }
    Ok(())
}

/// The columns of `standards show` (a standard by themes adds its own).
const COLUMNS: [Column; 8] = [
    Column::new("domain", "Domain", "领域"),
    Column::new("id", "Id", "编号"),
    Column::new("kind", "Kind", "类别"),
    // The standard's two names: its `name` is the English one.
    Column::new("name", "Name", "英文名称"),
    Column::new("name_zh", "Name (zh)", "中文名称"),
    Column::new("points", "Points", "分值"),
    Column::new("bottom_line", "Bottom line", "底线"),
    Column::new("cap", "Cap", "封顶星级"),
];

fn show(ctx: &Ctx, only: Option<&str>) -> Outcome<()> {
    let mut problems = Problems::new();
    let only = match only {
        None => None,
        Some(s) => match Domain::parse(s) {
            Some(d) => Some(d),
            None => {
                problems.push(unknown_domain(s));
                return Err(problems.into());
            }
        },
    };
    let dir = &ctx.global.workspace;
    let shown = dir.to_string_lossy().into_owned();
    let in_workspace = dir.join("stars.toml").is_file();
    let all: BTreeSet<Domain> = Domain::ALL
        .into_iter()
        .filter(|d| only.is_none_or(|o| o == *d))
        .collect();
    let Some(stds) = standard::load(
        &crate::workspace::county::standard_dirs(dir, &shown, in_workspace)
            .iter()
            .map(|(d, s)| (d.as_path(), s.as_str()))
            .collect::<Vec<_>>(),
        &all,
        &mut problems,
    ) else {
        return Err(problems.into());
    };
    // Titled with the workspace's name, when it has one (a workbook's title row).
    let title = match crate::workspace::config::name_of(dir) {
        Some(name) => crate::i18n::msg_in!(ctx.lang, "{name} — standards", "{name} 评星标准"),
        None => ctx.lang.t("Standards", "评星标准").to_string(),
    };
    let mut rep = Report::new(title, COLUMNS.to_vec());
    // Stars by theme: each indicator's theme, and the themes with their pass lines, only
    // where a standard shown rates by themes (the others' lists stay as they were).
    let themed = (stds.by_domain.iter()).any(|(d, s)| all.contains(d) && s.by_themes());
    if themed {
        rep.columns.push(Column::new("theme", "Theme", "主题星"));
        rep.columns.push(Column::new("pass", "Pass", "达标比例"));
    }
    let width = rep.columns.len();
    for (d, s) in &stds.by_domain {
        if all.contains(d) {
            standard_rows(*d, s, &mut rep.rows);
        }
    }
    for row in &mut rep.rows {
        row.resize(width, Value::Null);
    }
    ctx.emit_report(&rep)
}

/// `standards show DOMAIN` of no domain, as a problem of the command line.
fn unknown_domain(s: &str) -> Problem {
    let expected = crate::i18n::list(&Domain::expected());
    Problem::file(
        tr("(command line)", "（命令行）"),
        msg!(
            "unknown domain `{s}`; expected one of: {expected}",
            "未知领域“{s}”；应为以下之一：{expected}"
        ),
    )
}

/// A standard's rows of the list: its themes, its indicators, its event items (each row
/// padded to the list's width after).
fn standard_rows<'a>(d: Domain, s: &'a Standard, rows: &mut Vec<Vec<Value<'a>>>) {
    for t in &s.themes {
        let kind = if t.required {
            "required_theme"
        } else {
            "theme"
        };
        rows.push(vec![
            Value::code(Code::Domain, d.as_str()),
            Value::text(&t.id),
            Value::code(Code::Kind, kind),
            Value::text(&t.name),
            Value::text(&t.name_zh),
            Value::Num(t.points),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Num(t.pass),
        ]);
    }
    for i in &s.indicators {
        let kind = match (i.origin, i.secretary_project) {
            (_, true) => "secretary_project",
            (Origin::Common, _) => "common",
            (Origin::Domain, _) => "personalized",
        };
        rows.push(vec![
            Value::code(Code::Domain, d.as_str()),
            Value::text(&i.id),
            Value::code(Code::Kind, kind),
            Value::text(&i.name),
            Value::text(&i.name_zh),
            Value::Num(i.points),
            i.bottom_line.map_or(Value::Null, Value::Num),
            Value::Null,
            Value::opt_text(s.theme_of(i).map(|t| t.id.as_str())),
            Value::Null,
        ]);
    }
    for i in &s.items {
        let (points, cap) = match i.kind {
            ItemKind::Incentive(p) | ItemKind::Restraint(p) => (Value::Num(p), Value::Null),
            ItemKind::RedLine(c) => (Value::Null, Value::Int(c.into())),
        };
        rows.push(vec![
            Value::code(Code::Domain, d.as_str()),
            Value::text(&i.id),
            Value::code(Code::Kind, i.kind.as_str()),
            Value::text(&i.name),
            Value::text(&i.name_zh),
            points,
            Value::Null,
            cap,
        ]);
    }
}
