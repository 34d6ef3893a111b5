//! An aligned table for a terminal (Chinese text aligned by display width).
//!
//! Every table is laid out here in two passes over its rows (the widths, then the lines,
//! written as they are made), with exactly comfy-table's look (a property test compares
//! them). On a terminal whose width is known, long text wraps to fit it — between words,
//! or between Chinese characters, never inside a number, an id, a date or a code
//! (`4.80分`, `D001`, `2025-12-20` stay whole) — and short columns are kept whole.
//! Elsewhere (a pipe, a file) nothing wraps, so the same inputs give the same bytes.

use super::{Report, Value};
use crate::i18n::Lang;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, ContentArrangement, Table};
use std::sync::atomic::{AtomicBool, Ordering};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether tables go to a terminal: then long text wraps to the terminal's width. Elsewhere
/// (a pipe, a file) nothing wraps, so that the same inputs give the same bytes.
static TO_TERMINAL: AtomicBool = AtomicBool::new(false);

/// Tell the renderer whether the tables it makes are printed on a terminal.
pub fn set_terminal(on: bool) {
    TO_TERMINAL.store(on, Ordering::Relaxed);
}

/// The width tables wrap to: the terminal's, when they go to one whose width is known
/// (comfy-table asks the terminal).
fn wrap_width() -> Option<usize> {
    if !TO_TERMINAL.load(Ordering::Relaxed) {
        return None;
    }
    Table::new().width().map(usize::from)
}

/// Columns at most this wide are never wrapped on a terminal.
const SHORT: usize = 13;
/// The least width a wrapped column gets on a terminal.
const MIN_WRAPPED: usize = 16;

/// Text from the input as it is safe to show on a terminal: control characters and
/// bidirectional overrides escaped ([`crate::problem::escape`]), line breaks kept.
fn safe(s: &str) -> String {
    let lines: Vec<_> = s.split('\n').map(crate::problem::escape).collect();
    lines.join("\n")
}

/// A table held whole and laid out by comfy-table: the rows of a table whose rows are not
/// all as wide as its header (comfy-table adds columns for them). Not wrapped.
fn one(r: &Report, lang: Lang, with_title: bool) -> String {
    let rows = r.all_rows();
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(r.columns.iter().map(|c| safe(c.header(lang))));
    for row in &rows {
        t.add_row(row.iter().map(|v| safe(&v.human(lang))));
    }
    // Numbers are right-aligned: a column is numeric when any of its cells is a number.
    for i in 0..r.columns.len() {
        let numeric = rows.iter().any(|row| row.get(i).is_some_and(is_number));
        if let (true, Some(col)) = (numeric, t.column_mut(i)) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = match with_title {
        true => format!("{}\n{t}\n", safe(&r.title)),
        false => format!("{t}\n"),
    };
    if rows.is_empty() {
        out.push_str(lang.t("(none)\n", "（无）\n"));
    }
    out
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Dec(_) | Value::Int(_) | Value::Num(_))
}

/// How a character takes part in line breaking.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    /// A wide character (Chinese): a line may break before and after it, but not before
    /// closing punctuation nor after opening punctuation.
    Wide,
    /// Anything else: runs of these (words, numbers, ids, dates) are kept together.
    Other,
}

fn class(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if c.width() == Some(2) {
        Class::Wide
    } else {
        Class::Other
    }
}

/// Chinese punctuation that never starts a line.
fn closing(c: char) -> bool {
    "，。、；：？！）》」』】〕…—％".contains(c)
}

/// Chinese punctuation that never ends a line.
fn opening(c: char) -> bool {
    "（《「『【〔".contains(c)
}

/// The pieces of a line that are never broken, each with the spaces before it. A run of
/// characters other than spaces and Chinese is one piece; a Chinese character is a piece
/// of its own, but closing punctuation sticks to the piece before it, opening punctuation
/// to the one after, and a unit after a number (`4.80分`, `12项`) to the number.
fn pieces(line: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    // The current piece: where its spaces start, and where its text starts (once it has).
    let (mut start, mut text): (usize, Option<usize>) = (0, None);
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        let k = class(c);
        let glued = prev.is_some_and(opening);
        let breaks = text.is_some()
            && match k {
                Class::Space => true,
                Class::Wide => {
                    let after_number = prev.is_some_and(|p| p.is_ascii_digit() || p == '%');
                    !(glued || closing(c) || after_number)
                }
                Class::Other => !glued && prev.is_some_and(|p| class(p) == Class::Wide),
            };
        if let (true, Some(t)) = (breaks, text) {
            out.push((
                line.get(start..t).unwrap_or(""),
                line.get(t..i).unwrap_or(""),
            ));
            start = i;
            text = None;
        }
        if k != Class::Space && text.is_none() {
            text = Some(i);
        }
        prev = Some(c);
    }
    if let Some(t) = text {
        out.push((
            line.get(start..t).unwrap_or(""),
            line.get(t..).unwrap_or(""),
        ));
    }
    out
}

/// Whether a piece may be cut between characters when it is wider than its column: a
/// word, but never a number or anything with a digit (an id, a date, a score).
fn cuttable(piece: &str) -> bool {
    !piece.chars().any(|c| c.is_ascii_digit())
}

/// The least width a column needs so that no piece of `s` is cut: its widest piece
/// (a word's need is at most [`MIN_WRAPPED`]: it may be cut).
fn least_width(s: &str) -> usize {
    (s.split('\n').flat_map(pieces))
        .map(|(_, p)| match cuttable(p) {
            true => p.width().min(MIN_WRAPPED),
            false => p.width(),
        })
        .max()
        .unwrap_or(0)
}

/// `s` wrapped to `width`: lines broken between pieces (the spaces at a break dropped), a
/// piece wider than the column cut between characters only when [`cuttable`].
fn wrap(s: &str, width: usize, out: &mut Vec<String>) {
    let width = width.max(1);
    for line in s.split('\n') {
        if line.width() <= width {
            out.push(line.to_string());
            continue;
        }
        let mut cur = String::new();
        for (space, piece) in pieces(line) {
            let (sw, pw, cw) = (space.width(), piece.width(), cur.width());
            if cur.is_empty() || cw + sw + pw <= width {
                if !cur.is_empty() {
                    cur.push_str(space);
                }
            } else {
                out.push(std::mem::take(&mut cur));
            }
            if cur.is_empty() && pw > width && cuttable(piece) {
                for c in piece.chars() {
                    if cur.width() + c.width().unwrap_or(0) > width && !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.push(c);
                }
            } else {
                cur.push_str(piece);
            }
        }
        out.push(cur);
    }
}

/// The widths of the columns on a line of `total` characters: each column its widest
/// text when they all fit; else each its least (all of a short column; at least
/// [`MIN_WRAPPED`] of a long one, and its widest piece that may not be cut, see
/// [`least_width`]), and the room left shared out equally among the columns that want more,
/// none given more than it wants.
fn fit(widest: &[usize], least: &[usize], total: usize) -> Vec<usize> {
    let n = widest.len();
    // "│ a ┆ b │": three characters a column and one more.
    let room = total.saturating_sub(3 * n + 1);
    if widest.iter().sum::<usize>() <= room {
        return widest.to_vec();
    }
    // A wrapped column is never narrower than MIN_WRAPPED (nor than a piece it may not
    // cut), unless its text is narrower.
    let mut w: Vec<usize> = (widest.iter().zip(least))
        .map(|(m, l)| match *m <= SHORT {
            true => *m,
            false => (*l).max(MIN_WRAPPED).min(*m),
        })
        .collect();
    let mut left = room.saturating_sub(w.iter().sum());
    loop {
        let wanting: Vec<usize> = (0..n).filter(|i| w.get(*i) < widest.get(*i)).collect();
        if wanting.is_empty() || left == 0 {
            break;
        }
        let share = (left / wanting.len()).max(1);
        for i in wanting {
            let (Some(cur), Some(max)) = (w.get_mut(i), widest.get(i)) else {
                continue;
            };
            let more = share.min(max - *cur).min(left);
            *cur += more;
            left -= more;
        }
    }
    w
}

/// One table laid out in two passes over its rows — the widths, then the lines, written
/// as they are made — without holding them (a county's are made as they are written, see
/// `RowStream`; a province's are hundreds of thousands), exactly as comfy-table lays out
/// the same table. With `wrap`, the width of the terminal, long text wraps to fit it.
/// `None` for a row of another width than the header's (comfy-table lays that out).
fn one_streamed(
    r: &Report,
    lang: Lang,
    wrap_to: Option<usize>,
    with_title: bool,
    w: &mut dyn std::io::Write,
) -> Option<std::io::Result<()>> {
    let n = r.columns.len();
    if n == 0 {
        return None;
    }
    let headers: Vec<String> = r.columns.iter().map(|c| safe(c.header(lang))).collect();
    let mut widths = vec![1usize; n];
    let mut least = vec![0usize; n];
    let mut numeric = vec![false; n];
    let widen = |widths: &mut [usize], least: &mut [usize], i: usize, s: &str| {
        if let Some(w) = widths.get_mut(i) {
            *w = s
                .split('\n')
                .map(UnicodeWidthStr::width)
                .fold(*w, usize::max);
        }
        if let (Some(l), true) = (least.get_mut(i), wrap_to.is_some()) {
            *l = (*l).max(least_width(s));
        }
    };
    for (i, h) in headers.iter().enumerate() {
        widen(&mut widths, &mut least, i, h);
    }
    let (mut rows, mut ragged) = (0usize, false);
    let _ = r.each_row(&mut |row| {
        rows += 1;
        ragged |= row.len() != n;
        for (i, v) in row.iter().enumerate() {
            widen(&mut widths, &mut least, i, &safe(&v.human(lang)));
            if let Some(k) = numeric.get_mut(i) {
                *k |= is_number(v);
            }
        }
        Ok(())
    });
    if ragged {
        return None;
    }
    if let Some(total) = wrap_to {
        widths = fit(&widths, &least, total);
    }
    let rule = |l: &str, m: &str, mid: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| m.repeat(w + 2)).collect();
        format!("{l}{}{r}\n", parts.join(mid))
    };
    let cells_of = |texts: &mut dyn Iterator<Item = String>| -> Vec<Vec<String>> {
        texts
            .enumerate()
            .map(|(i, s)| {
                let mut lines = Vec::new();
                match (wrap_to, widths.get(i)) {
                    (Some(_), Some(w)) => wrap(&s, *w, &mut lines),
                    _ => lines.extend(s.split('\n').map(str::to_string)),
                }
                lines
            })
            .collect()
    };
    let line = |cells: &[Vec<String>], out: &mut String| {
        out.clear();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..height {
            out.push('│');
            for (i, c) in cells.iter().enumerate() {
                let text = c.get(k).map_or("", String::as_str);
                let pad = " ".repeat(
                    widths
                        .get(i)
                        .copied()
                        .unwrap_or(0)
                        .saturating_sub(text.width()),
                );
                if i > 0 {
                    out.push('┆');
                }
                match numeric.get(i) {
                    Some(true) => out.push_str(&format!(" {pad}{text} ")),
                    _ => out.push_str(&format!(" {text}{pad} ")),
                }
            }
            out.push_str("│\n");
        }
    };
    // Written line by line: the rows are not held, nor is the text.
    let mut write = || -> std::io::Result<()> {
        let mut out = String::new();
        if with_title {
            writeln!(w, "{}", safe(&r.title))?;
        }
        w.write_all(rule("┌", "─", "┬", "┐").as_bytes())?;
        line(&cells_of(&mut headers.iter().cloned()), &mut out);
        write!(w, "{out}{}", rule("╞", "═", "╪", "╡"))?;
        r.each_row(&mut |row| {
            let cells = cells_of(&mut row.iter().map(|v| safe(&v.human(lang))));
            line(&cells, &mut out);
            w.write_all(out.as_bytes())
        })?;
        w.write_all(rule("└", "─", "┴", "┘").as_bytes())?;
        if rows == 0 {
            w.write_all(lang.t("(none)\n", "（无）\n").as_bytes())?;
        }
        Ok(())
    };
    Some(write())
}

/// Write the report as tables for a terminal: each table with its title, then the notes.
pub fn write(r: &Report, lang: Lang, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_to(r, lang, wrap_width(), w)
}

/// [`write`], wrapped to `wrap_to` characters when given.
fn write_to(
    r: &Report,
    lang: Lang,
    wrap_to: Option<usize>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let one = |r: &Report, titled: bool, w: &mut dyn std::io::Write| match one_streamed(
        r, lang, wrap_to, titled, w,
    ) {
        Some(done) => done,
        None => w.write_all(one(r, lang, titled).as_bytes()),
    };
    // A notice's opening words come between its title and its table.
    let preface = !r.preface.is_empty();
    if preface {
        writeln!(w, "{}", safe(&r.title))?;
        for line in &r.preface {
            writeln!(w, "{}", safe(line))?;
        }
    }
    one(r, !preface, w)?;
    // A notice's closing paragraphs and signature follow its list; its other tables come
    // after it.
    let notice = !r.signature.is_empty();
    let lines = |w: &mut dyn std::io::Write, lines: &[String]| -> std::io::Result<()> {
        if !lines.is_empty() {
            w.write_all(b"\n")?;
        }
        lines.iter().try_for_each(|n| writeln!(w, "{}", safe(n)))
    };
    if notice {
        lines(w, &r.notes)?;
        lines(w, &r.signature)?;
    }
    for e in &r.extras {
        w.write_all(b"\n")?;
        one(e, true, w)?;
    }
    if !notice {
        lines(w, &r.notes)?;
    }
    Ok(())
}
#[cfg(test)]
mod wrap_tests {
    use super::*;
    use crate::render::Column;
    use proptest::prelude::*;

    /// The pieces a line may not be broken inside: runs of anything but spaces and wide
    /// characters, a unit after a number with them.
    fn tokens(s: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = None;
        let mut prev = ' ';
        for (i, c) in s.char_indices() {
            let other = class(c) == Class::Other;
            let unit = class(c) == Class::Wide && (prev.is_ascii_digit() || prev == '%');
            // A unit ends its number's token.
            let after_unit = class(prev) == Class::Wide;
            match (start, other || unit) {
                (None, true) => start = Some(i),
                (Some(st), true) if after_unit => {
                    out.push(st..i);
                    start = Some(i);
                }
                (Some(st), false) => {
                    out.push(st..i);
                    start = None;
                }
                _ => {}
            }
            prev = c;
        }
        if let Some(st) = start {
            out.push(st..s.len());
        }
        out
    }

    /// The table of one text column (and an id) wrapped to `width`: each row's text back
    /// from its lines, and the lines.
    fn laid_out(texts: &[String], width: usize) -> (Vec<Vec<String>>, String) {
        let mut r = Report::new(
            "t",
            vec![Column::new("a", "A", "甲"), Column::new("b", "B", "乙")],
        );
        for (k, t) in texts.iter().enumerate() {
            r.rows
                .push(vec![Value::text(format!("R{k}")), Value::text(t.clone())]);
        }
        let mut out = Vec::new();
        let _ = write_to(&r, Lang::Zh, Some(width), &mut out);
        let out = String::from_utf8(out).unwrap_or_default();
        let mut rows: Vec<Vec<String>> = Vec::new();
        for line in out.lines().filter(|l| l.starts_with('│')) {
            let mut cells = line.trim_matches('│').split('┆');
            let (a, b) = (
                cells.next().unwrap_or("").trim(),
                cells.next().unwrap_or(""),
            );
            let b = b.strip_prefix(' ').unwrap_or(b).trim_end().to_string();
            match (a.starts_with('R'), rows.last_mut()) {
                (false, Some(row)) if !a.starts_with('甲') => row.push(b),
                _ => rows.push(vec![b]),
            }
        }
        (rows.split_off(1.min(rows.len())), out)
    }

    #[test]
    fn numbers_stay_whole_where_text_wraps() {
        let text = "差4.80分达到四星，整改事项12项，截止2026-03-20前完成，共计12.5%的指标 and some English words".to_string();
        for width in 25..70 {
            let (rows, out) = laid_out(std::slice::from_ref(&text), width);
            for l in out.lines() {
                assert!(l.width() <= width, "{width}: {l}\n{out}");
            }
            let lines = &rows[0];
            let breaks = break_points(&text, lines);
            for t in tokens(&text) {
                assert!(
                    !breaks.iter().any(|b| t.start < *b && *b < t.end),
                    "{width}: {:?} cut:\n{out}",
                    &text[t]
                );
            }
        }
        // `4.80分` never split into `4.8` / `0分`.
        let (rows, _) = laid_out(&["差4.80分".to_string()], 26);
        assert!(rows[0].iter().any(|l| l.contains("4.80分")), "{rows:?}");
    }

    /// Where the lines of a cell broke its text (byte offsets), checking that the lines
    /// are the text less the spaces at the breaks.
    fn break_points(text: &str, lines: &[String]) -> Vec<usize> {
        let mut at = 0;
        let mut out = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                while text[at..].starts_with(' ') {
                    at += 1;
                }
                out.push(at);
            }
            assert!(
                text[at..].starts_with(l.as_str()),
                "{l:?} at {at} of {text:?}"
            );
            at += l.len();
        }
        assert_eq!(text[at..].trim(), "", "{lines:?}");
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Whatever the text and the width, the lines are the text (less the spaces where
        /// it broke), no line is wider than the terminal when the table can fit, and no
        /// number, id, date or word of less than 16 characters is cut.
        #[test]
        fn wrapping_keeps_the_text_and_its_numbers(
            words in proptest::collection::vec("[0-9]{1,4}(\\.[0-9]{1,2})?[分项%]?|[a-z]{1,8}|[中文字，。（）]{1,6}|2026-0[1-9]-[12][0-9]| ", 1..30),
            width in 30usize..90,
        ) {
            let text: String = words.concat().trim().to_string();
            prop_assume!(!text.is_empty());
            let (rows, out) = laid_out(std::slice::from_ref(&text), width);
            let breaks = break_points(&text, &rows[0]);
            for t in tokens(&text) {
                let piece = &text[t.clone()];
                let cuttable = !piece.chars().any(|c| c.is_ascii_digit()) && piece.width() > MIN_WRAPPED;
                prop_assert!(cuttable || !breaks.iter().any(|b| t.start < *b && *b < t.end), "{:?} cut:\n{}", piece, out);
            }
            let least = least_width(&text).max(MIN_WRAPPED).min(text.width());
            if 3 * 2 + 1 + 2 + least <= width {
                for l in out.lines() {
                    prop_assert!(l.width() <= width, "{}\n{}", l, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod streamed_tests {
    use super::*;
    use crate::render::{Column, RowStream};
    use proptest::prelude::*;

    fn value(k: u8, s: &str) -> Value<'static> {
        match k % 5 {
            0 => Value::text(s.to_string()),
            1 => Value::Int(i64::from(k) * 37 - 500),
            2 => Value::Dec(rust_decimal::Decimal::new(i64::from(k) * 1234 - 9000, 2)),
            3 => Value::Null,
            _ => Value::Bool(k.is_multiple_of(2)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// A table made as it is written is laid out exactly as comfy-table lays out the
        /// same table held (off a terminal): widths, Chinese text, line breaks, numbers
        /// right-aligned, blanks, no rows.
        #[test]
        fn streamed_tables_are_comfy_tables(
            heads in proptest::collection::vec("[a-z中 ]{0,6}", 1..5),
            cells in proptest::collection::vec((any::<u8>(), "[a-zé中\n ,|\u{1b}]{0,9}"), 0..40),
        ) {
            set_terminal(false);
            let n = heads.len();
            let columns: Vec<Column> = heads
                .iter()
                .enumerate()
                .map(|(i, h)| Column {
                    key: format!("k{i}").into(),
                    en: h.clone().into(),
                    zh: h.clone().into(),
                })
                .collect();
            let rows: Vec<Vec<Value<'static>>> = cells
                .chunks(n)
                .filter(|c| c.len() == n)
                .map(|c| c.iter().map(|(k, s)| value(*k, s)).collect())
                .collect();
            let mut held = Report::new("T 中".to_string(), columns.clone());
            held.rows = rows.clone();
            let mut streamed = Report::new("T 中".to_string(), columns);
            let len = rows.len();
            streamed.stream = Some(RowStream::over(len, 3, move |range, f| {
                for r in rows.get(range).unwrap_or_default() {
                    f(r)?;
                }
                Ok(())
            }));
            let mut out = Vec::new();
            prop_assert!(one_streamed(&streamed, Lang::Zh, None, true, &mut out).is_some_and(|r| r.is_ok()));
            prop_assert_eq!(String::from_utf8(out).unwrap(), one(&held, Lang::Zh, true));
        }
    }
}
