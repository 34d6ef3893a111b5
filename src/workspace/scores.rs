//! `YEAR/scores*.csv`: wide score sheets, one row per branch and level.
//!
//! A row fills every indicator of the branch's domain that the sheet has a column for, or
//! leaves them all blank and gives `overall`, which stands for every indicator of the domain
//! at that level. Across all sheets each (branch, level, indicator) is given exactly once.
//!
//! Sheets are streamed: each row's scores go into the sums of [`crate::combined`] (SPEC.md
//! step 1) as they come. The careful read also keeps which rows gave each branch's scores
//! (to say where a repeated score was first given), and `stars explain` one branch's cells.

use super::files::Kind;
use super::records::Covered;
use super::Workspace;
use crate::combined::{from_overall, parts64, pow10, Fast, Keep, Scores, DOMAINS};
use crate::decimal;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::sheet::{Cells, Sheet};
use crate::standard::{Domain, Level, Standard};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::mem::take;

/// One score of one indicator at one level, with where it came from (for `explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The score s_{i,l} (for an `overall` row: points × overall / 100, exact).
    pub value: Decimal,
    /// The `overall` the score came from, if it did.
    pub overall: Option<Decimal>,
    /// Index into [`super::YearData::sheet_names`].
    pub file: usize,
    pub line: usize,
    pub column: usize,
}

/// Every cell of one branch (for `explain`): the branch, and its cells by indicator, then
/// level.
pub type Detail = (usize, Vec<[Option<Cell>; 3]>);

/// What a year's score sheets give: the sums, the sheets' names as shown in messages, and
/// the cells of the branch asked for.
pub(super) type Read = (Scores, Vec<String>, Option<Detail>);

/// A row that gave scores of a branch, to say where a score was first given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Given {
    file: usize,
    line: usize,
    level: Level,
    overall: bool,
}

/// What a sheet's header says.
struct Columns {
    branch: usize,
    level: usize,
    overall: Option<usize>,
    /// (column, indicator id)
    indicators: Vec<(usize, String)>,
    /// For the branches of each domain with a standard, by `domain as usize`: the sheet's
    /// columns of its indicators (column, index in its standard), and the other indicator
    /// columns (column, position in `indicators`), which must be blank.
    domains: [DomainColumns; DOMAINS],
}

/// A domain's indicator columns of a sheet: (column, index in its standard), and the
/// others (column, position in [`Columns::indicators`]).
type DomainColumns = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// A score found in a row: (column, indicator, score, w · score at FIXED_SCALE when the
/// integer path has it).
type Found = (usize, usize, Decimal, Option<i64>);

/// What a row gives: its products w · s by indicator (the common row, read in parts), or its
/// cells, with the `overall` they came from if they did.
enum Scored {
    Products,
    Cells(Option<Decimal>),
}

/// Reads score rows into sums: one for the careful read, one per core for the parts of
/// clean sheets (see [`super::table`]).
struct Loader<'w> {
    ws: &'w Workspace,
    year: i32,
    scores: Scores,
    /// File names of the sheets, as shown in messages.
    names: Vec<String>,
    /// Every cell of one branch, when asked for (`explain`).
    detail: Option<Detail>,
    /// The rows that gave each branch's scores, kept only when problems are being told (to
    /// say where a repeated score was first given).
    given: Option<Vec<Vec<Given>>>,
    /// Per sheet: indicator id → 1-based column, and the overall column (kept with the
    /// rows that gave scores, to say where a repeated score was first given).
    sheet_columns: Vec<(BTreeMap<String, usize>, Option<usize>)>,
    /// (branch, level) pairs with a bad row: their missing scores are not reported again.
    bad_rows: BTreeSet<(usize, Level)>,
    /// The branch of the last row: sheets usually list branches in id order, so the next
    /// row's branch is this one or one shortly after it.
    cursor: usize,
    /// Buffers reused from row to row.
    found: Vec<Found>,
    products: Vec<(usize, i64)>,
    /// Each domain's standard and what the integer fast path needs of it, by
    /// `domain as usize` (looked up once a row).
    stds: [Option<(&'w Standard, Fast)>; DOMAINS],
    /// The levels the records of the year give (no sheet may give them).
    covered: &'w Covered,
}

/// The score sheets of a year (see [`super::table`]).
struct Sheets<'w> {
    ws: &'w Workspace,
    year: i32,
    /// The branch whose every cell is kept (for `explain`): read the careful way.
    detail: Option<usize>,
    keep: Keep,
    covered: &'w Covered,
}

impl<'w> super::table::Table for Sheets<'w> {
    type Cols = Columns;
    type Part = Loader<'w>;
    const ALL_SHEETS: bool = true;
    const NUMBERS: bool = true;
    fn max_bytes(&self) -> u64 {
        crate::source::MAX_FILE_BYTES
    }

    fn knows_column(&self, h: &str) -> bool {
        matches!(h, "branch" | "level" | "overall") || self.ws.standards.column(h).is_some()
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Columns> {
        let ws = self.ws;
        // No known column at all: this is not the header row (a title, a header in other
        // words, a sheet of something else) — one problem, not one per cell.
        let known = |h: &String| {
            matches!(h.as_str(), "branch" | "level" | "overall") || ws.standards.column(h).is_some()
        };
        if !sheet.header.iter().any(known) {
            let found = crate::i18n::list(&sheet.header.join(", "));
            problems.push(sheet.header_problem(msg!(
                "no header row found (the first row with two or more cells has: {found}); expected a row with the columns branch, level, then indicator ids and an optional overall",
                "找不到表头行（第一个有两个以上单元格的行是：{found}）；应有一行列名为 branch、level，其后为各指标编号，可另加 overall"
            )));
            return None;
        }
        let before = problems.len();
        let (mut branch, mut level, mut overall) = (None, None, None);
        let mut indicators = Vec::new();
        // Each indicator column's index in each domain's standard.
        let mut places = Vec::new();
        let mut seen = BTreeSet::new();
        for (c, h) in sheet.header.iter().enumerate() {
            if !seen.insert(h.as_str()) {
                problems.push(
                    sheet.header_cell(c, msg!("column `{h}` appears twice", "列“{h}”出现了两次")),
                );
                continue;
            }
            match h.as_str() {
                "branch" => branch = Some(c),
                "level" => level = Some(c),
                "name" => {}
                "overall" => overall = Some(c),
                id => {
                    let Some(at) = ws.standards.column(id) else {
                        problems.push(sheet.header_cell(
                            c,
                            msg!(
                                "unknown column `{id}`; expected branch, level, name, overall or an indicator id of the standards",
                                "未知列“{id}”；应为 branch、level、name、overall 或评星标准中的指标编号"
                            ),
                        ));
                        continue;
                    };
                    indicators.push((c, id.to_string()));
                    places.push(at);
                }
            }
        }
        for (col, what) in [(branch, "branch"), (level, "level")] {
            if col.is_none() {
                problems.push(sheet.header_problem(msg!(
                    "missing column `{what}`; a score sheet has columns branch, level, then indicator ids and an optional overall",
                    "缺少列“{what}”；评分表应有列 branch、level，其后为各指标编号，可另加 overall 列"
                )));
            }
        }
        if problems.len() != before {
            return None;
        }
        let mut domains: [DomainColumns; DOMAINS] = Default::default();
        for d in ws.standards.by_domain.keys() {
            if let Some((mine, foreign)) = domains.get_mut(*d as usize) {
                for (k, ((c, _), at)) in indicators.iter().zip(&places).enumerate() {
                    match at.get(*d as usize).copied().flatten() {
                        Some(idx) => mine.push((*c, usize::from(idx))),
                        None => foreign.push((*c, k)),
                    }
                }
            }
        }
        Some(Columns {
            branch: branch?,
            level: level?,
            overall,
            indicators,
            domains,
        })
    }

    fn part(&self, names: &[String], _: u64, careful: bool) -> Option<Loader<'w>> {
        let (ws, n) = (self.ws, names.len());
        Some(Loader {
            ws,
            year: self.year,
            scores: Scores::new(&ws.standards, ws.domains(), self.keep),
            names: names.to_vec(),
            detail: self.detail.map(|b| (b, Vec::new())),
            given: careful.then(|| vec![Vec::new(); ws.branches.len()]),
            sheet_columns: vec![(BTreeMap::new(), None); n],
            bad_rows: BTreeSet::new(),
            cursor: 0,
            found: Vec::new(),
            products: Vec::new(),
            stds: Domain::ALL.map(|d| ws.standards.get(d).map(|s| (s, Fast::new(s)))),
            covered: self.covered,
        })
    }

    fn row(
        &self,
        l: &mut Loader<'w>,
        cols: &Columns,
        sheet: usize,
        row: &impl Cells,
        problems: &mut Problems,
    ) {
        l.row(row, cols, sheet, problems);
    }

    /// The sums of both parts added; `None` when both gave a score of the same branch,
    /// indicator and level, or a branch's scores are incomplete (the careful read tells
    /// where).
    fn merge(&self, mut a: Loader<'w>, b: Loader<'w>, _: &[usize]) -> Option<Loader<'w>> {
        if !a.scores.merge(b.scores) {
            return None;
        }
        let mut problems = Problems::new();
        a.check_complete(&mut problems);
        problems.is_empty().then_some(a)
    }

    /// `explain` reads the careful way, which keeps every cell of its branch.
    fn streams(&self) -> bool {
        self.detail.is_none()
    }
}

pub fn load(
    ws: &Workspace,
    year: i32,
    detail: Option<usize>,
    keep: Keep,
    covered: &Covered,
    problems: &mut Problems,
) -> Read {
    let files = ws.table_files(year, Kind::Scores, problems);
    if files.is_empty() {
        let unread = ws.listing(year).unread.clone();
        let found = if unread.is_empty() {
            String::new()
        } else {
            let list = crate::i18n::list(&unread.join(", "));
            msg!(
                " (files here, not read: {list})",
                "（此处有文件但不会读取：{list}）"
            )
        };
        problems.push(Problem::file(
            super::join_shown(&ws.shown, &format!("{year}/")),
            msg!(
                "no score sheets{found}; expected one or more files named scores*.csv, scores*.xlsx or scores*.xls (any letter case)",
                "没有评分表{found}；应有一个或多个名为 scores*.csv、scores*.xlsx 或 scores*.xls 的文件（不分大小写）"
            ),
        ));
    }
    let sheets = Sheets {
        ws,
        year,
        detail,
        keep,
        covered,
    };
    let Some(read) = super::table::read(&sheets, &files, ws.encoding, problems) else {
        return Read::default();
    };
    // A sheet that cannot be read at all would make every branch look incomplete: then the
    // missing scores are not reported, only the sheet's own problems; no sheet at all is
    // one problem, the folder's, not one per branch. (Parts are merged complete.)
    if read.whole {
        read.part.check_complete(problems);
    }
    let l = read.part;
    (l.scores, l.names, l.detail)
}

impl<'w> Loader<'w> {
    /// Branch b's standard, and what the integer fast path needs of it.
    fn std_of(&self, b: usize) -> Option<&(&'w Standard, Fast)> {
        self.stds.get(self.ws.domain_of(b)? as usize)?.as_ref()
    }

    /// One row: its branch and level, then its scores.
    fn row(&mut self, row: &impl Cells, cols: &Columns, file: usize, problems: &mut Problems) {
        let bid = row.get(cols.branch);
        let branch =
            (self.ws).branch_in_cell(row, cols.branch, self.year, &mut self.cursor, problems);
        let ltext = row.get(cols.level);
        let level = Level::parse(ltext);
        if level.is_none() {
            problems.push(row.problem(
                cols.level,
                msg!(
                    "unknown level `{ltext}`; expected self, mass or organization",
                    "未知层级“{ltext}”；应为 self（自评）、mass（群众评议）或 organization（组织评定）"
                ),
            ));
        }
        let (Some(b), Some(level)) = (branch, level) else {
            return;
        };
        if self.covered.any && self.covered_level(row, cols, (b, level, bid), problems) {
            return;
        }
        let row_start = problems.len();
        let (mut found, mut products) = (take(&mut self.found), take(&mut self.products));
        found.clear();
        products.clear();
        // Rows read in parts keep nothing to tell problems or explain: the common row's
        // products are added at once. One they cannot be added for (a score given before, or
        // level sums kept for a floor) is read again cell by cell, which tells or adds it.
        let fast = (self.given.is_none() && self.detail.is_none()).then_some(&mut products);
        let mut read = self.found_in_row(row, cols, (b, level, bid), &mut found, fast, problems);
        if matches!(read, Some(Scored::Products)) && !self.scores.add_products(b, level, &products)
        {
            read = self.found_in_row(row, cols, (b, level, bid), &mut found, None, problems);
        }
        if let Some(Scored::Cells(overall)) = read {
            self.add_row(row, cols, (b, level, bid, overall), file, &found, problems);
        }
        (self.found, self.products) = (found, products);
        if problems.len() != row_start {
            self.bad_rows.insert((b, level));
        }
    }

    /// Whether a row gives a level the records give (a level scored by deduction, or the
    /// mass level of a branch with ballots): then it is a problem at its level cell.
    fn covered_level(
        &self,
        row: &impl Cells,
        cols: &Columns,
        (b, level, bid): (usize, Level, &str),
        problems: &mut Problems,
    ) -> bool {
        let Some(d) = self.ws.domain_of(b) else {
            return false;
        };
        if !self.covered.covers(b, d as usize, level) {
            return false;
        }
        let (lv, zh, dzh) = (level.as_str(), level.zh(), d.zh());
        problems.push(row.problem(
            cols.level,
            if self.covered.surveyed(b) && level == Level::Mass {
                msg!(
                    "the mass level of {bid} is counted from its ballots in surveys.csv; expected no mass row for it in a score sheet",
                    "支部 {bid} 的群众评议按 surveys.csv 中的测评票计分；评分表中不应再有其群众评议行"
                )
            } else {
                msg!(
                    "level {lv} of {bid} is scored by deduction ([deduction] levels of the {d} standard, deductions.csv); expected no {lv} row for it in a score sheet",
                    "支部 {bid} 的{zh}层级实行扣分制（{dzh}评星标准的 [deduction] levels，见 deductions.csv）；评分表中不应再有其{zh}行"
                )
            },
        ));
        true
    }

    /// The scores a row gives of branch `b` at `level`: into `products` when it is given and
    /// the row is the common one, else into `found`; `None` when the row gives none (its
    /// problems told).
    fn found_in_row(
        &self,
        row: &impl Cells,
        cols: &Columns,
        (b, level, bid): (usize, Level, &str),
        found: &mut Vec<Found>,
        mut products: Option<&mut Vec<(usize, i64)>>,
        problems: &mut Problems,
    ) -> Option<Scored> {
        let &(std, ref fast) = self.std_of(b)?;
        let (domain, domain_zh) = (std.domain, std.domain.zh());
        // The sheet's columns that belong to this branch's domain; others must be blank.
        let (mine, foreign) = cols.domains.get(domain as usize)?;
        for &(c, k) in foreign {
            if !row.get(c).is_empty() {
                let id = cols.indicators.get(k).map_or("", |(_, id)| id.as_str());
                problems.push(row.problem(
                    c,
                    msg!(
                        "`{id}` is not an indicator of the {domain} standard of branch {bid}; expected this cell blank",
                        "“{id}”不是支部 {bid} 所属{domain_zh}领域评星标准的指标；此单元格应留空"
                    ),
                ));
            }
        }
        let overall_text = cols.overall.map(|c| row.get(c)).unwrap_or("");
        // The common row: every indicator a plain score in range, its product in integers.
        if overall_text.is_empty() && !mine.is_empty() {
            let cell = |c, idx| row.number(c).and_then(|n| fast.cell(n, idx, level));
            let all = match products.as_mut() {
                Some(products) => (mine.iter())
                    .all(|&(c, idx)| cell(c, idx).map(|(_, p)| products.push((idx, p))).is_some()),
                None => mine.iter().all(|&(c, idx)| {
                    let v = cell(c, idx).and_then(valued);
                    v.map(|(v, p)| found.push((c, idx, v, Some(p)))).is_some()
                }),
            };
            if all {
                return Some(if products.is_some() {
                    Scored::Products
                } else {
                    Scored::Cells(None)
                });
            }
            found.clear();
            if let Some(p) = products.as_mut() {
                p.clear();
            }
        }
        let filled = mine.iter().filter(|(c, _)| !row.get(*c).is_empty()).count();
        if filled > 0 {
            if let (Some(oc), false) = (cols.overall, overall_text.is_empty()) {
                problems.push(row.problem(
                    oc,
                    tr(
                        "row mixes indicator scores and `overall`; expected either every indicator score or only overall",
                        "该行既填了指标得分又填了 overall；应逐项填写全部指标得分，或只填 overall",
                    )
                    .into(),
                ));
                return None;
            }
            if filled < mine.len() {
                for &(c, _) in mine {
                    if row.get(c).is_empty() {
                        problems.push(row.problem(
                            c,
                            tr(
                                "score is blank while others in the row are filled; expected every indicator of the row's domain, or all blank and overall",
                                "该行其他得分已填写，此项得分为空；应填写该支部所属领域的全部指标，或全部留空、只填 overall",
                            )
                            .into(),
                        ));
                    }
                }
                return None;
            }
            for &(c, idx) in mine {
                // The common case exactly in integers; anything else (and every problem)
                // through decimals.
                let cell = row.number(c).and_then(|n| fast.cell(n, idx, level));
                if let Some((v, p)) = cell.and_then(valued) {
                    found.push((c, idx, v, Some(p)));
                    continue;
                }
                let points = std.indicators.get(idx).map_or(Decimal::ZERO, |i| i.points);
                if let Some(v) = score(row.get(c), points, row, c, problems) {
                    found.push((c, idx, v, None));
                }
            }
            return Some(Scored::Cells(None));
        }
        let Some(oc) = cols.overall.filter(|_| !overall_text.is_empty()) else {
            problems.push(row.row_problem(msg!(
                "row gives no score for branch {bid} ({domain}); expected its indicator scores or an overall",
                "该行没有支部 {bid}（{domain_zh}）的任何得分；应填写各指标得分或 overall"
            )));
            return None;
        };
        // A plain overall from 0 to 100 without the decimal parser (once per mass row).
        let plain = row
            .number(oc)
            .filter(|&(m, s)| pow10(s).and_then(|p| p.checked_mul(100)) >= Some(m))
            .and_then(|(m, s)| Decimal::try_new(m, s).ok());
        let overall =
            plain.or_else(|| score(overall_text, Decimal::ONE_HUNDRED, row, oc, problems))?;
        let o64 = parts64(overall);
        if let Some(products) = products {
            let all = (0..std.indicators.len()).all(|idx| {
                let p = o64.and_then(|o| fast.overall(o, idx, level));
                p.map(|(_, p)| products.push((idx, p))).is_some()
            });
            if all {
                return Some(Scored::Products);
            }
            products.clear();
        }
        for (idx, ind) in std.indicators.iter().enumerate() {
            let cell = o64.and_then(|o| fast.overall(o, idx, level));
            match cell.and_then(valued) {
                Some((v, p)) => found.push((oc, idx, v, Some(p))),
                // points × overall / 100, exact.
                None => found.push((oc, idx, from_overall(ind.points, overall), None)),
            }
        }
        Some(Scored::Cells(Some(overall)))
    }

    /// The rows that gave branch b's scores at `level`, when they are kept (to tell
    /// problems).
    fn given_at(&self, b: usize, level: Level) -> impl Iterator<Item = Given> + '_ {
        (self.given.as_ref().and_then(|given| given.get(b)))
            .into_iter()
            .flatten()
            .filter(move |g| g.level == level)
            .copied()
    }

    /// Add the scores found in a row, but those given before (told where they were first).
    fn add_row(
        &mut self,
        row: &impl Cells,
        cols: &Columns,
        (b, level, bid, overall): (usize, Level, &str, Option<Decimal>),
        file_idx: usize,
        found: &[Found],
        problems: &mut Problems,
    ) {
        let Some(&(std, _)) = self.std_of(b) else {
            return;
        };
        // A row whose every score was given by one earlier row (a copied row): one problem
        // naming both rows, not one per cell.
        if !found.is_empty() && found.iter().all(|f| self.scores.has(b, f.1, level)) {
            let earlier: Vec<Given> = self.given_at(b, level).collect();
            if let [g] = earlier[..] {
                let line = g.line;
                let at = if g.file == file_idx {
                    msg!("line {line}", "第 {line} 行")
                } else {
                    let sheet = self.names.get(g.file).map_or("", String::as_str);
                    msg!("{sheet}, line {line}", "{sheet} 第 {line} 行")
                };
                let (level, level_zh) = (level.as_str(), level.zh());
                problems.push(row.row_problem(msg!(
                    "row repeats the {level} scores of {bid} already given on {at}; expected each branch's level in one row only: delete one of the two",
                    "该行重复填写了支部 {bid} 的{level_zh}层级得分（已在{at}填写）；每个支部的每个层级只应填写一行：请删去其中一行"
                )));
                return;
            }
        }
        let w = std.settings.weight(level);
        let mut any = false;
        for &(c, idx, value, product) in found {
            if self.scores.has(b, idx, level) {
                let id = std.indicators.get(idx).map(|i| i.id.as_str()).unwrap_or("");
                let at = self.first_given(b, level, id, file_idx);
                let (level, level_zh) = (level.as_str(), level.zh());
                problems.push(row.problem(
                    c,
                    msg!(
                        "score of {bid} for {id} at level {level} is given twice{at}; expected exactly once",
                        "支部 {bid} 指标 {id} 的{level_zh}层级得分重复填写{at}；应只填写一次"
                    ),
                ));
                continue;
            }
            any = true;
            self.scores.add(w, (b, idx, level), value, product);
            if let Some((db, cells)) = &mut self.detail {
                if *db == b {
                    if cells.is_empty() {
                        cells.resize(std.indicators.len(), [None, None, None]);
                    }
                    if let Some(slot) = cells.get_mut(idx).and_then(|l| l.get_mut(level.index())) {
                        *slot = Some(Cell {
                            value,
                            overall,
                            file: file_idx,
                            line: row.line(),
                            column: c + 1,
                        });
                    }
                }
            }
        }
        if let (true, Some(given)) = (any, self.given.as_mut().and_then(|g| g.get_mut(b))) {
            given.push(Given {
                file: file_idx,
                line: row.line(),
                level,
                overall: overall.is_some(),
            });
            if let Some(sc) = self.sheet_columns.get_mut(file_idx) {
                if sc.0.is_empty() && sc.1.is_none() {
                    *sc = (
                        (cols.indicators.iter())
                            .map(|(c, id)| (id.clone(), c + 1))
                            .collect(),
                        cols.overall.map(|c| c + 1),
                    );
                }
            }
        }
    }

    /// Where a score of indicator `id` of branch `b` at `level` was first given, as said
    /// after "given twice".
    fn first_given(&self, b: usize, level: Level, id: &str, file_idx: usize) -> String {
        let first = self.given_at(b, level).find(|g| {
            g.overall
                || self
                    .sheet_columns
                    .get(g.file)
                    .is_some_and(|(ids, _)| ids.contains_key(id))
        });
        let Some(g) = first else {
            return String::new();
        };
        let col = self
            .sheet_columns
            .get(g.file)
            .and_then(|(ids, oc)| if g.overall { *oc } else { ids.get(id).copied() })
            .unwrap_or(0);
        let line = g.line;
        if g.file == file_idx {
            msg!(
                " (first on line {line}, column {col})",
                "（首次出现在第 {line} 行第 {col} 列）"
            )
        } else {
            let sheet = self.names.get(g.file).map_or("", String::as_str);
            msg!(
                " (first in {sheet}, line {line}, column {col})",
                "（首次出现在 {sheet} 第 {line} 行第 {col} 列）"
            )
        }
    }

    /// Every rated branch has every level of every indicator.
    fn check_complete(&self, problems: &mut Problems) {
        let ws = self.ws;
        let folder = super::join_shown(&ws.shown, &format!("{}/", self.year));
        for (b, branch) in ws.branches.iter().enumerate() {
            if !branch.rated_in(self.year) {
                continue;
            }
            let Some(std) = ws.standards.get(branch.domain) else {
                continue;
            };
            // Every indicator given at every level (the usual case): one comparison.
            let n = std.indicators.len();
            let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
            // A level the records give is given (see `super::records`).
            let covered = |l: Level| self.covered.covers(b, branch.domain as usize, l);
            if Level::ALL
                .iter()
                .all(|l| self.scores.given(b, *l).is_some_and(|m| m & all == all) || covered(*l))
            {
                continue;
            }
            for level in Level::ALL {
                if self.bad_rows.contains(&(b, level)) || covered(level) {
                    continue;
                }
                let missing: Vec<&str> = std
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !self.scores.has(b, *i, level))
                    .map(|(_, ind)| ind.id.as_str())
                    .collect();
                if !missing.is_empty() {
                    let (id, zh, level) = (branch.id(), level.zh(), level.as_str());
                    let every = missing.len() == std.indicators.len();
                    let which = if every {
                        tr("every indicator", "全部指标").to_string()
                    } else {
                        let list = crate::i18n::list(&missing.join(", "));
                        msg!("{list}", "指标 {list} ")
                    };
                    let message = msg!(
                        "branch {id} has no {level} score for {which}; expected a row for it in a scores*.csv sheet",
                        "支部 {id} 缺少 {level}（{zh}）层级{which}的得分；应在 scores*.csv 评分表中为其填写一行"
                    );
                    problems.push(Problem::file(&folder, message));
                }
            }
        }
    }
}

/// A score of (mantissa, scale) with its product, as [`Fast`] gives it, with the score as a
/// decimal.
#[inline(always)]
fn valued(((m, s), product): ((i64, u32), i64)) -> Option<(Decimal, i64)> {
    Some((Decimal::try_new(m, s).ok()?, product))
}

/// Parse one score, 0 to `max`.
fn score(
    text: &str,
    max: Decimal,
    row: &impl Cells,
    c: usize,
    problems: &mut Problems,
) -> Option<Decimal> {
    let max = max.normalize();
    let message = match decimal::parse_cell(text) {
        Ok(v) if v < Decimal::ZERO => msg!(
            "score `{text}` is negative; expected a number from 0 to {max}",
            "分数“{text}”为负数；应为 0 到 {max} 之间的数字"
        ),
        Ok(v) if v > max => msg!(
            "score `{text}` is above the maximum; expected a number from 0 to {max}",
            "分数“{text}”超过最高分；应为 0 到 {max} 之间的数字"
        ),
        Ok(v) => return Some(v),
        // A percentage: say what to type with the clerk's own number.
        Err(decimal::NumberError::Percent) => {
            let number = text.trim().trim_end_matches(['%', '％']).trim();
            msg!(
                "score `{text}` is written with %: type the number alone ({number}, not {text})",
                "分数“{text}”带有百分号：只填数字（填 {number}，不要填 {text}）"
            )
        }
        Err(e) => {
            let what = e.describe();
            msg!(
                "score `{text}` {what}; expected a number from 0 to {max}",
                "分数“{text}”{what}；应为 0 到 {max} 之间的数字"
            )
        }
    };
    problems.push(row.problem(c, message));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::table::both_ways;
    use std::path::{Path, PathBuf};

    fn town() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang")
    }

    fn workspace(dir: &Path) -> Workspace {
        let mut problems = Problems::new();
        let ws = Workspace::load(dir, Encoding::Auto, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        ws.expect("the workspace loads")
    }

    /// A year's sheets read in parts on both cores (`None` when not clean) and the careful
    /// way, keeping where every score came from.
    fn both(ws: &Workspace, year: i32) -> (Option<Scores>, Scores) {
        let mut problems = Problems::new();
        let files = ws.table_files(year, Kind::Scores, &mut problems);
        let covered = Covered::default();
        let sheets = Sheets {
            ws,
            year,
            detail: None,
            keep: Keep::Indicators,
            covered: &covered,
        };
        let (parts, careful, told) = both_ways(&sheets, &files);
        careful.check_complete(&mut problems);
        assert!(
            problems.is_empty() && told.is_empty(),
            "{problems:?} {told:?}"
        );
        // In one part on this thread, as small sheets are read: the same sums as split.
        let one = crate::workspace::table::in_one_part(&sheets, &files);
        assert_eq!(
            one.is_some(),
            parts.is_some(),
            "one part and split agree on clean"
        );
        if let (Some(one), Some(parts)) = (&one, &parts) {
            assert_same(&one.scores, &parts.scores, "one part");
        }
        (parts.map(|l| l.scores), careful.scores)
    }

    fn assert_same(a: &Scores, b: &Scores, what: &str) {
        assert!(a == b, "{what}: the sums differ");
    }

    #[test]
    fn clean_sheets_read_in_parts_sum_as_the_careful_read_does() {
        let ws = workspace(&town());
        for year in ws.years() {
            let (parts, careful) = both(&ws, year);
            let parts = parts.expect("clean sheets read in parts");
            assert!((0..ws.branches.len()).any(|b| parts.base(b) != Decimal::ZERO));
            assert_same(&parts, &careful, &year.to_string());
        }
    }

    /// Rewrite every sheet of the town's latest year with `f` and compare both reads.
    fn variant(what: &str, f: impl Fn(&str, &str) -> String, in_parts: bool) {
        let tmp = tempfile::tempdir().unwrap();
        let src = town();
        let dst = tmp.path();
        for rel in ["stars.toml", "branches.csv"] {
            std::fs::copy(src.join(rel), dst.join(rel)).unwrap();
        }
        let ws0 = workspace(&src);
        let year = ws0.latest_year().unwrap();
        // Only the latest year's folder matters here; the others need only exist.
        for y in ws0.years() {
            std::fs::create_dir_all(dst.join(y.to_string())).unwrap();
        }
        for entry in std::fs::read_dir(src.join(year.to_string())).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let text = if name.starts_with("scores") {
                f(&name, &text)
            } else {
                text
            };
            std::fs::write(dst.join(year.to_string()).join(&name), text).unwrap();
        }
        let ws = workspace(dst);
        let (parts, careful) = both(&ws, year);
        assert_eq!(parts.is_some(), in_parts, "{what}: read in parts?");
        if let Some(parts) = parts {
            assert_same(&parts, &careful, what);
        }
        let mut problems = Problems::new();
        let (loaded, _, _) = load(
            &ws,
            year,
            None,
            Keep::Indicators,
            &Covered::default(),
            &mut problems,
        );
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert_same(&loaded, &careful, what);
        // Kept for the ratings only: the same B, and the same e_i of every bottom-line
        // indicator, in fewer slots.
        let (rated, _, _) = load(
            &ws,
            year,
            None,
            Keep::Ratings,
            &Covered::default(),
            &mut problems,
        );
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert!(rated.slots_made() < loaded.slots_made());
        for b in 0..ws.branches.len() {
            assert_eq!(rated.base(b), careful.base(b), "{what}: B of branch {b}");
            assert_eq!(
                rated.fixed_base(b),
                careful.fixed_base(b),
                "{what}: B of branch {b}"
            );
            let std = ws.standard_of(b).expect("a standard");
            for (k, ind) in std.indicators.iter().enumerate() {
                let kept = rated.indicator(b, k);
                match ind.bottom_line {
                    Some(_) => assert_eq!(kept, careful.indicator(b, k), "{what}: {b} {k}"),
                    None => assert_eq!(kept, None, "{what}: {b} {k} not kept"),
                }
            }
        }
    }

    /// A standard rating by themes keeps one shared slot per theme when loaded for the
    /// ratings (`Keep::Ratings`): each theme's Σ e_i is the one summed from every
    /// indicator's e_i, in integers and in decimals; a standard rating by score has none.
    #[test]
    fn theme_sums_kept_for_the_ratings_are_those_of_the_indicators() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/themes");
        let ws = workspace(&dir);
        let year = ws.latest_year().unwrap();
        let mut problems = Problems::new();
        let covered = Covered::default();
        let (all, _, _) = load(&ws, year, None, Keep::Indicators, &covered, &mut problems);
        let (rated, _, _) = load(&ws, year, None, Keep::Ratings, &covered, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(rated.slots_made() < all.slots_made());
        let mut themed = 0;
        for b in 0..ws.branches.len() {
            let std = ws.standard_of(b).expect("a standard");
            let e = all.combined(b, std.indicators.len());
            let sums = crate::themes::sums(std, &e);
            assert_eq!(rated.theme_sums(b), sums, "branch {b}");
            assert_eq!(all.theme_sums(b), sums, "branch {b}");
            for (k, sum) in sums.iter().enumerate() {
                assert_eq!(rated.theme_sum(b, k), *sum, "branch {b} theme {k}");
                assert_eq!(all.theme_sum(b, k), *sum, "branch {b} theme {k}");
            }
            if std.by_themes() {
                themed += 1;
                let fixed = rated.fixed_theme_sums(b).expect("integer sums");
                assert_eq!(Some(fixed), all.fixed_theme_sums(b), "branch {b}");
                for (f, d) in fixed.iter().zip(&sums) {
                    assert_eq!(Scores::sum_decimal(&[*f]), Some(*d), "branch {b}");
                }
            } else {
                assert_eq!(rated.fixed_theme_sums(b), None, "branch {b}");
            }
        }
        assert!(themed >= 10, "{themed}");
    }

    #[test]
    fn crlf_blank_lines_and_any_row_order_are_read_in_parts() {
        // (One of the town's sheets is CRLF already, as Excel saves them.)
        variant(
            "CRLF",
            |_, t| t.replace("\r\n", "\n").replace('\n', "\r\n"),
            true,
        );
        variant("LF", |_, t| t.replace("\r\n", "\n"), true);
        variant("blank lines", |_, t| t.replace('\n', "\n\n"), true);
        variant(
            "rows reversed",
            |_, t| {
                let mut lines: Vec<&str> = t.lines().collect();
                lines[1..].reverse();
                lines.join("\n") + "\n"
            },
            true,
        );
    }

    #[test]
    fn rows_the_parts_leave_alone_are_read_the_careful_way() {
        // A space around a score and a score written `+5` are read the same both ways. A
        // row of commas (not the header's width) and a quoted cell are left to the careful
        // read, which accepts them.
        let in_first_row = |t: &str, from: &str, to: &str| {
            let (head, rest) = t.split_once('\n').unwrap();
            format!("{head}\n{}", rest.replacen(from, to, 1))
        };
        variant("space", |_, t| in_first_row(t, ",5,", ", 5 ,"), true);
        variant("plus", |_, t| in_first_row(t, ",5,", ",+5,"), true);
        variant("commas", |_, t| t.replacen('\n', "\n,,,\n", 1), false);
        variant("quoted", |_, t| in_first_row(t, ",5,", ",\"5\","), false);
    }
}
