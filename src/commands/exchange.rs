//! `stars exchange`: the year's four quarterly experience exchanges.

use super::Ctx;
use crate::followup::exchange::{candidates, picks};
use crate::i18n::msg_in;
use crate::problem::Outcome;
use crate::render::{Code, Column, Report, Value};

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let rated = ctx.rated()?;
    let ws = &rated.ws;
    let lang = ctx.lang;
    let (town, year) = (&ws.config.name, rated.data.year);
    let next = year + 1;
    let title = msg_in!(
        lang,
        "{town} — quarterly experience exchanges {next}",
        "{town} {next}年季度经验交流（据{year}年度评定）"
    );
    let mut rep = Report::new(
        title,
        vec![
            Column::new("quarter", "Quarter", "季度"),
            Column::new("branch", "Branch", "支部编号"),
            Column::new("name", "Name", "支部名称"),
            Column::new("domain", "Domain", "领域"),
            Column::new("score", "Score", "总分"),
            Column::new("project", "Secretary project", "书记项目"),
        ],
    );
    let all = candidates(ws, &rated.ratings);
    for (q, (b, id, domain, score)) in picks(&all, 4).into_iter().enumerate() {
        let project = ws
            .branches
            .get(b)
            .map(|br| br.project().to_string())
            .unwrap_or_default();
        let name = ws
            .branches
            .get(b)
            .map(|br| br.name().to_string())
            .unwrap_or_default();
        rep.rows.push(vec![
            Value::Int(q as i64 + 1),
            Value::text(id),
            Value::text(name),
            Value::code(Code::Domain, domain.as_str()),
            Value::Dec(score),
            Value::text(project),
        ]);
    }
    let n = all.len();
    rep.notes.push(msg_in!(
        lang,
        "{n} five-star candidates",
        "五星级候选支部{n}个"
    ));
    let out = ctx.emit_report(&rep);
    drop(rep);
    ctx.leak(rated);
    out
}
