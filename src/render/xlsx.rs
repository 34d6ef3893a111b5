//! Excel workbooks.

use super::Report;
use crate::i18n::Lang;

pub fn render(_r: &Report, _lang: Lang) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!("xlsx output is not built yet")
}
