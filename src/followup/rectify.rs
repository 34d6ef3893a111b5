//! Rectification items (问题清单, 责任清单, 整改清单), SPEC.md "Rectification items".
//!
//! An item is cheap (its id and what it is about); its sentences are written only when a
//! list is printed, so that the adjustment can count a province's items without them.

use crate::decimal::{fmt2, fmt_plain};
use crate::i18n::Lang;
use crate::rate::Rating;
use crate::standard::{Domain, ItemKind, Standard};
use crate::workspace::{Event, Workspace, YearData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What an item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Indicator `index` of the standard, with its combined points, below its bottom line
    /// or below `rectify_below` of its points.
    Indicator {
        index: usize,
        combined: Decimal,
        below_bottom_line: bool,
    },
    /// A restraint or red-line event: index into [`YearData::events`].
    Event { index: usize, red_line: bool },
}

/// One rectification item of a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectItem {
    /// `YEAR-BRANCH-SOURCE`, with `-2`, `-3`… for a repeated source.
    pub id: String,
    pub branch: usize,
    pub subject: Subject,
    pub deadline: NaiveDate,
}

impl RectItem {
    /// `indicator`, `restraint` or `red_line`.
    pub fn kind(&self) -> &'static str {
        match self.subject {
            Subject::Indicator { .. } => "indicator",
            Subject::Event { red_line: true, .. } => "red_line",
            Subject::Event {
                red_line: false, ..
            } => "restraint",
        }
    }

    /// The indicator or item id the item is about.
    pub fn source<'a>(&self, std: &'a Standard, data: &'a YearData) -> &'a str {
        match self.subject {
            Subject::Indicator { index, .. } => std.indicators.get(index).map(|i| i.id.as_str()),
            Subject::Event { index, .. } => data.events.get(index).map(|e| e.item.as_str()),
        }
        .unwrap_or("")
    }

    /// The problem (问题): what is wrong, by how much.
    pub fn problem(&self, std: &Standard, data: &YearData, lang: Lang) -> String {
        match self.subject {
            Subject::Indicator { index, .. } => std
                .indicators
                .get(index)
                .map(|ind| {
                    let mut out = String::new();
                    Sentence::of(ind, std, lang).fill(&mut out, self);
                    out
                })
                .unwrap_or_default(),
            Subject::Event { index, red_line } => {
                let Some((e, item)) = event_item(std, data, index) else {
                    return String::new();
                };
                let name = lang.t(&item.name, &item.name_zh);
                let what = match (red_line, lang) {
                    (true, Lang::En) => "Red line",
                    (true, Lang::Zh) => "触碰红线",
                    (false, Lang::En) => "Restraint",
                    (false, Lang::Zh) => "反向约束",
                };
                let note = if e.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", e.note)
                };
                match lang {
                    Lang::En => format!("{what}: {name} ({}), {}{note}", item.id, e.date),
                    Lang::Zh => format!("{what}：{name}（{}），{}{note}", item.id, e.date),
                }
            }
        }
    }

    /// The measure (整改措施): the indicator's guidance or the item's name.
    pub fn measure<'a>(&self, std: &'a Standard, data: &'a YearData, lang: Lang) -> &'a str {
        match self.subject {
            Subject::Indicator { index, .. } => std
                .indicators
                .get(index)
                .map(|i| i.guidance.as_str())
                .unwrap_or_default(),
            Subject::Event { index, .. } => event_item(std, data, index)
                .map(|(_, i)| lang.t(&i.name, &i.name_zh))
                .unwrap_or_default(),
        }
    }
}

fn event_item<'a>(
    std: &'a Standard,
    data: &'a YearData,
    index: usize,
) -> Option<(&'a Event, &'a crate::standard::Item)> {
    let e = data.events.get(index)?;
    Some((e, std.item(&e.item)?))
}

/// The problem sentence of an indicator's items in one language: the text before the
/// points and the two endings, made once per indicator (a province has millions of items).
pub struct Sentence {
    head: String,
    /// Below the bottom line (when the indicator has one).
    bottom_line: Option<String>,
    /// Below `rectify_below` of its points.
    below: String,
}

impl Sentence {
    /// The wording of SPEC.md's problem list, for indicator `ind` of `std`.
    pub fn of(ind: &crate::standard::Indicator, std: &Standard, lang: Lang) -> Sentence {
        let name = lang.t(&ind.name, &ind.name_zh);
        let (points, s) = (fmt_plain(ind.points), &std.settings);
        let percent = fmt_plain(s.rectify_below * Decimal::ONE_HUNDRED);
        let limit = fmt2(s.rectify_below * ind.points);
        match lang {
            Lang::En => Sentence {
                head: format!("{name} ({}): ", ind.id),
                bottom_line: ind.bottom_line.map(|bl| {
                    format!(
                        " of {points} points, below its bottom line of {}",
                        fmt_plain(bl)
                    )
                }),
                below: format!(" of {points} points, below {percent}% of its points ({limit})"),
            },
            Lang::Zh => Sentence {
                head: format!("{name}（{}）：得", ind.id),
                bottom_line: ind
                    .bottom_line
                    .map(|bl| format!("分（满分{points}），低于底线{}分", fmt_plain(bl))),
                below: format!("分（满分{points}），低于满分的{percent}%（{limit}分）"),
            },
        }
    }

    /// The problem of an indicator item, added to `out` (nothing for an event item).
    pub fn fill(&self, out: &mut String, item: &RectItem) {
        let Subject::Indicator {
            combined,
            below_bottom_line,
            ..
        } = item.subject
        else {
            return;
        };
        let tail = match (&self.bottom_line, below_bottom_line) {
            (Some(bl), true) => bl,
            _ => &self.below,
        };
        out.reserve(self.head.len() + tail.len() + 8);
        out.push_str(&self.head);
        crate::decimal::fmt2_into(out, combined);
        out.push_str(tail);
    }
}

/// Makes the items of a year's branches, with what each standard's items are found by
/// (limits, deadline) worked out once.
pub struct Lister<'a> {
    ws: &'a Workspace,
    data: &'a YearData,
    rules: BTreeMap<Domain, Rules>,
}

/// What the items of one standard are found with in a year.
struct Rules {
    limits: Option<Limits>,
    deadline: NaiveDate,
}

impl<'a> Lister<'a> {
    pub fn new(ws: &'a Workspace, data: &'a YearData) -> Lister<'a> {
        let rules = ws
            .standards
            .by_domain
            .iter()
            .map(|(d, std)| {
                let rules = Rules {
                    limits: Limits::of(std),
                    deadline: deadline(std, data),
                };
                (*d, rules)
            })
            .collect();
        Lister { ws, data, rules }
    }

    /// The items of branch `b`, in item id order, added to the end of `out`.
    pub fn push(&self, b: usize, out: &mut Vec<RectItem>) {
        self.each(b, out, None);
    }

    /// How many items branch `b` has.
    fn count(&self, b: usize) -> usize {
        let mut n = 0;
        self.each(b, &mut Vec::new(), Some(&mut n));
        n
    }

    fn each(&self, b: usize, out: &mut Vec<RectItem>, count: Option<&mut usize>) {
        let found = self.ws.branches.get(b).and_then(|br| {
            let std = self.ws.standards.get(br.domain)?;
            Some((std, self.rules.get(&br.domain)?))
        });
        if let Some((std, rules)) = found {
            push_branch_items(self.ws, self.data, b, std, rules, out, count);
        }
    }
}

/// The deadline of a year's items under a standard: `rectify_days` after the evaluation.
pub fn deadline(std: &Standard, data: &YearData) -> NaiveDate {
    let days = chrono::Days::new(u64::from(std.settings.adjust.rectify_days));
    data.evaluated
        .checked_add_days(days)
        .unwrap_or(data.evaluated)
}

/// Each indicator's bottom line (if any) and `rectify_below` of its points, in units of
/// the year's integer sums of e_i ([`crate::workspace::Scores::fixed_sums`]): what the
/// items of a province's branches are found with, compared as integers.
struct Limits(Vec<(Option<i64>, i64)>);

impl Limits {
    /// `None` when a limit has more places than the sums (then decimals decide).
    fn of(std: &Standard) -> Option<Limits> {
        let below =
            |points| crate::workspace::Scores::to_fixed(std.settings.rectify_below * points);
        crate::rate::fixed_bottom_lines(std)?
            .into_iter()
            .zip(&std.indicators)
            .map(|(bottom, ind)| Some((bottom, below(ind.points)?)))
            .collect::<Option<Vec<_>>>()
            .map(Limits)
    }
}

/// The items of one branch's rating, in item id order, added to the end of `out` (or, with
/// `count`, only counted).
fn push_branch_items(
    ws: &Workspace,
    data: &YearData,
    branch: usize,
    std: &Standard,
    rules: &Rules,
    out: &mut Vec<RectItem>,
    mut count: Option<&mut usize>,
) {
    let Some(b) = ws.branches.get(branch) else {
        return;
    };
    let (s, deadline) = (&std.settings, rules.deadline);
    let start = out.len();
    // Each item gets its id as it is found, in the order the repeats of a source are
    // numbered: indicators, then events by date (the loader sorts them).
    let mut push = |source: &str, subject: Subject, out: &mut Vec<RectItem>| {
        // Only counting them: no item made.
        if let Some(c) = count.as_deref_mut() {
            *c += 1;
            return;
        }
        // The how-manieth item of this source (a branch has a few items: no map).
        let n = 1 + out
            .get(start..)
            .unwrap_or_default()
            .iter()
            .filter(|i| i.source(std, data) == source)
            .count();
        // `YEAR-BRANCH-SOURCE[-n]`, pieced together (a province has millions).
        let mut id = String::with_capacity(b.id.len() + source.len() + 12);
        id.push_str(itoa::Buffer::new().format(data.year));
        id.push('-');
        id.push_str(&b.id);
        id.push('-');
        id.push_str(source);
        if n > 1 {
            id.push('-');
            id.push_str(itoa::Buffer::new().format(n));
        }
        out.push(RectItem {
            id,
            branch,
            subject,
            deadline,
        });
    };
    let n = std.indicators.len();
    let sums = data.scores.fixed_sums(branch, n).zip(rules.limits.as_ref());
    // The integer sums and limits when both are at hand: the same comparisons, exact.
    if let Some((sums, Limits(limits))) = sums {
        for (index, ((ind, e), (bottom, below))) in
            std.indicators.iter().zip(sums).zip(limits).enumerate()
        {
            let below_bottom_line = bottom.is_some_and(|bl| *e < bl);
            if below_bottom_line || e < below {
                let combined = crate::workspace::Scores::sum_decimal(std::slice::from_ref(e))
                    .unwrap_or(Decimal::ZERO);
                let subject = Subject::Indicator {
                    index,
                    combined,
                    below_bottom_line,
                };
                push(&ind.id, subject, out);
            }
        }
    } else {
        let combined = data.scores.combined(branch, n);
        for (index, (ind, e)) in std.indicators.iter().zip(&combined).enumerate() {
            let below_bottom_line = ind.bottom_line.is_some_and(|bl| *e < bl);
            if below_bottom_line || *e < s.rectify_below * ind.points {
                let subject = Subject::Indicator {
                    index,
                    combined: *e,
                    below_bottom_line,
                };
                push(&ind.id, subject, out);
            }
        }
    }
    let first = data.events.partition_point(|e| e.branch < branch);
    for (k, e) in data.events_of(branch).iter().enumerate() {
        let red_line = match std.item(&e.item).map(|i| i.kind) {
            Some(ItemKind::Restraint(_)) => false,
            Some(ItemKind::RedLine(_)) => true,
            _ => continue,
        };
        push(
            &e.item,
            Subject::Event {
                index: first + k,
                red_line,
            },
            out,
        );
    }
    if let Some(mine) = out.get_mut(start..) {
        mine.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// The items of every rated branch of a year, in branch then item id order (which is item
/// id order).
pub fn year_items(ws: &Workspace, data: &YearData, ratings: &[(usize, Rating)]) -> Vec<RectItem> {
    let lister = Lister::new(ws, data);
    let count = |ratings: &[(usize, Rating)]| -> usize {
        ratings.iter().map(|(b, _)| lister.count(*b)).sum()
    };
    let items_of = |ratings: &[(usize, Rating)], room: usize| {
        let mut items = Vec::with_capacity(room);
        for (b, _) in ratings {
            lister.push(*b, &mut items);
        }
        items
    };
    // Each branch's items are its own: a province's are listed on both cores, in halves,
    // counted first so that the list is made once at its size (hundreds of megabytes,
    // which growing step by step would copy over and over).
    if ratings.len() < 4096 {
        return items_of(ratings, 0);
    }
    let (first, second) = ratings.split_at(ratings.len() / 2);
    let (n1, n2) = std::thread::scope(|s| {
        let other = s.spawn(|| count(second));
        (count(first), other.join().unwrap_or_else(|_| count(second)))
    });
    std::thread::scope(|s| {
        let other = s.spawn(|| items_of(second, n2));
        let mut items = items_of(first, n1 + n2);
        items.extend(other.join().unwrap_or_else(|_| items_of(second, n2)));
        items
    })
}
