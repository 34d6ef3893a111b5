//! The Chinese names a clerk types for the codes of the input files — domains, levels,
//! review departments and opinions, rectification and objection statuses — in one table.
//! Each is read as its code, exactly as if the code had been typed; nothing else is guessed.
//! The first name of a code is the one stars prints (`render::codes`), so whatever stars
//! hands out in Chinese comes back as the code. `stars template DOMAIN --legend` shows the
//! table, and the README lists it.
//!
//! [`HEADERS`] is the same for column headers: every table reads a column headed by its
//! name for people (the lists stars writes in a workbook, in English or Chinese, and the
//! Chinese headers of the templates of the records of the year) as its key.

/// What a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    Domain,
    Level,
    Department,
    Opinion,
    Status,
    /// An objection's status (`objections.csv`).
    Objection,
}

impl Vocab {
    pub fn as_str(self) -> &'static str {
        match self {
            Vocab::Domain => "domain",
            Vocab::Level => "level",
            Vocab::Department => "department",
            Vocab::Opinion => "opinion",
            Vocab::Status => "status",
            Vocab::Objection => "objection",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Vocab::Domain => "领域",
            Vocab::Level => "层级",
            Vocab::Department => "审核部门",
            Vocab::Opinion => "审核意见",
            Vocab::Status => "整改状态",
            Vocab::Objection => "异议办理状态",
        }
    }
}

/// (what, the name typed, the code it stands for).
pub const TABLE: &[(Vocab, &str, &str)] = &[
    (Vocab::Domain, "农村", "rural"),
    (Vocab::Domain, "机关", "agency"),
    (Vocab::Domain, "两新组织", "two_new"),
    (Vocab::Domain, "两新", "two_new"),
    (Vocab::Domain, "非公企业和社会组织", "two_new"),
    (Vocab::Domain, "城市社区", "community"),
    (Vocab::Domain, "社区", "community"),
    (Vocab::Domain, "国有企业", "soe"),
    (Vocab::Domain, "国企", "soe"),
    (Vocab::Level, "自评", "self"),
    (Vocab::Level, "群众评议", "mass"),
    (Vocab::Level, "组织评定", "organization"),
    (Vocab::Department, "纪检监察", "discipline"),
    (Vocab::Department, "行政执法", "law_enforcement"),
    (Vocab::Department, "行业监管", "industry"),
    (Vocab::Opinion, "同意", "approve"),
    (Vocab::Opinion, "有异议", "object"),
    (Vocab::Opinion, "不同意", "object"),
    (Vocab::Status, "已完成", "done"),
    (Vocab::Status, "已整改", "done"),
    (Vocab::Status, "完成", "done"),
    (Vocab::Status, "整改完成", "done"),
    (Vocab::Status, "已销号", "done"),
    (Vocab::Status, "未完成", "open"),
    (Vocab::Status, "未整改", "open"),
    (Vocab::Status, "整改中", "open"),
    (Vocab::Status, "正在整改", "open"),
    (Vocab::Status, "未销号", "open"),
    (Vocab::Objection, "未处理", "open"),
    (Vocab::Objection, "处理中", "open"),
    (Vocab::Objection, "核查中", "open"),
    (Vocab::Objection, "成立", "upheld"),
    (Vocab::Objection, "属实", "upheld"),
    (Vocab::Objection, "不成立", "dismissed"),
    (Vocab::Objection, "不属实", "dismissed"),
];

/// The name stars prints for a code (the first of the table's names for it), if it has one.
pub fn name(vocab: Vocab, code: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(v, _, c)| *v == vocab && *c == code)
        .map(|(_, name, _)| *name)
}

/// Every Chinese name of a code, in the table's order (a message lists them with the code,
/// [`crate::i18n::with_names`]).
pub fn names(vocab: Vocab, code: &str) -> Vec<&'static str> {
    (TABLE.iter())
        .filter(|(v, _, c)| *v == vocab && *c == code)
        .map(|(_, n, _)| *n)
        .collect()
}

/// The column headers people read, and the key each stands for: (header, key). The lists
/// stars writes for people (in a workbook, in English or Chinese) come back as input, and
/// the templates of the records of the year are headed in Chinese; every table reads them
/// (`Sheet::columns`).
pub const HEADERS: &[(&str, &str)] = &[
    ("Item", "item"),
    ("Branch", "branch"),
    ("Name", "name"),
    ("Source", "source"),
    ("Kind", "kind"),
    ("Problem", "problem"),
    ("Responsible", "responsible"),
    ("Supervisor", "supervisor"),
    ("Measure", "measure"),
    ("Deadline", "deadline"),
    ("Status", "status"),
    ("Note", "note"),
    ("事项编号", "item"),
    ("支部编号", "branch"),
    ("支部名称", "name"),
    ("来源", "source"),
    ("类别", "kind"),
    ("问题", "problem"),
    ("责任人", "responsible"),
    ("督导领导", "supervisor"),
    ("整改措施", "measure"),
    ("整改时限", "deadline"),
    ("整改状态", "status"),
    ("备注", "note"),
    // The records of the year (SPEC.md): `stars template surveys` and the others write the
    // first Chinese name of each key that their columns give.
    ("分组", "group"),
    ("测评对象", "group"),
    ("发放票数", "issued"),
    ("发放", "issued"),
    ("收回票数", "returned"),
    ("收回", "returned"),
    ("满意", "satisfied"),
    ("基本满意", "basically"),
    ("不满意", "dissatisfied"),
    ("不了解", "unknown"),
    ("层级", "level"),
    ("指标编号", "indicator"),
    ("指标", "indicator"),
    ("扣分", "points"),
    ("扣分日期", "date"),
    ("日期", "date"),
    ("扣分原因", "reason"),
    ("原因", "reason"),
    ("理由", "reason"),
    ("复核决定理由", "reason"),
    ("受理日期", "received"),
    ("收到日期", "received"),
    ("异议事项", "matter"),
    ("反映问题", "matter"),
    ("办理状态", "status"),
    ("状态", "status"),
    ("答复日期", "answered"),
    ("办结日期", "answered"),
    ("决定星级", "star"),
    ("星级", "star"),
    ("决定文号", "document"),
    ("文号", "document"),
];

/// The key a column header stands for: the header itself, or the key of its name for people.
pub fn header(text: &str) -> &str {
    (HEADERS.iter())
        .find(|(name, _)| *name == text)
        .map_or(text, |(_, key)| key)
}

/// The code a typed name stands for, if it is one of the table's names.
pub fn code(vocab: Vocab, text: &str) -> Option<&'static str> {
    // Every name of the table is Chinese: a code, or anything ASCII, is not looked up.
    if text.is_ascii() {
        return None;
    }
    TABLE
        .iter()
        .find(|(v, name, _)| *v == vocab && *name == text)
        .map(|(_, _, code)| *code)
}

/// A cell's code: the code itself, or the code its Chinese name stands for.
pub fn resolve(vocab: Vocab, text: &str) -> &str {
    code(vocab, text).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_stands_for_one_code_of_its_kind() {
        for (v, name, code) in TABLE {
            assert!(!name.is_ascii(), "{name}: the lookup skips ASCII");
            let same: Vec<_> = TABLE
                .iter()
                .filter(|(w, n, _)| w == v && n == name)
                .collect();
            assert_eq!(same.len(), 1, "{name} twice");
            assert!(!code.is_empty());
        }
        assert_eq!(super::code(Vocab::Level, "群众评议"), Some("mass"));
        assert_eq!(super::code(Vocab::Level, "农村"), None);
        assert_eq!(resolve(Vocab::Opinion, "approve"), "approve");
        assert_eq!(resolve(Vocab::Department, "行政执法"), "law_enforcement");
        assert_eq!(name(Vocab::Opinion, "object"), Some("有异议"));
        assert_eq!(names(Vocab::Opinion, "object"), ["有异议", "不同意"]);
        assert!(names(Vocab::Department, "own").is_empty());
        assert_eq!(header("整改状态"), "status");
        assert_eq!(header("status"), "status");
        assert_eq!(header("合计"), "合计");
    }

    /// Every code stars prints in Chinese is read back as the code: what is handed out comes
    /// back as it is.
    #[test]
    fn the_chinese_stars_prints_is_read_back_as_the_code() {
        use crate::render::codes::{zh, Code};
        use crate::standard::{Domain, Level};
        for d in Domain::ALL {
            assert_eq!(code(Vocab::Domain, d.zh()), Some(d.as_str()));
        }
        for l in Level::ALL {
            assert_eq!(code(Vocab::Level, l.zh()), Some(l.as_str()));
        }
        for d in ["discipline", "law_enforcement", "industry"] {
            assert_eq!(code(Vocab::Department, &zh(Code::Department, d)), Some(d));
        }
        for o in ["approve", "object"] {
            assert_eq!(code(Vocab::Opinion, &zh(Code::Opinion, o)), Some(o));
        }
        assert_eq!(code(Vocab::Objection, "不成立"), Some("dismissed"));
        assert_eq!(header("基本满意"), "basically");
        assert_eq!(header("扣分原因"), "reason");
        for s in ["done", "open"] {
            assert_eq!(
                code(Vocab::Status, name(Vocab::Status, s).unwrap()),
                Some(s)
            );
        }
    }
}
