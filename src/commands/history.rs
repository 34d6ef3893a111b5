//! `stars history BRANCH`: a branch's score, star and plaque in every year.

use super::Ctx;
use crate::i18n::{msg, msg_in};
use crate::problem::{Outcome, Problem, Problems};
use crate::render::{Code, Column, Report, Value};

/// The columns of a branch's history: a row per year.
const COLUMNS: [Column; 10] = [
    Column::new("year", "Year", "年度"),
    Column::new("branch", "Branch", "支部编号"),
    Column::new("score", "Score", "总分"),
    Column::new("star", "Star", "评定星级"),
    Column::new("status", "Status", "状态"),
    Column::new("plaque", "Plaque", "原星级牌"),
    Column::new("next", "Next plaque", "新星级牌"),
    Column::new("change", "Change", "变化"),
    Column::new("streak", "5★ streak", "连续五星年数"),
    Column::new("reason", "Reason", "原因"),
];

pub fn run(ctx: &Ctx, id: &str) -> Outcome<()> {
    // The branch's rating and adjustment in each year.
    let mut years = Vec::new();
    let mut wanted = None;
    let lang = ctx.lang;
    let ws = ctx.walk_years(true, |ws, run| {
        let b = ws.branch(id);
        wanted = b;
        let rating = run
            .ratings
            .iter()
            .find(|(i, _)| Some(*i) == b)
            .map(|(_, r)| r.clone());
        let adj = run
            .adjustments
            .iter()
            .find(|a| Some(a.branch) == b)
            .cloned();
        // The reason is written while the year's reviews are at hand.
        let reason = adj.as_ref().and_then(|a| {
            let br = ws.branches.get(a.branch)?;
            let std = ws.standards.get(br.domain)?;
            Some(a.reason(std, &run.data, lang))
        });
        years.push((run.data.year, rating, adj, reason));
    })?;
    let Some(b) = wanted.or_else(|| ws.branch(id)) else {
        return Err(unknown_branch(&ws, id).into());
    };
    let br = &ws.branches[b];
    let mut rep = Report::new(
        msg_in!(
            lang,
            "{} — {} {}: history",
            "{} {} {} 历年星级",
            ws.config.name,
            br.id(),
            br.name()
        ),
        COLUMNS.to_vec(),
    );
    for (year, rating, a, reason) in &years {
        rep.rows.push(year_row(
            br,
            *year,
            rating.as_ref(),
            a.as_ref(),
            reason.as_deref(),
        ));
    }
    ctx.emit_report(&rep)
}

/// A branch's row of a year: its rating and adjustment, or `not_rated` when it has none.
fn year_row<'a>(
    br: &'a crate::workspace::Branch,
    year: i32,
    rating: Option<&crate::rate::Rating>,
    a: Option<&crate::followup::adjust::Adjustment>,
    reason: Option<&str>,
) -> Vec<Value<'a>> {
    match (rating, a) {
        (Some(r), Some(a)) => vec![
            Value::Int(year.into()),
            Value::text(br.id()),
            Value::Dec(r.score),
            Value::Int(r.star.into()),
            Value::code(Code::Status, r.status.as_str()),
            a.plaque.map_or(Value::Null, |p| Value::Int(p.into())),
            a.next.map_or(Value::Null, |n| Value::Int(n.into())),
            Value::code(Code::Change, a.change.as_str()),
            Value::Int(a.streak.into()),
            Value::text(reason.unwrap_or_default().to_string()),
        ],
        _ => vec![
            Value::Int(year.into()),
            Value::text(br.id()),
            Value::Null,
            Value::Null,
            Value::code(Code::Status, "not_rated"),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ],
    }
}

/// The problem of an unknown branch id on the command line.
pub fn unknown_branch(ws: &crate::workspace::Workspace, id: &str) -> Problems {
    let mut p = Problems::new();
    p.push(Problem::file(
        crate::workspace::join_shown(&ws.shown, "branches.csv"),
        msg!(
            "unknown branch `{id}`; expected a branch id of branches.csv",
            "未知支部“{id}”；应为 branches.csv 中的支部编号"
        ),
    ));
    p
}
