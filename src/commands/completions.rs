//! `stars completions SHELL`: shell completions, generated from the one clap definition.

use super::Ctx;
use crate::problem::Outcome;
use clap::CommandFactory;

pub fn run(ctx: &Ctx, shell: clap_complete::Shell) -> Outcome<()> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "stars", &mut out);
    ctx.emit_bytes(&out)
}
