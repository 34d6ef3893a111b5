//! `stars template DOMAIN`: a score sheet ready to fill for one domain — a row for each
//! level of each branch of the domain rated in the year (or of one level, `--level`), with
//! every indicator of the domain's standard as a column — one sheet, or one per branch
//! (`--per-branch DIR`); or, with `--legend`, the indicators themselves.
//! `stars template rectification`: last year's rectification items with a status to fill.
//!
//! What it hands out comes back as it is: the sheet's header row holds the keys the reader
//! uses, and what a workbook adds for people (a title, each indicator's name and points
//! above the header, the branch's name) is passed over when it is read back.
//!
//! The sheet is a valid score sheet only once filled: `stars check` reports a row with no
//! scores and no `overall`. `--output` (and `--per-branch`) may create a new input file in a
//! year folder (`2026/scores-rural.csv`, `2026/rectification.xlsx`), but never replace one.

use super::handout::{create_new, emit_list, new_input};
use super::{Ctx, Rated};
use crate::cli::RectifyView;
use crate::decimal::fmt_plain;
use crate::i18n::{msg, msg_in, tr, Lang};
use crate::problem::{Outcome, Problem, Problems};
use crate::render::form::{Form, FormColumn};
use crate::render::{Column, Format, Report, Value};
use crate::standard::{self, Domain, Level, Standard};
use anyhow::anyhow;
use std::collections::BTreeSet;
use std::path::Path;

/// What `stars template` was asked for.
pub struct Args<'a> {
    /// A domain, or `rectification`.
    pub domain: &'a str,
    pub legend: bool,
    /// A CSV sheet starts with a UTF-8 byte-order mark (the default, so that Excel shows
    /// Chinese names; `--no-bom` leaves it out). The legend follows `--bom` as any list.
    pub bom: bool,
    pub level: Option<&'a str>,
    pub per_branch: Option<&'a Path>,
}

pub fn run(ctx: &Ctx, args: &Args) -> Outcome<()> {
    if args.domain == "rectification" {
        return rectification(ctx, args.bom);
    }
    // The records of the year have templates of their own.
    if !args.legend {
        if let Some(out) = super::record_templates::run(ctx, args.domain, args.bom) {
            return out;
        }
    }
    let domain = Domain::parse(args.domain).ok_or_else(|| {
        let (domain, expected) = (args.domain, crate::i18n::list(&Domain::expected()));
        command_line(msg!(
            "unknown domain `{domain}`; expected one of: {expected}; or rectification, surveys, deductions, objections or decisions",
            "未知领域“{domain}”；应为以下之一：{expected}；或 rectification、surveys、deductions、objections、decisions"
        ))
    })?;
    if args.legend {
        return legend(ctx, domain);
    }
    let level = match args.level {
        None => None,
        Some(text) => Some(Level::parse(text).ok_or_else(|| {
            command_line(msg!(
                "unknown level `{text}`; expected self (自评), mass (群众评议) or organization (组织评定)",
                "未知层级“{text}”；应为 self（自评）、mass（群众评议）或 organization（组织评定）"
            ))
        })?),
    };
    score_sheets(ctx, args, domain, level)
}

/// `--legend`: the standard's indicators and points, titled with the workspace's name when
/// it has one (a workbook's title row).
fn legend(ctx: &Ctx, domain: Domain) -> Outcome<()> {
    let mut rep = legend_report(&standard_of(ctx, domain)?, ctx.lang);
    if let Some(town) = crate::workspace::config::name_of(&ctx.global.workspace) {
        let title = &rep.title;
        rep.title = msg_in!(ctx.lang, "{town} — {title}", "{town} {title}");
    }
    ctx.emit_report_bom(&rep, ctx.global.bom)
}

/// The score sheet of a domain's branches rated in the year: one for all, or one file per
/// branch (`--per-branch`).
fn score_sheets(ctx: &Ctx, args: &Args, domain: Domain, level: Option<Level>) -> Outcome<()> {
    let ws = ctx.workspace()?;
    let year = ctx.year(&ws)?;
    let std = match ws.standards.get(domain) {
        Some(s) => s.clone(),
        None => standard_of(ctx, domain)?,
    };
    let branches: Vec<(&str, &str)> = ws
        .branches
        .iter()
        .filter(|b| b.domain == domain && b.rated_in(year))
        .map(|b| (b.id(), b.name()))
        .collect();
    let town = ws.config.name.as_str();
    let lang = ctx.lang;
    // One file per branch: workbooks unless CSV is asked for.
    let per_format = ctx.global.format.unwrap_or(Format::Xlsx);
    match args.per_branch {
        Some(dir) => {
            let sheets: Vec<(String, ScoreSheet)> = (branches.iter())
                .map(|&(id, name)| {
                    let sheet = ScoreSheet {
                        title: title(name, &std, level, year, lang),
                        std: &std,
                        branches: vec![(id, name)],
                        level,
                        year,
                    };
                    (file_name(id, name, per_format), sheet)
                })
                .collect();
            per_branch(ctx, dir, (per_format, args.bom), &sheets)
        }
        None => {
            let sheet = ScoreSheet {
                title: title(town, &std, level, year, lang),
                std: &std,
                branches,
                level,
                year,
            };
            emit_sheet(ctx, &sheet, args.bom)
        }
    }
}

/// A problem with the command line, as a problem of the input (exit code 1).
fn command_line(message: String) -> super::Failure {
    let mut problems = Problems::new();
    problems.push(Problem::file(tr("(command line)", "（命令行）"), message));
    problems.into()
}

/// A domain's standard: the workspace's (when `--workspace` holds one) or the built-in.
fn standard_of(ctx: &Ctx, domain: Domain) -> Outcome<Standard> {
    let dir = ctx.global.workspace.as_path();
    let shown = ctx.global.workspace.to_string_lossy().into_owned();
    let in_workspace = dir.join("stars.toml").is_file();
    let mut problems = Problems::new();
    let needed = BTreeSet::from([domain]);
    let stds = standard::load(
        &crate::workspace::county::standard_dirs(dir, &shown, in_workspace)
            .iter()
            .map(|(d, s)| (d.as_path(), s.as_str()))
            .collect::<Vec<_>>(),
        &needed,
        &mut problems,
    );
    match stds.and_then(|s| s.get(domain).cloned()) {
        Some(s) if problems.is_empty() => Ok(s),
        _ => Err(problems.into()),
    }
}

/// A sheet's title: whose (the town's, or one branch's), the domain and year, the level.
fn title(whose: &str, std: &Standard, level: Option<Level>, year: i32, lang: Lang) -> String {
    let (code, zh) = (std.domain.as_str(), std.domain.zh());
    let base = msg_in!(
        lang,
        "{whose} — {code} score sheet {year}",
        "{whose} {year}年度{zh}党支部评分表"
    );
    match level {
        None => base,
        Some(l) => {
            let (en, zh) = (l.as_str(), l.zh());
            msg_in!(lang, "{base} ({en})", "{base}（{zh}）")
        }
    }
}

/// A score sheet to fill: the rows of some branches of one domain, at every level or one.
pub struct ScoreSheet<'a> {
    pub title: String,
    pub std: &'a Standard,
    /// (id, name) of each branch, in id order.
    pub branches: Vec<(&'a str, &'a str)>,
    pub level: Option<Level>,
    pub year: i32,
}

impl ScoreSheet<'_> {
    fn levels(&self) -> Vec<Level> {
        match self.level {
            Some(l) => vec![l],
            None => Level::ALL.to_vec(),
        }
    }

    /// The sheet as a list: `branch,name,level,<indicator ids>,overall`, blank scores.
    pub fn report(&self, lang: Lang) -> Report<'static> {
        let mut columns = vec![
            Column::keyed("branch".into()),
            Column::keyed("name".into()),
            Column::keyed("level".into()),
        ];
        columns.extend(
            self.std
                .indicators
                .iter()
                .map(|i| Column::keyed(i.id.clone())),
        );
        columns.push(Column::keyed("overall".into()));
        let blanks = self.std.indicators.len() + 1;
        let mut rep = Report::new(self.title.clone(), columns);
        for (id, name) in &self.branches {
            for level in self.levels() {
                let mut row = vec![
                    Value::text(id.to_string()),
                    Value::text(name.to_string()),
                    Value::text(level.as_str()),
                ];
                row.extend(std::iter::repeat_n(Value::Null, blanks));
                rep.rows.push(row);
            }
        }
        rep.notes = self.notes(lang);
        rep
    }

    /// The sheet as a workbook to fill: the same header row, each indicator's name and
    /// points above it, validation on the cells to fill, the given columns shaded.
    pub fn form(&self, lang: Lang) -> Form {
        let given = |key: &str, label: &str, choices: Vec<String>| FormColumn {
            key: key.into(),
            label: label.into(),
            max: None,
            choices,
            given: true,
        };
        let levels: Vec<String> = (Level::ALL.iter())
            .map(|l| lang.t(l.as_str(), l.zh()).to_string())
            .collect();
        let mut columns = vec![
            given("branch", lang.t("Branch", "支部编号"), Vec::new()),
            given("name", lang.t("Name", "支部名称"), Vec::new()),
            given("level", lang.t("Level", "层级"), levels),
        ];
        for i in &self.std.indicators {
            columns.push(FormColumn {
                key: i.id.clone(),
                label: lang.t(&i.name, &i.name_zh).to_string(),
                max: Some(i.points),
                choices: Vec::new(),
                given: false,
            });
        }
        columns.push(FormColumn {
            key: "overall".into(),
            label: lang
                .t(
                    "Overall (instead of every indicator)",
                    "总体评价（代替逐项打分）",
                )
                .into(),
            max: Some(rust_decimal::Decimal::ONE_HUNDRED),
            choices: Vec::new(),
            given: false,
        });
        let mut rows = Vec::new();
        for (id, name) in &self.branches {
            for level in self.levels() {
                rows.push(vec![
                    id.to_string(),
                    name.to_string(),
                    lang.t(level.as_str(), level.zh()).to_string(),
                ]);
            }
        }
        let d = self.std.domain;
        Form {
            title: self.title.clone(),
            sheet: lang.t(d.as_str(), d.zh()).to_string(),
            columns,
            rows,
            notes: self.notes(lang),
        }
    }

    fn notes(&self, lang: Lang) -> Vec<String> {
        let d = self.std.domain;
        let (n, code, zh, year) = (self.branches.len(), d.as_str(), d.zh(), self.year);
        let levels = match self.level {
            Some(l) => {
                let (en, zh) = (l.as_str(), l.zh());
                msg_in!(lang, "level {en} only", "只有{zh}层级")
            }
            None => lang
                .t(
                    "levels: self, mass, organization",
                    "每个支部三行：self 自评、mass 群众评议、organization 组织评定",
                )
                .to_string(),
        };
        vec![
            msg_in!(lang,
                "{n} branches of {code} ({zh}) rated in {year}; {levels}.",
                "{year}年度参评的{zh}党支部 {n} 个；{levels}。"
            ),
            lang.t(
                "Fill every indicator of a row (a decimal from 0 to its points), or leave them blank and give `overall` (0-100).",
                "每行或逐项填写各指标得分（0 至该项分值的数字），或各项留空、只填 overall（0–100 的总体评价）。"
            ).into(),
            lang.t(
                "Keep the header row (the indicator ids) as it is; the title, the names and points above it and the name column are for people and are not read.",
                "请保留表头行（各指标编号）不变；其上方的标题、指标名称和分值以及支部名称列只供阅读，不会被读取。"
            ).into(),
            msg_in!(lang,
                "Save it in the year folder with a name starting with scores, as {year}/scores-{code}.xlsx (a worksheet named Notes or 说明 is not read) or as CSV. Sheets filled by each branch may all go there: each row is read once. A row left blank is an error for `stars check`.",
                "填好后保存到年度文件夹，文件名以 scores 开头：如 {year}/scores-{code}.xlsx（名为“说明”或 Notes 的工作表不会被读取），或另存为 CSV。各支部分别填写的表可以都放进去：每一行只读一次。未填写的行，`stars check` 会报错。"
            ),
            msg_in!(lang,
                "`stars template {code} --legend` lists the indicators and their points.",
                "`stars template {code} --legend` 列出各项指标及分值。"
            ),
        ]
    }
}

/// A file name safe on every system for a branch's sheet: `scores-ID-NAME.xlsx`, the
/// characters Windows forbids (`<>:"/\|?*`, control characters) as `_`, no dot or space at
/// the end of the stem, the stem at most 150 bytes (a name is at most 255 bytes on most
/// file systems; a Chinese character takes 3).
pub fn file_name(id: &str, name: &str, format: Format) -> String {
    let ext = if format == Format::Csv { "csv" } else { "xlsx" };
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect()
    };
    let full = format!("scores-{}-{}", safe(id), safe(name.trim()));
    let cut = (0..=full.len().min(150))
        .rev()
        .find(|&i| full.is_char_boundary(i))
        .unwrap_or(0);
    let stem = full
        .get(..cut)
        .unwrap_or("scores")
        .trim_end_matches(['.', ' ', '-']);
    format!("{stem}.{ext}")
}

/// Write one sheet per branch into `dir`: none if any of them exists already (or two
/// would have one name where letter case does not count).
fn per_branch(
    ctx: &Ctx,
    dir: &Path,
    (format, bom): (Format, bool),
    sheets: &[(String, ScoreSheet)],
) -> Outcome<()> {
    if !matches!(format, Format::Xlsx | Format::Csv) {
        return Err(super::Failure::Usage(
            tr(
                "--per-branch writes a workbook (xlsx, the default) or CSV file per branch: use --format xlsx or csv",
                "--per-branch 为每个支部写一个工作簿（xlsx，默认）或 CSV 文件：请用 --format xlsx 或 csv",
            )
            .to_string(),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut planned = Vec::new();
    for (name, sheet) in sheets {
        let path = dir.join(name);
        let shown = path.display().to_string();
        if path.exists() || !seen.insert(name.to_lowercase()) {
            return Err(anyhow!(msg!(
                "{shown} exists: refusing to overwrite it (nothing was written)",
                "{shown} 已存在：不予覆盖（未写入任何文件）"
            ))
            .into());
        }
        planned.push((path, sheet));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        let (shown, why) = (dir.display(), crate::output::reason(&e));
        anyhow!(msg!(
            "cannot create {shown}: {why}",
            "无法创建 {shown}：{why}"
        ))
    })?;
    for (path, sheet) in &planned {
        let bytes = sheet_bytes(sheet, format, ctx.lang, bom)?;
        create_new(path, &bytes)?;
    }
    let (n, shown) = (planned.len(), dir.display());
    super::warn(&msg!(
        "{n} sheets written to {shown}\n",
        "已在 {shown} 中写入 {n} 张表\n"
    ));
    Ok(())
}

/// The bytes of a sheet written to a file: a workbook, or CSV (with a byte-order mark when
/// `bom`), or another format for people.
fn sheet_bytes(
    sheet: &ScoreSheet,
    format: Format,
    lang: Lang,
    bom: bool,
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        Format::Xlsx => crate::render::form::render(&sheet.form(lang), lang)?,
        Format::Csv if bom => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(sheet.report(lang).render(Format::Csv, lang).into_bytes());
            b
        }
        f => sheet.report(lang).render(f, lang).into_bytes(),
    })
}

/// Emit one sheet: to standard output, to `--output`, or created new as an input file of
/// the workspace (never replacing one).
fn emit_sheet(ctx: &Ctx, sheet: &ScoreSheet, bom: bool) -> Outcome<()> {
    match ctx.global.output.as_deref() {
        Some(out) if new_input(ctx, out)? => {
            create_new(out, &sheet_bytes(sheet, ctx.format, ctx.lang, bom)?)?;
            Ok(())
        }
        _ if ctx.format == Format::Xlsx => {
            let bytes = crate::render::form::render(&sheet.form(ctx.lang), ctx.lang)?;
            ctx.emit_bytes(&bytes)
        }
        _ => ctx.emit_report_bom(&sheet.report(ctx.lang), bom),
    }
}

/// `stars template rectification`: the items of the year before `--year` (the latest
/// year), as `stars rectify` lists them, with their status to fill; read back as that
/// year's rectification file.
fn rectification(ctx: &Ctx, bom: bool) -> Outcome<()> {
    let ws = ctx.workspace()?;
    let year = ctx.year(&ws)?;
    let before = year - 1;
    if !ws.config.years.contains_key(&before) {
        return Err(command_line(msg!(
            "{year} is the first year of this workspace: there are no rectification items of {before}; expected a later year (--year)",
            "{year} 年度是本工作区的第一个年度，没有 {before} 年度的整改事项；应为之后的年度（--year）"
        )));
    }
    drop(ws);
    let mut global = ctx.global.clone();
    global.year = Some(before);
    let last = Ctx::new(global, ctx.format, ctx.lang);
    let rated: Rated = last.loaded_for_items()?;
    let mut rep = super::rectify::report(&rated, RectifyView::Problems, ctx.format, ctx.lang);
    let town = &rated.ws.config.name;
    rep.title = msg_in!(
        ctx.lang,
        "{town} — rectification of {before}'s items, reported in {year}",
        "{town} {before}年度整改事项完成情况（{year}年度填报）"
    );
    rep.extras.clear();
    rep.notes = vec![
        msg_in!(ctx.lang,
            "Fill the status of every item: done or open (已完成 or 未完成). An item left out is not done.",
            "请逐项填写整改状态：已完成或未完成（done 或 open）。删去的事项按未完成计。"
        ),
        msg_in!(ctx.lang,
            "Save it in the {year} folder as {year}/rectification.xlsx (or .csv); `stars check` checks every item id, `stars adjust` counts the items not done.",
            "填好后保存到 {year} 年度文件夹：{year}/rectification.xlsx（或 .csv）；`stars check` 核对每个事项编号，`stars adjust` 统计未完成的事项。"
        ),
    ];
    let out = emit_list(ctx, &rep, bom);
    drop(rep);
    ctx.leak(rated);
    out
}

/// The legend: each indicator's id, names, points, bottom line and rubric.
pub fn legend_report(std: &Standard, lang: Lang) -> Report<'static> {
    let d = std.domain;
    let (name, name_zh, code) = (&std.name, &std.name_zh, d.as_str());
    let title = msg_in!(lang, "{name} indicators ({code})", "{name_zh}评星指标");
    let mut rep = Report::new(
        title,
        vec![
            Column::new("id", "Id", "编号"),
            // The standard's two names: its `name` is the English one.
            Column::new("name", "Name", "英文名称"),
            Column::new("name_zh", "Name (zh)", "中文名称"),
            Column::new("points", "Points", "分值"),
            Column::new("bottom_line", "Bottom line", "底线"),
            Column::new("rubric", "Rubric", "评分标准"),
        ],
    );
    // Each indicator's theme, where the standard rates by themes.
    if std.by_themes() {
        rep.columns.push(Column::new("theme", "Theme", "主题星"));
    }
    for i in &std.indicators {
        let mut row = vec![
            Value::text(i.id.clone()),
            Value::text(i.name.clone()),
            Value::text(i.name_zh.clone()),
            Value::Num(i.points),
            i.bottom_line.map_or(Value::Null, Value::Num),
            Value::text(i.rubric.clone()),
        ];
        if let Some(t) = std.theme_of(i) {
            let name = lang.t(&t.name, &t.name_zh);
            row.push(Value::text(format!("{} {name}", t.id)));
        }
        rep.rows.push(row);
    }
    if let Some(rules) = local_rules(std, lang) {
        rep.extras.push(rules);
    }
    rep.extras.push(aliases(lang));
    let total: rust_decimal::Decimal = std.indicators.iter().map(|i| i.points).sum();
    rep.notes.push(msg_in!(
        lang,
        "{} indicators, {} points in all.",
        "共 {} 项指标，合计 {} 分。",
        std.indicators.len(),
        fmt_plain(total)
    ));
    rep
}

/// The Chinese names accepted for the codes of the input files ([`crate::aliases`]).
fn aliases(lang: Lang) -> Report<'static> {
    let mut rep = Report::new(
        lang.t("Chinese names accepted for codes", "可填写的中文名称"),
        vec![
            Column::new("what", "What", "类别"),
            Column::new("code", "Code", "代码"),
            Column::new("name", "Name typed", "中文名称"),
        ],
    );
    for (vocab, name, code) in crate::aliases::TABLE {
        rep.rows.push(vec![
            Value::text(lang.t(vocab.as_str(), vocab.zh())),
            Value::text(*code),
            Value::text(*name),
        ]);
    }
    rep
}

/// The local rules of SPEC.md a standard uses (none: `None`), one row each, for the
/// legend (the workspace's quota is in common.toml, shown by [`crate::commands::evaluate`]).
fn local_rules(std: &Standard, lang: Lang) -> Option<Report<'static>> {
    let mut rep = Report::new(
        lang.t("Local rules", "本地规则"),
        vec![
            Column::new("rule", "Rule", "规则"),
            Column::new("id", "Id", "编号"),
            Column::new("value", "Value", "取值"),
        ],
    );
    let mut row = |rule: &str, id: &str, value: String| {
        rep.rows.push(vec![
            Value::text(rule.to_string()),
            Value::text(id.to_string()),
            Value::text(value),
        ])
    };
    star_rules(std, lang, &mut row);
    adjust_rules(std, lang, &mut row);
    (!rep.rows.is_empty()).then_some(rep)
}

/// The local rules of the stars (each as `row(rule, id, value)`): stars by theme and each
/// theme, the score below which no star is given, the bottom lines that cap a star.
fn star_rules(std: &Standard, lang: Lang, row: &mut dyn FnMut(&str, &str, String)) {
    if std.by_themes() {
        let v = lang.t(
            "a star for each theme earned; none when a required theme is missed",
            "每获得一个主题星计一星；必备主题未获得的不评星",
        );
        row("stars_by", "themes", v.to_string());
    }
    for (k, t) in std.themes.iter().enumerate() {
        row("theme", &t.id, theme_rule(std, k, lang));
    }
    if let Some(one) = std.settings.stars.one {
        let one = fmt_plain(one);
        let v = msg_in!(lang, "below {one}: no star", "低于 {one} 分不评星");
        row("one", "", v);
    }
    for i in &std.indicators {
        if let (Some(bl), Some(cap)) = (i.bottom_line, i.bottom_line_cap) {
            let bl = fmt_plain(bl);
            let v = msg_in!(
                lang,
                "below {bl}: at most {cap}★",
                "低于 {bl} 分最高 {cap} 星"
            );
            row("bottom_line_cap", &i.id, v);
        }
    }
}

/// The local rules of the rating and the adjustment (each as `row(rule, id, value)`): the
/// floors of a level's rating, the exceptional items, a first year on trial.
fn adjust_rules(std: &Standard, lang: Lang, row: &mut dyn FnMut(&str, &str, String)) {
    for f in &std.floors {
        let (level, level_zh, below, cap) =
            (f.level.as_str(), f.level.zh(), fmt_plain(f.below), f.cap);
        let (name, name_zh) = (&f.name, &f.name_zh);
        let v = msg_in!(
            lang,
            "{level} rating below {below}: at most {cap}★ ({name})",
            "{level_zh}低于 {below} 分最高 {cap} 星（{name_zh}）"
        );
        row("floor", &f.id, v);
    }
    for i in std.items.iter().filter(|i| i.exceptional) {
        let (name, name_zh) = (&i.name, &i.name_zh);
        let v = msg_in!(
            lang,
            "{name}: promotion not limited by max_step_up",
            "{name_zh}：破格晋升，不受每年升星限制"
        );
        row("exceptional", &i.id, v);
    }
    if std.settings.adjust.first_year == crate::standard::FirstYear::Trial {
        let v = lang
            .t(
                "first rated year without a plaque: trial, no plaque earned",
                "首个评定年度且无星级牌：试评，不授牌",
            )
            .to_string();
        row("first_year", "", v);
    }
}

/// Theme `k` of a standard, as a local rule: its indicators and its pass line.
fn theme_rule(std: &Standard, k: usize, lang: Lang) -> String {
    let Some(t) = std.themes.get(k) else {
        return String::new();
    };
    let ids: Vec<&str> = (std.indicators.iter())
        .filter(|i| i.theme.map(usize::from) == Some(k))
        .map(|i| i.id.as_str())
        .collect();
    let (ids, pass, points, line) = (
        ids.join(lang.t(" + ", "、")),
        fmt_plain(t.pass * rust_decimal::Decimal::ONE_HUNDRED),
        fmt_plain(t.points),
        fmt_plain(t.line()),
    );
    let (name, name_zh) = (&t.name, &t.name_zh);
    let required = if t.required {
        lang.t(" (required)", "（必备）")
    } else {
        ""
    };
    msg_in!(
        lang,
        "{name}{required}: {ids} reach {pass}% of {points} points ({line})",
        "{name_zh}{required}：{ids}合计达到 {points} 分的 {pass}%（{line} 分）"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_file_names_are_safe_and_short_on_every_system() {
        assert_eq!(
            file_name("D001", "大王村党支部", Format::Xlsx),
            "scores-D001-大王村党支部.xlsx"
        );
        assert_eq!(
            file_name("A/1", " x:y*z?. ", Format::Csv),
            "scores-A_1-x_y_z_.csv"
        );
        let long = file_name("D1", &"村".repeat(200), Format::Xlsx);
        assert!(long.len() <= 160 && long.ends_with("村.xlsx"), "{long}");
        assert_eq!(
            file_name("D2", "\u{1b}[31m", Format::Xlsx),
            "scores-D2-_[31m.xlsx"
        );
    }
}
