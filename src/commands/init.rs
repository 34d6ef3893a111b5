//! `stars init DIR`: a new workspace — `stars.toml`, `branches.csv` with its header, and the
//! first year's folder; with `--preset NAME`, the preset's standard files in `standards/` too.
//! It never overwrites: a folder that already holds a workspace
//! (`stars.toml` or `branches.csv`) is refused.

use super::Ctx;
use crate::i18n::{msg, msg_in, tr, Lang};
use crate::output::write_atomic;
use crate::problem::Outcome;
use anyhow::{anyhow, Context};
use chrono::Datelike;
use std::path::{Path, PathBuf};

/// The header of a new `branches.csv`.
pub const BRANCHES_HEADER: &str =
    "id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n";

pub fn run(
    ctx: &Ctx,
    dir: &Path,
    name: Option<&str>,
    first_year: Option<i32>,
    preset: Option<&str>,
    county: bool,
) -> Outcome<()> {
    let lang = ctx.lang;
    // An unknown preset is wrong usage, found before anything is written.
    let preset = preset.map(super::standards::find_preset).transpose()?;
    // `--first-year`, else the global `--year`, else this year.
    let year = match first_year.or(ctx.global.year) {
        Some(y) => y,
        None => this_year()?,
    };
    if !(1900..=9998).contains(&year) {
        return Err(anyhow!(msg!(
            "year {year} is out of range; expected a four-digit year such as 2026",
            "年度 {year} 超出范围；应为四位数的年份，如 2026"
        ))
        .into());
    }
    refuse_existing(dir)?;
    let name = match name {
        Some(n) => n.trim().to_string(),
        None => folder_name(dir),
    };
    if name.is_empty() {
        return Err(anyhow!(tr(
            "the workspace name is blank; expected --name NAME",
            "工作区名称为空；请用 --name NAME 指定名称"
        ))
        .into());
    }
    if let Some(p) = preset {
        // First, all or none: a folder that already has standard files is refused before
        // the workspace is written.
        super::standards::write_new_files(&dir.join("standards"), &p.files)?;
    }
    if county {
        return init_county(lang, dir, &name, year);
    }
    write_town(lang, dir, &name, year)?;
    // Not eprint!, which panics when standard error is a closed pipe.
    let mut steps = next_steps(lang, dir, year);
    if let Some(p) = preset {
        let (d, name) = (dir.display(), p.name);
        let (summary, summary_zh) = (p.summary, p.summary_zh);
        steps.push_str(&msg_in!(
            lang,
            "The standard is the preset `{name}` ({summary}), in {d}/standards/; edit it there.\n",
            "评星标准为预设方案“{name}”（{summary_zh}），位于 {d}/standards/，可在其中修改。\n"
        ));
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr(), steps.as_bytes());
    Ok(())
}

/// `dir` must be a folder (or nothing yet) that holds no workspace: nothing is overwritten.
fn refuse_existing(dir: &Path) -> Outcome<()> {
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        return Err(anyhow!(msg!(
            "{shown} is a file; expected a folder for the workspace",
            "{shown} 是文件；工作区应为文件夹"
        ))
        .into());
    }
    for existing in ["stars.toml", "branches.csv"] {
        if dir.join(existing).exists() {
            return Err(anyhow!(msg!(
                "{shown} already holds a workspace ({existing} exists); refusing to overwrite it",
                "{shown} 中已有工作区（{existing} 已存在），不予覆盖"
            ))
            .into());
        }
    }
    Ok(())
}

/// A town's workspace: its first year's folder (with a README), stars.toml and the header
/// of branches.csv.
fn write_town(lang: Lang, dir: &Path, name: &str, year: i32) -> Outcome<()> {
    let year_dir = dir.join(year.to_string());
    std::fs::create_dir_all(&year_dir).with_context(|| {
        let d = year_dir.display();
        msg!("cannot create {d}", "无法创建 {d}")
    })?;

    write_atomic(
        &dir.join("stars.toml"),
        stars_toml(name, lang, year).as_bytes(),
    )?;
    write_atomic(&dir.join("branches.csv"), BRANCHES_HEADER.as_bytes())?;
    let readme = year_dir.join("README.txt");
    if !readme.exists() {
        write_atomic(&readme, year_readme(year).as_bytes())?;
    }
    Ok(())
}

/// `stars init --county DIR`: the county's `stars.toml` (its members are `towns/*`) and
/// an empty `towns/` folder.
fn init_county(lang: Lang, dir: &Path, name: &str, year: i32) -> Outcome<()> {
    let towns = dir.join("towns");
    std::fs::create_dir_all(&towns).with_context(|| {
        let d = towns.display();
        msg!("cannot create {d}", "无法创建 {d}")
    })?;
    write_atomic(
        &dir.join("stars.toml"),
        county_toml(name, lang, year).as_bytes(),
    )?;
    let d = dir.display();
    let steps = msg_in!(
        lang,
        "\
Created the county {d}: stars.toml (members = [\"towns/*\"]), towns/.
Next:
  1. Add each town as a workspace of its own: stars init {d}/towns/dawang --name 大王镇
     (or copy a town's existing workspace, or its git repository, into {d}/towns/).
  2. stars check -w {d}       (checks every town; silent when all is well)
  3. stars evaluate -w {d}    (every town, one table; --town NAME for one)
",
        "\
已创建县（区）工作区 {d}：stars.toml（members = [\"towns/*\"]）、towns/。
下一步：
  1. 把每个镇（街道）建为单独的工作区：stars init {d}/towns/dawang --name 大王镇
     （也可以把镇里现有的工作区或其 git 仓库复制到 {d}/towns/ 下）。
  2. stars check -w {d}       （检查所有镇街；无问题时不输出）
  3. stars evaluate -w {d}    （所有镇街一张表；--town 名称 只看一个）
"
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), steps.as_bytes());
    Ok(())
}

/// The county's `stars.toml`, its comments in the language of the run (a clerk edits it).
fn county_toml(name: &str, lang: Lang, year: i32) -> String {
    let (code, name) = (lang.t("en", "zh"), toml_string(name));
    msg_in!(
        lang,
        "\
# A county of `stars` (星级党支部评定): every folder matched by `members` is a town's
# workspace of its own. See `stars --help`.
name = {name}
lang = \"{code}\"
members = [\"towns/*\"]

# The years of every member that has no [years] of its own (a member's [years] replaces
# these), with their evaluation dates (评定日期).
[years.{year}]
evaluated = {year}-12-20

# Standards: a file in standards/ here replaces the built-in one for every town; a
# town's own standards/ file replaces the county's (`stars standards export standards/`).
",
        "\
# `stars`（星级党支部评定）的县（区）工作区：members 所匹配的每个文件夹都是一个镇（街道）
# 各自的工作区。用法见 `stars --help`。
name = {name}
lang = \"{code}\"
members = [\"towns/*\"]

# 各年度及其评定日期，适用于没有自己的 [years] 的镇街（镇街自己的 [years] 整个取代这里的）。
[years.{year}]
evaluated = {year}-12-20

# 评星标准：这里 standards/ 中的文件取代各镇街所用的同名内置文件；镇街自己的 standards/
# 中的文件又取代县里的（`stars standards export standards/` 导出一份起点）。
"
    )
}

/// The current year (UTC), from the system clock.
fn this_year() -> anyhow::Result<i32> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context(tr(
            "the system clock is before 1970; give --first-year YEAR",
            "系统时钟早于 1970 年；请用 --first-year YEAR 指定年度",
        ))?
        .as_secs();
    let secs =
        i64::try_from(secs).context(tr("the system clock is out of range", "系统时钟超出范围"))?;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.year())
        .context(tr(
            "the system clock is out of range; give --first-year YEAR",
            "系统时钟超出范围；请用 --first-year YEAR 指定年度",
        ))
}

/// The folder's own name (of its absolute path, so that `stars init .` names the folder).
fn folder_name(dir: &Path) -> String {
    let abs: PathBuf = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let abs = abs.canonicalize().unwrap_or(abs);
    abs.file_name()
        .or_else(|| dir.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A town's `stars.toml`, its comments in the language of the run (a clerk edits it).
fn stars_toml(name: &str, lang: Lang, year: i32) -> String {
    let (code, name) = (lang.t("en", "zh"), toml_string(name));
    msg_in!(
        lang,
        "\
# The workspace of `stars` (星级党支部评定). See `stars --help`.
name = {name}

# The language of every output and message on this workspace, whoever runs it:
# \"zh\" or \"en\" (输出语言). `--lang` overrides it for one run.
lang = \"{code}\"

# One table per year folder: the evaluation date (评定日期) of that year.
# Rectification deadlines and the publicity window count from it.
[years.{year}]
evaluated = {year}-12-20

# Optional: the publicity notice of the five-star list (公示): its days, where objections
# go (异议受理), who signs it (落款; default: the town's party committee).
# [publicity]
# days = 5
# contact = \"the town committee's organization office, tel. …\"
# issuer = \"…\"
",
        "\
# `stars`（星级党支部评定）的工作区。用法见 `stars --help`。
name = {name}

# 本工作区所有输出和提示的语言，无论谁来运行：\"zh\"（中文）或 \"en\"（英文）。
# 单次运行可用 `--lang` 另行指定。
lang = \"{code}\"

# 每个年度文件夹对应一个表，写明该年度的评定日期。整改时限和公示期都从评定日期起算。
[years.{year}]
evaluated = {year}-12-20

# 可选：五星级党支部公示通知：公示天数、异议受理（部门、地址、电话）、落款（默认“中共某镇委员会”）。
# [publicity]
# days = 5
# contact = \"镇党委组织办公室（电话 ……）\"
# issuer = \"中共……委员会\"
"
    )
}

fn year_readme(year: i32) -> String {
    format!(
        "\
Files of {year} (the year's inputs; this README is not read):

  scores*.csv        score sheets: branch,level,<indicator ids>,overall
                     start one with `stars template DOMAIN --year {year}`
  events.csv         branch,item,date,note          (optional)
  reviews.csv        branch,department,opinion,note (optional)
  rectification.csv  item,status,note               (optional; last year's items)

{year} 年度的输入文件（本说明不被读取）：
  scores*.csv        评分表，可用 `stars template 领域 --year {year}` 生成
  events.csv         正向激励、反向约束、红线事项（可选）
  reviews.csv        纪检监察、行政执法、行业监管部门审核意见（可选）
  rectification.csv  上一年度整改事项的完成情况（可选）
"
    )
}

fn next_steps(lang: Lang, dir: &Path, year: i32) -> String {
    let d = dir.display();
    msg_in!(
        lang,
        "\
Created the workspace {d}: stars.toml, branches.csv, {year}/.
Next:
  1. Fill {d}/branches.csv, one row per branch (domain: rural, agency, two_new, community or soe).
  2. Make a score sheet for each domain you have, e.g.
       stars template rural -w {d} --year {year} --output {d}/{year}/scores-rural.csv
     (`stars template rural --legend` lists the indicators and their points).
  3. Fill the sheets in Excel or WPS; save them as .xlsx, or as CSV (GBK is fine).
  4. stars check -w {d}       (lists every problem; silent when all is well)
  5. stars evaluate -w {d}
",
        "\
已创建工作区 {d}：stars.toml、branches.csv、{year}/。
下一步：
  1. 填写 {d}/branches.csv，每个支部一行（领域 domain：rural 农村、agency 机关、two_new 两新组织、community 城市社区、soe 国有企业）。
  2. 为每个领域生成评分表，例如：
       stars template rural -w {d} --year {year} --output {d}/{year}/scores-rural.csv
     （`stars template rural --legend` 列出各项指标及分值）。
  3. 用 Excel 或 WPS 填写评分表，保存为 .xlsx，或另存为 CSV（GBK 编码亦可）。
  4. stars check -w {d}       （列出全部问题；无问题时不输出）
  5. stars evaluate -w {d}
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_toml_strings() {
        assert_eq!(toml_string("大王镇"), "\"大王镇\"");
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(toml_string("a\u{1}"), "\"a\\u0001\"");
    }

    #[test]
    fn the_clock_gives_a_plausible_year() {
        let y = this_year().unwrap();
        assert!((2024..3000).contains(&y));
    }
}
