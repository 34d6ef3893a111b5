//! Which files of a year folder, and which worksheets of a workbook, are data: the one rule,
//! said once here and word for word in the README and the clerk's guide.
//!
//! - A file is read when its name, in any letter case, is `scores*` (a score sheet), or
//!   `events`, `reviews`, `rectification`, `surveys`, `deductions`, `objections` or
//!   `decisions`, with the extension `.csv`, `.xlsx` or `.xls`.
//! - Hidden files (`.name`), the lock files Excel and WPS leave while a workbook is open
//!   (`~$name`) and `README*` files (notes for people) are passed over.
//! - Every other file of the year folder is not read, and `stars check` names it.
//! - Worksheets whose name begins with `说明`, `填表说明`, `备注` or `Notes` (any case) are
//!   notes for people, as `stars template` writes them, and are not read.
//! - Every other worksheet of a score-sheet workbook that has a header row is a score
//!   sheet. Of an `events`, `reviews` or `rectification` workbook the first worksheet with a
//!   header row is read, and a second one is a problem.
//! - Worksheets that are empty, notes, or without a header row while another has the table
//!   are passed over and named (`source::xlsx`); a workbook with no table is a problem.

use std::path::Path;

/// What a file of a year folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Scores,
    Events,
    Reviews,
    Rectification,
    /// The records of the year (SPEC.md "Records of the year").
    Surveys,
    Deductions,
    Objections,
    Decisions,
}

impl Kind {
    /// One of the records of the year (surveys, deductions, objections, decisions).
    pub fn is_record(self) -> bool {
        matches!(
            self,
            Kind::Surveys | Kind::Deductions | Kind::Objections | Kind::Decisions
        )
    }
}

/// The extensions of data files, lower case.
const EXTENSIONS: [&str; 3] = ["csv", "xlsx", "xls"];

/// What a file name in a year folder is: `Some(kind)` for data, `None` for a file that is
/// not read. (`passed_over` tells hidden and lock files apart.)
pub fn kind_of(name: &str) -> Option<Kind> {
    let lower = name.to_lowercase();
    let (stem, ext) = lower.rsplit_once('.')?;
    if !EXTENSIONS.contains(&ext) || passed_over(name) {
        return None;
    }
    match stem {
        "events" => Some(Kind::Events),
        "reviews" => Some(Kind::Reviews),
        "rectification" => Some(Kind::Rectification),
        "surveys" => Some(Kind::Surveys),
        "deductions" => Some(Kind::Deductions),
        "objections" => Some(Kind::Objections),
        "decisions" => Some(Kind::Decisions),
        s if s.starts_with("scores") => Some(Kind::Scores),
        _ => None,
    }
}

/// A file that is neither read nor named: hidden, a spreadsheet's lock file, or a README
/// for people (as `stars init` writes in a year folder).
pub fn passed_over(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$") || name.to_lowercase().starts_with("readme")
}

/// Is this file name a workbook (read through calamine) rather than CSV?
pub fn is_workbook(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xls")
}

/// Is a worksheet of a workbook notes for people, not data?
pub fn is_notes_sheet(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    ["说明", "填表说明", "备注", "notes"]
        .iter()
        .any(|n| lower.starts_with(n))
}

/// The files of a year folder: the data files by kind (sorted by name within a kind), and
/// the files that are not read (sorted).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Listing {
    pub data: Vec<(Kind, String)>,
    pub unread: Vec<String>,
}

/// Whether an entry is a folder, links followed: the type the listing gave (no `stat`),
/// but for a link or an unknown type.
pub(crate) fn is_folder(e: &std::fs::DirEntry) -> bool {
    match e.file_type() {
        Ok(t) if !t.is_symlink() => t.is_dir(),
        _ => std::fs::metadata(e.path()).map_or(true, |m| m.is_dir()),
    }
}

impl Listing {
    /// The files of the folder `dir` (none when it cannot be read). Folders inside it, and
    /// links to nothing, are not data: they are listed as not read.
    pub fn of(dir: &Path) -> Listing {
        let mut out = Listing::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return out;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if passed_over(&name) {
                continue;
            }
            match kind_of(&name) {
                // Links followed. A FIFO, a device or a socket with a data file's name is
                // data, for the reader to refuse it ("not a regular file").
                Some(kind) if !is_folder(&e) => out.data.push((kind, name)),
                _ => out.unread.push(name),
            }
        }
        out.data.sort();
        out.unread.sort();
        out
    }

    /// Whether the folder has a file of any of the records of the year.
    pub fn has_records(&self) -> bool {
        self.data.iter().any(|(k, _)| k.is_record())
    }

    /// The files of one kind, in name order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.data
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, n)| n.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_case_and_every_spreadsheet_extension_are_data() {
        assert!(passed_over("README.txt") && passed_over("~$scores.xlsx"));
        assert!(!passed_over("评分表.csv"));
        for (name, kind) in [
            ("scores-rural.csv", Some(Kind::Scores)),
            ("Scores-Rural.CSV", Some(Kind::Scores)),
            ("scores.xls", Some(Kind::Scores)),
            ("SCORES_2026.xlsx", Some(Kind::Scores)),
            ("Events.xlsx", Some(Kind::Events)),
            ("reviews.CSV", Some(Kind::Reviews)),
            ("rectification.xls", Some(Kind::Rectification)),
            ("surveys.csv", Some(Kind::Surveys)),
            ("Deductions.xlsx", Some(Kind::Deductions)),
            ("OBJECTIONS.CSV", Some(Kind::Objections)),
            ("decisions.xls", Some(Kind::Decisions)),
            ("decision.csv", None),
            ("评分表-农村.csv", None),
            ("农村评分表.csv", None),
            ("branches.xlsx", None),
            ("events-old.csv", None),
            ("scores.txt", None),
            ("~$scores.xlsx", None),
            (".scores.csv", None),
            ("README.txt", None),
        ] {
            assert_eq!(kind_of(name), kind, "{name}");
        }
    }

    #[test]
    fn notes_sheets_are_told_by_their_name() {
        assert!(is_notes_sheet("说明"));
        assert!(is_notes_sheet("说明（填表须知）"));
        assert!(is_notes_sheet("Notes"));
        assert!(is_notes_sheet("notes 2026"));
        assert!(is_notes_sheet("备注"));
        assert!(is_notes_sheet("填表说明"));
        assert!(!is_notes_sheet("农村"));
        assert!(!is_notes_sheet("Sheet1"));
    }
}
