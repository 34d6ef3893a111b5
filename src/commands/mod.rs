//! One file per subcommand. Each loads what it needs, computes, and returns its output.

pub mod adjust;
pub mod check;
pub mod completions;
pub mod county;
pub mod evaluate;
pub mod exchange;
pub mod explain;
pub mod explain_records;
mod handout;
pub mod history;
pub mod init;
pub mod man;
pub mod publicity;
pub mod record_templates;
pub mod rectify;
pub mod report;
pub mod standards;
pub mod template;
pub mod tiers;

use crate::cli::{Command, Global, StandardsCommand};
use crate::followup::adjust::{Adjuster, Adjustment, Evaluated};
use crate::followup::rectify::year_items;
use crate::i18n::{msg, Lang};
use crate::problem::{Failure, Outcome, Problem, Problems};
use crate::rate::{rate_year, rate_year_into, Rating};
use crate::render::{Format, Report};
use crate::workspace::{Workspace, YearData};

/// What every command is given.
pub struct Ctx {
    pub global: Global,
    pub format: Format,
    pub lang: Lang,
    /// Set when the command runs on one member of a county ([`county`]): the workspace is
    /// that member, and what it emits is kept for the county's output.
    pub member: Option<county::MemberRun>,
}

impl Ctx {
    pub fn new(global: Global, format: Format, lang: Lang) -> Ctx {
        Ctx {
            global,
            format,
            lang,
            member: None,
        }
    }
}

/// A workspace with one year loaded and rated.
pub struct Rated {
    pub ws: Workspace,
    pub data: YearData,
    /// By branch index, in branch id order.
    pub ratings: Vec<(usize, Rating)>,
}

impl Ctx {
    pub fn workspace(&self) -> Outcome<Workspace> {
        let mut problems = Problems::new();
        match self.load_workspace(&mut problems) {
            Some(ws) if problems.is_empty() => Ok(ws),
            _ => Err(problems.into()),
        }
    }

    /// The workspace (a county's member when this runs on one), its problems pushed.
    pub fn load_workspace(&self, problems: &mut Problems) -> Option<Workspace> {
        match &self.member {
            Some(m) => m.load(&self.global.workspace, self.global.encoding, problems),
            None => Workspace::load(&self.global.workspace, self.global.encoding, problems),
        }
    }

    /// The year asked for, or the workspace's latest.
    pub fn year(&self, ws: &Workspace) -> Outcome<i32> {
        let year = self.global.year.or_else(|| ws.latest_year());
        match year {
            Some(y) if ws.config.years.contains_key(&y) => Ok(y),
            _ => {
                let mut p = Problems::new();
                let years: Vec<String> = ws.years().iter().map(i32::to_string).collect();
                let (year, years) = (
                    year.map(|y| y.to_string()).unwrap_or_default(),
                    crate::i18n::list(&years.join(", ")),
                );
                p.push(Problem::file(
                    crate::workspace::join_shown(&ws.shown, "stars.toml"),
                    msg!(
                        "no year {year} in this workspace; expected one of: {years}",
                        "本工作区没有 {year} 年度；应为以下之一：{years}"
                    ),
                ));
                Err(p.into())
            }
        }
    }

    /// Load and rate one year.
    pub fn rated(&self) -> Outcome<Rated> {
        let mut rated = self.loaded()?;
        rated.ratings = rate_year(&rated.ws, &rated.data);
        crate::timing::mark("rating");
        Ok(rated)
    }

    /// Load one year, not rated yet (`ratings` empty): for lists that rate as they write.
    pub fn loaded(&self) -> Outcome<Rated> {
        self.load(true)
    }

    /// Load one year without its reviews (not rated, and `reviews` empty): for the
    /// rectification items, which the reviews do not change.
    pub fn loaded_for_items(&self) -> Outcome<Rated> {
        self.load(false)
    }

    fn load(&self, with_reviews: bool) -> Outcome<Rated> {
        let ws = self.workspace()?;
        let year = self.year(&ws)?;
        warn(&unread_warnings(&ws, year));
        crate::timing::mark("workspace");
        let data = if with_reviews {
            loaded(|p| ws.load_year_for_ratings(year, p))?
        } else {
            loaded(|p| ws.load_year_for_items(year, p))?
        };
        Ok(Rated {
            ws,
            data,
            ratings: Vec::new(),
        })
    }

    /// Print or write the output.
    pub fn emit(&self, text: &str) -> Outcome<()> {
        self.emit_bytes(text.as_bytes())
    }

    /// Print or write bytes.
    pub fn emit_bytes(&self, bytes: &[u8]) -> Outcome<()> {
        if let Some(m) = self.member.as_ref().filter(|m| m.collects()) {
            m.keep(county::Emitted::Bytes(bytes.to_vec()));
            return Ok(());
        }
        crate::output::emit(&self.global.workspace, self.global.output.as_deref(), bytes)?;
        Ok(())
    }

    /// Print or write a report in the chosen format: a workbook for `xlsx` (which needs
    /// `--output`), CSV with a byte-order mark when `--bom` is given.
    pub fn emit_report(&self, rep: &Report) -> Outcome<()> {
        self.emit_report_bom(rep, self.global.bom)
    }

    /// [`Ctx::emit_report`], with a byte-order mark before CSV when `bom`.
    pub fn emit_report_bom(&self, rep: &Report, bom: bool) -> Outcome<()> {
        if let Some(m) = self.member.as_ref().filter(|m| m.collects()) {
            // Every town of a workspace: written here, while the rows can still be made.
            if m.is_town_view_of_all() {
                return county::emit_all_towns(self, m, rep, bom);
            }
            m.keep(county::Emitted::Report(Box::new(rep.to_static())));
            return Ok(());
        }
        self.write_report(rep, bom)
    }

    /// Print or write a report as it is (what [`Ctx::emit_report_bom`] does outside a
    /// county's run).
    pub fn write_report(&self, rep: &Report, bom: bool) -> Outcome<()> {
        match self.format {
            Format::Xlsx => {
                if self.global.output.is_none() {
                    return Err(Failure::Usage(xlsx_needs_output()));
                }
                let bytes = crate::render::xlsx::render(rep, self.lang)?;
                crate::output::emit(
                    &self.global.workspace,
                    self.global.output.as_deref(),
                    &bytes,
                )?;
                Ok(())
            }
            format => {
                let bom = format == Format::Csv && bom;
                // A table printed on a terminal wraps to its width; written to a file or a
                // pipe it stays as it is, the same bytes for the same inputs.
                crate::render::set_terminal(
                    format == Format::Table
                        && self.global.output.is_none()
                        && std::io::IsTerminal::is_terminal(&std::io::stdout()),
                );
                crate::output::emit_with(
                    &self.global.workspace,
                    self.global.output.as_deref(),
                    |w| {
                        if bom {
                            w.write_all(b"\xEF\xBB\xBF")?;
                        }
                        rep.write(format, self.lang, w)
                    },
                )?;
                Ok(())
            }
        }
    }
}

/// One year of a workspace's history: its inputs, ratings and the adjustment at its end.
pub struct YearRun {
    pub data: YearData,
    /// Empty unless asked for ([`Ctx::walk_years`]).
    pub ratings: Vec<(usize, Rating)>,
    pub adjustments: Vec<Adjustment>,
    /// The year asked for: the last of the walk (what is kept of a year for after the walk
    /// is kept of this one only, so that two years' data are never held at once).
    pub last: bool,
}

impl Ctx {
    /// Load, rate and adjust every year of the workspace up to the year asked for (or the
    /// latest), in order, calling `f` with each; only one year is held at a time. The
    /// problems of all years are listed at once. The ratings are given to `f` only
    /// `with_ratings` (else only each star, with why it is not five when a review or the
    /// quota said so, is kept for the adjustment: two bytes a branch).
    pub fn walk_years(
        &self,
        with_ratings: bool,
        mut f: impl FnMut(&Workspace, YearRun),
    ) -> Outcome<Workspace> {
        let ws = self.workspace()?;
        let last = self.year(&ws)?;
        let mut problems = Problems::new();
        let mut adjuster = Adjuster::default();

        for year in ws.years().into_iter().filter(|y| *y <= last) {
            warn(&unread_warnings(&ws, year));
            let mut p = Problems::new();
            let mut data = ws.load_year(year, &mut p);
            if let Some(d) = &mut data {
                ws.load_rectification(
                    d,
                    ws.previous_items(year, adjuster.previous_items(year)),
                    &mut p,
                );
                crate::timing::mark("rectification.csv");
            }
            let ok = p.is_empty() && problems.is_empty();
            problems.extend(p);
            if let (Some(mut data), true) = (data, ok) {
                let (ratings, stars) = rate_for_walk(&ws, &data, with_ratings);
                crate::timing::mark("rating");
                // Last year's items are let go before this year's are listed.
                let adjustments = adjuster.step(&ws, &data, stars.iter().copied());
                crate::timing::mark("adjustment");
                let items = year_items(&ws, &data, &stars);
                drop(stars);
                // The items hold what they need of e_i: the year's sums can go.
                data.scores.release();
                adjuster.keep_items(year, items);
                crate::timing::mark("rectification items");
                f(
                    &ws,
                    YearRun {
                        data,
                        ratings,
                        adjustments,
                        last: year == last,
                    },
                );
            }
        }
        if problems.is_empty() {
            Ok(ws)
        } else {
            Err(problems.into())
        }
    }
}

/// Each branch's star as the adjustment keeps it, by branch index.
type Stars = Vec<(usize, Evaluated)>;

/// A year's ratings (only `with_ratings`; else none) and each branch's star as the
/// adjustment keeps it (two bytes a branch).
fn rate_for_walk(
    ws: &Workspace,
    data: &YearData,
    with_ratings: bool,
) -> (Vec<(usize, Rating)>, Stars) {
    if with_ratings {
        let ratings = rate_year(ws, data);
        let stars: Vec<_> = ratings
            .iter()
            .map(|(b, r)| (*b, Evaluated::of(r)))
            .collect();
        (ratings, stars)
    } else {
        (Vec::new(), rate_year_into(ws, data, |r| Evaluated::of(&r)))
    }
}

/// Warning lines naming the files of a year folder that are not read (the rule is in
/// `workspace::files`): a file a clerk meant as data is never skipped without a word.
pub fn unread_warnings(ws: &Workspace, year: i32) -> String {
    let listing = ws.listing(year);
    let mut out = String::new();
    for name in &listing.unread {
        let shown = crate::workspace::join_shown(&ws.shown, &format!("{year}/{name}"));
        let shown = crate::problem::escape(&shown);
        out.push_str(&msg!(
            "warning: {shown} is not read: the data files of a year folder are scores*, events, reviews, rectification, surveys, deductions, objections and decisions (.csv, .xlsx or .xls, any letter case)\n",
            "提示：{shown} 不会被读取：年度文件夹中的数据文件是 scores*、events、reviews、rectification、surveys、deductions、objections 和 decisions（.csv、.xlsx 或 .xls，不分大小写）\n"
        ));
    }
    out
}

/// Print warnings on standard error (not `eprint!`, which panics when it is a closed pipe).
pub fn warn(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
}

/// A year loaded by `load`, or every problem found.
fn loaded(load: impl FnOnce(&mut Problems) -> Option<YearData>) -> Outcome<YearData> {
    let mut problems = Problems::new();
    match load(&mut problems) {
        Some(d) if problems.is_empty() => Ok(d),
        _ => Err(problems.into()),
    }
}

/// Load a year keeping every score cell of one branch.
pub fn load_year_detail(ws: &Workspace, year: i32, branch: usize) -> Outcome<YearData> {
    loaded(|p| ws.load_year_with(year, Some(branch), p))
}

impl Ctx {
    /// Leave a large value for the process's exit to reclaim: freeing a province's ratings
    /// piece by piece takes longer than rating them, and the process ends right after. A
    /// county's member is dropped: the next member needs the memory.
    pub fn leak<T>(&self, value: T) {
        if self.member.is_some() {
            drop(value);
        } else {
            std::mem::forget(value);
        }
    }
}

pub fn load_year(ws: &Workspace, year: i32) -> Outcome<YearData> {
    loaded(|p| ws.load_year(year, p))
}

/// Every output format, in the order the help lists them.
const ALL_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Markdown,
    Format::Xlsx,
];

/// The formats of the publicity list: every list's, and a page to post.
const PUBLICITY_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Markdown,
    Format::Xlsx,
    Format::Html,
];

/// The formats of the committee report: its page (the default), its figures as JSON or a
/// workbook.
const REPORT_FORMATS: &[Format] = &[Format::Html, Format::Json, Format::Xlsx];

/// The formats a command writes; none for a command that writes no list (`check` prints
/// only problems, `init` and `standards export` write files of their own, `completions`
/// and `man` write a script and a page).
pub fn formats(command: &Command) -> &'static [Format] {
    match command {
        Command::Report => REPORT_FORMATS,
        Command::Publicity => PUBLICITY_FORMATS,
        Command::Check
        | Command::Init { .. }
        | Command::Standards(StandardsCommand::Export { .. })
        | Command::Completions { .. }
        | Command::Man => &[],
        Command::Evaluate
        | Command::Rectify { .. }
        | Command::Adjust
        | Command::Explain { .. }
        | Command::History { .. }
        | Command::Tiers
        | Command::Exchange
        | Command::Standards(StandardsCommand::Show { .. })
        | Command::Template { .. } => ALL_FORMATS,
    }
}

/// The command's name as typed: `evaluate`, `standards show`.
pub fn name(command: &Command) -> &'static str {
    match command {
        Command::Evaluate => "evaluate",
        Command::Rectify { .. } => "rectify",
        Command::Adjust => "adjust",
        Command::Explain { .. } => "explain",
        Command::History { .. } => "history",
        Command::Tiers => "tiers",
        Command::Publicity => "publicity",
        Command::Exchange => "exchange",
        Command::Check => "check",
        Command::Report => "report",
        Command::Standards(StandardsCommand::Show { .. }) => "standards show",
        Command::Standards(StandardsCommand::Export { .. }) => "standards export",
        Command::Init { .. } => "init",
        Command::Template { .. } => "template",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
    }
}

/// A format's name as `--format` takes it.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Markdown => "markdown",
        Format::Xlsx => "xlsx",
        Format::Html => "html",
    }
}

fn xlsx_needs_output() -> String {
    crate::i18n::tr(
        "--format xlsx writes a workbook: give --output FILE.xlsx",
        "--format xlsx 输出的是 Excel 工作簿：请用 --output FILE.xlsx 指定输出文件",
    )
    .to_string()
}

/// The format a command writes in: `--format` when the command has it (else a usage
/// error naming the formats it has), or by default a table on a terminal and CSV
/// otherwise — except `explain`, whose default is its trace for people wherever it goes.
/// `xlsx` needs `--output`.
pub fn format_of(
    command: &Command,
    global: &Global,
    terminal: impl FnOnce() -> bool,
) -> Result<Format, String> {
    let has = formats(command);
    let cmd = name(command);
    match global.format {
        Some(f) if !has.contains(&f) => {
            let f = format_name(f);
            Err(if has.is_empty() {
                msg!(
                    "`stars {cmd}` has no formats: it takes no --format (given `{f}`)",
                    "stars {cmd} 没有可选的输出格式，不接受 --format（收到“{f}”）"
                )
            } else {
                let list: Vec<&str> = has.iter().map(|f| format_name(*f)).collect();
                let list = crate::i18n::list(&list.join(", "));
                msg!(
                    "`stars {cmd}` does not write {f}; its formats: {list}",
                    "stars {cmd} 不支持 {f} 格式；可用格式：{list}"
                )
            })
        }
        // A county's `--output-dir` holds a workbook per town.
        Some(Format::Xlsx) if global.output.is_none() && global.output_dir.is_none() => {
            Err(xlsx_needs_output())
        }
        Some(f) => Ok(f),
        None if matches!(command, Command::Explain { .. }) => Ok(Format::Table),
        None if matches!(command, Command::Report) => Ok(Format::Html),
        None if global.output.is_none() && terminal() => Ok(Format::Table),
        None => Ok(Format::Csv),
    }
}

/// `--output` where a command cannot take it: `check`, `init` and `standards export` write
/// no output of their own there (a problem list, a workspace, standards files), so an
/// `--output` they would ignore is wrong usage; `man` and `completions` write anywhere,
/// so not onto a name that looks like a workspace's file (`stars.toml`, `*.csv`, `*.toml`,
/// a workbook: another workspace's input, which no run here would know).
pub fn output_usage(command: &Command, global: &Global) -> Result<(), String> {
    let Some(out) = global.output.as_deref() else {
        return Ok(());
    };
    let cmd = name(command);
    let shown = out.display();
    match command {
        Command::Check | Command::Init { .. } | Command::Standards(StandardsCommand::Export { .. }) => {
            Err(msg!(
                "`stars {cmd}` writes no output file; it takes no --output (given `{shown}`)",
                "stars {cmd} 不输出文件，不接受 --output（收到“{shown}”）"
            ))
        }
        Command::Man | Command::Completions { .. } if crate::output::looks_like_workspace_file(out) => {
            Err(msg!(
                "--output `{shown}` has the name of a workspace's file; expected another name for the output of `stars {cmd}`, such as stars.1",
                "--output“{shown}”与工作区文件同名；stars {cmd} 的输出应使用其他文件名，如 stars.1"
            ))
        }
        _ => Ok(()),
    }
}

pub fn run(command: &Command, ctx: &Ctx) -> Outcome<()> {
    if county::runs_on_county(command, ctx) {
        return county::run(command, ctx);
    }
    // `--town`, or a list for people (a summary by town when branches.csv has several).
    let for_people = matches!(
        ctx.format,
        Format::Table | Format::Markdown | Format::Xlsx | Format::Html
    );
    if ctx.member.is_none()
        && (!ctx.global.town.is_empty() || ctx.global.output_dir.is_some() || for_people)
    {
        return county::run_town_view(command, ctx);
    }
    run_here(command, ctx)
}

/// Run a command on the workspace of `ctx` itself.
pub fn run_here(command: &Command, ctx: &Ctx) -> Outcome<()> {
    match command {
        Command::Evaluate => evaluate::run(ctx),
        Command::Rectify { view } => rectify::run(ctx, *view),
        Command::Adjust => adjust::run(ctx),
        Command::Explain { branch } => explain::run(ctx, branch),
        Command::History { branch } => history::run(ctx, branch),
        Command::Tiers => tiers::run(ctx),
        Command::Publicity => publicity::run(ctx),
        Command::Exchange => exchange::run(ctx),
        Command::Check => check::run(ctx),
        Command::Report => report::run(ctx),
        Command::Standards(s) => standards::run(ctx, s),
        Command::Init {
            dir,
            name,
            year,
            preset,
            county,
        } => init::run(ctx, dir, name.as_deref(), *year, preset.as_deref(), *county),
        Command::Template {
            domain,
            legend,
            no_bom,
            level,
            per_branch,
        } => template::run(
            ctx,
            &template::Args {
                domain,
                legend: *legend,
                bom: !*no_bom,
                level: level.as_deref(),
                per_branch: per_branch.as_deref(),
            },
        ),
        Command::Completions { shell } => completions::run(ctx, *shell),
        Command::Man => man::run(ctx),
    }
}
