//! Ready to post, ready to print (issue 32): every kind of workbook `stars` writes is set
//! up for paper — A4, fitted to the page's width, landscape where the table is wide, the
//! header row repeated on every page, a title row above it, page k of n at the foot — its
//! numbers stored as numbers and a name beside every code; the publicity list is a notice
//! to post in every format; a county's `--output-dir` holds a workbook per town and the
//! summary, towns in the county's order, with a row for each town left out. (That terminal
//! tables never cut a number is tested in `src/render/table.rs`: a test has no terminal.)

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{copy_dir, Ws};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// The parts of a workbook (a zip file) by name, as text.
fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let mut out = BTreeMap::new();
    for n in names {
        let mut s = String::new();
        if zip.by_name(&n).unwrap().read_to_string(&mut s).is_ok() {
            out.insert(n, s);
        }
    }
    out
}

/// Each worksheet: its name and its rows.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

/// The table of a sheet: the rows below its title row.
fn table<'a>(book: &'a [(String, Vec<Vec<Data>>)], name: &str) -> &'a [Vec<Data>] {
    let (_, rows) = book.iter().find(|(n, _)| n == name).unwrap_or_else(|| {
        panic!(
            "no sheet {name}: {:?}",
            book.iter().map(|b| &b.0).collect::<Vec<_>>()
        )
    });
    &rows[1..]
}

/// What every worksheet of every workbook has: A4, fitted to one page wide, page k of n
/// at its foot, each row once; a title row (one cell) above the table; the header row
/// repeated (the print titles, one per sheet with a table: `tables`). Returns the sheets'
/// XML, in order.
fn assert_ready_to_print(what: &str, bytes: &[u8], tables: usize) -> Vec<String> {
    let parts = parts(bytes);
    let book = sheets(bytes);
    let mut xml = Vec::new();
    for k in 1..=book.len() {
        let name = format!("xl/worksheets/sheet{k}.xml");
        let sheet = parts
            .get(&name)
            .unwrap_or_else(|| panic!("{what}: no {name}"));
        assert!(sheet.contains("paperSize=\"9\""), "{what} {name}: not A4");
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{what} {name}"
        );
        assert!(
            sheet.contains("fitToHeight=\"0\""),
            "{what} {name}: not fitted to width"
        );
        let footer = sheet.split("<oddFooter>").nth(1).unwrap_or_default();
        assert!(
            footer.contains("&amp;P") && footer.contains("&amp;N"),
            "{what} {name}: no page k of n"
        );
        // Each row once (a row written twice is a workbook Excel must repair).
        let mut seen = std::collections::BTreeSet::new();
        for r in sheet.split("<row r=\"").skip(1) {
            let n = r.split('"').next().unwrap_or_default().to_string();
            assert!(seen.insert(n.clone()), "{what} {name}: row {n} twice");
        }
        xml.push(sheet.clone());
    }
    for (name, rows) in &book {
        let title: Vec<&Data> = rows[0].iter().filter(|c| **c != Data::Empty).collect();
        assert_eq!(
            title.len(),
            1,
            "{what} {name}: the title row is one cell: {:?}",
            rows[0]
        );
    }
    let workbook = &parts["xl/workbook.xml"];
    assert_eq!(
        workbook.matches("_xlnm.Print_Titles").count(),
        tables,
        "{what}: the header rows repeated on every page: {workbook}"
    );
    xml
}

/// The workbook written by `args` with `-f xlsx -o FILE`.
fn workbook(ws: &Ws, args: &[&str], file: &str) -> Vec<u8> {
    let mut a = args.to_vec();
    a.extend(["-f", "xlsx", "-o", file]);
    let run = ws.run(&a);
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    std::fs::read(ws.tmp.path().join(file)).unwrap()
}

fn town() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dawang"),
        &ws.dir,
    );
    ws
}

/// Every list's workbook, in both languages: ready to print.
#[test]
fn every_workbook_is_ready_to_print() {
    let ws = town();
    // (arguments, the sheets with a table, all but the notes: 0 to count them)
    let kinds: &[(&[&str], usize)] = &[
        (&["evaluate"], 3),
        (&["rectify"], 2),
        (&["rectify", "--view", "responsibility"], 3),
        (&["rectify", "--view", "deadline"], 3),
        (&["adjust"], 0),
        (&["tiers"], 0),
        (&["publicity"], 1),
        (&["exchange"], 0),
        (&["history", "D011"], 0),
        (&["explain", "D001"], 0),
        (&["template", "rural", "--legend"], 0),
        (&["standards", "show"], 1),
        (&["report"], 0),
        // The sheets handed out to fill: the score form, the records' and the
        // rectification list's templates.
        (&["template", "rural"], 1),
        (&["template", "surveys", "--year", "2025"], 1),
        (&["template", "rectification", "--year", "2025"], 0),
    ];
    for lang in ["zh", "en"] {
        for (args, tables) in kinds {
            let mut a = args.to_vec();
            a.extend(["--lang", lang]);
            let file = format!("{}-{lang}.xlsx", args.join("-"));
            let bytes = workbook(&ws, &a, &file);
            let book = sheets(&bytes);
            let notes = book
                .iter()
                .filter(|(n, _)| n == "Notes" || n == "说明")
                .count();
            let tables = match *tables {
                0 => book.len() - notes,
                n => n,
            };
            assert_eq!(
                book.len() - notes,
                tables,
                "{args:?}: {:?}",
                book.iter().map(|b| &b.0).collect::<Vec<_>>()
            );
            assert_ready_to_print(&format!("{args:?} {lang}"), &bytes, tables);
            // Numbers are numbers: no cell holds a number as text.
            for (name, rows) in &book {
                for c in rows.iter().flatten() {
                    if let Data::String(t) = c {
                        let number = !t.is_empty()
                            && t.trim_start_matches('-')
                                .chars()
                                .all(|c| c.is_ascii_digit() || c == '.')
                            && t.chars().any(|c| c.is_ascii_digit());
                        assert!(!number, "{args:?} {lang} {name}: `{t}` is text");
                    }
                }
            }
            // Every sheet's title names the town (the score form's notes have none).
            for (name, rows) in book.iter().filter(|_| *args != ["template", "rural"]) {
                let title = rows[0].iter().map(|c| c.to_string()).collect::<String>();
                assert!(title.contains("大王镇"), "{args:?} {lang} {name}: {title}");
            }
        }
    }
}

/// The report's and the notice's workbooks of a year with themes, and of one with records
/// (ballots, objections still open, decisions): ready to print.
#[test]
fn themes_and_records_workbooks_are_ready_to_print() {
    for fixture in ["themes", "records-example"] {
        let ws = Ws::fixture(fixture);
        for args in [&["report"][..], &["publicity"][..], &["evaluate"][..]] {
            let file = format!("{fixture}-{}.xlsx", args[0]);
            let bytes = workbook(&ws, args, &file);
            let book = sheets(&bytes);
            let notes = book.iter().filter(|(n, _)| n == "Notes").count();
            assert_ready_to_print(&file, &bytes, book.len() - notes);
        }
    }
}

/// A county's workbook (the summary by town first among its tables): ready to print.
#[test]
fn a_county_workbook_is_ready_to_print() {
    let ws = county();
    for (args, tables) in [
        (&["evaluate"][..], 4),
        (&["adjust"][..], 5),
        (&["report"][..], 0),
    ] {
        let file = format!("county-{}.xlsx", args[0]);
        let bytes = workbook(&ws, args, &file);
        let book = sheets(&bytes);
        let notes = book.iter().filter(|(n, _)| n == "说明").count();
        let tables = if tables == 0 {
            book.len() - notes
        } else {
            tables
        };
        assert_ready_to_print(&file, &bytes, tables);
    }
}

/// The title row says the town, the year and what it is; the header row is the one
/// repeated; a wide list prints across a landscape page, a narrow summary on a portrait one.
#[test]
fn titles_headers_and_orientation() {
    let ws = town();
    let bytes = workbook(&ws, &["evaluate"], "e.xlsx");
    let book = sheets(&bytes);
    let (name, rows) = &book[0];
    assert_eq!(
        rows[0][0],
        Data::String("大王镇 2025年度星级评定结果".into())
    );
    assert_eq!(rows[1][0], Data::String("支部编号".into()));
    // The summary's title names the list it sums up.
    assert_eq!(
        book[1].1[0][0],
        Data::String("大王镇 2025年度星级评定结果：各领域星级分布".into())
    );
    let xml = assert_ready_to_print("evaluate", &bytes, 3);
    let workbook = &parts(&bytes)["xl/workbook.xml"];
    assert!(workbook.contains(&format!("'{name}'!$2:$2")), "{workbook}");
    assert!(
        xml[0].contains("orientation=\"landscape\""),
        "the list is wide"
    );
    assert!(
        !xml[1].contains("orientation=\"landscape\""),
        "the summary is narrow"
    );
    // The title at the head of every page; the header row frozen under the title.
    assert!(xml[0].contains("<oddHeader>&amp;L大王镇 2025年度星级评定结果</oddHeader>"));
    assert!(xml[0].contains("ySplit=\"2\""), "{}", &xml[0][..600]);
    // Long text wraps within its column: every column's cells wrap (by the column's
    // format, not cell by cell), at most 40 characters wide.
    let cols = xml[0]
        .split("<cols>")
        .nth(1)
        .unwrap()
        .split("</cols>")
        .next()
        .unwrap();
    for w in cols.split("width=\"").skip(1) {
        let w: f64 = w.split('"').next().unwrap().parse().unwrap();
        assert!((8.0..=41.0).contains(&w), "width {w}");
    }
    let styles = &parts(&bytes)["xl/styles.xml"];
    assert!(styles.contains("wrapText=\"1\""));
}

/// Numbers are numbers in every workbook: a standard's points (the legend's and
/// `standards show`'s) add up with SUM; the committee report's counts, shares and scores.
#[test]
fn numbers_are_stored_as_numbers() {
    let ws = town();
    let bytes = workbook(&ws, &["template", "rural", "--legend"], "legend.xlsx");
    let book = sheets(&bytes);
    let rows = &book[0].1[1..];
    let points = rows[0]
        .iter()
        .position(|c| *c == Data::String("分值".into()))
        .unwrap();
    let total: f64 = rows[1..]
        .iter()
        .map(|r| match &r[points] {
            Data::Float(f) => *f,
            other => panic!("points {other:?} are not a number"),
        })
        .sum();
    assert_eq!(total, 100.0);
    let bytes = workbook(&ws, &["standards", "show", "--lang", "en"], "std.xlsx");
    let book = sheets(&bytes);
    let rows = &book[0].1[1..];
    let h = |k: &str| {
        rows[0]
            .iter()
            .position(|c| *c == Data::String(k.into()))
            .unwrap()
    };
    let (points, kind, bottom) = (h("Points"), h("Kind"), h("Bottom line"));
    let mut n = 0;
    for r in &rows[1..] {
        if r[kind] != Data::String("red_line".into()) {
            assert!(matches!(r[points], Data::Float(_)), "{r:?}");
            n += 1;
        }
        assert!(matches!(r[bottom], Data::Float(_) | Data::Empty), "{r:?}");
    }
    assert!(n > 50);
    // The score template's points above the header.
    let bytes = workbook(&ws, &["template", "rural"], "form.xlsx");
    let book = sheets(&bytes);
    assert!(
        book[0].1[2].iter().any(|c| matches!(c, Data::Float(_))),
        "{:?}",
        book[0].1[2]
    );
    // The report's figures and tables.
    let bytes = workbook(&ws, &["report"], "report.xlsx");
    let book = sheets(&bytes);
    let figures = &book[0].1[1..];
    assert_eq!(figures[0][0], Data::String("指标".into()));
    assert_eq!(
        figures[1],
        [Data::String("参评支部".into()), Data::Float(64.0)]
    );
    let by_star = table(&book, "各星级支部数");
    assert_eq!(by_star[1][0], Data::String("五星".into()));
    assert_eq!(by_star[1][1], Data::Float(8.0));
    assert_eq!(by_star[1][2], Data::Float(12.5));
}

/// A name beside every code: the report's items by source, in its table and its chart;
/// its stars by domain named as people read them.
#[test]
fn the_report_workbook_names_every_code() {
    let ws = town();
    let bytes = workbook(&ws, &["report"], "r.xlsx");
    let book = sheets(&bytes);
    let (name, rows) = book
        .iter()
        .find(|(n, _)| n.contains("整改事项"))
        .expect("the items by source");
    let rows = &rows[1..];
    assert_eq!(
        rows[0][..2],
        [
            Data::String("来源".into()),
            Data::String("指标或事项".into())
        ]
    );
    let c08 = rows
        .iter()
        .find(|r| r[0] == Data::String("C08".into()))
        .unwrap();
    assert_eq!(c08[1], Data::String("阵地建设".into()));
    let parts = parts(&bytes);
    let chart = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/charts/"))
        .map(|(_, c)| c)
        .find(|c| c.contains("各指标整改事项数"))
        .expect("the chart of items");
    let last = rows.len() + 1;
    let quoted = format!("'{name}'!$B$3:$B${last}");
    let plain = format!("{name}!$B$3:$B${last}");
    assert!(chart.contains(&quoted) || chart.contains(&plain), "{chart}");
    assert!(
        chart.contains("<c:v>阵地建设</c:v>"),
        "the names cached in the chart"
    );
    let domains = table(&book, "各领域星级分布");
    assert_eq!(domains[1][0], Data::String("农村".into()));
}

/// The publicity notice, ready to post: title, what it announces, the list, the window,
/// where to send an objection (`[publicity] contact`), the issuing body and the date — in
/// a workbook, Markdown, a page and a table; CSV and JSON keep the rows only.
#[test]
fn the_publicity_list_is_a_notice_to_post() {
    let ws = town();
    let contact = "镇党委组织办公室（镇政府三楼 302 室，电话 0546-6000000）";
    let bytes = workbook(&ws, &["publicity"], "p.xlsx");
    let book = sheets(&bytes);
    let rows = &book[0].1;
    let text = |r: &Vec<Data>| r.iter().map(|c| c.to_string()).collect::<String>();
    assert!(text(&rows[0]).contains("五星级党支部公示名单（公示期2025-12-21至2025-12-25）"));
    assert!(text(&rows[1]).contains("以下8个党支部拟评为2025年度五星级党支部，现予公示。"));
    assert_eq!(rows[2][0], Data::String("支部编号".into()));
    let rest: Vec<String> = rows[11..]
        .iter()
        .map(text)
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(
        rest,
        [
            "公示期：2025-12-21至2025-12-25，共5天。".to_string(),
            format!("公示期间，如有异议，请以书面、电话或当面等方式向{contact}反映。反映情况应实事求是，并请署真实姓名。"),
            "中共大王镇委员会".to_string(),
            "2025年12月21日".to_string(),
        ]
    );
    // The header row (below the title and the opening words) is the one repeated.
    let workbook = &parts(&bytes)["xl/workbook.xml"];
    assert!(workbook.contains("!$3:$3"), "{workbook}");
    let md = ws.run(&["publicity", "-f", "markdown"]).stdout;
    assert!(md.contains(contact), "{md}");
    assert!(
        md.ends_with("中共大王镇委员会  \n2025年12月21日\n\n"),
        "{md}"
    );
    let html = ws.run(&["publicity", "-f", "html"]).stdout;
    assert!(html.contains("<div class=\"signature\">中共大王镇委员会<br>2025年12月21日</div>"));
    assert!(html.contains("现予公示。"));
    let table = ws.run(&["publicity", "-f", "table"]).stdout;
    assert!(
        table.contains(contact) && table.ends_with("2025年12月21日\n"),
        "{table}"
    );
    let csv = ws.run(&["publicity", "-f", "csv"]).stdout;
    assert!(!csv.contains("中共") && csv.starts_with("branch,"), "{csv}");
    // The issuing body set; no contact: objections go to it; in English.
    ws.patch(
        "stars.toml",
        "contact = ",
        "issuer = \"中共大王镇委员会组织委员会\"\n# ",
    );
    let md = ws
        .run(&["publicity", "-f", "markdown", "--lang", "en"])
        .stdout;
    assert!(
        md.contains("in writing, by telephone or in person, with 中共大王镇委员会组织委员会."),
        "{md}"
    );
    assert!(
        md.ends_with("中共大王镇委员会组织委员会  \n2025-12-21\n\n"),
        "{md}"
    );
}

/// `[publicity] contact` and `issuer` are one line of text each: anything else is a
/// located problem.
#[test]
fn notice_settings_are_checked() {
    let ws = town();
    ws.patch(
        "stars.toml",
        "contact = \"",
        "issuer = \"\"\ncontact = 5\n# \"",
    );
    let run = ws.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("ws/stars.toml:14:10: [publicity.issuer] `issuer` has 0 characters; expected one line of 1 to 200 characters"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("[publicity.contact] found an integer; expected a string"),
        "{}",
        run.stderr
    );
}

fn county() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guangrao"),
        &ws.dir,
    );
    ws
}

/// Make a town's events name a branch it does not have: one problem.
fn break_town(ws: &Ws, folder: &str) {
    ws.map_lines(&format!("towns/{folder}/2025/events.csv"), |i, l| {
        if i == 2 {
            let rest = l.split_once(',').map_or("", |(_, r)| r);
            format!("X999,{rest}")
        } else {
            l.to_string()
        }
    });
}

/// `--output-dir` with `-f xlsx`: a workbook per town and the summary workbook, each ready
/// to print; with `--keep-going`, the town left out has a row saying why; the towns in the
/// county's order (its folders' names here: `members = ["towns/*"]`).
#[test]
fn a_county_writes_a_workbook_per_town_and_the_summary() {
    let ws = county();
    break_town(&ws, "lique");
    let out = ws.tmp.path().join("out");
    let run = ws.run(&[
        "evaluate",
        "-f",
        "xlsx",
        "--output-dir",
        out.to_str().unwrap(),
        "--keep-going",
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("有 1 个镇（街道）因有问题未输出（--keep-going）：李鹊镇"),
        "{}",
        run.stderr
    );
    for folder in ["damatou", "daozhuang", "dawang", "dingzhuang", "huaguan"] {
        let bytes = std::fs::read(out.join(folder).join("ratings-2025.xlsx")).unwrap();
        assert_ready_to_print(folder, &bytes, 3);
    }
    assert!(!out.join("lique").exists());
    let bytes = std::fs::read(out.join("ratings-2025-towns.xlsx")).unwrap();
    assert_ready_to_print("summary", &bytes, 1);
    let book = sheets(&bytes);
    let rows = &book[0].1[1..];
    let towns: Vec<String> = rows[1..].iter().map(|r| r[0].to_string()).collect();
    assert_eq!(
        towns,
        [
            "大码头镇",
            "稻庄镇",
            "大王镇",
            "丁庄街道",
            "花官镇",
            "李鹊镇",
            "合计"
        ]
    );
    let why = rows[6].last().unwrap().to_string();
    assert_eq!(why, "未计入：其文件中有 1 个问题（见错误输出）");
    assert!(rows[6][1..rows[6].len() - 1]
        .iter()
        .all(|c| *c == Data::Empty));
    // The total counts the towns written only.
    let written: f64 = rows[1..6]
        .iter()
        .map(|r| match r[1] {
            Data::Float(f) => f,
            _ => 0.0,
        })
        .sum();
    assert_eq!(rows[7][1], Data::Float(written));
}

/// The towns come in the order of `members`, then of folder name within a pattern: the
/// same in every output (CSV, the summary, the report, its JSON).
#[test]
fn the_county_orders_its_towns() {
    let ws = county();
    ws.patch(
        "stars.toml",
        "members = [\"towns/*\"]",
        "members = [\"towns/huaguan\", \"towns/dawang\", \"towns/*\"]",
    );
    let want = [
        "花官镇",
        "大王镇",
        "大码头镇",
        "稻庄镇",
        "丁庄街道",
        "李鹊镇",
    ];
    let csv = ws.run(&["evaluate", "-f", "csv"]);
    assert_eq!(csv.code, Some(0), "{}", csv.stderr);
    let mut seen: Vec<String> = Vec::new();
    for l in csv.stdout.lines().skip(1) {
        let t = l.split(',').next().unwrap().to_string();
        if seen.last() != Some(&t) {
            seen.push(t);
        }
    }
    assert_eq!(seen, want);
    let md = ws.run(&["evaluate", "-f", "markdown"]).stdout;
    let summary = md.split("## 各镇（街道）汇总").nth(1).unwrap();
    let at: Vec<usize> = want
        .iter()
        .map(|t| summary.find(&format!("| {t} |")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{summary}");
    let json = ws.run(&["report", "-f", "json"]).stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let towns: Vec<&str> = v["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(towns, want);
}

/// The county's report is its towns' reports added up: the same figures as each town's
/// own report, in one code path (`--keep-going` leaves a broken town out, with why).
#[test]
fn the_county_report_adds_up_its_towns() {
    let ws = county();
    let json = |args: &[&str]| -> serde_json::Value {
        let run = ws.run(args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let all = json(&["report", "-f", "json", "--year", "2025"]);
    let mut stars = [0u64; 6];
    let mut five = 0;
    for t in all["towns"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let own = json(&["report", "-f", "json", "--year", "2025", "--town", name]);
        assert_eq!(own["stars"], t["stars"], "{name}");
        assert_eq!(own["plaques"], t["plaques"], "{name}");
        for (s, n) in own["stars"].as_array().unwrap().iter().enumerate() {
            stars[s] += n.as_u64().unwrap();
        }
        five += own["five_star"].as_array().unwrap().len();
    }
    let got: Vec<u64> = all["stars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(got, stars);
    assert_eq!(all["five_star"].as_array().unwrap().len(), five);
    assert_eq!(all["five_star"][0]["town"], all["towns"][0]["name"]);
    break_town(&ws, "lique");
    assert_eq!(ws.run(&["report", "-f", "json"]).code, Some(1));
    let run = ws.run(&["report", "-f", "json", "--keep-going"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let lique = v["towns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "李鹊镇")
        .unwrap();
    assert!(
        lique["left_out"].as_str().unwrap().contains("1 个问题"),
        "{lique}"
    );
    assert_eq!(lique["branches"], 0);
}
