//! `stars man`.

use super::Ctx;
use crate::problem::Outcome;

pub fn run(_ctx: &Ctx) -> Outcome<()> {
    Err(anyhow::anyhow!("stars man is not built yet").into())
}
