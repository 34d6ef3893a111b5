//! The standards shipped in `standards/`, embedded so that the tool works with none on disk.

/// The six standard files, in the order they are read.
pub const FILE_NAMES: [&str; 6] = [
    "common.toml",
    "rural.toml",
    "agency.toml",
    "two_new.toml",
    "community.toml",
    "soe.toml",
];

/// `(file name, contents)` of every built-in standard file.
pub const BUILTIN: [(&str, &str); 6] = [
    ("common.toml", include_str!("../../standards/common.toml")),
    ("rural.toml", include_str!("../../standards/rural.toml")),
    ("agency.toml", include_str!("../../standards/agency.toml")),
    ("two_new.toml", include_str!("../../standards/two_new.toml")),
    (
        "community.toml",
        include_str!("../../standards/community.toml"),
    ),
    ("soe.toml", include_str!("../../standards/soe.toml")),
];

/// The built-in contents of a standard file.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// A preset: a complete set of standard files modelled on a kind of published county scheme,
/// shipped in `standards/presets/NAME/` and written out by `stars init --preset` and
/// `stars standards export --preset`.
pub struct Preset {
    pub name: &'static str,
    /// One line on what the preset changes, in English and Chinese.
    pub summary: &'static str,
    pub summary_zh: &'static str,
    /// `(file name, contents)`, in [`FILE_NAMES`] order.
    pub files: [(&'static str, &'static str); 6],
}

/// The six files of `standards/presets/$name/`, in [`FILE_NAMES`] order.
macro_rules! preset_files {
    ($name:literal) => {
        [
            (
                "common.toml",
                include_str!(concat!("../../standards/presets/", $name, "/common.toml")),
            ),
            (
                "rural.toml",
                include_str!(concat!("../../standards/presets/", $name, "/rural.toml")),
            ),
            (
                "agency.toml",
                include_str!(concat!("../../standards/presets/", $name, "/agency.toml")),
            ),
            (
                "two_new.toml",
                include_str!(concat!("../../standards/presets/", $name, "/two_new.toml")),
            ),
            (
                "community.toml",
                include_str!(concat!(
                    "../../standards/presets/",
                    $name,
                    "/community.toml"
                )),
            ),
            (
                "soe.toml",
                include_str!(concat!("../../standards/presets/", $name, "/soe.toml")),
            ),
        ]
    };
}

/// Every shipped preset: the one place to add another.
pub const PRESETS: [Preset; 3] = [
    Preset {
        name: "strict",
        summary: "thresholds 95/85/75/65, no star below 60, five stars for at most 10% per town, trial first year, secretary-project bottom line (cap 4)",
        summary_zh: "分数线 95/85/75/65，60 分以下不评星，五星级每镇不超过 10%，首次参评为试评星，书记项目设底线（最高四星）",
        files: preset_files!("strict"),
    },
    Preset {
        name: "satisfaction",
        summary: "organization 70% and mass 30% (no self weight), mass satisfaction below 60% caps at two stars, five stars for at most 30%, commendations are exceptional (破格)",
        summary_zh: "组织评定 70%、群众评议 30%（自评不计分），群众满意度低于 60% 最高二星，五星级不超过 30%，获区（县）级及以上表彰可破格晋升",
        files: preset_files!("satisfaction"),
    },
    Preset {
        name: "themes",
        summary: "five-star branches by theme (Henan's 五星支部): villages and communities earn a star for each theme reached (strong branch, required; thriving industry; pleasant to live in; safety and rule of law; civility and happiness); agencies, two-new organizations and state-owned enterprises keep the score bands",
        summary_zh: "按主题评星（参照河南“五星”支部）：农村和城市社区党支部每获得一个主题星计一星（支部过硬星为必备基础星，另有产业兴旺星、生态宜居星、平安法治星、文明幸福星）；机关、“两新”组织和国有企业仍按总分评星",
        files: preset_files!("themes"),
    },
];

/// The preset of that name.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The preset names, comma-separated, for messages.
pub fn preset_names() -> String {
    PRESETS.map(|p| p.name).join(", ")
}
