//! The committee report (`stars report`) as a value: the figures, tables and series the
//! town party committee (or the county's) reads once a year, each worked out once, here,
//! and rendered after — as the printed page, as JSON for a script, as a workbook
//! ([`crate::render::committee`]) — so that what a county scripts is what it prints.
//!
//! One code path for a town and a county: a town's report is made from its year
//! ([`TownYear`], what the walk over its years kept), and a county's is its towns' reports
//! added up in the county's order ([`Committee::add_town`]), each town's own figures kept
//! beside ([`TownLine`]) and every listed branch marked with its town.
//!
//! No language is in it but what the inputs carry (names, the adjustment's reasons as the
//! run words them): codes are the program's enums, numbers exact.

use crate::followup::adjust::{Adjustment, Change};
use crate::followup::publicity::Window;
use crate::followup::records::Ballots;
use crate::followup::rectify::Lister;
use crate::i18n::Lang;
use crate::rate::{Rating, Status};
use crate::standard::Domain;
use crate::workspace::{ObjectionStatus, Records, Status as ItemStatus, Workspace, YearData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// The points of a bin of the score histogram.
pub const BIN: i64 = 5;

/// The committee report of a town, or of a county (its towns added up).
#[derive(Debug, Clone, Default)]
pub struct Committee {
    /// The town's name, or the county's.
    pub place: String,
    pub year: i32,
    /// A county's report: its towns, in the county's order, each with its own figures
    /// (and the towns left out by `--keep-going`, with why).
    pub county: bool,
    pub towns: Vec<TownLine>,
    /// The year before, when this year is compared with it (a county: when a town is).
    pub last_year: Option<i32>,
    /// Branches rated, by star (0 to 5).
    pub stars: [u64; 6],
    /// Branches whose star rose and fell since last year (rated both years).
    pub moved: [u64; 2],
    /// The dynamic adjustment's changes of plaques, in [`Change::ALL`] order.
    pub plaques: [u64; 5],
    /// Last year's rectification items done, and not done (by this year's file).
    pub done_items: u64,
    pub open_items: u64,
    pub by_domain: BTreeMap<Domain, [u64; 6]>,
    /// The themes of the standards that rate by themes, and by domain the branches that
    /// earned each (SPEC.md "Stars by theme").
    pub themes: Vec<ThemeHead>,
    pub themes_by_domain: BTreeMap<Domain, ThemesRow>,
    pub scores: Scores,
    /// Branches by (last year's star, or none when not rated then; this year's star).
    pub transitions: BTreeMap<(Option<u8>, u8), u64>,
    /// The plaques that go up or down, with the reasons.
    pub plaque_changes: Vec<PlaqueChange>,
    /// This year's rectification items by source (an indicator or an event item), most
    /// items first.
    pub sources: Vec<Source>,
    /// The branches with last year's items not done.
    pub not_done: Vec<(BranchRow, u32)>,
    pub five_star: Vec<(BranchRow, Decimal)>,
    /// The publicity window (a town's; a county's are its towns').
    pub window: Option<Window>,
    pub publicity: Vec<Publicized>,
    /// Branches whose five-star streak earns the reward, with the streak.
    pub rewards: Vec<(BranchRow, u32)>,
    pub interviews: Vec<Interview>,
    /// The records of the year, when the year has any.
    pub records: Option<RecordsPart>,
}

/// A branch listed in the report: its town (index into [`Committee::towns`]; 0 in a
/// town's own report), id, name and domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchRow {
    pub town: usize,
    pub id: String,
    pub name: String,
    pub domain: Domain,
}

/// One town of a county's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TownLine {
    pub name: String,
    /// Why the town is not in the figures (`--keep-going`), when it is not.
    pub left_out: Option<String>,
    pub stars: [u64; 6],
    pub plaques: [u64; 5],
    pub open_items: u64,
    pub interviews: u64,
    pub window: Option<Window>,
    pub ballots: Ballots,
    /// Objections open, upheld, dismissed.
    pub objections: [u64; 3],
    pub decisions: u64,
}

/// A theme of a standard that rates by themes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeHead {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub required: bool,
    /// Its pass line, a share of its points.
    pub pass: Decimal,
}

/// A domain's branches rated by themes, and how many earned each theme of
/// [`Committee::themes`] (`None`: its standard has no such theme).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemesRow {
    pub rated: u64,
    pub earned: Vec<Option<u64>>,
}

/// The final scores: branches by bin of [`BIN`] points (by the bin's lowest whole point),
/// the star thresholds of the standards rating by score, and their sum for the mean.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    pub bins: BTreeMap<i64, u64>,
    pub thresholds: BTreeSet<(u8, Decimal)>,
    pub sum: Decimal,
    pub count: u64,
}

impl Scores {
    /// The mean score, rounded half up to 2 places; 0 with no branch.
    pub fn mean(&self) -> Decimal {
        if self.count == 0 {
            return Decimal::ZERO;
        }
        crate::decimal::round_half_up(self.sum / Decimal::from(self.count), 2)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaqueChange {
    pub branch: BranchRow,
    pub plaque: Option<u8>,
    pub next: Option<u8>,
    pub change: Change,
    pub reason: String,
}

/// This year's items of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub items: u64,
    pub branches: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publicized {
    pub branch: BranchRow,
    pub secretary: String,
    pub score: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interview {
    pub branch: BranchRow,
    pub star: u8,
    pub lead: String,
    pub secretary: String,
}

/// The records of the year: the ballots by domain, the objections raised during
/// publicity, the committee's decisions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordsPart {
    pub ballots: BTreeMap<Domain, Ballots>,
    pub objections: Vec<ObjectionRow>,
    pub decisions: Vec<DecisionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionRow {
    pub branch: BranchRow,
    pub received: NaiveDate,
    pub matter: String,
    pub status: ObjectionStatus,
    pub answered: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub branch: BranchRow,
    /// The star the rules gave, and the star decided.
    pub ruled: u8,
    pub star: u8,
    pub reason: String,
    pub document: String,
}

/// What the report needs of the year asked for, kept from the walk over a town's years
/// (the year's scores are let go by then; its items by source are counted apart, see
/// [`sources`]).
pub struct TownYear {
    pub year: i32,
    pub ratings: Vec<(usize, Rating)>,
    pub adjustments: Vec<Adjustment>,
    /// The reasons of the plaques that go up or down, by branch (worded while the year's
    /// data is loaded: they name its reviews).
    pub reasons: BTreeMap<usize, String>,
    /// Last year's items marked done in this year's rectification file.
    pub done_last_year: u64,
    pub records: Records,
}

impl TownYear {
    /// What is kept of a year of the walk.
    pub fn keep(
        ws: &Workspace,
        data: YearData,
        ratings: Vec<(usize, Rating)>,
        adjustments: Vec<Adjustment>,
        lang: Lang,
    ) -> TownYear {
        let done: BTreeSet<u32> = (data.rectification.iter())
            .filter(|r| r.status == ItemStatus::Done)
            .filter_map(|r| r.item)
            .collect();
        let reasons = (adjustments.iter())
            .filter(|a| matches!(a.change, Change::Up | Change::Down))
            .filter_map(|a| {
                let std = ws.standards.get(ws.branches.get(a.branch)?.domain)?;
                Some((a.branch, a.reason(std, &data, lang)))
            })
            .collect();
        TownYear {
            year: data.year,
            ratings,
            adjustments,
            reasons,
            done_last_year: u64::try_from(done.len()).unwrap_or(u64::MAX),
            records: data.records,
        }
    }

    /// The stars of the year, by branch (what the next year compares with).
    pub fn stars(&self) -> BTreeMap<usize, u8> {
        self.ratings.iter().map(|(b, r)| (*b, r.star)).collect()
    }
}

/// This year's rectification items by source (an indicator or an event item, with its
/// names), for the branches rated: from the year loaded with its scores.
pub fn sources(ws: &Workspace, data: &YearData, rated: &[usize]) -> Vec<Source> {
    let mut by: BTreeMap<(String, String, String), (u64, BTreeSet<usize>)> = BTreeMap::new();
    let lister = Lister::new(ws, data);
    let mut list = Vec::new();
    for b in rated {
        list.clear();
        lister.push(*b, &mut list);
        let Some(std) = ws
            .branches
            .get(*b)
            .and_then(|br| ws.standards.get(br.domain))
        else {
            continue;
        };
        for i in &list {
            let (name, name_zh) = i.source_names(std);
            let key = (
                i.source(std).to_string(),
                name.to_string(),
                name_zh.to_string(),
            );
            let (items, branches) = by.entry(key).or_default();
            *items += 1;
            branches.insert(*b);
        }
    }
    let mut out: Vec<Source> = (by.into_iter())
        .map(|((id, name, name_zh), (items, branches))| Source {
            id,
            name,
            name_zh,
            items,
            branches: count(branches.len()),
        })
        .collect();
    rank(&mut out);
    out
}

/// Most items first, then by id and names.
fn rank(sources: &mut [Source]) {
    sources.sort_by(|a, b| {
        (b.items.cmp(&a.items))
            .then_with(|| (&a.id, &a.name, &a.name_zh).cmp(&(&b.id, &b.name, &b.name_zh)))
    });
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Add one to the count at `star` (0 to 5).
fn tally(counts: &mut [u64; 6], star: u8) {
    if let Some(c) = counts.get_mut(usize::from(star)) {
        *c += 1;
    }
}

/// The index of a change in [`Change::ALL`].
fn change_index(c: Change) -> usize {
    Change::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

impl Committee {
    /// A town's report of `y`, the year asked for; `last`, last year's stars by branch when
    /// the workspace has the year before; `sources`, the year's items by source.
    pub fn town(
        ws: &Workspace,
        y: &TownYear,
        last: Option<&BTreeMap<usize, u8>>,
        sources: Vec<Source>,
    ) -> Committee {
        let mut c = Committee {
            place: ws.config.name.clone(),
            year: y.year,
            last_year: last.map(|_| y.year - 1),
            window: crate::followup::publicity::window(&ws.config, y.year),
            sources,
            done_items: y.done_last_year,
            ..Committee::default()
        };
        c.count_ratings(ws, y, last);
        c.count_adjustments(ws, y);
        c.themes_of(ws, &y.ratings);
        if !y.records.is_empty() {
            c.records = Some(records_of(ws, y));
        }
        c
    }

    /// The stars, by domain, the scores, last year's stars against this year's, the
    /// five-star and publicity lists.
    fn count_ratings(&mut self, ws: &Workspace, y: &TownYear, last: Option<&BTreeMap<usize, u8>>) {
        let cents = |d: Decimal| (d * Decimal::ONE_HUNDRED).round();
        for (b, r) in &y.ratings {
            let Some(br) = ws.branches.get(*b) else {
                continue;
            };
            tally(&mut self.stars, r.star);
            tally(self.by_domain.entry(br.domain).or_default(), r.star);
            let points = (cents(r.score) / Decimal::ONE_HUNDRED)
                .floor()
                .max(Decimal::ZERO);
            let points = i64::try_from(points).unwrap_or(0);
            *self.scores.bins.entry(points / BIN * BIN).or_default() += 1;
            self.scores.sum += r.score;
            self.scores.count += 1;
            if let Some(last) = last {
                let before = last.get(b).copied();
                *self.transitions.entry((before, r.star)).or_default() += 1;
                match before {
                    Some(s) if r.star > s => self.moved[0] += 1,
                    Some(s) if r.star < s => self.moved[1] += 1,
                    _ => {}
                }
            }
            let row = branch_row(ws, *b);
            if r.star == 5 {
                self.five_star.push((row.clone(), r.score));
            }
            // Approved at five, or decided five by the committee (the list follows its star).
            if r.star == 5 && matches!(r.status, Status::Approved | Status::Decided) {
                self.publicity.push(Publicized {
                    branch: row,
                    secretary: br.secretary().to_string(),
                    score: r.score,
                });
            }
        }
        // The star thresholds of the standards in use that rate by score.
        for d in self.by_domain.keys() {
            if let Some(std) = ws.standards.get(*d).filter(|s| !s.by_themes()) {
                for s in 1..=5u8 {
                    if let Some(t) = std.settings.stars.of(s) {
                        self.scores.thresholds.insert((s, t));
                    }
                }
            }
        }
    }

    /// The plaques, last year's items not done, the rewards and the interviews.
    fn count_adjustments(&mut self, ws: &Workspace, y: &TownYear) {
        for a in &y.adjustments {
            let Some(br) = ws.branches.get(a.branch) else {
                continue;
            };
            if let Some(n) = self.plaques.get_mut(change_index(a.change)) {
                *n += 1;
            }
            self.open_items += u64::from(a.open);
            let row = || branch_row(ws, a.branch);
            if matches!(a.change, Change::Up | Change::Down) {
                self.plaque_changes.push(PlaqueChange {
                    branch: row(),
                    plaque: a.plaque,
                    next: a.next,
                    change: a.change,
                    reason: y.reasons.get(&a.branch).cloned().unwrap_or_default(),
                });
            }
            if a.open > 0 {
                self.not_done.push((row(), a.open));
            }
            if a.reward {
                self.rewards.push((row(), a.streak));
            }
            if a.remind {
                self.interviews.push(Interview {
                    branch: row(),
                    star: a.star,
                    lead: br.lead().to_string(),
                    secretary: br.secretary().to_string(),
                });
            }
        }
        // Up, then down, each in branch order.
        self.plaque_changes
            .sort_by_key(|p| (change_index(p.change), p.branch.id.clone()));
    }

    /// The themes earned by domain, where a standard rates by themes.
    fn themes_of(&mut self, ws: &Workspace, ratings: &[(usize, Rating)]) {
        let tally = crate::rate::ThemeTally::of(ws, ratings);
        for (d, (rated, earned)) in &tally.by_domain {
            let Some(std) = ws.standards.get(*d) else {
                continue;
            };
            let mut row = ThemesRow {
                rated: *rated,
                earned: vec![None; self.themes.len()],
            };
            for (t, n) in std.themes.iter().zip(earned) {
                let k = match self.themes.iter().position(|h| h.id == t.id) {
                    Some(k) => k,
                    None => {
                        self.themes.push(ThemeHead {
                            id: t.id.clone(),
                            name: t.name.clone(),
                            name_zh: t.name_zh.clone(),
                            required: t.required,
                            pass: t.pass,
                        });
                        row.earned.push(None);
                        self.themes.len() - 1
                    }
                };
                if let Some(e) = row.earned.get_mut(k) {
                    *e = Some(*n);
                }
            }
            self.themes_by_domain.insert(*d, row);
        }
        let n = self.themes.len();
        for row in self.themes_by_domain.values_mut() {
            row.earned.resize(n, None);
        }
    }
}

fn branch_row(ws: &Workspace, b: usize) -> BranchRow {
    let br = ws.branches.get(b);
    BranchRow {
        town: 0,
        id: br.map(|b| b.id().to_string()).unwrap_or_default(),
        name: br.map(|b| b.name().to_string()).unwrap_or_default(),
        domain: br.map_or(Domain::Rural, |b| b.domain),
    }
}

/// The records of a year: the ballots by domain, the objections, the decisions (with the
/// star the rules gave).
fn records_of(ws: &Workspace, y: &TownYear) -> RecordsPart {
    let records = &y.records;
    let objections = (records.objections.iter())
        .map(|o| ObjectionRow {
            branch: branch_row(ws, o.branch),
            received: o.received,
            matter: o.matter.to_string(),
            status: o.status,
            answered: o.answered,
        })
        .collect();
    let decisions = (y.ratings.iter())
        .filter_map(|(b, r)| {
            let (ruled, _) = r.ruled?;
            let x = records.decision_of(*b)?;
            Some(DecisionRow {
                branch: branch_row(ws, *b),
                ruled,
                star: r.star,
                reason: x.reason.to_string(),
                document: x.document.to_string(),
            })
        })
        .collect();
    RecordsPart {
        ballots: crate::followup::records::ballots_by_domain(ws, records),
        objections,
        decisions,
    }
}

impl Committee {
    /// A county's report, its towns to be added in the county's order.
    pub fn county(name: &str, year: i32) -> Committee {
        Committee {
            place: name.to_string(),
            year,
            county: true,
            ..Committee::default()
        }
    }

    /// A town left out of the county's figures (`--keep-going`), and why.
    pub fn leave_out(&mut self, town: &str, why: String) {
        self.towns.push(TownLine {
            name: town.to_string(),
            left_out: Some(why),
            ..TownLine::default()
        });
    }

    /// Add a town's report to the county's: its line, its figures to the county's, its
    /// branches to the lists (marked with the town).
    pub fn add_town(&mut self, t: Committee) {
        let k = self.towns.len();
        self.towns.push(line_of(&t));
        add6(&mut self.stars, &t.stars);
        for (a, b) in self.moved.iter_mut().zip(t.moved) {
            *a += b;
        }
        for (a, b) in self.plaques.iter_mut().zip(t.plaques) {
            *a += b;
        }
        self.done_items += t.done_items;
        self.open_items += t.open_items;
        self.last_year = self.last_year.or(t.last_year);
        for (d, c) in &t.by_domain {
            add6(self.by_domain.entry(*d).or_default(), c);
        }
        self.add_themes(&t);
        for (bin, n) in &t.scores.bins {
            *self.scores.bins.entry(*bin).or_default() += n;
        }
        (self.scores.thresholds).extend(t.scores.thresholds.iter().copied());
        self.scores.sum += t.scores.sum;
        self.scores.count += t.scores.count;
        for (key, n) in &t.transitions {
            *self.transitions.entry(*key).or_default() += n;
        }
        self.add_sources(&t.sources);
        self.add_lists(k, t);
    }

    /// The towns' themes, by id (the first town's names), and their counts by domain.
    fn add_themes(&mut self, t: &Committee) {
        for (d, row) in &t.themes_by_domain {
            for (head, n) in t.themes.iter().zip(&row.earned) {
                let k = match self.themes.iter().position(|h| h.id == head.id) {
                    Some(k) => k,
                    None => {
                        self.themes.push(head.clone());
                        self.themes.len() - 1
                    }
                };
                let mine = self.themes_by_domain.entry(*d).or_default();
                mine.earned.resize(self.themes.len(), None);
                if let (Some(e), Some(n)) = (mine.earned.get_mut(k), n) {
                    *e = Some(e.unwrap_or(0) + n);
                }
            }
            if let Some(mine) = self.themes_by_domain.get_mut(d) {
                mine.rated += row.rated;
            }
        }
        let n = self.themes.len();
        for row in self.themes_by_domain.values_mut() {
            row.earned.resize(n, None);
        }
    }

    fn add_sources(&mut self, sources: &[Source]) {
        for s in sources {
            let same =
                |m: &&mut Source| (&m.id, &m.name, &m.name_zh) == (&s.id, &s.name, &s.name_zh);
            match self.sources.iter_mut().find(same) {
                Some(m) => {
                    m.items += s.items;
                    m.branches += s.branches;
                }
                None => self.sources.push(s.clone()),
            }
        }
        rank(&mut self.sources);
    }

    /// The town's listed branches, each marked with the town (`k`).
    fn add_lists(&mut self, k: usize, t: Committee) {
        let mark = |mut b: BranchRow| {
            b.town = k;
            b
        };
        (self.plaque_changes).extend(t.plaque_changes.into_iter().map(|mut p| {
            p.branch = mark(p.branch);
            p
        }));
        (self.not_done).extend(t.not_done.into_iter().map(|(b, n)| (mark(b), n)));
        (self.five_star).extend(t.five_star.into_iter().map(|(b, s)| (mark(b), s)));
        (self.publicity).extend(t.publicity.into_iter().map(|mut p| {
            p.branch = mark(p.branch);
            p
        }));
        (self.rewards).extend(t.rewards.into_iter().map(|(b, n)| (mark(b), n)));
        (self.interviews).extend(t.interviews.into_iter().map(|mut i| {
            i.branch = mark(i.branch);
            i
        }));
        if let Some(r) = t.records {
            let mine = self.records.get_or_insert_with(RecordsPart::default);
            for (d, b) in &r.ballots {
                mine.ballots.entry(*d).or_default().add(b);
            }
            (mine.objections).extend(r.objections.into_iter().map(|mut o| {
                o.branch = mark(o.branch);
                o
            }));
            (mine.decisions).extend(r.decisions.into_iter().map(|mut d| {
                d.branch = mark(d.branch);
                d
            }));
        }
    }

    /// The name of the town of a listed branch (blank in a town's own report).
    pub fn town_of(&self, b: &BranchRow) -> &str {
        match self.county {
            true => self.towns.get(b.town).map_or("", |t| t.name.as_str()),
            false => "",
        }
    }

    /// The five-star share of the branches rated, in percent (rounded half up to 2
    /// places); `None` with no branch.
    pub fn five_share(&self) -> Option<Decimal> {
        share(self.stars[5], self.stars.iter().sum())
    }
}

/// `part` of `whole` in percent, rounded half up to 2 places; `None` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    let d = Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole);
    Some(crate::decimal::round_half_up(d, 2))
}

fn add6(a: &mut [u64; 6], b: &[u64; 6]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// A town's line in its county's report.
fn line_of(t: &Committee) -> TownLine {
    let records = t.records.as_ref();
    let mut ballots = Ballots::default();
    for b in records.map(|r| r.ballots.values()).into_iter().flatten() {
        ballots.add(b);
    }
    let mut objections = [0u64; 3];
    for o in records.map(|r| &r.objections[..]).unwrap_or_default() {
        let k = match o.status {
            ObjectionStatus::Open => 0,
            ObjectionStatus::Upheld => 1,
            ObjectionStatus::Dismissed => 2,
        };
        if let Some(n) = objections.get_mut(k) {
            *n += 1;
        }
    }
    TownLine {
        name: t.place.clone(),
        left_out: None,
        stars: t.stars,
        plaques: t.plaques,
        open_items: t.open_items,
        interviews: count(t.interviews.len()),
        window: t.window,
        ballots,
        objections,
        decisions: count(records.map_or(0, |r| r.decisions.len())),
    }
}
