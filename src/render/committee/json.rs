//! The committee report's figures as JSON, for scripts: the value itself
//! ([`Committee`]), the same numbers the page prints. Decimals are JSON numbers written
//! exactly (two places, as every list's JSON writes them), codes are the CSV's codes.

use crate::committee::{BranchRow, Committee, Scores, BIN};
use crate::decimal::{fmt2, fmt_plain};
use rust_decimal::Decimal;

/// A JSON value, written in order with its numbers as given.
enum J {
    Null,
    Raw(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

impl J {
    fn int(n: impl Into<i128>) -> J {
        J::Raw(n.into().to_string())
    }
    fn dec(d: Decimal) -> J {
        J::Raw(fmt2(d))
    }
    fn opt_dec(d: Option<Decimal>) -> J {
        d.map_or(J::Null, J::dec)
    }
    fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }
    fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> J) -> J {
        v.map_or(J::Null, f)
    }

    /// A number, a text or nothing.
    fn scalar(&self) -> bool {
        matches!(self, J::Null | J::Raw(_) | J::Str(_))
    }

    /// Written as serde_json's pretty printer writes (two spaces a level), but an array
    /// of numbers, and an object of numbers and texts, on one line.
    fn write(&self, indent: usize, out: &mut String) {
        let pad = |n: usize| "  ".repeat(n);
        match self {
            J::Null => out.push_str("null"),
            J::Raw(s) => out.push_str(s),
            J::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Obj(items) if items.is_empty() => out.push_str("{}"),
            // An array of numbers on one line (a count by star).
            J::Arr(items) if items.iter().all(|i| matches!(i, J::Raw(_) | J::Null)) => {
                out.push('[');
                for (k, v) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    v.write(indent, out);
                }
                out.push(']');
            }
            // An object of numbers and text on one line, as a list's JSON writes a row.
            J::Obj(items) if items.iter().all(|(_, v)| v.scalar()) => {
                out.push('{');
                for (k, (key, v)) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push_str(": ");
                    v.write(indent, out);
                }
                out.push('}');
            }
            J::Arr(items) => {
                out.push_str("[\n");
                for (k, v) in items.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    v.write(indent + 1, out);
                    out.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            J::Obj(items) => {
                out.push_str("{\n");
                for (k, (key, v)) in items.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push_str(": ");
                    v.write(indent + 1, out);
                    out.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push('}');
            }
        }
    }
}

fn stars_j(s: &[u64; 6]) -> J {
    J::Arr(s.iter().map(|n| J::int(*n)).collect())
}

fn plaques_j(p: &[u64; 5]) -> J {
    J::Obj(
        (crate::followup::adjust::Change::ALL.iter().zip(p))
            .map(|(c, n)| (c.as_str(), J::int(*n)))
            .collect(),
    )
}

fn window_j(w: Option<crate::followup::publicity::Window>) -> J {
    J::opt(w, |w| {
        J::Obj(vec![
            ("start", J::str(w.start.to_string())),
            ("end", J::str(w.end.to_string())),
        ])
    })
}

/// A listed branch's fields (its town first in a county's report), then `more`.
fn branch_j(c: &Committee, b: &BranchRow, more: Vec<(&'static str, J)>) -> J {
    let mut o = Vec::new();
    if c.county {
        o.push(("town", J::str(c.town_of(b))));
    }
    o.extend([
        ("branch", J::str(b.id.clone())),
        ("name", J::str(b.name.clone())),
        ("domain", J::str(b.domain.as_str())),
    ]);
    o.extend(more);
    J::Obj(o)
}

fn ballots_j(b: &crate::followup::records::Ballots) -> J {
    J::Obj(vec![
        ("branches", J::int(b.branches)),
        ("issued", J::int(b.issued)),
        ("returned", J::int(b.returned)),
        ("return_rate", J::opt_dec(b.return_rate())),
        ("valid", J::int(b.valid)),
        ("satisfied", J::int(b.satisfied)),
        ("satisfaction", J::opt_dec(b.satisfaction())),
        ("satisfied_share", J::opt_dec(b.satisfied_share())),
    ])
}

/// The report's figures as JSON, the same numbers the page prints.
pub fn json(c: &Committee) -> String {
    let total: u64 = c.stars.iter().sum();
    let mut o: Vec<(&'static str, J)> = vec![
        ("place", J::str(c.place.clone())),
        ("county", J::Raw(c.county.to_string())),
        ("year", J::int(c.year)),
        ("last_year", J::opt(c.last_year, J::int)),
        ("branches", J::int(total)),
        ("stars", stars_j(&c.stars)),
        ("five_share", J::opt_dec(c.five_share())),
        (
            "moved",
            J::opt(c.last_year, |_| {
                J::Obj(vec![
                    ("up", J::int(c.moved[0])),
                    ("down", J::int(c.moved[1])),
                ])
            }),
        ),
        ("plaques", plaques_j(&c.plaques)),
    ];
    if c.county {
        o.push(("towns", towns_j(c)));
    }
    o.extend(shape_j(c));
    o.extend(lists_j(c));
    let mut out = String::new();
    J::Obj(o).write(0, &mut out);
    out.push('\n');
    out
}

fn towns_j(c: &Committee) -> J {
    J::Arr(
        (c.towns.iter())
            .map(|t| {
                J::Obj(vec![
                    ("name", J::str(t.name.clone())),
                    ("left_out", J::opt(t.left_out.clone(), J::Str)),
                    ("branches", J::int(t.stars.iter().sum::<u64>())),
                    ("stars", stars_j(&t.stars)),
                    ("plaques", plaques_j(&t.plaques)),
                    ("open_items", J::int(t.open_items)),
                    ("interviews", J::int(t.interviews)),
                    ("publicity", window_j(t.window)),
                    ("ballots", ballots_j(&t.ballots)),
                    (
                        "objections",
                        J::Obj(vec![
                            ("open", J::int(t.objections[0])),
                            ("upheld", J::int(t.objections[1])),
                            ("dismissed", J::int(t.objections[2])),
                        ]),
                    ),
                    ("decisions", J::int(t.decisions)),
                ])
            })
            .collect(),
    )
}

/// The counts: by domain, the themes, the scores, last year against this year, the items.
fn shape_j(c: &Committee) -> Vec<(&'static str, J)> {
    let by_domain = (c.by_domain.iter()).map(|(d, s)| {
        J::Obj(vec![
            ("domain", J::str(d.as_str())),
            ("branches", J::int(s.iter().sum::<u64>())),
            ("stars", stars_j(s)),
        ])
    });
    let themes = c.themes.iter().map(|t| {
        J::Obj(vec![
            ("id", J::str(t.id.clone())),
            ("name", J::str(t.name.clone())),
            ("name_zh", J::str(t.name_zh.clone())),
            ("required", J::Raw(t.required.to_string())),
            ("pass", J::Raw(fmt_plain(t.pass))),
        ])
    });
    let themes_by_domain = (c.themes_by_domain.iter()).map(|(d, r)| {
        let earned = r.earned.iter().map(|e| J::opt(*e, J::int));
        J::Obj(vec![
            ("domain", J::str(d.as_str())),
            ("rated", J::int(r.rated)),
            ("earned", J::Arr(earned.collect())),
        ])
    });
    let items: u64 = c.sources.iter().map(|s| s.items).sum();
    vec![
        ("by_domain", J::Arr(by_domain.collect())),
        ("themes", J::Arr(themes.collect())),
        ("themes_by_domain", J::Arr(themes_by_domain.collect())),
        ("scores", scores_j(&c.scores)),
        ("transitions", transitions_j(c)),
        (
            "items",
            J::Obj(vec![
                ("this_year", J::int(items)),
                ("last_year_done", J::int(c.done_items)),
                ("last_year_not_done", J::int(c.open_items)),
            ]),
        ),
        ("sources", sources_j(c)),
    ]
}

fn scores_j(s: &Scores) -> J {
    let bins = (s.bins.iter()).map(|(lo, n)| {
        J::Obj(vec![
            ("from", J::int(*lo)),
            ("below", J::int(lo + BIN)),
            ("branches", J::int(*n)),
        ])
    });
    let thresholds = (s.thresholds.iter())
        .map(|(s, t)| J::Obj(vec![("star", J::int(*s)), ("score", J::Raw(fmt_plain(*t)))]));
    J::Obj(vec![
        ("bins", J::Arr(bins.collect())),
        ("thresholds", J::Arr(thresholds.collect())),
        ("mean", J::dec(s.mean())),
    ])
}

fn transitions_j(c: &Committee) -> J {
    let transitions = (c.transitions.iter()).map(|((last, star), n)| {
        J::Obj(vec![
            ("last", J::opt(*last, J::int)),
            ("star", J::int(*star)),
            ("branches", J::int(*n)),
        ])
    });
    J::Arr(transitions.collect())
}

fn sources_j(c: &Committee) -> J {
    let sources = c.sources.iter().map(|s| {
        J::Obj(vec![
            ("source", J::str(s.id.clone())),
            ("name", J::str(s.name.clone())),
            ("name_zh", J::str(s.name_zh.clone())),
            ("items", J::int(s.items)),
            ("branches", J::int(s.branches)),
        ])
    });
    J::Arr(sources.collect())
}

/// The lists of branches.
fn lists_j(c: &Committee) -> Vec<(&'static str, J)> {
    let plaque = |v: Option<u8>| J::opt(v, J::int);
    let changes = c.plaque_changes.iter().map(|p| {
        branch_j(
            c,
            &p.branch,
            vec![
                ("plaque", plaque(p.plaque)),
                ("next", plaque(p.next)),
                ("change", J::str(p.change.as_str())),
                ("reason", J::str(p.reason.clone())),
            ],
        )
    });
    let not_done = (c.not_done.iter()).map(|(b, n)| branch_j(c, b, vec![("open", J::int(*n))]));
    let five = (c.five_star.iter()).map(|(b, s)| branch_j(c, b, vec![("score", J::dec(*s))]));
    let publicity = c.publicity.iter().map(|p| {
        branch_j(
            c,
            &p.branch,
            vec![
                ("secretary", J::str(p.secretary.clone())),
                ("score", J::dec(p.score)),
            ],
        )
    });
    let rewards = (c.rewards.iter()).map(|(b, n)| branch_j(c, b, vec![("streak", J::int(*n))]));
    let interviews = c.interviews.iter().map(|i| {
        branch_j(
            c,
            &i.branch,
            vec![
                ("star", J::int(i.star)),
                ("lead", J::str(i.lead.clone())),
                ("secretary", J::str(i.secretary.clone())),
            ],
        )
    });
    let mut out = vec![
        ("plaque_changes", J::Arr(changes.collect())),
        ("not_done", J::Arr(not_done.collect())),
        ("five_star", J::Arr(five.collect())),
    ];
    if !c.county {
        out.push(("publicity_window", window_j(c.window)));
    }
    out.extend([
        ("publicity", J::Arr(publicity.collect())),
        ("rewards", J::Arr(rewards.collect())),
        ("interviews", J::Arr(interviews.collect())),
        ("records", J::opt(c.records.as_ref(), |r| records_j(c, r))),
    ]);
    out
}

fn records_j(c: &Committee, r: &crate::committee::RecordsPart) -> J {
    let ballots = (r.ballots.iter()).map(|(d, b)| {
        let mut o = vec![("domain", J::str(d.as_str()))];
        if let J::Obj(rest) = ballots_j(b) {
            o.extend(rest);
        }
        J::Obj(o)
    });
    let objections = r.objections.iter().map(|o| {
        branch_j(
            c,
            &o.branch,
            vec![
                ("received", J::str(o.received.to_string())),
                ("matter", J::str(o.matter.clone())),
                ("status", J::str(o.status.as_str())),
                ("answered", J::opt(o.answered, |a| J::str(a.to_string()))),
            ],
        )
    });
    let decisions = r.decisions.iter().map(|d| {
        branch_j(
            c,
            &d.branch,
            vec![
                ("rules_star", J::int(d.ruled)),
                ("star", J::int(d.star)),
                ("reason", J::str(d.reason.clone())),
                ("document", J::str(d.document.clone())),
            ],
        )
    });
    J::Obj(vec![
        ("ballots", J::Arr(ballots.collect())),
        ("objections", J::Arr(objections.collect())),
        ("decisions", J::Arr(decisions.collect())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_written_as_serde_json_pretty_prints() {
        let j = J::Obj(vec![
            (
                "a",
                J::Arr(vec![J::str("x"), J::dec(Decimal::new(9250, 2))]),
            ),
            ("b", J::Arr(vec![])),
            ("c", J::Obj(vec![("d", J::Null), ("e", J::str("x\"y"))])),
            ("f", J::Arr(vec![J::int(1), J::Null])),
        ]);
        let mut out = String::new();
        j.write(0, &mut out);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        let pretty = serde_json::to_string_pretty(&v).unwrap_or_default();
        assert_eq!(
            pretty
                .replace("92.5", "92.50")
                .replace("[\n    1,\n    null\n  ]", "[1, null]")
                .replace(
                    "{\n    \"d\": null,\n    \"e\": \"x\\\"y\"\n  }",
                    "{\"d\": null, \"e\": \"x\\\"y\"}"
                ),
            out
        );
    }
}
