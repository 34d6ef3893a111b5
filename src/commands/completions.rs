//! `stars completions SHELL`.

use super::Ctx;
use crate::problem::Outcome;

pub fn run(_ctx: &Ctx, _shell: clap_complete::Shell) -> Outcome<()> {
    Err(anyhow::anyhow!("stars completions is not built yet").into())
}
