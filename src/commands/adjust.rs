//! `stars adjust`: the dynamic adjustment at the end of a year.

use super::Ctx;
use crate::followup::adjust::{Adjustment, Change};
use crate::i18n::{msg_in, Lang};
use crate::problem::Outcome;
use crate::render::codes::show;
use crate::render::{ChartKind, ChartSpec, Code, Column, Format, Report, RowStream, Value};
use crate::workspace::{Workspace, YearData};

pub const COLUMNS: [Column; 11] = [
    Column::new("branch", "Branch", "支部编号"),
    Column::new("name", "Name", "支部名称"),
    Column::new("plaque", "Plaque", "原星级牌"),
    Column::new("star", "Star", "评定星级"),
    Column::new("open", "Open items", "未完成整改"),
    Column::new("next", "Next plaque", "新星级牌"),
    Column::new("change", "Change", "变化"),
    Column::new("reason", "Reason", "原因"),
    Column::new("streak", "5★ streak", "连续五星年数"),
    Column::new("reward", "Reward", "奖励"),
    Column::new("remind", "Interview", "约谈"),
];

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let mut last = None;
    // The last year's data is kept with its adjustments: its reviews name the departments
    // behind a five-star review not passed.
    let ws = ctx.walk_years(false, |_, run| {
        if run.last {
            last = Some((run.data, run.adjustments));
        }
    })?;
    let Some((data, rows)) = last else {
        return ctx.emit("");
    };
    let year = data.year;
    let lang = ctx.lang;
    let human = matches!(ctx.format, Format::Table | Format::Markdown);
    let town = &ws.config.name;
    let title = msg_in!(
        lang,
        "{town} — dynamic adjustment at the end of {year}",
        "{town} {year}年度星级动态调整"
    );
    // A workbook has the rows as CSV has them and the summaries on sheets of their own.
    let xlsx = ctx.format == Format::Xlsx;
    let mut rep = Report::new(title, COLUMNS.to_vec());
    let cells = Cells {
        ws: &ws,
        data: &data,
        lang,
        human,
    };
    if !human && !xlsx {
        // For machines, rows are written as they are made.
        rep.stream = Some(RowStream::over(rows.len(), 16_384, |range, f| {
            for a in rows.get(range).unwrap_or_default() {
                if let Some(r) = cells.row(a) {
                    f(&r)?;
                }
            }
            Ok(())
        }));
        let out = ctx.emit_report(&rep);
        crate::timing::mark("output");
        drop(rep);
        ctx.leak((rows, ws, data));
        return out;
    }
    let counts = lists(&mut rep, &rows, &cells);
    if xlsx {
        // A workbook's sheets: the changes of plaques before the lists.
        rep.extras.insert(0, plaques(&counts, lang));
    } else {
        rep.notes.push(plaques_note(&counts, lang));
    }
    let out = ctx.emit_report(&rep);
    crate::timing::mark("output");
    // A province's rows are left for the process's exit to reclaim (see `leak`).
    ctx.leak(rep);
    ctx.leak((rows, ws, data));
    out
}

/// What an adjustment's cells are made from.
struct Cells<'a> {
    ws: &'a Workspace,
    data: &'a YearData,
    lang: Lang,
    /// For people: stars as ★ marks.
    human: bool,
}

impl<'a> Cells<'a> {
    fn star(&self, n: u8) -> Value<'a> {
        if self.human {
            Value::text(crate::render::star_marks(n))
        } else {
            Value::Int(n.into())
        }
    }

    /// An adjustment's row of the list.
    fn row(&self, a: &Adjustment) -> Option<Vec<Value<'a>>> {
        let ws = self.ws;
        let b = ws.branches.get(a.branch)?;
        let star = |n| self.star(n);
        Some(vec![
            Value::text(b.id()),
            Value::text(b.name()),
            a.plaque.map_or(Value::Null, star),
            star(a.star),
            Value::Int(a.open.into()),
            a.next.map_or(Value::Null, star),
            Value::code(Code::Change, a.change.as_str()),
            Value::text(
                ws.standards
                    .get(b.domain)
                    .map(|std| a.reason(std, self.data, self.lang))
                    .unwrap_or_default(),
            ),
            Value::Int(a.streak.into()),
            Value::Bool(a.reward),
            Value::Bool(a.remind),
        ])
    }
}

/// The rows of the list for people and workbooks, and the lists of rewards and interviews
/// (after the tables `rep` has); the changes of plaques counted, in the order of
/// `Change::ALL`.
fn lists<'a>(
    rep: &mut Report<'a>,
    rows: &[Adjustment],
    cells: &Cells<'a>,
) -> [usize; Change::ALL.len()] {
    let lang = cells.lang;
    let mut rewards = Report::new(
        lang.t("Rewards (five stars running)", "奖励名单（连续五星）"),
        vec![COLUMNS[0].clone(), COLUMNS[1].clone(), COLUMNS[8].clone()],
    );
    let mut interviews = Report::new(
        lang.t("Interviews (约谈) with the lead", "约谈名单"),
        vec![
            COLUMNS[0].clone(),
            COLUMNS[1].clone(),
            COLUMNS[3].clone(),
            Column::new("lead", "Lead to interview", "约谈领导"),
            Column::new("secretary", "Secretary", "支部书记"),
        ],
    );
    let mut counts = [0usize; Change::ALL.len()];
    for a in rows {
        let Some(b) = cells.ws.branches.get(a.branch) else {
            continue;
        };
        if let Some(c) = Change::ALL
            .iter()
            .position(|c| *c == a.change)
            .and_then(|i| counts.get_mut(i))
        {
            *c += 1;
        }
        if let Some(r) = cells.row(a) {
            rep.rows.push(r);
        }
        if a.reward {
            rewards.rows.push(vec![
                Value::text(b.id()),
                Value::text(b.name()),
                Value::Int(a.streak.into()),
            ]);
        }
        if a.remind {
            interviews.rows.push(vec![
                Value::text(b.id()),
                Value::text(b.name()),
                cells.star(a.star),
                Value::text(b.lead()),
                Value::text(b.secretary()),
            ]);
        }
    }
    rep.extras.push(rewards);
    rep.extras.push(interviews);
    counts
}

/// The changes of plaques counted, as a note under the list for people: every change;
/// trial years (a local rule) only where there are some, so a workspace without the rule
/// reads as before.
fn plaques_note(counts: &[usize], lang: Lang) -> String {
    let parts: Vec<String> = Change::ALL
        .iter()
        .zip(counts)
        .filter(|(c, n)| **c != Change::Trial || **n > 0)
        .map(|(c, n)| format!("{} {n}", show(Code::Change, c.as_str(), lang)))
        .collect();
    format!(
        "{}{}{}",
        lang.t("Plaques", "星级牌"),
        lang.t(": ", "："),
        parts.join(lang.t(", ", "、"))
    )
}

/// The changes of plaques, counted (up, down, same, new, trial), with a column chart.
fn plaques(counts: &[usize], lang: Lang) -> Report<'static> {
    let mut rep = Report::new(
        lang.t("Changes of plaques", "星级牌变化"),
        vec![
            Column::new("change", "Change", "变化"),
            Column::new("branches", "Branches", "支部数"),
        ],
    );
    for (c, n) in Change::ALL.iter().zip(counts) {
        rep.rows.push(vec![
            Value::code(Code::Change, c.as_str()),
            Value::Int(i64::try_from(*n).unwrap_or(i64::MAX)),
        ]);
    }
    rep.chart = Some(ChartSpec {
        kind: ChartKind::Column,
        title: rep.title.clone(),
        category: 0,
        values: vec![1],
        rows: None,
    });
    rep
}
