//! `--town` (and every town) on a workspace that is not a county: its list cut to the
//! branches of those towns, with a summary by town for people.

use super::summary::{Counts, TownSummary};
use super::{file_stem, lock, run_here, Ctx, Emitted, MemberRun};
use crate::cli::Command;
use crate::i18n::Lang;
use crate::problem::{Failure, Outcome};
use crate::render::{Format, Report, RowStream, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// `--town` (or `--output-dir`) on a workspace that is not a county: the rows of the
/// branches of those towns (by the `town` column of branches.csv), with a summary by town
/// for people in place of the workspace's own summaries.
pub fn run_town_view(command: &Command, ctx: &Ctx) -> Outcome<()> {
    if ctx.global.output_dir.is_some() {
        return Err(Failure::Usage(
            crate::i18n::tr(
                "--output-dir writes a file per town of a county; this workspace is not a county (no `members` in its stars.toml)",
                "--output-dir 用于县（区）工作区，为每个镇（街道）各写一个文件；此工作区不是县（区）工作区（stars.toml 中没有 members）",
            )
            .to_string(),
        ));
    }
    if file_stem(command).is_none() {
        return run_here(command, ctx);
    }
    let mctx = Ctx {
        global: ctx.global.clone(),
        format: ctx.format,
        lang: ctx.lang,
        member: Some(MemberRun {
            county: None,
            collect: true,
            kept: Mutex::new(Vec::new()),
            towns: ctx.global.town.clone(),
            branch_towns: Mutex::new(BTreeMap::new()),
        }),
    };
    run_here(command, &mctx)?;
    let Some(run) = mctx.member else {
        return Ok(());
    };
    // Every town: written by the command already (`emit_all_towns`).
    if ctx.global.town.is_empty() {
        return Ok(());
    }
    let branch_towns = run.branch_towns.into_inner().unwrap_or_default();
    let kept = run.kept.into_inner().unwrap_or_default();
    let Some(rep) = kept.into_iter().find_map(|e| match e {
        Emitted::Report(r) => Some(*r),
        Emitted::Bytes(_) => None,
    }) else {
        return Ok(());
    };
    let human = !matches!(ctx.format, Format::Csv | Format::Json);
    ctx.emit_report(&filter_towns(rep, &branch_towns, human, ctx.lang))
}

/// Every town of a workspace (`run_town_view` without `--town`): the command's own tables,
/// and for people a summary by town first among the tables after the list, counted from
/// the rows as they are made; the rows are not held (a province's workbook is written
/// as its rows come, see render::xlsx).
pub fn emit_all_towns(ctx: &Ctx, run: &MemberRun, rep: &Report, bom: bool) -> Outcome<()> {
    let human = !matches!(ctx.format, Format::Csv | Format::Json);
    let branch_towns = lock(&run.branch_towns);
    let towns: BTreeSet<&String> = branch_towns.values().collect();
    if !human || towns.len() < 2 {
        drop(branch_towns);
        return ctx.write_report(rep, bom);
    }
    let summary = summary_by_town(rep, &branch_towns, ctx.lang);
    drop(branch_towns);
    // The same report, its rows those of `rep` as they are made, the summary first.
    let mut extras = vec![summary];
    extras.extend(rep.extras.iter().map(Report::to_static));
    let all = Report {
        title: rep.title.clone(),
        columns: rep.columns.clone(),
        rows: Vec::new(),
        stream: Some(RowStream::over(1, 1, move |_, f| rep.each_row(f))),
        extras,
        notes: rep.notes.clone(),
        preface: rep.preface.clone(),
        signature: rep.signature.clone(),
        chart: rep.chart.clone(),
        choices: rep.choices.clone(),
    };
    ctx.write_report(&all, bom)
}

/// The summary by town of a workspace's list, the town of each row from its branch,
/// counted as the rows are made (none is kept).
fn summary_by_town(rep: &Report, towns: &BTreeMap<String, String>, lang: Lang) -> Report<'static> {
    let b = rep.columns.iter().position(|c| c.key == "branch");
    let mut summary = TownSummary::default();
    let mut by_town: BTreeMap<String, Counts> = BTreeMap::new();
    let _ = rep.each_row(&mut |row| {
        let town = b
            .and_then(|i| row.get(i))
            .and_then(|v| match v {
                Value::Text(id) => towns.get(id.as_ref()).map(String::as_str),
                _ => None,
            })
            .unwrap_or_default();
        let counts = match by_town.get_mut(town) {
            Some(c) => c,
            None => by_town.entry(town.to_string()).or_default(),
        };
        summary.count(&rep.columns, row, counts);
        Ok(())
    });
    summary.towns = (by_town.into_iter().enumerate())
        .map(|(k, (town, c))| (k, town, Ok(c)))
        .collect();
    summary.report(lang, true)
}

/// The rows of a report (and of its tables that list branches) whose branch is one of
/// `towns`; the summaries of the whole workspace give way to one by town.
fn filter_towns(
    rep: Report<'static>,
    towns: &BTreeMap<String, String>,
    human: bool,
    lang: Lang,
) -> Report<'static> {
    let keep = |r: Report<'static>| -> Option<Report<'static>> {
        let b = r.columns.iter().position(|c| c.key == "branch")?;
        let mut r = r;
        r.rows.retain(|row| match row.get(b) {
            Some(Value::Text(id)) => towns.contains_key(id.as_ref()),
            _ => false,
        });
        Some(r)
    };
    if !rep.columns.iter().any(|c| c.key == "branch") {
        return rep;
    }
    let mut rep = rep;
    let extras = std::mem::take(&mut rep.extras);
    rep.notes.clear();
    let Some(mut rep) = keep(rep) else {
        return Report::new(String::new(), Vec::new());
    };
    if human {
        rep.extras.push(summary_by_town(&rep, towns, lang));
        rep.extras.extend(extras.into_iter().filter_map(keep));
    }
    rep
}
