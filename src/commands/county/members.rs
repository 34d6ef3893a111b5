//! The members a county's command runs on ([`Towns`]): finding them (`--town`, the one
//! holding a branch), running the command on each with a context of its own, and the
//! stream of their rows for machines, made as it is written.

use super::summary::TownSummary;
use super::{lock, main_report, report, run_all, run_here, Ctx, Emitted, MemberRun, TOWN};
use crate::cli::Command;
use crate::i18n::msg;
use crate::problem::{Failure, Outcome, Problem, Problems};
use crate::render::{Format, Report, RowStream, Value};
use crate::workspace::{County, Workspace};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// About how many parts a county's streamed rows are cut into: a part is several members
/// (a part is the unit both cores take in turn), and each part's rows are held once
/// rendered, until written (see `RowStream`).
const MEMBER_PARTS: usize = 64;

/// Members run at a time (two at once, one per core) by [`Towns::in_batches`].
const BATCH: usize = 256;

/// The members of a county a command runs on.
pub(super) struct Towns<'a> {
    pub(super) ctx: &'a Ctx,
    pub(super) county: &'a Arc<County>,
    /// Indices into the county's members, in town order.
    pub(super) selected: Vec<usize>,
    pub(super) year: Option<i32>,
    /// Members that could not be read (folder, problems): never sound.
    pub(super) broken: Mutex<Vec<(String, Problems)>>,
}

/// What a member's run gave: what it emitted, or why it could not.
pub(super) type MemberResult = Result<Vec<Emitted>, Failure>;

impl Towns<'_> {
    pub(super) fn town(&self, k: usize) -> &str {
        self.county.members.get(k).map_or("", |m| m.town())
    }

    /// A context for member `k`: its folder, the county's year and language.
    pub(super) fn member_ctx(&self, k: usize, collect: bool) -> Ctx {
        self.member_ctx_as(k, collect, self.ctx.format)
    }

    /// [`Towns::member_ctx`] writing `format`.
    pub(super) fn member_ctx_as(&self, k: usize, collect: bool, format: Format) -> Ctx {
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
    pub(super) fn collect(&self, command: &Command, k: usize) -> MemberResult {
        self.collect_as(command, k, self.ctx.format)
    }

    /// [`Towns::collect`] in `format` (CSV: numbers and codes, for counting).
    pub(super) fn collect_as(&self, command: &Command, k: usize, format: Format) -> MemberResult {
        let mctx = self.member_ctx_as(k, true, format);
        run_here(command, &mctx)?;
        Ok(mctx
            .member
            .map(|m| m.kept.into_inner().unwrap_or_default())
            .unwrap_or_default())
    }

    /// Run the command on member `k`, writing its output as on a town.
    pub(super) fn run_through(&self, command: &Command, k: usize) -> Outcome<()> {
        run_here(command, &self.member_ctx(k, false))
    }

    /// The one member a command that works on one town runs on: `--town` must name it.
    pub(super) fn one(&self, command: &Command) -> Outcome<usize> {
        match self.selected.as_slice() {
            [k] => Ok(*k),
            _ => {
                let cmd = crate::commands::name(command);
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
    pub(super) fn member_of(&self, branch: &str) -> Outcome<usize> {
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
    pub(super) fn check(&self) -> Outcome<()> {
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
    pub(super) fn problems_of(&self, k: usize, f: Failure) -> Problems {
        match f {
            Failure::Invalid(p) => p,
            Failure::Other(e) => member_problem(self, k, format!("{e:#}")),
            Failure::Usage(m) => member_problem(self, k, m),
        }
    }

    /// The rows of every member as one report for machines: a `town` column first, the
    /// members' rows made as they are written (two members at a time). The first sound
    /// member, run first, gives the columns. `None` when no member is sound.
    pub(super) fn streamed<'s>(
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
                    Ok(em) => self.rows_with_town(k, em, width, f)?,
                    Err(e) => {
                        lock(failures).insert(k, e);
                    }
                }
            }
            Ok(())
        }));
        Ok(Some(rep))
    }

    /// Member `k`'s rows (of the main list it emitted, `em`) to `f`, each after its town,
    /// `width` values wide.
    fn rows_with_town(
        &self,
        k: usize,
        em: Vec<Emitted>,
        width: usize,
        f: &mut dyn FnMut(&[Value]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let town = self.town(k);
        // Each row after its town, in one buffer (no row grown, no name copied a row).
        let mut line = Vec::new();
        for r in em {
            let Emitted::Report(r) = r else { continue };
            for row in r.rows {
                line.clear();
                line.push(Value::text(town));
                line.extend(row);
                // As wide as the county's columns (a member whose standards add columns,
                // as stars by theme does, beside one whose do not).
                line.resize(width, Value::Null);
                f(&line)?;
            }
            break;
        }
        Ok(())
    }

    /// `run` on every selected member, in batches of [`BATCH`] (two at a time, one per
    /// core), each result given to `take` in the county's order as its batch ends: a
    /// county of any size is held a batch at a time.
    pub(super) fn in_batches<T: Send>(
        &self,
        run: impl Fn(usize) -> T + Sync,
        mut take: impl FnMut(usize, T) -> Outcome<()>,
    ) -> Outcome<()> {
        for batch in self.selected.chunks(BATCH) {
            let results = run_all(batch.len(), |j| {
                let k = batch.get(j).copied()?;
                Some((k, run(k)))
            });
            for (k, r) in results.into_iter().flatten() {
                take(k, r)?;
            }
        }
        Ok(())
    }

    /// The members whose stars.toml could not be read, left out of a summary by town
    /// after the others (they have no place in the county's order).
    pub(super) fn leave_out_broken(&self, summary: &mut TownSummary) {
        for (shown, p) in lock(&self.broken).iter() {
            let why = report::left_out_why(&Failure::Invalid(p.clone()));
            summary.leave_out(usize::MAX, shown, why);
        }
    }

    /// The failure of a county run: every member's problems; with `--keep-going`, after a
    /// line naming the towns that were not written.
    pub(super) fn failed(
        &self,
        failures: &Mutex<BTreeMap<usize, Failure>>,
        written: bool,
    ) -> Failure {
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
            crate::commands::warn(&msg!(
                "warning: {n} town(s) not written (--keep-going): {list}\n",
                "提示：有 {n} 个镇（街道）因有问题未输出（--keep-going）：{list}\n"
            ));
        }
        problems.into()
    }
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
