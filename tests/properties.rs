//! Properties of the rating that must hold for any scores: raising a score never lowers a
//! star, the score is the exact sum rounded half up once, and the status agrees with the caps.

use proptest::prelude::*;
use rust_decimal::Decimal;
use stars::combined::BranchScores;
use stars::problem::Problems;
use stars::rate::{rate, Status, Tier};
use stars::standard::{self, Domain, Standard};
use std::collections::BTreeSet;

fn builtin(domain: Domain) -> Standard {
    let all: BTreeSet<Domain> = Domain::ALL.into_iter().collect();
    let mut p = Problems::new();
    let s = standard::load(&[], &all, &mut p).expect("built-in standards load");
    s.get(domain).unwrap().clone()
}

/// Scores as hundredths of each indicator's points (0..=100 % with two decimals), per level.
fn levels_for(std: &Standard, cents: &[u32]) -> Vec<[Decimal; 3]> {
    std.indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let cell = |k: usize| {
                let c = cents
                    .get((i * 3 + k) % cents.len().max(1))
                    .copied()
                    .unwrap_or(0)
                    % 10_001;
                (ind.points * Decimal::from(c) / Decimal::from(10_000))
                    .trunc_with_scale(2)
                    .min(ind.points)
            };
            [cell(0), cell(1), cell(2)]
        })
        .collect()
}

fn scores_for(std: &Standard, cents: &[u32]) -> BranchScores {
    BranchScores::from_levels(std, &levels_for(std, cents))
}

fn domain_strategy() -> impl Strategy<Value = Domain> {
    prop::sample::select(Domain::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn raising_a_score_never_lowers_a_star(
        domain in domain_strategy(),
        cents in prop::collection::vec(0u32..=10_000, 90),
        which in 0usize..90,
        level in 0usize..3,
        raise in 1u32..=2_000,
    ) {
        let std = builtin(domain);
        let levels = levels_for(&std, &cents);
        let mut raised = levels.clone();
        let i = which % std.indicators.len();
        let points = std.indicators[i].points;
        raised[i][level] = (raised[i][level] + Decimal::from(raise) / Decimal::from(100)).min(points);
        let before = BranchScores::from_levels(&std, &levels);
        let after = BranchScores::from_levels(&std, &raised);
        let a = rate(&std, &before, &[], &[]);
        let b = rate(&std, &after, &[], &[]);
        prop_assert!(b.score >= a.score);
        prop_assert!(b.score_star >= a.score_star);
        prop_assert!(b.star >= a.star, "star fell from {} to {}", a.star, b.star);
    }

    #[test]
    fn the_rating_is_consistent(
        domain in domain_strategy(),
        cents in prop::collection::vec(0u32..=10_000, 90),
    ) {
        let std = builtin(domain);
        let scores = scores_for(&std, &cents);
        let r = rate(&std, &scores, &[], &[]);
        // Only F is rounded, half up, to two places.
        prop_assert_eq!(r.score, stars::decimal::round_half_up(r.exact_score, 2));
        let combined = scores.combined(std.indicators.len());
        prop_assert_eq!(r.base, combined.iter().copied().sum::<Decimal>());
        prop_assert!(r.base >= Decimal::ZERO && r.base <= Decimal::ONE_HUNDRED);
        prop_assert!(r.star <= r.score_star);
        prop_assert_eq!(r.tier, Tier::of(r.star));
        // No events and no reviews: a five-star score is always pending review.
        if r.capped_star == 5 {
            prop_assert_eq!(r.status, Status::PendingReview);
            prop_assert_eq!(r.star, 4);
        } else if r.star < r.score_star {
            prop_assert_eq!(r.status, Status::BottomLine);
        } else {
            prop_assert_eq!(r.status, Status::Rated);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The loader sums w_l · s_{i,l} as scaled integers where it can and as decimals where
    /// the places run out; either way e_i is the exact decimal sum.
    #[test]
    fn combined_points_are_the_exact_weighted_sum(
        domain in domain_strategy(),
        w_self in 0u64..=1_000_000_000,
        w_mass_share in 0u64..=1_000_000_000,
        weight_places in 0u32..=9,
        score_places in 0u32..=6,
        raw in prop::collection::vec(0u64..=10_000_000, 90),
    ) {
        let mut std = builtin(domain);
        let unit = Decimal::new(1, weight_places);
        let full = Decimal::ONE / unit;
        let ws = Decimal::from(w_self) % full * unit;
        let wm = Decimal::from(w_mass_share) % full * unit * (Decimal::ONE - ws);
        let wm = wm.trunc_with_scale(weight_places.max(1) * 2);
        let wo = Decimal::ONE - ws - wm;
        std.settings.levels = [ws, wm, wo];
        let levels: Vec<[Decimal; 3]> = std
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let v = |k: usize| {
                    let r = Decimal::new(raw[(i * 3 + k) % raw.len()] as i64, score_places);
                    r.min(ind.points)
                };
                [v(0), v(1), v(2)]
            })
            .collect();
        let got = BranchScores::from_levels(&std, &levels).combined(std.indicators.len());
        for (i, l) in levels.iter().enumerate() {
            let want = ws * l[0] + wm * l[1] + wo * l[2];
            prop_assert_eq!(got[i], want, "indicator {}", i);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The five-star quota (SPEC.md "Local rules"): whatever the approved scores of a group
    /// (ties included), at most ⌊five × n⌋ keep five stars, no branch left out outscores
    /// one kept, and the cut is as late as the tie rule allows (the next run of tied scores
    /// would cross the limit).
    #[test]
    fn the_quota_is_never_exceeded_and_never_skips_a_higher_score(
        cents in prop::collection::vec(9_000u32..=9_010, 0..40),
        extra in 0usize..20,
        share_pct in 0u32..=100,
    ) {
        let approved: Vec<Decimal> = cents.iter().map(|c| Decimal::new(i64::from(*c), 2)).collect();
        let n = approved.len() + extra;
        let quota = stars::standard::Quota {
            five: Decimal::new(i64::from(share_pct), 2),
            per: stars::standard::QuotaPer::Workspace,
        };
        let limit = quota.limit(n);
        prop_assert!(limit <= n);
        let g = stars::rate::QuotaGroup::new(String::new(), n, limit, approved.clone());
        let kept: Vec<Decimal> = approved.iter().copied().filter(|f| g.keeps(*f)).collect();
        let out: Vec<Decimal> = approved.iter().copied().filter(|f| !g.keeps(*f)).collect();
        prop_assert!(kept.len() <= limit);
        prop_assert_eq!(kept.len(), g.kept());
        for k in &kept {
            for o in &out {
                prop_assert!(o < k, "{} left out above {} kept", o, k);
            }
        }
        // The highest score left out: keeping its whole tie would cross the limit.
        if let Some(top_out) = out.iter().max() {
            let at_least = approved.iter().filter(|f| *f >= top_out).count();
            prop_assert!(at_least > limit);
        }
    }
}
