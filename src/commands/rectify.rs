//! `stars rectify`: the year's rectification items, as the problem list (问题清单), the
//! responsibility list (责任清单) or the rectification list by deadline (整改清单).

use super::Ctx;
use crate::cli::RectifyView;
use crate::followup::rectify::{year_items, RectItem};
use crate::i18n::Lang;
use crate::problem::Outcome;
use crate::render::{Column, Report, Value};
use crate::workspace::Workspace;

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
    let items = year_items(&rated.ws, &rated.data, &rated.ratings, ctx.lang);
    let rep = report(&rated.ws, rated.data.year, items, view, ctx.lang);
    ctx.emit_report(&rep)
}

pub fn report(
    ws: &Workspace,
    year: i32,
    mut items: Vec<RectItem>,
    view: RectifyView,
    lang: Lang,
) -> Report {
    let (en, zh) = match view {
        RectifyView::Problems => ("problem list by branch", "问题清单"),
        RectifyView::Responsibility => ("responsibility list by person", "责任清单"),
        RectifyView::Deadline => ("rectification list by deadline", "整改清单"),
    };
    match view {
        RectifyView::Problems => {}
        RectifyView::Responsibility => items.sort_by(|a, b| {
            (&a.supervisor, &a.responsible, &a.id).cmp(&(&b.supervisor, &b.responsible, &b.id))
        }),
        RectifyView::Deadline => {
            items.sort_by(|a, b| (a.deadline, &a.id).cmp(&(b.deadline, &b.id)))
        }
    }
    let title = match lang {
        Lang::En => format!("{} — {year} {en}", ws.config.name),
        Lang::Zh => format!("{} {year}年度{zh}", ws.config.name),
    };
    let mut rep = Report::new(title, COLUMNS.to_vec());
    for i in &items {
        let name = ws
            .branches
            .get(i.branch)
            .map(|b| b.name.clone())
            .unwrap_or_default();
        rep.rows.push(vec![
            Value::text(&i.id),
            Value::text(
                ws.branches
                    .get(i.branch)
                    .map(|b| b.id.clone())
                    .unwrap_or_default(),
            ),
            Value::text(name),
            Value::text(&i.source),
            Value::text(i.kind),
            Value::text(&i.problem),
            Value::text(&i.responsible),
            Value::text(&i.supervisor),
            Value::text(&i.measure),
            Value::text(i.deadline.to_string()),
        ]);
    }
    let branches: std::collections::BTreeSet<usize> = items.iter().map(|i| i.branch).collect();
    rep.notes.push(match lang {
        Lang::En => format!("{} items in {} branches", items.len(), branches.len()),
        Lang::Zh => format!("共{}个支部{}项整改事项", branches.len(), items.len()),
    });
    rep
}
