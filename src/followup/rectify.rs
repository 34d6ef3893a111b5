//! Rectification items (问题清单, 责任清单, 整改清单), SPEC.md "Rectification items".
//!
//! An item is cheap (what it is about, 20 bytes): its id and sentences are written only when
//! a list is printed, so that the adjustment can count and find a province's items without
//! them.

use crate::decimal::{fmt2, fmt_plain};
use crate::i18n::{msg_in, Lang};
use crate::standard::{Domain, ItemKind, Standard};
use crate::workspace::{Event, Workspace, YearData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What an item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Indicator `index` of the standard, below its bottom line or below `rectify_below` of
    /// its points (its combined points are the year's: [`RectItem::combined`]).
    Indicator {
        index: usize,
        below_bottom_line: bool,
    },
    /// A restraint or red-line event: index into [`YearData::events`], and of its item in
    /// the standard's items (what the id is made of, kept when the year's events are gone).
    Event {
        index: usize,
        item: usize,
        red_line: bool,
    },
}

/// One rectification item of a branch, in 20 bytes: a province has millions, which the
/// adjustment holds for a year. Its id, `YEAR-BRANCH-SOURCE` with `-2`, `-3`… for a
/// repeated source, is made of the branch, the source and the repeat when asked for
/// ([`RectItem::id`]); its points, problem and deadline come from the year's data
/// ([`RectItem::combined`], [`deadline`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectItem {
    branch: u32,
    /// The indicator's index in the standard, or the item's in the standard's items.
    source: u32,
    /// The event's index in the year's events (events only).
    event: u32,
    /// 1 for the first item of its source in the branch, 2 for the second…
    pub repeat: u32,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    BelowShare,
    BelowBottomLine,
    Restraint,
    RedLine,
}

impl RectItem {
    fn new(branch: usize, subject: Subject, repeat: u32) -> RectItem {
        // Indices past u32 (four billion) point at nothing: the item then has no text.
        let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let (source, event, kind) = match subject {
            Subject::Indicator {
                index,
                below_bottom_line,
            } => {
                let kind = if below_bottom_line {
                    Kind::BelowBottomLine
                } else {
                    Kind::BelowShare
                };
                (at(index), 0, kind)
            }
            Subject::Event {
                index,
                item,
                red_line,
            } => {
                let kind = if red_line {
                    Kind::RedLine
                } else {
                    Kind::Restraint
                };
                (at(item), at(index), kind)
            }
        };
        RectItem {
            branch: at(branch),
            source,
            event,
            repeat,
            kind,
        }
    }

    /// The branch's index.
    pub fn branch(&self) -> usize {
        self.branch as usize
    }

    /// What the item is about.
    pub fn subject(&self) -> Subject {
        let (source, event) = (self.source as usize, self.event as usize);
        match self.kind {
            Kind::BelowShare | Kind::BelowBottomLine => Subject::Indicator {
                index: source,
                below_bottom_line: self.kind == Kind::BelowBottomLine,
            },
            Kind::Restraint | Kind::RedLine => Subject::Event {
                index: event,
                item: source,
                red_line: self.kind == Kind::RedLine,
            },
        }
    }

    /// `indicator`, `restraint` or `red_line`.
    pub fn kind(&self) -> &'static str {
        match self.kind {
            Kind::BelowShare | Kind::BelowBottomLine => "indicator",
            Kind::Restraint => "restraint",
            Kind::RedLine => "red_line",
        }
    }

    /// The indicator or item id the item is about.
    pub fn source<'a>(&self, std: &'a Standard) -> &'a str {
        match self.subject() {
            Subject::Indicator { index, .. } => std.indicators.get(index).map(|i| i.id.as_str()),
            Subject::Event { item, .. } => std.items.get(item).map(|i| i.id.as_str()),
        }
        .unwrap_or("")
    }

    /// The names (English, Chinese) of the indicator or item the item is about: beside its
    /// id wherever the items are counted by source.
    pub fn source_names<'a>(&self, std: &'a Standard) -> (&'a str, &'a str) {
        let names = match self.subject() {
            Subject::Indicator { index, .. } => std
                .indicators
                .get(index)
                .map(|i| (i.name.as_str(), i.name_zh.as_str())),
            Subject::Event { item, .. } => std
                .items
                .get(item)
                .map(|i| (i.name.as_str(), i.name_zh.as_str())),
        };
        names.unwrap_or(("", ""))
    }

    /// The indicator's combined points e_i in the year (zero for an event item).
    pub fn combined(&self, std: &Standard, data: &YearData) -> Decimal {
        let Subject::Indicator { index, .. } = self.subject() else {
            return Decimal::ZERO;
        };
        let (b, n) = (self.branch(), std.indicators.len());
        let fixed = data.scores.fixed_sums(b, n).and_then(|sums| {
            crate::combined::Scores::sum_decimal(std::slice::from_ref(sums.get(index)?))
        });
        fixed
            .or_else(|| data.scores.indicator(b, index))
            .unwrap_or(Decimal::ZERO)
    }

    /// The item's id: `YEAR-BRANCH-SOURCE`, with `-2`, `-3`… for a repeated source.
    pub fn id(&self, ws: &Workspace, year: i32) -> String {
        let mut out = String::new();
        self.push_id(ws, year, &mut out);
        out
    }

    /// [`RectItem::id`], added to the end of `out`.
    pub fn push_id(&self, ws: &Workspace, year: i32, out: &mut String) {
        let (mut y, mut n) = (itoa::Buffer::new(), itoa::Buffer::new());
        for piece in self.id_pieces(ws, y.format(year), &mut n) {
            out.push_str(piece);
        }
    }

    /// How the item's id compares with `id`, given its year as text: as the two strings
    /// compare, without making the item's.
    pub fn cmp_id(&self, ws: &Workspace, year: &str, id: &str) -> std::cmp::Ordering {
        let mut n = itoa::Buffer::new();
        cmp_joined(&self.id_pieces(ws, year, &mut n), id)
    }

    /// Whether the item's id is `id`, given its year as text: [`RectItem::cmp_id`] is
    /// equal, found with fewer comparisons (the rows of a province's rectification.csv are
    /// each looked for among last year's items).
    pub fn is_id(&self, ws: &Workspace, year: &str, id: &str) -> bool {
        let mut n = itoa::Buffer::new();
        let pieces = self.id_pieces(ws, year, &mut n);
        if pieces.iter().map(|p| p.len()).sum::<usize>() != id.len() {
            return false;
        }
        let mut rest = id.as_bytes();
        pieces.iter().all(|p| match rest.split_at_checked(p.len()) {
            Some((head, after)) if same(head, p.as_bytes()) => {
                rest = after;
                true
            }
            _ => false,
        })
    }

    /// The pieces the id is the concatenation of.
    fn id_pieces<'a>(
        &self,
        ws: &'a Workspace,
        year: &'a str,
        n: &'a mut itoa::Buffer,
    ) -> [&'a str; 7] {
        let branch = ws.branches.get(self.branch());
        let std = branch.and_then(|b| ws.standards.get(b.domain));
        let [dash, repeat] = self.repeat_pieces(n);
        [
            year,
            "-",
            branch.map_or("", |b| b.id()),
            "-",
            std.map_or("", |s| self.source(s)),
            dash,
            repeat,
        ]
    }

    /// `-n` for a repeat, as two pieces (none for the first item of a source).
    fn repeat_pieces<'a>(&self, n: &'a mut itoa::Buffer) -> [&'a str; 2] {
        if self.repeat > 1 {
            ["-", n.format(self.repeat)]
        } else {
            ["", ""]
        }
    }

    /// The problem (问题): what is wrong, by how much.
    pub fn problem(&self, std: &Standard, data: &YearData, lang: Lang) -> String {
        match self.subject() {
            Subject::Indicator { index, .. } => std
                .indicators
                .get(index)
                .map(|ind| {
                    let mut out = String::new();
                    let combined = self.combined(std, data);
                    Sentence::of(ind, std, lang).fill(&mut out, self, combined);
                    self.push_deductions(&mut out, data, lang);
                    out
                })
                .unwrap_or_default(),
            Subject::Event {
                index,
                item,
                red_line,
            } => {
                let Some((e, item)) = event_item(std, data, index, item) else {
                    return String::new();
                };
                let name = lang.t(&item.name, &item.name_zh);
                let what = if red_line {
                    lang.t("Red line", "触碰红线")
                } else {
                    lang.t("Restraint", "反向约束")
                };
                let note = if e.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", e.note)
                };
                let (id, date) = (&item.id, &e.date);
                msg_in!(
                    lang,
                    "{what}: {name} ({id}), {date}{note}",
                    "{what}：{name}（{id}），{date}{note}"
                )
            }
        }
    }

    /// After an indicator's problem, the reasons of its deductions (the records of the
    /// year: a level scored by deduction), each with its date and points; nothing for an
    /// indicator with none, or an event item.
    pub fn push_deductions(&self, out: &mut String, data: &YearData, lang: Lang) {
        let Subject::Indicator { index, .. } = self.subject() else {
            return;
        };
        if data.records.deductions.is_empty() {
            return;
        }
        let mine =
            (data.records.deductions_of(self.branch()).iter()).filter(|d| d.indicator() == index);
        let parts: Vec<String> = mine
            .map(|d| {
                let (reason, date) = (data.records.reason(d), d.date);
                let points = fmt_plain(d.points());
                msg_in!(
                    lang,
                    "{reason} ({date}, −{points})",
                    "{reason}（{date}，扣{points}分）"
                )
            })
            .collect();
        if !parts.is_empty() {
            let list = parts.join(lang.t("; ", "；"));
            out.push_str(&msg_in!(lang, "; deducted: {list}", "；扣分原因：{list}"));
        }
    }

    /// The measure (整改措施): the indicator's guidance or the item's name.
    pub fn measure<'a>(&self, std: &'a Standard, lang: Lang) -> &'a str {
        match self.subject() {
            Subject::Indicator { index, .. } => std
                .indicators
                .get(index)
                .map(|i| i.guidance.as_str())
                .unwrap_or_default(),
            Subject::Event { item, .. } => std
                .items
                .get(item)
                .map(|i| lang.t(&i.name, &i.name_zh))
                .unwrap_or_default(),
        }
    }
}

fn event_item<'a>(
    std: &'a Standard,
    data: &'a YearData,
    index: usize,
    item: usize,
) -> Option<(&'a Event, &'a crate::standard::Item)> {
    Some((data.events.get(index)?, std.items.get(item)?))
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
        let id = &ind.id;
        Sentence {
            head: msg_in!(lang, "{name} ({id}): ", "{name}（{id}）：得"),
            bottom_line: ind.bottom_line.map(|bl| {
                let bl = fmt_plain(bl);
                msg_in!(
                    lang,
                    " of {points} points, below its bottom line of {bl}",
                    "分（满分{points}），低于底线{bl}分"
                )
            }),
            below: msg_in!(
                lang,
                " of {points} points, below {percent}% of its points ({limit})",
                "分（满分{points}），低于满分的{percent}%（{limit}分）"
            ),
        }
    }

    /// The problem of an indicator item with combined points `combined`, added to `out`
    /// (nothing for an event item).
    pub fn fill(&self, out: &mut String, item: &RectItem, combined: Decimal) {
        let Subject::Indicator {
            below_bottom_line, ..
        } = item.subject()
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
/// (its limits) worked out once.
pub struct Lister<'a> {
    ws: &'a Workspace,
    data: &'a YearData,
    rules: BTreeMap<Domain, Rules>,
}

/// What the items of one standard are found with in a year.
struct Rules {
    limits: Option<Limits>,
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
            push_branch_items(self.data, b, std, rules, out, count);
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
/// the year's integer sums of e_i ([`crate::combined::Scores::fixed_sums`]): what the
/// items of a province's branches are found with, compared as integers.
struct Limits(Vec<(Option<i64>, i64)>);

impl Limits {
    /// `None` when a limit has more places than the sums (then decimals decide).
    fn of(std: &Standard) -> Option<Limits> {
        let below = |points| crate::combined::Scores::to_fixed(std.settings.rectify_below * points);
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
    data: &YearData,
    branch: usize,
    std: &Standard,
    rules: &Rules,
    out: &mut Vec<RectItem>,
    mut count: Option<&mut usize>,
) {
    let s = &std.settings;
    let start = out.len();
    // Each item is numbered as it is found, in the order the repeats of a source are
    // numbered: indicators, then events by date (the loader sorts them).
    let mut push = |subject: Subject, out: &mut Vec<RectItem>| {
        // Only counting them: no item made.
        if let Some(c) = count.as_deref_mut() {
            *c += 1;
            return;
        }
        // The how-manieth item of this source (a branch has a few items: no map). The ids
        // of a standard's indicators and items are unique (the loader checks), so the same
        // source is the same indicator or item.
        let before = out.get(start..).unwrap_or_default();
        let key = source_key(&subject);
        let n = 1 + before
            .iter()
            .filter(|i| source_key(&i.subject()) == key)
            .count();
        out.push(RectItem::new(
            branch,
            subject,
            u32::try_from(n).unwrap_or(u32::MAX),
        ));
    };
    let n = std.indicators.len();
    let sums = data.scores.fixed_sums(branch, n).zip(rules.limits.as_ref());
    // The integer sums and limits when both are at hand: the same comparisons, exact.
    if let Some((sums, Limits(limits))) = sums {
        for (index, (e, (bottom, below))) in sums.iter().zip(limits).enumerate() {
            let below_bottom_line = bottom.is_some_and(|bl| *e < bl);
            if below_bottom_line || e < below {
                let subject = Subject::Indicator {
                    index,
                    below_bottom_line,
                };
                push(subject, out);
            }
        }
    } else if let Some(((sums, rate, mult), Limits(limits))) =
        (data.scores.survey_sums(branch, n)).zip(rules.limits.as_ref())
    {
        // A branch with ballots: e_i · 10^10 = sums[i] + mult[i] · R, R = num/den, compared
        // with a limit L as sums[i] · den + mult[i] · num < L · den — exact, no division.
        for (index, ((e, m), (bottom, below))) in sums.iter().zip(mult).zip(limits).enumerate() {
            let lt = |l: i64| {
                let lhs = i128::from(*e)
                    .checked_mul(rate.den)
                    .zip(m.checked_mul(rate.num));
                let rhs = i128::from(l).checked_mul(rate.den);
                match (lhs.and_then(|(a, b)| a.checked_add(b)), rhs) {
                    (Some(a), Some(b)) => a < b,
                    // Past an i128 (never with the loader's bounds): its representative.
                    _ => {
                        let rep = data.scores.indicator(branch, index).unwrap_or_default();
                        rep < Decimal::new(l, 10)
                    }
                }
            };
            let below_bottom_line = bottom.is_some_and(lt);
            if below_bottom_line || lt(*below) {
                let subject = Subject::Indicator {
                    index,
                    below_bottom_line,
                };
                push(subject, out);
            }
        }
    } else {
        // In decimals, one indicator at a time, with nothing allocated.
        for (index, ind) in std.indicators.iter().enumerate() {
            let e = data.scores.indicator(branch, index).unwrap_or_default();
            let below_bottom_line = ind.bottom_line.is_some_and(|bl| e < bl);
            if below_bottom_line || e < s.rectify_below * ind.points {
                let subject = Subject::Indicator {
                    index,
                    below_bottom_line,
                };
                push(subject, out);
            }
        }
    }
    let first = data.events.partition_point(|e| e.branch < branch);
    for (k, e) in data.events_of(branch).iter().enumerate() {
        let Some((item, found)) = std.items.iter().enumerate().find(|(_, i)| i.id == e.item) else {
            continue;
        };
        let red_line = match found.kind {
            ItemKind::Restraint(_) => false,
            ItemKind::RedLine(_) => true,
            _ => continue,
        };
        let subject = Subject::Event {
            index: first + k,
            item,
            red_line,
        };
        push(subject, out);
    }
    // In id order: the ids of a branch's items differ only from their source on.
    if let Some(mine) = out.get_mut(start..) {
        mine.sort_by(|a, b| {
            let (mut na, mut nb) = (itoa::Buffer::new(), itoa::Buffer::new());
            let tail = |i: &RectItem, n| {
                let [dash, repeat] = i.repeat_pieces(n);
                [i.source(std), dash, repeat]
            };
            let (ta, tb) = (tail(a, &mut na), tail(b, &mut nb));
            ta.iter()
                .flat_map(|p| p.bytes())
                .cmp(tb.iter().flat_map(|p| p.bytes()))
        });
    }
}

/// Whether two short byte strings are equal, compared a word at a time without a call:
/// the pieces of an id are a few bytes each, where calling `memcmp` for each costs more
/// than comparing.
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // The first and the last `W` bytes of both (overlapping when n < 2·W): all of them.
    fn ends<const W: usize>(s: &[u8]) -> Option<([u8; W], [u8; W])> {
        let first = s.get(..W)?.try_into().ok()?;
        let last = s.get(s.len().checked_sub(W)?..)?.try_into().ok()?;
        Some((first, last))
    }
    match n {
        0 => true,
        1..=3 => a.first() == b.first() && a.get(n / 2) == b.get(n / 2) && a.last() == b.last(),
        4..=7 => ends::<4>(a) == ends::<4>(b),
        8..=16 => ends::<8>(a) == ends::<8>(b),
        _ => a == b,
    }
}

/// What an item's source is, as numbers: an indicator or an item of the standard.
fn source_key(subject: &Subject) -> (bool, usize) {
    match *subject {
        Subject::Indicator { index, .. } => (false, index),
        Subject::Event { item, .. } => (true, item),
    }
}

/// How the concatenation of `pieces` compares with `other`, as strings compare (byte by
/// byte, a prefix first), without making the concatenation.
fn cmp_joined(pieces: &[&str], other: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let mut rest = other.as_bytes();
    for piece in pieces.iter().map(|p| p.as_bytes()) {
        let k = piece.len().min(rest.len());
        let (Some((mine, more)), Some((theirs, after))) =
            (piece.split_at_checked(k), rest.split_at_checked(k))
        else {
            return Ordering::Equal;
        };
        match mine.cmp(theirs) {
            Ordering::Equal if !more.is_empty() => return Ordering::Greater,
            Ordering::Equal => rest = after,
            unequal => return unequal,
        }
    }
    if rest.is_empty() {
        Ordering::Equal
    } else {
        Ordering::Less
    }
}

/// The items of every rated branch of a year, in branch then item id order (which is item
/// id order).
pub fn year_items<R: Sync>(
    ws: &Workspace,
    data: &YearData,
    ratings: &[(usize, R)],
) -> Vec<RectItem> {
    let lister = Lister::new(ws, data);
    let count =
        |ratings: &[(usize, R)]| -> usize { ratings.iter().map(|(b, _)| lister.count(*b)).sum() };
    let items_of = |ratings: &[(usize, R)], room: usize| {
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

/// The loader checks the ids of `rectification.csv` against last year's items through this.
impl crate::workspace::ItemId for RectItem {
    fn cmp_id(&self, ws: &Workspace, year: &str, id: &str) -> std::cmp::Ordering {
        RectItem::cmp_id(self, ws, year, id)
    }
    fn is_id(&self, ws: &Workspace, year: &str, id: &str) -> bool {
        RectItem::is_id(self, ws, year, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problems;
    use crate::rate::rate_year;
    use crate::source::Encoding;
    use proptest::prelude::*;
    use std::path::Path;

    proptest! {
        /// The word-at-a-time equality is `==`, at every length around its words.
        #[test]
        fn short_strings_compare_as_equal_or_not(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same(a.as_bytes(), a.as_bytes()));
        }

        /// Comparing pieces with a string is comparing their concatenation with it, for
        /// pieces and strings with bytes on both sides of `-` and prefixes of each other.
        #[test]
        fn pieces_compare_as_their_concatenation(
            pieces in proptest::collection::vec("[-+0-9A-Ca-c栏]{0,4}", 0..6),
            other in "[-+0-9A-Ca-c栏]{0,12}",
        ) {
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let joined = pieces.concat();
            prop_assert_eq!(cmp_joined(&refs, &other), joined.as_str().cmp(&other));
            prop_assert_eq!(cmp_joined(&refs, &joined), std::cmp::Ordering::Equal);
            let longer = format!("{joined}-");
            prop_assert_eq!(cmp_joined(&refs, &longer), std::cmp::Ordering::Less);
        }
    }

    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy_tree(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }

    /// A year whose sums have more places than the integer sums keep is listed in decimals:
    /// the same items, problems and measures as the integer way gives (the town, with one
    /// score of D001 given to twelve places, a millionth of a millionth less).
    #[test]
    fn items_found_in_decimals_are_the_items_found_in_integers() {
        let town = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang");
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&town, tmp.path());
        let sheet = tmp.path().join("2025/scores-rural.csv");
        let text = std::fs::read_to_string(&sheet).unwrap();
        let text = text.replacen("D001,self,6,12,", "D001,self,6,11.999999999999,", 1);
        std::fs::write(&sheet, text).unwrap();
        let lists = [town.as_path(), tmp.path()].map(|dir| {
            let mut problems = Problems::new();
            let ws = Workspace::load(dir, Encoding::Auto, &mut problems).unwrap();
            let data = ws.load_year(2025, &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            let data = data.unwrap();
            assert!(problems.is_empty(), "{problems:?}");
            let n = ws.branches.len();
            let fixed = (0..n)
                .filter(|b| data.scores.fixed_sums(*b, 1).is_some())
                .count();
            let items = year_items(&ws, &data, &rate_year(&ws, &data));
            let std = |i: &RectItem| ws.standards.get(ws.branches[i.branch()].domain).unwrap();
            let list: Vec<String> = (items.iter())
                .map(|i| {
                    let (id, s) = (i.id(&ws, 2025), std(i));
                    let problem = i.problem(s, &data, Lang::Zh);
                    format!("{id} {} {problem} {}", i.kind(), i.measure(s, Lang::En))
                })
                .collect();
            (fixed, list)
        });
        let [(fixed, integers), (none, decimals)] = lists;
        assert!(fixed > 0, "the town is summed in integers");
        assert_eq!(none, 0, "the changed town is summed in decimals");
        assert!(integers.len() > 20);
        assert_eq!(integers, decimals);
    }

    /// An item stays small: the adjustment holds a province's items of a year.
    #[test]
    fn an_item_is_20_bytes() {
        assert_eq!(std::mem::size_of::<RectItem>(), 20);
    }

    /// The items of every year of the town and the spec example: their ids (made on
    /// demand) are in strictly increasing order, repeats included, and each item compares
    /// with every id of its neighbourhood as its own id does.
    #[test]
    fn items_are_in_id_order_and_compare_as_their_ids() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut repeats = 0;
        for dir in ["examples/dawang", "tests/fixtures/spec-example"] {
            let mut problems = Problems::new();
            let ws = Workspace::load(&root.join(dir), Encoding::Auto, &mut problems).unwrap();
            for year in ws.years() {
                let data = ws.load_year(year, &mut problems).unwrap();
                let items = year_items(&ws, &data, &rate_year(&ws, &data));
                assert!(!items.is_empty(), "{dir} {year}");
                let ids: Vec<String> = items.iter().map(|i| i.id(&ws, year)).collect();
                assert!(ids.windows(2).all(|w| w[0] < w[1]), "{dir} {year}: {ids:?}");
                repeats += items.iter().filter(|i| i.repeat > 1).count();
                let text = year.to_string();
                for (k, item) in items.iter().enumerate() {
                    for other in ids.iter().skip(k.saturating_sub(3)).take(7) {
                        let expected = ids[k].as_str().cmp(other.as_str());
                        assert_eq!(item.cmp_id(&ws, &text, other), expected);
                        assert_eq!(item.is_id(&ws, &text, other), expected.is_eq());
                        let shorter = &other[..other.len() - 1];
                        let expected = ids[k].as_str().cmp(shorter);
                        assert_eq!(item.cmp_id(&ws, &text, shorter), expected);
                        assert!(!item.is_id(&ws, &text, shorter));
                    }
                }
            }
        }
        assert!(repeats > 0, "a repeated source is among the items");
    }
}
