//! `stars report`: the committee report of a town — its figures worked out once
//! ([`crate::committee`]), printed as one HTML page, or written as JSON or a workbook
//! ([`crate::render::committee`]). A county's report adds up its towns' (`county::report`).

use super::Ctx;
use crate::committee::{self, Committee, TownYear};
use crate::problem::Outcome;
use crate::render::Format;
use std::collections::BTreeMap;

pub fn run(ctx: &Ctx) -> Outcome<()> {
    match value(ctx)? {
        Some(c) => emit(ctx, &c),
        None => ctx.emit(""),
    }
}

/// The report of the workspace of `ctx` (a county's member too): the year asked for, kept
/// from the walk over the years, compared with the year before when the walk rated it;
/// `None` when no year was rated.
pub fn value(ctx: &Ctx) -> Outcome<Option<Committee>> {
    let mut last: Option<BTreeMap<usize, u8>> = None;
    let mut kept: Option<(i32, Option<i32>, TownYear)> = None;
    let mut before: Option<i32> = None;
    let ws = ctx.walk_years(true, |ws, run| {
        let year = run.data.year;
        if run.last {
            kept = Some((
                year,
                before,
                TownYear::keep(ws, run.data, run.ratings, run.adjustments, ctx.lang),
            ));
        } else {
            last = Some(run.ratings.iter().map(|(b, r)| (*b, r.star)).collect());
            before = Some(year);
        }
    })?;
    let Some((year, before, y)) = kept else {
        return Ok(None);
    };
    // Last year's stars only when last year is the year before.
    let last = last.filter(|_| before == Some(year - 1));
    // This year's items by source: they need the year's scores, which the walk let go.
    let items = ctx.loaded_for_items()?;
    let rated: Vec<usize> = y.ratings.iter().map(|(b, _)| *b).collect();
    let sources = committee::sources(&items.ws, &items.data, &rated);
    Ok(Some(Committee::town(&ws, &y, last.as_ref(), sources)))
}

/// The report in the chosen format: the page (the default), JSON or a workbook.
pub fn emit(ctx: &Ctx, c: &Committee) -> Outcome<()> {
    use crate::render::committee as render;
    match ctx.format {
        Format::Json => ctx.emit(&render::json(c)),
        Format::Xlsx => ctx.write_report(&render::workbook(c, ctx.lang), false),
        _ => ctx.emit(&render::html(c, ctx.lang)),
    }
}
