//! What the committee reads of the records of the year: the ballots' returns and
//! satisfaction, totalled by domain (or by town), exact; the objections by outcome.

use crate::ballots::Rate;
use crate::standard::Domain;
use crate::workspace::{ObjectionStatus, Records, Workspace};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The ballots of a set of branches, added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ballots {
    /// Branches with ballots.
    pub branches: u64,
    pub issued: u64,
    pub returned: u64,
    /// The ballots counted (as each branch's `[survey]` counts them).
    pub valid: u64,
    pub satisfied: u64,
    /// Σ answer's points × count over the valid ballots, in hundredths of a point.
    points: u64,
}

impl Ballots {
    /// Add another set.
    pub fn add(&mut self, o: &Ballots) {
        self.branches += o.branches;
        self.issued += o.issued;
        self.returned += o.returned;
        self.valid += o.valid;
        self.satisfied += o.satisfied;
        self.points += o.points;
    }

    /// Returned of issued, in percent, rounded half up to 2 places (exact).
    pub fn return_rate(&self) -> Option<Decimal> {
        percent(self.returned, self.issued)
    }

    /// Satisfied of the valid ballots, in percent (exact, rounded half up to 2 places).
    pub fn satisfied_share(&self) -> Option<Decimal> {
        percent(self.satisfied, self.valid)
    }

    /// The points of all valid ballots together (Σ points × count / valid), 0–100, rounded
    /// half up to 2 places (exact): the satisfaction of the whole set, each ballot alike
    /// (a branch's own R weighs its groups).
    pub fn satisfaction(&self) -> Option<Decimal> {
        let r = Rate::new(i128::from(self.points), 100 * i128::from(self.valid))?;
        Some(round2(r))
    }
}

/// n / d in percent, rounded half up to 2 places; `None` when d is 0.
fn percent(n: u64, d: u64) -> Option<Decimal> {
    Some(round2(Rate::new(100 * i128::from(n), i128::from(d))?))
}

/// An exact fraction rounded half up to 2 places.
fn round2(r: Rate) -> Decimal {
    // ⌊(200 · n + d) / (2 · d)⌋ hundredths: n/d · 100 rounded half up.
    let cents = (200 * r.num + r.den) / (2 * r.den);
    Decimal::try_from_i128_with_scale(cents, 2).unwrap_or_default()
}

/// The ballots of each domain with ballots in a year's records.
pub fn ballots_by_domain(ws: &Workspace, records: &Records) -> BTreeMap<Domain, Ballots> {
    let mut out: BTreeMap<Domain, Ballots> = BTreeMap::new();
    for run in records.surveys.chunk_by(|a, b| a.branch == b.branch) {
        let Some(first) = run.first() else { continue };
        let (Some(br), Some(std)) = (ws.branches.get(first.branch), ws.standard_of(first.branch))
        else {
            continue;
        };
        let s = &std.settings.survey;
        let mut b = Ballots {
            branches: 1,
            ..Ballots::default()
        };
        for row in run {
            let c = &row.counts;
            b.issued += u64::from(c.issued);
            b.returned += u64::from(c.returned);
            b.valid += c.valid(s);
            b.satisfied += u64::from(c.satisfied);
            b.points += c.points(s).unwrap_or(0);
        }
        out.entry(br.domain).or_default().add(&b);
    }
    out
}

/// How many objections came to each outcome.
pub fn objections_by_status(records: &Records) -> [u64; 3] {
    let mut n = [0u64; 3];
    for o in &records.objections {
        let k = match o.status {
            ObjectionStatus::Open => 0,
            ObjectionStatus::Upheld => 1,
            ObjectionStatus::Dismissed => 2,
        };
        if let Some(c) = n.get_mut(k) {
            *c += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rates_round_half_up_exactly() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(percent(1, 8), Some(d("12.50")));
        // 2/3 = 66.666…% → 66.67; 1/16 = 6.25%; 1/200 = 0.5%; 1/400 = 0.25%.
        assert_eq!(percent(2, 3), Some(d("66.67")));
        assert_eq!(percent(1, 16), Some(d("6.25")));
        assert_eq!(percent(1, 200), Some(d("0.50")));
        assert_eq!(percent(1, 400), Some(d("0.25")));
        // 1/800 = 0.125% rounds half up to 0.13.
        assert_eq!(percent(1, 800), Some(d("0.13")));
        assert_eq!(percent(1, 0), None);
    }
}
