//! Rendering: every list is a [`Report`] of typed cells, printed as a table, CSV, JSON or
//! Markdown by one renderer each, so that the formats never disagree.

mod csv;
mod json;
mod markdown;
mod table;
pub mod xlsx;

use crate::decimal::fmt2;
use crate::i18n::Lang;
use rust_decimal::Decimal;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for reading in a terminal.
    Table,
    /// CSV with a header row (the machine contract).
    Csv,
    /// A JSON array of objects with the CSV's field names.
    Json,
    /// Markdown tables, to paste into documents.
    Markdown,
    /// An Excel workbook (needs --output FILE.xlsx).
    Xlsx,
}

/// One cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// A decimal shown with exactly two places, rounded half up.
    Dec(Decimal),
    Int(i64),
    Bool(bool),
    /// Blank in CSV, `null` in JSON.
    Null,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.into()))
    }
    /// The value as a table for people shows it: a tick for yes, nothing for no.
    pub fn human(&self) -> String {
        match self {
            Value::Bool(true) => "✓".into(),
            Value::Bool(false) => String::new(),
            other => other.plain(),
        }
    }

    /// The plain text of the value, as CSV shows it (before any escaping).
    pub fn plain(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Dec(d) => fmt2(*d),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
        }
    }
}

/// A column: its machine key and its headers for people.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Column {
    pub const fn new(key: &'static str, en: &'static str, zh: &'static str) -> Column {
        Column { key, en, zh }
    }
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// A list: columns and rows. The machine formats print `rows` only; the table and Markdown
/// add the `title` and the `notes` (summaries for people).
#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// For people only: more tables (summaries) after the main one.
    pub extras: Vec<Report>,
    /// For people only: lines after the tables.
    pub notes: Vec<String>,
}

impl Report {
    pub fn new(title: impl Into<String>, columns: Vec<Column>) -> Report {
        Report {
            title: title.into(),
            columns,
            rows: Vec::new(),
            extras: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The report in a format.
    pub fn render(&self, format: Format, lang: Lang) -> String {
        match format {
            Format::Table => table::render(self, lang),
            Format::Csv => csv::render(self),
            Format::Json => json::render(self),
            Format::Markdown | Format::Xlsx => markdown::render(self, lang),
        }
    }
}

/// Stars as ★ marks: `★★★☆☆`.
pub fn star_marks(star: u8) -> String {
    let s = usize::from(star.min(5));
    format!("{}{}", "★".repeat(s), "☆".repeat(5 - s))
}
