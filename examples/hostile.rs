//! Write the hostile inputs of tests/xlsx_trust.rs and tests/links.rs as workspaces, for
//! bench/hostile.sh to measure `stars check` on each (issue "Trust, second round").
//!
//! ```sh
//! cargo run --release --example hostile -- DIR
//! ```
//!
//! Writes DIR/CASE for every case (a copy of tests/fixtures/spec-example with one hostile
//! file) and prints the case names, one a line. DIR must be absent or empty.

use std::io::Write;
use std::path::{Path, PathBuf};

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

const HEADER_ROW: &str =
    r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A workbook of worksheets (name, XML inside `<sheetData>`, XML before it) and shared
/// strings, written by hand as in tests/xlsx_trust.rs. `tail` (a pattern repeated to a
/// length) is written after a sheet's rows in 1 MiB pieces, so a part of 100 MB is never
/// one string.
fn workbook(
    sheets: &[(&str, &str, &str)],
    strings: &[&str],
    tail: Option<(&[u8], usize)>,
) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    );
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, _, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        wb.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    let s = sheets.len() + 1;
    rels.push_str(&format!(r#"<Relationship Id="rId{s}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#));
    types.push_str("</Types>");
    wb.push_str("</sheets></workbook>");
    let mut put = |name: &str, body: &str| -> Result<()> {
        zip.start_file(name, opts)?;
        zip.write_all(body.as_bytes())?;
        Ok(())
    };
    put("[Content_Types].xml", &types)?;
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    )?;
    put("xl/workbook.xml", &wb)?;
    put("xl/_rels/workbook.xml.rels", &rels)?;
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        strings.len()
    );
    for s in strings {
        sst.push_str(&format!("<si><t>{s}</t></si>"));
    }
    sst.push_str("</sst>");
    put("xl/sharedStrings.xml", &sst)?;
    for (i, (_, data, before)) in sheets.iter().enumerate() {
        zip.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), opts)?;
        zip.write_all(format!("{SHEET_HEAD}{before}<sheetData>{data}").as_bytes())?;
        if let Some((pattern, len)) = tail {
            let piece = pattern.repeat((1 << 20) / pattern.len().max(1));
            let mut left = len;
            while left > 0 {
                let n = left.min(piece.len());
                zip.write_all(&piece[..n])?;
                left -= n;
            }
        }
        zip.write_all(b"</sheetData></worksheet>")?;
    }
    Ok(zip.finish()?.into_inner())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let p = e.path();
        if p.is_dir() {
            copy(&p, &to.join(e.file_name()))?;
        } else {
            std::fs::copy(&p, to.join(e.file_name()))?;
        }
    }
    Ok(())
}

/// A fresh copy of the spec example as DIR/CASE.
fn case(dir: &Path, name: &str) -> Result<PathBuf> {
    let ws = dir.join(name);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec-example");
    copy(&fixture, &ws)?;
    println!("{name}");
    Ok(ws)
}

/// A case whose hostile file is the workbook `2025/scores-extra.xlsx`.
fn xlsx_case(dir: &Path, name: &str, book: Result<Vec<u8>>) -> Result<()> {
    let ws = case(dir, name)?;
    std::fs::write(ws.join("2025/scores-extra.xlsx"), book?)?;
    Ok(())
}

fn main() -> Result<()> {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --release --example hostile -- DIR");
        std::process::exit(2);
    };
    if dir.exists() && std::fs::read_dir(&dir)?.next().is_some() {
        return Err(format!("{} is not empty", dir.display()).into());
    }
    let strings = &["branch", "level"];
    let one = |data: &str, before: &str, tail| workbook(&[("S", data, before)], strings, tail);

    // tests/xlsx_trust.rs
    let data = format!(r#"{HEADER_ROW}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
    xlsx_case(&dir, "xlsx-cell-at-XFD1048576", one(&data, "", None))?;
    let dimension = r#"<dimension ref="A1:XFD1048576"/>"#;
    xlsx_case(
        &dir,
        "xlsx-dimension-A1:XFD1048576",
        one(HEADER_ROW, dimension, None),
    )?;
    for (name, bad) in [
        ("out-of-range", "99"),
        ("negative", "-1"),
        ("garbage", "abc"),
    ] {
        let data = format!(r#"{HEADER_ROW}<row r="2"><c r="B2" t="s"><v>{bad}</v></c></row>"#);
        xlsx_case(
            &dir,
            &format!("xlsx-shared-string-{name}"),
            one(&data, "", None),
        )?;
    }
    let names: Vec<String> = (1..=65).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, &str, &str)> =
        names.iter().map(|n| (n.as_str(), HEADER_ROW, "")).collect();
    xlsx_case(&dir, "xlsx-65-sheets", workbook(&sheets, strings, None))?;
    // 65 MiB of padding (about 65 KB deflated): spaces, one run of text; empty elements.
    let spaces = Some((&b" "[..], 65 << 20));
    xlsx_case(&dir, "xlsx-65-MiB-of-spaces", one(HEADER_ROW, "", spaces))?;
    let elements = Some((&b"<x/>"[..], 65 << 20));
    xlsx_case(
        &dir,
        "xlsx-65-MiB-of-elements",
        one(HEADER_ROW, "", elements),
    )?;
    // A zip bomb: 100 MB of zero bytes deflate to about 100 KB.
    let zeros = Some((&b"\0"[..], 100_000_000));
    xlsx_case(
        &dir,
        "xlsx-zip-bomb-100-MB-zeros",
        one(HEADER_ROW, "", zeros),
    )?;
    // Within every limit: A1 to T200000 is 20 columns × 200,000 rows = 4,000,000 cells, the
    // most a worksheet may span, with two cells in it.
    let data = format!(r#"{HEADER_ROW}<row r="200000"><c r="T200000"><v>1</v></c></row>"#);
    xlsx_case(&dir, "xlsx-4M-cell-span", one(&data, "", None))?;
    // Past it: A1 to CV100000, 10,000,000 cells, refused before calamine allocates them.
    let data = format!(r#"{HEADER_ROW}<row r="100000"><c r="CV100000"><v>1</v></c></row>"#);
    xlsx_case(&dir, "xlsx-10M-cell-span", one(&data, "", None))?;

    // tests/links.rs
    let ws = case(&dir, "events-linked-to-dev-zero")?;
    std::fs::remove_file(ws.join("2025/events.csv"))?;
    std::os::unix::fs::symlink("/dev/zero", ws.join("2025/events.csv"))?;
    let ws = case(&dir, "events-a-fifo")?;
    std::fs::remove_file(ws.join("2025/events.csv"))?;
    let status = std::process::Command::new("mkfifo")
        .arg(ws.join("2025/events.csv"))
        .status()?;
    if !status.success() {
        return Err("mkfifo failed".into());
    }
    let ws = case(&dir, "stars.toml-over-1-MiB")?;
    let mut text = std::fs::read_to_string(ws.join("stars.toml"))?;
    text.push_str(&format!("# {}\n", "x".repeat(1 << 20)));
    std::fs::write(ws.join("stars.toml"), text)?;
    let ws = case(&dir, "1000-bad-rows")?;
    let mut text = std::fs::read_to_string(ws.join("2025/scores-rural.csv"))?;
    text.push_str(&"B01,self,forty,30,20,10\n".repeat(1000));
    std::fs::write(ws.join("2025/scores-rural.csv"), text)?;
    let ws = case(&dir, "6-files-of-300-bad-rows")?;
    let bad = "branch,level,C1,C2,R1,R2\n".to_string() + &"B01,self,forty,30,20,10\n".repeat(300);
    for k in 0..6 {
        std::fs::write(ws.join(format!("2025/scores-x{k}.csv")), &bad)?;
    }
    third_round(&dir)
}

/// A file of `len` bytes, `head` and then zeros (sparse: no disk used).
fn sparse(path: &Path, head: &[u8], len: u64) -> Result<()> {
    std::fs::write(path, head)?;
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .set_len(len)?;
    Ok(())
}

/// The hostile inputs of issue 31 (tests/trust3.rs): files larger than their limits,
/// records that never end, a careful read of a large messy file, and a county whose
/// member globs meet link loops or whose members share a folder name.
fn third_round(dir: &Path) -> Result<()> {
    let ws = case(dir, "events.csv-2-GiB-sparse")?;
    sparse(
        &ws.join("2025/events.csv"),
        b"branch,item,date,note\n",
        2 << 30,
    )?;
    let ws = case(dir, "events.csv-65-MiB-of-valid-rows")?;
    let row = "B04,P1,2025-03-02,County commendation\n";
    let mut text = String::from("branch,item,date,note\n");
    text.push_str(&row.repeat((65 << 20) / row.len()));
    std::fs::write(ws.join("2025/events.csv"), text)?;
    let ws = case(dir, "branches.csv-3-GiB-sparse")?;
    let head = std::fs::read(ws.join("branches.csv"))?;
    sparse(&ws.join("branches.csv"), &head, 3 << 30)?;
    let ws = case(dir, "reviews.csv-quote-never-closed-64-MiB")?;
    let mut text = String::from("branch,department,opinion,note\nB01,discipline,approve,\"open\n");
    text.push_str(&format!("{}\n", "x".repeat(1023)).repeat(64 << 10));
    std::fs::write(ws.join("2025/reviews.csv"), text)?;
    // A messy score sheet (a quote: read carefully) of 256 MiB: every row repeats B01.
    let ws = case(dir, "scores-256-MiB-messy")?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(ws.join("2025/scores-y.csv"))?);
    f.write_all(b"branch,level,C1,C2,R1,R2\n\"B01\",self,40,30,20,10\n")?;
    let row = "B01,self,40,30,20,10\n".repeat(1 << 16);
    for _ in 0..((256 << 20) / row.len()) {
        f.write_all(row.as_bytes())?;
    }
    f.flush()?;
    // Counties: `towns/**` over two links to `.`, and two members of one folder name.
    let county = |name: &str, members: &str| -> Result<PathBuf> {
        let c = dir.join(name);
        std::fs::create_dir_all(c.join("towns"))?;
        std::fs::write(
            c.join("stars.toml"),
            format!(
                "name = \"County\"\nmembers = {members}\n\n[years.2025]\nevaluated = 2025-12-20\n"
            ),
        )?;
        println!("{name}");
        Ok(c)
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec-example");
    let c = county("county-towns-**-through-link-loops", "[\"towns/**\"]")?;
    copy(&fixture, &c.join("towns/a"))?;
    std::os::unix::fs::symlink(".", c.join("towns/x"))?;
    std::os::unix::fs::symlink(".", c.join("towns/y"))?;
    let c = county(
        "county-two-members-named-dawang",
        "[\"towns/*\", \"more/*\"]",
    )?;
    copy(&fixture, &c.join("towns/dawang"))?;
    copy(&fixture, &c.join("more/dawang"))?;
    let toml = c.join("more/dawang/stars.toml");
    let text = std::fs::read_to_string(&toml)?.replacen("Spec Example Town", "Other Town", 1);
    std::fs::write(toml, text)?;
    Ok(())
}
