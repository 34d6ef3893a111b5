//! `YEAR/scores*.csv`: wide score sheets, one row per branch and level.
//!
//! A row fills every indicator of the branch's domain that the sheet has a column for, or
//! leaves them all blank and gives `overall`, which stands for every indicator of the domain
//! at that level. Across all sheets each (branch, level, indicator) is given exactly once.
//!
//! Sheets are streamed: what is kept of each branch is its combined points per indicator
//! (SPEC.md step 1, summed as the rows come) and which indicators each level has given.
//! `stars explain` asks for one branch's cells in full.

use super::sheet::{Row, Sheet};
use super::Workspace;
use crate::decimal;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::Text;
use crate::standard::{Domain, Level, Standard};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// 1/100, to take `overall` percent of the points without a (slow) division.
const HUNDREDTH: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

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

/// A row that gave scores of a branch, to say where a score was first given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Given {
    file: usize,
    line: usize,
    level: Level,
    overall: bool,
}

/// The scale of the fixed-point sums: products w_l · s_{i,l} with up to this many decimal
/// places in all (weights of a few places times scores of a few) are summed as integers.
const FIXED_SCALE: u32 = 10;

/// What the rating needs of a branch's scores.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BranchScores {
    /// e_i = Σ_l w_l · s_{i,l} for each indicator of the branch's standard, in its order,
    /// in units of 10^-FIXED_SCALE: exact integer sums, much faster than decimal ones.
    fixed: Vec<i128>,
    /// The part of e_i whose products have more places than FIXED_SCALE (rare; empty when
    /// none has).
    rest: Vec<Decimal>,
    /// Bit i of `seen[l]`: level l gave indicator i.
    seen: [u64; 3],
    given: Vec<Given>,
}

impl BranchScores {
    /// A branch's scores from the score of every indicator at every level.
    pub fn from_levels(std: &Standard, levels: &[[Decimal; 3]]) -> BranchScores {
        let mut b = BranchScores::default();
        for (i, l3) in levels.iter().enumerate().take(std.indicators.len()) {
            for l in Level::ALL {
                b.add(std, i, l, l3[l.index()]);
            }
        }
        b
    }

    /// e_i of each indicator (SPEC.md step 1), exact; zero where nothing was given.
    pub fn combined(&self, n: usize) -> Vec<Decimal> {
        (0..n)
            .map(|i| {
                let fixed = self.fixed.get(i).copied().unwrap_or(0);
                let rest = self.rest.get(i).copied().unwrap_or(Decimal::ZERO);
                Decimal::try_from_i128_with_scale(fixed, FIXED_SCALE).unwrap_or(Decimal::ZERO)
                    + rest
            })
            .collect()
    }

    /// Free the sums once they are rated.
    pub fn clear(&mut self) {
        self.fixed = Vec::new();
        self.rest = Vec::new();
    }

    fn add(&mut self, std: &Standard, idx: usize, level: Level, value: Decimal) {
        let n = std.indicators.len();
        if self.fixed.len() < n {
            self.fixed.resize(n, 0);
        }
        let w = std.settings.weight(level);
        let places = w.scale() + value.scale();
        // A weight is at most 1 and a score at most 100: with at most FIXED_SCALE places the
        // product is below 10^13 units. Checked all the same; anything else goes to `rest`.
        let product = (places <= FIXED_SCALE)
            .then(|| {
                w.mantissa()
                    .checked_mul(value.mantissa())?
                    .checked_mul(10i128.checked_pow(FIXED_SCALE - places)?)
            })
            .flatten();
        let sum = product.and_then(|p| self.fixed.get(idx)?.checked_add(p));
        match (self.fixed.get_mut(idx), sum) {
            (Some(e), Some(sum)) => *e = sum,
            _ => {
                if self.rest.len() < n {
                    self.rest.resize(n, Decimal::ZERO);
                }
                if let Some(e) = self.rest.get_mut(idx) {
                    *e += w * value;
                }
            }
        }
        if let Some(m) = self.seen.get_mut(level.index()) {
            *m |= 1u64 << idx;
        }
    }

    /// Add another part of the same branch's sums; `false` (and nothing added) when both
    /// gave a score of the same indicator and level.
    fn merge(&mut self, other: BranchScores) -> bool {
        if self.seen.iter().zip(&other.seen).any(|(a, b)| a & b != 0) {
            return false;
        }
        if self.fixed.len() < other.fixed.len() {
            self.fixed.resize(other.fixed.len(), 0);
        }
        for (a, b) in self.fixed.iter_mut().zip(&other.fixed) {
            match a.checked_add(*b) {
                Some(sum) => *a = sum,
                None => return false,
            }
        }
        if self.rest.len() < other.rest.len() {
            self.rest.resize(other.rest.len(), Decimal::ZERO);
        }
        for (a, b) in self.rest.iter_mut().zip(&other.rest) {
            *a += *b;
        }
        for (a, b) in self.seen.iter_mut().zip(other.seen) {
            *a |= b;
        }
        self.given.extend(other.given);
        self.given.sort_by_key(|g| (g.file, g.line));
        true
    }

    fn has(&self, idx: usize, level: Level) -> bool {
        self.seen
            .get(level.index())
            .is_some_and(|m| m & (1u64 << idx) != 0)
    }
}

/// The scores of a year.
#[derive(Debug, Default)]
pub struct Scores {
    /// File names of the sheets, as shown in messages.
    pub names: Vec<String>,
    /// By branch index; empty for branches without scores.
    pub branches: Vec<BranchScores>,
    /// Every cell of one branch, when asked for: by indicator, then level.
    pub detail: Option<(usize, Vec<[Option<Cell>; 3]>)>,
}

/// What a sheet's header says.
struct Columns {
    branch: usize,
    level: usize,
    overall: Option<usize>,
    /// (column, indicator id)
    indicators: Vec<(usize, String)>,
    /// For each domain, the indicator index of each of `indicators` in its standard.
    by_domain: BTreeMap<Domain, Vec<Option<usize>>>,
}

/// The score sheets of a year folder: `scores*.csv`, in name order.
fn sheet_files(ws: &Workspace, year: i32) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.dir.join(year.to_string()))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    let lower = n.to_ascii_lowercase();
                    n.starts_with("scores") && (lower.ends_with(".csv") || lower.ends_with(".xlsx"))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

struct Loader<'w> {
    ws: &'w Workspace,
    year: i32,
    scores: Scores,
    /// Per sheet: indicator id → 1-based column, and the overall column.
    sheet_columns: Vec<(BTreeMap<String, usize>, Option<usize>)>,
    /// (branch, level) pairs with a bad row: their missing scores are not reported again.
    bad_rows: BTreeSet<(usize, Level)>,
    /// The last branch looked up: a sheet's rows usually come branch by branch.
    last_branch: Option<(String, usize)>,
    /// Buffers reused from row to row.
    mine: Vec<(usize, usize)>,
    found: Vec<(usize, usize, Decimal, Option<Decimal>)>,
}

pub fn load(ws: &Workspace, year: i32, detail: Option<usize>, problems: &mut Problems) -> Scores {
    let files = sheet_files(ws, year);
    if files.is_empty() {
        problems.push(Problem::file(
            super::join_shown(&ws.shown, &format!("{year}/")),
            tr(
                "no score sheets; expected one or more files named scores*.csv",
                "没有评分表；应有一个或多个名为 scores*.csv 的文件",
            ),
        ));
    }
    // A sheet that cannot be read at all would make every branch look incomplete: then the
    // missing scores are not reported, only the sheet's own problems.
    let mut unreadable = false;
    let mut texts = Vec::new();
    for f in &files {
        let rel = format!("{year}/{f}");
        if f.to_ascii_lowercase().ends_with(".xlsx") {
            let before = problems.len();
            texts.extend(ws.read_workbook(&rel, problems));
            unreadable |= problems.len() != before;
        } else {
            match ws.read_optional(&rel, problems) {
                Some(t) => texts.push(t),
                None => unreadable = true,
            }
        }
    }
    if detail.is_none() && !unreadable && problems.is_empty() {
        if let Some(scores) = load_on_two_threads(ws, year, &texts) {
            return scores;
        }
    }
    let mut l = Loader::new(ws, year, &texts, detail);
    for (file_idx, text) in texts.iter().enumerate() {
        unreadable |= l.sheet(file_idx, text, problems);
    }
    if !unreadable {
        l.check_complete(problems);
    }
    l.scores
}

/// The clean case on both cores: the sheets split in two halves by size, each half read into
/// its own sums, the sums added. Any problem at all, or a score given in both halves, and
/// `None`: the sheets are then read again one by one, so that every problem is found and
/// told in the one order (which score came first) that reading file by file gives.
fn load_on_two_threads(ws: &Workspace, year: i32, texts: &[Text]) -> Option<Scores> {
    if texts.len() < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(texts.get(i).map_or(0, |t| t.text.len())));
    let (mut halves, mut sizes) = ([Vec::new(), Vec::new()], [0usize; 2]);
    for i in order {
        let k = usize::from(sizes[1] < sizes[0]);
        sizes[k] += texts.get(i).map_or(0, |t| t.text.len());
        halves[k].push(i);
    }
    let half = |files: &[usize]| -> Option<Loader> {
        let mut l = Loader::new(ws, year, texts, None);
        let mut problems = Problems::new();
        for &i in files {
            let text = texts.get(i)?;
            if l.sheet(i, text, &mut problems) || !problems.is_empty() {
                return None;
            }
        }
        Some(l)
    };
    let [first, second] = &halves;
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| half(second));
        let mine = half(first);
        (mine, other.join().ok().flatten())
    });
    let (mut a, b) = (a?, b?);
    for (mine, theirs) in a.scores.branches.iter_mut().zip(b.scores.branches) {
        if !mine.merge(theirs) {
            return None;
        }
    }
    let mut problems = Problems::new();
    a.check_complete(&mut problems);
    problems.is_empty().then_some(a.scores)
}

impl<'w> Loader<'w> {
    fn new(ws: &'w Workspace, year: i32, texts: &[Text], detail: Option<usize>) -> Loader<'w> {
        Loader {
            ws,
            year,
            scores: Scores {
                names: texts.iter().map(|t| t.name.clone()).collect(),
                branches: vec![BranchScores::default(); ws.branches.len()],
                detail: detail.map(|b| (b, Vec::new())),
            },
            sheet_columns: vec![(BTreeMap::new(), None); texts.len()],
            bad_rows: BTreeSet::new(),
            last_branch: None,
            mine: Vec::new(),
            found: Vec::new(),
        }
    }

    /// Read one sheet; `true` when rows of it were lost (unreadable, bad header, ragged).
    fn sheet(&mut self, file_idx: usize, text: &Text, problems: &mut Problems) -> bool {
        let Some((sheet, rows)) = Sheet::open(&text.name, &text.text, problems) else {
            return true;
        };
        let Some(cols) = self.header(&sheet, file_idx, problems) else {
            return true;
        };
        // A ragged row or a CSV error loses a row of unknown branch and level, too.
        let lost = rows.each(&sheet, problems, |row, problems| {
            self.row(&sheet, row, &cols, file_idx, problems)
        });
        lost > 0
    }

    fn header(
        &mut self,
        sheet: &Sheet,
        file_idx: usize,
        problems: &mut Problems,
    ) -> Option<Columns> {
        let before = problems.len();
        let (mut branch, mut level, mut overall) = (None, None, None);
        let mut indicators = Vec::new();
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
                id if self.ws.indicator_ids.contains(id) => indicators.push((c, id.to_string())),
                other => problems.push(sheet.header_cell(
                    c,
                    msg!(
                        "unknown column `{other}`; expected branch, level, name, overall or an indicator id of the standards",
                        "未知列“{other}”；应为 branch、level、name、overall 或评星标准中的指标编号"
                    ),
                )),
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
        if let Some(sc) = self.sheet_columns.get_mut(file_idx) {
            *sc = (
                indicators
                    .iter()
                    .map(|(c, id)| (id.clone(), c + 1))
                    .collect(),
                overall.map(|c| c + 1),
            );
        }
        if problems.len() != before {
            return None;
        }
        let by_domain = self
            .ws
            .standards
            .by_domain
            .iter()
            .map(|(d, std)| {
                (
                    *d,
                    indicators
                        .iter()
                        .map(|(_, id)| std.indicator(id).map(|(i, _)| i))
                        .collect(),
                )
            })
            .collect();
        Some(Columns {
            branch: branch?,
            level: level?,
            overall,
            indicators,
            by_domain,
        })
    }

    fn row(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        cols: &Columns,
        file_idx: usize,
        problems: &mut Problems,
    ) {
        let bid = row.get(cols.branch);
        let cached = match &self.last_branch {
            Some((id, b)) if id == bid => Some(*b),
            _ => None,
        };
        let branch = match cached.map_or_else(|| self.ws.rated_branch(bid, self.year), Ok) {
            Ok(b) => {
                if cached.is_none() {
                    self.last_branch = Some((bid.to_string(), b));
                }
                Some(b)
            }
            Err(msg) => {
                problems.push(sheet.cell(row, cols.branch, msg));
                None
            }
        };
        let ltext = row.get(cols.level);
        let level = Level::parse(ltext);
        if level.is_none() {
            problems.push(sheet.cell(
                row,
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
        let row_start = problems.len();
        self.scores_of_row(sheet, row, cols, b, level, bid, file_idx, problems);
        if problems.len() != row_start {
            self.bad_rows.insert((b, level));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scores_of_row(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        cols: &Columns,
        b: usize,
        level: Level,
        bid: &str,
        file_idx: usize,
        problems: &mut Problems,
    ) {
        let ws = self.ws;
        let Some(std) = ws
            .branches
            .get(b)
            .and_then(|br| ws.standards.get(br.domain))
        else {
            return;
        };
        let domain = std.domain;
        // The sheet's columns that belong to this branch's domain; others must be blank.
        let mut mine = std::mem::take(&mut self.mine);
        mine.clear();
        let mut filled = 0;
        let map = cols.by_domain.get(&domain);
        for (k, (c, id)) in cols.indicators.iter().enumerate() {
            let blank = row.get(*c).is_empty();
            match map.and_then(|m| m.get(k).copied().flatten()) {
                Some(idx) => {
                    mine.push((*c, idx));
                    filled += usize::from(!blank);
                }
                None if !blank => problems.push(sheet.cell(
                    row,
                    *c,
                    msg!(
                        "`{id}` is not an indicator of the {domain} standard of branch {bid}; expected this cell blank",
                        "“{id}”不是支部 {bid} 所属 {domain} 领域评星标准的指标；此单元格应留空"
                    ),
                )),
                None => {}
            }
        }
        let overall_text = cols.overall.map(|c| row.get(c)).unwrap_or("");
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        if filled > 0 {
            if let (Some(oc), false) = (cols.overall, overall_text.is_empty()) {
                problems.push(sheet.cell(
                    row,
                    oc,
                    tr(
                        "row mixes indicator scores and `overall`; expected either every indicator score or only overall",
                        "该行既填了指标得分又填了 overall；应逐项填写全部指标得分，或只填 overall",
                    )
                    .into(),
                ));
                return;
            }
            if filled < mine.len() {
                for &(c, _) in &mine {
                    if row.get(c).is_empty() {
                        problems.push(sheet.cell(
                            row,
                            c,
                            tr(
                                "score is blank while others in the row are filled; expected every indicator of the row's domain, or all blank and overall",
                                "该行其他得分已填写，此项得分为空；应填写该支部所属领域的全部指标，或全部留空、只填 overall",
                            )
                            .into(),
                        ));
                    }
                }
                return;
            }
            for &(c, idx) in &mine {
                let points = std.indicators.get(idx).map_or(Decimal::ZERO, |i| i.points);
                if let Some(v) = score(row.get(c), points, sheet, row, c, problems) {
                    found.push((c, idx, v, None));
                }
            }
        } else {
            let Some(oc) = cols.overall.filter(|_| !overall_text.is_empty()) else {
                problems.push(sheet.row(
                    row,
                    msg!(
                        "row gives no score for branch {bid} ({domain}); expected its indicator scores or an overall",
                        "该行没有支部 {bid}（{domain}）的任何得分；应填写各指标得分或 overall"
                    ),
                ));
                return;
            };
            let Some(overall) = score(overall_text, Decimal::ONE_HUNDRED, sheet, row, oc, problems)
            else {
                return;
            };
            for (idx, ind) in std.indicators.iter().enumerate() {
                found.push((oc, idx, ind.points * overall * HUNDREDTH, Some(overall)));
            }
        }
        let mut any = false;
        for &(c, idx, value, overall) in &found {
            if let Some(prev) = self.scores.branches.get(b).filter(|s| s.has(idx, level)) {
                let id = std.indicators.get(idx).map(|i| i.id.as_str()).unwrap_or("");
                let first = prev
                    .given
                    .iter()
                    .find(|g| {
                        g.level == level
                            && (g.overall
                                || self
                                    .sheet_columns
                                    .get(g.file)
                                    .is_some_and(|(ids, _)| ids.contains_key(id)))
                    })
                    .copied();
                let at = match first {
                    Some(g) => {
                        let col = self
                            .sheet_columns
                            .get(g.file)
                            .and_then(
                                |(ids, oc)| if g.overall { *oc } else { ids.get(id).copied() },
                            )
                            .unwrap_or(0);
                        let line = g.line;
                        if g.file == file_idx {
                            msg!(
                                " (first on line {line}, column {col})",
                                "（首次出现在第 {line} 行第 {col} 列）"
                            )
                        } else {
                            let sheet = self
                                .scores
                                .names
                                .get(g.file)
                                .map(String::as_str)
                                .unwrap_or("");
                            msg!(
                                " (first in {sheet}, line {line}, column {col})",
                                "（首次出现在 {sheet} 第 {line} 行第 {col} 列）"
                            )
                        }
                    }
                    None => String::new(),
                };
                let level = level.as_str();
                problems.push(sheet.cell(
                    row,
                    c,
                    msg!(
                        "score of {bid} for {id} at level {level} is given twice{at}; expected exactly once",
                        "支部 {bid} 指标 {id} 的 {level} 层级得分重复填写{at}；应只填写一次"
                    ),
                ));
                continue;
            }
            any = true;
            if let Some(s) = self.scores.branches.get_mut(b) {
                s.add(std, idx, level, value);
            }
            if let Some((db, cells)) = &mut self.scores.detail {
                if *db == b {
                    if cells.is_empty() {
                        cells.resize(std.indicators.len(), [None, None, None]);
                    }
                    if let Some(slot) = cells.get_mut(idx).and_then(|l| l.get_mut(level.index())) {
                        *slot = Some(Cell {
                            value,
                            overall,
                            file: file_idx,
                            line: row.line,
                            column: c + 1,
                        });
                    }
                }
            }
        }
        if any {
            if let Some(s) = self.scores.branches.get_mut(b) {
                s.given.push(Given {
                    file: file_idx,
                    line: row.line,
                    level,
                    overall: filled == 0,
                });
            }
        }
        self.mine = mine;
        self.found = found;
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
            let s = self.scores.branches.get(b);
            for level in Level::ALL {
                if self.bad_rows.contains(&(b, level)) {
                    continue;
                }
                let missing: Vec<&str> = std
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !s.is_some_and(|s| s.has(*i, level)))
                    .map(|(_, ind)| ind.id.as_str())
                    .collect();
                if !missing.is_empty() {
                    let (id, zh, level) = (&branch.id, level.zh(), level.as_str());
                    let every = missing.len() == std.indicators.len();
                    let message = match (crate::i18n::lang(), every) {
                        (crate::i18n::Lang::Zh, true) => format!(
                            "支部 {id} 缺少 {level}（{zh}）层级全部指标的得分；应在 scores*.csv 评分表中为其填写一行"
                        ),
                        (crate::i18n::Lang::Zh, false) => format!(
                            "支部 {id} 缺少 {level}（{zh}）层级指标 {} 的得分；应在 scores*.csv 评分表中为其填写一行",
                            missing.join("、")
                        ),
                        (crate::i18n::Lang::En, _) => {
                            let which = if every {
                                "every indicator".to_string()
                            } else {
                                missing.join(", ")
                            };
                            format!(
                                "branch {id} has no {level} score for {which}; expected a row for it in a scores*.csv sheet"
                            )
                        }
                    };
                    problems.push(Problem::file(&folder, message));
                }
            }
        }
    }
}

/// Parse one score, 0 to `max`.
fn score(
    text: &str,
    max: Decimal,
    sheet: &Sheet,
    row: &Row,
    c: usize,
    problems: &mut Problems,
) -> Option<Decimal> {
    match decimal::parse(text) {
        Ok(v) if v < Decimal::ZERO => {
            let max = max.normalize();
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` is negative; expected a number from 0 to {max}",
                    "分数“{text}”为负数；应为 0 到 {max} 之间的数字"
                ),
            ));
            None
        }
        Ok(v) if v > max => {
            let max = max.normalize();
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` is above the maximum; expected a number from 0 to {max}",
                    "分数“{text}”超过最高分；应为 0 到 {max} 之间的数字"
                ),
            ));
            None
        }
        Ok(v) => Some(v),
        Err(e) => {
            let (what, max) = (e.describe(), max.normalize());
            problems.push(sheet.cell(
                row,
                c,
                msg!(
                    "score `{text}` {what}; expected a number from 0 to {max}",
                    "分数“{text}”{what}；应为 0 到 {max} 之间的数字"
                ),
            ));
            None
        }
    }
}
