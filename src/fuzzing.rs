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

/// The header of each CSV table of the spec example, for [`csv`] to put fuzzed rows under.
const CSV_TABLES: [(&str, &str); 5] = [
    (
        "branches.csv",
        "id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n",
    ),
    (
        "2025/scores-rural.csv",
        "branch,level,C1,C2,R1,R2,overall\n",
    ),
    ("2025/events.csv", "branch,item,date,note\n"),
    ("2025/reviews.csv", "branch,department,opinion,note\n"),
    ("2025/rectification.csv", "item,status,note\n"),
];

/// Any bytes as a CSV file, read in blocks of a few bytes (the first byte chooses how
/// many, and the table): the blocks must be the file (each at its line, none cutting a
/// record) whenever it is read without a problem. Then the bytes, under the table's
/// header, as that table of a copy of the spec example in `dir`: loaded, rated, listed
/// and adjusted ([`load_and_rate_all`], which also compares the plain and careful reads).
pub fn csv(dir: &Path, data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let path = dir.join(".fuzz-blocks.csv");
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let mut problems = Problems::new();
    let small = usize::from(pick % 32) + 1;
    if let Some(b) =
        crate::source::blocks::Blocks::open(&path, "f.csv", u64::MAX, Encoding::Utf8, &mut problems)
    {
        let mut b = b.with_block_bytes(small);
        let mut whole = String::new();
        while let Some(block) = b.next_block(&mut problems) {
            assert_eq!(
                block.line_base,
                whole.matches('\n').count(),
                "a block at the wrong line"
            );
            whole.push_str(&block.text);
        }
        if problems.is_empty() {
            if let Ok(text) = std::str::from_utf8(body) {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                assert_eq!(whole, text, "blocks are not the file");
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    let (rel, header) = CSV_TABLES[usize::from(pick / 32) % CSV_TABLES.len()];
    let target = dir.join(rel);
    let original = std::fs::read(&target).unwrap_or_default();
    let mut file = header.as_bytes().to_vec();
    file.extend_from_slice(body);
    if std::fs::write(&target, &file).is_ok() {
        load_and_rate_all(dir);
    }
    let _ = std::fs::write(&target, original);
}
