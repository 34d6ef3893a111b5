//! The publicity window (公示期): `days` days, the first and the last included, counted
//! from the day after the evaluation (or from `[publicity] starts`), in calendar days or,
//! with `working_days`, Monday to Friday less the holidays plus the weekend days worked
//! (调休).

use crate::i18n::{msg_in, Lang};
use crate::workspace::{is_weekend, Config, Publicity};
use chrono::{Datelike, NaiveDate};

/// A publicity window: its first and last day, both counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Publicity {
    /// Whether a day counts towards the window.
    pub fn counts(&self, d: NaiveDate) -> bool {
        if !self.working_days {
            return true;
        }
        if self.workdays.contains(&d) {
            return true;
        }
        !is_weekend(d) && !self.holidays.contains(&d)
    }

    /// The first day of the window after an evaluation on `evaluated`: `starts` when it
    /// applies to that evaluation, else the day after.
    pub fn first_day(&self, evaluated: NaiveDate, starts: Option<NaiveDate>) -> NaiveDate {
        starts.unwrap_or_else(|| evaluated.succ_opt().unwrap_or(evaluated))
    }

    /// The window from `first` (a day not counted moves the start to the next counted
    /// day): `days` counted days, the first and the last included.
    pub fn window_from(&self, first: NaiveDate) -> Window {
        let mut d = first;
        let mut start = None;
        let mut counted = 0;
        // Every day from `first` is looked at once; the holidays are finite, so a
        // counted day always comes within a week of the last holiday.
        let limit = 7 * (u64::from(self.days) + 1) + 2 * self.holidays.len() as u64;
        for _ in 0..limit {
            if self.counts(d) {
                start.get_or_insert(d);
                counted += 1;
                if counted >= self.days.max(1) {
                    break;
                }
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        Window {
            start: start.unwrap_or(first),
            end: d,
        }
    }
}

/// The publicity window of a year: `[publicity] starts` when that year is the one
/// evaluated last on or before it, else from the day after the evaluation date.
pub fn window(config: &Config, year: i32) -> Option<Window> {
    let evaluated = config.years.get(&year)?.evaluated;
    let starts = config.publicity.starts.filter(|s| {
        let last = config
            .years
            .values()
            .map(|y| y.evaluated)
            .filter(|e| e <= s)
            .max();
        last == Some(evaluated)
    });
    let p = &config.publicity;
    Some(p.window_from(p.first_day(evaluated, starts)))
}

/// The words of the publicity notice around its list (公示通知): what it announces, the
/// window and where to send an objection, and the lines that sign it — the issuing body
/// (`[publicity] issuer`, or the town's party committee) and the date it is posted (the
/// window's first day).
pub struct Notice {
    pub preface: Vec<String>,
    pub closing: Vec<String>,
    pub signature: Vec<String>,
}

/// The notice of `year`'s publicity of `n` branches in `window`.
pub fn notice(config: &Config, year: i32, window: Window, n: usize, lang: Lang) -> Notice {
    let p = &config.publicity;
    let (start, end, days, name) = (window.start, window.end, p.days, &config.name);
    let preface = match n {
        0 => msg_in!(
            lang,
            "No branch is proposed as a five-star branch for {year}.",
            "本年度没有拟评为五星级党支部的党支部。"
        ),
        n => msg_in!(
            lang,
            "After the branches' self-assessment, the mass evaluation, the organization's assessment and the town's review, the {n} branches below are proposed as five-star branches for {year}, and are hereby made public.",
            "经党支部自评、群众评议、组织评定和镇级审核，以下{n}个党支部拟评为{year}年度五星级党支部，现予公示。"
        ),
    };
    // The window, as the list has always said it.
    let window = match p.working_days {
        true => msg_in!(
            lang,
            "Publicity period: {start} to {end}, {days} working days.",
            "公示期：{start}至{end}，共{days}个工作日。"
        ),
        false => msg_in!(
            lang,
            "Publicity period: {start} to {end}, {days} days.",
            "公示期：{start}至{end}，共{days}天。"
        ),
    };
    let issuer = p
        .issuer
        .clone()
        .unwrap_or_else(|| msg_in!(lang, "{name} Party Committee", "中共{name}委员会"));
    let to = p.contact.clone().unwrap_or_else(|| issuer.clone());
    let objections = msg_in!(
        lang,
        "Objections may be raised during the publicity period, in writing, by telephone or in person, with {to}. Please state the facts and give your real name.",
        "公示期间，如有异议，请以书面、电话或当面等方式向{to}反映。反映情况应实事求是，并请署真实姓名。"
    );
    let (y, m, d) = (start.year(), start.month(), start.day());
    let date = msg_in!(lang, "{start}", "{y}年{m}月{d}日");
    Notice {
        preface: vec![preface],
        closing: vec![window, objections],
        signature: vec![issuer, date],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn calendar_days_include_the_first_and_the_last() {
        let p = Publicity::default();
        let w = p.window_from(p.first_day(date("2025-12-20"), None));
        assert_eq!((w.start, w.end), (date("2025-12-21"), date("2025-12-25")));
        let one = Publicity {
            days: 1,
            ..Publicity::default()
        };
        let w = one.window_from(date("2025-12-21"));
        assert_eq!((w.start, w.end), (date("2025-12-21"), date("2025-12-21")));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_workdays() {
        let mut p = Publicity {
            working_days: true,
            ..Publicity::default()
        };
        // 2025-12-20 is a Saturday: Monday 22 to Friday 26.
        let w = p.window_from(p.first_day(date("2025-12-20"), None));
        assert_eq!((w.start, w.end), (date("2025-12-22"), date("2025-12-26")));
        // Friday 2025-09-26: from Monday 29; 10-01..10-08 holidays, Sunday 28 and
        // Saturday 10-11 worked.
        p.holidays = (1..=8).map(|d| date(&format!("2025-10-0{d}"))).collect();
        p.workdays = [date("2025-09-28"), date("2025-10-11")].into();
        let w = p.window_from(p.first_day(date("2025-09-26"), None));
        // Counted: 09-28 (Sun, worked), 09-29, 09-30, 10-09, 10-10.
        assert_eq!((w.start, w.end), (date("2025-09-28"), date("2025-10-10")));
    }
}
