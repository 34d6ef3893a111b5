//! Excel workbooks: the main table on the first worksheet, each extra table (summary) on a
//! worksheet of its own, and the notes for people on a last one.
//!
//! Every worksheet is ready to print: a title row (the town, the year, what it is) above
//! the header row, the header row bold, frozen and repeated on every printed page, A4
//! (landscape where the table is wider than a portrait page), fitted to the page's width,
//! long text wrapped within sensible column widths, the title at the head of each page and
//! "page k of n" at its foot. A signed report (the publicity notice) is a notice to post:
//! its opening words above the table, its closing paragraphs and its signature (the
//! issuing body, the date) below it, on the same sheet.
//!
//! Cells keep their types: decimals and integers are numbers, yes/no are booleans
//! (是/否 in Chinese), blanks are empty cells, and text is text, neutralized like CSV (a
//! leading `'` before `=`, `+`, `-`, `@`, tab or carriage return) so that the rows of a
//! sheet saved as CSV are the rows of `--format csv` (in English: in Chinese, codes such
//! as statuses and domains are shown in Chinese, as a person reads them).
//!
//! A table that asks for a chart ([`ChartSpec`]) has it drawn beside it, a native Excel
//! chart whose series refer to the table's cells (Excel redraws it when they are edited).
//!
//! Large tables are written in rust_xlsxwriter's constant-memory mode, row by row: what
//! goes above the rows (the title, the columns' wrapping) is set before them, what is
//! known only after them (the widths, the orientation) once they are written. Formats are
//! set per column where the crate allows (text wraps by its column's format), not per
//! cell.
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
    Chart, ChartType, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet,
};

/// The most rows of a table with a chart that is held in memory to fill the chart's cached
/// values (a county's summary by town of 100,000 towns is not: Excel fills them on opening).
const HELD_ROWS: usize = 10_000;
/// Excel's limit on the length of a worksheet name, in characters.
const MAX_SHEET_NAME: usize = 31;
/// Excel's limit on the length of a cell's text, in characters.
const MAX_CELL_TEXT: usize = 32_767;
/// Column widths, in characters, are kept within these bounds; longer text wraps.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 40;
/// The width of the notes' column (longer notes wrap).
const NOTES_WIDTH: usize = 90;
/// Tables wider than this (in characters) print on a landscape page: about what fits
/// across a portrait A4 page at full size.
const PORTRAIT_WIDTH: usize = 90;
/// Paper: A4 (Excel's paper size 9).
const A4: u8 = 9;

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

/// The formats of every sheet, made once.
struct Styles {
    title: Format,
    paragraph: Format,
    signature: Format,
    header: Format,
    /// Every column's: text wraps within its width, at the top of its row.
    column: Format,
    decimal: Format,
    integer: Format,
}

impl Styles {
    fn new() -> Styles {
        let top = || Format::new().set_align(FormatAlign::Top);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            paragraph: top().set_text_wrap(),
            signature: Format::new().set_align(FormatAlign::Right),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_border_bottom(FormatBorder::Thin),
            column: top().set_text_wrap(),
            decimal: top().set_num_format("0.00"),
            integer: top().set_num_format("0"),
        }
    }
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
    let styles = Styles::new();
    let mut names: Vec<String> = Vec::new();
    let fallback = lang.t("Sheet", "表");
    let signed = !r.signature.is_empty();
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
        let title = match n {
            0 => r.title.clone(),
            _ => sheet_title(&r.title, &rep.title, lang),
        };
        // The main table of a notice carries its opening words, closing paragraphs and
        // signature.
        let notice = (n == 0 && signed).then_some(r);
        let sheet = write_table(ws, rep, &title, notice, lang, &styles)?;
        for (c, values) in rep.choices.iter().filter(|_| sheet.rows > 0) {
            let c = column(*c)?;
            let list = values.join(", ");
            let v = rust_xlsxwriter::DataValidation::new()
                .allow_list_strings(values)?
                .set_error_title(lang.t("Not a value of the list", "不在可选范围内"))?
                .set_error_message(msg!("Choose one of: {list}", "请选择：{list}"))?;
            let first = sheet.header + 1;
            ws.add_data_validation(first, c, sheet.header + sheet.rows, c, &v)?;
        }
        if let Some(spec) = &rep.chart {
            insert_chart(ws, &name, rep, spec, &sheet)?;
        }
        names.push(name);
    }
    if !r.notes.is_empty() && !signed {
        let name = sheet_name(lang.t("Notes", "说明"), "Notes", &names);
        let ws = wb.add_worksheet_with_constant_memory();
        ws.set_name(&name)
            .with_context(|| msg!("worksheet name `{name}`", "工作表名称“{name}”"))?;
        let title = sheet_title(&r.title, lang.t("Notes", "说明"), lang);
        let width = (r.notes.iter().map(|n| display_width(n)))
            .fold(MIN_WIDTH, usize::max)
            .min(NOTES_WIDTH);
        ws.set_column_format(0, &styles.paragraph)?;
        ws.set_column_width(0, width as f64)?;
        ws.set_row_height(0, lines(&title, width) as f64 * TITLE_LINE)?;
        ws.write_string_with_format(0, 0, clip(&title), &styles.title)?;
        for (row, note) in r.notes.iter().enumerate() {
            let row = u32::try_from(row + 1).context(tr(
                "too many notes for a worksheet",
                "说明过多，一张工作表容纳不下",
            ))?;
            ws.write_string(row, 0, clip(&neutralize(note)))?;
        }
        page_setup(ws, &title, width, None, lang)?;
    }
    Ok(wb)
}

/// The title of a summary's sheet: the report's, then the summary's (`大王镇 2025年度星级
/// 评定结果：各领域星级分布`).
fn sheet_title(report: &str, table: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{report}：{table}"),
        Lang::En => format!("{report} — {table}"),
    }
}

/// A column's number on a worksheet.
fn column(c: usize) -> Result<u16> {
    u16::try_from(c).context(tr(
        "too many columns for a worksheet",
        "列数过多，一张工作表容纳不下",
    ))
}

/// The heights of rows of wrapped text, in points a line: a title's, a paragraph's.
const TITLE_LINE: f64 = 22.0;
const TEXT_LINE: f64 = 16.0;

/// The lines `s` takes when wrapped to `width` characters (at least one): rows of wrapped
/// text in merged cells are not made taller by Excel, so their height is set.
fn lines(s: &str, width: usize) -> usize {
    let width = width.max(1);
    s.split('\n')
        .map(|l| display_width(l).div_ceil(width).max(1))
        .sum::<usize>()
        .max(1)
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

/// Where a table went on its worksheet: its header row and how many rows below it.
struct Placed {
    header: u32,
    rows: u32,
}

/// A line of text across the table's columns, `first` to `last` (merged, when there are
/// two or more), `lines` lines of `line` points high: the height of a row of more than one
/// line is set (Excel does not make merged cells taller), and set before the row's cells
/// (in constant-memory mode a row whose height is set after its cells, when it is the
/// sheet's last, is written twice).
fn across(
    ws: &mut Worksheet,
    row: u32,
    last: u16,
    text: &str,
    format: &Format,
    (lines, line): (usize, f64),
) -> Result<()> {
    if lines > 1 || line > TEXT_LINE {
        ws.set_row_height(row, lines as f64 * line)?;
    }
    let text = clip(&neutralize(text));
    match last {
        0 => ws.write_string_with_format(row, 0, &text, format)?,
        _ => ws.merge_range(row, 0, row, last, &text, format)?,
    };
    Ok(())
}

/// The table on its worksheet, ready to print: the title row, (a notice's opening words,)
/// the header row, the rows, (a notice's closing paragraphs and signature,) the widths,
/// the page setup.
fn write_table(
    ws: &mut Worksheet,
    rep: &Report,
    title: &str,
    notice: Option<&Report>,
    lang: Lang,
    styles: &Styles,
) -> Result<Placed> {
    let n = rep.columns.len().max(1);
    let last = column(n - 1)?;
    // Text wraps by its column's format, set before any row is written (in constant-memory
    // mode a row's cells take their formats when the row is written out).
    for c in 0..n {
        ws.set_column_format(column(c)?, &styles.column)?;
    }
    // What the table will be at least as wide as (the rows may widen it): the lines of the
    // text above it are counted against that.
    let least: usize = (rep.columns.iter())
        .map(|c| clamp_width(display_width(c.header(lang))))
        .sum::<usize>()
        .max(1);
    let mut above = vec![(title, &styles.title, TITLE_LINE)];
    for p in notice.map(|r| &r.preface[..]).unwrap_or_default() {
        above.push((p.as_str(), &styles.paragraph, TEXT_LINE));
    }
    for (row, (text, format, line)) in (0u32..).zip(&above) {
        across(ws, row, last, text, format, (lines(text, least), *line))?;
    }
    let header = u32::try_from(above.len()).context("rows")?;
    let (rows, widths) = write_rows(ws, rep, header, lang, styles)?;
    let total: usize = widths.iter().sum::<usize>().max(1);
    if let Some(notice) = notice {
        // A blank row, the closing paragraphs, a blank row, the signature at the right.
        let mut at = header + rows + 1;
        for p in &notice.notes {
            at += 1;
            let height = (lines(p, total), TEXT_LINE);
            across(ws, at, last, p, &styles.paragraph, height)?;
        }
        at += 1;
        for s in &notice.signature {
            at += 1;
            across(ws, at, last, s, &styles.signature, (1, TEXT_LINE))?;
        }
    }
    ws.set_freeze_panes(header + 1, 0)?;
    page_setup(ws, title, total, Some(header), lang)?;
    Ok(Placed { header, rows })
}

/// The header row at row `header` and the rows below it, the columns' widths set from what
/// they hold: how many rows, and the widths.
fn write_rows(
    ws: &mut Worksheet,
    rep: &Report,
    header: u32,
    lang: Lang,
    styles: &Styles,
) -> Result<(u32, Vec<usize>)> {
    let mut widths: Vec<usize> = (rep.columns.iter())
        .map(|c| display_width(c.header(lang)))
        .collect();
    for (c, col) in rep.columns.iter().enumerate() {
        ws.write_string_with_format(header, column(c)?, col.header(lang), &styles.header)?;
    }
    let mut r: u32 = header;
    let mut failure: Option<anyhow::Error> = None;
    let written = rep.each_row(&mut |row| {
        r += 1;
        if let Err(e) = write_row(ws, r, row, lang, &mut widths, styles) {
            failure = Some(e);
            return Err(std::io::Error::other("stop"));
        }
        Ok(())
    });
    if let Some(e) = failure {
        return Err(e);
    }
    written.context(tr("cannot make the rows", "无法生成各行"))?;
    let widths: Vec<usize> = widths.iter().map(|w| clamp_width(*w)).collect();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(column(c)?, *w as f64)?;
    }
    Ok((r - header, widths))
}

/// A4, landscape when the table (`width` characters) is wider than a portrait page, fitted
/// to the page's width, centred; the header row (when there is one) printed on every page;
/// the title at the head of each page and "page k of n" at its foot.
pub(crate) fn page_setup(
    ws: &mut Worksheet,
    title: &str,
    width: usize,
    header: Option<u32>,
    lang: Lang,
) -> Result<()> {
    ws.set_paper_size(A4);
    if width > PORTRAIT_WIDTH {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    if let Some(h) = header {
        ws.set_repeat_rows(h, h)?;
    }
    // `&` starts a code in a header: a title's own is doubled. Excel takes at most 255
    // characters there.
    let running: String = title.replace('&', "&&").chars().take(200).collect();
    ws.set_header(format!("&L{running}"));
    ws.set_footer(lang.t("&CPage &P of &N", "&C第 &P 页，共 &N 页"));
    Ok(())
}

/// The chart `spec` asks for, over the rows written below the header of the worksheet
/// `sheet`, placed to the right of the table. A table without rows has none.
fn insert_chart(
    ws: &mut Worksheet,
    sheet: &str,
    rep: &Report,
    spec: &ChartSpec,
    placed: &Placed,
) -> Result<()> {
    let rows = placed.rows;
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
    let (first, last) = (placed.header + 1, placed.header + last);
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
            .set_name((sheet, placed.header, v))
            .set_categories((sheet, first, cat, last, cat))
            .set_values((sheet, first, v, last, v));
    }
    if spec.values.len() == 1 {
        chart.legend().set_hidden();
    }
    // Room for every category: bars grow downwards, columns to the right (in pixels).
    let n = (last - first + 1).min(200);
    match spec.kind {
        ChartKind::StackedBar => chart.set_height((n * 24 + 120).max(288)),
        ChartKind::Column => chart.set_width((n * 32 + 120).max(480)),
    };
    let at = col(rep.columns.len().saturating_sub(1))?.saturating_add(2);
    ws.insert_chart(first, at, &chart)
        .context(tr("cannot place the chart", "无法插入图表"))?;
    Ok(())
}

/// One row of cells, at row `r`.
fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &[Value],
    lang: Lang,
    widths: &mut [usize],
    styles: &Styles,
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
        let c = column(c)?;
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
                ws.write_number_with_format(r, c, x, &styles.decimal)?;
            }
            // A standard's points as they are written (`12`, `0.8`): its own digits, in
            // Excel's general format.
            Value::Num(d) => {
                let x: f64 = shown.parse().with_context(|| {
                    msg!(
                        "decimal {d} out of range for Excel",
                        "数值 {d} 超出 Excel 的范围"
                    )
                })?;
                ws.write_number(r, c, x)?;
            }
            Value::Int(i) => {
                // Integers this large do not occur; beyond 2^53 they would lose digits.
                ws.write_number_with_format(r, c, *i as f64, &styles.integer)?;
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
