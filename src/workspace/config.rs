//! `stars.toml`: the workspace's name, its language and its years.

use crate::i18n::{msg, tr, Lang};
use crate::problem::{Problem, Problems};
use crate::source::{self, Encoding};
use crate::toml_read::{Fields, TomlDoc};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct YearConfig {
    pub evaluated: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub name: String,
    pub years: BTreeMap<i32, YearConfig>,
    /// The years whose `[years.YEAR]` is there but whose `evaluated` is wrong (a problem
    /// told at the key): not in `years`, and no other problem is told for lacking them
    /// (their folder, a branch rated only then), so that the cause is listed alone.
    pub bad_years: std::collections::BTreeSet<i32>,
    /// The publicity (公示) of the five-star list: `[publicity]`.
    pub publicity: Publicity,
    /// The language of every output and message on this workspace (`lang = "zh"`), when
    /// set; else [`DEFAULT_LANG`].
    pub lang: Option<Lang>,
    /// A county's `members`: folder paths and globs relative to it (empty for a town).
    pub members: Vec<String>,
}

/// What a `stars.toml` is read as.
#[derive(Debug, Clone, Copy)]
pub enum Role<'c> {
    /// A town on its own: `name` and `years` required, no `members`.
    Town,
    /// A county: `name` and `members` required, `years` optional (its members' default).
    County,
    /// A member of a county: `name` required; `lang`, `years` and `[publicity]` taken from
    /// the county's when the member has none (a key the member has replaces the county's
    /// whole).
    Member(&'c Config),
}

/// How long after its evaluation `[publicity] starts` may be.
const MAX_STARTS_AFTER: i64 = 60;

/// The language of a workspace whose `stars.toml` has no `lang`: English, the language its
/// outputs had under a script's `LANG=C` before the key existed, whoever runs it now.
pub const DEFAULT_LANG: Lang = Lang::En;

/// The value of `lang` in `stars.toml`.
fn parse_lang(s: &str) -> Option<Lang> {
    match s {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The root table of `dir/stars.toml` read cheaply, before anything is printed or without
/// reporting: `None` when there is no such file or it cannot be read and parsed as TOML.
/// Problems found here are found again, and reported, when the workspace is loaded.
pub fn peek<T>(dir: &Path, f: impl FnOnce(&mut Fields, &mut Problems) -> T) -> Option<T> {
    peek_text(dir, |text| {
        let mut problems = Problems::new();
        let doc = TomlDoc::new("stars.toml", text);
        let parsed = doc.parse(&mut problems)?;
        Some(f(&mut doc.root(&parsed), &mut problems))
    })
}

/// The `name` of the workspace of `dir` (the town's or the county's), read cheaply for a
/// title (a command that reads only the standards); `None` outside a workspace.
pub fn name_of(dir: &Path) -> Option<String> {
    peek(dir, |root, problems| root.string("name", false, problems)).flatten()
}

/// `f` on the text of `dir/stars.toml`; `None` when there is no such file or it cannot be
/// read.
fn peek_text<T>(dir: &Path, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    let path = dir.join("stars.toml");
    if !path.is_file() {
        return None;
    }
    let mut problems = Problems::new();
    let text = source::read(&path, "stars.toml", false, Encoding::Utf8, &mut problems)?;
    f(&text.text)
}

/// The `lang` a `stars.toml` sets: `Some(None)` when it has none (or a bad one: the full
/// load reports it); `None` when there is no `stars.toml` to read (see [`peek`]). A file
/// with a TOML syntax error still says its language by a line `lang = "zh"` before its
/// first table, so that the syntax error is told in the language the clerk chose; one
/// without such a line says nothing (`None`): the locale decides.
pub fn own_lang(dir: &Path) -> Option<Option<Lang>> {
    peek_text(dir, |text| {
        let mut problems = Problems::new();
        let doc = TomlDoc::new("stars.toml", text);
        match doc.parse(&mut problems) {
            Some(parsed) => Some(
                doc.root(&parsed)
                    .string("lang", false, &mut problems)
                    .as_deref()
                    .and_then(parse_lang),
            ),
            None => lang_line(text).map(Some),
        }
    })
}

/// The language of a line `lang = "zh"` (or `'en'`, a comment after it allowed) among the
/// lines before the first table of a TOML text, read line by line without parsing it.
fn lang_line(text: &str) -> Option<Lang> {
    let top = text
        .lines()
        .take_while(|l| !l.trim_start().starts_with('['));
    top.filter_map(|l| {
        let value = l
            .trim()
            .strip_prefix("lang")?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let (v, rest) = value.get(1..)?.split_once(quote)?;
        let rest = rest.trim_start();
        (rest.is_empty() || rest.starts_with('#')).then_some(v)
    })
    .next()
    .and_then(parse_lang)
}

pub fn load(dir: &Path, shown: &str, role: Role, problems: &mut Problems) -> Option<Config> {
    let name = super::join_shown(shown, "stars.toml");
    let text = source::read(
        &dir.join("stars.toml"),
        &name,
        false,
        Encoding::Utf8,
        problems,
    )?;
    let doc = TomlDoc::new(&name, &text.text);
    let parsed = doc.parse(problems)?;
    let mut root = doc.root(&parsed);
    let title = root.text("name", true, problems);
    let lang = root.string("lang", false, problems).and_then(|s| {
        let lang = parse_lang(&s);
        if lang.is_none() {
            problems.push(root.key_problem(
                "lang",
                msg!(
                    "unknown language `{s}`; expected \"zh\" or \"en\"",
                    "未知的语言“{s}”；应为 \"zh\" 或 \"en\""
                ),
            ));
        }
        lang
    });
    // `members` is a county's (required there); elsewhere an unknown key, reported as such.
    // A county needs no years (each member may have its own); a member without them has
    // its county's.
    let own_years = root.has("years");
    let (members, inherited, years_optional) = match role {
        Role::Town => (Vec::new(), None, false),
        Role::County => {
            let members = root.string_array("members", true, problems);
            (members.unwrap_or_default(), None, true)
        }
        Role::Member(c) => (Vec::new(), Some(c), !own_years),
    };
    let lang = lang.or(inherited.and_then(|c| c.lang));
    let mut years = match inherited {
        Some(c) if !own_years => c.years.clone(),
        _ => BTreeMap::new(),
    };
    let mut bad_years = match inherited {
        Some(c) if !own_years => c.bad_years.clone(),
        _ => std::collections::BTreeSet::new(),
    };
    if !own_years && !years_optional {
        problems.push(
            root.problem(
                tr(
                    "missing key `years`; expected [years.YEAR] tables with `evaluated = YYYY-MM-DD`",
                    "缺少键“years”；应有 [years.年度] 表，写明 `evaluated = YYYY-MM-DD`",
                )
                .into(),
            ),
        );
    }
    let mut any_year = false;
    if let Some(mut ys) = root.table("years", problems) {
        for key in ys.keys() {
            any_year = true;
            let year = key
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=9999).contains(y) && key.len() == 4);
            let Some(mut t) = ys.table(&key, problems) else {
                continue;
            };
            let Some(year) = year else {
                problems.push(t.problem(msg!(
                    "`{key}` is not a year; expected a four-digit year such as [years.2025]",
                    "“{key}”不是年度；应为四位数的年份，如 [years.2025]"
                )));
                continue;
            };
            let next = year + 1;
            match t.date("evaluated", true, problems) {
                Some(d) if d.year() == year || d.year() == next => {
                    years.insert(year, YearConfig { evaluated: d });
                }
                Some(d) => problems.push(t.key_problem(
                    "evaluated",
                    msg!(
                        "evaluation date {d} is not in {year} or early {next}; expected a date of that year's evaluation",
                        "评定日期 {d} 不在 {year} 年或 {next} 年初；应为该年度评定的日期"
                    ),
                )),
                None => {}
            }
            if !years.contains_key(&year) {
                bad_years.insert(year);
            }
            t.finish("evaluated", problems);
        }
    }
    let mut publicity = inherited.map(|c| c.publicity.clone()).unwrap_or_default();
    if let Some(p) = root.table("publicity", problems) {
        read_publicity(p, &years, &mut publicity, problems);
    }
    match role {
        Role::County => root.finish("name, lang, members, years, publicity", problems),
        _ => root.finish("name, lang, years, publicity", problems),
    }
    // A stray key does not stop the years from being read; a bad year's date does.
    if years.is_empty() && (any_year || !years_optional) {
        if !any_year {
            problems.push(Problem::file(
                &name,
                tr(
                    "no years; expected at least one [years.YEAR] table",
                    "没有年度；应至少有一个 [years.年度] 表",
                ),
            ));
        }
        return None;
    }
    Some(Config {
        name: title?,
        years,
        bad_years,
        publicity,
        lang,
        members,
    })
}

/// `[publicity]`: every key checked, each problem located.
fn read_publicity(
    mut p: Fields<'_, '_>,
    years: &BTreeMap<i32, YearConfig>,
    publicity: &mut Publicity,
    problems: &mut Problems,
) {
    if let Some(d) = p.integer("days", false, 1..=60, problems) {
        publicity.days = u32::try_from(d).unwrap_or(DEFAULT_DAYS);
    }
    if let Some(s) = p.date("starts", false, problems) {
        let after = years
            .values()
            .map(|y| y.evaluated)
            .filter(|e| *e <= s)
            .max();
        match after {
            Some(e) if (s - e).num_days() <= MAX_STARTS_AFTER => publicity.starts = Some(s),
            Some(e) => problems.push(p.key_problem(
                "starts",
                msg!(
                    "publicity start {s} is more than {MAX_STARTS_AFTER} days after the evaluation on {e}; expected a date soon after a year's evaluation date",
                    "公示开始日期 {s} 距 {e} 的评定已超过 {MAX_STARTS_AFTER} 天；应为某年度评定日期之后不久的日期"
                ),
            )),
            // Without a year the years' own problem is reported.
            None if years.is_empty() => {}
            None => problems.push(p.key_problem(
                "starts",
                msg!(
                    "publicity start {s} is before every evaluation date; expected a date on or after a year's `evaluated`",
                    "公示开始日期 {s} 早于所有评定日期；应为某年度评定日期（evaluated）当天或之后"
                ),
            )),
        }
    }
    if let Some(w) = p.boolean("working_days", false, problems) {
        publicity.working_days = w;
    }
    let holidays = p.date_array("holidays", false, problems);
    let workdays = p.date_array("workdays", false, problems);
    for (key, given) in [("holidays", &holidays), ("workdays", &workdays)] {
        if given.is_some() && !publicity.working_days {
            problems.push(p.key_problem(
                key,
                msg!(
                    "`{key}` counts only with `working_days = true`; expected `working_days = true` in [publicity], or no `{key}`",
                    "“{key}”只在 `working_days = true` 时起作用；应在 [publicity] 中写 `working_days = true`，或删去“{key}”"
                ),
            ));
        }
    }
    for d in workdays.iter().flatten() {
        if !is_weekend(*d) {
            problems.push(p.key_problem(
                "workdays",
                msg!(
                    "{d} is a weekday; expected only Saturdays and Sundays that are worked (调休)",
                    "{d} 是工作日；workdays 只应列出调休上班的周六、周日"
                ),
            ));
        }
    }
    let holidays: BTreeSet<NaiveDate> = holidays.into_iter().flatten().collect();
    for d in workdays.iter().flatten().filter(|d| holidays.contains(d)) {
        problems.push(p.key_problem(
            "workdays",
            msg!(
                "{d} is in both `holidays` and `workdays`; expected it in one of them",
                "{d} 同时列在 holidays 和 workdays 中；应只列在其中一个"
            ),
        ));
    }
    publicity.holidays = holidays;
    publicity.workdays = workdays.into_iter().flatten().collect();
    read_notice_text(&mut p, publicity, problems);
    p.finish(
        "days, starts, working_days, holidays, workdays, contact, issuer",
        problems,
    );
}

/// The most characters of `[publicity] contact` and `issuer`.
const MAX_NOTICE_TEXT: usize = 200;

/// The notice's own words in `[publicity]`: where objections go (`contact`), who issues it
/// (`issuer`); each one line of text, as the notice shows it.
fn read_notice_text(p: &mut Fields<'_, '_>, publicity: &mut Publicity, problems: &mut Problems) {
    for key in ["contact", "issuer"] {
        let Some(text) = p.string(key, false, problems) else {
            continue;
        };
        let text = text.trim().to_string();
        let n = text.chars().count();
        if text.is_empty() || n > MAX_NOTICE_TEXT || text.chars().any(char::is_control) {
            problems.push(p.key_problem(
                key,
                msg!(
                    "`{key}` has {n} characters; expected one line of 1 to {MAX_NOTICE_TEXT} characters, as the notice shows it",
                    "“{key}”有 {n} 个字符；应为一行、1 到 {MAX_NOTICE_TEXT} 个字符的文字，公示通知照原样显示"
                ),
            ));
            continue;
        }
        match key {
            "contact" => publicity.contact = Some(text),
            _ => publicity.issuer = Some(text),
        }
    }
}

/// `[publicity]` of `stars.toml` (the window is worked out in `followup::publicity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publicity {
    /// Days of publicity, first and last included (1–60).
    pub days: u32,
    /// The first day, when not the day after the evaluation date.
    pub starts: Option<NaiveDate>,
    /// Count Monday to Friday only (less `holidays`, plus `workdays`).
    pub working_days: bool,
    /// Days not counted (法定节假日).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are worked and counted (调休).
    pub workdays: BTreeSet<NaiveDate>,
    /// Where objections are sent, as the notice says it (an office, a telephone number, an
    /// address); without it the notice names the issuing body.
    pub contact: Option<String>,
    /// The body that issues the notice, on its signature line; without it the town's
    /// party committee (中共{name}委员会).
    pub issuer: Option<String>,
}

pub const DEFAULT_DAYS: u32 = 5;

impl Default for Publicity {
    fn default() -> Self {
        Publicity {
            days: DEFAULT_DAYS,
            starts: None,
            working_days: false,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            contact: None,
            issuer: None,
        }
    }
}

/// Saturday or Sunday.
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Every year folder has its `[years.YEAR]`, and every configured year its folder.
pub fn check_year_folders(dir: &Path, shown: &str, config: &Config, problems: &mut Problems) {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    let mut folders: Vec<i32> = entries
        .filter_map(|e| {
            let n = e.file_name().into_string().ok()?;
            let four_digits = n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit());
            (four_digits && super::files::is_folder(&e)).then(|| n.parse().ok())?
        })
        .collect();
    folders.sort();
    let stars = super::join_shown(shown, "stars.toml");
    for y in &folders {
        if !config.years.contains_key(y) && !config.bad_years.contains(y) {
            problems.push(Problem::file(
                &stars,
                msg!(
                    "year folder {y}/ has no [years.{y}]; expected its evaluation date, e.g. [years.{y}] evaluated = {y}-12-20",
                    "年度文件夹 {y}/ 没有对应的 [years.{y}]；应写明该年度的评定日期，如 [years.{y}] evaluated = {y}-12-20"
                ),
            ));
        }
    }
    for y in config.years.keys() {
        if !folders.contains(y) {
            problems.push(Problem::file(
                super::join_shown(shown, &format!("{y}/")),
                msg!(
                    "year folder not found; [years.{y}] in stars.toml expects it",
                    "找不到年度文件夹；stars.toml 中有 [years.{y}]，应有此文件夹"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_stars_toml_still_says_its_language() {
        let zh =
            "name = \"大王镇\"\nlang = \"zh\"   # 中文\n\n[years.2025]\nevaluated = 2025-12-32\n";
        assert_eq!(lang_line(zh), Some(Lang::Zh));
        assert_eq!(lang_line("  lang='en'\n"), Some(Lang::En));
        // Only before the first table, only a whole value, only a known language.
        assert_eq!(lang_line("[years.2025]\nlang = \"zh\"\n"), None);
        assert_eq!(lang_line("lang = \"zh\" x\n"), None);
        assert_eq!(lang_line("lang = \"fr\"\n"), None);
        assert_eq!(lang_line("language = \"zh\"\n"), None);
        assert_eq!(lang_line("# lang = \"zh\"\n"), None);
    }
}
