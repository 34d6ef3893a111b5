//! `stars evaluate`: the ratings of a year.

use super::{Ctx, Rated};
use crate::followup::gap::gap;
use crate::i18n::{msg_in, Lang};
use crate::problem::Outcome;
use crate::rate::{Cap, Status, YearRater};
use crate::render::{
    star_marks, ChartKind, ChartSpec, Code, Column, Format, Report, RowStream, Value,
};

/// Ratings per part of the streamed output (see [`RowStream`]).
const PART: usize = 16_384;
use crate::standard::Domain;
use std::collections::BTreeMap;

/// How many columns a rating has.
const WIDTH: usize = 13;

pub const COLUMNS: [Column; WIDTH] = [
    Column::new("branch", "Branch", "支部编号"),
    Column::new("name", "Name", "支部名称"),
    Column::new("domain", "Domain", "领域"),
    Column::new("base", "Base", "基础分"),
    Column::new("bonus", "Bonus", "加分"),
    Column::new("deduction", "Deduction", "扣分"),
    Column::new("score", "Score", "总分"),
    Column::new("score_star", "Score star", "得分星级"),
    Column::new("star", "Star", "评定星级"),
    Column::new("status", "Status", "状态"),
    Column::new("tier", "Tier", "分类"),
    Column::new("gap", "Gap to next", "距上一星级差"),
    Column::new("blocked_by", "Blocked by", "受限原因"),
];

/// The columns of a count of branches by star, five down to none (a summary's).
pub const STAR_COLUMNS: [Column; 6] = [
    Column::new("5", "★5", "五星"),
    Column::new("4", "★4", "四星"),
    Column::new("3", "★3", "三星"),
    Column::new("2", "★2", "二星"),
    Column::new("1", "★1", "一星"),
    Column::new("0", "Not rated (0)", "不评星(0)"),
];

pub fn run(ctx: &Ctx) -> Outcome<()> {
    // For machines the branches are rated as their rows are written (see `report`); for
    // people and workbooks, first, as the summaries count them.
    // A workbook's summaries are counted as the branches are rated, its rows made as they
    // are written, rated again: a province's ratings are never all held.
    let rated = if human(ctx.format) {
        ctx.rated()?
    } else {
        ctx.loaded()?
    };
    let rep = report(&rated, ctx.format, ctx.lang);
    let out = ctx.emit_report(&rep);
    crate::timing::mark("output");
    drop(rep);
    ctx.leak(rated);
    out
}

/// One branch's row: for people (`human`) with stars; codes are shown in the language's
/// terms by the renderer. (An array: a province's rows are streamed without an allocation
/// each.)
fn row<'a>(
    rated: &'a Rated,
    b: usize,
    r: &crate::rate::Rating,
    human: bool,
) -> Option<[Value<'a>; WIDTH]> {
    let branch = rated.ws.branches.get(b)?;
    let std = rated.ws.standards.get(branch.domain)?;
    let g = gap(r, &std.settings.stars);
    let (star, score_star) = if human {
        (
            Value::text(star_marks(r.star)),
            Value::text(star_marks(r.score_star)),
        )
    } else {
        (Value::Int(r.star.into()), Value::Int(r.score_star.into()))
    };
    Some([
        Value::text(branch.id()),
        Value::text(branch.name()),
        Value::code(Code::Domain, branch.domain.as_str()),
        Value::Dec(r.base),
        Value::Dec(r.bonus),
        Value::Dec(r.deduction),
        Value::Dec(r.score),
        score_star,
        star,
        Value::code(Code::Status, r.status.as_str()),
        Value::code(Code::Tier, r.tier.as_str()),
        g.as_ref()
            .and_then(|g| g.points)
            .map_or(Value::Null, Value::Dec),
        Value::code(
            Code::BlockedBy,
            g.map(|g| g.blocked_by.join(";")).unwrap_or_default(),
        ),
    ])
}

/// Whether a format is for people (summaries, stars, the language's terms).
fn human(format: Format) -> bool {
    matches!(format, Format::Table | Format::Markdown)
}

/// Whether a format has the summaries: the formats for people, and a workbook (its rows
/// as CSV has them, each summary on a sheet of its own, with a chart).
fn summaries(format: Format) -> bool {
    human(format) || format == Format::Xlsx
}

/// The ratings as a report; for people (table, Markdown) with stars, Chinese terms and
/// summaries, from `rated.ratings`; a workbook has the summaries too, and numbers for
/// stars. For machines (CSV, JSON) the rows are streamed, each part of the branches rated
/// as it is written: a province's ratings are never all held.
pub fn report(rated: &Rated, format: Format, lang: Lang) -> Report<'_> {
    let human = human(format);
    let ws = &rated.ws;
    let title = msg_in!(
        lang,
        "{} — ratings {}",
        "{} {}年度星级评定结果",
        ws.config.name,
        rated.data.year
    );
    let mut rep = Report::new(title, COLUMNS.to_vec());
    let mut by_domain: BTreeMap<Domain, [i64; 6]> = BTreeMap::new();
    let mut by_status: BTreeMap<Status, i64> = BTreeMap::new();
    // Branches that missed a bottom line, whether or not it set the star.
    let mut bottom_missed = 0i64;
    let mut five = Report::new(
        lang.t("Five-star branches", "五星级党支部"),
        vec![
            COLUMNS[0].clone(),
            COLUMNS[1].clone(),
            COLUMNS[2].clone(),
            COLUMNS[6].clone(),
        ],
    );
    if !summaries(format) {
        // For machines, rows are written as they are made.
        let rater = YearRater::new(&rated.ws, &rated.data);
        rep.stream = Some(RowStream::over(
            rated.ws.branches.len(),
            PART,
            move |range, f| {
                let mut done = Ok(());
                rater.rate_range(range, |b, r| {
                    if let (Ok(()), Some(row)) = (&done, row(rated, b, &r, false)) {
                        done = f(&row);
                    }
                });
                done
            },
        ));
        return rep;
    }
    // A workbook's rows are made as they are written (its main sheet is not held either,
    // see render::xlsx): only the summaries are counted here, as the branches are rated.
    let stream_rows = format == Format::Xlsx;
    let mut count = |b: usize, r: &crate::rate::Rating| {
        let Some(branch) = ws.branches.get(b) else {
            return;
        };
        if let Some(c) = by_domain
            .entry(branch.domain)
            .or_default()
            .get_mut(usize::from(r.star))
        {
            *c += 1;
        }
        *by_status.entry(r.status).or_default() += 1;
        if r.caps.iter().any(|c| matches!(c, Cap::BottomLine { .. })) {
            bottom_missed += 1;
        }
        if stream_rows && r.star != 5 {
            return;
        }
        let Some(values) = row(rated, b, r, human) else {
            return;
        };
        if r.star == 5 {
            five.rows.push(vec![
                values[0].clone(),
                values[1].clone(),
                values[2].clone(),
                Value::Dec(r.score),
            ]);
        }
        if !stream_rows {
            rep.rows.push(values.into());
        }
    };
    // The quota's summary, of the ratings counted (not held for a workbook: the rater's).
    let mut quota_extra = None;
    if stream_rows {
        let rater = YearRater::new(&rated.ws, &rated.data);
        rater.rate_range(0..ws.branches.len(), |b, r| count(b, &r));
        quota_extra = rater.quota().map(|cut| quota_summary(cut, lang));
        rep.stream = Some(RowStream::over(
            rated.ws.branches.len(),
            PART,
            move |range, f| {
                let mut done = Ok(());
                rater.rate_range(range, |b, r| {
                    if let (Ok(()), Some(row)) = (&done, row(rated, b, &r, false)) {
                        done = f(&row);
                    }
                });
                done
            },
        ));
    } else {
        for (b, r) in &rated.ratings {
            count(*b, r);
        }
    }
    {
        let mut summary = Report::new(
            lang.t("Stars by domain", "各领域星级分布"),
            [Column::new("domain", "Domain", "领域")]
                .into_iter()
                .chain(STAR_COLUMNS)
                .chain([Column::new("total", "Total", "合计")])
                .collect(),
        );
        let mut totals = [0i64; 6];
        for (d, counts) in &by_domain {
            let mut row = vec![Value::text(lang.t(d.as_str(), d.zh()))];
            for s in (0..6).rev() {
                let n = counts.get(s).copied().unwrap_or(0);
                if let Some(t) = totals.get_mut(s) {
                    *t += n;
                }
                row.push(Value::Int(n));
            }
            row.push(Value::Int(counts.iter().sum()));
            summary.rows.push(row);
        }
        // A workbook draws the domains' bars, the total row left out: a stack per domain,
        // a segment per star.
        summary.chart = Some(ChartSpec {
            kind: ChartKind::StackedBar,
            title: summary.title.clone(),
            category: 0,
            values: (1..=6).collect(),
            rows: Some(summary.rows.len()),
        });
        let mut row = vec![Value::text(lang.t("all", "合计"))];
        row.extend(totals.iter().rev().map(|n| Value::Int(*n)));
        row.push(Value::Int(totals.iter().sum()));
        summary.rows.push(row);
        rep.extras.push(summary);
        rep.extras.push(five);
        // Statuses only local rules give are counted where the standards have those rules.
        let local = ws.standards.has_floors() || ws.standards.quota.is_some();
        let parts: Vec<String> = Status::ALL
            .iter()
            .filter(|s| !s.is_local() || local)
            .map(|s| {
                format!(
                    "{} {}",
                    lang.t(s.as_str(), s.zh()),
                    by_status.get(s).copied().unwrap_or(0)
                )
            })
            .collect();
        rep.notes.push(format!(
            "{}: {}",
            lang.t("Statuses", "状态"),
            parts.join(", ")
        ));
        let set = by_status.get(&Status::BottomLine).copied().unwrap_or(0);
        let s = if bottom_missed == 1 { "" } else { "es" };
        rep.notes.push(msg_in!(
            lang,
            "Bottom lines missed: {bottom_missed} branch{s} ({set} set the star).",
            "未达底线：{bottom_missed} 个支部（其中 {set} 个因此封顶）。"
        ));
        // From the ratings made: the year is not rated again.
        if let Some(quota) = &ws.standards.quota {
            rep.extras.push(quota_extra.unwrap_or_else(|| {
                let cut = crate::rate::QuotaCut::of_ratings(ws, quota, &rated.ratings);
                quota_summary(&cut, lang)
            }));
        }
    }
    rep
}

/// The five-star quota, group by group: rated branches, the limit, approved, kept.
fn quota_summary(cut: &crate::rate::QuotaCut, lang: Lang) -> Report<'static> {
    let five = crate::decimal::fmt_plain(cut.quota.five);
    let per = cut.quota.per.as_str();
    let mut rep = Report::new(
        msg_in!(
            lang,
            "Five-star quota ({five} per {per})",
            "五星名额（比例 {five}，按 {per} 分组）"
        ),
        vec![
            Column::new("group", "Group", "分组"),
            Column::new("rated", "Rated", "参评支部"),
            Column::new("limit", "Quota", "五星名额"),
            Column::new("approved", "Approved", "审核通过"),
            Column::new("kept", "Five stars kept", "保留五星"),
        ],
    );
    for g in cut.groups.values() {
        let group = if g.key.is_empty() {
            lang.t("all", "全部").to_string()
        } else {
            g.key.clone()
        };
        rep.rows.push(vec![
            Value::Text(group.into()),
            Value::Int(i64::try_from(g.n).unwrap_or(i64::MAX)),
            Value::Int(i64::try_from(g.limit).unwrap_or(i64::MAX)),
            Value::Int(i64::try_from(g.approved.len()).unwrap_or(i64::MAX)),
            Value::Int(i64::try_from(g.kept()).unwrap_or(i64::MAX)),
        ]);
    }
    rep
}
