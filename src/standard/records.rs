//! The settings of the records of the year (SPEC.md "Records of the year"): `[survey]`, how
//! the ballots of a mass evaluation count, and `[deduction] levels`, the levels scored by
//! deduction. Either may be in common.toml or a domain file; a domain's `[survey]` replaces
//! the common one whole, as its `levels` replace the common `levels`.

use super::Level;
use crate::i18n::msg;
use crate::problem::Problems;
use crate::toml_read::Fields;
use rust_decimal::Decimal;

/// The most groups a survey may have.
pub const MAX_GROUPS: usize = 16;
/// The most decimal places of an answer's points.
pub const POINT_PLACES: u32 = 2;
/// The most decimal places of a group's weight.
pub const WEIGHT_PLACES: u32 = 4;

/// How the ballots of a mass evaluation (群众满意度测评) count (`[survey]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// The points (0–100) a ballot of each answer is worth.
    pub satisfied: Decimal,
    pub basically: Decimal,
    pub dissatisfied: Decimal,
    /// 不了解: left out of the count (`None`), or counted with these points.
    pub unknown: Option<Decimal>,
    /// More than this share of the ballots issued must come back.
    pub min_return: Decimal,
    /// The groups and their weights, in file order; empty: one group, written blank.
    pub groups: Vec<(String, Decimal)>,
}

impl Default for Survey {
    fn default() -> Survey {
        Survey {
            satisfied: Decimal::ONE_HUNDRED,
            basically: Decimal::from(80),
            dissatisfied: Decimal::ZERO,
            unknown: None,
            min_return: Decimal::new(5, 1),
            groups: Vec::new(),
        }
    }
}

impl Survey {
    /// A group's place in `groups`: `Some(0)` for the blank group when there are no groups.
    pub fn group(&self, name: &str) -> Option<usize> {
        if self.groups.is_empty() {
            return name.is_empty().then_some(0);
        }
        self.groups.iter().position(|(g, _)| g == name)
    }

    /// How many rows a branch's survey has: one per group (one blank row without groups).
    pub fn rows(&self) -> usize {
        self.groups.len().max(1)
    }

    /// The weight of group `k` (1 for the blank group).
    pub fn weight(&self, k: usize) -> Decimal {
        self.groups.get(k).map_or(Decimal::ONE, |(_, w)| *w)
    }

    /// The group names, as a list for messages (`(blank)` without groups).
    pub fn names(&self) -> String {
        if self.groups.is_empty() {
            return crate::i18n::tr("(blank)", "（空白）").to_string();
        }
        let names: Vec<&str> = self.groups.iter().map(|(g, _)| g.as_str()).collect();
        crate::i18n::list(&names.join(", "))
    }
}

/// A decimal as whole units of 10^-places, when it has no more places.
pub fn units(d: Decimal, places: u32) -> Option<u64> {
    let d = d.normalize();
    if d.is_sign_negative() || d.scale() > places {
        return None;
    }
    let up = 10u64.checked_pow(places - d.scale())?;
    u64::try_from(d.mantissa()).ok()?.checked_mul(up)
}

/// `[survey]` and `[deduction]` of one standard file, each `None` when the file has none.
pub(super) fn read(
    root: &mut Fields,
    problems: &mut Problems,
) -> (Option<Survey>, Option<[bool; 3]>) {
    let survey = root.table("survey", problems).map(|mut t| {
        let s = read_survey(&mut t, problems);
        t.finish(
            "satisfied, basically, dissatisfied, unknown, min_return, groups",
            problems,
        );
        s
    });
    let deduction = root.table("deduction", problems).and_then(|mut t| {
        let levels = read_levels(&mut t, problems);
        t.finish("levels", problems);
        levels
    });
    (survey, deduction)
}

fn read_survey(t: &mut Fields, problems: &mut Problems) -> Survey {
    let mut s = Survey::default();
    for (key, slot) in [
        ("satisfied", &mut s.satisfied),
        ("basically", &mut s.basically),
        ("dissatisfied", &mut s.dissatisfied),
    ] {
        if let Some(p) = t.decimal(key, false, problems) {
            if points_ok(t, key, p, problems) {
                *slot = p;
            }
        }
    }
    s.unknown = read_unknown(t, problems);
    if let Some(m) = t.decimal("min_return", false, problems) {
        if m < Decimal::ZERO || m > Decimal::ONE {
            problems.push(t.key_problem(
                "min_return",
                msg!(
                    "min_return {m} is out of range; expected a share from 0 to 1 (0.5 for half)",
                    "min_return {m} 超出范围；应为 0 到 1 之间的比例（一半写作 0.5）"
                ),
            ));
        } else {
            s.min_return = m;
        }
    }
    if let Some(mut g) = t.table("groups", problems) {
        s.groups = read_groups(&mut g, problems);
    }
    s
}

/// An answer's points: 0 to 100, at most [`POINT_PLACES`] places.
fn points_ok(t: &Fields, key: &str, p: Decimal, problems: &mut Problems) -> bool {
    let ok = p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED && units(p, POINT_PLACES).is_some();
    if !ok {
        problems.push(t.key_problem(
            key,
            msg!(
                "points {p} are out of range; expected a number from 0 to 100 with at most {POINT_PLACES} decimal places",
                "分值 {p} 超出范围；应为 0 到 100 之间、最多 {POINT_PLACES} 位小数的数"
            ),
        ));
    }
    ok
}

/// `unknown = "excluded"` (the default) or a number of points.
fn read_unknown(t: &mut Fields, problems: &mut Problems) -> Option<Decimal> {
    if !t.has("unknown") {
        return None;
    }
    let mut scratch = Problems::new();
    if let Some(text) = t.string("unknown", false, &mut scratch) {
        if text != "excluded" {
            problems.push(t.key_problem(
                "unknown",
                msg!(
                    "unknown `{text}`; expected \"excluded\" (不了解 left out of the count) or the points it counts with",
                    "unknown“{text}”无效；应为 \"excluded\"（“不了解”不计入）或计入时的分值"
                ),
            ));
        }
        return None;
    }
    let p = t.decimal("unknown", false, problems)?;
    points_ok(t, "unknown", p, problems).then_some(p)
}

/// `groups = { NAME = WEIGHT, … }`: weights above 0 with at most [`WEIGHT_PLACES`] places,
/// summing to exactly 1.
fn read_groups(g: &mut Fields, problems: &mut Problems) -> Vec<(String, Decimal)> {
    let names = g.keys();
    let mut out = Vec::new();
    let mut ok = true;
    if names.len() > MAX_GROUPS {
        let n = names.len();
        problems.push(g.problem(msg!(
            "{n} groups; expected at most {MAX_GROUPS}",
            "共 {n} 个分组；最多应为 {MAX_GROUPS} 个"
        )));
        ok = false;
    }
    for name in names {
        let Some(w) = g.decimal(&name, true, problems) else {
            ok = false;
            continue;
        };
        if w <= Decimal::ZERO || w > Decimal::ONE || units(w, WEIGHT_PLACES).is_none() {
            problems.push(g.key_problem(
                &name,
                msg!(
                    "weight {w} of group `{name}` is out of range; expected more than 0 and at most 1, with at most {WEIGHT_PLACES} decimal places",
                    "分组“{name}”的权重 {w} 超出范围；应大于 0 且不超过 1，最多 {WEIGHT_PLACES} 位小数"
                ),
            ));
            ok = false;
        }
        if name.trim().is_empty() || name.trim() != name {
            problems.push(g.key_problem(
                &name,
                msg!(
                    "group name `{name}` is blank or has spaces around it; expected a name such as 党员",
                    "分组名称“{name}”为空或首尾有空格；应为“党员”这样的名称"
                ),
            ));
            ok = false;
        }
        out.push((name, w));
    }
    let sum: Decimal = out.iter().map(|(_, w)| *w).sum();
    if ok && sum != Decimal::ONE {
        let sum = sum.normalize();
        problems.push(g.problem(msg!(
            "group weights sum to {sum}; expected exactly 1",
            "各分组权重之和为 {sum}；应恰好为 1"
        )));
    }
    out
}

/// `levels = ["organization", …]`: each a level (its code or Chinese name), once.
fn read_levels(t: &mut Fields, problems: &mut Problems) -> Option<[bool; 3]> {
    let list = t.string_array("levels", true, problems)?;
    let mut levels = [false; 3];
    let mut ok = true;
    for l in &list {
        match Level::parse(l) {
            Some(level) if levels[level.index()] => {
                ok = false;
                problems.push(t.key_problem(
                    "levels",
                    msg!("level `{l}` is listed twice", "层级“{l}”重复列出"),
                ));
            }
            Some(level) => levels[level.index()] = true,
            None => {
                ok = false;
                problems.push(t.key_problem(
                    "levels",
                    msg!(
                        "unknown level `{l}`; expected self, mass or organization",
                        "未知层级“{l}”；应为 self（自评）、mass（群众评议）或 organization（组织评定）"
                    ),
                ));
            }
        }
    }
    ok.then_some(levels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn units_are_whole_at_their_places() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(units(d("0.4"), 4), Some(4000));
        assert_eq!(units(d("0.40000"), 4), Some(4000));
        assert_eq!(units(d("0.00005"), 4), None);
        assert_eq!(units(d("100"), 2), Some(10000));
        assert_eq!(units(d("-1"), 2), None);
    }

    #[test]
    fn the_blank_group_stands_alone() {
        let s = Survey::default();
        assert_eq!((s.group(""), s.group("党员"), s.rows()), (Some(0), None, 1));
        let g = Survey {
            groups: vec![
                ("党员".into(), Decimal::new(4, 1)),
                ("群众".into(), Decimal::new(6, 1)),
            ],
            ..Survey::default()
        };
        assert_eq!((g.group(""), g.group("群众"), g.rows()), (None, Some(1), 2));
    }
}
