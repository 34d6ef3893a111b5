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
//!
//! On a county (a `stars.toml` with `members = [...]`, issue 16) it tokenizes the year's score
//! sheets of every member instead, one member after the other (YEAR defaulting to the latest
//! year folder of the first member). Member entries are folders or `FOLDER/*` (the pattern
//! `examples/gen.rs --members` writes); other glob patterns are not expanded.

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

/// The member folders of a county: `members = [...]` of `DIR/stars.toml` (one line), each
/// entry a folder or `FOLDER/*`; `None` when DIR is no county.
fn members(dir: &Path) -> Option<Vec<PathBuf>> {
    let toml = std::fs::read_to_string(dir.join("stars.toml")).ok()?;
    let line = toml
        .lines()
        .find(|l| l.trim_start().starts_with("members"))?;
    let list = line.split_once('=')?.1;
    let mut out = Vec::new();
    for entry in list.split('"').skip(1).step_by(2) {
        match entry.strip_suffix("/*") {
            Some(parent) => {
                let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join(parent))
                    .ok()?
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect();
                found.sort();
                out.extend(found);
            }
            None => out.push(dir.join(entry)),
        }
    }
    Some(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len() > 2 {
        eprintln!("usage: floor DIR [YEAR]");
        return ExitCode::from(2);
    }
    let dir = PathBuf::from(&args[0]);
    let county = members(&dir);
    let towns = county.clone().unwrap_or_else(|| vec![dir.clone()]);
    let latest = || latest_year(towns.first()?);
    let Some(year) = args.get(1).cloned().or_else(latest) else {
        eprintln!("floor: {}: no year folder", dir.display());
        return ExitCode::FAILURE;
    };
    let mut files = Vec::new();
    for town in &towns {
        let ydir = town.join(&year);
        match sheets(&ydir) {
            Ok(f) => files.extend(f),
            Err(e) => {
                eprintln!("floor: {}: {e}", ydir.display());
                return ExitCode::FAILURE;
            }
        }
    }
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
    let members = county.map_or(String::new(), |m| format!(" of {} members", m.len()));
    println!(
        "{year}: {} sheets{members}, {records} records, {fields} fields, {bytes} field bytes",
        files.len()
    );
    ExitCode::SUCCESS
}
