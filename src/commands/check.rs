//! `stars check`: every problem in the workspace at once; silent, exit 0, when all is well
//! — but for warnings (exit 0 still): five-star candidates waiting for review opinions,
//! objections raised during publicity still open, and files of a year folder that are not
//! read.

use super::Ctx;
use crate::followup::rectify::year_items;
use crate::i18n::msg;
use crate::problem::{Outcome, Problems};
use crate::rate::{rate_year, Rating, Review5};
use crate::render::codes::show_list;
use crate::render::Code;
use crate::workspace::{Workspace, YearData};

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let mut problems = Problems::new();
    let Some(ws) = ctx.load_workspace(&mut problems) else {
        return Err(problems.into());
    };
    // The item ids of the year before, when it could be rated.
    let mut previous: Option<Vec<crate::followup::rectify::RectItem>> = None;
    let mut warnings = String::new();
    for year in ws.years() {
        warnings.push_str(&super::unread_warnings(&ws, year));
        let mut year_problems = Problems::new();
        let mut data = ws.load_year(year, &mut year_problems);
        if let Some(d) = &mut data {
            ws.load_rectification(
                d,
                ws.previous_items(year, previous.as_deref()),
                &mut year_problems,
            );
        }
        let ok = year_problems.is_empty();
        problems.extend(year_problems);
        let Some(data) = data.filter(|_| ok) else {
            previous = None;
            continue;
        };
        let ratings = rate_year(&ws, &data);
        warnings.push_str(&pending_reviews(&ws, &data, year, &ratings));
        warnings.push_str(&open_objections(&ws, &data, year));
        previous = Some(year_items(&ws, &data, &ratings));
    }
    // Not eprint!, which panics when standard error is a closed pipe.
    let _ = std::io::Write::write_all(&mut std::io::stderr(), warnings.as_bytes());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into())
    }
}

/// A warning line when some of the year's five-star candidates (five stars after the caps)
/// have no review opinion at all: each such branch with the departments missing. Empty when
/// none does. (A candidate with some opinions but not all is being reviewed: no warning.)
fn pending_reviews(
    ws: &Workspace,
    data: &YearData,
    year: i32,
    ratings: &[(usize, Rating)],
) -> String {
    let lang = crate::i18n::lang();
    let list: Vec<String> = ratings
        .iter()
        .filter_map(|(b, r)| match &r.review {
            Some(Review5::Pending(missing)) if data.reviews_of(*b).is_empty() => {
                let id = ws.branches.get(*b).map(|b| b.id()).unwrap_or("?");
                let depts = show_list(Code::Departments, missing, lang);
                Some(msg!("{id} ({depts})", "{id}（{depts}）"))
            }
            _ => None,
        })
        .collect();
    warning(list, lang, |n, list| {
        msg!(
            "warning: {year}: {n} five-star candidate(s) without any review opinion, rated four stars until they come: {list}\n",
            "提示：{year} 年度有 {n} 个五星候选支部尚无任何审核意见，意见齐全前按四星计：{list}\n"
        )
    })
}

/// A warning line when objections raised during publicity are still open (the records of
/// the year): each with its branch and the date it was received. Empty when none is.
fn open_objections(ws: &Workspace, data: &YearData, year: i32) -> String {
    let lang = crate::i18n::lang();
    let list: Vec<String> = (data.records.objections.iter())
        .filter(|o| o.status == crate::workspace::ObjectionStatus::Open)
        .map(|o| {
            let id = ws.branches.get(o.branch).map(|b| b.id()).unwrap_or("?");
            let (received, file, line) = (o.received, &data.records.objections_file, o.line());
            msg!(
                "{id} (received {received}, {file}:{line})",
                "{id}（{received} 受理，{file}:{line}）"
            )
        })
        .collect();
    warning(list, lang, |n, list| {
        msg!(
            "warning: {year}: {n} objection(s) raised during publicity still open; a five-star branch is held at four until each is answered (upheld or dismissed): {list}\n",
            "提示：{year} 年度有 {n} 条公示期异议尚未办结；办结（成立或不成立）前，五星支部按四星计：{list}\n"
        )
    })
}

/// A warning line on `list` (what `line` makes of its length and the names shown); empty
/// when the list is.
fn warning(
    list: Vec<String>,
    lang: crate::i18n::Lang,
    line: impl FnOnce(usize, &str) -> String,
) -> String {
    if list.is_empty() {
        return String::new();
    }
    let n = list.len();
    line(n, &shown(list, lang))
}

/// The most branches a warning names: a province's warning is one line, not a list of
/// every branch (`stars evaluate` lists them all, by status).
const MAX_NAMED: usize = 20;

/// The first [`MAX_NAMED`] of a warning's list, joined, and how many more there are.
fn shown(mut list: Vec<String>, lang: crate::i18n::Lang) -> String {
    let more = list.len().saturating_sub(MAX_NAMED);
    list.truncate(MAX_NAMED);
    let mut text = list.join(lang.t("; ", "；"));
    if more > 0 {
        text.push_str(&crate::i18n::msg_in!(
            lang,
            "; and {more} more",
            "；另有 {more} 个"
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    /// A warning names at most MAX_NAMED branches and counts the others.
    #[test]
    fn a_warning_names_twenty_branches_and_counts_the_rest() {
        let list: Vec<String> = (1..=25).map(|i| format!("B{i:02}")).collect();
        let text = super::shown(list, crate::i18n::Lang::En);
        assert!(text.starts_with("B01; B02;"), "{text}");
        assert!(text.ends_with("B20; and 5 more"), "{text}");
        let few = super::shown(vec!["B01".into(), "B02".into()], crate::i18n::Lang::Zh);
        assert_eq!(few, "B01；B02");
    }
}
