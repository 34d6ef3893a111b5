//! The language of what people read: tables, lists and reasons. CSV and JSON keys stay
//! English: they are the machine contract.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `zh*` in LC_ALL, LC_MESSAGES or LANG (the first one set) gives Chinese.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return if v.starts_with("zh") {
                        Lang::Zh
                    } else {
                        Lang::En
                    };
                }
            }
        }
        Lang::En
    }

    /// Pick the text of this language.
    pub fn t<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// The language of messages for this process: set once by [`crate::run`] from `--lang`, the
/// workspace's `lang` or (outside a workspace) the locale, before anything is printed, and
/// the same as `Ctx::lang`. Unset (in library use, tests and fuzzing) it is English.
static LANG: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Set the language of messages (problems and other errors) for the whole process.
pub fn set(lang: Lang) {
    let v = match lang {
        Lang::En => 0,
        Lang::Zh => 1,
    };
    LANG.store(v, std::sync::atomic::Ordering::Relaxed);
}

/// The language of messages, as last [`set`]; English when never set.
pub fn lang() -> Lang {
    match LANG.load(std::sync::atomic::Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// A message in the language of [`lang`]: `msg!("found `{x}`", "发现“{x}”")` formats only
/// the text of that language. Identifiers in braces are captured as by `format!`; further
/// arguments after the two texts are passed to both (each text must then use them all).
///
/// This is the one shape of a bilingual text: the English, then the Chinese. Code that is
/// handed a language writes the same call with it first, [`msg_in!`]; a fixed text is
/// [`tr`] (or [`Lang::t`] with a language at hand). Nothing else matches on the language
/// to choose a text.
macro_rules! msg {
    ($($args:tt)+) => {
        $crate::i18n::msg_in!($crate::i18n::lang(), $($args)+)
    };
}
pub(crate) use msg;

/// [`msg!`] in a given language: `msg_in!(lang, "found `{x}`", "发现“{x}”")`, for code
/// that is handed its `lang` (a report rendered in a language, a helper called with one).
macro_rules! msg_in {
    ($lang:expr, $en:literal, $zh:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::Zh => format!($zh),
        }
    };
    ($lang:expr, $en:literal, $zh:literal, $($arg:tt)+) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en, $($arg)+),
            $crate::i18n::Lang::Zh => format!($zh, $($arg)+),
        }
    };
}
pub(crate) use msg_in;

/// A fixed text in the language of [`lang`].
pub fn tr(en: &'static str, zh: &'static str) -> &'static str {
    lang().t(en, zh)
}

/// A list of ids written `a, b, c` as Chinese writes it, `a、b、c`, in Chinese messages.
pub fn list(s: &str) -> String {
    match lang() {
        Lang::En => s.to_string(),
        Lang::Zh => s.replace(", ", "、"),
    }
}

/// The Chinese name of a review department (镇级审核的部门); `None` for a department a
/// workspace names itself. The code catalogue (`render::codes`) and the adjustment's reasons
/// both read it here, from the one table of names that are also read back
/// ([`crate::aliases`]).
pub fn department_zh(code: &str) -> Option<&'static str> {
    crate::aliases::name(crate::aliases::Vocab::Department, code)
}

/// A code followed by its Chinese names, as a message lists what may be typed: `object
/// (有异议, 不同意)`, in Chinese `object（有异议、不同意）`; the code alone when it has none.
pub fn with_names(vocab: crate::aliases::Vocab, code: &str) -> String {
    let names = crate::aliases::names(vocab, code);
    match (names.is_empty(), lang()) {
        (true, _) => code.to_string(),
        (false, Lang::En) => format!("{code} ({})", names.join(", ")),
        (false, Lang::Zh) => format!("{code}（{}）", names.join("、")),
    }
}

/// Departments as a list in a language: `a, b` in English, `甲、乙` in Chinese.
pub fn departments(codes: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => codes.join(", "),
        Lang::Zh => codes
            .iter()
            .map(|d| department_zh(d).unwrap_or(d))
            .collect::<Vec<_>>()
            .join("、"),
    }
}
