//! The rating (SPEC.md "Rating: the arithmetic"): pure, exact, no I/O.
//!
//! Each numbered step of the spec is marked below. Only the final score F is rounded.

use crate::decimal::round_half_up;
use crate::standard::{ItemKind, Standard};
use crate::workspace::{BranchScores, Event, Opinion, Review};
use rust_decimal::Decimal;

/// Why a star is capped below the score star.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cap {
    /// A red-line event (红线, 一票否决).
    RedLine { item: String, cap: u8 },
    /// An indicator whose combined points are below its bottom line (底线).
    BottomLine { indicator: String, cap: u8 },
}

impl Cap {
    pub fn cap(&self) -> u8 {
        match self {
            Cap::RedLine { cap, .. } | Cap::BottomLine { cap, .. } => *cap,
        }
    }
}

/// The outcome of the town review (镇级审核) for a five-star candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review5 {
    Approved,
    /// Departments that objected.
    Objected(Vec<String>),
    /// Required departments with no opinion.
    Pending(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Approved,
    Objected,
    PendingReview,
    RedLine,
    BottomLine,
    Rated,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Approved,
        Status::Objected,
        Status::PendingReview,
        Status::RedLine,
        Status::BottomLine,
        Status::Rated,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Objected => "objected",
            Status::PendingReview => "pending_review",
            Status::RedLine => "red_line",
            Status::BottomLine => "bottom_line",
            Status::Rated => "rated",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Status::Approved => "审核通过",
            Status::Objected => "审核有异议",
            Status::PendingReview => "待审核",
            Status::RedLine => "触碰红线",
            Status::BottomLine => "未达底线",
            Status::Rated => "已评定",
        }
    }
}

/// 巩固先进 / 提升一般 / 整顿后进.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Lead,
    Promote,
    Transform,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Lead, Tier::Promote, Tier::Transform];
    /// Step 9.
    pub fn of(star: u8) -> Tier {
        match star {
            5.. => Tier::Lead,
            3..=4 => Tier::Promote,
            _ => Tier::Transform,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Lead => "lead",
            Tier::Promote => "promote",
            Tier::Transform => "transform",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Tier::Lead => "巩固先进",
            Tier::Promote => "提升一般",
            Tier::Transform => "整顿后进",
        }
    }
}

/// A branch's rating for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// e_i for each indicator of the standard, in its order.
    pub combined: Vec<Decimal>,
    /// B, exact.
    pub base: Decimal,
    /// The sum of incentive points before the cap.
    pub incentives: Decimal,
    pub bonus: Decimal,
    pub deduction: Decimal,
    /// max(0, B + bonus − deduction), exact.
    pub exact_score: Decimal,
    /// F: the exact score rounded half up to 2 decimals.
    pub score: Decimal,
    pub score_star: u8,
    pub caps: Vec<Cap>,
    /// min(score star, caps), before the town review.
    pub capped_star: u8,
    /// The review's outcome, for a branch still at five stars after the caps.
    pub review: Option<Review5>,
    pub star: u8,
    pub status: Status,
    pub tier: Tier,
}

/// Rate one branch. `events` and `reviews` are the branch's own; every event's item is in
/// `std` (the loader checked it); a missing score counts as zero (the loader reports it).
pub fn rate(std: &Standard, scores: &BranchScores, events: &[Event], reviews: &[Review]) -> Rating {
    rate_combined(std, scores.combined(std.indicators.len()), events, reviews)
}

/// [`rate`], given the combined points e_i of each indicator.
pub fn rate_combined(
    std: &Standard,
    mut combined: Vec<Decimal>,
    events: &[Event],
    reviews: &[Review],
) -> Rating {
    let s = &std.settings;
    // 1. e_i = Σ_l w_l · s_{i,l}: summed by the loader as the rows come (missing: zero).
    combined.resize(std.indicators.len(), Decimal::ZERO);
    // 2. B = Σ e_i
    let base: Decimal = combined.iter().sum();
    // 3. bonus and deduction
    let mut incentives = Decimal::ZERO;
    let mut deduction = Decimal::ZERO;
    let mut caps = Vec::new();
    for e in events {
        match std.item(&e.item).map(|i| i.kind) {
            Some(ItemKind::Incentive(p)) => incentives += p,
            Some(ItemKind::Restraint(p)) => deduction += p,
            Some(ItemKind::RedLine(cap)) => caps.push(Cap::RedLine {
                item: e.item.clone(),
                cap,
            }),
            None => {}
        }
    }
    let bonus = incentives.min(s.bonus_cap);
    // 4. F = max(0, B + bonus − deduction), rounded half up to 2 decimals.
    let exact_score = (base + bonus - deduction).max(Decimal::ZERO);
    let score = round_half_up(exact_score, 2);
    // 5. score star
    let score_star = star_of(score, &s.stars);
    // 6. caps: red lines (above), bottom lines
    for (ind, e) in std.indicators.iter().zip(&combined) {
        if let Some(bl) = ind.bottom_line {
            if *e < bl {
                caps.push(Cap::BottomLine {
                    indicator: ind.id.clone(),
                    cap: s.bottom_line_cap,
                });
            }
        }
    }
    let capped_star = caps.iter().map(Cap::cap).fold(score_star, u8::min);
    // 7. town review
    let (review, star) = if capped_star == 5 {
        let objected: Vec<String> = reviews
            .iter()
            .filter(|r| r.opinion == Opinion::Object)
            .map(|r| r.department.to_string())
            .collect();
        let missing: Vec<String> = s
            .review_required
            .iter()
            .filter(|d| !reviews.iter().any(|r| &*r.department == d.as_str()))
            .cloned()
            .collect();
        if !objected.is_empty() {
            (Some(Review5::Objected(objected)), 4)
        } else if !missing.is_empty() {
            (Some(Review5::Pending(missing)), 4)
        } else {
            (Some(Review5::Approved), 5)
        }
    } else {
        (None, capped_star)
    };
    // 8. status
    let lowest_red = caps
        .iter()
        .filter_map(|c| match c {
            Cap::RedLine { cap, .. } => Some(*cap),
            Cap::BottomLine { .. } => None,
        })
        .min();
    let status = match &review {
        Some(Review5::Approved) => Status::Approved,
        Some(Review5::Objected(_)) => Status::Objected,
        Some(Review5::Pending(_)) => Status::PendingReview,
        None if star < score_star && Some(star) == lowest_red => Status::RedLine,
        None if star < score_star && lowest_red.is_none_or(|r| star < r) => Status::BottomLine,
        None => Status::Rated,
    };
    Rating {
        combined,
        base,
        incentives,
        bonus,
        deduction,
        exact_score,
        score,
        score_star,
        caps,
        capped_star,
        review,
        star,
        status,
        // 9. tier
        tier: Tier::of(star),
    }
}

/// Step 5: the star a final score earns.
pub fn star_of(score: Decimal, t: &crate::standard::Thresholds) -> u8 {
    if score >= t.five {
        5
    } else if score >= t.four {
        4
    } else if score >= t.three {
        3
    } else if score >= t.two {
        2
    } else {
        1
    }
}

/// The ratings of every branch rated in a year, by branch index (branch id order).
pub fn rate_year(
    ws: &crate::workspace::Workspace,
    data: &mut crate::workspace::YearData,
) -> Vec<(usize, Rating)> {
    let year = data.year;
    let d = &*data;
    // Branches lo..hi in order, walking the events and reviews (sorted by branch) alongside.
    let rate_range = |lo: usize, hi: usize| -> Vec<(usize, Rating)> {
        let mut ev = d.events.partition_point(|e| e.branch < lo);
        let mut rv = d.reviews.partition_point(|r| r.branch < lo);
        let mut out = Vec::with_capacity(hi.saturating_sub(lo));
        for (i, b) in ws.branches.iter().enumerate().take(hi).skip(lo) {
            let (e0, r0) = (ev, rv);
            while d.events.get(ev).is_some_and(|e| e.branch <= i) {
                ev += 1;
            }
            while d.reviews.get(rv).is_some_and(|r| r.branch <= i) {
                rv += 1;
            }
            let Some(std) = ws.standards.get(b.domain).filter(|_| b.rated_in(year)) else {
                continue;
            };
            let events = d.events.get(e0..ev).unwrap_or_default();
            let reviews = d.reviews.get(r0..rv).unwrap_or_default();
            let combined = d.scores.combined(i, std.indicators.len());
            out.push((i, rate_combined(std, combined, events, reviews)));
        }
        out
    };
    // Each branch is rated on its own: a province's branches are rated on both cores.
    let n = ws.branches.len();
    let ratings = if n < 4096 {
        rate_range(0, n)
    } else {
        let mid = n / 2;
        std::thread::scope(|s| {
            let second = s.spawn(|| rate_range(mid, n));
            let mut first = rate_range(0, mid);
            first.extend(second.join().unwrap_or_else(|_| rate_range(mid, n)));
            first
        })
    };
    data.scores.release();
    ratings
}
