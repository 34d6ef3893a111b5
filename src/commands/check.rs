//! `stars check`: every problem in the workspace at once; silent, exit 0, when all is well.

use super::Ctx;
use crate::followup::rectify::year_items;
use crate::i18n::msg;
use crate::problem::{Outcome, Problem, Problems};
use crate::rate::rate_year;
use crate::workspace::Workspace;
use std::collections::BTreeSet;

pub fn run(ctx: &Ctx) -> Outcome<()> {
    let mut problems = Problems::new();
    let Some(ws) = Workspace::load(&ctx.global.workspace, ctx.global.encoding, &mut problems)
    else {
        return Err(problems.into());
    };
    let mut previous: Option<(i32, BTreeSet<String>)> = None;
    for year in ws.years() {
        let mut year_problems = Problems::new();
        let mut data = ws.load_year(year, &mut year_problems);
        if let Some(d) = &mut data {
            ws.load_rectification(d, &mut year_problems);
        }
        let ok = year_problems.is_empty();
        problems.extend(year_problems);
        let Some(mut data) = data.filter(|_| ok) else {
            previous = None;
            continue;
        };
        let ratings = rate_year(&ws, &mut data);
        // Each rectification.csv row names an item of the year before.
        match &previous {
            Some((py, ids)) if *py == year - 1 => {
                for r in &data.rectification {
                    if !ids.contains(&r.item) {
                        let item = &r.item;
                        problems.push(Problem::cell(
                            &r.file,
                            r.line,
                            r.item_column,
                            "item",
                            msg!(
                                "unknown item `{item}`; expected an id of {py}'s rectification items (see `stars rectify --year {py}`)",
                                "未知事项“{item}”；应为 {py} 年度整改事项的编号（见 `stars rectify --year {py}`）"
                            ),
                        ).with_excerpt(r.excerpt.clone()));
                    }
                }
            }
            Some(_) | None
                if !data.rectification.is_empty() && !ws.config.years.contains_key(&(year - 1)) =>
            {
                if let Some(r) = data.rectification.first() {
                    let prev = year - 1;
                    problems.push(Problem::line(
                        &r.file,
                        r.line,
                        msg!(
                            "{prev} is not a year of this workspace, so it has no rectification items; expected no rectification.csv in {year}/",
                            "{prev} 年不是本工作区的年度，没有整改事项；{year}/ 中不应有 rectification.csv"
                        ),
                    ));
                }
            }
            _ => {}
        }
        let ids = year_items(&ws, &data, &ratings)
            .into_iter()
            .map(|i| i.id)
            .collect();
        previous = Some((year, ids));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into())
    }
}
