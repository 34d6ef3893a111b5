//! `stars template surveys|deductions|objections|decisions`: the records of the year ready
//! to fill (SPEC.md "Records of the year"). The header row is each column's name in the
//! workspace's language (the Chinese names of the one alias table, [`crate::aliases`], in
//! Chinese), which the reader reads back as is. The surveys' template has a row for every
//! group of every branch rated in the year; the others list nothing yet: a deduction, an
//! objection or a decision is a row only when there is one.

use super::Ctx;
use crate::decimal::fmt_plain;
use crate::i18n::{msg_in, Lang};
use crate::problem::Outcome;
use crate::render::{Column, Report, Value};
use crate::standard::Level;
use crate::workspace::Workspace;

/// The records a template can be made of, by the name `stars template` takes.
pub const NAMES: [&str; 4] = ["surveys", "deductions", "objections", "decisions"];

/// The template of the records `name` (one of [`NAMES`]); `None` for another name.
pub fn run(ctx: &Ctx, name: &str, bom: bool) -> Option<Outcome<()>> {
    if !NAMES.contains(&name) {
        return None;
    }
    Some(make(ctx, name, bom))
}

fn make(ctx: &Ctx, name: &str, bom: bool) -> Outcome<()> {
    let ws = ctx.workspace()?;
    let year = ctx.year(&ws)?;
    let lang = ctx.lang;
    let rep = match name {
        "surveys" => surveys(&ws, year, lang),
        "deductions" => deductions(&ws, year, lang),
        "objections" => objections(&ws, year, lang),
        _ => decisions(&ws, year, lang),
    };
    super::handout::emit_list(ctx, &rep, bom)
}

/// The columns, (key, Chinese name), each headed by its name in `lang` (its key in
/// English). Every Chinese name is one the readers know ([`crate::aliases::HEADERS`]).
fn columns(keys: &[(&str, &str)], lang: Lang) -> Vec<Column> {
    keys.iter()
        .map(|(k, zh)| Column::keyed(lang.t(k, zh).to_string()))
        .collect()
}

const BRANCH: (&str, &str) = ("branch", "支部编号");
const NAME: (&str, &str) = ("name", "支部名称");

/// Each template's columns.
const SURVEYS: [(&str, &str); 9] = [
    BRANCH,
    NAME,
    ("group", "分组"),
    ("issued", "发放票数"),
    ("returned", "收回票数"),
    ("satisfied", "满意"),
    ("basically", "基本满意"),
    ("dissatisfied", "不满意"),
    ("unknown", "不了解"),
];
const DEDUCTIONS: [(&str, &str); 7] = [
    BRANCH,
    NAME,
    ("level", "层级"),
    ("indicator", "指标编号"),
    ("points", "扣分"),
    ("date", "扣分日期"),
    ("reason", "扣分原因"),
];
const OBJECTIONS: [(&str, &str); 6] = [
    BRANCH,
    NAME,
    ("received", "受理日期"),
    ("matter", "异议事项"),
    ("status", "办理状态"),
    ("answered", "答复日期"),
];
const DECISIONS: [(&str, &str); 5] = [
    BRANCH,
    NAME,
    ("star", "决定星级"),
    ("reason", "理由"),
    ("document", "决定文号"),
];

/// A template headed by `cols`, titled by `title` with the workspace's name.
fn headed(
    cols: &[(&str, &str)],
    ws: &Workspace,
    lang: Lang,
    title: impl FnOnce(&str) -> String,
) -> Report<'static> {
    Report::new(title(&ws.config.name), columns(cols, lang))
}

/// Branches rated in `year`, in id order.
fn rated(ws: &Workspace, year: i32) -> impl Iterator<Item = &crate::workspace::Branch> {
    ws.branches.iter().filter(move |b| b.rated_in(year))
}

fn surveys(ws: &Workspace, year: i32, lang: Lang) -> Report<'static> {
    let mut rep = headed(&SURVEYS, ws, lang, |name| {
        msg_in!(
            lang,
            "{name} — ballots of the mass evaluation {year}",
            "{name} {year}年度群众满意度测评票数统计表"
        )
    });
    let mut settings = Vec::new();
    for b in rated(ws, year) {
        let Some(std) = ws.standards.get(b.domain) else {
            continue;
        };
        let s = &std.settings.survey;
        let groups: Vec<&str> = match s.groups.is_empty() {
            true => vec![""],
            false => s.groups.iter().map(|(g, _)| g.as_str()).collect(),
        };
        for g in groups {
            let mut row = vec![
                Value::text(b.id().to_string()),
                Value::text(b.name().to_string()),
                Value::text(g.to_string()),
            ];
            row.extend(std::iter::repeat_n(Value::Null, 6));
            rep.rows.push(row);
        }
        if !settings.contains(&s) {
            settings.push(s);
        }
    }
    for s in settings {
        rep.notes.push(survey_note(s, lang));
    }
    rep.notes.push(msg_in!(
        lang,
        "Fill each row's counts as whole numbers (0 if none). A row with more answers than ballots back, more back than issued, too few back or no valid ballot is a void round: hold it again. Save it as {year}/surveys.csv or {year}/surveys.xlsx; a branch with ballots has no mass row in any score sheet.",
        "每行填写整数票数（没有则填 0）。答票合计多于收回票数、收回多于发放、收回不足或没有有效票的，本轮测评无效，须重新测评。填好后保存为 {year}/surveys.csv 或 {year}/surveys.xlsx；有测评票的支部，评分表中不再填写其群众评议行。"
    ));
    rep
}

/// The rules of a `[survey]` the branches of the template are rated by, as a note.
fn survey_note(s: &crate::standard::records::Survey, lang: Lang) -> String {
    let groups: Vec<String> = (s.groups.iter())
        .map(|(g, w)| format!("{g} {}", fmt_plain(*w)))
        .collect();
    let groups = if groups.is_empty() {
        lang.t("one group, left blank", "不分组（分组留空）")
            .to_string()
    } else {
        groups.join(lang.t(", ", "、"))
    };
    let (sat, bas, dis) = (
        fmt_plain(s.satisfied),
        fmt_plain(s.basically),
        fmt_plain(s.dissatisfied),
    );
    let unknown = match s.unknown {
        Some(p) => {
            let p = fmt_plain(p);
            msg_in!(lang, "unknown {p}", "不了解 {p} 分")
        }
        None => lang
            .t("unknown left out of the count", "不了解不计入")
            .to_string(),
    };
    let min = fmt_plain(s.min_return);
    msg_in!(
        lang,
        "[survey]: groups {groups}; satisfied {sat}, basically {bas}, dissatisfied {dis}, {unknown}; more than {min} of the ballots issued must come back.",
        "测评规则（[survey]）：分组 {groups}；满意 {sat} 分、基本满意 {bas} 分、不满意 {dis} 分，{unknown}；收回票数须超过发放票数的 {min}。"
    )
}

fn deductions(ws: &Workspace, year: i32, lang: Lang) -> Report<'static> {
    let mut rep = headed(&DEDUCTIONS, ws, lang, |name| {
        msg_in!(
            lang,
            "{name} — deductions {year}",
            "{name} {year}年度扣分记录表"
        )
    });
    for std in ws.standards.by_domain.values() {
        let levels: Vec<&str> = (Level::ALL.iter())
            .filter(|l| std.settings.by_deduction(**l))
            .map(|l| lang.t(l.as_str(), l.zh()))
            .collect();
        if levels.is_empty() || !rated(ws, year).any(|b| b.domain == std.domain) {
            continue;
        }
        let (levels, domain, zh) = (levels.join(lang.t(", ", "、")), std.domain, std.domain.zh());
        let ids: Vec<String> = (std.indicators.iter())
            .map(|i| format!("{} {}", i.id, fmt_plain(i.points)))
            .collect();
        let ids = ids.join(lang.t(", ", "、"));
        rep.notes.push(msg_in!(
            lang,
            "{domain}: scored by deduction at {levels}; indicators and their points: {ids}.",
            "{zh}：{levels}实行扣分制；指标及分值：{ids}。"
        ));
    }
    rep.notes.push(msg_in!(
        lang,
        "One row per deduction: the points taken (above 0, at most 2 decimal places), its date (YYYY-MM-DD) and its reason. An indicator with no row keeps full marks; its deductions are taken until nothing is left (never below 0). Save it as {year}/deductions.csv or .xlsx.",
        "每扣一次分填一行：所扣分数（大于 0，最多 2 位小数）、日期（YYYY-MM-DD）和扣分原因。没有扣分的指标为满分；逐项扣分，扣完为止（不低于 0）。填好后保存为 {year}/deductions.csv 或 .xlsx。"
    ));
    rep
}

fn objections(ws: &Workspace, year: i32, lang: Lang) -> Report<'static> {
    let mut rep = headed(&OBJECTIONS, ws, lang, |name| {
        msg_in!(
            lang,
            "{name} — objections during publicity {year}",
            "{name} {year}年度公示期异议登记表"
        )
    });
    rep.notes.push(msg_in!(
        lang,
        "One row per objection: the date received, the matter, its status — open (未处理) while it is looked into, then upheld (成立) or dismissed (不成立) with the date answered. An open or upheld objection holds a five-star branch at four. Save it as {year}/objections.csv or .xlsx.",
        "每条异议填一行：受理日期、异议事项、办理状态——核查期间填“未处理”（open），办结后填“成立”（upheld）或“不成立”（dismissed）并填写答复日期。异议未处理或成立的，五星支部暂评为四星。填好后保存为 {year}/objections.csv 或 .xlsx。"
    ));
    rep
}

fn decisions(ws: &Workspace, year: i32, lang: Lang) -> Report<'static> {
    let mut rep = headed(&DECISIONS, ws, lang, |name| {
        msg_in!(
            lang,
            "{name} — decisions on rechecks and appeals {year}",
            "{name} {year}年度复核、申诉决定登记表"
        )
    });
    rep.notes.push(msg_in!(
        lang,
        "At most one row per branch: the star decided (0 to 5), the reason and the document. The decided star replaces the star the rules gave (status decided); the score stays. Save it as {year}/decisions.csv or .xlsx.",
        "每个支部最多一行：决定星级（0 至 5）、理由和决定文号。决定星级取代按规则评定的星级（状态为“复核决定”），得分不变。填好后保存为 {year}/decisions.csv 或 .xlsx。"
    ));
    rep
}

#[cfg(test)]
mod tests {
    /// What a template is headed with in Chinese is read back as its key.
    #[test]
    fn every_chinese_header_reads_back_as_its_key() {
        for cols in [
            &super::SURVEYS[..],
            &super::DEDUCTIONS,
            &super::OBJECTIONS,
            &super::DECISIONS,
        ] {
            for (key, zh) in cols {
                assert_eq!(crate::aliases::header(zh), *key, "{zh}");
            }
        }
    }
}
