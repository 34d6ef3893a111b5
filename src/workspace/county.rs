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

/// A loaded county: its settings and its members, in the county's order.
#[derive(Debug)]
pub struct County {
    pub dir: PathBuf,
    /// The county folder as the user named it.
    pub shown: String,
    pub config: Config,
    /// In the order of `members`, and within a pattern in the order of the folders' names
    /// (as the walk found them): the order of the towns in every output.
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
        let mut walk = Walk::new(MAX_MEMBERS, MAX_WALKED);
        for pattern in &config.members {
            if !walk.expand(dir, pattern, &stars, problems) {
                return None;
            }
        }
        let rels = walk.found;
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
        // Two members of one folder name would write into one folder under `--output-dir`
        // (and `--town` names a member by its folder too): refused here, before any run.
        let mut by_folder: std::collections::BTreeMap<String, &Member> = Default::default();
        let mut by_rel: Vec<&Member> = members.iter().collect();
        by_rel.sort_by(|a, b| a.rel.cmp(&b.rel));
        for m in by_rel {
            // In any letter case: one folder on a file system that ignores it.
            match by_folder.entry(m.folder.to_lowercase()) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(m);
                }
                std::collections::btree_map::Entry::Occupied(first) => {
                    let (first, folder, this) = (&first.get().shown, &m.folder, &m.shown);
                    problems.push(members_problem(
                        &stars,
                        msg!(
                            "members {first} and {this} have the same folder name `{folder}`; expected each member's folder name once in the county (--output-dir writes a folder of that name for each town)",
                            "成员 {first} 与 {this} 的文件夹同名（“{folder}”）；县（区）内各成员的文件夹名应各不相同（--output-dir 按文件夹名为每个镇（街道）建立文件夹）"
                        ),
                    ));
                }
            }
        }
        // The members stay in the county's order — of `members`, then of folder name
        // within a pattern — the order of every output. Two members of one name would be
        // one town in every output.
        let mut by_name: std::collections::BTreeMap<&str, &Member> = Default::default();
        for m in &members {
            let Some(prev) = by_name.insert(m.town(), m) else {
                continue;
            };
            by_name.insert(m.town(), prev);
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

/// Most folder entries the `members` patterns may look through (a `**` over a large tree).
pub const MAX_WALKED: usize = 1_000_000;

/// The member folders the `members` patterns name, found by walking the county's folders
/// one pattern component at a time: a literal name is joined, a pattern (`*`, `?`, `[…]`;
/// hidden folders only when named) matched against a folder's entries, and `**` descends
/// real folders only — a linked folder is matched but never descended, and a folder
/// already walked (a bind mount of its parent) not walked again — so that a link loop
/// (`ln -s . towns/x`) cannot make the walk endless. A folder reached by two paths is
/// a member once (its first path, in name order). The walk stops as soon as more than
/// `limit` members are found or `budget` entries read.
struct Walk {
    /// Relative to the county, `/`-separated, in the order found.
    found: Vec<String>,
    seen_rel: BTreeSet<String>,
    seen_real: std::collections::HashSet<crate::source::FileKey>,
    limit: usize,
    budget: usize,
}

/// One component of a `members` pattern.
enum Part {
    Name(String),
    Match(glob::Pattern),
    Any,
}

impl Walk {
    fn new(limit: usize, budget: usize) -> Walk {
        Walk {
            found: Vec::new(),
            seen_rel: BTreeSet::new(),
            seen_real: Default::default(),
            limit,
            budget,
        }
    }

    /// Add the folders `pattern` names; `false` (with a problem) when the walk went past
    /// a limit. A pattern that names no folder, or one outside the county (`..`, an
    /// absolute path), is a problem.
    fn expand(&mut self, dir: &Path, pattern: &str, stars: &str, problems: &mut Problems) -> bool {
        let Some(parts) = parts_of(pattern, stars, problems) else {
            return true;
        };
        let before = self.found.len();
        let mut matched = false;
        // Depth first, each folder's entries in name order: (folder, relative path, part).
        let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
        let mut walked = std::collections::HashSet::new();
        while let Some((path, rel, k)) = stack.pop() {
            let Some(part) = parts.get(k) else {
                matched |= self.found_folder(&path, rel);
                if self.found.len() > self.limit {
                    let limit = self.limit;
                    problems.push(members_problem(
                        stars,
                        msg!(
                            "more than {limit} members; expected at most {limit}",
                            "成员超过 {limit} 个；最多 {limit} 个"
                        ),
                    ));
                    return false;
                }
                continue;
            };
            let join = |name: &str| match rel.is_empty() {
                true => name.to_string(),
                false => format!("{rel}/{name}"),
            };
            match part {
                Part::Name(name) => stack.push((path.join(name), join(name), k + 1)),
                Part::Match(p) => {
                    let entries = self.entries(&path, stars, problems);
                    let Some(entries) = entries else { return false };
                    for (name, child, _) in entries.into_iter().rev() {
                        if p.matches_with(&name, MATCH) {
                            stack.push((child, join(&name), k + 1));
                        }
                    }
                }
                Part::Any => {
                    // Each real folder is walked once (a bind mount can make a loop of them).
                    let key = crate::source::file_key(&path);
                    if !key.is_some_and(|key| walked.insert((key, k))) {
                        continue;
                    }
                    let entries = self.entries(&path, stars, problems);
                    let Some(entries) = entries else { return false };
                    for (name, child, linked) in entries.into_iter().rev() {
                        if name.starts_with('.') {
                            continue;
                        }
                        // A linked folder ends the `**`: matched, never descended.
                        stack.push((child, join(&name), if linked { k + 1 } else { k }));
                    }
                    // Zero folders: the rest of the pattern here, first.
                    stack.push((path, rel, k + 1));
                }
            }
        }
        if !matched && self.found.len() == before {
            let shown_pattern = crate::problem::escape(pattern);
            problems.push(members_problem(
                stars,
                msg!(
                    "member `{shown_pattern}` names no folder; expected a folder of the county (or a pattern matching some)",
                    "成员“{shown_pattern}”没有对应的文件夹；应为县（区）内的文件夹（或能匹配到文件夹的模式）"
                ),
            ));
        }
        true
    }

    /// A folder the pattern names (files are passed over): kept unless it is the county
    /// itself or was found before, by this path or another. Whether it is a folder.
    fn found_folder(&mut self, path: &Path, rel: String) -> bool {
        if rel.is_empty() {
            return false;
        }
        let Some(key) = std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_dir)
            .and_then(|_| crate::source::file_key(path))
        else {
            return false;
        };
        if !self.seen_rel.contains(&rel) && self.seen_real.insert(key) {
            self.seen_rel.insert(rel.clone());
            self.found.push(rel);
        }
        true
    }

    /// The entries of a folder that are folders (links followed), in name order: (name,
    /// path, whether it is a link). `None`, with a problem, past the budget.
    fn entries(
        &mut self,
        dir: &Path,
        stars: &str,
        problems: &mut Problems,
    ) -> Option<Vec<(String, PathBuf, bool)>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if self.budget == 0 {
                let max = MAX_WALKED;
                problems.push(members_problem(
                    stars,
                    msg!(
                        "the member patterns look through more than {max} folder entries; expected patterns naming the towns' folders, such as \"towns/*\"",
                        "成员匹配模式需要查看超过 {max} 个文件夹条目；应写出各镇（街道）文件夹的模式，如 \"towns/*\""
                    ),
                ));
                return None;
            }
            self.budget -= 1;
            if !super::files::is_folder(&e) {
                continue;
            }
            let linked = e.file_type().is_ok_and(|t| t.is_symlink());
            let name = e.file_name().to_string_lossy().into_owned();
            out.push((name, e.path(), linked));
        }
        out.sort();
        Some(out)
    }
}

/// The components of a `members` pattern, checked: a path inside the county, a valid
/// pattern (glob's rules: `**` a whole component); `None` with a problem.
fn parts_of(pattern: &str, stars: &str, problems: &mut Problems) -> Option<Vec<Part>> {
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
        return None;
    }
    let invalid = |why: &str, problems: &mut Problems| {
        problems.push(members_problem(
            stars,
            msg!(
                "member `{shown_pattern}` is not a valid pattern ({why}); expected a folder path, with * for any name",
                "成员“{shown_pattern}”不是有效的匹配模式（{why}）；应为文件夹路径，可用 * 代表任意名称"
            ),
        ));
    };
    if let Err(e) = glob::Pattern::new(pattern) {
        invalid(e.msg, problems);
        return None;
    }
    let mut parts = Vec::new();
    for c in pattern
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
    {
        parts.push(match c {
            "**" => Part::Any,
            c if !c.contains(['*', '?', '[']) => Part::Name(c.to_string()),
            c => match glob::Pattern::new(c) {
                Ok(p) => Part::Match(p),
                Err(e) => {
                    invalid(e.msg, problems);
                    return None;
                }
            },
        });
    }
    Some(parts)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn folders(root: &Path, names: &[&str]) {
        for n in names {
            std::fs::create_dir_all(root.join(n)).unwrap();
        }
    }

    /// The walk ends at the member limit as it walks, not after collecting.
    #[test]
    fn the_walk_stops_at_the_member_limit() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..50).map(|i| format!("towns/t{i:02}")).collect();
        folders(
            dir.path(),
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let mut problems = Problems::new();
        let mut walk = Walk::new(10, 1_000);
        assert!(!walk.expand(dir.path(), "towns/*", "stars.toml", &mut problems));
        assert_eq!(walk.found.len(), 11, "stopped at the eleventh");
        let text = problems.sorted()[0].to_string();
        assert!(text.contains("more than 10 members"), "{text}");
        // And at the entries it may read, matched or not.
        let mut problems = Problems::new();
        let mut walk = Walk::new(100, 20);
        assert!(!walk.expand(dir.path(), "towns/*/x", "stars.toml", &mut problems));
        let text = problems.sorted()[0].to_string();
        assert!(text.contains("folder entries"), "{text}");
    }

    /// Links are matched, not descended by `**`; a folder reached twice is one member.
    #[cfg(unix)]
    #[test]
    fn link_loops_end_and_a_folder_is_found_once() {
        let dir = tempfile::tempdir().unwrap();
        folders(dir.path(), &["towns/a/2025", "towns/b", "elsewhere/c"]);
        std::os::unix::fs::symlink(".", dir.path().join("towns/x")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("towns/a/up")).unwrap();
        std::os::unix::fs::symlink("../elsewhere/c", dir.path().join("towns/c")).unwrap();
        let mut problems = Problems::new();
        let mut walk = Walk::new(100, 1_000);
        assert!(walk.expand(dir.path(), "towns/**", "stars.toml", &mut problems));
        assert!(walk.expand(dir.path(), "towns/*", "stars.toml", &mut problems));
        assert!(problems.is_empty());
        let mut found = walk.found.clone();
        found.sort();
        // `towns/x` is `towns`, `towns/a/up` is `towns` too: found once, by their first path.
        assert_eq!(
            found,
            ["towns", "towns/a", "towns/a/2025", "towns/b", "towns/c"]
        );
    }
}
