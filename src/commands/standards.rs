//! `stars standards show|export`: the standards in use, and a copy of the built-in files to
//! start a customized standard.

use super::Ctx;
use crate::cli::StandardsCommand;
use crate::decimal::fmt_plain;
use crate::i18n::{msg, tr};
use crate::problem::{Outcome, Problem, Problems};
use crate::render::{Column, Report, Value};
use crate::standard::{self, Domain, ItemKind, Origin};
use anyhow::Context;
use std::collections::BTreeSet;

pub fn run(ctx: &Ctx, cmd: &StandardsCommand) -> Outcome<()> {
    match cmd {
        StandardsCommand::Show { domain } => show(ctx, domain.as_deref()),
        StandardsCommand::Export { dir } => {
            let shown = dir.display();
            std::fs::create_dir_all(dir)
                .with_context(|| msg!("cannot create {shown}", "无法创建 {shown}"))?;
            for (name, text) in standard::BUILTIN {
                let path = dir.join(name);
                if path.exists() {
                    let path = path.display();
                    return Err(anyhow::anyhow!(msg!(
                        "{path} exists; refusing to overwrite it",
                        "{path} 已存在，不予覆盖"
                    ))
                    .into());
                }
                crate::output::write_atomic(&path, text.as_bytes())?;
            }
            let n = standard::BUILTIN.len();
            let done = msg!(
                "wrote {n} standard files to {shown}\n",
                "已将 {n} 个评星标准文件写入 {shown}\n"
            );
            // Not eprintln!, which panics when standard error is a closed pipe.
            let _ = std::io::Write::write_all(&mut std::io::stderr(), done.as_bytes());
            Ok(())
        }
    }
}

fn show(ctx: &Ctx, only: Option<&str>) -> Outcome<()> {
    let mut problems = Problems::new();
    let only = match only {
        None => None,
        Some(s) => match Domain::parse(s) {
            Some(d) => Some(d),
            None => {
                let expected = crate::i18n::list(&Domain::expected());
                problems.push(Problem::file(
                    tr("(command line)", "（命令行）"),
                    msg!(
                        "unknown domain `{s}`; expected one of: {expected}",
                        "未知领域“{s}”；应为以下之一：{expected}"
                    ),
                ));
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
        in_workspace.then_some((dir.as_path(), shown.as_str())),
        &all,
        &mut problems,
    ) else {
        return Err(problems.into());
    };
    let mut rep = Report::new(
        ctx.lang.t("Standards", "评星标准"),
        vec![
            Column::new("domain", "Domain", "领域"),
            Column::new("id", "Id", "编号"),
            Column::new("kind", "Kind", "类别"),
            Column::new("name", "Name", "名称"),
            Column::new("name_zh", "Name (zh)", "中文名称"),
            Column::new("points", "Points", "分值"),
            Column::new("bottom_line", "Bottom line", "底线"),
            Column::new("cap", "Cap", "封顶星级"),
        ],
    );
    for (d, s) in &stds.by_domain {
        if !all.contains(d) {
            continue;
        }
        for i in &s.indicators {
            let kind = match (i.origin, i.secretary_project) {
                (_, true) => "secretary_project",
                (Origin::Common, _) => "common",
                (Origin::Domain, _) => "personalized",
            };
            rep.rows.push(vec![
                Value::text(d.as_str()),
                Value::text(&i.id),
                Value::text(kind),
                Value::text(&i.name),
                Value::text(&i.name_zh),
                Value::text(fmt_plain(i.points)),
                Value::opt_text(i.bottom_line.map(fmt_plain)),
                Value::Null,
            ]);
        }
        for i in &s.items {
            let (points, cap) = match i.kind {
                ItemKind::Incentive(p) | ItemKind::Restraint(p) => {
                    (Value::text(fmt_plain(p)), Value::Null)
                }
                ItemKind::RedLine(c) => (Value::Null, Value::Int(c.into())),
            };
            rep.rows.push(vec![
                Value::text(d.as_str()),
                Value::text(&i.id),
                Value::text(i.kind.as_str()),
                Value::text(&i.name),
                Value::text(&i.name_zh),
                points,
                Value::Null,
                cap,
            ]);
        }
    }
    ctx.emit_report(&rep)
}
