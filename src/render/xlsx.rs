//! Excel workbooks: the main table on the first worksheet, each extra table (summary) on a
//! worksheet of its own, and the notes for people on a last one.
//!
//! The header row (the column headers for people, in the chosen language) is bold and
//! frozen. Cells keep their types: decimals and integers are numbers, yes/no are booleans
//! (是/否 in Chinese), blanks are empty cells, and text is text, neutralized like CSV (a
//! leading `'` before `=`, `+`, `-`, `@`, tab or carriage return) so that the rows of a
//! sheet saved as CSV are the rows of `--format csv` (in English: in Chinese, codes such
//! as statuses and domains are shown in Chinese, as a person reads them).
//!
//! A table that asks for a chart ([`ChartSpec`]) has it drawn beside it, a native Excel
//! chart whose series refer to the table's cells (Excel redraws it when they are edited).
//!
//! The same report gives the same bytes: the creation date in `docProps/core.xml` is fixed
//! (rust_xlsxwriter otherwise writes the current time) and the zip entries carry no time.

use super::csv::neutralize;
use super::{ChartKind, ChartSpec, Report, Value};
use crate::decimal::fmt2;
use crate::i18n::Lang;
use crate::i18n::{msg, tr};
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet,
};

/// The most rows of a table with a chart that is held in memory to fill the chart's cached
/// values (a county's summary by town of 100,000 towns is not: Excel fills them on opening).
const HELD_ROWS: usize = 10_000;
/// Excel's limit on the length of a worksheet name, in characters.
const MAX_SHEET_NAME: usize = 31;
/// Excel's limit on the length of a cell's text, in characters.
const MAX_CELL_TEXT: usize = 32_767;
/// Column widths, in characters, are kept within these bounds.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

pub fn render(r: &Report, lang: Lang) -> Result<Vec<u8>> {
    let mut wb = workbook(r, lang)?;
    wb.save_to_buffer()
        .context(tr("cannot build the workbook", "无法生成工作簿"))
}

/// The workbook in a temporary file (in TMPDIR), read from its start: a province's
/// workbook is tens of megabytes zipped, not held in memory on its way to the output.
pub fn render_to_file(r: &Report, lang: Lang) -> Result<std::fs::File> {
    let mut wb = workbook(r, lang)?;
    let mut file = tempfile::tempfile().map_err(|e| {
        let (dir, why) = (std::env::temp_dir(), crate::output::reason(&e));
        let dir = dir.display();
        anyhow::anyhow!(msg!(
            "cannot make a workbook's temporary files in {dir}: {why}; expected TMPDIR to name a folder that can be written",
            "无法在 {dir} 中建立生成工作簿所需的临时文件：{why}；TMPDIR 应为可写入的文件夹"
        ))
    })?;
    wb.save_to_writer(&mut file)
        .context(tr("cannot build the workbook", "无法生成工作簿"))?;
    std::io::Seek::rewind(&mut file).context(tr("cannot build the workbook", "无法生成工作簿"))?;
    Ok(file)
}

/// The workbook of a report, ready to save.
fn workbook(r: &Report, lang: Lang) -> Result<Workbook> {
    tmpdir_usable()?;
    let mut wb = Workbook::new();
    // A fixed creation date keeps the output byte-for-byte deterministic.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).context(tr("workbook date", "工作簿日期"))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(r.title.as_str())
            .set_creation_datetime(&created),
    );
    let header = Format::new().set_bold();
    let decimal = Format::new().set_num_format("0.00");
    let integer = Format::new().set_num_format("0");

    let mut names: Vec<String> = Vec::new();
    let fallback = lang.t("Sheet", "表");
    let tables = std::iter::once(r).chain(r.extras.iter());
    for (n, rep) in tables.enumerate() {
        let name = sheet_name(&rep.title, &format!("{fallback}{}", n + 1), &names);
        // A table (the list may have a province's rows, the five-star list hundreds of
        // thousands) is written to a temporary file row by row, its text as inline
        // strings: never held. A table with a chart (a summary: a few rows; at most
        // HELD_ROWS) is held, so that the chart's cached values (what a reader shows
        // before it recalculates) are filled from its cells.
        let small = rep.stream.is_none() && rep.rows.len() <= HELD_ROWS;
        let ws = match rep.chart {
            Some(_) if small => wb.add_worksheet(),
            _ => wb.add_worksheet_with_constant_memory(),
        };
        ws.set_name(&name)
            .with_context(|| msg!("worksheet name `{name}`", "工作表名称“{name}”"))?;
        let rows = write_table(ws, rep, lang, &header, &decimal, &integer)?;
        for (c, values) in rep.choices.iter().filter(|_| rows > 0) {
            let c = u16::try_from(*c).context(tr(
                "too many columns for a worksheet",
                "列数过多，一张工作表容纳不下",
            ))?;
            let list = values.join(", ");
            let v = rust_xlsxwriter::DataValidation::new()
                .allow_list_strings(values)?
                .set_error_title(lang.t("Not a value of the list", "不在可选范围内"))?
                .set_error_message(msg!("Choose one of: {list}", "请选择：{list}"))?;
            ws.add_data_validation(1, c, rows, c, &v)?;
        }
        if let Some(spec) = &rep.chart {
            insert_chart(ws, &name, rep, spec, rows)?;
        }
        names.push(name);
    }
    if !r.notes.is_empty() {
        let name = sheet_name(lang.t("Notes", "说明"), "Notes", &names);
        let ws = wb.add_worksheet_with_constant_memory();
        ws.set_name(&name)
            .with_context(|| msg!("worksheet name `{name}`", "工作表名称“{name}”"))?;
        let mut width = MIN_WIDTH;
        for (row, note) in r.notes.iter().enumerate() {
            let row = u32::try_from(row).context(tr(
                "too many notes for a worksheet",
                "说明过多，一张工作表容纳不下",
            ))?;
            ws.write_string(row, 0, clip(&neutralize(note)))?;
            width = width.max(display_width(note));
        }
        ws.set_column_width(0, clamp_width(width) as f64)?;
    }
    Ok(wb)
}

/// rust_xlsxwriter (in constant-memory mode) makes a temporary file in TMPDIR for every
/// worksheet and cannot say when that fails: whether it can is found out first, and told
/// with the folder's name.
fn tmpdir_usable() -> Result<()> {
    let dir = std::env::temp_dir();
    match tempfile::tempfile_in(&dir) {
        Ok(_) => Ok(()),
        Err(e) => {
            let (shown, why) = (dir.display(), crate::output::reason(&e));
            anyhow::bail!(msg!(
                "cannot make a workbook's temporary files in {shown}: {why}; expected TMPDIR to name a folder that can be written",
                "无法在 {shown} 中建立生成工作簿所需的临时文件：{why}；TMPDIR 应为可写入的文件夹"
            ))
        }
    }
}

fn write_table(
    ws: &mut Worksheet,
    rep: &Report,
    lang: Lang,
    header: &Format,
    decimal: &Format,
    integer: &Format,
) -> Result<u32> {
    let mut widths: Vec<usize> = rep
        .columns
        .iter()
        .map(|c| display_width(c.header(lang)))
        .collect();
    for (c, col) in rep.columns.iter().enumerate() {
        let c = u16::try_from(c).context(tr(
            "too many columns for a worksheet",
            "列数过多，一张工作表容纳不下",
        ))?;
        ws.write_string_with_format(0, c, col.header(lang), header)?;
    }
    let mut r: u32 = 0;
    let mut failure: Option<anyhow::Error> = None;
    let written = rep.each_row(&mut |row| {
        r += 1;
        if let Err(e) = write_row(ws, r, row, lang, &mut widths, decimal, integer) {
            failure = Some(e);
            return Err(std::io::Error::other("stop"));
        }
        Ok(())
    });
    if let Some(e) = failure {
        return Err(e);
    }
    written.context(tr("cannot make the rows", "无法生成各行"))?;
    for (c, w) in widths.iter().enumerate() {
        let c = u16::try_from(c).context(tr(
            "too many columns for a worksheet",
            "列数过多，一张工作表容纳不下",
        ))?;
        ws.set_column_width(c, clamp_width(*w) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(r)
}

/// The chart `spec` asks for, over the `rows` rows written below the header of the
/// worksheet `sheet`, placed to the right of the table. A table without rows has none.
fn insert_chart(
    ws: &mut Worksheet,
    sheet: &str,
    rep: &Report,
    spec: &ChartSpec,
    rows: u32,
) -> Result<()> {
    let last = spec
        .rows
        .map_or(rows, |n| rows.min(u32::try_from(n).unwrap_or(u32::MAX)));
    let col = |c: usize| {
        u16::try_from(c)
            .ok()
            .filter(|_| c < rep.columns.len())
            .context(tr(
                "a chart's column is not in its table",
                "图表的列不在表中",
            ))
    };
    if last == 0 || spec.values.is_empty() {
        return Ok(());
    }
    let cat = col(spec.category)?;
    let mut chart = Chart::new(match spec.kind {
        ChartKind::StackedBar => ChartType::BarStacked,
        ChartKind::Column => ChartType::Column,
    });
    chart.title().set_name(&spec.title);
    for v in &spec.values {
        let v = col(*v)?;
        chart
            .add_series()
            .set_name((sheet, 0, v))
            .set_categories((sheet, 1, cat, last, cat))
            .set_values((sheet, 1, v, last, v));
    }
    if spec.values.len() == 1 {
        chart.legend().set_hidden();
    }
    // Room for every category: bars grow downwards, columns to the right (in pixels).
    let n = last.min(200);
    match spec.kind {
        ChartKind::StackedBar => chart.set_height((n * 24 + 120).max(288)),
        ChartKind::Column => chart.set_width((n * 32 + 120).max(480)),
    };
    let at = col(rep.columns.len().saturating_sub(1))?.saturating_add(2);
    ws.insert_chart(1, at, &chart)
        .context(tr("cannot place the chart", "无法插入图表"))?;
    Ok(())
}

/// One row of cells, at row `r` (0 is the header).
fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &[Value],
    lang: Lang,
    widths: &mut [usize],
    decimal: &Format,
    integer: &Format,
) -> Result<()> {
    if r >= 1_048_576 {
        anyhow::bail!(tr(
            "too many rows for a worksheet (Excel holds 1,048,576)",
            "行数过多，一张工作表容纳不下（Excel 最多 1,048,576 行）"
        ));
    }
    for (c, value) in row.iter().enumerate() {
        let shown = match value {
            Value::Text(s) => neutralize(s),
            Value::Code(..) => neutralize(&value.human(lang)),
            Value::Bool(b) if lang == Lang::Zh => super::yes_no(*b).to_string(),
            other => other.plain(),
        };
        if let Some(w) = widths.get_mut(c) {
            *w = (*w).max(display_width(&shown));
        }
        let c = u16::try_from(c).context(tr(
            "too many columns for a worksheet",
            "列数过多，一张工作表容纳不下",
        ))?;
        match value {
            Value::Text(_) | Value::Code(..) => {
                ws.write_string(r, c, clip(&shown))?;
            }
            // Numbers are written as binary floating point, which is fine for output: a
            // decimal rounded to two places (as every other format shows it) parses to the
            // f64 nearest it, whose shortest representation is that same decimal, so Excel
            // shows and a reader gets back exactly what CSV prints.
            Value::Dec(d) => {
                let x: f64 = fmt2(*d).parse().with_context(|| {
                    msg!(
                        "decimal {d} out of range for Excel",
                        "数值 {d} 超出 Excel 的范围"
                    )
                })?;
                ws.write_number_with_format(r, c, x, decimal)?;
            }
            Value::Int(i) => {
                // Integers this large do not occur; beyond 2^53 they would lose digits.
                ws.write_number_with_format(r, c, *i as f64, integer)?;
            }
            // Yes and no are booleans in English, 是 and 否 in Chinese (Excel shows a
            // boolean as TRUE or FALSE).
            Value::Bool(b) if lang == Lang::En => {
                ws.write_boolean(r, c, *b)?;
            }
            Value::Bool(_) => {
                ws.write_string(r, c, &shown)?;
            }
            Value::Null => {}
        }
    }
    Ok(())
}

/// A worksheet name from a title: without the characters Excel forbids (`[]:*?/\`), at
/// most 31 characters, not starting or ending with `'`, unique among `taken` (Excel
/// compares names without regard to case), and not Excel's reserved `History`.
fn sheet_name(title: &str, fallback: &str, taken: &[String]) -> String {
    let cleaned: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .collect();
    let mut cleaned = cleaned.trim().trim_matches('\'').trim();
    // A long title "Town — ratings 2025" keeps what tells the sheets apart: the part after
    // the dash, and then its end.
    if cleaned.chars().count() > MAX_SHEET_NAME {
        if let Some((_, what)) = cleaned.split_once(" — ") {
            cleaned = what.trim();
        }
    }
    // Then a last bracketed part — `（公示期2025-12-21至2025-12-25）` — goes whole, and what
    // is still too long is cut at its end (on a character boundary), never its front.
    if cleaned.chars().count() > MAX_SHEET_NAME {
        if let Some(open) = ['（', '(']
            .iter()
            .filter(|_| cleaned.ends_with(['）', ')']))
            .filter_map(|c| cleaned.rfind(*c))
            .max()
        {
            let head = cleaned.get(..open).unwrap_or(cleaned).trim();
            if !head.is_empty() {
                cleaned = head;
            }
        }
    }
    if let Some((end, _)) = cleaned.char_indices().nth(MAX_SHEET_NAME) {
        cleaned = cleaned
            .get(..end)
            .unwrap_or(cleaned)
            .trim()
            .trim_matches('\'')
            .trim();
    }
    let base: String = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        fallback.to_string()
    } else {
        cleaned.to_string()
    };
    let base = base.trim_end().trim_end_matches('\'').to_string();
    let is_taken = |n: &str| taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|k| {
            let suffix = format!(" ({k})");
            let keep = MAX_SHEET_NAME - suffix.chars().count();
            let stem: String = base.chars().take(keep).collect();
            format!("{}{suffix}", stem.trim_end())
        })
        .find(|n| !is_taken(n))
        .unwrap_or_else(|| fallback.to_string())
}

/// Text Excel can hold in one cell (longer text is cut, with `…`).
fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_CELL_TEXT {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_CELL_TEXT - 1).collect();
        t.push('…');
        t
    }
}

/// The width of text in a fixed-width font: wide (CJK, full-width) characters count two.
pub(crate) fn display_width(s: &str) -> usize {
    s.lines()
        .map(|line| line.chars().map(char_width).sum::<usize>())
        .max()
        .unwrap_or(0)
}

fn char_width(c: char) -> usize {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F        // Hangul Jamo
        | 0x2E80..=0x303E      // CJK radicals, punctuation
        | 0x3041..=0x33FF      // kana, CJK symbols
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFE30..=0xFE4F      // CJK compatibility forms
        | 0xFF00..=0xFF60      // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x2605..=0x2606      // ★ ☆
        | 0x20000..=0x3FFFD); // CJK extensions B and beyond
    if wide {
        2
    } else {
        1
    }
}

/// A readable column width: the widest cell plus a margin, within bounds.
pub(crate) fn clamp_width(w: usize) -> usize {
    (w + 2).clamp(MIN_WIDTH, MAX_WIDTH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Ratings".to_string()];
        assert_eq!(sheet_name("a/b [c]: d*?\\", "S", &[]), "ab c d");
        assert_eq!(sheet_name("ratings", "S", &taken), "ratings (2)");
        assert_eq!(sheet_name("''", "S1", &[]), "S1");
        assert_eq!(sheet_name("History", "S1", &[]), "S1");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, "S", &[]).chars().count(), 31);
        assert_eq!(
            sheet_name("Spec Example Town — ratings 2025", "S", &[]),
            "ratings 2025"
        );
        assert_eq!(
            sheet_name("A Very Long Town Name — tiers of the year 2025", "S", &[]),
            "tiers of the year 2025"
        );
        assert_eq!(
            sheet_name("abcdefghij klmnopqrst uvwxyz 0123456789", "S", &[]),
            "abcdefghij klmnopqrst uvwxyz 01"
        );
        // Cut at the end: the town and the year stay, the window in brackets goes.
        assert_eq!(
            sheet_name(
                "大王镇 2025年度五星级党支部公示名单（公示期2025-12-21至2025-12-25）",
                "S",
                &[]
            ),
            "大王镇 2025年度五星级党支部公示名单"
        );
        let long_zh = "甲".repeat(40);
        assert_eq!(sheet_name(&long_zh, "S", &[]), "甲".repeat(31));
        let taken = vec!["x".repeat(31)];
        let n = sheet_name(&long, "S", &taken);
        assert_eq!(n.chars().count(), 31);
        assert!(n.ends_with(" (2)"));
        assert_eq!(
            sheet_name("大王镇 2025年度星级评定结果", "S", &[])
                .chars()
                .count(),
            16
        );
    }

    #[test]
    fn widths_count_wide_characters_twice() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("大王镇"), 6);
        assert_eq!(display_width("★★☆"), 6);
        assert_eq!(clamp_width(1), MIN_WIDTH);
        assert_eq!(clamp_width(500), MAX_WIDTH);
    }
}
