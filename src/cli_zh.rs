//! The command line in Chinese: the help of every command and option, and clap's usage
//! errors, for a run whose language is Chinese (`--lang zh`, a workspace's `lang = "zh"`,
//! or a Chinese locale: see [`lang_of`]). The one clap definition of
//! [`crate::cli`] stays English (the man page and the completions are made from it); this
//! only rewrites its texts at run time.

use crate::i18n::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The language of the command line's help and errors: the last `--lang` among the
/// arguments (before a `--`), else the language the workspace names (`named`, asked of the
/// `--workspace` folder or the current one; not for `init`, `completions` and `man`,
/// which work on none), else the locale.
pub fn lang_of(args: &[OsString], named: impl Fn(&Path) -> Option<Lang>) -> Lang {
    let (mut lang, mut workspace, mut command) = (None, None, None);
    let mut args = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = args.next() {
        // `--name=value`, or `--name value`.
        let (option, attached) = match a.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o.to_string(), Some(v.to_string())),
            _ => (a, None),
        };
        let mut value = || attached.clone().or_else(|| args.next());
        match option.as_str() {
            "--" => break,
            "--lang" => match value().as_deref() {
                Some("zh") => lang = Some(Lang::Zh),
                Some("en") => lang = Some(Lang::En),
                _ => {}
            },
            "-w" | "--workspace" => workspace = value(),
            o if o.starts_with("-w") && !o.starts_with("--") => {
                workspace = o.get(2..).map(str::to_string)
            }
            o if TAKES_VALUE.contains(&o) => {
                value();
            }
            o if !o.starts_with('-') && command.is_none() => command = Some(o.to_string()),
            _ => {}
        }
    }
    let on_workspace = !matches!(command.as_deref(), Some("init" | "completions" | "man"));
    let dir = PathBuf::from(workspace.unwrap_or_else(|| ".".to_string()));
    lang.or_else(|| on_workspace.then(|| named(&dir)).flatten())
        .unwrap_or_else(Lang::from_env)
}

/// The options that take a value as the next argument (besides `--lang` and
/// `--workspace`): what follows them is not the subcommand.
const TAKES_VALUE: &[&str] = &[
    "-y",
    "--year",
    "-f",
    "--format",
    "-o",
    "--output",
    "--town",
    "--output-dir",
    "--encoding",
];

/// The help template with its usage heading in Chinese (clap's own is `Usage:`).
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The Chinese help of the global options.
const GLOBAL: &[(&str, &str)] = &[
    ("workspace", "工作区文件夹（含 stars.toml）。默认：当前文件夹（.）"),
    ("year", "要处理的年度（默认：工作区最近的年度）"),
    (
        "format",
        "输出格式：table（表格）、csv、json、markdown、xlsx（Excel 工作簿，须配合 --output FILE.xlsx）或 html（网页，仅 report 和 publicity）。默认：在终端上为表格，否则为 CSV；explain 默认输出其文字说明，report 默认输出网页。check、init、standards export、completions 和 man 不接受此选项",
    ),
    ("output", "将输出（以原子方式）写入文件 FILE，而不是标准输出"),
    (
        "lang",
        "本次运行的输出和提示语言：en（英文）或 zh（中文）。默认：stars.toml 中的 lang，没有时为英文；在工作区外及 init 时依据 LC_ALL/LANG",
    ),
    ("bom", "CSV 输出以 UTF-8 字节顺序标记（BOM）开头，使 Excel 正确显示中文"),
    (
        "encoding",
        "CSV 输入的编码：auto（UTF-8，不是有效 UTF-8 时按 GB18030）、utf8 或 gbk。默认：auto",
    ),
    (
        "town",
        "只看此镇（街道），可重复：县（区）工作区的成员（其 name 或文件夹名），或多镇工作区 branches.csv 的 town",
    ),
    (
        "output_dir",
        "县（区）工作区：每个镇（街道）写一个文件 DIR/文件夹名/清单-年度.扩展名，汇总写入 DIR/清单-年度-towns.扩展名，要么全部写出，要么都不写",
    ),
    (
        "keep_going",
        "县（区）工作区：写出没有问题的镇（街道），列出其余镇街的问题（有问题时退出码为 1），而不是一个都不写",
    ),
];

/// A subcommand's Chinese: its path (`standards show`), what it does, and its
/// arguments' help.
struct Sub {
    path: &'static [&'static str],
    about: &'static str,
    args: &'static [(&'static str, &'static str)],
}

const SUBS: &[Sub] = &[
    Sub {
        path: &["evaluate"],
        about: "某一年度的评定结果：各支部的得分、星级、状态和分类",
        args: &[],
    },
    Sub {
        path: &["rectify"],
        about: "年度整改事项：问题清单、责任清单和整改清单",
        args: &[(
            "view",
            "清单：problems 问题清单（按支部）、responsibility 责任清单（按责任人）、deadline 整改清单（按整改时限）或 themes 问题清单（按未获得的主题星，按主题评星时）。默认：problems",
        )],
    },
    Sub {
        path: &["adjust"],
        about: "年终动态调整：下一年度的星级牌、奖励和约谈",
        args: &[],
    },
    Sub {
        path: &["explain"],
        about: "某一支部星级评定的全过程，每个数字都可追溯到来源",
        args: &[("branch", "支部编号")],
    },
    Sub {
        path: &["history"],
        about: "某一支部历年的得分、星级和星级牌",
        args: &[("branch", "支部编号")],
    },
    Sub {
        path: &["tiers"],
        about: "各分类（巩固先进 / 提升一般 / 整顿后进）的支部及其工作重点",
        args: &[],
    },
    Sub {
        path: &["publicity"],
        about: "审核通过的五星级党支部公示名单，可直接张贴的公示通知",
        args: &[],
    },
    Sub {
        path: &["exchange"],
        about: "本年度四次季度经验交流的五星级党支部",
        args: &[],
    },
    Sub {
        path: &["report"],
        about: "供党委审阅的评定情况报告：本年度主要数字和图表的网页，或同样数字的 JSON、Excel 工作簿",
        args: &[],
    },
    Sub {
        path: &["check"],
        about: "检查评星标准和工作区每个年度的数据；没有问题时不输出任何内容",
        args: &[],
    },
    Sub {
        path: &["standards"],
        about: "显示或导出所用的评星标准",
        args: &[],
    },
    Sub {
        path: &["standards", "show"],
        about: "各领域评星标准的指标和事项及其分值",
        args: &[(
            "domain",
            "只显示此领域（rural 农村、agency 机关、two_new 两新组织、community 城市社区、soe 国有企业）",
        )],
    },
    Sub {
        path: &["standards", "export"],
        about: "将内置的标准文件（或某一预设的标准文件）写入 DIR，作为自定义标准的起点",
        args: &[
            ("dir", "写入的文件夹（不存在时创建；已有的文件不覆盖）"),
            (
                "preset",
                "导出此预设而不是内置标准：strict 或 satisfaction（见 docs/presets.md）",
            ),
        ],
    },
    Sub {
        path: &["init"],
        about: "新建工作区：stars.toml、带表头的 branches.csv 和一个年度文件夹",
        args: &[
            ("dir", "要创建的文件夹（或一个空的现有文件夹）"),
            ("name", "镇（或县）的名称"),
            ("first_year", "第一个年度（默认：今年）"),
            (
                "county",
                "改为新建县（区）工作区：stars.toml 中 members = [\"towns/*\"]，以及存放各镇（街道）工作区的 towns/ 文件夹（`stars init DIR/towns/名称` 添加一个）",
            ),
            (
                "preset",
                "同时将某一预设的标准文件写入 DIR/standards/：strict 或 satisfaction（见 docs/presets.md）。不指定时使用内置标准",
            ),
        ],
    },
    Sub {
        path: &["template"],
        about: "某一领域待填写的评分表：该领域各支部的行和各项指标的列；或年度记录表（测评票、扣分、异议、复核决定）",
        args: &[
            (
                "domain",
                "领域：rural 农村、agency 机关、two_new 两新组织、community 城市社区或 soe 国有企业；或 rectification（上一年度整改事项完成情况表）；或年度记录：surveys 测评票、deductions 扣分、objections 公示期异议、decisions 复核决定",
            ),
            ("legend", "输出图例（各项指标的名称和分值），而不是评分表"),
            (
                "no_bom",
                "CSV 评分表不以 UTF-8 字节顺序标记开头（默认带有此标记，使 Excel 正确显示中文）",
            ),
            (
                "level",
                "只生成此层级的行：self 自评、mass 群众评议或 organization 组织评定（也可写中文）",
            ),
            (
                "per_branch",
                "每个支部一个文件，写入文件夹 DIR，文件名为 scores-编号-名称.xlsx（--format csv 时为 .csv），只含该支部的行",
            ),
        ],
    },
    Sub {
        path: &["completions"],
        about: "Shell 补全脚本，与 --help 出自同一定义",
        args: &[("shell", "bash、zsh、fish、powershell 或 elvish")],
    },
    Sub {
        path: &["man"],
        about: "man 手册页（roff 格式），与 --help 出自同一定义",
        args: &[],
    },
];

/// The sentences of the English `after_help` texts, in Chinese (longer ones first).
const AFTER: &[(&str, &str)] = &[
    (
        "One self-contained file (inline CSS and SVG, no script), printed on A4 pages numbered by the browser; --format json or xlsx gives the same figures.",
        "单一文件，自带样式和 SVG 图表，不含脚本，按 A4 打印，浏览器自动编页码；--format json 或 xlsx 输出同样的数字。",
    ),
    (
        "A notice ready to post (table, Markdown, xlsx, html): its title, what it announces, the list, the window, where to send an objection ([publicity] contact in stars.toml), the issuing body and the date.",
        "可直接张贴的公示通知（table、Markdown、xlsx、html）：标题、公示事项、名单、公示期、异议受理（stars.toml 中的 [publicity] contact）、发布单位和日期。",
    ),
    (
        "Exit codes: 0 success; 1 invalid input data (every problem is listed); 2 wrong usage.",
        "退出码：0 成功；1 输入数据有误（列出全部问题）；2 用法错误。",
    ),
    (
        "Exit codes: 0 no problem; 1 problems (every one is listed).",
        "退出码：0 没有问题；1 有问题（列出全部问题）。",
    ),
    (
        "The sheet is a valid score sheet only once filled: `stars check` reports a row left blank.",
        "评分表填好后才是有效的评分表：`stars check` 会报告未填写的行。",
    ),
    (
        "--output may create a new score sheet or file of the records in a year folder, never replace one.",
        "--output 可以在年度文件夹中新建评分表或年度记录文件，但不会替换已有的文件。",
    ),
    (
        "A CSV sheet starts with a UTF-8 byte-order mark so that Excel shows Chinese names; --no-bom leaves it out.",
        "CSV 评分表以 UTF-8 字节顺序标记（BOM）开头，使 Excel 正确显示中文名称；--no-bom 不加此标记。",
    ),
    (
        "Writes all six files or none: if DIR already has any of them, nothing is written.",
        "六个文件要么全部写入，要么都不写：DIR 中已有其中任何一个时，什么也不写。",
    ),
    (
        "Examples (in a workspace: its files then replace the built-in ones):",
        "示例（在工作区中：导出的文件随后取代内置标准）：",
    ),
    (
        "`stars template rectification` lists last year's rectification items with a status column to fill, read back as this year's rectification file.",
        "`stars template rectification` 列出上一年度的整改事项，附空白的整改状态列，填好后作为本年度的 rectification 文件读取。",
    ),
    ("Examples:", "示例："),
    ("Example:", "示例："),
];

fn after_zh(cmd: &Command) -> Option<String> {
    let mut text = cmd.get_after_help()?.to_string();
    for (en, zh) in AFTER {
        text = text.replace(en, zh);
    }
    Some(text)
}

/// An argument's help in Chinese, with clap's English `[default: …]` and `[possible
/// values: …]` left out (the Chinese help names them).
fn arg_zh(a: Arg, help: &'static str) -> Arg {
    let heading = if a.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let values = a.get_action().takes_values();
    a.help(help)
        .long_help(help)
        .hide_default_value(values)
        .hide_possible_values(values)
        .help_heading(heading)
}

/// One command's own texts in Chinese: its template, headings and after-help.
fn command_zh(cmd: Command) -> Command {
    let after = after_zh(&cmd);
    let cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令");
    match after {
        Some(a) => cmd.after_help(a.clone()).after_long_help(a),
        None => cmd,
    }
}

/// Apply `f` to the subcommand at `path`.
fn at(cmd: Command, path: &[&str], f: &dyn Fn(Command) -> Command) -> Command {
    match path.split_first() {
        None => f(cmd),
        Some((first, rest)) => cmd.mut_subcommand(*first, |s| at(s, rest, f)),
    }
}

/// The command line with its help in Chinese.
pub fn localize(cmd: Command) -> Command {
    let mut cmd = command_zh(cmd)
        .about("为基层党支部评定一至五星（星级党支部评定），并推进评定后的各项工作")
        .long_about(None::<&str>)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true)
                .help("显示帮助")
                .help_heading("选项"),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    for (id, help) in GLOBAL {
        if cmd.get_arguments().any(|a| a.get_id() == *id) {
            cmd = cmd.mut_arg(*id, |a| arg_zh(a, help));
        }
    }
    for sub in SUBS {
        if !exists(&cmd, sub.path) {
            continue;
        }
        cmd = at(cmd, sub.path, &|s| {
            let mut s = command_zh(s).about(sub.about).long_about(None::<&str>);
            for (id, help) in sub.args {
                if s.get_arguments().any(|a| a.get_id() == *id) {
                    s = s.mut_arg(*id, |a| arg_zh(a, help));
                }
            }
            s
        });
    }
    // clap's own `help` subcommand exists once the command is built.
    cmd.build();
    help_subcommands(cmd)
}

/// Whether the subcommand at `path` exists.
fn exists(cmd: &Command, path: &[&str]) -> bool {
    match path.split_first() {
        None => true,
        Some((first, rest)) => cmd.find_subcommand(first).is_some_and(|s| exists(s, rest)),
    }
}

/// The `help` subcommands clap adds, in Chinese, at every level.
fn help_subcommands(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| {
            if name == "help" {
                let s = s
                    .about("显示本帮助，或所给子命令的帮助")
                    .help_template(TEMPLATE);
                let has = s.get_arguments().any(|a| a.get_id() == "subcommand");
                if has {
                    s.mut_arg("subcommand", |a| {
                        a.help("要显示帮助的子命令").help_heading("参数")
                    })
                } else {
                    s
                }
            } else {
                help_subcommands(s)
            }
        });
    }
    cmd
}

/// The help clap rendered for the Chinese command line, as text (with its styles as ANSI
/// escapes when `styled`): what clap does not let a help template say in Chinese, its
/// headings' colon and the usage's `[OPTIONS]`, said as Chinese writes them.
pub fn help_text(e: &clap::Error, styled: bool) -> String {
    let rendered = e.render();
    let text = match styled {
        true => rendered.ansi().to_string(),
        false => rendered.to_string(),
    };
    let text = ["命令", "参数", "选项"]
        .iter()
        .fold(text, |t, h| t.replace(&format!("{h}:"), &format!("{h}：")));
    options_zh(&text)
}

/// A usage line with clap's `[OPTIONS]` in Chinese.
fn options_zh(usage: &str) -> String {
    usage.replace("[OPTIONS]", "[选项]")
}

/// A usage error of clap in Chinese, with its usage line, ending with a line end. The
/// help and the version (not errors) are clap's own text (the help already in Chinese).
pub fn error_text(e: &clap::Error) -> Option<String> {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let valid = get(ContextKind::ValidValue)
        .map(|v| format!("；可选值：{v}"))
        .unwrap_or_default();
    let suggested = get(ContextKind::SuggestedArg)
        .or_else(|| get(ContextKind::SuggestedSubcommand))
        .or_else(|| get(ContextKind::SuggestedValue))
        .map(|s| format!("；是否想输入“{s}”？"))
        .unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个取值{valid}"),
        ErrorKind::InvalidValue => format!("“{value}”不是 {arg} 的有效取值{valid}{suggested}"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            let hint = if why.contains("digit") || why.contains("number") {
                "：应为阿拉伯数字写的整数，如 2026".to_string()
            } else if why.is_empty() {
                String::new()
            } else {
                format!("（{why}）")
            };
            format!("“{value}”不是 {arg} 的有效取值{hint}")
        }
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”{suggested}"),
        ErrorKind::InvalidSubcommand => {
            let name = get(ContextKind::InvalidSubcommand).unwrap_or(value);
            format!("无法识别的子命令“{name}”{suggested}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => {
            let name = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("{name} 需要一个子命令")
        }
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            format!("参数 {arg} 不能与 {other} 同时使用")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的取值须用“=”连接"),
        ErrorKind::TooManyValues => format!("参数 {arg} 收到的取值过多（“{value}”）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::InvalidUtf8 => "参数含有无效的 UTF-8 字符".to_string(),
        _ => format!("命令行用法有误：{}", e.kind()),
    };
    let usage = get(ContextKind::Usage)
        .map(|u| {
            let u = u.trim_start();
            let u = u
                .strip_prefix("Usage:")
                .or_else(|| u.strip_prefix("用法："))
                .unwrap_or(u);
            format!("\n\n用法：{}", options_zh(u.trim_start()))
        })
        .unwrap_or_default();
    Some(format!(
        "错误：{message}{usage}\n\n更多信息请运行“stars --help”。\n"
    ))
}
