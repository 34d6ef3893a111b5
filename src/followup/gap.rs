//! The gap to the next star: the points a branch lacks, or what blocks it instead.

use crate::rate::{Cap, Rating, Review5, Status};
use crate::standard::Standard;
use rust_decimal::Decimal;

/// What stands between a branch and its next star.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub next: u8,
    /// Points the final score lacks for the next star's threshold, when it lacks any; by
    /// themes, the points [`Gap::theme`] lacks.
    pub points: Option<Decimal>,
    /// By themes: the theme not earned that lacks the fewest points, a required one first
    /// (its index in the standard's themes), when the score star is below the next star.
    pub theme: Option<u8>,
    /// Caps and review outcomes that keep the star below `next` whatever the score:
    /// `red_line:X1`, `bottom_line:C1`, `floor:FM`, `quota`, `objected:law_enforcement`,
    /// `pending_review:industry`, `publicity`, `decided`.
    pub blocked_by: Vec<String>,
}

/// The gap of a branch below five stars; `None` at five. A 0-star branch (below `[stars]
/// one`) lacks `one − F` for its first star. By themes (SPEC.md "Stars by theme"), the points
/// are those the nearest theme not earned lacks, a required one first, from its Σ e_i
/// (`theme_sum(k)`, asked for only then: the year's sums, before they are released).
pub fn gap(r: &Rating, std: &Standard, theme_sum: impl FnOnce(usize) -> Decimal) -> Option<Gap> {
    if r.star >= 5 {
        return None;
    }
    let next = r.star + 1;
    let (points, theme) = match (&r.themes, r.score_star < next) {
        (_, false) => (None, None),
        (Some(m), true) => {
            let lacks = m.lacks(std, theme_sum);
            (
                lacks.map(|l| l.1),
                lacks.and_then(|l| u8::try_from(l.0).ok()),
            )
        }
        (None, true) => {
            let points = std.settings.stars.of(next).map(|th| th - r.score);
            (points.filter(|p| *p > Decimal::ZERO), None)
        }
    };
    let mut blocked_by: Vec<String> = r
        .caps
        .iter()
        .filter(|c| c.cap() < next)
        .map(|c| match c {
            Cap::RedLine { item, .. } => format!("red_line:{item}"),
            Cap::BottomLine { indicator, .. } => format!("bottom_line:{indicator}"),
            Cap::Floor { floor, .. } => format!("floor:{floor}"),
        })
        .collect();
    match r.status {
        Status::Quota => blocked_by.push("quota".to_string()),
        // The records of the year: an objection during publicity, the committee's decision.
        Status::Publicity => blocked_by.push("publicity".to_string()),
        Status::Decided => blocked_by.push("decided".to_string()),
        _ => {}
    }
    match &r.review {
        Some(Review5::Objected(d)) => blocked_by.extend(d.iter().map(|d| format!("objected:{d}"))),
        Some(Review5::Pending(d)) => {
            blocked_by.extend(d.iter().map(|d| format!("pending_review:{d}")))
        }
        _ => {}
    }
    blocked_by.sort();
    blocked_by.dedup();
    Some(Gap {
        next,
        points,
        theme,
        blocked_by,
    })
}
