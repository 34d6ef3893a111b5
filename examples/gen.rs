//! Generate a large, valid `stars` workspace for benchmarks (issue "Scale: a province in a blink").
//!
//! ```sh
//! cargo run --release --example gen -- DIR N [--years K] [--seed S] [--members M] [--themes | --records | --records-twin]
//! ```
//!
//! Writes into DIR (which must be absent or empty):
//! - `stars.toml`: years 2023.. for K years (default 3), each `evaluated = YYYY-12-20`;
//! - `branches.csv`: N branches over the five domains (ids `G0000001`… zero-padded so text
//!   order is numeric order), towns of 60 branches, ~1% first rated in the second year and
//!   ~0.5% last rated in the year before the last;
//! - for every year: `scores-<domain>.csv` (self and organization rows filling the common and
//!   domain indicators of the built-in standard, plus detailed mass rows for ~5% of branches),
//!   `scores-mass.csv` (`branch,level,overall` for the other ~95%), `events.csv` (incentive,
//!   restraint and red-line items for a few % of branches), `reviews.csv` (the three required
//!   departments for high-scoring branches: mostly approve, some object or missing) and, from
//!   the second year on, `rectification.csv` (the previous year's items, worked out exactly:
//!   ~80% done, ~12% open, the rest not mentioned).
//!
//! With `--members M`, DIR is a county instead (issue 16): `DIR/stars.toml` has `name`,
//! `lang = "en"`, `members = ["towns/*"]` and the years, and each of the M members
//! `DIR/towns/tNNNNN/` (numbered from `t00001`, at least 5 digits) is a town workspace as
//! above (its `stars.toml` with `name = "tNNNNN"`, `lang` and the years) holding N/M of the
//! branches (the first N mod M members one more). Ids restart at `G0000001` in every member
//! (they are unique within a town only); every other value is the one the branch has in the
//! single N-branch workspace (the generator is seeded by the branch's place among all N), so
//! a county and a single workspace of the same N hold the same ratings.
//!
//! With `--themes`, DIR also gets `standards/` (the county's, with `--members`): the built-in
//! files rated by themes (SPEC.md "Stars by theme": `stars_by = "themes"` and five `[[theme]]`s
//! in common.toml, T1 required, each indicator given a theme in turn). Every other file is
//! the same as without it, so the two workspaces hold the same scores rated both ways (the
//! benchmark of stars by theme against stars by score).
//!
//! With `--records` (issue "Records of the year"), the same branches keep records of the
//! year: `standards/common.toml` is the built-in one with `[survey]` (groups 党员 0.4 and
//! 群众 0.6) and `[deduction] levels = ["organization"]`; the organization level is full
//! marks less a few deductions (`deductions.csv`: a tenth of the indicators lose 0.5 to 2
//! points, now and then twice, each with a date and a reason; about 2.4 rows a branch)
//! instead of the organization rows, and the `overall` mass row of a third of the branches
//! (those whose place among all N is a multiple of 3) becomes their ballots (`surveys.csv`:
//! two groups of 200 valid ballots whose rate is that `overall` exactly). Every other value
//! (self, mass, events, the items' statuses…) is the one written without `--records`; the
//! ratings differ only by the organization level's scores.
//!
//! With `--records-twin`, the twin of `--records` without records: the same branches and
//! the same ratings, the records written as the score rows they stand for. The organization
//! level is a row of each indicator's points less the deductions `--records` writes (not
//! below 0), the surveyed branches' mass level the `overall` row their ballots replace (the
//! ballots' rate is that `overall` exactly), and the standards are the built-in ones; the
//! events, reviews and rectification are the same bytes. `gen DIR N --records` against
//! `gen DIR2 N --records-twin` measures what reading and applying the records costs, and
//! their `stars evaluate` outputs are the same.
//!
//! The output is deterministic: a fixed-seed SplitMix64 generator, seeded per branch and year,
//! so a branch's data does not depend on N. Rows are written in branch id order. Scores are
//! decimals with up to 2 places, mostly 70–95% of an indicator's points.

use rust_decimal::Decimal;
use stars::problem::Problems;
use stars::standard::{self, Domain, ItemKind, Standard, Standards};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const FIRST_YEAR: i32 = 2023;
const TOWN_SIZE: usize = 60;

/// SplitMix64: tiny, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, a: u64, b: u64) -> Rng {
        let mut r = Rng(seed
            ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

struct Args {
    dir: PathBuf,
    n: usize,
    years: usize,
    seed: u64,
    /// `--members M`: a county of M town workspaces.
    members: Option<usize>,
    /// `--themes`: the built-in standards rated by themes, in `standards/`.
    themes: bool,
    /// `--records`: ballots for a third of the branches and the organization level by
    /// deduction; also set by `--records-twin`, which writes them as score rows.
    records: bool,
    /// `--records-twin`: the ratings of `--records` as plain score rows, without records.
    twin: bool,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: gen DIR N [--years K] [--seed S] [--members M] [--themes | --records | --records-twin]"
    );
    ExitCode::from(2)
}

fn parse_args() -> Option<Args> {
    let mut pos = Vec::new();
    let mut years = 3usize;
    let mut seed = 20_231_220u64;
    let mut members = None;
    let mut themes = false;
    let mut records = false;
    let mut twin = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--years" => years = it.next()?.parse().ok()?,
            "--seed" => seed = it.next()?.parse().ok()?,
            "--members" => members = Some(it.next()?.replace('_', "").parse().ok()?),
            "--themes" => themes = true,
            "--records" => records = true,
            "--records-twin" => twin = true,
            _ if a.starts_with("--") => return None,
            _ => pos.push(a),
        }
    }
    if pos.len() != 2 || years == 0 || years > 50 {
        return None;
    }
    let n: usize = pos[1].replace('_', "").parse().ok()?;
    if n == 0 || members.is_some_and(|m: usize| m == 0 || m > n || m > 100_000) {
        return None;
    }
    if (themes && (records || twin)) || (records && twin) {
        // Each writes its own standards/common.toml (the twin the built-in one).
        return None;
    }
    Some(Args {
        dir: PathBuf::from(&pos[0]),
        n,
        years,
        seed,
        members,
        themes,
        records: records || twin,
        twin,
    })
}

/// The themes of `--themes`, each `(id, name, name_zh, pass, required)`.
const THEMES: [(&str, &str, &str, &str, bool); 5] = [
    ("T1", "Strong branch", "支部过硬星", "0.75", true),
    ("T2", "Thriving industry", "产业兴旺星", "0.8", false),
    ("T3", "Pleasant to live in", "生态宜居星", "0.84", false),
    ("T4", "Safety and rule of law", "平安法治星", "0.87", false),
    ("T5", "Civility and happiness", "文明幸福星", "0.9", false),
];

/// A built-in standard file rated by themes: each `[[indicator]]` given the next theme in
/// turn (so every domain's standard has all five); common.toml also gets `stars_by` and the
/// `[[theme]]`s. Points, ids and everything else stay as they are.
fn themed(name: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2048);
    if name == "common.toml" {
        out.push_str("stars_by = \"themes\"\n");
    }
    let mut k = 0;
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.trim() == "[[indicator]]" {
            let _ = writeln!(out, "theme = \"{}\"", THEMES[k % THEMES.len()].0);
            k += 1;
        }
    }
    if name == "common.toml" {
        for (id, en, zh, pass, required) in THEMES {
            let _ = write!(
                out,
                "\n[[theme]]\nid = \"{id}\"\nname = \"{en}\"\nname_zh = \"{zh}\"\npass = {pass}\n"
            );
            if required {
                out.push_str("required = true\n");
            }
        }
    }
    out
}

/// `--themes`: the built-in standards rated by themes, written to `dir/standards/`.
fn write_themed_standards(dir: &Path) -> Result<(), String> {
    let sdir = dir.join("standards");
    fs::create_dir_all(&sdir).map_err(|e| format!("{}: {e}", sdir.display()))?;
    for (name, text) in standard::BUILTIN {
        let p = sdir.join(name);
        fs::write(&p, themed(name, text)).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}

// --- names -------------------------------------------------------------------------------

const PLACE: &[&str] = &[
    "大", "王", "张", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭",
    "东", "西", "南", "北", "山", "河", "湖", "桥", "塘", "岭", "坪", "庄", "集", "营", "屯", "湾",
    "新", "兴", "安", "和", "平", "丰", "富", "民", "青", "石", "柳", "桃", "杏", "松", "泉", "溪",
];
const SURNAME: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
];
const GIVEN: &[&str] = &[
    "建国", "建华", "国强", "志强", "秀英", "桂英", "玉兰", "金凤", "春生", "海燕", "丽娟", "红梅",
    "立新", "卫东", "文军", "晓明", "永刚", "德胜", "明", "强", "军", "伟", "芳", "敏", "静", "磊",
    "洋", "勇", "艳", "杰", "涛", "超",
];

fn place(r: &mut Rng) -> String {
    let a = *r.pick(PLACE);
    let mut b = *r.pick(PLACE);
    while b == a {
        b = *r.pick(PLACE);
    }
    format!("{a}{b}")
}

fn person(r: &mut Rng) -> String {
    format!("{}{}", r.pick(SURNAME), r.pick(GIVEN))
}

fn branch_suffix(d: Domain) -> &'static str {
    match d {
        Domain::Rural => "村党支部",
        Domain::Agency => "机关党支部",
        Domain::TwoNew => "有限公司党支部",
        Domain::Community => "社区党支部",
        Domain::Soe => "公司党支部",
    }
}

fn projects(d: Domain) -> &'static [&'static str] {
    match d {
        Domain::Rural => &[
            "党支部领办蔬菜种植专业合作社",
            "村集体屋顶光伏发电增收",
            "“幸福食堂”助老餐",
            "村内道路硬化亮化",
            "人居环境整治“积分超市”",
        ],
        Domain::Agency => &["“一窗通办”服务提速", "机关干部下沉包村", "政务公开规范化"],
        Domain::TwoNew => &["党员先锋岗技能攻关", "“红色工匠”培育", "党建带工建助企发展"],
        Domain::Community => &["“红色物业”共建", "网格化“敲门行动”", "“一老一小”服务站"],
        Domain::Soe => &["党建引领安全生产", "“党员责任区”降本增效", "国企联村帮扶"],
    }
}

// --- numbers -----------------------------------------------------------------------------

/// A decimal's value in hundredths (points and bottom lines have at most 2 places).
fn cents(d: Decimal) -> i64 {
    let m = d.mantissa();
    let s = d.scale();
    let v = if s <= 2 {
        m * 10i128.pow(2 - s)
    } else {
        m / 10i128.pow(s - 2)
    };
    v as i64
}

/// Write hundredths as a plain decimal with up to 2 places: `12`, `11.5`, `11.25`.
fn put_cents(out: &mut String, c: i64) {
    let (i, f) = (c / 100, c % 100);
    if f == 0 {
        let _ = write!(out, "{i}");
    } else if f % 10 == 0 {
        let _ = write!(out, "{i}.{}", f / 10);
    } else {
        let _ = write!(out, "{i}.{f:02}");
    }
}

/// A score for an indicator worth `pc` hundredths at quality `q` (share of points): rounded
/// to 0.5 (half the time), 0.1 or 0.01, within 0..=points.
fn score(r: &mut Rng, pc: i64, q: f64) -> i64 {
    let frac = (q + (r.f() - 0.5) * 0.2).clamp(0.0, 1.0);
    let raw = pc as f64 * frac;
    let step = match r.below(10) {
        0..=4 => 50.0,
        5..=7 => 10.0,
        _ => 1.0,
    };
    let c = ((raw / step).round() * step) as i64;
    c.clamp(0, pc)
}

// --- the workspace -----------------------------------------------------------------------

struct Branch {
    domain: Domain,
    quality: f64,
    from: Option<usize>,  // year index
    until: Option<usize>, // year index
}

impl Branch {
    fn rated(&self, y: usize) -> bool {
        self.from.is_none_or(|f| y >= f) && self.until.is_none_or(|u| y <= u)
    }
}

fn make_branch(seed: u64, i: usize, years: usize) -> Branch {
    let mut r = Rng::new(seed, i as u64, 0xB5);
    let domain = match r.below(100) {
        0..=44 => Domain::Rural,
        45..=59 => Domain::Community,
        60..=74 => Domain::Agency,
        75..=89 => Domain::TwoNew,
        _ => Domain::Soe,
    };
    let tier = r.f();
    let quality = if tier < 0.92 {
        // triangular, 0.72..0.96, centred on 0.84
        0.72 + 0.24 * (r.f() + r.f()) / 2.0
    } else if tier < 0.98 {
        0.55 + 0.17 * r.f()
    } else {
        0.35 + 0.20 * r.f()
    };
    let mut from = None;
    let mut until = None;
    if years >= 2 {
        let k = r.f();
        if k < 0.01 {
            from = Some(1);
        } else if k < 0.015 {
            until = Some(years - 2);
        }
    }
    Branch {
        domain,
        quality,
        from,
        until,
    }
}

/// The settings of the records, after the built-in common.toml (`--records`).
const RECORDS_SETTINGS: &str = "
[survey]
groups = { \"党员\" = 0.4, \"群众\" = 0.6 }

[deduction]
levels = [\"organization\"]
";

/// Why an indicator lost points, for `deductions.csv`.
const REASONS: &[&str] = &[
    "台账记录不完整",
    "年度任务未全部完成",
    "支委会少召开1次",
    "资料未按时报送",
];

/// Ballots of two groups whose rate is `tenths` / 10 exactly: 200 valid ballots each, with
/// 5 · satisfied + 4 · basically = tenths (then (100 · s + 80 · b) / 200 = tenths / 10),
/// a few `unknown` and a few not returned. `None` below 1.2, which 5 and 4 cannot make.
fn ballots(r: &mut Rng, tenths: i64) -> Option<[[i64; 6]; 2]> {
    let t = tenths;
    // The most satisfied: s ≡ t (mod 4) … counted down in steps of 4 for the other group.
    let mut s = (t / 5).min(200);
    while s >= 0 && ((t - 5 * s) % 4 != 0 || (t - 5 * s) / 4 + s > 200) {
        s -= 1;
    }
    if s < 0 {
        return None;
    }
    let mut group = |s: i64| {
        let b = (t - 5 * s) / 4;
        let d = 200 - s - b;
        let unknown = r.below(5) as i64;
        let returned = 200 + unknown;
        let issued = returned + r.below(12) as i64;
        [issued, returned, s, b, d, unknown]
    };
    let first = group(s);
    // The second group: four fewer satisfied, five more basically, when that stays valid.
    let s2 = if s >= 4 && (t - 5 * (s - 4)) / 4 + s - 4 <= 200 {
        s - 4
    } else {
        s
    };
    Some([first, group(s2)])
}

fn id(i: usize, width: usize) -> String {
    format!("G{:0width$}", i + 1)
}

fn create(path: &Path) -> std::io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(1 << 20, File::create(path)?))
}

struct YearFiles {
    sheets: Vec<(Domain, BufWriter<File>)>,
    mass: BufWriter<File>,
    events: BufWriter<File>,
    reviews: BufWriter<File>,
    /// The next year's rectification.csv (the statuses of this year's items).
    next_rect: Option<BufWriter<File>>,
    /// `--records`: surveys.csv and deductions.csv.
    surveys: Option<BufWriter<File>>,
    deductions: Option<BufWriter<File>>,
}

fn run(a: &Args) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if a.dir.exists() {
        let mut entries = fs::read_dir(&a.dir).map_err(|e| err(&a.dir, e))?;
        if entries.next().is_some() {
            return Err(format!("{}: not empty; give a new folder", a.dir.display()));
        }
    }
    fs::create_dir_all(&a.dir).map_err(|e| err(&a.dir, e))?;
    if a.themes {
        write_themed_standards(&a.dir)?;
    }

    let all: BTreeSet<Domain> = Domain::ALL.into_iter().collect();
    let mut problems = Problems::new();
    let standards: Standards = standard::load(&[], &all, &mut problems)
        .ok_or_else(|| "the built-in standards do not load".to_string())?;

    if a.records && !a.twin {
        let sdir = a.dir.join("standards");
        fs::create_dir_all(&sdir).map_err(|e| err(&sdir, e))?;
        let p = sdir.join("common.toml");
        let common = standard::BUILTIN
            .iter()
            .find(|(n, _)| *n == "common.toml")
            .map_or("", |(_, t)| *t);
        fs::write(&p, format!("{common}{RECORDS_SETTINGS}")).map_err(|e| err(&p, e))?;
    }
    let years: Vec<i32> = (0..a.years).map(|k| FIRST_YEAR + k as i32).collect();
    let mut year_tables = String::new();
    for y in &years {
        let _ = write!(year_tables, "\n[years.{y}]\nevaluated = {y}-12-20\n");
    }

    let Some(m) = a.members else {
        let toml = format!(
            "# Generated by `cargo run --release --example gen -- DIR {} --years {} --seed {}`\n\
             name = \"生成县 ({} branches)\"\n{year_tables}",
            a.n, a.years, a.seed, a.n
        );
        return write_town(a, &standards, &a.dir, &toml, 0, a.n, &years);
    };

    // a county: its stars.toml, then each member, a town of its share of the branches
    let toml = format!(
        "# Generated by `cargo run --release --example gen -- DIR {} --years {} --seed {} --members {m}`\n\
         name = \"生成县 ({} branches, {m} towns)\"\n\
         lang = \"en\"\n\
         members = [\"towns/*\"]\n{year_tables}",
        a.n, a.years, a.seed, a.n
    );
    let p = a.dir.join("stars.toml");
    fs::write(&p, toml).map_err(|e| err(&p, e))?;
    let digits = m.to_string().len().max(5);
    let (each, extra) = (a.n / m, a.n % m);
    let mut first = 0;
    for k in 0..m {
        let count = each + usize::from(k < extra);
        let folder = format!("t{:0digits$}", k + 1);
        let dir = a.dir.join("towns").join(&folder);
        fs::create_dir_all(&dir).map_err(|e| err(&dir, e))?;
        let toml = format!("name = \"{folder}\"\nlang = \"en\"\n{year_tables}");
        write_town(a, &standards, &dir, &toml, first, count, &years)?;
        first += count;
    }
    Ok(())
}

/// One town workspace in `dir`: its `stars.toml` (`toml`), `branches.csv` and year folders,
/// with the `count` branches from the `first` of all N (whose place seeds their values;
/// their ids count from `G0000001` in every town).
fn write_town(
    a: &Args,
    standards: &Standards,
    dir: &Path,
    toml: &str,
    first: usize,
    count: usize,
    years: &[i32],
) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let width = (count.to_string().len()).max(7);
    let p = dir.join("stars.toml");
    fs::write(&p, toml).map_err(|e| err(&p, e))?;

    // branches.csv
    let branches: Vec<Branch> = (first..first + count)
        .map(|g| make_branch(a.seed, g, a.years))
        .collect();
    let p = dir.join("branches.csv");
    let mut w = create(&p).map_err(|e| err(&p, e))?;
    let mut line = String::with_capacity(256);
    line.push_str("id,name,domain,town,secretary,lead,project,from,until,plaque,streak\n");
    let mut town_name = String::new();
    let mut leads: Vec<String> = Vec::new();
    for (i, b) in branches.iter().enumerate() {
        let g = first + i;
        if i == 0 || g.is_multiple_of(TOWN_SIZE) {
            let mut tr = Rng::new(a.seed, (g / TOWN_SIZE) as u64, 0x70);
            town_name = format!("{}镇", place(&mut tr));
            leads = (0..3).map(|_| person(&mut tr)).collect();
        }
        let mut r = Rng::new(a.seed, g as u64, 0xA1);
        let name = format!("{}{}", place(&mut r), branch_suffix(b.domain));
        let secretary = person(&mut r);
        let lead = &leads[(g % TOWN_SIZE) * 3 / TOWN_SIZE];
        let project = r.pick(projects(b.domain));
        let from = b.from.map(|k| years[k].to_string()).unwrap_or_default();
        let until = b.until.map(|k| years[k].to_string()).unwrap_or_default();
        // the plaque held in the first year rated here: roughly what the quality earns
        let (plaque, streak) = if b.from.is_some() || r.chance(0.08) {
            (String::new(), String::new())
        } else {
            let est = b.quality * 100.0 + (r.f() - 0.5) * 8.0;
            let star = match est {
                x if x >= 90.0 => 5,
                x if x >= 80.0 => 4,
                x if x >= 70.0 => 3,
                x if x >= 60.0 => 2,
                _ => 1,
            };
            let streak = if star == 5 { r.below(4) } else { 0 };
            (star.to_string(), streak.to_string())
        };
        let _ = writeln!(
            line,
            "{},{name},{},{town_name},{secretary},{lead},{project},{from},{until},{plaque},{streak}",
            id(i, width),
            b.domain
        );
        w.write_all(line.as_bytes()).map_err(|e| err(&p, e))?;
        line.clear();
    }
    w.flush().map_err(|e| err(&p, e))?;

    for (k, &year) in years.iter().enumerate() {
        write_year(
            a,
            standards,
            dir,
            &branches,
            first,
            width,
            k,
            year,
            years.len(),
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_year(
    a: &Args,
    standards: &Standards,
    dir: &Path,
    branches: &[Branch],
    first: usize,
    width: usize,
    k: usize,
    year: i32,
    n_years: usize,
) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let std_of = |d: Domain| -> &Standard { &standards.by_domain[&d] };
    let ydir = dir.join(year.to_string());
    fs::create_dir_all(&ydir).map_err(|e| err(&ydir, e))?;
    let open = |name: &str, header: &str| -> Result<BufWriter<File>, String> {
        let p = ydir.join(name);
        let mut w = create(&p).map_err(|e| err(&p, e))?;
        w.write_all(header.as_bytes()).map_err(|e| err(&p, e))?;
        Ok(w)
    };
    let mut files = YearFiles {
        sheets: Vec::new(),
        mass: open("scores-mass.csv", "branch,level,overall\n")?,
        events: open("events.csv", "branch,item,date,note\n")?,
        reviews: open("reviews.csv", "branch,department,opinion,note\n")?,
        next_rect: None,
        surveys: None,
        deductions: None,
    };
    if a.records && !a.twin {
        files.surveys = Some(open(
            "surveys.csv",
            "branch,group,issued,returned,satisfied,basically,dissatisfied,unknown\n",
        )?);
        files.deductions = Some(open(
            "deductions.csv",
            "branch,level,indicator,points,date,reason\n",
        )?);
    }
    // a sheet for each domain that has branches: the columns of a domain without branches
    // would be unknown (only the standards of the domains in use are loaded)
    for d in Domain::ALL {
        if !branches.iter().any(|b| b.domain == d) {
            continue;
        }
        let mut header = String::from("branch,level");
        for ind in &std_of(d).indicators {
            header.push(',');
            header.push_str(&ind.id);
        }
        header.push('\n');
        files
            .sheets
            .push((d, open(&format!("scores-{}.csv", d.as_str()), &header)?));
    }
    if k + 1 < n_years {
        let nd = dir.join((year + 1).to_string());
        fs::create_dir_all(&nd).map_err(|e| err(&nd, e))?;
        let p = nd.join("rectification.csv");
        let mut w = create(&p).map_err(|e| err(&p, e))?;
        w.write_all(b"item,status,note\n").map_err(|e| err(&p, e))?;
        files.next_rect = Some(w);
    }

    let hundred = Decimal::ONE_HUNDRED;
    let mut line = String::with_capacity(512);
    let mut sc: [Vec<i64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut items: Vec<String> = Vec::new();
    for (i, b) in branches.iter().enumerate() {
        if !b.rated(k) {
            continue;
        }
        let bid = id(i, width);
        let st = std_of(b.domain);
        let set = &st.settings;
        let mut r = Rng::new(a.seed, (first + i) as u64, 0x1000 + k as u64);
        // this year's quality: the branch's own, a little drift
        let q = (b.quality + (r.f() - 0.45) * 0.06).clamp(0.0, 1.0);
        let pcs: Vec<i64> = st.indicators.iter().map(|ind| cents(ind.points)).collect();

        // self (a little generous), organization, and mass in detail for ~5%
        let detailed_mass = r.chance(0.05);
        for (l, bias) in [(0usize, 0.03), (2, 0.0), (1, 0.01)] {
            sc[l].clear();
            if l == 1 && !detailed_mass {
                continue;
            }
            sc[l].extend(pcs.iter().map(|&pc| score(&mut r, pc, q + bias)));
        }
        // By deduction (`--records`): full marks, less a few deductions (a tenth of the
        // indicators lose 0.5 to 2 points, now and then twice), instead of the organization
        // row: (indicator, points in hundredths, month, day, reason). The twin writes the
        // row of what is left.
        let mut taken: Vec<(usize, i64, usize, usize, &str)> = Vec::new();
        if a.records {
            let mut dr = Rng::new(a.seed, (first + i) as u64, 0xD000 + k as u64);
            for (x, &pc) in pcs.iter().enumerate() {
                let mut left = pc;
                let times = match dr.below(100) {
                    0..=9 => 1,
                    10..=11 => 2,
                    _ => 0,
                };
                for _ in 0..times {
                    let c = (50 * (1 + dr.below(4)) as i64).min(left);
                    if c > 0 {
                        left -= c;
                        let (m, d) = (1 + dr.below(12), 1 + dr.below(28));
                        taken.push((x, c, m, d, *dr.pick(REASONS)));
                    }
                }
                if let Some(s) = sc[2].get_mut(x) {
                    *s = left;
                }
            }
        }
        let overall_tenths = if detailed_mass {
            0
        } else {
            ((q + 0.01 + (r.f() - 0.5) * 0.1).clamp(0.0, 1.0) * 1000.0).round() as i64
        };

        let sheet = &mut files
            .sheets
            .iter_mut()
            .find(|(d, _)| *d == b.domain)
            .unwrap()
            .1;
        for (l, level) in [(0usize, "self"), (1, "mass"), (2, "organization")] {
            if sc[l].is_empty() || (l == 1 && !detailed_mass) {
                continue;
            }
            // By deduction: its deductions instead of its row (the twin: the row).
            if let (2, Some(w)) = (l, files.deductions.as_mut()) {
                for &(x, c, m, d, reason) in &taken {
                    let _ = write!(line, "{bid},organization,{},", st.indicators[x].id);
                    put_cents(&mut line, c);
                    let _ = writeln!(line, ",{year}-{m:02}-{d:02},{reason}");
                }
                w.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
                line.clear();
                continue;
            }
            line.push_str(&bid);
            line.push(',');
            line.push_str(level);
            for &c in &sc[l] {
                line.push(',');
                put_cents(&mut line, c);
            }
            line.push('\n');
            sheet
                .write_all(line.as_bytes())
                .map_err(|e| e.to_string())?;
            line.clear();
        }
        // A third of the branches' `overall`, as their ballots (`--records`; the twin keeps
        // the `overall` row).
        let mut br = Rng::new(a.seed, (first + i) as u64, 0xE000 + k as u64);
        let ballots = match files.surveys.as_mut() {
            Some(w) if !detailed_mass && (first + i).is_multiple_of(3) => {
                ballots(&mut br, overall_tenths).map(|g| (w, g))
            }
            _ => None,
        };
        if let Some((w, groups)) = ballots {
            for (name, [issued, returned, s, b, d, u]) in ["党员", "群众"].iter().zip(groups) {
                let _ = writeln!(line, "{bid},{name},{issued},{returned},{s},{b},{d},{u}");
            }
            w.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
            line.clear();
        } else if !detailed_mass {
            let _ = writeln!(
                line,
                "{bid},mass,{}.{}",
                overall_tenths / 10,
                overall_tenths % 10
            );
            files
                .mass
                .write_all(line.as_bytes())
                .map_err(|e| e.to_string())?;
            line.clear();
        }

        // exact combined points, for the rectification items and the review decision
        let w = set.levels;
        let overall = Decimal::new(overall_tenths, 1);
        let mut base = Decimal::ZERO;
        items.clear();
        for (x, ind) in st.indicators.iter().enumerate() {
            let s_self = Decimal::new(sc[0][x], 2);
            let s_org = Decimal::new(sc[2][x], 2);
            let s_mass = if detailed_mass {
                Decimal::new(sc[1][x], 2)
            } else {
                ind.points * overall / hundred
            };
            let e = w[0] * s_self + w[1] * s_mass + w[2] * s_org;
            base += e;
            if e < set.rectify_below * ind.points || ind.bottom_line.is_some_and(|bl| e < bl) {
                items.push(ind.id.clone());
            }
        }

        // events: a few % of branches, distinct items, dates in the year
        let mut bonus = Decimal::ZERO;
        let mut deduction = Decimal::ZERO;
        let mut ev: Vec<(u32, u32, usize)> = Vec::new();
        let want = |r: &mut Rng, kind: u8| -> bool {
            match kind {
                0 => r.chance(0.04),
                1 => r.chance(0.015 + if q < 0.7 { 0.05 } else { 0.0 }),
                _ => r.chance(0.002 + if q < 0.6 { 0.02 } else { 0.0 }),
            }
        };
        for kind in 0u8..3 {
            if !want(&mut r, kind) {
                continue;
            }
            let pool: Vec<usize> = st
                .items
                .iter()
                .enumerate()
                .filter(|(_, it)| {
                    matches!(
                        (kind, it.kind),
                        (0, ItemKind::Incentive(_))
                            | (1, ItemKind::Restraint(_))
                            | (2, ItemKind::RedLine(_))
                    )
                })
                .map(|(x, _)| x)
                .collect();
            if pool.is_empty() {
                continue;
            }
            let count = if kind == 0 && r.chance(0.25) { 2 } else { 1 };
            for _ in 0..count {
                let x = *r.pick(&pool);
                if ev.iter().any(|e| e.2 == x) {
                    continue;
                }
                ev.push((1 + r.below(12) as u32, 1 + r.below(28) as u32, x));
            }
        }
        ev.sort();
        for &(m, d, x) in &ev {
            let it = &st.items[x];
            match it.kind {
                ItemKind::Incentive(p) => bonus += p,
                ItemKind::Restraint(p) => {
                    deduction += p;
                    items.push(it.id.clone());
                }
                ItemKind::RedLine(_) => items.push(it.id.clone()),
            }
            let _ = writeln!(line, "{bid},{},{year}-{m:02}-{d:02},{}", it.id, it.name_zh);
            files
                .events
                .write_all(line.as_bytes())
                .map_err(|e| e.to_string())?;
            line.clear();
        }

        // the town review for the candidates
        let score = base + bonus.min(set.bonus_cap) - deduction;
        if score >= set.stars.five - Decimal::ONE {
            let fate = r.f();
            let (odd, opinion) = if fate < 0.94 {
                (usize::MAX, "")
            } else if fate < 0.97 {
                (r.below(set.review_required.len()), "object")
            } else {
                (r.below(set.review_required.len()), "missing")
            };
            for (x, dept) in set.review_required.iter().enumerate() {
                let (op, note) = if x != odd {
                    ("approve", "")
                } else if opinion == "object" {
                    ("object", "存在未办结的问题线索")
                } else {
                    continue;
                };
                let _ = writeln!(line, "{bid},{dept},{op},{note}");
            }
            files
                .reviews
                .write_all(line.as_bytes())
                .map_err(|e| e.to_string())?;
            line.clear();
        }

        // the statuses of this year's items, in next year's rectification.csv
        if let Some(rect) = files.next_rect.as_mut() {
            if b.rated(k + 1) {
                for src in &items {
                    let x = r.f();
                    let (status, note) = if x < 0.80 {
                        ("done", "已完成整改，资料报镇党委备案")
                    } else if x < 0.92 {
                        ("open", "整改推进中")
                    } else {
                        continue;
                    };
                    let _ = writeln!(line, "{year}-{bid}-{src},{status},{note}");
                }
                rect.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
                line.clear();
            }
        }
    }

    for (_, w) in files.sheets.iter_mut() {
        w.flush().map_err(|e| e.to_string())?;
    }
    for w in [&mut files.mass, &mut files.events, &mut files.reviews] {
        w.flush().map_err(|e| e.to_string())?;
    }
    for w in [
        files.next_rect.as_mut(),
        files.surveys.as_mut(),
        files.deductions.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(args) = parse_args() else {
        return usage();
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::FAILURE
        }
    }
}
