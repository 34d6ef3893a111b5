//! `YEAR/surveys.csv`: the ballots of a mass evaluation (群众满意度测评), one row per
//! branch and group: `branch,group,issued,returned,satisfied,basically,dissatisfied,
//! unknown`. A round that cannot stand (more answers than ballots back, more back than
//! issued, too few back, none valid) is void: its row is a problem that says so, and the
//! round must be held again. The branch's R (see [`crate::ballots`]) is its mass level.

use super::files::Kind;
use super::record_cells::count;
use super::table::joined;
use super::Workspace;
use crate::ballots::{rate_with, Counts, Rate};
use crate::i18n::msg;
use crate::problem::{Problem, Problems};
use crate::source::sheet::{Cells, Sheet};
use rustc_hash::FxHashMap;

/// One survey row: a group's ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRow {
    pub branch: usize,
    /// The group's place in the branch's `[survey] groups` (0 for the blank group).
    pub group: u16,
    pub counts: Counts,
    line: u32,
}

impl SurveyRow {
    /// Its line in the surveys file.
    pub fn line(&self) -> usize {
        self.line as usize
    }
}

/// The rows of `YEAR/surveys` (see [`super::table`]).
struct Surveys<'w> {
    ws: &'w Workspace,
    /// The standards by `domain as usize` ([`crate::standard::Standards::each`]).
    stds: crate::standard::ByDomain<'w>,
    year: i32,
    /// Keep the rows (`explain`, the reports), not only each branch's R.
    rows: bool,
    /// Read beside the deductions' thread, which keeps the other core busy: in one part, as
    /// a second would only add its own list of R and a copy of it at the join (a province's
    /// 4,000 pages first touched, against 2,000).
    alone: bool,
    /// What each domain's R is made with, worked out once.
    rating: Rating,
}

/// The columns: branch, group (optional: all blank without it), the counts (issued,
/// returned, satisfied, basically, dissatisfied; unknown optional: 0 without it).
struct Cols {
    branch: usize,
    group: Option<usize>,
    counts: [Option<usize>; 6],
}

struct Part {
    careful: bool,
    out: Vec<SurveyRow>,
    /// (branch, group) → line of its first row (the careful read).
    seen: FxHashMap<(usize, u16), usize>,
    run: super::Run,
    file: String,
    /// Every branch a row names (its rows sound or not): none of them has a mass row in a
    /// score sheet.
    touched: Vec<usize>,
    /// The branches with a row that has a problem: their groups are not counted again.
    bad: Vec<usize>,
    /// Read clean without keeping the rows ([`Surveys::rows`]): each branch's R, made as
    /// soon as its rows are read; the rows of its first branch and of the branch being
    /// read, which the parts before and after may have rows of too (rated when the parts
    /// are merged).
    rates: Vec<(usize, Rate)>,
    head: Vec<SurveyRow>,
    open: Vec<SurveyRow>,
}

impl super::table::Table for Surveys<'_> {
    type Cols = Cols;
    /// A row is counts, but its group's name is Chinese: split sixteen bytes at a time,
    /// each count read from its cell.
    const NUMBERS: bool = false;
    /// A side file: its limit grows with the workspace's branches.
    fn max_bytes(&self) -> u64 {
        super::table::side_limit(self.ws.branches.len())
    }
    type Part = Part;
    fn parts_from(&self) -> u64 {
        match self.alone {
            true => u64::MAX,
            false => super::table::STREAM_FROM_BYTES,
        }
    }

    fn columns(&self, sheet: &Sheet, problems: &mut Problems) -> Option<Cols> {
        let required = [
            "branch",
            "issued",
            "returned",
            "satisfied",
            "basically",
            "dissatisfied",
        ];
        let c = sheet.columns(&required, &["group", "unknown", "name"], problems)?;
        let at = |k: usize| c.get(k).copied().flatten();
        Some(Cols {
            branch: at(0)?,
            group: at(6),
            counts: [at(1), at(2), at(3), at(4), at(5), at(7)],
        })
    }

    fn part(&self, names: &[String], bytes: u64, careful: bool) -> Option<Part> {
        Some(Part {
            careful,
            out: match self.lean(careful) {
                false => Vec::with_capacity(usize::try_from(bytes / 24).ok()?),
                true => Vec::new(),
            },
            seen: FxHashMap::default(),
            run: super::Run::default(),
            file: names.first()?.clone(),
            touched: Vec::new(),
            bad: Vec::new(),
            // Room for every branch's R at once (a branch's rows are 50 bytes or more): the
            // second part's are added to the first's in place.
            rates: match self.lean(careful) {
                true => super::table::with_room(usize::try_from(bytes / 50).ok()?),
                false => Vec::new(),
            },
            head: Vec::new(),
            open: Vec::new(),
        })
    }

    fn row(&self, p: &mut Part, cols: &Cols, _: usize, row: &impl Cells, problems: &mut Problems) {
        let before = problems.len();
        let branch = self.read_row(p, cols, row, problems);
        if let (Some(b), true) = (branch, problems.len() != before) {
            p.bad.push(b);
        }
    }
    fn merge(&self, mut a: Part, b: Part, lines_before_b: &[usize]) -> Option<Part> {
        if !self.lean(a.careful) {
            let shift = u32::try_from(lines_before_b.first().copied().unwrap_or(0)).ok()?;
            let mut all = joined(a.out, b.out, |r| r.line = r.line.saturating_add(shift));
            sort(&mut all);
            // A (branch, group) given twice would be side by side: the careful read tells it.
            let once = all
                .windows(2)
                .all(|w| matches!(w, [x, y] if (x.branch, x.group) != (y.branch, y.group)));
            a.out = all;
            return once.then_some(a);
        }
        // The runs left whole at the parts' ends, rated now, in their places: a branch's
        // rows on both sides of the middle as one run. The first part's list is added to
        // where it has room.
        let mut rates = std::mem::take(&mut a.rates);
        let mut pending = std::mem::take(&mut a.head);
        if !rates.is_empty() {
            // The first part's first branch, before the others.
            self.rate_into(&mut rates, &pending)?;
            if !pending.is_empty() {
                rates.rotate_right(1);
            }
            pending.clear();
        }
        let pieces = [
            (std::mem::take(&mut a.open), Vec::new()),
            (b.head, Vec::new()),
            (b.open, b.rates),
        ];
        // Each piece: a run, after the branches rated before it.
        for (run, rated) in pieces {
            if !rated.is_empty() {
                self.rate_into(&mut rates, &pending)?;
                pending.clear();
                rates.extend(rated);
            }
            let branch = |r: &[SurveyRow]| r.first().map(|x| x.branch);
            if !run.is_empty() && branch(&pending) != branch(&run) {
                self.rate_into(&mut rates, &pending)?;
                pending.clear();
            }
            pending.extend(run);
        }
        self.rate_into(&mut rates, &pending)?;
        if !rates.is_sorted_by_key(|(b, _)| *b) {
            rates.sort_unstable_by_key(|(b, _)| *b);
        }
        // A branch rated twice had its rows apart: the careful read tells what of them.
        if !rates.windows(2).all(|w| matches!(w, [x, y] if x.0 != y.0)) {
            return None;
        }
        a.rates = rates;
        Some(a)
    }
}

impl Surveys<'_> {
    /// One row read into `p`; its branch, if it names one.
    fn read_row(
        &self,
        p: &mut Part,
        cols: &Cols,
        row: &impl Cells,
        problems: &mut Problems,
    ) -> Option<usize> {
        let ws = self.ws;
        let branch = ws.branch_in_run(row, cols.branch, self.year, &mut p.run, problems);
        if let (Some(b), true) = (branch, p.careful) {
            p.touched.push(b);
        }
        let std = branch.and_then(|b| ws.standard_in(self.stds, b));
        // The mass level is given once: by ballots or by deduction, not both.
        if let Some(std) = std.filter(|s| s.settings.by_deduction(crate::standard::Level::Mass)) {
            let (bid, domain, dzh) = (row.get(cols.branch), std.domain, std.domain.zh());
            problems.push(row.problem(
                cols.branch,
                msg!(
                    "the mass level of the {domain} standard is scored by deduction ([deduction] levels); expected its deductions in deductions.csv, not ballots, for {bid}",
                    "{dzh}评星标准的群众评议实行扣分制（[deduction] levels）；支部 {bid} 的群众评议应登记在 deductions.csv 中，而不是测评票"
                ),
            ));
            return branch;
        }
        let survey = std.map(|s| &s.settings.survey);
        let gtext = cols.group.map_or("", |c| row.get(c));
        let group = survey.and_then(|s| {
            let g = s.group(gtext).and_then(|g| u16::try_from(g).ok());
            if g.is_none() {
                let (names, domain) = (s.names(), std.map_or("", |s| s.domain.as_str()));
                let dzh = std.map_or("", |s| s.domain.zh());
                let message = if s.groups.is_empty() {
                    msg!(
                        "group `{gtext}`: the {domain} standard has no [survey] groups; expected the group blank",
                        "分组“{gtext}”：{dzh}评星标准的 [survey] 未设分组；分组应留空"
                    )
                } else {
                    msg!(
                        "group `{gtext}` is not in [survey] groups of the {domain} standard; expected one of: {names}",
                        "分组“{gtext}”不在{dzh}评星标准的 [survey] groups 中；应为以下之一：{names}"
                    )
                };
                problems.push(match cols.group {
                    Some(c) => row.problem(c, message),
                    None => row.row_problem(message),
                });
            }
            g
        });
        let mut n = [Some(0u32); 6];
        for (slot, col) in n.iter_mut().zip(cols.counts) {
            if let Some(c) = col {
                *slot = count(row, c, problems);
            }
        }
        let [Some(issued), Some(returned), Some(satisfied), Some(basically), Some(dissatisfied), Some(unknown)] =
            n
        else {
            return branch;
        };
        let counts = Counts {
            issued,
            returned,
            satisfied,
            basically,
            dissatisfied,
            unknown,
        };
        let void = survey.and_then(|s| void_round(&counts, s));
        if let Some(why) = &void {
            problems.push(row.row_problem(why.clone()));
        }
        let (Some(b), Some(g), None) = (branch, group, void) else {
            return branch;
        };
        if p.careful {
            if let Some(first) = p.seen.get(&(b, g)) {
                let bid = row.get(cols.branch);
                let message = msg!(
                    "{bid} has a second row for group `{gtext}` (first on line {first}); expected one row per branch and group",
                    "支部 {bid} 的分组“{gtext}”有第二行（首次出现在第 {first} 行）；每个支部的每个分组只应有一行"
                );
                problems.push(match cols.group {
                    Some(c) => row.problem(c, message),
                    None => row.row_problem(message),
                });
                return branch;
            }
            p.seen.insert((b, g), row.line());
        }
        let r = SurveyRow {
            branch: b,
            group: g,
            counts,
            line: u32::try_from(row.line()).unwrap_or(u32::MAX),
        };
        if !self.lean(p.careful) {
            p.out.push(r);
            return branch;
        }
        // A new branch: the run before it is whole (but at the part's ends).
        if p.open.first().is_some_and(|o| o.branch != b) {
            if p.head.is_empty() && p.rates.is_empty() {
                std::mem::swap(&mut p.head, &mut p.open);
            } else if self.rate_into(&mut p.rates, &p.open).is_none() {
                // Its rows are read again the careful way, which tells what is wrong.
                problems.push(row.row_problem(String::new()));
            }
            p.open.clear();
        }
        p.open.push(r);
        branch
    }

    /// Whether the rows are let go as each branch is rated (a clean read of a year loaded
    /// for its ratings).
    fn lean(&self, careful: bool) -> bool {
        !self.rows && !careful
    }

    /// R of a branch's rows `run` (if any) added to `rates`; `None` when it cannot be made.
    fn rate_into(&self, rates: &mut Vec<(usize, Rate)>, run: &[SurveyRow]) -> Option<()> {
        if let Some(first) = run.first() {
            // A problem is told by the careful read the file is then read again by.
            let rate = self.rating.rate(self.ws, run, |_| {})?;
            rates.push((first.branch, rate));
        }
        Some(())
    }
}

/// Why a round is void, in a sentence that says to hold it again; `None` when it stands.
fn void_round(c: &Counts, s: &crate::standard::Survey) -> Option<String> {
    let (issued, returned, answered) = (c.issued, c.returned, c.answered());
    let again = crate::i18n::tr(
        "the round is void: hold the survey again",
        "本轮测评无效：请重新组织测评",
    );
    if answered > u64::from(returned) {
        return Some(msg!(
            "{answered} answers (satisfied + basically + dissatisfied + unknown) but {returned} ballots returned; {again}",
            "满意、基本满意、不满意、不了解合计 {answered} 票，多于收回的 {returned} 票；{again}"
        ));
    }
    if returned > issued {
        return Some(msg!(
            "{returned} ballots returned but {issued} issued: more came back than were handed out; {again}",
            "收回 {returned} 票，多于发放的 {issued} 票；{again}"
        ));
    }
    // returned ≤ min_return × issued: not more than that share came back.
    if too_few_back(returned, issued, s.min_return) {
        let min = crate::decimal::fmt_plain(s.min_return);
        return Some(msg!(
            "{returned} of {issued} ballots returned: not more than {min} of them ([survey] min_return), so the vote does not count; {again}",
            "发放 {issued} 票、收回 {returned} 票，未超过 {min}（[survey] min_return），测评不成立；{again}"
        ));
    }
    if c.valid(s) == 0 {
        let unknown = if s.unknown.is_some() {
            ""
        } else {
            crate::i18n::tr(" (不了解 is left out of the count)", "（“不了解”不计入）")
        };
        return Some(msg!(
            "no valid ballot: none satisfied, basically satisfied or dissatisfied{unknown}; {again}",
            "没有有效票：满意、基本满意、不满意均为 0{unknown}；{again}"
        ));
    }
    None
}

/// returned ≤ min_return × issued, exact: in integers (returned · 10^s ≤ m · issued for
/// min_return = m · 10^-s), in decimals should they not fit.
fn too_few_back(returned: u32, issued: u32, min_return: rust_decimal::Decimal) -> bool {
    let (m, scale) = (min_return.mantissa(), min_return.scale());
    let up = 10i128.checked_pow(scale);
    let lhs = up.and_then(|up| i128::from(returned).checked_mul(up));
    match (lhs, m.checked_mul(i128::from(issued))) {
        (Some(l), Some(r)) => l <= r,
        _ => {
            rust_decimal::Decimal::from(returned)
                <= min_return * rust_decimal::Decimal::from(issued)
        }
    }
}

/// By branch, then group.
fn sort(rows: &mut [SurveyRow]) {
    let key = |r: &SurveyRow| (r.branch, r.group);
    if !rows.is_sorted_by(|a, b| key(a) <= key(b)) {
        rows.sort_by_key(|r| (r.branch, r.group, r.line));
    }
}

/// What the surveys file gives: its rows (sorted by branch, then group; none when not
/// kept), each surveyed branch's R (in branch order), every branch a row names, and the
/// file's name (blank when there is none).
pub type Loaded = (Vec<SurveyRow>, Vec<(usize, Rate)>, Vec<usize>, String);

/// The year's surveys (see [`Loaded`]); `rows`: with the rows, not only each branch's R.
pub fn load(ws: &Workspace, year: i32, rows: bool, alone: bool, problems: &mut Problems) -> Loaded {
    let files = ws.table_files(year, Kind::Surveys, problems);
    let table = Surveys {
        ws,
        stds: ws.standards.each(),
        year,
        rows,
        alone,
        rating: Rating::of(ws),
    };
    let read = super::table::read(&table, &files, ws.encoding, problems);
    let Some(read) = read else {
        return Default::default();
    };
    let part = read.part;
    let lean = table.lean(part.careful);
    let (mut rows, file, mut touched) = (part.out, part.file, part.touched);
    sort(&mut rows);
    let mut bad = part.bad;
    bad.sort_unstable();
    // Read clean without the rows, every branch was rated as it was read.
    let rates = match lean {
        true => part.rates,
        false => rates(ws, &table.rating, &rows, &bad, &file, problems),
    };
    // Read in parts (clean), every row is sound and names its branch: each branch once.
    if touched.is_empty() {
        touched = match lean {
            true => rates.iter().map(|(b, _)| *b).collect(),
            false => (rows.chunk_by(|a, b| a.branch == b.branch))
                .filter_map(|run| run.first().map(|r| r.branch))
                .collect(),
        };
    }
    touched.sort_unstable();
    touched.dedup();
    (rows, rates, touched, file)
}

/// What each domain's R is made with: whether its multipliers of R are whole (see
/// `combined::SurveyTerms`), and its points and weights in integers.
struct Rating {
    whole: [bool; crate::combined::DOMAINS],
    units: [Option<crate::ballots::Units>; crate::combined::DOMAINS],
}

impl Rating {
    fn of(ws: &Workspace) -> Rating {
        let standard = |d| ws.standards.get(d);
        Rating {
            whole: crate::standard::Domain::ALL.map(|d| {
                standard(d).is_some_and(|s| crate::combined::SurveyTerms::of(s).is_some())
            }),
            units: crate::standard::Domain::ALL
                .map(|d| standard(d).and_then(|s| crate::ballots::Units::of(&s.settings.survey))),
        }
    }

    /// R of one branch from its rows `run` (sorted by group): every group of its
    /// `[survey]` given, combined exactly; else `None`, and the problem at its first row
    /// given to `tell`.
    fn rate(&self, ws: &Workspace, run: &[SurveyRow], tell: impl FnOnce(String)) -> Option<Rate> {
        let first = run.first()?;
        let b = first.branch;
        let std = ws.standard_of(b)?;
        let at = |msg: String| {
            tell(msg);
            None
        };
        let s = &std.settings.survey;
        // The id only for a problem: a province's surveyed branches are not looked up.
        let id = || ws.branches.get(b).map_or("", |br| br.id());
        let missing: Vec<&str> = (s.groups.iter().enumerate())
            .filter(|(k, _)| !run.iter().any(|r| usize::from(r.group) == *k))
            .map(|(_, (g, _))| g.as_str())
            .collect();
        if !missing.is_empty() {
            let (missing, all, id) = (crate::i18n::list(&missing.join(", ")), s.names(), id());
            return at(msg!(
                "branch {id} has no row for group {missing}; expected one row for each group of [survey]: {all}",
                "支部 {id} 缺少分组 {missing} 的测评票数；[survey] 的每个分组都应有一行：{all}"
            ));
        }
        if !self
            .whole
            .get(std.domain as usize)
            .copied()
            .unwrap_or(false)
        {
            let (domain, dzh) = (std.domain, std.domain.zh());
            return at(msg!(
                "the mass weight and points of the {domain} standard have more than 8 decimal places together, which ballots cannot be rated exactly with; expected fewer places",
                "{dzh}评星标准的群众评议权重与指标分值合计超过 8 位小数，无法据测评票精确计分；应减少小数位数"
            ));
        }
        let units = self.units.get(std.domain as usize).and_then(Option::as_ref);
        // A branch's groups are few: their counts on the stack.
        let mut counts = [Counts::default(); 8];
        let rate = match counts.get_mut(..run.len()) {
            Some(c) => {
                c.iter_mut().zip(run).for_each(|(c, r)| *c = r.counts);
                rate_with(s, units, c)
            }
            None => rate_with(s, units, &run.iter().map(|r| r.counts).collect::<Vec<_>>()),
        };
        if rate.is_some() {
            return rate;
        }
        let id = id();
        at(msg!(
                "branch {id}: the valid ballots of its groups share too few factors to combine them exactly (their least common multiple is too large); expected fewer groups or ballots (see the README's limits)",
                "支部 {id}：各分组有效票数的最小公倍数过大，无法精确合成；应减少分组或票数（见 README 中的限制）"
            ))
    }
}

/// R of each branch with rows (see [`Rating::rate`]). A branch with a bad row (`bad`,
/// sorted) was told of already.
fn rates(
    ws: &Workspace,
    rating: &Rating,
    rows: &[SurveyRow],
    bad: &[usize],
    file: &str,
    problems: &mut Problems,
) -> Vec<(usize, Rate)> {
    // Room for a rate per branch, made at once (a province's third of a million would
    // otherwise be copied as the list grows): one per row at most.
    let mut out = super::table::with_room(rows.len());
    for run in rows.chunk_by(|a, b| a.branch == b.branch) {
        let Some(first) = run.first() else { continue };
        let b = first.branch;
        if bad.binary_search(&b).is_ok() {
            continue;
        }
        let tell = |msg| problems.push(Problem::line(file, first.line(), msg));
        if let Some(r) = rating.rate(ws, run, tell) {
            out.push((b, r));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;
    use crate::workspace::table::{both_ways, in_one_part};

    /// Each branch's R made as its rows are read, without keeping them, is the R made from
    /// the rows kept: in one part, and in two split at every line of the file (a branch's
    /// groups on both sides of the middle, the last branch alone in the second part).
    #[test]
    fn rates_made_as_rows_are_read_are_those_of_the_rows_kept() {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records-example");
        let tmp = tempfile::tempdir().unwrap();
        for rel in ["stars.toml", "branches.csv"] {
            std::fs::copy(example.join(rel), tmp.path().join(rel)).unwrap();
        }
        if example.join("standards").is_dir() {
            std::fs::create_dir_all(tmp.path().join("standards")).unwrap();
            for f in std::fs::read_dir(example.join("standards")).unwrap() {
                let f = f.unwrap().path();
                std::fs::copy(
                    &f,
                    tmp.path().join("standards").join(f.file_name().unwrap()),
                )
                .unwrap();
            }
        }
        for y in ["2024", "2025"] {
            std::fs::create_dir_all(tmp.path().join(y)).unwrap();
        }
        let text = std::fs::read_to_string(example.join("2025/surveys.csv")).unwrap();
        let mut problems = Problems::new();
        let mut tried = 0;
        // Blank lines at the end move the middle of the file along it, a byte at a time.
        for pad in 0..text.len() {
            let padded = format!("{text}{}", "\n".repeat(pad));
            std::fs::write(tmp.path().join("2025/surveys.csv"), &padded).unwrap();
            let ws = Workspace::load(tmp.path(), Encoding::Auto, &mut problems).unwrap();
            let files = ws.table_files(2025, Kind::Surveys, &mut problems);
            let table = |rows| Surveys {
                ws: &ws,
                stds: ws.standards.each(),
                year: 2025,
                rows,
                alone: false,
                rating: Rating::of(&ws),
            };
            let (split, careful, told) = both_ways(&table(false), &files);
            assert!(told.is_empty(), "{told:?}");
            let mut kept = careful.out;
            sort(&mut kept);
            let want = rates(&ws, &table(true).rating, &kept, &[], "", &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            assert!(want.len() > 10);
            let split = split.expect("a clean file is read in parts");
            assert!(split.out.is_empty(), "no rows kept");
            assert_eq!(split.rates, want, "split at byte {}", padded.len() / 2);
            let one = in_one_part(&table(false), &files).expect("clean");
            assert_eq!(one.rates, want, "in one part");
            tried += 1;
        }
        assert!(tried > 100);
    }

    /// A province's survey rows are held whole: a field added or widened shows here.
    #[test]
    fn a_survey_row_takes_40_bytes() {
        assert_eq!(std::mem::size_of::<super::SurveyRow>(), 40);
    }
}
