//! Reading TOML with every problem located by line, column and key.
//!
//! Numbers are taken from their source text, never through `f64`, so that `0.2` is
//! exactly two tenths.

use crate::decimal;
use crate::i18n::{msg, tr};
use crate::problem::{Problem, Problems};
use crate::source::LineIndex;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::ops::Range;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// How deeply nested a TOML file may be; the parser refuses deeper input itself, this is
/// a second guard for the walkers below.
const MAX_DEPTH: usize = 16;

/// A parsed TOML file with what is needed to locate problems in it.
pub struct TomlDoc<'a> {
    pub name: String,
    src: &'a str,
    index: LineIndex<'a>,
}

impl<'a> TomlDoc<'a> {
    pub fn new(name: &str, src: &'a str) -> Self {
        TomlDoc {
            name: name.to_string(),
            src,
            index: LineIndex::new(src),
        }
    }

    /// Parse, or push the syntax error (located) and return `None`.
    pub fn parse(&self, problems: &mut Problems) -> Option<ImDocument<&'a str>> {
        match ImDocument::parse(self.src) {
            Ok(doc) => Some(doc),
            Err(e) => {
                let msg = e.message().trim().replace('\n', "; ");
                problems.push(self.at(
                    e.span(),
                    None,
                    msg!("TOML syntax error: {msg}", "TOML 语法错误：{msg}"),
                ));
                None
            }
        }
    }

    /// A problem at a span (or the whole file when the span is unknown).
    pub fn at(&self, span: Option<Range<usize>>, key: Option<&str>, msg: String) -> Problem {
        let p = match span {
            Some(r) => {
                let (line, col) = self.index.position(r.start);
                Problem {
                    location: crate::problem::Location::Line {
                        line,
                        column: Some(col),
                        field: None,
                    },
                    ..Problem::file(&self.name, msg)
                }
                .with_excerpt(self.index.line(line))
            }
            None => Problem::file(&self.name, msg),
        };
        match key {
            Some(k) => p.with_key(k),
            None => p,
        }
    }

    /// The fields of the document's root table.
    pub fn root<'d>(&'d self, doc: &'d ImDocument<&'a str>) -> Fields<'d, 'a> {
        Fields::new(self, doc.as_table(), String::new(), None, 0)
    }

    fn raw(&self, span: Option<Range<usize>>) -> Option<&str> {
        span.and_then(|r| self.src.get(r)).map(str::trim)
    }
}

/// The keys of one table, read one by one; whatever is left unread is an unknown key.
pub struct Fields<'d, 'a> {
    doc: &'d TomlDoc<'a>,
    table: &'d dyn TableLike,
    path: String,
    span: Option<Range<usize>>,
    used: BTreeSet<String>,
    depth: usize,
}

impl<'d, 'a> Fields<'d, 'a> {
    fn new(
        doc: &'d TomlDoc<'a>,
        table: &'d dyn TableLike,
        path: String,
        span: Option<Range<usize>>,
        depth: usize,
    ) -> Self {
        Fields {
            doc,
            table,
            path,
            span,
            used: BTreeSet::new(),
            depth,
        }
    }

    /// The key path of a key in this table, as shown in messages: `indicator[3].points`.
    pub fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// A problem about this table as a whole.
    pub fn problem(&self, msg: String) -> Problem {
        let key = if self.path.is_empty() {
            None
        } else {
            Some(self.path.as_str())
        };
        self.doc.at(self.span.clone(), key, msg)
    }

    /// A problem about one key of this table.
    pub fn key_problem(&self, key: &str, msg: String) -> Problem {
        let span = self
            .table
            .get(key)
            .and_then(Item::span)
            .or_else(|| self.table.key(key).and_then(|k| k.span()))
            .or_else(|| self.span.clone());
        self.doc.at(span, Some(&self.key_path(key)), msg)
    }

    fn take(&mut self, key: &str, required: bool, problems: &mut Problems) -> Option<&'d Item> {
        self.used.insert(key.to_string());
        let item = self.table.get(key);
        if item.is_none() && required {
            let path = self.key_path(key);
            problems.push(self.problem(msg!("missing key `{path}`", "缺少键“{path}”")));
        }
        item
    }

    fn value(&mut self, key: &str, required: bool, problems: &mut Problems) -> Option<&'d Value> {
        let item = self.take(key, required, problems)?;
        match item.as_value() {
            Some(v) => Some(v),
            None => {
                let t = a(item.type_name());
                problems.push(
                    self.key_problem(key, msg!("found {t}; expected a value", "发现{t}；应为值")),
                );
                None
            }
        }
    }

    pub fn string(&mut self, key: &str, required: bool, problems: &mut Problems) -> Option<String> {
        let v = self.value(key, required, problems)?;
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                let t = a(v.type_name());
                problems.push(self.key_problem(
                    key,
                    msg!("found {t}; expected a string", "发现{t}；应为字符串"),
                ));
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &str, required: bool, problems: &mut Problems) -> Option<bool> {
        let v = self.value(key, required, problems)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                let t = a(v.type_name());
                problems.push(self.key_problem(
                    key,
                    msg!(
                        "found {t}; expected true or false",
                        "发现{t}；应为 true 或 false"
                    ),
                ));
                None
            }
        }
    }

    /// A non-empty string.
    pub fn text(&mut self, key: &str, required: bool, problems: &mut Problems) -> Option<String> {
        let s = self.string(key, required, problems)?;
        if s.trim().is_empty() {
            problems.push(self.key_problem(
                key,
                tr("is empty; expected some text", "内容为空；应填写文字").into(),
            ));
            return None;
        }
        Some(s)
    }

    /// An exact decimal from the number's source text.
    pub fn decimal(
        &mut self,
        key: &str,
        required: bool,
        problems: &mut Problems,
    ) -> Option<Decimal> {
        let v = self.value(key, required, problems)?;
        if !(v.is_integer() || v.is_float()) {
            let t = a(v.type_name());
            problems.push(self.key_problem(
                key,
                msg!("found {t}; expected a number", "发现{t}；应为数字"),
            ));
            return None;
        }
        let raw = self.doc.raw(v.span()).unwrap_or_default().replace('_', "");
        match decimal::parse(&raw) {
            Ok(d) => Some(d),
            Err(e) => {
                let what = e.describe();
                problems.push(self.key_problem(
                    key,
                    msg!(
                        "`{raw}` {what}; expected a plain decimal number",
                        "“{raw}”{what}；应为普通的十进制数"
                    ),
                ));
                None
            }
        }
    }

    /// A whole number within `range`.
    pub fn integer(
        &mut self,
        key: &str,
        required: bool,
        range: std::ops::RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> Option<i64> {
        let v = self.value(key, required, problems)?;
        match v.as_integer() {
            Some(i) if range.contains(&i) => Some(i),
            Some(i) => {
                let (lo, hi) = (range.start(), range.end());
                problems.push(self.key_problem(
                    key,
                    msg!(
                        "found {i}; expected a whole number from {lo} to {hi}",
                        "发现 {i}；应为 {lo} 到 {hi} 之间的整数"
                    ),
                ));
                None
            }
            None => {
                let raw = self.doc.raw(v.span()).unwrap_or_default().to_string();
                let (t, lo, hi) = (a(v.type_name()), range.start(), range.end());
                problems.push(self.key_problem(
                    key,
                    msg!(
                        "found {t} `{raw}`; expected a whole number from {lo} to {hi}",
                        "发现{t}“{raw}”；应为 {lo} 到 {hi} 之间的整数"
                    ),
                ));
                None
            }
        }
    }

    /// The elements of an array value, each with its path (`key[1]`); a located problem
    /// (`expected`: what the array holds, in English and Chinese) and `None` when the value
    /// is not an array.
    fn elements(
        &mut self,
        key: &str,
        required: bool,
        expected: (&'static str, &'static str),
        problems: &mut Problems,
    ) -> Option<Vec<(&'d Value, String)>> {
        let v = self.value(key, required, problems)?;
        let Some(arr) = v.as_array() else {
            let (t, what) = (a(v.type_name()), tr(expected.0, expected.1));
            problems.push(self.key_problem(
                key,
                msg!("found {t}; expected {what}", "发现{t}；应为{what}"),
            ));
            return None;
        };
        let path = self.key_path(key);
        Some(
            arr.iter()
                .enumerate()
                .map(|(i, el)| (el, format!("{path}[{}]", i + 1)))
                .collect(),
        )
    }

    pub fn string_array(
        &mut self,
        key: &str,
        required: bool,
        problems: &mut Problems,
    ) -> Option<Vec<String>> {
        let elements = self.elements(
            key,
            required,
            ("an array of strings", "字符串数组"),
            problems,
        )?;
        let mut out = Vec::new();
        for (el, path) in elements {
            match el.as_str() {
                Some(s) => out.push(s.to_string()),
                None => {
                    let t = a(el.type_name());
                    problems.push(self.doc.at(
                        el.span(),
                        Some(&path),
                        msg!("found {t}; expected a string", "发现{t}；应为字符串"),
                    ))
                }
            }
        }
        Some(out)
    }

    /// A local date (`2025-12-20`, or the same as a string).
    pub fn date(
        &mut self,
        key: &str,
        required: bool,
        problems: &mut Problems,
    ) -> Option<chrono::NaiveDate> {
        let v = self.value(key, required, problems)?;
        let text = match v {
            Value::Datetime(dt) => {
                let d = dt.value();
                if d.time.is_some() || d.offset.is_some() || d.date.is_none() {
                    problems.push(self.key_problem(
                        key,
                        msg!(
                            "found `{d}`; expected a date such as 2025-12-20",
                            "发现“{d}”；应为日期，如 2025-12-20"
                        ),
                    ));
                    return None;
                }
                d.to_string()
            }
            Value::String(s) => s.value().clone(),
            other => {
                let t = a(other.type_name());
                problems.push(self.key_problem(
                    key,
                    msg!(
                        "found {t}; expected a date such as 2025-12-20",
                        "发现{t}；应为日期，如 2025-12-20"
                    ),
                ));
                return None;
            }
        };
        match crate::date::parse_date(&text) {
            Some(d) => Some(d),
            None => {
                problems.push(self.key_problem(
                    key,
                    msg!(
                        "found `{text}`; expected a date such as 2025-12-20",
                        "发现“{text}”；应为日期，如 2025-12-20"
                    ),
                ));
                None
            }
        }
    }

    /// An array of local dates (`[2025-10-01, "2025-10-02"]`), each element located when
    /// it is not one; `None` when the key is absent or not an array.
    pub fn date_array(
        &mut self,
        key: &str,
        required: bool,
        problems: &mut Problems,
    ) -> Option<Vec<chrono::NaiveDate>> {
        let elements = self.elements(
            key,
            required,
            (
                "an array of dates such as [2025-10-01]",
                "日期数组，如 [2025-10-01]",
            ),
            problems,
        )?;
        let mut out = Vec::new();
        for (el, path) in elements {
            let text = match el {
                Value::Datetime(dt) => {
                    let d = dt.value();
                    (d.time.is_none() && d.offset.is_none() && d.date.is_some())
                        .then(|| d.to_string())
                }
                Value::String(s) => Some(s.value().clone()),
                _ => None,
            };
            match text.as_deref().and_then(crate::date::parse_date) {
                Some(d) => out.push(d),
                None => {
                    let raw = self.doc.raw(el.span()).unwrap_or_default().to_string();
                    problems.push(self.doc.at(
                        el.span(),
                        Some(&path),
                        msg!(
                            "found `{raw}`; expected a date such as 2025-10-01",
                            "发现“{raw}”；应为日期，如 2025-10-01"
                        ),
                    ))
                }
            }
        }
        Some(out)
    }

    /// A sub-table (`[levels]` or an inline table).
    pub fn table(&mut self, key: &str, problems: &mut Problems) -> Option<Fields<'d, 'a>> {
        let item = self.take(key, false, problems)?;
        let path = self.key_path(key);
        if self.depth >= MAX_DEPTH {
            problems.push(self.key_problem(key, tr("is nested too deeply", "嵌套层数过多").into()));
            return None;
        }
        match item.as_table_like() {
            Some(t) => Some(Fields::new(
                self.doc,
                t,
                path,
                item.span()
                    .or_else(|| self.table.key(key).and_then(|k| k.span())),
                self.depth + 1,
            )),
            None => {
                let t = a(item.type_name());
                problems.push(
                    self.key_problem(key, msg!("found {t}; expected a table", "发现{t}；应为表")),
                );
                None
            }
        }
    }

    /// The tables of an array of tables (`[[indicator]]`), each with its 1-based index.
    pub fn tables(&mut self, key: &str, problems: &mut Problems) -> Vec<Fields<'d, 'a>> {
        let Some(item) = self.take(key, false, problems) else {
            return Vec::new();
        };
        let path = self.key_path(key);
        let depth = self.depth + 1;
        let doc = self.doc;
        if let Some(aot) = item.as_array_of_tables() {
            return aot
                .iter()
                .enumerate()
                .map(|(i, t)| Fields::new(doc, t, format!("{path}[{}]", i + 1), t.span(), depth))
                .collect();
        }
        if let Some(arr) = item.as_array() {
            let mut out = Vec::new();
            for (i, v) in arr.iter().enumerate() {
                match v.as_inline_table() {
                    Some(t) => out.push(Fields::new(
                        doc,
                        t,
                        format!("{path}[{}]", i + 1),
                        v.span(),
                        depth,
                    )),
                    None => {
                        let t = a(v.type_name());
                        problems.push(doc.at(
                            v.span(),
                            Some(&format!("{path}[{}]", i + 1)),
                            msg!("found {t}; expected a table", "发现{t}；应为表"),
                        ))
                    }
                }
            }
            return out;
        }
        let t = a(item.type_name());
        problems.push(self.key_problem(
            key,
            msg!(
                "found {t}; expected an array of tables ([[{key}]])",
                "发现{t}；应为表数组（[[{key}]]）"
            ),
        ));
        Vec::new()
    }

    /// Every key of this table that nobody asked for is an unknown key.
    pub fn finish(self, expected: &str, problems: &mut Problems) {
        for (k, _) in self.table.iter() {
            if !self.used.contains(k) {
                let expected = crate::i18n::list(expected);
                problems.push(self.key_problem(
                    k,
                    msg!(
                        "unknown key `{k}`; expected one of: {expected}",
                        "未知的键“{k}”；应为以下之一：{expected}"
                    ),
                ));
            }
        }
    }

    /// The keys present, in file order.
    pub fn keys(&self) -> Vec<String> {
        self.table.iter().map(|(k, _)| k.to_string()).collect()
    }
}

/// A TOML type name with its article: "an integer", "a string" (in Chinese: "整数").
fn a(type_name: &str) -> String {
    if crate::i18n::lang() == crate::i18n::Lang::Zh {
        return match type_name {
            "string" => "字符串",
            "integer" => "整数",
            "float" => "小数",
            "boolean" => "布尔值",
            "datetime" => "日期时间",
            "array" => "数组",
            "inline table" | "table" => "表",
            "array of tables" => "表数组",
            "none" => "空值",
            other => other,
        }
        .to_string();
    }
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}
