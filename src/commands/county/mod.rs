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

mod report;
mod spool;

use super::{run_here, Ctx};
use crate::cli::{Command, RectifyView, StandardsCommand};
use crate::i18n::{msg, msg_in, Lang};
use crate::problem::{Failure, Outcome, Problem, Problems};
use crate::render::{ChartKind, ChartSpec, Code, Column, Format, Report, RowStream, Value};
use crate::threads::{lock, run_all};
use crate::workspace::county::is_county;
use crate::workspace::{join_shown, County, Workspace};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
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

/// About how many parts a county's streamed rows are cut into: a part is several members
/// (a part is the unit both cores take in turn), and each part's rows are held once
/// rendered, until written (see `RowStream`).
const MEMBER_PARTS: usize = 64;

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
    let selected: Vec<usize> = {
        let chosen = county.select(&ctx.global.town, &mut problems);
        county
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| chosen.iter().any(|c| std::ptr::eq(*c, *m)))
            .map(|(k, _)| k)
            .collect()
    };
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

/// The members of a county a command runs on.
struct Towns<'a> {
    ctx: &'a Ctx,
    county: &'a Arc<County>,
    /// Indices into the county's members, in town order.
    selected: Vec<usize>,
    year: Option<i32>,
    /// Members that could not be read (folder, problems): never sound.
    broken: Mutex<Vec<(String, Problems)>>,
}

/// What a member's run gave: what it emitted, or why it could not.
type MemberResult = Result<Vec<Emitted>, Failure>;

impl Towns<'_> {
    fn town(&self, k: usize) -> &str {
        self.county.members.get(k).map_or("", |m| m.town())
    }

    /// A context for member `k`: its folder, the county's year and language.
    fn member_ctx(&self, k: usize, collect: bool) -> Ctx {
        self.member_ctx_as(k, collect, self.ctx.format)
    }

    /// [`Towns::member_ctx`] writing `format`.
    fn member_ctx_as(&self, k: usize, collect: bool, format: Format) -> Ctx {
        let mut global = self.ctx.global.clone();
        if let Some(m) = self.county.members.get(k) {
            global.workspace = m.dir.clone();
        }
        global.year = self.year;
        global.town = Vec::new();
        global.output_dir = None;
        if collect {
            global.output = None;
        }
        Ctx {
            global,
            format,
            lang: self.ctx.lang,
            member: Some(MemberRun {
                county: Some((Arc::clone(self.county), k)),
                collect,
                kept: Mutex::new(Vec::new()),
                towns: Vec::new(),
                branch_towns: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// Run the command on member `k`, keeping what it emits.
    fn collect(&self, command: &Command, k: usize) -> MemberResult {
        self.collect_as(command, k, self.ctx.format)
    }

    /// [`Towns::collect`] in `format` (CSV: numbers and codes, for counting).
    fn collect_as(&self, command: &Command, k: usize, format: Format) -> MemberResult {
        let mctx = self.member_ctx_as(k, true, format);
        run_here(command, &mctx)?;
        Ok(mctx
            .member
            .map(|m| m.kept.into_inner().unwrap_or_default())
            .unwrap_or_default())
    }

    /// Run the command on member `k`, writing its output as on a town.
    fn run_through(&self, command: &Command, k: usize) -> Outcome<()> {
        run_here(command, &self.member_ctx(k, false))
    }

    /// The one member a command that works on one town runs on: `--town` must name it.
    fn one(&self, command: &Command) -> Outcome<usize> {
        match self.selected.as_slice() {
            [k] => Ok(*k),
            _ => {
                let cmd = super::name(command);
                let there: Vec<&str> = self.county.members.iter().map(|m| m.town()).collect();
                let there = crate::i18n::list(&there.join(", "));
                Err(Failure::Usage(msg!(
                    "`stars {cmd}` works on one town of a county; expected --town NAME, one of: {there}",
                    "stars {cmd} 针对县（区）中的一个镇（街道）；请用 --town 名称 指定，可选：{there}"
                )))
            }
        }
    }

    /// The member whose branches.csv has `branch` (ids are unique within a town only):
    /// `--town` chooses among several.
    fn member_of(&self, branch: &str) -> Outcome<usize> {
        let found: Vec<usize> = run_all(self.selected.len(), |j| {
            let k = self.selected.get(j).copied()?;
            let m = self.county.members.get(k)?;
            let mut ignored = Problems::new();
            let ws =
                Workspace::load_member(m, self.county, self.ctx.global.encoding, &mut ignored)?;
            ws.branch(branch).map(|_| k)
        })
        .into_iter()
        .flatten()
        .collect();
        match found.as_slice() {
            [k] => Ok(*k),
            [] if self.selected.len() == 1 => Ok(self.selected.first().copied().unwrap_or(0)),
            [] => {
                let b = crate::problem::escape(branch);
                let county = &self.county.shown;
                Err(Failure::Invalid(one_problem(Problem::file(
                    county.clone(),
                    msg!(
                        "unknown branch `{b}` in every town of the county; expected a branch id of a member's branches.csv",
                        "县（区）各镇（街道）中都没有支部“{b}”；应为某成员 branches.csv 中的支部编号"
                    ),
                ))))
            }
            several => {
                let b = crate::problem::escape(branch);
                let towns: Vec<&str> = several.iter().map(|k| self.town(*k)).collect();
                let towns = crate::i18n::list(&towns.join(", "));
                Err(Failure::Usage(msg!(
                    "branch `{b}` is in several towns: {towns}; expected --town NAME to choose one",
                    "多个镇（街道）都有支部“{b}”：{towns}；请用 --town 名称 指定其中一个"
                )))
            }
        }
    }

    /// `stars check` on every member (and the county's own standards): silent when all is
    /// well; every problem, each in its member's files.
    fn check(&self) -> Outcome<()> {
        let mut problems = Problems::new();
        for (_, p) in std::mem::take(&mut *lock(&self.broken)) {
            problems.extend(p);
        }
        // A county's standards are checked even when every member has its own.
        self.county.standards(&mut problems);
        let results = run_all(self.selected.len(), |j| {
            let k = self.selected.get(j).copied()?;
            match self.run_through(&Command::Check, k) {
                Ok(()) => None,
                Err(f) => Some(self.problems_of(k, f)),
            }
        });
        for p in results.into_iter().flatten() {
            problems.extend(p);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.into())
        }
    }

    /// A member's failure as problems (a usage error or an I/O error is named with the
    /// member).
    fn problems_of(&self, k: usize, f: Failure) -> Problems {
        match f {
            Failure::Invalid(p) => p,
            Failure::Other(e) => member_problem(self, k, format!("{e:#}")),
            Failure::Usage(m) => member_problem(self, k, m),
        }
    }

    /// The county's output to standard output or `--output`: for machines the rows of
    /// every member, streamed; for people (and a workbook) the rows with a summary by town
    /// and each member's tables.
    fn merged(&self, command: &Command) -> Outcome<()> {
        let failures: Mutex<BTreeMap<usize, Failure>> = Mutex::new(BTreeMap::new());
        let rep = match self.ctx.format {
            Format::Csv | Format::Json => self.streamed(command, &failures)?,
            _ => self.spooled(command, &failures)?,
        };
        let Some(rep) = rep else {
            return Err(self.failed(&failures, false));
        };
        let keep_going = self.ctx.global.keep_going;
        let all_sound = || lock(&failures).is_empty() && lock(&self.broken).is_empty();
        let written = self.write(&rep, || keep_going || all_sound());
        if all_sound() {
            return written;
        }
        if keep_going {
            written?;
        }
        Err(self.failed(&failures, keep_going))
    }

    /// The rows of every member as one report for machines: a `town` column first, the
    /// members' rows made as they are written (two members at a time). The first sound
    /// member, run first, gives the columns. `None` when no member is sound.
    fn streamed<'s>(
        &'s self,
        command: &'s Command,
        failures: &'s Mutex<BTreeMap<usize, Failure>>,
    ) -> Outcome<Option<Report<'s>>> {
        let mut first = None;
        for (j, &k) in self.selected.iter().enumerate() {
            match self.collect(command, k) {
                Ok(em) => {
                    first = Some((j, em));
                    break;
                }
                Err(f) => {
                    lock(failures).insert(k, f);
                }
            }
        }
        let Some((start, em)) = first else {
            return Ok(None);
        };
        let Some(main) = main_report(&em) else {
            return Ok(None);
        };
        let mut columns = vec![TOWN];
        columns.extend(main.columns.iter().cloned());
        let width = columns.len();
        let mut rep = Report::new(main.title.clone(), columns);
        let rest: Vec<usize> = self.selected.get(start..).unwrap_or_default().to_vec();
        let cached = Mutex::new(Some(em));
        // Parts of several members, not a part a member.
        let part = rest.len().div_ceil(MEMBER_PARTS).max(1);
        rep.stream = Some(RowStream::over(rest.len(), part, move |range, f| {
            for j in range {
                let Some(&k) = rest.get(j) else { continue };
                let first = if j == 0 { lock(&cached).take() } else { None };
                let got = match first {
                    Some(em) => Ok(em),
                    None => self.collect(command, k),
                };
                match got {
                    Ok(em) => {
                        let town = self.town(k);
                        // Each row after its town, in one buffer (no row grown, no name
                        // copied a row).
                        let mut line = Vec::new();
                        for r in em {
                            let Emitted::Report(r) = r else { continue };
                            for row in r.rows {
                                line.clear();
                                line.push(Value::text(town));
                                line.extend(row);
                                // As wide as the county's columns (a member whose standards
                                // add columns, as stars by theme does, beside one whose do
                                // not).
                                line.resize(width, Value::Null);
                                f(&line)?;
                            }
                            break;
                        }
                    }
                    Err(e) => {
                        lock(failures).insert(k, e);
                    }
                }
            }
            Ok(())
        }));
        Ok(Some(rep))
    }

    /// The sound members' outputs as one report for people: the rows with a `town`
    /// column, a summary by town first among the tables after it, then each member's
    /// tables (with a `town` column) and notes (after its town's name). The members run
    /// in batches, two at a time, and their tables' rows go to temporary files as each
    /// batch ends ([`spool`]): a county of any size is held a batch at a time, and its
    /// rows read back as they are written. `None` when no member is sound.
    fn spooled(
        &self,
        command: &Command,
        failures: &Mutex<BTreeMap<usize, Failure>>,
    ) -> Outcome<Option<Report<'static>>> {
        const BATCH: usize = 256;
        let lang = self.ctx.lang;
        let mut main: Option<(Report<'static>, spool::Spool)> = None;
        let mut extras: Vec<(Report<'static>, spool::Spool)> = Vec::new();
        let mut summary = TownSummary::default();
        let mut notes = Vec::new();
        for batch in self.selected.chunks(BATCH) {
            let results = run_all(batch.len(), |j| {
                let k = batch.get(j).copied()?;
                Some((k, self.collect(command, k)))
            });
            for (k, r) in results.into_iter().flatten() {
                let em = match r {
                    Ok(em) => em,
                    Err(f) => {
                        summary.leave_out(k, self.town(k), report::left_out_why(&f));
                        lock(failures).insert(k, f);
                        continue;
                    }
                };
                let town = self.town(k).to_string();
                let Some(member) = em.into_iter().find_map(|e| match e {
                    Emitted::Report(r) => Some(*r),
                    Emitted::Bytes(_) => None,
                }) else {
                    continue;
                };
                summary.add(k, &town, &member);
                if main.is_none() {
                    let title = self.county_title(&member.title, &town);
                    let head = with_town(Report::new(title, member.columns.clone()));
                    main = Some((head, spool::Spool::new()?));
                }
                if let Some((head, s)) = &mut main {
                    s.push_rows(&town, &member.rows, head.columns.len())?;
                }
                for (i, x) in member.extras.iter().enumerate() {
                    if extras.len() <= i {
                        let head = with_town(Report::new(x.title.clone(), x.columns.clone()));
                        extras.push((head, spool::Spool::new()?));
                    }
                    if let Some((head, s)) = extras.get_mut(i) {
                        s.push_rows(&town, &x.rows, head.columns.len())?;
                    }
                }
                notes.extend(member.notes.iter().map(|n| format!("{town}: {n}")));
            }
        }
        let Some((mut rep, rows)) = main else {
            return Ok(None);
        };
        self.leave_out_broken(&mut summary);
        rep.stream = Some(rows.stream()?);
        let mut all = vec![summary.report(lang, true)];
        for (mut x, rows) in extras {
            x.stream = Some(rows.stream()?);
            all.push(x);
        }
        rep.extras = all;
        rep.notes = notes;
        Ok(Some(rep))
    }

    /// The title of a county's list from a member's: the member's names its town, the
    /// county's is the same with the county's name ("大王镇 2025年度…" → "广饶县 2025年度…").
    fn county_title(&self, title: &str, town: &str) -> String {
        if title.contains(town) {
            title.replacen(town, &self.county.config.name, 1)
        } else {
            msg_in!(
                self.ctx.lang,
                "{} — {}",
                "{}：{}",
                self.county.config.name,
                title
            )
        }
    }

    /// Write a county's report to `--output` or standard output: all of it, or — when
    /// `sound()` says so after the rows are made — nothing.
    fn write(&self, rep: &Report, sound: impl Fn() -> bool) -> Outcome<()> {
        let ctx = self.ctx;
        let unsound = || io::Error::other(AbortedWrite);
        let bytes_of = |w: &mut dyn Write| -> io::Result<()> {
            if ctx.format == Format::Csv && ctx.global.bom {
                w.write_all(b"\xEF\xBB\xBF")?;
            }
            rep.write(ctx.format, ctx.lang, w)?;
            if sound() {
                Ok(())
            } else {
                Err(unsound())
            }
        };
        if ctx.format == Format::Xlsx {
            let bytes = crate::render::xlsx::render(rep, ctx.lang)?;
            if !sound() {
                return Ok(());
            }
            return ctx.emit_bytes(&bytes);
        }
        let result = match &ctx.global.output {
            Some(path) => crate::output::write_atomic_with(path, bytes_of),
            None => {
                // Standard output cannot be taken back: the rows go to a file first, and
                // to standard output once every member is sound.
                // A spool that cannot be made or filled is named (TMPDIR), not an `os error`.
                let folder = std::env::temp_dir();
                let spool_failed = |e: &io::Error| {
                    let (dir, why) = (folder.display(), crate::output::reason(e));
                    anyhow::anyhow!(msg!(
                        "cannot hold the county's output in a temporary file in {dir} until every town is sound: {why}; expected TMPDIR to name a folder that can be written, with room for the output (or --output FILE)",
                        "无法在 {dir} 中建立临时文件，以便在各镇（街道）均无问题后再输出：{why}；TMPDIR 应为可写入且有足够空间的文件夹（或改用 --output 文件）"
                    ))
                };
                let mut spool = tempfile::tempfile_in(&folder).map_err(|e| spool_failed(&e))?;
                let made = {
                    let mut w = io::BufWriter::with_capacity(1 << 16, &mut spool);
                    bytes_of(&mut w).and_then(|()| w.flush())
                };
                match made {
                    Ok(()) => {
                        io::Seek::rewind(&mut spool).map_err(|e| spool_failed(&e))?;
                        crate::output::emit_with(&ctx.global.workspace, None, |w| {
                            io::copy(&mut spool, w).map(|_| ())
                        })
                    }
                    Err(e) if is_aborted(&e) => Err(e.into()),
                    Err(e) => Err(spool_failed(&e)),
                }
            }
        };
        match result {
            Err(e) if e.chain().any(is_aborted) => Ok(()),
            other => Ok(other?),
        }
    }

    /// `--output-dir DIR`: each sound member's list in `DIR/FOLDER/STEM-YEAR.EXT`, and the
    /// summary by town in `DIR/STEM-YEAR-towns.EXT`. The files are made in a folder of
    /// their own inside DIR and moved into place only when all are made (and every member
    /// is sound, unless `--keep-going`).
    fn write_dir(&self, command: &Command, out: &Path, stem: &str) -> Outcome<()> {
        let ctx = self.ctx;
        let ext = match ctx.format {
            Format::Table => "txt",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        };
        let year = self.year.map(|y| y.to_string()).unwrap_or_default();
        let name = format!("{stem}-{year}.{ext}");
        self.refuse_output_dir(out)?;
        // The new set of files is made beside `out` and switched in at once (see Staged).
        let stage = crate::output::Staged::new(out)?;
        let summary = Mutex::new(TownSummary::default());
        let failures: Mutex<BTreeMap<usize, Failure>> = Mutex::new(BTreeMap::new());
        let made = run_all(self.selected.len(), |j| {
            let k = self.selected.get(j).copied()?;
            let member = self.county.members.get(k)?;
            let written = self.collect(command, k).and_then(|em| {
                let rep =
                    main_report(&em).ok_or_else(|| Failure::Other(anyhow::anyhow!("no list")))?;
                lock(&summary).add(k, member.town(), rep);
                let rel = format!("{}/{name}", member.folder);
                let bytes = self.bytes_of(rep)?;
                let path = stage.path().join(&rel);
                // Not `create_dir_all`: a staging folder removed by a signal is not made again.
                let folder = std::fs::create_dir(stage.path().join(&member.folder));
                folder
                    .or_else(|e| match e.kind() {
                        io::ErrorKind::AlreadyExists => Ok(()),
                        _ => Err(e),
                    })
                    .and_then(|()| std::fs::write(&path, bytes))
                    .map_err(|e| cannot_write(&out.join(&rel), &e))?;
                Ok(rel)
            });
            match written {
                Ok(rel) => Some(rel),
                Err(f) => {
                    lock(&summary).leave_out(k, self.town(k), report::left_out_why(&f));
                    lock(&failures).insert(k, f);
                    None
                }
            }
        });
        let failures = failures.into_inner().unwrap_or_default();
        let sound = failures.is_empty() && lock(&self.broken).is_empty();
        if !sound && !ctx.global.keep_going {
            return Err(self.failed(&Mutex::new(failures), false));
        }
        let summary_name = format!("{stem}-{year}-towns.{ext}");
        let mut summary = summary.into_inner().unwrap_or_default();
        self.leave_out_broken(&mut summary);
        let summary_rep =
            summary.report(ctx.lang, !matches!(ctx.format, Format::Csv | Format::Json));
        std::fs::write(
            stage.path().join(&summary_name),
            self.bytes_of(&summary_rep)?,
        )
        .map_err(|e| cannot_write(&out.join(&summary_name), &e))?;
        // Every file made, none of them found to be an input: the set switched in at once.
        let rels: Vec<String> = made.into_iter().flatten().chain([summary_name]).collect();
        let targets: Vec<std::path::PathBuf> = rels.iter().map(|r| out.join(r)).collect();
        refuse_input(self.county, &targets)?;
        stage.commit()?;
        if sound {
            Ok(())
        } else {
            Err(self.failed(&Mutex::new(failures), true))
        }
    }

    /// `--output-dir DIR` is switched whole for its new set of files: it must not be (or
    /// hold) a folder the county's files are read from, nor the current folder (or one
    /// above it), where a shell would be left in the old folder. Compared by file
    /// (device and inode), as inputs are.
    fn refuse_output_dir(&self, out: &Path) -> Outcome<()> {
        use crate::output::{file_key, FileKey};
        let Some(key) = file_key(out) else {
            return Ok(());
        };
        let shown = out.display();
        // The folder and every folder above it, up to the root (or up to `stop`).
        let ups = |from: &Path, seen: &mut std::collections::HashSet<FileKey>| -> bool {
            let real = from.canonicalize().unwrap_or_else(|_| from.to_path_buf());
            for a in real.ancestors() {
                match file_key(a) {
                    Some(k) if k == key => return true,
                    Some(k) if !seen.insert(k) => break,
                    _ => {}
                }
            }
            false
        };
        let mut seen = std::collections::HashSet::new();
        let cwd = std::env::current_dir().unwrap_or_default();
        if ups(&cwd, &mut std::collections::HashSet::new()) {
            return Err(anyhow::anyhow!(msg!(
                "--output-dir {shown} is the current folder or holds it; its new set of files replaces it whole: expected a folder of its own, such as out",
                "--output-dir {shown} 是当前文件夹或包含当前文件夹；新的一组文件会整体替换它：应为单独的文件夹，如 out"
            ))
            .into());
        }
        let county = &self.county;
        let mut inputs = vec![county.dir.clone(), county.dir.join("standards")];
        for m in &county.members {
            inputs.push(m.dir.clone());
        }
        let holds = inputs.iter().any(|d| ups(d, &mut seen))
            || county.members.iter().any(|m| {
                let name = out.file_name().map(|n| n.to_string_lossy().into_owned());
                let input_folder = name.is_some_and(|n| {
                    n == "standards" || (n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
                });
                input_folder && out.parent().and_then(file_key) == file_key(&m.dir)
            });
        if holds {
            return Err(anyhow::anyhow!(msg!(
                "--output-dir {shown} is or holds a folder of the county's files; its new set of files replaces it whole: expected a folder of its own, such as out",
                "--output-dir {shown} 是或包含县（区）工作区的文件夹；新的一组文件会整体替换它：应为单独的文件夹，如 out"
            ))
            .into());
        }
        Ok(())
    }

    /// The members whose stars.toml could not be read, left out of a summary by town
    /// after the others (they have no place in the county's order).
    fn leave_out_broken(&self, summary: &mut TownSummary) {
        for (shown, p) in lock(&self.broken).iter() {
            let why = report::left_out_why(&Failure::Invalid(p.clone()));
            summary.leave_out(usize::MAX, shown, why);
        }
    }

    /// A report as the bytes of a file in the chosen format.
    fn bytes_of(&self, rep: &Report) -> Outcome<Vec<u8>> {
        let ctx = self.ctx;
        if ctx.format == Format::Xlsx {
            return Ok(crate::render::xlsx::render(rep, ctx.lang)?);
        }
        let mut out = Vec::new();
        if ctx.format == Format::Csv && ctx.global.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        rep.write(ctx.format, ctx.lang, &mut out)?;
        Ok(out)
    }

    /// The failure of a county run: every member's problems; with `--keep-going`, after a
    /// line naming the towns that were not written.
    fn failed(&self, failures: &Mutex<BTreeMap<usize, Failure>>, written: bool) -> Failure {
        let failures = std::mem::take(&mut *lock(failures));
        let mut problems = Problems::new();
        let mut towns = Vec::new();
        for (shown, p) in std::mem::take(&mut *lock(&self.broken)) {
            towns.push(shown);
            problems.extend(p);
        }
        for (k, f) in failures {
            towns.push(self.town(k).to_string());
            problems.extend(self.problems_of(k, f));
        }
        if written {
            let n = towns.len();
            let list = crate::i18n::list(&towns.join(", "));
            super::warn(&msg!(
                "warning: {n} town(s) not written (--keep-going): {list}\n",
                "提示：有 {n} 个镇（街道）因有问题未输出（--keep-going）：{list}\n"
            ));
        }
        problems.into()
    }
}

/// A file of `--output-dir` that could not be made, named as it would be (never the
/// staging folder).
fn cannot_write(target: &Path, e: &io::Error) -> Failure {
    let (shown, why) = (target.display(), crate::output::reason(e));
    Failure::Other(anyhow::anyhow!(msg!(
        "cannot write {shown}: {why}",
        "无法写入 {shown}：{why}"
    )))
}

fn member_problem(towns: &Towns, k: usize, message: String) -> Problems {
    let shown = towns
        .county
        .members
        .get(k)
        .map_or_else(String::new, |m| m.shown.clone());
    one_problem(Problem::file(shown, message))
}

fn one_problem(p: Problem) -> Problems {
    let mut problems = Problems::new();
    problems.push(p);
    problems
}

/// The marker of a write given up because a member was not sound.
#[derive(Debug)]
struct AbortedWrite;

impl std::fmt::Display for AbortedWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a member is not sound")
    }
}

impl std::error::Error for AbortedWrite {}

fn is_aborted(e: &(dyn std::error::Error + 'static)) -> bool {
    e.downcast_ref::<io::Error>()
        .and_then(|e| e.get_ref())
        .is_some_and(|inner| inner.is::<AbortedWrite>())
        || e.is::<AbortedWrite>()
}

/// The main list a command emitted.
fn main_report(em: &[Emitted]) -> Option<&Report<'static>> {
    em.iter().find_map(|e| match e {
        Emitted::Report(r) => Some(&**r),
        Emitted::Bytes(_) => None,
    })
}

/// A report with a `town` column before its own.
fn with_town(mut rep: Report<'static>) -> Report<'static> {
    rep.columns.insert(0, TOWN);
    rep.chart = None;
    rep
}

/// Counts by town of a list's rows: its rows, and, when it has them, stars and tiers.
#[derive(Default)]
struct TownSummary {
    /// Each town with its place in the county's order, and its counts, or why it was left
    /// out (`--keep-going`).
    towns: Vec<(usize, String, Result<Counts, String>)>,
    /// Which columns the lists had.
    has_star: bool,
    has_open: bool,
    tiers: BTreeSet<String>,
}

#[derive(Default)]
struct Counts {
    rows: i64,
    /// By star, 0 to 5.
    stars: [i64; 6],
    tiers: BTreeMap<String, i64>,
    /// Open rectification items (the adjustment's `open` column).
    open: i64,
}

impl TownSummary {
    /// The counts of town number `order` (in the county's order).
    fn add(&mut self, order: usize, town: &str, rep: &Report) {
        let mut c = Counts::default();
        for row in &rep.rows {
            self.count(&rep.columns, row, &mut c);
        }
        self.towns.push((order, town.to_string(), Ok(c)));
    }

    /// A town left out (`--keep-going`), with why: a row of its own, counted nowhere.
    fn leave_out(&mut self, order: usize, town: &str, why: String) {
        self.towns.push((order, town.to_string(), Err(why)));
    }

    /// Count one row of a list with `columns` into `c`.
    fn count(&mut self, columns: &[Column], row: &[Value], c: &mut Counts) {
        let col = |key: &str| columns.iter().position(|c| c.key == key);
        let (star, tier, open) = (col("star"), col("tier"), col("open"));
        c.rows += 1;
        if let Some(s) = star.and_then(|i| row.get(i)).and_then(star_of) {
            self.has_star = true;
            if let Some(n) = c.stars.get_mut(s) {
                *n += 1;
            }
        }
        if let Some(Value::Int(n)) = open.and_then(|i| row.get(i)) {
            self.has_open = true;
            c.open += n;
        }
        if let Some(Value::Code(Code::Tier, t)) = tier.and_then(|i| row.get(i)) {
            if !self.tiers.contains(t.as_ref()) {
                self.tiers.insert(t.to_string());
            }
            match c.tiers.get_mut(t.as_ref()) {
                Some(n) => *n += 1,
                None => {
                    c.tiers.insert(t.to_string(), 1);
                }
            }
        }
    }

    /// The summary as a table: a row per town and one for all (`all` for machines), with
    /// a chart of the stars.
    fn report(&self, lang: Lang, human: bool) -> Report<'static> {
        let mut columns = vec![TOWN, Column::new("rows", "Rows", "条数")];
        if self.has_star {
            columns = vec![TOWN, Column::new("branches", "Branches", "支部数")];
            columns.extend(super::evaluate::STAR_COLUMNS);
            columns.push(Column::new("five_share", "5★ share %", "五星占比%"));
        }
        if self.has_open {
            columns.push(Column::new("open", "Open items", "未完成整改"));
        }
        let tiers: Vec<String> = self.tiers.iter().cloned().collect();
        for t in &tiers {
            let shown = crate::render::codes::show(Code::Tier, t, lang).into_owned();
            columns.push(Column {
                key: format!("tier_{t}").into(),
                en: shown.clone().into(),
                zh: shown.into(),
            });
        }
        let left_out = self.towns.iter().any(|(_, _, c)| c.is_err());
        if left_out {
            columns.push(Column::new("left_out", "Left out", "未输出原因"));
        }
        let width = columns.len();
        // Towns come in the order their members finished: put in the county's order once,
        // here.
        let mut towns: Vec<&(usize, String, Result<Counts, String>)> = self.towns.iter().collect();
        towns.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut rep = Report::new(lang.t("By town", "各镇（街道）汇总"), columns);
        let mut all = Counts::default();
        let row_of = |town: String, c: &Counts| {
            let mut row = vec![Value::text(town), Value::Int(c.rows)];
            if self.has_star {
                row.extend(
                    (0..6)
                        .rev()
                        .map(|s| Value::Int(c.stars.get(s).copied().unwrap_or(0))),
                );
                row.push(share(c.stars.get(5).copied().unwrap_or(0), c.rows));
            }
            if self.has_open {
                row.push(Value::Int(c.open));
            }
            row.extend(
                tiers
                    .iter()
                    .map(|t| Value::Int(c.tiers.get(t).copied().unwrap_or(0))),
            );
            row
        };
        for (_, town, c) in towns {
            let c = match c {
                Ok(c) => c,
                Err(why) => {
                    let mut row = vec![Value::text(town.clone())];
                    row.resize(width - 1, Value::Null);
                    row.push(Value::text(why.clone()));
                    rep.rows.push(row);
                    continue;
                }
            };
            let mut row = row_of(town.clone(), c);
            if left_out {
                row.push(Value::Null);
            }
            rep.rows.push(row);
            all.rows += c.rows;
            for (a, n) in all.stars.iter_mut().zip(c.stars) {
                *a += n;
            }
            for (t, n) in &c.tiers {
                *all.tiers.entry(t.clone()).or_default() += n;
            }
            all.open += c.open;
        }
        if self.has_star {
            rep.chart = Some(ChartSpec {
                kind: ChartKind::StackedBar,
                title: rep.title.clone(),
                category: 0,
                values: (2..=7).collect(),
                rows: Some(rep.rows.len()),
            });
        }
        let all_label = if human {
            lang.t("all", "合计")
        } else {
            "all"
        };
        let mut row = row_of(all_label.to_string(), &all);
        if left_out {
            row.push(Value::Null);
        }
        rep.rows.push(row);
        rep
    }
}

/// A star from a list's `star` cell: a number (CSV, JSON) or ★ marks (for people).
fn star_of(v: &Value) -> Option<usize> {
    match v {
        Value::Int(n) => usize::try_from(*n).ok().filter(|n| *n <= 5),
        Value::Text(s) => Some(s.chars().filter(|c| *c == '★').count()),
        _ => None,
    }
}

/// `part` of `whole` as a percentage with two places, rounded half up; blank for none.
fn share(part: i64, whole: i64) -> Value<'static> {
    if whole == 0 {
        return Value::Null;
    }
    let d = Decimal::from(part) * Decimal::from(100) / Decimal::from(whole);
    Value::Dec(crate::decimal::round_half_up(d, 2))
}

/// `--town` (or `--output-dir`) on a workspace that is not a county: the rows of the
/// branches of those towns (by the `town` column of branches.csv), with a summary by town
/// for people in place of the workspace's own summaries.
pub fn run_town_view(command: &Command, ctx: &Ctx) -> Outcome<()> {
    if ctx.global.output_dir.is_some() {
        return Err(Failure::Usage(
            crate::i18n::tr(
                "--output-dir writes a file per town of a county; this workspace is not a county (no `members` in its stars.toml)",
                "--output-dir 用于县（区）工作区，为每个镇（街道）各写一个文件；此工作区不是县（区）工作区（stars.toml 中没有 members）",
            )
            .to_string(),
        ));
    }
    if file_stem(command).is_none() {
        return run_here(command, ctx);
    }
    let mctx = Ctx {
        global: ctx.global.clone(),
        format: ctx.format,
        lang: ctx.lang,
        member: Some(MemberRun {
            county: None,
            collect: true,
            kept: Mutex::new(Vec::new()),
            towns: ctx.global.town.clone(),
            branch_towns: Mutex::new(BTreeMap::new()),
        }),
    };
    run_here(command, &mctx)?;
    let Some(run) = mctx.member else {
        return Ok(());
    };
    // Every town: written by the command already (`emit_all_towns`).
    if ctx.global.town.is_empty() {
        return Ok(());
    }
    let branch_towns = run.branch_towns.into_inner().unwrap_or_default();
    let kept = run.kept.into_inner().unwrap_or_default();
    let Some(rep) = kept.into_iter().find_map(|e| match e {
        Emitted::Report(r) => Some(*r),
        Emitted::Bytes(_) => None,
    }) else {
        return Ok(());
    };
    let human = !matches!(ctx.format, Format::Csv | Format::Json);
    ctx.emit_report(&filter_towns(rep, &branch_towns, human, ctx.lang))
}

/// Every town of a workspace (`run_town_view` without `--town`): the command's own tables,
/// and for people a summary by town first among the tables after the list, counted from
/// the rows as they are made; the rows are not held (a province's workbook is written
/// as its rows come, see render::xlsx).
pub fn emit_all_towns(ctx: &Ctx, run: &MemberRun, rep: &Report, bom: bool) -> Outcome<()> {
    let human = !matches!(ctx.format, Format::Csv | Format::Json);
    let branch_towns = lock(&run.branch_towns);
    let towns: BTreeSet<&String> = branch_towns.values().collect();
    if !human || towns.len() < 2 {
        drop(branch_towns);
        return ctx.write_report(rep, bom);
    }
    let summary = summary_by_town(rep, &branch_towns, ctx.lang);
    drop(branch_towns);
    // The same report, its rows those of `rep` as they are made, the summary first.
    let mut extras = vec![summary];
    extras.extend(rep.extras.iter().map(Report::to_static));
    let all = Report {
        title: rep.title.clone(),
        columns: rep.columns.clone(),
        rows: Vec::new(),
        stream: Some(RowStream::over(1, 1, move |_, f| rep.each_row(f))),
        extras,
        notes: rep.notes.clone(),
        preface: rep.preface.clone(),
        signature: rep.signature.clone(),
        chart: rep.chart.clone(),
        choices: rep.choices.clone(),
    };
    ctx.write_report(&all, bom)
}

/// The summary by town of a workspace's list, the town of each row from its branch,
/// counted as the rows are made (none is kept).
fn summary_by_town(rep: &Report, towns: &BTreeMap<String, String>, lang: Lang) -> Report<'static> {
    let b = rep.columns.iter().position(|c| c.key == "branch");
    let mut summary = TownSummary::default();
    let mut by_town: BTreeMap<String, Counts> = BTreeMap::new();
    let _ = rep.each_row(&mut |row| {
        let town = b
            .and_then(|i| row.get(i))
            .and_then(|v| match v {
                Value::Text(id) => towns.get(id.as_ref()).map(String::as_str),
                _ => None,
            })
            .unwrap_or_default();
        let counts = match by_town.get_mut(town) {
            Some(c) => c,
            None => by_town.entry(town.to_string()).or_default(),
        };
        summary.count(&rep.columns, row, counts);
        Ok(())
    });
    summary.towns = (by_town.into_iter().enumerate())
        .map(|(k, (town, c))| (k, town, Ok(c)))
        .collect();
    summary.report(lang, true)
}

/// The rows of a report (and of its tables that list branches) whose branch is one of
/// `towns`; the summaries of the whole workspace give way to one by town.
fn filter_towns(
    rep: Report<'static>,
    towns: &BTreeMap<String, String>,
    human: bool,
    lang: Lang,
) -> Report<'static> {
    let keep = |r: Report<'static>| -> Option<Report<'static>> {
        let b = r.columns.iter().position(|c| c.key == "branch")?;
        let mut r = r;
        r.rows.retain(|row| match row.get(b) {
            Some(Value::Text(id)) => towns.contains_key(id.as_ref()),
            _ => false,
        });
        Some(r)
    };
    if !rep.columns.iter().any(|c| c.key == "branch") {
        return rep;
    }
    let mut rep = rep;
    let extras = std::mem::take(&mut rep.extras);
    rep.notes.clear();
    let Some(mut rep) = keep(rep) else {
        return Report::new(String::new(), Vec::new());
    };
    if human {
        rep.extras.push(summary_by_town(&rep, towns, lang));
        rep.extras.extend(extras.into_iter().filter_map(keep));
    }
    rep
}
