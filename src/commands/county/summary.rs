//! The summary by town of a county's (or a workspace's) list: rows, stars, tiers and
//! open items counted per town, with a row for all.

use super::TOWN;
use crate::i18n::Lang;
use crate::render::{ChartKind, ChartSpec, Code, Column, Report, Value};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Counts by town of a list's rows: its rows, and, when it has them, stars and tiers.
#[derive(Default)]
pub(super) struct TownSummary {
    /// Each town with its place in the county's order, and its counts, or why it was left
    /// out (`--keep-going`).
    pub(super) towns: Vec<(usize, String, Result<Counts, String>)>,
    /// Which columns the lists had.
    pub(super) has_star: bool,
    pub(super) has_open: bool,
    pub(super) tiers: BTreeSet<String>,
}

#[derive(Default)]
pub(super) struct Counts {
    pub(super) rows: i64,
    /// By star, 0 to 5.
    pub(super) stars: [i64; 6],
    pub(super) tiers: BTreeMap<String, i64>,
    /// Open rectification items (the adjustment's `open` column).
    pub(super) open: i64,
}

impl TownSummary {
    /// The counts of town number `order` (in the county's order).
    pub(super) fn add(&mut self, order: usize, town: &str, rep: &Report) {
        let mut c = Counts::default();
        for row in &rep.rows {
            self.count(&rep.columns, row, &mut c);
        }
        self.towns.push((order, town.to_string(), Ok(c)));
    }

    /// A town left out (`--keep-going`), with why: a row of its own, counted nowhere.
    pub(super) fn leave_out(&mut self, order: usize, town: &str, why: String) {
        self.towns.push((order, town.to_string(), Err(why)));
    }

    /// Count one row of a list with `columns` into `c`.
    pub(super) fn count(&mut self, columns: &[Column], row: &[Value], c: &mut Counts) {
        let col = |key: &str| columns.iter().position(|c| c.key == key);
        let (star, tier, open) = (col("star"), col("tier"), col("open"));
        c.rows += 1;
        if let Some(s) = star.and_then(|i| row.get(i)).and_then(star_of) {
            self.has_star = true;
            if let Some(n) = c.stars.get_mut(s) {
                *n += 1;
            }
        }
        if let Some(Value::Int(n)) = open.and_then(|i| row.get(i)) {
            self.has_open = true;
            c.open += n;
        }
        if let Some(Value::Code(Code::Tier, t)) = tier.and_then(|i| row.get(i)) {
            if !self.tiers.contains(t.as_ref()) {
                self.tiers.insert(t.to_string());
            }
            match c.tiers.get_mut(t.as_ref()) {
                Some(n) => *n += 1,
                None => {
                    c.tiers.insert(t.to_string(), 1);
                }
            }
        }
    }

    /// The summary as a table: a row per town and one for all (`all` for machines), with
    /// a chart of the stars.
    pub(super) fn report(&self, lang: Lang, human: bool) -> Report<'static> {
        let left_out = self.towns.iter().any(|(_, _, c)| c.is_err());
        let columns = self.columns(lang, left_out);
        let width = columns.len();
        // Towns come in the order their members finished: put in the county's order once,
        // here.
        let mut towns: Vec<&(usize, String, Result<Counts, String>)> = self.towns.iter().collect();
        towns.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut rep = Report::new(lang.t("By town", "各镇（街道）汇总"), columns);
        let mut all = Counts::default();
        for (_, town, c) in towns {
            let c = match c {
                Ok(c) => c,
                Err(why) => {
                    let mut row = vec![Value::text(town.clone())];
                    row.resize(width - 1, Value::Null);
                    row.push(Value::text(why.clone()));
                    rep.rows.push(row);
                    continue;
                }
            };
            let mut row = self.row_of(town.clone(), c);
            if left_out {
                row.push(Value::Null);
            }
            rep.rows.push(row);
            all.add(c);
        }
        if self.has_star {
            rep.chart = Some(ChartSpec {
                kind: ChartKind::StackedBar,
                title: rep.title.clone(),
                category: 0,
                values: (2..=7).collect(),
                rows: Some(rep.rows.len()),
            });
        }
        let all_label = if human {
            lang.t("all", "合计")
        } else {
            "all"
        };
        let mut row = self.row_of(all_label.to_string(), &all);
        if left_out {
            row.push(Value::Null);
        }
        rep.rows.push(row);
        rep
    }

    /// The summary's columns: the town, its rows or its branches by star, then what the
    /// lists had (open items, tiers), and why a town was left out when one was.
    fn columns(&self, lang: Lang, left_out: bool) -> Vec<Column> {
        let mut columns = vec![TOWN, Column::new("rows", "Rows", "条数")];
        if self.has_star {
            columns = vec![TOWN, Column::new("branches", "Branches", "支部数")];
            columns.extend(crate::commands::evaluate::STAR_COLUMNS);
            columns.push(Column::new("five_share", "5★ share %", "五星占比%"));
        }
        if self.has_open {
            columns.push(Column::new("open", "Open items", "未完成整改"));
        }
        for t in &self.tiers {
            let shown = crate::render::codes::show(Code::Tier, t, lang).into_owned();
            columns.push(Column {
                key: format!("tier_{t}").into(),
                en: shown.clone().into(),
                zh: shown.into(),
            });
        }
        if left_out {
            columns.push(Column::new("left_out", "Left out", "未输出原因"));
        }
        columns
    }

    /// A town's row (or the row for all) of counts `c`, without the left-out cell.
    fn row_of(&self, town: String, c: &Counts) -> Vec<Value<'static>> {
        let mut row = vec![Value::text(town), Value::Int(c.rows)];
        if self.has_star {
            row.extend(
                (0..6)
                    .rev()
                    .map(|s| Value::Int(c.stars.get(s).copied().unwrap_or(0))),
            );
            row.push(share(c.stars.get(5).copied().unwrap_or(0), c.rows));
        }
        if self.has_open {
            row.push(Value::Int(c.open));
        }
        row.extend(
            self.tiers
                .iter()
                .map(|t| Value::Int(c.tiers.get(t).copied().unwrap_or(0))),
        );
        row
    }
}

impl Counts {
    /// Add a town's counts to these (the county's).
    fn add(&mut self, c: &Counts) {
        self.rows += c.rows;
        for (a, n) in self.stars.iter_mut().zip(c.stars) {
            *a += n;
        }
        for (t, n) in &c.tiers {
            *self.tiers.entry(t.clone()).or_default() += n;
        }
        self.open += c.open;
    }
}

/// A star from a list's `star` cell: a number (CSV, JSON) or ★ marks (for people).
fn star_of(v: &Value) -> Option<usize> {
    match v {
        Value::Int(n) => usize::try_from(*n).ok().filter(|n| *n <= 5),
        Value::Text(s) => Some(s.chars().filter(|c| *c == '★').count()),
        _ => None,
    }
}

/// `part` of `whole` as a percentage with two places, rounded half up; blank for none.
fn share(part: i64, whole: i64) -> Value<'static> {
    if whole == 0 {
        return Value::Null;
    }
    let d = Decimal::from(part) * Decimal::from(100) / Decimal::from(whole);
    Value::Dec(crate::decimal::round_half_up(d, 2))
}
