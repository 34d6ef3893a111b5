//! `stars report` on a county: one page for the county party committee with the towns side
//! by side — headline figures, stars by town (a chart and its table), the plaques and open
//! items by town, and the five-star branches of each town. Made from each member's
//! `evaluate` and `adjust` rows (CSV values: numbers and codes), one member at a time; a town's
//! own page is `stars report --town NAME`.

use super::{lock, Emitted, Towns};
use crate::cli::Command;
use crate::i18n::{msg_in, Lang};
use crate::problem::{Failure, Outcome};
use crate::render::html::Page;
use crate::render::{svg, Format, Report, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What the page needs of one town.
#[derive(Default)]
struct Town {
    name: String,
    /// Branches by star, 0 to 5.
    stars: [u64; 6],
    /// The five-star branches: id, name, score.
    five: Vec<[String; 3]>,
    /// Plaques up, down, kept; open items; interviews.
    up: u64,
    down: u64,
    same: u64,
    open: i64,
    interviews: u64,
    /// The records of the year: ballots, objections (open, upheld, dismissed), and the
    /// decisions (id, name, star by the rules, star decided, reason, document).
    ballots: crate::followup::records::Ballots,
    objections: [u64; 3],
    decisions: Vec<[String; 6]>,
}

impl Towns<'_> {
    /// The county's page: every selected town, or nothing when one is not sound.
    pub(super) fn report(&self) -> Outcome<()> {
        let lang = self.ctx.lang;
        let failures: Mutex<BTreeMap<usize, Failure>> = Mutex::new(BTreeMap::new());
        let towns: Vec<Town> = super::run_all(self.selected.len(), |j| {
            let k = self.selected.get(j).copied()?;
            let got = self
                .collect_as(&Command::Evaluate, k, Format::Csv)
                .and_then(|e| Ok((e, self.collect_as(&Command::Adjust, k, Format::Csv)?)));
            match got {
                Ok((evaluated, adjusted)) => {
                    let mut town = town_of(self.town(k), &evaluated, &adjusted);
                    self.add_records(k, &mut town);
                    Some(town)
                }
                Err(f) => {
                    lock(&failures).insert(k, f);
                    None
                }
            }
        })
        .into_iter()
        .flatten()
        .collect();
        if !lock(&failures).is_empty() || !lock(&self.broken).is_empty() {
            return Err(self.failed(&failures, false));
        }
        let html = page(&self.county.config.name, self.year, &towns, lang);
        self.ctx.emit(&html)
    }
}

impl Towns<'_> {
    /// Member k's records of the year (when its year folder has any): its ballots and
    /// objections, read again (the member's evaluate ran on them already).
    fn add_records(&self, k: usize, town: &mut Town) {
        let (Some(member), Some(year)) = (self.county.members.get(k), self.year) else {
            return;
        };
        let listing = crate::workspace::files::Listing::of(&member.dir.join(year.to_string()));
        if !listing.has_records() {
            return;
        }
        let mut problems = crate::problem::Problems::new();
        let enc = self.ctx.global.encoding;
        let Some(ws) =
            crate::workspace::Workspace::load_member(member, self.county, enc, &mut problems)
        else {
            return;
        };
        let records = ws.records(year, &mut problems);
        for b in crate::followup::records::ballots_by_domain(&ws, &records).values() {
            town.ballots.add(b);
        }
        town.objections = crate::followup::records::objections_by_status(&records);
    }
}

/// A column's cell in a row of a member's list.
fn value<'r>(rep: &Report, row: &'r [Value<'r>], key: &str) -> Option<&'r Value<'r>> {
    let i = rep.columns.iter().position(|c| c.key == key)?;
    row.get(i)
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> String {
    v.map(Value::plain).unwrap_or_default()
}

/// What the page needs of one town, from its `evaluate` and `adjust` rows.
fn town_of(name: &str, evaluated: &[Emitted], adjusted: &[Emitted]) -> Town {
    let mut t = Town {
        name: name.to_string(),
        ..Town::default()
    };
    if let Some(rep) = super::main_report(evaluated) {
        for row in &rep.rows {
            let star = int(value(rep, row, "star")).and_then(|s| usize::try_from(s).ok());
            if let Some(c) = star.and_then(|s| t.stars.get_mut(s)) {
                *c += 1;
            }
            if star == Some(5) {
                t.five.push([
                    text(value(rep, row, "branch")),
                    text(value(rep, row, "name")),
                    text(value(rep, row, "score")),
                ]);
            }
            // A decision of the committee: its columns are there when a town has one.
            if let Some(ruled) = int(value(rep, row, "rules_star")) {
                t.decisions.push([
                    text(value(rep, row, "branch")),
                    text(value(rep, row, "name")),
                    ruled.to_string(),
                    text(value(rep, row, "star")),
                    text(value(rep, row, "decision")),
                    text(value(rep, row, "document")),
                ]);
            }
        }
    }
    if let Some(rep) = super::main_report(adjusted) {
        for row in &rep.rows {
            match value(rep, row, "change") {
                Some(Value::Code(_, c)) if c == "up" => t.up += 1,
                Some(Value::Code(_, c)) if c == "down" => t.down += 1,
                Some(Value::Code(_, c)) if c == "same" => t.same += 1,
                _ => {}
            }
            t.open += int(value(rep, row, "open")).unwrap_or(0);
            if matches!(value(rep, row, "remind"), Some(Value::Bool(true))) {
                t.interviews += 1;
            }
        }
    }
    t
}

/// The page.
fn page(county: &str, year: Option<i32>, towns: &[Town], lang: Lang) -> String {
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    let title = msg_in!(
        lang,
        "{county} — star rating of party branches {year}, town by town: report to the committee",
        "{county}{year}年度星级党支部评定情况报告（分镇街）"
    );
    let running = msg_in!(lang, "{county} · {year}", "{county} · {year}年度");
    let mut p = Page::new(&title, lang, &running);
    // A fifth page for the records of the year, when a town has any.
    let records = towns.iter().any(|t| {
        t.ballots.branches > 0 || t.objections.iter().sum::<u64>() > 0 || !t.decisions.is_empty()
    });
    let pages = if records { 5 } else { 4 };
    let n_of = |k: usize| format!("{k} / {pages}");
    let total: u64 = towns.iter().map(|t| t.stars.iter().sum::<u64>()).sum();
    let five: u64 = towns.iter().map(|t| t.stars[5]).sum();

    // 1. Headline figures.
    p.section("overview", lang.t("Headline figures", "总体情况"),);
    p.h1(&title);
    let figures = [
        (lang.t("Towns", "镇（街道）"), towns.len().to_string()),
        (lang.t("Branches rated", "参评支部"), total.to_string()),
        (
            lang.t("Five-star branches", "五星级党支部"),
            five.to_string(),
        ),
        (lang.t("Five-star share", "五星占比"), percent(five, total)),
        (
            lang.t("Plaques up", "星级牌升星"),
            towns.iter().map(|t| t.up).sum::<u64>().to_string(),
        ),
        (
            lang.t("Plaques down", "星级牌降星"),
            towns.iter().map(|t| t.down).sum::<u64>().to_string(),
        ),
        (
            lang.t("Open rectification items", "未完成整改事项"),
            towns.iter().map(|t| t.open).sum::<i64>().to_string(),
        ),
    ];
    let figures: Vec<(String, String)> = figures
        .into_iter()
        .map(|(l, v)| (l.to_string(), v))
        .collect();
    p.figures(&figures);
    p.end();

    // 2. Stars by town.
    p.section(
        "stars",
        lang.t("Stars by town", "各镇（街道）星级分布"),);
    let series: Vec<String> = (0..6).rev().map(|s| star_name(s, lang)).collect();
    let rows: Vec<(String, Vec<u64>)> = towns
        .iter()
        .map(|t| (t.name.clone(), (0..6).rev().map(|s| t.stars[s]).collect()))
        .collect();
    p.raw(&svg::stacked_bars(
        lang.t("Branches by star, by town", "各镇（街道）各星级支部数"),
        &series,
        &rows,
    ));
    let mut header = vec![lang.t("Town", "镇（街道）"), lang.t("Branches", "支部数")];
    let names: Vec<String> = series.clone();
    header.extend(names.iter().map(String::as_str));
    header.push(lang.t("5★ share", "五星占比"));
    let table: Vec<Vec<String>> = towns
        .iter()
        .map(|t| {
            let n: u64 = t.stars.iter().sum();
            let mut row = vec![t.name.clone(), n.to_string()];
            row.extend((0..6).rev().map(|s| t.stars[s].to_string()));
            row.push(percent(t.stars[5], n));
            row
        })
        .collect();
    let numeric: Vec<bool> = (0..header.len()).map(|k| k > 0).collect();
    p.table(
        &header,
        &numeric,
        &table,
        lang.t("No town.", "没有镇（街道）。"),
    );
    p.end();

    // 3. Plaques and open items by town.
    p.section(
        "plaques",
        lang.t(
            "Plaques and rectification by town",
            "各镇（街道）星级牌调整与整改",
        ),);
    let header = [
        lang.t("Town", "镇（街道）"),
        lang.t("Up", "升星"),
        lang.t("Down", "降星"),
        lang.t("Kept", "不变"),
        lang.t("Open items", "未完成整改"),
        lang.t("Interviews", "约谈"),
    ];
    let table: Vec<Vec<String>> = towns
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.up.to_string(),
                t.down.to_string(),
                t.same.to_string(),
                t.open.to_string(),
                t.interviews.to_string(),
            ]
        })
        .collect();
    p.table(
        &header,
        &[false, true, true, true, true, true],
        &table,
        lang.t("No town.", "没有镇（街道）。"),
    );
    p.end();

    // 4. The five-star branches of each town.
    p.section(
        "five",
        lang.t("Five-star branches by town", "各镇（街道）五星级党支部"),);
    let header = [
        lang.t("Town", "镇（街道）"),
        lang.t("Branch", "支部编号"),
        lang.t("Name", "支部名称"),
        lang.t("Score", "总分"),
    ];
    let table: Vec<Vec<String>> = towns
        .iter()
        .flat_map(|t| {
            t.five.iter().map(|[id, name, score]| {
                vec![t.name.clone(), id.clone(), name.clone(), score.clone()]
            })
        })
        .collect();
    p.table(
        &header,
        &[false, false, false, true],
        &table,
        lang.t("No five-star branch.", "没有五星级党支部。"),
    );
    p.end();
    if records {
        records_page(&mut p, towns, lang, &n_of(5));
    }
    p.finish()
}

/// Page 5, the records of the year by town: the ballots' returns and satisfaction, the
/// objections during publicity, the committee's decisions.
fn records_page(p: &mut Page, towns: &[Town], lang: Lang, n_of: &str) {
    p.section(
        "records",
        lang.t(
            "Records of the year by town",
            "各镇（街道）测评、异议与复核",
        ),);
    let pct = |d: Option<rust_decimal::Decimal>| {
        d.map_or("—".to_string(), |d| {
            format!("{}%", crate::decimal::fmt2(d))
        })
    };
    let header = [
        lang.t("Town", "镇（街道）"),
        lang.t("Branches with ballots", "测评支部"),
        lang.t("Issued", "发放票数"),
        lang.t("Returned", "收回票数"),
        lang.t("Return rate", "收回率"),
        lang.t("Satisfaction", "满意度得分"),
        lang.t("Objections open", "异议未处理"),
        lang.t("Upheld", "异议成立"),
        lang.t("Dismissed", "异议不成立"),
        lang.t("Decisions", "复核决定"),
    ];
    let table: Vec<Vec<String>> = towns
        .iter()
        .map(|t| {
            let b = &t.ballots;
            let [open, upheld, dismissed] = t.objections;
            vec![
                t.name.clone(),
                b.branches.to_string(),
                b.issued.to_string(),
                b.returned.to_string(),
                pct(b.return_rate()),
                b.satisfaction()
                    .map_or("—".to_string(), crate::decimal::fmt2),
                open.to_string(),
                upheld.to_string(),
                dismissed.to_string(),
                t.decisions.len().to_string(),
            ]
        })
        .collect();
    let numeric: Vec<bool> = (0..header.len()).map(|k| k > 0).collect();
    p.table(
        &header,
        &numeric,
        &table,
        lang.t("No town.", "没有镇（街道）。"),
    );
    p.h3(lang.t("Decisions of the committee", "复核、申诉决定"));
    let header = [
        lang.t("Town", "镇（街道）"),
        lang.t("Branch", "支部编号"),
        lang.t("Name", "支部名称"),
        lang.t("By the rules", "按规则评定"),
        lang.t("Decided", "决定星级"),
        lang.t("Reason", "理由"),
        lang.t("Document", "文号"),
    ];
    let table: Vec<Vec<String>> = towns
        .iter()
        .flat_map(|t| {
            t.decisions.iter().map(|d| {
                let mut row = vec![t.name.clone()];
                row.extend(d.iter().cloned());
                row
            })
        })
        .collect();
    p.table(
        &header,
        &[false; 7],
        &table,
        lang.t("No decision.", "无复核、申诉决定。"),
    );
    p.end();
}

/// `part` of `whole` as a percentage with one place, rounded half up (`12.5%`).
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".to_string();
    }
    let d = rust_decimal::Decimal::from(part) * rust_decimal::Decimal::from(100)
        / rust_decimal::Decimal::from(whole);
    let mut d = crate::decimal::round_half_up(d, 1);
    d.rescale(1);
    format!("{d}%")
}

/// A star in words: `★5` / `五星`, 0 as not rated.
fn star_name(star: usize, lang: Lang) -> String {
    const ZH: [&str; 6] = ["不评星", "一星", "二星", "三星", "四星", "五星"];
    match (star, ZH.get(star), lang) {
        (0, _, _) => lang.t("Not rated (0)", "不评星").to_string(),
        (_, Some(zh), Lang::Zh) => (*zh).to_string(),
        (s, _, _) => format!("★{s}"),
    }
}
