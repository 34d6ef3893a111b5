//! Stars by theme (SPEC.md "Stars by theme"): `stars_by`, `[[theme]]` and each indicator's
//! `theme`, read from the standard files and checked for one domain's standard.
//!
//! A standard that rates by score ignores `theme` and `[[theme]]`: its themes are empty and
//! no indicator has one. The rule that uses them (step 5 by themes) is [`crate::themes`].

use super::load::{read_id, At};
use super::{Indicator, Origin};
use crate::i18n::msg;
use crate::problem::{Problem, Problems};
use crate::toml_read::Fields;
use rust_decimal::Decimal;

/// The most themes a standard may have: a star each.
pub const MAX_THEMES: usize = 5;

/// How a standard reaches the score star (step 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StarsBy {
    /// The star bands of the final score (`[stars]`), the default.
    Score,
    /// A star for each theme earned (Henan's 五星支部, Zhejiang's 五星达标).
    Themes,
}

/// A theme (主题星): earned when its indicators' combined points reach `pass` of their points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    /// The share of its points its indicators must reach (0–1).
    pub pass: Decimal,
    /// Not earning it makes the score star 0 (支部过硬星: the foundation).
    pub required: bool,
    /// Σ p_i over its indicators in the standard.
    pub points: Decimal,
    pub origin: Origin,
}

impl Theme {
    /// The pass line, pass × Σ p_i, exact.
    pub fn line(&self) -> Decimal {
        self.pass * self.points
    }
}

/// What one standard file says of themes.
#[derive(Debug, Clone, Default)]
pub(super) struct FileThemes {
    stars_by: Option<At<StarsBy>>,
    themes: Vec<At<Theme>>,
    /// The `theme` key of each `[[indicator]]` the file's indicators hold, in their order.
    of_indicators: Vec<Option<At<String>>>,
}

/// The keys of a file's root that are about themes (for its list of known keys).
pub(super) const ROOT_KEYS: &str = "stars_by, theme";

/// The keys of a `[[theme]]` table.
const THEME_KEYS: &str = "id, name, name_zh, pass, required";

impl FileThemes {
    /// `stars_by` and the `[[theme]]` tables of a file's root.
    pub(super) fn read(root: &mut Fields, origin: Origin, problems: &mut Problems) -> FileThemes {
        let mut out = FileThemes::default();
        if let Some(v) = root.string("stars_by", false, problems) {
            let at = root.key_problem("stars_by", String::new());
            match v.as_str() {
                "score" => out.stars_by = Some(At::new(StarsBy::Score, at)),
                "themes" => out.stars_by = Some(At::new(StarsBy::Themes, at)),
                _ => problems.push(root.key_problem(
                    "stars_by",
                    msg!(
                        "unknown stars_by `{v}`; expected \"score\" or \"themes\"",
                        "未知的 stars_by“{v}”；应为 \"score\"（按总分评星）或 \"themes\"（按主题评星）"
                    ),
                )),
            }
        }
        for mut t in root.tables("theme", problems) {
            if let Some(theme) = read_theme(&mut t, origin, problems) {
                out.themes.push(theme);
            }
            t.finish(THEME_KEYS, problems);
        }
        out
    }

    /// The `theme` key of an `[[indicator]]` table, read before the indicator itself.
    pub(super) fn indicator_theme(t: &mut Fields, problems: &mut Problems) -> Option<At<String>> {
        let at = t.key_problem("theme", String::new());
        t.string("theme", false, problems).map(|id| At::new(id, at))
    }

    /// How many indicators' theme keys are noted.
    pub(super) fn indicators_noted(&self) -> usize {
        self.of_indicators.len()
    }

    /// Note the theme key of the indicator the file has just added.
    pub(super) fn push_indicator(&mut self, theme: Option<At<String>>) {
        self.of_indicators.push(theme);
    }
}

/// One `[[theme]]` table. A theme with a valid id is kept whatever else is wrong with it
/// (that is reported here), so that the indicators naming it are not told it is unknown.
fn read_theme(t: &mut Fields, origin: Origin, problems: &mut Problems) -> Option<At<Theme>> {
    let at = t.problem(String::new());
    let id = read_id(t, problems);
    let name = t.text("name", true, problems);
    let name_zh = t.text("name_zh", true, problems);
    let pass = t.decimal("pass", true, problems);
    if let Some(p) = pass.filter(|p| *p < Decimal::ZERO || *p > Decimal::ONE) {
        problems.push(t.key_problem(
            "pass",
            msg!(
                "pass {p} is out of range; expected a share from 0 to 1 (0.8 for 80% of the theme's points)",
                "pass {p} 超出范围；应为 0 到 1 之间的比例（达到该主题分值的 80% 写作 0.8）"
            ),
        ));
    }
    let required = t.boolean("required", false, problems).unwrap_or(false);
    Some(At::new(
        Theme {
            id: id?,
            name: name.unwrap_or_default(),
            name_zh: name_zh.unwrap_or_default(),
            pass: pass.unwrap_or_default(),
            required,
            points: Decimal::ZERO,
            origin,
        },
        at,
    ))
}

/// The themes of one domain's standard (common's, then the domain file's), each indicator's
/// theme set on `indicators` (common's then the file's, as the themes' keys and `located`,
/// where each indicator's table is, are), and checked: 1 to 5 themes, ids unique with the
/// other items (`check_id`), every indicator naming one, every theme with an indicator.
/// Empty when the standard rates by score.
#[allow(clippy::too_many_arguments)]
pub(super) fn combine(
    domain: super::Domain,
    common: &FileThemes,
    file: &FileThemes,
    indicators: &mut [Indicator],
    located: &[&Problem],
    check_id: &mut dyn FnMut(&str, &Problem, &mut Problems),
    problems: &mut Problems,
) -> Vec<Theme> {
    // The domain file's setting overrides common's, as any setting does.
    let by = file.stars_by.as_ref().or(common.stars_by.as_ref());
    let dzh = domain.zh();
    let Some(by) = by.filter(|b| b.value == StarsBy::Themes) else {
        return Vec::new();
    };
    let listed: Vec<&At<Theme>> = common.themes.iter().chain(&file.themes).collect();
    for t in &listed {
        check_id(&t.value.id, &t.at, problems);
    }
    if listed.is_empty() {
        problems.push(by.problem(msg!(
            "the {domain} standard rates by themes but has no [[theme]]; expected 1 to {MAX_THEMES} themes in common.toml or the domain file",
            "{dzh}评星标准按主题评星，但没有任何 [[theme]]；应在 common.toml 或领域文件中设置 1 到 {MAX_THEMES} 个主题"
        )));
        // Its indicators' themes can name none: that is this one problem, not one each.
        return Vec::new();
    }
    for (k, t) in listed.iter().enumerate().skip(MAX_THEMES) {
        let (id, n) = (&t.value.id, k + 1);
        problems.push(t.problem(msg!(
            "theme `{id}` is theme number {n} of the {domain} standard; expected at most {MAX_THEMES} themes (a star each)",
            "主题“{id}”是{dzh}评星标准的第 {n} 个主题；最多应为 {MAX_THEMES} 个（每个主题一颗星）"
        )));
    }
    let mut themes: Vec<Theme> = listed.iter().map(|t| t.value.clone()).collect();
    let ids = themes.iter().map(|t| t.id.as_str()).collect::<Vec<_>>();
    let ids = crate::i18n::list(&ids.join(", "));
    let keys = common.of_indicators.iter().chain(&file.of_indicators);
    for ((ind, key), at) in indicators.iter_mut().zip(keys).zip(located) {
        let id = &ind.id;
        let Some(key) = key else {
            problems.push(Problem {
                message: msg!(
                    "indicator `{id}` has no theme, but the {domain} standard rates by themes; expected theme = \"ID\" naming one of: {ids}",
                    "指标“{id}”未设置 theme，而{dzh}评星标准按主题评星；应设置 theme = \"编号\"，取以下之一：{ids}"
                ),
                ..(*at).clone()
            });
            continue;
        };
        match themes.iter().position(|t| t.id == key.value) {
            Some(k) => {
                ind.theme = u8::try_from(k).ok();
                if let Some(t) = themes.get_mut(k) {
                    t.points += ind.points;
                }
            }
            None => {
                let found = &key.value;
                problems.push(key.problem(msg!(
                    "unknown theme `{found}` of indicator `{id}`; expected one of the {domain} standard's themes: {ids}",
                    "指标“{id}”的主题“{found}”不存在；应为{dzh}评星标准的主题之一：{ids}"
                )));
            }
        }
    }
    for (k, at) in listed.iter().enumerate() {
        let used = indicators
            .iter()
            .any(|i| i.theme.map(usize::from) == Some(k));
        if !used {
            let id = &at.value.id;
            problems.push(at.problem(msg!(
                "theme `{id}` has no indicator in the {domain} standard; expected at least one indicator with theme = \"{id}\"",
                "主题“{id}”在{dzh}评星标准中没有任何指标；应至少有一项指标设置 theme = \"{id}\""
            )));
        }
    }
    themes
}
