//! The gap to the next star: the points a branch lacks, or what blocks it instead.

use crate::rate::{Cap, Rating, Review5, Status};
use crate::standard::Thresholds;
use rust_decimal::Decimal;

/// What stands between a branch and its next star.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub next: u8,
    /// Points the final score lacks for the next star's threshold, when it lacks any.
    pub points: Option<Decimal>,
    /// Caps and review outcomes that keep the star below `next` whatever the score:
    /// `red_line:X1`, `bottom_line:C1`, `floor:FM`, `quota`, `objected:law_enforcement`,
    /// `pending_review:industry`, `publicity`, `decided`.
    pub blocked_by: Vec<String>,
}

/// The gap of a branch below five stars; `None` at five. A 0-star branch (below `[stars]
/// one`) lacks `one − F` for its first star.
pub fn gap(r: &Rating, t: &Thresholds) -> Option<Gap> {
    if r.star >= 5 {
        return None;
    }
    let next = r.star + 1;
    let points = if r.score_star < next {
        t.of(next)
            .map(|th| th - r.score)
            .filter(|p| *p > Decimal::ZERO)
    } else {
        None
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
        blocked_by,
    })
}
