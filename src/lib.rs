//! `stars` rates grassroots party branches with one to five stars (星级党支部评定) and runs
//! the follow-up the rating drives.
//!
//! Data flows one way: [`source`] reads files as decoded text and rows of cells, each cell
//! located; [`workspace`] and [`standard`] load them into typed facts with their source
//! positions, the scores summed as they come into each branch's combined points
//! ([`combined`], SPEC.md step 1); [`rate`] computes the rating from them (pure, exact); [`followup`] derives
//! rectification items, lists and the dynamic adjustment; [`render`] prints them. Each
//! subcommand is one file in [`commands`].

pub mod aliases;
pub mod ballots;
pub mod cli;
pub mod cli_zh;
pub mod combined;
pub mod commands;
pub mod committee;
pub mod date;
pub mod decimal;
pub mod explain_trace;
pub mod followup;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod output;
pub mod problem;
pub mod rate;
pub mod render;
pub mod source;
pub mod standard;
pub mod themes;
pub mod threads;
pub mod timing;
pub mod toml_read;
pub mod workspace;

use clap::{CommandFactory, FromArgMatches};
use problem::Failure;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: invalid input data.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: wrong usage.
pub const EXIT_USAGE: u8 = 2;

/// Run the command line and return the exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> u8 {
    timing::mark("start");
    let mut cli = match parse(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // `-o -` is standard output, as with every other tool (not a file named `-`).
    if cli.global.output.as_deref() == Some(std::path::Path::new("-")) {
        cli.global.output = None;
    }
    let lang = language(&cli);
    i18n::set(lang);
    let format = match commands::format_of(&cli.command, &cli.global, || {
        std::io::stdout().is_terminal()
    }) {
        Ok(f) => f,
        Err(e) => return report(Failure::Usage(e), lang),
    };
    if let Err(e) = commands::output_usage(&cli.command, &cli.global) {
        return report(Failure::Usage(e), lang);
    }
    let ctx = commands::Ctx::new(cli.global.clone(), format, lang);
    let result = commands::run(&cli.command, &ctx);
    say_notices();
    match result {
        Ok(()) => EXIT_OK,
        Err(f) => report(f, lang),
    }
}

/// The notices of the run (what of the input was passed over), one line each, on standard
/// error.
fn say_notices() {
    let mut text = String::new();
    for n in problem::take_notices() {
        text.push_str(problem::warning_prefix());
        text.push_str(&problem::escape(&n));
        text.push('\n');
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// The command line, with its help and usage errors in Chinese when `--lang`, else the
/// workspace's own `lang`, else the locale is Chinese ([`cli_zh::lang_of`]); a usage error
/// (exit code 2) or the help or version (0) is printed here.
fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<cli::Cli, u8> {
    let args: Vec<OsString> = args.into_iter().collect();
    let lang = cli_zh::lang_of(&args, workspace::named_lang);
    // The Chinese command line is the English one with its help translated.
    let cmd = cli::Cli::command();
    let cmd = if lang == i18n::Lang::Zh {
        cli_zh::localize(cmd)
    } else {
        cmd
    };
    let failed = |e: clap::Error| {
        let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        use clap::error::ErrorKind as K;
        let help = matches!(
            e.kind(),
            K::DisplayHelp | K::DisplayHelpOnMissingArgumentOrSubcommand
        );
        match (lang, cli_zh::error_text(&e)) {
            (i18n::Lang::Zh, Some(text)) => {
                let _ = std::io::stderr().write_all(text.as_bytes());
            }
            (i18n::Lang::Zh, None) if help => {
                // Styled as clap styles it: on a terminal, unless NO_COLOR says otherwise.
                let styled = |terminal: bool| terminal && std::env::var_os("NO_COLOR").is_none();
                let _ = if e.use_stderr() {
                    let text = cli_zh::help_text(&e, styled(std::io::stderr().is_terminal()));
                    std::io::stderr().write_all(text.as_bytes())
                } else {
                    let text = cli_zh::help_text(&e, styled(std::io::stdout().is_terminal()));
                    std::io::stdout().write_all(text.as_bytes())
                };
            }
            _ => {
                let _ = e.print();
            }
        }
        code
    };
    let matches = cmd.try_get_matches_from(args).map_err(failed)?;
    cli::Cli::from_arg_matches(&matches).map_err(failed)
}

/// The one language of this run, for every output and message: `--lang`, else the
/// workspace's (its `lang` in `stars.toml`, or a fixed default without one), else — only
/// where there is no workspace, and for `init`, `completions` and `man`, which work on none
/// — the locale.
fn language(cli: &cli::Cli) -> i18n::Lang {
    if let Some(lang) = cli.global.lang {
        return lang;
    }
    let on_workspace = !matches!(
        cli.command,
        cli::Command::Init { .. } | cli::Command::Completions { .. } | cli::Command::Man
    );
    on_workspace
        .then(|| workspace::workspace_lang(&cli.global.workspace))
        .flatten()
        .unwrap_or_else(i18n::Lang::from_env)
}

/// An error and its causes, as `{e:#}` writes them (`what: why`), in the language of the
/// run: a cause that is the system's reason for an I/O failure in its own words
/// ([`problem::io_reason`]), the causes joined as the language joins them.
fn causes(e: &anyhow::Error, lang: i18n::Lang) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|c| match c.downcast_ref::<std::io::Error>() {
            Some(io) => problem::io_reason(io),
            None => c.to_string(),
        })
        .collect();
    parts.join(lang.t(": ", "："))
}

/// Print a failure on standard error and return its exit code. A standard error that
/// cannot be written to (a closed pipe) does not change the code.
fn report(failure: Failure, lang: i18n::Lang) -> u8 {
    let (text, code) = match failure {
        Failure::Invalid(problems) => {
            let list = problems.sorted();
            let mut text = String::new();
            for p in &list {
                text.push_str(&p.to_string());
                text.push('\n');
            }
            // Beyond the caps problems are only counted: one line says how many.
            for line in problems.more_lines() {
                text.push_str(&line);
                text.push('\n');
            }
            let n = list.len() + (problems.len() - problems.iter().count());
            let s = if n == 1 { "" } else { "s" };
            text.push_str(&i18n::msg_in!(
                lang,
                "{n} problem{s} found\n",
                "共发现 {n} 个问题\n"
            ));
            (text, EXIT_INVALID)
        }
        Failure::Other(e) => (
            format!("{}{}\n", problem::error_prefix(), causes(&e, lang)),
            EXIT_INVALID,
        ),
        Failure::Usage(m) => (format!("{}{m}\n", problem::error_prefix()), EXIT_USAGE),
    };
    let _ = std::io::stderr().write_all(text.as_bytes());
    code
}
