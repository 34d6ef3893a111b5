//! `stars explain`: the records of the year behind a rating (SPEC.md "Records of the
//! year") — the ballots, each group's rate and weight to the mass level; each deduction
//! with its date and reason; the objections raised during publicity; the committee's
//! decision with its document — as lines of text, as JSON and as rows. Nothing of this is
//! written for a branch without records.

use crate::ballots::Rate;
use crate::decimal::fmt_plain as d;
use crate::explain_trace::{RecordsTrace, SurveyTrace, Trace};
use crate::i18n::{msg_in, Lang};
use crate::rate::Status;
use crate::render::codes::show;
use crate::render::Code;
use serde_json::{json, Value as J};

/// R_g or R as text: `80`, or `2740/29 = 94.482758620689…`.
fn rate(r: &Rate) -> String {
    if r.is_exact_decimal(12) {
        r.text(12)
    } else {
        format!("{} = {}", r.fraction(), r.text(12))
    }
}

/// The ballots: each group's rate, then R (the mass level's overall).
pub fn ballots(tr: &Trace, lang: Lang) -> Vec<String> {
    let Some(s) = &tr.records.survey else {
        return Vec::new();
    };
    let mut out = vec![
        String::new(),
        lang.t("Ballots (mass evaluation)", "群众满意度测评票")
            .to_string(),
    ];
    let [sat, bas, dis] = s.points.map(d);
    for g in &s.groups {
        let c = &g.counts;
        let name = if g.name.is_empty() {
            lang.t("all", "全部").to_string()
        } else {
            g.name.clone()
        };
        let (issued, returned, valid, weight) = (c.issued, c.returned, g.valid, d(g.weight));
        let (s1, b1, d1, u1) = (c.satisfied, c.basically, c.dissatisfied, c.unknown);
        let unknown = match s.unknown {
            Some(p) => {
                let p = d(p);
                msg_in!(lang, " + {u1} × {p}", " + 不了解 {u1} × {p}")
            }
            None => String::new(),
        };
        let left_out = match (s.unknown, u1) {
            (None, 1..) => msg_in!(lang, "; {u1} unknown left out", "；不了解 {u1} 票不计入"),
            _ => String::new(),
        };
        let r = rate(&g.rate);
        out.push(msg_in!(
            lang,
            "  {name} (weight {weight}): issued {issued}, returned {returned}; ({s1} × {sat} + {b1} × {bas} + {d1} × {dis}{unknown}) / {valid} valid = {r}{left_out}  [{}]",
            "  {name}（权重 {weight}）：发放 {issued} 票，收回 {returned} 票；(满意 {s1} × {sat} + 基本满意 {b1} × {bas} + 不满意 {d1} × {dis}{unknown}) ÷ 有效票 {valid} = {r}{left_out}  [{}]",
            g.source
        ));
    }
    out.push(result(s, lang));
    out
}

/// `R = 0.4 × 80 + 0.6 × 2740/29 = 2572/29 = 88.689655…`.
fn result(s: &SurveyTrace, lang: Lang) -> String {
    let terms: Vec<String> = (s.groups.iter())
        .map(|g| format!("{} × {}", d(g.weight), g.rate.fraction()))
        .collect();
    let r = rate(&s.rate);
    let sum = if s.groups.len() > 1 {
        format!("{} = ", terms.join(" + "))
    } else {
        String::new()
    };
    msg_in!(
        lang,
        "  R = {sum}{r}: the mass level's overall",
        "  R = {sum}{r}：即群众评议的总体评价（overall）"
    )
}

/// The deductions, each with its date and reason.
pub fn deductions(tr: &Trace, lang: Lang) -> Vec<String> {
    let list = &tr.records.deductions;
    if list.is_empty() {
        return Vec::new();
    }
    let mut out = vec![String::new(), lang.t("Deductions", "扣分记录").to_string()];
    for x in list {
        let level = show(Code::Level, x.level.as_str(), lang);
        out.push(format!(
            "  {} {level} −{} {} {}  [{}]",
            x.indicator,
            d(x.points),
            x.date,
            x.reason,
            x.source
        ));
    }
    out
}

/// The objections raised during publicity, and what they did (step 7b).
pub fn objections(tr: &Trace, lang: Lang) -> Vec<String> {
    let list = &tr.records.objections;
    if list.is_empty() {
        return Vec::new();
    }
    let mut out = vec![lang
        .t("Objections during publicity:", "公示期异议：")
        .to_string()];
    for o in list {
        let status = show(Code::Objection, o.status.as_str(), lang);
        let answered = o
            .answered
            .map(|a| msg_in!(lang, ", answered {a}", "，{a} 答复"))
            .unwrap_or_default();
        out.push(msg_in!(
            lang,
            "  received {}: {} — {status}{answered}  [{}]",
            "  {} 受理：{}——{status}{answered}  [{}]",
            o.received,
            o.matter,
            o.source
        ));
    }
    let outcome = match tr.status {
        Status::Publicity => lang.t(
            "held at four stars (publicity)",
            "暂评为四星（公示期有异议）",
        ),
        _ if tr.review.is_some() && list.iter().any(|o| o.status.holds()) => lang.t(
            "not five stars after the town review: nothing more to hold",
            "镇级审核后已非五星，异议不再影响星级",
        ),
        _ if list.iter().any(|o| o.status.holds()) => lang.t(
            "below five stars: it changes nothing",
            "不足五星，异议不影响星级",
        ),
        _ => lang.t(
            "none open or upheld: it changes nothing",
            "异议均不成立，不影响星级",
        ),
    };
    out.push(format!("  → {outcome}"));
    out
}

/// The committee's decision, beside the star the rules gave.
pub fn decision(tr: &Trace, lang: Lang) -> Vec<String> {
    let Some(x) = &tr.records.decision else {
        return Vec::new();
    };
    let (star, ruled) = (x.star, x.ruled_star);
    let status = show(Code::Status, x.ruled_status.as_str(), lang);
    let document = if x.document.is_empty() {
        String::new()
    } else {
        format!("; {}", x.document)
    };
    vec![msg_in!(
        lang,
        "Decision of the committee: {star}★ (the rules gave {ruled}★, {status}): {}{document}  [{}]",
        "县委复核决定：{star}星（按规则评定为{ruled}星，{status}）：{}{document}  [{}]",
        x.reason,
        x.source
    )]
}

/// The records as one JSON value; `None` for a branch without any.
pub fn json(r: &RecordsTrace) -> Option<J> {
    if r.is_empty() {
        return None;
    }
    let mut j = serde_json::Map::new();
    if let Some(s) = &r.survey {
        let groups: Vec<J> = (s.groups.iter())
            .map(|g| {
                let c = &g.counts;
                json!({
                    "group": g.name, "weight": d(g.weight), "issued": c.issued,
                    "returned": c.returned, "satisfied": c.satisfied, "basically": c.basically,
                    "dissatisfied": c.dissatisfied, "unknown": c.unknown, "valid": g.valid,
                    "rate": g.rate.fraction(), "rate_decimal": g.rate.text(12),
                    "source": g.source,
                })
            })
            .collect();
        j.insert(
            "survey".into(),
            json!({"groups": groups, "rate": s.rate.fraction(), "rate_decimal": s.rate.text(12)}),
        );
    }
    if !r.deductions.is_empty() {
        let list: Vec<J> = (r.deductions.iter())
            .map(|x| {
                json!({
                    "indicator": x.indicator, "level": x.level.as_str(), "points": d(x.points),
                    "date": x.date.to_string(), "reason": x.reason, "source": x.source,
                })
            })
            .collect();
        j.insert("deductions".into(), J::Array(list));
    }
    if !r.objections.is_empty() {
        let list: Vec<J> = (r.objections.iter())
            .map(|o| {
                json!({
                    "received": o.received.to_string(), "matter": o.matter,
                    "status": o.status.as_str(), "answered": o.answered.map(|a| a.to_string()),
                    "source": o.source,
                })
            })
            .collect();
        j.insert("objections".into(), J::Array(list));
    }
    if let Some(x) = &r.decision {
        j.insert(
            "decision".into(),
            json!({
                "star": x.star, "rules_star": x.ruled_star, "rules_status": x.ruled_status.as_str(),
                "reason": x.reason, "document": x.document, "source": x.source,
            }),
        );
    }
    Some(J::Object(j))
}

/// One row of the records in the trace: (step, item, value, source, detail).
pub type Row = (&'static str, String, String, String, String);

/// The rows of the ballots: each group's, then the survey's rate.
fn survey_rows(s: &SurveyTrace, out: &mut Vec<Row>) {
    for g in &s.groups {
        let c = &g.counts;
        let detail = format!(
            "weight {}; issued {}, returned {}, satisfied {}, basically {}, dissatisfied {}, unknown {}; valid {}",
            d(g.weight),
            c.issued,
            c.returned,
            c.satisfied,
            c.basically,
            c.dissatisfied,
            c.unknown,
            g.valid
        );
        out.push((
            "ballots",
            g.name.clone(),
            g.rate.fraction(),
            g.source.clone(),
            detail,
        ));
    }
    out.push((
        "survey",
        String::new(),
        s.rate.fraction(),
        String::new(),
        s.rate.text(12),
    ));
}

/// The records as rows of the trace: (step, item, value, source, detail).
pub fn rows(r: &RecordsTrace) -> Vec<Row> {
    let mut out = Vec::new();
    if let Some(s) = &r.survey {
        survey_rows(s, &mut out);
    }
    for x in &r.deductions {
        let item = format!("{}.{}", x.indicator, x.level.as_str());
        let detail = format!("{} {}", x.date, x.reason);
        out.push((
            "deduction_record",
            item,
            d(x.points),
            x.source.clone(),
            detail,
        ));
    }
    for o in &r.objections {
        let answered = o.answered.map(|a| a.to_string()).unwrap_or_default();
        let detail = format!("{} {}", o.received, o.matter);
        let value = format!("{} {answered}", o.status.as_str());
        out.push((
            "objection",
            String::new(),
            value.trim_end().to_string(),
            o.source.clone(),
            detail,
        ));
    }
    if let Some(x) = &r.decision {
        let detail = format!("{}; {}", x.reason, x.document);
        let item = format!("{} {}", x.ruled_star, x.ruled_status.as_str());
        out.push((
            "decision",
            item,
            x.star.to_string(),
            x.source.clone(),
            detail,
        ));
    }
    out
}
