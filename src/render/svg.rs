//! Small charts written as SVG by hand, for the committee report (`stars report`).
//!
//! Why not a chart crate: the report must be the same bytes for the same inputs and print
//! well in black and white. The crates we looked at (plotters and friends) pull in font
//! and image stacks, add to the binary size, and write floating-point coordinates whose
//! last digits we would have to trust; three kinds of chart (stacked bars, bars, a
//! histogram) are a few hundred lines here, in integer coordinates, with grey levels and
//! hatching that survive a black-and-white printer, and every number written beside its
//! bar.
//!
//! Every coordinate is an integer (pixels of the `viewBox`); every text is escaped.

use super::html::esc;
use std::fmt::Write;

/// The drawing width, in `viewBox` pixels (the printable width of A4 at 96 dpi, about).
pub const WIDTH: i64 = 680;

/// How a series is filled: a grey level or a pattern, so that it reads in black and white.
/// Index 0 is the darkest. The patterns are defined in [`defs`].
const FILLS: [&str; 6] = [
    "#000000",
    "#555555",
    "url(#hatch)",
    "#aaaaaa",
    "url(#dots)",
    "#ffffff",
];

/// Text on a fill: white on the two dark ones, black elsewhere.
fn ink(fill: usize) -> &'static str {
    if fill < 2 {
        "#ffffff"
    } else {
        "#000000"
    }
}

/// The patterns of [`FILLS`]: diagonal hatching and dots.
fn defs() -> &'static str {
    concat!(
        "<defs>",
        "<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">",
        "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>",
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000000\" stroke-width=\"2\"/>",
        "</pattern>",
        "<pattern id=\"dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">",
        "<rect width=\"5\" height=\"5\" fill=\"#ffffff\"/>",
        "<circle cx=\"2\" cy=\"2\" r=\"1\" fill=\"#000000\"/>",
        "</pattern>",
        "</defs>"
    )
}

fn open(out: &mut String, height: i64, label: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}\" font-family=\"sans-serif\" font-size=\"12\">",
        esc(label)
    );
    out.push_str(defs());
}

/// `n × span / total`, rounded down; 0 when `total` is 0.
fn scale(n: u64, span: i64, total: u64) -> i64 {
    if total == 0 {
        return 0;
    }
    let v = u128::from(n) * u128::try_from(span.max(0)).unwrap_or(0) / u128::from(total);
    i64::try_from(v).unwrap_or(0)
}

fn text(out: &mut String, x: i64, y: i64, anchor: &str, fill: &str, s: &str) {
    let _ = write!(
        out,
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
        esc(s)
    );
}

fn rect(out: &mut String, x: i64, y: i64, w: i64, h: i64, fill: &str) {
    let _ = write!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{fill}\" stroke=\"#000000\" stroke-width=\"1\"/>"
    );
}

/// Stacked horizontal bars: one bar per row (its label, then a count per series), each
/// series in its own fill, its count written inside when there is room, the row's total
/// after the bar, and a legend of the series below.
pub fn stacked_bars(label: &str, series: &[String], rows: &[(String, Vec<u64>)]) -> String {
    let (left, right, bar, gap) = (130i64, 50i64, 22i64, 10i64);
    let span = WIDTH - left - right;
    let max = rows
        .iter()
        .map(|(_, c)| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0);
    let n = i64::try_from(rows.len()).unwrap_or(0);
    let legend_y = 10 + n * (bar + gap) + 10;
    let height = legend_y + 30;
    let mut out = String::new();
    open(&mut out, height, label);
    for (k, (name, counts)) in rows.iter().enumerate() {
        let y = 10 + i64::try_from(k).unwrap_or(0) * (bar + gap);
        text(&mut out, left - 6, y + 15, "end", "#000000", name);
        let mut x = left;
        let mut acc = 0u64;
        for (s, c) in counts.iter().enumerate() {
            let end = left + scale(acc + c, span, max);
            acc += c;
            let w = end - x;
            if *c == 0 {
                continue;
            }
            let f = s % FILLS.len();
            rect(
                &mut out,
                x,
                y,
                w,
                bar,
                FILLS.get(f).copied().unwrap_or("#ffffff"),
            );
            if w >= 18 {
                // A white box behind the number on a pattern, so that it stays legible.
                if matches!(f, 2 | 4) {
                    let bw = (w - 2).min(22);
                    let _ = write!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"{bw}\" height=\"14\" fill=\"#ffffff\"/>",
                        x + w / 2 - bw / 2,
                        y + 4
                    );
                }
                text(
                    &mut out,
                    x + w / 2,
                    y + 15,
                    "middle",
                    ink(f),
                    &c.to_string(),
                );
            }
            x = end;
        }
        text(
            &mut out,
            x + 6,
            y + 15,
            "start",
            "#000000",
            &acc.to_string(),
        );
    }
    let mut x = left;
    for (s, name) in series.iter().enumerate() {
        let f = s % FILLS.len();
        rect(
            &mut out,
            x,
            legend_y,
            14,
            14,
            FILLS.get(f).copied().unwrap_or("#ffffff"),
        );
        text(&mut out, x + 18, legend_y + 12, "start", "#000000", name);
        x += 24 + 12 * i64::try_from(name.chars().count()).unwrap_or(4).min(10);
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per row, each with its count after it.
pub fn bars(label: &str, rows: &[(String, u64)]) -> String {
    let (left, right, bar, gap) = (230i64, 50i64, 16i64, 6i64);
    let span = WIDTH - left - right;
    let max = rows.iter().map(|(_, c)| *c).max().unwrap_or(0);
    let n = i64::try_from(rows.len()).unwrap_or(0);
    let height = 10 + n * (bar + gap) + 10;
    let mut out = String::new();
    open(&mut out, height, label);
    for (k, (name, c)) in rows.iter().enumerate() {
        let y = 10 + i64::try_from(k).unwrap_or(0) * (bar + gap);
        text(&mut out, left - 6, y + 12, "end", "#000000", name);
        let w = scale(*c, span, max).max(1);
        rect(&mut out, left, y, w, bar, "#555555");
        text(
            &mut out,
            left + w + 6,
            y + 12,
            "start",
            "#000000",
            &c.to_string(),
        );
    }
    out.push_str("</svg>");
    out
}

/// A vertical line across a histogram, at a value in hundredths of a point.
pub struct Mark {
    pub at_cents: i64,
    pub label: String,
}

/// A histogram: `counts[k]` is the count of bin `[from + k·width, from + (k+1)·width)`, in
/// points; `marks` are vertical dashed lines with their labels (the star thresholds).
pub fn histogram(
    label: &str,
    from: i64,
    width_points: i64,
    counts: &[u64],
    marks: &[Mark],
) -> String {
    let (left, right, top, plot) = (40i64, 20i64, 20i64, 220i64);
    let n = i64::try_from(counts.len()).unwrap_or(0).max(1);
    let bin = (WIDTH - left - right) / n;
    let max = counts.iter().copied().max().unwrap_or(0);
    let base = top + plot;
    let height = base + 70;
    let mut out = String::new();
    open(&mut out, height, label);
    // The axes.
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#000000\"/>",
        left + bin * n
    );
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base}\" stroke=\"#000000\"/>"
    );
    for (k, c) in counts.iter().enumerate() {
        let k = i64::try_from(k).unwrap_or(0);
        let x = left + k * bin;
        let h = scale(*c, plot, max);
        if *c > 0 {
            rect(&mut out, x, base - h, bin, h, "#aaaaaa");
            text(
                &mut out,
                x + bin / 2,
                base - h - 3,
                "middle",
                "#000000",
                &c.to_string(),
            );
        }
        // Every other bin's lower bound under the axis.
        if k % 2 == 0 {
            text(
                &mut out,
                x,
                base + 14,
                "middle",
                "#000000",
                &(from + k * width_points).to_string(),
            );
        }
    }
    text(
        &mut out,
        left + n * bin,
        base + 14,
        "middle",
        "#000000",
        &(from + n * width_points).to_string(),
    );
    let points_span = n * width_points * 100;
    for (k, m) in marks.iter().enumerate() {
        let at = (m.at_cents - from * 100).clamp(0, points_span);
        let x = left + (at * bin * n) / points_span.max(1);
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{}\" stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
            base + 20
        );
        // Labels on two rows, so that close thresholds do not overlap.
        let y = base + 34 + 14 * i64::try_from(k % 2).unwrap_or(0);
        text(&mut out, x, y, "middle", "#000000", &m.label);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_and_stay_integer() {
        let s = stacked_bars(
            "a<b",
            &["x".into(), "y".into()],
            &[("<i>".into(), vec![3, 1]), ("b".into(), vec![0, 0])],
        );
        assert!(s.contains("&lt;i&gt;") && !s.contains("<i>"));
        let h = histogram(
            "h",
            0,
            5,
            &[0, 2, 5],
            &[Mark {
                at_cents: 1000,
                label: "5★".into(),
            }],
        );
        assert!(h.contains("stroke-dasharray"));
        assert_eq!(bars("b", &[]), bars("b", &[]));
    }
}
