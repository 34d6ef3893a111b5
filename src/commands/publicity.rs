//! `stars publicity`: the publicity list (公示名单) of approved five-star branches.

use super::Ctx;
use crate::i18n::Lang;
use crate::problem::Outcome;
use crate::rate::Status;
use crate::render::{Code, Column, Report, Value};

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let rated = ctx.rated()?;
    let ws = &rated.ws;
    let lang = ctx.lang;
    let start = rated.data.evaluated;
    let days = ws.config.publicity_days;
    let end = start
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(start);
    let title = match lang {
        Lang::En => format!(
            "{} — five-star branches {}: publicity {start} to {end}",
            ws.config.name, rated.data.year
        ),
        Lang::Zh => format!(
            "{} {}年度五星级党支部公示名单（公示期{start}至{end}）",
            ws.config.name, rated.data.year
        ),
    };
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
            Value::text(&br.id),
            Value::text(&br.name),
            Value::code(Code::Domain, br.domain.as_str()),
            Value::text(br.secretary()),
            Value::Dec(r.score),
            Value::text(start.to_string()),
            Value::text(end.to_string()),
        ]);
    }
    rep.notes.push(match lang {
        Lang::En => format!("Publicity of {days} days from the evaluation date (set [publicity] days in stars.toml)."),
        Lang::Zh => format!("公示期为评定之日起{days}天（可在 stars.toml 的 [publicity] days 中设置）。"),
    });
    let out = ctx.emit_report(&rep);
    drop(rep);
    super::leak(rated);
    out
}
