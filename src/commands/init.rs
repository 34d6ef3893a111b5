//! `stars init DIR`.

use super::Ctx;
use crate::problem::Outcome;
use std::path::Path;

pub fn run(_ctx: &Ctx, _dir: &Path, _name: Option<&str>, _year: Option<i32>) -> Outcome<()> {
    Err(anyhow::anyhow!("stars init is not built yet").into())
}
