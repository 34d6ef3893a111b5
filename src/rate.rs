//! The rating (SPEC.md "Rating: the arithmetic"): pure, exact, no I/O.
//!
//! Each numbered step of the spec is marked below; step 1, the combined points e_i, is
//! [`crate::combined`], summed as the score rows are read. Only the final score F is rounded.

use crate::combined::{BranchScores, Scores};
use crate::decimal::round_half_up;
use crate::standard::{Domain, ItemKind, Quota, QuotaPer, Standard};
use crate::themes::ThemeMarks;
use crate::workspace::{Event, Opinion, Review};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Why a star is capped below the score star.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cap {
    /// A red-line event (红线, 一票否决).
    RedLine { item: String, cap: u8 },
    /// An indicator whose combined points are below its bottom line (底线).
    BottomLine { indicator: String, cap: u8 },
    /// A level whose rating is below a floor (a local rule, e.g. 群众满意度底线).
    Floor { floor: String, cap: u8 },
}

impl Cap {
    pub fn cap(&self) -> u8 {
        match self {
            Cap::RedLine { cap, .. } | Cap::BottomLine { cap, .. } | Cap::Floor { cap, .. } => *cap,
        }
    }

    /// The status a cap gives when it sets the star, and its rank when several do (SPEC.md:
    /// red line, then bottom line, then floor).
    fn status(&self) -> Status {
        match self {
            Cap::RedLine { .. } => Status::RedLine,
            Cap::BottomLine { .. } => Status::BottomLine,
            Cap::Floor { .. } => Status::Floor,
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
    /// A level-rating floor set the star (a local rule).
    Floor,
    /// Approved, but past the five-star quota of its group (a local rule).
    Quota,
    Rated,
    /// Held at four by an objection raised while the results were posted (step 7b, the
    /// records of the year).
    Publicity,
    /// The star of the county committee's decision (the records of the year).
    Decided,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Approved,
        Status::Objected,
        Status::PendingReview,
        Status::RedLine,
        Status::BottomLine,
        Status::Floor,
        Status::Quota,
        Status::Rated,
        Status::Publicity,
        Status::Decided,
    ];
    /// Only local rules give this status: summaries leave it out when no rule of the
    /// standards can give it.
    pub fn is_local(self) -> bool {
        matches!(self, Status::Floor | Status::Quota)
    }
    /// Only the records of the year give this status: summaries leave it out of a year
    /// without records.
    pub fn is_record(self) -> bool {
        matches!(self, Status::Publicity | Status::Decided)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Objected => "objected",
            Status::PendingReview => "pending_review",
            Status::RedLine => "red_line",
            Status::BottomLine => "bottom_line",
            Status::Floor => "floor",
            Status::Quota => "quota",
            Status::Rated => "rated",
            Status::Publicity => "publicity",
            Status::Decided => "decided",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Status::Approved => "审核通过",
            Status::Objected => "审核有异议",
            Status::PendingReview => "待审核",
            Status::RedLine => "触碰红线",
            Status::BottomLine => "未达底线",
            Status::Floor => "未达层级底线",
            Status::Quota => "超出五星名额",
            Status::Rated => "已评定",
            Status::Publicity => "公示期有异议",
            Status::Decided => "复核决定",
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
    /// B, exact. (The e_i it sums are kept in the year's scores, not here: a province's
    /// ratings would hold hundreds of megabytes of them; see [`Scores::combined`].)
    ///
    /// [`Scores::combined`]: crate::combined::Scores::combined
    pub base: Decimal,
    /// The sum of incentive points before the cap.
    pub incentives: Decimal,
    pub bonus: Decimal,
    pub deduction: Decimal,
    /// max(0, B + bonus − deduction), exact.
    pub exact_score: Decimal,
    /// F: the exact score rounded half up to 2 decimals.
    pub score: Decimal,
    /// Step 5: 1 to 5, or 0 (不评星) below `[stars] one`; by themes, the themes earned, or 0
    /// when a required one is not.
    pub score_star: u8,
    /// Step 5 by themes: the themes earned and the nearest not earned (`None`: the standard
    /// rates by score).
    pub themes: Option<ThemeMarks>,
    pub caps: Vec<Cap>,
    /// min(score star, caps), before the town review.
    pub capped_star: u8,
    /// The review's outcome, for a branch still at five stars after the caps.
    pub review: Option<Review5>,
    pub star: u8,
    pub status: Status,
    pub tier: Tier,
    /// The star and status the rules gave, when a decision of the committee replaced them
    /// (status `decided`).
    pub ruled: Option<(u8, Status)>,
}

impl Rating {
    /// The status the rules gave: before a decision, if one replaced it.
    pub fn ruled_status(&self) -> Status {
        self.ruled.map_or(self.status, |(_, s)| s)
    }

    /// Step 7b: an `open` or `upheld` objection holds a branch still at five at four
    /// (status `publicity`). `holds`: whether the branch has such an objection.
    pub fn publicity(&mut self, holds: bool) {
        if holds && self.star == 5 && self.status == Status::Approved {
            self.star = 4;
            self.status = Status::Publicity;
            self.tier = Tier::of(4);
        }
    }

    /// The committee's decision, applied last: its star, status `decided`; the score and
    /// score star stay, the tier follows the star.
    pub fn decide(&mut self, star: u8) {
        self.ruled = Some((self.star, self.status));
        self.star = star;
        self.status = Status::Decided;
        self.tier = Tier::of(star);
    }
}

/// Rate one branch. `events` and `reviews` are the branch's own; every event's item is in
/// `std` (the loader checked it); a missing score counts as zero (the loader reports it).
/// A quota, which ranks the branches of a group, is not applied here (see [`YearRater`]).
pub fn rate(std: &Standard, scores: &BranchScores, events: &[Event], reviews: &[Review]) -> Rating {
    rate_combined(
        std,
        &scores.combined(std.indicators.len()),
        &scores.level_sums(),
        events,
        reviews,
    )
}

/// [`rate`], given the combined points e_i of each indicator and each level's sum of scores
/// Σ_i s_{i,l} (what the floors compare).
pub fn rate_combined(
    std: &Standard,
    combined: &[Decimal],
    levels: &[Decimal; 3],
    events: &[Event],
    reviews: &[Review],
) -> Rating {
    // 1. e_i = Σ_l w_l · s_{i,l}: summed in `crate::combined` as the rows come (missing: zero).
    let e = |i: usize| combined.get(i).copied().unwrap_or(Decimal::ZERO);
    // 2. B = Σ e_i
    let base: Decimal = (0..std.indicators.len()).map(e).sum();
    let below = |i: usize, bl: Decimal| e(i) < bl;
    let themes = crate::themes::marks_of(std, || crate::themes::sums(std, combined));
    rate_base(std, base, below, themes, levels, events, reviews)
}

/// The town review of a branch at five stars after the caps (step 7): the departments
/// that objected, else the `required` ones with no opinion, else approved.
pub fn review5(required: &[String], reviews: &[Review]) -> Review5 {
    let objected: Vec<String> = reviews
        .iter()
        .filter(|r| r.opinion == Opinion::Object)
        .map(|r| r.department_in(required).to_string())
        .collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|d| {
            !reviews
                .iter()
                .any(|r| r.department_in(required) == d.as_str())
        })
        .cloned()
        .collect();
    if !objected.is_empty() {
        Review5::Objected(objected)
    } else if !missing.is_empty() {
        Review5::Pending(missing)
    } else {
        Review5::Approved
    }
}

/// A level's rating L = 100 × Σ_i s_{i,l} / Σ_i p_i (its `overall` when it gave one: the
/// same value), exact and unrounded.
pub fn level_rating(std: &Standard, level_sum: Decimal) -> Decimal {
    let points: Decimal = std.indicators.iter().map(|i| i.points).sum();
    if points.is_zero() {
        return Decimal::ZERO;
    }
    Decimal::ONE_HUNDRED * level_sum / points
}

/// Is L below `below`? Compared without dividing: 100 × Σ s < below × Σ p.
fn level_below(std: &Standard, level_sum: Decimal, below: Decimal) -> bool {
    let points: Decimal = std.indicators.iter().map(|i| i.points).sum();
    Decimal::ONE_HUNDRED * level_sum < below * points
}

/// Steps 3 to 9, given B, for step 6 whether e_i is below a bottom line, step 5 by themes
/// when the standard rates by themes, and each level's sum of scores (for the floors of the
/// local rules).
fn rate_base(
    std: &Standard,
    base: Decimal,
    below: impl Fn(usize, Decimal) -> bool,
    themes: Option<ThemeMarks>,
    levels: &[Decimal; 3],
    events: &[Event],
    reviews: &[Review],
) -> Rating {
    let s = &std.settings;
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
    // 5. score star (0 below `one`, a local rule); by themes, the themes earned
    let score_star = match &themes {
        Some(m) => m.score_star(),
        None => star_of(score, &s.stars),
    };
    // 6. caps: red lines (above), bottom lines (the indicator's own cap, a local rule, or
    // the standard's), level floors (a local rule)
    for (i, ind) in std.indicators.iter().enumerate() {
        if let Some(bl) = ind.bottom_line {
            if below(i, bl) {
                caps.push(Cap::BottomLine {
                    indicator: ind.id.clone(),
                    cap: ind.bottom_line_cap.unwrap_or(s.bottom_line_cap),
                });
            }
        }
    }
    for f in &std.floors {
        let sum = levels.get(f.level.index()).copied().unwrap_or_default();
        if level_below(std, sum, f.below) {
            caps.push(Cap::Floor {
                floor: f.id.clone(),
                cap: f.cap,
            });
        }
    }
    let capped_star = caps.iter().map(Cap::cap).fold(score_star, u8::min);
    // 7. town review
    let (review, star) = if capped_star == 5 {
        let review = review5(&s.review_required, reviews);
        let star = if review == Review5::Approved { 5 } else { 4 };
        (Some(review), star)
    } else {
        (None, capped_star)
    };
    // 8. status: below the score star, a cap equal to the star names it, red line first,
    // then bottom line, then floor.
    let status = match &review {
        Some(Review5::Approved) => Status::Approved,
        Some(Review5::Objected(_)) => Status::Objected,
        Some(Review5::Pending(_)) => Status::PendingReview,
        None if star < score_star => caps
            .iter()
            .filter(|c| c.cap() == star)
            .map(Cap::status)
            .min()
            .unwrap_or(Status::Rated),
        None => Status::Rated,
    };
    Rating {
        base,
        incentives,
        bonus,
        deduction,
        exact_score,
        score,
        score_star,
        themes,
        caps,
        capped_star,
        review,
        star,
        status,
        // 9. tier
        tier: Tier::of(star),
        ruled: None,
    }
}

/// Step 5: the star a final score earns; 0 (不评星) below `one` when the standard has it.
pub fn star_of(score: Decimal, t: &crate::standard::Thresholds) -> u8 {
    if score >= t.five {
        5
    } else if score >= t.four {
        4
    } else if score >= t.three {
        3
    } else if score >= t.two {
        2
    } else if t.one.is_some_and(|one| score < one) {
        0
    } else {
        1
    }
}

/// Each indicator's bottom line (if any) in units of the year's integer sums of e_i
/// ([`Scores::fixed_sums`]); `None` when one has more places than those sums (then decimals
/// decide).
pub fn fixed_bottom_lines(std: &Standard) -> Option<Vec<Option<i64>>> {
    std.indicators
        .iter()
        .map(|ind| match ind.bottom_line {
            Some(bl) => Scores::to_fixed(bl).map(Some),
            None => Some(None),
        })
        .collect()
}

/// One group of the five-star quota (SPEC.md "Local rules"): the whole workspace, a town or
/// a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaGroup {
    /// The town or domain code; empty for the whole workspace.
    pub key: String,
    /// Branches of the group rated this year (0-star branches included).
    pub n: usize,
    /// ⌊five × n⌋.
    pub limit: usize,
    /// The F of the group's `approved` branches, highest first.
    pub approved: Vec<Decimal>,
    /// The lowest F that keeps five stars: the approved branches scoring at least it number
    /// at most `limit`; `None` when none keeps five.
    pub keep_from: Option<Decimal>,
}

impl QuotaGroup {
    pub fn new(key: String, n: usize, limit: usize, mut approved: Vec<Decimal>) -> QuotaGroup {
        approved.sort_by(|a, b| b.cmp(a));
        // A branch keeps five exactly when the approved branches scoring at least its F
        // number at most the limit: a tie that would cross the limit keeps none of its
        // branches, and no lower score takes a freed place.
        let mut keep_from = None;
        let mut i = 0;
        while let Some(&f) = approved.get(i) {
            // The end of the run of branches tied at f: as many score at least f.
            let at_least = i + approved
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|g| **g == f)
                .count();
            if at_least > limit {
                break;
            }
            keep_from = Some(f);
            i = at_least;
        }
        QuotaGroup {
            key,
            n,
            limit,
            approved,
            keep_from,
        }
    }

    /// How many five stars the group keeps.
    pub fn kept(&self) -> usize {
        self.keep_from
            .map_or(0, |k| self.approved.iter().filter(|f| **f >= k).count())
    }

    /// Does an approved branch scoring F keep five stars?
    pub fn keeps(&self, score: Decimal) -> bool {
        self.keep_from.is_some_and(|k| score >= k)
    }
}

/// The five-star quota of one year, group by group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaCut {
    pub quota: Quota,
    pub groups: BTreeMap<String, QuotaGroup>,
}

impl QuotaCut {
    /// The group a branch counts in.
    pub fn key_of(per: QuotaPer, b: &crate::workspace::Branch) -> &str {
        match per {
            QuotaPer::Workspace => "",
            QuotaPer::Town => b.town(),
            QuotaPer::Domain => b.domain.as_str(),
        }
    }

    /// The group of a branch.
    pub fn group_of(&self, b: &crate::workspace::Branch) -> Option<&QuotaGroup> {
        self.groups.get(QuotaCut::key_of(self.quota.per, b))
    }

    /// The quota's groups counted from ratings given one by one ([`Ranking::add`]).
    pub fn ranking(quota: &Quota) -> Ranking {
        Ranking {
            quota: quota.clone(),
            groups: BTreeMap::new(),
        }
    }

    /// The cut of a year already rated, from its ratings (a branch the quota left out was
    /// approved: it counts as such), without rating it again.
    pub fn of_ratings(
        ws: &crate::workspace::Workspace,
        quota: &Quota,
        ratings: &[(usize, Rating)],
    ) -> QuotaCut {
        let mut ranking = QuotaCut::ranking(quota);
        for (i, r) in ratings {
            if let Some(b) = ws.branches.get(*i) {
                ranking.add(b, r);
            }
        }
        ranking.finish()
    }
}

/// Each quota group's rated branches and approved scores, as the ratings come.
pub struct Ranking {
    quota: Quota,
    groups: BTreeMap<String, (usize, Vec<Decimal>)>,
}

impl Ranking {
    /// One rated branch: counted in its group, its F ranked when approved (before the quota,
    /// `approved`; after it, `approved` or `quota`).
    pub fn add(&mut self, b: &crate::workspace::Branch, r: &Rating) {
        let key = QuotaCut::key_of(self.quota.per, b);
        let g = match self.groups.get_mut(key) {
            Some(g) => g,
            None => self.groups.entry(key.to_string()).or_default(),
        };
        g.0 += 1;
        // A decision comes after the quota: the quota ranked what the rules gave.
        if matches!(r.ruled_status(), Status::Approved | Status::Quota) {
            g.1.push(r.score);
        }
    }

    pub fn finish(self) -> QuotaCut {
        let quota = self.quota;
        let groups = (self.groups.into_iter())
            .map(|(key, (n, approved))| {
                let limit = quota.limit(n);
                (key.clone(), QuotaGroup::new(key, n, limit, approved))
            })
            .collect();
        QuotaCut { quota, groups }
    }
}

/// Rates the branches of a year, range by range (see [`rate_year`]); for lists that are
/// written as they are rated, never all held.
pub struct YearRater<'a> {
    ws: &'a crate::workspace::Workspace,
    data: &'a crate::workspace::YearData,
    /// Each standard's bottom lines at the scale of the integer sums (`None` for a standard
    /// with a bottom line of more places than that: its branches are rated in decimals).
    bottom_lines: BTreeMap<Domain, Option<Vec<Option<i64>>>>,
    /// Each standard rating by themes: its themes' pass lines at the scale of the integer
    /// sums (`None` for a line of more places: its branches are rated in decimals).
    theme_lines: BTreeMap<Domain, Option<Vec<i64>>>,
    /// The year's five-star quota, when the standards have one.
    quota: Option<QuotaCut>,
}

impl<'a> YearRater<'a> {
    pub fn new(
        ws: &'a crate::workspace::Workspace,
        data: &'a crate::workspace::YearData,
    ) -> YearRater<'a> {
        let bottom_lines = ws
            .standards
            .by_domain
            .iter()
            .map(|(dom, std)| (*dom, fixed_bottom_lines(std)))
            .collect();
        let theme_lines = (ws.standards.by_domain.iter())
            .filter(|(_, std)| std.by_themes())
            .map(|(dom, std)| {
                let lines = std.themes.iter().map(|t| Scores::to_fixed(t.line()));
                (*dom, lines.collect::<Option<Vec<i64>>>())
            })
            .collect();
        let mut rater = YearRater {
            ws,
            data,
            bottom_lines,
            theme_lines,
            quota: None,
        };
        if let Some(q) = &ws.standards.quota {
            rater.quota = Some(rater.quota_cut(q));
        }
        rater
    }

    /// The quota ranks the approved branches of each group: every branch is rated once
    /// before any row is given.
    fn quota_cut(&self, quota: &Quota) -> QuotaCut {
        let mut ranking = QuotaCut::ranking(quota);
        self.rate_range(0..self.ws.branches.len(), |i, r| {
            if let Some(b) = self.ws.branches.get(i) {
                ranking.add(b, &r);
            }
        });
        ranking.finish()
    }

    /// Step 5 by themes of branch `i` on the integer sums, when they are the whole of them
    /// and the standard's pass lines fit their scale.
    fn fixed_themes(&self, std: &Standard, i: usize) -> Option<ThemeMarks> {
        let lines = self.theme_lines.get(&std.domain)?.as_deref()?;
        let sums = self.data.scores.fixed_theme_sums(i)?;
        Some(crate::themes::marks(&std.themes, &sums, lines))
    }

    /// The year's quota, group by group, when the standards have one.
    pub fn quota(&self) -> Option<&QuotaCut> {
        self.quota.as_ref()
    }

    /// Rate the branches `range` (by index) rated this year, in order: `f(index, rating)`.
    pub fn rate_range(&self, range: std::ops::Range<usize>, mut f: impl FnMut(usize, Rating)) {
        let (ws, d) = (self.ws, self.data);
        let (lo, hi) = (range.start, range.end);
        // The events, reviews and records (sorted by branch) walked alongside.
        let mut ev = d.events.partition_point(|e| e.branch < lo);
        let mut rv = d.reviews.partition_point(|r| r.branch < lo);
        let (objections, decisions) = (&d.records.objections, &d.records.decisions);
        let mut ob = objections.partition_point(|o| o.branch < lo);
        let mut dc = decisions.partition_point(|x| x.branch < lo);
        for (i, b) in ws.branches.iter().enumerate().take(hi).skip(lo) {
            let (e0, r0, o0, d0) = (ev, rv, ob, dc);
            while d.events.get(ev).is_some_and(|e| e.branch <= i) {
                ev += 1;
            }
            while d.reviews.get(rv).is_some_and(|r| r.branch <= i) {
                rv += 1;
            }
            while objections.get(ob).is_some_and(|o| o.branch <= i) {
                ob += 1;
            }
            while decisions.get(dc).is_some_and(|x| x.branch <= i) {
                dc += 1;
            }
            let Some(std) = rated_by(ws, b, d.year) else {
                continue;
            };
            let events = d.events.get(e0..ev).unwrap_or_default();
            let reviews = d.reviews.get(r0..rv).unwrap_or_default();
            let levels = if std.floors.is_empty() {
                [Decimal::ZERO; 3]
            } else {
                d.scores.level_sums(i)
            };
            // Steps 1, 2 and 6 on the integer sums when they are the whole of e_i (the
            // same exact values, without a decimal per indicator); else in decimals. Only
            // the bottom-line indicators' own e_i are asked for (see `Keep::Ratings`).
            let fast = d.scores.fixed_base(i).and_then(|base| {
                let bottom = self.bottom_lines.get(&std.domain)?.as_deref()?;
                // A bottom line that cannot be told in integers sends the branch to decimals.
                let lost = std::cell::Cell::new(false);
                let below = |k: usize, _| match bottom.get(k) {
                    Some(Some(bl)) => d.scores.fixed_below(i, k, *bl).unwrap_or_else(|| {
                        lost.set(true);
                        false
                    }),
                    _ => false,
                };
                let themes = match std.by_themes() {
                    true => Some(self.fixed_themes(std, i)?),
                    false => None,
                };
                let rating = rate_base(std, base, below, themes, &levels, events, reviews);
                (!lost.get()).then_some(rating)
            });
            let mut rating = fast.unwrap_or_else(|| {
                let below = |k: usize, bl| d.scores.indicator(i, k).unwrap_or_default() < bl;
                let themes = crate::themes::marks_of(std, || d.scores.theme_sums(i));
                rate_base(
                    std,
                    d.scores.base(i),
                    below,
                    themes,
                    &levels,
                    events,
                    reviews,
                )
            });
            // 7b. an objection open or upheld holds five stars at four.
            let held =
                (objections.get(o0..ob).unwrap_or_default().iter()).any(|o| o.status.holds());
            rating.publicity(held);
            // The quota, after the town review: an approved branch past its group's limit
            // gets four stars.
            if let Some(cut) = &self.quota {
                if rating.status == Status::Approved
                    && !cut.group_of(b).is_some_and(|g| g.keeps(rating.score))
                {
                    rating.star = 4;
                    rating.status = Status::Quota;
                    rating.tier = Tier::of(4);
                }
            }
            // The committee's decision, last.
            if let Some(x) = decisions.get(d0..dc).and_then(<[_]>::first) {
                rating.decide(x.star);
            }
            f(i, rating);
        }
    }
}

/// The standard a branch is rated by in `year`, or `None` when it is not rated that year.
pub fn rated_by<'a>(
    ws: &'a crate::workspace::Workspace,
    b: &crate::workspace::Branch,
    year: i32,
) -> Option<&'a Standard> {
    ws.standards.get(b.domain).filter(|_| b.rated_in(year))
}

/// The ratings of every branch rated in a year, by branch index (branch id order).
pub fn rate_year(
    ws: &crate::workspace::Workspace,
    data: &crate::workspace::YearData,
) -> Vec<(usize, Rating)> {
    rate_year_into(ws, data, |r| r)
}

/// [`rate_year`], keeping only `keep(rating)` of each branch (a province's ratings are a
/// hundred megabytes; the adjustment needs only the stars).
pub fn rate_year_into<T: Send>(
    ws: &crate::workspace::Workspace,
    data: &crate::workspace::YearData,
    keep: impl Fn(Rating) -> T + Sync,
) -> Vec<(usize, T)> {
    let rater = YearRater::new(ws, data);
    let rate_range = |lo: usize, hi: usize, room: usize| {
        let mut out = Vec::with_capacity(room);
        rater.rate_range(lo..hi, |i, r| out.push((i, keep(r))));
        out
    };
    // Each branch is rated on its own: a province's branches are rated on both cores.
    let n = ws.branches.len();
    if n < 4096 {
        rate_range(0, n, n)
    } else {
        let mid = n / 2;
        std::thread::scope(|s| {
            let second = s.spawn(|| rate_range(mid, n, n - mid));
            // Room for both halves: the second is appended without moving the first.
            let mut first = rate_range(0, mid, n);
            first.extend(
                second
                    .join()
                    .unwrap_or_else(|_| rate_range(mid, n, n - mid)),
            );
            first
        })
    }
}

/// How many branches of each domain rating by themes earned each theme, for the summaries
/// (here, above [`crate::themes`], which the rating itself uses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeTally {
    /// By domain: the branches rated, and how many earned each theme of its standard.
    pub by_domain: std::collections::BTreeMap<crate::standard::Domain, (u64, Vec<u64>)>,
}

impl ThemeTally {
    /// Count the ratings of a year (by branch index) of the standards that rate by themes.
    pub fn of(ws: &crate::workspace::Workspace, ratings: &[(usize, Rating)]) -> ThemeTally {
        let mut t = ThemeTally::default();
        for (b, r) in ratings {
            t.add(ws, *b, r);
        }
        t
    }

    /// Count one rating, of branch `b` (nothing when its standard rates by score).
    pub fn add(&mut self, ws: &crate::workspace::Workspace, b: usize, r: &Rating) {
        let (Some(m), Some(br)) = (&r.themes, ws.branches.get(b)) else {
            return;
        };
        let Some(std) = ws.standards.get(br.domain) else {
            return;
        };
        let (n, earned) = (self.by_domain)
            .entry(br.domain)
            .or_insert_with(|| (0, vec![0; std.themes.len()]));
        *n += 1;
        for (k, e) in earned.iter_mut().enumerate() {
            *e += u64::from(m.is_earned(k));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problems;
    use crate::source::Encoding;
    use crate::workspace::Workspace;
    use std::path::Path;

    /// `rate_year` rates on the integer sums where it can; rating every branch from its e_i
    /// in decimals must give the very same ratings (the town and the spec example, every
    /// year: bottom lines crossed, five-star reviews, red lines).
    #[test]
    fn rating_on_integer_sums_equals_rating_in_decimals() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut compared = 0;
        // (A branch with ballots is rated from representatives, never from e_i summed in
        // decimals: the records example's others, scored by deduction, are compared.)
        for dir in [
            "examples/dawang",
            "tests/fixtures/spec-example",
            "tests/fixtures/themes",
            "tests/fixtures/records-example",
        ] {
            // (The quota of spec-example-local ranks branches, which a rating alone does not.)
            let mut problems = Problems::new();
            let ws = Workspace::load(&root.join(dir), Encoding::Auto, &mut problems).unwrap();
            for year in ws.years() {
                let data = ws.load_year(year, &mut problems).unwrap();
                assert!(problems.is_empty(), "{problems:?}");
                let fast = rate_year(&ws, &data);
                assert!(!fast.is_empty());
                for (b, r) in &fast {
                    if data.records.rate_of(*b).is_some() {
                        continue;
                    }
                    let std = ws.standards.get(ws.branches[*b].domain).unwrap();
                    let combined = data.scores.combined(*b, std.indicators.len());
                    let mut slow = rate_combined(
                        std,
                        &combined,
                        &data.scores.level_sums(*b),
                        data.events_of(*b),
                        data.reviews_of(*b),
                    );
                    // The records' steps (7b, the decision), as the rater takes them.
                    let objections = data.records.objections_of(*b);
                    slow.publicity(objections.iter().any(|o| o.status.holds()));
                    if let Some(x) = data.records.decision_of(*b) {
                        slow.decide(x.star);
                    }
                    assert_eq!(r, &slow, "{dir} {year} {}", ws.branches[*b].id());
                    compared += 1;
                }
            }
        }
        assert!(compared > 70);
    }
}
