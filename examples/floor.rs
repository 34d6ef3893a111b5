//! The floor: the least work any rating of a year must do, to compare `stars evaluate` with.
//!
//! ```sh
//! cargo run --release --example floor -- DIR [YEAR]
//! ```
//!
//! Tokenizes every score sheet of the year (`DIR/YEAR/scores*.csv`, YEAR defaulting to the
//! latest year folder) with the `csv` crate into `ByteRecord`s, touching every field (the sum
//! of the field lengths is printed, so nothing is optimized away), and prints the counts. No
//! decoding, no number parsing, no checking, no rating: a lower bound, not a competitor.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn latest_year(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
        .max()
}

fn sheets(ydir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(ydir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("scores") && n.ends_with(".csv"))
        })
        .collect();
    v.sort();
    Ok(v)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len() > 2 {
        eprintln!("usage: floor DIR [YEAR]");
        return ExitCode::from(2);
    }
    let dir = PathBuf::from(&args[0]);
    let Some(year) = args.get(1).cloned().or_else(|| latest_year(&dir)) else {
        eprintln!("floor: {}: no year folder", dir.display());
        return ExitCode::FAILURE;
    };
    let ydir = dir.join(&year);
    let files = match sheets(&ydir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("floor: {}: {e}", ydir.display());
            return ExitCode::FAILURE;
        }
    };
    let (mut records, mut fields, mut bytes) = (0u64, 0u64, 0u64);
    let mut rec = csv::ByteRecord::new();
    for path in &files {
        let mut rdr = match csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("floor: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {
                    records += 1;
                    for f in rec.iter() {
                        fields += 1;
                        bytes += f.len() as u64;
                    }
                }
                Ok(false) => break,
                Err(e) => {
                    eprintln!("floor: {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    println!(
        "{year}: {} sheets, {records} records, {fields} fields, {bytes} field bytes",
        files.len()
    );
    ExitCode::SUCCESS
}
