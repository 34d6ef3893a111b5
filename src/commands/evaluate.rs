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
use crate::standard::{Domain, Standard};
use std::collections::BTreeMap;

/// How many columns a rating has (SPEC.md's and the gap's).
const WIDTH: usize = 13;

/// The most a row has: the themes' two columns and the records' three after the others.
const WIDEST: usize = WIDTH + 2 + 3;

/// How many it has when a standard rates by themes: the themes earned and the theme of the
/// gap after the others (a workspace without themes keeps its columns, byte for byte).
const WIDTH_THEMES: usize = WIDTH + 2;

/// The columns of stars by theme (SPEC.md "Stars by theme"): the ids of the themes earned
/// (`;`-joined; names for people and in workbooks), and the theme the gap is of.
pub const THEME_COLUMNS: [Column; WIDTH_THEMES - WIDTH] = [
    Column::new("themes", "Themes earned", "所获主题星"),
    Column::new("gap_theme", "Gap theme", "差距主题"),
];

/// The columns a year with decisions of the committee adds (the records of the year): the
/// star the rules gave beside the decided one, and the decision's reason and document.
/// Only such a year has them: the ratings of any other are as they always were.
pub const RECORD_COLUMNS: [Column; 3] = [
    Column::new("rules_star", "Star by the rules", "按规则评定星级"),
    Column::new("decision", "Decision", "复核决定理由"),
    Column::new("document", "Document", "决定文号"),
];

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
    let decided = with_decisions(ctx, &rated.ws, rated.data.year);
    let rep = report(&rated, ctx.format, ctx.lang, decided);
    let out = ctx.emit_report(&rep);
    crate::timing::mark("output");
    drop(rep);
    ctx.leak(rated);
    out
}

/// Whether the ratings of `year` have the decision columns: the year has a decisions file
/// — in any member of the county, for a county's member (run with the county or on its
/// own), so that every town's rows have the same columns as the county's.
pub fn with_decisions(ctx: &Ctx, ws: &crate::workspace::Workspace, year: i32) -> bool {
    if let Some(county) = ctx.member.as_ref().and_then(|m| m.county()) {
        return county.any_decisions(year);
    }
    let listing = ws.listing(year);
    let mut decisions = listing.of_kind(crate::workspace::files::Kind::Decisions);
    if decisions.next().is_some() {
        return true;
    }
    // A member run on its own: its county's members, listed (a problem of the county's
    // is its own run's to tell, not this one's).
    let enclosing = crate::workspace::county::enclosing(&ws.dir);
    enclosing
        .and_then(|c| crate::workspace::County::load(&c.dir, &c.shown, &mut Default::default()))
        .is_some_and(|c| c.any_decisions(year))
}

/// Which optional columns a year's rows have, after SPEC.md's and the gap's: the themes'
/// when a standard rates by themes, then the records' when the year has decisions.
#[derive(Debug, Clone, Copy)]
struct Layout {
    themes: bool,
    decided: bool,
}

impl Layout {
    fn of(rated: &Rated, decided: bool) -> Layout {
        Layout {
            themes: rated.ws.standards.has_themes(),
            decided,
        }
    }

    /// How many of a row's values are written.
    fn width(self) -> usize {
        WIDTH + 2 * usize::from(self.themes) + 3 * usize::from(self.decided)
    }

    fn columns(self) -> Vec<Column> {
        let themes = THEME_COLUMNS.into_iter().filter(|_| self.themes);
        let records = RECORD_COLUMNS.into_iter().filter(|_| self.decided);
        COLUMNS.into_iter().chain(themes).chain(records).collect()
    }
}

/// One branch's row: for people (`human`) with stars; codes are shown in the language's
/// terms by the renderer; the theme cells as `themes` makes them (see [`ThemeTexts`]); the
/// optional columns as `layout` has them, packed after the others (the rest left blank,
/// past the layout's width). (An array: a province's rows are streamed without an
/// allocation each.)
fn row<'a, 't>(
    rated: &'a Rated,
    layout: Layout,
    themes: impl FnOnce(&'a Standard, &crate::rate::Rating, Option<u8>) -> [Value<'t>; 2],
    b: usize,
    r: &crate::rate::Rating,
    human: bool,
) -> Option<[Value<'t>; WIDEST]>
where
    'a: 't,
{
    let branch = rated.ws.branches.get(b)?;
    let std = rated.ws.standards.get(branch.domain)?;
    let g = gap(r, std, |k| rated.data.scores.theme_sum(b, k));
    let [earned, gap_theme] = themes(std, r, g.as_ref().and_then(|g| g.theme));
    let decision = r.ruled.and_then(|_| rated.data.records.decision_of(b));
    let (star, score_star) = if human {
        (
            Value::text(star_marks(r.star)),
            Value::text(star_marks(r.score_star)),
        )
    } else {
        (Value::Int(r.star.into()), Value::Int(r.score_star.into()))
    };
    let mut values = [
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
        earned,
        gap_theme,
        match (r.ruled, human) {
            (Some((s, _)), true) => Value::text(star_marks(s)),
            (Some((s, _)), false) => Value::Int(s.into()),
            (None, _) => Value::Null,
        },
        decision.map_or(Value::Null, |x| Value::text(&*x.reason)),
        decision
            .filter(|x| !x.document.is_empty())
            .map_or(Value::Null, |x| Value::text(&*x.document)),
    ];
    if !layout.themes {
        // The records' columns take the themes' places.
        values.get_mut(WIDTH..)?.rotate_left(2);
    }
    Some(values)
}

/// How the theme cells of the rows are written: by id (`;`-joined) for machines, by name in
/// a language for tables and workbooks. Every set of themes a standard's branch can earn is
/// written once, so that a row borrows its text.
struct ThemeTexts {
    names: Option<Lang>,
    /// By `domain as usize`: the text of each set of themes earned (bit k: theme k).
    earned: [Vec<String>; Domain::ALL.len()],
}

impl ThemeTexts {
    fn new(rated: &Rated, names: Option<Lang>) -> ThemeTexts {
        let earned = Domain::ALL.map(|d| {
            let Some(std) = rated.ws.standards.get(d).filter(|s| s.by_themes()) else {
                return Vec::new();
            };
            (0..1u16 << std.themes.len())
                .map(|set| {
                    let m = crate::themes::ThemeMarks::of_earned(u8::try_from(set).unwrap_or(0));
                    match names {
                        None => m.earned_ids(std, ";"),
                        Some(lang) => m.earned_names(std, lang.t(", ", "、"), |t| {
                            lang.t(&t.name, &t.name_zh)
                        }),
                    }
                })
                .collect()
        });
        ThemeTexts { names, earned }
    }

    /// The themes earned and the gap's theme; blank for a standard rating by score.
    fn cells<'a>(
        &'a self,
        std: &'a Standard,
        r: &crate::rate::Rating,
        gap_theme: Option<u8>,
    ) -> [Value<'a>; 2] {
        let Some(m) = &r.themes else {
            return [Value::Null, Value::Null];
        };
        let sets = self.earned.get(std.domain as usize);
        let earned = sets.and_then(|s| s.get(usize::from(m.earned)));
        let theme = gap_theme.and_then(|k| std.themes.get(usize::from(k)));
        let theme = theme.map(|t| match self.names {
            None => t.id.as_str(),
            Some(lang) => lang.t(&t.name, &t.name_zh),
        });
        [
            Value::text(earned.map_or("", String::as_str)),
            Value::opt_text(theme),
        ]
    }
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
pub fn report(rated: &Rated, format: Format, lang: Lang, decided: bool) -> Report<'_> {
    let title = msg_in!(
        lang,
        "{} — ratings {}",
        "{} {}年度星级评定结果",
        rated.ws.config.name,
        rated.data.year
    );
    let layout = Layout::of(rated, decided);
    let mut rep = Report::new(title, layout.columns());
    if !summaries(format) {
        // For machines, rows are written as they are made.
        let rater = YearRater::new(&rated.ws, &rated.data);
        rep.stream = Some(streamed_rows(
            rated,
            layout,
            rater,
            ThemeTexts::new(rated, None),
        ));
        return rep;
    }
    with_summaries(rep, rated, layout, format, lang)
}

/// The ratings for people and workbooks (see [`report`]): the summaries counted as the
/// branches are rated, the rows held for people and streamed for a workbook.
fn with_summaries<'a>(
    mut rep: Report<'a>,
    rated: &'a Rated,
    layout: Layout,
    format: Format,
    lang: Lang,
) -> Report<'a> {
    let human = human(format);
    let ws = &rated.ws;
    let width = layout.width();
    let names = (human || format == Format::Xlsx).then_some(lang);
    let themes = ThemeTexts::new(rated, names);
    // The rows held for people own their theme cells (a few words each).
    let owned = |s: &Standard, r: &crate::rate::Rating, t: Option<u8>| {
        themes.cells(s, r, t).map(|v| v.to_owned_value())
    };
    let mut counted = Counted::default();
    let mut five = Report::new(
        lang.t("Five-star branches", "五星级党支部"),
        [0, 1, 2, 6].map(|k| COLUMNS[k].clone()).to_vec(),
    );
    // A workbook's rows are made as they are written (its main sheet is not held either,
    // see render::xlsx): only the summaries are counted here, as the branches are rated.
    let stream_rows = format == Format::Xlsx;
    let mut count = |b: usize, r: &crate::rate::Rating| {
        counted.add(ws, b, r);
        if stream_rows && r.star != 5 {
            return;
        }
        let Some(values) = row(rated, layout, owned, b, r, human) else {
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
            rep.rows.push(values.into_iter().take(width).collect());
        }
    };
    // The quota's summary, of the ratings counted (not held for a workbook: the rater's).
    let mut quota_extra = None;
    if stream_rows {
        let rater = YearRater::new(&rated.ws, &rated.data);
        rater.rate_range(0..ws.branches.len(), |b, r| count(b, &r));
        quota_extra = rater.quota().map(|cut| quota_summary(cut, lang));
        let themes = ThemeTexts::new(rated, names);
        rep.stream = Some(streamed_rows(rated, layout, rater, themes));
    } else {
        for (b, r) in &rated.ratings {
            count(*b, r);
        }
    }
    add_summaries(&mut rep, rated, &counted, five, quota_extra, lang);
    rep
}

/// The summaries after the ratings (tables and notes), in their order: stars by domain,
/// the five-star branches, the quota's, the themes earned.
fn add_summaries<'a>(
    rep: &mut Report<'a>,
    rated: &'a Rated,
    counted: &Counted,
    five: Report<'a>,
    quota_extra: Option<Report<'static>>,
    lang: Lang,
) {
    let ws = &rated.ws;
    rep.extras.push(domain_summary(&counted.by_domain, lang));
    rep.extras.push(five);
    rep.notes.extend(counted.notes(rated, lang));
    // From the ratings made: the year is not rated again.
    if let Some(quota) = &ws.standards.quota {
        rep.extras.push(quota_extra.unwrap_or_else(|| {
            let cut = crate::rate::QuotaCut::of_ratings(ws, quota, &rated.ratings);
            quota_summary(&cut, lang)
        }));
    }
    // Last: the tables before it keep their places (a county lines its members' up).
    if ws.standards.has_themes() {
        rep.extras.push(themes_summary(rated, &counted.tally, lang));
    }
}

/// The rows of every branch as they are written, each part of the branches rated then,
/// for machines and workbooks (numbers for stars).
fn streamed_rows<'a>(
    rated: &'a Rated,
    layout: Layout,
    rater: YearRater<'a>,
    themes: ThemeTexts,
) -> RowStream<'a> {
    let width = layout.width();
    RowStream::over(rated.ws.branches.len(), PART, move |range, f| {
        let mut done = Ok(());
        rater.rate_range(range, |b, r| {
            if let (Ok(()), Some(row)) = (
                &done,
                row(rated, layout, |s, r, t| themes.cells(s, r, t), b, &r, false),
            ) {
                done = f(row.get(..width).unwrap_or_default());
            }
        });
        done
    })
}

/// What the summaries count as the branches are rated.
#[derive(Default)]
struct Counted {
    /// Branches by domain and star.
    by_domain: BTreeMap<Domain, [i64; 6]>,
    by_status: BTreeMap<Status, i64>,
    /// Branches that missed a bottom line, whether or not it set the star.
    bottom_missed: i64,
    /// The themes earned, by domain (stars by theme).
    tally: crate::rate::ThemeTally,
}

impl Counted {
    /// Count branch `b`'s rating.
    fn add(&mut self, ws: &crate::workspace::Workspace, b: usize, r: &crate::rate::Rating) {
        let Some(branch) = ws.branches.get(b) else {
            return;
        };
        if let Some(c) = self
            .by_domain
            .entry(branch.domain)
            .or_default()
            .get_mut(usize::from(r.star))
        {
            *c += 1;
        }
        *self.by_status.entry(r.status).or_default() += 1;
        if r.caps.iter().any(|c| matches!(c, Cap::BottomLine { .. })) {
            self.bottom_missed += 1;
        }
        self.tally.add(ws, b, r);
    }

    /// The notes under the ratings: the count of each status, and of the bottom lines
    /// missed.
    fn notes(&self, rated: &Rated, lang: Lang) -> [String; 2] {
        let ws = &rated.ws;
        // Statuses only local rules give are counted where the standards have those rules,
        // those only records give in a year with records.
        let local = ws.standards.has_floors() || ws.standards.quota.is_some();
        let records = !rated.data.records.is_empty();
        let parts: Vec<String> = Status::ALL
            .iter()
            .filter(|s| (!s.is_local() || local) && (!s.is_record() || records))
            .map(|s| {
                format!(
                    "{} {}",
                    lang.t(s.as_str(), s.zh()),
                    self.by_status.get(s).copied().unwrap_or(0)
                )
            })
            .collect();
        let statuses = format!(
            "{}{}{}",
            lang.t("Statuses", "状态"),
            lang.t(": ", "："),
            parts.join(lang.t(", ", "、"))
        );
        let bottom_missed = self.bottom_missed;
        let set = self
            .by_status
            .get(&Status::BottomLine)
            .copied()
            .unwrap_or(0);
        let s = if bottom_missed == 1 { "" } else { "es" };
        let bottom = msg_in!(
            lang,
            "Bottom lines missed: {bottom_missed} branch{s} ({set} set the star).",
            "未达底线：{bottom_missed} 个支部（其中 {set} 个因此封顶）。"
        );
        [statuses, bottom]
    }
}

/// Stars by domain: a row per domain, a column per star, and a row for all, with a chart.
fn domain_summary(by_domain: &BTreeMap<Domain, [i64; 6]>, lang: Lang) -> Report<'static> {
    let mut summary = Report::new(
        lang.t("Stars by domain", "各领域星级分布"),
        [Column::new("domain", "Domain", "领域")]
            .into_iter()
            .chain(STAR_COLUMNS)
            .chain([Column::new("total", "Total", "合计")])
            .collect(),
    );
    let mut totals = [0i64; 6];
    for (d, counts) in by_domain {
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
    summary
}

/// The branches of each domain rated by themes that earned each theme (SPEC.md "Stars by
/// theme"), with its pass line.
fn themes_summary(rated: &Rated, tally: &crate::rate::ThemeTally, lang: Lang) -> Report<'static> {
    let mut rep = Report::new(
        lang.t("Themes earned by domain", "各领域主题星获得情况"),
        vec![
            Column::new("domain", "Domain", "领域"),
            Column::new("theme", "Theme", "主题星"),
            Column::new("pass", "Pass line", "达标比例"),
            Column::new("earned", "Earned", "获得支部"),
            Column::new("rated", "Rated", "参评支部"),
        ],
    );
    for (d, (n, earned)) in &tally.by_domain {
        let Some(std) = rated.ws.standards.get(*d) else {
            continue;
        };
        for (t, e) in std.themes.iter().zip(earned) {
            let required = if t.required {
                lang.t(" (required)", "（必备）")
            } else {
                ""
            };
            let name = lang.t(&t.name, &t.name_zh);
            let pass = crate::decimal::fmt_plain(t.pass * rust_decimal::Decimal::ONE_HUNDRED);
            rep.rows.push(vec![
                Value::text(lang.t(d.as_str(), d.zh())),
                Value::text(format!("{} {name}{required}", t.id)),
                Value::text(format!("{pass}%")),
                Value::Int(i64::try_from(*e).unwrap_or(i64::MAX)),
                Value::Int(i64::try_from(*n).unwrap_or(i64::MAX)),
            ]);
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
