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

/// What may stand between the characters of a written name: spaces (full-width
/// too), dots, middle dots, dashes, underscores ("王 思 远", "W.S.Y.", "Wang-Siyuan").
fn is_name_gap(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '.' | '．' | '·' | '・' | '-' | '_' | '\t')
}

/// At most this many readings of a name are tried (names with several heteronyms).
const MAX_READINGS: usize = 16;

/// The ways a name is written that the public must not read: itself (gaps removed)
/// and, for a Chinese name, its pinyin in full ("wangsiyuan", also given name
/// first: "siyuanwang") and its initials ("wsy"), for every reading of characters
/// read in several ways (曾 zeng/ceng), with ü also as v and u. Lower case.
fn name_forms(name: &str) -> Vec<Vec<char>> {
    let bare: Vec<char> = name.chars().filter(|c| !is_name_gap(*c)).flat_map(char::to_lowercase).collect();
    if bare.is_empty() {
        return vec![];
    }
    let mut forms = vec![bare.clone()];
    // Every character's readings; a name with a character without pinyin has no pinyin forms.
    let readings: Option<Vec<Vec<&'static str>>> = bare
        .iter()
        .map(|c| {
            use pinyin::ToPinyinMulti;
            c.to_pinyin_multi().map(|m| m.into_iter().map(|p| p.plain()).collect::<Vec<_>>())
        })
        .collect();
    let Some(readings) = readings else { return forms };
    let mut combos: Vec<Vec<&'static str>> = vec![vec![]];
    for options in &readings {
        combos = combos
            .iter()
            .flat_map(|done| options.iter().map(move |r| done.iter().copied().chain([*r]).collect::<Vec<_>>()))
            .take(MAX_READINGS)
            .collect();
    }
    for syllables in combos {
        let mut spelt = vec![syllables.concat()];
        if syllables.len() > 1 {
            spelt.push(syllables[1..].concat() + syllables[0]);
        }
        let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
        if initials.chars().count() > 1 {
            spelt.push(initials);
        }
        for form in spelt {
            for variant in [form.clone(), form.replace('ü', "v"), form.replace('ü', "u")] {
                let chars: Vec<char> = variant.chars().collect();
                if !forms.contains(&chars) {
                    forms.push(chars);
                }
            }
        }
    }
    forms
}

/// Where `form` is written at `start` (case aside, gaps allowed between its
/// characters), the end of that span.
fn name_at(chars: &[char], start: usize, form: &[char]) -> Option<usize> {
    let mut k = start;
    for (j, want) in form.iter().enumerate() {
        if j > 0 {
            while chars.get(k).is_some_and(|c| is_name_gap(*c)) {
                k += 1;
            }
        }
        let got = chars.get(k)?;
        if got.to_lowercase().ne(want.to_lowercase()) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// Masks every place `form` is written. A Latin form (pinyin) counts only as a word
/// of its own, so "wsy" masks "W.S.Y." but not the letters inside another word.
fn mask_form(chars: &mut [char], form: &[char]) {
    let latin = form.iter().all(char::is_ascii);
    let letter = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let mut i = 0;
    while i < chars.len() {
        let bounded = |end: usize, chars: &[char]| {
            !latin || (!letter(i.checked_sub(1).and_then(|p| chars.get(p))) && !letter(chars.get(end)))
        };
        match name_at(chars, i, form) {
            Some(end) if bounded(end, chars) => {
                for c in &mut chars[i..end] {
                    if !is_name_gap(*c) {
                        *c = '*';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
}

/// Free text made safe for the public: numbers of seven or more digits (student,
/// phone and ID numbers written into a description, in ASCII or full-width digits,
/// even split by spaces or dashes) are masked, and so is every given name (the
/// name on a card, its owner's), also written with spaces, in pinyin or its initials.
pub fn public_text(text: &str, names: &[&str]) -> String {
    PublicMask::new(names).apply(text)
}

/// `public_text` for an item's fields: the names' forms (pinyin readings, initials) worked
/// out once, not for each of the three fields of every item a list shows.
pub struct PublicMask {
    forms: Vec<Vec<char>>,
}

impl PublicMask {
    pub fn new(names: &[&str]) -> PublicMask {
        PublicMask { forms: names.iter().flat_map(|n| name_forms(n)).collect() }
    }

    pub fn apply(&self, text: &str) -> String {
        // Most text has no long number and its item no name: nothing to mask.
        if self.forms.is_empty() && text.chars().filter(|c| digit(*c).is_some()).count() < 7 {
            return text.to_string();
        }
        let mut chars: Vec<char> = mask_numbers(text).chars().collect();
        for form in &self.forms {
            mask_form(&mut chars, form);
        }
        chars.into_iter().collect()
    }
}

/// Numbers of seven or more digits masked (`mask_number`).
fn mask_numbers(text: &str) -> String {
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
        assert_eq!(public_text("3栋 1234室 567号", &[]), "3栋 1234室 567号", "seven digits, no long number");
        assert_eq!(PublicMask::new(&["张三"]).apply("张三的卡 2021123412"), "**的卡 2021****12");
    }

    #[test]
    fn names_are_masked_with_spaces_in_pinyin_and_in_initials() {
        let names = ["王思远", ""];
        for written in [
            "王 思 远",
            "王 思远",
            "王　思远",
            "Wang Siyuan",
            "wangsiyuan",
            "WANG SI YUAN",
            "Siyuan Wang",
            "wsy",
            "W.S.Y.",
            "W S Y",
        ] {
            let masked = public_text(&format!("黑色钱包，失主 {written}，请联系"), &names);
            assert!(masked.starts_with("黑色钱包，失主 ") && masked.ends_with("，请联系"), "{written}: {masked}");
            let rest = masked.trim_start_matches("黑色钱包，失主 ").trim_end_matches("，请联系");
            assert!(rest.chars().all(|c| c == '*' || is_name_gap(c)), "{written} left {masked}");
        }
        // Initials only as a word of their own; other words stay.
        assert_eq!(public_text("newsy wsyx 思考", &names), "newsy wsyx 思考");
        // A name read in two ways is masked in both (曾 zeng/ceng); ü as v too (吕 lü).
        assert_eq!(public_text("Zeng Li, ceng li", &["曾丽"]), "**** **, **** **");
        assert_eq!(public_text("lvxin", &["吕新"]), "*****");
        // A name given in pinyin is masked however it is spaced.
        assert_eq!(public_text("owner: wang  siyuan", &["Wang Siyuan"]), "owner: ****  ******");
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
