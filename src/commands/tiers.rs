//! `stars tiers`: consolidate the advanced, lift the middle, transform the laggards
//! (巩固先进、提升一般、整顿后进).

use super::Ctx;
use crate::i18n::{msg_in, Lang};
use crate::problem::Outcome;
use crate::rate::Tier;
use crate::render::codes::show;
use crate::render::{Code, Column, Report, Value};

/// What each tier's plan focuses on.
pub fn focus(t: Tier, lang: Lang) -> &'static str {
    match t {
        Tier::Lead => lang.t(
            "consolidate: sum up and share experience, host the quarterly exchanges",
            "巩固提升：总结推广经验，承办季度经验交流",
        ),
        Tier::Promote => lang.t(
            "lift: close the gap to the next star, item by item",
            "对标提升：逐项补齐短板，争创更高星级",
        ),
        Tier::Transform => lang.t(
            "transform: a town leader guides the rectification list to its deadlines",
            "整顿转化：包联领导督导，按整改清单限期整改",
        ),
    }
}

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let rated = ctx.rated()?;
    let ws = &rated.ws;
    let lang = ctx.lang;
    let title = msg_in!(
        lang,
        "{} — tiers {}",
        "{} {}年度分类推进名单",
        ws.config.name,
        rated.data.year
    );
    let mut rep = Report::new(
        title,
        vec![
            Column::new("tier", "Tier", "分类"),
            Column::new("branch", "Branch", "支部编号"),
            Column::new("name", "Name", "支部名称"),
            Column::new("domain", "Domain", "领域"),
            Column::new("star", "Star", "星级"),
            Column::new("score", "Score", "总分"),
            Column::new("lead", "Lead", "包联领导"),
            Column::new("focus", "Focus", "工作重点"),
        ],
    );
    for tier in Tier::ALL {
        let mut n = 0;
        for (b, r) in rated.ratings.iter().filter(|(_, r)| r.tier == tier) {
            let Some(br) = ws.branches.get(*b) else {
                continue;
            };
            n += 1;
            rep.rows.push(vec![
                Value::code(Code::Tier, tier.as_str()),
                Value::text(br.id()),
                Value::text(br.name()),
                Value::code(Code::Domain, br.domain.as_str()),
                Value::Int(r.star.into()),
                Value::Dec(r.score),
                Value::text(br.lead()),
                Value::text(focus(tier, lang)),
            ]);
        }
        let (name, focus) = (show(Code::Tier, tier.as_str(), lang), focus(tier, lang));
        rep.notes.push(crate::i18n::msg_in!(
            lang,
            "{name} ({focus}): {n}",
            "{name}（{focus}）：{n} 个"
        ));
    }
    let out = ctx.emit_report(&rep);
    drop(rep);
    ctx.leak(rated);
    out
}
