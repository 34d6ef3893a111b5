//! Any bytes as any one input file of a workspace (a standard, stars.toml, branches.csv, a
//! score sheet, events, reviews, rectification): loading, rating, rectification and the
//! adjustment must never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The files the first input byte chooses among.
const FILES: [&str; 10] = [
    "stars.toml",
    "branches.csv",
    "standards/common.toml",
    "standards/rural.toml",
    "standards/agency.toml",
    "2025/scores-rural.csv",
    "2025/scores-mass.csv",
    "2025/events.csv",
    "2025/reviews.csv",
    "2025/rectification.csv",
];

/// A copy of the spec example in a fresh folder (in memory where /dev/shm exists).
fn workspace() -> &'static PathBuf {
    static WS: OnceLock<PathBuf> = OnceLock::new();
    WS.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("stars-fuzz-{}", std::process::id()));
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec-example");
        copy(&src, &dir);
        dir
    })
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create fuzz workspace");
    for e in std::fs::read_dir(from).expect("read fixture").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy fixture");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let dir = workspace();
    let rel = FILES[usize::from(pick) % FILES.len()];
    let path = dir.join(rel);
    let original = std::fs::read(&path).unwrap_or_default();
    std::fs::write(&path, bytes).expect("write input");
    stars::fuzzing::load_and_rate_all(dir);
    std::fs::write(&path, original).expect("restore input");
});
