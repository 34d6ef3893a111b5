//! `stars explain BRANCH`: how one branch's rating was reached, every number traced to its
//! source (file, line and column of each cell and event).
//!
//! The steps are worked out once, as a [`Trace`] (`crate::explain_trace`); this file only
//! renders it: as text for people ([`text`], English or Chinese), as one JSON document
//! ([`json`]), and as rows for CSV, Markdown and workbooks ([`rows`]).

use super::history::unknown_branch;
use super::Ctx;
use crate::decimal::{fmt2, fmt_plain};
use crate::explain_trace::{
    trace, CellTrace, EventTrace, IndicatorTrace, QuotaTrace, RecordCell, ThemeTrace, Trace,
};
use crate::i18n::{msg_in, Lang};
use crate::problem::{Failure, Outcome, Problem, Problems};
use crate::rate::{Cap, Review5};
use crate::render::codes::{show, show_list};
use crate::render::{Code, Column, Format, Report, Value};
use crate::standard::{ItemKind, Level};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value as J};

fn d(x: Decimal) -> String {
    fmt_plain(x)
}

pub fn run(ctx: &Ctx, id: &str) -> Outcome<()> {
    let ws = &ctx.workspace()?;
    let year = ctx.year(ws)?;
    let Some((b, br)) = ws.branch(id).and_then(|b| Some((b, ws.branches.get(b)?))) else {
        return Err(unknown_branch(ws, id).into());
    };
    let data = &super::load_year_detail(ws, year, b)?;
    let rater = crate::rate::YearRater::new(ws, data);
    let mut rating = None;
    rater.rate_range(b..b + 1, |_, r| rating = Some(r));
    let Some(r) = &rating else {
        let (year, span) = (data.year, br.span_text());
        let mut p = Problems::new();
        p.push(Problem::file(
            crate::workspace::join_shown(&ws.shown, "branches.csv"),
            crate::i18n::msg!(
                "branch `{id}` is not rated in {year} ({span})",
                "支部“{id}”不参加 {year} 年度评定（{span}）"
            ),
        ));
        return Err(Failure::from(p));
    };
    let Some(std) = ws.standards.get(br.domain) else {
        return Ok(());
    };
    let tr = trace(std, data, br, b, r, rater.quota());
    // The trace for people as text; JSON as one document; the other formats as rows.
    match ctx.format {
        Format::Json => ctx.emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json(&tr, ctx.lang)).unwrap_or_default()
        )),
        Format::Table | Format::Html => ctx.emit(&text(&tr, ctx.lang)),
        Format::Csv | Format::Markdown | Format::Xlsx => {
            // The rows' title names the town too (a workbook's title row, to print).
            let mut rep = rows(&tr, ctx.lang);
            let (town, title) = (&ws.config.name, &rep.title);
            rep.title = msg_in!(ctx.lang, "{town} — {title}", "{town} {title}");
            ctx.emit_report(&rep)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text, for people, in English or Chinese.

/// The trace as text, one line per step.
pub fn text(tr: &Trace, lang: Lang) -> String {
    let mut t = Text {
        out: String::new(),
        lang,
    };
    t.head(tr);
    t.indicators(tr);
    t.ballots(tr);
    t.deductions(tr);
    t.score(tr);
    t.floors(tr);
    t.caps(tr);
    t.review(tr);
    t.objections(tr);
    if let Some(Some(q)) = &tr.quota {
        t.quota(tr, q);
    }
    t.decision(tr);
    t.star(tr);
    t.out
}

struct Text {
    out: String,
    lang: Lang,
}

/// A value of the trace as text: exact, or for a branch with ballots, a representative
/// as the digits known and `…` (see [`crate::ballots`]).
fn v(tr: &Trace, x: Decimal) -> String {
    match tr.records.survey {
        Some(_) => crate::ballots::shown(x),
        None => d(x),
    }
}

impl Text {
    /// A line, with the text from files in it (names, notes, towns, standards) made
    /// harmless for a terminal: control characters (ESC, C1, BEL) and bidirectional
    /// overrides shown escaped, as every other output for people shows them.
    fn line(&mut self, s: impl AsRef<str>) {
        self.out.push_str(&crate::problem::escape(s.as_ref()));
        self.out.push('\n');
    }

    fn t(&self, en: &'static str, zh: &'static str) -> &'static str {
        self.lang.t(en, zh)
    }

    /// A code as the reader reads it.
    fn c(&self, kind: Code, code: &str) -> String {
        show(kind, code, self.lang).into_owned()
    }

    /// The colon after a label: `: `, or `：` in Chinese.
    fn colon(&self) -> &'static str {
        self.t(": ", "：")
    }

    /// What separates the items of a list: `, `, or `、` in Chinese.
    fn list_sep(&self) -> &'static str {
        self.t(", ", "、")
    }

    /// A remark in brackets after a text: ` (x)`, or `（x）` in Chinese.
    fn aside(&self, x: &str) -> String {
        msg_in!(self.lang, " ({x})", "（{x}）")
    }

    /// A name from a standard: both, English first, in English (`name / name_zh`); the
    /// Chinese one in Chinese.
    fn name(&self, en: &str, zh: &str) -> String {
        msg_in!(self.lang, "{zh} / {en}", "{zh}")
    }

    fn head(&mut self, tr: &Trace) {
        let (code, zh, date) = (tr.domain, tr.domain.zh(), &tr.evaluated);
        let domain = msg_in!(self.lang, "{code} ({zh})", "{zh}");
        let evaluated = msg_in!(self.lang, "evaluated {date}", "评定日期 {date}");
        let (branch, name, year) = (&tr.branch, &tr.name, tr.year);
        self.line(msg_in!(
            self.lang,
            "{branch} {name} — domain {domain}, {year} {evaluated}",
            "{branch} {name} — 领域：{domain}，{year} 年度，{evaluated}"
        ));
        let s = &tr.standard;
        let (label, colon) = (self.t("Standard", "评星标准"), self.colon());
        let files = self.aside(&format!("{} + {}", s.common_file, s.domain_file));
        let name = match self.lang {
            Lang::En => format!("{} / {}", s.name, s.name_zh),
            Lang::Zh => s.name_zh.clone(),
        };
        self.line(format!("{label}{colon}{name}{files}"));
        let weights: Vec<String> = tr
            .weights
            .iter()
            .map(|(l, w)| format!("{} {}", self.c(Code::Level, l.as_str()), d(*w)))
            .collect();
        let label = self.t("Level weights", "三级联评权重");
        self.line(format!("{label}{colon}{}", weights.join(self.list_sep())));
    }

    fn indicators(&mut self, tr: &Trace) {
        self.line("");
        self.line(self.t("Indicators", "指标得分"));
        for ind in &tr.indicators {
            let bl = ind
                .bottom_line
                .map(|b| {
                    let (sep, label) = (self.t(", ", "，"), self.t("bottom line", "底线"));
                    format!("{sep}{label} {}", d(b))
                })
                .unwrap_or_default();
            let points = self.t("points", "满分");
            self.line(format!(
                "  {} {} — {points} {}{bl}",
                ind.id,
                self.name(&ind.name, &ind.name_zh),
                d(ind.points)
            ));
            for ((l, _), cell) in tr.weights.iter().zip(&ind.cells) {
                let level = padded(&show(Code::Level, l.as_str(), self.lang), 13);
                let Some(c) = cell else {
                    self.line(format!("    {level} {:>8}", "—"));
                    continue;
                };
                let how = self.how(ind, c);
                let source = if c.source.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", c.source)
                };
                self.line(format!("    {level} {:>8}  {how}{source}", v(tr, c.value)));
            }
            let label = self.t("combined", "加权得分");
            self.line(format!(
                "    {label} = {} = {}",
                terms(tr, ind),
                v(tr, ind.combined)
            ));
        }
    }

    /// How a level's cell of an indicator was reached: from ballots, by deduction, from
    /// the overall evaluation, or scored.
    fn how(&self, ind: &IndicatorTrace, c: &CellTrace) -> String {
        match (&c.record, c.overall) {
            (Some(RecordCell::Survey), _) => format!(
                "{} × R / 100{}",
                d(ind.points),
                self.aside(self.t("ballots", "测评票"))
            ),
            (Some(RecordCell::Deducted { taken }), _) if taken.is_zero() => {
                let full = self.t("full marks, nothing deducted", "满分，无扣分");
                format!("{}{}", d(ind.points), self.aside(full))
            }
            (Some(RecordCell::Deducted { taken }), _) => {
                let floor = if *taken > ind.points {
                    self.t(", not below 0", "，扣完为止")
                } else {
                    ""
                };
                let deducted = self.t("deducted", "扣分");
                format!("{} − {} {deducted}{floor}", d(ind.points), d(*taken))
            }
            (None, Some(o)) => format!(
                "{} × {} {} / 100",
                d(ind.points),
                self.t("overall", "总体评价"),
                d(o)
            ),
            (None, None) => self.t("score", "得分").to_string(),
        }
    }

    fn score(&mut self, tr: &Trace) {
        self.line("");
        let (base, shown) = (self.t("Base", "基础分"), self.t("shown as", "显示为"));
        self.line(format!(
            "{base} B = {} = {}{}",
            parts(tr),
            v(tr, tr.base),
            self.aside(&format!("{shown} {}", fmt2(tr.base)))
        ));
        self.events(tr);
        self.line(format!(
            "{} = min({} {}, {} {}) = {}",
            self.t("Bonus", "加分"),
            self.t("incentives", "激励合计"),
            d(tr.incentives),
            self.t("cap", "上限"),
            d(tr.bonus_cap),
            d(tr.bonus)
        ));
        self.line(format!(
            "{} = {}",
            self.t("Deduction", "扣分"),
            d(tr.deduction)
        ));
        self.line(format!(
            "{} F = max(0, {} + {} − {}) = {} → {} {}",
            self.t("Score", "总分"),
            v(tr, tr.base),
            d(tr.bonus),
            d(tr.deduction),
            v(tr, tr.exact_score),
            self.t("rounded half up", "四舍五入"),
            fmt2(tr.score)
        ));
        self.thresholds(tr);
    }

    /// The events, each with its effect and source.
    fn events(&mut self, tr: &Trace) {
        let (events, colon) = (self.t("Events", "加减分及红线事项"), self.colon());
        if tr.events.is_empty() {
            self.line(format!("{events}{colon}{}", self.t("none", "无")));
        } else {
            self.line(format!("{events}{}", colon.trim_end()));
        }
        for e in &tr.events {
            let effect = match e.kind {
                ItemKind::Incentive(p) => format!("+{}", d(p)),
                ItemKind::Restraint(p) => format!("−{}", d(p)),
                ItemKind::RedLine(c) => format!("{} {c}", self.t("cap", "封顶")),
            };
            let kind = self.aside(&self.c(Code::Kind, e.kind.as_str()));
            self.line(format!(
                "  {} {}{kind} {} {effect}  {}  [{}]",
                e.item, e.name_zh, e.date, e.note, e.source
            ));
        }
    }

    fn thresholds(&mut self, tr: &Trace) {
        if !tr.themes.is_empty() {
            return self.themes(tr);
        }
        let th = &tr.thresholds;
        let one = th
            .one
            .map(|o| {
                let below = self.aside(self.t("below: no star", "低于此不评星"));
                let one = self.c(Code::Threshold, "one");
                format!("{}{one} {}{below}", self.list_sep(), d(o))
            })
            .unwrap_or_default();
        let [n5, n4, n3, n2] = ["five", "four", "three", "two"].map(|k| self.c(Code::Threshold, k));
        let (c, s) = (self.colon(), self.list_sep());
        self.line(format!(
            "{}{c}{n5} {}{s}{n4} {}{s}{n3} {}{s}{n2} {}{one} → {} {}",
            self.t("Thresholds", "星级分数线"),
            d(th.five),
            d(th.four),
            d(th.three),
            d(th.two),
            self.t("score star", "得分星级"),
            tr.score_star
        ));
    }

    /// Step 5 by themes: each theme's sum against its pass line, then the score star.
    fn themes(&mut self, tr: &Trace) {
        self.line(self.t(
            "Stars by theme (a star for each theme earned; none when a required theme is not):",
            "按主题评星（每获得一个主题星计一星；必备主题未获得的不评星）：",
        ));
        for t in &tr.themes {
            let required = if t.required {
                self.aside(self.t("required", "必备"))
            } else {
                String::new()
            };
            let ids: Vec<&str> = t.indicators.iter().map(|(id, _)| id.as_str()).collect();
            let es: Vec<String> = t.indicators.iter().map(|(_, e)| d(*e)).collect();
            let (sum, line, pass, points) = (d(t.sum), d(t.line), d(t.pass), d(t.points));
            let verdict = if t.earned {
                let earned = self.t("earned", "获得");
                format!("≥ {pass} × {points} = {line} → {earned}")
            } else {
                let lacks = d(t.line - t.sum);
                let not = msg_in!(
                    self.lang,
                    "not earned (lacks {lacks})",
                    "未获得（差 {lacks} 分）"
                );
                format!("< {pass} × {points} = {line} → {not}")
            };
            let name = self.name(&t.name, &t.name_zh);
            // Σ e_i written out when the theme has more than one indicator.
            let terms = if es.len() > 1 {
                format!("{} = {}", ids.join(" + "), es.join(" + "))
            } else {
                ids.join(" + ")
            };
            self.line(format!(
                "  {} {name}{required}{}{terms} = {sum} {verdict}",
                t.id,
                self.colon()
            ));
        }
        let star = self.t("score star", "得分星级");
        self.line(format!("  → {star} {}", tr.score_star));
    }

    fn floors(&mut self, tr: &Trace) {
        for f in &tr.floors {
            let verdict = if f.binds {
                format!("< {} → {} {}", d(f.below), self.t("cap", "封顶"), f.cap)
            } else {
                let not = self.t("not binding", "不受限");
                format!("≥ {} → {not}", d(f.below))
            };
            self.line(format!(
                "{} {} {}{}{}L = 100 × {} / {} = {} {verdict}  [{}]",
                self.t("Floor", "层级底线"),
                f.id,
                self.name(&f.name, &f.name_zh),
                self.aside(&show(Code::Level, f.level.as_str(), self.lang)),
                self.colon(),
                v(tr, f.sum),
                d(f.points),
                v(tr, f.rating),
                f.sources.join(", ")
            ));
        }
    }

    fn caps(&mut self, tr: &Trace) {
        let caps: Vec<String> = tr
            .caps
            .iter()
            .map(|c| match c {
                Cap::RedLine { item, cap } => {
                    format!("{} {item} → {cap}", self.t("red line", "红线"))
                }
                Cap::BottomLine { indicator, cap } => {
                    let missed = self.t("bottom line missed", "未达底线");
                    format!("{missed} {indicator} → {cap}")
                }
                Cap::Floor { floor, cap } => {
                    format!("{} {floor} → {cap}", self.t("floor missed", "未达层级底线"))
                }
            })
            .collect();
        let caps = if caps.is_empty() {
            self.t("none", "无").to_string()
        } else {
            caps.join(self.list_sep())
        };
        let (label, star) = (self.t("Caps", "封顶"), self.t("star", "星级"));
        let colon = self.colon();
        self.line(format!("{label}{colon}{caps} → {star} {}", tr.capped_star));
    }

    fn review(&mut self, tr: &Trace) {
        let required = show_list(Code::Departments, &tr.required, self.lang);
        let (label, req) = (
            self.t("Town review", "镇级审核"),
            self.t("required", "须征求意见"),
        );
        let colon = self.colon();
        let asked = self.aside(&format!("{req}{colon}{required}"));
        self.line(format!("{label}{asked}{}", colon.trim_end()));
        for rv in &tr.reviews {
            let dept = self.c(Code::Department, &rv.department);
            let opinion = self.c(Code::Opinion, rv.opinion.as_str());
            self.line(format!("  {dept} {opinion} {}  [{}]", rv.note, rv.source));
        }
        if tr.reviews.is_empty() {
            self.line(format!("  {}", self.t("no opinions", "无意见")));
        }
        let lang = self.lang;
        let outcome = match &tr.review {
            None => self
                .t(
                    "not needed (below five stars after caps)",
                    "无需审核（封顶后不足五星）",
                )
                .to_string(),
            Some(Review5::Approved) => self
                .t("all required departments approve", "各部门均同意")
                .to_string(),
            Some(Review5::Objected(v)) => {
                let label = self.t("objected by", "有异议");
                format!("{label}{}{}", self.colon(), departments(v, lang))
            }
            Some(Review5::Pending(v)) => {
                let label = self.t("no opinion yet from", "尚未反馈意见");
                format!("{label}{}{}", self.colon(), departments(v, lang))
            }
        };
        self.line(format!("  → {outcome}"));
    }

    fn quota(&mut self, tr: &Trace, q: &QuotaTrace) {
        let per_shown = show(Code::QuotaPer, q.per.as_str(), self.lang);
        let group = if q.group.is_empty() {
            self.t("the whole workspace", "全工作区").to_string()
        } else {
            format!("{per_shown} {}", q.group)
        };
        let (at_least, score) = (q.at_least, fmt2(tr.score));
        let verdict = match (q.ranked, q.past_limit) {
            (false, _) => self
                .t(
                    "not ranked (not approved at five stars)",
                    "不参与排名（未经审核通过五星）",
                )
                .to_string(),
            (true, false) => msg_in!(
                self.lang,
                "{at_least} approved score at least {score}: within the limit, keeps five stars",
                "得分不低于 {score} 的审核通过支部 {at_least} 个，未超名额，保留五星"
            ),
            (true, true) => msg_in!(
                self.lang,
                "{at_least} approved score at least {score}: past the limit, four stars",
                "得分不低于 {score} 的审核通过支部 {at_least} 个，超出名额，评为四星"
            ),
        };
        let (five, per, n, limit) = (d(q.five), q.per.as_str(), q.n, q.limit);
        let scores: Vec<String> = q.approved.iter().map(|f| fmt2(*f)).collect();
        let scores = scores.join(self.t(", ", "、"));
        self.line(msg_in!(
            self.lang,
            "Quota: five {five} per {per}; group {group}: n {n}, limit ⌊{five} × {n}⌋ = {limit}; approved F: {scores}; {verdict}",
            "五星名额：比例 {five}，按{per_shown}分组；{group}：参评 {n} 个，名额 ⌊{five} × {n}⌋ = {limit}；审核通过得分：{scores}；{verdict}"
        ));
    }

    /// The records of the year (see [`super::explain_records`]).
    fn ballots(&mut self, tr: &Trace) {
        for l in super::explain_records::ballots(tr, self.lang) {
            self.line(l);
        }
    }

    fn deductions(&mut self, tr: &Trace) {
        for l in super::explain_records::deductions(tr, self.lang) {
            self.line(l);
        }
    }

    fn objections(&mut self, tr: &Trace) {
        for l in super::explain_records::objections(tr, self.lang) {
            self.line(l);
        }
    }

    fn decision(&mut self, tr: &Trace) {
        for l in super::explain_records::decision(tr, self.lang) {
            self.line(l);
        }
    }

    fn star(&mut self, tr: &Trace) {
        let sep = self.t(", ", "，");
        self.line(format!(
            "{} {}{sep}{} {}{sep}{} {}",
            self.t("Star", "星级"),
            tr.star,
            self.t("status", "状态"),
            self.c(Code::Status, tr.status.as_str()),
            self.t("tier", "分类"),
            self.c(Code::Tier, tr.tier.as_str())
        ));
        let Some(g) = &tr.gap else {
            self.line(self.t(
                "Gap to the next star: none (five stars)",
                "距上一星级：已是五星",
            ));
            return;
        };
        let theme = g.theme.and_then(|k| tr.themes.get(usize::from(k)));
        let pts = match (g.points, theme) {
            (Some(p), Some(t)) => {
                let (p, id, zh, en) = (fmt2(p), &t.id, &t.name_zh, &t.name);
                msg_in!(self.lang, "{p} points in {id} {en}", "{id} {zh} 差 {p} 分")
            }
            (Some(p), None) => format!("{} {}", fmt2(p), self.t("points", "分")),
            // By themes, below the next star with every theme earned: none is left to earn.
            (None, _) if !tr.themes.is_empty() && tr.score_star < g.next => {
                self.t("every theme is earned", "所有主题星均已获得").into()
            }
            (None, _) => self.t("score suffices", "分数已够").into(),
        };
        let blocked = if g.blocked_by.is_empty() {
            String::new()
        } else {
            let by = show_list(Code::BlockedBy, &g.blocked_by, self.lang);
            let (sep, colon) = (self.t("; ", "；"), self.colon());
            format!("{sep}{}{colon}{by}", self.t("blocked by", "受限于"))
        };
        let (to, colon) = (self.t("Gap to", "距"), self.colon());
        self.line(format!("{to} {}★{colon}{pts}{blocked}", g.next));
    }
}

/// `w_l × s_{i,l}` of the cells an indicator has, joined by ` + `.
fn terms(tr: &Trace, ind: &IndicatorTrace) -> String {
    let terms: Vec<String> = tr
        .weights
        .iter()
        .zip(&ind.cells)
        .filter_map(|((_, w), c)| Some(format!("{} × {}", d(*w), v(tr, c.as_ref()?.value))))
        .collect();
    terms.join(" + ")
}

/// The indicators' e_i, joined by ` + `: what B sums.
fn parts(tr: &Trace) -> String {
    let parts: Vec<String> = tr.indicators.iter().map(|i| v(tr, i.combined)).collect();
    parts.join(" + ")
}

// ---------------------------------------------------------------------------------------
// JSON, one document.

/// The trace as one JSON document (keys and codes in English, numbers as exact strings;
/// only a red line's `effect` is in the reader's language, as it has always been).
pub fn json(tr: &Trace, lang: Lang) -> J {
    let mut j = Map::new();
    j.insert("branch".into(), json!(tr.branch));
    j.insert("name".into(), json!(tr.name));
    j.insert("domain".into(), json!(tr.domain.as_str()));
    j.insert("year".into(), json!(tr.year));
    j.insert("evaluated".into(), json!(tr.evaluated.to_string()));
    j.insert(
        "standard".into(),
        json!({"common": tr.standard.common_file, "domain": tr.standard.domain_file}),
    );
    let weights = tr.weights.iter();
    let weights = weights.map(|(l, w)| (l.as_str().to_string(), json!(d(*w))));
    j.insert("weights".into(), J::Object(weights.collect()));
    let indicators = tr
        .indicators
        .iter()
        .map(|i| json_indicator(tr, i))
        .collect();
    j.insert("indicators".into(), J::Array(indicators));
    let events = tr.events.iter().map(|e| json_event(e, lang));
    j.insert("events".into(), J::Array(events.collect()));
    json_score(&mut j, tr);
    j.insert(
        "caps".into(),
        J::Array(tr.caps.iter().map(json_cap).collect()),
    );
    let reviews = tr.reviews.iter().map(|rv| {
        json!({"department": rv.department, "opinion": rv.opinion.as_str(), "note": rv.note, "source": rv.source})
    });
    j.insert("reviews".into(), J::Array(reviews.collect()));
    if let Some(q) = &tr.quota {
        j.insert("quota".into(), q.as_ref().map_or(J::Null, json_quota));
    }
    // The records of the year, only for a branch that has any.
    if let Some(records) = super::explain_records::json(&tr.records) {
        j.insert("records".into(), records);
    }
    j.insert("star".into(), json!(tr.star));
    j.insert("status".into(), json!(tr.status.as_str()));
    j.insert("tier".into(), json!(tr.tier.as_str()));
    j.insert("gap".into(), json_gap(tr));
    J::Object(j)
}

/// An event item of the branch's year, with its effect on the score or the star.
fn json_event(e: &EventTrace, lang: Lang) -> J {
    let effect = match e.kind {
        ItemKind::Incentive(p) => format!("+{}", d(p)),
        ItemKind::Restraint(p) => format!("−{}", d(p)),
        ItemKind::RedLine(c) => format!("{} {c}", lang.t("cap", "封顶")),
    };
    json!({"item": e.item, "kind": e.kind.as_str(), "date": e.date.to_string(), "note": e.note, "effect": effect, "source": e.source})
}

/// The gap to the next star (null at five): its points, what blocks it, and its theme
/// where the standard rates by themes.
fn json_gap(tr: &Trace) -> J {
    tr.gap.as_ref().map_or(J::Null, |g| {
        let mut gap =
            json!({"next": g.next, "points": g.points.map(fmt2), "blocked_by": g.blocked_by});
        // The theme of the gap, only where the standard rates by themes.
        if let (false, J::Object(o)) = (tr.themes.is_empty(), &mut gap) {
            let theme = g.theme.and_then(|k| tr.themes.get(usize::from(k)));
            o.insert("theme".into(), json!(theme.map(|t| &t.id)));
        }
        gap
    })
}

fn json_indicator(tr: &Trace, ind: &IndicatorTrace) -> J {
    let levels: Map<String, J> = Level::ALL
        .iter()
        .zip(&ind.cells)
        .map(|(l, c)| {
            let v = c.as_ref().map_or(J::Null, |c| {
                let mut v =
                    json!({"score": v(tr, c.value), "overall": c.overall.map(d), "source": c.source});
                // A cell of the records says so (a sheet's cell is as it always was).
                if let (Some(rec), J::Object(m)) = (&c.record, &mut v) {
                    let from = match rec {
                        RecordCell::Survey => "surveys",
                        RecordCell::Deducted { taken } => {
                            m.insert("deducted".into(), json!(d(*taken)));
                            "deductions"
                        }
                    };
                    m.insert("from".into(), json!(from));
                }
                v
            });
            (l.as_str().to_string(), v)
        })
        .collect();
    json!({
        "id": ind.id, "name": ind.name, "name_zh": ind.name_zh, "points": d(ind.points),
        "bottom_line": ind.bottom_line.map(d), "levels": levels, "combined": v(tr, ind.combined),
    })
}

/// Base to score star, with the floors (when the standard has any) before the score star.
fn json_score(j: &mut Map<String, J>, tr: &Trace) {
    j.insert("base_exact".into(), json!(v(tr, tr.base)));
    j.insert("base".into(), json!(fmt2(tr.base)));
    j.insert("incentives".into(), json!(d(tr.incentives)));
    j.insert("bonus_cap".into(), json!(d(tr.bonus_cap)));
    j.insert("bonus".into(), json!(fmt2(tr.bonus)));
    j.insert("deduction".into(), json!(fmt2(tr.deduction)));
    j.insert("score_exact".into(), json!(v(tr, tr.exact_score)));
    j.insert("score".into(), json!(fmt2(tr.score)));
    let th = &tr.thresholds;
    let mut t =
        json!({"five": d(th.five), "four": d(th.four), "three": d(th.three), "two": d(th.two)});
    // The local rules' keys only where the standard uses them: other outputs stay as they were.
    if let (Some(one), J::Object(t)) = (th.one, &mut t) {
        t.insert("one".into(), json!(d(one)));
    }
    j.insert("thresholds".into(), t);
    if !tr.themes.is_empty() {
        j.insert("stars_by".into(), json!("themes"));
        j.insert(
            "themes".into(),
            J::Array(tr.themes.iter().map(json_theme).collect()),
        );
    }
    if !tr.floors.is_empty() {
        let floors = tr.floors.iter().map(|f| {
            json!({
                "id": f.id, "level": f.level.as_str(), "rating": v(tr, f.rating), "below": d(f.below),
                "cap": f.cap, "binds": f.binds, "sources": f.sources,
            })
        });
        j.insert("floors".into(), J::Array(floors.collect()));
    }
    j.insert("score_star".into(), json!(tr.score_star));
}

fn json_theme(t: &ThemeTrace) -> J {
    // Their e_i are in the document's `indicators`.
    let indicators: Vec<&str> = t.indicators.iter().map(|(id, _)| id.as_str()).collect();
    json!({
        "id": t.id, "name": t.name, "name_zh": t.name_zh, "required": t.required,
        "pass": d(t.pass), "points": d(t.points), "line": d(t.line), "indicators": indicators,
        "sum": d(t.sum), "earned": t.earned,
    })
}

fn json_cap(c: &Cap) -> J {
    let (kind, source, cap) = cap_parts(c);
    json!({"kind": kind, "source": source, "cap": cap})
}

fn json_quota(q: &QuotaTrace) -> J {
    let scores: Vec<String> = q.approved.iter().map(|f| fmt2(*f)).collect();
    json!({
        "five": d(q.five), "per": q.per.as_str(), "group": q.group, "n": q.n, "limit": q.limit,
        "approved": scores, "at_least": q.at_least, "ranked": q.ranked,
        "kept": q.ranked && !q.past_limit,
    })
}

/// A cap's kind (`red_line`, `bottom_line`, `floor`), what set it, and the cap.
fn cap_parts(c: &Cap) -> (&'static str, &str, u8) {
    match c {
        Cap::RedLine { item, cap } => ("red_line", item, *cap),
        Cap::BottomLine { indicator, cap } => ("bottom_line", indicator, *cap),
        Cap::Floor { floor, cap } => ("floor", floor, *cap),
    }
}

// ---------------------------------------------------------------------------------------
// Rows, for CSV, Markdown and workbooks.

/// The trace as rows, one per step: `branch`, `step` (a fixed English key), `item` (the
/// indicator, level, event item, department… the step is about), `value` (exact, never
/// signed: what a restraint deducts is in a `restraint` row), `source` (file:line[:column])
/// and `detail`.
pub fn rows(tr: &Trace, lang: Lang) -> Report<'static> {
    let mut st = Steps {
        branch: tr.branch.clone(),
        rows: Vec::new(),
        lang,
    };
    st.head(tr);
    st.indicators(tr);
    st.score(tr);
    st.floors(tr);
    st.caps_and_review(tr);
    if let Some(Some(q)) = &tr.quota {
        st.quota(q);
    }
    for (step, item, value, source, detail) in super::explain_records::rows(&tr.records) {
        st.push(step, &item, &value, &source, &detail);
    }
    st.star(tr);
    let title = msg_in!(
        lang,
        "{} {} — how the {} rating was reached",
        "{} {} {}年度星级评定过程",
        tr.branch,
        tr.name,
        tr.year
    );
    st.report(title)
}

struct Steps {
    branch: String,
    rows: Vec<Vec<Value<'static>>>,
    /// The language of the texts of the rows (names, formulas); codes stay codes.
    lang: Lang,
}

/// A code value (shown in the reader's language).
fn code(kind: Code, code: impl Into<String>) -> Value<'static> {
    Value::code(kind, code.into())
}

fn text_value(s: impl Into<String>) -> Value<'static> {
    Value::text(s.into())
}

/// A step's value: a number when it is one exact decimal, written as it is written (a
/// workbook's cell then adds up); else text (`22.1724137931…`, `+2`, a code).
fn number_value(s: &str) -> Value<'static> {
    match crate::decimal::parse(s) {
        Ok(d) if fmt_plain(d) == s => Value::Num(d),
        Ok(d) if fmt2(d) == s => Value::Dec(d),
        _ => text_value(s),
    }
}

impl Steps {
    fn push(&mut self, step: &'static str, item: &str, value: &str, source: &str, detail: &str) {
        self.coded(
            step,
            text_value(item),
            text_value(value),
            source,
            text_value(detail),
        );
    }

    /// A step whose item, value or detail may be codes (shown in the reader's language).
    fn coded(
        &mut self,
        step: &'static str,
        item: Value<'static>,
        value: Value<'static>,
        source: &str,
        detail: Value<'static>,
    ) {
        // A value that is one exact decimal is a number (a workbook's cell adds up).
        let value = match value {
            Value::Text(s) => number_value(&s),
            other => other,
        };
        self.rows.push(vec![
            Value::text(self.branch.clone()),
            Value::code(Code::Step, step),
            item,
            value,
            Value::text(source.to_string()),
            detail,
        ]);
    }

    fn head(&mut self, tr: &Trace) {
        let s = &tr.standard;
        // The standard's name: English then Chinese in English, the Chinese one in Chinese.
        let (name, other) = match self.lang {
            Lang::En => (s.name.clone(), s.name_zh.clone()),
            Lang::Zh => (s.name_zh.clone(), String::new()),
        };
        self.coded(
            "standard",
            code(Code::Domain, tr.domain.as_str()),
            text_value(name),
            &format!("{}; {}", s.common_file, s.domain_file),
            text_value(other),
        );
        for (l, w) in &tr.weights {
            let (level, w) = (code(Code::Level, l.as_str()), text_value(d(*w)));
            self.coded("weight", level, w, "", Value::Null);
        }
    }

    fn indicators(&mut self, tr: &Trace) {
        for ind in &tr.indicators {
            for (l, cell) in Level::ALL.iter().zip(&ind.cells) {
                let item = code(Code::IndicatorLevel, format!("{}.{}", ind.id, l.as_str()));
                let Some(c) = cell else {
                    self.coded("score", item, text_value(""), "", text_value(""));
                    continue;
                };
                let how = match &c.record {
                    Some(RecordCell::Survey) => Some(format!("{} × R / 100", d(ind.points))),
                    Some(RecordCell::Deducted { taken }) => {
                        Some(format!("{} − {}", d(ind.points), d(*taken)))
                    }
                    None => c.overall.map(|o| {
                        let (p, o) = (d(ind.points), d(o));
                        msg_in!(
                            self.lang,
                            "{p} × overall {o} / 100",
                            "{p} × 总体评价 {o} / 100"
                        )
                    }),
                };
                let (value, how) = (
                    text_value(v(tr, c.value)),
                    text_value(how.unwrap_or_default()),
                );
                self.coded("score", item, value, &c.source, how);
            }
            self.push(
                "combined",
                &ind.id,
                &v(tr, ind.combined),
                "",
                &terms(tr, ind),
            );
        }
    }

    fn score(&mut self, tr: &Trace) {
        let base = format!("{} = {}", parts(tr), fmt2(tr.base));
        self.push("base", "", &v(tr, tr.base), "", &base);
        for e in &tr.events {
            let (step, value) = match e.kind {
                ItemKind::Incentive(p) => ("incentive", d(p)),
                ItemKind::Restraint(p) => ("restraint", d(p)),
                ItemKind::RedLine(c) => ("red_line", c.to_string()),
            };
            let detail = format!("{} {}", e.date, e.note);
            self.push(step, &e.item, &value, &e.source, detail.trim_end());
        }
        self.push("incentives", "", &d(tr.incentives), "", "");
        self.push("bonus_cap", "", &d(tr.bonus_cap), "", "");
        self.push("bonus", "", &d(tr.bonus), "", "");
        self.push("deduction", "", &d(tr.deduction), "", "");
        self.push("score_exact", "", &v(tr, tr.exact_score), "", "");
        let rounded = code(Code::Step, "rounded half up");
        self.coded(
            "score",
            text_value(""),
            text_value(fmt2(tr.score)),
            "",
            rounded,
        );
        let th = &tr.thresholds;
        let named = [
            ("five", th.five),
            ("four", th.four),
            ("three", th.three),
            ("two", th.two),
        ];
        for (k, v) in named.into_iter().chain(th.one.map(|o| ("one", o))) {
            let (k, v) = (code(Code::Threshold, k), text_value(d(v)));
            self.coded("threshold", k, v, "", text_value(""));
        }
        self.themes(tr);
        self.push("score_star", "", &tr.score_star.to_string(), "", "");
    }

    /// Step 5 by themes: each theme's pass line (pass × Σ p_i of its indicators), then its
    /// sum Σ e_i, earned or not.
    fn themes(&mut self, tr: &Trace) {
        for t in &tr.themes {
            let ids: Vec<&str> = t.indicators.iter().map(|(id, _)| id.as_str()).collect();
            let how = format!("{} × {} ({})", d(t.pass), d(t.points), ids.join("+"));
            self.push("theme_line", &t.id, &d(t.line), "", &how);
            let earned = code(Code::Step, if t.earned { "earned" } else { "not earned" });
            let (id, sum) = (text_value(t.id.clone()), text_value(d(t.sum)));
            self.coded("theme", id, sum, "", earned);
        }
    }

    fn floors(&mut self, tr: &Trace) {
        for f in &tr.floors {
            let cap = if f.binds {
                f.cap.to_string()
            } else {
                "-".into()
            };
            let level = show(Code::Level, f.level.as_str(), self.lang);
            let detail = format!("{level} < {} → {cap}", d(f.below));
            self.push(
                "floor",
                &f.id,
                &v(tr, f.rating),
                &f.sources.join(";"),
                &detail,
            );
        }
    }

    fn caps_and_review(&mut self, tr: &Trace) {
        for c in &tr.caps {
            let (kind, id, n) = cap_parts(c);
            let (id, n) = (text_value(id), text_value(n.to_string()));
            self.coded("cap", id, n, "", code(Code::Step, kind));
        }
        self.push("capped_star", "", &tr.capped_star.to_string(), "", "");
        for rv in &tr.reviews {
            let dept = code(Code::Department, rv.department.clone());
            let opinion = code(Code::Opinion, rv.opinion.as_str());
            let note = text_value(rv.note.clone());
            self.coded("review", dept, opinion, &rv.source, note);
        }
        let (review, who) = match &tr.review {
            None => ("not_needed", String::new()),
            Some(Review5::Approved) => ("approved", String::new()),
            Some(Review5::Objected(v)) => ("objected", v.join(";")),
            Some(Review5::Pending(v)) => ("pending_review", v.join(";")),
        };
        let (review, who) = (code(Code::Status, review), code(Code::Departments, who));
        self.coded("review_outcome", text_value(""), review, "", who);
    }

    fn quota(&mut self, q: &QuotaTrace) {
        let verdict = match (q.ranked, q.past_limit) {
            (false, _) => self.lang.t("not_ranked", "不参与排名"),
            (true, false) => self.lang.t("kept", "保留五星"),
            (true, true) => self.lang.t("quota", "超出名额"),
        };
        let n = q.n;
        let (ranked, detail) = (
            format!("{}/{}", q.at_least, q.limit),
            msg_in!(self.lang, "n {n}; {verdict}", "参评 {n}；{verdict}"),
        );
        self.push("quota", &q.group, &ranked, "", &detail);
    }

    fn star(&mut self, tr: &Trace) {
        self.push("star", "", &tr.star.to_string(), "", "");
        let status = code(Code::Status, tr.status.as_str());
        self.coded("status", text_value(""), status, "", text_value(""));
        let tier = code(Code::Tier, tr.tier.as_str());
        self.coded("tier", text_value(""), tier, "", text_value(""));
        match &tr.gap {
            None => {
                let five = code(Code::Step, "five stars");
                self.coded("gap", text_value(""), text_value(""), "", five);
            }
            Some(g) => {
                let next = text_value(g.next.to_string());
                let points = text_value(g.points.map(fmt2).unwrap_or_default());
                let by = code(Code::BlockedBy, g.blocked_by.join(";"));
                self.coded("gap", next, points, "", by);
                if let Some(t) = g.theme.and_then(|k| tr.themes.get(usize::from(k))) {
                    let points = g.points.map(fmt2).unwrap_or_default();
                    let detail = match self.lang {
                        Lang::En => format!("{} / {}", t.name, t.name_zh),
                        Lang::Zh => t.name_zh.clone(),
                    };
                    self.push("gap_theme", &t.id, &points, "", &detail);
                }
            }
        }
    }

    fn report(self, title: String) -> Report<'static> {
        let mut rep = Report::new(
            title,
            vec![
                Column::new("branch", "Branch", "支部编号"),
                Column::new("step", "Step", "步骤"),
                Column::new("item", "Item", "项目"),
                Column::new("value", "Value", "数值"),
                Column::new("source", "Source", "来源"),
                Column::new("detail", "Detail", "说明"),
            ],
        );
        rep.rows = self.rows;
        rep
    }
}

/// Review departments as the reader reads them: `a, b` in English, `纪检监察、行政执法` in
/// Chinese.
fn departments(v: &[String], lang: Lang) -> String {
    show_list(Code::Departments, v, lang)
}

/// Text followed by spaces up to `width` columns of a fixed-width font (a Chinese
/// character takes two).
fn padded(s: &str, width: usize) -> String {
    let w: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
