//! The rating standards (评星标准): what is scored, with what weights and thresholds.
//!
//! `common.toml` holds the settings and the common indicators and items; each domain file
//! adds its personalized indicators and items and may override settings. [`load`] reads the
//! built-in files, or the workspace's own where it has them, and checks them.

mod builtin;
mod load;
pub mod records;
mod themes;

pub use builtin::{preset, preset_names, Preset, BUILTIN, FILE_NAMES, PRESETS};
pub use load::{check_text, load, MAX_INDICATORS};
pub use records::Survey;
pub use themes::{StarsBy, Theme, MAX_THEMES};

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;

/// One of the five domains (领域).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Domain {
    Rural,
    Agency,
    TwoNew,
    Community,
    Soe,
}

impl Domain {
    pub const ALL: [Domain; 5] = [
        Domain::Rural,
        Domain::Agency,
        Domain::TwoNew,
        Domain::Community,
        Domain::Soe,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Rural => "rural",
            Domain::Agency => "agency",
            Domain::TwoNew => "two_new",
            Domain::Community => "community",
            Domain::Soe => "soe",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Domain::Rural => "农村",
            Domain::Agency => "机关",
            Domain::TwoNew => "两新组织",
            Domain::Community => "城市社区",
            Domain::Soe => "国有企业",
        }
    }

    /// A domain from its code, or its Chinese name ([`crate::aliases`]).
    pub fn parse(s: &str) -> Option<Domain> {
        let code = |s: &str| Domain::ALL.into_iter().find(|d| d.as_str() == s);
        // The codes first: a province's rows name them, and the table is looked at only
        // when they do not.
        code(s).or_else(|| code(crate::aliases::code(crate::aliases::Vocab::Domain, s)?))
    }

    pub fn file_name(self) -> String {
        format!("{}.toml", self.as_str())
    }

    pub fn expected() -> String {
        Domain::ALL.map(Domain::as_str).join(", ")
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of the three levels of the joint assessment (三级联评).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    SelfLevel,
    Mass,
    Organization,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::SelfLevel, Level::Mass, Level::Organization];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::SelfLevel => "self",
            Level::Mass => "mass",
            Level::Organization => "organization",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Level::SelfLevel => "自评",
            Level::Mass => "群众评议",
            Level::Organization => "组织评定",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::parse_bytes(s.as_bytes())
    }

    #[inline]
    pub fn parse_bytes(s: &[u8]) -> Option<Level> {
        // Compared as words: read once per score row and deduction, where byte patterns
        // took a dozen comparisons.
        let word4 = |b: &[u8]| b.first_chunk::<4>().map(|w| u32::from_le_bytes(*w));
        let word8 = |b: &[u8]| b.first_chunk::<8>().map(|w| u64::from_le_bytes(*w));
        let code = match s.len() {
            4 if word4(s) == word4(b"self") => Some(Level::SelfLevel),
            4 if word4(s) == word4(b"mass") => Some(Level::Mass),
            12 if word8(s) == word8(b"organiza")
                && word4(s.get(8..).unwrap_or_default()) == word4(b"tion") =>
            {
                Some(Level::Organization)
            }
            _ => None,
        };
        code.or_else(|| Level::parse_name(s))
    }

    /// A level from its Chinese name ([`crate::aliases`]), apart from the codes: their
    /// parse needs no registers saved.
    #[cold]
    #[inline(never)]
    fn parse_name(s: &[u8]) -> Option<Level> {
        // An alias is a code, so no recursion.
        std::str::from_utf8(s)
            .ok()
            .and_then(|t| crate::aliases::code(crate::aliases::Vocab::Level, t))
            .and_then(|code| Level::parse_bytes(code.as_bytes()))
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Minimum final scores for each star; below `two` is one star, or, with `one` (a local
/// rule), below `one` no star at all (不评星).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    pub five: Decimal,
    pub four: Decimal,
    pub three: Decimal,
    pub two: Decimal,
    pub one: Option<Decimal>,
}

impl Thresholds {
    /// The threshold of a star from 1 (only with `one`) to 5.
    pub fn of(&self, star: u8) -> Option<Decimal> {
        match star {
            5 => Some(self.five),
            4 => Some(self.four),
            3 => Some(self.three),
            2 => Some(self.two),
            1 => self.one,
            _ => None,
        }
    }
}

/// What a branch earns in its first rated year without a plaque (`[adjust] first_year`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirstYear {
    /// Next plaque = its star, as any year.
    #[default]
    Rated,
    /// Rated as usual, but no plaque earned that year (试评星).
    Trial,
}

/// The settings of the dynamic adjustment (动态调整).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustSettings {
    pub max_step_up: u8,
    pub demote_at: u32,
    pub reward_streak: u32,
    pub remind_at_or_below: u8,
    pub rectify_days: u32,
    pub first_year: FirstYear,
}

/// Every setting of a domain's standard, after the domain's overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Weights of self, mass and organization, in [`Level::ALL`] order.
    pub levels: [Decimal; 3],
    pub stars: Thresholds,
    pub bonus_cap: Decimal,
    pub bottom_line_cap: u8,
    pub rectify_below: Decimal,
    pub review_required: Vec<String>,
    pub adjust: AdjustSettings,
    /// How a mass evaluation's ballots count (`[survey]`, the records of the year).
    pub survey: Survey,
    /// The levels scored by deduction (`[deduction] levels`), in [`Level::ALL`] order.
    pub deduction: [bool; 3],
}

impl Settings {
    pub fn weight(&self, level: Level) -> Decimal {
        self.levels[level.index()]
    }

    /// Is `level` scored by deduction (`[deduction] levels`)?
    pub fn by_deduction(&self, level: Level) -> bool {
        self.deduction[level.index()]
    }
}

/// Whether an indicator is common (共性) or the domain's own (个性化).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Common,
    Domain,
}

/// An indicator: something scored at every level, worth up to `points`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub points: Decimal,
    pub bottom_line: Option<Decimal>,
    /// The cap for missing this indicator's bottom line, when it has its own (a local rule);
    /// else the standard's `bottom_line_cap`.
    pub bottom_line_cap: Option<u8>,
    pub rubric: String,
    pub guidance: String,
    pub secretary_project: bool,
    /// Its theme, an index into [`Standard::themes`], when the standard rates by themes.
    pub theme: Option<u8>,
    pub origin: Origin,
}

/// What an incentive, restraint or red-line item does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// 正向激励: adds points (the total is capped).
    Incentive(Decimal),
    /// 反向约束: deducts points.
    Restraint(Decimal),
    /// 红线: caps the star.
    RedLine(u8),
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Incentive(_) => "incentive",
            ItemKind::Restraint(_) => "restraint",
            ItemKind::RedLine(_) => "red_line",
        }
    }
}

/// An incentive, restraint or red-line item, recorded as an event of a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub kind: ItemKind,
    /// 破格: an incentive that lifts `max_step_up` in the year's adjustment (a local rule).
    pub exceptional: bool,
    pub origin: Origin,
}

/// A level-rating floor (a local rule, e.g. 群众满意度底线): the level's rating
/// L = 100 × Σ s_{i,level} / Σ p_i below `below` caps the star at `cap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Floor {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub level: Level,
    pub below: Decimal,
    pub cap: u8,
    pub origin: Origin,
}

/// The groups within which a five-star quota holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuotaPer {
    #[default]
    Workspace,
    Town,
    Domain,
}

impl QuotaPer {
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaPer::Workspace => "workspace",
            QuotaPer::Town => "town",
            QuotaPer::Domain => "domain",
        }
    }
}

/// A five-star quota (a local rule, `[quota]` in common.toml): at most ⌊five × n⌋ branches
/// of each group keep five stars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub five: Decimal,
    pub per: QuotaPer,
}

impl Quota {
    /// ⌊five × n⌋: how many of a group of `n` rated branches may keep five stars.
    pub fn limit(&self, n: usize) -> usize {
        use rust_decimal::prelude::ToPrimitive;
        // five is in 0..=1 (checked when read), so the product is at most n.
        (self.five * Decimal::from(n))
            .floor()
            .to_usize()
            .unwrap_or(0)
    }
}
/// A domain's whole standard: common plus personalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standard {
    pub domain: Domain,
    pub name: String,
    pub name_zh: String,
    pub settings: Settings,
    /// Common indicators first, then the domain's, each in file order.
    pub indicators: Vec<Indicator>,
    pub items: Vec<Item>,
    /// Level-rating floors, common first (a local rule; usually none).
    pub floors: Vec<Floor>,
    /// The themes, common first, when the standard rates by themes (`stars_by = "themes"`);
    /// empty when it rates by score.
    pub themes: Vec<Theme>,
    /// Where the common and domain files came from, as shown in messages.
    pub common_file: String,
    pub domain_file: String,
}

impl Standard {
    pub fn indicator(&self, id: &str) -> Option<(usize, &Indicator)> {
        self.indicators.iter().enumerate().find(|(_, i)| i.id == id)
    }
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }
    /// Does the standard award a star per theme earned (`stars_by = "themes"`)?
    pub fn by_themes(&self) -> bool {
        !self.themes.is_empty()
    }
    /// The theme of an indicator, when the standard rates by themes.
    pub fn theme_of(&self, ind: &Indicator) -> Option<&Theme> {
        self.themes.get(usize::from(ind.theme?))
    }
    pub fn file_of(&self, origin: Origin) -> &str {
        match origin {
            Origin::Common => &self.common_file,
            Origin::Domain => &self.domain_file,
        }
    }
}

/// An indicator id's index in each domain's standard, by `domain as usize` (`None` where
/// the domain has no such indicator).
pub type Column = [Option<u16>; Domain::ALL.len()];

/// Each domain's standard, by index ([`Standards::each`]).
#[derive(Debug, Clone, Copy)]
pub struct ByDomain<'s>([Option<&'s Standard>; Domain::ALL.len()]);

impl<'s> ByDomain<'s> {
    pub fn get(&self, d: Domain) -> Option<&'s Standard> {
        self.0.get(d as usize).copied().flatten()
    }
}

/// The standards of all five domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standards {
    pub by_domain: BTreeMap<Domain, Standard>,
    /// The five-star quota of common.toml, if any (a local rule).
    pub quota: Option<Quota>,
    /// Every indicator id, with its index in each domain's standard (by `domain as usize`):
    /// what a score sheet's header is read against, made once for a county's members.
    /// (Looked up only, never listed: its order is no output's.)
    columns: rustc_hash::FxHashMap<String, Column>,
    /// The same of the ids of at most 8 bytes, by their bytes in a word and their length
    /// ([`Short`]): a province's deductions look up an id a row.
    short: Short,
}

/// The ids of at most 8 bytes, each at the slot its word's product with an odd constant
/// picks, or the next free one: a lookup is a multiplication and a comparison or two. (A
/// hash map's lookups took 17 ms of a province's 1.4 million deductions, these 10:
/// BENCHMARKS.md, issue 29's third round.) Slots are at least twice the ids, so one is
/// always free and a probe ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Short {
    slots: Vec<Option<(u64, usize, Column)>>,
}

impl Short {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new<'a>(ids: impl Iterator<Item = (&'a String, &'a Column)>) -> Short {
        let ids: Vec<_> = ids
            .filter_map(|(id, at)| Some((short_key(id)?, *at)))
            .collect();
        let mut slots = vec![None; (2 * ids.len()).next_power_of_two().max(16)];
        let mask = slots.len() - 1;
        for ((word, len), at) in ids {
            let mut k = Short::slot(word, mask);
            while let Some(Some(_)) = slots.get(k) {
                k = (k + 1) & mask;
            }
            if let Some(slot) = slots.get_mut(k) {
                *slot = Some((word, len, at));
            }
        }
        Short { slots }
    }

    /// The first slot looked at for `word` among `mask + 1` (a power of two).
    fn slot(word: u64, mask: usize) -> usize {
        (word.wrapping_mul(Short::K) >> 32) as usize & mask
    }

    fn get(&self, (word, len): (u64, usize)) -> Option<&Column> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut k = Short::slot(word, mask);
        for _ in 0..=mask {
            match self.slots.get(k)? {
                Some((w, l, at)) if *w == word && *l == len => return Some(at),
                Some(_) => k = (k + 1) & mask,
                None => return None,
            }
        }
        None
    }
}

/// An id of at most 8 bytes as a word and its length ([`Standards::column`]).
#[inline]
fn short_key(id: &str) -> Option<(u64, usize)> {
    let bytes = id.as_bytes();
    // Made in a register: bytes copied to memory and read back as a word stall the read.
    let word =
        (bytes.len() <= 8).then(|| bytes.iter().rev().fold(0, |w, b| w << 8 | u64::from(*b)))?;
    Some((word, bytes.len()))
}

impl Standards {
    pub fn new(by_domain: BTreeMap<Domain, Standard>, quota: Option<Quota>) -> Standards {
        let mut columns = rustc_hash::FxHashMap::<String, Column>::default();
        for (d, std) in &by_domain {
            for (k, i) in std.indicators.iter().enumerate() {
                let at = columns.entry(i.id.clone()).or_default();
                // The first of an id, as [`Standard::indicator`] finds it.
                if let Some(slot @ None) = at.get_mut(*d as usize) {
                    *slot = u16::try_from(k).ok();
                }
            }
        }
        let short = Short::new(columns.iter());
        Standards {
            by_domain,
            quota,
            columns,
            short,
        }
    }

    /// An indicator id of any standard, with its index in each domain's (`None` where the
    /// domain has no such indicator); `None` for an id of none.
    pub fn column(&self, id: &str) -> Option<&Column> {
        match short_key(id) {
            Some(key) => self.short.get(key),
            None => self.columns.get(id),
        }
    }

    pub fn get(&self, d: Domain) -> Option<&Standard> {
        self.by_domain.get(&d)
    }

    /// Each domain's standard by index: what a table looks up a row at a time (the map's
    /// search was 0.7% of a province's records' instructions).
    pub fn each(&self) -> ByDomain<'_> {
        ByDomain(Domain::ALL.map(|d| self.get(d)))
    }

    /// Does any standard score a level by deduction (`[deduction] levels`)?
    pub fn has_deductions(&self) -> bool {
        self.by_domain
            .values()
            .any(|s| s.settings.deduction.iter().any(|l| *l))
    }

    /// Does any standard have a level-rating floor? (Then the score loader keeps each
    /// level's sum of scores.)
    pub fn has_floors(&self) -> bool {
        self.by_domain.values().any(|s| !s.floors.is_empty())
    }

    /// Does any standard rate by themes? (Then the ratings show the themes earned.)
    pub fn has_themes(&self) -> bool {
        self.by_domain.values().any(Standard::by_themes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a score sheet's header is read against gives, for every id and domain, the
    /// index [`Standard::indicator`] finds, and nothing for an id of no standard.
    #[test]
    fn columns_give_each_domains_index_of_an_id() {
        let all: std::collections::BTreeSet<Domain> = Domain::ALL.into_iter().collect();
        let mut problems = crate::problem::Problems::new();
        let s = load::load(&[], &all, &mut problems).expect("built-in standards");
        let mut ids = 0;
        for std in s.by_domain.values() {
            for i in &std.indicators {
                let at = s.column(&i.id).expect("an id of a standard");
                for (d, other) in &s.by_domain {
                    let want = other.indicator(&i.id).map(|(k, _)| k as u16);
                    assert_eq!(
                        at.get(*d as usize).copied().flatten(),
                        want,
                        "{} in {d:?}",
                        i.id
                    );
                }
                ids += 1;
            }
        }
        assert!(ids > 20);
        assert!(s.column("branch").is_none() && s.column("").is_none());
        // An id read as a word is told from the same bytes with a zero after them, and ids
        // longer than a word are found by their text.
        let (d, mut std) = s
            .by_domain
            .iter()
            .next()
            .map(|(d, x)| (*d, x.clone()))
            .unwrap();
        let first = std.indicators[0].id.clone();
        assert!(s.column(&format!("{first}\0")).is_none());
        std.indicators[0].id = "组织生活制度落实情况".to_string();
        let long = Standards::new(BTreeMap::from([(d, std)]), None);
        assert_eq!(
            long.column("组织生活制度落实情况").unwrap()[d as usize],
            Some(0)
        );
        assert!(long.column(&first).is_none());
    }

    /// Every short id put in the table is found with its own indexes, however many share
    /// a first slot, and an id not put in is not.
    #[test]
    fn the_short_ids_table_finds_each_id_put_in_it() {
        let ids: Vec<String> = (0..300).map(|k| format!("C{k:02}")).collect();
        let at = |k: usize| [Some(k as u16), None, None, None, Some(7)];
        let all: Vec<[Option<u16>; 5]> = (0..ids.len()).map(at).collect();
        let table = Short::new(ids.iter().zip(&all));
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(table.get(short_key(id).unwrap()), Some(&at(k)), "{id}");
        }
        for id in ["C", "C300", "C00\0", "c00", "00C", "ABCDEFGH"] {
            assert_eq!(table.get(short_key(id).unwrap()), None, "{id}");
        }
        assert_eq!(Short::default().get((0, 0)), None);
    }
}
