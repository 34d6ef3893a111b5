//! `stars rectify`: the year's rectification items, as the problem list (问题清单), the
//! responsibility list (责任清单) or the rectification list by deadline (整改清单).

use super::{Ctx, Rated};
use crate::cli::RectifyView;
use crate::followup::rectify::{deadline, Lister, RectItem, Sentence, Subject};
use crate::i18n::Lang;
use crate::problem::Outcome;
use crate::render::{Code, Column, Format, Report, RowStream, Value};
use crate::standard::Domain;
use std::collections::{BTreeMap, BTreeSet};

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
    // The items need the year's scores and events: neither the ratings nor the reviews.
    let rated = ctx.loaded_for_items()?;
    let human = matches!(ctx.format, Format::Table | Format::Markdown | Format::Xlsx);
    let rep = report(&rated, view, human, ctx.lang);
    let out = ctx.emit_report(&rep);
    drop(rep);
    super::leak(rated);
    out
}

/// What a list's rows are written with: each standard's sentences and deadline made once.
struct Texts {
    by_domain: BTreeMap<Domain, StandardTexts>,
}

struct StandardTexts {
    sentences: Vec<Sentence>,
    deadline: String,
}

impl Texts {
    fn new(rated: &Rated, lang: Lang) -> Texts {
        let by_domain = (rated.ws.standards.by_domain.iter())
            .map(|(d, std)| {
                let sentences = (std.indicators.iter())
                    .map(|ind| Sentence::of(ind, std, lang))
                    .collect();
                let deadline = deadline(std, &rated.data);
                let texts = StandardTexts {
                    sentences,
                    deadline: deadline.to_string(),
                };
                (*d, texts)
            })
            .collect();
        Texts { by_domain }
    }
}

/// One item's row. Its id and problem are written into `text` (two strings the caller
/// keeps from row to row while streaming), the rest borrowed.
fn row<'a>(
    rated: &'a Rated,
    texts: &'a Texts,
    i: &RectItem,
    text: &'a mut [String; 2],
    lang: Lang,
) -> [Value<'a>; 10] {
    let (ws, data) = (&rated.ws, &rated.data);
    let br = ws.branches.get(i.branch());
    let std = br.and_then(|b| Some((ws.standards.get(b.domain)?, texts.by_domain.get(&b.domain)?)));
    // The branch's and the standard's text is borrowed, not copied, for each of a
    // province's items.
    let field = |f: fn(&'a crate::workspace::Branch) -> &'a str| br.map_or("", f);
    let [id, problem] = text;
    id.clear();
    i.push_id(ws, data.year, id);
    problem.clear();
    match (i.subject(), std) {
        (Subject::Indicator { index, .. }, Some((s, t))) => {
            if let Some(sentence) = t.sentences.get(index) {
                sentence.fill(problem, i, i.combined(s, data));
            }
        }
        (_, Some((s, _))) => problem.push_str(&i.problem(s, data, lang)),
        (_, None) => {}
    }
    let deadline = std.map_or("", |(_, t)| t.deadline.as_str());
    let (id, problem): (&'a String, &'a String) = (id, problem);
    [
        Value::text(id.as_str()),
        Value::text(field(|b| &b.id)),
        Value::text(field(|b| &b.name)),
        Value::text(std.map_or("", |(s, _)| i.source(s))),
        Value::code(Code::Kind, i.kind()),
        Value::text(problem.as_str()),
        Value::text(field(|b| b.secretary())),
        Value::text(field(|b| b.lead())),
        Value::text(std.map_or("", |(s, _)| i.measure(s, lang))),
        Value::text(deadline),
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
    let lister = Lister::new(ws, &rated.data);
    let rated_in_year = move |b: usize| {
        let br = ws.branches.get(b);
        br.and_then(|br| crate::rate::rated_by(ws, br, year))
            .is_some()
    };
    let mut count = 0;
    let mut branches = BTreeSet::new();
    match view {
        RectifyView::Problems if !human => {
            // Branches per part of the streamed output: a few items each.
            const PART: usize = 4_096;
            let texts = Texts::new(rated, lang);
            rep.stream = Some(RowStream::over(ws.branches.len(), PART, move |range, f| {
                let (mut items, mut text) = (Vec::new(), [String::new(), String::new()]);
                for b in range.filter(|b| rated_in_year(*b)) {
                    items.clear();
                    lister.push(b, &mut items);
                    for i in &items {
                        f(&row(rated, &texts, i, &mut text, lang))?;
                    }
                }
                Ok(())
            }));
        }
        _ => {
            let mut items = Vec::new();
            for b in (0..ws.branches.len()).filter(|b| rated_in_year(*b)) {
                lister.push(b, &mut items);
            }
            let person = |i: &RectItem| {
                ws.branches
                    .get(i.branch())
                    .map(|b| (b.lead().to_string(), b.secretary().to_string()))
                    .unwrap_or_default()
            };
            let deadline_of = |i: &RectItem| {
                let br = ws.branches.get(i.branch());
                let std = br.and_then(|b| ws.standards.get(b.domain));
                std.map(|s| deadline(s, &rated.data))
            };
            if view == RectifyView::Responsibility {
                items.sort_by_cached_key(|i| (person(i), i.id(ws, year)));
            } else {
                items.sort_by_cached_key(|i| (deadline_of(i), i.id(ws, year)));
            }
            count = items.len();
            branches = items.iter().map(|i| i.branch()).collect();
            let texts = Texts::new(rated, lang);
            rep.rows = (items.into_iter())
                .map(|i| {
                    let mut text = [String::new(), String::new()];
                    let row = row(rated, &texts, &i, &mut text, lang);
                    row.map(|v| v.to_owned_value()).to_vec()
                })
                .collect();
        }
    }
    rep.notes.push(match lang {
        Lang::En => format!("{count} items in {} branches", branches.len()),
        Lang::Zh => format!("共{}个支部{count}项整改事项", branches.len()),
    });
    rep
}
