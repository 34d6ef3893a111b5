//! `stars report` on a county: its towns' reports added up, in the county's order
//! ([`Committee::add_town`]), each town's made as a town's own is
//! ([`crate::commands::report::value`]), a batch of members at a time; rendered as a town's
//! report is, with the towns beside. A town's own page is `stars report --town NAME`.

use super::{lock, Towns};
use crate::committee::Committee;
use crate::i18n::msg;
use crate::problem::{Failure, Outcome};
use std::collections::BTreeMap;
use std::sync::Mutex;

impl Towns<'_> {
    /// The county's report: every selected town, or nothing when one is not sound —
    /// unless `--keep-going`, which leaves it out with a row saying why.
    pub(super) fn report(&self) -> Outcome<()> {
        let keep_going = self.ctx.global.keep_going;
        let mut county = Committee::county(&self.county.config.name, self.year.unwrap_or(0));
        let failures: Mutex<BTreeMap<usize, Failure>> = Mutex::new(BTreeMap::new());
        self.in_batches(
            |k| crate::commands::report::value(&self.member_ctx(k, true)),
            |k, r| {
                match r {
                    Ok(Some(c)) => county.add_town(c),
                    Ok(None) => {}
                    Err(f) => {
                        county.leave_out(self.town(k), left_out_why(&f));
                        lock(&failures).insert(k, f);
                    }
                }
                Ok(())
            },
        )?;
        for (shown, p) in lock(&self.broken).iter() {
            county.leave_out(shown, problems_why(p.len()));
        }
        let sound = lock(&failures).is_empty() && lock(&self.broken).is_empty();
        if !sound && !keep_going {
            return Err(self.failed(&failures, false));
        }
        crate::commands::report::emit(self.ctx, &county)?;
        match sound {
            true => Ok(()),
            false => Err(self.failed(&failures, true)),
        }
    }
}

/// Why a town is left out of a county's output (`--keep-going`), for its row.
pub(super) fn left_out_why(f: &Failure) -> String {
    match f {
        Failure::Invalid(p) => problems_why(p.len()),
        Failure::Other(e) => format!("{e:#}"),
        Failure::Usage(m) => m.clone(),
    }
}

fn problems_why(n: usize) -> String {
    msg!(
        "not rated: {n} problem(s) in its files (listed on standard error)",
        "未计入：其文件中有 {n} 个问题（见错误输出）"
    )
}
