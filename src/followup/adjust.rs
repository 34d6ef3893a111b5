//! The dynamic adjustment (动态调整), SPEC.md "Dynamic adjustment": next year's plaque,
//! the five-star streak, rewards and interviews. The whole history is worked out again from
//! the workspace's first year on every run; nothing is stored between runs.

use super::rectify::RectItem;
use crate::i18n::{msg_in, Lang};
use crate::rate::{Rating, Review5};
use crate::standard::{FirstYear, Standard};
use crate::workspace::{Status, Workspace, YearData};

/// Why a branch whose score and caps allowed five stars was evaluated four: its town
/// review or the five-star quota (a local rule). One byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// A required department gave no opinion (`pending_review`).
    PendingReview,
    /// A department objected (`objected`).
    Objected,
    /// Approved, but past the quota of its group (`quota`).
    Quota,
    /// Held at four by an objection during publicity (`publicity`).
    Publicity,
    /// The committee's decision (`decided`), whatever the star.
    Decided,
}

/// What the adjustment takes of a branch's rating: the star S and, when a review or the
/// quota kept it from five, which. Two bytes a branch, however many branches a year has
/// (the departments are found again from the year's reviews when a reason is written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluated {
    pub star: u8,
    pub withheld: Option<Withheld>,
}

impl Evaluated {
    pub fn of(r: &Rating) -> Evaluated {
        use crate::rate::Status as S;
        let withheld = match r.status {
            S::PendingReview => Some(Withheld::PendingReview),
            S::Objected => Some(Withheld::Objected),
            S::Quota => Some(Withheld::Quota),
            S::Publicity => Some(Withheld::Publicity),
            S::Decided => Some(Withheld::Decided),
            _ => None,
        };
        Evaluated {
            star: r.star,
            withheld,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Up,
    Down,
    Same,
    New,
    /// A first rated year under `[adjust] first_year = "trial"`: no plaque earned.
    Trial,
}

impl Change {
    pub const ALL: [Change; 5] = [
        Change::Up,
        Change::Down,
        Change::Same,
        Change::New,
        Change::Trial,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Up => "up",
            Change::Down => "down",
            Change::Same => "same",
            Change::New => "new",
            Change::Trial => "trial",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Change::Up => "升星",
            Change::Down => "降星",
            Change::Same => "不变",
            Change::New => "首次授牌",
            Change::Trial => "试评（不授牌）",
        }
    }
}

/// Which rule set the next plaque before the demotion rule (SPEC.md "Dynamic adjustment"
/// and its local rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// No plaque held: next = S.
    First,
    /// The first rated year under `first_year = "trial"`, with no plaque: none earned.
    Trial,
    /// S ≤ P: next = S.
    AtOrBelow { plaque: u8 },
    /// S > P: next = min(S, P + max_step_up); `limited` when the step limit bound.
    Up { plaque: u8, limited: bool },
    /// S > P with an exceptional (破格) incentive that year: next = S.
    Exceptional { plaque: u8, item: String },
}

/// The decision of the adjustment for one branch at the end of one year: the rule that
/// fired and its numbers. The reason is rendered from it ([`Decision::reason`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub rule: Rule,
    /// S, the star evaluated in the year.
    pub star: u8,
    /// Why S is not five though the score and caps allowed it, if a review or the quota.
    pub withheld: Option<Withheld>,
    /// The departments behind `withheld`: those with no opinion (pending) or objecting;
    /// for a decision, its reason and document. Empty for the quota and an objection
    /// during publicity, and until [`Adjustment::decision`] finds them.
    pub departments: Vec<String>,
    /// The next plaque before the demotion rule.
    pub before_demotion: Option<u8>,
    /// Last year's items not done, when they reach `demote_at`.
    pub demoting_open: Option<u32>,
    /// The year evaluated (its items of Y−1 are the ones counted).
    pub year: i32,
    pub next: Option<u8>,
    pub change: Change,
}

/// Work out the next plaque of a branch holding `plaque`, evaluated `s`, with `open`
/// items of last year not done; `trial`: its first rated year under `first_year =
/// "trial"`; `exceptional`: an exceptional incentive item it has this year.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    a: &crate::standard::AdjustSettings,
    year: i32,
    plaque: Option<u8>,
    s: u8,
    open: u32,
    trial: bool,
    exceptional: Option<&str>,
    withheld: Option<Withheld>,
) -> Decision {
    let (rule, before) = match plaque {
        None if trial => (Rule::Trial, None),
        None => (Rule::First, Some(s)),
        Some(p) if s <= p => (Rule::AtOrBelow { plaque: p }, Some(s)),
        Some(p) => match exceptional {
            Some(item) => (
                Rule::Exceptional {
                    plaque: p,
                    item: item.to_string(),
                },
                Some(s),
            ),
            None => {
                let n = s.min(p.saturating_add(a.max_step_up));
                (
                    Rule::Up {
                        plaque: p,
                        limited: n < s,
                    },
                    Some(n),
                )
            }
        },
    };
    // One star lower for unrectified items (not below 1; a 0 stays 0).
    let demoting_open = (open >= a.demote_at && before.is_some()).then_some(open);
    let next = match (before, demoting_open) {
        (Some(n), Some(_)) if n > 1 => Some(n - 1),
        (n, _) => n,
    };
    let change = match (plaque, next) {
        (None, None) => Change::Trial,
        (None, Some(_)) => Change::New,
        (Some(p), Some(n)) if n > p => Change::Up,
        (Some(p), Some(n)) if n < p => Change::Down,
        (Some(_), _) => Change::Same,
    };
    Decision {
        rule,
        star: s,
        withheld,
        departments: Vec::new(),
        before_demotion: before,
        demoting_open,
        year,
        next,
        change,
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
    /// Why S is not five, when a review or the quota kept it from five.
    pub withheld: Option<Withheld>,
    /// Last year's rectification items not done.
    pub open: u32,
    /// Next year's plaque (none after a trial year).
    pub next: Option<u8>,
    pub change: Change,
    /// The year evaluated.
    pub year: i32,
    pub streak: u32,
    pub reward: bool,
    pub remind: bool,
    /// The first rated year under `first_year = "trial"`, with no plaque.
    pub trial: bool,
    /// An exceptional (破格) incentive item of the branch that year, if any.
    pub exceptional: Option<String>,
}

/// What is carried from one rated year of a branch to the next.
#[derive(Debug, Clone, Copy)]
struct Carry {
    year: i32,
    next: Option<u8>,
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

impl Adjuster {
    /// The items of the year before `year`, if that year was stepped: what
    /// `rectification.csv` of `year` may name.
    pub fn previous_items(&self, year: i32) -> Option<&[RectItem]> {
        match &self.prev_items {
            Some((py, items)) if *py == year - 1 => Some(items),
            _ => None,
        }
    }

    /// The adjustments at the end of one year, in branch id order, from the star (and why
    /// not five) of each branch rated in it (in branch id order). Last year's items are let go once counted:
    /// give the year's own to [`Adjuster::keep_items`] after this (a province's items of two
    /// years are not held at once).
    pub fn step(
        &mut self,
        ws: &Workspace,
        data: &YearData,
        stars: impl IntoIterator<Item = (usize, Evaluated)>,
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
        for (b, Evaluated { star, withheld }) in stars {
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
                Some(c) => c.next,
                None => branch.plaque(),
            };
            let open = open_of.get(b).copied().unwrap_or(0);
            let trial = before.is_none()
                && plaque.is_none()
                && std.settings.adjust.first_year == FirstYear::Trial;
            // 破格: an exceptional incentive of the branch this year (the first, by id).
            // (Most standards have no such item: their branches' events are not looked at.)
            let exceptional = if std.items.iter().any(|i| i.exceptional) {
                data.events_of(b)
                    .iter()
                    .filter(|e| std.item(&e.item).is_some_and(|i| i.exceptional))
                    .map(|e| e.item.as_str())
                    .min()
            } else {
                None
            };
            let a = decide(
                &std.settings.adjust,
                year,
                plaque,
                star,
                open,
                trial,
                exceptional,
                withheld,
            );
            // The streak continues from the last rated year only when that was Y−1, and from
            // branches.csv in the branch's first rated year.
            let base = match before {
                Some(c) if c.year == year - 1 => c.streak,
                Some(_) => 0,
                None => branch.streak(),
            };
            let streak = if star == 5 { base + 1 } else { 0 };
            if self.carry.len() < ws.branches.len() {
                self.carry.resize(ws.branches.len(), None);
            }
            if let Some(c) = self.carry.get_mut(b) {
                *c = Some(Carry {
                    year,
                    next: a.next,
                    streak,
                });
            }
            rows.push(Adjustment {
                branch: b,
                plaque,
                star,
                withheld,
                open,
                next: a.next,
                change: a.change,
                year,
                streak,
                reward: streak >= std.settings.adjust.reward_streak,
                remind: star <= std.settings.adjust.remind_at_or_below,
                trial,
                exceptional: exceptional.map(str::to_string),
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
    /// The decision behind this adjustment. `std` is the branch's standard; `data` the year
    /// evaluated (its reviews name the departments of a review that kept five stars back).
    pub fn decision(&self, std: &Standard, data: &YearData) -> Decision {
        let mut d = decide(
            &std.settings.adjust,
            self.year,
            self.plaque,
            self.star,
            self.open,
            self.trial,
            self.exceptional.as_deref(),
            self.withheld,
        );
        if matches!(
            self.withheld,
            Some(Withheld::PendingReview | Withheld::Objected)
        ) && data.year == self.year
        {
            let review =
                crate::rate::review5(&std.settings.review_required, data.reviews_of(self.branch));
            if let Review5::Objected(v) | Review5::Pending(v) = review {
                d.departments = v;
            }
        }
        // A decision's reason and document, as the reason of the plaque says them.
        if self.withheld == Some(Withheld::Decided) && data.year == self.year {
            if let Some(x) = data.records.decision_of(self.branch) {
                d.departments = [x.reason.to_string(), x.document.to_string()]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect();
            }
        }
        d
    }

    /// Why: "evaluated 4★, plaque 3★: up to 4★"…, in `lang`. `data` is the year evaluated.
    pub fn reason(&self, std: &Standard, data: &YearData, lang: Lang) -> String {
        self.decision(std, data).reason(&std.settings.adjust, lang)
    }
}

fn stars(n: u8, lang: Lang) -> String {
    msg_in!(lang, "{n}★", "{n}星")
}

impl Decision {
    /// The reason, in `lang`: the rule that fired, then the demotion if any.
    pub fn reason(&self, a: &crate::standard::AdjustSettings, lang: Lang) -> String {
        let s = stars(self.star, lang);
        // The star evaluated, with why it is not five when a review or the quota said so.
        let e = format!("{s}{}", self.withheld_note(lang));
        let n = |v: Option<u8>| v.map(|v| stars(v, lang)).unwrap_or_default();
        let before = n(self.before_demotion);
        let mut reasons = vec![match &self.rule {
            Rule::First => msg_in!(lang, "first plaque: evaluated {e}", "首次授牌：评定{e}"),
            Rule::Trial => msg_in!(
                lang,
                "first rated year (trial): evaluated {e}, no plaque earned",
                "首年试评：评定{e}，不授牌"
            ),
            Rule::AtOrBelow { plaque } => {
                let p = stars(*plaque, lang);
                if self.star == *plaque {
                    msg_in!(
                        lang,
                        "evaluated {e}, plaque {p}: unchanged",
                        "评定{e}，原牌{p}：保持不变"
                    )
                } else {
                    msg_in!(
                        lang,
                        "evaluated {e} below plaque {p}: down to {s}",
                        "评定{e}，低于原牌{p}：降为{s}"
                    )
                }
            }
            Rule::Up { plaque, limited } => {
                let p = stars(*plaque, lang);
                if *limited {
                    let m = a.max_step_up;
                    let plural = if m == 1 { "" } else { "s" };
                    msg_in!(
                        lang,
                        "evaluated {e}, plaque {p}: up at most {m} step{plural} to {before}",
                        "评定{e}，原牌{p}：每年最多升{m}星，升为{before}"
                    )
                } else {
                    msg_in!(
                        lang,
                        "evaluated {e}, plaque {p}: up to {before}",
                        "评定{e}，原牌{p}：升为{before}"
                    )
                }
            }
            Rule::Exceptional { plaque, item } => {
                let p = stars(*plaque, lang);
                msg_in!(
                    lang,
                    "evaluated {e}, plaque {p}: exceptional item {item}, up to {before} without the step limit",
                    "评定{e}，原牌{p}：{item} 破格晋升，不受每年升星限制，升为{before}"
                )
            }
        }];
        if let Some(open) = self.demoting_open {
            let py = self.year - 1;
            let lowered = self.next != self.before_demotion;
            let next = n(self.next);
            reasons.push(if lowered {
                msg_in!(
                    lang,
                    "down one star to {next}: {open} of {py}'s rectification items not done",
                    "{py}年整改事项{open}项未完成：降一星为{next}"
                )
            } else {
                msg_in!(
                    lang,
                    "{open} of {py}'s rectification items not done, but {next} is the lowest plaque",
                    "{py}年整改事项{open}项未完成，{next}已是最低"
                )
            });
        }
        reasons.join(lang.t("; ", "；"))
    }

    /// " (five-star review pending: no opinion from a, b)" / "（五星待审核：缺少甲、乙意见）"
    /// when a review or the quota kept the star from five; empty otherwise.
    fn withheld_note(&self, lang: Lang) -> String {
        let depts = crate::i18n::departments(&self.departments, lang);
        let known = !self.departments.is_empty();
        match self.withheld {
            None => String::new(),
            Some(Withheld::PendingReview) if known => msg_in!(
                lang,
                " (five-star review pending: no opinion from {depts})",
                "（五星待审核：缺少{depts}意见）"
            ),
            Some(Withheld::PendingReview) => lang
                .t(" (five-star review pending)", "（五星待审核）")
                .into(),
            Some(Withheld::Objected) if known => msg_in!(
                lang,
                " (five stars objected to by {depts})",
                "（五星审核有异议：{depts}）"
            ),
            Some(Withheld::Objected) => lang
                .t(" (five stars objected to)", "（五星审核有异议）")
                .into(),
            Some(Withheld::Quota) => lang
                .t(
                    " (approved for five stars, past the quota of its group)",
                    "（审核通过五星，超出本组五星名额）",
                )
                .into(),
            Some(Withheld::Publicity) => lang
                .t(
                    " (five stars held back by an objection during publicity)",
                    "（公示期间有异议，暂不评为五星）",
                )
                .into(),
            Some(Withheld::Decided) if !self.departments.is_empty() => {
                let doc = self.departments.join(lang.t(", ", "，"));
                msg_in!(
                    lang,
                    " (decided by the county committee: {doc})",
                    "（县委复核决定：{doc}）"
                )
            }
            Some(Withheld::Decided) => lang
                .t(" (decided by the county committee)", "（县委复核决定）")
                .into(),
        }
    }
}
