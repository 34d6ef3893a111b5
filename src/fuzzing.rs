//! Entry points for the fuzz targets in `fuzz/` (and for tests that feed arbitrary bytes):
//! everything a command does with its inputs, without printing.

use crate::followup::adjust::{Adjuster, Evaluated};
use crate::followup::rectify::year_items;
use crate::i18n::Lang;
use crate::problem::Problems;
use crate::rate::rate_year;
use crate::source::sheet::{Cells, Layout, Sheet};
use crate::source::{self, Encoding};
use crate::workspace::Workspace;
use std::path::Path;

/// Load, check, rate, list and adjust every year of a workspace, and render every problem.
/// Returns how many problems were found.
pub fn load_and_rate_all(dir: &Path) -> usize {
    let mut problems = Problems::new();
    if let Some(ws) = Workspace::load(dir, Encoding::Auto, &mut problems) {
        let mut adjuster = Adjuster::default();
        let mut previous: Option<(i32, Vec<crate::followup::rectify::RectItem>)> = None;
        for year in ws.years() {
            // Both ways of reading score sheets: on two threads when clean (no branch kept
            // in detail), one by one with one branch's cells kept (as `explain` does). They
            // must agree.
            let fast = ws.load_year(year, &mut Problems::new());
            // And for the ratings only (B and the bottom-line e_i): the same ratings.
            let for_ratings = ws.load_year_for_ratings(year, &mut Problems::new());
            let first = ws.branches.first().map(|_| 0);
            if let Some(mut data) = ws.load_year_with(year, first, &mut problems) {
                let fast = fast.map(|fast| {
                    // The sums themselves, not only the ratings they give.
                    for (b, br) in ws.branches.iter().enumerate() {
                        let n = ws
                            .standards
                            .get(br.domain)
                            .map_or(0, |s| s.indicators.len());
                        assert_eq!(
                            fast.scores.combined(b, n),
                            data.scores.combined(b, n),
                            "two reads of the same sheets summed differently"
                        );
                    }
                    rate_year(&ws, &fast)
                });
                let prev_ids = previous
                    .as_ref()
                    .filter(|(py, _)| *py == year - 1)
                    .map(|(_, items)| items.as_slice());
                ws.load_rectification(&mut data, ws.previous_items(year, prev_ids), &mut problems);
                let ratings = rate_year(&ws, &data);
                if let Some(fast) = &fast {
                    assert_eq!(
                        fast, &ratings,
                        "two reads of the same sheets rated differently"
                    );
                }
                if let Some(r) = &for_ratings {
                    assert_eq!(
                        &rate_year(&ws, r),
                        &ratings,
                        "sums kept for the ratings only rated differently"
                    );
                }
                let items = year_items(&ws, &data, &ratings);
                for i in &items {
                    if let Some(std) = ws
                        .branches
                        .get(i.branch())
                        .and_then(|b| ws.standards.get(b.domain))
                    {
                        let _ = i.problem(std, &data, Lang::Zh);
                        let _ = i.measure(std, Lang::En);
                    }
                }
                previous = Some((year, items.clone()));
                let adjustments = adjuster.step(
                    &ws,
                    &data,
                    ratings.iter().map(|(b, r)| (*b, Evaluated::of(r))),
                );
                adjuster.keep_items(year, items);
                for a in adjustments {
                    if let Some(std) = ws
                        .branches
                        .get(a.branch)
                        .and_then(|b| ws.standards.get(b.domain))
                    {
                        let _ = a.reason(std, &data, Lang::Zh);
                    }
                }
            }
        }
    }
    for p in problems.sorted() {
        let _ = p.to_string();
    }
    problems.len()
}

/// Decode bytes both ways, read them as a CSV sheet and as a standard file, and parse them
/// as a decimal.
pub fn text(data: &[u8]) {
    let mut problems = Problems::new();
    for enc in [Encoding::Auto, Encoding::Utf8, Encoding::Gbk] {
        if let Some(text) = source::decode(data, "fuzz.csv", true, enc, &mut problems) {
            if let Some((sheet, rows)) =
                Sheet::open("fuzz.csv", &text, &Layout::DEFAULT, &mut problems)
            {
                let _ = rows.each(&sheet, &mut problems, |row, problems| {
                    let _ = crate::decimal::parse(row.get(0));
                    problems.push(row.problem(1, String::new()));
                });
            }
        }
    }
    if let Some(text) = source::decode(data, "fuzz.toml", false, Encoding::Utf8, &mut problems) {
        crate::standard::check_text("fuzz.toml", &text, true, &mut problems);
        crate::standard::check_text("rural.toml", &text, false, &mut problems);
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = crate::decimal::parse(s);
    }
    for p in problems.sorted() {
        let _ = p.to_string();
    }
}
