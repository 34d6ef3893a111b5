//! `stars rectify`: the year's rectification items, as the problem list (问题清单), the
//! responsibility list (责任清单) or the rectification list by deadline (整改清单).

use super::{Ctx, Rated};
use crate::cli::RectifyView;
use crate::followup::rectify::{branch_items, RectItem};
use crate::i18n::Lang;
use crate::problem::Outcome;
use crate::render::{Column, Format, Report, RowStream, Value};
use std::collections::BTreeSet;

pub const COLUMNS: [Column; 10] = [
    Column::new("item", "Item", "事项编号"),
    Column::new("branch", "Branch", "支部编号"),
    Column::new("name", "Name", "支部名称"),
    Column::new("source", "Source", "来源"),
    Column::new("kind", "Kind", "类别"),
    Column::new("problem", "Problem", "问题"),
    Column::new("responsible", "Responsible", "责任人"),
    Column::new("supervisor", "Supervisor", "督导领导"),
    Column::new("measure", "Measure", "整改措施"),
    Column::new("deadline", "Deadline", "整改时限"),
];

pub fn run(ctx: &Ctx, view: RectifyView) -> Outcome<()> {
    let rated = ctx.rated()?;
    let human = matches!(ctx.format, Format::Table | Format::Markdown | Format::Xlsx);
    let rep = report(&rated, view, human, ctx.lang);
    let out = ctx.emit_report(&rep);
    drop(rep);
    super::leak(rated);
    out
}

/// The items of one branch, in item id order.
fn items_of(rated: &Rated, b: usize) -> Vec<RectItem> {
    let ws = &rated.ws;
    ws.branches
        .get(b)
        .and_then(|br| ws.standards.get(br.domain))
        .map(|std| branch_items(ws, &rated.data, b, std))
        .unwrap_or_default()
}

fn row<'a>(rated: &'a Rated, i: &RectItem, lang: Lang) -> Vec<Value<'a>> {
    let (ws, data) = (&rated.ws, &rated.data);
    let br = ws.branches.get(i.branch);
    let std = br.and_then(|b| ws.standards.get(b.domain));
    // The branch's and the standard's text is borrowed, not copied, for each of a
    // province's items.
    let field = |f: fn(&'a crate::workspace::Branch) -> &'a str| br.map_or("", f);
    vec![
        Value::text(i.id.clone()),
        Value::text(field(|b| &b.id)),
        Value::text(field(|b| &b.name)),
        Value::text(std.map_or("", |s| i.source(s, data))),
        Value::text(i.kind()),
        Value::text(std.map(|s| i.problem(s, data, lang)).unwrap_or_default()),
        Value::text(field(|b| b.secretary())),
        Value::text(field(|b| b.lead())),
        Value::text(std.map_or("", |s| i.measure(s, data, lang))),
        Value::text(i.deadline.to_string()),
    ]
}

/// The list. For machines (`human` false) the problem list streams branch by branch, so
/// that a province's items are never all held; the other views sort every item first.
pub fn report(rated: &Rated, view: RectifyView, human: bool, lang: Lang) -> Report<'_> {
    let ws = &rated.ws;
    let year = rated.data.year;
    let (en, zh) = match view {
        RectifyView::Problems => ("problem list by branch", "问题清单"),
        RectifyView::Responsibility => ("responsibility list by person", "责任清单"),
        RectifyView::Deadline => ("rectification list by deadline", "整改清单"),
    };
    let title = match lang {
        Lang::En => format!("{} — {year} {en}", ws.config.name),
        Lang::Zh => format!("{} {year}年度{zh}", ws.config.name),
    };
    let mut rep = Report::new(title, COLUMNS.to_vec());
    let mut count = 0;
    let mut branches = BTreeSet::new();
    match view {
        RectifyView::Problems if !human => {
            // Branches per part of the streamed output: a few items each.
            const PART: usize = 4_096;
            rep.stream = Some(RowStream::over(
                rated.ratings.len(),
                PART,
                move |range, f| {
                    for (b, _) in rated.ratings.get(range).unwrap_or_default() {
                        for i in items_of(rated, *b) {
                            f(&row(rated, &i, lang))?;
                        }
                    }
                    Ok(())
                },
            ));
        }
        _ => {
            let mut items: Vec<RectItem> = rated
                .ratings
                .iter()
                .flat_map(|(b, _)| items_of(rated, *b))
                .collect();
            let person = |i: &RectItem| {
                ws.branches
                    .get(i.branch)
                    .map(|b| (b.lead().to_string(), b.secretary().to_string()))
                    .unwrap_or_default()
            };
            if view == RectifyView::Responsibility {
                items.sort_by_cached_key(|i| (person(i), i.id.clone()));
            } else {
                items.sort_by(|a, b| (a.deadline, &a.id).cmp(&(b.deadline, &b.id)));
            }
            count = items.len();
            branches = items.iter().map(|i| i.branch).collect();
            rep.rows = items.iter().map(|i| row(rated, i, lang)).collect();
        }
    }
    rep.notes.push(match lang {
        Lang::En => format!("{count} items in {} branches", branches.len()),
        Lang::Zh => format!("共{}个支部{count}项整改事项", branches.len()),
    });
    rep
}
