//! A county: a workspace whose `stars.toml` lists `members`, each an ordinary town
//! workspace (as Cargo's workspaces list crates). Standards and settings resolve member →
//! county → built-in; each member is loaded on its own, so that a county of any size is
//! held one member at a time.

use super::config::{self, Config, Role};
use crate::i18n::msg;
use crate::problem::{Problem, Problems};
use crate::source::join_shown;
use crate::standard::{self, Domain, Standards};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Most members a county may list (a nation is about 40,000 towns).
pub const MAX_MEMBERS: usize = 100_000;

/// A loaded county: its settings and its members, in town order.
#[derive(Debug)]
pub struct County {
    pub dir: PathBuf,
    /// The county folder as the user named it.
    pub shown: String,
    pub config: Config,
    /// Sorted by town name, then folder.
    pub members: Vec<Member>,
    /// The members whose `stars.toml` could not be read (folder as shown, its problems):
    /// not run, reported with the others' problems.
    pub broken: Vec<(String, Problems)>,
    /// The county's standards (its `standards/` over the built-in ones), read once for
    /// every member that has no `standards/` of its own.
    standards: OnceLock<Option<Arc<Standards>>>,
    /// By year, whether any member has a decisions file (then every member's ratings have
    /// the decision columns), looked at once.
    decisions: std::sync::Mutex<std::collections::BTreeMap<i32, bool>>,
}

/// One member of a county.
#[derive(Debug)]
pub struct Member {
    pub dir: PathBuf,
    /// The member folder as the user would name it (the county's name joined with it).
    pub shown: String,
    /// Its path relative to the county (`towns/dawang`).
    pub rel: String,
    /// Its folder's own name (`dawang`): the folder of its files under `--output-dir`.
    pub folder: String,
    /// Its `name` in `stars.toml`: the town, as outputs show it.
    pub config: Config,
}

/// What a member's folder gave when its county was loaded.
enum Found {
    Member(Member),
    /// No stars.toml: the county's problem.
    Missing(Problem),
    /// A stars.toml with problems (the folder as shown, its problems).
    Broken(String, Problems),
}

impl Member {
    pub fn town(&self) -> &str {
        &self.config.name
    }
}

/// Does `dir` hold a county (a `stars.toml` with `members`)? Read cheaply, without
/// reporting: a county's problems are reported when it is loaded.
pub fn is_county(dir: &Path) -> bool {
    config::peek(dir, |root, _| root.has("members")).unwrap_or(false)
}

impl County {
    /// Load the county of `dir` and the `stars.toml` of every member.
    pub fn load(dir: &Path, shown: &str, problems: &mut Problems) -> Option<County> {
        let before = problems.len();
        let config = config::load(dir, shown, Role::County, problems)?;
        let stars = join_shown(shown, "stars.toml");
        let mut rels = Vec::new();
        let mut seen = BTreeSet::new();
        for pattern in &config.members {
            for rel in expand(dir, pattern, &stars, problems) {
                if !seen.insert(rel.clone()) {
                    continue;
                }
                if seen.len() > MAX_MEMBERS {
                    problems.push(members_problem(
                        &stars,
                        msg!(
                            "more than {MAX_MEMBERS} members; expected at most {MAX_MEMBERS}",
                            "成员超过 {MAX_MEMBERS} 个；最多 {MAX_MEMBERS} 个"
                        ),
                    ));
                    return None;
                }
                rels.push(rel);
            }
        }
        // Each member's stars.toml, read on both cores (a nation has 40,000), told in order.
        let read = crate::threads::run_all(rels.len(), |i| {
            let rel = rels.get(i)?;
            let mdir = dir.join(rel);
            let mshown = join_shown(shown, rel);
            if !mdir.join("stars.toml").is_file() {
                let problem = members_problem(
                    &stars,
                    msg!(
                        "member {mshown} has no stars.toml; expected a town workspace (`stars init {mshown}` makes one)",
                        "成员 {mshown} 中没有 stars.toml；应为一个镇（街道）工作区（可用 `stars init {mshown}` 新建）"
                    ),
                );
                return Some(Found::Missing(problem));
            }
            // A member whose stars.toml is wrong is set apart: the others still run.
            let mut own = Problems::new();
            let mconfig = config::load(&mdir, &mshown, Role::Member(&config), &mut own);
            let Some(mconfig) = mconfig.filter(|_| own.is_empty()) else {
                return Some(Found::Broken(mshown, own));
            };
            let folder = rel.rsplit('/').next().unwrap_or(rel).to_string();
            Some(Found::Member(Member {
                dir: mdir,
                shown: mshown,
                rel: rel.clone(),
                folder,
                config: mconfig,
            }))
        });
        let mut members = Vec::new();
        let mut broken = Vec::new();
        for r in read.into_iter().flatten() {
            match r {
                Found::Member(member) => members.push(member),
                Found::Missing(problem) => problems.push(problem),
                Found::Broken(shown, own) => broken.push((shown, own)),
            }
        }
        if config.members.is_empty() {
            problems.push(members_problem(
                &stars,
                crate::i18n::tr(
                    "`members` is empty; expected the member folders, e.g. members = [\"towns/*\"]",
                    "`members` 为空；应列出成员文件夹，如 members = [\"towns/*\"]",
                )
                .to_string(),
            ));
        }
        members.sort_by(|a, b| (a.town(), &a.rel).cmp(&(b.town(), &b.rel)));
        // Two members of one name would be one town in every output (sorted, they meet).
        for pair in members.windows(2) {
            let [prev, m] = pair else { continue };
            if prev.town() != m.town() {
                continue;
            }
            let (town, first) = (m.town(), &prev.shown);
            problems.push(Problem::file(
                join_shown(&m.shown, "stars.toml"),
                msg!(
                    "town name `{town}` is also the name of {first}; expected each member's `name` once in the county",
                    "镇（街道）名称“{town}”与 {first} 重复；县（区）内每个成员的 name 应各不相同"
                ),
            ).with_key("name"));
        }
        (problems.len() == before).then_some(County {
            dir: dir.to_path_buf(),
            shown: shown.to_string(),
            config,
            members,
            broken,
            standards: OnceLock::new(),
            decisions: Default::default(),
        })
    }

    /// Whether any member has a decisions file for `year` (the records of the year).
    pub fn any_decisions(&self, year: i32) -> bool {
        let has = |m: &Member| {
            let listing = super::files::Listing::of(&m.dir.join(year.to_string()));
            let found = listing
                .of_kind(super::files::Kind::Decisions)
                .next()
                .is_some();
            found
        };
        match self.decisions.lock() {
            Ok(mut known) => *known
                .entry(year)
                .or_insert_with(|| self.members.iter().any(has)),
            Err(_) => self.members.iter().any(has),
        }
    }

    /// The county's standards for a member without a `standards/` folder of its own:
    /// read once, with every domain.
    pub fn standards(&self, problems: &mut Problems) -> Option<Arc<Standards>> {
        let mut found = Problems::new();
        let s = self.standards.get_or_init(|| {
            let all: BTreeSet<Domain> = Domain::ALL.into_iter().collect();
            standard::load(&[(&self.dir, &self.shown)], &all, &mut found).map(Arc::new)
        });
        problems.extend(found);
        s.clone()
    }

    /// The members whose town (or folder) is one of `towns`; every member when `towns` is
    /// empty. A name that is no member's is a problem naming the towns there are.
    pub fn select(&self, towns: &[String], problems: &mut Problems) -> Vec<&Member> {
        if towns.is_empty() {
            return self.members.iter().collect();
        }
        let named = |m: &Member, t: &str| m.town() == t || m.folder == t;
        for t in towns {
            if !self.members.iter().any(|m| named(m, t)) {
                let there: Vec<&str> = self.members.iter().map(Member::town).collect();
                let there = crate::i18n::list(&there.join(", "));
                let t = crate::problem::escape(t);
                problems.push(Problem::file(
                    join_shown(&self.shown, "stars.toml"),
                    msg!(
                        "no town `{t}` among the county's members; expected one of: {there}",
                        "县（区）成员中没有“{t}”；应为以下之一：{there}"
                    ),
                ));
            }
        }
        self.members
            .iter()
            .filter(|m| towns.iter().any(|t| named(m, t)))
            .collect()
    }
}

/// How `members` patterns match: `*` within one folder name, hidden folders only when named.
const MATCH: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

fn members_problem(stars: &str, message: String) -> Problem {
    Problem::file(stars, message).with_key("members")
}

/// The member folders a `members` entry names: the folder itself, or the folders its glob
/// matches (`*`, `?`, `[…]`; hidden folders only when named), relative to the county and
/// `/`-separated, in name order. Files matched are passed over; a pattern that names no
/// folder, or one outside the county (`..`, an absolute path), is a problem.
fn expand(dir: &Path, pattern: &str, stars: &str, problems: &mut Problems) -> Vec<String> {
    let shown_pattern = crate::problem::escape(pattern);
    let outside = Path::new(pattern).is_absolute() || pattern.split(['/', '\\']).any(|c| c == "..");
    if outside || pattern.trim().is_empty() {
        problems.push(members_problem(
            stars,
            msg!(
                "member `{shown_pattern}` is not a folder inside the county; expected a path relative to it, such as \"towns/*\"",
                "成员“{shown_pattern}”不是县（区）文件夹内的路径；应为相对路径，如 \"towns/*\""
            ),
        ));
        return Vec::new();
    }
    // The folder without trailing separators (`-w ./`: `.//towns/*` matches nothing).
    let folder = dir.to_string_lossy();
    let folder = folder.trim_end_matches('/');
    let full = format!("{}/{pattern}", glob::Pattern::escape(folder));
    let paths = match glob::glob_with(&full, MATCH) {
        Ok(paths) => paths,
        Err(e) => {
            let why = e.msg;
            problems.push(members_problem(
                stars,
                msg!(
                    "member `{shown_pattern}` is not a valid pattern ({why}); expected a folder path, with * for any name",
                    "成员“{shown_pattern}”不是有效的匹配模式（{why}）；应为文件夹路径，可用 * 代表任意名称"
                ),
            ));
            return Vec::new();
        }
    };
    // The matches relative to the county: glob drops a leading `./` (the default `-w .`).
    let plain = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let base = plain(dir);
    let mut out: Vec<String> = paths
        .flatten()
        .filter(|p| p.is_dir())
        .filter_map(|p| {
            plain(&p)
                .strip_prefix(&base)
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"))
        })
        .filter(|r| !r.is_empty())
        .collect();
    out.sort();
    if out.is_empty() {
        problems.push(members_problem(
            stars,
            msg!(
                "member `{shown_pattern}` names no folder; expected a folder of the county (or a pattern matching some)",
                "成员“{shown_pattern}”没有对应的文件夹；应为县（区）内的文件夹（或能匹配到文件夹的模式）"
            ),
        ));
    }
    out
}

/// The county `dir` is a member of, when it is run on its own: the nearest folder above
/// with a `stars.toml`, if that is a county listing `dir`. Its problems are not reported
/// here (the county's own run reports them): a member whose county cannot be read is
/// read as a town.
pub fn enclosing(dir: &Path) -> Option<County> {
    let real = dir.canonicalize().ok()?;
    let above = real
        .ancestors()
        .skip(1)
        .find(|a| a.join("stars.toml").is_file())?;
    // Read as a county's: a town's has no `members`, and lists none.
    let mut ignored = Problems::new();
    let shown = above.to_string_lossy().into_owned();
    let config = config::load(above, &shown, Role::County, &mut ignored)?;
    // Matched by name, without listing the county's folders (a nation has 40,000).
    let Ok(rel) = real.strip_prefix(above) else {
        return None;
    };
    let listed = config
        .members
        .iter()
        .any(|p| glob::Pattern::new(p).is_ok_and(|pattern| pattern.matches_path_with(rel, MATCH)));
    listed.then(|| County {
        dir: above.to_path_buf(),
        shown,
        config,
        members: Vec::new(),
        broken: Vec::new(),
        standards: OnceLock::new(),
        decisions: Default::default(),
    })
}

/// The folders whose `standards/` count for the workspace `dir` (for `standards show` and
/// `template --legend`), as (folder, shown): it, then its county when it is a member; none
/// outside a workspace.
pub fn standard_dirs(dir: &Path, shown: &str, in_workspace: bool) -> Vec<(PathBuf, String)> {
    if !in_workspace {
        return Vec::new();
    }
    let mut dirs = vec![(dir.to_path_buf(), shown.to_string())];
    if let Some(c) = enclosing(dir) {
        dirs.push((c.dir, c.shown));
    }
    dirs
}
