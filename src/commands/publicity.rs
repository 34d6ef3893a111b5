//! `stars publicity`: the publicity list (公示名单) of approved five-star branches.

use super::Ctx;
use crate::i18n::msg_in;
use crate::problem::Outcome;
use crate::rate::Status;
use crate::render::{Code, Column, Report, Value};

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let rated = ctx.rated()?;
    let ws = &rated.ws;
    let lang = ctx.lang;
    let year = rated.data.year;
    let evaluated = rated.data.evaluated;
    let window = crate::followup::publicity::window(&ws.config, year).unwrap_or(
        crate::followup::publicity::Window {
            start: evaluated,
            end: evaluated,
        },
    );
    let (start, end) = (window.start, window.end);
    let days = ws.config.publicity.days;
    let title = msg_in!(
        lang,
        "{} — five-star branches {}: publicity {start} to {end}",
        "{} {}年度五星级党支部公示名单（公示期{start}至{end}）",
        ws.config.name,
        rated.data.year
    );
    let mut rep = Report::new(
        title,
        vec![
            Column::new("branch", "Branch", "支部编号"),
            Column::new("name", "Name", "支部名称"),
            Column::new("domain", "Domain", "领域"),
            Column::new("secretary", "Secretary", "支部书记"),
            Column::new("score", "Score", "总分"),
            Column::new("publicity_start", "Publicity from", "公示开始"),
            Column::new("publicity_end", "Publicity until", "公示结束"),
        ],
    );
    for (b, r) in &rated.ratings {
        if r.status != Status::Approved {
            continue;
        }
        let Some(br) = ws.branches.get(*b) else {
            continue;
        };
        rep.rows.push(vec![
            Value::text(br.id()),
            Value::text(br.name()),
            Value::code(Code::Domain, br.domain.as_str()),
            Value::text(br.secretary()),
            Value::Dec(r.score),
            Value::text(start.to_string()),
            Value::text(end.to_string()),
        ]);
    }
    // The notice is posted as it is: it says the window, and nothing about stars.toml.
    let working = ws.config.publicity.working_days;
    rep.notes.push(if working {
        msg_in!(
            lang,
            "Publicity period: {start} to {end}, {days} working days.",
            "公示期：{start}至{end}，共{days}个工作日。"
        )
    } else {
        msg_in!(
            lang,
            "Publicity period: {start} to {end}, {days} days.",
            "公示期：{start}至{end}，共{days}天。"
        )
    });
    let out = ctx.emit_report(&rep);
    drop(rep);
    ctx.leak(rated);
    out
}
