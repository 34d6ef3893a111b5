//! The command line: one clap definition, from which the help, the man page and the shell
//! completions are all made.

use crate::i18n::Lang;
use crate::render::Format;
use crate::source::Encoding;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit codes: 0 success; 1 invalid input data (every problem is listed); 2 wrong usage.

Examples:
  stars evaluate --workspace examples/dawang
  stars rectify --year 2024 --format csv --output 2024-rectification.csv
  stars explain D007 --year 2025
  stars check";

#[derive(Debug, Parser)]
#[command(
    name = "stars",
    version,
    about = "Rate grassroots party branches with one to five stars (星级党支部评定) and run the follow-up",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// The workspace folder (with stars.toml).
    #[arg(
        long,
        short = 'w',
        global = true,
        value_name = "DIR",
        default_value = "."
    )]
    pub workspace: PathBuf,
    /// The year to work on (default: the workspace's latest year).
    #[arg(long, short = 'y', global = true, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Output format (default: a table on a terminal, CSV otherwise; explain: its text;
    /// report: its HTML page). html: report and publicity only. check, init, standards
    /// export, completions and man take none.
    #[arg(long, short = 'f', global = true, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of outputs and messages for this run (default: the workspace's `lang` in
    /// stars.toml, English without one; outside a workspace and for init, LC_ALL/LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Start CSV output with a UTF-8 byte-order mark, so that Excel shows Chinese text.
    #[arg(long, global = true)]
    pub bom: bool,
    /// Only this town (repeatable): a county's member (its `name` or folder), or the
    /// `town` of branches.csv in a workspace of several towns.
    #[arg(long, global = true, value_name = "NAME")]
    pub town: Vec<String>,
    /// For a county: write one file per town, DIR/FOLDER/NAME-YEAR.EXT (the member's
    /// folder name), and the summary by town in DIR/NAME-YEAR-towns.EXT, all or none.
    #[arg(
        long = "output-dir",
        global = true,
        value_name = "DIR",
        conflicts_with = "output"
    )]
    pub output_dir: Option<PathBuf>,
    /// For a county: write the towns that are sound and list the problems of the others
    /// (exit code 1 when any has one), instead of writing nothing.
    #[arg(long = "keep-going", global = true)]
    pub keep_going: bool,
    /// Encoding of CSV input.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub encoding: Encoding,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The ratings of a year: score, star, status and tier of every branch.
    #[command(
        after_help = "Example:\n  stars evaluate --workspace examples/dawang --year 2025 --format csv"
    )]
    Evaluate,
    /// The year's rectification items: problem, responsibility and rectification lists.
    #[command(after_help = "Example:\n  stars rectify --view responsibility")]
    Rectify {
        /// Which list: problems by branch (问题清单), grouped by responsible person
        /// (责任清单), by deadline (整改清单), or by the theme a branch missed (where a
        /// standard rates by themes).
        #[arg(long, value_enum, default_value = "problems")]
        view: RectifyView,
    },
    /// The dynamic adjustment at the end of the year: next year's plaques, rewards, interviews.
    #[command(after_help = "Example:\n  stars adjust --year 2025")]
    Adjust,
    /// How one branch's rating was reached, every number traced to its source.
    #[command(after_help = "Example:\n  stars explain D007 --year 2025")]
    Explain {
        /// The branch id.
        branch: String,
    },
    /// A branch's score, star and plaque in every year of the workspace.
    #[command(after_help = "Example:\n  stars history D007")]
    History {
        /// The branch id.
        branch: String,
    },
    /// The branches of each tier (巩固先进 / 提升一般 / 整顿后进) and what the tier's plan focuses on.
    #[command(
        after_help = "Example:\n  stars tiers --workspace examples/dawang --lang zh --format markdown"
    )]
    Tiers,
    /// The publicity list (公示名单) of approved five-star branches, as a notice to post.
    #[command(
        after_help = "A notice ready to post (table, Markdown, xlsx, html): its title, what it announces, the list, the window, where to send an objection ([publicity] contact in stars.toml), the issuing body and the date.\n\nExample:\n  stars publicity --year 2025 --format xlsx --output 2025-publicity.xlsx"
    )]
    Publicity,
    /// Four five-star branches for the year's quarterly experience exchanges.
    #[command(after_help = "Example:\n  stars exchange --workspace examples/dawang --year 2025")]
    Exchange,
    /// The committee report: one HTML page of the year's figures and charts, or the same
    /// figures as JSON or a workbook.
    #[command(
        after_help = "One self-contained file (inline CSS and SVG, no script), printed on A4 pages numbered by the browser; --format json or xlsx gives the same figures.\n\nExamples:\n  stars report --workspace examples/dawang --year 2025 --output report.html\n  stars report --workspace examples/dawang --format json"
    )]
    Report,
    /// Check the standards and every year of the workspace; silent when all is well.
    #[command(
        after_help = "Exit codes: 0 no problem; 1 problems (every one is listed).\n\nExample:\n  stars check --workspace examples/dawang && stars evaluate --workspace examples/dawang"
    )]
    Check,
    /// Show or export the standards in use.
    #[command(
        subcommand,
        after_help = "Examples:\n  stars standards show rural\n  stars standards export standards/"
    )]
    Standards(StandardsCommand),
    /// Create a new workspace: stars.toml, branches.csv with its header, a year folder.
    #[command(
        after_help = "Examples:\n  stars init dawang --name 大王镇 --first-year 2026\n  stars init dawang --preset strict"
    )]
    Init {
        /// The folder to create (or an empty existing one).
        dir: PathBuf,
        /// The town's (or county's) name.
        #[arg(long)]
        name: Option<String>,
        /// The first year (default: this year).
        #[arg(long = "first-year", id = "first_year")]
        year: Option<i32>,
        /// Make a county instead: stars.toml with `members = ["towns/*"]` and a towns/
        /// folder for the towns' workspaces (`stars init DIR/towns/NAME` adds one).
        #[arg(long, conflicts_with = "preset")]
        county: bool,
        /// Also write a preset's standard files into DIR/standards/: strict or satisfaction
        /// (see docs/presets.md). Without it the built-in standard is used.
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
    },
    /// A score sheet ready to fill for one domain: its branches' rows and indicator columns;
    /// or a file of the records of the year (surveys, deductions, objections, decisions).
    #[command(
        after_help = "The sheet is a valid score sheet only once filled: `stars check` reports a row left blank.\n--output may create a new score sheet or file of the records in a year folder, never replace one.\n\nA CSV sheet starts with a UTF-8 byte-order mark so that Excel shows Chinese names; --no-bom leaves it out.\n\n`stars template rectification` lists last year's rectification items with a status column to fill, read back as this year's rectification file.\n\nExamples:\n  stars template rural --year 2026 --output 2026/scores-rural.csv\n  stars template rural --level self --per-branch 自评表\n  stars template rectification --year 2026 -f xlsx -o 2026/rectification.xlsx\n  stars template surveys --year 2026 --output 2026/surveys.csv\n  stars template rural --legend"
    )]
    Template {
        /// The domain: rural, agency, two_new, community or soe; `rectification`; or the
        /// records: surveys, deductions, objections or decisions.
        domain: String,
        /// Print the legend (each indicator's name and points) instead of the sheet.
        #[arg(long)]
        legend: bool,
        /// Write the CSV sheet without the UTF-8 byte-order mark it starts with by default
        /// (the mark makes Excel show Chinese names).
        #[arg(long)]
        no_bom: bool,
        /// Only the rows of this level: self, mass or organization (自评, 群众评议, 组织评定).
        #[arg(long, value_name = "LEVEL")]
        level: Option<String>,
        /// Write one sheet per branch into DIR, named scores-ID-NAME.xlsx (.csv with
        /// --format csv), each holding that branch's rows.
        #[arg(long, value_name = "DIR")]
        per_branch: Option<std::path::PathBuf>,
    },
    /// Shell completions, from the same definition as --help.
    #[command(after_help = "Example:\n  stars completions bash > /etc/bash_completion.d/stars")]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// The man page (roff), from the same definition as --help.
    #[command(after_help = "Example:\n  stars man > stars.1 && man ./stars.1")]
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RectifyView {
    Problems,
    Responsibility,
    Deadline,
    /// Grouped by the theme a branch missed (stars by theme).
    Themes,
}

#[derive(Debug, Subcommand)]
pub enum StandardsCommand {
    /// The indicators and items of each domain's standard, with their points.
    #[command(after_help = "Example:\n  stars standards show agency --format csv")]
    Show {
        /// Only this domain (rural, agency, two_new, community, soe).
        domain: Option<String>,
    },
    /// Write the built-in standard files (or a preset's) into DIR, to start a customized copy.
    #[command(
        after_help = "Writes all six files or none: if DIR already has any of them, nothing is written.\n\nExamples (in a workspace: its files then replace the built-in ones):\n  stars standards export standards/\n  stars standards export --preset strict standards/"
    )]
    Export {
        /// The folder to write into (created if missing; existing files are not overwritten).
        dir: PathBuf,
        /// Export this preset instead of the built-in standard: strict or satisfaction
        /// (see docs/presets.md).
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
    },
}
