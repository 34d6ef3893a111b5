//! Any bytes as a CSV table of a workspace: read in blocks of a few bytes (the blocks must be
//! the file, each at its line, none cutting a record), then under the header of
//! `branches.csv`, a score sheet, `events.csv`, `reviews.csv` or `rectification.csv` (the
//! first byte chooses the table and the block size) in a copy of the spec example: loading,
//! rating, rectification and the adjustment must never panic, and the plain and careful
//! reads of a clean file must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A copy of the spec example in a fresh folder (in memory where /dev/shm exists).
fn workspace() -> &'static PathBuf {
    static WS: OnceLock<PathBuf> = OnceLock::new();
    WS.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("stars-fuzz-csv-{}", std::process::id()));
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec-example");
        copy(&src, &dir);
        dir
    })
}

fn copy(from: &Path, to: &Path) {
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
    stars::fuzzing::csv(workspace(), data);
});
