//! `stars report`: one self-contained HTML page for the town party committee, which looks
//! at the results once a year: headline figures, stars by domain, the score distribution,
//! year over year, rectification, and the publicity, reward and interview lists. Charts
//! are SVG written by hand ([`crate::render::svg`]); the page is [`crate::render::html`].
//! The same inputs give the same bytes: no timestamp, everything sorted, numbers with the
//! project's decimal helpers.

use super::Ctx;
use crate::decimal::fmt2;
use crate::followup::adjust::{Adjustment, Change};
use crate::followup::rectify::{Lister, Subject};
use crate::i18n::{msg_in, Lang};
use crate::problem::Outcome;
use crate::rate::{Rating, Status};
use crate::render::html::Page;
use crate::render::svg;
use crate::standard::Domain;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// The points of a bin of the score histogram.
const BIN: i64 = 5;
/// The most rows of the chart of items by source; the rest are counted in a note.
const MOST_SOURCES: usize = 20;

/// What the report needs of the year asked for, kept from the walk over the years.
struct Year {
    year: i32,
    evaluated: NaiveDate,
    ratings: Vec<(usize, Rating)>,
    adjustments: Vec<Adjustment>,
    /// The reasons of the plaques that go up or down, by branch (written while the year's
    /// data is loaded: they name its reviews).
    reasons: BTreeMap<usize, String>,
    /// Last year's items marked done in this year's rectification.csv.
    done_last_year: usize,
    /// The records of the year (empty for most years).
    records: crate::workspace::Records,
}

/// This year's rectification items of one source (an indicator or an item of events).
#[derive(Default)]
struct Source {
    items: u64,
    branches: BTreeSet<usize>,
}

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let mut prev: Option<(i32, BTreeMap<usize, u8>)> = None;
    let mut last: Option<Year> = None;
    let lang = ctx.lang;
    let ws = ctx.walk_years(true, |ws, run| {
        if let Some(y) = last.take() {
            let stars = y.ratings.iter().map(|(b, r)| (*b, r.star)).collect();
            prev = Some((y.year, stars));
        }
        let done: BTreeSet<u32> = (run.data.rectification.iter())
            .filter(|r| r.status == crate::workspace::Status::Done)
            .filter_map(|r| r.item)
            .collect();
        let reasons = (run.adjustments.iter())
            .filter(|a| matches!(a.change, Change::Up | Change::Down))
            .filter_map(|a| {
                let std = ws.standards.get(ws.branches.get(a.branch)?.domain)?;
                Some((a.branch, a.reason(std, &run.data, lang)))
            })
            .collect();
        last = Some(Year {
            year: run.data.year,
            reasons,
            evaluated: run.data.evaluated,
            ratings: run.ratings,
            adjustments: run.adjustments,
            done_last_year: done.len(),
            records: run.data.records,
        });
    })?;
    let Some(year) = last else {
        return ctx.emit("");
    };
    // Last year's stars only when last year is the year before.
    let prev = prev.filter(|(y, _)| *y == year.year - 1).map(|(_, s)| s);
    // This year's items by source: they need the year's scores, which the walk let go.
    let items = ctx.loaded_for_items()?;
    let mut sources: BTreeMap<(String, String), Source> = BTreeMap::new();
    let lister = Lister::new(&items.ws, &items.data);
    let mut list = Vec::new();
    for (b, _) in &year.ratings {
        list.clear();
        lister.push(*b, &mut list);
        let std = (items.ws.branches.get(*b)).and_then(|br| items.ws.standards.get(br.domain));
        let Some(std) = std else {
            continue;
        };
        for i in &list {
            let name = match i.subject() {
                Subject::Indicator { index, .. } => std
                    .indicators
                    .get(index)
                    .map(|ind| ctx.lang.t(&ind.name, &ind.name_zh).to_string()),
                Subject::Event { item, .. } => std
                    .items
                    .get(item)
                    .map(|it| ctx.lang.t(&it.name, &it.name_zh).to_string()),
            };
            let key = (i.source(std).to_string(), name.unwrap_or_default());
            let s = sources.entry(key).or_default();
            s.items += 1;
            s.branches.insert(*b);
        }
    }
    let html = page(&ws, &year, prev.as_ref(), &sources, ctx.lang);
    ctx.emit(&html)
}

/// A star in words: `5★` / `五星`, 0 as not rated.
fn star_name(star: u8, lang: Lang) -> String {
    const ZH: [&str; 6] = ["不评星", "一星", "二星", "三星", "四星", "五星"];
    let s = star;
    match (star, ZH.get(usize::from(star))) {
        (0, Some(zh)) => lang.t("Not rated (0)", zh).to_string(),
        (_, Some(zh)) => msg_in!(lang, "{s}★", "{zh}"),
        (_, None) => msg_in!(lang, "{s}★", "{s}星"),
    }
}

fn domain_name(d: Domain, lang: Lang) -> &'static str {
    lang.t(d.as_str(), d.zh())
}

/// `n / total` in percent with two places, by the project's decimal helper.
fn share(n: u64, total: u64) -> String {
    if total == 0 {
        return "0.00%".to_string();
    }
    format!(
        "{}%",
        fmt2(Decimal::from(n) * Decimal::from(100) / Decimal::from(total))
    )
}

/// The themes earned by domain (SPEC.md "Stars by theme"): a row per domain whose standard
/// rates by themes, a column per theme (by id, as the standards name them), each cell the
/// branches that earned it and their share of the domain's rated branches.
fn themes_earned(p: &mut Page, ws: &Workspace, ratings: &[(usize, Rating)], lang: Lang) {
    let tally = crate::themes::Tally::of(ws, ratings);
    p.h3(lang.t("Themes earned by domain", "各领域主题星获得情况"));
    // The themes' columns, in the order the domains' standards list them.
    let mut columns: Vec<String> = Vec::new();
    let mut header_of: Vec<String> = Vec::new();
    for d in tally.by_domain.keys() {
        for t in ws
            .standards
            .get(*d)
            .map(|s| &s.themes[..])
            .unwrap_or_default()
        {
            if !columns.contains(&t.id) {
                let required = if t.required {
                    lang.t(" (required)", "（必备）")
                } else {
                    ""
                };
                let pass = crate::decimal::fmt_plain(t.pass * Decimal::ONE_HUNDRED);
                let name = lang.t(&t.name, &t.name_zh);
                header_of.push(format!("{} {name}{required} ≥ {pass}%", t.id));
                columns.push(t.id.clone());
            }
        }
    }
    let rows: Vec<Vec<String>> = (tally.by_domain.iter())
        .filter_map(|(d, (n, earned))| {
            let std = ws.standards.get(*d)?;
            let mut row = vec![domain_name(*d, lang).to_string(), n.to_string()];
            row.extend(columns.iter().map(|id| {
                let k = std.themes.iter().position(|t| &t.id == id);
                k.and_then(|k| earned.get(k))
                    .map(|e| format!("{e} ({})", share(*e, *n)))
                    .unwrap_or_default()
            }));
            Some(row)
        })
        .collect();
    let mut header = vec![lang.t("Domain", "领域"), lang.t("Rated", "参评支部")];
    header.extend(header_of.iter().map(String::as_str));
    let mut numeric = vec![true; header.len()];
    if let Some(f) = numeric.first_mut() {
        *f = false;
    }
    p.table(
        &header,
        &numeric,
        &rows,
        lang.t(
            "No branch rated by themes this year.",
            "本年度没有按主题评星的支部。",
        ),
    );
    p.note(lang.t(
        "Where a standard rates by themes, a branch earns a star for each theme whose indicators reach its pass line (the share of their points), and none when a required theme is missed. A cell: branches that earned the theme (share of the rated).",
        "按主题评星的领域，主题所含指标得分达到该主题分值的达标比例即获得该主题星，每获得一个主题星计一星；必备主题未获得的不评星。表中为获得该主题星的支部数（占参评支部的比例）。",
    ));
}

fn page(
    ws: &Workspace,
    y: &Year,
    prev: Option<&BTreeMap<usize, u8>>,
    sources: &BTreeMap<(String, String), Source>,
    lang: Lang,
) -> String {
    let town = ws.config.name.as_str();
    let year = y.year;
    let last = year - 1;
    let title = msg_in!(
        lang,
        "{town} — star rating of party branches {year}: report to the committee",
        "{town}{year}年度星级党支部评定情况报告"
    );
    let running = msg_in!(lang, "{town} · {year}", "{town} · {year}年度");
    let mut p = Page::new(&title, lang, &running);
    // A seventh page for the records of the year, in a year that has any.
    let pages = if y.records.is_empty() { 6 } else { 7 };
    let n_of = |k: usize| format!("{k} / {pages}");
    let branch = |b: usize| ws.branches.get(b);
    let total = u64::try_from(y.ratings.len()).unwrap_or(u64::MAX);
    let mut by_star = [0u64; 6];
    for (_, r) in &y.ratings {
        if let Some(c) = by_star.get_mut(usize::from(r.star)) {
            *c += 1;
        }
    }
    // Stars against last year's, for the branches rated in both.
    let moved = |up: bool| -> u64 {
        let Some(prev) = prev else { return 0 };
        let n = (y.ratings.iter())
            .filter(|(b, r)| {
                prev.get(b)
                    .is_some_and(|s| if up { r.star > *s } else { r.star < *s })
            })
            .count();
        u64::try_from(n).unwrap_or(u64::MAX)
    };
    let plaques = |c: Change| y.adjustments.iter().filter(|a| a.change == c).count();

    // 1. Headline figures.
    p.section("overview", lang.t("Headline figures", "总体情况"),);
    p.h1(&title);
    let mut figures = vec![(
        lang.t("Branches rated", "参评支部").to_string(),
        total.to_string(),
    )];
    if prev.is_some() {
        figures.push((
            lang.t("Stars up since last year", "星级较上年上升")
                .to_string(),
            moved(true).to_string(),
        ));
        figures.push((
            lang.t("Stars down since last year", "星级较上年下降")
                .to_string(),
            moved(false).to_string(),
        ));
    }
    figures.push((
        lang.t("Plaques up", "星级牌升星").to_string(),
        plaques(Change::Up).to_string(),
    ));
    figures.push((
        lang.t("Plaques down", "星级牌降星").to_string(),
        plaques(Change::Down).to_string(),
    ));
    p.figures(&figures);
    let rows: Vec<Vec<String>> = (0..=5u8)
        .rev()
        .map(|s| {
            let n = by_star.get(usize::from(s)).copied().unwrap_or(0);
            vec![star_name(s, lang), n.to_string(), share(n, total)]
        })
        .collect();
    p.table(
        &[
            lang.t("Star", "星级"),
            lang.t("Branches", "支部数"),
            lang.t("Share", "占比"),
        ],
        &[false, true, true],
        &rows,
        "",
    );
    p.h3(lang.t("Five-star branches", "五星级党支部"));
    let five: Vec<Vec<String>> = (y.ratings.iter())
        .filter(|(_, r)| r.star == 5)
        .filter_map(|(b, r)| {
            let br = branch(*b)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                domain_name(br.domain, lang).to_string(),
                fmt2(r.score),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("Domain", "领域"),
            lang.t("Score", "总分"),
        ],
        &[false, false, false, true],
        &five,
        lang.t("No five-star branch this year.", "本年度没有五星级党支部。"),
    );
    p.end();

    // 2. Stars by domain.
    p.section(
        "domains",
        lang.t("Stars by domain", "各领域星级分布"),);
    let mut by_domain: BTreeMap<Domain, [u64; 6]> = BTreeMap::new();
    for (b, r) in &y.ratings {
        let Some(br) = branch(*b) else { continue };
        if let Some(c) = by_domain
            .entry(br.domain)
            .or_default()
            .get_mut(usize::from(r.star))
        {
            *c += 1;
        }
    }
    let series: Vec<String> = (0..=5u8).rev().map(|s| star_name(s, lang)).collect();
    let rows: Vec<(String, Vec<u64>)> = (by_domain.iter())
        .map(|(d, c)| {
            let counts = (0..=5usize).rev().map(|s| c.get(s).copied().unwrap_or(0));
            (domain_name(*d, lang).to_string(), counts.collect())
        })
        .collect();
    p.raw(&svg::stacked_bars(
        lang.t("Stars by domain", "各领域星级分布"),
        &series,
        &rows,
    ));
    let mut header = vec![lang.t("Domain", "领域")];
    header.extend(series.iter().map(String::as_str));
    header.push(lang.t("Total", "合计"));
    let table: Vec<Vec<String>> = (rows.iter())
        .map(|(d, c)| {
            let mut row = vec![d.clone()];
            row.extend(c.iter().map(u64::to_string));
            row.push(c.iter().sum::<u64>().to_string());
            row
        })
        .collect();
    let mut numeric = vec![true; header.len()];
    if let Some(f) = numeric.first_mut() {
        *f = false;
    }
    p.table(&header, &numeric, &table, "");
    p.note(lang.t(
        "Each bar is a domain's branches, from five stars (black) to not rated (white); the number in a part is its branches, after the bar their total.",
        "每一条为一个领域的支部，从五星（黑色）到不评星（白色）；色块中的数字为该星级的支部数，条末为合计。",
    ));
    if ws.standards.has_themes() {
        themes_earned(&mut p, ws, &y.ratings, lang);
    }
    p.end();

    // 3. The score distribution.
    p.section("scores", lang.t("Score distribution", "得分分布"),);
    let cents = |d: Decimal| (d * Decimal::from(100)).round().to_i64().unwrap_or(0);
    let mut thresholds: BTreeSet<(u8, i64)> = BTreeSet::new();
    let domains: BTreeSet<Domain> = by_domain.keys().copied().collect();
    // (A standard rating by themes has no threshold that sets a star.)
    for d in &domains {
        if let Some(std) = ws.standards.get(*d).filter(|s| !s.by_themes()) {
            for s in 1..=5u8 {
                if let Some(t) = std.settings.stars.of(s) {
                    thresholds.insert((s, cents(t)));
                }
            }
        }
    }
    // The axis from the lowest score or threshold to the highest, in whole bins of
    // points, at most 40 bins (scores are at least 0).
    let points = (y.ratings.iter())
        .map(|(_, r)| cents(r.score).max(0) / 100)
        .chain(thresholds.iter().map(|(_, c)| (*c).max(0) / 100));
    let (lo, hi) = points.fold((i64::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let from = ((lo.min(hi) - BIN).max(0) / (2 * BIN)) * 2 * BIN;
    let bins = usize::try_from(((hi - from) / BIN + 1).clamp(4, 40)).unwrap_or(4);
    let mut counts = vec![0u64; bins];
    for (_, r) in &y.ratings {
        let k = usize::try_from((cents(r.score).max(0) / 100 - from).max(0) / BIN).unwrap_or(0);
        if let Some(c) = counts.get_mut(k.min(bins.saturating_sub(1))) {
            *c += 1;
        }
    }
    let marks: Vec<svg::Mark> = (thresholds.iter())
        .map(|(s, c)| svg::Mark {
            at_cents: *c,
            label: format!(
                "{} {}",
                star_name(*s, lang),
                crate::decimal::fmt_plain(Decimal::new(*c, 2))
            ),
        })
        .collect();
    p.raw(&svg::histogram(
        lang.t("Score distribution", "得分分布"),
        from,
        BIN,
        &counts,
        &marks,
    ));
    let sum: Decimal = y.ratings.iter().map(|(_, r)| r.score).sum();
    let mean = if total == 0 {
        Decimal::ZERO
    } else {
        sum / Decimal::from(total)
    };
    let mean = fmt2(mean);
    p.note(&msg_in!(
        lang,
        "Branches by final score F in bins of {BIN} points; the dashed lines are the star thresholds of the standards in use. Mean score {mean}.",
        "按总分 F 每 {BIN} 分一组统计支部数；虚线为所用标准的星级分数线。平均分 {mean}。"
    ));
    p.end();

    // 4. Year over year.
    p.section("years", lang.t("Year over year", "年度变化"),);
    match prev {
        Some(prev) => {
            p.h3(&msg_in!(
                lang,
                "Stars {last} → {year}",
                "{last}年星级 → {year}年星级"
            ));
            // Rows: last year's star (5 … 0, then not rated); columns: this year's.
            let mut grid: BTreeMap<Option<u8>, [u64; 6]> = BTreeMap::new();
            for (b, r) in &y.ratings {
                if let Some(c) = grid
                    .entry(prev.get(b).copied())
                    .or_default()
                    .get_mut(usize::from(r.star))
                {
                    *c += 1;
                }
            }
            let mut header = vec![format!("{} \\ {year}", year - 1)];
            header.extend((0..=5u8).rev().map(|s| star_name(s, lang)));
            header.push(lang.t("Total", "合计").to_string());
            let keys: Vec<Option<u8>> = (0..=5u8).rev().map(Some).chain([None]).collect();
            let rows: Vec<Vec<String>> = (keys.iter())
                .filter_map(|k| {
                    let c = grid.get(k)?;
                    let mut row = vec![match k {
                        Some(s) => star_name(*s, lang),
                        None => lang.t("Not rated last year", "上年未参评").to_string(),
                    }];
                    row.extend(
                        (0..=5usize)
                            .rev()
                            .map(|s| c.get(s).copied().unwrap_or(0).to_string()),
                    );
                    row.push(c.iter().sum::<u64>().to_string());
                    Some(row)
                })
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let mut numeric = vec![true; header.len()];
            if let Some(f) = numeric.first_mut() {
                *f = false;
            }
            p.table(&header, &numeric, &rows, "");
        }
        None => p.note(&msg_in!(
            lang,
            "{last} is not in this workspace: no comparison.",
            "本工作区没有{last}年度的数据，无法比较。"
        )),
    }
    for (change, en, zh) in [
        (Change::Up, "Plaques up", "星级牌升星名单"),
        (Change::Down, "Plaques down", "星级牌降星名单"),
    ] {
        p.h3(lang.t(en, zh));
        let rows: Vec<Vec<String>> = (y.adjustments.iter())
            .filter(|a| a.change == change)
            .filter_map(|a| {
                let br = branch(a.branch)?;
                let reason = y.reasons.get(&a.branch).cloned().unwrap_or_default();
                let plaque = |v: Option<u8>| v.map(|s| star_name(s, lang)).unwrap_or_default();
                Some(vec![
                    br.id().to_string(),
                    br.name().to_string(),
                    plaque(a.plaque),
                    plaque(a.next),
                    reason,
                ])
            })
            .collect();
        p.table(
            &[
                lang.t("Branch", "支部编号"),
                lang.t("Name", "支部名称"),
                lang.t("Plaque", "原星级牌"),
                lang.t("Next plaque", "新星级牌"),
                lang.t("Reason", "原因"),
            ],
            &[false; 5],
            &rows,
            lang.t("None.", "无。"),
        );
    }
    p.end();

    // 5. Rectification.
    p.section(
        "rectification",
        lang.t("Rectification", "整改情况"),);
    let mut ranked: Vec<(&(String, String), &Source)> = sources.iter().collect();
    ranked.sort_by(|a, b| b.1.items.cmp(&a.1.items).then_with(|| a.0.cmp(b.0)));
    let n_items: u64 = sources.values().map(|s| s.items).sum();
    p.h3(&msg_in!(
        lang,
        "{year}'s items by indicator or item: {n_items} items",
        "{year}年度整改事项（按指标或事项）：共{n_items}项"
    ));
    let bars: Vec<(String, u64)> = (ranked.iter().take(MOST_SOURCES))
        .map(|((id, name), s)| {
            let label: String = format!("{id} {name}").chars().take(18).collect();
            (label, s.items)
        })
        .collect();
    if bars.is_empty() {
        p.note(lang.t("No rectification item this year.", "本年度没有整改事项。"));
    } else {
        p.raw(&svg::bars(
            lang.t("Items by indicator", "各指标整改事项数"),
            &bars,
        ));
        if ranked.len() > MOST_SOURCES {
            let more = ranked.len() - MOST_SOURCES;
            p.note(&msg_in!(
                lang,
                "And {more} more sources with fewer items.",
                "另有{more}个来源的事项较少，未列出。"
            ));
        }
        let rows: Vec<Vec<String>> = (ranked.iter())
            .map(|((id, name), s)| {
                vec![
                    id.clone(),
                    name.clone(),
                    s.items.to_string(),
                    s.branches.len().to_string(),
                ]
            })
            .collect();
        p.table(
            &[
                lang.t("Source", "来源"),
                lang.t("Indicator or item", "指标或事项"),
                lang.t("Items", "事项数"),
                lang.t("Branches", "支部数"),
            ],
            &[false, false, true, true],
            &rows,
            "",
        );
    }
    p.h3(&msg_in!(
        lang,
        "{last}'s items",
        "{last}年度整改事项完成情况"
    ));
    let open: u64 = y.adjustments.iter().map(|a| u64::from(a.open)).sum();
    let done = u64::try_from(y.done_last_year).unwrap_or(u64::MAX);
    p.table(
        &[
            lang.t("Done", "已完成"),
            lang.t("Not done", "未完成"),
            lang.t("Done share", "完成率"),
        ],
        &[true, true, true],
        &[vec![
            done.to_string(),
            open.to_string(),
            share(done, done + open),
        ]],
        "",
    );
    let rows: Vec<Vec<String>> = (y.adjustments.iter())
        .filter(|a| a.open > 0)
        .filter_map(|a| {
            let br = branch(a.branch)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                a.open.to_string(),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("Items not done", "未完成事项"),
        ],
        &[false, false, true],
        &rows,
        lang.t(
            "Every item of last year is done.",
            "上年度整改事项均已完成。",
        ),
    );
    p.end();

    // 6. Publicity, rewards, interviews.
    p.section(
        "followup",
        lang.t("Publicity, rewards and interviews", "公示、奖励和约谈"),);
    let window = crate::followup::publicity::window(&ws.config, year).unwrap_or(
        crate::followup::publicity::Window {
            start: y.evaluated,
            end: y.evaluated,
        },
    );
    let (start, end) = (window.start, window.end);
    p.h3(&msg_in!(
        lang,
        "Publicity list: {start} to {end}",
        "公示名单（公示期{start}至{end}）"
    ));
    let rows: Vec<Vec<String>> = (y.ratings.iter())
        .filter(|(_, r)| r.star == 5 && matches!(r.status, Status::Approved | Status::Decided))
        .filter_map(|(b, r)| {
            let br = branch(*b)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                domain_name(br.domain, lang).to_string(),
                br.secretary().to_string(),
                fmt2(r.score),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("Domain", "领域"),
            lang.t("Secretary", "支部书记"),
            lang.t("Score", "总分"),
        ],
        &[false, false, false, false, true],
        &rows,
        lang.t("No branch to publicize.", "无公示支部。"),
    );
    p.h3(lang.t("Rewards (five stars running)", "奖励名单（连续五星）"));
    let rows: Vec<Vec<String>> = (y.adjustments.iter())
        .filter(|a| a.reward)
        .filter_map(|a| {
            let br = branch(a.branch)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                a.streak.to_string(),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("5★ streak", "连续五星年数"),
        ],
        &[false, false, true],
        &rows,
        lang.t("None.", "无。"),
    );
    p.h3(lang.t("Interviews (约谈)", "约谈名单"));
    let rows: Vec<Vec<String>> = (y.adjustments.iter())
        .filter(|a| a.remind)
        .filter_map(|a| {
            let br = branch(a.branch)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                star_name(a.star, lang),
                br.lead().to_string(),
                br.secretary().to_string(),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("Star", "评定星级"),
            lang.t("Lead to interview", "约谈领导"),
            lang.t("Secretary", "支部书记"),
        ],
        &[false; 5],
        &rows,
        lang.t("None.", "无。"),
    );
    p.end();
    if !y.records.is_empty() {
        records_page(&mut p, ws, y, lang, &n_of(7));
    }
    p.finish()
}

/// Page 7, the records of the year: the ballots by domain, the objections raised during
/// publicity and the committee's decisions.
fn records_page(p: &mut Page, ws: &Workspace, y: &Year, lang: Lang, n_of: &str) {
    use crate::followup::records::ballots_by_domain;
    p.section(
        "records",
        lang.t("Records of the year", "测评、异议与复核"),);
    let branch = |b: usize| ws.branches.get(b);
    let pct = |d: Option<Decimal>| d.map_or("—".to_string(), |d| format!("{}%", fmt2(d)));
    let by_domain = ballots_by_domain(ws, &y.records);
    p.h3(lang.t(
        "Mass evaluation: ballots by domain",
        "群众满意度测评：各领域收票与满意度",
    ));
    let mut all = crate::followup::records::Ballots::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut push = |name: String, b: &crate::followup::records::Ballots| {
        rows.push(vec![
            name,
            b.branches.to_string(),
            b.issued.to_string(),
            b.returned.to_string(),
            pct(b.return_rate()),
            b.valid.to_string(),
            b.satisfaction().map_or("—".to_string(), fmt2),
            pct(b.satisfied_share()),
        ]);
    };
    for (d, b) in &by_domain {
        push(domain_name(*d, lang).to_string(), b);
        all.add(b);
    }
    if by_domain.len() > 1 {
        push(lang.t("All", "合计").to_string(), &all);
    }
    p.table(
        &[
            lang.t("Domain", "领域"),
            lang.t("Branches", "测评支部"),
            lang.t("Issued", "发放票数"),
            lang.t("Returned", "收回票数"),
            lang.t("Return rate", "收回率"),
            lang.t("Valid", "有效票"),
            lang.t("Satisfaction", "满意度得分"),
            lang.t("Satisfied", "满意票占比"),
        ],
        &[false, true, true, true, true, true, true, true],
        &rows,
        lang.t("No ballots this year.", "本年度没有测评票记录。"),
    );
    p.note(lang.t(
        "Satisfaction: the points of every valid ballot of the domain together (as [survey] counts them), out of 100; each branch's own mass level weighs its groups.",
        "满意度得分：该领域全部有效票按 [survey] 分值合计的平均分（满分 100）；各支部的群众评议得分按分组权重计算。",
    ));
    p.h3(lang.t("Objections during publicity", "公示期异议"));
    let rows: Vec<Vec<String>> = (y.records.objections.iter())
        .filter_map(|o| {
            let br = branch(o.branch)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                o.received.to_string(),
                o.matter.to_string(),
                lang.t(o.status.as_str(), o.status.zh()).to_string(),
                o.answered.map(|a| a.to_string()).unwrap_or_default(),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("Received", "受理日期"),
            lang.t("Matter", "异议事项"),
            lang.t("Outcome", "办理结果"),
            lang.t("Answered", "答复日期"),
        ],
        &[false; 6],
        &rows,
        lang.t("No objection this year.", "本年度公示期无异议。"),
    );
    p.h3(lang.t("Decisions of the committee", "复核、申诉决定"));
    let rows: Vec<Vec<String>> = (y.ratings.iter())
        .filter_map(|(b, r)| {
            let (ruled, _) = r.ruled?;
            let x = y.records.decision_of(*b)?;
            let br = branch(*b)?;
            Some(vec![
                br.id().to_string(),
                br.name().to_string(),
                star_name(ruled, lang),
                star_name(r.star, lang),
                x.reason.to_string(),
                x.document.to_string(),
            ])
        })
        .collect();
    p.table(
        &[
            lang.t("Branch", "支部编号"),
            lang.t("Name", "支部名称"),
            lang.t("By the rules", "按规则评定"),
            lang.t("Decided", "决定星级"),
            lang.t("Reason", "理由"),
            lang.t("Document", "文号"),
        ],
        &[false; 6],
        &rows,
        lang.t("No decision this year.", "本年度无复核、申诉决定。"),
    );
    p.end();
}
