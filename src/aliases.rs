//! The Chinese names a clerk types for the codes of the input files — domains, levels,
//! review opinions, rectification statuses — in one table. Each is read as its code, exactly
//! as if the code had been typed; nothing else is guessed. `stars template DOMAIN --legend`
//! shows the table, and the README lists it.

/// What a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    Domain,
    Level,
    Opinion,
    Status,
}

impl Vocab {
    pub fn as_str(self) -> &'static str {
        match self {
            Vocab::Domain => "domain",
            Vocab::Level => "level",
            Vocab::Opinion => "opinion",
            Vocab::Status => "status",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Vocab::Domain => "领域",
            Vocab::Level => "层级",
            Vocab::Opinion => "审核意见",
            Vocab::Status => "整改状态",
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
    }
}
