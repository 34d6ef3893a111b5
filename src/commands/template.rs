//! `stars template DOMAIN`: a score sheet ready to fill for one domain — a row for each
//! level of each branch of the domain rated in the year, with every indicator of the
//! domain's standard as a column — or, with `--legend`, the indicators themselves.
//!
//! The sheet is a valid score sheet only once filled: `stars check` reports a row with no
//! scores and no `overall`. `--output` may create a new score sheet in a year folder
//! (`2026/scores-rural.csv`), but never replaces an existing file there.

use super::Ctx;
use crate::decimal::fmt_plain;
use crate::i18n::{msg, msg_in, tr, Lang};
use crate::problem::{Outcome, Problem, Problems};
use crate::render::{Column, Format, Report, Value};
use crate::standard::{self, Domain, Level, Standard};
use anyhow::anyhow;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// `bom`: a CSV sheet starts with a UTF-8 byte-order mark (the default, so that Excel
/// shows Chinese names; `--no-bom` leaves it out). The legend follows `--bom` as any list.
pub fn run(ctx: &Ctx, domain: &str, legend: bool, bom: bool) -> Outcome<()> {
    // The records of the year have templates of their own.
    if !legend {
        if let Some(out) = super::record_templates::run(ctx, domain, bom) {
            return out;
        }
    }
    let Some(domain) = Domain::parse(domain) else {
        let mut problems = Problems::new();
        let expected = crate::i18n::list(&Domain::expected());
        problems.push(Problem::file(
            tr("(command line)", "（命令行）"),
            msg!(
                "unknown domain `{domain}`; expected one of: {expected}",
                "未知领域“{domain}”；应为以下之一：{expected}"
            ),
        ));
        return Err(problems.into());
    };
    let rep = if legend {
        let std = standard_of(ctx, domain)?;
        legend_report(&std, ctx.lang)
    } else {
        let ws = ctx.workspace()?;
        let year = ctx.year(&ws)?;
        let std = match ws.standards.get(domain) {
            Some(s) => s.clone(),
            None => standard_of(ctx, domain)?,
        };
        let name = &ws.config.name;
        let (code, zh) = (domain.as_str(), domain.zh());
        let title = msg_in!(
            ctx.lang,
            "{name} — {code} score sheet {year}",
            "{name} {year}年度{zh}党支部评分表"
        );
        let branches: Vec<(&str, &str)> = ws
            .branches
            .iter()
            .filter(|b| b.domain == domain && b.rated_in(year))
            .map(|b| (b.id(), b.name()))
            .collect();
        sheet_report(title, &std, &branches, year, ctx.lang)
    };
    emit(ctx, &rep, if legend { ctx.global.bom } else { bom })
}

/// A domain's standard: the workspace's (when `--workspace` holds one) or the built-in.
fn standard_of(ctx: &Ctx, domain: Domain) -> Outcome<Standard> {
    let dir = ctx.global.workspace.as_path();
    let shown = ctx.global.workspace.to_string_lossy().into_owned();
    let in_workspace = dir.join("stars.toml").is_file();
    let mut problems = Problems::new();
    let needed = BTreeSet::from([domain]);
    let stds = standard::load(
        &crate::workspace::county::standard_dirs(dir, &shown, in_workspace)
            .iter()
            .map(|(d, s)| (d.as_path(), s.as_str()))
            .collect::<Vec<_>>(),
        &needed,
        &mut problems,
    );
    match stds.and_then(|s| s.get(domain).cloned()) {
        Some(s) if problems.is_empty() => Ok(s),
        _ => Err(problems.into()),
    }
}

/// A column whose header is its key in every language: the sheet's header row must be the
/// machine keys whatever the format, so that a filled sheet is a score sheet.
fn key_column(key: &str) -> Column {
    Column::keyed(key.to_string())
}

/// The sheet: `branch,name,level,<indicator ids>,overall`, three blank rows per branch.
pub fn sheet_report(
    title: String,
    std: &Standard,
    branches: &[(&str, &str)],
    year: i32,
    lang: Lang,
) -> Report<'static> {
    let mut columns = vec![
        key_column("branch"),
        key_column("name"),
        key_column("level"),
    ];
    columns.extend(std.indicators.iter().map(|i| key_column(&i.id)));
    columns.push(key_column("overall"));
    let blanks = std.indicators.len() + 1;
    let mut rep = Report::new(title, columns);
    for (id, name) in branches {
        for level in Level::ALL {
            let mut row = vec![
                Value::text(id.to_string()),
                Value::text(name.to_string()),
                Value::text(level.as_str()),
            ];
            row.extend(std::iter::repeat_n(Value::Null, blanks));
            rep.rows.push(row);
        }
    }
    let d = std.domain;
    let (n, code, zh) = (branches.len(), d.as_str(), d.zh());
    rep.notes = vec![
        msg_in!(lang,
            "{n} branches of {code} ({zh}) rated in {year}; levels: self, mass, organization.",
            "{year}年度参评的{zh}党支部 {n} 个；每个支部三行：self 自评、mass 群众评议、organization 组织评定。"
        ),
        lang.t(
            "Fill every indicator of a row (a decimal from 0 to its points), or leave them blank and give `overall` (0-100).",
            "每行或逐项填写各指标得分（0 至该项分值的数字），或各项留空、只填 overall（0–100 的总体评价）。"
        ).into(),
        msg_in!(lang,
            "Save it in the year folder as {year}/scores-{code}.xlsx (a worksheet named Notes or 说明 is not read) or as CSV, {year}/scores-{code}.csv. A row left blank is an error for `stars check`.",
            "填好后保存到年度文件夹：{year}/scores-{code}.xlsx（名为“说明”或 Notes 的工作表不会被读取），或另存为 CSV：{year}/scores-{code}.csv。未填写的行，`stars check` 会报错。"
        ),
        msg_in!(lang,
            "`stars template {code} --legend` lists the indicators and their points.",
            "`stars template {code} --legend` 列出各项指标及分值。"
        ),
    ];
    rep
}

/// The legend: each indicator's id, names, points, bottom line and rubric.
pub fn legend_report(std: &Standard, lang: Lang) -> Report<'static> {
    let d = std.domain;
    let (name, name_zh, code) = (&std.name, &std.name_zh, d.as_str());
    let title = msg_in!(lang, "{name} indicators ({code})", "{name_zh}评星指标");
    let mut rep = Report::new(
        title,
        vec![
            Column::new("id", "Id", "编号"),
            Column::new("name", "Name", "名称"),
            Column::new("name_zh", "Name (zh)", "中文名称"),
            Column::new("points", "Points", "分值"),
            Column::new("bottom_line", "Bottom line", "底线"),
            Column::new("rubric", "Rubric", "评分标准"),
        ],
    );
    for i in &std.indicators {
        rep.rows.push(vec![
            Value::text(i.id.clone()),
            Value::text(i.name.clone()),
            Value::text(i.name_zh.clone()),
            Value::text(fmt_plain(i.points)),
            Value::opt_text(i.bottom_line.map(fmt_plain)),
            Value::text(i.rubric.clone()),
        ]);
    }
    if let Some(rules) = local_rules(std, lang) {
        rep.extras.push(rules);
    }
    rep.extras.push(aliases(lang));
    let total: rust_decimal::Decimal = std.indicators.iter().map(|i| i.points).sum();
    rep.notes.push(msg_in!(
        lang,
        "{} indicators, {} points in all.",
        "共 {} 项指标，合计 {} 分。",
        std.indicators.len(),
        fmt_plain(total)
    ));
    rep
}

/// The Chinese names accepted for the codes of the input files ([`crate::aliases`]).
fn aliases(lang: Lang) -> Report<'static> {
    let mut rep = Report::new(
        lang.t("Chinese names accepted for codes", "可填写的中文名称"),
        vec![
            Column::new("what", "What", "类别"),
            Column::new("code", "Code", "代码"),
            Column::new("name", "Name typed", "中文名称"),
        ],
    );
    for (vocab, name, code) in crate::aliases::TABLE {
        rep.rows.push(vec![
            Value::text(lang.t(vocab.as_str(), vocab.zh())),
            Value::text(*code),
            Value::text(*name),
        ]);
    }
    rep
}

/// The local rules of SPEC.md a standard uses (none: `None`), one row each, for the
/// legend (the workspace's quota is in common.toml, shown by [`crate::commands::evaluate`]).
fn local_rules(std: &Standard, lang: Lang) -> Option<Report<'static>> {
    let mut rep = Report::new(
        lang.t("Local rules", "本地规则"),
        vec![
            Column::new("rule", "Rule", "规则"),
            Column::new("id", "Id", "编号"),
            Column::new("value", "Value", "取值"),
        ],
    );
    let mut row = |rule: &str, id: &str, value: String| {
        rep.rows.push(vec![
            Value::text(rule.to_string()),
            Value::text(id.to_string()),
            Value::text(value),
        ])
    };
    if let Some(one) = std.settings.stars.one {
        let one = fmt_plain(one);
        let v = msg_in!(lang, "below {one}: no star", "低于 {one} 分不评星");
        row("one", "", v);
    }
    for i in &std.indicators {
        if let (Some(bl), Some(cap)) = (i.bottom_line, i.bottom_line_cap) {
            let bl = fmt_plain(bl);
            let v = msg_in!(
                lang,
                "below {bl}: at most {cap}★",
                "低于 {bl} 分最高 {cap} 星"
            );
            row("bottom_line_cap", &i.id, v);
        }
    }
    for f in &std.floors {
        let (level, level_zh, below, cap) =
            (f.level.as_str(), f.level.zh(), fmt_plain(f.below), f.cap);
        let (name, name_zh) = (&f.name, &f.name_zh);
        let v = msg_in!(
            lang,
            "{level} rating below {below}: at most {cap}★ ({name})",
            "{level_zh}低于 {below} 分最高 {cap} 星（{name_zh}）"
        );
        row("floor", &f.id, v);
    }
    for i in std.items.iter().filter(|i| i.exceptional) {
        let (name, name_zh) = (&i.name, &i.name_zh);
        let v = msg_in!(
            lang,
            "{name}: promotion not limited by max_step_up",
            "{name_zh}：破格晋升，不受每年升星限制"
        );
        row("exceptional", &i.id, v);
    }
    if std.settings.adjust.first_year == crate::standard::FirstYear::Trial {
        let v = lang
            .t(
                "first rated year without a plaque: trial, no plaque earned",
                "首个评定年度且无星级牌：试评，不授牌",
            )
            .to_string();
        row("first_year", "", v);
    }
    (!rep.rows.is_empty()).then_some(rep)
}

/// Emit the report; a new score sheet or file of the records in a year folder (an input
/// name that does not exist yet) is created, never replaced.
pub(super) fn emit(ctx: &Ctx, rep: &Report, bom: bool) -> Outcome<()> {
    let Some(out) = ctx.global.output.as_deref() else {
        return ctx.emit_report_bom(rep, bom);
    };
    let is_sheet = out.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        let record = crate::workspace::files::kind_of(&n).is_some_and(|k| k.is_record());
        n.starts_with("scores") || record
    });
    if !(is_sheet && crate::output::is_input(&ctx.global.workspace, out)) {
        return ctx.emit_report_bom(rep, bom);
    }
    if out.exists() {
        let out = out.display();
        return Err(anyhow!(msg!(
            "{out} exists: it is an input of the workspace; refusing to overwrite it",
            "{out} 已存在：它是工作区的输入文件，不予覆盖"
        ))
        .into());
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

/// Write a new file whole or not at all, failing if it exists (even if it appears meanwhile).
fn create_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
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
