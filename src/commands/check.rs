//! `stars check`: every problem in the workspace at once; silent, exit 0, when all is well.

use super::Ctx;
use crate::followup::rectify::year_items;
use crate::problem::{Outcome, Problems};
use crate::rate::rate_year;
use crate::workspace::Workspace;

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let mut problems = Problems::new();
    let Some(ws) = Workspace::load(&ctx.global.workspace, ctx.global.encoding, &mut problems)
    else {
        return Err(problems.into());
    };
    // The item ids of the year before, when it could be rated.
    let mut previous: Option<Vec<crate::followup::rectify::RectItem>> = None;
    for year in ws.years() {
        let mut year_problems = Problems::new();
        let mut data = ws.load_year(year, &mut year_problems);
        if let Some(d) = &mut data {
            ws.load_rectification(
                d,
                ws.previous_items(year, previous.as_deref()),
                &mut year_problems,
            );
        }
        let ok = year_problems.is_empty();
        problems.extend(year_problems);
        let Some(data) = data.filter(|_| ok) else {
            previous = None;
            continue;
        };
        let ratings = rate_year(&ws, &data);
        previous = Some(year_items(&ws, &data, &ratings));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into())
    }
}
