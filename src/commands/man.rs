//! `stars man`: the man page (roff), generated from the one clap definition.
//!
//! One page for the whole tool: clap_mangen's page of `stars` (synopsis, global options,
//! examples), with a COMMANDS section in place of its list of separate `stars-CMD(1)` pages,
//! which are not installed. The page carries no date, so the same binary always prints the
//! same bytes.

use super::Ctx;
use crate::problem::Outcome;
use anyhow::Context;
use clap::CommandFactory;
use clap_mangen::Man;

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let bytes = page().context(crate::i18n::tr(
        "cannot render the man page",
        "无法生成 man 手册页",
    ))?;
    ctx.emit_bytes(&bytes)
}

/// The whole page.
pub fn page() -> std::io::Result<Vec<u8>> {
    // Not built: the subcommands then hold only their own arguments, not the global ones
    // (which the page lists once, under OPTIONS).
    let cmd = crate::cli::Cli::command();
    let man = Man::new(cmd.clone()).manual("stars manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        command(&mut out, sub, "stars")?;
    }
    let mut extra = Vec::new();
    man.render_extra_section(&mut extra)?;
    out.extend(body(&extra, Some(".SH \"EXIT STATUS AND EXAMPLES\"")));
    man.render_version_section(&mut out)?;
    // Each part starts with roff's preamble (the apostrophe string); keep one, at the top.
    let text = String::from_utf8_lossy(&out).into_owned();
    let (preamble, rest): (Vec<&str>, Vec<&str>) = text
        .lines()
        .partition(|l| l.starts_with(".ie \\n(.g .ds Aq") || l.starts_with(".el .ds Aq"));
    let mut page = String::new();
    for line in preamble.iter().take(2).chain(rest.iter()) {
        page.push_str(line);
        page.push('\n');
    }
    Ok(page.into_bytes())
}

/// One subcommand (and its own subcommands) as a subsection: usage, description, options,
/// example.
fn command(out: &mut Vec<u8>, sub: &clap::Command, parent: &str) -> std::io::Result<()> {
    let path = format!("{parent} {}", sub.get_name());
    let sub = sub.clone().bin_name(&path);
    if sub.get_subcommands().next().is_none() || sub.get_arguments().next().is_some() {
        out.extend(format!(".SS \"{path}\"\n").into_bytes());
        let man = Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        out.extend(body(&part, None));
        part.clear();
        man.render_description_section(&mut part)?;
        out.extend(body(&part, Some(".PP")));
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            part.clear();
            man.render_options_section(&mut part)?;
            out.extend(body(&part, Some(".PP")));
        }
        if sub.get_after_help().is_some() {
            part.clear();
            man.render_extra_section(&mut part)?;
            out.extend(body(&part, Some(".PP")));
        }
    } else {
        out.extend(format!(".SS \"{path}\"\n").into_bytes());
        let mut part = Vec::new();
        Man::new(sub.clone()).render_description_section(&mut part)?;
        out.extend(body(&part, None));
        if sub.get_after_help().is_some() {
            part.clear();
            Man::new(sub.clone()).render_extra_section(&mut part)?;
            out.extend(body(&part, Some(".PP")));
        }
    }
    for s in sub.get_subcommands() {
        command(out, s, &path)?;
    }
    Ok(())
}

/// A section's roff without its `.SH` heading (replaced by `heading`, if any).
fn body(roff: &[u8], heading: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with(".SH ") {
            if let Some(h) = heading {
                out.push_str(h);
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}
