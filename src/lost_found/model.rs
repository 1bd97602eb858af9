//! The words of lost and found: categories, an item's states and the one way
//! between them, and masking of what must never be public.

/// Item and lost-report categories, in the order forms show them.
pub const CATEGORIES: [&str; 8] = ["card", "electronics", "keys", "books", "clothing", "umbrella", "wallet", "other"];

pub fn is_category(s: &str) -> bool {
    CATEGORIES.contains(&s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    /// 在库: at the collection point.
    Held,
    /// 已认领: claimed at the point by a verified claimant.
    Claimed,
    /// Returned to the owner directly (for example a card taken to its owner).
    Returned,
    /// Disposed of after the retention period.
    Disposed,
}

impl ItemStatus {
    pub fn parse(s: &str) -> Option<ItemStatus> {
        match s {
            "held" => Some(ItemStatus::Held),
            "claimed" => Some(ItemStatus::Claimed),
            "returned" => Some(ItemStatus::Returned),
            "disposed" => Some(ItemStatus::Disposed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Held => "held",
            ItemStatus::Claimed => "claimed",
            ItemStatus::Returned => "returned",
            ItemStatus::Disposed => "disposed",
        }
    }

    /// Every item leaves the point once, from `held`; nothing comes back.
    pub fn can_become(self, to: ItemStatus) -> bool {
        self == ItemStatus::Held && to != ItemStatus::Held
    }
}

/// A student number as the public sees it: the first four and last two digits (2021****12).
pub fn mask_number(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    let n = chars.len();
    if n <= 6 {
        return "*".repeat(n.saturating_sub(2)) + &chars[n.saturating_sub(2)..].iter().collect::<String>();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[n - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - 6))
}

/// An ASCII or full-width digit, as its ASCII digit.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// Free text made safe for the public: numbers of seven or more digits (student,
/// phone and ID numbers written into a description, in ASCII or full-width digits,
/// even split by spaces or dashes) are masked, and so is every given name (the
/// name on a card, its owner's).
pub fn public_text(text: &str, names: &[&str]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A number: digits, and single separators between digits.
        let start = i;
        let mut digits = String::new();
        while i < chars.len() {
            if let Some(d) = digit(chars[i]) {
                digits.push(d);
                i += 1;
            } else if matches!(chars[i], ' ' | '-' | '　') && chars.get(i + 1).and_then(|c| digit(*c)).is_some() {
                i += 1;
            } else {
                break;
            }
        }
        if digits.len() >= 7 {
            out.push_str(&mask_number(&digits));
        } else {
            out.extend(&chars[start..i]);
        }
    }
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        out = out.replace(name, &"*".repeat(name.chars().count()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_numbers_keep_their_ends_only() {
        assert_eq!(mask_number("2021123412"), "2021****12");
        assert_eq!(mask_number("202112341234"), "2021******34");
        assert_eq!(mask_number("12345"), "***45");
    }

    #[test]
    fn numbers_and_names_in_free_text_are_masked() {
        assert_eq!(
            public_text("校园卡 2021123412，姓名张三，电话13800001234", &["张三", ""]),
            "校园卡 2021****12，姓名**，电话1380*****34"
        );
        assert_eq!(public_text("24栋 3楼", &[]), "24栋 3楼", "short numbers stay");
        assert_eq!(public_text("卡号２０２１１２３４１２", &[]), "卡号2021****12", "full-width digits");
        assert_eq!(public_text("学号 2021 1234 12 或 2021-1234-12", &[]), "学号 2021****12 或 2021****12");
        assert_eq!(public_text("2021年 11月", &[]), "2021年 11月");
    }

    #[test]
    fn only_held_items_change_and_never_back() {
        use ItemStatus::*;
        assert!(Held.can_become(Claimed) && Held.can_become(Returned) && Held.can_become(Disposed));
        assert!(!Held.can_become(Held));
        for done in [Claimed, Returned, Disposed] {
            for to in [Held, Claimed, Returned, Disposed] {
                assert!(!done.can_become(to), "{done:?} -> {to:?}");
            }
        }
    }
}
