//! Towns: a county's commands run member by member, and `--town` on a workspace of several
//! towns.
//!
//! A county ([`County`]) is never loaded whole: each member is an ordinary town workspace,
//! loaded, run and let go on its own, one on each core at a time, so that memory is bounded
//! by the largest member. What a member's command emits is kept ([`MemberRun`]) and put
//! together here: rows with a `town` column first, in town order; for people, a summary by
//! town and each member's own tables; with `--output-dir`, a file per town. A county's
//! output is written whole or not at all — unless `--keep-going`, which writes the sound
//! towns and names the others.
//!
//! The pieces: [`members`] finds the members and streams their rows, [`merge`] puts their
//! results together for standard output or `--output`, [`output_dir`] writes a file per
//! town, [`summary`] counts by town, [`town_view`] is `--town` on a workspace of several
//! towns; [`report`] is `stars report` on a county, [`spool`] holds rows in a file.

mod members;
mod merge;
mod output_dir;
mod report;
mod spool;
mod summary;
mod town_view;

pub use town_view::{emit_all_towns, run_town_view};

use super::{run_here, Ctx};
use crate::cli::{Command, RectifyView, StandardsCommand};
use crate::i18n::msg;
use crate::problem::{Failure, Outcome, Problem, Problems};
use crate::render::{Column, Report};
use crate::threads::{lock, run_all};
use crate::workspace::county::is_county;
use crate::workspace::{join_shown, County, Workspace};
use members::Towns;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// What a command emitted on a member.
pub enum Emitted {
    Report(Box<Report<'static>>),
    Bytes(Vec<u8>),
}

/// One run of a command on a county's member (or, for `--town`, on the workspace itself).
pub struct MemberRun {
    /// The county and the member's index; `None` for the workspace itself.
    county: Option<(Arc<County>, usize)>,
    /// Keep what is emitted (else it is written as usual).
    collect: bool,
    kept: Mutex<Vec<Emitted>>,
    /// For `--town` on a workspace: the towns asked for, and then the branches of those
    /// towns (id → town), found when the workspace is loaded.
    towns: Vec<String>,
    branch_towns: Mutex<BTreeMap<String, String>>,
}

impl MemberRun {
    /// Load the member's workspace.
    /// Load the member's workspace (`dir`, the workspace itself, when it is no member).
    pub fn load(
        &self,
        dir: &Path,
        encoding: crate::source::Encoding,
        problems: &mut Problems,
    ) -> Option<Workspace> {
        let ws = match &self.county {
            Some((county, k)) => {
                let member = county.members.get(*k)?;
                Workspace::load_member(member, county, encoding, problems)?
            }
            None => Workspace::load(dir, encoding, problems)?,
        };
        if self.county.is_none() {
            let mut map = lock(&self.branch_towns);
            for b in &ws.branches {
                if self.towns.is_empty() || self.towns.iter().any(|t| t == b.town()) {
                    map.insert(b.id().to_string(), b.town().to_string());
                }
            }
            let known: BTreeSet<&str> = ws.branches.iter().map(|b| b.town()).collect();
            for t in &self.towns {
                if !known.contains(t.as_str()) {
                    let there =
                        crate::i18n::list(&known.iter().copied().collect::<Vec<_>>().join(", "));
                    let shown_t = crate::problem::escape(t);
                    problems.push(Problem::file(
                        join_shown(&ws.shown, "branches.csv"),
                        msg!(
                            "no branch of town `{shown_t}`; expected a town of branches.csv: {there}",
                            "branches.csv 中没有“{shown_t}”的支部；应为以下之一：{there}"
                        ),
                    ));
                }
            }
        }
        Some(ws)
    }

    pub fn collects(&self) -> bool {
        self.collect
    }

    /// A run of every town of a workspace that is not a county (no `--town`): its list is
    /// written as the command makes it, with a summary by town ([`emit_all_towns`]).
    pub fn is_town_view_of_all(&self) -> bool {
        self.county.is_none() && self.towns.is_empty()
    }

    /// The county this runs on a member of.
    pub fn county(&self) -> Option<&County> {
        self.county.as_ref().map(|(c, _)| c.as_ref())
    }

    pub fn keep(&self, e: Emitted) {
        lock(&self.kept).push(e);
    }
}

/// Whether `command` runs on a county here: the workspace is one (`members` in its
/// stars.toml) and the command works on a workspace.
pub fn runs_on_county(command: &Command, ctx: &Ctx) -> bool {
    let on_workspace = !matches!(
        command,
        Command::Init { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Standards(StandardsCommand::Export { .. })
    );
    ctx.member.is_none() && on_workspace && is_county(&ctx.global.workspace)
}

/// The `town` column a county's outputs start with.
const TOWN: Column = Column::new("town", "Town", "镇（街道）");

/// The name a command's files have under `--output-dir`, when it writes a list per town.
fn file_stem(command: &Command) -> Option<&'static str> {
    Some(match command {
        Command::Evaluate => "ratings",
        Command::Rectify { view } => match view {
            RectifyView::Problems => "rectification",
            RectifyView::Responsibility => "responsibility",
            RectifyView::Deadline => "deadlines",
            RectifyView::Themes => "rectification-by-theme",
        },
        Command::Adjust => "adjustment",
        Command::Tiers => "tiers",
        Command::Publicity => "publicity",
        Command::Exchange => "exchange",
        _ => return None,
    })
}

/// Run a command on the county of `ctx`.
pub fn run(command: &Command, ctx: &Ctx) -> Outcome<()> {
    let dir = &ctx.global.workspace;
    let shown = dir.to_string_lossy().into_owned();
    let mut problems = Problems::new();
    let county = County::load(dir, &shown, &mut problems);
    let mut county = match county {
        Some(c) if problems.is_empty() => c,
        _ => return Err(problems.into()),
    };
    if ctx.global.output_dir.is_some() && file_stem(command).is_none() {
        return Err(Failure::Usage(output_dir_usage(command)));
    }
    // Members whose stars.toml is wrong: their problems are reported with the others'.
    let broken = std::mem::take(&mut county.broken);
    let county = Arc::new(county);
    let selected = selected(&county, &ctx.global.town, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into());
    }
    if let Some(out) = &ctx.global.output {
        refuse_input(&county, std::slice::from_ref(out))?;
    }
    let year = ctx.global.year.or_else(|| latest_year(&county));
    let towns = Towns {
        ctx,
        county: &county,
        selected,
        year,
        broken: Mutex::new(broken),
    };
    match command {
        Command::Check => towns.check(),
        Command::Explain { branch } | Command::History { branch } => {
            let k = towns.member_of(branch)?;
            towns.run_through(command, k)
        }
        Command::Report if ctx.global.town.len() != 1 => towns.report(),
        Command::Report | Command::Template { .. } => {
            let k = towns.one(command)?;
            towns.run_through(command, k)
        }
        Command::Standards(_) if ctx.global.town.is_empty() => run_here(command, ctx),
        Command::Standards(_) => {
            let k = towns.one(command)?;
            towns.run_through(command, k)
        }
        _ => match (&ctx.global.output_dir, file_stem(command)) {
            (Some(out), Some(stem)) => towns.write_dir(command, out, stem),
            (Some(_), None) => Err(Failure::Usage(output_dir_usage(command))),
            (None, _) => towns.merged(command),
        },
    }
}

/// The indices of the members `--town` chooses (every member without it), in town order.
fn selected(county: &County, towns: &[String], problems: &mut Problems) -> Vec<usize> {
    let chosen = county.select(towns, problems);
    county
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| chosen.iter().any(|c| std::ptr::eq(*c, *m)))
        .map(|(k, _)| k)
        .collect()
}

fn output_dir_usage(command: &Command) -> String {
    let cmd = super::name(command);
    msg!(
        "`stars {cmd}` writes no list per town; --output-dir is for evaluate, rectify, adjust, tiers, publicity and exchange on a county",
        "stars {cmd} 不按镇（街道）输出清单；--output-dir 只用于县（区）工作区的 evaluate、rectify、adjust、tiers、publicity 和 exchange"
    )
}

/// The latest year of a county: of its `[years]`, else the latest of its members'.
fn latest_year(county: &County) -> Option<i32> {
    county.config.years.keys().next_back().copied().or_else(|| {
        county
            .members
            .iter()
            .filter_map(|m| m.config.years.keys().next_back().copied())
            .max()
    })
}

/// Output files that are inputs of the county or of any member are refused: every
/// workspace's inputs listed once (on both cores) for all the files.
fn refuse_input(county: &County, outs: &[std::path::PathBuf]) -> Outcome<()> {
    let dirs: Vec<&Path> = std::iter::once(county.dir.as_path())
        .chain(county.members.iter().map(|m| m.dir.as_path()))
        .collect();
    let half = dirs.len().div_ceil(2).max(1);
    let chunks: Vec<&[&Path]> = dirs.chunks(half).collect();
    let found = run_all(chunks.len(), |i| {
        chunks
            .get(i)
            .and_then(|c| crate::output::first_input(c, outs))
            .map(Path::to_path_buf)
    });
    if let Some(out) = found.into_iter().flatten().next() {
        let shown = out.display();
        return Err(anyhow::anyhow!(msg!(
            "{shown} is an input file of the county; refusing to overwrite it",
            "{shown} 是县（区）工作区的输入文件，不予覆盖"
        ))
        .into());
    }
    Ok(())
}

/// The main list a command emitted.
fn main_report(em: &[Emitted]) -> Option<&Report<'static>> {
    em.iter().find_map(|e| match e {
        Emitted::Report(r) => Some(&**r),
        Emitted::Bytes(_) => None,
    })
}
