//! `branches.csv`: the branches, their domain, people and the years they are rated.

use super::sheet::Sheet;
use super::Config;
use crate::problem::{Problem, Problems};
use crate::source::{self, Encoding};
use crate::standard::Domain;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub id: String,
    pub name: String,
    pub domain: Domain,
    pub town: String,
    /// The branch secretary: responsible for its rectification items.
    pub secretary: String,
    /// The town leader in charge (包联领导): supervises, and is interviewed (约谈).
    pub lead: String,
    /// The title of this year's secretary project (书记项目).
    pub project: String,
    pub from: Option<i32>,
    pub until: Option<i32>,
    /// The plaque held in the first year rated here.
    pub plaque: Option<u8>,
    /// Consecutive five-star years before the first year rated here.
    pub streak: u32,
    /// Line in branches.csv.
    pub line: usize,
    /// The 1-based columns of `from` and `until` in branches.csv, when it has them.
    pub from_col: Option<usize>,
    pub until_col: Option<usize>,
}

impl Branch {
    pub fn rated_in(&self, year: i32) -> bool {
        self.from.is_none_or(|f| year >= f) && self.until.is_none_or(|u| year <= u)
    }

    /// "rated from 2024", "rated until 2024", "rated 2023–2024".
    pub fn span_text(&self) -> String {
        match (self.from, self.until) {
            (Some(f), Some(u)) => format!("rated {f}–{u}"),
            (Some(f), None) => format!("rated from {f}"),
            (None, Some(u)) => format!("rated until {u}"),
            (None, None) => "rated every year".into(),
        }
    }
}

const REQUIRED: [&str; 7] = [
    "id",
    "name",
    "domain",
    "town",
    "secretary",
    "lead",
    "project",
];
const OPTIONAL: [&str; 5] = ["from", "until", "plaque", "streak", "note"];

pub fn load(
    dir: &Path,
    shown: &str,
    encoding: Encoding,
    problems: &mut Problems,
) -> Option<Vec<Branch>> {
    let name = super::join_shown(shown, "branches.csv");
    let text = source::read(&dir.join("branches.csv"), &name, true, encoding, problems)?;
    let (sheet, rows) = Sheet::open(&name, &text.text, problems)?;
    let cols = sheet.columns(&REQUIRED, &OPTIONAL, problems)?;
    let col = |k: usize| cols.get(k).copied().flatten();
    let before = problems.len();
    let mut seen: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut out = Vec::new();
    rows.each(&sheet, problems, |row, problems| {
        let get = |k: usize| col(k).map(|c| row.get(c)).unwrap_or("");
        let mut ok = true;
        let mut req = |k: usize, what: &str, problems: &mut Problems| -> String {
            let v = get(k).to_string();
            if v.is_empty() {
                ok = false;
                if let Some(c) = col(k) {
                    problems.push(sheet.cell(row, c, format!("{what} is blank; expected a value")));
                }
            }
            v
        };
        let id = req(0, "branch id", problems);
        let bname = req(1, "branch name", problems);
        let domain_text = req(2, "domain", problems);
        if !id.is_empty()
            && id
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',')
        {
            ok = false;
            if let Some(c) = col(0) {
                problems.push(sheet.cell(
                    row,
                    c,
                    format!("branch id `{id}` has spaces or commas; expected a code such as B01"),
                ));
            }
        }
        let domain = Domain::parse(&domain_text);
        if domain.is_none() && !domain_text.is_empty() {
            ok = false;
            if let Some(c) = col(2) {
                problems.push(sheet.cell(
                    row,
                    c,
                    format!(
                        "unknown domain `{domain_text}`; expected one of: {}",
                        Domain::expected()
                    ),
                ));
            }
        }
        let mut int = |k: usize,
                       lo: i64,
                       hi: i64,
                       what: &str,
                       problems: &mut Problems|
         -> Option<i64> {
            let v = get(k);
            if v.is_empty() {
                return None;
            }
            match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Some(n),
                _ => {
                    ok = false;
                    if let Some(c) = col(k) {
                        problems.push(sheet.cell(row, c, format!("{what} `{v}` is not valid; expected a whole number from {lo} to {hi}")));
                    }
                    None
                }
            }
        };
        let from = int(7, 1900, 9999, "first year", problems).map(|v| v as i32);
        let until = int(8, 1900, 9999, "last year", problems).map(|v| v as i32);
        let plaque = int(9, 0, 5, "plaque", problems).map(|v| v as u8);
        let streak = int(10, 0, 1000, "streak", problems).unwrap_or(0) as u32;
        if let (Some(f), Some(u)) = (from, until) {
            if f > u {
                ok = false;
                if let Some(c) = col(8) {
                    problems.push(sheet.cell(
                        row,
                        c,
                        format!(
                            "last year {u} is before the first year {f}; expected until ≥ from"
                        ),
                    ));
                }
            }
        }
        if let Some(first) = seen.get(&id) {
            ok = false;
            if let Some(c) = col(0) {
                problems.push(sheet.cell(row, c, format!("branch `{id}` is listed twice (first on line {first}); expected unique ids")));
            }
        }
        if !id.is_empty() {
            seen.entry(id.clone()).or_insert(row.line);
        }
        if let (true, Some(domain)) = (ok, domain) {
            out.push(Branch {
                id,
                name: bname,
                domain,
                town: get(3).to_string(),
                secretary: get(4).to_string(),
                lead: get(5).to_string(),
                project: get(6).to_string(),
                from,
                until,
                plaque,
                streak,
                line: row.line,
                from_col: col(7).map(|c| c + 1),
                until_col: col(8).map(|c| c + 1),
            });
        }
    });
    if problems.len() != before {
        return None;
    }
    if out.is_empty() {
        problems.push(Problem::file(
            &name,
            "no branches; expected one row per branch",
        ));
        return None;
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Some(out)
}

/// A branch whose years miss every year of the workspace is probably a typo.
pub fn check_years(shown: &str, branches: &[Branch], config: &Config, problems: &mut Problems) {
    let name = super::join_shown(shown, "branches.csv");
    for b in branches {
        if !config.years.keys().any(|y| b.rated_in(*y)) {
            let years: Vec<String> = config.years.keys().map(i32::to_string).collect();
            let (column, field) = match (b.from, b.from_col, b.until_col) {
                (Some(_), Some(c), _) => (c, "from"),
                (_, _, Some(c)) => (c, "until"),
                (_, Some(c), None) => (c, "from"),
                (_, None, None) => (0, ""),
            };
            problems.push(Problem::cell(
                &name,
                b.line,
                column,
                field,
                format!(
                    "branch `{}` is {}, which is none of the workspace's years ({}); expected from/until to overlap them",
                    b.id,
                    b.span_text(),
                    years.join(", ")
                ),
            ));
        }
    }
}
