//! `stars rectify`: the year's rectification items, as the problem list (问题清单), the
//! responsibility list (责任清单) or the rectification list by deadline (整改清单).

use super::{Ctx, Rated};
use crate::cli::RectifyView;
use crate::followup::rectify::{deadline, Lister, RectItem, Sentence, Subject};
use crate::i18n::{msg_in, Lang};
use crate::problem::Outcome;
use crate::render::{ChartKind, ChartSpec, Code, Column, Format, Report, RowStream, Value};
use crate::standard::Domain;
use std::collections::{BTreeMap, BTreeSet};

/// The column of the list by theme (`--view themes`): the theme the item's branch missed,
/// which its indicator belongs to (blank for the other items).
pub const THEME_COLUMN: Column = Column::new("theme", "Theme missed", "未获主题星");

/// The list's columns. `status` is written empty: the list comes back next year, its
/// status filled (done or open, 已完成 or 未完成), as that year's rectification file.
pub const COLUMNS: [Column; 11] = [
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
    Column::new("status", "Status", "整改状态"),
];

pub fn run(ctx: &Ctx, view: RectifyView) -> Outcome<()> {
    // The items need the year's scores and events: neither the ratings nor the reviews.
    let rated = ctx.loaded_for_items()?;
    let rep = report(&rated, view, ctx.format, ctx.lang);
    let out = ctx.emit_report(&rep);
    drop(rep);
    ctx.leak(rated);
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
) -> [Value<'a>; 11] {
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
                i.push_deductions(problem, data, lang);
            }
        }
        (_, Some((s, _))) => problem.push_str(&i.problem(s, data, lang)),
        (_, None) => {}
    }
    let deadline = std.map_or("", |(_, t)| t.deadline.as_str());
    let (id, problem): (&'a String, &'a String) = (id, problem);
    [
        Value::text(id.as_str()),
        Value::text(field(|b| b.id())),
        Value::text(field(|b| b.name())),
        Value::text(std.map_or("", |(s, _)| i.source(s))),
        Value::code(Code::Kind, i.kind()),
        Value::text(problem.as_str()),
        Value::text(field(|b| b.secretary())),
        Value::text(field(|b| b.lead())),
        Value::text(std.map_or("", |(s, _)| i.measure(s, lang))),
        Value::text(deadline),
        Value::Null,
    ]
}

/// The list. For machines (CSV, JSON) the problem list streams branch by branch, so that a
/// province's items are never all held; the other views sort every item first: the
/// responsibility list by supervisor (the lead), secretary and item, the deadline list by
/// deadline and item. For people (table, Markdown) those two are grouped: counts first,
/// then a section per supervisor or per deadline; a workbook has the rows as CSV has them
/// and the counts on a sheet of their own, and in every view the items per source
/// (indicator or event item) on another, with a chart.
pub fn report(rated: &Rated, view: RectifyView, format: Format, lang: Lang) -> Report<'_> {
    let human = matches!(format, Format::Table | Format::Markdown | Format::Xlsx);
    let ws = &rated.ws;
    let year = rated.data.year;
    let mut rep = Report::new(title(rated, view, lang), COLUMNS.to_vec());
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
            rep.stream = Some(streamed_items(rated, lister, rated_in_year, lang));
        }
        _ => {
            let mut items = Vec::new();
            for b in (0..ws.branches.len()).filter(|b| rated_in_year(*b)) {
                lister.push(b, &mut items);
            }
            sort_items(rated, view, &mut items);
            count = items.len();
            branches = items.iter().map(|i| i.branch()).collect();
            let themes = view == RectifyView::Themes;
            rep.rows = held_rows(rated, items, themes, human, lang);
            if themes {
                rep.columns.push(THEME_COLUMN);
            }
        }
    }
    let n = branches.len();
    rep.notes.push(msg_in!(
        lang,
        "{count} items in {n} branches",
        "共{n}个支部{count}项整改事项"
    ));
    if view == RectifyView::Themes && !ws.standards.has_themes() {
        rep.notes.push(no_themes_note(lang));
    }
    if view != RectifyView::Problems && human {
        let rows = std::mem::take(&mut rep.rows);
        let (counts, sections) = groups(&rows, view, &rep.columns, lang);
        if format == Format::Xlsx {
            rep.rows = rows;
            rep.extras.push(counts);
        } else {
            rep.columns = counts.columns;
            rep.rows = counts.rows;
            rep.extras = sections;
        }
    }
    if format == Format::Xlsx {
        add_workbook_sheets(&mut rep, ws, lang);
    }
    rep
}

/// The problem list for machines, streamed branch by branch: a province's items are never
/// all held.
fn streamed_items<'a>(
    rated: &'a Rated,
    lister: Lister<'a>,
    rated_in_year: impl Fn(usize) -> bool + Send + Sync + 'a,
    lang: Lang,
) -> RowStream<'a> {
    // Branches per part of the streamed output: a few items each.
    const PART: usize = 4_096;
    let texts = Texts::new(rated, lang);
    RowStream::over(rated.ws.branches.len(), PART, move |range, f| {
        let (mut items, mut text) = (Vec::new(), [String::new(), String::new()]);
        for b in range.filter(|b| rated_in_year(*b)) {
            items.clear();
            lister.push(b, &mut items);
            for i in &items {
                f(&row(rated, &texts, i, &mut text, lang))?;
            }
        }
        Ok(())
    })
}

/// The list's title: the town, the year and the view.
fn title(rated: &Rated, view: RectifyView, lang: Lang) -> String {
    let (en, zh) = match view {
        RectifyView::Problems => ("problem list by branch", "问题清单"),
        RectifyView::Responsibility => ("responsibility list by person", "责任清单"),
        RectifyView::Deadline => ("rectification list by deadline", "整改清单"),
        RectifyView::Themes => ("problem list by theme missed", "问题清单（按未获主题星）"),
    };
    let (town, year) = (&rated.ws.config.name, rated.data.year);
    msg_in!(lang, "{town} — {year} {en}", "{town} {year}年度{zh}")
}

/// The list by theme of a workspace whose standards do not rate by themes: why it is empty.
fn no_themes_note(lang: Lang) -> String {
    lang.t(
        "No standard of this workspace rates by themes (stars_by = \"themes\"): no item is of a theme missed.",
        "本工作区的评星标准均未按主题评星（stars_by = \"themes\"），没有按未获主题星分组的事项。",
    )
    .into()
}

/// The items in the order of a view's list: the responsibility list by supervisor (the
/// lead), secretary and item; the list by theme by the theme missed (the others last); the
/// others by deadline and item.
fn sort_items(rated: &Rated, view: RectifyView, items: &mut [RectItem]) {
    let ws = &rated.ws;
    let year = rated.data.year;
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
    match view {
        RectifyView::Responsibility => items.sort_by_cached_key(|i| (person(i), i.id(ws, year))),
        // The items of each missed theme, by theme id; the others last.
        RectifyView::Themes => items.sort_by_cached_key(|i| {
            let t = missed_theme(rated, i).map(|t| t.id.clone());
            (t.is_none(), t, i.id(ws, year))
        }),
        _ => items.sort_by_cached_key(|i| (deadline_of(i), i.id(ws, year))),
    }
}

/// The rows of the sorted items, held (for the views that sort, and for people); with the
/// theme missed after the others for the list by theme.
fn held_rows(
    rated: &Rated,
    items: Vec<RectItem>,
    themes: bool,
    human: bool,
    lang: Lang,
) -> Vec<Vec<Value<'static>>> {
    let texts = Texts::new(rated, lang);
    (items.into_iter())
        .map(|i| {
            let mut text = [String::new(), String::new()];
            let row = row(rated, &texts, &i, &mut text, lang);
            let mut row: Vec<Value<'static>> = row.map(|v| v.to_owned_value()).to_vec();
            if themes {
                row.push(theme_cell(missed_theme(rated, &i), human.then_some(lang)));
            }
            row
        })
        .collect()
}

/// A workbook's own sheets: the items per source, with a chart, and the status to fill
/// chosen from a list.
fn add_workbook_sheets(rep: &mut Report, ws: &crate::workspace::Workspace, lang: Lang) {
    rep.extras.push(by_source(&rep.rows, ws, lang));
    // The status to fill, chosen from a list: the language's names first.
    let (done, open) = (lang.t("done", "已完成"), lang.t("open", "未完成"));
    let (other_done, other_open) = (lang.t("已完成", "done"), lang.t("未完成", "open"));
    let list = [done, open, other_done, other_open]
        .map(str::to_string)
        .to_vec();
    rep.choices.push((STATUS, list));
}

/// The name of a source (an indicator or an event item) of the standard of a row's branch,
/// in `lang`.
fn source_name(ws: &crate::workspace::Workspace, branch: &str, source: &str, lang: Lang) -> String {
    let std = ws.branch(branch).and_then(|b| ws.standard_of(b));
    let Some(std) = std else {
        return String::new();
    };
    let indicator = std.indicators.iter().find(|i| i.id == source);
    let names = indicator.map(|i| (&i.name, &i.name_zh)).or_else(|| {
        let item = std.items.iter().find(|i| i.id == source);
        item.map(|i| (&i.name, &i.name_zh))
    });
    names.map_or_else(String::new, |(en, zh)| lang.t(en, zh).to_string())
}

/// The open items per source (an indicator or an event item, with its name) and kind:
/// items and branches, in the order of the sources, and the total; charted by name without
/// the total.
fn by_source<'a>(
    rows: &[Vec<Value<'a>>],
    ws: &crate::workspace::Workspace,
    lang: Lang,
) -> Report<'a> {
    const SOURCE: usize = 3;
    const KIND: usize = 4;
    type Key = (String, String, String);
    let mut counts: BTreeMap<Key, (i64, BTreeSet<String>)> = BTreeMap::new();
    for r in rows {
        let (source, branch) = (cell(r, SOURCE), cell(r, BRANCH));
        let name = source_name(ws, &branch, &source, lang);
        let (items, branches) = counts.entry((source, name, cell(r, KIND))).or_default();
        *items += 1;
        branches.insert(branch);
    }
    let mut rep = Report::new(
        lang.t("Open items by source", "各来源未整改事项数"),
        vec![
            COLUMNS[SOURCE].clone(),
            Column::new("source_name", "Indicator or item", "指标或事项"),
            COLUMNS[KIND].clone(),
            Column::new("items", "Items", "事项数"),
            Column::new("branches", "Branches", "支部数"),
        ],
    );
    let n = |len: usize| Value::Int(i64::try_from(len).unwrap_or(i64::MAX));
    for ((source, name, kind), (items, branches)) in counts {
        rep.rows.push(vec![
            Value::text(source),
            Value::text(name),
            Value::code(Code::Kind, kind),
            Value::Int(items),
            n(branches.len()),
        ]);
    }
    // Charted by name: the code is beside it in the table.
    rep.chart = Some(ChartSpec {
        kind: ChartKind::Column,
        title: rep.title.clone(),
        category: 1,
        values: vec![3],
        rows: Some(rep.rows.len()),
    });
    let branches: BTreeSet<String> = rows.iter().map(|r| cell(r, BRANCH)).collect();
    rep.rows.push(vec![
        Value::text(lang.t("all", "合计")),
        Value::Null,
        Value::text(""),
        n(rows.len()),
        n(branches.len()),
    ]);
    rep
}

/// The theme of a standard rating by themes that the item's branch did not earn and its
/// indicator belongs to; `None` for an event item, an indicator of a theme earned, or a
/// standard rating by score.
fn missed_theme<'a>(rated: &'a Rated, i: &RectItem) -> Option<&'a crate::standard::Theme> {
    let Subject::Indicator { index, .. } = i.subject() else {
        return None;
    };
    let b = i.branch();
    let std = rated.ws.standards.get(rated.ws.branches.get(b)?.domain)?;
    let k = std.indicators.get(index)?.theme?;
    let marks = crate::themes::marks_of(std, || rated.data.scores.theme_sums(b))?;
    (!marks.is_earned(usize::from(k))).then(|| std.themes.get(usize::from(k)))?
}

/// The theme cell of the list by theme: its id for machines, with its name for people.
fn theme_cell(t: Option<&crate::standard::Theme>, names: Option<Lang>) -> Value<'static> {
    match (t, names) {
        (None, _) => Value::Null,
        (Some(t), None) => Value::text(t.id.clone()),
        (Some(t), Some(lang)) => Value::text(format!("{} {}", t.id, lang.t(&t.name, &t.name_zh))),
    }
}

/// Columns of [`COLUMNS`] by index.
const BRANCH: usize = 1;
const RESPONSIBLE: usize = 6;
const SUPERVISOR: usize = 7;
const DEADLINE: usize = 9;
const STATUS: usize = 10;
/// The theme column of the list by theme, after [`COLUMNS`].
const THEME: usize = 11;

/// The text of a row's cell.
fn cell(row: &[Value], k: usize) -> String {
    row.get(k).map(Value::plain).unwrap_or_default()
}

/// A name to show, or what stands for a blank one.
fn shown(name: &str, blank: &str) -> String {
    if name.is_empty() {
        blank.to_string()
    } else {
        name.to_string()
    }
}

/// The sorted rows of the responsibility, deadline or theme list (its `columns`), grouped
/// for people: a table of counts (per supervisor and secretary with a subtotal per
/// supervisor, or per deadline or theme, and the total) and a section for each supervisor
/// (its rows by secretary, the responsible person first), deadline or theme.
fn groups<'a>(
    rows: &[Vec<Value<'a>>],
    view: RectifyView,
    columns: &[Column],
    lang: Lang,
) -> (Report<'a>, Vec<Report<'a>>) {
    let g = Grouping::new(view, columns.len(), lang);
    let mut counts = Report::new(g.counts_title(), g.count_columns(columns));
    let mut sections = Vec::new();
    for group in rows.chunk_by(|a, b| cell(a, g.key) == cell(b, g.key)) {
        let Some(first) = group.first() else {
            continue;
        };
        let name = cell(first, g.key);
        g.count(&mut counts.rows, group, &name);
        let columns = (g.order.iter())
            .filter_map(|k| columns.get(*k).cloned())
            .collect();
        let mut section = Report::new(g.section_title(group, &name), columns);
        section.rows = (group.iter())
            .map(|r| {
                (g.order.iter())
                    .map(|k| r.get(*k).cloned().unwrap_or(Value::Null))
                    .collect()
            })
            .collect();
        sections.push(section);
    }
    counts.rows.push(g.total(rows));
    (counts, sections)
}

/// How a list is grouped for people (see [`groups`]).
struct Grouping {
    lang: Lang,
    by_lead: bool,
    by_theme: bool,
    /// The column grouped by.
    key: usize,
    /// The section's columns: without the grouping one, the responsible person first.
    order: Vec<usize>,
    no_lead: &'static str,
    no_secretary: &'static str,
}

impl Grouping {
    fn new(view: RectifyView, width: usize, lang: Lang) -> Grouping {
        let by_lead = view == RectifyView::Responsibility;
        let key = match view {
            RectifyView::Responsibility => SUPERVISOR,
            RectifyView::Themes => THEME,
            _ => DEADLINE,
        };
        let order: Vec<usize> = if by_lead {
            std::iter::once(RESPONSIBLE)
                .chain((0..width).filter(|k| ![RESPONSIBLE, SUPERVISOR].contains(k)))
                .collect()
        } else {
            (0..width).filter(|k| *k != key).collect()
        };
        Grouping {
            lang,
            by_lead,
            by_theme: view == RectifyView::Themes,
            key,
            order,
            no_lead: lang.t("(no supervisor)", "（未填督导领导）"),
            no_secretary: lang.t("(no responsible)", "（未填责任人）"),
        }
    }

    fn counts_title(&self) -> &'static str {
        let lang = self.lang;
        if self.by_lead {
            lang.t("Items per person", "各责任人事项数")
        } else if self.by_theme {
            lang.t("Items per theme missed", "各未获主题星事项数")
        } else {
            lang.t("Items per deadline", "各时限事项数")
        }
    }

    fn count_columns(&self, columns: &[Column]) -> Vec<Column> {
        let column = |k: usize| columns.get(k).cloned().unwrap_or(THEME_COLUMN);
        if self.by_lead {
            vec![
                column(SUPERVISOR),
                column(RESPONSIBLE),
                Column::new("items", "Items", "事项数"),
            ]
        } else {
            vec![
                column(self.key),
                Column::new("items", "Items", "事项数"),
                Column::new("branches", "Branches", "支部数"),
            ]
        }
    }

    /// The rows of counts of one group (`name`, its key's value): per secretary and a
    /// subtotal for a supervisor, else one row.
    fn count<'a>(&self, counts: &mut Vec<Vec<Value<'a>>>, group: &[Vec<Value<'a>>], name: &str) {
        let lang = self.lang;
        let items = group.len();
        if self.by_lead {
            let lead = shown(name, self.no_lead);
            for person in group.chunk_by(|a, b| cell(a, RESPONSIBLE) == cell(b, RESPONSIBLE)) {
                let secretary = person.first().map(|r| cell(r, RESPONSIBLE));
                counts.push(vec![
                    Value::text(lead.clone()),
                    Value::text(shown(&secretary.unwrap_or_default(), self.no_secretary)),
                    number(person.len()),
                ]);
            }
            counts.push(vec![
                Value::text(lead.clone()),
                Value::text(lang.t("subtotal", "小计")),
                number(items),
            ]);
        } else {
            let none = if self.by_theme {
                lang.t("(themes earned, or no theme)", "（已获主题星或不属于主题）")
            } else {
                lang.t("(none)", "（无）")
            };
            counts.push(vec![
                Value::text(shown(name, none)),
                number(items),
                number(branch_count(group)),
            ]);
        }
    }

    /// The title of a group's section.
    fn section_title(&self, group: &[Vec<Value>], name: &str) -> String {
        let (lang, items) = (self.lang, group.len());
        if self.by_lead {
            let lead = shown(name, self.no_lead);
            msg_in!(
                lang,
                "Supervisor {lead}: {items} items",
                "督导领导：{lead}（{items}项）"
            )
        } else if self.by_theme && name.is_empty() {
            msg_in!(
                lang,
                "Items of themes earned, or of no theme: {items} items",
                "已获主题星或不属于主题的事项（{items}项）"
            )
        } else if self.by_theme {
            let b = branch_count(group);
            msg_in!(
                lang,
                "Theme missed {name}: {items} items in {b} branches",
                "未获主题星：{name}（{b}个支部{items}项）"
            )
        } else {
            msg_in!(
                lang,
                "Deadline {name}: {items} items",
                "整改时限：{name}（{items}项）"
            )
        }
    }

    /// The row of counts of every item.
    fn total<'a>(&self, rows: &[Vec<Value>]) -> Vec<Value<'a>> {
        let all = Value::text(self.lang.t("all", "合计"));
        if self.by_lead {
            vec![all, Value::text(""), number(rows.len())]
        } else {
            vec![all, number(rows.len()), number(branch_count(rows))]
        }
    }
}

/// A count as a cell.
fn number<'a>(len: usize) -> Value<'a> {
    Value::Int(i64::try_from(len).unwrap_or(i64::MAX))
}

/// How many branches rows are of.
fn branch_count(rows: &[Vec<Value>]) -> usize {
    let branches: BTreeSet<String> = rows.iter().map(|r| cell(r, BRANCH)).collect();
    branches.len()
}

#[cfg(test)]
mod tests {
    /// The list comes back in either language: each Chinese header it is written with is
    /// read as its key, and every column but item and status is one the reader passes over.
    #[test]
    fn every_chinese_header_of_the_list_reads_as_its_key() {
        for c in super::COLUMNS {
            assert_eq!(crate::aliases::header(&c.zh), c.key, "{}", c.zh);
            assert_eq!(crate::aliases::header(&c.en), c.key, "{}", c.en);
        }
    }
}
