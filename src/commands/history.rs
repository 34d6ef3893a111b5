//! `stars history`.

use super::Ctx;
use crate::problem::Outcome;

pub fn run(_ctx: &Ctx) -> Outcome<()> {
    Err(anyhow::anyhow!("not yet implemented").into())
}
