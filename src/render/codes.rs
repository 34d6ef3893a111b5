//! The one catalogue of codes → Chinese: what a person reads in a table, Markdown or a
//! workbook in Chinese where CSV and JSON (the machine contract) print the code itself.
//!
//! The terms that have a type of their own keep their Chinese next to it (`Domain::zh`,
//! `Level::zh`, `Status::zh`, `Tier::zh`, `Change::zh`); this module looks them up there and
//! holds every other term. A code the catalogue does not know (a department of a
//! workspace's own, an id) is shown as it is.

use crate::followup::adjust::Change;
use crate::i18n::Lang;
use crate::rate::{Status, Tier};
use crate::standard::{Domain, Level};
use std::borrow::Cow;

/// What a code names: the same code may read differently in two places (`red_line` is a
/// status 触碰红线 and a kind of item 红线).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// rural, agency, two_new, community, soe.
    Domain,
    /// self, mass, organization.
    Level,
    /// A rating's status (approved … rated), `not_rated`, or a review outcome
    /// (`not_needed`).
    Status,
    /// lead, promote, transform.
    Tier,
    /// up, down, same, new, trial.
    Change,
    /// What a rectification item or a standard's item is: indicator, incentive, restraint,
    /// red_line (and a standard's indicators: common, personalized, secretary_project).
    Kind,
    /// A review department (discipline, law_enforcement, industry, or a workspace's own).
    Department,
    /// Departments joined by `;`.
    Departments,
    /// approve, object.
    Opinion,
    /// What came of an objection during publicity: open, upheld, dismissed.
    Objection,
    /// What blocks the next star, joined by `;`: `red_line:X1`, `bottom_line:C1`,
    /// `floor:FM`, `quota`, `objected:D`, `pending_review:D`.
    BlockedBy,
    /// A star's threshold: five, four, three, two, one.
    Threshold,
    /// The groups of a five-star quota: workspace, town, domain.
    QuotaPer,
    /// A step of `explain`'s trace (and the fixed words of its details).
    Step,
    /// An indicator's level in `explain`'s trace: `C1.self` → `C1 自评`.
    IndicatorLevel,
}

/// The text of a code in a language: the code itself in English, its Chinese (where the
/// catalogue has it) in Chinese.
pub fn show(kind: Code, code: &str, lang: Lang) -> Cow<'_, str> {
    match lang {
        Lang::En => Cow::Borrowed(code),
        Lang::Zh => zh(kind, code),
    }
}

/// A list of codes of a list kind ([`Code::Departments`], [`Code::BlockedBy`]) in a
/// language: `a, b` in English; in Chinese the Chinese of each, joined as Chinese joins them.
pub fn show_list(kind: Code, codes: &[String], lang: Lang) -> String {
    show(kind, &codes.join(lang.t(", ", ";")), lang).into_owned()
}

/// The Chinese of a code; the code itself when the catalogue does not know it.
pub fn zh(kind: Code, code: &str) -> Cow<'_, str> {
    match kind {
        Code::Departments => Cow::Owned(
            code.split(';')
                .map(|d| zh(Code::Department, d))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Code::BlockedBy => Cow::Owned(
            code.split(';')
                .map(blocked_by)
                .collect::<Vec<_>>()
                .join("；"),
        ),
        Code::IndicatorLevel => match code.rsplit_once('.') {
            Some((id, level)) => match Level::parse(level) {
                Some(l) => Cow::Owned(format!("{id} {}", l.zh())),
                None => Cow::Borrowed(code),
            },
            None => Cow::Borrowed(code),
        },
        _ => term(kind, code).map_or(Cow::Borrowed(code), Cow::Borrowed),
    }
}

/// One fixed term.
fn term(kind: Code, code: &str) -> Option<&'static str> {
    match kind {
        Code::Domain => Domain::parse(code).map(Domain::zh),
        Code::Level => Level::parse(code).map(Level::zh),
        Code::Status => (Status::ALL.iter())
            .find(|s| s.as_str() == code)
            .map(|s| s.zh())
            .or(match code {
                "not_rated" => Some("未参评"),
                "not_needed" => Some("无需审核"),
                _ => None,
            }),
        Code::Tier => (Tier::ALL.iter())
            .find(|t| t.as_str() == code)
            .map(|t| t.zh()),
        Code::Change => (Change::ALL.iter())
            .find(|c| c.as_str() == code)
            .map(|c| c.zh()),
        Code::Kind => match code {
            "indicator" => Some("指标"),
            "incentive" => Some("正向激励"),
            "restraint" => Some("反向约束"),
            "red_line" => Some("红线"),
            "common" => Some("共性指标"),
            "personalized" => Some("个性指标"),
            "secretary_project" => Some("书记项目"),
            "theme" => Some("主题星"),
            "required_theme" => Some("必备主题星"),
            _ => None,
        },
        Code::Department => crate::i18n::department_zh(code),
        Code::Opinion => crate::aliases::name(crate::aliases::Vocab::Opinion, code),
        Code::Objection => (crate::workspace::ObjectionStatus::ALL.iter())
            .find(|o| o.as_str() == code)
            .map(|o| o.zh()),
        Code::Threshold => match code {
            "five" => Some("五星"),
            "four" => Some("四星"),
            "three" => Some("三星"),
            "two" => Some("二星"),
            "one" => Some("一星"),
            _ => None,
        },
        Code::QuotaPer => match code {
            "workspace" => Some("全工作区"),
            "town" => Some("镇"),
            "domain" => Some("领域"),
            _ => None,
        },
        Code::Step => step(code),
        Code::Departments | Code::BlockedBy | Code::IndicatorLevel => None,
    }
}

/// `explain`'s steps and the fixed words of their details.
fn step(code: &str) -> Option<&'static str> {
    Some(match code {
        "standard" => "评星标准",
        "weight" => "权重",
        "score" => "得分",
        "combined" => "加权得分",
        "base" => "基础分",
        "incentive" => "正向激励",
        "restraint" => "反向约束",
        "red_line" => "红线",
        "incentives" => "激励合计",
        "bonus_cap" => "加分上限",
        "bonus" => "加分",
        "deduction" => "扣分",
        "score_exact" => "精确总分",
        "threshold" => "星级分数线",
        "score_star" => "得分星级",
        "floor" => "层级底线",
        "cap" => "封顶",
        "capped_star" => "封顶后星级",
        "review" => "镇级审核意见",
        "review_outcome" => "审核结果",
        "quota" => "五星名额",
        "star" => "评定星级",
        "status" => "状态",
        "tier" => "分类",
        "gap" => "距上一星级",
        "bottom_line" => "未达底线",
        "rounded half up" => "四舍五入",
        "five stars" => "已是五星",
        "theme_line" => "主题星达标线",
        "theme" => "主题星",
        "earned" => "获得",
        "not earned" => "未获得",
        "gap_theme" => "差距主题",
        "ballots" => "测评票",
        "survey" => "群众满意度",
        "deduction_record" => "扣分记录",
        "objection" => "公示期异议",
        "decision" => "复核决定",
        _ => return None,
    })
}

/// One thing that blocks the next star: `objected:law_enforcement` → `有异议：行政执法`.
fn blocked_by(code: &str) -> String {
    let (what, of) = match code.split_once(':') {
        Some((what, of)) => (what, Some(of)),
        None => (code, None),
    };
    let dept = |d: &str| zh(Code::Department, d).into_owned();
    match (what, of) {
        ("quota", None) => "超出五星名额".into(),
        ("publicity", None) => "公示期异议".into(),
        ("decided", None) => "复核决定".into(),
        ("red_line", Some(x)) => format!("红线 {x}"),
        ("bottom_line", Some(x)) => format!("未达底线 {x}"),
        ("floor", Some(x)) => format!("层级底线 {x}"),
        ("objected", Some(d)) => format!("有异议：{}", dept(d)),
        ("pending_review", Some(d)) => format!("待审核：{}", dept(d)),
        _ => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_chinese() {
        assert_eq!(zh(Code::Domain, "rural"), "农村");
        assert_eq!(zh(Code::Status, "floor"), "未达层级底线");
        assert_eq!(zh(Code::Status, "quota"), "超出五星名额");
        assert_eq!(zh(Code::Status, "red_line"), "触碰红线");
        assert_eq!(zh(Code::Kind, "red_line"), "红线");
        assert_eq!(zh(Code::Change, "trial"), "试评（不授牌）");
        assert_eq!(zh(Code::Department, "own_dept"), "own_dept");
        assert_eq!(
            zh(
                Code::BlockedBy,
                "bottom_line:C1;floor:FM;objected:law_enforcement;pending_review:industry;quota;red_line:X1"
            ),
            "未达底线 C1；层级底线 FM；有异议：行政执法；待审核：行业监管；超出五星名额；红线 X1"
        );
        assert_eq!(zh(Code::BlockedBy, ""), "");
        assert_eq!(zh(Code::Departments, "discipline;x"), "纪检监察、x");
        assert_eq!(show(Code::Opinion, "approve", Lang::En), "approve");
        assert_eq!(zh(Code::IndicatorLevel, "C1.mass"), "C1 群众评议");
        assert_eq!(zh(Code::IndicatorLevel, "C1"), "C1");
        assert_eq!(show(Code::Opinion, "approve", Lang::Zh), "同意");
    }
}
