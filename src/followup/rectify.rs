//! Rectification items (问题清单, 责任清单, 整改清单), SPEC.md "Rectification items".

use crate::decimal::{fmt2, fmt_plain};
use crate::i18n::Lang;
use crate::rate::Rating;
use crate::standard::{ItemKind, Standard};
use crate::workspace::{Workspace, YearData};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One rectification item of a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectItem {
    /// `YEAR-BRANCH-SOURCE`, with `-2`, `-3`… for a repeated source.
    pub id: String,
    pub branch: usize,
    /// The indicator or item id.
    pub source: String,
    /// `indicator`, `restraint` or `red_line`.
    pub kind: &'static str,
    pub problem: String,
    /// The branch secretary.
    pub responsible: String,
    /// The town leader in charge.
    pub supervisor: String,
    pub measure: String,
    pub deadline: NaiveDate,
}

/// The items of one branch's rating, in item id order.
pub fn branch_items(
    ws: &Workspace,
    data: &YearData,
    branch: usize,
    std: &Standard,
    r: &Rating,
    lang: Lang,
) -> Vec<RectItem> {
    let Some(b) = ws.branches.get(branch) else {
        return Vec::new();
    };
    let s = &std.settings;
    let deadline = data
        .evaluated
        .checked_add_days(chrono::Days::new(u64::from(s.adjust.rectify_days)))
        .unwrap_or(data.evaluated);
    // (source, kind, problem, measure), in the order the repeats are numbered.
    let mut found: Vec<(String, &'static str, String, String)> = Vec::new();
    for (ind, e) in std.indicators.iter().zip(&r.combined) {
        let share = s.rectify_below * ind.points;
        let name = lang.t(&ind.name, &ind.name_zh);
        let problem = match ind.bottom_line {
            Some(bl) if *e < bl => Some(match lang {
                Lang::En => format!(
                    "{name} ({}): {} of {} points, below its bottom line of {}",
                    ind.id,
                    fmt2(*e),
                    fmt_plain(ind.points),
                    fmt_plain(bl)
                ),
                Lang::Zh => format!(
                    "{name}（{}）：得{}分（满分{}），低于底线{}分",
                    ind.id,
                    fmt2(*e),
                    fmt_plain(ind.points),
                    fmt_plain(bl)
                ),
            }),
            _ if *e < share => Some(match lang {
                Lang::En => format!(
                    "{name} ({}): {} of {} points, below {}% of its points ({})",
                    ind.id,
                    fmt2(*e),
                    fmt_plain(ind.points),
                    fmt_plain(s.rectify_below * rust_decimal::Decimal::ONE_HUNDRED),
                    fmt2(share)
                ),
                Lang::Zh => format!(
                    "{name}（{}）：得{}分（满分{}），低于满分的{}%（{}分）",
                    ind.id,
                    fmt2(*e),
                    fmt_plain(ind.points),
                    fmt_plain(s.rectify_below * rust_decimal::Decimal::ONE_HUNDRED),
                    fmt2(share)
                ),
            }),
            _ => None,
        };
        if let Some(p) = problem {
            found.push((ind.id.clone(), "indicator", p, ind.guidance.clone()));
        }
    }
    for e in data.events_of(branch) {
        let Some(item) = std.item(&e.item) else {
            continue;
        };
        let kind = match item.kind {
            ItemKind::Incentive(_) => continue,
            ItemKind::Restraint(_) => "restraint",
            ItemKind::RedLine(_) => "red_line",
        };
        let name = lang.t(&item.name, &item.name_zh).to_string();
        let what = match (kind, lang) {
            ("red_line", Lang::En) => "Red line",
            ("red_line", Lang::Zh) => "触碰红线",
            (_, Lang::En) => "Restraint",
            (_, Lang::Zh) => "反向约束",
        };
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", e.note)
        };
        let problem = match lang {
            Lang::En => format!("{what}: {name} ({}), {}{note}", item.id, e.date),
            Lang::Zh => format!("{what}：{name}（{}），{}{note}", item.id, e.date),
        };
        found.push((item.id.clone(), kind, problem, name));
    }
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    let mut items: Vec<RectItem> = found
        .into_iter()
        .map(|(source, kind, problem, measure)| {
            let n = count.entry(source.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 {
                format!("{}-{}-{source}", data.year, b.id)
            } else {
                format!("{}-{}-{source}-{n}", data.year, b.id)
            };
            RectItem {
                id,
                branch,
                source,
                kind,
                problem,
                responsible: b.secretary.clone(),
                supervisor: b.lead.clone(),
                measure,
                deadline,
            }
        })
        .collect();
    items.sort_by(|a, b| a.id.cmp(&b.id));
    items
}

/// The items of every rated branch of a year, in branch then item id order.
pub fn year_items(
    ws: &Workspace,
    data: &YearData,
    ratings: &[(usize, Rating)],
    lang: Lang,
) -> Vec<RectItem> {
    ratings
        .iter()
        .flat_map(|(b, r)| {
            ws.branches
                .get(*b)
                .and_then(|br| ws.standards.get(br.domain))
                .map(|std| branch_items(ws, data, *b, std, r, lang))
                .unwrap_or_default()
        })
        .collect()
}
