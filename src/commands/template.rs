//! `stars template DOMAIN`.

use super::Ctx;
use crate::problem::Outcome;

pub fn run(_ctx: &Ctx, _domain: &str, _legend: bool) -> Outcome<()> {
    Err(anyhow::anyhow!("stars template is not built yet").into())
}
