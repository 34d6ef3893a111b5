//! `stars completions SHELL`: shell completions, generated from the one clap definition
//! (its help in Chinese, as `--help` shows it, when the run's language is Chinese).

use super::Ctx;
use crate::problem::Outcome;
use clap::CommandFactory;

pub fn run(ctx: &Ctx, shell: clap_complete::Shell) -> Outcome<()> {
    let mut cmd = match ctx.lang {
        crate::i18n::Lang::En => crate::cli::Cli::command(),
        crate::i18n::Lang::Zh => crate::cli_zh::localize(crate::cli::Cli::command()),
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "stars", &mut out);
    ctx.emit_bytes(&out)
}
