//! Reading TOML with every problem located by line, column and key.
//!
//! Numbers are taken from their source text, never through `f64`, so that `0.2` is
//! exactly two tenths.

use crate::decimal;
use crate::i18n::{msg, msg_in, tr};
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
                let msg = parser_words(e.message(), crate::i18n::lang());
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
        return type_zh(type_name).to_string();
    }
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}

/// A TOML type name in Chinese.
fn type_zh(type_name: &str) -> &str {
    match type_name {
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
}

/// The TOML parser's reason for a syntax error, in `lang`. The parser (`toml_edit`) only
/// says it in English, one statement a line: `invalid KIND`, `expected A, B`, or the
/// reason of its own checks (a duplicate key, a value out of range), and sometimes nothing.
/// In Chinese each known statement is told in Chinese, the characters it quotes kept; a
/// statement it may add in a later version stays as it is rather than be guessed at.
fn parser_words(message: &str, lang: crate::i18n::Lang) -> String {
    let lines: Vec<&str> = (message.lines().map(str::trim))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return msg_in!(
            lang,
            "the text here is not valid TOML",
            "此处的内容不符合 TOML 格式"
        );
    }
    match lang {
        crate::i18n::Lang::En => lines.join("; "),
        crate::i18n::Lang::Zh => lines
            .iter()
            .map(|l| parser_line_zh(l).unwrap_or_else(|| l.to_string()))
            .collect::<Vec<_>>()
            .join("；"),
    }
}

/// One statement of the TOML parser in Chinese; `None` when it is not one it is known to
/// make.
fn parser_line_zh(line: &str) -> Option<String> {
    // What a clerk most often meets: text after a value on its line, and a text value
    // written without quotes (`name = 大王镇`).
    match line {
        "expected newline, `#`" => {
            return Some("此处应换行：同一行其后只能是以 # 开头的注释".to_string())
        }
        "invalid string" => return Some("值的格式有误".to_string()),
        "expected `\"`, `'`" => {
            return Some("文字应写在英文引号中，如 name = \"大王镇\"".to_string())
        }
        _ => {}
    }
    if let Some(kind) = line.strip_prefix("invalid ") {
        // `invalid digit found in string`, `invalid float literal` are reasons of the
        // number parsers, below.
        if let Some(kind) = parser_kind_zh(kind) {
            return Some(format!("{kind}格式有误"));
        }
    }
    if let Some(list) = line.strip_prefix("expected ") {
        let items = list
            .split(", ")
            .map(parser_expected_zh)
            .collect::<Option<Vec<_>>>()?;
        return Some(match items.as_slice() {
            [one] => format!("应为{one}"),
            more => format!("应为以下之一：{}", more.join("、")),
        });
    }
    if let Some(rest) = line.strip_prefix("duplicate key ") {
        let (key, place) = quoted(rest)?;
        return Some(match place.trim() {
            "" => format!("键“{key}”重复"),
            "in document root" => format!("键“{key}”在文件顶层重复出现"),
            table => {
                let (table, _) = quoted(table.strip_prefix("in table ")?)?;
                format!("键“{key}”在表“{table}”中重复出现")
            }
        });
    }
    if let Some(rest) = line.strip_prefix("dotted key ") {
        let (key, rest) = quoted(rest)?;
        let ty = rest
            .trim()
            .strip_prefix("attempted to extend non-table type (")?
            .strip_suffix(')')?;
        let ty = type_zh(ty);
        return Some(format!("点号键“{key}”要扩展的值不是表（是{ty}）；应为表"));
    }
    let fixed = match line {
        "value is out of range" => "数值超出范围",
        "recursion limit exceeded" => "嵌套层数过多",
        "invalid digit found in string" => "数字中有无效的字符",
        "number too large to fit in target type" => "数值过大",
        "number too small to fit in target type" => "数值过小",
        "cannot parse integer from empty string" => "数字为空",
        "invalid float literal" => "不是有效的小数",
        "cannot parse float from empty string" => "数字为空",
        _ if line.starts_with("invalid utf-8 sequence")
            || line.starts_with("incomplete utf-8 byte sequence") =>
        {
            "含有无效的 UTF-8 字节"
        }
        _ => return None,
    };
    Some(fixed.to_string())
}

/// What the TOML parser was reading (its `invalid …`), in Chinese.
fn parser_kind_zh(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "key" => "键",
        "table header" => "表头",
        "string" => "字符串",
        "basic string" => "字符串",
        "multiline basic string" => "多行字符串",
        "literal string" => "单引号字符串",
        "multiline literal string" => "多行单引号字符串",
        "escape sequence" => "转义序列",
        "unicode 4-digit hex code" | "unicode 8-digit hex code" => "Unicode 转义码",
        "integer" => "整数",
        "hexadecimal integer" => "十六进制整数",
        "octal integer" => "八进制整数",
        "binary integer" => "二进制整数",
        "floating-point number" => "小数",
        "date-time" => "日期时间",
        "time" => "时间",
        "time offset" => "时区",
        "array" => "数组",
        "inline table" => "内联表",
        _ => return None,
    })
}

/// One thing the TOML parser expected, in Chinese: a character it quotes stays, quoted as
/// Chinese quotes.
fn parser_expected_zh(item: &str) -> Option<String> {
    Some(match item {
        "newline" => "换行".to_string(),
        "`#`" => "“#”（注释）".to_string(),
        "digit" => "数字".to_string(),
        "leading digit" => "以数字开头".to_string(),
        _ => {
            let (c, rest) = quoted(item)?;
            if !rest.is_empty() {
                return None;
            }
            format!("“{c}”")
        }
    })
}

/// The text between the first pair of backticks of `s`, and what follows it.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let rest = s.trim_start().strip_prefix('`')?;
    let end = rest.find('`')?;
    Some((rest.get(..end)?, rest.get(end + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Broken TOML of every kind the parser tells apart.
    const BROKEN: &[&str] = &[
        "a = 1 b",
        "five = = 90",
        "= 1",
        "[a",
        "[[a]",
        "[a]x",
        "[[a]]x",
        "a = \"x",
        "a = \"\\q\"",
        "a = \"\\u12\"",
        "a = \"\\U1234567\"",
        "a = \"\\uD800\"",
        "a = '''x",
        "a = \"\"\"x",
        "a = 'x",
        "a = 0x",
        "a = 0o8",
        "a = 0b2",
        "a = 1.e",
        "a = 1e",
        "a = 1_",
        "a = 01",
        "a = +",
        "a = tru",
        "a = nan1",
        "a = 1.5e999",
        "a = 1979-05-27T25:00:00",
        "a = 1979-13-27",
        "a = 1979-05-27T07:32:00+25:00",
        "a = 1979-05-27T07:32",
        "a = 07:3",
        "a = 99999999999999999999",
        "a = -99999999999999999999",
        "a = 0xFFFFFFFFFFFFFFFFFF",
        "a = [1, 2",
        "a = [1 2]",
        "a = {b = 1",
        "a = {b = 1, b = 2}",
        "a = {b = 1,}",
        "a = 1\na = 2",
        "[t]\na = 1\na = 2",
        "[a]\n[a]",
        "a = 1\na.b = 2",
        "a = {b = 1, b.c = 2}",
        "[a]\nb = 1\n[a.b]",
        "a.b = 1\n[a]",
        "a =",
        "a",
        "a.",
        "\"a = 1",
        "a = \"x\ny\"",
        "a = 1\u{7}",
    ];

    #[test]
    fn every_statement_of_the_parser_reads_in_chinese() {
        let deep = format!("a = {}", "[".repeat(200));
        let mut all: Vec<String> = BROKEN.iter().map(|s| s.to_string()).collect();
        all.push(deep);
        for src in &all {
            let Err(e) = ImDocument::parse(src.as_str()) else {
                panic!("{src:?} parses");
            };
            let msg = e.message();
            let zh = parser_words(msg, Lang::Zh);
            println!("{src:?}: {msg:?} → {zh}");
            for line in msg.lines() {
                let zh = parser_line_zh(line.trim())
                    .unwrap_or_else(|| panic!("{src:?}: `{line}` is not told in Chinese"));
                // Only what the parser quotes from the file (a key, a character) is left
                // as it was.
                let mut unquoted = String::new();
                for (i, part) in zh.split(['“', '”']).enumerate() {
                    if i % 2 == 0 {
                        unquoted.push_str(part);
                    }
                }
                let unquoted = (unquoted.replace("UTF-8", "").replace("Unicode", ""))
                    .replace("name = \"大王镇\"", "");
                assert!(
                    !unquoted.chars().any(|c| c.is_ascii_alphabetic()),
                    "{src:?}: `{line}` → `{zh}`"
                );
            }
        }
    }
}
