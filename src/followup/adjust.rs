//! The dynamic adjustment (动态调整), SPEC.md "Dynamic adjustment": next year's plaque,
//! the five-star streak, rewards and interviews. The whole history is worked out again from
//! the workspace's first year on every run; nothing is stored between runs.

use super::rectify::RectItem;
use crate::i18n::Lang;
use crate::workspace::{Status, Workspace, YearData};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Up,
    Down,
    Same,
    New,
}

impl Change {
    pub const ALL: [Change; 4] = [Change::Up, Change::Down, Change::Same, Change::New];
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Up => "up",
            Change::Down => "down",
            Change::Same => "same",
            Change::New => "new",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Change::Up => "升星",
            Change::Down => "降星",
            Change::Same => "不变",
            Change::New => "首次授牌",
        }
    }
}

/// The adjustment of one branch at the end of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub branch: usize,
    /// The plaque P held during the year.
    pub plaque: Option<u8>,
    /// The star S evaluated this year.
    pub star: u8,
    /// Last year's rectification items not done.
    pub open: u32,
    /// Next year's plaque.
    pub next: u8,
    pub change: Change,
    /// The year evaluated.
    pub year: i32,
    pub streak: u32,
    pub reward: bool,
    pub remind: bool,
}

/// What is carried from one rated year of a branch to the next.
#[derive(Debug, Clone, Copy)]
struct Carry {
    year: i32,
    next: u8,
    streak: u32,
}

/// The adjustment worked out year after year, from the workspace's first year: feed it
/// every year in order with [`Adjuster::step`].
#[derive(Debug, Default)]
pub struct Adjuster {
    /// By branch index.
    carry: Vec<Option<Carry>>,
    /// The previous year's rectification items.
    prev_items: Option<(i32, Vec<RectItem>)>,
}

fn stars(n: u8, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n}★"),
        Lang::Zh => format!("{n}星"),
    }
}

impl Adjuster {
    /// The items of the year before `year`, if that year was stepped: what
    /// `rectification.csv` of `year` may name.
    pub fn previous_items(&self, year: i32) -> Option<&[RectItem]> {
        match &self.prev_items {
            Some((py, items)) if *py == year - 1 => Some(items),
            _ => None,
        }
    }

    /// The adjustments at the end of one year, in branch id order, from the star of each
    /// branch rated in it (in branch id order). Last year's items are let go once counted:
    /// give the year's own to [`Adjuster::keep_items`] after this (a province's items of two
    /// years are not held at once).
    pub fn step(
        &mut self,
        ws: &Workspace,
        data: &YearData,
        stars: impl IntoIterator<Item = (usize, u8)>,
    ) -> Vec<Adjustment> {
        let year = data.year;
        // How many of each branch's items of Y−1 are not done this year (the loader found
        // each row's item among them).
        let mut open_of = vec![0u32; ws.branches.len()];
        if let Some(items) = self.previous_items(year) {
            let mut done = vec![false; items.len()];
            for r in data
                .rectification
                .iter()
                .filter(|r| r.status == Status::Done)
            {
                if let Some(d) = r.item.and_then(|i| done.get_mut(i as usize)) {
                    *d = true;
                }
            }
            for (item, done) in items.iter().zip(done) {
                if let (false, Some(n)) = (done, open_of.get_mut(item.branch())) {
                    *n += 1;
                }
            }
        }
        let mut rows = Vec::new();
        for (b, star) in stars {
            let (Some(branch), Some(std)) = (
                ws.branches.get(b),
                ws.branches
                    .get(b)
                    .and_then(|br| ws.standards.get(br.domain)),
            ) else {
                continue;
            };
            let before = self.carry.get(b).copied().flatten();
            let plaque = match before {
                Some(c) => Some(c.next),
                None => branch.plaque,
            };
            let open = open_of.get(b).copied().unwrap_or(0);
            // The reason is written only when asked for (a province's earlier years are
            // never shown).
            let a = adjust_one(&std.settings.adjust, year, plaque, star, open, None);
            // The streak continues from the last rated year only when that was Y−1, and from
            // branches.csv in the branch's first rated year.
            let base = match before {
                Some(c) if c.year == year - 1 => c.streak,
                Some(_) => 0,
                None => branch.streak,
            };
            let streak = if star == 5 { base + 1 } else { 0 };
            if self.carry.len() < ws.branches.len() {
                self.carry.resize(ws.branches.len(), None);
            }
            if let Some(c) = self.carry.get_mut(b) {
                *c = Some(Carry {
                    year,
                    next: a.0,
                    streak,
                });
            }
            rows.push(Adjustment {
                branch: b,
                plaque,
                star,
                open,
                next: a.0,
                change: a.1,
                year,
                streak,
                reward: streak >= std.settings.adjust.reward_streak,
                remind: star <= std.settings.adjust.remind_at_or_below,
            });
        }
        self.prev_items = None;
        rows
    }

    /// The year's rectification items, which next year's `open` counts.
    pub fn keep_items(&mut self, year: i32, items: Vec<RectItem>) {
        self.prev_items = Some((year, items));
    }
}

impl Adjustment {
    /// Why: "evaluated 4★, plaque 3★: up to 4★"…, in `lang`. `a` is the adjustment
    /// settings of the branch's standard.
    pub fn reason(&self, a: &crate::standard::AdjustSettings, lang: Lang) -> String {
        adjust_one(a, self.year, self.plaque, self.star, self.open, Some(lang)).2
    }
}

/// Next plaque, change and reason for a branch with plaque `plaque`, evaluated `s`, with
/// `open` items of last year not done.
fn adjust_one(
    a: &crate::standard::AdjustSettings,
    year: i32,
    plaque: Option<u8>,
    s: u8,
    open: u32,
    lang: Option<Lang>,
) -> (u8, Change, String) {
    let mut reasons = Vec::new();
    let mut next = match plaque {
        None => {
            if let Some(lang) = lang {
                reasons.push(match lang {
                    Lang::En => format!("first plaque: evaluated {}", stars(s, lang)),
                    Lang::Zh => format!("首次授牌：评定{}", stars(s, lang)),
                });
            }
            s
        }
        Some(p) if s <= p => {
            if let Some(lang) = lang {
                reasons.push(match (lang, s.cmp(&p)) {
                    (Lang::En, std::cmp::Ordering::Equal) => {
                        format!(
                            "evaluated {}, plaque {}: unchanged",
                            stars(s, lang),
                            stars(p, lang)
                        )
                    }
                    (Lang::En, _) => format!(
                        "evaluated {} below plaque {}: down to {}",
                        stars(s, lang),
                        stars(p, lang),
                        stars(s, lang)
                    ),
                    (Lang::Zh, std::cmp::Ordering::Equal) => {
                        format!("评定{}，原牌{}：保持不变", stars(s, lang), stars(p, lang))
                    }
                    (Lang::Zh, _) => format!(
                        "评定{}，低于原牌{}：降为{}",
                        stars(s, lang),
                        stars(p, lang),
                        stars(s, lang)
                    ),
                });
            }
            s
        }
        Some(p) => {
            let n = s.min(p.saturating_add(a.max_step_up));
            let limited = n < s;
            if let Some(lang) = lang {
                reasons.push(match (lang, limited) {
                    (Lang::En, true) => format!(
                        "evaluated {}, plaque {}: up at most {} step{} to {}",
                        stars(s, lang),
                        stars(p, lang),
                        a.max_step_up,
                        if a.max_step_up == 1 { "" } else { "s" },
                        stars(n, lang)
                    ),
                    (Lang::En, false) => format!(
                        "evaluated {}, plaque {}: up to {}",
                        stars(s, lang),
                        stars(p, lang),
                        stars(n, lang)
                    ),
                    (Lang::Zh, true) => format!(
                        "评定{}，原牌{}：每年最多升{}星，升为{}",
                        stars(s, lang),
                        stars(p, lang),
                        a.max_step_up,
                        stars(n, lang)
                    ),
                    (Lang::Zh, false) => format!(
                        "评定{}，原牌{}：升为{}",
                        stars(s, lang),
                        stars(p, lang),
                        stars(n, lang)
                    ),
                });
            }
            n
        }
    };
    if open >= a.demote_at {
        let lowered = if next <= 1 { next } else { next - 1 };
        let py = year - 1;
        if let Some(lang) = lang {
            reasons.push(match (lang, lowered == next) {
                (Lang::En, false) => format!(
                    "down one star to {}: {open} of {py}'s rectification items not done",
                    stars(lowered, lang)
                ),
                (Lang::En, true) => format!(
                    "{open} of {py}'s rectification items not done, but {} is the lowest plaque",
                    stars(next, lang)
                ),
                (Lang::Zh, false) => format!(
                    "{py}年整改事项{open}项未完成：降一星为{}",
                    stars(lowered, lang)
                ),
                (Lang::Zh, true) => format!(
                    "{py}年整改事项{open}项未完成，{}已是最低",
                    stars(next, lang)
                ),
            });
        }
        next = lowered;
    }
    let change = match plaque {
        None => Change::New,
        Some(p) if next > p => Change::Up,
        Some(p) if next < p => Change::Down,
        Some(_) => Change::Same,
    };
    let sep = lang.map_or("", |l| l.t("; ", "；"));
    (next, change, reasons.join(sep))
}
