//! Reading and checking the standard files.

use super::builtin::{builtin, FILE_NAMES};
use super::*;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::{self, Encoding};
use crate::toml_read::{Fields, TomlDoc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A value with the place it was read from, to locate later problems about it.
#[derive(Debug, Clone)]
pub(super) struct At<T> {
    pub(super) value: T,
    pub(super) at: Problem,
}

impl<T> At<T> {
    pub(super) fn new(value: T, at: Problem) -> At<T> {
        At { value, at }
    }

    pub(super) fn problem(&self, msg: String) -> Problem {
        Problem {
            message: msg,
            ..self.at.clone()
        }
    }
}

/// Settings as one file gives them: every key optional.
#[derive(Debug, Clone, Default)]
struct Patch {
    levels: [Option<At<Decimal>>; 3],
    levels_at: Option<Problem>,
    /// five, four, three, two and (a local rule) one.
    stars: [Option<At<Decimal>>; 5],
    stars_at: Option<Problem>,
    bonus_cap: Option<At<Decimal>>,
    bottom_line_cap: Option<u8>,
    rectify_below: Option<At<Decimal>>,
    review_required: Option<Vec<String>>,
    max_step_up: Option<u8>,
    demote_at: Option<u32>,
    reward_streak: Option<u32>,
    remind_at_or_below: Option<u8>,
    rectify_days: Option<u32>,
    first_year: Option<FirstYear>,
    /// `[survey]` (replaced whole by a domain's) and `[deduction] levels`.
    survey: Option<Survey>,
    deduction: Option<[bool; 3]>,
}

impl Patch {
    /// `self` with every key that `over` gives replaced.
    fn overlay(&self, over: &Patch) -> Patch {
        fn pick<T: Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
            b.clone().or_else(|| a.clone())
        }
        let mut levels = self.levels.clone();
        for (l, o) in levels.iter_mut().zip(&over.levels) {
            *l = pick(l, o);
        }
        let mut stars = self.stars.clone();
        for (s, o) in stars.iter_mut().zip(&over.stars) {
            *s = pick(s, o);
        }
        Patch {
            levels,
            levels_at: pick(&self.levels_at, &over.levels_at),
            stars,
            stars_at: pick(&self.stars_at, &over.stars_at),
            bonus_cap: pick(&self.bonus_cap, &over.bonus_cap),
            bottom_line_cap: pick(&self.bottom_line_cap, &over.bottom_line_cap),
            rectify_below: pick(&self.rectify_below, &over.rectify_below),
            review_required: pick(&self.review_required, &over.review_required),
            max_step_up: pick(&self.max_step_up, &over.max_step_up),
            demote_at: pick(&self.demote_at, &over.demote_at),
            reward_streak: pick(&self.reward_streak, &over.reward_streak),
            remind_at_or_below: pick(&self.remind_at_or_below, &over.remind_at_or_below),
            rectify_days: pick(&self.rectify_days, &over.rectify_days),
            first_year: pick(&self.first_year, &over.first_year),
            survey: pick(&self.survey, &over.survey),
            deduction: pick(&self.deduction, &over.deduction),
        }
    }
}

const ROOT_COMMON: &str = "levels, stars, bonus_cap, bottom_line_cap, rectify_below, review, adjust, quota, survey, deduction, indicator, incentive, restraint, red_line, floor";
const ROOT_DOMAIN: &str = "domain, name, name_zh, levels, stars, bonus_cap, bottom_line_cap, rectify_below, review, adjust, survey, deduction, indicator, incentive, restraint, red_line, floor";

/// A root's known keys: `base` and those of stars by theme ([`themes::ROOT_KEYS`]).
fn root_keys(base: &str) -> String {
    format!("{base}, {}", themes::ROOT_KEYS)
}

/// The most indicators a domain's standard may have.
pub const MAX_INDICATORS: usize = 64;

/// One standard file, parsed.
struct FileStandard {
    name: String,
    domain: Option<At<Domain>>,
    title: Option<(String, String)>,
    patch: Patch,
    indicators: Vec<At<Indicator>>,
    items: Vec<At<Item>>,
    floors: Vec<At<Floor>>,
    /// `stars_by`, `[[theme]]` and each indicator's `theme` (stars by theme).
    themes: themes::FileThemes,
    /// `[quota]`, read in common.toml only.
    quota: Option<Quota>,
    root_at: Problem,
    /// Every `[[indicator]]` table was read (else the points total is not checked).
    indicators_complete: bool,
}

/// Load the standards: for each file, the first of `dirs` (workspace folders, nearest
/// first: a county's member, then the county) whose `standards/` has it, else the
/// built-in one. `needed` are the domains that must be complete (those with branches); a
/// domain file a workspace supplies is always checked.
pub fn load(
    dirs: &[(&Path, &str)],
    needed: &BTreeSet<Domain>,
    problems: &mut Problems,
) -> Option<Standards> {
    let before = problems.len();
    let mut texts: BTreeMap<&str, (String, String, bool)> = BTreeMap::new();
    for (dir, shown) in dirs {
        let sdir = dir.join("standards");
        if sdir.is_dir() {
            check_unknown_files(&sdir, shown, problems);
        }
    }
    for name in FILE_NAMES {
        let own = dirs.iter().find_map(|(dir, shown)| {
            let path = dir.join("standards").join(name);
            path.exists().then(|| {
                (
                    path,
                    crate::source::join_shown(shown, &format!("standards/{name}")),
                )
            })
        });
        match own {
            Some((path, shown)) => {
                if let Some(t) = source::read(&path, &shown, false, Encoding::Utf8, problems) {
                    texts.insert(name, (shown, t.text, true));
                }
            }
            None => {
                if let Some(t) = builtin(name) {
                    let shown = msg!("(built-in) standards/{name}", "内置 standards/{name}");
                    texts.insert(name, (shown, t.to_string(), false));
                }
            }
        }
    }

    let common = texts
        .get("common.toml")
        .and_then(|(shown, text, _)| parse_file(shown, text, true, problems));
    let mut by_domain = BTreeMap::new();
    for domain in Domain::ALL {
        let fname = domain.file_name();
        let Some((shown, text, own)) = texts.get(fname.as_str()) else {
            continue;
        };
        if !needed.contains(&domain) && !own {
            continue;
        }
        let Some(file) = parse_file(shown, text, false, problems) else {
            continue;
        };
        if let Some(c) = &common {
            if let Some(std) = combine(domain, c, &file, problems) {
                by_domain.insert(domain, std);
            }
        }
    }
    let quota = common.and_then(|c| c.quota);
    (problems.len() == before).then(|| Standards::new(by_domain, quota))
}

fn check_unknown_files(sdir: &Path, shown: &str, problems: &mut Problems) {
    let Ok(entries) = std::fs::read_dir(sdir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    for n in names {
        if !FILE_NAMES.contains(&n.as_str()) {
            let expected = crate::i18n::list(&FILE_NAMES.join(", "));
            problems.push(Problem::file(
                crate::source::join_shown(shown, &format!("standards/{n}")),
                msg!(
                    "unknown standard file `{n}`; expected one of: {expected}",
                    "未知的评星标准文件“{n}”；应为以下之一：{expected}"
                ),
            ));
        }
    }
}

fn parse_file(
    shown: &str,
    text: &str,
    common: bool,
    problems: &mut Problems,
) -> Option<FileStandard> {
    let doc = TomlDoc::new(shown, text);
    let parsed = doc.parse(problems)?;
    let mut root = doc.root(&parsed);
    let root_at = Problem::file(shown, String::new());
    let mut out = FileStandard {
        name: shown.to_string(),
        domain: None,
        title: None,
        patch: Patch::default(),
        indicators: Vec::new(),
        items: Vec::new(),
        floors: Vec::new(),
        themes: themes::FileThemes::default(),
        quota: None,
        root_at,
        indicators_complete: true,
    };
    if !common {
        if let Some(d) = root.string("domain", true, problems) {
            match Domain::parse(&d) {
                Some(domain) => {
                    out.domain = Some(At {
                        value: domain,
                        at: root.key_problem("domain", String::new()),
                    })
                }
                None => {
                    let expected = crate::i18n::list(&Domain::expected());
                    problems.push(root.key_problem(
                        "domain",
                        msg!(
                            "unknown domain `{d}`; expected one of: {expected}",
                            "未知领域“{d}”；应为以下之一：{expected}"
                        ),
                    ))
                }
            }
        }
        let name = root.text("name", true, problems);
        let name_zh = root.text("name_zh", true, problems);
        if let (Some(n), Some(z)) = (name, name_zh) {
            out.title = Some((n, z));
        }
    }
    out.patch = read_settings(&mut root, common, problems);
    let origin = if common {
        Origin::Common
    } else {
        Origin::Domain
    };
    out.themes = themes::FileThemes::read(&mut root, origin, problems);
    for mut t in root.tables("indicator", problems) {
        let theme = themes::FileThemes::indicator_theme(&mut t, problems);
        let before = problems.len();
        match read_indicator(&mut t, origin, common, problems) {
            Some(i) if problems.len() == before => out.indicators.push(i),
            Some(i) => {
                out.indicators.push(i);
                out.indicators_complete = false;
            }
            None => out.indicators_complete = false,
        }
        // The theme key of each indicator kept, in their order.
        if out.indicators.len() > out.themes.indicators_noted() {
            out.themes.push_indicator(theme);
        }
        t.finish(
            "id, name, name_zh, points, bottom_line, bottom_line_cap, rubric, guidance, kind, theme",
            problems,
        );
    }
    for kind in ["incentive", "restraint", "red_line"] {
        for mut t in root.tables(kind, problems) {
            if let Some(i) = read_item(&mut t, kind, origin, problems) {
                out.items.push(i);
            }
            let keys = match kind {
                "red_line" => "id, name, name_zh, cap",
                "incentive" => "id, name, name_zh, points, exceptional",
                _ => "id, name, name_zh, points",
            };
            t.finish(keys, problems);
        }
    }
    for mut t in root.tables("floor", problems) {
        if let Some(f) = read_floor(&mut t, origin, problems) {
            out.floors.push(f);
        }
        t.finish("id, name, name_zh, level, below, cap", problems);
    }
    if common {
        out.quota = read_quota(&mut root, problems);
    } else if root.has("quota") {
        let _ = root.table("quota", problems);
        problems.push(root.key_problem(
            "quota",
            tr(
                "a quota belongs in common.toml (it holds across the domains); expected it there",
                "五星名额应写在 common.toml 中（跨领域统一适用）",
            )
            .into(),
        ));
    }
    root.finish(
        &root_keys(if common { ROOT_COMMON } else { ROOT_DOMAIN }),
        problems,
    );
    Some(out)
}

fn read_settings(root: &mut Fields, required: bool, problems: &mut Problems) -> Patch {
    let mut p = Patch::default();
    let dec = |f: &mut Fields, key: &str, problems: &mut Problems| {
        let at = f.key_problem(key, String::new());
        f.decimal(key, required, problems)
            .map(|value| At { value, at })
    };
    let missing = |key: &str| msg!("missing key `{key}`", "缺少键“{key}”");
    if !root.has("levels") && required {
        problems.push(root.problem(missing("levels")));
    }
    if let Some(mut t) = root.table("levels", problems) {
        p.levels_at = Some(t.problem(String::new()));
        for l in Level::ALL {
            p.levels[l.index()] = dec(&mut t, l.as_str(), problems);
        }
        t.finish("self, mass, organization", problems);
    }
    if !root.has("stars") && required {
        problems.push(root.problem(missing("stars")));
    }
    if let Some(mut t) = root.table("stars", problems) {
        p.stars_at = Some(t.problem(String::new()));
        for (i, k) in ["five", "four", "three", "two"].into_iter().enumerate() {
            p.stars[i] = dec(&mut t, k, problems);
        }
        // A local rule, never required.
        let at = t.key_problem("one", String::new());
        p.stars[4] = t
            .decimal("one", false, problems)
            .map(|value| At { value, at });
        t.finish("five, four, three, two, one", problems);
    }
    p.bonus_cap = dec(root, "bonus_cap", problems);
    p.bottom_line_cap = root
        .integer("bottom_line_cap", required, 0..=5, problems)
        .map(|v| v as u8);
    p.rectify_below = dec(root, "rectify_below", problems);
    if !root.has("review") && required {
        problems.push(root.problem(missing("review")));
    }
    if let Some(mut t) = root.table("review", problems) {
        if let Some(list) = t.string_array("required", required, problems) {
            let mut seen = BTreeSet::new();
            let mut ok = true;
            for d in &list {
                if !is_id(d) {
                    ok = false;
                    problems.push(t.key_problem(
                        "required",
                        msg!(
                            "department `{d}` is not a valid name; expected letters, digits and _",
                            "部门“{d}”不是有效的名称；应由字母、数字和 _ 组成"
                        ),
                    ));
                } else if !seen.insert(d.clone()) {
                    ok = false;
                    problems.push(t.key_problem(
                        "required",
                        msg!("department `{d}` is listed twice", "部门“{d}”重复列出"),
                    ));
                }
            }
            if ok {
                p.review_required = Some(list);
            }
        }
        t.finish("required", problems);
    }
    if !root.has("adjust") && required {
        problems.push(root.problem(missing("adjust")));
    }
    if let Some(mut t) = root.table("adjust", problems) {
        p.max_step_up = t
            .integer("max_step_up", required, 1..=5, problems)
            .map(|v| v as u8);
        p.demote_at = t
            .integer("demote_at", required, 1..=10_000, problems)
            .map(|v| v as u32);
        p.reward_streak = t
            .integer("reward_streak", required, 1..=100, problems)
            .map(|v| v as u32);
        p.remind_at_or_below = t
            .integer("remind_at_or_below", required, 0..=5, problems)
            .map(|v| v as u8);
        p.rectify_days = t
            .integer("rectify_days", required, 0..=3650, problems)
            .map(|v| v as u32);
        if let Some(v) = t.string("first_year", false, problems) {
            match v.as_str() {
                "rated" => p.first_year = Some(FirstYear::Rated),
                "trial" => p.first_year = Some(FirstYear::Trial),
                _ => problems.push(t.key_problem(
                    "first_year",
                    msg!(
                        "unknown first_year `{v}`; expected \"rated\" or \"trial\"",
                        "未知的 first_year“{v}”；应为 \"rated\" 或 \"trial\""
                    ),
                )),
            }
        }
        t.finish(
            "max_step_up, demote_at, reward_streak, remind_at_or_below, rectify_days, first_year",
            problems,
        );
    }
    // The records of the year (SPEC.md "Records of the year"): never required.
    (p.survey, p.deduction) = super::records::read(root, problems);
    p
}

/// Ids are codes that stand in CSV headers and item ids: ASCII letters, digits and `_`.
pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub(super) fn read_id(t: &mut Fields, problems: &mut Problems) -> Option<String> {
    let id = t.string("id", true, problems)?;
    if !is_id(&id) {
        problems.push(t.key_problem(
            "id",
            msg!(
                "id `{id}` is not valid; expected 1 to 32 ASCII letters, digits or _",
                "编号“{id}”无效；应为 1 到 32 个 ASCII 字母、数字或 _"
            ),
        ));
        return None;
    }
    Some(id)
}

fn read_indicator(
    t: &mut Fields,
    origin: Origin,
    common: bool,
    problems: &mut Problems,
) -> Option<At<Indicator>> {
    let at = t.problem(String::new());
    let id = read_id(t, problems);
    let name = t.text("name", true, problems);
    let name_zh = t.text("name_zh", true, problems);
    let points_at = t.key_problem("points", String::new());
    let points = t.decimal("points", true, problems);
    if let Some(p) = points {
        if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
            problems.push(Problem {
                message: msg!(
                    "points {p} are out of range; expected more than 0 and at most 100",
                    "分值 {p} 超出范围；应大于 0 且不超过 100"
                ),
                ..points_at
            });
        }
    }
    let bottom_line = t.decimal("bottom_line", false, problems);
    if let (Some(b), Some(p)) = (bottom_line, points) {
        if b <= Decimal::ZERO || b > p {
            problems.push(t.key_problem(
                "bottom_line",
                msg!(
                    "bottom line {b} is out of range; expected more than 0 and at most the points ({p})",
                    "底线 {b} 超出范围；应大于 0 且不超过该项分值（{p}）"
                ),
            ));
        }
    }
    let bottom_line_cap = t
        .integer("bottom_line_cap", false, 0..=5, problems)
        .map(|v| v as u8);
    if bottom_line_cap.is_some() && bottom_line.is_none() && !t.has("bottom_line") {
        problems.push(t.key_problem(
            "bottom_line_cap",
            tr(
                "bottom_line_cap without a bottom_line caps nothing; expected a bottom_line on this indicator",
                "没有 bottom_line 时 bottom_line_cap 不起作用；该指标应同时设置 bottom_line",
            )
            .into(),
        ));
    }
    let rubric = t.text("rubric", true, problems);
    let guidance = t.text("guidance", true, problems);
    let mut secretary_project = false;
    if let Some(kind) = t.string("kind", false, problems) {
        if kind != "secretary_project" {
            problems.push(t.key_problem(
                "kind",
                msg!(
                    "unknown kind `{kind}`; expected \"secretary_project\" or no kind",
                    "未知类型“{kind}”；应为 \"secretary_project\" 或不写 kind"
                ),
            ));
        } else if common {
            problems.push(
                t.key_problem(
                    "kind",
                    tr(
                        "a secretary project belongs in a domain file, not in common.toml",
                        "书记项目应写在领域文件中，不能写在 common.toml 中",
                    )
                    .into(),
                ),
            );
        } else {
            secretary_project = true;
        }
    }
    Some(At {
        value: Indicator {
            id: id?,
            name: name?,
            name_zh: name_zh?,
            points: points?,
            bottom_line,
            bottom_line_cap,
            rubric: rubric?,
            guidance: guidance?,
            secretary_project,
            theme: None,
            origin,
        },
        at,
    })
}

fn read_item(
    t: &mut Fields,
    kind: &str,
    origin: Origin,
    problems: &mut Problems,
) -> Option<At<Item>> {
    let at = t.problem(String::new());
    let id = read_id(t, problems);
    let name = t.text("name", true, problems);
    let name_zh = t.text("name_zh", true, problems);
    let kind = if kind == "red_line" {
        ItemKind::RedLine(t.integer("cap", true, 0..=5, problems)? as u8)
    } else {
        let points = t.decimal("points", true, problems)?;
        if points <= Decimal::ZERO || points > Decimal::ONE_HUNDRED {
            problems.push(t.key_problem(
                "points",
                msg!(
                    "points {points} are out of range; expected more than 0 and at most 100",
                    "分值 {points} 超出范围；应大于 0 且不超过 100"
                ),
            ));
        }
        if kind == "incentive" {
            ItemKind::Incentive(points)
        } else {
            ItemKind::Restraint(points)
        }
    };
    let exceptional = matches!(kind, ItemKind::Incentive(_))
        && t.boolean("exceptional", false, problems).unwrap_or(false);
    Some(At {
        value: Item {
            id: id?,
            name: name?,
            name_zh: name_zh?,
            kind,
            exceptional,
            origin,
        },
        at,
    })
}

/// `[[floor]]`: a level's rating below `below` caps the star (a local rule).
fn read_floor(t: &mut Fields, origin: Origin, problems: &mut Problems) -> Option<At<Floor>> {
    let at = t.problem(String::new());
    let id = read_id(t, problems);
    let name = t.text("name", true, problems);
    let name_zh = t.text("name_zh", true, problems);
    let level = t.string("level", true, problems).and_then(|l| {
        let level = Level::parse(&l);
        if level.is_none() {
            problems.push(t.key_problem(
                "level",
                msg!(
                    "unknown level `{l}`; expected self, mass or organization",
                    "未知层级“{l}”；应为 self、mass 或 organization"
                ),
            ));
        }
        level
    });
    let below = t.decimal("below", true, problems).filter(|b| {
        let ok = *b >= Decimal::ZERO && *b <= Decimal::ONE_HUNDRED;
        if !ok {
            problems.push(t.key_problem(
                "below",
                msg!(
                    "below {b} is out of range; expected 0 to 100",
                    "below {b} 超出范围；应为 0 到 100"
                ),
            ));
        }
        ok
    });
    let cap = t.integer("cap", true, 0..=5, problems).map(|v| v as u8);
    Some(At {
        value: Floor {
            id: id?,
            name: name?,
            name_zh: name_zh?,
            level: level?,
            below: below?,
            cap: cap?,
            origin,
        },
        at,
    })
}

/// `[quota]` of common.toml: `five` (a share, 0–1) and `per` (a local rule).
fn read_quota(root: &mut Fields, problems: &mut Problems) -> Option<Quota> {
    let mut t = root.table("quota", problems)?;
    let five = t.decimal("five", true, problems).filter(|f| {
        let ok = *f >= Decimal::ZERO && *f <= Decimal::ONE;
        if !ok {
            problems.push(t.key_problem(
                "five",
                msg!(
                    "five {f} is out of range; expected a share from 0 to 1 (0.1 for 10%)",
                    "five {f} 超出范围；应为 0 到 1 之间的比例（10% 写作 0.1）"
                ),
            ));
        }
        ok
    });
    let per = match t.string("per", false, problems).as_deref() {
        None | Some("workspace") => Some(QuotaPer::Workspace),
        Some("town") => Some(QuotaPer::Town),
        Some("domain") => Some(QuotaPer::Domain),
        Some(other) => {
            problems.push(t.key_problem(
                "per",
                msg!(
                    "unknown quota group `{other}`; expected workspace, town or domain",
                    "未知的名额分组“{other}”；应为 workspace、town 或 domain"
                ),
            ));
            None
        }
    };
    t.finish("five, per", problems);
    Some(Quota {
        five: five?,
        per: per?,
    })
}

/// Merge common and a domain file into the domain's standard, and check the whole.
fn combine(
    domain: Domain,
    common: &FileStandard,
    file: &FileStandard,
    problems: &mut Problems,
) -> Option<Standard> {
    let before = problems.len();
    match &file.domain {
        Some(d) if d.value != domain => {
            let (found, file) = (d.value, domain.file_name());
            problems.push(d.problem(msg!(
                "domain `{found}` does not match the file name; expected `{domain}` in {file}",
                "领域“{found}”与文件名不符；{file} 中应为“{domain}”"
            )))
        }
        _ => {}
    }
    let settings = settings(&common.patch.overlay(&file.patch), &file.root_at, problems);

    let dzh = domain.zh();
    let mut seen: BTreeMap<String, Problem> = BTreeMap::new();
    let mut check_id = |id: &str, at: &Problem, problems: &mut Problems| {
        if let Some(first) = seen.get(id) {
            let first_at = match &first.location {
                crate::problem::Location::Line { line, .. } => format!("{}:{line}", first.file),
                crate::problem::Location::File => first.file.clone(),
            };
            problems.push(Problem {
                message: msg!(
                    "id `{id}` is used twice in the {domain} standard (first at {first_at}); expected unique ids",
                    "编号“{id}”在{dzh}评星标准中重复使用（首次出现在 {first_at}）；编号应唯一"
                ),
                ..at.clone()
            });
        } else {
            seen.insert(id.to_string(), at.clone());
        }
    };
    let mut indicators = Vec::new();
    for i in common.indicators.iter().chain(&file.indicators) {
        check_id(&i.value.id, &i.at, problems);
        indicators.push(i.value.clone());
    }
    let mut items = Vec::new();
    for i in common.items.iter().chain(&file.items) {
        check_id(&i.value.id, &i.at, problems);
        items.push(i.value.clone());
    }
    let mut floors = Vec::new();
    for f in common.floors.iter().chain(&file.floors) {
        check_id(&f.value.id, &f.at, problems);
        floors.push(f.value.clone());
    }
    let located: Vec<&Problem> = (common.indicators.iter().chain(&file.indicators))
        .map(|i| &i.at)
        .collect();
    let themes = themes::combine(
        domain,
        &common.themes,
        &file.themes,
        &mut indicators,
        &located,
        &mut check_id,
        problems,
    );
    let secretary: Vec<&At<Indicator>> = file
        .indicators
        .iter()
        .filter(|i| i.value.secretary_project)
        .collect();
    // The loader keeps which indicators each level gave in a 64-bit mask.
    if indicators.len() > MAX_INDICATORS {
        let n = indicators.len();
        problems.push(Problem {
            message: msg!(
                "the {domain} standard has {n} indicators; expected at most {MAX_INDICATORS}",
                "{dzh}评星标准有 {n} 项指标；最多应为 {MAX_INDICATORS} 项"
            ),
            ..file.root_at.clone()
        });
    }
    if secretary.len() != 1 {
        let n = secretary.len();
        problems.push(Problem {
            message: msg!(
                "{n} indicators have kind = \"secretary_project\"; expected exactly one",
                "有 {n} 项指标为 kind = \"secretary_project\"；应恰好有一项"
            ),
            ..file.root_at.clone()
        });
    }
    let common_total: Decimal = common.indicators.iter().map(|i| i.value.points).sum();
    let own_total: Decimal = file.indicators.iter().map(|i| i.value.points).sum();
    let complete = common.indicators_complete && file.indicators_complete;
    if complete && common_total + own_total != Decimal::ONE_HUNDRED {
        let at = file.indicators.first().map_or(&file.root_at, |i| &i.at);
        let (total, common, own) = (
            (common_total + own_total).normalize(),
            common_total.normalize(),
            own_total.normalize(),
        );
        problems.push(Problem {
            message: msg!(
                "indicator points total {total} (common {common} + {domain} {own}); expected exactly 100",
                "指标分值合计 {total}（共性指标 {common} + {dzh}个性指标 {own}）；应恰好为 100"
            ),
            ..at.clone()
        });
    }
    let (name, name_zh) = file.title.clone()?;
    let settings = settings?;
    (problems.len() == before).then_some(Standard {
        domain,
        name,
        name_zh,
        settings,
        indicators,
        items,
        floors,
        themes,
        common_file: common.name.clone(),
        domain_file: file.name.clone(),
    })
}

/// Complete and check the settings of one domain.
fn settings(p: &Patch, root_at: &Problem, problems: &mut Problems) -> Option<Settings> {
    let before = problems.len();
    let at = |msg: String| Problem {
        message: msg,
        ..root_at.clone()
    };
    let mut levels = [Decimal::ZERO; 3];
    let mut complete = true;
    for l in Level::ALL {
        match &p.levels[l.index()] {
            Some(w) => {
                if w.value < Decimal::ZERO || w.value > Decimal::ONE {
                    let (v, level) = (w.value, l.as_str());
                    problems.push(w.problem(msg!(
                        "weight {v} of level {level} is out of range; expected 0 to 1",
                        "{level} 层级的权重 {v} 超出范围；应为 0 到 1"
                    )));
                }
                levels[l.index()] = w.value;
            }
            None => complete = false,
        }
    }
    let sum: Decimal = levels.iter().sum();
    if complete && sum != Decimal::ONE {
        let (sum, s, m, o) = (sum.normalize(), levels[0], levels[1], levels[2]);
        let msg = msg!(
            "level weights sum to {sum} (self {s} + mass {m} + organization {o}); expected exactly 1",
            "各层级权重之和为 {sum}（self {s} + mass {m} + organization {o}）；应恰好为 1"
        );
        problems.push(match &p.levels_at {
            Some(a) => Problem {
                message: msg,
                ..a.clone()
            },
            None => at(msg),
        });
    }
    let mut stars = [Decimal::ZERO; 4];
    let names = ["five", "four", "three", "two"];
    let names_zh = ["五星", "四星", "三星", "二星"];
    for (i, s) in p.stars.iter().take(4).enumerate() {
        match s {
            Some(v) => {
                if v.value < Decimal::ZERO || v.value > Decimal::ONE_HUNDRED {
                    let (value, name, zh) = (v.value, names[i], names_zh[i]);
                    problems.push(v.problem(msg!(
                        "threshold {value} for {name} stars is out of range; expected 0 to 100",
                        "{zh}分数线（{name}）{value} 超出范围；应为 0 到 100"
                    )));
                }
                stars[i] = v.value;
            }
            None => complete = false,
        }
    }
    let one = p.stars[4].as_ref();
    if let Some(o) = one {
        let (v, two) = (o.value, stars[3]);
        if v < Decimal::ZERO || (p.stars[3].is_some() && v >= two) {
            problems.push(o.problem(msg!(
                "threshold {v} for one star is out of range; expected at least 0 and below two ({two})",
                "一星分数线（one）{v} 超出范围；应不小于 0 且低于二星分数线（{two}）"
            )));
        }
    }
    if p.stars.iter().take(4).all(Option::is_some)
        && !(stars[0] > stars[1] && stars[1] > stars[2] && stars[2] > stars[3])
    {
        let [five, four, three, two] = stars;
        let msg = msg!(
            "star thresholds are out of order (five {five}, four {four}, three {three}, two {two}); expected five > four > three > two",
            "星级分数线顺序有误（five {five}、four {four}、three {three}、two {two}）；应满足 five > four > three > two"
        );
        problems.push(match &p.stars_at {
            Some(a) => Problem {
                message: msg,
                ..a.clone()
            },
            None => at(msg),
        });
    }
    if let Some(b) = &p.bonus_cap {
        if b.value < Decimal::ZERO || b.value > Decimal::ONE_HUNDRED {
            let v = b.value;
            problems.push(b.problem(msg!(
                "bonus cap {v} is out of range; expected 0 to 100",
                "加分上限 bonus_cap {v} 超出范围；应为 0 到 100"
            )));
        }
    }
    if let Some(r) = &p.rectify_below {
        if r.value <= Decimal::ZERO || r.value > Decimal::ONE {
            let v = r.value;
            problems.push(r.problem(msg!(
                "rectify_below {v} is out of range; expected more than 0 and at most 1",
                "rectify_below {v} 超出范围；应大于 0 且不超过 1"
            )));
        }
    }
    if problems.len() != before || !complete {
        return None;
    }
    Some(Settings {
        levels,
        stars: Thresholds {
            five: stars[0],
            four: stars[1],
            three: stars[2],
            two: stars[3],
            one: one.map(|o| o.value),
        },
        bonus_cap: p.bonus_cap.as_ref()?.value,
        bottom_line_cap: p.bottom_line_cap?,
        rectify_below: p.rectify_below.as_ref()?.value,
        review_required: p.review_required.clone()?,
        adjust: AdjustSettings {
            max_step_up: p.max_step_up?,
            demote_at: p.demote_at?,
            reward_streak: p.reward_streak?,
            remind_at_or_below: p.remind_at_or_below?,
            rectify_days: p.rectify_days?,
            first_year: p.first_year.unwrap_or_default(),
        },
        survey: p.survey.clone().unwrap_or_default(),
        deduction: p.deduction.unwrap_or_default(),
    })
}

/// Check one standard file's text on its own: `common` as common.toml, otherwise as a
/// domain file combined with the built-in common.toml (for the fuzzers).
pub fn check_text(name: &str, text: &str, common: bool, problems: &mut Problems) {
    let parsed = parse_file(name, text, common, problems);
    if common {
        return;
    }
    let builtin_common =
        builtin("common.toml").and_then(|t| parse_file("common.toml", t, true, problems));
    if let (Some(file), Some(c)) = (parsed, builtin_common) {
        let domain = file.domain.as_ref().map_or(Domain::Rural, |d| d.value);
        let _ = combine(domain, &c, &file, problems);
    }
}
