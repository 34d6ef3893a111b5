//! Loading a workspace: `stars.toml`, `branches.csv`, the standards and each year's folder,
//! into typed facts that remember where they came from.

mod branches;
pub mod config;
pub mod county;
mod decisions;
mod deductions;
mod events;
pub mod files;
mod objections;
mod record_cells;
mod records;
mod rectification;
mod reviews;
mod scores;
mod surveys;
mod table;

pub use crate::date::parse_date;
pub use crate::source::join_shown;
pub use branches::Branch;
pub use config::{is_weekend, Config, Publicity, Role, DEFAULT_LANG};
pub use county::{County, Member};
pub use decisions::Decision;
pub use deductions::Deduction;
pub use events::Event;
pub use objections::{Objection, ObjectionStatus};
pub use records::Records;
pub use rectification::{ItemId, Previous, RectStatus, Status};
pub use reviews::{Opinion, Review};
pub use scores::{Cell, Detail};
pub use surveys::SurveyRow;

use crate::combined::{Keep, Scores};
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::Encoding;
use crate::standard::{self, Domain, Standards};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The language a workspace sets, read before anything is printed: its `lang`, its
/// county's when it is a member without one, else [`DEFAULT_LANG`]. `None` when `dir` has
/// no `stars.toml` that can be read and parsed as TOML: then the locale decides, for the
/// messages that say so as for those outside a workspace.
pub fn workspace_lang(dir: &Path) -> Option<crate::i18n::Lang> {
    let own = config::own_lang(dir)?;
    let lang = own.or_else(|| county::enclosing(dir).and_then(|c| c.config.lang));
    Some(lang.unwrap_or(DEFAULT_LANG))
}

/// The language a workspace names itself (its `lang`, or its county's), without the
/// default: what the help and the usage errors follow before the locale. They are not
/// committed outputs, so a workspace that names no language leaves them to the locale.
pub fn named_lang(dir: &Path) -> Option<crate::i18n::Lang> {
    config::own_lang(dir)?.or_else(|| county::enclosing(dir).and_then(|c| c.config.lang))
}

/// A loaded workspace: everything that does not change from year to year.
#[derive(Debug)]
pub struct Workspace {
    pub dir: PathBuf,
    /// The workspace folder as the user named it, to build file names in messages.
    pub shown: String,
    pub config: Config,
    /// Sorted by id.
    pub branches: Vec<Branch>,
    /// Shared by the members of a county that have no standards of their own.
    pub standards: std::sync::Arc<Standards>,
    pub encoding: Encoding,
    /// What each row of a year's tables asks of its branch, in `branches` order, side by side
    /// in memory: a province's rows read these, not the branches' strings.
    hot: Vec<Hot>,
    /// Branch indices by id, made once rows out of id order have needed many searches (see
    /// [`Workspace::near`]); files in id order never make it.
    index: OnceLock<hashbrown::HashTable<u32>>,
    /// Searches that the rows' order did not help.
    misses: AtomicUsize,
    /// Each year folder's files, listed once for the tables and the warnings of a run.
    listings: std::sync::Mutex<BTreeMap<i32, std::sync::Arc<files::Listing>>>,
}

/// One year's inputs.
#[derive(Debug)]
pub struct YearData {
    pub year: i32,
    pub evaluated: NaiveDate,
    /// Combined points by branch index (into [`Workspace::branches`]).
    pub scores: Scores,
    /// The score sheets' names, as shown in messages.
    pub sheet_names: Vec<String>,
    /// Every cell of the branch `explain` asks for.
    pub cells: Option<Detail>,
    /// Sorted by branch, then date, then file line.
    pub events: Vec<Event>,
    pub reviews: Vec<Review>,
    /// The name of the reviews' file, as shown in messages (blank when there is none).
    pub reviews_file: String,
    /// Empty until [`Workspace::load_rectification`] is called.
    pub rectification: Vec<RectStatus>,
    /// The records of the year (surveys, deductions, objections, decisions): empty in
    /// most workspaces.
    pub records: Records,
}

impl YearData {
    /// A branch's events (they are sorted by branch).
    pub fn events_of(&self, branch: usize) -> &[Event] {
        let lo = self.events.partition_point(|e| e.branch < branch);
        let hi = self.events.partition_point(|e| e.branch <= branch);
        self.events.get(lo..hi).unwrap_or_default()
    }

    /// A branch's review opinions (they are sorted by branch).
    pub fn reviews_of(&self, branch: usize) -> &[Review] {
        let lo = self.reviews.partition_point(|r| r.branch < branch);
        let hi = self.reviews.partition_point(|r| r.branch <= branch);
        self.reviews.get(lo..hi).unwrap_or_default()
    }
}

/// Where [`Workspace::branch_in_run`] is in a table: the branch of the last row that
/// named one rated that year, and its id (its first 8 bytes as [`key8`] makes them, and
/// its length: most ids are compared by these alone).
#[derive(Debug, Default)]
pub(crate) struct Run {
    cursor: usize,
    last: Option<usize>,
    key: u64,
    len: usize,
    /// The id itself only when longer than its key.
    id: String,
}

/// The one problem of a folder that is not a workspace (neither `stars.toml` nor
/// `branches.csv`): it names the folder and the nearest workspace, above or below, with
/// the `-w` that reaches it, or `stars init` when there is none.
fn not_a_workspace(dir: &Path, shown: &str) -> Problem {
    let here = if shown.is_empty() || shown == "." {
        dir.canonicalize()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| ".".to_string())
    } else {
        shown.to_string()
    };
    let text = match nearest_workspace(dir, shown) {
        Some(ws) => {
            let w = shell_word(&ws);
            msg!(
                "no stars.toml here, so this folder is not a workspace; the nearest workspace is {ws}: use `-w {w}`",
                "此文件夹中没有 stars.toml，不是工作区；最近的工作区是 {ws}：请加上 `-w {w}`"
            )
        }
        None => tr(
            "no stars.toml here, so this folder is not a workspace, and none was found near it; `stars init DIR` creates one",
            "此文件夹中没有 stars.toml，不是工作区，附近也没有找到工作区；可用 `stars init 文件夹` 新建一个",
        )
        .to_string(),
    };
    Problem::file(here, text)
}

/// A path as a shell word: quoted when it holds anything but plain characters.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "/._-+:,@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The folders looked at below a folder that is not a workspace: at most this deep ...
const NEAR_DEPTH: usize = 3;
/// ... and at most this many entries read in all.
const NEAR_ENTRIES: usize = 4096;

/// The nearest folder with a `stars.toml`, as the user would name it: above `dir` (`..`,
/// `../..` when `dir` is `.`, else its absolute path), or below it, breadth first, at most
/// [`NEAR_DEPTH`] levels down and [`NEAR_ENTRIES`] entries, skipping hidden folders,
/// `target` and symbolic links, in name order. The closer wins; above when as close.
fn nearest_workspace(dir: &Path, shown: &str) -> Option<String> {
    let is_ws = |p: &Path| p.join("stars.toml").is_file();
    let above = dir.canonicalize().ok().and_then(|abs| {
        abs.ancestors()
            .skip(1)
            .enumerate()
            .find(|(_, a)| is_ws(a))
            .map(|(n, a)| {
                let up = n + 1;
                let name = if shown.is_empty() || shown == "." {
                    vec![".."; up].join("/")
                } else {
                    a.display().to_string()
                };
                (up, name)
            })
    });
    let limit = above
        .as_ref()
        .map_or(NEAR_DEPTH, |(up, _)| (*up).min(NEAR_DEPTH + 1) - 1);
    let below = nearest_below(dir, limit).map(|(depth, rel)| (depth, join_shown(shown, &rel)));
    match (above, below) {
        (Some((up, a)), Some((down, b))) => Some(if down < up { b } else { a }),
        (a, b) => a.or(b).map(|(_, name)| name),
    }
}

/// The first folder with a `stars.toml` below `dir`, at most `max_depth` levels down, with
/// its depth and its path relative to `dir` (`/`-separated).
fn nearest_below(dir: &Path, max_depth: usize) -> Option<(usize, String)> {
    let mut queue = std::collections::VecDeque::from([(dir.to_path_buf(), String::new(), 0)]);
    let mut budget = NEAR_ENTRIES;
    while let Some((path, rel, depth)) = queue.pop_front() {
        if depth >= max_depth {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        let mut children = Vec::new();
        for entry in entries {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let Ok(entry) = entry else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                children.push((entry.path(), name));
            }
        }
        children.sort_by(|a, b| a.1.cmp(&b.1));
        for (child, name) in children {
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if child.join("stars.toml").is_file() {
                return Some((depth + 1, rel));
            }
            queue.push_back((child, rel, depth + 1));
        }
    }
    None
}

/// A branch as the rows of a year's tables need it (see [`Workspace::near`]), in 16
/// bytes.
#[derive(Debug, Clone, Copy)]
struct Hot {
    /// The first 8 bytes of the id ([`key8`]) and its length (u16::MAX: that or longer).
    key: u64,
    len: u16,
    /// The years rated, `from..=until` (branches.csv's years are 1900–9999).
    from: u16,
    until: u16,
    domain: Domain,
}

impl Hot {
    /// Is the branch rated in `year` (as [`Branch::rated_in`] tells it)?
    #[inline]
    fn rated_in(&self, year: i32) -> bool {
        i32::from(self.from) <= year && year <= i32::from(self.until)
    }
}

/// The first 8 bytes of an id, big-endian, padded with zeros: ordered as the ids are (ids
/// have no zero bytes), and compared in one instruction.
fn key8(id: &str) -> u64 {
    let bytes = id.as_bytes();
    match bytes.first_chunk::<8>() {
        Some(first) => u64::from_be_bytes(*first),
        // A shorter id made in a register: its bytes copied to memory and read back as a
        // word would stall the read.
        None => {
            let k = bytes.iter().fold(0, |k, b| k << 8 | u64::from(*b));
            let shift = 8 * 8u32.saturating_sub(u32::try_from(bytes.len()).unwrap_or(8));
            k.checked_shl(shift).unwrap_or(0)
        }
    }
}

/// The hash of a branch id in [`Workspace::branch_anywhere`]'s table.
fn hash_id(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl Workspace {
    /// Load `stars.toml`, `branches.csv` and the standards the branches need; a member
    /// of a county run on its own takes what it does not set from its county.
    pub fn load(dir: &Path, encoding: Encoding, problems: &mut Problems) -> Option<Workspace> {
        let shown = dir.to_string_lossy().into_owned();
        let county = county::enclosing(dir);
        Self::load_in(dir, shown, county.as_ref(), None, encoding, problems)
    }

    /// Load a member of a loaded county.
    pub fn load_member(
        member: &Member,
        county: &County,
        encoding: Encoding,
        problems: &mut Problems,
    ) -> Option<Workspace> {
        // Its stars.toml was read with the county's: not read again.
        Self::load_in(
            &member.dir,
            member.shown.clone(),
            Some(county),
            Some(member.config.clone()),
            encoding,
            problems,
        )
    }

    fn load_in(
        dir: &Path,
        shown: String,
        county: Option<&County>,
        config: Option<Config>,
        encoding: Encoding,
        problems: &mut Problems,
    ) -> Option<Workspace> {
        // A member's folder is known to be a workspace: its stars.toml was read (`config`).
        if config.is_none() && !dir.is_dir() {
            problems.push(Problem::file(
                &shown,
                tr("workspace folder not found", "找不到工作区文件夹"),
            ));
            return None;
        }
        let missing = |name: &str| matches!(std::fs::metadata(dir.join(name)), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        if config.is_none() && missing("stars.toml") && missing("branches.csv") {
            problems.push(not_a_workspace(dir, &shown));
            return None;
        }
        let role = county.map_or(Role::Town, |c| Role::Member(&c.config));
        let config = config.or_else(|| config::load(dir, &shown, role, problems));
        // Problems of stars.toml alone (a stray key) do not keep the years from being
        // checked; problems of the branches or the standards do.
        let after_config = problems.len();
        let branches = branches::load(dir, &shown, encoding, problems);
        crate::timing::mark("branches.csv");
        // The domains of the branches, marked in one pass (a province's millions of branches
        // are not each put in a set).
        let mut has = [false; Domain::ALL.len()];
        for b in branches.iter().flat_map(|(b, _)| b) {
            if let Some(h) = has.get_mut(b.domain as usize) {
                *h = true;
            }
        }
        let needed: BTreeSet<Domain> = (Domain::ALL.into_iter())
            .filter(|d| has.get(*d as usize).copied().unwrap_or(false))
            .collect();
        let standards = match county {
            // A member without standards of its own shares its county's, read once.
            Some(c) if !dir.join("standards").exists() => c.standards(problems),
            Some(c) => standard::load(&[(dir, &shown), (&c.dir, &c.shown)], &needed, problems)
                .map(std::sync::Arc::new),
            None => standard::load(&[(dir, &shown)], &needed, problems).map(std::sync::Arc::new),
        };
        if let Some(config) = &config {
            config::check_year_folders(dir, &shown, config, problems);
            if let Some(branches) = &branches {
                branches::check_years(&shown, branches, config, problems);
            }
        }
        if problems.len() != after_config {
            return None;
        }
        let (branches, _) = branches?;
        let standards = standards?;
        let hot = branches
            .iter()
            .map(|b| {
                let (from, until) = b.span16();
                Hot {
                    key: key8(b.id()),
                    len: u16::try_from(b.id().len()).unwrap_or(u16::MAX),
                    from,
                    until,
                    domain: b.domain,
                }
            })
            .collect();
        Some(Workspace {
            dir: dir.to_path_buf(),
            shown,
            config: config?,
            branches,
            standards,
            encoding,
            hot,
            index: OnceLock::new(),
            misses: AtomicUsize::new(0),
            listings: Default::default(),
        })
    }

    /// The files of a year folder (see [`files::Listing`]), listed on first use.
    pub fn listing(&self, year: i32) -> std::sync::Arc<files::Listing> {
        let list = || std::sync::Arc::new(files::Listing::of(&self.dir.join(year.to_string())));
        match self.listings.lock() {
            Ok(mut cache) => std::sync::Arc::clone(cache.entry(year).or_insert_with(list)),
            Err(_) => list(),
        }
    }

    pub fn file(&self, rel: &str) -> (PathBuf, String) {
        (self.dir.join(rel), join_shown(&self.shown, rel))
    }

    /// The index of a branch by id: a search of the branches, sorted by id (see
    /// [`Workspace::search_from`]).
    pub fn branch(&self, id: &str) -> Option<usize> {
        self.search_from(0, key8(id), id)
    }

    pub fn years(&self) -> Vec<i32> {
        self.config.years.keys().copied().collect()
    }

    /// The latest year of the workspace.
    pub fn latest_year(&self) -> Option<i32> {
        self.config.years.keys().next_back().copied()
    }

    /// Load one year's folder, with every record of the year as it was written (the
    /// deductions' dates and reasons too).
    pub fn load_year(&self, year: i32, problems: &mut Problems) -> Option<YearData> {
        self.load_year_with(year, None, problems)
    }

    /// Load one year's folder, keeping every score cell of `detail` (for `explain`).
    pub fn load_year_with(
        &self,
        year: i32,
        detail: Option<usize>,
        problems: &mut Problems,
    ) -> Option<YearData> {
        self.load_year_reading(year, detail, true, Keep::Indicators, problems)
    }

    /// Load one year's folder for its ratings only: of the scores, B and the e_i of the
    /// indicators with a bottom line (see [`Keep::Ratings`]); of the deductions, their
    /// points ([`Records::deductions`] is empty).
    pub fn load_year_for_ratings(&self, year: i32, problems: &mut Problems) -> Option<YearData> {
        self.load_year_reading(year, None, true, Keep::Ratings, problems)
    }

    /// Load what a year's rectification items are made of: its folder without reviews.csv
    /// (the town review changes a star, never an item), which is not read.
    pub fn load_year_for_items(&self, year: i32, problems: &mut Problems) -> Option<YearData> {
        self.load_year_reading(year, None, false, Keep::Indicators, problems)
    }

    fn load_year_reading(
        &self,
        year: i32,
        detail: Option<usize>,
        with_reviews: bool,
        keep: Keep,
        problems: &mut Problems,
    ) -> Option<YearData> {
        let Some(evaluated) = self.config.years.get(&year).map(|y| y.evaluated) else {
            let years = crate::i18n::list(
                &self
                    .years()
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            problems.push(Problem::file(
                join_shown(&self.shown, "stars.toml"),
                msg!(
                    "year {year} is not in [years]; expected one of: {years}",
                    "{year} 年度不在 [years] 中；应为以下之一：{years}"
                ),
            ));
            return None;
        };
        let before = problems.len();
        // The records first: the score sheets must give none of the levels they give.
        // The deductions' dates and reasons are kept where they are shown: `explain`, the
        // rectification items (a year loaded whole, or for them).
        let rows = keep == Keep::Indicators;
        let (mut records, taken, scores) = self.read_sums_and_records(year, detail, keep, problems);
        let (mut scores, sheet_names, cells) = scores;
        crate::timing::mark("score sheets");
        let clean = problems.len() == before;
        let (events, (mut reviews, reviews_file)) =
            self.events_and_reviews(year, with_reviews, problems);
        // The records are applied to the sums while the reviews are put in order, on one core
        // (while the events and reviews are read, both cores are busy).
        let apply = |scores: &mut Scores, records: &mut Records, taken: Vec<deductions::Taken>| {
            self.apply_records(year, (rows, clean), scores, records, taken);
        };
        match records.rates.is_empty() && taken.is_empty() {
            true => {
                apply(&mut scores, &mut records, taken);
                reviews::sort(self, &mut reviews);
            }
            false => std::thread::scope(|s| {
                let (scores, records) = (&mut scores, &mut records);
                let applying = s.spawn(move || apply(scores, records, taken));
                reviews::sort(self, &mut reviews);
                crate::threads::joined(applying);
            }),
        }
        crate::timing::mark("events and reviews");
        // Last year's rectification is read only by the commands that need it.
        let rectification = Vec::new();
        if problems.len() != before {
            return None;
        }
        Some(YearData {
            year,
            evaluated,
            scores,
            sheet_names,
            cells,
            events,
            reviews,
            reviews_file,
            rectification,
            records,
        })
    }

    /// A year's score sheets and records: the deductions, objections and decisions read
    /// beside the surveys and the score sheets (nothing of theirs is needed before the sums
    /// are made: their reading fills what the others leave of the two cores). With every
    /// deduction's points, sorted by (branch, level, indicator), for [`records::apply`].
    fn read_sums_and_records(
        &self,
        year: i32,
        detail: Option<usize>,
        keep: Keep,
        problems: &mut Problems,
    ) -> (Records, Vec<deductions::Taken>, scores::Read) {
        let rows = keep == Keep::Indicators;
        let has_records = self.listing(year).has_records();
        std::thread::scope(|s| {
            let others = has_records.then(|| {
                s.spawn(|| {
                    let mut mine = Problems::new();
                    let others = self.load_other_records(year, rows, true, &mut mine);
                    (others, mine)
                })
            });
            let surveys = match has_records {
                true => surveys::load(self, year, rows, true, problems),
                false => Default::default(),
            };
            crate::timing::mark("surveys");
            let covered = records::Covered::new(self, &surveys.2);
            let scores = scores::load(self, year, detail, keep, &covered, problems);
            let (others, mine) = others.map(crate::threads::joined).unwrap_or_default();
            problems.extend(mine);
            let (records, taken) = Records::of(surveys, others);
            (records, taken, scores)
        })
    }

    /// A year's events and its reviews (`with_reviews`), the reviews as read, not yet put in
    /// order ([`reviews::sort`]).
    fn events_and_reviews(
        &self,
        year: i32,
        with_reviews: bool,
        problems: &mut Problems,
    ) -> (Vec<Event>, (Vec<Review>, String)) {
        let events = events::load(self, year, problems);
        crate::timing::mark("events");
        let reviews = match with_reviews {
            true => reviews::read(self, year, problems),
            false => (Vec::new(), String::new()),
        };
        (events, reviews)
    }

    /// The records applied to the sums ([`records::apply`]) when the year was read `clean`;
    /// what a year loaded for its ratings (not `rows`) no longer needs let go, its rates kept
    /// in the sums alone.
    fn apply_records(
        &self,
        year: i32,
        (rows, clean): (bool, bool),
        scores: &mut Scores,
        records: &mut Records,
        taken: Vec<deductions::Taken>,
    ) {
        if clean {
            let rates = match rows {
                true => records.rates.clone(),
                false => std::mem::take(&mut records.rates),
            };
            records::apply(self, year, scores, rates, &taken);
            crate::timing::mark("records applied");
        }
        drop(taken);
        if !rows {
            records.lean();
        }
    }

    /// The records of a year alone (for a summary of them: the county's report).
    pub fn records(&self, year: i32, problems: &mut Problems) -> Records {
        if !self.listing(year).has_records() {
            return Records::default();
        }
        let surveys = surveys::load(self, year, true, false, problems);
        let others = self.load_other_records(year, false, false, problems);
        Records::of(surveys, others).0
    }

    /// The records of a year but the surveys (SPEC.md "Records of the year"), each file
    /// optional. `rows`: the deductions with their dates, reasons and lines too, not only
    /// their points; `alone`: read on a thread of their own beside the score sheets.
    fn load_other_records(
        &self,
        year: i32,
        rows: bool,
        alone: bool,
        problems: &mut Problems,
    ) -> records::Others {
        let deductions = deductions::load(self, year, rows, alone, problems);
        let objections = objections::load(self, year, problems);
        let decisions = decisions::load(self, year, problems);
        crate::timing::mark("records");
        records::Others {
            deductions,
            objections,
            decisions,
        }
    }

    /// Read `YEAR/rectification.csv` into a loaded year (for the adjustment and `check`).
    /// `previous` says what is known of the year before, to check the item ids against.
    pub fn load_rectification<I: ItemId + Sync>(
        &self,
        data: &mut YearData,
        previous: Previous<I>,
        problems: &mut Problems,
    ) {
        data.rectification = rectification::load(self, data.year, previous, problems);
    }

    /// What `load_rectification` checks ids against, given the previous year's item ids
    /// (`None` when that year could not be rated).
    pub fn previous_items<'a, I>(&self, year: i32, items: Option<&'a [I]>) -> Previous<'a, I> {
        match items {
            // A year whose date is wrong is a year all the same (its problem is told).
            _ if self.config.bad_years.contains(&(year - 1)) => Previous::Unknown,
            _ if !self.config.years.contains_key(&(year - 1)) => Previous::NotAYear,
            Some(items) => Previous::Items(items),
            None => Previous::Unknown,
        }
    }

    /// The files of a year's table (in any letter case, `.csv`, `.xlsx` or `.xls`, see
    /// [`files`]): every score sheet, in name order; of `events`, `reviews` and
    /// `rectification` the one file if there is one, and a problem when there are several.
    fn table_files(
        &self,
        year: i32,
        kind: files::Kind,
        problems: &mut Problems,
    ) -> Vec<table::File> {
        let listing = self.listing(year);
        let found: Vec<table::File> = listing
            .of_kind(kind)
            .map(|n| {
                let (path, name) = self.file(&format!("{year}/{n}"));
                table::File { path, name }
            })
            .collect();
        if let (false, [first, others @ ..]) = (kind == files::Kind::Scores, &found[..]) {
            if !others.is_empty() {
                let first_shown = &first.name;
                for o in others {
                    problems.push(Problem::file(
                        &o.name,
                        msg!(
                            "both {first_shown} and this file exist; expected one of them",
                            "{first_shown} 与此文件同时存在；只应保留其中一个"
                        ),
                    ));
                }
                return Vec::new();
            }
        }
        found
    }

    /// The branch named in a cell of a year's table, or a problem at that cell.
    /// `cursor` is the branch of the previous row (see [`Workspace::near`]).
    pub(crate) fn branch_in_cell(
        &self,
        row: &impl crate::source::sheet::Cells,
        col: usize,
        year: i32,
        cursor: &mut usize,
        problems: &mut Problems,
    ) -> Option<usize> {
        let id = row.get(col);
        self.branch_of_cell(row, col, (id, key8(id)), year, cursor, problems)
    }

    /// [`Workspace::branch_in_cell`] of the cell's id and its [`key8`].
    fn branch_of_cell(
        &self,
        row: &impl crate::source::sheet::Cells,
        col: usize,
        (id, key): (&str, u64),
        year: i32,
        cursor: &mut usize,
        problems: &mut Problems,
    ) -> Option<usize> {
        match self.rated_index(self.near(id, key, *cursor), id, year) {
            Ok(b) => {
                *cursor = b;
                Some(b)
            }
            Err(msg) => {
                problems.push(row.problem(col, msg));
                None
            }
        }
    }

    /// [`Workspace::branch_in_cell`] for a table that lists each branch's rows one after
    /// the other (the records of the year: a few rows a branch): a row naming the branch
    /// of the row before is given it again without a search.
    #[inline]
    pub(crate) fn branch_in_run(
        &self,
        row: &impl crate::source::sheet::Cells,
        col: usize,
        year: i32,
        run: &mut Run,
        problems: &mut Problems,
    ) -> Option<usize> {
        let id = row.get(col);
        let key = key8(id);
        let same = || key == run.key && id.len() == run.len && (id.len() <= 8 || run.id == id);
        if let Some(b) = run.last.filter(|_| same()) {
            return Some(b);
        }
        let found = self.branch_of_cell(row, col, (id, key), year, &mut run.cursor, problems);
        if let Some(b) = found {
            (run.last, run.key, run.len) = (Some(b), key, id.len());
            run.id.clear();
            if id.len() > 8 {
                run.id.push_str(id);
            }
        }
        found
    }

    /// The index of a branch by id, searched from `hint` on: sheets list branches in id order,
    /// each row at or after the one before, and a domain's sheet skips the branches of the
    /// other domains. From the hint the search gallops (1, 2, 4, … branches ahead), then
    /// halves the last step: a few steps for a gap of a few branches, and never more than a
    /// binary search. Only an id before the hint (a sheet out of id order) is looked for
    /// anywhere.
    /// (`key`: the id's [`key8`].)
    fn near(&self, id: &str, key: u64, hint: usize) -> Option<usize> {
        use std::cmp::Ordering::{Equal, Less};
        match self.order_at(hint, key, id) {
            Some(Equal) => Some(hint),
            // The next branch first: a sheet of the records lists nearly every branch.
            Some(Less) if self.order_at(hint.saturating_add(1), key, id) == Some(Equal) => {
                Some(hint.saturating_add(1))
            }
            Some(Less) => self.search_from(hint.saturating_add(1), key, id),
            _ => self.branch_anywhere(id),
        }
    }

    /// The branch of `id` (whose first 8 bytes are `key`) among those from `lo` on, every
    /// branch before `lo` being before it: the search gallops (1, 2, 4, … branches ahead),
    /// then halves the last step.
    fn search_from(&self, mut lo: usize, key: u64, id: &str) -> Option<usize> {
        let before = |i: usize| self.order_at(i, key, id) == Some(std::cmp::Ordering::Less);
        let mut step = 1usize;
        while lo < self.hot.len() && before(lo.saturating_add(step - 1)) {
            lo = lo.saturating_add(step);
            step = step.saturating_mul(2);
        }
        // The id's place is in lo..end: the last branch looked at was not before it.
        let mut end = lo.saturating_add(step).min(self.hot.len());
        while lo < end {
            let mid = lo + (end - lo) / 2;
            if before(mid) {
                lo = mid + 1;
            } else {
                end = mid;
            }
        }
        (self.order_at(lo, key, id) == Some(std::cmp::Ordering::Equal)).then_some(lo)
    }

    /// How branch `i`'s id is ordered against `id`, whose first 8 bytes are `key`: by those
    /// bytes; when they agree, by the lengths if both ids are that short (ids have no zero
    /// bytes), else in full.
    fn order_at(&self, i: usize, key: u64, id: &str) -> Option<std::cmp::Ordering> {
        let h = self.hot.get(i)?;
        Some(match h.key.cmp(&key) {
            std::cmp::Ordering::Equal if id.len() <= 8 && h.len <= 8 => {
                usize::from(h.len).cmp(&id.len())
            }
            std::cmp::Ordering::Equal => self.branches.get(i)?.id().cmp(id),
            o => o,
        })
    }

    /// [`Workspace::branch`], by binary search while few rows have needed it; after that by
    /// a hash table of the ids (a province's sheets in another order than the ids': a binary
    /// search of half a million branches misses the cache at every step).
    fn branch_anywhere(&self, id: &str) -> Option<usize> {
        const SEARCHES_BEFORE_INDEX: usize = 4096;
        let index = match self.index.get() {
            Some(index) => index,
            None if self.misses.fetch_add(1, Ordering::Relaxed) < SEARCHES_BEFORE_INDEX => {
                return self.branch(id);
            }
            None => self.index.get_or_init(|| {
                let mut t = hashbrown::HashTable::with_capacity(self.branches.len());
                let rehash = |i: &u32| {
                    self.branches
                        .get(*i as usize)
                        .map_or(0, |b| hash_id(b.id()))
                };
                for (i, b) in self.branches.iter().enumerate() {
                    if let Ok(i) = u32::try_from(i) {
                        t.insert_unique(hash_id(b.id()), i, rehash);
                    }
                }
                t
            }),
        };
        // A slot of the table shares only bits of the hash: the id is compared.
        let key = key8(id);
        let found = index.find(hash_id(id), |&i| {
            self.order_at(i as usize, key, id) == Some(std::cmp::Ordering::Equal)
        });
        match found {
            Some(&i) => Some(i as usize),
            // Only for more branches than a u32 counts: they were left out of the table.
            None if self.branches.len() > u32::MAX as usize => self.branch(id),
            None => None,
        }
    }

    /// Each branch's domain, in branch order (from the compact table).
    pub(crate) fn domains(&self) -> impl ExactSizeIterator<Item = Domain> + '_ {
        self.hot.iter().map(|h| h.domain)
    }

    /// Each branch's domain when it is rated in `year`, in branch order (from the compact
    /// table, as [`Branch::rated_in`] tells it).
    pub(crate) fn rated_domains(&self, year: i32) -> impl Iterator<Item = Option<Domain>> + '_ {
        (self.hot.iter()).map(move |h| h.rated_in(year).then_some(h.domain))
    }

    /// The domain of branch `b`.
    pub(crate) fn domain_of(&self, b: usize) -> Option<Domain> {
        self.hot.get(b).map(|h| h.domain)
    }

    /// The standard of branch `b`'s domain.
    pub(crate) fn standard_of(&self, b: usize) -> Option<&standard::Standard> {
        self.domain_of(b).and_then(|d| self.standards.get(d))
    }

    /// [`Workspace::standard_of`], from the standards by index (`stds`: made once a table).
    pub(crate) fn standard_in<'s>(
        &self,
        stds: standard::ByDomain<'s>,
        b: usize,
    ) -> Option<&'s standard::Standard> {
        self.domain_of(b).and_then(|d| stds.get(d))
    }

    /// The id of a branch that `id`, all digits, is with zeros before it (`001` for `1`):
    /// what Excel makes of an id such as 001 typed in a cell formatted as General.
    fn zeros_lost(&self, id: &str) -> Option<String> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (id.len() + 1..=id.len() + 12)
            .map(|n| format!("{id:0>n$}"))
            .find(|padded| self.branch(padded).is_some())
    }

    /// The branch `found` for `id`, if it is rated in `year`; else what was expected.
    #[inline]
    pub(crate) fn rated_index(
        &self,
        found: Option<usize>,
        id: &str,
        year: i32,
    ) -> Result<usize, String> {
        // Inlined for the rows of branches rated, the message made apart (every row of a
        // province's tables asks).
        let rated = |i: &usize| self.hot.get(*i).is_some_and(|h| h.rated_in(year));
        match found.filter(rated) {
            Some(i) => Ok(i),
            None => Err(self.not_rated(found, id, year)),
        }
    }

    /// Why the branch `found` for `id` is not one rated in `year`.
    #[cold]
    #[inline(never)]
    fn not_rated(&self, found: Option<usize>, id: &str, year: i32) -> String {
        match found {
            None if id.is_empty() => tr(
                "branch id is blank; expected a branch id of branches.csv",
                "支部编号为空；应为 branches.csv 中的支部编号",
            )
            .into(),
            None => match self.zeros_lost(id) {
                Some(padded) => msg!(
                    "unknown branch `{id}`, but branch `{padded}` exists: a spreadsheet dropped its leading zeros; expected {padded}: format the column as Text before typing, or type '{padded}",
                    "未知支部“{id}”，但有支部“{padded}”：电子表格去掉了编号开头的 0；应为 {padded}：请先将该列设为“文本”格式再输入，或输入 '{padded}"
                ),
                None => msg!(
                    "unknown branch `{id}`; expected a branch id of branches.csv",
                    "未知支部“{id}”；应为 branches.csv 中的支部编号"
                ),
            },
            Some(i) => {
                let span = self
                    .branches
                    .get(i)
                    .map(Branch::span_text)
                    .unwrap_or_default();
                msg!(
                    "branch `{id}` is not rated in {year} ({span}); expected a branch rated that year",
                    "支部“{id}”不参加 {year} 年度评定（{span}）；应为该年度参评的支部"
                )
            }
        }
    }
}

#[cfg(test)]
impl Workspace {
    fn branch_near(&self, id: &str, hint: usize) -> Option<usize> {
        self.near(id, key8(id), hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace of 9,000 branches whose ids are of 8 bytes or fewer, of 65,535 bytes and
    /// longer (their length is kept as "that long or longer"), and longer ones sharing their
    /// first 8 bytes; with the ids, in the order of the file.
    fn many_ids() -> (tempfile::TempDir, Workspace, Vec<String>) {
        let town = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang");
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(town.join("stars.toml"), tmp.path().join("stars.toml")).unwrap();
        for y in 2023..=2025 {
            std::fs::create_dir_all(tmp.path().join(y.to_string())).unwrap();
        }
        let long = "L".repeat(u16::MAX as usize);
        let ids: Vec<String> = (0..9000)
            .map(|i| match i % 3 {
                0 => format!("B{i}"),
                1 => format!("G{i:07}"),
                _ if i < 12 => format!("{long}{}", "x".repeat(i)),
                _ => format!("LONGPREFIX-{i}"),
            })
            .collect();
        let mut csv = String::from("id,name,domain,town,secretary,lead,project\n");
        for id in &ids {
            csv.push_str(&format!("{id},支部,rural,镇,书记,镇长,项目\n"));
        }
        std::fs::write(tmp.path().join("branches.csv"), csv).unwrap();
        let mut problems = Problems::new();
        let ws = Workspace::load(tmp.path(), Encoding::Auto, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        (tmp, ws, ids)
    }

    /// A sheet in id order that skips branches (a domain's sheet lists a sixth of them, an
    /// events file fewer) finds every branch from the one before, gaps of any length and ids
    /// sharing their first 8 bytes included, without ever searching anywhere: the table of
    /// ids, made on one core while the other waits, is never made for it.
    #[test]
    fn rows_in_id_order_with_gaps_find_their_branches_from_the_one_before() {
        let (_tmp, ws, _) = many_ids();
        let mut sorted: Vec<&str> = ws.branches.iter().map(|b| b.id()).collect();
        sorted.sort_unstable();
        for gap in [1, 2, 3, 5, 64, 65, 200, 4999] {
            let mut cursor = 0;
            for (i, id) in sorted.iter().enumerate().step_by(gap) {
                assert_eq!(
                    ws.branch_near(id, cursor),
                    Some(i),
                    "{id} after a gap of {gap}"
                );
                // The same branch again (a second opinion on it).
                assert_eq!(ws.branch_near(id, i), Some(i));
                cursor = i;
            }
            // Ids not in the table, between branches, from a branch before them.
            for unknown in ["B0x", "G0000001x", "LONGPREFIX-0", "LONGPREFIX-99999", "Z"] {
                assert_eq!(ws.branch_near(unknown, 0), None, "{unknown}");
            }
        }
        assert_eq!(ws.misses.load(Ordering::Relaxed), 0);
        assert!(ws.index.get().is_none(), "no table of ids");
    }

    /// Rows far from the previous row's branch find theirs by binary search, and, after many,
    /// through the hash table of ids: both find the same branch as [`Workspace::branch`],
    /// for ids of 8 bytes or fewer and longer ones sharing their first 8.
    #[test]
    fn branches_found_anywhere_are_the_branches_of_their_ids() {
        let (_tmp, ws, ids) = many_ids();
        let long = "L".repeat(u16::MAX as usize);
        // Every id from the far end of the table, twice: the first rounds search, the later
        // ones go through the table once it is made.
        for _ in 0..2 {
            for id in ids.iter().rev() {
                let want = ws.branch(id);
                assert!(want.is_some());
                assert_eq!(ws.branch_near(id, ws.branches.len() - 1), want, "{id}");
                assert_eq!(
                    ws.branch_near(id, 0).map(|i| ws.branches[i].id()),
                    Some(id.as_str())
                );
            }
        }
        assert!(ws.index.get().is_some(), "the table was made");
        let longer = format!("{long}xxxxxxxxxxxxxxxxxxxx");
        for unknown in [
            "B90000",
            "G9999999",
            "LONGPREFIX-X",
            "",
            "B",
            &long,
            &longer,
        ] {
            assert_eq!(ws.branch_near(unknown, 0), None, "{unknown}");
        }
    }

    /// A province's branches are each one of these: a field added or widened shows here.
    #[test]
    fn a_branch_row_lookup_takes_16_bytes() {
        assert_eq!(std::mem::size_of::<Hot>(), 16);
    }

    /// Dates read from their digits are the dates chrono reads.
    #[test]
    fn dates_from_digits_are_chronos() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let mut tried = 0;
        for y in [0, 1, 999, 1900, 2000, 2023, 2024, 2025, 2100, 9999] {
            for m in 0..=13 {
                for d in [0, 1, 9, 10, 28, 29, 30, 31, 32, 99] {
                    let s = format!("{y:04}-{m:02}-{d:02}");
                    assert_eq!(parse_date(&s), chrono(&s), "{s}");
                    tried += 1;
                }
            }
        }
        for s in [
            "+025-06-30",
            "2025-6-301",
            "2025/06/30",
            "2025-06-3x",
            " 2025-06-30 ",
            "２０２５-06-30",
        ] {
            let want = if s.trim().len() == 10 {
                chrono(s)
            } else {
                None
            };
            assert_eq!(parse_date(s), want, "{s}");
        }
        assert!(tried > 1000);
        assert_eq!(
            parse_date("2025-06-30"),
            NaiveDate::from_ymd_opt(2025, 6, 30)
        );
    }
}
