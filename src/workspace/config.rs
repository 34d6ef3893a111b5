//! `stars.toml`: the workspace's name and its years.

use crate::problem::{Problem, Problems};
use crate::source::{self, Encoding};
use crate::toml_read::TomlDoc;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct YearConfig {
    pub evaluated: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub name: String,
    pub years: BTreeMap<i32, YearConfig>,
    /// Days the five-star list is publicly announced (公示), from the evaluation date.
    pub publicity_days: u32,
}

pub const DEFAULT_PUBLICITY_DAYS: u32 = 5;

pub fn load(dir: &Path, shown: &str, problems: &mut Problems) -> Option<Config> {
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
    let mut years = BTreeMap::new();
    if !root.has("years") {
        problems.push(
            root.problem(
                "missing key `years`; expected [years.YEAR] tables with `evaluated = YYYY-MM-DD`"
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
                problems.push(t.problem(format!(
                    "`{key}` is not a year; expected a four-digit year such as [years.2025]"
                )));
                continue;
            };
            if let Some(d) = t.date("evaluated", true, problems) {
                if d.year() != year && d.year() != year + 1 {
                    problems.push(t.key_problem(
                        "evaluated",
                        format!("evaluation date {d} is not in {year} or early {}; expected a date of that year's evaluation", year + 1),
                    ));
                } else {
                    years.insert(year, YearConfig { evaluated: d });
                }
            }
            t.finish("evaluated", problems);
        }
    }
    let mut publicity_days = DEFAULT_PUBLICITY_DAYS;
    if let Some(mut p) = root.table("publicity", problems) {
        if let Some(d) = p.integer("days", false, 1..=60, problems) {
            publicity_days = d as u32;
        }
        p.finish("days", problems);
    }
    root.finish("name, years, publicity", problems);
    // A stray key does not stop the years from being read; a bad year's date does.
    if years.is_empty() && !any_year {
        problems.push(Problem::file(
            &name,
            "no years; expected at least one [years.YEAR] table",
        ));
        return None;
    }
    if years.is_empty() {
        return None;
    }
    Some(Config {
        name: title?,
        years,
        publicity_days,
    })
}

/// Every year folder has its `[years.YEAR]`, and every configured year its folder.
pub fn check_year_folders(dir: &Path, shown: &str, config: &Config, problems: &mut Problems) {
    let mut folders = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) && e.path().is_dir() {
                if let Ok(y) = n.parse::<i32>() {
                    folders.push(y);
                }
            }
        }
    }
    folders.sort();
    let stars = super::join_shown(shown, "stars.toml");
    for y in &folders {
        if !config.years.contains_key(y) {
            problems.push(Problem::file(
                &stars,
                format!("year folder {y}/ has no [years.{y}]; expected its evaluation date, e.g. [years.{y}] evaluated = {y}-12-20"),
            ));
        }
    }
    for y in config.years.keys() {
        if !folders.contains(y) {
            problems.push(Problem::file(
                super::join_shown(shown, &format!("{y}/")),
                format!("year folder not found; [years.{y}] in stars.toml expects it"),
            ));
        }
    }
}
