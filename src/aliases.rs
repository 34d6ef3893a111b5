//! The Chinese names a clerk types for the codes of the input files — domains, levels,
//! review opinions, rectification and objection statuses, and the column names of the
//! records of the year — in one table. Each is read as its code, exactly
//! as if the code had been typed; nothing else is guessed. `stars template DOMAIN --legend`
//! shows the table, and the README lists it.

/// What a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    Domain,
    Level,
    Opinion,
    Status,
    /// An objection's status (`objections.csv`).
    Objection,
    /// A column of a table read by [`crate::source::sheet::Sheet::columns`] (the records
    /// of the year: `surveys`, `deductions`, `objections`, `decisions`).
    Column,
}

impl Vocab {
    pub fn as_str(self) -> &'static str {
        match self {
            Vocab::Domain => "domain",
            Vocab::Level => "level",
            Vocab::Opinion => "opinion",
            Vocab::Status => "status",
            Vocab::Objection => "objection",
            Vocab::Column => "column",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Vocab::Domain => "领域",
            Vocab::Level => "层级",
            Vocab::Opinion => "审核意见",
            Vocab::Status => "整改状态",
            Vocab::Objection => "异议办理状态",
            Vocab::Column => "列名",
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
    (Vocab::Opinion, "同意", "approve"),
    (Vocab::Opinion, "有异议", "object"),
    (Vocab::Opinion, "不同意", "object"),
    (Vocab::Status, "已完成", "done"),
    (Vocab::Status, "已整改", "done"),
    (Vocab::Status, "未完成", "open"),
    (Vocab::Status, "未整改", "open"),
    (Vocab::Objection, "未处理", "open"),
    (Vocab::Objection, "处理中", "open"),
    (Vocab::Objection, "核查中", "open"),
    (Vocab::Objection, "成立", "upheld"),
    (Vocab::Objection, "属实", "upheld"),
    (Vocab::Objection, "不成立", "dismissed"),
    (Vocab::Objection, "不属实", "dismissed"),
    // The columns of the records: the first name of each is the one `stars template`
    // writes in Chinese.
    (Vocab::Column, "支部编号", "branch"),
    (Vocab::Column, "支部名称", "name"),
    (Vocab::Column, "分组", "group"),
    (Vocab::Column, "测评对象", "group"),
    (Vocab::Column, "发放票数", "issued"),
    (Vocab::Column, "发放", "issued"),
    (Vocab::Column, "收回票数", "returned"),
    (Vocab::Column, "收回", "returned"),
    (Vocab::Column, "满意", "satisfied"),
    (Vocab::Column, "基本满意", "basically"),
    (Vocab::Column, "不满意", "dissatisfied"),
    (Vocab::Column, "不了解", "unknown"),
    (Vocab::Column, "层级", "level"),
    (Vocab::Column, "指标", "indicator"),
    (Vocab::Column, "指标编号", "indicator"),
    (Vocab::Column, "扣分", "points"),
    (Vocab::Column, "扣分日期", "date"),
    (Vocab::Column, "日期", "date"),
    (Vocab::Column, "扣分原因", "reason"),
    (Vocab::Column, "原因", "reason"),
    (Vocab::Column, "理由", "reason"),
    (Vocab::Column, "受理日期", "received"),
    (Vocab::Column, "收到日期", "received"),
    (Vocab::Column, "异议事项", "matter"),
    (Vocab::Column, "反映问题", "matter"),
    (Vocab::Column, "办理状态", "status"),
    (Vocab::Column, "状态", "status"),
    (Vocab::Column, "答复日期", "answered"),
    (Vocab::Column, "办结日期", "answered"),
    (Vocab::Column, "决定星级", "star"),
    (Vocab::Column, "星级", "star"),
    (Vocab::Column, "决定文号", "document"),
    (Vocab::Column, "文号", "document"),
];

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

/// The name `stars` writes for a code in Chinese: the first of the table's names for it.
pub fn name_zh(vocab: Vocab, code: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(v, _, c)| *v == vocab && *c == code)
        .map(|(_, name, _)| *name)
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
        assert_eq!(super::code(Vocab::Column, "基本满意"), Some("basically"));
        assert_eq!(super::code(Vocab::Objection, "不成立"), Some("dismissed"));
        assert_eq!(name_zh(Vocab::Column, "reason"), Some("扣分原因"));
    }
}
