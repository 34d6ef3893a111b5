//! The committee report ([`Committee`]) for people and scripts: its sections — headings,
//! figures, charts, tables and notes in the chosen language — made once here, then
//! printed as one HTML page ([`html`]), or written as a workbook whose sheets are the same
//! tables ([`workbook`]); and the value itself as JSON ([`json`]).
//!
//! A county's report is a town's with its towns beside: a table and a chart by town, and a
//! `town` column on every list of branches.

mod json;

pub use json::json;

use super::html::Page;
use super::{svg, ChartKind, ChartSpec, Code, Column, Report, Value};
use crate::committee::{BranchRow, Committee, Scores, BIN};
use crate::decimal::{fmt2, fmt_plain};
use crate::i18n::{msg_in, Lang};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// The most rows of the chart of items by source; the rest are counted in a note.
const MOST_SOURCES: usize = 20;

/// One section of the report.
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub parts: Vec<Part>,
}

/// What a section holds, in order.
pub enum Part {
    /// Big figures in boxes: label and value.
    Figures(Vec<(String, Value<'static>)>),
    /// A chart drawn for the page (the workbook draws its own from a table).
    Chart(String),
    /// A heading on the page over what follows (a chart and its table).
    Heading(String),
    /// A table: on the page under its title (a heading) unless `untitled`, and on a sheet
    /// of the workbook; `page`: whether the page shows it (the histogram's bins are drawn,
    /// not listed).
    Table {
        table: Box<Report<'static>>,
        untitled: bool,
        page: bool,
        empty: String,
    },
    /// A note under a chart or a table: on the page; in the workbook too when `kept`.
    Note { text: String, kept: bool },
}

/// The report's title.
pub fn title(c: &Committee, lang: Lang) -> String {
    let (place, year) = (&c.place, c.year);
    match c.county {
        true => msg_in!(
            lang,
            "{place} — star rating of party branches {year}, town by town: report to the committee",
            "{place}{year}年度星级党支部评定情况报告（分镇街）"
        ),
        false => msg_in!(
            lang,
            "{place} — star rating of party branches {year}: report to the committee",
            "{place}{year}年度星级党支部评定情况报告"
        ),
    }
}

/// A star in words: `5★` / `五星`, 0 as not rated.
pub fn star_name(star: u8, lang: Lang) -> String {
    const ZH: [&str; 6] = ["不评星", "一星", "二星", "三星", "四星", "五星"];
    match (star, ZH.get(usize::from(star))) {
        (0, Some(zh)) => lang.t("Not rated (0)", zh).to_string(),
        (s, Some(zh)) => msg_in!(lang, "{s}★", "{zh}"),
        (s, None) => msg_in!(lang, "{s}★", "{s}星"),
    }
}

/// A column whose headers are made at run time.
fn col(key: impl Into<String>, header: impl Into<String>) -> Column {
    let header: String = header.into();
    Column {
        key: Cow::Owned(key.into()),
        en: Cow::Owned(header.clone()),
        zh: Cow::Owned(header),
    }
}

fn int(n: u64) -> Value<'static> {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A share in percent, or blank.
fn pct(d: Option<Decimal>) -> Value<'static> {
    d.map_or(Value::Null, Value::Dec)
}

fn text(s: impl Into<String>) -> Value<'static> {
    Value::Text(Cow::Owned(s.into()))
}

const TOWN: Column = Column::new("town", "Town", "镇（街道）");
const BRANCH: Column = Column::new("branch", "Branch", "支部编号");
const NAME: Column = Column::new("name", "Name", "支部名称");
const DOMAIN: Column = Column::new("domain", "Domain", "领域");

/// The columns naming a listed branch: its town in a county's report, its id and name.
fn branch_columns(c: &Committee) -> Vec<Column> {
    let mut cols = Vec::new();
    if c.county {
        cols.push(TOWN);
    }
    cols.extend([BRANCH, NAME]);
    cols
}

fn branch_cells(c: &Committee, b: &BranchRow) -> Vec<Value<'static>> {
    let mut row = Vec::new();
    if c.county {
        row.push(text(c.town_of(b)));
    }
    row.extend([text(b.id.clone()), text(b.name.clone())]);
    row
}

/// A table part, titled on the page.
fn table(t: Report<'static>, empty: &str) -> Part {
    Part::Table {
        table: Box::new(t),
        untitled: false,
        page: true,
        empty: empty.to_string(),
    }
}

/// The stars' columns, five to none, named in `lang`.
fn star_columns(lang: Lang) -> Vec<Column> {
    (0..=5u8)
        .rev()
        .map(|s| col(format!("star_{s}"), star_name(s, lang)))
        .collect()
}

fn star_cells(counts: &[u64; 6]) -> impl Iterator<Item = Value<'static>> + '_ {
    (0..6)
        .rev()
        .map(|s| int(counts.get(s).copied().unwrap_or(0)))
}

/// Every section of the report, in order.
pub fn sections(c: &Committee, lang: Lang) -> Vec<Section> {
    let mut out = vec![
        overview(c, lang),
        domains(c, lang),
        scores(c, lang),
        years(c, lang),
        rectification(c, lang),
        followup(c, lang),
    ];
    if c.records.is_some() {
        out.push(records(c, lang));
    }
    if c.county {
        out.push(five_by_town(c, lang));
    }
    out
}

/// The towns in the figures (a county's, less those left out).
fn towns_counted(c: &Committee) -> u64 {
    let n = c.towns.iter().filter(|t| t.left_out.is_none()).count();
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// 1. Headline figures: the figures, the branches by star, the five-star list (a town's)
///    or the stars by town (a county's).
fn overview(c: &Committee, lang: Lang) -> Section {
    let total: u64 = c.stars.iter().sum();
    let mut parts = vec![Part::Figures(figures(c, lang))];
    let mut by_star = Report::new(
        lang.t("Branches by star", "各星级支部数"),
        vec![
            Column::new("star", "Star", "星级"),
            Column::new("branches", "Branches", "支部数"),
            Column::new("share", "Share (%)", "占比（%）"),
        ],
    );
    for s in (0..=5u8).rev() {
        let n = c.stars.get(usize::from(s)).copied().unwrap_or(0);
        by_star.rows.push(vec![
            text(star_name(s, lang)),
            int(n),
            pct(crate::committee::share(n, total)),
        ]);
    }
    parts.push(Part::Table {
        table: Box::new(by_star),
        untitled: true,
        page: true,
        empty: String::new(),
    });
    if c.county {
        parts.extend(by_town(c, lang));
    } else {
        parts.push(table(
            five_star(c, lang),
            lang.t("No five-star branch this year.", "本年度没有五星级党支部。"),
        ));
    }
    Section {
        id: "overview",
        heading: lang.t("Headline figures", "总体情况").to_string(),
        parts,
    }
}

/// The headline figures in their boxes.
fn figures(c: &Committee, lang: Lang) -> Vec<(String, Value<'static>)> {
    let total: u64 = c.stars.iter().sum();
    let mut figures = Vec::new();
    let mut fig = |en: &str, zh: &str, v: Value<'static>| {
        figures.push((lang.t(en, zh).to_string(), v));
    };
    if c.county {
        fig("Towns", "镇（街道）", int(towns_counted(c)));
    }
    fig("Branches rated", "参评支部", int(total));
    if c.county {
        fig("Five-star branches", "五星级党支部", int(c.stars[5]));
        fig("Five-star share (%)", "五星占比（%）", pct(c.five_share()));
    }
    if c.last_year.is_some() {
        fig(
            "Stars up since last year",
            "星级较上年上升",
            int(c.moved[0]),
        );
        fig(
            "Stars down since last year",
            "星级较上年下降",
            int(c.moved[1]),
        );
    }
    fig("Plaques up", "星级牌升星", int(c.plaques[0]));
    fig("Plaques down", "星级牌降星", int(c.plaques[1]));
    if c.county {
        fig(
            "Open rectification items",
            "未完成整改事项",
            int(c.open_items),
        );
    }
    figures
}

/// A county's stars by town: a chart and its table (the towns left out marked, with why).
fn by_town(c: &Committee, lang: Lang) -> Vec<Part> {
    let series: Vec<String> = (0..=5u8).rev().map(|s| star_name(s, lang)).collect();
    let counted = c.towns.iter().filter(|t| t.left_out.is_none());
    let rows: Vec<(String, Vec<u64>)> = counted
        .map(|t| (t.name.clone(), (0..6).rev().map(|s| t.stars[s]).collect()))
        .collect();
    let chart = svg::stacked_bars(
        lang.t("Branches by star, by town", "各镇（街道）各星级支部数"),
        &series,
        &rows,
    );
    let mut columns = vec![TOWN, Column::new("branches", "Branches", "支部数")];
    columns.extend(star_columns(lang));
    columns.push(Column::new("five_share", "5★ share (%)", "五星占比（%）"));
    let left_out = c.towns.iter().any(|t| t.left_out.is_some());
    if left_out {
        columns.push(Column::new("left_out", "Left out", "未计入原因"));
    }
    let mut t = Report::new(lang.t("Stars by town", "各镇（街道）星级分布"), columns);
    for town in &c.towns {
        let n: u64 = town.stars.iter().sum();
        let mut row = vec![text(town.name.clone()), int(n)];
        match &town.left_out {
            None => {
                row.extend(star_cells(&town.stars));
                row.push(pct(crate::committee::share(town.stars[5], n)));
            }
            Some(_) => row.extend(std::iter::repeat_n(Value::Null, 7)),
        }
        if left_out {
            row.push(town.left_out.clone().map_or(Value::Null, text));
        }
        t.rows.push(row);
    }
    t.chart = Some(ChartSpec {
        kind: ChartKind::StackedBar,
        title: t.title.clone(),
        category: 0,
        values: (2..=7).collect(),
        rows: None,
    });
    vec![
        Part::Heading(t.title.clone()),
        Part::Chart(chart),
        Part::Table {
            table: Box::new(t),
            untitled: true,
            page: true,
            empty: lang.t("No town.", "没有镇（街道）。").to_string(),
        },
    ]
}

/// The five-star branches.
fn five_star(c: &Committee, lang: Lang) -> Report<'static> {
    let mut columns = branch_columns(c);
    columns.extend([DOMAIN, Column::new("score", "Score", "总分")]);
    let title = match c.county {
        true => lang.t("Five-star branches by town", "各镇（街道）五星级党支部"),
        false => lang.t("Five-star branches", "五星级党支部"),
    };
    let mut t = Report::new(title, columns);
    for (b, score) in &c.five_star {
        let mut row = branch_cells(c, b);
        row.extend([
            Value::code(Code::Domain, b.domain.as_str()),
            Value::Dec(*score),
        ]);
        t.rows.push(row);
    }
    t
}

/// A county's last section: the five-star branches of each town.
fn five_by_town(c: &Committee, lang: Lang) -> Section {
    let t = five_star(c, lang);
    Section {
        id: "five",
        heading: t.title.clone(),
        parts: vec![Part::Table {
            table: Box::new(t),
            untitled: true,
            page: true,
            empty: lang
                .t("No five-star branch.", "没有五星级党支部。")
                .to_string(),
        }],
    }
}

/// 2. Stars by domain (a chart and its table), and the themes earned by domain.
fn domains(c: &Committee, lang: Lang) -> Section {
    let series: Vec<String> = (0..=5u8).rev().map(|s| star_name(s, lang)).collect();
    let name = |d: crate::standard::Domain| lang.t(d.as_str(), d.zh()).to_string();
    let rows: Vec<(String, Vec<u64>)> = (c.by_domain.iter())
        .map(|(d, n)| (name(*d), (0..6).rev().map(|s| n[s]).collect()))
        .collect();
    let heading = lang.t("Stars by domain", "各领域星级分布");
    let mut parts = vec![Part::Chart(svg::stacked_bars(heading, &series, &rows))];
    let mut columns = vec![DOMAIN];
    columns.extend(star_columns(lang));
    columns.push(Column::new("total", "Total", "合计"));
    let mut t = Report::new(heading, columns);
    for (d, n) in &c.by_domain {
        let mut row = vec![Value::code(Code::Domain, d.as_str())];
        row.extend(star_cells(n));
        row.push(int(n.iter().sum()));
        t.rows.push(row);
    }
    t.chart = Some(ChartSpec {
        kind: ChartKind::StackedBar,
        title: t.title.clone(),
        category: 0,
        values: (1..=6).collect(),
        rows: None,
    });
    parts.push(Part::Table {
        table: Box::new(t),
        untitled: true,
        page: true,
        empty: String::new(),
    });
    parts.push(Part::Note {
        text: lang.t(
            "Each bar is a domain's branches, from five stars (black) to not rated (white); the number in a part is its branches, after the bar their total.",
            "每一条为一个领域的支部，从五星（黑色）到不评星（白色）；色块中的数字为该星级的支部数，条末为合计。",
        ).to_string(),
        kept: false,
    });
    if !c.themes.is_empty() {
        parts.extend(themes(c, lang));
    }
    Section {
        id: "domains",
        heading: heading.to_string(),
        parts,
    }
}

/// The themes earned by domain (SPEC.md "Stars by theme"): a row per domain whose standard
/// rates by themes; for each theme the branches that earned it and their share of the
/// domain's rated branches.
fn themes(c: &Committee, lang: Lang) -> Vec<Part> {
    let mut columns = vec![DOMAIN, Column::new("rated", "Rated", "参评支部")];
    for t in &c.themes {
        let required = if t.required {
            lang.t(" (required)", "（必备）")
        } else {
            ""
        };
        let pass = fmt_plain(t.pass * Decimal::ONE_HUNDRED);
        let name = lang.t(&t.name, &t.name_zh);
        columns.push(col(
            t.id.clone(),
            format!("{} {name}{required} ≥ {pass}%", t.id),
        ));
        columns.push(col(
            format!("{}_share", t.id),
            lang.t("Share (%)", "占比（%）"),
        ));
    }
    let mut earned = Report::new(
        lang.t("Themes earned by domain", "各领域主题星获得情况"),
        columns,
    );
    for (d, row) in &c.themes_by_domain {
        let mut cells = vec![Value::code(Code::Domain, d.as_str()), int(row.rated)];
        for e in &row.earned {
            cells.push(e.map_or(Value::Null, int));
            cells.push(e.map_or(Value::Null, |e| pct(crate::committee::share(e, row.rated))));
        }
        earned.rows.push(cells);
    }
    let note = lang.t(
        "Where a standard rates by themes, a branch earns a star for each theme whose indicators reach its pass line (the share of their points), and none when a required theme is missed. A theme's column: the branches that earned it, then their share of the rated.",
        "按主题评星的领域，主题所含指标得分达到该主题分值的达标比例即获得该主题星，每获得一个主题星计一星；必备主题未获得的不评星。表中为获得该主题星的支部数及其占参评支部的比例。",
    );
    vec![
        table(
            earned,
            lang.t(
                "No branch rated by themes this year.",
                "本年度没有按主题评星的支部。",
            ),
        ),
        Part::Note {
            text: note.to_string(),
            kept: false,
        },
    ]
}

/// The histogram's axis: its first point and its bins, from the lowest score or threshold
/// to the highest, in whole bins of points, at most 40 bins (scores are at least 0).
fn axis(s: &Scores) -> (i64, usize) {
    let whole = |d: Decimal| i64::try_from(d.floor().max(Decimal::ZERO)).unwrap_or(0);
    let points = (s.bins.keys().copied()).chain(s.thresholds.iter().map(|(_, t)| whole(*t)));
    let (lo, hi) = points.fold((i64::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let from = ((lo.min(hi) - BIN).max(0) / (2 * BIN)) * 2 * BIN;
    let bins = usize::try_from(((hi - from) / BIN + 1).clamp(4, 40)).unwrap_or(4);
    (from, bins)
}

/// The branches in each bin of the axis (those past its end in the last).
fn binned(s: &Scores, from: i64, bins: usize) -> Vec<u64> {
    let mut counts = vec![0u64; bins];
    for (lo, n) in &s.bins {
        let k = usize::try_from((lo - from).max(0) / BIN).unwrap_or(0);
        if let Some(c) = counts.get_mut(k.min(bins.saturating_sub(1))) {
            *c += n;
        }
    }
    counts
}

/// 3. The score distribution: a histogram with the star thresholds, and the mean.
fn scores(c: &Committee, lang: Lang) -> Section {
    let (from, bins) = axis(&c.scores);
    let counts = binned(&c.scores, from, bins);
    let cents = |d: Decimal| i64::try_from((d * Decimal::ONE_HUNDRED).round()).unwrap_or(0);
    let marks: Vec<svg::Mark> = (c.scores.thresholds.iter())
        .map(|(s, t)| svg::Mark {
            at_cents: cents(*t),
            label: format!("{} {}", star_name(*s, lang), fmt_plain(*t)),
        })
        .collect();
    let heading = lang.t("Score distribution", "得分分布");
    let chart = svg::histogram(heading, from, BIN, &counts, &marks);
    let mut t = Report::new(
        heading,
        vec![
            Column::new("from", "From", "分数下限"),
            Column::new("below", "Below", "分数上限（不含）"),
            Column::new("branches", "Branches", "支部数"),
        ],
    );
    for (k, n) in counts.iter().enumerate() {
        let lo = from + BIN * i64::try_from(k).unwrap_or(0);
        t.rows
            .push(vec![Value::Int(lo), Value::Int(lo + BIN), int(*n)]);
    }
    t.chart = Some(ChartSpec {
        kind: ChartKind::Column,
        title: t.title.clone(),
        category: 0,
        values: vec![2],
        rows: None,
    });
    let mean = fmt2(c.scores.mean());
    let lines: Vec<String> = (c.scores.thresholds.iter())
        .map(|(s, t)| format!("{} ≥ {}", star_name(*s, lang), fmt_plain(*t)))
        .collect();
    let lines = lines.join(lang.t(", ", "，"));
    let parts = vec![
        Part::Chart(chart),
        Part::Table {
            table: Box::new(t),
            untitled: true,
            page: false,
            empty: String::new(),
        },
        Part::Note {
            text: msg_in!(
                lang,
                "Branches by final score F in bins of {BIN} points (the last bin holds every higher score); the dashed lines are the star thresholds of the standards in use ({lines}). Mean score {mean}.",
                "按总分 F 每 {BIN} 分一组统计支部数（最后一组含更高的分数）；虚线为所用标准的星级分数线（{lines}）。平均分 {mean}。"
            ),
            kept: true,
        },
    ];
    Section {
        id: "scores",
        heading: heading.to_string(),
        parts,
    }
}

/// 4. Year over year: last year's stars against this year's, the plaques up and down with
///    their reasons (and, in a county, the plaques and open items by town).
fn years(c: &Committee, lang: Lang) -> Section {
    let (year, last) = (c.year, c.year - 1);
    let mut parts = Vec::new();
    match c.last_year {
        Some(_) => parts.push(table(transitions(c, lang), "")),
        None => parts.push(Part::Note {
            text: msg_in!(
                lang,
                "{last} is not in this workspace: no comparison.",
                "本工作区没有{last}年度的数据，无法比较。"
            ),
            kept: true,
        }),
    }
    for (change, en, zh) in [
        (
            crate::followup::adjust::Change::Up,
            "Plaques up",
            "星级牌升星名单",
        ),
        (
            crate::followup::adjust::Change::Down,
            "Plaques down",
            "星级牌降星名单",
        ),
    ] {
        let mut columns = branch_columns(c);
        columns.extend([
            Column::new("plaque", "Plaque", "原星级牌"),
            Column::new("next", "Next plaque", "新星级牌"),
            Column::new("reason", "Reason", "原因"),
        ]);
        let mut t = Report::new(lang.t(en, zh), columns);
        let plaque = |v: Option<u8>| v.map_or(Value::Null, |s| text(star_name(s, lang)));
        for p in c.plaque_changes.iter().filter(|p| p.change == change) {
            let mut row = branch_cells(c, &p.branch);
            row.extend([plaque(p.plaque), plaque(p.next), text(p.reason.clone())]);
            t.rows.push(row);
        }
        parts.push(table(t, lang.t("None.", "无。")));
    }
    if c.county {
        parts.push(table(
            plaques_by_town(c, lang),
            lang.t("No town.", "没有镇（街道）。"),
        ));
    }
    let _ = year;
    Section {
        id: "years",
        heading: lang.t("Year over year", "年度变化").to_string(),
        parts,
    }
}

/// Last year's star (five to none, then not rated) against this year's.
fn transitions(c: &Committee, lang: Lang) -> Report<'static> {
    let (year, last) = (c.year, c.year - 1);
    let mut columns = vec![col("last", format!("{last} \\ {year}"))];
    columns.extend(star_columns(lang));
    columns.push(Column::new("total", "Total", "合计"));
    let mut t = Report::new(
        msg_in!(lang, "Stars {last} → {year}", "{last}年星级 → {year}年星级"),
        columns,
    );
    let keys: Vec<Option<u8>> = (0..=5u8).rev().map(Some).chain([None]).collect();
    for k in keys {
        let counts: Vec<u64> = (0..=5u8)
            .rev()
            .map(|s| c.transitions.get(&(k, s)).copied().unwrap_or(0))
            .collect();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let mut row = vec![text(match k {
            Some(s) => star_name(s, lang),
            None => lang.t("Not rated last year", "上年未参评").to_string(),
        })];
        row.extend(counts.into_iter().map(int));
        row.push(int(total));
        t.rows.push(row);
    }
    t
}

fn plaques_by_town(c: &Committee, lang: Lang) -> Report<'static> {
    let mut t = Report::new(
        lang.t(
            "Plaques and rectification by town",
            "各镇（街道）星级牌调整与整改",
        ),
        vec![
            TOWN,
            Column::new("up", "Up", "升星"),
            Column::new("down", "Down", "降星"),
            Column::new("same", "Kept", "不变"),
            Column::new("open", "Open items", "未完成整改"),
            Column::new("interviews", "Interviews", "约谈"),
        ],
    );
    for town in c.towns.iter().filter(|t| t.left_out.is_none()) {
        t.rows.push(vec![
            text(town.name.clone()),
            int(town.plaques[0]),
            int(town.plaques[1]),
            int(town.plaques[2]),
            int(town.open_items),
            int(town.interviews),
        ]);
    }
    t
}

/// 5. Rectification: this year's items by source (a chart of the most and the table),
///    last year's done and not done, the branches with items not done.
fn rectification(c: &Committee, lang: Lang) -> Section {
    let mut parts = by_source(c, lang);
    parts.extend(last_years_items(c, lang));
    Section {
        id: "rectification",
        heading: lang.t("Rectification", "整改情况").to_string(),
        parts,
    }
}

/// This year's items by source: a heading, a chart of the sources with most items, the
/// table of all (each id with its name).
fn by_source(c: &Committee, lang: Lang) -> Vec<Part> {
    let year = c.year;
    let n: u64 = c.sources.iter().map(|s| s.items).sum();
    let name = |s: &crate::committee::Source| lang.t(&s.name, &s.name_zh).to_string();
    let mut t = Report::new(
        msg_in!(
            lang,
            "{year}'s items by indicator or item: {n} items",
            "{year}年度整改事项（按指标或事项）：共{n}项"
        ),
        vec![
            Column::new("source", "Source", "来源"),
            Column::new("source_name", "Indicator or item", "指标或事项"),
            Column::new("items", "Items", "事项数"),
            Column::new("branches", "Branches", "支部数"),
        ],
    );
    let mut parts = vec![Part::Heading(t.title.clone())];
    let bars: Vec<(String, u64)> = (c.sources.iter().take(MOST_SOURCES))
        .map(|s| {
            let label: String = format!("{} {}", s.id, name(s)).chars().take(18).collect();
            (label, s.items)
        })
        .collect();
    if !bars.is_empty() {
        let label = lang.t("Items by indicator", "各指标整改事项数");
        parts.push(Part::Chart(svg::bars(label, &bars)));
    }
    if c.sources.len() > MOST_SOURCES {
        let more = c.sources.len() - MOST_SOURCES;
        parts.push(Part::Note {
            text: msg_in!(
                lang,
                "And {more} more sources with fewer items (in the table).",
                "另有{more}个来源的事项较少，见下表。"
            ),
            kept: false,
        });
    }
    for s in &c.sources {
        t.rows.push(vec![
            text(s.id.clone()),
            text(name(s)),
            int(s.items),
            int(s.branches),
        ]);
    }
    // Charted by name: the code is beside it in the table.
    t.chart = Some(ChartSpec {
        kind: ChartKind::Column,
        title: lang.t("Items by indicator", "各指标整改事项数").to_string(),
        category: 1,
        values: vec![2],
        rows: None,
    });
    parts.push(Part::Table {
        table: Box::new(t),
        untitled: true,
        page: true,
        empty: lang
            .t("No rectification item this year.", "本年度没有整改事项。")
            .to_string(),
    });
    parts
}

/// Last year's items done and not done, and the branches with items not done.
fn last_years_items(c: &Committee, lang: Lang) -> Vec<Part> {
    let last = c.year - 1;
    let mut done = Report::new(
        msg_in!(lang, "{last}'s items", "{last}年度整改事项完成情况"),
        vec![
            Column::new("done", "Done", "已完成"),
            Column::new("not_done", "Not done", "未完成"),
            Column::new("done_share", "Done share (%)", "完成率（%）"),
        ],
    );
    let all = c.done_items + c.open_items;
    done.rows.push(vec![
        int(c.done_items),
        int(c.open_items),
        pct(crate::committee::share(c.done_items, all)),
    ]);
    let mut parts = vec![table(done, "")];
    let mut columns = branch_columns(c);
    columns.push(Column::new("open", "Items not done", "未完成事项"));
    let mut t = Report::new(
        lang.t("Branches with items not done", "整改未完成的支部"),
        columns,
    );
    for (b, open) in &c.not_done {
        let mut row = branch_cells(c, b);
        row.push(int(u64::from(*open)));
        t.rows.push(row);
    }
    parts.push(table(
        t,
        lang.t(
            "Every item of last year is done.",
            "上年度整改事项均已完成。",
        ),
    ));
    parts
}

/// 6. The publicity list, the rewards and the interviews.
fn followup(c: &Committee, lang: Lang) -> Section {
    let mut parts = vec![table(
        publicity(c, lang),
        lang.t("No branch to publicize.", "无公示支部。"),
    )];
    let mut columns = branch_columns(c);
    columns.push(Column::new("streak", "5★ streak", "连续五星年数"));
    let mut t = Report::new(
        lang.t("Rewards (five stars running)", "奖励名单（连续五星）"),
        columns,
    );
    for (b, streak) in &c.rewards {
        let mut row = branch_cells(c, b);
        row.push(int(u64::from(*streak)));
        t.rows.push(row);
    }
    parts.push(table(t, lang.t("None.", "无。")));
    let mut columns = branch_columns(c);
    columns.extend([
        Column::new("star", "Star", "评定星级"),
        Column::new("lead", "Lead to interview", "约谈领导"),
        Column::new("secretary", "Secretary", "支部书记"),
    ]);
    let mut t = Report::new(lang.t("Interviews (约谈)", "约谈名单"), columns);
    for i in &c.interviews {
        let mut row = branch_cells(c, &i.branch);
        row.extend([
            text(star_name(i.star, lang)),
            text(i.lead.clone()),
            text(i.secretary.clone()),
        ]);
        t.rows.push(row);
    }
    parts.push(table(t, lang.t("None.", "无。")));
    Section {
        id: "followup",
        heading: lang
            .t("Publicity, rewards and interviews", "公示、奖励和约谈")
            .to_string(),
        parts,
    }
}

/// The publicity list: a town's with its window in the title, a county's with each town's
/// window in the rows.
fn publicity(c: &Committee, lang: Lang) -> Report<'static> {
    let mut columns = branch_columns(c);
    if c.county {
        columns.extend([
            Column::new("publicity_start", "Publicity from", "公示开始"),
            Column::new("publicity_end", "Publicity until", "公示结束"),
        ]);
    }
    columns.extend([
        DOMAIN,
        Column::new("secretary", "Secretary", "支部书记"),
        Column::new("score", "Score", "总分"),
    ]);
    let title = match (c.county, c.window) {
        (false, Some(w)) => {
            let (start, end) = (w.start, w.end);
            msg_in!(
                lang,
                "Publicity list: {start} to {end}",
                "公示名单（公示期{start}至{end}）"
            )
        }
        _ => lang.t("Publicity lists", "公示名单").to_string(),
    };
    let mut t = Report::new(title, columns);
    for p in &c.publicity {
        let mut row = branch_cells(c, &p.branch);
        if c.county {
            let w = c.towns.get(p.branch.town).and_then(|t| t.window);
            row.push(w.map_or(Value::Null, |w| text(w.start.to_string())));
            row.push(w.map_or(Value::Null, |w| text(w.end.to_string())));
        }
        row.extend([
            Value::code(Code::Domain, p.branch.domain.as_str()),
            text(p.secretary.clone()),
            Value::Dec(p.score),
        ]);
        t.rows.push(row);
    }
    t
}

/// 7. The records of the year: the ballots by domain (and a county's by town), the
///    objections raised during publicity, the committee's decisions.
fn records(c: &Committee, lang: Lang) -> Section {
    let r = c.records.clone().unwrap_or_default();
    let mut parts = vec![table(
        ballots(c, &r, lang),
        lang.t("No ballots this year.", "本年度没有测评票记录。"),
    )];
    parts.push(Part::Note {
        text: lang.t(
            "Satisfaction: the points of every valid ballot of the domain together (as [survey] counts them), out of 100; each branch's own mass level weighs its groups.",
            "满意度得分：该领域全部有效票按 [survey] 分值合计的平均分（满分 100）；各支部的群众评议得分按分组权重计算。",
        ).to_string(),
        kept: true,
    });
    if c.county {
        parts.push(table(
            records_by_town(c, lang),
            lang.t("No town.", "没有镇（街道）。"),
        ));
    }
    parts.push(table(
        objections(c, &r, lang),
        lang.t("No objection this year.", "本年度公示期无异议。"),
    ));
    parts.push(table(
        decisions(c, &r, lang),
        lang.t("No decision this year.", "本年度无复核、申诉决定。"),
    ));
    Section {
        id: "records",
        heading: lang
            .t("Records of the year", "测评、异议与复核")
            .to_string(),
        parts,
    }
}

fn objections(c: &Committee, r: &crate::committee::RecordsPart, lang: Lang) -> Report<'static> {
    let mut columns = branch_columns(c);
    columns.extend([
        Column::new("received", "Received", "受理日期"),
        Column::new("matter", "Matter", "异议事项"),
        Column::new("outcome", "Outcome", "办理结果"),
        Column::new("answered", "Answered", "答复日期"),
    ]);
    let mut t = Report::new(lang.t("Objections during publicity", "公示期异议"), columns);
    for o in &r.objections {
        let mut row = branch_cells(c, &o.branch);
        row.extend([
            text(o.received.to_string()),
            text(o.matter.clone()),
            Value::code(Code::Objection, o.status.as_str()),
            o.answered.map_or(Value::Null, |a| text(a.to_string())),
        ]);
        t.rows.push(row);
    }
    t
}

fn decisions(c: &Committee, r: &crate::committee::RecordsPart, lang: Lang) -> Report<'static> {
    let mut columns = branch_columns(c);
    columns.extend([
        Column::new("ruled", "By the rules", "按规则评定"),
        Column::new("decided", "Decided", "决定星级"),
        Column::new("reason", "Reason", "理由"),
        Column::new("document", "Document", "文号"),
    ]);
    let mut t = Report::new(
        lang.t("Decisions of the committee", "复核、申诉决定"),
        columns,
    );
    for d in &r.decisions {
        let mut row = branch_cells(c, &d.branch);
        row.extend([
            text(star_name(d.ruled, lang)),
            text(star_name(d.star, lang)),
            text(d.reason.clone()),
            text(d.document.clone()),
        ]);
        t.rows.push(row);
    }
    t
}

/// The ballots' columns after the first.
fn ballot_columns() -> [Column; 7] {
    [
        Column::new("branches", "Branches", "测评支部"),
        Column::new("issued", "Issued", "发放票数"),
        Column::new("returned", "Returned", "收回票数"),
        Column::new("return_rate", "Return rate (%)", "收回率（%）"),
        Column::new("valid", "Valid", "有效票"),
        Column::new("satisfaction", "Satisfaction", "满意度得分"),
        Column::new("satisfied", "Satisfied (%)", "满意票占比（%）"),
    ]
}

fn ballot_cells(b: &crate::followup::records::Ballots) -> [Value<'static>; 7] {
    [
        int(b.branches),
        int(b.issued),
        int(b.returned),
        pct(b.return_rate()),
        int(b.valid),
        pct(b.satisfaction()),
        pct(b.satisfied_share()),
    ]
}

fn ballots(c: &Committee, r: &crate::committee::RecordsPart, lang: Lang) -> Report<'static> {
    let mut columns = vec![DOMAIN];
    columns.extend(ballot_columns());
    let mut t = Report::new(
        lang.t(
            "Mass evaluation: ballots by domain",
            "群众满意度测评：各领域收票与满意度",
        ),
        columns,
    );
    let mut all = crate::followup::records::Ballots::default();
    for (d, b) in &r.ballots {
        let mut row = vec![Value::code(Code::Domain, d.as_str())];
        row.extend(ballot_cells(b));
        t.rows.push(row);
        all.add(b);
    }
    if r.ballots.len() > 1 {
        let mut row = vec![text(lang.t("All", "合计"))];
        row.extend(ballot_cells(&all));
        t.rows.push(row);
    }
    let _ = c;
    t
}

fn records_by_town(c: &Committee, lang: Lang) -> Report<'static> {
    let mut columns = vec![TOWN];
    columns.extend(ballot_columns());
    columns.extend([
        Column::new("objections_open", "Objections open", "异议未处理"),
        Column::new("upheld", "Upheld", "异议成立"),
        Column::new("dismissed", "Dismissed", "异议不成立"),
        Column::new("decisions", "Decisions", "复核决定"),
    ]);
    let mut t = Report::new(
        lang.t(
            "Records of the year by town",
            "各镇（街道）测评、异议与复核",
        ),
        columns,
    );
    for town in c.towns.iter().filter(|t| t.left_out.is_none()) {
        let mut row = vec![text(town.name.clone())];
        row.extend(ballot_cells(&town.ballots));
        row.extend(town.objections.iter().map(|n| int(*n)));
        row.push(int(town.decisions));
        t.rows.push(row);
    }
    t
}

/// The page's running head: the place and the year.
fn running(c: &Committee, lang: Lang) -> String {
    let (place, year) = (&c.place, c.year);
    msg_in!(lang, "{place} · {year}", "{place} · {year}年度")
}

/// The report as one HTML page to print.
pub fn html(c: &Committee, lang: Lang) -> String {
    let title = title(c, lang);
    let mut p = Page::new(&title, lang, &running(c, lang));
    p.h1(&title);
    for s in sections(c, lang) {
        p.section(s.id, &s.heading);
        for part in &s.parts {
            match part {
                Part::Figures(items) => {
                    let shown: Vec<(String, String)> = (items.iter())
                        .map(|(l, v)| (l.clone(), v.human(lang)))
                        .collect();
                    p.figures(&shown);
                }
                Part::Chart(svg) => p.raw(svg),
                Part::Heading(h) => p.h3(h),
                Part::Table {
                    table,
                    untitled,
                    page,
                    empty,
                } => {
                    if !page {
                        continue;
                    }
                    if !untitled {
                        p.h3(&table.title);
                    }
                    p.report_table(table, lang, empty);
                }
                Part::Note { text, .. } => p.note(text),
            }
        }
        p.end();
    }
    p.finish()
}

/// The report as a workbook's tables: the headline figures first, then every table of the
/// sections (each with its chart), and the notes that say what the numbers are.
pub fn workbook(c: &Committee, lang: Lang) -> Report<'static> {
    let mut main = Report::new(
        title(c, lang),
        vec![
            Column::new("figure", "Figure", "指标"),
            Column::new("value", "Value", "数值"),
        ],
    );
    for s in sections(c, lang) {
        for part in s.parts {
            match part {
                Part::Figures(items) => {
                    main.rows
                        .extend(items.into_iter().map(|(l, v)| vec![text(l), v]));
                }
                Part::Table { table, .. } => main.extras.push(*table),
                Part::Note { text, kept: true } => main.notes.push(text),
                Part::Note { .. } | Part::Chart(_) | Part::Heading(_) => {}
            }
        }
    }
    main
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_holds_the_scores_and_thresholds() {
        let mut s = Scores::default();
        s.bins.insert(60, 2);
        s.bins.insert(95, 1);
        s.thresholds.insert((5, Decimal::from(90)));
        assert_eq!(axis(&s), (50, 10));
        assert_eq!(binned(&s, 50, 10), vec![0, 0, 2, 0, 0, 0, 0, 0, 0, 1]);
    }
}
