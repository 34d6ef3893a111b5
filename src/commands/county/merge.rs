//! A county's output to standard output or `--output`: its members' results merged
//! into one report (streamed for machines, spooled for people) and written whole or not
//! at all.

use super::members::Towns;
use super::summary::TownSummary;
use super::{lock, report, spool, Emitted, TOWN};
use crate::cli::Command;
use crate::i18n::{msg, msg_in};
use crate::problem::{Failure, Outcome};
use crate::render::{Format, Report};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Mutex;

impl Towns<'_> {
    /// The county's output to standard output or `--output`: for machines the rows of
    /// every member, streamed; for people (and a workbook) the rows with a summary by town
    /// and each member's tables.
    pub(super) fn merged(&self, command: &Command) -> Outcome<()> {
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

    /// The sound members' outputs as one report for people: the rows with a `town`
    /// column, a summary by town first among the tables after it, then each member's
    /// tables (with a `town` column) and notes (after its town's name). The members run
    /// in batches, two at a time, and their tables' rows go to temporary files as each
    /// batch ends ([`spool`]): a county of any size is held a batch at a time, and its
    /// rows read back as they are written. `None` when no member is sound.
    pub(super) fn spooled(
        &self,
        command: &Command,
        failures: &Mutex<BTreeMap<usize, Failure>>,
    ) -> Outcome<Option<Report<'static>>> {
        let mut spooled = Spooled::default();
        self.in_batches(
            |k| self.collect(command, k),
            |k, r| {
                let em = match r {
                    Ok(em) => em,
                    Err(f) => {
                        let why = report::left_out_why(&f);
                        spooled.summary.leave_out(k, self.town(k), why);
                        lock(failures).insert(k, f);
                        return Ok(());
                    }
                };
                let member = em.into_iter().find_map(|e| match e {
                    Emitted::Report(r) => Some(*r),
                    Emitted::Bytes(_) => None,
                });
                match member {
                    Some(member) => spooled.add(self, k, &member),
                    None => Ok(()),
                }
            },
        )?;
        let Spooled {
            main,
            extras,
            mut summary,
            notes,
        } = spooled;
        let Some((mut rep, rows)) = main else {
            return Ok(None);
        };
        self.leave_out_broken(&mut summary);
        rep.stream = Some(rows.stream()?);
        let mut all = vec![summary.report(self.ctx.lang, true)];
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
    pub(super) fn county_title(&self, title: &str, town: &str) -> String {
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
    pub(super) fn write(&self, rep: &Report, sound: impl Fn() -> bool) -> Outcome<()> {
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
}

/// The tables of the members run so far, their rows spooled (see [`Towns::spooled`]).
#[derive(Default)]
struct Spooled {
    /// The list, its head (with the county's title) and its rows.
    main: Option<(Report<'static>, spool::Spool)>,
    /// The members' other tables, by place.
    extras: Vec<(Report<'static>, spool::Spool)>,
    summary: TownSummary,
    /// Each member's notes, after its town's name.
    notes: Vec<String>,
}

impl Spooled {
    /// Member `k`'s report: counted, its rows and its tables' rows spooled after its town.
    fn add(&mut self, towns: &Towns, k: usize, member: &Report<'static>) -> Outcome<()> {
        let town = towns.town(k).to_string();
        self.summary.add(k, &town, member);
        if self.main.is_none() {
            let title = towns.county_title(&member.title, &town);
            let head = with_town(Report::new(title, member.columns.clone()));
            self.main = Some((head, spool::Spool::new()?));
        }
        if let Some((head, s)) = &mut self.main {
            s.push_rows(&town, &member.rows, head.columns.len())?;
        }
        for (i, x) in member.extras.iter().enumerate() {
            if self.extras.len() <= i {
                let head = with_town(Report::new(x.title.clone(), x.columns.clone()));
                self.extras.push((head, spool::Spool::new()?));
            }
            if let Some((head, s)) = self.extras.get_mut(i) {
                s.push_rows(&town, &x.rows, head.columns.len())?;
            }
        }
        self.notes
            .extend(member.notes.iter().map(|n| format!("{town}: {n}")));
        Ok(())
    }
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

/// A report with a `town` column before its own.
fn with_town(mut rep: Report<'static>) -> Report<'static> {
    rep.columns.insert(0, TOWN);
    rep.chart = None;
    rep
}
