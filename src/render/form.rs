//! A sheet to fill, as a workbook (`stars template DOMAIN -f xlsx`): what a branch or an
//! assessment group fills in Excel or WPS and hands back, read back as it is.
//!
//! The header row holds the keys the reader uses (`branch`, `level`, indicator ids,
//! `overall`); above it a title and, for each column to fill, its name and its points (the
//! reader passes rows above the header over). Each cell to fill has Excel's data validation
//! (a decimal from 0 to the points, or one of a code's values); the columns given (id, name,
//! level) are shaded, as not to be filled. Printed on A4, landscape, one page wide, the
//! rows above the data repeated on every page. The notes go on a worksheet of their own,
//! named as notes are (`说明`, `Notes`), which is not read.
//!
//! The same form gives the same bytes: the creation date is fixed, as in [`super::xlsx`].

use super::csv::neutralize;
use super::xlsx::{clamp_width, display_width};
use crate::decimal::fmt_plain;
use crate::i18n::{msg_in, tr, Lang};
use anyhow::{Context, Result};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// A column of the form.
#[derive(Debug, Clone)]
pub struct FormColumn {
    /// The header: the key the reader uses.
    pub key: String,
    /// What it is, for people (an indicator's name), shown above the header.
    pub label: String,
    /// A score: a decimal from 0 to this.
    pub max: Option<Decimal>,
    /// A code: one of these.
    pub choices: Vec<String>,
    /// Given, not to be filled (shaded).
    pub given: bool,
}

/// A sheet to fill.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// The worksheet's name.
    pub sheet: String,
    pub columns: Vec<FormColumn>,
    /// The cells given, by row (blank for those to fill).
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

/// The rows above the data: the title, the names, the points, the header.
const TITLE: u32 = 0;
const LABELS: u32 = 1;
const POINTS: u32 = 2;
const HEADER: u32 = 3;
const FIRST: u32 = 4;

/// The form as a workbook.
pub fn render(form: &Form, lang: Lang) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).context(tr("workbook date", "工作簿日期"))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(form.title.as_str())
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name(&form.sheet)?;
    write_form(ws, form, lang)?;
    if !form.notes.is_empty() {
        let notes = wb.add_worksheet();
        notes.set_name(lang.t("Notes", "说明"))?;
        let mut width = 8;
        for (r, note) in form.notes.iter().enumerate() {
            let r = u32::try_from(r).context("notes")?;
            notes.write_string(r, 0, neutralize(note))?;
            width = width.max(display_width(note));
        }
        notes.set_column_width(0, clamp_width(width) as f64)?;
        super::xlsx::page_setup(notes, &form.title, width, None, lang)?;
    }
    wb.save_to_buffer()
        .context(tr("cannot build the workbook", "无法生成工作簿"))
}

fn write_form(ws: &mut Worksheet, form: &Form, lang: Lang) -> Result<()> {
    let n = u16::try_from(form.columns.len()).context("columns")?;
    let last_col = n.saturating_sub(1);
    let rows = u32::try_from(form.rows.len()).context("rows")?;
    let last_row = FIRST + rows.saturating_sub(1);
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let label = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_font_color("#595959");
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let given = Format::new()
        .set_background_color("#E7E6E6")
        .set_border(FormatBorder::Thin);
    let to_fill = Format::new().set_border(FormatBorder::Thin);
    match n {
        0 | 1 => ws.write_string_with_format(TITLE, 0, &form.title, &title)?,
        _ => ws.merge_range(TITLE, 0, TITLE, last_col, &form.title, &title)?,
    };
    ws.set_row_height(LABELS, 45)?;
    // "Points" beside the first points, under the last column given.
    let given_cols = form.columns.iter().take_while(|c| c.given).count();
    if let Some(c) = given_cols.checked_sub(1) {
        let c = u16::try_from(c).context("columns")?;
        ws.write_string_with_format(POINTS, c, lang.t("Points", "分值"), &label)?;
    }
    for (c, col) in form.columns.iter().enumerate() {
        let c = u16::try_from(c).context("columns")?;
        if !col.label.is_empty() {
            ws.write_string_with_format(LABELS, c, neutralize(&col.label), &label)?;
        }
        // The points as numbers (a SUM of them is the standard's total).
        if let Some(max) = col.max {
            let x: f64 = fmt_plain(max).parse().context("points")?;
            ws.write_number_with_format(POINTS, c, x, &label)?;
        }
        ws.write_string_with_format(HEADER, c, &col.key, &header)?;
        let width = form
            .rows
            .iter()
            .filter_map(|r| r.get(usize::from(c)))
            .map(|v| display_width(v))
            .chain([display_width(&col.key), 8])
            .max()
            .unwrap_or(8);
        ws.set_column_width(c, clamp_width(width.min(24)) as f64)?;
        let format = if col.given { &given } else { &to_fill };
        for (r, row) in form.rows.iter().enumerate() {
            let r = FIRST + u32::try_from(r).context("rows")?;
            match row.get(usize::from(c)).filter(|v| !v.is_empty()) {
                Some(v) => ws.write_string_with_format(r, c, neutralize(v), format)?,
                None => ws.write_blank(r, c, format)?,
            };
        }
        if rows > 0 {
            if let Some(v) = validation(col, lang)? {
                ws.add_data_validation(FIRST, c, last_row, c, &v)?;
            }
        }
    }
    ws.set_freeze_panes(FIRST, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(TITLE, HEADER)?;
    ws.set_print_center_horizontally(true);
    ws.set_footer(lang.t("&CPage &P of &N", "&C第 &P 页，共 &N 页"));
    Ok(())
}

/// The data validation of a column to fill: a decimal from 0 to its points, or one of its
/// codes.
fn validation(col: &FormColumn, lang: Lang) -> Result<Option<DataValidation>> {
    if col.given {
        return Ok(None);
    }
    if let Some(max) = col.max {
        let shown = fmt_plain(max);
        let top: f64 = shown.parse().context("points")?;
        let name = &col.label;
        let v = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, top))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_input_title(clip(&col.key, 32))?
            .set_input_message(clip(
                &msg_in!(
                    lang,
                    "{name}: a number from 0 to {shown}",
                    "{name}：0 到 {shown} 之间的数字"
                ),
                255,
            ))?
            .set_error_title(lang.t("Not a score", "不是有效分数"))?
            .set_error_message(msg_in!(
                lang,
                "Type a number from 0 to {shown} (without % or 分).",
                "请输入 0 到 {shown} 之间的数字（不带 % 或“分”）。"
            ))?;
        return Ok(Some(v));
    }
    if !col.choices.is_empty() {
        let list = col.choices.join(", ");
        let v = DataValidation::new()
            .allow_list_strings(&col.choices)?
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title(lang.t("Not a value of the list", "不在可选范围内"))?
            .set_error_message(clip(
                &msg_in!(lang, "Choose one of: {list}", "请选择：{list}"),
                255,
            ))?;
        return Ok(Some(v));
    }
    Ok(None)
}

/// At most `n` characters (Excel's limits on validation texts).
fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
