//! `stars publicity`: the publicity list (公示名单) of approved five-star branches, as a
//! notice ready to post (its words: [`crate::followup::publicity::notice`]).

use super::Ctx;
use crate::i18n::msg_in;
use crate::problem::Outcome;
use crate::rate::Status;
use crate::render::{Code, Column, Report, Value};

/// The columns of the list of five-star branches posted.
const COLUMNS: [Column; 7] = [
    Column::new("branch", "Branch", "支部编号"),
    Column::new("name", "Name", "支部名称"),
    Column::new("domain", "Domain", "领域"),
    Column::new("secretary", "Secretary", "支部书记"),
    Column::new("score", "Score", "总分"),
    Column::new("publicity_start", "Publicity from", "公示开始"),
    Column::new("publicity_end", "Publicity until", "公示结束"),
];

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
    let title = msg_in!(
        lang,
        "{} — five-star branches {}: publicity {start} to {end}",
        "{} {}年度五星级党支部公示名单（公示期{start}至{end}）",
        ws.config.name,
        rated.data.year
    );
    let mut rep = Report::new(title, COLUMNS.to_vec());
    for (b, r) in &rated.ratings {
        // Approved at five, or decided five by the committee (the list follows its star).
        if !(r.star == 5 && matches!(r.status, Status::Approved | Status::Decided)) {
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
    // The notice is posted as it is: what it announces, the window, where objections
    // go, who issues it and when; nothing about stars.toml.
    let notice = crate::followup::publicity::notice(&ws.config, year, window, rep.rows.len(), lang);
    rep.preface = notice.preface;
    rep.notes = notice.closing;
    rep.signature = notice.signature;
    if let Some(open) = open_objections(&rated, end, lang) {
        rep.extras.push(open);
    }
    let out = ctx.emit_report(&rep);
    drop(rep);
    ctx.leak(rated);
    out
}

/// The objections still open (the records of the year), each with how long it has been
/// open at the end of the publicity window `end`: `None` when there are none.
fn open_objections(
    rated: &super::Rated,
    end: chrono::NaiveDate,
    lang: crate::i18n::Lang,
) -> Option<Report<'static>> {
    let ws = &rated.ws;
    let open: Vec<&crate::workspace::Objection> = (rated.data.records.objections.iter())
        .filter(|o| o.status == crate::workspace::ObjectionStatus::Open)
        .collect();
    if open.is_empty() {
        return None;
    }
    let mut rep = Report::new(
        msg_in!(
            lang,
            "Objections still open (days open at {end}, the end of publicity)",
            "尚未办结的公示期异议（截至公示期结束 {end} 的天数）"
        ),
        vec![
            Column::new("branch", "Branch", "支部编号"),
            Column::new("name", "Name", "支部名称"),
            Column::new("received", "Received", "受理日期"),
            Column::new("matter", "Matter", "异议事项"),
            Column::new("days_open", "Days open", "已办理天数"),
        ],
    );
    for o in open {
        let Some(br) = ws.branches.get(o.branch) else {
            continue;
        };
        let days = (end - o.received).num_days().max(0);
        rep.rows.push(vec![
            Value::text(br.id().to_string()),
            Value::text(br.name().to_string()),
            Value::text(o.received.to_string()),
            Value::text(o.matter.to_string()),
            Value::Int(days),
        ]);
    }
    Some(rep)
}
