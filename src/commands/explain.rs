//! `stars explain BRANCH`: how one branch's rating was reached, every number traced to its
//! source (file, line and column of each cell and event).

use super::history::unknown_branch;
use super::Ctx;
use crate::decimal::{fmt2, fmt_plain};
use crate::followup::gap::gap;
use crate::i18n::Lang;
use crate::problem::Outcome;
use crate::rate::{Cap, Review5};
use crate::render::codes::show;
use crate::render::{Code, Column, Format, Report, Value};
use crate::standard::{ItemKind, Level};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value as J};

fn d(x: Decimal) -> String {
    fmt_plain(x)
}

/// The trace as rows, one per step, for CSV, Markdown and workbooks: `branch`, `step` (a
/// fixed English key), `item` (the indicator, level, event item, department… the step is
/// about), `value` (exact, never signed: what a restraint deducts is in a `restraint` row),
/// `source` (file:line[:column]) and `detail`.
struct Steps {
    branch: String,
    rows: Vec<Vec<Value<'static>>>,
}

impl Steps {
    fn push(&mut self, step: &'static str, item: &str, value: &str, source: &str, detail: &str) {
        let t = |s: &str| Value::text(s.to_string());
        self.coded(step, t(item), t(value), source, t(detail));
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
        self.rows.push(vec![
            Value::text(self.branch.clone()),
            Value::code(Code::Step, step),
            item,
            value,
            Value::text(source.to_string()),
            detail,
        ]);
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

pub fn run(ctx: &Ctx, id: &str) -> Outcome<()> {
    let ws = &ctx.workspace()?;
    let year = ctx.year(ws)?;
    let Some(b) = ws.branch(id) else {
        return Err(unknown_branch(ws, id).into());
    };
    let data = &mut super::load_year_detail(ws, year, b)?;
    let data = &*data;
    let rater = crate::rate::YearRater::new(ws, data);
    let mut rating = None;
    rater.rate_range(b..b + 1, |_, r| rating = Some(r));
    let br = &ws.branches[b];
    let Some(r) = &rating else {
        let mut p = crate::problem::Problems::new();
        p.push(crate::problem::Problem::file(
            crate::workspace::join_shown(&ws.shown, "branches.csv"),
            {
                let (year, span) = (data.year, br.span_text());
                crate::i18n::msg!(
                    "branch `{id}` is not rated in {year} ({span})",
                    "支部“{id}”不参加 {year} 年度评定（{span}）"
                )
            },
        ));
        return Err(p.into());
    };
    let Some(std) = ws.standards.get(br.domain) else {
        return Ok(());
    };
    let s = &std.settings;
    let lang = ctx.lang;
    let cells = data
        .scores
        .detail
        .as_ref()
        .map(|(_, c)| c.as_slice())
        .unwrap_or_default();
    let sheet = |f: usize| data.scores.names.get(f).cloned().unwrap_or_default();

    let mut t = String::new();
    let mut j = Map::new();
    let mut st = Steps {
        branch: br.id.to_string(),
        rows: Vec::new(),
    };
    st.coded(
        "standard",
        Value::code(Code::Domain, br.domain.as_str()),
        Value::text(std.name.clone()),
        &format!("{}; {}", std.common_file, std.domain_file),
        Value::text(std.name_zh.clone()),
    );
    for l in Level::ALL {
        st.coded(
            "weight",
            Value::code(Code::Level, l.as_str()),
            Value::text(d(s.weight(l))),
            "",
            Value::Null,
        );
    }
    // A code as the reader reads it.
    let c = |kind: Code, code: &str| show(kind, code, lang).into_owned();
    let line = |t: &mut String, s: String| {
        t.push_str(&s);
        t.push('\n');
    };
    line(
        &mut t,
        format!(
            "{} {} — {} {}, {} {}",
            br.id,
            br.name,
            lang.t("domain", "领域"),
            match lang {
                Lang::En => format!("{} ({})", br.domain, br.domain.zh()),
                Lang::Zh => br.domain.zh().to_string(),
            },
            data.year,
            match lang {
                Lang::En => format!("evaluated {}", data.evaluated),
                Lang::Zh => format!("评定日期 {}", data.evaluated),
            }
        ),
    );
    line(
        &mut t,
        format!(
            "{}: {} / {} ({} + {})",
            lang.t("Standard", "评星标准"),
            std.name,
            std.name_zh,
            std.common_file,
            std.domain_file
        ),
    );
    let weights: Vec<String> = Level::ALL
        .iter()
        .map(|l| format!("{} {}", c(Code::Level, l.as_str()), d(s.weight(*l))))
        .collect();
    line(
        &mut t,
        format!(
            "{}: {}",
            lang.t("Level weights", "三级联评权重"),
            weights.join(", ")
        ),
    );
    j.insert("branch".into(), json!(br.id));
    j.insert("name".into(), json!(br.name));
    j.insert("domain".into(), json!(br.domain.as_str()));
    j.insert("year".into(), json!(data.year));
    j.insert("evaluated".into(), json!(data.evaluated.to_string()));
    j.insert(
        "standard".into(),
        json!({"common": std.common_file, "domain": std.domain_file}),
    );
    j.insert(
        "weights".into(),
        J::Object(
            Level::ALL
                .iter()
                .map(|l| (l.as_str().to_string(), json!(d(s.weight(*l)))))
                .collect(),
        ),
    );

    line(&mut t, String::new());
    line(&mut t, lang.t("Indicators", "指标得分").to_string());
    let mut jind = Vec::new();
    let combined = data.scores.combined(b, std.indicators.len());
    for (i, (ind, e)) in std.indicators.iter().zip(&combined).enumerate() {
        let bl = ind
            .bottom_line
            .map(|b| format!(", {} {}", lang.t("bottom line", "底线"), d(b)))
            .unwrap_or_default();
        line(
            &mut t,
            format!(
                "  {} {} / {} — {} {}{bl}",
                ind.id,
                ind.name_zh,
                ind.name,
                lang.t("points", "满分"),
                d(ind.points)
            ),
        );
        let mut terms = Vec::new();
        let mut jl = Map::new();
        for l in Level::ALL {
            let cell = cells.get(i).and_then(|c| c[l.index()].as_ref());
            match cell {
                Some(c) => {
                    let src = format!("{}:{}:{}", sheet(c.file), c.line, c.column);
                    let how = match c.overall {
                        Some(o) => format!(
                            "{} × {} {} / 100",
                            d(ind.points),
                            lang.t("overall", "总体评价"),
                            d(o)
                        ),
                        None => lang.t("score", "得分").to_string(),
                    };
                    line(
                        &mut t,
                        format!(
                            "    {} {:>8}  {how}  [{src}]",
                            padded(&show(Code::Level, l.as_str(), lang), 13),
                            d(c.value)
                        ),
                    );
                    terms.push(format!("{} × {}", d(s.weight(l)), d(c.value)));
                    st.coded(
                        "score",
                        Value::code(Code::IndicatorLevel, format!("{}.{}", ind.id, l.as_str())),
                        Value::text(d(c.value)),
                        &src,
                        Value::text(
                            c.overall
                                .map(|o| format!("{} × overall {} / 100", d(ind.points), d(o)))
                                .unwrap_or_default(),
                        ),
                    );
                    jl.insert(
                        l.as_str().into(),
                        json!({"score": d(c.value), "overall": c.overall.map(d), "source": src}),
                    );
                }
                None => {
                    st.coded(
                        "score",
                        Value::code(Code::IndicatorLevel, format!("{}.{}", ind.id, l.as_str())),
                        Value::text(""),
                        "",
                        Value::text(""),
                    );
                    line(
                        &mut t,
                        format!(
                            "    {} {:>8}",
                            padded(&show(Code::Level, l.as_str(), lang), 13),
                            "—"
                        ),
                    );
                    jl.insert(l.as_str().into(), J::Null);
                }
            }
        }
        line(
            &mut t,
            format!(
                "    {} = {} = {}",
                lang.t("combined", "加权得分"),
                terms.join(" + "),
                d(*e)
            ),
        );
        st.push("combined", &ind.id, &d(*e), "", &terms.join(" + "));
        jind.push(json!({
            "id": ind.id, "name": ind.name, "name_zh": ind.name_zh, "points": d(ind.points),
            "bottom_line": ind.bottom_line.map(d), "levels": jl, "combined": d(*e),
        }));
    }
    j.insert("indicators".into(), J::Array(jind));

    line(&mut t, String::new());
    let parts: Vec<String> = combined.iter().map(|e| d(*e)).collect();
    line(
        &mut t,
        format!(
            "{} B = {} = {} ({} {})",
            lang.t("Base", "基础分"),
            parts.join(" + "),
            d(r.base),
            lang.t("shown as", "显示为"),
            fmt2(r.base)
        ),
    );
    st.push(
        "base",
        "",
        &d(r.base),
        "",
        &format!("{} = {}", parts.join(" + "), fmt2(r.base)),
    );
    let mut jev = Vec::new();
    let events = data.events_of(b);
    if events.is_empty() {
        line(
            &mut t,
            format!(
                "{}: {}",
                lang.t("Events", "加减分及红线事项"),
                lang.t("none", "无")
            ),
        );
    } else {
        line(&mut t, format!("{}:", lang.t("Events", "加减分及红线事项")));
    }
    for e in events {
        let Some(item) = std.item(&e.item) else {
            continue;
        };
        let effect = match item.kind {
            ItemKind::Incentive(p) => format!("+{}", d(p)),
            ItemKind::Restraint(p) => format!("−{}", d(p)),
            ItemKind::RedLine(c) => format!("{} {c}", lang.t("cap", "封顶")),
        };
        let src = format!("{}:{}", e.file, e.line);
        let (step, value) = match item.kind {
            ItemKind::Incentive(p) => ("incentive", d(p)),
            ItemKind::Restraint(p) => ("restraint", d(p)),
            ItemKind::RedLine(c) => ("red_line", c.to_string()),
        };
        st.push(
            step,
            &item.id,
            &value,
            &src,
            format!("{} {}", e.date, e.note).trim_end(),
        );
        line(
            &mut t,
            format!(
                "  {} {} ({}) {} {effect}  {}  [{src}]",
                item.id,
                item.name_zh,
                c(Code::Kind, item.kind.as_str()),
                e.date,
                e.note
            ),
        );
        jev.push(json!({"item": item.id, "kind": item.kind.as_str(), "date": e.date.to_string(), "note": e.note, "effect": effect, "source": src}));
    }
    j.insert("events".into(), J::Array(jev));
    line(
        &mut t,
        format!(
            "{} = min({} {}, {} {}) = {}",
            lang.t("Bonus", "加分"),
            lang.t("incentives", "激励合计"),
            d(r.incentives),
            lang.t("cap", "上限"),
            d(s.bonus_cap),
            d(r.bonus)
        ),
    );
    line(
        &mut t,
        format!("{} = {}", lang.t("Deduction", "扣分"), d(r.deduction)),
    );
    line(
        &mut t,
        format!(
            "{} F = max(0, {} + {} − {}) = {} → {} {}",
            lang.t("Score", "总分"),
            d(r.base),
            d(r.bonus),
            d(r.deduction),
            d(r.exact_score),
            lang.t("rounded half up", "四舍五入"),
            fmt2(r.score)
        ),
    );
    let th = &s.stars;
    let one = th
        .one
        .map(|o| {
            format!(
                ", {} {} ({})",
                c(Code::Threshold, "one"),
                d(o),
                lang.t("below: no star", "低于此不评星")
            )
        })
        .unwrap_or_default();
    let names = ["five", "four", "three", "two"].map(|k| c(Code::Threshold, k));
    let [n5, n4, n3, n2] = &names;
    line(
        &mut t,
        format!(
            "{}: {n5} {}, {n4} {}, {n3} {}, {n2} {}{one} → {} {}",
            lang.t("Thresholds", "星级分数线"),
            d(th.five),
            d(th.four),
            d(th.three),
            d(th.two),
            lang.t("score star", "得分星级"),
            r.score_star
        ),
    );
    st.push("incentives", "", &d(r.incentives), "", "");
    st.push("bonus_cap", "", &d(s.bonus_cap), "", "");
    st.push("bonus", "", &d(r.bonus), "", "");
    st.push("deduction", "", &d(r.deduction), "", "");
    st.push("score_exact", "", &d(r.exact_score), "", "");
    st.coded(
        "score",
        Value::text(""),
        Value::text(fmt2(r.score)),
        "",
        Value::code(Code::Step, "rounded half up"),
    );
    for (k, v) in [
        ("five", th.five),
        ("four", th.four),
        ("three", th.three),
        ("two", th.two),
    ] {
        st.coded(
            "threshold",
            Value::code(Code::Threshold, k),
            Value::text(d(v)),
            "",
            Value::text(""),
        );
    }
    if let Some(one) = th.one {
        st.coded(
            "threshold",
            Value::code(Code::Threshold, "one"),
            Value::text(d(one)),
            "",
            Value::text(""),
        );
    }
    st.push("score_star", "", &r.score_star.to_string(), "", "");
    j.insert("base_exact".into(), json!(d(r.base)));
    j.insert("base".into(), json!(fmt2(r.base)));
    j.insert("incentives".into(), json!(d(r.incentives)));
    j.insert("bonus_cap".into(), json!(d(s.bonus_cap)));
    j.insert("bonus".into(), json!(fmt2(r.bonus)));
    j.insert("deduction".into(), json!(fmt2(r.deduction)));
    j.insert("score_exact".into(), json!(d(r.exact_score)));
    j.insert("score".into(), json!(fmt2(r.score)));
    j.insert(
        "thresholds".into(),
        json!({"five": d(th.five), "four": d(th.four), "three": d(th.three), "two": d(th.two)}),
    );
    // The local rules' keys only where the standard uses them: other outputs stay as they were.
    if let (Some(one), Some(J::Object(th))) = (th.one, j.get_mut("thresholds")) {
        th.insert("one".into(), json!(d(one)));
    }
    if !std.floors.is_empty() {
        let f = floors(&mut t, &mut st, std, data, b, cells, lang);
        j.insert("floors".into(), J::Array(f));
    }
    j.insert("score_star".into(), json!(r.score_star));

    let caps: Vec<String> = r
        .caps
        .iter()
        .map(|c| match c {
            Cap::RedLine { item, cap } => format!("{} {item} → {cap}", lang.t("red line", "红线")),
            Cap::BottomLine { indicator, cap } => {
                format!(
                    "{} {indicator} → {cap}",
                    lang.t("bottom line missed", "未达底线")
                )
            }
            Cap::Floor { floor, cap } => {
                format!("{} {floor} → {cap}", lang.t("floor missed", "未达层级底线"))
            }
        })
        .collect();
    line(
        &mut t,
        format!(
            "{}: {} → {} {}",
            lang.t("Caps", "封顶"),
            if caps.is_empty() {
                lang.t("none", "无").to_string()
            } else {
                caps.join(", ")
            },
            lang.t("star", "星级"),
            r.capped_star
        ),
    );
    j.insert(
        "caps".into(),
        J::Array(
            r.caps
                .iter()
                .map(|c| match c {
                    Cap::RedLine { item, cap } => {
                        json!({"kind": "red_line", "source": item, "cap": cap})
                    }
                    Cap::BottomLine { indicator, cap } => {
                        json!({"kind": "bottom_line", "source": indicator, "cap": cap})
                    }
                    Cap::Floor { floor, cap } => {
                        json!({"kind": "floor", "source": floor, "cap": cap})
                    }
                })
                .collect(),
        ),
    );
    for cap in &r.caps {
        let (what, id, n) = match cap {
            Cap::RedLine { item, cap } => ("red_line", item, cap),
            Cap::BottomLine { indicator, cap } => ("bottom_line", indicator, cap),
            Cap::Floor { floor, cap } => ("floor", floor, cap),
        };
        st.coded(
            "cap",
            Value::text(id.clone()),
            Value::text(n.to_string()),
            "",
            Value::code(Code::Step, what),
        );
    }
    st.push("capped_star", "", &r.capped_star.to_string(), "", "");
    let mut jrev = Vec::new();
    let reviews = data.reviews_of(b);
    let required = c(Code::Departments, &s.review_required.join(";"));
    let required = match lang {
        Lang::En => required.replace(';', ", "),
        Lang::Zh => required,
    };
    line(
        &mut t,
        format!(
            "{} ({}: {required}):",
            lang.t("Town review", "镇级审核"),
            lang.t("required", "须征求意见")
        ),
    );
    for rv in reviews {
        let src = format!("{}:{}", rv.file, rv.line);
        line(
            &mut t,
            format!(
                "  {} {} {}  [{src}]",
                c(Code::Department, &rv.department),
                c(Code::Opinion, rv.opinion.as_str()),
                rv.note
            ),
        );
        st.coded(
            "review",
            Value::code(Code::Department, rv.department.to_string()),
            Value::code(Code::Opinion, rv.opinion.as_str()),
            &src,
            Value::text(rv.note.clone()),
        );
        jrev.push(json!({"department": &*rv.department, "opinion": rv.opinion.as_str(), "note": rv.note, "source": src}));
    }
    if reviews.is_empty() {
        line(&mut t, format!("  {}", lang.t("no opinions", "无意见")));
    }
    let outcome = match &r.review {
        None => lang
            .t(
                "not needed (below five stars after caps)",
                "无需审核（封顶后不足五星）",
            )
            .to_string(),
        Some(Review5::Approved) => lang
            .t("all required departments approve", "各部门均同意")
            .to_string(),
        Some(Review5::Objected(v)) => {
            format!(
                "{}: {}",
                lang.t("objected by", "有异议"),
                departments(v, lang)
            )
        }
        Some(Review5::Pending(v)) => format!(
            "{}: {}",
            lang.t("no opinion yet from", "尚未反馈意见"),
            departments(v, lang)
        ),
    };
    let (review, who) = match &r.review {
        None => ("not_needed", String::new()),
        Some(Review5::Approved) => ("approved", String::new()),
        Some(Review5::Objected(v)) => ("objected", v.join(";")),
        Some(Review5::Pending(v)) => ("pending_review", v.join(";")),
    };
    st.coded(
        "review_outcome",
        Value::text(""),
        Value::code(Code::Status, review),
        "",
        Value::code(Code::Departments, who),
    );
    line(&mut t, format!("  → {outcome}"));
    j.insert("reviews".into(), J::Array(jrev));
    if let Some(cut) = rater.quota() {
        j.insert("quota".into(), quota(&mut t, &mut st, cut, br, r, lang));
    }
    line(
        &mut t,
        format!(
            "{} {}, {} {}, {} {}",
            lang.t("Star", "星级"),
            r.star,
            lang.t("status", "状态"),
            c(Code::Status, r.status.as_str()),
            lang.t("tier", "分类"),
            c(Code::Tier, r.tier.as_str())
        ),
    );
    st.push("star", "", &r.star.to_string(), "", "");
    for (step, kind, code) in [
        ("status", Code::Status, r.status.as_str()),
        ("tier", Code::Tier, r.tier.as_str()),
    ] {
        st.coded(
            step,
            Value::text(""),
            Value::code(kind, code),
            "",
            Value::text(""),
        );
    }
    j.insert("star".into(), json!(r.star));
    j.insert("status".into(), json!(r.status.as_str()));
    j.insert("tier".into(), json!(r.tier.as_str()));
    match gap(r, &s.stars) {
        None => {
            line(
                &mut t,
                lang.t(
                    "Gap to the next star: none (five stars)",
                    "距上一星级：已是五星",
                )
                .to_string(),
            );
            j.insert("gap".into(), J::Null);
            st.coded(
                "gap",
                Value::text(""),
                Value::text(""),
                "",
                Value::code(Code::Step, "five stars"),
            );
        }
        Some(g) => {
            let pts = g
                .points
                .map(|p| format!("{} {}", fmt2(p), lang.t("points", "分")))
                .unwrap_or_else(|| lang.t("score suffices", "分数已够").into());
            let blocked = if g.blocked_by.is_empty() {
                String::new()
            } else {
                format!(
                    "; {}: {}",
                    lang.t("blocked by", "受限于"),
                    match lang {
                        Lang::En => g.blocked_by.join(", "),
                        Lang::Zh => c(Code::BlockedBy, &g.blocked_by.join(";")),
                    }
                )
            };
            line(
                &mut t,
                format!("{} {}★: {pts}{blocked}", lang.t("Gap to", "距"), g.next),
            );
            st.coded(
                "gap",
                Value::text(g.next.to_string()),
                Value::text(g.points.map(fmt2).unwrap_or_default()),
                "",
                Value::code(Code::BlockedBy, g.blocked_by.join(";")),
            );
            j.insert(
                "gap".into(),
                json!({"next": g.next, "points": g.points.map(fmt2), "blocked_by": g.blocked_by}),
            );
        }
    }
    // The trace for people as text; JSON as one document; the other formats as rows.
    match ctx.format {
        Format::Json => ctx.emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&J::Object(j)).unwrap_or_default()
        )),
        Format::Table => ctx.emit(&t),
        Format::Csv | Format::Markdown | Format::Xlsx => {
            let title = match lang {
                Lang::En => format!(
                    "{} {} — how the {} rating was reached",
                    br.id, br.name, data.year
                ),
                Lang::Zh => format!("{} {} {}年度星级评定过程", br.id, br.name, data.year),
            };
            ctx.emit_report(&st.report(title))
        }
    }
}

/// The level-rating floors (a local rule): each floor's level rating L with its source
/// cells, and whether it binds.
fn floors(
    t: &mut String,
    st: &mut Steps,
    std: &crate::standard::Standard,
    data: &crate::workspace::YearData,
    b: usize,
    cells: &[[Option<crate::workspace::Cell>; 3]],
    lang: Lang,
) -> Vec<J> {
    let sums = data.scores.level_sums(b);
    let points: Decimal = std.indicators.iter().map(|i| i.points).sum();
    let mut out = Vec::new();
    for f in &std.floors {
        let sum = sums.get(f.level.index()).copied().unwrap_or_default();
        let l = crate::rate::level_rating(std, sum);
        let binds = l < f.below;
        // The cells of the level: one `overall` cell, or a score per indicator.
        let mut sources: Vec<String> = cells
            .iter()
            .filter_map(|c| c.get(f.level.index()).and_then(Option::as_ref))
            .map(|c| {
                let sheet = data.scores.names.get(c.file).cloned().unwrap_or_default();
                format!("{sheet}:{}:{}", c.line, c.column)
            })
            .collect();
        sources.dedup();
        let verdict = if binds {
            format!("< {} → {} {}", d(f.below), lang.t("cap", "封顶"), f.cap)
        } else {
            format!("≥ {} → {}", d(f.below), lang.t("not binding", "不受限"))
        };
        let text = format!(
            "{} {} {} / {} ({}): L = 100 × {} / {} = {} {verdict}  [{}]",
            lang.t("Floor", "层级底线"),
            f.id,
            f.name_zh,
            f.name,
            show(Code::Level, f.level.as_str(), lang),
            d(sum),
            d(points),
            d(l),
            sources.join(", ")
        );
        t.push_str(&text);
        t.push('\n');
        let detail = format!(
            "{} < {} → {}",
            f.level.as_str(),
            d(f.below),
            if binds { f.cap.to_string() } else { "-".into() }
        );
        st.push("floor", &f.id, &d(l), &sources.join(";"), &detail);
        out.push(json!({
            "id": f.id, "level": f.level.as_str(), "rating": d(l), "below": d(f.below),
            "cap": f.cap, "binds": binds, "sources": sources,
        }));
    }
    out
}

/// The five-star quota (a local rule): the branch's group, its n and limit, and the
/// branch's rank among the group's approved branches.
fn quota(
    t: &mut String,
    st: &mut Steps,
    cut: &crate::rate::QuotaCut,
    br: &crate::workspace::Branch,
    r: &crate::rate::Rating,
    lang: Lang,
) -> J {
    let key = crate::rate::QuotaCut::key_of(cut.quota.per, br);
    let Some(g) = cut.group_of(br) else {
        return J::Null;
    };
    let per = cut.quota.per.as_str();
    let per_shown = show(Code::QuotaPer, per, lang);
    let group = if key.is_empty() {
        lang.t("the whole workspace", "全工作区").to_string()
    } else {
        format!("{per_shown} {key}")
    };
    let ranked = matches!(
        r.status,
        crate::rate::Status::Approved | crate::rate::Status::Quota
    );
    // The approved branches scoring at least this one's F: its rank, counting ties.
    let at_least = g.approved.iter().filter(|f| **f >= r.score).count();
    let scores: Vec<String> = g.approved.iter().map(|f| fmt2(*f)).collect();
    let verdict = match (ranked, r.status == crate::rate::Status::Quota) {
        (false, _) => lang
            .t(
                "not ranked (not approved at five stars)",
                "不参与排名（未经审核通过五星）",
            )
            .to_string(),
        (true, false) => match lang {
            Lang::En => format!(
                "{at_least} approved score at least {}: within the limit, keeps five stars",
                fmt2(r.score)
            ),
            Lang::Zh => format!(
                "得分不低于 {} 的审核通过支部 {at_least} 个，未超名额，保留五星",
                fmt2(r.score)
            ),
        },
        (true, true) => match lang {
            Lang::En => format!(
                "{at_least} approved score at least {}: past the limit, four stars",
                fmt2(r.score)
            ),
            Lang::Zh => format!(
                "得分不低于 {} 的审核通过支部 {at_least} 个，超出名额，评为四星",
                fmt2(r.score)
            ),
        },
    };
    let five = d(cut.quota.five);
    let (n, limit) = (g.n, g.limit);
    let text = match lang {
        Lang::En => format!(
            "Quota: five {five} per {per}; group {group}: n {n}, limit ⌊{five} × {n}⌋ = {limit}; approved F: {}; {verdict}",
            scores.join(", ")
        ),
        Lang::Zh => format!(
            "五星名额：比例 {five}，按{per_shown}分组；{group}：参评 {n} 个，名额 ⌊{five} × {n}⌋ = {limit}；审核通过得分：{}；{verdict}",
            scores.join("、")
        ),
    };
    t.push_str(&text);
    t.push('\n');
    let kept = r.status == crate::rate::Status::Approved;
    st.push(
        "quota",
        key,
        &format!("{at_least}/{limit}"),
        "",
        &format!(
            "n {n}; {}",
            match (ranked, kept) {
                (false, _) => "not_ranked",
                (true, true) => "kept",
                (true, false) => "quota",
            }
        ),
    );
    json!({
        "five": five, "per": per, "group": key, "n": n, "limit": limit,
        "approved": scores, "at_least": at_least, "ranked": ranked,
        "kept": r.status == crate::rate::Status::Approved,
    })
}

/// Review departments as the reader reads them: `a, b` in English, `纪检监察、行政执法` in
/// Chinese.
fn departments(v: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => v.join(", "),
        Lang::Zh => crate::render::codes::zh(Code::Departments, &v.join(";")).into_owned(),
    }
}

/// Text followed by spaces up to `width` columns of a fixed-width font (a Chinese
/// character takes two).
fn padded(s: &str, width: usize) -> String {
    let w: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
