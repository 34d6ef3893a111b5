//! Any bytes as a workbook of a workspace: a score-sheet workbook `2025/scores-x.xlsx` (in
//! place of `scores-rural.csv`, so that a valid one rates), or `2025/events.xlsx` /
//! `2025/reviews.xlsx` (in place of the CSV file). Loading, rating, rectification and the adjustment must never panic, and never
//! allocate beyond the fuzzer's memory limit (run with `-rss_limit_mb=200`), whatever the
//! bytes.
//!
//! The first byte chooses the file (`pick % 3`) and what the other bytes are
//! (`pick / 3 % 5`): the whole workbook, or one XML part of a small valid workbook
//! (the seeds `seed00`..`seed02`), the rest of which is kept. A zip is checksummed, so
//! mutating a whole workbook mostly tests the zip reader; mutating a part reaches the XML
//! readers (the bounds scan and calamine) with every byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The workbook written, and the CSV file it replaces (moved aside while it is there).
const FILES: [(&str, &str); 3] = [
    ("2025/scores-x.xlsx", "2025/scores-rural.csv"),
    ("2025/events.xlsx", "2025/events.csv"),
    ("2025/reviews.xlsx", "2025/reviews.csv"),
];

/// The part the input replaces, by mode (`None`: the input is the whole workbook).
const PARTS: [Option<&str>; 5] = [
    None,
    Some("xl/worksheets/sheet1.xml"),
    Some("xl/sharedStrings.xml"),
    Some("xl/styles.xml"),
    Some("xl/workbook.xml"),
];

/// The small valid workbooks of the seed corpus (after their first byte), one per file.
const TEMPLATES: [&[u8]; 3] = [
    include_bytes!("../seeds/workbooks/seed00"),
    include_bytes!("../seeds/workbooks/seed01"),
    include_bytes!("../seeds/workbooks/seed02"),
];

/// A copy of the spec example in a fresh folder (in memory where /dev/shm exists).
fn workspace() -> &'static PathBuf {
    static WS: OnceLock<PathBuf> = OnceLock::new();
    WS.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("stars-fuzz-workbooks-{}", std::process::id()));
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

/// The parts of each template, decompressed once.
fn templates() -> &'static Vec<Vec<(String, Vec<u8>)>> {
    static T: OnceLock<Vec<Vec<(String, Vec<u8>)>>> = OnceLock::new();
    T.get_or_init(|| {
        TEMPLATES
            .iter()
            .map(|t| {
                let mut zip = zip::ZipArchive::new(Cursor::new(&t[1..])).expect("template zip");
                (0..zip.len())
                    .map(|i| {
                        let mut f = zip.by_index(i).expect("template part");
                        let mut body = Vec::new();
                        f.read_to_end(&mut body).expect("template part");
                        (f.name().to_string(), body)
                    })
                    .collect()
            })
            .collect()
    })
}

/// A template with one part's bytes replaced (stored, not deflated: quicker).
fn with_part(parts: &[(String, Vec<u8>)], part: &str, bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, body) in parts {
        zip.start_file(name.as_str(), opts).expect("zip in memory");
        let body = if name == part { bytes } else { body };
        zip.write_all(body).expect("zip in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let dir = workspace();
    let which = usize::from(pick) % FILES.len();
    let (rel, replaces) = FILES[which];
    let workbook = match PARTS[usize::from(pick) / FILES.len() % PARTS.len()] {
        None => bytes.to_vec(),
        Some(part) => with_part(&templates()[which], part, bytes),
    };
    // Hidden while aside: not read, not named.
    let (csv, aside) = (dir.join(replaces), dir.join("2025/.aside.csv"));
    std::fs::rename(&csv, &aside).expect("move the CSV file aside");
    let path = dir.join(rel);
    std::fs::write(&path, &workbook).expect("write input");
    stars::fuzzing::load_and_rate_all(dir);
    std::fs::remove_file(&path).expect("remove input");
    std::fs::rename(&aside, &csv).expect("restore the CSV file");
});
