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
