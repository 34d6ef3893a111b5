//! The quarterly experience exchange (季度经验交流): four five-star branches, highest score
//! first, no two from one domain while other domains have candidates.

use crate::rate::Rating;
use crate::standard::Domain;
use rust_decimal::Decimal;

/// A candidate: branch index, branch id, domain, final score.
pub type Candidate<'a> = (usize, &'a str, Domain, Decimal);

/// Up to four picks, one per quarter, in quarter order. Each pick is the best candidate of
/// the domains picked least so far: highest score, then branch id.
pub fn picks<'a>(candidates: &[Candidate<'a>], quarters: usize) -> Vec<Candidate<'a>> {
    let mut left: Vec<Candidate> = candidates.to_vec();
    let mut out: Vec<Candidate> = Vec::new();
    while out.len() < quarters {
        let used = |d: Domain| out.iter().filter(|c| c.2 == d).count();
        let best = left
            .iter()
            .enumerate()
            .min_by(|(_, a), (_, b)| {
                (used(a.2), std::cmp::Reverse(a.3), a.1).cmp(&(
                    used(b.2),
                    std::cmp::Reverse(b.3),
                    b.1,
                ))
            })
            .map(|(i, _)| i);
        match best {
            Some(i) => out.push(left.remove(i)),
            None => break,
        }
    }
    out
}

/// Five-star branches of a year as candidates.
pub fn candidates<'a>(
    ws: &'a crate::workspace::Workspace,
    ratings: &[(usize, Rating)],
) -> Vec<Candidate<'a>> {
    ratings
        .iter()
        .filter(|(_, r)| r.star == 5)
        .filter_map(|(b, r)| {
            ws.branches
                .get(*b)
                .map(|br| (*b, br.id(), br.domain, r.score))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn c(id: &'static str, d: Domain, s: &str) -> Candidate<'static> {
        (0, id, d, Decimal::from_str(s).unwrap())
    }

    #[test]
    fn spreads_domains_while_others_have_candidates() {
        let all = [
            c("A", Domain::Rural, "99"),
            c("B", Domain::Rural, "98"),
            c("C", Domain::Rural, "97"),
            c("D", Domain::Agency, "91"),
            c("E", Domain::Soe, "90"),
        ];
        let ids: Vec<&str> = picks(&all, 4).iter().map(|p| p.1).collect();
        assert_eq!(ids, ["A", "D", "E", "B"]);
    }

    #[test]
    fn repeats_a_domain_only_when_no_other_has_candidates() {
        let all = [c("A", Domain::Rural, "92"), c("B", Domain::Rural, "95")];
        let ids: Vec<&str> = picks(&all, 4).iter().map(|p| p.1).collect();
        assert_eq!(ids, ["B", "A"]);
    }

    #[test]
    fn ties_go_to_the_lower_branch_id() {
        let all = [c("B", Domain::Rural, "95"), c("A", Domain::Agency, "95")];
        let ids: Vec<&str> = picks(&all, 4).iter().map(|p| p.1).collect();
        assert_eq!(ids, ["A", "B"]);
    }
}
